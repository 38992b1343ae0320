import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { BackendSettings } from '../config/backend';
import { EnvironmentSettings } from '../config/settings';
import { PostgresDatabase } from '../modules/postgres-database';
import { RedisCache } from '../modules/redis-cache';
import { Vpc } from '../modules/vpc';
import { TiketiStack } from './tiketi-stack';

export interface DataStackProps {
  readonly env: EnvironmentSettings;
  readonly backend: BackendSettings;
  /** The network stack's VPC: its ID and ready-made subnet groups over the database subnets. */
  readonly vpc: Vpc;
}

/**
 * The environment's stateful services: RDS for PostgreSQL and ElastiCache for Valkey, in the database
 * subnets, reachable on their ports only from the private (EKS node and pod) subnets. Depends on
 * `network` only, so it can be deployed (and kept) independently of the cluster.
 */
export class DataStack extends TiketiStack {
  public readonly postgres: PostgresDatabase;
  public readonly redis: RedisCache;

  constructor(scope: Construct, props: DataStackProps) {
    super(scope, 'data', { scopeName: props.env.name, region: props.env.region, backend: props.backend });
    const { data, network } = props.env;
    const nodeSubnets = 'EKS nodes and pods (private subnets)';

    this.postgres = new PostgresDatabase(this, 'postgres', {
      namePrefix: this.namePrefix,
      engineMajorVersion: data.postgres.engineVersion,
      instanceClass: data.postgres.instanceClass,
      allocatedStorageGb: data.postgres.allocatedStorageGb,
      maxAllocatedStorageGb: data.postgres.maxAllocatedStorageGb,
      vpcId: props.vpc.vpcId,
      subnetGroupName: props.vpc.databaseSubnetGroupName,
      availabilityZoneCount: network.availabilityZones.length,
      multiAz: data.postgres.multiAz,
      backupRetentionDays: data.postgres.backupRetentionDays,
      backupWindow: data.postgres.backupWindow,
      maintenanceWindow: data.postgres.maintenanceWindow,
      disposable: data.postgres.disposable,
      monitoring: data.postgres.monitoring,
      logRetentionDays: data.logRetentionDays,
    });
    // The private subnets hold the nodes and (VPC CNI) the pods. CIDRs rather than the cluster's
    // security group keep this stack independent of `cluster`.
    this.postgres.allowFrom(network.privateSubnetCidrs, nodeSubnets);

    this.redis = new RedisCache(this, 'redis', {
      namePrefix: this.namePrefix,
      engineVersion: data.redis.engineVersion,
      nodeType: data.redis.nodeType,
      vpcId: props.vpc.vpcId,
      subnetGroupName: props.vpc.elasticacheSubnetGroupName,
      availabilityZones: network.availabilityZones,
      nodeCount: data.redis.nodeCount,
      multiAz: data.redis.multiAz,
      snapshotRetentionDays: data.redis.snapshotRetentionDays,
      snapshotWindow: data.redis.snapshotWindow,
      maintenanceWindow: data.redis.maintenanceWindow,
      disposable: data.redis.disposable,
      logRetentionDays: data.logRetentionDays,
    });
    this.redis.allowFrom(network.privateSubnetCidrs, nodeSubnets);

    // For operators (`cdktf output data`); later stacks use the typed attributes above instead.
    const outputs: Record<string, { value: string | number; description: string }> = {
      postgres_endpoint: { value: this.postgres.endpoint, description: 'PostgreSQL host name (TLS required)' },
      postgres_port: { value: this.postgres.port, description: 'PostgreSQL port' },
      postgres_database_name: { value: this.postgres.databaseName, description: 'Application database' },
      postgres_master_secret_arn: { value: this.postgres.masterSecretArn, description: 'Secrets Manager secret with the RDS-managed master credentials' },
      postgres_security_group_id: { value: this.postgres.securityGroupId, description: 'Security group of the PostgreSQL instance' },
      postgres_kms_key_arn: { value: this.postgres.kmsKeyArn, description: 'KMS key of the PostgreSQL storage, secret and logs' },
      redis_primary_endpoint: { value: this.redis.primaryEndpoint, description: 'Valkey primary endpoint (TLS required)' },
      redis_reader_endpoint: { value: this.redis.readerEndpoint, description: 'Valkey reader endpoint' },
      redis_port: { value: this.redis.port, description: 'Valkey port' },
      redis_user_name: { value: this.redis.appUserName, description: 'Valkey user the application authenticates as (IAM token)' },
      redis_connect_policy_arn: { value: this.redis.connectPolicyArn, description: 'IAM policy allowing elasticache:Connect as the application user' },
      redis_security_group_id: { value: this.redis.securityGroupId, description: 'Security group of the Valkey cache' },
      redis_kms_key_arn: { value: this.redis.kmsKeyArn, description: 'KMS key of the Valkey data and slow log' },
    };
    for (const [name, output] of Object.entries(outputs)) new TerraformOutput(this, name, output);
  }
}
