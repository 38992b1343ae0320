/**
 * Every command an operator reads is one the project has. The fenced shell blocks of README.md and of every
 * page under docs/ (the runbooks included) are split into commands and checked against the project itself:
 * package.json scripts, the option definitions of the `Command` objects in cli/*.ts, the app's stack IDs, the
 * installed cdktf CLI's verbs and flags, the repository's files, the variables the code reads, the backend
 * rules of `loadBackend`, and relative links (helpers/doc-checks.ts says exactly what).
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkMarkdown, ProjectFacts } from './helpers/doc-checks';
import { commandOf, documentationFiles, projectFacts, ROOT } from './helpers/project-facts';
import { commandsOf, shellBlocks } from './helpers/shell-commands';

const FIXTURES = path.join(__dirname, 'fixtures');

const read = (relative: string) => fs.readFileSync(path.join(ROOT, relative), 'utf8');

/** cdktf verbs written anywhere checked here, so their flags are read from the CLI once. */
function verbsIn(markdowns: string[]): Set<string> {
  const verbs = new Set<string>();
  for (const md of markdowns) {
    for (const block of shellBlocks(md)) {
      for (const { words } of commandsOf(block.body)) {
        const at = words[0] === 'npx' ? words.indexOf('cdktf') : words[0] === 'cdktf' ? 0 : -1;
        if (at !== -1 && words[at + 1]) verbs.add(words[at + 1]);
      }
    }
  }
  return verbs;
}

const check = (file: string, markdown: string, facts: ProjectFacts) =>
  checkMarkdown(file, markdown, facts, (target) => fs.existsSync(path.resolve(path.dirname(path.join(ROOT, file)), target)));

let facts: ProjectFacts;
const docs = documentationFiles();

beforeAll(async () => {
  const markdowns = [...docs.map(read), ...fs.readdirSync(FIXTURES).map((f) => fs.readFileSync(path.join(FIXTURES, f), 'utf8'))];
  facts = await projectFacts(verbsIn(markdowns));
}, 180_000);

describe('the shell reader', () => {
  test('splits a block into simple commands the way a shell does', () => {
    const script = [
      'export TIKETI_ENV=dev TIKETI_BACKEND=s3   # comment with npm run nothing',
      'npm run api-tunnel -- --env "$TIKETI_ENV" &  # background',
      "echo 'a && b' | tee x && TIKETI_ENV=prod npx cdktf \\",
      '  diff data',
      'for s in a b; do',
      '  docker build -t "tiketi-$s" ../$s 2>&1 >/dev/null',
      'done',
      'tag=$(kubectl kustomize gitops/overlays/dev | head -1)',
    ].join('\n');
    const commands = commandsOf(script).map((c) => ({ line: c.line, words: c.words, assignments: c.assignments }));
    expect(commands).toEqual([
      { line: 1, words: ['export'], assignments: { TIKETI_ENV: 'dev', TIKETI_BACKEND: 's3' } },
      { line: 2, words: ['npm', 'run', 'api-tunnel', '--', '--env', '$TIKETI_ENV'], assignments: {} },
      { line: 3, words: ['echo', 'a && b'], assignments: {} },
      { line: 3, words: ['tee', 'x'], assignments: {} },
      { line: 3, words: ['npx', 'cdktf', 'diff', 'data'], assignments: { TIKETI_ENV: 'prod' } },
      { line: 6, words: ['docker', 'build', '-t', 'tiketi-$s', '../$s'], assignments: {} },
      { line: 8, words: [], assignments: { tag: '$(kubectl kustomize gitops/overlays/dev | head -1)' } },
      { line: 8, words: ['kubectl', 'kustomize', 'gitops/overlays/dev'], assignments: {} },
      { line: 8, words: ['head', '-1'], assignments: {} },
    ]);
  });

  test('reads fenced shell blocks, indented ones in list items too, and no other language', () => {
    const md = ['# t', '```bash', 'npm test', '```', '1. step', '   ```bash', '   npm run synth', '   ```', '```mermaid', 'npm run nothing', '```'].join('\n');
    expect(shellBlocks(md)).toEqual([
      { line: 3, lang: 'bash', body: 'npm test' },
      { line: 7, lang: 'bash', body: 'npm run synth' },
    ]);
  });
});

