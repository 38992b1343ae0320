/**
 * The cost model on hand-built fixtures: a small synthesized configuration and a price table with round
 * figures, whose totals are computed by hand below (not taken from the code's output).
 */
import { defaultAssumptions, Assumptions, applyOverrides } from '../../cli/lib/cost/assumptions';
import { formatReport } from '../../cli/lib/cost/format';
import { monthlyAt } from '../../cli/lib/cost/model';
import { parsePriceTable, PriceTableError } from '../../cli/lib/cost/prices';
import { buildReport, EnvironmentInput, NO_PRICER } from '../../cli/lib/cost/report';
import { KubeObject } from '../../cli/lib/gitops-render';
import { SynthesizedStack, TerraformJson } from '../../cli/lib/synth-app';

const HEADER = 'id,service,item,unit,usd,region,source,as_of,confidence,note';
const row = (id: string, unit: string, usd: string, region = 'ap-northeast-2', note = 'test figure') =>
  `${id},Svc,"${id} item",${unit},${usd},${region},${usd ? 'https://example.test/prices' : ''},${usd ? '2026-01-01' : ''},${usd ? 'HIGH' : ''},"${note}"`;

const PRICES = parsePriceTable(
  [
    HEADER,
    row('eks.cluster.standard', 'hour', '0.10'),
    row('ec2.t3.medium', 'hour', '0.05'),
    row('ec2.t4g.medium', 'hour', '0.04'),
    row('ebs.gp3', 'GB-month', '0.1'),
    row('vpc.nat.hour', 'hour', '0.05'),
    row('vpc.nat.gb', 'GB', '0.05'),
    row('vpc.ipv4.hour', 'hour', '0.005'),
    row('vpc.endpoint.interface.hour', 'hour', '0.01'),
    row('vpc.endpoint.interface.gb', 'GB', '0.01'),
    row('elb.alb.hour', 'hour', '0.02'),
    row('elb.alb.lcu', 'LCU-hour', '0.01'),
    row('rds.postgres.db.t4g.micro.multi-az', 'hour', '0.05'),
    row('rds.gp3.multi-az', 'GB-month', '0.2'),
    row('secretsmanager.secret', 'month', '0.4'),
    row('elasticache.valkey.cache.t4g.micro', 'hour', '0.02'),
    row('elasticache.valkey.cache.t3.micro', 'hour', '', 'ap-northeast-2', 'Not found for Seoul'),
    row('elasticache.redis.cache.t3.micro', 'hour', '0.017', 'us-east-1', 'us-east-1 only'),
    row('kms.key', 'month', '1'),
    row('logs.ingest', 'GB', '0.5'),
    row('logs.storage', 'GB-month', '0.03'),
    row('waf.acl', 'month', '5', 'global'),
    row('waf.rule', 'month', '1', 'global'),
    row('waf.requests', '1M requests', '0.6', 'global'),
    row('ecr.storage', 'GB-month', '0.1'),
  ].join('\n'),
  'ap-northeast-2',
  'test-prices.csv',
);

const ASSUMED: Assumptions = { ...defaultAssumptions(), 'nat.gbPerMonth': 100, 'endpoint.gbPerMonth': 10, 'alb.lcu': 2, 'logs.gbPerMonth.rds': 2, 'waf.mRequestsPerMonth': 10, 'ecr.gbPerRepository': 3, 'savingsPlan.discount': 0.3, 'spot.share': 0.5, 'spot.discount': 0.6 };

const provider = (scope: string, extra: object[] = []) => ({ aws: [{ region: 'ap-northeast-2', default_tags: [{ tags: { Environment: scope } }] }, ...extra] });
const stack = (id: string, scope: string, resource: TerraformJson['resource'], extraProviders: object[] = []): SynthesizedStack => ({ id, scope, dependencies: [], json: { provider: provider(scope, extraProviders), resource } });

