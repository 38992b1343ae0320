import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group';
import { Construct } from 'constructs';
import { finalSnapshotIdentifier } from './private/final-snapshot';
import { KmsKey } from './kms-key';
import { RdsMonitoringRole } from './rds-monitoring-role';
import { ServiceSecurityGroup } from './service-security-group';

/** PostgreSQL's port. FSBP RDS.23 prefers another; we keep 5432 (see docs/data.md) and fence it with security groups. */
export const POSTGRES_PORT = 5432;
/** Log types exported to CloudWatch Logs (FSBP RDS.9 / RDS.36). */
export const POSTGRES_LOG_EXPORTS = ['postgresql', 'upgrade'] as const;
/** The RSA 2048 CA (valid to 2061) that RDS gives new instances; pinned so clients' trust bundles stay valid. */
export const POSTGRES_CA_CERTIFICATE = 'rds-ca-rsa2048-g1';

export interface PostgresDatabaseProps {
  /** Prefix of every name, e.g. `tiketi-prod`; the instance is `<namePrefix>-postgres`. */
  readonly namePrefix: string;
  /** PostgreSQL major version, e.g. `17`: the minor follows automatic minor upgrades. */
  readonly engineMajorVersion: string;
  /** A `db.*` instance class. */
  readonly instanceClass: string;
  readonly allocatedStorageGb: number;
  /** Storage autoscaling stops here. */
  readonly maxAllocatedStorageGb: number;
  readonly vpcId: string;
  /** An existing DB subnet group over subnets without internet routes (the network stack's). */
  readonly subnetGroupName: string;
  /** Number of AZs the subnet group spans; Multi-AZ needs 2 or more. */
  readonly availabilityZoneCount: number;
  /** @default true - a synchronous standby in a second AZ with automatic failover */
  readonly multiAz?: boolean;
  /** @default 14 - two weeks of point-in-time recovery */
  readonly backupRetentionDays?: number;
  /** Daily UTC backup window. @default - RDS picks 30 minutes in a region-wide 8-hour block */
  readonly backupWindow?: string;
  /** Weekly UTC maintenance window. @default - RDS picks 30 minutes at random in a region-wide block */
  readonly maintenanceWindow?: string;
  /**
   * Drops every guard against loss: deletion protection, the final snapshot, `prevent_destroy` (on the
   * instance and on its KMS key), and the automated backups (deleted with the instance). Only for
   * environments whose data is throw-away.
   * @default false
   */
  readonly disposable?: boolean;
  /** Enhanced monitoring (60 s) and Performance Insights (7 days, free tier). @default true */
  readonly monitoring?: boolean;
  /**
   * CloudWatch Database Insights mode. `advanced` adds query-level history (15 months of Performance
   * Insights retention) at extra cost.
   * @default 'standard' - the mode the console falls back to once the Performance Insights console ends (2026); free
   */
  readonly databaseInsightsMode?: 'standard' | 'advanced';
  /** @default - a customer-managed KMS key is created, with rotation, for storage, secret, PI and logs */
  readonly kmsKeyArn?: string;
  /** @default 'tiketi_admin' - not `postgres`/`admin` (FSBP RDS.25) */
  readonly masterUsername?: string;
  /** @default 'tiketi' */
  readonly databaseName?: string;
  /** Statements slower than this are logged. @default 1000 - one second */
  readonly slowStatementMs?: number;
  /** Retention of the exported log groups. @default 90 */
  readonly logRetentionDays?: number;
}

/**
 * An RDS for PostgreSQL instance that is private, encrypted with a customer-managed key, TLS-only,
 * IAM-authenticating, and whose master password RDS generates and keeps in Secrets Manager (it never
 * appears in code or state). Ingress is closed until `allowFrom` / `allowFromSecurityGroup` open it.
 */
