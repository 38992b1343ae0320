/**
 * `npm run api-tunnel -- --env <env>`: opens the one way into the environment's private Kubernetes API, for
 * people and CI alike. It finds the cluster stack's api-access host, the one instance of an Auto Scaling group
 * (running instances tagged `tiketi:role=api-access`, `Environment=<env>`; while the group replaces a failed
 * one, e.g. after an AZ loss, two may be running: then the one Auto Scaling reports InService and healthy), points a kubeconfig context `tiketi-<env>` at the local end (`https://127.0.0.1:<port>`,
 * TLS name = the endpoint's host, so the API server's certificate is still verified), and runs an SSM
 * port-forwarding session (`AWS-StartPortForwardingSessionToRemoteHost`) in the foreground until Ctrl-C.
 * The port is the environment's `argocd.kubernetesApi.localPort`, the one the argocd stack's providers use.
 * `--background` (CI: the workflows' tunnel step) leaves the session running after the command returns,
 * once the port accepts connections; `--no-kubeconfig` skips the context (the providers need only the port).
 * Needs the AWS CLI with the Session Manager plugin, kubectl (unless --no-kubeconfig), and IAM permission for
 * ec2:DescribeInstances, eks:DescribeCluster and ssm:StartSession (and autoscaling:DescribeAutoScalingInstances
 * while a replacement is under way).
 */
import * as os from 'os';
import * as path from 'path';
import { clusterName } from '../config/naming';
import { EnvironmentSettings } from '../config/settings';
import { API_ACCESS_ROLE_TAG } from '../modules/api-access-host';
import { Command, CommandError, UsageError, cliMain } from './lib/command';
import { environmentOption, noPositionals } from './lib/environment';
import { Runner, processRunner } from './lib/runner';

export interface TunnelPlan {
  readonly instanceId: string;
  readonly endpointHost: string;
  readonly clusterArn: string;
  readonly port: number;
  readonly context: string;
}

/** The local port of `env`'s tunnel; a `direct` environment needs none. */
export function tunnelPort(env: EnvironmentSettings): number {
  const access = env.argocd.kubernetesApi;
  if (access.mode !== 'ssm-tunnel') throw new CommandError(`${env.name}.argocd.kubernetesApi.mode is "direct": the providers reach the endpoint itself, no tunnel is needed`);
  return access.localPort;
}

/** How long `--background` waits for the port forward to accept connections. */
export const BACKGROUND_OPEN_TIMEOUT_MS = 60_000;

/**
 * Looks up the host and the endpoint, and (unless `kubeconfig` is false) points the `tiketi-<env>` kubeconfig
 * context at the tunnel.
 */
