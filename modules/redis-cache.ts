import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import { ElasticacheUser } from '@cdktf/provider-aws/lib/elasticache-user';
import { ElasticacheUserGroup } from '@cdktf/provider-aws/lib/elasticache-user-group';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { Construct } from 'constructs';
import { KmsKey } from './kms-key';
import { finalSnapshotIdentifier } from './private/final-snapshot';
import { ServiceSecurityGroup } from './service-security-group';

/** Valkey/Redis port. */
export const REDIS_PORT = 6379;

/**
 * What the application user may do: every key and channel, every command except the `@dangerous`
 * category (FLUSHALL, KEYS, CONFIG, DEBUG, ...), which an application never needs.
 */
export const DEFAULT_APP_ACCESS_STRING = 'on ~* &* +@all -@dangerous';

export interface RedisCacheProps {
  /** Prefix of every name, e.g. `tiketi-prod`; the replication group is `<namePrefix>-cache`. */
  readonly namePrefix: string;
  /** Pinned Valkey version (major.minor, 7.2 or later for IAM authentication). */
  readonly engineVersion: string;
  /** A `cache.*` node type. */
  readonly nodeType: string;
  readonly vpcId: string;
  /** An existing ElastiCache subnet group over subnets without internet routes (the network stack's). */
  readonly subnetGroupName: string;
  /** AZs of the subnet group; nodes are placed round-robin over them, the primary in the first. */
  readonly availabilityZones: readonly string[];
  /** Primary plus replicas (1-6). @default 2 - a primary and one replica */
  readonly nodeCount?: number;
  /** Replicas in other AZs with automatic failover. @default true */
  readonly multiAz?: boolean;
  /** @default 7 */
  readonly snapshotRetentionDays?: number;
  /** Daily UTC snapshot window. @default - ElastiCache picks one */
  readonly snapshotWindow?: string;
  /** Weekly UTC maintenance window. @default - ElastiCache picks one */
  readonly maintenanceWindow?: string;
  /** Drops the final snapshot and `prevent_destroy` (on the group and its KMS key), for throw-away environments. @default false */
  readonly disposable?: boolean;
  /** @default - a customer-managed KMS key is created, with rotation, for data at rest and the slow log */
  readonly kmsKeyArn?: string;
  /** Retention of the slow log group. @default 90 */
  readonly logRetentionDays?: number;
  /** ACL of the application user. @default DEFAULT_APP_ACCESS_STRING */
  readonly appAccessString?: string;
}

/**
 * An ElastiCache for Valkey replication group (cluster mode off), encrypted at rest with a
 * customer-managed key and in transit (TLS required), with RBAC and IAM authentication: no AUTH token
 * or password exists anywhere. Clients sign a short-lived token with their IAM role (see
 * `connectPolicyArn`). The default user is replaced by a disabled one, so an unauthenticated
 * connection can run nothing. Ingress is closed until `allowFrom` / `allowFromSecurityGroup` open it.
 */
export class RedisCache extends Construct {
  /** @attribute Endpoint of the primary (writes), stable across failovers. */
  public readonly primaryEndpoint: string;
  /** @attribute Endpoint that balances reads over the replicas. */
  public readonly readerEndpoint: string;
  public readonly port: number;
  public readonly replicationGroupId: string;
  public readonly replicationGroupArn: string;
  /** User name (= user ID) the application authenticates as with an IAM token. */
  public readonly appUserName: string;
  /** @attribute Managed policy granting `elasticache:Connect` as the application user; attach it to the pods' role. */
  public readonly connectPolicyArn: string;
  public readonly securityGroupId: string;
  public readonly kmsKeyArn: string;
  private readonly securityGroup: ServiceSecurityGroup;

