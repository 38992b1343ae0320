import { Testing } from 'cdktf';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { PostgresDatabase, PostgresDatabaseProps } from '../../modules/postgres-database';

const BASE: PostgresDatabaseProps = {
  namePrefix: 'tiketi-test',
  engineMajorVersion: '17',
  instanceClass: 'db.t3.medium',
  allocatedStorageGb: 20,
  maxAllocatedStorageGb: 100,
  vpcId: 'vpc-123',
  subnetGroupName: 'tiketi-test-database',
  availabilityZoneCount: 2,
};

function synthText(props: Partial<PostgresDatabaseProps> = {}, configure?: (db: PostgresDatabase) => void): string {
  return Testing.synthScope((scope) => {
    const db = new PostgresDatabase(scope, 'postgres', { ...BASE, ...props });
    configure?.(db);
  });
}

const synth = (props: Partial<PostgresDatabaseProps> = {}, configure?: (db: PostgresDatabase) => void): any => JSON.parse(synthText(props, configure));
const instanceOf = (json: any): any => Object.values<any>(json.resource.aws_db_instance)[0];

describe('PostgresDatabase', () => {
  test('by default: private, encrypted, TLS-pinned, IAM auth, RDS-managed password, minor upgrades', () => {
    expect(synthText()).toHaveResourceWithProperties(DbInstance, {
      engine: 'postgres',
      engine_version: '17',
      storage_type: 'gp3',
      storage_encrypted: true,
      publicly_accessible: false,
      db_subnet_group_name: 'tiketi-test-database',
      manage_master_user_password: true,
      iam_database_authentication_enabled: true,
      auto_minor_version_upgrade: true,
      allow_major_version_upgrade: false,
      copy_tags_to_snapshot: true,
      ca_cert_identifier: 'rds-ca-rsa2048-g1',
      enabled_cloudwatch_logs_exports: ['postgresql', 'upgrade'],
      db_name: 'tiketi',
      username: 'tiketi_admin',
    });
    const db = instanceOf(synth());
    expect(db).not.toHaveProperty('password');
    expect(db.max_allocated_storage).toBe(100);
  });

  test('by default nothing is lost: deletion protection, final snapshot, kept backups, prevent_destroy, Multi-AZ, 14 days', () => {
    const json = synth();
    const db = instanceOf(json);
    expect(db).toMatchObject({
      deletion_protection: true,
      skip_final_snapshot: false,
      delete_automated_backups: false,
      multi_az: true,
      backup_retention_period: 14,
      lifecycle: { prevent_destroy: true },
    });
    // The key outlives the instance: snapshots and retained backups need it.
    expect(Object.values<any>(json.resource.aws_kms_key)[0].lifecycle).toEqual({ prevent_destroy: true });
  });

  test('the final snapshot name carries the creation time of a terraform_data that ignores later plans', () => {
    const json = synth();
    const [[id, suffix]] = Object.entries<any>(json.resource.terraform_data);
    expect(suffix).toEqual({ input: { created_at: '${plantimestamp()}' }, lifecycle: { ignore_changes: ['input'] } });
    expect(instanceOf(json).final_snapshot_identifier).toBe(`tiketi-test-postgres-final-\${formatdate("YYYYMMDDhhmmss", terraform_data.${id}.input.created_at)}`);
    expect(synth({ disposable: true }).resource.terraform_data).toBeUndefined();
  });

  test('no silent Extended Support, Database Insights mode explicit', () => {
    expect(instanceOf(synth())).toMatchObject({ engine_lifecycle_support: 'open-source-rds-extended-support-disabled', database_insights_mode: 'standard' });
    expect(instanceOf(synth({ monitoring: false })).database_insights_mode).toBe('standard');
    expect(instanceOf(synth({ databaseInsightsMode: 'advanced' })).database_insights_mode).toBe('advanced');
  });

  test('disposable drops every loss guard, and says so in one prop', () => {
    const json = synth({ disposable: true });
    const db = instanceOf(json);
    expect(db).toMatchObject({ deletion_protection: false, skip_final_snapshot: true, delete_automated_backups: true, lifecycle: { prevent_destroy: false } });
    expect(db).not.toHaveProperty('final_snapshot_identifier');
    expect(Object.values<any>(json.resource.aws_kms_key)[0].lifecycle).toEqual({ prevent_destroy: false });
  });

  test('creates a rotating customer-managed key and uses it for storage, secret, Performance Insights and logs', () => {
    const json = synth();
    expect(JSON.stringify(json)).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true });
    const keyRef = '${aws_kms_key.postgres_kms_key_D0A564BB.arn}';
    expect(Object.keys(json.resource.aws_kms_key)).toEqual(['postgres_kms_key_D0A564BB']);
    const db = instanceOf(json);
    expect([db.kms_key_id, db.master_user_secret_kms_key_id, db.performance_insights_kms_key_id]).toEqual([keyRef, keyRef, keyRef]);
    const logGroups = Object.values<any>(json.resource.aws_cloudwatch_log_group);
    expect(logGroups.map((g) => g.name).sort()).toEqual(['/aws/rds/instance/tiketi-test-postgres/postgresql', '/aws/rds/instance/tiketi-test-postgres/upgrade']);
    expect(logGroups.every((g) => g.kms_key_id === keyRef)).toBe(true);
    // CloudWatch Logs may use the key, only for this account's log groups.
    const policy = JSON.parse(json.resource.aws_kms_key.postgres_kms_key_D0A564BB.policy);
    const logs = policy.Statement.find((s: any) => s.Sid === 'CloudWatchLogsEncryptsLogGroups');
    expect(logs.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn']).toMatch(/^arn:aws:logs:.*:log-group:\*$/);
  });

  test('a given kmsKeyArn is used instead of creating a key', () => {
    const json = synth({ kmsKeyArn: 'arn:aws:kms:ap-northeast-2:123456789012:key/given' });
    expect(json.resource.aws_kms_key).toBeUndefined();
    expect(instanceOf(json).kms_key_id).toBe('arn:aws:kms:ap-northeast-2:123456789012:key/given');
  });

  test('the parameter group forces TLS and logs slow statements, in the family of the major version', () => {
    expect(synthText({ slowStatementMs: 500 })).toHaveResourceWithProperties(DbParameterGroup, {
      family: 'postgres17',
      parameter: [
        { name: 'rds.force_ssl', value: '1', apply_method: 'immediate' },
        { name: 'log_min_duration_statement', value: '500', apply_method: 'immediate' },
      ],
      lifecycle: { create_before_destroy: true },
    });
    expect(instanceOf(synth()).parameter_group_name).toMatch(/^\$\{aws_db_parameter_group\..+\.name\}$/);
  });

  test('monitoring: enhanced monitoring through a role only RDS monitoring of this account can assume, and Performance Insights', () => {
    const json = synth();
    expect(instanceOf(json)).toMatchObject({ monitoring_interval: 60, performance_insights_enabled: true, performance_insights_retention_period: 7 });
    const role = Object.values<any>(json.resource.aws_iam_role)[0];
    const trust = JSON.parse(role.assume_role_policy);
    expect(trust.Statement).toEqual([
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'monitoring.rds.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': expect.stringMatching(/^\$\{data\.aws_caller_identity\./) } } }),
    ]);
    expect(Object.values<any>(json.resource.aws_iam_role_policy_attachment)[0].policy_arn).toBe('arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole');
  });

  test('monitoring off: no role, no Performance Insights', () => {
    const json = synth({ monitoring: false });
    expect(json.resource.aws_iam_role).toBeUndefined();
    const db = instanceOf(json);
    expect(db).toMatchObject({ monitoring_interval: 0, performance_insights_enabled: false });
    expect(db).not.toHaveProperty('monitoring_role_arn');
    expect(db).not.toHaveProperty('performance_insights_kms_key_id');
  });

  test('closed until allowFrom: its own security group, no egress, no ingress', () => {
    const json = synth();
    const group = Object.values<any>(json.resource.aws_security_group)[0];
    expect(group.egress).toEqual([]);
    expect(group).not.toHaveProperty('ingress');
    expect(json.resource.aws_vpc_security_group_ingress_rule).toBeUndefined();
    expect(instanceOf(json).vpc_security_group_ids).toEqual(['${aws_security_group.postgres_security-group_D93AA439.id}']);
  });

  test('allowFrom / allowFromSecurityGroup open 5432/tcp only, to exactly the given sources', () => {
    const json = synth({}, (db) => {
      db.allowFrom(['10.0.11.0/24', '10.0.12.0/24'], 'nodes');
      db.allowFromSecurityGroup('eks-nodes', 'sg-nodes', 'node group');
    });
    const rules = Object.values<any>(json.resource.aws_vpc_security_group_ingress_rule);
    expect(rules.map((r) => r.cidr_ipv4 ?? r.referenced_security_group_id).sort()).toEqual(['10.0.11.0/24', '10.0.12.0/24', 'sg-nodes']);
    expect(rules.every((r) => r.ip_protocol === 'tcp' && r.from_port === 5432 && r.to_port === 5432)).toBe(true);
    expect(rules.every((r) => r.security_group_id === '${aws_security_group.postgres_security-group_D93AA439.id}')).toBe(true);
  });


  test.each<[string, Partial<PostgresDatabaseProps>, string]>([
    ['a cache.* class', { instanceClass: 'cache.t3.small' }, 'instanceClass got "cache.t3.small", expected an RDS class "db.*"'],
    ['Multi-AZ with one AZ', { multiAz: true, availabilityZoneCount: 1 }, 'multiAz is true but availabilityZoneCount is 1'],
    ['the default user name', { masterUsername: 'postgres' }, 'masterUsername got "postgres"'],
    ['backup retention above 35', { backupRetentionDays: 36 }, 'backupRetentionDays got 36, expected an integer from 1 to 35'],
    ['autoscaling ceiling below 10% more', { allocatedStorageGb: 100, maxAllocatedStorageGb: 105 }, 'maxAllocatedStorageGb got 105'],
    ['a minor version', { engineMajorVersion: '17.6' }, 'engineMajorVersion got "17.6", expected a major version'],
  ])('fails when given %s, naming the prop', (_case, props, message) => {
    expect(() => synthText(props)).toThrow(message);
  });

  test('allowFrom refuses 0.0.0.0/0', () => {
    expect(() => synthText({}, (db) => db.allowFrom(['0.0.0.0/0'], 'world'))).toThrow('allowFrom got "0.0.0.0/0", expected a specific IPv4 CIDR');
  });
});
