/**
 * docs/cluster.md states per-environment figures (versions, node counts, volumes, retention, the capacity
 * check). They are computed here from the settings and `config/capacity.ts`, so a settings change that
 * leaves the page behind fails (prod's max went from 8 to 10 once while the page kept saying 8).
 */
import * as fs from 'fs';
import * as path from 'path';
import { capacityInputOf, checkPodCapacity } from '../../config/capacity';
import { ENVIRONMENTS } from '../../config/environments';
import { ALL_ENVIRONMENTS } from '../support/synth';

const page = () => fs.readFileSync(path.join(__dirname, '../../docs/cluster.md'), 'utf8');
const n = (value: number) => value.toLocaleString('en-US');

/** The cells of the table row starting with `| <label> |` (the first such row after `after`). */
function row(label: string, after: string): string[] {
  const text = page().slice(page().indexOf(after));
  const line = text.split('\n').find((l) => l.startsWith(`| ${label} |`));
  if (!line) throw new Error(`docs/cluster.md: no row "${label}" after "${after}"`);
  return line.split('|').slice(2, -1).map((c) => c.trim());
}

describe('docs/cluster.md', () => {
  test('"What it builds" shows each environment\'s Kubernetes version, node group sizes, root volume and log retention', () => {
    const envs = ALL_ENVIRONMENTS.map((e) => ENVIRONMENTS[e].cluster);
    const at = '## What it builds';
    expect(row('Kubernetes', at)).toEqual(envs.map((c) => c.kubernetesVersion));
    expect(row('nodes (min / desired / max)', at)).toEqual(envs.map((c) => `${c.nodeGroup.instanceTypes.join('/')} ${c.nodeGroup.minSize} / ${c.nodeGroup.desiredSize} / ${c.nodeGroup.maxSize}`));
    expect(row('root volume', at).map((c) => Number(/^(\d+) GiB/.exec(c)?.[1]))).toEqual(envs.map((c) => c.nodeGroup.diskSizeGb));
    expect(row('control plane log retention', at)).toEqual(envs.map((c) => `${c.logRetentionDays} d`));
    expect(row('VPC CNI mode', at)).toEqual(envs.map((c) => (c.prefixDelegation ? 'prefix delegation' : 'secondary IPs')));
  });

  test('the capacity table is what the capacity check computes', () => {
    for (const env of ALL_ENVIRONMENTS) {
      const settings = ENVIRONMENTS[env];
      const report = checkPodCapacity(capacityInputOf(settings));
      const type = settings.cluster.nodeGroup.instanceTypes.join('/');
      expect({ env, cells: row(env, '## Capacity check') }).toEqual({
        env,
        cells: [
          `${settings.cluster.nodeGroup.maxSize} + ${report.upgradeSurge} surge = ${report.nodes}`,
          `${report.addressesPerNode} (${report.maxPodsPerNode} pods, ${type})`,
          n(report.required),
          n(report.available),
          n(report.spare),
        ],
      });
    }
  });
});
