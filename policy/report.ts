/**
 * The policy report as text: one table per scope (control, status, resources), failures and exceptions
 * with their detail, then exception problems. Used by `npm run policy`.
 */
import { Check, ScopeReport, describeScope, tally } from './engine';
import { AnyRule, CheckStatus, isScopeRule } from './types';

const STATUS_ORDER: readonly CheckStatus[] = ['failed', 'excepted', 'passed', 'not applicable'];
/** Rows of passed / not applicable checks list their resources up to this many, then count them per stack. */
const LISTED = 3;

const where = (check: Check) => (check.scopeLevel ? check.address : `${check.stack}/${check.address}`);

function summarize(checks: readonly Check[]): string[] {
  if (checks.length <= LISTED) return checks.map(where);
  const perStack = new Map<string, number>();
  for (const check of checks) perStack.set(check.stack, (perStack.get(check.stack) ?? 0) + 1);
  return [`${checks.length} resources (${[...perStack].map(([stack, n]) => `${stack} ${n}`).join(', ')})`];
}

/** Excepted checks grouped by the exception that covers them: the resources, then the reason and its settings field. */
function exceptedLines(checks: readonly Check[]): string[] {
  const groups = new Map<string, Check[]>();
  for (const check of checks) groups.set(check.exceptedBy ?? '', [...(groups.get(check.exceptedBy ?? '') ?? []), check]);
  return [...groups].map(([field, group]) => `${summarize(group).join(', ')}: ${group[0].exceptionReason} [${field}]`);
}

function linesFor(status: CheckStatus, checks: readonly Check[]): string[] {
  if (status === 'failed') return checks.map((c) => `${where(c)}: ${c.detail}`);
  if (status === 'excepted') return exceptedLines(checks);
  return summarize(checks);
}

function targetsOf(rule: AnyRule): string {
  return isScopeRule(rule) ? rule.subject : rule.targets.join(', ');
}

/** The table of one scope, as lines. */
export function formatScope(report: ScopeReport, rules: readonly AnyRule[]): string[] {
  const rows: [string, string, string][] = [];
  for (const rule of rules) {
    const checks = report.checks.filter((c) => c.control === rule.control);
    if (checks.length === 0) {
      rows.push([rule.control, 'not applicable', rule.appliesIn?.(report.scope) ?? `no ${targetsOf(rule)} in these stacks`]);
      continue;
    }
    for (const status of STATUS_ORDER) {
      const these = checks.filter((c) => c.status === status);
      if (these.length === 0) continue;
      const lines = linesFor(status, these);
      lines.forEach((line, i) => rows.push(i === 0 ? [rule.control, status, line] : ['', '', line]));
    }
  }
  const width = (i: 0 | 1) => Math.max(...rows.map((r) => r[i].length), i === 0 ? 'control'.length : 'status'.length) + 2;
  const [c, s] = [width(0), width(1)];
  const counts = tally(report.checks);
  return [
    `${describeScope(report.scope)}: stacks ${report.stacks.join(', ')} (${counts.passed} passed, ${counts.failed} failed, ${counts.excepted} excepted, ${counts['not applicable']} not applicable)`,
    `${'control'.padEnd(c)}${'status'.padEnd(s)}resources`,
    ...rows.map(([control, status, resources]) => `${control.padEnd(c)}${status.padEnd(s)}${resources}`.trimEnd()),
    ...(report.exceptionProblems.length > 0 ? ['', 'exception problems (each fails synth):', ...report.exceptionProblems.map((p) => `  ${p.field} (${p.exception.control}${p.exception.resource ? ` on ${p.exception.resource}` : ''}) ${p.message}`)] : []),
  ];
}
