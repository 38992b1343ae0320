/**
 * Builds the cost report from synthesized stacks, the rendered gitops overlays, the price table and the
 * usage assumptions. Pure: the `cost` command does the synth and the render; tests pass fixtures.
 */
import { ASSUMPTION_KEYS, ASSUMPTIONS, AssumptionSpec, Assumptions, HOURS_PER_MONTH } from './assumptions';
import { FREE_RESOURCE_TYPES } from './free';
import { Lever, leversOf } from './levers';
import { CATEGORIES, Category, LineItem, Totals, totalsOf } from './model';
import { PRICERS, PricingContext, ResourceRef, albLines, unpriced } from './pricers';
import { PriceTable } from './prices';
import { SEED_ESTIMATES, SEED_SOURCE, SeedLine } from './seed';
import { AlbGroup, KubeObject, albGroups } from '../gitops-render';
import { SynthesizedStack, isAccountWide } from '../synth-app';
import { block, regionOf, resolveReference, resourcesOf } from '../terraform-json';

export interface EnvironmentInput {
  readonly env: string;
  /** Every stack of the environment's app, account-wide ones included. */
  readonly stacks: readonly SynthesizedStack[];
  /** The rendered `gitops/overlays/<env>`, or why it could not be rendered. */
  readonly gitops: { readonly objects: readonly KubeObject[] } | { readonly error: string };
  /** AZs of the environment's settings: used when no subnet is tagged for load balancers. */
  readonly availabilityZones: number;
}

export interface ReportInput {
  readonly environments: readonly EnvironmentInput[];
  readonly prices: PriceTable;
  readonly assumptions: Assumptions;
}

export interface StackTotal {
  readonly stack: string;
  readonly totals: Totals;
}

export interface ScopeReport {
  /** Environment name, or `account`. */
  readonly scope: string;
  readonly items: readonly LineItem[];
  readonly stacks: readonly StackTotal[];
  readonly totals: Totals;
  /** Resources of declared-free types, counted by type. */
  readonly freeResources: Readonly<Record<string, number>>;
}

export interface SeedComparison {
  readonly source: string;
  readonly total: number;
  readonly lines: ReadonlyArray<{ readonly item: string; readonly seed: number; readonly ours: number; readonly oursUnpriced: number; readonly note?: string }>;
  /** Categories the platform pays for that no seed line covers. */
  readonly leftOut: ReadonlyArray<{ readonly category: Category; readonly ours: number; readonly oursUnpriced: number }>;
}

export interface EnvironmentReport extends ScopeReport {
  readonly seed?: SeedComparison;
  readonly levers: readonly Lever[];
  readonly albs: readonly AlbGroup[];
}

export interface UnpricedEntry {
  readonly scope: string;
  readonly stack: string;
  readonly resourceType: string;
  readonly source: string;
  readonly description: string;
  readonly reason: string;
}

export interface CostReport {
  readonly region: string;
  readonly priceTable: string;
  readonly hoursPerMonth: number;
  readonly assumptions: ReadonlyArray<{ readonly key: string; readonly value: number; readonly description: string; readonly source?: string }>;
  readonly environments: readonly EnvironmentReport[];
  /** Account-wide stacks (registry, dns, bootstrap), counted once. */
  readonly account?: ScopeReport;
  readonly total: Totals;
  /** Every unpriced line, in report order: the totals leave these out. */
  readonly unpriced: readonly UnpricedEntry[];
  /** Resource types with neither a pricer nor a free declaration. */
  readonly unknownTypes: readonly string[];
  readonly warnings: readonly string[];
}

export const NO_PRICER = 'no pricer for this resource type and not declared free (cli/lib/cost/pricers.ts, cli/lib/cost/free.ts)';

