/**
 * One pricer per billable resource type: it reads the resource's synthesized configuration and returns
 * the lines it costs. A pricer never returns a zero for a price it lacks: it returns the line unpriced,
 * with the reason (usually the price table's own note). Types without a pricer are either declared free
 * (`free.ts`) or reported UNPRICED by the report.
 */
import { Assumptions, AssumptionKey, HOURS_PER_MONTH, logGroupKind } from './assumptions';
import { Category, ComputeFacts, LineItem } from './model';
import { PriceTable, PriceUnit } from './prices';
import { block } from '../terraform-json';

export interface ResourceRef {
  readonly stack: string;
  readonly type: string;
  readonly name: string;
  readonly config: Record<string, any>;
  /** `type.construct/path`, shown in the report. */
  readonly source: string;
  /** Region of the resource's provider. */
  readonly region: string;
}

export interface PricingContext {
  readonly prices: PriceTable;
  readonly assumptions: Assumptions;
  /** The resource a `${type.name.attr}` expression points to, in the same stack. */
  resolve(expression: unknown): Record<string, any> | undefined;
  /** How many resources of `type` the environment (or the account) holds. */
  count(type: string): number;
  /** Availability zones of the environment, for per-AZ charges whose subnets are not literal. */
  readonly availabilityZones: number;
}

export type Pricer = (resource: ResourceRef, ctx: PricingContext) => LineItem[];

interface Charge {
  readonly category: Category;
  readonly description: string;
  readonly priceId: string;
  readonly unit: PriceUnit;
  /** Quantity a month in `unit`. */
  readonly quantity: number;
  readonly range?: { readonly min: number; readonly max: number };
  readonly assumption?: AssumptionKey;
  readonly compute?: ComputeFacts;
  readonly interfaceEndpoint?: LineItem['interfaceEndpoint'];
}

/** A priced line, or the same line unpriced with the table's reason. The unit must match the row's. */
export function charge(resource: Pick<ResourceRef, 'stack' | 'type' | 'source' | 'region'>, ctx: Pick<PricingContext, 'prices'>, c: Charge): LineItem {
  const base = {
    stack: resource.stack,
    category: c.category,
    source: resource.source,
    resourceType: resource.type,
    description: c.description,
    quantity: c.quantity,
    range: c.range,
    assumption: c.assumption,
    compute: c.compute,
    interfaceEndpoint: c.interfaceEndpoint,
  };
  const found = ctx.prices.lookup(c.priceId, resource.region);
  if (!found.ok) return { ...base, monthly: null, unpriced: found.reason };
  if (found.row.unit !== c.unit) return { ...base, monthly: null, unpriced: `price "${c.priceId}" is per ${found.row.unit}, expected per ${c.unit}` };
  const { row } = found;
  return {
    ...base,
    monthly: found.usd * c.quantity,
    price: { id: row.id, usd: found.usd, unit: row.unit, confidence: row.confidence, source: row.source, asOf: row.asOf, note: row.note },
  };
}

export function unpriced(resource: Pick<ResourceRef, 'stack' | 'type' | 'source'>, category: Category, description: string, reason: string): LineItem {
  return { stack: resource.stack, category, source: resource.source, resourceType: resource.type, description, quantity: 0, monthly: null, unpriced: reason };
}

export function free(resource: Pick<ResourceRef, 'stack' | 'type' | 'source'>, category: Category, description: string, reason: string): LineItem {
  return { stack: resource.stack, category, source: resource.source, resourceType: resource.type, description, quantity: 0, monthly: 0, free: reason };
}

const hours = (count: number) => count * HOURS_PER_MONTH;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const literalList = (value: unknown): unknown[] | undefined => (Array.isArray(value) ? value : undefined);

/** Price-table id of an EC2 instance type (levers build the Graviton counterpart's id with it). */
export const EC2_PRICE_ID = (type: string) => `ec2.${type}`;

