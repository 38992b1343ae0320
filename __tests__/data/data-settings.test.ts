import { ENVIRONMENTS } from '../../config/environments';
import { EnvironmentName, EnvironmentSettings, PostgresSettings, RedisSettings } from '../../config/settings';
import { problemsOf as problemsIn } from '../support/settings';
import { parseDailyWindow, parseWeeklyWindow } from '../../config/validation/data';

function withPostgres(name: EnvironmentName, change: Partial<PostgresSettings>): EnvironmentSettings {
  const base = ENVIRONMENTS[name];
  return { ...base, data: { ...base.data, postgres: { ...base.data.postgres, ...change } } };
}

function withRedis(name: EnvironmentName, change: Partial<RedisSettings>): EnvironmentSettings {
  const base = ENVIRONMENTS[name];
  return { ...base, data: { ...base.data, redis: { ...base.data.redis, ...change } } };
}

/** All problems for `env`, one per line ('' when valid). */
function problemsOf(env: EnvironmentSettings): string {
  return problemsIn(env).join('\n');
}

describe('data settings validation', () => {
  test.each<[string, EnvironmentSettings, string]>([
    ['an RDS class of the cache family', withPostgres('dev', { instanceClass: 'cache.t3.small' }), 'dev.data.postgres.instanceClass: got "cache.t3.small", expected an RDS instance class ("db.<family>.<size>" such as "db.t4g.medium"'],
    ['a pinned minor version', withPostgres('dev', { engineVersion: '17.6' }), 'dev.data.postgres.engineVersion: got "17.6", expected a PostgreSQL major version, one of "16", "17"'],
    ['an autoscaling ceiling too close to the storage', withPostgres('dev', { allocatedStorageGb: 100, maxAllocatedStorageGb: 105 }), 'dev.data.postgres.maxAllocatedStorageGb: got 105, expected an integer from 110'],
    ['storage below the gp3 minimum', withPostgres('dev', { allocatedStorageGb: 10 }), 'dev.data.postgres.allocatedStorageGb: got 10, expected an integer from 20 to 65536'],
    ['backup retention above 35 days', withPostgres('dev', { backupRetentionDays: 36 }), 'dev.data.postgres.backupRetentionDays: got 36, expected an integer from 1 to 35'],
    ['backup retention below 7 days in staging', withPostgres('staging', { backupRetentionDays: 3 }), 'staging.data.postgres.backupRetentionDays: got 3, expected an integer from 7 to 35'],
    ['backup retention below 14 days in prod', withPostgres('prod', { backupRetentionDays: 7 }), 'prod.data.postgres.backupRetentionDays: got 7, expected an integer from 14 to 35'],
    ['a single-AZ database in prod', withPostgres('prod', { multiAz: false }), 'prod.data.postgres.multiAz: got false, expected true in prod'],
    ['a disposable database in prod', withPostgres('prod', { disposable: true }), 'prod.data.postgres.disposable: got true, expected false in prod'],
    ['no monitoring in staging', withPostgres('staging', { monitoring: false }), 'staging.data.postgres.monitoring: got false, expected true in staging'],
    ['a malformed backup window', withPostgres('dev', { backupWindow: '5pm-6pm' }), 'dev.data.postgres.backupWindow: got "5pm-6pm", expected a daily UTC window "hh24:mi-hh24:mi"'],
    ['a 15-minute backup window', withPostgres('dev', { backupWindow: '17:00-17:15' }), 'dev.data.postgres.backupWindow: got "17:00-17:15", expected a window of at least 30 minutes'],
    ['a malformed maintenance window', withPostgres('dev', { maintenanceWindow: 'sunday:18:30-sunday:19:30' }), 'dev.data.postgres.maintenanceWindow: got "sunday:18:30-sunday:19:30", expected a weekly UTC window'],
    ['overlapping backup and maintenance windows', withPostgres('prod', { maintenanceWindow: 'sun:17:30-sun:18:30' }), 'prod.data.postgres.maintenanceWindow: got "sun:17:30-sun:18:30", which overlaps prod.data.postgres.backupWindow ("17:00-18:00")'],
    ['a cache node type of the RDS family', withRedis('dev', { nodeType: 'db.t3.micro' }), 'dev.data.redis.nodeType: got "db.t3.micro", expected an ElastiCache node type ("cache.<family>.<size>" such as "cache.t4g.small"'],
    ['an unknown Valkey version', withRedis('dev', { engineVersion: '7.0' }), 'dev.data.redis.engineVersion: got "7.0", expected one of "7.2", "8.0", "8.1"'],
    ['Multi-AZ with one node', withRedis('staging', { nodeCount: 1 }), 'staging.data.redis.multiAz: got true, expected false with nodeCount 1'],
    ['a single-AZ cache in prod', withRedis('prod', { multiAz: false }), 'prod.data.redis.multiAz: got false, expected true in prod'],
    ['snapshots kept less than 7 days in prod', withRedis('prod', { snapshotRetentionDays: 3 }), 'prod.data.redis.snapshotRetentionDays: got 3, expected an integer from 7 to 35'],
    ['no snapshots', withRedis('dev', { snapshotRetentionDays: 0 }), 'dev.data.redis.snapshotRetentionDays: got 0, expected an integer from 1 to 35'],
    ['a 30-minute snapshot window', withRedis('dev', { snapshotWindow: '16:00-16:30' }), 'dev.data.redis.snapshotWindow: got "16:00-16:30", expected a window of at least 60 minutes'],
    ['a disposable cache in staging', withRedis('staging', { disposable: true }), 'staging.data.redis.disposable: got true, expected false in staging'],
    ['a log retention CloudWatch refuses', { ...ENVIRONMENTS.dev, data: { ...ENVIRONMENTS.dev.data, logRetentionDays: 10 } }, 'dev.data.logRetentionDays: got 10, expected one of 1, 3, 5'],
  ])('fails when given %s, naming the field, the value and what is allowed', (_case, env, message) => {
    expect(problemsOf(env)).toContain(message);
  });

  test('a single-AZ network blames the zone list, not Multi-AZ of the data stores', () => {
    const base = ENVIRONMENTS.staging;
    const oneAz: EnvironmentSettings = {
      ...base,
      network: { ...base.network, availabilityZones: ['ap-northeast-2a'], publicSubnetCidrs: ['10.0.1.0/24'], privateSubnetCidrs: ['10.0.11.0/24'], databaseSubnetCidrs: ['10.0.21.0/24'] },
      data: { ...base.data, postgres: { ...base.data.postgres, multiAz: true } },
    };
    const problems = problemsOf(oneAz);
    expect(problems).toContain('staging.network.availabilityZones: got ["ap-northeast-2a"], expected 2 or 3 availability zones');
    // Multi-AZ is right for staging; the network has to change, so neither data store is blamed.
    expect(problems).not.toContain('staging.data.');
  });

  test('a maintenance window that wraps past Sunday midnight is checked against Monday backups', () => {
    expect(problemsOf(withPostgres('prod', { backupWindow: '00:00-01:00', maintenanceWindow: 'sun:23:30-mon:00:30' }))).toContain('which overlaps prod.data.postgres.backupWindow');
    expect(problemsOf(withPostgres('prod', { backupWindow: '01:00-02:00', maintenanceWindow: 'sun:23:30-mon:00:30' }))).toBe('');
  });

  test('window parsing: lengths across midnight and the week', () => {
    expect(parseDailyWindow('23:30-00:30')?.minutes).toBe(60);
    expect(parseWeeklyWindow('sun:23:30-mon:00:30')?.minutes).toBe(60);
    expect(parseDailyWindow('24:00-01:00')).toBeUndefined();
    expect(parseWeeklyWindow('xyz:01:00-mon:02:00')).toBeUndefined();
  });
});
