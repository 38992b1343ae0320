/**
 * `npm run policy [-- --env <env>]`: builds the app of each environment the way `cdktf synth` does (same
 * settings validation, backend from the environment variables), runs the policy without writing
 * anything, and prints one table per environment plus one for the account-wide stacks. Exit 1 when a
 * check fails or an exception is invalid or stale (what would make `cdktf synth` fail).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { BackendSettings, loadBackend, loadStateBucketName } from '../config/backend';
import { ENVIRONMENTS, REGISTRY } from '../config/environments';
import { ENVIRONMENT_NAMES, EnvironmentName, EnvironmentSettings, RegistrySettings } from '../config/settings';
import { SettingsError, validateEnvironment, validateRegistry } from '../config/validate';
import { evaluatePolicy } from '../policy/aspect';
import { Check, ScopeReport, tally } from '../policy/engine';
import { formatScope } from '../policy/report';
import { ALL_RULES } from '../policy/rules';
import { addTiketiStacks } from '../stacks/app';
import { Command, CommandError, Io, UsageError, cliMain } from './lib/command';

export interface PolicySources {
  readonly environments: Readonly<Record<EnvironmentName, EnvironmentSettings>>;
  readonly registry: RegistrySettings;
}

/** The policy reports of one environment's app: its own scope and the account-wide one. */
function reportsOf(env: EnvironmentSettings, registry: RegistrySettings, backend: BackendSettings, stateBucketName: string | undefined, io: Io): ScopeReport[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiketi-policy-'));
  try {
    const app = new App({ outdir });
    addTiketiStacks(app, { env, registry, backend, projectDir: io.root, stateBucketName });
    return [...evaluatePolicy(app).scopes];
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

export function policyCommand(sources: PolicySources = { environments: ENVIRONMENTS, registry: REGISTRY }): Command {
  return {
    name: 'policy',
    synopsis: '[--env dev|staging|prod]',
    description:
      'Runs the synth-time policy (FSBP controls, EKS best practices, the project rules; docs/policy.md) over every stack and prints, per environment and once for the account-wide stacks, each control with its status (passed, failed, excepted, not applicable) and resources. Writes nothing.',
    options: { env: { type: 'string' } },
    help: [
      '--env <name>   one environment (dev, staging or prod); default: all three',
      '',
      'The last line is "policy: N passed, M failed, K excepted", counting (control, resource) checks over',
      'the tables printed (the account-wide stacks once); not-applicable checks are listed, not counted.',
      'Exit code 1 when M > 0 or an exception is invalid or stale (both fail cdktf synth), 2 on bad arguments.',
      'Backend variables (TIKETI_BACKEND, ...) are read as for cdktf synth.',
    ],
    run(args, io) {
      if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}`);
      const chosen = args.values.env;
      if (chosen !== undefined && !(ENVIRONMENT_NAMES as readonly string[]).includes(String(chosen))) {
        throw new UsageError(`--env: got ${JSON.stringify(chosen)}, expected one of ${ENVIRONMENT_NAMES.join(', ')}`);
      }
      const names = chosen === undefined ? [...ENVIRONMENT_NAMES] : [chosen as EnvironmentName];
      let settings: { envs: EnvironmentSettings[]; registry: RegistrySettings; backend: BackendSettings; stateBucketName: string | undefined };
      try {
        settings = {
          envs: names.map((name) => validateEnvironment(sources.environments[name])),
          registry: validateRegistry(sources.registry, sources.environments),
          // The backend variables as cdktf synth reads them: a bad one is a finding of this run, not a crash.
          backend: loadBackend(process.env, io.root),
          stateBucketName: loadStateBucketName(process.env),
        };
      } catch (error) {
        if (error instanceof SettingsError) throw new CommandError(error.message);
        throw error;
      }

      const printed: ScopeReport[] = [];
      for (const env of settings.envs) {
        const [own, account] = reportsOf(env, settings.registry, settings.backend, settings.stateBucketName, io);
        printed.push(own);
        // The account-wide stacks are the same in every environment's app: report them once.
        if (!printed.some((r) => r.scope === 'account')) printed.push(account);
      }
      const ordered = [...printed.filter((r) => r.scope !== 'account'), ...printed.filter((r) => r.scope === 'account')];
      ordered.forEach((report, i) => {
        if (i > 0) io.out('');
        formatScope(report, ALL_RULES).forEach((line) => io.out(line));
      });
      io.out('');

      const counts = tally(ordered.flatMap((r): readonly Check[] => r.checks));
      const summary = `${counts.passed} passed, ${counts.failed} failed, ${counts.excepted} excepted`;
      const problems = ordered.reduce((n, r) => n + r.exceptionProblems.length, 0);
      // CommandError prints "policy: <summary>", so the last line is the same whether the run passes or fails.
      if (counts.failed > 0 || problems > 0) throw new CommandError(summary);
      return `policy: ${summary}`;
    },
  };
}

if (require.main === module) cliMain(policyCommand());
