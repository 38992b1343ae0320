import { ENVIRONMENTS } from '../../config/environments';
import { problemsOf } from '../support/settings';
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

/**
 * Policy of the protected environments (docs/network.md): a NAT gateway in every AZ, each AZ's private
 * subnets routed to the gateway of their own AZ, so losing one AZ's gateway cuts off that AZ only.
 * Read from the synthesized JSON (AZs of the subnets, route tables and associations), not the settings.
 */
describe.each(['staging', 'prod'] as const)('%s: NAT gateway per AZ (policy)', (envName) => {
  const json = synthApp(envName).json('network');
  const ref = (expr: string, type: string): string => {
    const m = new RegExp(`^\\$\\{${type}\\.([^.]+)\\.id\\}$`).exec(expr);
    if (!m) throw new Error(`not a reference to ${type}: ${expr}`);
    return m[1];
  };
  const subnets = resourcesOf(json, 'aws_subnet');
  const azOf = (subnetId: string) => subnets[subnetId].availability_zone;
  const privateIds = Object.keys(subnets).filter((id) => subnets[id].tags.Tier === 'private');

  test('two or more AZs, one NAT gateway in a public subnet of each', () => {
    const azs = [...new Set(privateIds.map(azOf))].sort();
    expect(azs.length).toBeGreaterThanOrEqual(2);
    const nats = Object.values<any>(resourcesOf(json, 'aws_nat_gateway')).map((n) => ref(n.subnet_id, 'aws_subnet'));
    expect(nats.map((s) => subnets[s].tags.Tier)).toEqual(nats.map(() => 'public'));
    expect(nats.map(azOf).sort()).toEqual(azs);
  });

  test('each private subnet sends 0.0.0.0/0 to the NAT gateway of its own AZ, through a route table of its own', () => {
    const nats = resourcesOf(json, 'aws_nat_gateway');
    const tableOf = Object.fromEntries(Object.values<any>(resourcesOf(json, 'aws_route_table_association')).map((a) => [ref(a.subnet_id, 'aws_subnet'), ref(a.route_table_id, 'aws_route_table')]));
    const defaults = Object.values<any>(resourcesOf(json, 'aws_route')).filter((r) => r.destination_cidr_block === '0.0.0.0/0');
    const natAzOfTable = (table: string): string[] =>
      defaults.filter((r) => ref(r.route_table_id, 'aws_route_table') === table).map((r) => (r.nat_gateway_id ? azOf(ref(nats[ref(r.nat_gateway_id, 'aws_nat_gateway')].subnet_id, 'aws_subnet')) : 'not a NAT gateway'));
    expect(privateIds.map((s) => [s, natAzOfTable(tableOf[s])])).toEqual(privateIds.map((s) => [s, [azOf(s)]]));
    expect(new Set(privateIds.map((s) => tableOf[s])).size).toBe(privateIds.length);
  });
});

describe('network validation outside dev (each environment the rule applies to)', () => {
  const withNat = (name: 'dev' | 'staging' | 'prod', natGateways: 'single' | 'one-per-az') => ({ ...ENVIRONMENTS[name], network: { ...ENVIRONMENTS[name].network, natGateways } });
  test.each(['staging', 'prod'] as const)('%s refuses a single NAT gateway, naming the field', (name) => {
    expect(problemsOf(withNat(name, 'single'))).toEqual([`${name}.network.natGateways: got "single", expected "one-per-az" outside dev (a single NAT gateway is a single point of failure)`]);
  });
  test('dev may share one NAT gateway', () => {
    expect(problemsOf(withNat('dev', 'single'))).toEqual([]);
  });
});
