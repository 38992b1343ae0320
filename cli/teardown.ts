/**
 * `npm run teardown -- --env dev --yes`: destroys a disposable environment in the order that leaves nothing
 * behind. Load balancers, target groups and EBS volumes are created by controllers in the cluster, not by
 * Terraform: destroying the argocd stack (or the cluster) while their Ingresses and volumes still exist
 * orphans them, and an orphaned ALB keeps its ENIs in the VPC, so `network` cannot be destroyed. So the
 * command first stops Argo CD from re-creating anything, deletes every Ingress and volume claim while the
 * AWS Load Balancer Controller, external-dns and the EBS CSI driver still run, and only then destroys the
 * stacks, the one that reads another before the one it reads. `--dry-run` prints the steps.
 */
import { clusterName } from '../config/naming';
import { EnvironmentSettings } from '../config/settings';
import { tunnelPort } from './api-tunnel';
import { Command, CommandError, UsageError, cliMain } from './lib/command';
import { environmentOption, noPositionals } from './lib/environment';
import { Runner, processRunner } from './lib/runner';

export type TeardownStep =
  | { readonly kind: 'tunnel-open'; readonly description: string; readonly argv: string[]; readonly port: number }
  | { readonly kind: 'tunnel-close'; readonly description: string }
  | { readonly kind: 'run'; readonly description: string; readonly argv: string[] }
  | { readonly kind: 'wait'; readonly description: string; readonly seconds: number };

/** Seconds external-dns needs to notice a deleted Ingress and remove its records (interval 1m, plus margin). */
export const EXTERNAL_DNS_GRACE_SECONDS = 90;

/** The steps, in order. Pure: tests check the order without running anything. */
export function teardownPlan(env: EnvironmentSettings): TeardownStep[] {
  const name = env.name;
  const kubectl = (...args: string[]) => ['kubectl', '--context', clusterName(name), ...args];
  const destroy = (stack: string): TeardownStep => ({ kind: 'run', description: `destroy the ${stack} stack`, argv: ['npx', 'cdktf', 'destroy', stack, '--auto-approve'] });
  const tunnel = env.argocd.kubernetesApi.mode === 'ssm-tunnel';
  const steps: TeardownStep[] = [];
  if (tunnel) steps.push({ kind: 'tunnel-open', description: 'open the tunnel to the private API', argv: ['npm', 'run', 'api-tunnel', '--', '--env', name], port: tunnelPort(env) });
  steps.push(
    // The root has no resources finalizer: deleting it removes only itself, and nothing re-creates the ApplicationSet.
    { kind: 'run', description: 'delete the root Application (non-cascading)', argv: kubectl('-n', 'argocd', 'delete', 'application', 'tiketi-root', '--ignore-not-found', '--wait') },
    // preserveResourcesOnDeletion: the generated Application goes, the workloads stay (unsynced) for the next steps.
    { kind: 'run', description: `delete the ApplicationSet tiketi-${name} (workloads stay, nothing syncs any more)`, argv: kubectl('-n', 'argocd', 'delete', 'applicationset', `tiketi-${name}`, '--ignore-not-found', '--wait') },
    // The generated Application goes by garbage collection; with its finalizer left, Argo CD's namespace would hang.
    { kind: 'run', description: `wait until the Application tiketi-${name} is gone`, argv: kubectl('-n', 'argocd', 'wait', '--for=delete', `application/tiketi-${name}`, '--timeout=5m') },
    // The platform Applications (no resources finalizer: their objects stay) would re-create Grafana's Ingress
    // and the Prometheus/Alertmanager volumes (self-heal) after the next steps delete them.
    { kind: 'run', description: 'delete the platform Applications monitoring, logging, monitoring-crds (non-cascading)', argv: kubectl('-n', 'argocd', 'delete', 'application', 'monitoring', 'logging', 'monitoring-crds', '--ignore-not-found', '--wait') },
    // While the ALB controller runs: each Ingress's finalizer waits until its ALB and target groups are gone.
    { kind: 'run', description: 'delete every Ingress (the ALB controller deletes their load balancers)', argv: kubectl('delete', 'ingress', '--all', '--all-namespaces', '--wait', '--timeout=15m') },
    { kind: 'wait', description: 'let external-dns remove the Ingresses\' DNS records', seconds: EXTERNAL_DNS_GRACE_SECONDS },
    // PVCs are held while pods use them: stop the StatefulSets first, then the EBS CSI driver deletes the volumes.
    { kind: 'run', description: `delete the StatefulSets of ${env.gitops.namespace}`, argv: kubectl('-n', env.gitops.namespace, 'delete', 'statefulset', '--all', '--wait', '--timeout=10m') },
    // The operator re-creates the StatefulSets of a Prometheus or Alertmanager: delete those, it removes the rest.
    { kind: 'run', description: 'delete Prometheus and Alertmanager of monitoring (the operator deletes their StatefulSets)', argv: kubectl('-n', 'monitoring', 'delete', 'prometheus,alertmanager', '--all', '--ignore-not-found', '--wait', '--timeout=10m') },
    { kind: 'run', description: 'delete every PersistentVolumeClaim (the EBS CSI driver deletes the volumes)', argv: kubectl('delete', 'pvc', '--all', '--all-namespaces', '--wait', '--timeout=10m') },
    destroy('argocd'),
  );
  if (tunnel) steps.push({ kind: 'tunnel-close', description: 'close the tunnel' });
  // observability reads network, data, edge and cluster (argocd read it); edge reads nothing; data and cluster read network.
  steps.push(destroy('observability'), destroy('edge'), destroy('data'), destroy('cluster'), destroy('network'));
  return steps;
}

