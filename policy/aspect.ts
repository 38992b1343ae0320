/**
 * The policy as a CDKTF Aspect: when a stack is synthesized, every rule runs over every stack of the
 * app (once, cached), and each failed check, invalid or stale exception becomes an ERROR annotation on
 * the construct that caused it, so `cdktf synth` (and `app.synth()` in tests) fails.
 *
 * cdktf 0.21 invokes aspects per stack, starting at the stack: an aspect added with
 * `Aspects.of(app)` is never called. `enforcePolicy` therefore adds one aspect to every stack, and an
 * app validation fails synth if a stack created after the call is not covered.
 */
import { App, Annotations, Aspects, IAspect, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { PolicySettings } from '../config/settings';
import { StackDocument, stackDocuments } from './document';
import { Check, DeclaredException, ExceptionProblem, ScopeReport, describeScope, evaluateScope } from './engine';
import { ALL_RULES } from './rules';
import { AnyRule, PolicyScope } from './types';

export interface PolicyScopeSettings {
  readonly scope: PolicyScope;
  readonly stacks: readonly TerraformStack[];
  readonly policy: PolicySettings;
  /** Settings path of `policy`, for messages: `prod.policy`, `registry.policy`. */
  readonly field: string;
}

export interface PolicyReport {
  readonly scopes: readonly ScopeReport[];
}

/** The fix hint of a control, for messages. */
function fixOf(rules: readonly AnyRule[], control: string): string {
  return rules.find((rule) => rule.control === control)?.fix ?? '';
}

function titleOf(rules: readonly AnyRule[], control: string): string {
  return rules.find((rule) => rule.control === control)?.title ?? control;
}

/** The message of a failed check: stack, resource (address and construct path), control, rule, fix. */
export function failureMessage(check: Check, scope: ScopeSettingsLike, rules: readonly AnyRule[] = ALL_RULES): string {
  const where = check.constructPath ? `${check.address} (${check.constructPath})` : check.address;
  return (
    `[policy ${check.control}] stack "${check.stack}" (${describeScope(scope.scope)}), ${where}: ${titleOf(rules, check.control)}: ${check.detail}. ` +
    `Fix: ${fixOf(rules, check.control)}; or, if the finding is accepted, add { control: '${check.control}', resource: '${check.stack}/${check.address}', reason: '...' } to ${scope.field}.exceptions.`
  );
}

export function exceptionMessage(problem: ExceptionProblem): string {
  const e = problem.exception;
  return `[policy exception] ${problem.field} (${e.control}${e.resource ? ` on ${e.resource}` : ''}) ${problem.message}.`;
}

type ScopeSettingsLike = Pick<PolicyScopeSettings, 'scope' | 'field'>;

const ASPECTS = new WeakMap<App, PolicyAspect>();

export class PolicyAspect implements IAspect {
  private report?: PolicyReport;

  constructor(
    readonly scopes: readonly PolicyScopeSettings[],
    readonly rules: readonly AnyRule[] = ALL_RULES,
  ) {}

  /** The aspect `enforcePolicy` registered on `app`, if any. */
  static of(app: App): PolicyAspect | undefined {
    return ASPECTS.get(app);
  }

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    const report = this.evaluate();
    const settings = this.scopes.find((s) => s.stacks.includes(node));
    const scopeReport = report.scopes.find((r) => r.scope === settings?.scope);
    if (!settings || !scopeReport) return;
    const byPath = new Map(node.node.findAll().map((c) => [c.node.path, c] as const));
    for (const check of scopeReport.checks) {
      if (check.stack !== node.node.id || check.status !== 'failed') continue;
      Annotations.of((check.constructPath && byPath.get(check.constructPath)) || node).addError(failureMessage(check, settings, this.rules));
    }
    for (const problem of scopeReport.exceptionProblems) {
      const named = problem.exception.resource?.split('/')[0];
      const target = scopeReport.stacks.includes(named ?? '') ? named : scopeReport.stacks[0];
      if (target === node.node.id) Annotations.of(node).addError(exceptionMessage(problem));
    }
  }

  /** Evaluates every scope once; stacks must be prepared (synth does it; `evaluatePolicy` too). */
  evaluate(): PolicyReport {
    if (this.report) return this.report;
    const all = this.scopes.flatMap((s) => s.stacks);
    const docs = stackDocuments(all.map((stack) => [stack.node.id, stack.toTerraform()] as const));
    const docOf = new Map<TerraformStack, StackDocument>(all.map((stack, i) => [stack, docs[i]]));
    this.report = {
      scopes: this.scopes.map((s) => {
        const exceptions: DeclaredException[] = s.policy.exceptions.map((e, i) => ({ ...e, field: `${s.field}.exceptions[${i}]` }));
        return evaluateScope(s.scope, s.stacks.map((stack) => docOf.get(stack)!), this.rules, exceptions);
      }),
    };
    return this.report;
  }
}

/**
 * Checks every stack of `app` against the policy at synth. Call it once, after the last stack is
 * created; `scopes` says which stacks belong to the environment and which are account-wide, each with
 * its exceptions.
 */
export function enforcePolicy(app: App, scopes: readonly PolicyScopeSettings[], rules: readonly AnyRule[] = ALL_RULES): PolicyAspect {
  const aspect = new PolicyAspect(scopes, rules);
  for (const stack of scopes.flatMap((s) => s.stacks)) Aspects.of(stack).add(aspect);
  ASPECTS.set(app, aspect);
  app.node.addValidation({
    validate: () =>
      app.node
        .findAll()
        .filter(TerraformStack.isStack)
        .filter((stack) => !scopes.some((s) => s.stacks.includes(stack)))
        .map((stack) => `stack "${stack.node.id}" is not checked by the policy: pass it to enforcePolicy (stacks/app.ts) in its scope`),
  });
  return aspect;
}

/** The policy report of an app built with `enforcePolicy`, without synthesizing it (for `npm run policy`). */
export function evaluatePolicy(app: App): PolicyReport {
  const aspect = PolicyAspect.of(app);
  if (!aspect) throw new Error('no policy is registered on this app: stacks/app.ts calls enforcePolicy');
  for (const stack of app.node.findAll().filter(TerraformStack.isStack)) stack.prepareStack();
  return aspect.evaluate();
}