describe('the project facts the commands are checked against', () => {
  test('every operator command script is found as a Command with its options', () => {
    expect([...facts.commandOptions.keys()].sort()).toEqual(
      expect.arrayContaining(['api-tunnel', 'cost', 'graph', 'plan-summary', 'policy', 'promote', 'seal', 'sealing-key', 'set-image', 'stacks', 'teardown']),
    );
    expect(Object.keys(facts.commandOptions.get('sealing-key')!).sort()).toEqual(['env', 'restore-cert']);
    expect(Object.keys(facts.commandOptions.get('teardown')!).sort()).toEqual(['dry-run', 'env', 'yes']);
  });

  test('the stacks are the app\'s, and the cdktf verbs and flags the installed CLI\'s', () => {
    expect([...facts.stacks].sort()).toEqual(expect.arrayContaining(['argocd', 'bootstrap', 'cluster', 'data', 'dns', 'edge', 'network', 'registry']));
    expect(facts.cdktfVerbs.get('deploy')!.flags.get('auto-approve')).toEqual({ takesValue: false });
    expect(facts.cdktfVerbs.get('deploy')!.flags.get('outputs-file')).toEqual({ takesValue: true });
    expect(facts.cdktfVerbs.has('plan')).toBe(true); // alias of diff
  });

  test('a module that exports no Command is refused by name', () => {
    expect(() => commandOf(path.join(ROOT, 'cli/lib/names.ts'), 'names')).toThrow(/exports no Command named names/);
  });
});

describe('documentation commands', () => {
  test('README.md and docs/ are read (runbooks included)', () => {
    expect(docs).toEqual(expect.arrayContaining(['README.md', 'docs/argocd.md', 'docs/runbooks/README.md', 'docs/runbooks/rollback.md']));
  });

  test.each(documentationFiles())('%s: every command is one the project has', (file) => {
    expect(check(file, read(file), facts)).toEqual([]);
  });

  test('a runbook with a wrong script, flag, environment, stack, verb, binary, path, variable, backend or link fails, each named', () => {
    const file = path.relative(ROOT, path.join(FIXTURES, 'wrong-commands.md'));
    const problems = check(file, fs.readFileSync(path.join(FIXTURES, 'wrong-commands.md'), 'utf8'), facts);
    const expected = [
      /:4: npm run set-imag .*: package.json has no script "set-imag"/,
      /:5: npm run sealing-key .*Unknown option '--restor-cert'.*options of npm run sealing-key: --env, --restore-cert/,
      /:6: npm run teardown .*: --env qa is not an environment \(dev, staging, prod\)/,
      /:7: npm run api-tunnel .*Option '--port <value>' argument missing/,
      /:8: node dist\/cli\/seal.js .*Unknown option '--certificate'/,
      /:9: node dist\/cli\/rollback.js .*: dist\/cli\/rollback.js is not a compiled project command/,
      /:10: npx cdktf deploy netwrok: no stack "netwrok" in the app/,
      /:11: npx cdktf deploy network --auto-aprove: cdktf deploy has no flag --auto-aprove/,
      /:12: npx cdktf rollout network: cdktf has no verb "rollout"/,
      /:13: npx tfswitch 1.11: no binary "tfswitch" in node_modules\/.bin/,
      /:14: kubectl kustomize gitops\/overlays\/qa: no file or folder gitops\/overlays\/qa in the repository/,
      /:15: TIKETI_STATE_BUKET: no code reads this variable/,
      /:19: TIKETI_BACKEND=s3: TIKETI_STATE_KMS_KEY_ID: required when TIKETI_BACKEND=s3/,
      /:23: link to \.\.\/no-such-page\.md: no such file/,
    ];
    // Each expected problem is reported, and nothing else.
    expect(expected.filter((pattern) => !problems.some((p) => pattern.test(p))).map(String)).toEqual([]);
    expect(problems.filter((p) => !expected.some((pattern) => pattern.test(p)))).toEqual([]);
  });

  test('the same commands written right pass', () => {
    const file = path.relative(ROOT, path.join(FIXTURES, 'right-commands.md'));
    expect(check(file, fs.readFileSync(path.join(FIXTURES, 'right-commands.md'), 'utf8'), facts)).toEqual([]);
  });
});

describe('runbooks', () => {
  const RUNBOOKS = ['first-deploy.md', 'rollback.md', 'failed-migration.md', 'sealing-key-and-cluster-rebuild.md', 'losing-an-az.md', 'rotating-secrets.md', 'upgrading-eks.md', 'teardown.md'];

  test.each(RUNBOOKS)('docs/runbooks/%s exists, is listed in the index and has commands', (name) => {
    const text = read(`docs/runbooks/${name}`);
    expect(shellBlocks(text).length).toBeGreaterThan(0);
    expect(read('docs/runbooks/README.md')).toContain(`](${name})`);
  });
});
