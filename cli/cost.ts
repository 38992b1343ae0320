/**
 * `npm run cost [-- --env prod] [--json] [--assume key=value ...]`: the monthly cost of every stack,
 * priced from the synthesized Terraform JSON and the rendered gitops overlays (load balancers), with the
 * seed's estimate beside it and the levers that would lower it. See docs/cost.md.
 */
import { REGION } from '../config/environments';
import { ENVIRONMENT_NAMES, EnvironmentName } from '../config/settings';
import { applyOverrides, ASSUMPTION_KEYS, defaultAssumptions } from './lib/cost/assumptions';
import { formatReport, summaryOf } from './lib/cost/format';
import { loadPriceTable, PriceTable, PriceTableError } from './lib/cost/prices';
import { buildReport, EnvironmentInput } from './lib/cost/report';
import { Command, CommandError, cliMain, UsageError } from './lib/command';
import { kustomize, overlayFolder, RenderError } from './lib/gitops-render';
import { synthEnvironment } from './lib/synth-app';

const ENV_CHOICES = [...ENVIRONMENT_NAMES, 'all'] as const;

export const costCommand: Command = {
  name: 'cost',
  synopsis: '[--env dev|staging|prod|all] [--json] [--assume key=value ...]',
  description:
    'Prints the monthly on-demand cost of every stack of each environment (and the account-wide stacks once), from the synthesized stacks and the Ingresses of gitops/, with the seed\'s estimate beside it, what the seed left out, and levers with their saving. Nothing is written.',
  options: {
    env: { type: 'string' },
    json: { type: 'boolean' },
    assume: { type: 'string', multiple: true },
  },
  help: [
    `--env NAME        one of ${ENV_CHOICES.join(', ')} (default all); account-wide stacks are always shown once`,
    '--json            print the report as JSON (the summary line goes to stderr)',
    '--assume KEY=N    change a usage or discount assumption; repeatable. Keys:',
    ...ASSUMPTION_KEYS.map((key) => `                    ${key} (default ${defaultAssumptions()[key]})`),
  ],
  run(args, io) {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}; this command takes only options`);
    const env = (args.values.env as string | undefined) ?? 'all';
    if (!(ENV_CHOICES as readonly string[]).includes(env)) throw new UsageError(`--env: got ${JSON.stringify(env)}, expected one of ${ENV_CHOICES.join(', ')}`);
    const { assumptions, problems } = applyOverrides(defaultAssumptions(), (args.values.assume as string[] | undefined) ?? []);
    if (problems.length > 0) throw new UsageError(problems.join('; '));

    let prices: PriceTable;
    try {
      prices = loadPriceTable(io.root, REGION);
    } catch (error) {
      if (error instanceof PriceTableError) throw new CommandError(error.message);
      throw error;
    }
    const envs: readonly EnvironmentName[] = env === 'all' ? ENVIRONMENT_NAMES : [env as EnvironmentName];
    const environments: EnvironmentInput[] = envs.map((name) => {
      const synth = synthEnvironment(name);
      let gitops: EnvironmentInput['gitops'];
      try {
        gitops = { objects: kustomize(io.root, overlayFolder(name)) };
      } catch (error) {
        if (!(error instanceof RenderError)) throw error;
        gitops = { error: error.message };
      }
      return { env: name, stacks: synth.stacks, gitops, availabilityZones: synth.settings.network.availabilityZones.length };
    });
    const report = buildReport({ environments, prices, assumptions });
    if (args.values.json) {
      io.err(summaryOf(report));
      return JSON.stringify(report, null, 2);
    }
    io.out(formatReport(report));
    return summaryOf(report);
  },
};

if (require.main === module) cliMain(costCommand);
