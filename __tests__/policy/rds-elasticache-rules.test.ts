import { DbInstance, DbInstanceConfig } from '@cdktf/provider-aws/lib/db-instance';
import { ElasticacheCluster } from '@cdktf/provider-aws/lib/elasticache-cluster';
import { ElasticacheReplicationGroup, ElasticacheReplicationGroupConfig } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import { fixture, statusOf } from './helpers';

/** What the data stack's PostgresDatabase sets in prod, stated literally. */
const SECURE_DB: DbInstanceConfig = {
  instanceClass: 'db.t3.large',
  engine: 'postgres',
  engineVersion: '17',
  publiclyAccessible: false,
  storageEncrypted: true,
  multiAz: true,
  monitoringInterval: 60,
  monitoringRoleArn: 'arn:aws:iam::111122223333:role/monitoring',
  deletionProtection: true,
  enabledCloudwatchLogsExports: ['postgresql', 'upgrade'],
  iamDatabaseAuthenticationEnabled: true,
  backupRetentionPeriod: 14,
  autoMinorVersionUpgrade: true,
  copyTagsToSnapshot: true,
};

const dbStatus = (control: string, change: Partial<DbInstanceConfig> = {}) => statusOf(control, fixture((s) => void new DbInstance(s, 'db', { ...SECURE_DB, ...change })))['aws_db_instance.db'];

describe('RDS controls: each passes on the secure instance and fails on the one setting it guards', () => {
  test.each<[string, Partial<DbInstanceConfig>, string]>([
    ['RDS.2', { publiclyAccessible: true }, 'publicly_accessible is true'],
    ['RDS.3', { storageEncrypted: undefined }, 'storage_encrypted is not true'],
    ['RDS.5', { multiAz: false }, 'multi_az is not true: one AZ outage takes the database down until a restore'],
    ['RDS.6', { monitoringInterval: 0 }, 'monitoring_interval is 0 (enhanced monitoring off)'],
    ['RDS.6', { monitoringRoleArn: undefined }, 'monitoring_interval is set but monitoring_role_arn is not'],
    ['RDS.8', { deletionProtection: false }, 'deletion_protection is not true'],
    ['RDS.9', { enabledCloudwatchLogsExports: ['postgresql'] }, 'enabled_cloudwatch_logs_exports lacks upgrade'],
    ['RDS.10', { iamDatabaseAuthenticationEnabled: undefined }, 'iam_database_authentication_enabled is not true'],
    ['RDS.11', { backupRetentionPeriod: 6 }, 'backup_retention_period is 6, below 7 days'],
    ['RDS.11', { backupRetentionPeriod: undefined }, 'backup_retention_period is unset (the API default is 1 day), below 7 days'],
    ['RDS.13', { autoMinorVersionUpgrade: false }, 'auto_minor_version_upgrade is false'],
    ['RDS.17', { copyTagsToSnapshot: undefined }, 'copy_tags_to_snapshot is not true'],
  ])('%s fails with %j', (control, change, detail) => {
    expect(dbStatus(control)).toBe('passed');
    expect(dbStatus(control, change)).toBe(`failed: ${detail}`);
  });

  test('RDS.9 asks MySQL for its four logs; RDS.10 does not apply to Oracle', () => {
    expect(dbStatus('RDS.9', { engine: 'mysql', enabledCloudwatchLogsExports: ['error'] })).toBe('failed: enabled_cloudwatch_logs_exports lacks audit, general, slowquery');
    expect(dbStatus('RDS.10', { engine: 'oracle-ee' })).toBe('not applicable');
  });

  test('RDS.11 skips read replicas', () => {
    expect(dbStatus('RDS.11', { replicateSourceDb: 'source', backupRetentionPeriod: 0 })).toBe('not applicable');
  });
});