export function teardownCommand(runner: Runner = processRunner()): Command {
  return {
    name: 'teardown',
    synopsis: '--env dev (--yes | --dry-run)',
    description:
      'Destroys a disposable environment without orphaning load balancers or volumes: Argo CD stopped, Ingresses and volume claims deleted while their controllers run, then the argocd, observability, edge, data, cluster and network stacks.',
    options: { env: { type: 'string' }, yes: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
    help: ['--env <name>   environment; only one whose data is disposable (dev)', '--yes          run the steps', '--dry-run      print the steps and run nothing'],
    async run(args, io) {
      noPositionals(args);
      const env = environmentOption(args);
      if (!(env.data.postgres.disposable && env.data.redis.disposable)) {
        throw new CommandError(`${env.name} keeps its data (data.postgres.disposable / data.redis.disposable are false): teardown destroys data, so it runs only for a disposable environment such as dev`);
      }
      const steps = teardownPlan(env);
      if (args.values['dry-run']) {
        steps.forEach((step, i) => io.out(`${i + 1}. ${step.description}${'argv' in step ? `: ${step.argv.join(' ')}` : step.kind === 'wait' ? ` (${step.seconds} s)` : ''}`));
        return `teardown: ${steps.length} steps for ${env.name} (dry run, nothing done)`;
      }
      if (!args.values.yes) throw new UsageError(`teardown destroys every stack of ${env.name}: add --yes to run it, or --dry-run to see the steps`);
      const envVars = { TIKETI_ENV: env.name };
      let tunnel: ReturnType<Runner['start']> | undefined;
      try {
        for (const step of steps) {
          io.out(`teardown: ${step.description}`);
          if (step.kind === 'tunnel-open') {
            tunnel = runner.start(step.argv, envVars);
            await runner.waitForPort(step.port, 60_000);
          } else if (step.kind === 'tunnel-close') {
            await tunnel?.stop();
            tunnel = undefined;
          } else if (step.kind === 'wait') {
            await runner.sleep(step.seconds * 1000);
          } else {
            await runner.run(step.argv, envVars);
          }
        }
      } finally {
        await tunnel?.stop();
      }
      return `teardown: ${env.name} destroyed (${steps.length} steps)`;
    },
  };
}

if (require.main === module) cliMain(teardownCommand());
