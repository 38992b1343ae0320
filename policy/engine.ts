/**
 * Runs rules over the stacks of one scope (an environment, or the account-wide stacks) and applies the
 * scope's exceptions. One check is one (control, resource) pair; an exception turns a failed check into
 * an excepted one, and an exception that matches no failed check is stale, which is itself an error.
 */
import { PolicyException } from '../config/settings';
import { StackDocument } from './document';
import { AnyRule, CheckStatus, Element, PolicyScope, RuleResult, Verdict, isScopeRule } from './types';

export interface Check {
  readonly control: string;
  readonly stack: string;
  /** Terraform address, or the scope rule's subject (`account`). */
  readonly address: string;
  readonly constructPath?: string;
  /** A check of the scope as a whole (S3.1 on the account), not of one resource. */
  readonly scopeLevel?: boolean;
  readonly status: CheckStatus;
  /** Why it failed, was excepted, or does not apply. */
  readonly detail?: string;
  /** The exception that excepted it (its settings field, e.g. `prod.policy.exceptions[2]`), and its reason. */
  readonly exceptedBy?: string;
  readonly exceptionReason?: string;
}

/** An exception, with the settings field it came from, e.g. `prod.policy.exceptions[0]`. */
export interface DeclaredException extends PolicyException {
  readonly field: string;
}

export interface ExceptionProblem {
  readonly field: string;
  readonly exception: PolicyException;
  readonly message: string;
}

export interface ScopeReport {
  readonly scope: PolicyScope;
  readonly stacks: readonly string[];
  readonly checks: readonly Check[];
  /** Exceptions without a reason, for an unknown control, or stale. Each is an error. */
  readonly exceptionProblems: readonly ExceptionProblem[];
}

function toVerdict(result: RuleResult): Verdict {
  if (result === undefined) return { status: 'passed' };
  if (typeof result === 'string') return { status: 'failed', detail: result };
  return result;
}

function targets(rule: Exclude<AnyRule, { evaluateScope: unknown }>, element: Element): boolean {
  const key = element.kind === 'resource' ? element.type : element.kind === 'data' || element.kind === 'ephemeral' ? `${element.kind}.${element.type}` : `${element.kind}:${element.type}`;
  return rule.targets.includes('*') || rule.targets.includes(key);
}

/** `*` matches any run of characters; everything else is literal. */
function globMatches(pattern: string, value: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(value);
}

/** Does `exception` cover this check? `resource` matches `<stack>/<address>` or the construct path. */
export function exceptionCovers(exception: PolicyException, check: Pick<Check, 'control' | 'stack' | 'address' | 'constructPath'>): boolean {
  if (exception.control !== check.control) return false;
  if (exception.resource === undefined) return true;
  return globMatches(exception.resource, `${check.stack}/${check.address}`) || (check.constructPath !== undefined && globMatches(exception.resource, check.constructPath));
}

/** Evaluates every rule on every element of `docs` (the stacks of `scope`) and applies `exceptions`. */
export function evaluateScope(scope: PolicyScope, docs: readonly StackDocument[], rules: readonly AnyRule[], exceptions: readonly DeclaredException[]): ScopeReport {
  const raw: Check[] = [];
  for (const rule of rules) {
    const outOfScope = rule.appliesIn?.(scope);
    if (isScopeRule(rule)) {
      // Reported on the scope's first stack (where its annotation goes); out of scope, no check at all.
      if (!outOfScope) raw.push({ control: rule.control, stack: docs[0]?.stack ?? '', address: rule.subject, scopeLevel: true, ...toVerdict(rule.evaluateScope(docs, scope)) });
      continue;
    }
    for (const doc of docs) {
      for (const element of doc.elements.filter((e) => targets(rule, e))) {
        const verdict = outOfScope ? { status: 'not applicable' as const, detail: outOfScope } : toVerdict(rule.evaluate(element, { scope, doc }));
        raw.push({ control: rule.control, stack: doc.stack, address: element.address, constructPath: element.constructPath, ...verdict });
      }
    }
  }

  const known = new Set(rules.map((rule) => rule.control));
  const used = new Set<DeclaredException>();
  const problems: ExceptionProblem[] = [];
  const valid = exceptions.filter((exception) => {
    if (!known.has(exception.control)) {
      problems.push({ field: exception.field, exception, message: `names control ${JSON.stringify(exception.control)}, which no rule checks (known: ${[...known].join(', ')})` });
      return false;
    }
    if (exception.reason.trim() === '') {
      problems.push({ field: exception.field, exception, message: 'has no reason: say why the finding is accepted and which issue item removes it' });
      return false;
    }
    return true;
  });
  const checks = raw.map((check): Check => {
    if (check.status !== 'failed') return check;
    const exception = valid.find((candidate) => exceptionCovers(candidate, check));
    if (!exception) return check;
    used.add(exception);
    return { ...check, status: 'excepted', detail: `${check.detail} (excepted: ${exception.reason})`, exceptedBy: exception.field, exceptionReason: exception.reason };
  });
  for (const exception of valid.filter((candidate) => !used.has(candidate))) {
    const target = exception.resource === undefined ? 'any resource' : exception.resource;
    problems.push({ field: exception.field, exception, message: `is stale: ${exception.control} does not fail on ${target} in ${describeScope(scope)} (stacks ${docs.map((d) => d.stack).join(', ')}); remove it` });
  }
  return { scope, stacks: docs.map((d) => d.stack), checks, exceptionProblems: problems };
}

export function describeScope(scope: PolicyScope): string {
  return scope === 'account' ? 'the account-wide stacks' : `environment ${scope}`;
}

/** Counts of (control, resource) checks by status. */
export function tally(checks: readonly Check[]): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { passed: 0, failed: 0, excepted: 0, 'not applicable': 0 };
  for (const check of checks) counts[check.status] += 1;
  return counts;
}
