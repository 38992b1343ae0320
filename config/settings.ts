/**
 * Typed settings of one Tiketi environment. Values live in `environments.ts`; `validate.ts` checks
 * them before any stack is built. Each section belongs to one stack.
 */

/** The environments Tiketi runs. `TIKETI_ENV` picks one; the order is the promotion order. */
export const ENVIRONMENT_NAMES = ['dev', 'staging', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/** NAT layout: one shared gateway (cheap, one AZ is a single point of failure) or one per AZ (HA). */
export type NatGatewayMode = 'single' | 'one-per-az';

export interface NetworkSettings {
  /** IPv4 CIDR of the VPC, e.g. `10.0.0.0/16`. */
  readonly vpcCidr: string;
  /** Availability zones, 2 or 3, in `ap-northeast-2a` form. Subnet lists below follow this order. */
  readonly availabilityZones: readonly string[];
  /** One public subnet per AZ (ALB, NAT gateways). */
  readonly publicSubnetCidrs: readonly string[];
  /** One private subnet per AZ (EKS nodes and pods). */
  readonly privateSubnetCidrs: readonly string[];
  /** One database subnet per AZ (RDS, ElastiCache); no route to the internet. */
  readonly databaseSubnetCidrs: readonly string[];
  readonly natGateways: NatGatewayMode;
  /** Retention of the VPC flow log group, in days (a CloudWatch-allowed value). */
  readonly flowLogRetentionDays: number;
  /**
   * Interface endpoints for `INTERFACE_ENDPOINT_SERVICES` (ECR api and dkr, STS, CloudWatch Logs, EKS Auth), so
   * image pulls, IRSA/Pod Identity token exchange and log shipping stay off the NAT gateways. The S3 gateway
   * endpoint is always on (free).
   */
  readonly interfaceEndpoints: boolean;
}

/**
 * AWS services (`com.amazonaws.<region>.<service>`) that get an interface endpoint where `interfaceEndpoints`
 * is on. `eks-auth` is the Pod Identity agent's `AssumeRoleForPodIdentity` API: without it, pods in private
 * subnets get no Pod Identity credentials when NAT is down. Each endpoint holds one address in every
 * private subnet, which the pod capacity check counts from this list.
 */
export const INTERFACE_ENDPOINT_SERVICES = ['ecr.api', 'ecr.dkr', 'sts', 'logs', 'eks-auth'] as const;

/** The interface endpoint services an environment's network gets (none when `interfaceEndpoints` is off). */
export function interfaceEndpointServices(network: NetworkSettings): readonly string[] {
  return network.interfaceEndpoints ? INTERFACE_ENDPOINT_SERVICES : [];
}

export interface PostgresSettings {
  /**
   * Pinned PostgreSQL major version, e.g. `17`. The minor version floats on purpose: automatic minor
   * upgrades (FSBP RDS.13) patch it in the maintenance window, and a pinned minor would make every later
   * plan try to downgrade. The parameter group family (`postgres<major>`) follows from it.
   */
  readonly engineVersion: string;
  /** A `db.*` instance class. */
  readonly instanceClass: string;
  /** Initial gp3 storage in GiB (20 or more). */
  readonly allocatedStorageGb: number;
  /** Upper bound of storage autoscaling, at least 10% above `allocatedStorageGb`. */
  readonly maxAllocatedStorageGb: number;
  /** A standby in a second AZ with synchronous replication and automatic failover. */
  readonly multiAz: boolean;
  /** Automated backup retention, 1 to 35 days (staging at least 7, prod at least 14). */
  readonly backupRetentionDays: number;
  /** Daily backup window in UTC, `hh24:mi-hh24:mi`, at least 30 minutes, outside the maintenance window. */
  readonly backupWindow: string;
  /** Weekly maintenance window in UTC, `ddd:hh24:mi-ddd:hh24:mi`, at least 30 minutes. */
  readonly maintenanceWindow: string;
  /**
   * True only where losing the database is acceptable (dev): no deletion protection, no final snapshot,
   * no `prevent_destroy`, automated backups deleted with the instance. Refused in staging and prod.
   */
  readonly disposable: boolean;
  /** Performance Insights and enhanced monitoring (required in staging and prod). */
  readonly monitoring: boolean;
}

export interface RedisSettings {
  /** Pinned Valkey engine version (major.minor, e.g. `8.1`); ElastiCache applies patch releases itself. */
  readonly engineVersion: string;
  /** A `cache.*` node type. */
  readonly nodeType: string;
  /** Primary plus replicas, 1 to 6; at least 2 for Multi-AZ with automatic failover. */
  readonly nodeCount: number;
  /** Replicas in another AZ than the primary, with automatic failover (needs 2+ nodes and 2+ AZs). */
  readonly multiAz: boolean;
  /** Daily snapshot retention, 1 to 35 days (prod at least 7). */
  readonly snapshotRetentionDays: number;
  /** Daily snapshot window in UTC, `hh24:mi-hh24:mi`, at least 60 minutes, outside the maintenance window. */
  readonly snapshotWindow: string;
  /** Weekly maintenance window in UTC, `ddd:hh24:mi-ddd:hh24:mi`, at least 60 minutes. */
  readonly maintenanceWindow: string;
  /** True only in dev: no final snapshot and no `prevent_destroy`. Refused in staging and prod. */
  readonly disposable: boolean;
}

export interface DataSettings {
  readonly postgres: PostgresSettings;
  readonly redis: RedisSettings;
  /** Retention of the data stack's log groups (PostgreSQL logs, Valkey slow log), in days. */
  readonly logRetentionDays: number;
}

export interface NodeGroupSettings {
  readonly instanceTypes: readonly string[];
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
  readonly diskSizeGb: number;
}

/**
 * The EKS add-ons every Tiketi cluster runs: networking, kube-proxy and the Pod Identity agent before
 * nodes exist, CoreDNS, the EBS CSI driver and metrics-server after.
 */
export const EKS_ADDON_NAMES = ['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent', 'coredns', 'aws-ebs-csi-driver', 'metrics-server'] as const;
export type EksAddonName = (typeof EKS_ADDON_NAMES)[number];

export interface ClusterSettings {
  /** Pinned Kubernetes minor version, in EKS standard support. */
  readonly kubernetesVersion: string;
  /**
   * Pinned version of every EKS add-on (`v<major>.<minor>.<patch>-eksbuild.<n>`), one AWS publishes for
   * `kubernetesVersion`. A version changes only by editing it here, so the plan shows every add-on update.
   */
  readonly addonVersions: Readonly<Record<EksAddonName, string>>;
  /**
   * CIDRs allowed to reach the public API endpoint. Empty means the endpoint is private only.
   * `0.0.0.0/0` is refused in staging and prod.
   */
  readonly publicAccessCidrs: readonly string[];
  /**
   * IAM roles of this account granted cluster admin through access entries: a role name
   * (`tiketi-platform-admin`) or a role ARN, with a path if it has one (IAM Identity Center roles:
   * `arn:aws:iam::<account>:role/aws-reserved/sso.amazonaws.com/<region>/AWSReservedSSO_<set>_<hex>`).
   * The plan looks each one up and fails when it does not exist. The CI roles get their entries anyway.
   */
  readonly adminRoles: readonly string[];
  /** IAM roles (names or ARNs, as `adminRoles`) granted read-only access (`AmazonEKSViewPolicy`: no Secrets). */
  readonly readOnlyRoles: readonly string[];
  readonly nodeGroup: NodeGroupSettings;
  /** Retention of the control plane log group, in days. */
  readonly logRetentionDays: number;
  /** VPC CNI prefix delegation (16 IPs per ENI slot): raises pod density per node. */
  readonly prefixDelegation: boolean;
}

/** CloudFront price classes. */
export const PRICE_CLASSES = ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'] as const;
export type PriceClass = (typeof PRICE_CLASSES)[number];

/** What a WAF rate-based rule does with a client over its limit. */
export const RATE_LIMIT_ACTIONS = ['block', 'count'] as const;
export type RateLimitAction = (typeof RATE_LIMIT_ACTIONS)[number];

/**
 * WAF settings of one environment (docs/edge.md, "WAF"). Limits are requests per aggregation key in a
 * 5-minute window. A ticket on-sale puts many buyers behind one carrier-grade NAT address, so the per-IP
 * limits are sized for a crowd behind one address, and one signed-in client is limited by IP + its
 * `Authorization` header instead.
 */
export interface WafSettings {
  /** CloudFront ACL (static frontend): requests per client IP. */
  readonly frontendIpRateLimit: number;
  /** Regional ACL (API): requests per client IP, the site-wide backstop. */
  readonly apiIpRateLimit: number;
  /**
   * Regional ACL: requests per client IP and `Authorization` header value, i.e. per signed-in client behind
   * an address. Requests without the header are not counted by this rule (the per-IP backstop still is).
   */
  readonly apiClientRateLimit: number;
  /**
   * API paths of the login (prefix match on the URL-decoded, normalised, lower-cased path, so
   * `/API/Auth/Login/` and `/api//auth/login` match `/api/auth/login`); they get `loginRateLimit`.
   */
  readonly loginPaths: readonly string[];
  /** Regional ACL: requests per client IP to `loginPaths` (credential stuffing), stricter than `apiIpRateLimit`. */
  readonly loginRateLimit: number;
  /**
   * What the site-wide and per-client rate rules do over their limit: `count` records (metrics, logs) without
   * blocking, for a first window before the limits are known to hold; `block` enforces. The login rule and the
   * managed rule groups always block.
   */
  readonly rateLimitAction: RateLimitAction;
  /** Days the `aws-waf-logs-*` log groups keep WAF logs (a CloudWatch-allowed value). */
  readonly logRetentionDays: number;
}

export interface EdgeSettings {
  /**
   * The public hosted zone the environment's records go into. Account-wide: it must equal `DNS.zoneName`
   * (created by the `dns` stack); `edge` only looks it up.
   */
  readonly zoneName: string;
  /** Where the frontend is served, inside `zoneName`. */
  readonly frontendDomain: string;
  /** The API domain the ALB serves, inside `zoneName`. */
  readonly apiDomain: string;
  /** Appended to `tiketi-frontend-<env>` for global uniqueness; empty for none. */
  readonly bucketSuffix: string;
  readonly priceClass: PriceClass;
  /**
   * `https://` origins of the payment provider the frontend loads scripts or frames from, or calls (e.g. a PG's
   * checkout SDK). They are added to the Content-Security-Policy (`script-src`, `frame-src`, `connect-src`) and
   * the `payment` permission; nothing else may load scripts (PCI DSS v4 6.4.3: every script authorised here,
   * in review). Empty until the provider is chosen.
   */
  readonly paymentOrigins: readonly string[];
  readonly waf: WafSettings;
  /** Days CloudFront access logs are kept in the log bucket before they expire. */
  readonly accessLogRetentionDays: number;
}

/** How Argo CD follows this environment. */
export interface GitOpsSettings {
  /** Git branch the environment's Application tracks. */
  readonly branch: string;
  /** Automated sync (prune + self-heal) or manual sync. */
  readonly autoSync: boolean;
  /** Kubernetes namespace of the services. */
  readonly namespace: string;
  /**
   * Client CIDRs the API's internet-facing ALB accepts (`alb.ingress.kubernetes.io/inbound-cidrs`, written
   * into the bridge). `0.0.0.0/0` (public, behind the regional WAF) is allowed only outside dev: dev's API
   * and its weaker data must not be open to the internet.
   */
  readonly apiInboundCidrs: readonly string[];
}

/** A pinned Helm chart: where it comes from and its exact version (never a range). */
export interface HelmChartSettings {
  /** Chart repository URL (HTTPS). */
  readonly repository: string;
  readonly chart: string;
  /** Exact chart version, `major.minor.patch`. */
  readonly version: string;
}

/** The Helm charts the `argocd` stack installs. */
export interface ArgoCdCharts {
  readonly argoCd: HelmChartSettings;
  /** Delivers the root Application (a custom resource) after Argo CD's CRDs exist. */
  readonly argocdApps: HelmChartSettings;
  readonly sealedSecrets: HelmChartSettings;
  readonly awsLoadBalancerController: HelmChartSettings;
  readonly externalDns: HelmChartSettings;
  readonly clusterAutoscaler: HelmChartSettings;
}

/**
 * How the kubernetes and helm providers reach the private API endpoint.
 * `direct`: the endpoint itself (from inside the VPC). `ssm-tunnel`: `https://127.0.0.1:<localPort>` with
 * `tls_server_name` = the endpoint's host, through `npm run api-tunnel -- --env <env>` (SSM port forwarding
 * through the cluster stack's api-access host).
 */
export type KubernetesApiAccess = { readonly mode: 'direct' } | { readonly mode: 'ssm-tunnel'; readonly localPort: number };

/** Secrets Manager secret names (values written by people or `npm run sealing-key`, never by Terraform). */
export interface ArgoCdSecretNames {
  /** `tiketi/<env>/sealed-secrets-key`: JSON `{"tls.crt","tls.key"}` (docs/platform-contracts.md). */
  readonly sealingKey: string;
  /** SSH private key (PEM or OpenSSH) of the GitOps repository's read-only deploy key. */
  readonly repositoryDeployKey: string;
  /** Shared secret of the GitHub webhook that tells Argo CD about a push. */
  readonly githubWebhook: string;
  /** Slack bot token (`xoxb-...`) of the notifications controller. */
  readonly slackToken: string;
  /** JSON `{"clientID","clientSecret"}` of the GitHub OAuth app Dex signs users in with. */
  readonly ssoClient: string;
}

/** What the `argocd` stack installs into the environment's cluster and how it reaches the API. */
export interface ArgoCdSettings {
  readonly charts: ArgoCdCharts;
  /** Argo CD in HA: redis-ha (3 Redis + 3 HAProxy, one per node), PDBs, 2+ replicas below. */
  readonly highAvailability: boolean;
  /** Replica counts; with `highAvailability` each Argo CD count must be 2 or more. */
  readonly replicas: {
    readonly server: number;
    readonly repoServer: number;
    readonly applicationSet: number;
    readonly awsLoadBalancerController: number;
  };
  /** Host of the Argo CD UI/API behind the ALB, inside `edge.zoneName` (external-dns creates its record). */
  readonly hostname: string;
  /** Client CIDRs the Argo CD ALB accepts (GitHub's webhook ranges must be inside for push-to-sync). */
  readonly inboundCidrs: readonly string[];
  /** GitHub organization whose members may sign in (Dex GitHub connector); everyone gets `role:readonly`. */
  readonly githubOrganization: string;
  /** `org:team` group that gets `role:admin` (the local admin user is disabled). */
  readonly adminGroup: string;
  /** Slack channel the Applications subscribe to (`notifications.argoproj.io/subscribe.*.slack`). */
  readonly notificationChannel: string;
  /** Name of the Argo CD repository Secret (`argocd.argoproj.io/secret-type: repository`) in `argocd`. */
  readonly repositorySecretName: string;
  readonly secrets: ArgoCdSecretNames;
  /** external-dns: `upsert-only` never deletes a record (prod), `sync` also removes stale ones. */
  readonly externalDnsPolicy: 'sync' | 'upsert-only';
  /**
   * The services use AWS data stores (RDS, ElastiCache): the stack writes the `tiketi-infrastructure`
   * ConfigMap and Pod Identity roles for the service accounts. False where the overlay runs in-cluster
   * data and generates that ConfigMap itself (dev): Terraform and Argo CD must not both own it.
   */
  readonly workloadsUseAwsData: boolean;
  /**
   * PostgreSQL user the services connect as with IAM authentication (the migration Job creates it with
   * `GRANT rds_iam`): `DB_USER` in the bridge and the user in their `rds-db:connect` permission.
   */
  readonly applicationDatabaseUser: string;
  readonly kubernetesApi: KubernetesApiAccess;
}

/** Requests of one container: CPU in millicores, memory in MiB (what the scheduler reserves). */
export interface ContainerRequests {
  readonly cpuMillis: number;
  readonly memoryMiB: number;
}

/** Prometheus of one environment (kube-prometheus-stack, `gitops/platform/monitoring`). */
export interface PrometheusSettings {
  /** Replicas; 2 in prod (an HA pair: each scrapes everything, Alertmanager deduplicates their alerts). */
  readonly replicas: number;
  /** Days of samples kept (`retention`). */
  readonly retentionDays: number;
  /** Size cap of the TSDB blocks (`retentionSize`), in GB; kept below the volume so the WAL and compaction fit. */
  readonly retentionSizeGb: number;
  /**
   * Persistent volume per replica in GiB on the `gp3` StorageClass (argocd stack). 0: an `emptyDir` of
   * `retentionSizeGb` + 25 % (lean, lost on restart; dev only).
   */
  readonly storageGb: number;
  /** Requests of the prometheus container; its memory limit is twice the request. */
  readonly requests: ContainerRequests;
}

/** Alertmanager of one environment. */
export interface AlertmanagerSettings {
  /** Replicas; 3 in prod (a gossip cluster: silences and notification state survive a node). */
  readonly replicas: number;
  /** Persistent volume per replica in GiB (silences, notification log); 0: `emptyDir`. */
  readonly storageGb: number;
}

/** CloudWatch alarm thresholds that differ by environment (the rest are in `config/observability.ts`). */
export interface AlarmSettings {
  /** RDS `DatabaseConnections` above this many for 10 minutes (about 80 % of the class's `max_connections`). */
  readonly rdsMaxConnections: number;
  /** ALB `TargetResponseTime` p99 above this many seconds for 10 minutes. */
  readonly albP99Seconds: number;
}

/**
 * Metrics, dashboards, alerts and logs of one environment (docs/observability.md): the kube-prometheus-stack
 * Argo CD deploys, the CloudWatch alarms of the `observability` stack, container logs (Fluent Bit).
 */
export interface ObservabilitySettings {
  /** kube-prometheus-stack, pinned; Argo CD installs it from `gitops/argocd/<env>/monitoring*.yaml`. */
  readonly chart: HelmChartSettings;
  /** Grafana behind the Argo CD ALB (same listener, certificate list and WAF), inside `edge.zoneName`. */
  readonly grafanaHostname: string;
  readonly prometheus: PrometheusSettings;
  readonly alertmanager: AlertmanagerSettings;
  /** Slack channel every alert of the environment goes to (Alertmanager; the webhook URL is a SealedSecret). */
  readonly slackChannel: string;
  /** Critical alerts also page through PagerDuty (routing key from a SealedSecret). Required in prod. */
  readonly paging: boolean;
  /**
   * E-mail addresses subscribed to the environment's alarm topics (CloudWatch alarms, RDS events). In prod,
   * the PagerDuty service's e-mail integration address goes here, so AWS alarms page without a key in state.
   * Each subscription must be confirmed once from the mailbox.
   */
  readonly alarmEmails: readonly string[];
  readonly alarms: AlarmSettings;
  /** Days the container log group keeps Fluent Bit's records (a CloudWatch-allowed value). */
  readonly containerLogRetentionDays: number;
  /** Fluent Bit image, an exact tag (`cr.fluentbit.io/fluent/fluent-bit:<x.y.z>`; 4.0+ for EKS Pod Identity). */
  readonly fluentBitImage: string;
}

/**
 * An accepted policy finding (see `docs/policy.md`): the control stops failing synth for the resources
 * it names, and the report shows it as excepted with its reason.
 */
export interface PolicyException {
  /** The control ID the report shows, e.g. `RDS.5` or `Tiketi.2`. */
  readonly control: string;
  /**
   * `<stack>/<terraform address>` (e.g. `data/aws_db_instance.postgres_instance_919E2690`) or a construct
   * path (`data/postgres/instance`); `*` matches any characters.
   * @default - every resource the control checks in this scope
   */
  readonly resource?: string;
  /** Why the finding is accepted; for a temporary one, the issue item that removes it ("issue 9 item 8: ..."). */
  readonly reason: string;
}

/** Policy settings of one scope. An exception without a reason, or one that no longer matches a failure (stale), fails synth. */
export interface PolicySettings {
  readonly exceptions: readonly PolicyException[];
}

/**
 * The tiers `npm run az-check` follows through the loss of one AZ (docs/az-and-capacity.md): private egress
 * (NAT), the EKS control plane, node capacity, the services' pods (replicas, spread, PDBs), PostgreSQL (RDS),
 * Valkey (ElastiCache), the load balancers, the api-access host and the monitoring stack.
 */
export const AZ_TIERS = ['nat', 'control-plane', 'node-capacity', 'services', 'postgres', 'redis', 'load-balancers', 'api-access', 'monitoring'] as const;
export type AzTier = (typeof AZ_TIERS)[number];

/**
 * An accepted AZ-loss outage (like a policy exception): `npm run az-check` shows the tier as down, accepted,
 * with its reason, and does not fail on it. An acceptance without a reason, or for a tier that no longer goes
 * down with any AZ it covers (stale), fails the check.
 */
export interface AcceptedAzLoss {
  readonly tier: AzTier;
  /**
   * The AZ whose loss is accepted (one of `network.availabilityZones`).
   * @default - the loss of any AZ
   */
  readonly availabilityZone?: string;
  /** Why the outage is accepted and how the tier recovers; for a temporary one, the issue item that removes it. */
  readonly reason: string;
}

export interface AvailabilitySettings {
  readonly acceptedLosses: readonly AcceptedAzLoss[];
}

export interface EnvironmentSettings {
  readonly name: EnvironmentName;
  readonly region: string;
  readonly network: NetworkSettings;
  readonly data: DataSettings;
  readonly cluster: ClusterSettings;
  readonly edge: EdgeSettings;
  readonly gitops: GitOpsSettings;
  readonly argocd: ArgoCdSettings;
  readonly observability: ObservabilitySettings;
  /** Accepted findings of the policy in this environment's stacks. */
  readonly policy: PolicySettings;
  /** AZ-loss outages accepted with a reason (`npm run az-check`). */
  readonly availability: AvailabilitySettings;
}

/**
 * The two human roles the `registry` stack creates in every account (MFA required, out of CI's reach), so
 * a fresh account has principals for the clusters' access entries. Settings may name other roles too.
 */
export const DEFAULT_HUMAN_ROLES = { platformAdmin: 'tiketi-platform-admin', developer: 'tiketi-developer' } as const;

/**
 * The GitHub Actions roles of the `registry` stack (docs/platform-contracts.md, docs/registry.md). Each
 * cluster stack grants its own environment's apply role (`infraApplyRoleName`) and `infraPlan` their access
 * entries itself.
 */
export const CI_ROLE_NAMES = {
  imagePush: 'tiketi-ci-image-push',
  infraPlan: 'tiketi-ci-infra-plan',
  /** Followed by the environment name: `tiketi-ci-infra-apply-prod` applies prod's stacks and nothing else. */
  infraApplyPrefix: 'tiketi-ci-infra-apply-',
  /** Followed by the environment name: `tiketi-ci-frontend-deploy-prod`. */
  frontendDeployPrefix: 'tiketi-ci-frontend-deploy-',
} as const;

/** `tiketi-ci-infra-apply-<env>`: the role that applies `env`'s stacks, from that environment's GitHub environment. */
/**
 * The host names the cluster's external-dns writes (and ACM validates) for an environment: the API, Argo CD
 * and Grafana, all behind the cluster's ALBs. The one list external-dns' domain filter and the apply role's
 * Route53 scope both use, so a new host cannot be published by one and refused by the other.
 */
export function clusterHostnames(env: Pick<EnvironmentSettings, 'edge' | 'argocd' | 'observability'>): readonly string[] {
  return [env.edge.apiDomain, env.argocd.hostname, env.observability.grafanaHostname];
}

/** Every record name an environment's stacks write in the shared zone: the frontend (edge) and the cluster's hosts. */
export function environmentRecordNames(env: Pick<EnvironmentSettings, 'edge' | 'argocd' | 'observability'>): readonly string[] {
  return [env.edge.frontendDomain, ...clusterHostnames(env)];
}

export function infraApplyRoleName(env: EnvironmentName): string {
  return `${CI_ROLE_NAMES.infraApplyPrefix}${env}`;
}

/** Settings of the account-wide `dns` stack (one per AWS account, deployed before any `edge`). */
export interface DnsSettings {
  /** Region of the stack's provider and state (Route53 itself is global). */
  readonly region: string;
  /** The public hosted zone every environment's records live in, e.g. `tiketi.com`. */
  readonly zoneName: string;
}

/** Settings of the account-wide `registry` stack (one per AWS account, not per environment). */
export interface RegistrySettings {
  readonly region: string;
  /** Services that get an ECR repository `tiketi-<service>`. */
  readonly services: readonly string[];
  /**
   * `dev-<sha12>` images kept per repository (newest first); older ones expire. `rel-<sha12>` images never
   * expire (docs/platform-contracts.md, "Image tags").
   */
  readonly keepDevImages: number;
  /** Untagged images expire after this many days. */
  readonly untaggedExpiryDays: number;
  /**
   * GitHub repository whose Actions workflows may assume the CI roles, and for each environment the GitHub
   * environment that alone may assume its apply role `tiketi-ci-infra-apply-<env>` (its deployment branch
   * policy admits that environment's branch only; prod's has required reviewers).
   */
  readonly github: {
    readonly owner: string;
    readonly repository: string;
    /** GitHub environment of each environment's applies, e.g. `{ dev: 'dev', staging: 'staging', prod: 'production' }`. */
    readonly applyEnvironments: Readonly<Record<EnvironmentName, string>>;
    /**
     * `create` the account's `token.actions.githubusercontent.com` OIDC provider, or `import` the one that
     * already exists (an IAM account holds at most one provider per URL): the stack then adopts it through
     * an `import` block on the next apply.
     */
    readonly oidcProvider: 'create' | 'import';
  };
  /** Accepted policy findings of the account-wide stacks (`registry`, `bootstrap`). */
  readonly policy: PolicySettings;
}

/**
 * Settings of the account-wide `billing` stack: one monthly AWS Budget over the whole account (the three
 * environments share it), with alerts on actual and forecast spend.
 */
export interface BillingSettings {
  readonly region: string;
  /** Monthly limit of the account's budget, in USD. */
  readonly monthlyLimitUsd: number;
  /** Alerts at these percentages of the limit on actual spend (e.g. 80, 100). */
  readonly actualAlertPercents: readonly number[];
  /** Alerts at these percentages of the limit on forecast spend (e.g. 100). */
  readonly forecastAlertPercents: readonly number[];
  /** Addresses that get the budget alerts by e-mail (besides the billing topic). */
  readonly alertEmails: readonly string[];
}