/** EBS volume line for `count` volumes of `sizeGb` of `volumeType`. */
function volumes(resource: ResourceRef, ctx: PricingContext, what: string, volumeType: string | undefined, sizeGb: number | undefined, count: number, range?: { min: number; max: number }): LineItem {
  if (!volumeType || !sizeGb) return unpriced(resource, 'EBS volumes', what, 'volume size or type not stated in the configuration (the AMI default applies)');
  return charge(resource, ctx, {
    category: 'EBS volumes',
    description: `${what}: ${sizeGb} GB ${volumeType} × ${count}`,
    priceId: `ebs.${volumeType}`,
    unit: 'GB-month',
    quantity: sizeGb * count,
    range: range && { min: sizeGb * range.min, max: sizeGb * range.max },
  });
}

function rootVolume(template: Record<string, any> | undefined): { type?: string; size?: number } {
  const mapping = literalList(template?.block_device_mappings)?.[0] as Record<string, any> | undefined;
  const ebs = block(mapping?.ebs);
  return { type: ebs?.volume_type, size: typeof ebs?.volume_size === 'number' ? ebs.volume_size : undefined };
}

const eksNodeGroup: Pricer = (r, ctx) => {
  const scaling = block(r.config.scaling_config) ?? {};
  const [min, desired, max] = [scaling.min_size, scaling.desired_size ?? scaling.min_size, scaling.max_size].map((n) => (typeof n === 'number' ? n : NaN));
  const template = ctx.resolve(block(r.config.launch_template)?.id);
  const type: string | undefined = literalList(r.config.instance_types)?.[0] as string | undefined ?? template?.instance_type;
  const name = typeof r.config.node_group_name === 'string' ? r.config.node_group_name.replace(/^\$\{[^}]+\}-?/, '') : r.name;
  if ([min, desired, max].some(Number.isNaN) || !type) {
    return [unpriced(r, 'EC2 nodes', `node group ${name}`, 'scaling_config sizes or instance type not literal in the configuration')];
  }
  const sizes = `min ${min} · desired ${desired} · max ${max}`;
  const range = { min: hours(min), max: hours(max) };
  const compute: ComputeFacts = { service: 'ec2', type, priceId: EC2_PRICE_ID, count: desired, nodeGroup: true };
  const capacity = r.config.capacity_type ?? 'ON_DEMAND';
  const nodes =
    capacity === 'ON_DEMAND'
      ? charge(r, ctx, { category: 'EC2 nodes', description: `${name}: ${type} × ${desired} (${sizes})`, priceId: EC2_PRICE_ID(type), unit: 'hour', quantity: hours(desired), range, compute })
      : unpriced(r, 'EC2 nodes', `${name}: ${type} × ${desired} (${sizes}), ${capacity}`, `${capacity} capacity: prices move hourly; only on-demand is in the table`);
  const disk = typeof r.config.disk_size === 'number' ? { type: 'gp3', size: r.config.disk_size } : rootVolume(template);
  return [nodes, volumes(r, ctx, `${name} root volumes`, disk.type, disk.size, desired, { min, max })];
};

const eksCluster: Pricer = (r, ctx) => {
  const support = block(r.config.upgrade_policy)?.support_type ?? 'EXTENDED';
  const version = r.config.version ? ` ${r.config.version}` : '';
  const note = support === 'STANDARD' ? 'standard support; upgraded by EKS when it ends' : 'extended support ($0.60/h) applies once the version leaves standard support';
  return [charge(r, ctx, { category: 'EKS control plane', description: `cluster${version} (${note})`, priceId: 'eks.cluster.standard', unit: 'hour', quantity: hours(1) })];
};

const instance: Pricer = (r, ctx) => {
  const type = r.config.instance_type;
  if (typeof type !== 'string') return [unpriced(r, 'EC2 instances', 'instance', 'instance_type not literal')];
  const lines = [charge(r, ctx, { category: 'EC2 instances', description: `${type} × 1`, priceId: EC2_PRICE_ID(type), unit: 'hour', quantity: hours(1), compute: { service: 'ec2', type, priceId: EC2_PRICE_ID, count: 1 } })];
  const root = block(r.config.root_block_device);
  lines.push(volumes(r, ctx, 'root volume', root?.volume_type, root?.volume_size, 1));
  if (r.config.associate_public_ip_address === true) lines.push(charge(r, ctx, { category: 'Public IPv4', description: 'public IPv4 address × 1', priceId: 'vpc.ipv4.hour', unit: 'hour', quantity: hours(1) }));
  return lines;
};

