import { AZ_TIERS, EnvironmentSettings } from '../settings';
import { Problems } from './problems';

/**
 * Checks the accepted AZ-loss outages of one environment (`<env>.availability.acceptedLosses`): a known tier,
 * an AZ of the environment where one is named, a written reason, one entry per tier and AZ. Whether each
 * still matches an outage (not stale) is known only from the synthesized configuration: `npm run az-check`
 * reports it.
 */
export function validateAvailability(env: EnvironmentSettings, problems: Problems): void {
  const at = `${env.name}.availability.acceptedLosses`;
  const seen = new Set<string>();
  (env.availability?.acceptedLosses ?? []).forEach((loss, i) => {
    const field = `${at}[${i}]`;
    problems.oneOf(`${field}.tier`, loss.tier, AZ_TIERS);
    if (loss.availabilityZone !== undefined) {
      problems.oneOf(`${field}.availabilityZone`, loss.availabilityZone, env.network.availabilityZones);
    }
    problems.check(
      typeof loss.reason === 'string' && loss.reason.trim().length >= 10,
      `${field}.reason`,
      loss.reason,
      'a written reason of 10 or more characters: why the outage is accepted and how the tier recovers',
    );
    const key = `${loss.tier} ${loss.availabilityZone ?? '*'}`;
    problems.check(!seen.has(key), field, `${loss.tier}${loss.availabilityZone ? ` in ${loss.availabilityZone}` : ''}`, 'one acceptance per tier and availability zone');
    seen.add(key);
  });
}