  constructor(scope: Construct, id: string, props: RedisCacheProps) {
    super(scope, id);
    const nodeCount = props.nodeCount ?? 2;
    const multiAz = props.multiAz ?? true;
    const disposable = props.disposable ?? false;
    validateProps(props, { nodeCount, multiAz });
    this.replicationGroupId = `${props.namePrefix}-cache`;
    this.port = REDIS_PORT;

    this.kmsKeyArn =
      props.kmsKeyArn ??
      new KmsKey(this, 'kms', {
        alias: `${props.namePrefix}-elasticache`,
        description: `Encrypts the Valkey data, snapshots and slow log of ${props.namePrefix}`,
        allowCloudWatchLogs: true,
        preventDestroy: !disposable,
      }).keyArn;

    this.securityGroup = new ServiceSecurityGroup(this, 'security-group', {
      name: this.replicationGroupId,
      description: `Valkey ${this.replicationGroupId}: ${REDIS_PORT}/tcp from allowed sources only`,
      vpcId: props.vpcId,
      port: REDIS_PORT,
    });

    // RBAC: a user group needs a user named "default"; ours is switched off and may run nothing, and
    // needs no password because it can never log in. The "redis" engine is what Valkey clusters accept
    // for groups that mix such a user with IAM users.
    const defaultUser = new ElasticacheUser(this, 'default-user', {
      userId: `${this.replicationGroupId}-default`,
      userName: 'default',
      engine: 'redis',
      accessString: 'off -@all',
      authenticationMode: { type: 'no-password-required' },
    });
    // IAM authentication requires user ID = user name.
    this.appUserName = `${this.replicationGroupId}-app`;
    const appUser = new ElasticacheUser(this, 'app-user', {
      userId: this.appUserName,
      userName: this.appUserName,
      engine: 'redis',
      accessString: props.appAccessString ?? DEFAULT_APP_ACCESS_STRING,
      authenticationMode: { type: 'iam' },
    });
    const userGroup = new ElasticacheUserGroup(this, 'user-group', {
      userGroupId: this.replicationGroupId,
      engine: 'redis',
      userIds: [defaultUser.userId, appUser.userId],
    });

    const slowLog = new CloudwatchLogGroup(this, 'slow-log', {
      name: `/aws/elasticache/${this.replicationGroupId}/slow-log`,
      retentionInDays: props.logRetentionDays ?? 90,
      kmsKeyId: this.kmsKeyArn,
    });

    const group = new ElasticacheReplicationGroup(this, 'replication-group', {
      replicationGroupId: this.replicationGroupId,
      description: `Valkey cache of ${props.namePrefix}`,
      engine: 'valkey',
      engineVersion: props.engineVersion,
      parameterGroupName: `default.valkey${props.engineVersion.split('.')[0]}`,
      nodeType: props.nodeType,
      clusterMode: 'disabled',
      numCacheClusters: nodeCount,
      // Round-robin over the AZs: the primary in the first, each replica in the next one.
      preferredCacheClusterAzs: Array.from({ length: nodeCount }, (_, i) => props.availabilityZones[i % props.availabilityZones.length]),
      // Failover needs a replica; Multi-AZ needs failover. One implies the other, so both follow.
      automaticFailoverEnabled: nodeCount >= 2,
      multiAzEnabled: multiAz,
      port: REDIS_PORT,
      subnetGroupName: props.subnetGroupName,
      securityGroupIds: [this.securityGroup.securityGroupId],
      atRestEncryptionEnabled: 'true',
      kmsKeyId: this.kmsKeyArn,
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      userGroupIds: [userGroup.userGroupId],
      autoMinorVersionUpgrade: 'true',
      snapshotRetentionLimit: props.snapshotRetentionDays ?? 7,
      snapshotWindow: props.snapshotWindow,
      maintenanceWindow: props.maintenanceWindow,
      // ElastiCache has no extended-support switch for Valkey (provider 5.100 has no such argument).
      finalSnapshotIdentifier: disposable ? undefined : finalSnapshotIdentifier(this, `${this.replicationGroupId}-final`),
      logDeliveryConfiguration: [{ destination: slowLog.name, destinationType: 'cloudwatch-logs', logFormat: 'json', logType: 'slow-log' }],
      lifecycle: { preventDestroy: !disposable },
    });

    const connectPolicy = new IamPolicy(this, 'connect-policy', {
      name: `${this.replicationGroupId}-connect`,
      description: `Connect to ${this.replicationGroupId} as ${this.appUserName} with IAM authentication`,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Sid: 'ConnectAsAppUser', Effect: 'Allow', Action: 'elasticache:Connect', Resource: [group.arn, appUser.arn] }],
      }),
    });
    this.connectPolicyArn = connectPolicy.arn;
    this.primaryEndpoint = group.primaryEndpointAddress;
    this.readerEndpoint = group.readerEndpointAddress;
    this.replicationGroupArn = group.arn;
    this.securityGroupId = this.securityGroup.securityGroupId;
  }

  /** Lets clients in these CIDRs (e.g. the EKS private subnets) connect on 6379. */
  public allowFrom(cidrs: readonly string[], description: string): void {
    this.securityGroup.allowFrom(cidrs, description);
  }

  /** Lets members of a security group (e.g. the EKS node group) connect on 6379; `name` keys the rule. */
  public allowFromSecurityGroup(name: string, securityGroupId: string, description: string): void {
    this.securityGroup.allowFromSecurityGroup(name, securityGroupId, description);
  }
}

function validateProps(props: RedisCacheProps, resolved: { nodeCount: number; multiAz: boolean }): void {
  const problems: string[] = [];
  if (!/^cache\./.test(props.nodeType)) problems.push(`nodeType got ${JSON.stringify(props.nodeType)}, expected an ElastiCache node type "cache.*" (not "db.*")`);
  const [major, minor] = props.engineVersion.split('.').map(Number);
  if (!/^\d+\.\d+$/.test(props.engineVersion) || major < 7 || (major === 7 && minor < 2)) {
    problems.push(`engineVersion got ${JSON.stringify(props.engineVersion)}, expected a Valkey major.minor of 7.2 or later (IAM authentication)`);
  }
  if (!Number.isInteger(resolved.nodeCount) || resolved.nodeCount < 1 || resolved.nodeCount > 6) problems.push(`nodeCount got ${resolved.nodeCount}, expected 1 to 6`);
  if (resolved.multiAz && resolved.nodeCount < 2) problems.push(`multiAz is true but nodeCount is ${resolved.nodeCount}; Multi-AZ needs a primary and a replica`);
  if (resolved.multiAz && new Set(props.availabilityZones).size < 2) {
    problems.push(`multiAz is true but availabilityZones holds ${JSON.stringify(props.availabilityZones)}; a replica in another AZ needs 2 or more`);
  }
  if (props.availabilityZones.length === 0) problems.push('availabilityZones is empty');
  const retention = props.snapshotRetentionDays ?? 7;
  if (!Number.isInteger(retention) || retention < 1 || retention > 35) problems.push(`snapshotRetentionDays got ${retention}, expected an integer from 1 to 35`);
  if (problems.length > 0) throw new Error(`RedisCache ${props.namePrefix}-cache: ${problems.join('; ')}`);
}