export class PostgresDatabase extends Construct {
  /** @attribute DNS name of the instance (the Multi-AZ endpoint follows failovers). */
  public readonly endpoint: string;
  /** @attribute */
  public readonly port: number;
  public readonly databaseName: string;
  public readonly masterUsername: string;
  /** @attribute ARN of the RDS-managed Secrets Manager secret holding the master credentials. */
  public readonly masterSecretArn: string;
  /** @attribute `db-...` resource ID, for `rds-db:connect` policies of IAM-authenticated users. */
  public readonly resourceId: string;
  public readonly instanceArn: string;
  public readonly identifier: string;
  /** The instance's parameter group (name-prefixed, so only known after apply): its RDS events are subscribed to. */
  public readonly parameterGroupName: string;
  public readonly securityGroupId: string;
  public readonly kmsKeyArn: string;
  private readonly securityGroup: ServiceSecurityGroup;

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    const multiAz = props.multiAz ?? true;
    const disposable = props.disposable ?? false;
    const monitoring = props.monitoring ?? true;
    const masterUsername = props.masterUsername ?? 'tiketi_admin';
    const databaseName = props.databaseName ?? 'tiketi';
    validateProps(props, { multiAz, masterUsername });
    this.identifier = `${props.namePrefix}-postgres`;

    this.kmsKeyArn =
      props.kmsKeyArn ??
      new KmsKey(this, 'kms', {
        alias: `${props.namePrefix}-rds`,
        description: `Encrypts the PostgreSQL storage, snapshots, master secret, Performance Insights and logs of ${props.namePrefix}`,
        allowCloudWatchLogs: true,
        // Snapshots and retained backups outlive the instance; they are unreadable without this key.
        preventDestroy: !disposable,
      }).keyArn;

    this.securityGroup = new ServiceSecurityGroup(this, 'security-group', {
      name: this.identifier,
      description: `PostgreSQL ${this.identifier}: ${POSTGRES_PORT}/tcp from allowed sources only`,
      vpcId: props.vpcId,
      port: POSTGRES_PORT,
    });

    // Created name-prefixed and before-destroy so a major upgrade can swap in the next family's group.
    const parameterGroup = new DbParameterGroup(this, 'parameters', {
      namePrefix: `${this.identifier}${props.engineMajorVersion}-`,
      family: `postgres${props.engineMajorVersion}`,
      description: `${this.identifier}: TLS only, slow statement logging`,
      parameter: [
        { name: 'rds.force_ssl', value: '1', applyMethod: 'immediate' },
        { name: 'log_min_duration_statement', value: String(props.slowStatementMs ?? 1000), applyMethod: 'immediate' },
      ],
      lifecycle: { createBeforeDestroy: true },
    });

    // Owning the export log groups sets their retention and key; RDS would otherwise create them
    // unencrypted with no expiry.
    const logGroups = POSTGRES_LOG_EXPORTS.map(
      (type) =>
        new CloudwatchLogGroup(this, `log-${type}`, {
          name: `/aws/rds/instance/${this.identifier}/${type}`,
          retentionInDays: props.logRetentionDays ?? 90,
          kmsKeyId: this.kmsKeyArn,
        }),
    );

    const monitoringRole = monitoring
      ? new RdsMonitoringRole(this, 'monitoring-role', {
          name: `${this.identifier}-monitoring`,
          accountId: new DataAwsCallerIdentity(this, 'account').accountId,
        })
      : undefined;