function devStacks(): SynthesizedStack[] {
  return [
    stack('network', 'dev', {
      aws_vpc: { vpc: {} },
      aws_subnet: { a: { tags: { 'kubernetes.io/role/elb': '1' } }, c: { tags: { 'kubernetes.io/role/elb': '1' } } },
      aws_eip: { nat: { domain: 'vpc' } },
      aws_nat_gateway: { nat: { allocation_id: '${aws_eip.nat.allocation_id}' } },
      aws_vpc_endpoint: {
        ecr: { service_name: 'com.amazonaws.ap-northeast-2.ecr.dkr', vpc_endpoint_type: 'Interface', subnet_ids: ['${aws_subnet.a.id}', '${aws_subnet.c.id}'] },
        s3: { service_name: 'com.amazonaws.ap-northeast-2.s3', vpc_endpoint_type: 'Gateway' },
      },
    }),
    stack('cluster', 'dev', {
      aws_iam_role: { nodes: {} },
      aws_eks_cluster: { eks: { name: 'tiketi-dev', version: '1.35', upgrade_policy: { support_type: 'STANDARD' } } },
      aws_launch_template: { lt: { block_device_mappings: [{ device_name: '/dev/xvda', ebs: { volume_size: 20, volume_type: 'gp3' } }] } },
      aws_eks_node_group: {
        general: {
          node_group_name: 'general',
          capacity_type: 'ON_DEMAND',
          instance_types: ['t3.medium'],
          scaling_config: { min_size: 2, desired_size: 3, max_size: 4 },
          launch_template: { id: '${aws_launch_template.lt.id}', version: '${aws_launch_template.lt.latest_version}' },
        },
      },
    }),
    stack('data', 'dev', {
      aws_kms_key: { db: { enable_key_rotation: true } },
      aws_db_instance: { db: { engine: 'postgres', instance_class: 'db.t4g.micro', multi_az: true, storage_type: 'gp3', allocated_storage: 20, manage_master_user_password: true } },
      aws_elasticache_replication_group: { cache: { engine: 'valkey', node_type: 'cache.t4g.micro', num_cache_clusters: 2, multi_az_enabled: true } },
      aws_cloudwatch_log_group: { pg: { name: '/aws/rds/instance/db/postgresql', retention_in_days: 365 } },
    }),
    stack('edge', 'dev', {
      aws_wafv2_web_acl: { alb: { name: 'acl', scope: 'REGIONAL', rule: [{ name: 'a' }, { name: 'b' }] } },
      aws_made_up_thing: { x: {} },
    }),
    stack('registry', 'account', { aws_ecr_repository: { backend: { name: 'tiketi-backend' } }, aws_iam_role: { ci: {} } }),
  ];
}

const ingress = (name: string, annotations: Record<string, string>, className = 'alb'): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, namespace: 'tiketi-dev', annotations },
  spec: { ingressClassName: className },
});

const GITOPS: KubeObject[] = [
  ingress('api', { 'alb.ingress.kubernetes.io/group.name': 'shared', 'alb.ingress.kubernetes.io/scheme': 'internet-facing' }),
  ingress('argocd', { 'alb.ingress.kubernetes.io/group.name': 'shared', 'alb.ingress.kubernetes.io/scheme': 'internet-facing' }),
  ingress('internal-tools', {}),
  ingress('not-ours', {}, 'nginx'),
];

const devInput = (stacks = devStacks(), env = 'dev'): EnvironmentInput => ({ env, stacks, gitops: { objects: GITOPS }, availabilityZones: 2 });

