import { EnvironmentSettings } from '../../config/settings';
import { SettingsError, loadEnvironment } from '../../config/validate';
import { CommandError, ParsedArgs, UsageError } from './command';
import { parseEnvironment } from './names';

/** The validated settings of `--env <name>` (required). */
export function environmentOption(args: ParsedArgs): EnvironmentSettings {
  const value = args.values.env;
  const name = parseEnvironment(typeof value === 'string' ? value : undefined, '--env');
  try {
    return loadEnvironment(name);
  } catch (error) {
    if (error instanceof SettingsError) throw new CommandError(error.message);
    throw error;
  }
}

export function noPositionals(args: ParsedArgs): void {
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}`);
}
