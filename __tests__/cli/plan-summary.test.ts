import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { planSummary } from '../../cli/plan-summary';
import { run } from './helpers/project';

const rc = (address: string, ...actions: string[]) => ({ address, type: address.split('.')[0], change: { actions } });

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tiketi-plan-'));
  fs.mkdirSync(path.join(root, 'plans'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
const plan = (stack: string, changes: unknown[]) => fs.writeFileSync(path.join(root, 'plans', `${stack}.json`), JSON.stringify({ format_version: '1.2', resource_changes: changes }));

test('counts like terraform (a replace is one add and one destroy) and calls stateful destroys out first', async () => {
  plan('network', [rc('aws_subnet.a', 'create'), rc('aws_route.b', 'update'), rc('aws_vpc.main', 'no-op')]);
  plan('data', [
    rc('aws_db_instance.postgres', 'delete', 'create'),
    rc('aws_kms_key.db', 'delete'),
    rc('aws_security_group.db', 'create', 'delete'),
    rc('data.aws_iam_policy_document.x', 'read'),
  ]);
  fs.writeFileSync(path.join(root, 'plans', 'edge.failed'), '');
  const result = await run(planSummary, root, ['prod', '--plans', 'plans', '--out', 'comment.md', '--context', 'base `main`, head `abc1234`']);
  expect(result.code).toBe(0);
  expect(result.stdout).toEqual(['plan-summary: prod: 3 stack(s), 3 to add, 1 to change, 3 to destroy (2 stateful), 1 failed -> comment.md']);
  const comment = fs.readFileSync(path.join(root, 'comment.md'), 'utf8');
  expect(comment.startsWith('<!-- tiketi-infra-plan -->\n## Infrastructure plan: prod\n\nbase `main`, head `abc1234`\n')).toBe(true);
  const caution = comment.indexOf('**2 stateful resource(s) would be destroyed**');
  expect(caution).toBeGreaterThan(0);
  expect(caution).toBeLessThan(comment.indexOf('| stack |')); // before the table
  expect(comment).toContain('> - `data`: `aws_db_instance.postgres (replace)`');
  expect(comment).toContain('> - `data`: `aws_kms_key.db (delete)`');
  expect(comment).not.toContain('aws_security_group.db (replace)'); // not stateful
  expect(comment).toContain('| `data` | 2 | 0 | 3 | **2** |');
  expect(comment).toContain('| `network` | 1 | 1 | 0 | 0 |');
  expect(comment).toContain('| `edge` | plan failed | | | |');
  expect(comment).toContain('The plan of `edge` failed');
});

test('no changed stack: says so', async () => {
  const result = await run(planSummary, root, ['dev', '--plans', 'plans', '--out', 'c.md']);
  expect(result.stdout).toEqual(['plan-summary: dev: 0 stack(s), 0 to add, 0 to change, 0 to destroy (0 stateful) -> c.md']);
  expect(fs.readFileSync(path.join(root, 'c.md'), 'utf8')).toContain('No stack of this environment changes.');
});

test('a huge plan is cut below GitHub comment limit', async () => {
  plan('cluster', Array.from({ length: 3000 }, (_, i) => rc(`aws_instance.node_with_a_long_name_${i}`, 'create')));
  await run(planSummary, root, ['dev', '--plans', 'plans', '--out', 'c.md']);
  const comment = fs.readFileSync(path.join(root, 'c.md'), 'utf8');
  expect(comment.length).toBeLessThan(65_536);
  expect(comment).toContain('(cut: the full plans are in the workflow run)');
});

test('bad input: missing options, missing directory, unreadable plan; nothing written', async () => {
  expect((await run(planSummary, root, ['dev'])).stderr[0]).toBe('plan-summary: --plans DIR and --out FILE are required');
  expect((await run(planSummary, root, ['dev', '--plans', 'nope', '--out', 'c.md'])).stderr).toEqual(['plan-summary: --plans nope: no such directory']);
  fs.writeFileSync(path.join(root, 'plans', 'network.json'), '{');
  const result = await run(planSummary, root, ['dev', '--plans', 'plans', '--out', 'c.md']);
  expect(result.code).toBe(1);
  expect(result.stderr[0]).toMatch(/^plan-summary: plans\/network\.json is not JSON/);
  expect(fs.existsSync(path.join(root, 'c.md'))).toBe(false);
});