/** An Auto Scaling group of our own (the api-access host): desired × the launch template's type and root volume. */
const autoscalingGroup: Pricer = (r, ctx) => {
  const template = ctx.resolve(block(r.config.launch_template)?.id);
  const type = template?.instance_type;
  const [min, desired, max] = [r.config.min_size, r.config.desired_capacity ?? r.config.min_size, r.config.max_size].map((n) => (typeof n === 'number' ? n : NaN));
  if (typeof type !== 'string' || [min, desired, max].some(Number.isNaN)) return [unpriced(r, 'EC2 instances', 'Auto Scaling group', 'sizes or the launch template\'s instance_type not literal')];
  const range = { min: hours(min), max: hours(max) };
  const root = rootVolume(template);
  return [
    charge(r, ctx, { category: 'EC2 instances', description: `${type} × ${desired} (Auto Scaling group, min ${min} · max ${max})`, priceId: EC2_PRICE_ID(type), unit: 'hour', quantity: hours(desired), range, compute: { service: 'ec2', type, priceId: EC2_PRICE_ID, count: desired } }),
    volumes(r, ctx, 'root volumes', root.type, root.size, desired, { min, max }),
  ];
};

const natGateway: Pricer = (r, ctx) => {
  const gateways = Math.max(ctx.count('aws_nat_gateway'), 1);
  const gb = ctx.assumptions['nat.gbPerMonth'] / gateways;
  return [
    charge(r, ctx, { category: 'NAT gateways', description: 'NAT gateway × 1 (hours)', priceId: 'vpc.nat.hour', unit: 'hour', quantity: hours(1) }),
    charge(r, ctx, { category: 'NAT gateways', description: `data processed: ${round(gb)} GB (1/${gateways} of nat.gbPerMonth)`, priceId: 'vpc.nat.gb', unit: 'GB', quantity: gb, assumption: 'nat.gbPerMonth' }),
  ];
};

const eip: Pricer = (r, ctx) => [charge(r, ctx, { category: 'Public IPv4', description: 'Elastic IP (public IPv4) × 1', priceId: 'vpc.ipv4.hour', unit: 'hour', quantity: hours(1) })];

const vpcEndpoint: Pricer = (r, ctx) => {
  const type = r.config.vpc_endpoint_type ?? 'Gateway';
  const service = String(r.config.service_name ?? '').split('.').slice(3).join('.') || String(r.config.service_name);
  if (type === 'Gateway') return [free(r, 'VPC endpoints', `${service} gateway endpoint`, 'gateway endpoints (S3, DynamoDB) have no charge')];
  const subnets = literalList(r.config.subnet_ids)?.length ?? ctx.availabilityZones;
  return [
    charge(r, ctx, { category: 'VPC endpoints', description: `${service} ${type} endpoint × ${plural(subnets, 'AZ')}`, priceId: 'vpc.endpoint.interface.hour', unit: 'hour', quantity: hours(subnets), interfaceEndpoint: { service, azs: subnets } }),
    charge(r, ctx, { category: 'VPC endpoints', description: `${service} data processed: ${ctx.assumptions['endpoint.gbPerMonth']} GB`, priceId: 'vpc.endpoint.interface.gb', unit: 'GB', quantity: ctx.assumptions['endpoint.gbPerMonth'], assumption: 'endpoint.gbPerMonth' }),
  ];
};

/** ALB lines (hours, LCUs, one public IPv4 per AZ when internet-facing); used for gitops Ingress groups too. */
export function albLines(r: Pick<ResourceRef, 'stack' | 'type' | 'source' | 'region'>, ctx: Pick<PricingContext, 'prices' | 'assumptions'>, what: string, internetFacing: boolean, azs: number): LineItem[] {
  const lcu = ctx.assumptions['alb.lcu'];
  const lines = [
    charge(r, ctx, { category: 'Load balancers', description: `${what}: ALB × 1 (hours)`, priceId: 'elb.alb.hour', unit: 'hour', quantity: hours(1) }),
    charge(r, ctx, { category: 'Load balancers', description: `${what}: ${lcu} LCU average`, priceId: 'elb.alb.lcu', unit: 'LCU-hour', quantity: hours(lcu), assumption: 'alb.lcu' }),
  ];
  if (internetFacing) lines.push(charge(r, ctx, { category: 'Public IPv4', description: `${what}: public IPv4 × ${azs} (one per AZ)`, priceId: 'vpc.ipv4.hour', unit: 'hour', quantity: hours(azs) }));
  return lines;
}

