/**
 * Gathers what the documentation's commands are checked against, from the project itself: package.json
 * scripts, the option definitions of the `Command` objects in `cli/*.ts` (imported, not re-typed), the stack
 * IDs of the app, the verbs and flags of the installed cdktf CLI (its own `--help`), node_modules/.bin, the
 * repository's files and the `TIKETI_*` variables the code reads.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import { Testing, TerraformStack } from 'cdktf';
import { ENVIRONMENTS, REGISTRY } from '../../../config/environments';
import { validateEnvironment, validateRegistry } from '../../../config/validate';
import { addTiketiStacks } from '../../../stacks/app';
import type { Command } from '../../../cli/lib/command';
import { CdktfVerb, GENERATED_PREFIXES, ProjectFacts } from './doc-checks';

export const ROOT = path.resolve(__dirname, '../../..');

/** The `Command` a compiled module `cli/<name>.ts` runs: an exported Command, or a `...Command()` factory's. */
export function commandOf(modulePath: string, script: string): Command {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exports = require(modulePath) as Record<string, unknown>;
  for (const [key, value] of Object.entries(exports)) {
    const candidate = typeof value === 'function' && /Command$/.test(key) ? (value as () => unknown)() : value;
    if (candidate && typeof candidate === 'object' && (candidate as Command).name === script && typeof (candidate as Command).run === 'function') return candidate as Command;
  }
  throw new Error(`${modulePath} exports no Command named ${script} (an object, or a ...Command() factory)`);
}

/** Project commands: scripts that run `node dist/cli/<name>.js`, with their options. */
export function projectCommands(scripts: Record<string, string>): { options: Map<string, NonNullable<Command['options']>>; modules: Map<string, string> } {
  const options = new Map<string, NonNullable<Command['options']>>();
  const modules = new Map<string, string>();
  for (const [script, line] of Object.entries(scripts)) {
    const m = /\bnode (dist\/cli\/([\w-]+)\.js)\b/.exec(line);
    if (!m) continue;
    const command = commandOf(path.join(ROOT, 'cli', `${m[2]}.ts`), script);
    options.set(script, command.options ?? {});
    modules.set(m[1], script);
  }
  return { options, modules };
}

/** Stack IDs of the app as `main.ts` builds it (the same in every environment). */
export function appStackIds(): Set<string> {
  const app = Testing.app();
  addTiketiStacks(app, { env: validateEnvironment(ENVIRONMENTS.dev), registry: validateRegistry(REGISTRY), backend: { kind: 'local', stateDir: '/tmp/tiketi-docs-state' }, projectDir: '/tmp/tiketi-docs-project' });
  return new Set(app.node.children.filter((c) => TerraformStack.isStack(c)).map((c) => c.node.id));
}

const run = promisify(execFile);
const cdktfBin = () => path.join(ROOT, 'node_modules', '.bin', 'cdktf');
const cliEnv = { ...process.env, CHECKPOINT_DISABLE: '1', CDKTF_DISABLE_PLUGIN_CACHE_ENV: '1' };

/** Verbs of the installed cdktf CLI (aliases included) and whether their positionals are stacks. */
export async function cdktfVerbList(): Promise<Map<string, { canonical: string; stacks: boolean }>> {
  const { stdout } = await run(cdktfBin(), ['--help'], { cwd: ROOT, env: cliEnv, timeout: 120_000 });
  const verbs = new Map<string, { canonical: string; stacks: boolean }>();
  for (const line of stdout.split('\n')) {
    const m = /^\s+cdktf (\w[\w-]*)(.*)$/.exec(line);
    if (!m) continue;
    const info = { canonical: m[1], stacks: /\[stacks?\b/.test(m[2]) };
    verbs.set(m[1], info);
    for (const alias of /\[aliases: ([^\]]+)\]/.exec(m[2])?.[1].split(',').map((a) => a.trim()) ?? []) verbs.set(alias, info);
  }
  return verbs;
}

/** Flags of one verb, from `cdktf <verb> --help`. */
export async function cdktfVerb(verb: string, stacks: boolean): Promise<CdktfVerb> {
  const { stdout } = await run(cdktfBin(), [verb, '--help'], { cwd: ROOT, env: cliEnv, timeout: 120_000 });
  const flags = new Map<string, { takesValue: boolean }>();
  const shortFlags = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const m = /^\s+(?:-(\w), )?--([\w-]+)\s/.exec(line);
    if (!m) continue;
    flags.set(m[2], { takesValue: !/\[boolean\]/.test(line) });
    if (m[1]) shortFlags.set(m[1], m[2]);
  }
  return { flags, shortFlags, stackPositionals: stacks };
}

const SKIPPED = new Set(['.git', ...GENERATED_PREFIXES.map((p) => p.replace(/\/$/, ''))]);

/** Every file and folder of the working tree, relative, generated folders left out. */
export function repositoryPaths(): { paths: Set<string>; topLevel: Set<string> } {
  const paths = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      if (dir === '' && SKIPPED.has(entry.name)) continue;
      const relative = dir ? `${dir}/${entry.name}` : entry.name;
      paths.add(relative);
      if (entry.isDirectory()) walk(relative);
    }
  };
  walk('');
  const topLevel = new Set(fs.readdirSync(ROOT).filter((name) => !SKIPPED.has(name)));
  return { paths, topLevel };
}

/** `TIKETI_*` names in the code, the CI script, the workflows and the test setup. */
export function environmentVariables(): Set<string> {
  const names = new Set<string>();
  const sources = ['config', 'cli', 'stacks', 'modules', 'policy', 'scripts', '.ci', '.github', '__tests__/support', 'main.ts', 'jest.config.js', '__tests__/setup-env.js'];
  const read = (p: string) => {
    const full = path.join(ROOT, p);
    if (!fs.existsSync(full)) return;
    if (fs.statSync(full).isDirectory()) fs.readdirSync(full).forEach((e) => read(`${p}/${e}`));
    else for (const m of fs.readFileSync(full, 'utf8').matchAll(/\bTIKETI_[A-Z0-9_]+/g)) names.add(m[0]);
  };
  sources.forEach(read);
  return names;
}

/** The Markdown files whose commands are checked: README.md and everything under docs/. */
export function documentationFiles(): string[] {
  const files = ['README.md'];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const relative = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(relative);
      else if (entry.name.endsWith('.md')) files.push(relative);
    }
  };
  walk('docs');
  return files.sort();
}

export async function projectFacts(verbsUsed: ReadonlySet<string>): Promise<ProjectFacts> {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const { options, modules } = projectCommands(pkg.scripts);
  const verbList = await cdktfVerbList();
  const cdktfVerbs = new Map<string, CdktfVerb>();
  await Promise.all(
    [...verbsUsed].filter((v) => verbList.has(v)).map(async (v) => cdktfVerbs.set(v, await cdktfVerb(verbList.get(v)!.canonical, verbList.get(v)!.stacks))),
  );
  // Verbs not used in the docs still count as verbs (their flags unchecked until used).
  for (const [v, info] of verbList) if (!cdktfVerbs.has(v)) cdktfVerbs.set(v, { flags: new Map(), shortFlags: new Map(), stackPositionals: info.stacks });
  const { paths, topLevel } = repositoryPaths();
  return {
    scripts: pkg.scripts,
    commandOptions: options,
    commandModules: modules,
    stacks: appStackIds(),
    cdktfVerbs,
    bins: new Set(fs.readdirSync(path.join(ROOT, 'node_modules', '.bin'))),
    paths,
    topLevel,
    envVars: environmentVariables(),
    environments: ['dev', 'staging', 'prod'],
  };
}