export async function prepareTunnel(env: EnvironmentSettings, runner: Runner, port = tunnelPort(env), kubeconfig = true): Promise<TunnelPlan> {
  const region = ['--region', env.region];
  const ids = (
    await runner.capture([
      'aws', 'ec2', 'describe-instances', ...region,
      '--filters', `Name=tag:${API_ACCESS_ROLE_TAG.key},Values=${API_ACCESS_ROLE_TAG.value}`, `Name=tag:Environment,Values=${env.name}`, 'Name=instance-state-name,Values=running',
      '--query', 'Reservations[].Instances[].InstanceId', '--output', 'text',
    ])
  ).split(/\s+/).filter(Boolean);
  const instanceId = ids.length > 1 ? await inServiceHost(env, runner, ids) : ids[0];
  if (!instanceId) throw new CommandError(`expected one running api-access instance of ${env.name}, found 0: deploy the cluster stack (or wait: its Auto Scaling group may be launching a replacement)`);
  const name = clusterName(env.name);
  const [endpoint, clusterArn] = (await runner.capture(['aws', 'eks', 'describe-cluster', ...region, '--name', name, '--query', '[cluster.endpoint,cluster.arn]', '--output', 'text'])).split(/\s+/);
  if (!/^https:\/\/[a-z0-9.-]+$/i.test(endpoint ?? '') || !clusterArn) throw new CommandError(`unexpected describe-cluster answer for ${name}: ${JSON.stringify(endpoint)}`);
  const endpointHost = endpoint.replace(/^https:\/\//, '');
  const context = name;
  if (kubeconfig) {
    await runner.run(['aws', 'eks', 'update-kubeconfig', ...region, '--name', name, '--alias', context]);
    await runner.run(['kubectl', 'config', 'set-cluster', clusterArn, `--server=https://127.0.0.1:${port}`, `--tls-server-name=${endpointHost}`]);
  }
  return { instanceId, endpointHost, clusterArn, port, context };
}

/**
 * Of several running hosts (the Auto Scaling group launched a replacement while the old one, e.g. in a failed
 * AZ, is not terminated yet), the one Auto Scaling has InService and healthy; none or several is a failure.
 */
async function inServiceHost(env: EnvironmentSettings, runner: Runner, ids: string[]): Promise<string> {
  const rows = (
    await runner.capture([
      'aws', 'autoscaling', 'describe-auto-scaling-instances', '--region', env.region, '--instance-ids', ...ids,
      '--query', 'AutoScalingInstances[].[InstanceId,LifecycleState,HealthStatus]', '--output', 'text',
    ])
  ).split('\n').map((line) => line.trim().split(/\s+/)).filter((row) => row.length === 3);
  // describe-auto-scaling-instances spells health HEALTHY; describe-auto-scaling-groups, Healthy.
  const serving = rows.filter(([id, state, health]) => ids.includes(id) && state === 'InService' && health.toUpperCase() === 'HEALTHY').map(([id]) => id);
  if (serving.length !== 1) {
    throw new CommandError(`expected one running api-access instance of ${env.name}, found ${ids.length} (${ids.join(', ')}) of which ${serving.length} InService and healthy in its Auto Scaling group${serving.length ? ` (${serving.join(', ')})` : ''}`);
  }
  return serving[0];
}

/** The SSM session that forwards 127.0.0.1:<port> to the endpoint on 443 through the host. */
export function sessionArgv(env: EnvironmentSettings, plan: TunnelPlan): string[] {
  return [
    'aws', 'ssm', 'start-session', '--region', env.region, '--target', plan.instanceId,
    '--document-name', 'AWS-StartPortForwardingSessionToRemoteHost',
    '--parameters', `host=${plan.endpointHost},portNumber=443,localPortNumber=${plan.port}`,
  ];
}

/**
 * Starts the session in the background and returns once 127.0.0.1:<port> accepts connections; a session that
 * ends first, or a port that stays closed, is a failure (and the session is ended).
 */
async function openInBackground(env: EnvironmentSettings, plan: TunnelPlan, runner: Runner, logFile: string): Promise<number> {
  const session = runner.detach(sessionArgv(env, plan), logFile);
  const ended = session.exited.then((code) => {
    throw new CommandError(`the SSM session ended (exit code ${code}) before 127.0.0.1:${plan.port} opened; its output is in ${logFile}`);
  });
  try {
    await Promise.race([runner.waitForPort(plan.port, BACKGROUND_OPEN_TIMEOUT_MS), ended]);
  } catch (error) {
    session.kill();
    if (error instanceof CommandError && !error.message.includes(logFile)) throw new CommandError(`${error.message}; the session's output is in ${logFile}`);
    throw error;
  }
  ended.catch(() => undefined); // the session may end later, after this command: not an error of it
  return session.pid;
}

export function apiTunnelCommand(runner: Runner = processRunner()): Command {
  return {
    name: 'api-tunnel',
    synopsis: '--env <dev|staging|prod> [--port <n>] [--background [--log <file>]] [--no-kubeconfig]',
    description:
      'Opens an SSM port-forwarding tunnel to the private Kubernetes API of the environment and points the kubeconfig context tiketi-<env> at it. Runs until Ctrl-C, or with --background (CI) returns once the port accepts connections and leaves the session running.',
    options: { env: { type: 'string' }, port: { type: 'string' }, background: { type: 'boolean' }, log: { type: 'string' }, 'no-kubeconfig': { type: 'boolean' } },
    help: [
      '--env <name>      environment',
      '--port <n>        local port (default: argocd.kubernetesApi.localPort of the settings, the one cdktf deploy argocd uses)',
      `--background      start the session in the background, wait (up to ${BACKGROUND_OPEN_TIMEOUT_MS / 1000} s) until the port accepts connections, print it and return; stop the session with kill <pid>`,
      '--log <file>      with --background: where the session writes its output (default: tiketi-api-tunnel-<env>.log in the temporary directory)',
      '--no-kubeconfig   do not write the kubeconfig context (CI: the kubernetes and helm providers need only the port)',
    ],
    async run(args) {
      noPositionals(args);
      const env = environmentOption(args);
      let port = tunnelPort(env);
      if (args.values.port !== undefined) {
        port = Number(args.values.port);
        if (!Number.isInteger(port) || port < 1024 || port > 65535) throw new UsageError(`--port: got ${JSON.stringify(args.values.port)}, expected an integer from 1024 to 65535`);
      }
      if (args.values.log !== undefined && !args.values.background) throw new UsageError('--log goes with --background (in the foreground the session writes to the terminal)');
      const plan = await prepareTunnel(env, runner, port, !args.values['no-kubeconfig']);
      const route = `127.0.0.1:${plan.port} -> ${plan.endpointHost}:443`;
      const context = args.values['no-kubeconfig'] ? 'no kubeconfig context' : `context ${plan.context}`;
      if (args.values.background) {
        const logFile = path.resolve(String(args.values.log ?? path.join(os.tmpdir(), `tiketi-api-tunnel-${env.name}.log`)));
        const pid = await openInBackground(env, plan, runner, logFile);
        return `api-tunnel: port ${plan.port} open in the background: ${route} (${context}; session pid ${pid}, output ${logFile}; stop it with kill ${pid})`;
      }
      await runner.run(sessionArgv(env, plan));
      return `api-tunnel: closed the tunnel ${route} (${context})`;
    },
  };
}

if (require.main === module) cliMain(apiTunnelCommand());
