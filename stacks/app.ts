import * as path from 'path';
import { App } from 'cdktf';
import { BackendSettings } from '../config/backend';
import { ENVIRONMENTS } from '../config/environments';
import { ENVIRONMENT_NAMES, EnvironmentName, EnvironmentSettings, RegistrySettings } from '../config/settings';
import { enforcePolicy } from '../policy/aspect';
import { BootstrapStack } from './bootstrap-stack';
import { ClusterStack } from './cluster-stack';
import { DataStack } from './data-stack';
import { EdgeStack } from './edge-stack';
import { NetworkStack } from './network-stack';
import { RegistryStack } from './registry-stack';

/** Default name of the Terraform state bucket; `TIKETI_STATE_BUCKET` overrides it (names are global). */
export const DEFAULT_STATE_BUCKET = 'tiketi-terraform-state';

export interface TiketiAppProps {
  readonly env: EnvironmentSettings;
  /** Account-wide registry settings (validated by the caller, like `env`). */
  readonly registry: RegistrySettings;
  readonly backend: BackendSettings;
  /** Directory that holds local state (bootstrap always, every stack with the local backend). */
  readonly projectDir: string;
  readonly stateBucketName?: string;
}

export interface TiketiStacks {
  readonly bootstrap: BootstrapStack;
  readonly network: NetworkStack;
  readonly cluster: ClusterStack;
  /** Account-wide: the same in every environment. */
  readonly registry: RegistryStack;
  readonly data: DataStack;
  readonly edge: EdgeStack;
}

/** Builds every stack of one environment into `app`: the one place where stacks are wired together. */
export function addTiketiStacks(app: App, props: TiketiAppProps): TiketiStacks {
  const { env, backend } = props;
  const bootstrap = new BootstrapStack(app, {
    region: env.region,
    stateBucketName: props.stateBucketName ?? DEFAULT_STATE_BUCKET,
    localStateDir: path.join(props.projectDir, 'terraform.state'),
  });
  const network = new NetworkStack(app, { env, backend });
  const cluster = new ClusterStack(app, { env, backend, vpc: network.vpc });
  const registry = new RegistryStack(app, {
    registry: props.registry,
    backend,
    // CI roles of every environment live in the one account-wide stack, so it reads every environment's branch.
    branches: Object.fromEntries(ENVIRONMENT_NAMES.map((name) => [name, ENVIRONMENTS[name].gitops.branch])) as Record<EnvironmentName, string>,
    stateBucketName: props.stateBucketName ?? DEFAULT_STATE_BUCKET,
  });
  const data = new DataStack(app, { env, backend, vpc: network.vpc });
  const edge = new EdgeStack(app, { env, backend });
  // Policy as code (docs/policy.md): synth fails on any violation not excepted in the settings. Keep last.
  enforcePolicy(app, [
    { scope: env.name, stacks: [network, cluster, data, edge], policy: env.policy, field: `${env.name}.policy` },
    { scope: 'account', stacks: [registry, bootstrap], policy: props.registry.policy, field: 'registry.policy' },
  ]);
  return { bootstrap, network, cluster, registry, data, edge };
}
