/**
 * The frame every operator command shares (`npm run <command> -- <arguments>`): `--help`, exit code 2 for
 * usage errors, 1 for failures, 0 with a one-line summary of what changed. Commands are plain functions of
 * their arguments and an `Io`, so jest calls them in-process with a fake `Io` and a temporary project root.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs, ParseArgsConfig } from 'util';

/** A mistake in how the command was called: printed with the usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure of the command itself (bad input file, refused operation): exit code 1. */
export class CommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandError';
  }
}

export interface Io {
  /** Project root the command reads and writes (the repository checkout). */
  readonly root: string;
  out(line: string): void;
  err(line: string): void;
  /** Standard input, read whole (for values that must stay out of shell history). */
  readStdin(): Promise<string>;
}

export interface Command {
  readonly name: string;
  /** One paragraph: what it does. */
  readonly description: string;
  /** `<env> <service> <tag>`-style synopsis after the command name. */
  readonly synopsis: string;
  /** Options in `util.parseArgs` form; `help` is added by the frame. */
  readonly options?: ParseArgsConfig['options'];
  /** Lines describing each option and argument, printed by `--help`. */
  readonly help?: readonly string[];
  /** Does the work; returns the one-line summary printed on success. */
  run(args: ParsedArgs, io: Io): Promise<string> | string;
}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
}

export function usage(command: Command): string {
  return [`usage: npm run ${command.name} -- ${command.synopsis}`, '', command.description, ...(command.help?.length ? ['', ...command.help] : [])].join('\n');
}

/** Runs `command` with `argv`; returns the exit code (never calls `process.exit`). */
export async function runCommand(command: Command, argv: readonly string[], io: Io): Promise<number> {
  let parsed: ParsedArgs;
  try {
    const options: NonNullable<ParseArgsConfig['options']> = { ...command.options, help: { type: 'boolean', short: 'h' } };
    const result = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true, tokens: true });
    if (result.values.help) {
      io.out(usage(command));
      return 0;
    }
    // parseArgs keeps the last of a repeated option: `--env dev --env prod` would silently mean prod.
    const seen = new Map<string, string>();
    for (const token of result.tokens ?? []) {
      if (token.kind !== 'option' || options[token.name]?.multiple) continue;
      const given = token.value === undefined ? token.rawName : `${token.rawName} ${JSON.stringify(token.value)}`;
      const earlier = seen.get(token.name);
      if (earlier !== undefined) throw new UsageError(`--${token.name} given twice (${earlier}, then ${given}): give it once`);
      seen.set(token.name, given);
    }
    parsed = { positionals: result.positionals, values: result.values as ParsedArgs['values'] };
  } catch (error) {
    io.err(`${command.name}: ${(error as Error).message}`);
    io.err(usage(command));
    return 2;
  }
  try {
    io.out(await command.run(parsed, io));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${command.name}: ${error.message}`);
      io.err(usage(command));
      return 2;
    }
    if (error instanceof CommandError) {
      io.err(`${command.name}: ${error.message}`);
      return 1;
    }
    io.err(`${command.name}: unexpected failure: ${(error as Error).stack ?? String(error)}`);
    return 1;
  }
}

/** The repository root: the folder above `dist/` when compiled, above `cli/` in tests. */
export function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the project root (package.json)');
    dir = parent;
  }
  return dir;
}

export const processIo = (root: string = projectRoot()): Io => ({
  root,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  readStdin: () =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
      process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      process.stdin.on('error', reject);
    }),
});

/** Entry point of a compiled command module: `if (require.main === module) cliMain(command);`. */
export function cliMain(command: Command): void {
  void runCommand(command, process.argv.slice(2), processIo()).then((code) => {
    process.exitCode = code;
  });
}

/** Writes `files` (path → content) only after every one of them was computed: on any error nothing is written. */
export function writeAll(files: ReadonlyMap<string, string>): void {
  for (const [file, content] of files) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    fs.writeFileSync(partial, content);
    fs.renameSync(partial, file);
  }
}
