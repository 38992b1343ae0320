/**
 * `npm run az-check [-- --env staging|prod|dev]`: synthesizes each environment in-process (cli/lib/synth-app.ts,
 * nothing written), renders its GitOps folders with `kubectl kustomize`, takes each Availability Zone away in
 * turn and prints per tier what still works, how it recovers and the RTO, then the pod capacity of the node
 * group (docs/az-and-capacity.md). Exit 1 when, in staging or prod, losing one AZ takes a tier down without an
 * accepted reason (`<env>.availability.acceptedLosses` in config/environments.ts), an acceptance is stale, or
 * the pods do not fit the node group; dev is reported but not required to survive.
 */
import { ENVIRONMENT_NAMES, EnvironmentName } from '../config/settings';
import { AzLossReport, analyseAzLoss, formatAzReport } from './lib/az-loss';
import { Command, CommandError, Io, UsageError, cliMain } from './lib/command';
import { RenderError, kustomize, overlayFolder } from './lib/gitops-render';
import { SynthesizedEnvironment, synthEnvironment } from './lib/synth-app';
import { environmentWorkloads } from './lib/workloads';

/** Environments checked by default: the ones that must survive an AZ. */
export const REQUIRED_ENVIRONMENTS: readonly EnvironmentName[] = ['staging', 'prod'];

export interface AzCheckSources {
  /** Synthesizes one environment (replaced in tests by a variant of the real output). */
  readonly synth: (env: EnvironmentName) => SynthesizedEnvironment;
}

/** The report of one synthesized environment, with its rendered manifests from `root`. */
export function azReportOf(synthesized: SynthesizedEnvironment, root: string): AzLossReport {
  const stacks = Object.fromEntries(synthesized.stacks.map((s) => [s.id, s.json]));
  try {
    return analyseAzLoss({
      env: synthesized.env,
      stacks,
      services: kustomize(root, overlayFolder(synthesized.env)),
      workloads: environmentWorkloads({ cluster: stacks.cluster, argocd: stacks.argocd }, root, synthesized.env),
      acceptedLosses: synthesized.settings.availability.acceptedLosses,
    });
  } catch (error) {
    if (error instanceof RenderError) throw new CommandError(error.message);
    throw error;
  }
}

export function azCheckCommand(sources: AzCheckSources = { synth: (env) => synthEnvironment(env) }): Command {
  return {
    name: 'az-check',
    synopsis: '[--env staging|prod|dev]',
    description:
      'Takes each Availability Zone away in turn from the synthesized configuration (network, cluster, data, argocd stacks) and the rendered GitOps manifests, and prints per tier (NAT, control plane, node capacity, services, PostgreSQL, Valkey, load balancers, api-access host, monitoring) what survives and the recovery time, then the pod capacity of the node group at its minimum and maximum size. Writes nothing.',
    options: { env: { type: 'string' } },
    help: [
      '--env <name>   one environment (staging, prod, or dev: reported, not required to survive); default: staging and prod',
      '',
      'Status per tier and lost AZ: survives (nothing stops), degraded (keeps serving or fails over by itself,',
      'with less), at risk (depends on where pods were placed), down (stops until the AZ returns or someone acts).',
      'Exit code 1 when, in staging or prod, a tier goes down without an accepted reason',
      '(<env>.availability.acceptedLosses in config/environments.ts), an acceptance is stale, or the pods do not',
      'fit the node group at its minimum or maximum size; 2 on bad arguments.',
    ],
    run(args, io: Io) {
      if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}`);
      const chosen = args.values.env;
      if (chosen !== undefined && !(ENVIRONMENT_NAMES as readonly string[]).includes(String(chosen))) {
        throw new UsageError(`--env: got ${JSON.stringify(chosen)}, expected one of ${ENVIRONMENT_NAMES.join(', ')}`);
      }
      const names = chosen === undefined ? [...REQUIRED_ENVIRONMENTS] : [chosen as EnvironmentName];
      const problems: string[] = [];
      const counts = { survives: 0, degraded: 0, 'at risk': 0, accepted: 0, down: 0 };
      names.forEach((env, i) => {
        const report = azReportOf(sources.synth(env), io.root);
        if (i > 0) io.out('');
        formatAzReport(report).forEach((line) => io.out(line));
        const required = REQUIRED_ENVIRONMENTS.includes(env);
        for (const o of report.outcomes) {
          if (o.status === 'down') counts[o.accepted ? 'accepted' : 'down'] += 1;
          else counts[o.status] += 1;
        }
        if (!required) {
          io.out(`  (${env} is reported only: it is not required to survive the loss of an AZ)`);
          return;
        }
        for (const f of report.failures) problems.push(`${env}: losing ${f.lostAz} takes ${f.tier} down without an accepted reason: ${f.detail} (accept it with a reason in ${env}.availability.acceptedLosses, or fix it)`);
        problems.push(...report.staleAcceptances);
        if (!report.capacity.atMinimum.fits) problems.push(`${env}: the pods at minimum replicas do not fit the node group at its minimum size: ${report.capacity.atMinimum.summary}`);
        if (!report.capacity.atMaximum.fits) problems.push(`${env}: the HPA maxima do not fit the node group at its maximum size: ${report.capacity.atMaximum.summary}`);
      });
      io.out('');
      const summary = `${names.join(', ')}: ${counts.survives} survive, ${counts.degraded} degraded, ${counts['at risk']} at risk, ${counts.accepted} down and accepted, ${counts.down} down (tier × lost AZ)`;
      if (problems.length > 0) {
        problems.forEach((p) => io.err(p));
        throw new CommandError(`${summary}; ${problems.length} problem${problems.length > 1 ? 's' : ''} above`);
      }
      return `az-check: ${summary}`;
    },
  };
}

if (require.main === module) cliMain(azCheckCommand());
