/** A temporary copy of the project's `gitops/` and a fake `Io`, so commands run in-process on throwaway files. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { Command, Io, runCommand } from '../../../cli/lib/command';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export interface TempProject {
  readonly root: string;
  file(relative: string): string;
  read(relative: string): string;
  write(relative: string, content: string): void;
  /** Every file under the root with its content, to prove that a failed command wrote nothing. */
  snapshot(): Map<string, string>;
  remove(): void;
}

export function tempProject(): TempProject {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tiketi-delivery-'));
  fs.cpSync(path.join(REPO_ROOT, 'gitops'), path.join(root, 'gitops'), { recursive: true });
  fs.writeFileSync(path.join(root, 'package.json'), '{}\n');
  const file = (relative: string) => path.join(root, relative);
  return {
    root,
    file,
    read: (relative) => fs.readFileSync(file(relative), 'utf8'),
    write: (relative, content) => {
      fs.mkdirSync(path.dirname(file(relative)), { recursive: true });
      fs.writeFileSync(file(relative), content);
    },
    snapshot: () => {
      const files = new Map<string, string>();
      const walk = (dir: string): void => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
          const p = path.join(dir, e.name);
          if (e.isDirectory()) walk(p);
          else files.set(path.relative(root, p), fs.readFileSync(p, 'latin1'));
        }
      };
      walk(root);
      return files;
    },
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

export interface Run {
  readonly code: number;
  readonly stdout: string[];
  readonly stderr: string[];
}

/** Runs `command` in-process against `root`, with `stdin` as standard input. */
export async function run(command: Command, root: string, argv: readonly string[], stdin = ''): Promise<Run> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: Io = { root, out: (l) => void stdout.push(l), err: (l) => void stderr.push(l), readStdin: async () => stdin };
  const code = await runCommand(command, argv, io);
  return { code, stdout, stderr };
}

/** Lines that differ between two texts of the same length in lines (a one-line edit shows as one pair). */
export function changedLines(before: string, after: string): [string, string][] {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length !== b.length) throw new Error(`line count changed: ${a.length} -> ${b.length}\n${after}`);
  return a.flatMap((line, i) => (line === b[i] ? [] : [[line, b[i]] as [string, string]]));
}

/**
 * `kubectl kustomize <dir>`, uncached (the gitops tests' cached renderer assumes a tree that does not
 * change within a test file; these tests change it). Throws when kubectl is missing or the build fails.
 */
export function renderKustomization(dir: string): Record<string, any>[] {
  const result = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new Error(`cannot run kubectl kustomize (${result.error.message}): these tests need kubectl on PATH`);
  if (result.status !== 0) throw new Error(`kubectl kustomize ${dir} failed (exit ${result.status}):\n${result.stderr}`);
  return parseAllDocuments(result.stdout).map((d) => d.toJS()).filter((o) => o !== null);
}