const loadBalancer: Pricer = (r, ctx) => {
  const type = r.config.load_balancer_type ?? 'application';
  const name = r.config.name ?? r.name;
  if (type !== 'application') return [unpriced(r, 'Load balancers', `${type} load balancer ${name}`, `no ${type} load balancer price in the table`)];
  return albLines(r, ctx, `load balancer ${name}`, r.config.internal !== true, literalList(r.config.subnets)?.length ?? ctx.availabilityZones);
};

const dbInstance: Pricer = (r, ctx) => {
  const engine = String(r.config.engine ?? 'unknown');
  const cls = String(r.config.instance_class ?? 'unknown');
  const deployment = r.config.multi_az === true ? 'multi-az' : 'single-az';
  const az = deployment === 'multi-az' ? 'Multi-AZ' : 'Single-AZ';
  const storageType = String(r.config.storage_type ?? 'gp2');
  const storage = typeof r.config.allocated_storage === 'number' ? r.config.allocated_storage : 0;
  const rdsPriceId = (type: string) => `rds.${engine}.${type}.${deployment}`;
  const lines = [
    charge(r, ctx, { category: 'RDS', description: `${engine} ${cls} ${az}`, priceId: rdsPriceId(cls), unit: 'hour', quantity: hours(1), compute: { service: 'rds', type: cls, priceId: rdsPriceId, count: 1 } }),
    charge(r, ctx, { category: 'RDS', description: `storage: ${storage} GB ${storageType} ${az}${r.config.max_allocated_storage ? ` (autoscaling to ${r.config.max_allocated_storage} GB)` : ''}`, priceId: `rds.${storageType}.${deployment}`, unit: 'GB-month', quantity: storage }),
  ];
  // RDS creates (and bills) a Secrets Manager secret for the master password it manages.
  if (r.config.manage_master_user_password === true) {
    lines.push(charge(r, ctx, { category: 'Secrets Manager', description: 'RDS-managed master user secret × 1', priceId: 'secretsmanager.secret', unit: 'month', quantity: 1 }));
  }
  const insights = r.config.performance_insights_retention_period;
  if (r.config.performance_insights_enabled === true && typeof insights === 'number' && insights > 7) {
    lines.push(unpriced(r, 'RDS', `Performance Insights, ${insights} days`, 'retention beyond the free 7 days has no row in the table'));
  }
  return lines;
};

function cacheLines(r: ResourceRef, ctx: PricingContext, engine: string, nodeType: string, nodes: number, detail: string): LineItem[] {
  const priceId = (type: string) => `elasticache.${engine}.${type}`;
  return [charge(r, ctx, { category: 'ElastiCache', description: `${engine} ${nodeType} × ${plural(nodes, 'node')}${detail}`, priceId: priceId(nodeType), unit: 'hour', quantity: hours(nodes), compute: { service: 'elasticache', type: nodeType, priceId, count: nodes } })];
}

const replicationGroup: Pricer = (r, ctx) => {
  const c = r.config;
  const shards = typeof c.num_node_groups === 'number' ? c.num_node_groups : 1;
  const perShard = typeof c.replicas_per_node_group === 'number' ? c.replicas_per_node_group + 1 : undefined;
  const nodes = typeof c.num_cache_clusters === 'number' ? c.num_cache_clusters : perShard !== undefined ? shards * perShard : 1;
  const detail = nodes > 1 ? ` (primary + ${nodes - 1} ${nodes - 1 === 1 ? 'replica' : 'replicas'}${c.multi_az_enabled === true ? ', Multi-AZ' : ''})` : '';
  return cacheLines(r, ctx, String(c.engine ?? 'redis'), String(c.node_type), nodes, detail);
};

const cacheCluster: Pricer = (r, ctx) => cacheLines(r, ctx, String(r.config.engine ?? 'redis'), String(r.config.node_type), typeof r.config.num_cache_nodes === 'number' ? r.config.num_cache_nodes : 1, '');

