/**
 * The vocabulary of the policy engine: the elements of a synthesized stack that rules inspect, the
 * verdict a rule gives on one element, and the rule itself (data: what it checks, where, and the fix).
 */
import type { StackDocument } from './document';

/** Where a stack belongs: one environment, or the account-wide stacks (registry, bootstrap). */
export type PolicyScope = 'dev' | 'staging' | 'prod' | 'account';

export type ElementKind = 'resource' | 'data' | 'ephemeral' | 'provider' | 'backend' | 'output' | 'variable' | 'locals';

/** One block of a synthesized stack, as Terraform sees it. */
export interface Element {
  readonly stack: string;
  readonly kind: ElementKind;
  /** Resource or data source type (`aws_s3_bucket`), provider name (`aws`), backend type (`s3`), or the kind. */
  readonly type: string;
  /** Logical ID (`frontend_logs_bucket_E821AA9B`); the provider's index or the backend type otherwise. */
  readonly name: string;
  /** Terraform address: `aws_s3_bucket.x`, `data.aws_region.y`, `ephemeral.aws_secretsmanager_secret_version.v`, `provider.aws[0]`, `terraform.backend.s3`, `output.z`. */
  readonly address: string;
  /** The block's configuration, cdktf metadata (`//`) removed. */
  readonly config: Record<string, any>;
  /** The construct path (`edge/frontend/logs/bucket`) when the JSON carries it. */
  readonly constructPath?: string;
}

export type CheckStatus = 'passed' | 'failed' | 'excepted' | 'not applicable';

export type Verdict =
  | { readonly status: 'passed' }
  | { readonly status: 'failed'; readonly detail: string }
  | { readonly status: 'not applicable'; readonly detail: string };

/** What a rule returns for one element: `undefined` passes, a string is the failure, or `notApplicable(...)`. */
export type RuleResult = undefined | string | Verdict;

export const notApplicable = (detail: string): Verdict => ({ status: 'not applicable', detail });

export interface RuleContext {
  readonly scope: PolicyScope;
  /** The element's stack, with references resolved across the stacks of the same synthesis. */
  readonly doc: StackDocument;
}

export type RuleSource = 'FSBP' | 'EKS best practices' | 'Tiketi';

/**
 * One control. Rules are data: the report, the docs table and the annotations are built from these
 * fields, and `evaluate` answers for one element of a `targets` type at a time.
 */
export interface Rule {
  /** Security Hub control ID (`S3.5`), or `EKS-BP.n` / `Tiketi.n` for the project's own rules. */
  readonly control: string;
  readonly source: RuleSource;
  /** The control's title, as Security Hub words it for FSBP controls. */
  readonly title: string;
  /** What the rule checks in the synthesized JSON, and how it differs from Security Hub if it does. */
  readonly checks: string;
  /** Element types the rule evaluates: resource/data types, `provider:<name>`, `backend:<type>`, or `*` for every element. */
  readonly targets: readonly string[];
  /** Where it applies (for the docs table), e.g. `all` or `staging, prod, account`. */
  readonly environments: string;
  /** How to fix a failure, in the project's terms. */
  readonly fix: string;
  /** Not applicable in this scope (and why), before any element is looked at. */
  appliesIn?(scope: PolicyScope): string | undefined;
  evaluate(element: Element, ctx: RuleContext): RuleResult;
}

/** Rules that look at the scope as a whole (account-level controls such as S3.1). */
export interface ScopeRule extends Omit<Rule, 'targets' | 'evaluate'> {
  /** The pseudo-resource the check is reported on, e.g. `account`. */
  readonly subject: string;
  evaluateScope(docs: readonly StackDocument[], scope: PolicyScope): RuleResult;
}

export type AnyRule = Rule | ScopeRule;

export const isScopeRule = (rule: AnyRule): rule is ScopeRule => 'evaluateScope' in rule;

/** Applies in every scope but dev, whose data is disposable by settings. */
export const outsideDev = (scope: PolicyScope): string | undefined =>
  scope === 'dev' ? 'dev data is disposable (settings data.*.disposable); protection applies in staging, prod and the account stacks' : undefined;
