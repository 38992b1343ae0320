/**
 * What every command written in the documentation must satisfy, given what the project has. Pure: the
 * caller gathers the project's facts (`ProjectFacts`: scripts, command options, stack IDs, the cdktf CLI's
 * verbs and flags, repository files) and gets back one line per problem, `file:line: what is wrong`.
 *
 * Checked: `npm run <script>` / `npm test` exist in package.json; the arguments after `--` of a project
 * command (and of `node dist/cli/<command>.js`) parse with that command's own options, strictly, as
 * `cli/lib/command.ts` parses them, and a literal `--env` is an environment; `npx cdktf <verb>` is a verb of
 * the installed CLI, its flags are the verb's flags and its stacks are stacks of the app; `npx <bin>` is an
 * installed binary; every word that names a repository path (first segment a top-level entry of the
 * repository) exists, placeholders (`<env>`, `$VAR`, `*`) matching any segment; every `TIKETI_*` variable
 * is one the code reads; a block that sets `TIKETI_BACKEND` also sets what that backend requires
 * (`loadBackend`); relative Markdown links resolve. Not checked: the flags of external tools (aws, kubectl,
 * argocd, gh, git, terraform), which these machines cannot run against anything.
 */
import * as path from 'path';
import { parseArgs, ParseArgsConfig } from 'util';
import { SettingsError } from '../../../config/validation/problems';
import { loadBackend } from '../../../config/backend';
import { commandsOf, shellBlocks, SimpleCommand } from './shell-commands';

export interface CdktfVerb {
  /** Long flags (without `--`) and whether each takes a value. */
  readonly flags: ReadonlyMap<string, { readonly takesValue: boolean }>;
  /** Short flags (without `-`) mapped to their long names. */
  readonly shortFlags: ReadonlyMap<string, string>;
  /** Whether the verb's positionals are stack IDs. */
  readonly stackPositionals: boolean;
}

export interface ProjectFacts {
  /** package.json `scripts`. */
  readonly scripts: Readonly<Record<string, string>>;
  /** Option definitions of each project command, by script name (`help` is added, as the frame does). */
  readonly commandOptions: ReadonlyMap<string, NonNullable<ParseArgsConfig['options']>>;
  /** Script name by compiled module (`dist/cli/seal.js` -> `seal`). */
  readonly commandModules: ReadonlyMap<string, string>;
  readonly stacks: ReadonlySet<string>;
  readonly cdktfVerbs: ReadonlyMap<string, CdktfVerb>;
  /** Binaries in node_modules/.bin. */
  readonly bins: ReadonlySet<string>;
  /** Repository files and directories, relative, `/`-separated (generated folders excluded). */
  readonly paths: ReadonlySet<string>;
  /** Top-level entries a repository path may start with. */
  readonly topLevel: ReadonlySet<string>;
  /** `TIKETI_*` names the code reads or sets. */
  readonly envVars: ReadonlySet<string>;
  readonly environments: readonly string[];
}

/** Written by the project's commands, so a runbook may name them before they exist. */
const COMMAND_OUTPUTS: readonly RegExp[] = [
  /^gitops\/sealing-certs\/(dev|staging|prod|<env>|\$\{?\w+\}?)\.pem$/, // npm run sealing-key
  /^gitops\/overlays\/[^/]+\/sealed-secrets\/[^/]+\.yaml$/, // npm run seal
];

/** Folders the build and the tools write; never in git. */
export const GENERATED_PREFIXES = ['node_modules/', 'dist/', 'cdktf.out/', 'terraform.state/', 'coverage/', '.terraform/', '.tmp/'];

const PLACEHOLDER = /<[^<>]*>|\$\{?\w+\}?|\$\(.*?\)|\*|…|\.\.\./;

export const isPlaceholder = (value: string): boolean => PLACEHOLDER.test(value);

