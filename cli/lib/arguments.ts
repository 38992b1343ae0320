/**
 * Command arguments checked by the rule of their kind (config/validation/rules.ts), the same rule the
 * settings and environment variables use. Apart from command.ts, which a test compiles on its own.
 */
import { Rule, ruleMessage } from '../../config/validation/rules';
import { UsageError } from './command';

/** `value` if it follows `rule`, else a usage error `<what>: got <value>, expected <kind> (<requirement>)`. */
export function checkArgument(what: string, value: string, rule: Rule): string {
  const message = ruleMessage(what, value, rule);
  if (message !== undefined) throw new UsageError(message);
  return value;
}
