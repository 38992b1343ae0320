import { ENVIRONMENTS } from '../../config/environments';
import { clusterName } from '../../config/naming';
import { ALL_ENVIRONMENTS, resourcesOf, synthApp } from '../support/synth';

describe.each(ALL_ENVIRONMENTS)('network stack in %s', (envName) => {
  const settings = ENVIRONMENTS[envName].network;
  const json = synthApp(envName).json('network');
  const subnets = Object.values<any>(resourcesOf(json, 'aws_subnet'));

  test('has the settings’ subnets in every AZ', () => {
    expect(subnets).toHaveLength(3 * settings.availabilityZones.length);
    const byTier = (tier: string) => subnets.filter((s) => s.tags.Tier === tier);
    expect(byTier('public').map((s) => [s.availability_zone, s.cidr_block])).toEqual(settings.availabilityZones.map((az, i) => [az, settings.publicSubnetCidrs[i]]));
    expect(byTier('private').map((s) => [s.availability_zone, s.cidr_block])).toEqual(settings.availabilityZones.map((az, i) => [az, settings.privateSubnetCidrs[i]]));
    expect(byTier('database').map((s) => [s.availability_zone, s.cidr_block])).toEqual(settings.availabilityZones.map((az, i) => [az, settings.databaseSubnetCidrs[i]]));
  });

  test('NAT gateways follow the settings', () => {
    const expected = settings.natGateways === 'single' ? 1 : settings.availabilityZones.length;
    expect(Object.keys(resourcesOf(json, 'aws_nat_gateway'))).toHaveLength(expected);
  });

  test('private subnets carry the cluster tags for EKS and node autoscaler discovery', () => {
    const cluster = clusterName(envName);
    for (const subnet of subnets.filter((s) => s.tags.Tier === 'private')) {
      expect(subnet.tags).toMatchObject({ [`kubernetes.io/cluster/${cluster}`]: 'shared', 'karpenter.sh/discovery': cluster });
    }
  });

  test('interface endpoints only where the settings turn them on', () => {
    const interfaces = Object.values<any>(resourcesOf(json, 'aws_vpc_endpoint')).filter((e) => e.vpc_endpoint_type === 'Interface');
    const services = interfaces.map((e) => e.service_name.replace('com.amazonaws.ap-northeast-2.', '')).sort();
    // eks-auth: the Pod Identity agent's AssumeRoleForPodIdentity, so pods get credentials without NAT.
    expect(services).toEqual(settings.interfaceEndpoints ? ['ecr.api', 'ecr.dkr', 'eks-auth', 'logs', 'sts'] : []);
    expect(settings.interfaceEndpoints).toBe(envName === 'prod');
  });

  test('the S3 gateway endpoint serves the private and database route tables', () => {
    const s3 = Object.values<any>(resourcesOf(json, 'aws_vpc_endpoint')).find((e) => e.vpc_endpoint_type === 'Gateway');
    expect(s3.route_table_ids).toHaveLength(settings.availabilityZones.length + 1);
  });

  test('the provider tags every resource with project, environment and stack', () => {
    expect(json.provider?.aws[0]).toMatchObject({
      region: 'ap-northeast-2',
      default_tags: [{ tags: { Project: 'tiketi', Environment: envName, Stack: 'network', ManagedBy: 'cdktf' } }],
    });
  });

  test('flow logs are kept as long as the settings say', () => {
    expect(Object.values<any>(resourcesOf(json, 'aws_cloudwatch_log_group')).map((g) => g.retention_in_days)).toEqual([settings.flowLogRetentionDays]);
  });
});
