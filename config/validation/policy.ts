import { ALL_RULES } from '../../policy/rules';
import { PolicySettings } from '../settings';
import { Problems } from './problems';

/** `<stack>/<address or construct path>`, `*` allowed: the form the report prints. */
const RESOURCE = /^[A-Za-z0-9_-]+\/[^\s/][^\s]*$/;

/**
 * Checks the declared policy exceptions of one scope (`at` is `prod.policy` or `registry.policy`): a known
 * control, a written reason, a well-formed resource, no duplicates. Whether each still matches a failure
 * (not stale) is known only at synth, where the policy aspect reports it.
 */
export function validatePolicy(policy: PolicySettings, at: string, problems: Problems): void {
  const controls = ALL_RULES.map((rule) => rule.control);
  const seen = new Set<string>();
  policy.exceptions.forEach((exception, i) => {
    const field = `${at}.exceptions[${i}]`;
    problems.check(controls.includes(exception.control), `${field}.control`, exception.control, `a control the policy checks (docs/policy.md): ${controls.join(', ')}`);
    problems.check(
      typeof exception.reason === 'string' && exception.reason.trim().length >= 10,
      `${field}.reason`,
      exception.reason,
      'a written reason of 10 or more characters: why the finding is accepted, and the issue item that removes it',
    );
    if (exception.resource !== undefined) {
      problems.check(RESOURCE.test(exception.resource), `${field}.resource`, exception.resource, '"<stack>/<terraform address>" such as "data/aws_db_instance.*", or a construct path; omit it to cover every resource');
    }
    const key = `${exception.control} ${exception.resource ?? '*'}`;
    problems.check(!seen.has(key), field, `${exception.control}${exception.resource ? ` on ${exception.resource}` : ''}`, 'one exception per control and resource');
    seen.add(key);
  });
}
