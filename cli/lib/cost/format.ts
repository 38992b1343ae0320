/** Text rendering of a cost report: one table per environment and stack, then the account, totals, levers. */
import { LineItem, Totals } from './model';
import { CostReport, EnvironmentReport, ScopeReport } from './report';

export function money(n: number): string {
  return `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function quantity(item: LineItem): string {
  if (!item.price) return '';
  const q = Number.isInteger(item.quantity) ? item.quantity.toLocaleString('en-US') : item.quantity.toLocaleString('en-US', { maximumFractionDigits: 2 });
  return `${q} ${item.price.unit}`;
}

function rate(item: LineItem): string {
  if (item.free !== undefined) return 'free';
  if (!item.price) return 'UNPRICED';
  return `$${item.price.usd}/${item.price.unit}${item.price.confidence === 'LOW' ? ' LOW' : ''}`;
}

function monthly(item: LineItem): string {
  if (item.monthly === null) return '—';
  const base = money(item.monthly);
  if (!item.range || !item.price) return base;
  return `${base} (min ${money(item.price.usd * item.range.min)} · max ${money(item.price.usd * item.range.max)})`;
}

function table(rows: readonly (readonly string[])[], rightAligned: readonly number[] = []): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (rightAligned.includes(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd());
}

export function totalText(t: Totals): string {
  const range = t.priced.min !== t.priced.desired || t.priced.max !== t.priced.desired ? ` (node groups at min ${money(t.priced.min)} · at max ${money(t.priced.max)})` : '';
  const unpriced = t.unpricedLines > 0 ? ` + ${t.unpricedLines} unpriced line${t.unpricedLines === 1 ? '' : 's'} (a lower bound)` : '';
  return `${money(t.priced.desired)}${range}${unpriced}`;
}

function scopeLines(scope: ScopeReport): string[] {
  const rows = [['stack', 'category', 'item', 'quantity', 'rate', 'monthly'], ...scope.items.map((i) => [i.stack, i.category, i.description, quantity(i), rate(i), monthly(i)])];
  const out = table(rows, [3]);
  out.push('', 'per stack:');
  out.push(...table(scope.stacks.map((s) => [`  ${s.stack}`, totalText(s.totals)])));
  out.push(`total ${scope.scope}: ${totalText(scope.totals)}`);
  const free = Object.entries(scope.freeResources).sort(([a], [b]) => a.localeCompare(b));
  if (free.length > 0) out.push(`free (declared in cli/lib/cost/free.ts): ${free.map(([type, n]) => `${type} ×${n}`).join(', ')}`);
  return out;
}

function seedLines(env: EnvironmentReport): string[] {
  const seed = env.seed;
  if (!seed) return [];
  const ours = (value: number, unpricedLines: number) => (unpricedLines > 0 ? `${money(value)} + ${unpricedLines} UNPRICED` : money(value));
  const out = [``, `seed estimate: ~${money(seed.total).replace(/\.00$/, '')} a month (${seed.source}); ours ${totalText(env.totals)}`];
  out.push(...table([['  seed line', 'seed', 'ours', ''], ...seed.lines.map((l) => [`  ${l.item}`, `~$${l.seed}`, ours(l.ours, l.oursUnpriced), l.note ?? ''])]));
  if (seed.leftOut.length > 0) {
    out.push('  left out by the seed:');
    out.push(...table(seed.leftOut.map((c) => [`    ${c.category}`, ours(c.ours, c.oursUnpriced)])));
  }
  return out;
}

function leverLines(env: EnvironmentReport): string[] {
  if (env.levers.length === 0) return [];
  const value = (n: number | null) => (n === null ? '—' : money(n));
  const rows = [['  lever', 'change', 'now', 'then', 'saving a month'], ...env.levers.map((l) => [`  ${l.lever}`, l.description, value(l.current), value(l.alternative), value(l.saving)])];
  const notes = env.levers.map((l, i) => `    [${i + 1}] ${l.note}`);
  return ['', 'levers (defaults unchanged):', ...table(rows, [2, 3, 4]).map((line, i) => (i === 0 ? line : `${line}  [${i}]`)), ...notes];
}

export function formatReport(report: CostReport): string {
  const out: string[] = [
    `Tiketi monthly cost: ${report.region}, on-demand prices from ${report.priceTable}, ${report.hoursPerMonth} hours a month.`,
    'Node groups at their desired size (min and max beside). LOW marks a low-confidence price; UNPRICED lines have no sourced price and are left out of every total.',
  ];
  for (const env of report.environments) {
    out.push('', `== ${env.scope} ==`, ...scopeLines(env), ...seedLines(env), ...leverLines(env));
  }
  if (report.account) out.push('', '== account (account-wide stacks, counted once) ==', ...scopeLines(report.account));
  out.push('', `== total ==`);
  out.push(...table([...report.environments, ...(report.account ? [report.account] : [])].map((s) => [`  ${s.scope}`, totalText(s.totals)])));
  out.push(`  all: ${totalText(report.total)}`);
  out.push('', `UNPRICED (${report.unpriced.length} line${report.unpriced.length === 1 ? '' : 's'}, left out of the totals):`);
  if (report.unpriced.length === 0) out.push('  none');
  for (const u of report.unpriced) out.push(`  ${u.scope}/${u.stack} ${u.source}: ${u.description}: ${u.reason}`);
  if (report.unknownTypes.length > 0) out.push(`resource types with no pricer and not declared free: ${report.unknownTypes.join(', ')}`);
  out.push('', 'assumptions (change with --assume key=value):');
  for (const a of report.assumptions) out.push(`  ${a.key}=${a.value}: ${a.description}${a.source ? ` [${a.source}]` : ''}`);
  for (const w of report.warnings) out.push(`WARNING: ${w}`);
  return out.join('\n');
}

/** The one-line summary printed last. */
export function summaryOf(report: CostReport): string {
  const scopes = [...report.environments, ...(report.account ? [report.account] : [])].map((s) => `${s.scope} ${money(s.totals.priced.desired)}`);
  const unpriced = report.unpriced.length > 0 ? ` (${report.unpriced.length} unpriced line${report.unpriced.length === 1 ? '' : 's'} left out)` : '';
  return `cost: ${scopes.join(', ')}; total ${money(report.total.priced.desired)} a month${unpriced}`;
}
