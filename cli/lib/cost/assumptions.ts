/**
 * The usage volumes and discounts the report assumes: settings of the report (not of the platform),
 * printed with every report and changed with `--assume key=value`. Volumes are per environment and
 * month unless the description says otherwise; they are deliberately small, round baselines.
 */

export interface AssumptionSpec {
  readonly description: string;
  readonly default: number;
  /** Largest allowed value (fractions are at most 1). */
  readonly max?: number;
  /** Where a discount comes from, and how sure it is. */
  readonly source?: string;
}

export const HOURS_PER_MONTH = 730;

export const ASSUMPTIONS = {
  'nat.gbPerMonth': { description: 'GB a month through the NAT gateways of an environment (split evenly between them)', default: 100 },
  'endpoint.gbPerMonth': { description: 'GB a month through each interface VPC endpoint', default: 10 },
  'alb.lcu': { description: 'average LCUs of each ALB over the month', default: 1 },
  'cloudfront.gbPerMonth': { description: 'GB a month out of each CloudFront distribution (before the account-wide free tier of 1 TB)', default: 50 },
  'cloudfront.mRequestsPerMonth': { description: 'million HTTPS requests a month to each distribution (before the free tier of 10 M)', default: 5 },
  'waf.mRequestsPerMonth': { description: 'million requests a month inspected by each web ACL', default: 5 },
  's3.gbPerBucket': { description: 'GB stored in each S3 bucket (Standard class, noncurrent versions included)', default: 1 },
  'ecr.gbPerRepository': { description: 'GB stored in each ECR repository (the images its lifecycle policy keeps)', default: 2 },
  'logs.gbPerMonth.flow': { description: 'GB a month ingested into each VPC flow log group', default: 10 },
  'logs.gbPerMonth.eks': { description: 'GB a month ingested into each EKS control plane log group', default: 5 },
  'logs.gbPerMonth.rds': { description: 'GB a month ingested into each RDS log export group', default: 0.5 },
  'logs.gbPerMonth.elasticache': { description: 'GB a month ingested into each ElastiCache log group', default: 0.1 },
  'logs.gbPerMonth.waf': { description: 'GB a month ingested into each WAF log group', default: 1 },
  'logs.gbPerMonth.containers': { description: 'GB a month ingested into each container log group', default: 10 },
  'logs.gbPerMonth.other': { description: 'GB a month ingested into any other log group', default: 1 },
  'savingsPlan.discount': {
    description: 'discount of a 1-year, no-upfront Compute Savings Plan on EC2 node hours',
    default: 0.3,
    max: 1,
    source:
      'LOW: third-party "~30-45 % (1yr)" (yobitel.com/knowledge-base/savings-plans); AWS states "up to 66%" for 3-year plans (aws.amazon.com/savingsplans). Check Cost Explorer\'s recommendation for the real rate.',
  },
  'spot.discount': {
    description: 'discount of Spot on the node hours moved to Spot',
    default: 0.6,
    max: 1,
    source: 'LOW: AWS states "up to 90%" (aws.amazon.com/ec2/spot/pricing); third-party "60-90%" (factualminds.com). Spot prices move; check the Spot Instance Advisor for the types in ap-northeast-2.',
  },
  'spot.share': { description: 'share of node capacity that is stateless and can run on Spot (the services; controllers and Argo CD stay on demand)', default: 0.5, max: 1 },
} as const satisfies Record<string, AssumptionSpec>;

export type AssumptionKey = keyof typeof ASSUMPTIONS;
export type Assumptions = Readonly<Record<AssumptionKey, number>>;

export const ASSUMPTION_KEYS = Object.keys(ASSUMPTIONS).sort() as AssumptionKey[];

export function defaultAssumptions(): Assumptions {
  return Object.fromEntries(ASSUMPTION_KEYS.map((key) => [key, ASSUMPTIONS[key].default])) as Assumptions;
}

/** Kinds of log groups with their own volume, recognised by name. */
export function logGroupKind(name: string): 'flow' | 'eks' | 'rds' | 'elasticache' | 'waf' | 'containers' | 'other' {
  if (name.startsWith('aws-waf-logs-')) return 'waf';
  if (name.startsWith('/aws/vpc/') || /flow-?logs?/.test(name)) return 'flow';
  // Container Insights, or the observability stack's Fluent Bit group `/aws/eks/<cluster>/containers`.
  if (name.startsWith('/aws/containerinsights/') || /^\/aws\/eks\/[^/]+\/containers$/.test(name)) return 'containers';
  if (name.startsWith('/aws/eks/')) return 'eks';
  if (name.startsWith('/aws/rds/')) return 'rds';
  if (name.startsWith('/aws/elasticache/')) return 'elasticache';
  return 'other';
}

/** Applies `key=value` overrides; returns problems (naming the key and what is allowed) instead of throwing. */
export function applyOverrides(base: Assumptions, overrides: readonly string[]): { assumptions: Assumptions; problems: string[] } {
  const result: Record<string, number> = { ...base };
  const problems: string[] = [];
  for (const override of overrides) {
    const match = /^([^=]+)=(.*)$/.exec(override);
    if (!match) {
      problems.push(`--assume ${JSON.stringify(override)}: expected key=value`);
      continue;
    }
    const [, key, text] = match;
    const spec = (ASSUMPTIONS as Record<string, AssumptionSpec>)[key];
    if (!spec) {
      problems.push(`--assume ${key}: unknown key; allowed: ${ASSUMPTION_KEYS.join(', ')}`);
      continue;
    }
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value < 0 || (spec.max !== undefined && value > spec.max)) {
      problems.push(`--assume ${key}: got ${JSON.stringify(text)}, expected a number from 0${spec.max !== undefined ? ` to ${spec.max}` : ''}`);
      continue;
    }
    result[key] = value;
  }
  return { assumptions: result as Assumptions, problems };
}
