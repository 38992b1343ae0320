import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Io } from '../../cli/lib/command';
import { Runner } from '../../cli/lib/runner';
import { SecretStore } from '../../cli/lib/secret-store';

export function fakeIo(root: string = fs.mkdtempSync(path.join(os.tmpdir(), 'tiketi-cli-'))): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { root, stdout, stderr, out: (l) => void stdout.push(l), err: (l) => void stderr.push(l), readStdin: async () => '' };
}

/** Secrets Manager in memory: `secrets` maps each existing secret to its versions (oldest first). */
export function fakeStore(secrets: Record<string, string[]>): SecretStore & { secrets: Record<string, string[]>; puts: string[] } {
  const puts: string[] = [];
  const need = (id: string) => {
    if (!(id in secrets)) throw new (require('../../cli/lib/command').CommandError)(`no secret ${id} in Secrets Manager: deploy the cluster stack first`);
    return secrets[id];
  };
  return {
    secrets,
    puts,
    hasValue: async (id) => need(id).length > 0,
    getValue: async (id) => need(id)[need(id).length - 1],
    putValue: async (id, value) => {
      need(id).push(value);
      puts.push(id);
    },
    versionCount: async (id) => need(id).length,
  };
}

/** Records every call in order; `answers` gives `capture` results by the first matching argv prefix. */
export function fakeRunner(answers: [string, string][] = []): Runner & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    capture: async (argv) => {
      calls.push(`capture ${argv.join(' ')}`);
      const hit = answers.find(([prefix]) => argv.join(' ').startsWith(prefix));
      if (!hit) throw new Error(`unexpected capture ${argv.join(' ')}`);
      return hit[1];
    },
    run: async (argv, env) => void calls.push(`run ${argv.join(' ')}${env?.TIKETI_ENV ? ` [TIKETI_ENV=${env.TIKETI_ENV}]` : ''}`),
    start: (argv) => {
      calls.push(`start ${argv.join(' ')}`);
      return { stop: async () => void calls.push('stop') };
    },
    detach: (argv, logFile) => {
      calls.push(`detach ${argv.join(' ')} >> ${logFile}`);
      return { pid: 4242, exited: new Promise<number | null>(() => undefined), kill: () => void calls.push('kill 4242') };
    },
    waitForPort: async (port) => void calls.push(`wait-port ${port}`),
    sleep: async (ms) => void calls.push(`sleep ${ms}`),
  };
}
