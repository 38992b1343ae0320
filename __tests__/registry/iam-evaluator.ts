/**
 * A small model of IAM's policy evaluation for one principal (identity policies only, one account): an
 * explicit Deny wins, then an Allow, else the implicit deny. Statements match by Action/NotAction,
 * Resource/NotResource (IAM's wildcards: `*` any run of characters, `?` one; actions case-insensitive) and
 * Condition. Conditions: the String, Arn and Bool operators with their `IfExists` forms, `Null`, and the
 * `ForAnyValue:`/`ForAllValues:` set operators, with IAM's rules for a key the request does not carry
 * (a negated operator and `ForAllValues` then hold; everything else fails). Policy variables (`${aws:userid}`)
 * are read from the request context. Anything it does not know (an operator, a single-valued operator
 * over a multi-valued key) is an error, not a silent guess.
 */
import { arnMatches } from './arn-glob';

export type ContextValue = string | readonly string[];

export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  /** Condition keys of the request, e.g. `aws:RequestedRegion`, `aws:ResourceTag/Environment`. */
  readonly context: Readonly<Record<string, ContextValue | undefined>>;
}

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Statement: readonly PolicyStatement[];
}

export interface Decision {
  readonly decision: 'allowed' | 'explicit-deny' | 'implicit-deny';
  readonly allowedBy: readonly string[];
  readonly deniedBy: readonly string[];
}

const list = (value: string | readonly string[] | undefined): string[] => (value === undefined ? [] : typeof value === 'string' ? [value] : [...value]);

/** `${aws:userid}` and the like, from the request context. */
function substitute(value: string, context: IamRequest['context']): string {
  return value.replace(/\$\{([^}]+)\}/g, (whole, key: string) => {
    const v = context[key];
    if (typeof v !== 'string') throw new Error(`policy variable ${whole}: the request has no single value for ${key}`);
    return v;
  });
}

type Compare = (policyValue: string, requestValue: string) => boolean;
const COMPARE: Record<string, { compare: Compare; negated: boolean }> = {
  StringEquals: { compare: (p, r) => p === r, negated: false },
  StringNotEquals: { compare: (p, r) => p === r, negated: true },
  StringEqualsIgnoreCase: { compare: (p, r) => p.toLowerCase() === r.toLowerCase(), negated: false },
  StringLike: { compare: (p, r) => arnMatches(p, r), negated: false },
  StringNotLike: { compare: (p, r) => arnMatches(p, r), negated: true },
  ArnEquals: { compare: (p, r) => p === r, negated: false },
  ArnLike: { compare: (p, r) => arnMatches(p, r), negated: false },
  ArnNotEquals: { compare: (p, r) => p === r, negated: true },
  ArnNotLike: { compare: (p, r) => arnMatches(p, r), negated: true },
  Bool: { compare: (p, r) => p.toLowerCase() === r.toLowerCase(), negated: false },
};

function conditionHolds(operatorName: string, key: string, policyValues: string[], context: IamRequest['context']): boolean {
  const requestValue = context[key];
  if (operatorName === 'Null') {
    if (policyValues.length !== 1 || !['true', 'false'].includes(policyValues[0])) throw new Error(`Null on ${key}: expected "true" or "false"`);
    const absent = requestValue === undefined || (Array.isArray(requestValue) && requestValue.length === 0);
    return absent === (policyValues[0] === 'true');
  }
  const set = /^(ForAnyValue|ForAllValues):(.+)$/.exec(operatorName);
  const base = set ? set[2] : operatorName;
  const ifExists = base.endsWith('IfExists');
  const operator = COMPARE[ifExists ? base.slice(0, -'IfExists'.length) : base];
  if (!operator) throw new Error(`condition operator ${operatorName} is not modelled`);
  const values = policyValues.map((v) => substitute(v, context));
  if (set) {
    const requestValues = requestValue === undefined ? [] : list(requestValue);
    const matchesOne = (r: string) => values.some((p) => operator.compare(p, r));
    const each = requestValues.map((r) => (operator.negated ? !matchesOne(r) : matchesOne(r)));
    return set[1] === 'ForAnyValue' ? each.some(Boolean) : each.every(Boolean);
  }
  if (requestValue === undefined) return ifExists || operator.negated;
  if (typeof requestValue !== 'string') throw new Error(`${operatorName} on ${key}: the key is multi-valued in the request; use ForAnyValue/ForAllValues`);
  const matches = values.some((p) => operator.compare(p, requestValue));
  return operator.negated ? !matches : matches;
}

function statementApplies(statement: PolicyStatement, request: IamRequest): boolean {
  const actionMatch = (patterns: string[]) => patterns.some((p) => arnMatches(p.toLowerCase(), request.action.toLowerCase()));
  if (statement.Action !== undefined && !actionMatch(list(statement.Action))) return false;
  if (statement.NotAction !== undefined && actionMatch(list(statement.NotAction))) return false;
  const resourceMatch = (patterns: string[]) => patterns.some((p) => arnMatches(substitute(p, request.context), request.resource));
  if (statement.Resource !== undefined && !resourceMatch(list(statement.Resource))) return false;
  if (statement.NotResource !== undefined && resourceMatch(list(statement.NotResource))) return false;
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    for (const [key, value] of Object.entries(keys)) if (!conditionHolds(operator, key, list(value), request.context)) return false;
  }
  return true;
}

/** The decision of IAM for `request` under `policies` (all attached to one principal). */
export function evaluate(policies: readonly PolicyDocument[], request: IamRequest): Decision {
  const statements = policies.flatMap((p) => p.Statement);
  for (const s of statements) {
    if (s.Action === undefined && s.NotAction === undefined) throw new Error(`statement ${s.Sid ?? '(no Sid)'} has no Action`);
    if (s.Resource === undefined && s.NotResource === undefined) throw new Error(`statement ${s.Sid ?? '(no Sid)'} has no Resource`);
  }
  const applying = statements.filter((s) => statementApplies(s, request));
  const deniedBy = applying.filter((s) => s.Effect === 'Deny').map((s) => s.Sid ?? '(no Sid)');
  const allowedBy = applying.filter((s) => s.Effect === 'Allow').map((s) => s.Sid ?? '(no Sid)');
  return { decision: deniedBy.length > 0 ? 'explicit-deny' : allowedBy.length > 0 ? 'allowed' : 'implicit-deny', allowedBy, deniedBy };
}
