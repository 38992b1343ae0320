/**
 * The lint rule that `npm test` runs (eslint.config.js): a provider package's root, or its `lib` index, is
 * refused with a message saying what to import instead; a deep import of one resource passes. One eslint run
 * (the CLI, with the project's config) over a fixture stack file holding every case, one per line.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

const REFUSED = ['@cdktf/provider-aws', '@cdktf/provider-helm', '@cdktf/provider-kubernetes', '@cdktf/provider-aws/lib', '@cdktf/provider-aws/lib/index'];
const ALLOWED = ['@cdktf/provider-aws/lib/vpc', '@cdktf/provider-helm/lib/release', '@cdktf/provider-kubernetes/lib/namespace-v1'];
const LINES = [
  ...REFUSED.map((root, i) => `import { T${i} } from '${root}';`),
  `export * from '${REFUSED[0]}';`,
  ...ALLOWED.map((deep, i) => `import { D${i} } from '${deep}';`),
];

let problems: Map<number, string[]>;

beforeAll(() => {
  const eslint = path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
  const run = spawnSync(process.execPath, [eslint, '--format', 'json', '--stdin', '--stdin-filename', path.join(ROOT, 'stacks', 'lint-fixture.ts')], {
    cwd: ROOT,
    input: `${LINES.join('\n')}\n`,
    encoding: 'utf8',
  });
  if (run.status !== 0 && run.status !== 1) throw new Error(`eslint exited ${run.status}: ${run.stderr}`);
  const [result] = JSON.parse(run.stdout) as { messages: { line: number; ruleId: string; message: string }[] }[];
  problems = new Map();
  for (const m of result.messages) problems.set(m.line, [...(problems.get(m.line) ?? []), `${m.ruleId}: ${m.message}`]);
});

describe('no-restricted-imports on the provider packages', () => {
  test.each(REFUSED.map((root, i) => [root, i + 1] as const))('%s is refused, with the deep import to use instead', (root, line) => {
    expect(problems.get(line)).toEqual([`no-restricted-imports: '${root}' import is restricted from being used by a pattern. import the resource from ${root.split('/').slice(0, 2).join('/')}/lib/<resource>: the package root loads every resource of the provider`]);
  });

  test('an export from a root is refused too', () => {
    expect(problems.get(REFUSED.length + 1)).toEqual([expect.stringMatching(/^no-restricted-imports: '@cdktf\/provider-aws' import is restricted/)]);
  });

  test('deep imports of one resource pass', () => {
    const deepLines = ALLOWED.map((_, i) => REFUSED.length + 2 + i);
    expect(deepLines.map((line) => problems.get(line) ?? [])).toEqual(ALLOWED.map(() => []));
  });
});