describe('cost of a known configuration', () => {
  const report = buildReport({ environments: [devInput()], prices: PRICES, assumptions: ASSUMED });
  const dev = report.environments[0];

  test('the environment total is the sum worked out by hand', () => {
    const byHand =
      0.1 * 730 + // EKS control plane
      0.05 * 730 * 3 + // 3 t3.medium nodes (desired)
      20 * 3 * 0.1 + // their 20 GB gp3 root volumes
      0.05 * 730 + 100 * 0.05 + // one NAT gateway: hours, and all 100 GB of nat.gbPerMonth
      0.005 * 730 + // its Elastic IP
      0.01 * 730 * 2 + 10 * 0.01 + // interface endpoint in 2 AZs, and 10 GB through it; the S3 gateway endpoint is free
      0.05 * 730 + 20 * 0.2 + 0.4 + // RDS db.t4g.micro Multi-AZ, 20 GB Multi-AZ storage, the RDS-managed secret
      0.02 * 730 * 2 + // two Valkey cache.t4g.micro nodes
      1 + // one KMS key
      2 * 0.5 + 2 * 12 * 0.03 + // 2 GB/month into a 365-day log group: ingestion, and 12 months stored
      5 + 2 * 1 + 10 * 0.6 + // web ACL, 2 rules, 10 M requests
      (0.02 * 730 + 2 * 730 * 0.01 + 2 * 730 * 0.005) + // ALB of the IngressGroup "shared": hours, 2 LCU, 2 public IPv4 (internet-facing, 2 AZs)
      (0.02 * 730 + 2 * 730 * 0.01); // ALB of the internal Ingress: no public address
    expect(byHand).toBeCloseTo(399.87, 2);
    expect(dev.totals.priced.desired).toBeCloseTo(byHand, 6);
  });

  test('node groups are also totalled at their minimum and maximum size', () => {
    expect(dev.totals.priced.min).toBeCloseTo(399.87 - 0.05 * 730 * 1 - 20 * 1 * 0.1, 6);
    expect(dev.totals.priced.max).toBeCloseTo(399.87 + 0.05 * 730 * 1 + 20 * 1 * 0.1, 6);
    const nodes = dev.items.find((i) => i.category === 'EC2 nodes');
    expect(nodes && [monthlyAt(nodes, 'min'), monthlyAt(nodes, 'desired'), monthlyAt(nodes, 'max')]).toEqual([73, 109.5, 146].map((n) => expect.closeTo(n, 6)));
  });

  test('an unknown resource type is UNPRICED, never zero, and is shown', () => {
    const unknown = dev.items.filter((i) => i.resourceType === 'aws_made_up_thing');
    expect(unknown).toHaveLength(1);
    expect(unknown[0].monthly).toBeNull();
    expect(unknown[0].unpriced).toBe(NO_PRICER);
    expect(dev.totals.unpricedLines).toBe(1);
    expect(report.unknownTypes).toEqual(['aws_made_up_thing']);
    expect(report.unpriced.map((u) => `${u.stack} ${u.resourceType}`)).toEqual(['edge aws_made_up_thing']);
    const text = formatReport(report);
    expect(text).toMatch(/^UNPRICED \(1 line, left out of the totals\):\n {2}dev\/edge aws_made_up_thing\.x: aws_made_up_thing: no pricer/m);
    expect(text).toContain('+ 1 unpriced line (a lower bound)');
  });

  test('declared-free types are counted, not priced, and a gateway endpoint is free with its reason', () => {
    expect(dev.freeResources).toEqual({ aws_vpc: 1, aws_subnet: 2, aws_iam_role: 1, aws_launch_template: 1 });
    const gateway = dev.items.find((i) => i.description.includes('s3 gateway endpoint'));
    expect(gateway).toMatchObject({ monthly: 0, free: expect.stringContaining('no charge') });
  });

  test('Ingresses sharing a group.name share one ALB; an Ingress of another class is not an ALB', () => {
    expect(dev.albs).toEqual([
      { key: 'group:shared', ingresses: ['tiketi-dev/api', 'tiketi-dev/argocd'], scheme: 'internet-facing' },
      { key: 'ingress:tiketi-dev/internal-tools', ingresses: ['tiketi-dev/internal-tools'], scheme: 'internal' },
    ]);
    expect(dev.items.filter((i) => i.stack === 'gitops' && i.category === 'Public IPv4').map((i) => i.quantity)).toEqual([2 * 730]);
  });

  test('account-wide stacks are reported once, apart from the environment', () => {
    expect(dev.stacks.map((s) => s.stack)).toEqual(['network', 'cluster', 'data', 'edge', 'gitops']);
    expect(report.account?.totals.priced.desired).toBeCloseTo(3 * 0.1, 6);
    const twice = buildReport({ environments: [devInput(), devInput(devStacks(), 'prod')], prices: PRICES, assumptions: ASSUMED });
    expect(twice.account?.items).toHaveLength(1);
    expect(twice.total.priced.desired).toBeCloseTo(2 * 399.87 + 0.3, 6);
  });

  test('beside the seed: its lines, its counts, and what it left out', () => {
    expect(dev.seed?.total).toBe(233);
    const line = (item: string) => dev.seed?.lines.find((l) => l.item === item);
    expect(line('EKS cluster (control plane)')).toMatchObject({ seed: 73, ours: expect.closeTo(73, 6) });
    expect(line('2x t3.medium nodes')?.note).toBe('the seed counts 2, the platform runs 3');
    expect(line('ElastiCache t3.micro')?.note).toBe('the seed counts 1, the platform runs 2');
    const leftOut = Object.fromEntries((dev.seed?.leftOut ?? []).map((c) => [c.category, c.ours]));
    expect(leftOut['NAT gateways']).toBeCloseTo(0.05 * 730 + 5, 6);
    expect(leftOut['VPC endpoints']).toBeCloseTo(0.01 * 730 * 2 + 0.1, 6);
    expect(leftOut['Public IPv4']).toBeCloseTo(0.005 * 730 * 3, 6);
    expect(Object.keys(leftOut)).toEqual(expect.arrayContaining(['KMS keys', 'Secrets Manager', 'CloudWatch Logs', 'WAF', 'EBS volumes']));
  });

  test('levers: Graviton, Savings Plan, Spot and fewer endpoints save what the prices say', () => {
    const lever = (name: string, contains = '') => dev.levers.find((l) => l.lever === name && l.description.includes(contains));
    expect(lever('Graviton', 't3.medium → t4g.medium')?.saving).toBeCloseTo((0.05 - 0.04) * 730 * 3, 6);
    expect(lever('Savings Plan')?.saving).toBeCloseTo(0.05 * 730 * 3 * 0.3, 6);
    expect(lever('Spot')?.saving).toBeCloseTo(0.05 * 730 * 3 * 0.5 * 0.6, 6);
    expect(lever('Fewer interface endpoints')?.saving).toBeCloseTo(0.01 * 730 * 2, 6);
    expect(lever('Fewer interface endpoints')?.note).toContain('below ~365 GB/month');
    // The defaults are unchanged: the levers do not alter the total.
    expect(dev.totals.priced.desired).toBeCloseTo(399.87, 6);
  });
});

