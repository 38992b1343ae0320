/**
 * Levers: what a change would save a month, computed on the same lines and prices as the report,
 * without changing any default. A lever whose current or alternative price is missing says so instead
 * of showing a saving.
 */
import { Assumptions, ASSUMPTIONS } from './assumptions';
import { LineItem } from './model';
import { PriceTable } from './prices';

export interface Lever {
  readonly lever: 'Graviton' | 'Savings Plan' | 'Spot' | 'Fewer interface endpoints';
  readonly description: string;
  /** USD a month today, of the lines the lever touches. */
  readonly current: number | null;
  /** USD a month with the lever pulled. */
  readonly alternative: number | null;
  readonly saving: number | null;
  readonly note: string;
}

/** Graviton counterparts, same size: burstable t3 → t4g, general purpose → m7g, memory → r7g. */
const GRAVITON: ReadonlyArray<readonly [RegExp, string]> = [
  [/^t3a?\.(\w+)$/, 't4g.$1'],
  [/^(?:m5|m5a|m6i|m6a)\.(\w+)$/, 'm7g.$1'],
  [/^(?:c5|c5a|c6i|c6a)\.(\w+)$/, 'c7g.$1'],
  [/^(?:r5|r5a|r6i|r6a)\.(\w+)$/, 'r7g.$1'],
  [/^db\.t3\.(\w+)$/, 'db.t4g.$1'],
  [/^db\.(?:m5|m6i)\.(\w+)$/, 'db.m7g.$1'],
  [/^db\.(?:r5|r6i)\.(\w+)$/, 'db.r7g.$1'],
  [/^cache\.t3\.(\w+)$/, 'cache.t4g.$1'],
  [/^cache\.(?:m5|m6g)\.(\w+)$/, 'cache.m7g.$1'],
  [/^cache\.(?:r5|r6g)\.(\w+)$/, 'cache.r7g.$1'],
];

export function gravitonOf(type: string): string | undefined {
  for (const [pattern, replacement] of GRAVITON) if (pattern.test(type)) return type.replace(pattern, replacement);
  return undefined;
}

const money = (n: number) => `$${n.toFixed(2)}`;

export function leversOf(items: readonly LineItem[], prices: PriceTable, assumptions: Assumptions): Lever[] {
  return [...graviton(items, prices), ...savingsPlan(items, assumptions), ...spot(items, assumptions), ...endpoints(items, prices)];
}

function graviton(items: readonly LineItem[], prices: PriceTable): Lever[] {
  return items.flatMap((item): Lever[] => {
    const compute = item.compute;
    if (!compute) return [];
    const target = gravitonOf(compute.type);
    if (!target) return [];
    const found = prices.lookup(compute.priceId(target));
    const alternative = found.ok ? found.usd * item.quantity : null;
    const saving = item.monthly !== null && alternative !== null ? item.monthly - alternative : null;
    const missing = [item.monthly === null ? `current ${compute.type}: ${item.unpriced}` : '', found.ok ? '' : `${target}: ${found.reason}`].filter(Boolean);
    const arm = compute.service === 'ec2' ? 'arm64 AMI type (AL2023_ARM_64_STANDARD) and multi-arch images; ' : '';
    return [
      {
        lever: 'Graviton',
        description: `${item.stack}: ${compute.type} → ${target} (${item.description})`,
        current: item.monthly,
        alternative,
        saving,
        note: missing.length > 0 ? `saving not computable: ${missing.join('; ')}` : `${arm}${found.ok && found.row.confidence === 'LOW' ? `${target} price is LOW confidence` : 'same size'}`,
      },
    ];
  });
}

function ec2Compute(items: readonly LineItem[], nodeGroupsOnly: boolean): { total: number; unpriced: number } {
  const lines = items.filter((i) => i.compute?.service === 'ec2' && (!nodeGroupsOnly || i.compute.nodeGroup));
  return { total: lines.reduce((sum, i) => sum + (i.monthly ?? 0), 0), unpriced: lines.filter((i) => i.monthly === null).length };
}

function savingsPlan(items: readonly LineItem[], assumptions: Assumptions): Lever[] {
  const { total, unpriced } = ec2Compute(items, false);
  if (total === 0 && unpriced === 0) return [];
  const discount = assumptions['savingsPlan.discount'];
  return [
    {
      lever: 'Savings Plan',
      description: `1-year Compute Savings Plan on the EC2 node hours (${Math.round(discount * 100)}% assumed)`,
      current: total,
      alternative: total * (1 - discount),
      saving: total * discount,
      note: `${ASSUMPTIONS['savingsPlan.discount'].source} Covers EC2 (and Fargate, Lambda), not RDS or ElastiCache (reserved nodes, not modelled).${unpriced ? ` ${unpriced} EC2 line(s) unpriced and left out.` : ''}`,
    },
  ];
}

function spot(items: readonly LineItem[], assumptions: Assumptions): Lever[] {
  const { total, unpriced } = ec2Compute(items, true);
  if (total === 0 && unpriced === 0) return [];
  const share = assumptions['spot.share'];
  const discount = assumptions['spot.discount'];
  const saving = total * share * discount;
  return [
    {
      lever: 'Spot',
      description: `${Math.round(share * 100)}% of node capacity (stateless services) on a Spot node group at ${Math.round(discount * 100)}% off`,
      current: total,
      alternative: total - saving,
      saving,
      note: `${ASSUMPTIONS['spot.discount'].source} Needs a second node group with several instance types, PDBs and a drain on interruption; stateful pods (dev's in-cluster databases) and controllers stay on demand.`,
    },
  ];
}

function endpoints(items: readonly LineItem[], prices: PriceTable): Lever[] {
  const hourly = items.filter((i) => i.interfaceEndpoint && i.monthly !== null);
  if (hourly.length === 0) return [];
  const each = hourly.map((i) => i.monthly as number);
  const total = each.reduce((a, b) => a + b, 0);
  const nat = prices.lookup('vpc.nat.gb');
  const endpoint = prices.lookup('vpc.endpoint.interface.gb');
  const extraPerGb = nat.ok && endpoint.ok ? nat.usd - endpoint.usd : undefined;
  const perEndpoint = each[0];
  const breakEven = extraPerGb && extraPerGb > 0 ? `; removing one pays off only below ~${Math.round(perEndpoint / extraPerGb)} GB/month of its traffic (NAT costs $${extraPerGb.toFixed(3)}/GB more than the endpoint)` : '';
  const services = hourly.map((i) => i.interfaceEndpoint?.service).join(', ');
  return [
    {
      lever: 'Fewer interface endpoints',
      description: `${hourly[0].stack}: ${hourly.length} interface endpoints (${services}), ${money(perEndpoint)} each`,
      current: total,
      alternative: 0,
      saving: total,
      note: `saving if all are removed and their traffic goes through NAT instead${breakEven}. ECR layers already come through the free S3 gateway endpoint.`,
    },
  ];
}
