import { Rule, ruleMessage } from './rules';

/**
 * Collects settings problems so one run reports all of them. Every message names the field (as a path
 * from the environment, e.g. `prod.network.vpcCidr`), the value found and what is allowed.
 */
export class SettingsError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(`Invalid Tiketi settings:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'SettingsError';
  }
}

export class Problems {
  private readonly found: string[] = [];

  /** Records that `field` holds `value` where `allowed` was expected. */
  add(field: string, value: unknown, allowed: string): void {
    this.found.push(`${field}: got ${JSON.stringify(value)}, expected ${allowed}`);
  }

  /** Records `problem` (already a full sentence naming the field) verbatim. */
  addMessage(problem: string): void {
    this.found.push(problem);
  }

  /** Adds the problem unless `ok` holds; returns `ok` so callers can skip dependent checks. */
  check(ok: boolean, field: string, value: unknown, allowed: string): boolean {
    if (!ok) this.add(field, value, allowed);
    return ok;
  }

  checkInteger(field: string, value: number, min: number, max: number): boolean {
    return this.check(Number.isInteger(value) && value >= min && value <= max, field, value, `an integer from ${min} to ${max}`);
  }

  /** Adds the problem unless `value` follows `rule` (config/validation/rules.ts); returns whether it does. */
  rule(field: string, value: unknown, rule: Rule): boolean {
    const message = ruleMessage(field, value, rule);
    if (message !== undefined) this.found.push(message);
    return message === undefined;
  }

  oneOf<T>(field: string, value: T, allowed: readonly T[]): boolean {
    return this.check(allowed.includes(value), field, value, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }

  /** Whether a problem was already recorded for `field`, so a check that depends on it can stay silent. */
  reported(field: string): boolean {
    return this.found.some((problem) => problem.startsWith(`${field}: `));
  }

  throwIfAny(): void {
    if (this.found.length > 0) throw new SettingsError([...this.found]);
  }
}

/** Retention values CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
