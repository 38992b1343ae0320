/**
 * IAM role principals named in the settings, by the one rule of `config/validation/rules.ts` (`IAM_ROLE`):
 * a role name or role ARN, whose path may hold the IAM Identity Center prefix
 * `/aws-reserved/sso.amazonaws.com/<region>/`. This keeps the `allowed` form the modules print.
 */
import { IAM_ROLE, IAM_ROLE_NAME, RolePrincipal, parseRolePrincipal as parse } from './rules';

export { IAM_ROLE_NAME as ROLE_NAME };
export type { RolePrincipal };

export type RolePrincipalResult = { readonly ok: true; readonly principal: RolePrincipal } | { readonly ok: false; readonly allowed: string };

/** Parses a role name or role ARN, or says what IAM allows instead (the kind and the requirement broken). */
export function parseRolePrincipal(text: string): RolePrincipalResult {
  const result = parse(text);
  return result.ok ? result : { ok: false, allowed: `${IAM_ROLE.kind} (${result.problem})` };
}
