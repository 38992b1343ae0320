/**
 * The cost report over the real app: every resource type of every stack in every environment is priced,
 * declared free, or listed as unpriced (and the list is printed); and the command's flags.
 */
import * as os from 'os';
import * as path from 'path';
import { costCommand } from '../../cli/cost';
import { Io, runCommand } from '../../cli/lib/command';
import { defaultAssumptions } from '../../cli/lib/cost/assumptions';
import { FREE_RESOURCE_TYPES } from '../../cli/lib/cost/free';
import { formatReport } from '../../cli/lib/cost/format';
import { PRICERS } from '../../cli/lib/cost/pricers';
import { loadPriceTable } from '../../cli/lib/cost/prices';
import { buildReport, CostReport, NO_PRICER } from '../../cli/lib/cost/report';
import { kustomize, overlayFolder } from '../../cli/lib/gitops-render';
import { synthEnvironments } from '../../cli/lib/synth-app';
import { resourcesOf } from '../../cli/lib/terraform-json';

const ROOT = path.resolve(__dirname, '..', '..');
const synthesized = synthEnvironments(['dev', 'staging', 'prod']);
const report: CostReport = buildReport({
  environments: synthesized.map((s) => ({ env: s.env, stacks: s.stacks, gitops: { objects: kustomize(ROOT, overlayFolder(s.env)) }, availabilityZones: s.settings.network.availabilityZones.length })),
  prices: loadPriceTable(ROOT, 'ap-northeast-2'),
  assumptions: defaultAssumptions(),
});
const text = formatReport(report);

describe('cost of the real app', () => {
  test('no resource type is both priced and declared free', () => {
    expect(Object.keys(PRICERS).filter((type) => type in FREE_RESOURCE_TYPES)).toEqual([]);
  });

  test('every resource type is priced, declared free, or listed as unpriced', () => {
    const types = new Set(synthesized.flatMap((s) => s.stacks.flatMap((st) => resourcesOf(st.json).map((r) => r.type))));
    const unlisted = [...types].filter((type) => !(type in PRICERS) && !(type in FREE_RESOURCE_TYPES) && !report.unknownTypes.includes(type));
    expect(unlisted).toEqual([]);
    // An unknown type shows as an UNPRICED line of each of its resources, never as zero.
    for (const type of report.unknownTypes) {
      expect(report.unpriced.filter((u) => u.resourceType === type && u.reason === NO_PRICER).length).toBeGreaterThan(0);
    }
  });

  test('the unpriced list is printed, every line with its reason, and no priced line lacks a source', () => {
    const printed = text.slice(text.indexOf('\nUNPRICED ('));
    expect(printed).toMatch(new RegExp(`^\\nUNPRICED \\(${report.unpriced.length} lines?, left out of the totals\\)`));
    for (const u of report.unpriced) {
      expect(u.reason).not.toBe('');
      expect(printed).toContain(`${u.scope}/${u.stack} ${u.source}: ${u.description}: ${u.reason}`);
    }
    const scopes = [...report.environments, ...(report.account ? [report.account] : [])];
    for (const item of scopes.flatMap((s) => s.items).filter((i) => i.price)) {
      expect(item.price?.source).toMatch(/\S/);
      expect(item.price?.asOf).toMatch(/\S/);
    }
  });

  test('each environment pays for its API ALB (from the gitops Ingress) and the account-wide stacks come once', () => {
    for (const env of report.environments) {
      expect(env.albs.length).toBeGreaterThanOrEqual(1);
      expect(env.items.some((i) => i.stack === 'gitops' && i.category === 'Load balancers' && i.monthly !== null)).toBe(true);
      expect(env.stacks.map((s) => s.stack)).not.toContain('registry');
      expect(env.stacks.map((s) => s.stack)).not.toContain('bootstrap');
    }
    expect(report.account?.stacks.map((s) => s.stack)).toEqual(expect.arrayContaining(['registry', 'bootstrap']));
  });

  test('the seed\'s totals stand beside each environment', () => {
    expect(report.environments.map((e) => [e.scope, e.seed?.total])).toEqual([
      ['dev', 233],
      ['staging', 333],
      ['prod', 1118],
    ]);
    expect(text).toContain('seed estimate: ~$1,118 a month');
  });
});

function fakeIo(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { root: ROOT, stdout, stderr, out: (l) => void stdout.push(l), err: (l) => void stderr.push(l), readStdin: async () => '' };
}

describe('npm run cost', () => {
  test('an unknown environment is a usage error naming the allowed values', async () => {
    const io = fakeIo();
    expect(await runCommand(costCommand, ['--env', 'qa'], io)).toBe(2);
    expect(io.stderr[0]).toBe('cost: --env: got "qa", expected one of dev, staging, prod, all');
    expect(io.stdout).toEqual([]);
  });

  test('an unknown flag, a stray argument or a bad assumption exits 2', async () => {
    for (const argv of [['--envs', 'dev'], ['prod'], ['--assume', 'nat.gb=1'], ['--assume', 'spot.share=2']]) {
      const io = fakeIo();
      expect(await runCommand(costCommand, argv, io)).toBe(2);
      expect(io.stderr.join('\n')).toContain('usage: npm run cost --');
    }
  });

  test('--json prints one JSON document on stdout and the summary on stderr', async () => {
    const io = fakeIo();
    expect(await runCommand(costCommand, ['--env', 'dev', '--json', '--assume', 'nat.gbPerMonth=0'], io)).toBe(0);
    expect(io.stdout).toHaveLength(1);
    const parsed = JSON.parse(io.stdout[0]) as CostReport;
    expect(parsed.environments.map((e) => e.scope)).toEqual(['dev']);
    expect(parsed.assumptions.find((a) => a.key === 'nat.gbPerMonth')?.value).toBe(0);
    expect(parsed.account?.scope).toBe('account');
    expect(io.stderr).toEqual([expect.stringMatching(/^cost: dev \$[\d,.]+, account \$[\d,.]+; total \$[\d,.]+ a month/)]);
  });

  test('a missing price table fails (exit 1) before anything is printed', async () => {
    const io = { ...fakeIo(), root: os.tmpdir() };
    const stdout: string[] = [];
    const stderr: string[] = [];
    expect(await runCommand(costCommand, [], { ...io, out: (l) => void stdout.push(l), err: (l) => void stderr.push(l) })).toBe(1);
    expect(stderr).toEqual(['cost: no price table for ap-northeast-2: config/prices/ap-northeast-2.csv is missing']);
    expect(stdout).toEqual([]);
  });
});
