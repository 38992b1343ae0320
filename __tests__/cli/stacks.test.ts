import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stacks } from '../../cli/stacks';
import { synthApp } from '../support/synth';
import { run } from './helpers/project';

/** A synth output with the given stacks: id -> [environment tag, dependencies, extra providers]. */
function fakeSynth(dir: string, spec: Record<string, [string, string[], string[]?, Record<string, unknown>?]>): void {
  const manifest: Record<string, unknown> = {};
  for (const [id, [scope, dependencies, providers = [], resource = {}]] of Object.entries(spec)) {
    const file = path.join('stacks', id, 'cdk.tf.json');
    manifest[id] = { name: id, dependencies, synthesizedStackPath: file };
    const json = {
      '//': { metadata: { version: '0.21.0', stackName: id } },
      terraform: { backend: { local: { path: path.join(dir, `${id}.tfstate`) } } },
      provider: { aws: [{ default_tags: [{ tags: { Environment: scope } }] }], ...Object.fromEntries(providers.map((p) => [p, [{}]])) },
      resource,
    };
    fs.mkdirSync(path.join(dir, 'stacks', id), { recursive: true });
    fs.writeFileSync(path.join(dir, file), JSON.stringify(json));
  }
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: '0.21.0', stacks: manifest }));
}

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tiketi-stacks-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const APP = {
  bootstrap: ['account', []],
  registry: ['account', []],
  network: ['prod', []],
  cluster: ['prod', ['network']],
  data: ['prod', ['network']],
  edge: ['prod', ['dns']],
  dns: ['account', []],
  argocd: ['prod', ['cluster', 'data', 'edge'], ['helm', 'kubernetes']],
} as Record<string, [string, string[], string[]?]>;

test('lists the environment stacks after what they read, never the account-wide ones, and which need the cluster API', async () => {
  fakeSynth(path.join(root, 'cdktf.out'), APP);
  const result = await run(stacks, root, ['prod']);
  expect(result.code).toBe(0);
  expect(JSON.parse(result.stdout[0])).toEqual([
    { stack: 'network', dependsOn: [], needsCluster: false },
    { stack: 'cluster', dependsOn: ['network'], needsCluster: false },
    { stack: 'data', dependsOn: ['network'], needsCluster: false },
    { stack: 'edge', dependsOn: [], needsCluster: false }, // dns is account-wide: a prerequisite, not a job
    { stack: 'argocd', dependsOn: ['cluster', 'data', 'edge'], needsCluster: true },
  ]);
});

test('--changed-against lists only the stacks whose configuration differs (backend paths and metadata aside)', async () => {
  fakeSynth(path.join(root, 'base'), APP);
  fakeSynth(path.join(root, 'head'), { ...APP, data: ['prod', ['network'], [], { aws_db_instance: { db: { instance_class: 'db.t3.large' } } }] });
  // the same code synthesized in another checkout: only the state path differs
  const result = await run(stacks, root, ['prod', '--out', 'head', '--changed-against', 'base']);
  expect(JSON.parse(result.stdout[0])).toEqual([{ stack: 'data', dependsOn: ['network'], needsCluster: false }]);
  const none = await run(stacks, root, ['prod', '--out', 'base', '--changed-against', 'base']);
  expect(JSON.parse(none.stdout[0])).toEqual([]);
  // no base synth (a new branch, or its synth failed): everything is new
  const all = await run(stacks, root, ['prod', '--out', 'head', '--changed-against', 'missing']);
  expect(JSON.parse(all.stdout[0]).map((s: { stack: string }) => s.stack)).toEqual(['network', 'cluster', 'data', 'edge', 'argocd']);
});

test('a synth of another environment, no synth, a bad environment', async () => {
  fakeSynth(path.join(root, 'cdktf.out'), APP);
  expect(await run(stacks, root, ['dev'])).toEqual({ code: 1, stdout: [], stderr: ['stacks: cdktf.out holds no stack of dev (environments found: prod): run TIKETI_ENV=dev npm run synth'] });
  expect((await run(stacks, root, ['prod', '--out', 'nowhere'])).stderr).toEqual(['stacks: nowhere/manifest.json does not exist: run npm run synth first']);
  expect((await run(stacks, root, ['live'])).code).toBe(2);
  expect((await run(stacks, root, ['prod', 'extra'])).stderr[0]).toBe('stacks: expected one argument (<env>), got 2');
});

test('a marked synth of another environment is refused, as a base too (every environment has the same stack IDs)', async () => {
  // What main.ts leaves: the stacks' tags alone cannot tell when an output mixes environments.
  const mark = (dir: string, environment: string) => fs.writeFileSync(path.join(root, dir, 'tiketi-environment.json'), JSON.stringify({ environment, backend: 'local', stacks: Object.keys(APP) }));
  fakeSynth(path.join(root, 'cdktf.out'), APP);
  mark('cdktf.out', 'staging');
  expect(await run(stacks, root, ['prod'])).toEqual({ code: 1, stdout: [], stderr: ['stacks: cdktf.out holds the synth of staging (cdktf.out/tiketi-environment.json), not of prod: run TIKETI_ENV=prod npm run synth'] });
  mark('cdktf.out', 'prod');
  expect((await run(stacks, root, ['prod'])).code).toBe(0);
  fakeSynth(path.join(root, 'base'), APP);
  mark('base', 'dev');
  expect((await run(stacks, root, ['prod', '--changed-against', 'base'])).stderr).toEqual([
    'stacks: base holds the synth of dev (base/tiketi-environment.json), not of prod: run TIKETI_ENV=prod npm run synth -- --output base',
  ]);
});

test.each(['dev', 'staging', 'prod'] as const)('the real %s synth: network first, account-wide stacks out', async (env) => {
  const app = synthApp(env);
  const listed = JSON.parse((await run(stacks, root, [env, '--out', app.outdir])).stdout[0]).map((s: { stack: string }) => s.stack) as string[];
  expect(listed).not.toContain('bootstrap');
  expect(listed).not.toContain('registry');
  expect(listed).toEqual(expect.arrayContaining(['network', 'cluster', 'data', 'edge']));
  expect(listed.indexOf('network')).toBeLessThan(listed.indexOf('cluster'));
  expect(listed.indexOf('network')).toBeLessThan(listed.indexOf('data'));
});
