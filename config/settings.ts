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
   * Interface endpoints for ECR (api, dkr), STS and CloudWatch Logs, so image pulls, IRSA/Pod Identity
   * token exchange and log shipping stay off the NAT gateways. The S3 gateway endpoint is always on (free).
   */
  readonly interfaceEndpoints: boolean;
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

export interface ClusterSettings {
  /** Pinned Kubernetes minor version, in EKS standard support. */
  readonly kubernetesVersion: string;
  /**
   * CIDRs allowed to reach the public API endpoint. Empty means the endpoint is private only.
   * `0.0.0.0/0` is refused in staging and prod.
   */
  readonly publicAccessCidrs: readonly string[];
  /** IAM role names (in this account) granted cluster admin through access entries. */
  readonly adminRoleNames: readonly string[];
  /** IAM role names granted read-only (view) access. */
  readonly readOnlyRoleNames: readonly string[];
  readonly nodeGroup: NodeGroupSettings;
  /** Retention of the control plane log group, in days. */
  readonly logRetentionDays: number;
  /** VPC CNI prefix delegation (16 IPs per ENI slot): raises pod density per node. */
  readonly prefixDelegation: boolean;
}

/** CloudFront price classes. */
export const PRICE_CLASSES = ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'] as const;
export type PriceClass = (typeof PRICE_CLASSES)[number];

export interface EdgeSettings {
  /** The public hosted zone, e.g. `tiketi.com`. */
  readonly zoneName: string;
  /** Create the hosted zone in this stack (true) or look up an existing one (false). */
  readonly createZone: boolean;
  /** Where the frontend is served, inside `zoneName`. */
  readonly frontendDomain: string;
  /** The API domain the ALB serves, inside `zoneName`. */
  readonly apiDomain: string;
  /** Appended to `tiketi-frontend-<env>` for global uniqueness; empty for none. */
  readonly bucketSuffix: string;
  readonly priceClass: PriceClass;
  /** Requests per 5 minutes per client IP before the WAF rate rule blocks. */
  readonly wafRateLimit: number;
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

export interface EnvironmentSettings {
  readonly name: EnvironmentName;
  readonly region: string;
  readonly network: NetworkSettings;
  readonly data: DataSettings;
  readonly cluster: ClusterSettings;
  readonly edge: EdgeSettings;
  readonly gitops: GitOpsSettings;
  /** Accepted findings of the policy in this environment's stacks. */
  readonly policy: PolicySettings;
}

/** Settings of the account-wide `registry` stack (one per AWS account, not per environment). */
export interface RegistrySettings {
  readonly region: string;
  /** Services that get an ECR repository `tiketi-<service>`. */
  readonly services: readonly string[];
  /** Images kept per repository by the lifecycle policy. */
  readonly keepImages: number;
  /** Untagged images expire after this many days. */
  readonly untaggedExpiryDays: number;
  /** GitHub repository whose Actions workflows may assume the CI roles. */
  /**
   * GitHub repository whose Actions workflows may assume the CI roles, and the GitHub environment
   * (with required reviewers and a `main`-only deployment branch policy) that alone may assume the
   * infra-apply role.
   */
  readonly github: { readonly owner: string; readonly repository: string; readonly applyEnvironment: string };
  /** Accepted policy findings of the account-wide stacks (`registry`, `bootstrap`). */
  readonly policy: PolicySettings;
}
