/**
 * docs/architecture.md is generated from the app: regenerated here in memory, it must equal the committed
 * file; the generation is deterministic; `npm run graph --check` refuses a stale file and writes nothing.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { graphCommand } from '../../cli/graph';
import { Io, runCommand } from '../../cli/lib/command';
import { readArchitectureInput, renderArchitecture } from '../../cli/lib/graph/architecture';
import { synthEnvironments } from '../../cli/lib/synth-app';

const ROOT = path.resolve(__dirname, '..', '..');
const input = readArchitectureInput(ROOT, synthEnvironments());
const generated = renderArchitecture(input);

describe('docs/architecture.md', () => {
  test('is what npm run graph generates from the code (run npm run graph when this fails)', () => {
    const committed = fs.readFileSync(path.join(ROOT, 'docs', 'architecture.md'), 'utf8');
    if (committed !== generated) {
      throw new Error('docs/architecture.md is stale: run npm run graph (and commit the result)');
    }
  });

  test('generation is deterministic and carries no dates or machine paths', () => {
    // A fresh synth (the renders of gitops are kubectl's business) gives the same text.
    expect(renderArchitecture({ ...input, environments: synthEnvironments() })).toBe(generated);
    expect(generated).not.toMatch(/\d{4}-\d{2}-\d{2}|\/tmp\/|\/work\//);
  });

  test('has the three pictures: stacks, resources of every stack, the request path of every environment', () => {
    const headings = generated.split('\n').filter((l) => l.startsWith('#'));
    expect(headings).toEqual(
      expect.arrayContaining(['## Stacks and cross-stack references', '## Main resources of each stack', '## Path of a request', '### dev', '### staging', '### prod', '### `network`', '### `registry` (account-wide)']),
    );
    const stacks = new Set(synthEnvironments(['dev']).flatMap((e) => e.stacks.map((s) => s.id)));
    for (const id of stacks) expect(generated).toMatch(new RegExp(`^### \`${id}\``, 'm'));
  });
});

function copyRoot(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiketi-graph-'));
  fs.cpSync(path.join(ROOT, 'gitops'), path.join(dir, 'gitops'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'docs'));
  fs.copyFileSync(path.join(ROOT, 'docs', 'gitops-bridge.md'), path.join(dir, 'docs', 'gitops-bridge.md'));
  return dir;
}

function fakeIo(root: string): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { root, stdout, stderr, out: (l) => void stdout.push(l), err: (l) => void stderr.push(l), readStdin: async () => '' };
}

describe('npm run graph', () => {
  test('--check fails on a stale file and leaves it alone; a run rewrites it with the generated text', async () => {
    const root = copyRoot();
    const file = path.join(root, 'docs', 'architecture.md');
    fs.writeFileSync(file, '# old\n');
    const stale = fakeIo(root);
    expect(await runCommand(graphCommand, ['--check'], stale)).toBe(1);
    expect(stale.stderr).toEqual(['graph: docs/architecture.md is stale: run npm run graph']);
    expect(fs.readFileSync(file, 'utf8')).toBe('# old\n');

    const write = fakeIo(root);
    expect(await runCommand(graphCommand, [], write)).toBe(0);
    expect(write.stdout).toEqual([expect.stringMatching(/^graph: wrote docs\/architecture\.md \(\d+ diagrams\)$/)]);
    // What it wrote is what --check compares against (the committed-file test above passes on it).
    expect(fs.readFileSync(file, 'utf8')).toBe(generated);
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('a bad flag or argument is a usage error (exit 2) and writes nothing', async () => {
    const root = copyRoot();
    for (const argv of [['--chek'], ['docs/x.md']]) {
      const io = fakeIo(root);
      expect(await runCommand(graphCommand, argv, io)).toBe(2);
      expect(io.stderr.join('\n')).toContain('usage: npm run graph -- [--check]');
    }
    expect(fs.existsSync(path.join(root, 'docs', 'architecture.md'))).toBe(false);
    fs.rmSync(root, { recursive: true, force: true });
  });
});
