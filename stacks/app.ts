import * as fs from 'fs';
import * as path from 'path';
import { App, TerraformStack } from 'cdktf';
import { BackendSettings, loadBackend, loadStateBucketName } from '../config/backend';
import { BILLING, DNS, ENVIRONMENTS, REGISTRY } from '../config/environments';
import { BillingSettings, DnsSettings, ENVIRONMENT_NAMES, EnvironmentName, EnvironmentSettings, RegistrySettings, environmentRecordNames } from '../config/settings';
import { loadEnvironment, validateBilling, validateRegistry } from '../config/validate';
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
import { ENVIRONMENT_MARKER, readEnvironmentMarker, writeEnvironmentMarker } from './environment-marker';

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

export interface SynthesizeOptions {
  /** The environment variables (`process.env`): `TIKETI_ENV`, `TIKETI_BACKEND` and its variables, `TIKETI_STATE_BUCKET`, `CDKTF_OUTDIR`. */
  readonly vars: NodeJS.ProcessEnv;
  /** Directory that holds local state, and that the output directory is shown relative to. */
  readonly projectDir: string;
  /** @default - `ENVIRONMENTS` of config/environments.ts */
  readonly environments?: Readonly<Record<EnvironmentName, EnvironmentSettings>>;
  /** @default - `REGISTRY` of config/environments.ts */
  readonly registry?: RegistrySettings;
  /** @default - `DNS` of config/environments.ts */
  readonly dns?: DnsSettings;
}

export interface SynthesizeResult {
  readonly env: EnvironmentName;
  readonly outdir: string;
  readonly stacks: readonly string[];
  /** The environment the output held before, when it was another one. */
  readonly replaced?: string;
  /** The line `cdktf synth` prints: which environment it built, where, and its stacks. */
  readonly summary: string;
}

/**
 * What `cdktf synth` runs (main.ts): settings, registry, backend and state bucket validated before any
 * stack is built (bad input writes nothing), every stack synthesized, and the output marked with the
 * environment it holds (`tiketi-environment.json`).
 */
export function synthesizeTiketi(options: SynthesizeOptions): SynthesizeResult {
  const environments = options.environments ?? ENVIRONMENTS;
  const env = loadEnvironment(options.vars.TIKETI_ENV, environments, options.dns ?? DNS);
  const registry = validateRegistry(options.registry ?? REGISTRY, environments);
  const backend = loadBackend(options.vars, options.projectDir);
  const stateBucketName = loadStateBucketName(options.vars);
  const app = new App({ outdir: options.vars.CDKTF_OUTDIR || undefined });
  addTiketiStacks(app, { env, registry, backend, projectDir: options.projectDir, stateBucketName });
  const previous = readEnvironmentMarker(app.outdir);
  // Gone while the stacks are rewritten: an output whose synth failed half-way carries no marker at all.
  fs.rmSync(path.join(app.outdir, ENVIRONMENT_MARKER), { force: true });
  app.synth();
  const stacks = app.node.children.filter((child): child is TerraformStack => TerraformStack.isStack(child)).map((stack) => stack.node.id).sort();
  writeEnvironmentMarker(app.outdir, { environment: env.name, backend: backend.kind, stacks });
  const relative = path.relative(options.projectDir, app.outdir);
  const where = relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? app.outdir : relative;
  const replaced = previous !== undefined && previous.environment !== env.name ? previous.environment : undefined;
  const summary = `tiketi: synthesized environment ${env.name} into ${where}${replaced ? `, replacing the synth of ${replaced}` : ''} (stacks: ${stacks.join(', ')})`;
  return { env: env.name, outdir: app.outdir, stacks, replaced, summary };
}