    const db = new DbInstance(this, 'instance', {
      identifier: this.identifier,
      engine: 'postgres',
      engineVersion: props.engineMajorVersion,
      instanceClass: props.instanceClass,
      allocatedStorage: props.allocatedStorageGb,
      maxAllocatedStorage: props.maxAllocatedStorageGb,
      storageType: 'gp3',
      storageEncrypted: true,
      kmsKeyId: this.kmsKeyArn,
      dbName: databaseName,
      username: masterUsername,
      // RDS generates the password, stores it in Secrets Manager under our key and rotates it (7 days).
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: this.kmsKeyArn,
      iamDatabaseAuthenticationEnabled: true,
      port: POSTGRES_PORT,
      dbSubnetGroupName: props.subnetGroupName,
      vpcSecurityGroupIds: [this.securityGroup.securityGroupId],
      publiclyAccessible: false,
      caCertIdentifier: POSTGRES_CA_CERTIFICATE,
      parameterGroupName: parameterGroup.name,
      multiAz,
      backupRetentionPeriod: props.backupRetentionDays ?? 14,
      backupWindow: props.backupWindow,
      maintenanceWindow: props.maintenanceWindow,
      copyTagsToSnapshot: true,
      autoMinorVersionUpgrade: true,
      // Major upgrades are a reviewed change of `engineMajorVersion`, never a side effect.
      allowMajorVersionUpgrade: false,
      enabledCloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
      // Never slide into RDS Extended Support (billed per vCPU-hour) when the major leaves standard
      // support: RDS upgrades the major in the maintenance window instead, which the plan of the next
      // major bump anticipates (docs/data.md).
      engineLifecycleSupport: 'open-source-rds-extended-support-disabled',
      databaseInsightsMode: props.databaseInsightsMode ?? 'standard',
      performanceInsightsEnabled: monitoring,
      performanceInsightsKmsKeyId: monitoring ? this.kmsKeyArn : undefined,
      performanceInsightsRetentionPeriod: monitoring ? 7 : undefined,
      monitoringInterval: monitoring ? 60 : 0,
      monitoringRoleArn: monitoringRole?.roleArn,
      deletionProtection: !disposable,
      skipFinalSnapshot: disposable,
      // Unique per life of the instance, so a destroy after a re-create cannot collide with the first
      // destroy's snapshot (SnapshotAlreadyExists): see modules/private/final-snapshot.ts.
      finalSnapshotIdentifier: disposable ? undefined : finalSnapshotIdentifier(this, `${this.identifier}-final`),
      deleteAutomatedBackups: disposable,
      dependsOn: logGroups,
      lifecycle: { preventDestroy: !disposable },
    });

    this.endpoint = db.address;
    this.port = db.port;
    this.databaseName = databaseName;
    this.masterUsername = masterUsername;
    this.masterSecretArn = db.masterUserSecret.get(0).secretArn;
    this.resourceId = db.resourceId;
    this.parameterGroupName = parameterGroup.name;
    this.instanceArn = db.arn;
    this.securityGroupId = this.securityGroup.securityGroupId;
  }

  /** Lets clients in these CIDRs (e.g. the EKS private subnets) connect on 5432. */
  public allowFrom(cidrs: readonly string[], description: string): void {
    this.securityGroup.allowFrom(cidrs, description);
  }

  /** Lets members of a security group (e.g. the EKS node group) connect on 5432; `name` keys the rule. */
  public allowFromSecurityGroup(name: string, securityGroupId: string, description: string): void {
    this.securityGroup.allowFromSecurityGroup(name, securityGroupId, description);
  }
}

/** Rejects prop combinations RDS would refuse late (at apply) or that break the construct's guarantees. */
function validateProps(props: PostgresDatabaseProps, resolved: { multiAz: boolean; masterUsername: string }): void {
  const problems: string[] = [];
  if (!/^db\./.test(props.instanceClass)) problems.push(`instanceClass got ${JSON.stringify(props.instanceClass)}, expected an RDS class "db.*" (not "cache.*")`);
  if (!/^\d+$/.test(props.engineMajorVersion)) problems.push(`engineMajorVersion got ${JSON.stringify(props.engineMajorVersion)}, expected a major version such as "17"`);
  if (resolved.multiAz && props.availabilityZoneCount < 2) {
    problems.push(`multiAz is true but availabilityZoneCount is ${props.availabilityZoneCount}; a standby needs a second AZ`);
  }
  if (['postgres', 'admin', 'rdsadmin', 'root'].includes(resolved.masterUsername.toLowerCase()) || !/^[a-z][a-z0-9_]{0,62}$/.test(resolved.masterUsername)) {
    problems.push(`masterUsername got ${JSON.stringify(resolved.masterUsername)}, expected a lower-case identifier other than postgres/admin/rdsadmin/root`);
  }
  const retention = props.backupRetentionDays ?? 14;
  if (!Number.isInteger(retention) || retention < 1 || retention > 35) problems.push(`backupRetentionDays got ${retention}, expected an integer from 1 to 35`);
  if (props.maxAllocatedStorageGb * 10 < props.allocatedStorageGb * 11) {
    problems.push(`maxAllocatedStorageGb got ${props.maxAllocatedStorageGb}, expected at least 10% above allocatedStorageGb (${props.allocatedStorageGb})`);
  }
  if (problems.length > 0) throw new Error(`PostgresDatabase ${props.namePrefix}-postgres: ${problems.join('; ')}`);
}
