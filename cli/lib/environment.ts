import { ENVIRONMENT_NAMES, EnvironmentName, EnvironmentSettings } from '../../config/settings';
import { SettingsError, loadEnvironment } from '../../config/validate';
import { CommandError, ParsedArgs, UsageError } from './command';

/** The validated settings of `--env <name>` (required). */
export function environmentOption(args: ParsedArgs): EnvironmentSettings {
  const value = args.values.env;
  if (typeof value !== 'string') throw new UsageError(`missing --env: expected one of ${ENVIRONMENT_NAMES.join(', ')}`);
  if (!(ENVIRONMENT_NAMES as readonly string[]).includes(value)) throw new UsageError(`unknown environment ${JSON.stringify(value)} for --env: expected one of ${ENVIRONMENT_NAMES.join(', ')}`);
  try {
    return loadEnvironment(value as EnvironmentName);
  } catch (error) {
    if (error instanceof SettingsError) throw new CommandError(error.message);
    throw error;
  }
}

export function noPositionals(args: ParsedArgs): void {
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}`);
}
