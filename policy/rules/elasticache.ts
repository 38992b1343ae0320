/**
 * FSBP controls for Amazon ElastiCache (Redis OSS and Valkey). Security Hub evaluates some of them on
 * the cache clusters (the nodes) of a replication group; the nodes take these settings from the
 * replication group, so the rules evaluate `aws_elasticache_replication_group` and any standalone
 * `aws_elasticache_cluster`.
 */
import { isFalse, isTrue } from '../document';
import { Element, Rule, notApplicable } from '../types';

const ALL = 'all';
const GROUPS = ['aws_elasticache_replication_group'];
const GROUPS_AND_CLUSTERS = ['aws_elasticache_replication_group', 'aws_elasticache_cluster'];

/** Memcached clusters have no backups, failover or AUTH; the controls are about Redis OSS and Valkey. */
function memcached(element: Element): string | undefined {
  return element.config.engine === 'memcached' ? 'a Memcached cluster (the control covers Redis OSS and Valkey)' : undefined;
}

/** A cluster that belongs to a replication group is evaluated through the group. */
function memberOfGroup(element: Element): boolean {
  return element.type === 'aws_elasticache_cluster' && element.config.replication_group_id !== undefined;
}

export const ELASTICACHE_RULES: readonly Rule[] = [
  {
    control: 'ElastiCache.1',
    source: 'FSBP',
    title: 'ElastiCache (Redis OSS) clusters should have automatic backups enabled',
    checks: 'snapshot_retention_limit is at least 1 day (Security Hub\'s default snapshotRetentionPeriod)',
    targets: GROUPS_AND_CLUSTERS,
    environments: ALL,
    fix: 'set data.redis.snapshotRetentionDays to 1 or more',
    evaluate(cache) {
      const na = memcached(cache) ?? (memberOfGroup(cache) ? 'a member of a replication group, evaluated there' : undefined);
      if (na) return notApplicable(na);
      const days = Number(cache.config.snapshot_retention_limit ?? 0);
      return days >= 1 ? undefined : `snapshot_retention_limit is ${cache.config.snapshot_retention_limit ?? 'unset (0: no automatic backups)'}`;
    },
  },
  {
    control: 'ElastiCache.2',
    source: 'FSBP',
    title: 'ElastiCache clusters should have automatic minor version upgrades enabled',
    checks: 'auto_minor_version_upgrade is not false (the default is true)',
    targets: GROUPS_AND_CLUSTERS,
    environments: ALL,
    fix: 'remove auto_minor_version_upgrade = false; pin major.minor only (settings data.redis.engineVersion)',
    evaluate: (cache) => (isFalse(cache.config.auto_minor_version_upgrade) ? 'auto_minor_version_upgrade is false' : undefined),
  },
  {
    control: 'ElastiCache.3',
    source: 'FSBP',
    title: 'ElastiCache replication groups should have automatic failover enabled',
    checks: 'automatic_failover_enabled is true (it needs two or more nodes)',
    targets: GROUPS,
    environments: ALL,
    fix: 'set data.redis.nodeCount >= 2 and data.redis.multiAz = true in the environment settings',
    evaluate: (group) => (isTrue(group.config.automatic_failover_enabled) ? undefined : `automatic_failover_enabled is not true (${group.config.num_cache_clusters ?? 1} node(s)): losing the primary loses the cache until it is replaced`),
  },
  {
    control: 'ElastiCache.4',
    source: 'FSBP',
    title: 'ElastiCache replication groups should be encrypted at rest',
    checks: 'at_rest_encryption_enabled is true',
    targets: GROUPS,
    environments: ALL,
    fix: 'set at_rest_encryption_enabled = true with kms_key_id = a customer-managed key (replaces the group)',
    evaluate: (group) => (isTrue(group.config.at_rest_encryption_enabled) ? undefined : 'at_rest_encryption_enabled is not true'),
  },
  {
    control: 'ElastiCache.5',
    source: 'FSBP',
    title: 'ElastiCache replication groups should be encrypted in transit',
    checks: 'transit_encryption_enabled is true (and transit_encryption_mode is not "preferred", which still accepts plaintext)',
    targets: GROUPS,
    environments: ALL,
    fix: 'set transit_encryption_enabled = true and transit_encryption_mode = "required"',
    evaluate(group) {
      if (!isTrue(group.config.transit_encryption_enabled)) return 'transit_encryption_enabled is not true';
      return group.config.transit_encryption_mode === 'preferred' ? 'transit_encryption_mode is "preferred": clients may still connect in plaintext' : undefined;
    },
  },
  {
    control: 'ElastiCache.6',
    source: 'FSBP',
    title: 'ElastiCache (Redis OSS) replication groups of earlier versions should have Redis OSS AUTH enabled',
    checks: 'a Redis OSS replication group below version 6.0 sets auth_token (6.0 and later, and Valkey, use RBAC user groups instead: not applicable)',
    targets: GROUPS,
    environments: ALL,
    fix: 'upgrade to Valkey or Redis OSS 6+ with an RBAC user group (user_group_ids), or set auth_token from a managed secret',
    evaluate(group) {
      const engine = String(group.config.engine ?? 'redis');
      const major = Number.parseInt(String(group.config.engine_version ?? '7'), 10);
      if (engine !== 'redis' || major >= 6) return notApplicable(`${`${engine} ${group.config.engine_version ?? ''}`.trim()}: RBAC user groups replace AUTH from Redis OSS 6.0 on`);
      return group.config.auth_token ? undefined : `Redis OSS ${group.config.engine_version} without auth_token`;
    },
  },
  {
    control: 'ElastiCache.7',
    source: 'FSBP',
    title: 'ElastiCache clusters should not use the default subnet group',
    checks: 'subnet_group_name is set and is not "default"',
    targets: GROUPS_AND_CLUSTERS,
    environments: ALL,
    fix: 'use the network stack\'s ElastiCache subnet group (database subnets)',
    evaluate(cache) {
      if (memberOfGroup(cache)) return notApplicable('a member of a replication group, evaluated there');
      const name = cache.config.subnet_group_name;
      if (name === undefined) return 'subnet_group_name is unset, so ElastiCache uses the default subnet group';
      return name === 'default' ? 'subnet_group_name is "default"' : undefined;
    },
  },
];
