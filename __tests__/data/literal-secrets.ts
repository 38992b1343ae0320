/**
 * The detector moved to `policy/literal-secrets.ts` (rule Tiketi.1 runs it on every stack at synth).
 * Kept for tests written against this path; import from the policy module in new code.
 */
export { literalSecrets, literalSecretsOfElement } from '../../policy/literal-secrets';
