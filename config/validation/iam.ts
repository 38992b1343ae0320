/**
 * IAM's own rules for role names and paths (IAM API reference, `CreateRole`: RoleName, Path), used for
 * settings that name roles. A role is named by its name or by its ARN
 * `arn:<partition>:iam::<account>:role<path><name>`, whose path may hold the IAM Identity Center prefix
 * `/aws-reserved/sso.amazonaws.com/<region>/`.
 */

/** RoleName: 1-64 of letters, digits and `+=,.@_-`. */
export const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** Path: `/`, or `/` + printable ASCII (0x21-0x7E) + `/`; at most 512 characters. */
const ROLE_PATH = /^(\/|\/[\x21-\x7E]+\/)$/;
const MAX_PATH_LENGTH = 512;
const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role(\/.*)$/;

/** A role named in the settings: its name and, when it was given as one, its ARN. */
export interface RolePrincipal {
  readonly name: string;
  readonly arn?: string;
  readonly path?: string;
}

export type RolePrincipalResult = { readonly ok: true; readonly principal: RolePrincipal } | { readonly ok: false; readonly allowed: string };

const ALLOWED = 'an IAM role name (1-64 of letters, digits and +=,.@_-) or a role ARN "arn:aws:iam::<12-digit account>:role/[<path>/]<name>"';

/** Parses a role name or role ARN, or says what IAM allows instead. */
export function parseRolePrincipal(text: string): RolePrincipalResult {
  if (!text.startsWith('arn:')) {
    return ROLE_NAME.test(text) ? { ok: true, principal: { name: text } } : { ok: false, allowed: ALLOWED };
  }
  if (/^arn:[^:]+:sts::/.test(text)) return { ok: false, allowed: `${ALLOWED}, not an STS assumed-role (session) ARN` };
  const match = ROLE_ARN.exec(text);
  if (!match) return { ok: false, allowed: ALLOWED };
  const rest = match[3];
  const slash = rest.lastIndexOf('/');
  const path = rest.slice(0, slash + 1);
  const name = rest.slice(slash + 1);
  if (!ROLE_NAME.test(name)) return { ok: false, allowed: `${ALLOWED}; the name after the last "/" must be 1-64 of letters, digits and +=,.@_-` };
  if (!ROLE_PATH.test(path) || path.length > MAX_PATH_LENGTH) {
    return { ok: false, allowed: `${ALLOWED}; the path must start and end with "/" and hold at most ${MAX_PATH_LENGTH} printable ASCII characters` };
  }
  return { ok: true, principal: { name, arn: text, path } };
}