function segmentPattern(segment: string): RegExp {
  const parts = segment.split(/(<[^<>]*>|\$\{?\w+\}?|\*)/).map((p, i) => (i % 2 === 1 ? '[^/]+' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${parts.join('')}$`);
}

/** Whether `candidate` (relative, maybe with placeholders) names an existing path. */
function pathExists(candidate: string, facts: ProjectFacts): boolean {
  const clean = candidate.replace(/\/+$/, '');
  if (facts.paths.has(clean)) return true;
  if (COMMAND_OUTPUTS.some((re) => re.test(clean)) && facts.paths.has(path.posix.dirname(clean))) return true;
  if (!isPlaceholder(clean)) return false;
  const patterns = clean.split('/').map(segmentPattern);
  for (const p of facts.paths) {
    const segments = p.split('/');
    if (segments.length === patterns.length && segments.every((s, i) => patterns[i].test(s))) return true;
  }
  return false;
}

/** The repository path a word names, if any: `gitops/...`, `./docs/x.md`, `KEY=cli/x.ts`, `file://x`. */
function repoPathOf(word: string, facts: ProjectFacts): string | undefined {
  let w = word.replace(/^file:\/\//, '');
  const eq = /^[A-Za-z_][\w-]*=(.+)$/.exec(w);
  if (eq) w = eq[1];
  w = w.replace(/^\.\//, '').replace(/[),.:]+$/, '');
  if (w.startsWith('/') || w.includes('://') || w.startsWith('-')) return undefined;
  if (GENERATED_PREFIXES.some((p) => w.startsWith(p) || `${w}/` === p)) return undefined;
  const first = w.split('/')[0];
  if (!facts.topLevel.has(first)) return undefined;
  // A bare top-level file name (README.md, package.json) or a path below a top-level entry.
  return w;
}

interface Problem {
  readonly line: number;
  readonly message: string;
}

function checkProjectArgs(script: string, args: readonly string[], facts: ProjectFacts, problems: Problem[], line: number, shown: string): void {
  const options = facts.commandOptions.get(script);
  if (!options) return;
  try {
    const parsed = parseArgs({ args: [...args], options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    const env = (parsed.values as Record<string, unknown>).env;
    if (typeof env === 'string' && !isPlaceholder(env) && !facts.environments.includes(env)) {
      problems.push({ line, message: `${shown}: --env ${env} is not an environment (${facts.environments.join(', ')})` });
    }
  } catch (error) {
    problems.push({ line, message: `${shown}: ${(error as Error).message.split('\n')[0]} (options of npm run ${script}: ${Object.keys(options).map((o) => `--${o}`).join(', ') || 'none'})` });
  }
}

function checkCdktf(words: readonly string[], facts: ProjectFacts, problems: Problem[], line: number, shown: string): void {
  const verbName = words[0];
  if (verbName === undefined) return;
  const verb = facts.cdktfVerbs.get(verbName);
  if (!verb) {
    problems.push({ line, message: `${shown}: cdktf has no verb "${verbName}" (verbs: ${[...facts.cdktfVerbs.keys()].join(', ')})` });
    return;
  }
  const positionals: string[] = [];
  for (let i = 1; i < words.length; i++) {
    const w = words[i];
    if (w.startsWith('--')) {
      const [name, inline] = w.slice(2).split('=', 2);
      const flag = verb.flags.get(name) ?? (name.startsWith('no-') ? verb.flags.get(name.slice(3)) : undefined);
      if (!flag) {
        problems.push({ line, message: `${shown}: cdktf ${verbName} has no flag --${name}` });
        continue;
      }
      if (flag.takesValue && inline === undefined) i++;
    } else if (w.startsWith('-') && w.length > 1) {
      const long = verb.shortFlags.get(w.slice(1));
      if (!long) problems.push({ line, message: `${shown}: cdktf ${verbName} has no flag ${w}` });
      else if (verb.flags.get(long)?.takesValue) i++;
    } else {
      positionals.push(w);
    }
  }
  if (!verb.stackPositionals) return;
  for (const stack of positionals) {
    if (stack === '*' || isPlaceholder(stack)) continue;
    if (!facts.stacks.has(stack)) problems.push({ line, message: `${shown}: no stack "${stack}" in the app (stacks: ${[...facts.stacks].sort().join(', ')})` });
  }
}

function checkCommand(command: SimpleCommand, facts: ProjectFacts, problems: Problem[]): void {
  const { words, line } = command;
  const shown = words.join(' ');
  const [tool, sub] = words;
  if (tool === 'npm' && (sub === 'run' || sub === 'run-script')) {
    const script = words[2];
    if (script === undefined) return;
    if (!(script in facts.scripts)) {
      problems.push({ line, message: `${shown}: package.json has no script "${script}"` });
      return;
    }
    const dashes = words.indexOf('--');
    checkProjectArgs(script, dashes === -1 ? [] : words.slice(dashes + 1), facts, problems, line, shown);
  } else if (tool === 'npm' && (sub === 'test' || sub === 'start')) {
    if (!(sub in facts.scripts)) problems.push({ line, message: `${shown}: package.json has no script "${sub}"` });
  } else if (tool === 'npx' || tool === 'cdktf') {
    const rest = tool === 'npx' ? words.slice(1).filter((w, i) => !(i === 0 && w.startsWith('-'))) : words;
    const bin = tool === 'npx' ? rest[0] : 'cdktf';
    if (bin === undefined) return;
    if (!facts.bins.has(bin)) {
      problems.push({ line, message: `${shown}: no binary "${bin}" in node_modules/.bin` });
      return;
    }
    if (bin === 'cdktf') checkCdktf(tool === 'npx' ? rest.slice(1) : rest.slice(1), facts, problems, line, shown);
  } else if (tool === 'node' && sub !== undefined) {
    const script = facts.commandModules.get(sub.replace(/^\.\//, ''));
    if (script) checkProjectArgs(script, words.slice(2), facts, problems, line, shown);
    else if (sub.startsWith('dist/')) problems.push({ line, message: `${shown}: ${sub} is not a compiled project command (cli/*.ts)` });
  }
  for (const word of words) {
    const candidate = repoPathOf(word, facts);
    if (candidate !== undefined && !pathExists(candidate, facts)) problems.push({ line, message: `${shown}: no file or folder ${candidate} in the repository` });
  }
}

/** A block that chooses a backend must set what that backend requires: what `loadBackend` refuses. */
function checkBackend(assignments: Record<string, string>, problems: Problem[], line: number): void {
  try {
    loadBackend(assignments, '/project');
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    for (const problem of error.problems) {
      const name = problem.split(':')[0];
      // A placeholder value (`<state_kms_key_arn>`) stands for a real one: only its absence is wrong.
      if (/: required when/.test(problem) || !isPlaceholder(assignments[name] ?? '')) problems.push({ line, message: `TIKETI_BACKEND=${assignments.TIKETI_BACKEND}: ${problem}` });
    }
  }
}

/** Problems of one Markdown document's commands and links, as `file:line: message`. */
export function checkMarkdown(file: string, markdown: string, facts: ProjectFacts, fileExists: (relativeToDoc: string) => boolean): string[] {
  const problems: Problem[] = [];
  for (const block of shellBlocks(markdown)) {
    const commands = commandsOf(block.body, block.line);
    const assignments: Record<string, string> = {};
    let backendLine: number | undefined;
    for (const command of commands) {
      Object.assign(assignments, command.assignments);
      if ('TIKETI_BACKEND' in command.assignments) backendLine ??= command.line;
      checkCommand(command, facts, problems);
    }
    if (backendLine !== undefined) checkBackend(assignments, problems, backendLine);
    block.body.split('\n').forEach((text, i) => {
      for (const name of new Set(text.match(/\bTIKETI_[A-Z0-9_]+/g) ?? [])) {
        if (!facts.envVars.has(name)) problems.push({ line: block.line + i, message: `${name}: no code reads this variable` });
      }
    });
  }
  // Relative links: [text](path#anchor), outside fenced blocks.
  let inFence = false;
  markdown.split('\n').forEach((text, i) => {
    if (/^\s*(`{3,}|~{3,})/.test(text)) inFence = !inFence;
    if (inFence) return;
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1].split('#')[0];
      if (target === '' || /^[a-z]+:/i.test(target)) continue;
      if (!fileExists(decodeURI(target))) problems.push({ line: i + 1, message: `link to ${target}: no such file` });
    }
  });
  return problems.sort((a, b) => a.line - b.line).map((p) => `${file}:${p.line}: ${p.message}`);
}
