import { EnvironmentSettings } from '../settings';
import { LOG_RETENTION_DAYS, Problems } from './problems';
import { ELASTICACHE_NODE_TYPE, RDS_INSTANCE_CLASS } from './rules';

/** PostgreSQL majors RDS offers in standard support that this stack's parameter group knows (`postgres<major>`). */
export const POSTGRES_MAJOR_VERSIONS = ['16', '17'] as const;
/** Valkey versions ElastiCache offers; 7.2 is the first with IAM authentication for Valkey. */
export const VALKEY_VERSIONS = ['7.2', '8.0', '8.1'] as const;

/** Master user names RDS or FSBP RDS.25 reserve or flag. */
export const RESERVED_MASTER_USERNAMES = ['postgres', 'admin', 'rdsadmin', 'root'] as const;

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const MINUTES_PER_DAY = 24 * 60;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

/** A half-open interval of minutes in the week; `end` may pass the week's end (wraps to Monday). */
interface Interval {
  readonly start: number;
  readonly end: number;
}

/** `hh24:mi` → minutes after midnight, or undefined. */
function clock(text: string): number | undefined {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

/** `hh24:mi-hh24:mi` (daily, may cross midnight) → its length and its seven occurrences in the week. */
export function parseDailyWindow(text: string): { minutes: number; intervals: Interval[] } | undefined {
  const [from, to, ...rest] = text.split('-');
  const start = clock(from ?? '');
  const end = clock(to ?? '');
  if (start === undefined || end === undefined || rest.length > 0) return undefined;
  const minutes = (end - start + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  return { minutes, intervals: DAYS.map((_, day) => ({ start: day * MINUTES_PER_DAY + start, end: day * MINUTES_PER_DAY + start + minutes })) };
}

/** `ddd:hh24:mi-ddd:hh24:mi` (weekly) → its length and interval. */
export function parseWeeklyWindow(text: string): { minutes: number; interval: Interval } | undefined {
  const match = /^([a-z]{3}):(\d\d:\d\d)-([a-z]{3}):(\d\d:\d\d)$/.exec(text);
  if (!match) return undefined;
  const [startDay, endDay] = [DAYS.indexOf(match[1]), DAYS.indexOf(match[3])];
  const [startClock, endClock] = [clock(match[2]), clock(match[4])];
  if (startDay < 0 || endDay < 0 || startClock === undefined || endClock === undefined) return undefined;
  const start = startDay * MINUTES_PER_DAY + startClock;
  const minutes = (endDay * MINUTES_PER_DAY + endClock - start + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
  return { minutes, interval: { start, end: start + minutes } };
}

function overlaps(a: Interval, b: Interval): boolean {
  // Compare in the week and shifted by a week, so intervals that wrap past Sunday midnight are caught.
  return [-MINUTES_PER_WEEK, 0, MINUTES_PER_WEEK].some((shift) => a.start < b.end + shift && b.start + shift < a.end);
}

/**
 * Checks a daily backup/snapshot window and a weekly maintenance window: formats, minimum lengths and
 * that they never overlap (RDS and ElastiCache refuse overlapping windows at apply time).
 */
function checkWindows(problems: Problems, daily: { field: string; value: string }, weekly: { field: string; value: string }, minMinutes: number): void {
  const backup = parseDailyWindow(daily.value);
  const maintenance = parseWeeklyWindow(weekly.value);
  problems.check(backup !== undefined, daily.field, daily.value, 'a daily UTC window "hh24:mi-hh24:mi", e.g. "17:00-18:00"');
  problems.check(maintenance !== undefined, weekly.field, weekly.value, 'a weekly UTC window "ddd:hh24:mi-ddd:hh24:mi", e.g. "sun:18:30-sun:19:30"');
  if (backup) problems.check(backup.minutes >= minMinutes, daily.field, daily.value, `a window of at least ${minMinutes} minutes`);
  if (maintenance) problems.check(maintenance.minutes >= minMinutes, weekly.field, weekly.value, `a window of at least ${minMinutes} minutes`);
  if (backup && maintenance && backup.intervals.some((b) => overlaps(b, maintenance.interval))) {
    problems.addMessage(`${weekly.field}: got ${JSON.stringify(weekly.value)}, which overlaps ${daily.field} (${JSON.stringify(daily.value)}); the windows must not overlap`);
  }
}

export function validateData(env: EnvironmentSettings, problems: Problems): void {
  const { postgres, redis } = env.data;
  const at = `${env.name}.data`;
  const pg = `${at}.postgres`;
  const cache = `${at}.redis`;
  const azCount = env.network.availabilityZones.length;
  const protectedEnv = env.name !== 'dev';
  // Multi-AZ is checked against valid zones only: with a wrong zone list, the list is what is wrong.
  const zonesOk = !problems.reported(`${env.name}.network.availabilityZones`);

  // PostgreSQL
  problems.check(
    (POSTGRES_MAJOR_VERSIONS as readonly string[]).includes(postgres.engineVersion),
    `${pg}.engineVersion`,
    postgres.engineVersion,
    `a PostgreSQL major version, one of ${POSTGRES_MAJOR_VERSIONS.map((v) => JSON.stringify(v)).join(', ')} (the minor version follows automatic minor upgrades; a pinned minor makes later plans try to downgrade)`,
  );
  problems.rule(`${pg}.instanceClass`, postgres.instanceClass, RDS_INSTANCE_CLASS);
  if (problems.checkInteger(`${pg}.allocatedStorageGb`, postgres.allocatedStorageGb, 20, 65536)) {
    const minimum = Math.ceil((postgres.allocatedStorageGb * 11) / 10);
    problems.check(
      Number.isInteger(postgres.maxAllocatedStorageGb) && postgres.maxAllocatedStorageGb >= minimum && postgres.maxAllocatedStorageGb <= 65536,
      `${pg}.maxAllocatedStorageGb`,
      postgres.maxAllocatedStorageGb,
      `an integer from ${minimum} (10% above allocatedStorageGb, the least storage autoscaling accepts) to 65536`,
    );
  }
  if (postgres.multiAz && zonesOk) {
    problems.check(azCount >= 2, `${pg}.multiAz`, postgres.multiAz, `false with ${azCount} availability zone (Multi-AZ needs 2 or more in ${env.name}.network.availabilityZones)`);
  }
  if (env.name === 'prod') problems.check(postgres.multiAz, `${pg}.multiAz`, postgres.multiAz, 'true in prod (a standby in a second AZ)');
  const minBackupDays = env.name === 'prod' ? 14 : env.name === 'staging' ? 7 : 1;
  problems.checkInteger(`${pg}.backupRetentionDays`, postgres.backupRetentionDays, minBackupDays, 35);
  checkWindows(problems, { field: `${pg}.backupWindow`, value: postgres.backupWindow }, { field: `${pg}.maintenanceWindow`, value: postgres.maintenanceWindow }, 30);
  if (protectedEnv) {
    problems.check(!postgres.disposable, `${pg}.disposable`, postgres.disposable, `false in ${env.name} (deletion protection, final snapshot and prevent_destroy stay on)`);
    problems.check(postgres.monitoring, `${pg}.monitoring`, postgres.monitoring, `true in ${env.name} (enhanced monitoring and Performance Insights)`);
  }

  // Valkey (ElastiCache)
  problems.oneOf(`${cache}.engineVersion`, redis.engineVersion, VALKEY_VERSIONS);
  problems.rule(`${cache}.nodeType`, redis.nodeType, ELASTICACHE_NODE_TYPE);
  problems.checkInteger(`${cache}.nodeCount`, redis.nodeCount, 1, 6);
  if (redis.multiAz) {
    problems.check(redis.nodeCount >= 2, `${cache}.multiAz`, redis.multiAz, `false with nodeCount ${redis.nodeCount} (Multi-AZ needs a primary and at least one replica)`);
    if (zonesOk) problems.check(azCount >= 2, `${cache}.multiAz`, redis.multiAz, `false with ${azCount} availability zone (Multi-AZ needs 2 or more in ${env.name}.network.availabilityZones)`);
  }
  if (env.name === 'prod') problems.check(redis.multiAz, `${cache}.multiAz`, redis.multiAz, 'true in prod (a replica in another AZ with automatic failover)');
  problems.checkInteger(`${cache}.snapshotRetentionDays`, redis.snapshotRetentionDays, env.name === 'prod' ? 7 : 1, 35);
  checkWindows(problems, { field: `${cache}.snapshotWindow`, value: redis.snapshotWindow }, { field: `${cache}.maintenanceWindow`, value: redis.maintenanceWindow }, 60);
  if (protectedEnv) {
    problems.check(!redis.disposable, `${cache}.disposable`, redis.disposable, `false in ${env.name} (final snapshot and prevent_destroy stay on)`);
  }

  problems.oneOf(`${at}.logRetentionDays`, env.data.logRetentionDays, LOG_RETENTION_DAYS);
}