describe('an Auto Scaling group of our own (the api-access host)', () => {
  test('costs desired × the launch template instance type and its root volume, between min and max', () => {
    const stacks = [
      stack('cluster', 'dev', {
        aws_launch_template: { host: { instance_type: 't4g.medium', block_device_mappings: [{ device_name: '/dev/xvda', ebs: { volume_size: 8, volume_type: 'gp3' } }] } },
        aws_autoscaling_group: { host: { min_size: 1, desired_capacity: 1, max_size: 2, launch_template: { id: '${aws_launch_template.host.id}', version: '${aws_launch_template.host.latest_version}' } } },
      }),
    ];
    const dev = buildReport({ environments: [devInput(stacks)], prices: PRICES, assumptions: ASSUMED }).environments[0];
    const items = dev.items.filter((i) => i.resourceType === 'aws_autoscaling_group');
    const compute = items.find((i) => i.category === 'EC2 instances')!;
    expect([monthlyAt(compute, 'min'), monthlyAt(compute, 'desired'), monthlyAt(compute, 'max')]).toEqual([0.04 * 730, 0.04 * 730, 0.04 * 730 * 2].map((n) => expect.closeTo(n, 6)));
    expect(items.find((i) => i.category === 'EBS volumes')!.monthly).toBeCloseTo(8 * 0.1, 6);
    expect(dev.totals.unpricedLines).toBe(0);
  });

  test('a launch template without a literal instance type leaves it unpriced, not zero', () => {
    const stacks = [stack('cluster', 'dev', { aws_launch_template: { host: {} }, aws_autoscaling_group: { host: { min_size: 1, max_size: 1, launch_template: { id: '${aws_launch_template.host.id}' } } } })];
    const dev = buildReport({ environments: [devInput(stacks)], prices: PRICES, assumptions: ASSUMED }).environments[0];
    const [item] = dev.items.filter((i) => i.resourceType === 'aws_autoscaling_group');
    expect(item.monthly).toBeNull();
    expect(item.unpriced).toMatch(/instance_type not literal/);
  });
});

