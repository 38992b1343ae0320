import * as path from 'path';
import { App } from 'cdktf';
import { BackendSettings } from '../config/backend';
import { BILLING, DNS, ENVIRONMENTS } from '../config/environments';
import { BillingSettings, DnsSettings, ENVIRONMENT_NAMES, EnvironmentName, EnvironmentSettings, RegistrySettings, environmentRecordNames } from '../config/settings';
import { validateBilling } from '../config/validate';
import { accessLogBucketName, frontendBucketName } from '../config/validation/edge';
import { ArgoCdStack } from './argocd-stack';
import { enforcePolicy } from '../policy/aspect';
import { BillingStack } from './billing-stack';
import { BootstrapStack } from './bootstrap-stack';
import { ClusterStack } from './cluster-stack';
import { DataStack } from './data-stack';
import { DnsStack } from './dns-stack';
import { EdgeStack } from './edge-stack';
import { NetworkStack } from './network-stack';
import { ObservabilityStack } from './observability-stack';
import { RegistryEnvironment, RegistryStack } from './registry-stack';

/** Default name of the Terraform state bucket; `TIKETI_STATE_BUCKET` overrides it (names are global). */
export const DEFAULT_STATE_BUCKET = 'tiketi-terraform-state';

export interface TiketiAppProps {
  readonly env: EnvironmentSettings;
  /** Account-wide registry settings (validated by the caller, like `env`). */
  readonly registry: RegistrySettings;
  /**
   * Account-wide dns settings.
   * @default - `DNS` of `config/environments.ts` (validated with every environment by `loadEnvironment`)
   */
  readonly dns?: DnsSettings;
  /**
   * Account-wide billing settings (the budget).
   * @default - `BILLING` of `config/environments.ts`
   */
  readonly billing?: BillingSettings;
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
  /** Account-wide: the public hosted zone, deployed before any edge. */
  readonly dns: DnsStack;
  readonly data: DataStack;
  readonly edge: EdgeStack;
  readonly argocd: ArgoCdStack;
  readonly observability: ObservabilityStack;
  /** Account-wide: the monthly budget of the account. */
  readonly billing: BillingStack;
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
    // CI roles of every environment live in the one account-wide stack, so it reads every environment's
    // branch and frontend bucket.
    environments: Object.fromEntries(
      ENVIRONMENT_NAMES.map((name): [EnvironmentName, RegistryEnvironment] => {
        const settings = ENVIRONMENTS[name];
        const { gitops, edge } = settings;
        return [
          name,
          {
            branch: gitops.branch,
            frontendBucket: frontendBucketName(name, edge.bucketSuffix),
            accessLogBucket: accessLogBucketName(name, edge.bucketSuffix),
            dnsNames: environmentRecordNames(settings),
          },
        ];
      }),
    ) as Record<EnvironmentName, RegistryEnvironment>,
    stateBucketName: props.stateBucketName ?? DEFAULT_STATE_BUCKET,
  });
  // Account-wide like the registry. Not a cross-stack reference: edge looks the zone up by name, so a missing
  // zone fails edge's plan, and no environment's state depends on the account's.
  const dns = new DnsStack(app, { dns: props.dns ?? DNS, backend });
  const data = new DataStack(app, { env, backend, vpc: network.vpc });
  const edge = new EdgeStack(app, { env, backend });
  // Alarms on what network, data, edge and cluster own, the alarm topics, the container log group; before
  // argocd, which alarms on its certificates through the topic.
  const observability = new ObservabilityStack(app, { env, backend, network, data, edge, cluster });
  const argocd = new ArgoCdStack(app, { env, backend, cluster, data, edge, observability, services: props.registry.services });
  const billing = new BillingStack(app, { billing: props.billing ?? validateBilling(BILLING), backend });
  // Policy as code (docs/policy.md): synth fails on any violation not excepted in the settings. Keep last.
  enforcePolicy(app, [
    { scope: env.name, stacks: [network, cluster, data, edge, observability, argocd], policy: env.policy, field: `${env.name}.policy` },
    { scope: 'account', stacks: [registry, dns, billing, bootstrap], policy: props.registry.policy, field: 'registry.policy' },
  ]);
  return { bootstrap, network, cluster, registry, dns, data, edge, argocd, observability, billing };
}