const kmsKey: Pricer = (r, ctx) => [
  charge(r, ctx, { category: 'KMS keys', description: `customer managed key × 1${r.config.enable_key_rotation === true ? ' (yearly rotation: each rotation adds $1/month)' : ''}`, priceId: 'kms.key', unit: 'month', quantity: 1 }),
];

const secret: Pricer = (r, ctx) => [charge(r, ctx, { category: 'Secrets Manager', description: 'secret × 1', priceId: 'secretsmanager.secret', unit: 'month', quantity: 1 })];

const DAYS_PER_MONTH = 365 / 12;

const logGroup: Pricer = (r, ctx) => {
  const name = String(r.config.name ?? r.name);
  const kind = logGroupKind(name);
  const key = `logs.gbPerMonth.${kind}` as AssumptionKey;
  const gb = ctx.assumptions[key];
  if (r.config.log_group_class && r.config.log_group_class !== 'STANDARD') {
    return [unpriced(r, 'CloudWatch Logs', `${name}: ${r.config.log_group_class} class`, `no ${r.config.log_group_class} log class price in the table`)];
  }
  const ingest = charge(r, ctx, { category: 'CloudWatch Logs', description: `${name}: ingestion ${gb} GB (${key})`, priceId: kind === 'flow' || kind === 'waf' ? 'logs.vended' : 'logs.ingest', unit: 'GB', quantity: gb, assumption: key });
  const retention = r.config.retention_in_days;
  if (typeof retention !== 'number' || retention <= 0) {
    return [ingest, unpriced(r, 'CloudWatch Logs', `${name}: storage`, `no retention: storage grows by ${gb} GB every month without end`)];
  }
  // Steady state after one retention period: the months kept times the monthly volume (uncompressed: an upper bound).
  const stored = gb * (retention / DAYS_PER_MONTH);
  return [ingest, charge(r, ctx, { category: 'CloudWatch Logs', description: `${name}: storage ${round(stored)} GB (${retention} days kept)`, priceId: 'logs.storage', unit: 'GB-month', quantity: stored, assumption: key })];
};

const flowLog: Pricer = (r) => {
  const destination = r.config.log_destination_type ?? 'cloud-watch-logs';
  if (destination === 'cloud-watch-logs') return [free(r, 'CloudWatch Logs', 'VPC flow log', 'its records are priced as the ingestion of its destination log group (vended logs)')];
  return [unpriced(r, 'CloudWatch Logs', `VPC flow log to ${destination}`, `vended log delivery to ${destination} has no row in the table`)];
};

const webAcl: Pricer = (r, ctx) => {
  const rules = literalList(r.config.rule)?.length ?? (typeof r.config.rule_json === 'string' ? (JSON.parse(r.config.rule_json) as unknown[]).length : 0);
  const requests = ctx.assumptions['waf.mRequestsPerMonth'];
  const scope = r.config.scope ?? 'REGIONAL';
  return [
    charge(r, ctx, { category: 'WAF', description: `web ACL ${r.config.name ?? r.name} (${scope}) × 1`, priceId: 'waf.acl', unit: 'month', quantity: 1 }),
    charge(r, ctx, { category: 'WAF', description: `${plural(rules, 'rule')} (a managed group counts as 1)`, priceId: 'waf.rule', unit: 'month', quantity: rules }),
    charge(r, ctx, { category: 'WAF', description: `${requests} M requests inspected`, priceId: 'waf.requests', unit: '1M requests', quantity: requests, assumption: 'waf.mRequestsPerMonth' }),
  ];
};

const distribution: Pricer = (r, ctx) => {
  const gb = ctx.assumptions['cloudfront.gbPerMonth'];
  const requests = ctx.assumptions['cloudfront.mRequestsPerMonth'];
  return [
    charge(r, ctx, { category: 'CloudFront', description: `data out ${gb} GB (${r.config.price_class ?? 'PriceClass_All'}, Korea rate)`, priceId: 'cloudfront.out.korea', unit: 'GB', quantity: gb, assumption: 'cloudfront.gbPerMonth' }),
    charge(r, ctx, { category: 'CloudFront', description: `${requests} M HTTPS requests`, priceId: 'cloudfront.https', unit: '10k requests', quantity: requests * 100, assumption: 'cloudfront.mRequestsPerMonth' }),
  ];
};

