/**
 * `npm run api-tunnel -- --env <env>`: opens the one way into the environment's private Kubernetes API. It
 * finds the cluster stack's api-access host (tags `tiketi:role=api-access`, `Environment=<env>`), points a
 * kubeconfig context `tiketi-<env>` at the local end (`https://127.0.0.1:<port>`, TLS name = the endpoint's
 * host, so the API server's certificate is still verified), and runs an SSM port-forwarding session
 * (`AWS-StartPortForwardingSessionToRemoteHost`) in the foreground until Ctrl-C. The port is the
 * environment's `argocd.kubernetesApi.localPort`, the one the argocd stack's providers use.
 * Needs the AWS CLI with the Session Manager plugin, kubectl, and IAM permission for ssm:StartSession.
 */
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

/** Looks up the host and the endpoint, and points the `tiketi-<env>` kubeconfig context at the tunnel. */
export async function prepareTunnel(env: EnvironmentSettings, runner: Runner, port = tunnelPort(env)): Promise<TunnelPlan> {
  const region = ['--region', env.region];
  const ids = (
    await runner.capture([
      'aws', 'ec2', 'describe-instances', ...region,
      '--filters', `Name=tag:${API_ACCESS_ROLE_TAG.key},Values=${API_ACCESS_ROLE_TAG.value}`, `Name=tag:Environment,Values=${env.name}`, 'Name=instance-state-name,Values=running',
      '--query', 'Reservations[].Instances[].InstanceId', '--output', 'text',
    ])
  ).split(/\s+/).filter(Boolean);
  if (ids.length !== 1) throw new CommandError(`expected one running api-access instance of ${env.name}, found ${ids.length}${ids.length ? ` (${ids.join(', ')})` : ': deploy the cluster stack'}`);
  const name = clusterName(env.name);
  const [endpoint, clusterArn] = (await runner.capture(['aws', 'eks', 'describe-cluster', ...region, '--name', name, '--query', '[cluster.endpoint,cluster.arn]', '--output', 'text'])).split(/\s+/);
  if (!/^https:\/\/[a-z0-9.-]+$/i.test(endpoint ?? '') || !clusterArn) throw new CommandError(`unexpected describe-cluster answer for ${name}: ${JSON.stringify(endpoint)}`);
  const endpointHost = endpoint.replace(/^https:\/\//, '');
  const context = name;
  await runner.run(['aws', 'eks', 'update-kubeconfig', ...region, '--name', name, '--alias', context]);
  await runner.run(['kubectl', 'config', 'set-cluster', clusterArn, `--server=https://127.0.0.1:${port}`, `--tls-server-name=${endpointHost}`]);
  return { instanceId: ids[0], endpointHost, clusterArn, port, context };
}

/** The SSM session that forwards 127.0.0.1:<port> to the endpoint on 443 through the host. */
export function sessionArgv(env: EnvironmentSettings, plan: TunnelPlan): string[] {
  return [
    'aws', 'ssm', 'start-session', '--region', env.region, '--target', plan.instanceId,
    '--document-name', 'AWS-StartPortForwardingSessionToRemoteHost',
    '--parameters', `host=${plan.endpointHost},portNumber=443,localPortNumber=${plan.port}`,
  ];
}

export function apiTunnelCommand(runner: Runner = processRunner()): Command {
  return {
    name: 'api-tunnel',
    synopsis: '--env <dev|staging|prod> [--port <n>]',
    description: 'Opens an SSM port-forwarding tunnel to the private Kubernetes API of the environment and points the kubeconfig context tiketi-<env> at it. Runs until Ctrl-C.',
    options: { env: { type: 'string' }, port: { type: 'string' } },
    help: ['--env <name>   environment', '--port <n>     local port (default: argocd.kubernetesApi.localPort of the settings, the one cdktf deploy argocd uses)'],
    async run(args) {
      noPositionals(args);
      const env = environmentOption(args);
      let port = tunnelPort(env);
      if (args.values.port !== undefined) {
        port = Number(args.values.port);
        if (!Number.isInteger(port) || port < 1024 || port > 65535) throw new UsageError(`--port: got ${JSON.stringify(args.values.port)}, expected an integer from 1024 to 65535`);
      }
      const plan = await prepareTunnel(env, runner, port);
      await runner.run(sessionArgv(env, plan));
      return `api-tunnel: closed the tunnel 127.0.0.1:${plan.port} -> ${plan.endpointHost}:443 (context ${plan.context})`;
    },
  };
}

if (require.main === module) cliMain(apiTunnelCommand());
