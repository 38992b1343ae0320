/**
 * Synthesizes the whole app of an environment in-process, the way `main.ts` does (one `App`, so
 * cross-stack references become outputs and `terraform_remote_state`), and returns every stack's
 * Terraform JSON. Nothing is written to the project: the output goes to a temporary directory that is
 * removed before returning. Operator commands (`cost`, `graph`, ...) read the stacks from here rather
 * than from `cdktf.out`, so they always see the code as it is, not the last synth.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { BackendSettings } from '../../config/backend';
import { REGISTRY } from '../../config/environments';
import { ENVIRONMENT_NAMES, EnvironmentName, EnvironmentSettings } from '../../config/settings';
import { loadEnvironment, validateRegistry } from '../../config/validate';
import { addTiketiStacks } from '../../stacks/app';
import { CommandError } from './command';

/** A synthesized Terraform JSON document (`cdk.tf.json`). */
export interface TerraformJson {
  readonly terraform?: Record<string, any>;
  readonly provider?: Record<string, any[]>;
  readonly resource?: Record<string, Record<string, any>>;
  readonly data?: Record<string, Record<string, any>>;
  readonly output?: Record<string, any>;
  readonly [key: string]: any;
}

/** The scope of an account-wide stack (`registry`, `dns`, `bootstrap`): the same in every environment. */
export const ACCOUNT_SCOPE = 'account';

export interface SynthesizedStack {
  /** Stack ID, the same in every environment (`network`, `cluster`, ...). */
  readonly id: string;
  /**
   * `account` for account-wide stacks, else the environment name. Read from the stack's own AWS
   * provider (`default_tags.Environment`, set by `TiketiStack`), so a new account-wide stack is
   * recognised without a list here.
   */
  readonly scope: string;
  /** Stacks this one reads through cross-stack references (from the cdktf manifest). */
  readonly dependencies: readonly string[];
  readonly json: TerraformJson;
}

export interface SynthesizedEnvironment {
  readonly env: EnvironmentName;
  readonly settings: EnvironmentSettings;
  /** Every stack of the app, sorted by ID. */
  readonly stacks: readonly SynthesizedStack[];
}

export interface SynthOptions {
  /**
   * Directory that holds the temporary output while synthesizing (removed before returning).
   * @default - the operating system's temporary directory
   */
  readonly tmpDir?: string;
}

/** Backend used for in-process synths: local, with a state path that names no machine directory. */
const SYNTH_BACKEND: BackendSettings = { kind: 'local', stateDir: 'terraform.state' };

/**
 * Synthesizes every stack of `env` (settings validated first, as `main.ts` does). Invalid settings are
 * a `CommandError` carrying the validator's message (every field, value and what is allowed).
 */
export function synthEnvironment(env: EnvironmentName, options: SynthOptions = {}): SynthesizedEnvironment {
  let settings: EnvironmentSettings;
  let registry: ReturnType<typeof validateRegistry>;
  try {
    // As main.ts does: the checks that span environments too (one zone, disjoint VPCs).
    settings = loadEnvironment(env);
    registry = validateRegistry(REGISTRY);
  } catch (error) {
    if (error instanceof Error && error.name === 'SettingsError') throw new CommandError(error.message);
    throw error;
  }
  const outdir = fs.mkdtempSync(path.join(options.tmpDir ?? os.tmpdir(), `tiketi-synth-${env}-`));
  try {
    const app = new App({ outdir, stackTraces: false });
    // projectDir '.' keeps the bootstrap stack's local state path relative (no machine path in output).
    addTiketiStacks(app, { env: settings, registry, backend: SYNTH_BACKEND, projectDir: '.' });
    try {
      app.synth();
    } catch (error) {
      const findings = policyFindings(error);
      if (findings.length > 0) throw new CommandError(`${env} does not pass the policy (docs/policy.md):\n${findings.join('\n')}`);
      throw error;
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as {
      stacks: Record<string, { synthesizedStackPath: string; dependencies?: string[] }>;
    };
    const stacks = Object.entries(manifest.stacks)
      .map(([id, entry]): SynthesizedStack => {
        const json = JSON.parse(fs.readFileSync(path.join(outdir, entry.synthesizedStackPath), 'utf8')) as TerraformJson;
        return { id, scope: stackScope(json) ?? env, dependencies: [...(entry.dependencies ?? [])].sort(), json };
      })
      .sort((a, b) => a.id.localeCompare(b.id));
    return { env, settings, stacks };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * The policy's messages in an error of `app.synth()`, if it failed because of the policy: the aspect
 * (`policy/aspect.ts`) turns each failed check into an ERROR annotation (`[policy <control>] ...`) and
 * each invalid or stale exception into one (`[policy exception] ...`), and cdktf throws them all as one
 * plain `Error` ("Encountered Annotations with level \"ERROR\"", each line `[<construct path>] <message>`).
 * Those are findings about the configuration (exit 1 with their text), not a crash of the command.
 */
export function policyFindings(error: unknown): string[] {
  if (!(error instanceof Error)) return [];
  return error.message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^(\[[^\]]*\] )?\[policy( exception)?[ \]]/.test(line));
}

/** Synthesizes each environment in turn (in promotion order by default). */
export function synthEnvironments(envs: readonly EnvironmentName[] = ENVIRONMENT_NAMES): SynthesizedEnvironment[] {
  return envs.map((env) => synthEnvironment(env));
}

/** `Environment` default tag of the stack's AWS provider without an alias, if any. */
export function stackScope(json: TerraformJson): string | undefined {
  const providers = json.provider?.aws ?? [];
  const main = providers.find((p) => p.alias === undefined) ?? providers[0];
  const tags = main?.default_tags?.[0]?.tags as Record<string, string> | undefined;
  return tags?.Environment;
}

/** Whether a stack is account-wide (reported and drawn once, not per environment). */
export function isAccountWide(stack: SynthesizedStack): boolean {
  return stack.scope === ACCOUNT_SCOPE;
}