const bucket: Pricer = (r, ctx) => {
  const gb = ctx.assumptions['s3.gbPerBucket'];
  return [charge(r, ctx, { category: 'S3', description: `bucket ${r.config.bucket ?? r.config.bucket_prefix ?? r.name}: ${gb} GB Standard`, priceId: 's3.standard', unit: 'GB-month', quantity: gb, assumption: 's3.gbPerBucket' })];
};

const hostedZone: Pricer = (r, ctx) => [charge(r, ctx, { category: 'Route 53', description: `hosted zone ${r.config.name ?? r.name} × 1`, priceId: 'route53.zone', unit: 'month', quantity: 1 })];

const ecrRepository: Pricer = (r, ctx) => {
  const gb = ctx.assumptions['ecr.gbPerRepository'];
  return [charge(r, ctx, { category: 'ECR', description: `repository ${r.config.name ?? r.name}: ${gb} GB`, priceId: 'ecr.storage', unit: 'GB-month', quantity: gb, assumption: 'ecr.gbPerRepository' })];
};

const ssmParameter: Pricer = (r) => {
  const tier = r.config.tier ?? 'Standard';
  if (tier === 'Standard') return [free(r, 'Other', `SSM parameter ${r.config.name ?? r.name}`, 'Standard-tier parameters have no charge')];
  return [unpriced(r, 'Other', `SSM parameter ${r.config.name ?? r.name} (${tier})`, `no ${tier}-tier parameter price in the table`)];
};

/**
 * A CloudWatch alarm is billed per alarm metric a month: one for a metric alarm, one per metric of a metric
 * math expression, and (Metrics Insights) one per metric the query reads; an alarm with a 10-second period
 * is high resolution, whose price is not in the table.
 */
const metricAlarm: Pricer = (r, ctx) => {
  const queries = literalList(r.config.metric_query) as Record<string, any>[] | undefined;
  const metrics = queries ? queries.filter((q) => q.metric !== undefined).length : 1;
  const insights = (queries ?? []).some((q) => typeof q.expression === 'string' && /^\s*SELECT\b/i.test(q.expression));
  const periods = queries ? queries.map((q) => block(q.metric)?.period ?? q.period) : [r.config.period];
  const name = typeof r.config.alarm_name === 'string' ? r.config.alarm_name : r.name;
  if (periods.some((p) => typeof p === 'number' && p < 60)) return [unpriced(r, 'CloudWatch alarms', `alarm ${name}`, 'high-resolution alarm (period under 60 s): no price row')];
  const count = Math.max(metrics, 1);
  const what = insights ? ' (Metrics Insights: priced as the one metric it usually reads)' : count > 1 ? ` (metric math over ${count} metrics)` : '';
  return [charge(r, ctx, { category: 'CloudWatch alarms', description: `alarm ${name}${what}`, priceId: 'cloudwatch.alarm', unit: 'month', quantity: count })];
};

/** The registry: resource type → pricer. */
export const PRICERS: Readonly<Record<string, Pricer>> = {
  aws_autoscaling_group: autoscalingGroup,
  aws_cloudfront_distribution: distribution,
  aws_cloudwatch_log_group: logGroup,
  aws_cloudwatch_metric_alarm: metricAlarm,
  aws_db_instance: dbInstance,
  aws_ecr_repository: ecrRepository,
  aws_eip: eip,
  aws_eks_cluster: eksCluster,
  aws_eks_node_group: eksNodeGroup,
  aws_elasticache_cluster: cacheCluster,
  aws_elasticache_replication_group: replicationGroup,
  aws_flow_log: flowLog,
  aws_instance: instance,
  aws_kms_key: kmsKey,
  aws_lb: loadBalancer,
  aws_nat_gateway: natGateway,
  aws_route53_zone: hostedZone,
  aws_s3_bucket: bucket,
  aws_secretsmanager_secret: secret,
  aws_ssm_parameter: ssmParameter,
  aws_vpc_endpoint: vpcEndpoint,
  aws_wafv2_web_acl: webAcl,
};

export function round(n: number): number {
  return Math.round(n * 100) / 100;
}
