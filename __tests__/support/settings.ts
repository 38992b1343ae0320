import { EnvironmentSettings } from '../../config/settings';
import { SettingsError, validateEnvironment } from '../../config/validate';

/** The problems `validate` reports (empty when it passes); any other error is rethrown. */
export function problemsFrom(validate: () => unknown): string[] {
  try {
    validate();
    return [];
  } catch (error) {
    if (error instanceof SettingsError) return [...error.problems];
    throw error;
  }
}

/** The problems settings validation reports for `env` (empty when valid). */
export function problemsOf(env: EnvironmentSettings): string[] {
  return problemsFrom(() => validateEnvironment(env));
}
