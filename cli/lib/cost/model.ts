/** The shapes of a cost report: line items, the resources they come from, and what they are grouped by. */
import { Confidence } from './prices';

/** What a line is for; the report and the seed comparison group by these. Display order. */
export const CATEGORIES = [
  'EKS control plane',
  'EC2 nodes',
  'EC2 instances',
  'EBS volumes',
  'NAT gateways',
  'Public IPv4',
  'VPC endpoints',
  'Load balancers',
  'RDS',
  'ElastiCache',
  'CloudFront',
  'S3',
  'KMS keys',
  'Secrets Manager',
  'CloudWatch Logs',
  'CloudWatch alarms',
  'WAF',
  'Route 53',
  'ECR',
  'Other',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Compute whose instance type a lever may change (Graviton, Savings Plans, Spot). */
export interface ComputeFacts {
  readonly service: 'ec2' | 'rds' | 'elasticache';
  /** Instance, DB or node type, e.g. `t3.large`, `db.t3.large`, `cache.r6g.large`. */
  readonly type: string;
  /** Price-id parts after the type: `single-az`/`multi-az` for RDS; the engine for ElastiCache is before it. */
  readonly priceId: (type: string) => string;
  /** Instances, nodes or DB instances counted at the desired size. */
  readonly count: number;
  /** EC2 capacity of a managed node group (Spot and Savings Plans levers). */
  readonly nodeGroup?: boolean;
}

export interface LineItem {
  /** Stack ID, or `gitops` for load balancers built from the Ingresses. */
  readonly stack: string;
  readonly category: Category;
  /** Where it comes from: `type.construct/path` of a resource, or the gitops object. */
  readonly source: string;
  readonly resourceType: string;
  /** What is charged, in words, with the counts. */
  readonly description: string;
  /** Quantity a month in the price's unit (hours for hourly prices) at the desired size. */
  readonly quantity: number;
  /** For node groups: the quantity at the minimum and maximum size. */
  readonly range?: { readonly min: number; readonly max: number };
  readonly price?: { readonly id: string; readonly usd: number; readonly unit: string; readonly confidence?: Confidence; readonly source: string; readonly asOf: string; readonly note: string };
  /** USD a month at the desired size; null when unpriced. */
  readonly monthly: number | null;
  /** Why there is no price (never a zero standing in for one). */
  readonly unpriced?: string;
  /** Why this costs nothing (a known free variant, e.g. an S3 gateway endpoint). */
  readonly free?: string;
  /** Which usage assumption the quantity rests on, if any. */
  readonly assumption?: string;
  readonly compute?: ComputeFacts;
  /** An interface endpoint's hourly line (the fewer-endpoints lever). */
  readonly interfaceEndpoint?: { readonly service: string; readonly azs: number };
}

/** USD a month of a line at one of the three node-group sizes. */
export function monthlyAt(item: LineItem, size: 'min' | 'desired' | 'max'): number | null {
  if (item.monthly === null) return null;
  if (size === 'desired' || !item.range || !item.price) return item.monthly;
  return item.price.usd * item.range[size];
}

export interface Totals {
  /** Sum of the priced lines. */
  readonly priced: { readonly min: number; readonly desired: number; readonly max: number };
  /** Lines without a price: the total is a lower bound when this is above 0. */
  readonly unpricedLines: number;
}

export function totalsOf(items: readonly LineItem[]): Totals {
  const sum = (size: 'min' | 'desired' | 'max') => items.reduce((total, item) => total + (monthlyAt(item, size) ?? 0), 0);
  return { priced: { min: sum('min'), desired: sum('desired'), max: sum('max') }, unpricedLines: items.filter((i) => i.monthly === null).length };
}