describe('prices that do not exist are not invented', () => {
  const withCache = (nodeType: string, engine = 'valkey') => {
    const stacks = devStacks().map((s) => (s.id === 'data' ? stack('data', 'dev', { aws_elasticache_replication_group: { cache: { engine, node_type: nodeType, num_cache_clusters: 1 } } }) : s));
    return buildReport({ environments: [devInput(stacks)], prices: PRICES, assumptions: ASSUMED }).environments[0].items.find((i) => i.category === 'ElastiCache');
  };

  test('a row without a figure leaves the item unpriced with the row\'s note', () => {
    expect(withCache('cache.t3.micro')).toMatchObject({ monthly: null, unpriced: expect.stringContaining('Not found for Seoul') });
  });

  test('a figure for another region is not used', () => {
    expect(withCache('cache.t3.micro', 'redis')).toMatchObject({ monthly: null, unpriced: expect.stringMatching(/only a us-east-1 figure is known .*not used for ap-northeast-2/) });
  });

  test('a resource in another region needs a row for that region or a global one', () => {
    const usEast = { alias: 'us_east_1', region: 'us-east-1' };
    const stacks = [stack('edge', 'dev', { aws_kms_key: { k: { provider: 'aws.us_east_1' } }, aws_wafv2_web_acl: { cf: { provider: 'aws.us_east_1', scope: 'CLOUDFRONT', rule: [] } } }, [usEast])];
    const items = buildReport({ environments: [{ env: 'dev', stacks, gitops: { objects: [] }, availabilityZones: 2 }], prices: PRICES, assumptions: ASSUMED }).environments[0].items;
    expect(items.find((i) => i.category === 'KMS keys')).toMatchObject({ monthly: null, unpriced: expect.stringContaining('the resource is in us-east-1') });
    expect(items.find((i) => i.category === 'WAF')?.monthly).toBe(5);
  });

  test('a gitops overlay that cannot be rendered leaves the load balancers unpriced, with the reason', () => {
    const report = buildReport({ environments: [{ ...devInput(), gitops: { error: 'kubectl not found' } }], prices: PRICES, assumptions: ASSUMED });
    expect(report.unpriced).toContainEqual(expect.objectContaining({ stack: 'gitops', reason: 'cannot render gitops/overlays/dev: kubectl not found' }));
  });
});

describe('the price table file format', () => {
  test('every problem is reported with its line', () => {
    const bad = [HEADER, row('a.b', 'hour', '1'), row('a.b', 'hour', '1'), 'c.d,S,i,fortnight,1,ap-northeast-2,,,,n', row('e.f', 'hour', '')].join('\n').replace('"e.f item",hour,,ap-northeast-2,,,,"test figure"', '"e.f item",hour,,ap-northeast-2,,,,""');
    expect(() => parsePriceTable(bad, 'ap-northeast-2', 't.csv')).toThrow(PriceTableError);
    try {
      parsePriceTable(bad, 'ap-northeast-2', 't.csv');
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('line 3 (a.b): duplicate id');
      expect(message).toContain('line 4 (c.d): unit "fortnight" is not one of');
      expect(message).toContain('line 4 (c.d): a figure needs its source, as_of date and confidence');
      expect(message).toContain('line 5 (e.f): a row without a figure must say why in its note');
    }
  });

  test('the header must be exactly the documented columns', () => {
    expect(() => parsePriceTable('id,usd\n', 'x', 't.csv')).toThrow(/header must be "id,service,item,unit,usd,region,source,as_of,confidence,note"/);
  });
});

describe('--assume', () => {
  test('known keys take non-negative numbers; fractions stay within 1', () => {
    const { assumptions, problems } = applyOverrides(defaultAssumptions(), ['nat.gbPerMonth=250', 'spot.share=1.5', 'nope=1', 'alb.lcu=-1', 'waf']);
    expect(assumptions['nat.gbPerMonth']).toBe(250);
    expect(problems).toEqual([
      '--assume spot.share: got "1.5", expected a number from 0 to 1',
      expect.stringMatching(/^--assume nope: unknown key; allowed: alb\.lcu, .*waf\.mRequestsPerMonth$/),
      '--assume alb.lcu: got "-1", expected a number from 0',
      '--assume "waf": expected key=value',
    ]);
  });
});
