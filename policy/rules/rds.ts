/**
 * FSBP controls for Amazon RDS DB instances (`aws_db_instance`), evaluated on the configuration as the
 * provider sends it: an attribute left unset counts as the API's default (e.g. `storage_encrypted`
 * defaults to false, `auto_minor_version_upgrade` to true).
 */
import { isFalse, isTrue, list } from '../document';
import { Element, Rule, notApplicable } from '../types';

const ALL = 'all';
const DB = ['aws_db_instance'];

/** Logs RDS.9 requires per engine family (Security Hub's list; Aurora engines live in clusters). */
const REQUIRED_LOGS: readonly [RegExp, readonly string[]][] = [
  [/^postgres/, ['postgresql', 'upgrade']],
  [/^(mysql|mariadb)/, ['audit', 'error', 'general', 'slowquery']],
  [/^oracle/, ['alert', 'audit', 'trace', 'listener']],
  [/^sqlserver/, ['error', 'agent']],
];

/** Read replicas inherit backups and logging from their source; Security Hub skips them for RDS.11. */
const isReplica = (db: Element) => db.config.replicate_source_db !== undefined;

export const RDS_RULES: readonly Rule[] = [
  {
    control: 'RDS.2',
    source: 'FSBP',
    title: 'RDS DB Instances should prohibit public access, as determined by the PubliclyAccessible configuration',
    checks: 'publicly_accessible is not true (the provider default is false)',
    targets: DB,
    environments: ALL,
    fix: 'set publicly_accessible = false; clients reach the database from the VPC',
    evaluate: (db) => (isTrue(db.config.publicly_accessible) ? 'publicly_accessible is true' : undefined),
  },
  {
    control: 'RDS.3',
    source: 'FSBP',
    title: 'RDS DB instances should have encryption at-rest enabled',
    checks: 'storage_encrypted is true (the API default is false)',
    targets: DB,
    environments: ALL,
    fix: 'set storage_encrypted = true with kms_key_id = a customer-managed key (a new instance: encryption cannot be turned on in place)',
    evaluate: (db) => (isTrue(db.config.storage_encrypted) ? undefined : 'storage_encrypted is not true'),
  },
  {
    control: 'RDS.5',
    source: 'FSBP',
    title: 'RDS DB instances should be configured with multiple Availability Zones',
    checks: 'multi_az is true',
    targets: DB,
    environments: ALL,
    fix: 'set data.postgres.multiAz = true in the environment settings (a synchronous standby in a second AZ)',
    evaluate: (db) => (isTrue(db.config.multi_az) ? undefined : 'multi_az is not true: one AZ outage takes the database down until a restore'),
  },
  {
    control: 'RDS.6',
    source: 'FSBP',
    title: 'Enhanced monitoring should be configured for RDS DB instances',
    checks: 'monitoring_interval is greater than 0 (1, 5, 10, 15, 30 or 60 seconds) with a monitoring_role_arn',
    targets: DB,
    environments: ALL,
    fix: 'set data.postgres.monitoring = true in the environment settings (enhanced monitoring every 60 s)',
    evaluate(db) {
      const interval = Number(db.config.monitoring_interval ?? 0);
      if (!(interval > 0)) return `monitoring_interval is ${db.config.monitoring_interval ?? 'unset'} (enhanced monitoring off)`;
      return db.config.monitoring_role_arn ? undefined : 'monitoring_interval is set but monitoring_role_arn is not';
    },
  },
  {
    control: 'RDS.8',
    source: 'FSBP',
    title: 'RDS DB instances should have deletion protection enabled',
    checks: 'deletion_protection is true',
    targets: DB,
    environments: ALL,
    fix: 'set deletion_protection = true (settings data.postgres.disposable = false does it)',
    evaluate: (db) => (isTrue(db.config.deletion_protection) ? undefined : 'deletion_protection is not true'),
  },
  {
    control: 'RDS.9',
    source: 'FSBP',
    title: 'RDS DB instances should publish logs to CloudWatch Logs',
    checks: 'enabled_cloudwatch_logs_exports holds every log Security Hub requires for the engine (PostgreSQL: postgresql, upgrade; MySQL/MariaDB: audit, error, general, slowquery; Oracle: alert, audit, trace, listener; SQL Server: error, agent)',
    targets: DB,
    environments: ALL,
    fix: 'add the missing log types to enabled_cloudwatch_logs_exports (and their /aws/rds/instance/<id>/<log> log groups with retention and a key)',
    evaluate(db) {
      const engine = String(db.config.engine ?? '');
      const required = REQUIRED_LOGS.find(([pattern]) => pattern.test(engine))?.[1];
      if (!required) return notApplicable(`engine ${JSON.stringify(engine)} has no log list in RDS.9`);
      const exported = list(db.config.enabled_cloudwatch_logs_exports).map(String);
      const missing = required.filter((log) => !exported.includes(log));
      return missing.length > 0 ? `enabled_cloudwatch_logs_exports lacks ${missing.join(', ')}` : undefined;
    },
  },
  {
    control: 'RDS.10',
    source: 'FSBP',
    title: 'IAM authentication should be configured for RDS instances',
    checks: 'iam_database_authentication_enabled is true (evaluated for mariadb, mysql and postgres engines, like Security Hub)',
    targets: DB,
    environments: ALL,
    fix: 'set iam_database_authentication_enabled = true',
    evaluate(db) {
      if (!/^(mariadb|mysql|postgres)$/.test(String(db.config.engine ?? ''))) return notApplicable(`engine ${JSON.stringify(db.config.engine)} does not support IAM authentication in RDS.10`);
      return isTrue(db.config.iam_database_authentication_enabled) ? undefined : 'iam_database_authentication_enabled is not true';
    },
  },
  {
    control: 'RDS.11',
    source: 'FSBP',
    title: 'RDS instances should have automatic backups enabled',
    checks: 'backup_retention_period is at least 7 days (Security Hub\'s default backupRetentionMinimum); read replicas are skipped',
    targets: DB,
    environments: ALL,
    fix: 'set data.postgres.backupRetentionDays to 7 or more',
    evaluate(db) {
      if (isReplica(db)) return notApplicable('a read replica: backups are the source instance\'s');
      const days = Number(db.config.backup_retention_period ?? 0);
      return days >= 7 ? undefined : `backup_retention_period is ${db.config.backup_retention_period ?? 'unset (the API default is 1 day)'}, below 7 days`;
    },
  },
  {
    control: 'RDS.13',
    source: 'FSBP',
    title: 'RDS automatic minor version upgrades should be enabled',
    checks: 'auto_minor_version_upgrade is not false (the default is true)',
    targets: DB,
    environments: ALL,
    fix: 'remove auto_minor_version_upgrade = false; pin the major version only (settings data.postgres.engineVersion)',
    evaluate: (db) => (isFalse(db.config.auto_minor_version_upgrade) ? 'auto_minor_version_upgrade is false' : undefined),
  },
  {
    control: 'RDS.17',
    source: 'FSBP',
    title: 'RDS DB instances should be configured to copy tags to snapshots',
    checks: 'copy_tags_to_snapshot is true (the default is false)',
    targets: DB,
    environments: ALL,
    fix: 'set copy_tags_to_snapshot = true',
    evaluate: (db) => (isTrue(db.config.copy_tags_to_snapshot) ? undefined : 'copy_tags_to_snapshot is not true'),
  },
];
