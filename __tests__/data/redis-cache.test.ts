import { Testing } from 'cdktf';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import { RedisCache, RedisCacheProps } from '../../modules/redis-cache';

const BASE: RedisCacheProps = {
  namePrefix: 'tiketi-test',
  engineVersion: '8.1',
  nodeType: 'cache.t3.small',
  vpcId: 'vpc-123',
  subnetGroupName: 'tiketi-test-cache',
  availabilityZones: ['ap-northeast-2a', 'ap-northeast-2c'],
};

function synthText(props: Partial<RedisCacheProps> = {}, configure?: (cache: RedisCache) => void): string {
  return Testing.synthScope((scope) => {
    const cache = new RedisCache(scope, 'redis', { ...BASE, ...props });
    configure?.(cache);
  });
}

const synth = (props: Partial<RedisCacheProps> = {}, configure?: (cache: RedisCache) => void): any => JSON.parse(synthText(props, configure));
const groupOf = (json: any): any => Object.values<any>(json.resource.aws_elasticache_replication_group)[0];
const usersOf = (json: any): any[] => Object.values<any>(json.resource.aws_elasticache_user);

describe('RedisCache', () => {
  test('by default: Valkey, encrypted at rest with a rotating CMK and in transit (required), no AUTH token', () => {
    expect(synthText()).toHaveResourceWithProperties(ElasticacheReplicationGroup, {
      engine: 'valkey',
      engine_version: '8.1',
      parameter_group_name: 'default.valkey8',
      cluster_mode: 'disabled',
      at_rest_encryption_enabled: 'true',
      transit_encryption_enabled: true,
      transit_encryption_mode: 'required',
      auto_minor_version_upgrade: 'true',
      subnet_group_name: 'tiketi-test-cache',
      port: 6379,
    });
    const json = synth();
    const group = groupOf(json);
    expect(group).not.toHaveProperty('auth_token');
    expect(group.kms_key_id).toBe('${aws_kms_key.redis_kms_key_69E593A1.arn}');
    expect(json.resource.aws_kms_key.redis_kms_key_69E593A1.enable_key_rotation).toBe(true);
  });

  test('by default a primary and a replica in another AZ, Multi-AZ with automatic failover, 7 days of snapshots', () => {
    const json = synth();
    expect(groupOf(json)).toMatchObject({
      num_cache_clusters: 2,
      preferred_cache_cluster_azs: ['ap-northeast-2a', 'ap-northeast-2c'],
      multi_az_enabled: true,
      automatic_failover_enabled: true,
      snapshot_retention_limit: 7,
      lifecycle: { prevent_destroy: true },
    });
    const [[id, suffix]] = Object.entries<any>(json.resource.terraform_data);
    expect(suffix).toEqual({ input: { created_at: '${plantimestamp()}' }, lifecycle: { ignore_changes: ['input'] } });
    expect(groupOf(json).final_snapshot_identifier).toBe(`tiketi-test-cache-final-\${formatdate("YYYYMMDDhhmmss", terraform_data.${id}.input.created_at)}`);
    expect(json.resource.aws_kms_key.redis_kms_key_69E593A1.lifecycle).toEqual({ prevent_destroy: true });
  });

  test('one node: no failover, no Multi-AZ; disposable drops the final snapshot and prevent_destroy', () => {
    const json = synth({ nodeCount: 1, multiAz: false, disposable: true, snapshotRetentionDays: 1 });
    const group = groupOf(json);
    expect(group).toMatchObject({ num_cache_clusters: 1, multi_az_enabled: false, automatic_failover_enabled: false, snapshot_retention_limit: 1, lifecycle: { prevent_destroy: false } });
    expect(group).not.toHaveProperty('final_snapshot_identifier');
    expect(json.resource.terraform_data).toBeUndefined();
    expect(json.resource.aws_kms_key.redis_kms_key_69E593A1.lifecycle).toEqual({ prevent_destroy: false });
  });

  test('RBAC: a disabled default user and an IAM-authenticated app user, no password anywhere', () => {
    const json = synth();
    const users = usersOf(json);
    const defaultUser = users.find((u) => u.user_name === 'default');
    const appUser = users.find((u) => u.user_name !== 'default');
    expect(defaultUser).toMatchObject({ access_string: 'off -@all', authentication_mode: { type: 'no-password-required' } });
    expect(appUser).toMatchObject({ user_id: 'tiketi-test-cache-app', user_name: 'tiketi-test-cache-app', access_string: 'on ~* &* +@all -@dangerous', authentication_mode: { type: 'iam' } }); // every key and channel, no dangerous command
    users.forEach((u) => expect(u).not.toHaveProperty('passwords'));
    const userGroup = Object.values<any>(json.resource.aws_elasticache_user_group)[0];
    expect(userGroup.user_ids).toHaveLength(2);
    expect(groupOf(json).user_group_ids).toEqual(['${aws_elasticache_user_group.redis_user-group_4DDC20B9.user_group_id}']);
  });

  test('the connect policy allows elasticache:Connect as the app user on this cache only', () => {
    const policy = JSON.parse(Object.values<any>(synth().resource.aws_iam_policy)[0].policy);
    expect(policy.Statement).toEqual([
      {
        Sid: 'ConnectAsAppUser',
        Effect: 'Allow',
        Action: 'elasticache:Connect',
        Resource: ['${aws_elasticache_replication_group.redis_replication-group_5BD9E6FB.arn}', '${aws_elasticache_user.redis_app-user_736F2E77.arn}'],
      },
    ]);
  });

  test('the slow log goes to an encrypted CloudWatch log group with the given retention', () => {
    const json = synth({ logRetentionDays: 30 });
    const logGroup = Object.values<any>(json.resource.aws_cloudwatch_log_group)[0];
    expect(logGroup).toMatchObject({ retention_in_days: 30, kms_key_id: '${aws_kms_key.redis_kms_key_69E593A1.arn}' });
    expect(groupOf(json).log_delivery_configuration).toEqual([
      { destination: '${aws_cloudwatch_log_group.redis_slow-log_531E8937.name}', destination_type: 'cloudwatch-logs', log_format: 'json', log_type: 'slow-log' },
    ]);
  });

  test('closed until allowFrom; then 6379/tcp only from the given CIDRs', () => {
    expect(synth().resource.aws_vpc_security_group_ingress_rule).toBeUndefined();
    const json = synth({}, (cache) => cache.allowFrom(['10.0.11.0/24'], 'nodes'));
    const group = Object.values<any>(json.resource.aws_security_group)[0];
    expect(group.egress).toEqual([]);
    expect(Object.values<any>(json.resource.aws_vpc_security_group_ingress_rule)).toEqual([
      expect.objectContaining({ cidr_ipv4: '10.0.11.0/24', ip_protocol: 'tcp', from_port: 6379, to_port: 6379 }),
    ]);
  });

  test('a given kmsKeyArn is used instead of creating a key', () => {
    const json = synth({ kmsKeyArn: 'arn:aws:kms:ap-northeast-2:123456789012:key/given' });
    expect(json.resource.aws_kms_key).toBeUndefined();
    expect(groupOf(json).kms_key_id).toBe('arn:aws:kms:ap-northeast-2:123456789012:key/given');
  });

  test.each<[string, Partial<RedisCacheProps>, string]>([
    ['a db.* node type', { nodeType: 'db.t3.small' }, 'nodeType got "db.t3.small", expected an ElastiCache node type "cache.*"'],
    ['Multi-AZ with one node', { multiAz: true, nodeCount: 1 }, 'multiAz is true but nodeCount is 1'],
    ['Multi-AZ with one AZ', { multiAz: true, availabilityZones: ['ap-northeast-2a'] }, 'multiAz is true but availabilityZones holds ["ap-northeast-2a"]'],
    ['a version without IAM auth', { engineVersion: '7.1' }, 'engineVersion got "7.1", expected a Valkey major.minor of 7.2 or later'],
    ['snapshot retention above 35', { snapshotRetentionDays: 40 }, 'snapshotRetentionDays got 40'],
  ])('fails when given %s, naming the prop', (_case, props, message) => {
    expect(() => synthText(props)).toThrow(message);
  });
});
