import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { policyCommand, PolicySources } from '../../cli/policy';
import { Io, runCommand } from '../../cli/lib/command';
import { ENVIRONMENTS, REGISTRY } from '../../config/environments';

function fakeIo(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tiketi-policy-root-'));
  return { root, stdout, stderr, out: (l) => void stdout.push(...l.split('\n')), err: (l) => void stderr.push(...l.split('\n')), readStdin: async () => '' };
}

async function run(args: string[], sources?: PolicySources) {
  const io = fakeIo();
  const code = await runCommand(policyCommand(sources), args, io);
  const wrote = fs.readdirSync(io.root);
  fs.rmSync(io.root, { recursive: true, force: true });
  return { code, stdout: io.stdout, stderr: io.stderr, wrote };
}

const SUMMARY = /^policy: (\d+) passed, (\d+) failed, (\d+) excepted$/;

/** The counts in each table's header line, summed. */
function headerTotals(stdout: string[]) {
  const totals = { passed: 0, failed: 0, excepted: 0 };
  for (const line of stdout) {
    const m = /\((\d+) passed, (\d+) failed, (\d+) excepted, \d+ not applicable\)$/.exec(line);
    if (m) [totals.passed, totals.failed, totals.excepted] = [totals.passed + Number(m[1]), totals.failed + Number(m[2]), totals.excepted + Number(m[3])];
  }
  return totals;
}

describe('npm run policy', () => {
  test('--env prod: the prod table and the account table, excepted findings with their reasons, exit 0, nothing written', async () => {
    const { code, stdout, stderr, wrote } = await run(['--env', 'prod']);
    expect([code, stderr, wrote]).toEqual([0, [], []]);
    // The environment's stacks (the argocd stack joins them when it lands), then the account-wide ones.
    expect(stdout.filter((l) => /^(environment|the account-wide stacks)/.test(l)).map((l) => l.replace(/ \(.*/, ''))).toEqual([
      expect.stringMatching(/^environment prod: stacks network, cluster, data, edge(, [a-z]+)*$/),
      'the account-wide stacks: stacks registry, dns, billing, bootstrap',
    ]);
    expect(stdout).toContainEqual(expect.stringMatching(/^RDS\.5 +passed +data\/aws_db_instance\.postgres_instance_919E2690$/));
    // Excepted rows give the resources, the reason and the settings field (which findings are excepted changes as
    // fixes land: prod and the account-wide stacks have none left, dev keeps its by-settings ones).
    for (const line of stdout.filter((l) => /^\S+ +excepted +/.test(l))) expect(line).toMatch(/^\S+ +excepted +\S.*: .{10,} \[(prod|registry)\.policy\.exceptions\[\d+\]\]$/);
    const dev = (await run(['--env', 'dev'])).stdout.filter((l) => /^\S+ +excepted +/.test(l));
    // dev's exceptions, by its settings: one AZ, no enhanced monitoring, disposable data, one Valkey node.
    expect(dev.map((l) => l.split(/ +/)[0]).sort()).toEqual(['ElastiCache.3', 'RDS.5', 'RDS.6', 'RDS.8']);
    for (const line of dev) expect(line).toMatch(/^\S+ +excepted +\S.*: .{10,} \[dev\.policy\.exceptions\[\d+\]\]$/);
    expect(stdout).toContainEqual(expect.stringMatching(/^Tiketi\.7 +not applicable +no backend:s3 in these stacks$/));
    const summary = SUMMARY.exec(stdout[stdout.length - 1]);
    expect(summary).not.toBeNull();
    expect(summary![2]).toBe('0');
    expect(headerTotals(stdout)).toEqual({ passed: Number(summary![1]), failed: 0, excepted: Number(summary![3]) });
  });

  test('without --env: all three environments, then the account-wide stacks once', async () => {
    const { code, stdout } = await run([]);
    expect(code).toBe(0);
    expect(stdout.filter((l) => /^(environment|the account-wide stacks)/.test(l)).map((l) => l.replace(/:.*/, ''))).toEqual(['environment dev', 'environment staging', 'environment prod', 'the account-wide stacks']);
    expect(stdout[stdout.length - 1]).toMatch(SUMMARY);
  });

  test('an insecure setting fails: exit 1, the failed row, and the summary counts it', async () => {
    const dev = { ...ENVIRONMENTS.dev, cluster: { ...ENVIRONMENTS.dev.cluster, publicAccessCidrs: ['198.51.100.0/24'] } };
    const { code, stdout, stderr } = await run(['--env', 'dev'], { environments: { ...ENVIRONMENTS, dev }, registry: REGISTRY });
    expect(code).toBe(1);
    expect(stdout).toContainEqual(expect.stringMatching(/^EKS\.1 +failed +cluster\/aws_eks_cluster\.eks_cluster_55B0C966: vpc_config\.endpoint_public_access is not false$/));
    expect(stderr[stderr.length - 1]).toMatch(/^policy: \d+ passed, 1 failed, \d+ excepted$/);
  });

  test('a stale exception fails, and is listed under exception problems', async () => {
    const prod = { ...ENVIRONMENTS.prod, policy: { exceptions: [...ENVIRONMENTS.prod.policy.exceptions, { control: 'RDS.5', resource: 'data/aws_db_instance.postgres_instance_919E2690', reason: 'prod is Multi-AZ: this is stale' }] } };
    const { code, stdout, stderr } = await run(['--env', 'prod'], { environments: { ...ENVIRONMENTS, prod }, registry: REGISTRY });
    expect(code).toBe(1);
    expect(stdout).toContainEqual(expect.stringMatching(/^ {2}prod\.policy\.exceptions\[\d+\] \(RDS\.5 on data\/aws_db_instance\.postgres_instance_919E2690\) is stale: RDS\.5 does not fail on/));
    expect(stderr[stderr.length - 1]).toMatch(/^policy: \d+ passed, 0 failed, \d+ excepted$/);
  });

  test('an exception without a reason is a settings error: exit 1, the field named, nothing evaluated', async () => {
    const prod = { ...ENVIRONMENTS.prod, policy: { exceptions: [{ control: 'RDS.5', reason: '' }] } };
    const { code, stdout, stderr } = await run(['--env', 'prod'], { environments: { ...ENVIRONMENTS, prod }, registry: REGISTRY });
    expect([code, stdout]).toEqual([1, []]);
    expect(stderr.join('\n')).toContain('prod.policy.exceptions[0].reason: got "", expected a written reason');
  });

  test('a bad environment or an extra argument is a usage error (exit 2)', async () => {
    const bad = await run(['--env', 'qa']);
    expect(bad.code).toBe(2);
    expect(bad.stderr[0]).toBe('policy: --env: got "qa", expected one of dev, staging, prod');
    expect((await run(['prod'])).stderr[0]).toBe('policy: unexpected argument "prod"');
  });

  test('--help says what the summary counts', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout.join('\n')).toContain('counting (control, resource) checks');
  });
});
