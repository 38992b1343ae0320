/**
 * The project's own rules (`Tiketi.n`): what the platform promises beyond Security Hub. Nothing secret
 * is written into the configuration.
 */
import { literalSecretsOfElement } from '../literal-secrets';
import { Rule } from '../types';

export const TIKETI_RULES: readonly Rule[] = [
  {
    control: 'Tiketi.1',
    source: 'Tiketi',
    title: 'No literal secrets in the configuration',
    checks:
      'no attribute of any resource, data source, provider, backend, output, variable or locals block holds a literal secret (a secret-looking key, a helm_release set_sensitive/set_wo value, Kubernetes Secret data, a SecureString parameter value) unless it is a reference, null or a boolean switch',
    targets: ['*'],
    environments: 'all',
    fix: 'let AWS generate and keep the secret (manage_master_user_password, an IAM-authenticated user), or reference it from Secrets Manager / a SealedSecret; never write it into code',
    evaluate(element) {
      const found = literalSecretsOfElement(element.type, element.config);
      return found.length > 0 ? `literal secret in ${found.join(', ')}` : undefined;
    },
  },
];