/** Prices every resource of `stacks` (one scope). */
function priceStacks(stacks: readonly SynthesizedStack[], prices: PriceTable, assumptions: Assumptions, availabilityZones: number): { items: LineItem[]; free: Record<string, number> } {
  const all = stacks.flatMap((stack) => resourcesOf(stack.json).map((resource) => ({ stack, resource })));
  const count = (type: string) => all.filter((e) => e.resource.type === type).length;
  const items: LineItem[] = [];
  const free: Record<string, number> = {};
  for (const { stack, resource } of all) {
    const ref: ResourceRef = {
      stack: stack.id,
      type: resource.type,
      name: resource.name,
      config: resource.config,
      source: `${resource.type}.${resource.path}`,
      region: regionOf(stack.json, resource.config) ?? prices.region,
    };
    const pricer = PRICERS[resource.type];
    if (!pricer && FREE_RESOURCE_TYPES[resource.type] !== undefined) {
      free[resource.type] = (free[resource.type] ?? 0) + 1;
      continue;
    }
    if (!pricer) {
      items.push(unpriced(ref, 'Other', resource.type, NO_PRICER));
      continue;
    }
    const ctx: PricingContext = { prices, assumptions, availabilityZones, count, resolve: (expression) => resolveReference(stack.json, expression)?.config };
    const multiplicity = resource.config.count;
    if (resource.config.for_each !== undefined || (multiplicity !== undefined && typeof multiplicity !== 'number')) {
      items.push(unpriced(ref, 'Other', resource.type, 'count/for_each is not literal: the number of instances is known only at plan time'));
      continue;
    }
    const lines = pricer(ref, ctx);
    items.push(...(typeof multiplicity === 'number' ? lines.map((l) => scale(l, multiplicity)) : lines));
  }
  // Stack order, then category order (stable: resources keep their order inside a category).
  const stackIndex = (item: LineItem) => stacks.findIndex((s) => s.id === item.stack);
  items.sort((a, b) => stackIndex(a) - stackIndex(b) || CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category));
  return { items, free };
}

function scale(item: LineItem, times: number): LineItem {
  return {
    ...item,
    description: `${item.description} (count ${times})`,
    quantity: item.quantity * times,
    range: item.range && { min: item.range.min * times, max: item.range.max * times },
    monthly: item.monthly === null ? null : item.monthly * times,
  };
}

/** Subnets the AWS Load Balancer Controller would put an internet-facing ALB in (one per AZ). */
function loadBalancerAzs(stacks: readonly SynthesizedStack[], fallback: number): number {
  const tagged = stacks.flatMap((s) => resourcesOf(s.json)).filter((r) => r.type === 'aws_subnet' && block(r.config.tags)?.['kubernetes.io/role/elb'] !== undefined);
  return tagged.length > 0 ? tagged.length : fallback;
}

function gitopsItems(input: EnvironmentInput, envStacks: readonly SynthesizedStack[], prices: PriceTable, assumptions: Assumptions): { items: LineItem[]; albs: AlbGroup[] } {
  const folder = `gitops/overlays/${input.env}`;
  const base = { stack: 'gitops', type: 'Ingress', region: prices.region };
  if ('error' in input.gitops) {
    return { items: [unpriced({ ...base, source: folder }, 'Load balancers', 'ALBs of the Ingresses', `cannot render ${folder}: ${input.gitops.error}`)], albs: [] };
  }
  const albs = albGroups(input.gitops.objects);
  const azs = loadBalancerAzs(envStacks, input.availabilityZones);
  const items = albs.flatMap((alb) => {
    const what = alb.key.startsWith('group:') ? `IngressGroup ${alb.key.slice(6)} (${alb.ingresses.join(', ')})` : `Ingress ${alb.ingresses[0]}`;
    return albLines({ ...base, source: `${folder}: ${alb.ingresses.join(', ')}` }, { prices, assumptions }, what, alb.scheme === 'internet-facing', azs);
  });
  return { items, albs };
}

function stackTotals(items: readonly LineItem[], stackOrder: readonly string[]): StackTotal[] {
  const ids = [...stackOrder, ...new Set(items.map((i) => i.stack).filter((s) => !stackOrder.includes(s)))];
  return ids.filter((id) => items.some((i) => i.stack === id)).map((stack) => ({ stack, totals: totalsOf(items.filter((i) => i.stack === stack)) }));
}

function byCategory(items: readonly LineItem[], categories: readonly Category[]): { ours: number; oursUnpriced: number } {
  const lines = items.filter((i) => categories.includes(i.category));
  return { ours: lines.reduce((sum, i) => sum + (i.monthly ?? 0), 0), oursUnpriced: lines.filter((i) => i.monthly === null).length };
}