/** What the data stack's RedisCache sets in prod. */
const SECURE_GROUP: ElasticacheReplicationGroupConfig = {
  replicationGroupId: 'cache',
  description: 'cache',
  engine: 'valkey',
  engineVersion: '8.1',
  numCacheClusters: 2,
  automaticFailoverEnabled: true,
  atRestEncryptionEnabled: 'true',
  transitEncryptionEnabled: true,
  transitEncryptionMode: 'required',
  snapshotRetentionLimit: 7,
  subnetGroupName: 'tiketi-prod-cache',
};

const groupStatus = (control: string, change: Partial<ElasticacheReplicationGroupConfig> = {}) =>
  statusOf(control, fixture((s) => void new ElasticacheReplicationGroup(s, 'cache', { ...SECURE_GROUP, ...change })))['aws_elasticache_replication_group.cache'];

describe('ElastiCache controls', () => {
  test.each<[string, Partial<ElasticacheReplicationGroupConfig>, string]>([
    ['ElastiCache.1', { snapshotRetentionLimit: 0 }, 'snapshot_retention_limit is 0'],
    ['ElastiCache.2', { autoMinorVersionUpgrade: 'false' }, 'auto_minor_version_upgrade is false'],
    ['ElastiCache.3', { automaticFailoverEnabled: false, numCacheClusters: 1 }, 'automatic_failover_enabled is not true (1 node(s)): losing the primary loses the cache until it is replaced'],
    ['ElastiCache.4', { atRestEncryptionEnabled: 'false' }, 'at_rest_encryption_enabled is not true'],
    ['ElastiCache.5', { transitEncryptionEnabled: false }, 'transit_encryption_enabled is not true'],
    ['ElastiCache.5', { transitEncryptionMode: 'preferred' }, 'transit_encryption_mode is "preferred": clients may still connect in plaintext'],
    ['ElastiCache.7', { subnetGroupName: undefined }, 'subnet_group_name is unset, so ElastiCache uses the default subnet group'],
    ['ElastiCache.7', { subnetGroupName: 'default' }, 'subnet_group_name is "default"'],
  ])('%s fails with %j', (control, change, detail) => {
    expect(groupStatus(control)).toBe('passed');
    expect(groupStatus(control, change)).toBe(`failed: ${detail}`);
  });

  test('ElastiCache.6 applies to Redis OSS below 6.0 only, and then needs an AUTH token', () => {
    expect(groupStatus('ElastiCache.6')).toBe('not applicable');
    expect(groupStatus('ElastiCache.6', { engine: 'redis', engineVersion: '7.1' })).toBe('not applicable');
    expect(groupStatus('ElastiCache.6', { engine: 'redis', engineVersion: '5.0.6' })).toBe('failed: Redis OSS 5.0.6 without auth_token');
    expect(groupStatus('ElastiCache.6', { engine: 'redis', engineVersion: '5.0.6', authToken: '${data.aws_secretsmanager_secret_version.auth.secret_string}' })).toBe('passed');
  });

  test('standalone clusters are checked; members of a group and Memcached are not', () => {
    const json = fixture((s) => {
      new ElasticacheCluster(s, 'standalone', { clusterId: 'a', engine: 'redis', nodeType: 'cache.t3.micro', numCacheNodes: 1 });
      new ElasticacheCluster(s, 'member', { clusterId: 'b', replicationGroupId: 'cache' });
      new ElasticacheCluster(s, 'memcached', { clusterId: 'c', engine: 'memcached', nodeType: 'cache.t3.micro', numCacheNodes: 1 });
    });
    expect(statusOf('ElastiCache.1', json)).toEqual({
      'aws_elasticache_cluster.standalone': 'failed: snapshot_retention_limit is unset (0: no automatic backups)',
      'aws_elasticache_cluster.member': 'not applicable',
      'aws_elasticache_cluster.memcached': 'not applicable',
    });
    expect(statusOf('ElastiCache.7', json)['aws_elasticache_cluster.standalone']).toBe('failed: subnet_group_name is unset, so ElastiCache uses the default subnet group');
  });
});
