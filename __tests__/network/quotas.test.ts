import * as fs from 'fs';
import * as path from 'path';
import { accountQuotaNeeds } from '../../config/capacity';
import { ENVIRONMENTS } from '../../config/environments';
import { EnvironmentName, EnvironmentSettings } from '../../config/settings';

describe('service quotas the three environments of one account need', () => {
  const needs = accountQuotaNeeds(ENVIRONMENTS);
  const need = (code: string) => needs.find((n) => n.code === code)!;

  test('figures from the shipped settings', () => {
    // NAT gateways: dev 1 (single) + staging 2 + prod 2 (one per AZ), one Elastic IP each: exactly the default 5.
    expect(need('L-0263D0A3')).toMatchObject({ needed: 5, defaultValue: 5 });
    // ap-northeast-2a holds a gateway of every environment.
    expect(need('L-FE5A380F')).toMatchObject({ needed: 3, defaultValue: 5 });
    expect(need('L-F678F1CE')).toMatchObject({ needed: 3, defaultValue: 5 });
    expect(need('L-A4707A72')).toMatchObject({ needed: 3, defaultValue: 5 });
    // (4 + 4) × 2 + (6 + 4) × 2 + (10 + 4) × 2 vCPUs: t3.medium and t3.large have 2 each.
    expect(need('L-1216C47A').needed).toBe(16 + 20 + 28);
  });

  test('follows the settings (a larger prod node group needs more vCPUs; one more NAT needs one more address)', () => {
    const bigger: Record<EnvironmentName, EnvironmentSettings> = {
      ...ENVIRONMENTS,
      prod: { ...ENVIRONMENTS.prod, cluster: { ...ENVIRONMENTS.prod.cluster, nodeGroup: { ...ENVIRONMENTS.prod.cluster.nodeGroup, maxSize: 20 } } },
      dev: { ...ENVIRONMENTS.dev, network: { ...ENVIRONMENTS.dev.network, natGateways: 'one-per-az' } },
    };
    const changed = accountQuotaNeeds(bigger);
    expect(changed.find((n) => n.code === 'L-1216C47A')!.needed).toBe(16 + 20 + (20 + 4) * 2);
    expect(changed.find((n) => n.code === 'L-0263D0A3')!.needed).toBe(6);
  });

  test('the README\'s quota table states every computed figure', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    for (const n of needs) {
      const row = readme.split('\n').find((line) => line.includes(`\`${n.code}\``));
      expect(row).toBeDefined();
      const cells = row!.split('|').map((c) => c.trim());
      // | quota | code | needed | default | ... |
      expect(cells[3]).toBe(String(n.needed));
      expect(cells[4]).toBe(n.defaultValue === undefined ? 'varies' : String(n.defaultValue));
    }
  });
});