function countOf(items: readonly LineItem[], line: SeedLine): number | undefined {
  const counted = items.filter((i) => i.compute && line.covers.includes(i.category));
  return counted.length ? counted.reduce((sum, i) => sum + (i.compute?.count ?? 0), 0) : undefined;
}

function compareWithSeed(env: string, items: readonly LineItem[]): SeedComparison | undefined {
  const seed = SEED_ESTIMATES[env];
  if (!seed) return undefined;
  const lines = seed.lines.map((line) => {
    const ours = countOf(items, line);
    const note = line.count !== undefined && ours !== undefined && ours !== line.count ? `the seed counts ${line.count}, the platform runs ${ours}` : undefined;
    return { item: line.item, seed: line.usd, ...byCategory(items, line.covers), note };
  });
  const covered = new Set(seed.lines.flatMap((l) => l.covers));
  const leftOut = CATEGORIES.filter((c) => !covered.has(c))
    .map((category) => ({ category, ...byCategory(items, [category]) }))
    .filter((c) => c.ours > 0 || c.oursUnpriced > 0);
  return { source: SEED_SOURCE, total: seed.total, lines, leftOut };
}

const sameJson = (a: SynthesizedStack, b: SynthesizedStack) => JSON.stringify(a.json) === JSON.stringify(b.json);

export function buildReport(input: ReportInput): CostReport {
  const { prices, assumptions } = input;
  const warnings: string[] = [];
  const environments: EnvironmentReport[] = [];
  let accountStacks: SynthesizedStack[] | undefined;
  for (const env of input.environments) {
    const account = env.stacks.filter(isAccountWide);
    if (!accountStacks) accountStacks = account;
    else {
      for (const stack of account) {
        const first = accountStacks.find((s) => s.id === stack.id);
        if (!first) accountStacks.push(stack);
        else if (!sameJson(first, stack)) warnings.push(`account-wide stack ${stack.id} differs between environments; priced as synthesized with ${input.environments[0].env}`);
      }
    }
    const envStacks = env.stacks.filter((s) => !isAccountWide(s));
    const priced = priceStacks(envStacks, prices, assumptions, env.availabilityZones);
    const gitops = gitopsItems(env, envStacks, prices, assumptions);
    const items = [...priced.items, ...gitops.items];
    environments.push({
      scope: env.env,
      items,
      stacks: stackTotals(items, envStacks.map((s) => s.id)),
      totals: totalsOf(items),
      freeResources: priced.free,
      seed: compareWithSeed(env.env, items),
      levers: leversOf(items, prices, assumptions),
      albs: gitops.albs,
    });
  }
  let account: ScopeReport | undefined;
  if (accountStacks && accountStacks.length > 0) {
    const sorted = [...accountStacks].sort((a, b) => a.id.localeCompare(b.id));
    const priced = priceStacks(sorted, prices, assumptions, 0);
    account = { scope: 'account', items: priced.items, stacks: stackTotals(priced.items, sorted.map((s) => s.id)), totals: totalsOf(priced.items), freeResources: priced.free };
  }
  const scopes: ScopeReport[] = [...environments, ...(account ? [account] : [])];
  const allItems = scopes.flatMap((s) => s.items);
  const unpricedEntries = scopes.flatMap((s) =>
    s.items.filter((i) => i.monthly === null).map((i) => ({ scope: s.scope, stack: i.stack, resourceType: i.resourceType, source: i.source, description: i.description, reason: i.unpriced ?? '' })),
  );
  return {
    region: prices.region,
    priceTable: prices.origin,
    hoursPerMonth: HOURS_PER_MONTH,
    assumptions: ASSUMPTION_KEYS.map((key) => ({ key, value: assumptions[key], description: ASSUMPTIONS[key].description, source: (ASSUMPTIONS[key] as AssumptionSpec).source })),
    environments,
    account,
    total: totalsOf(allItems),
    unpriced: unpricedEntries,
    unknownTypes: [...new Set(allItems.filter((i) => i.unpriced === NO_PRICER).map((i) => i.resourceType))].sort(),
    warnings,
  };
}
