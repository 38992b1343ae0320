/**
 * How the operator commands run other programs (aws, kubectl, npx cdktf), behind an interface so jest can
 * record what would run, in which order, without running anything.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import { CommandError } from './command';

export interface BackgroundProcess {
  stop(): Promise<void>;
}

/** A process that outlives the command that started it (a tunnel left open for the next CI steps). */
export interface DetachedProcess {
  readonly pid: number;
  /** Resolves with the exit code if the process ends while this command still runs. */
  readonly exited: Promise<number | null>;
  /** Ends the process and its children (its process group). */
  kill(): void;
}

export interface Runner {
  /** Runs `argv` to completion and returns its standard output; a non-zero exit is a CommandError. */
  capture(argv: readonly string[], env?: Record<string, string>): Promise<string>;
  /** Runs `argv` attached to the terminal; a non-zero exit is a CommandError. */
  run(argv: readonly string[], env?: Record<string, string>): Promise<void>;
  /** Starts `argv` in the background (e.g. a tunnel) until `stop()`. */
  start(argv: readonly string[], env?: Record<string, string>): BackgroundProcess;
  /**
   * Starts `argv` in its own process group, its output appended to `logFile`, and lets it run on after this
   * command exits.
   */
  detach(argv: readonly string[], logFile: string, env?: Record<string, string>): DetachedProcess;
  /** Resolves once something accepts connections on 127.0.0.1:`port`. */
  waitForPort(port: number, timeoutMs: number): Promise<void>;
  sleep(ms: number): Promise<void>;
}

const show = (argv: readonly string[]) => argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');

export function processRunner(): Runner {
  const spawnIt = (argv: readonly string[], env: Record<string, string> | undefined, stdio: 'inherit' | 'pipe') =>
    spawn(argv[0], argv.slice(1), { env: { ...process.env, ...env }, stdio: stdio === 'pipe' ? ['ignore', 'pipe', 'inherit'] : 'inherit' });
  const wait = (child: ReturnType<typeof spawn>, argv: readonly string[]) =>
    new Promise<void>((resolve, reject) => {
      child.on('error', (e) => reject(new CommandError(`${show(argv)}: ${e.message}`)));
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new CommandError(`${show(argv)} exited with ${code}`))));
    });
  return {
    async capture(argv, env) {
      const child = spawnIt(argv, env, 'pipe');
      const chunks: Buffer[] = [];
      child.stdout!.on('data', (c: Buffer) => chunks.push(c));
      await wait(child, argv);
      return Buffer.concat(chunks).toString('utf8').trim();
    },
    async run(argv, env) {
      await wait(spawnIt(argv, env, 'inherit'), argv);
    },
    start(argv, env) {
      const child = spawnIt(argv, env, 'inherit');
      return {
        stop: () =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGINT');
          }),
      };
    },
    detach(argv, logFile, env) {
      const out = fs.openSync(logFile, 'a');
      const child = spawn(argv[0], argv.slice(1), { env: { ...process.env, ...env }, stdio: ['ignore', out, out], detached: true });
      fs.closeSync(out);
      const exited = new Promise<number | null>((resolve) => {
        child.once('exit', (code) => resolve(code));
        child.once('error', () => resolve(null));
      });
      // Neither the child nor its listeners keep this process alive: the command returns, the session stays.
      child.unref();
      return {
        pid: child.pid ?? -1,
        exited,
        kill: () => {
          try {
            if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
          } catch {
            // already gone
          }
        },
      };
    },
    async waitForPort(port, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const open = await new Promise<boolean>((resolve) => {
          const socket = net.connect({ host: '127.0.0.1', port }, () => {
            // A probe: close at once rather than half-close, so no socket outlives the check.
            socket.destroy();
            resolve(true);
          });
          socket.on('error', () => {
            socket.destroy();
            resolve(false);
          });
        });
        if (open) return;
        if (Date.now() > deadline) throw new CommandError(`nothing listens on 127.0.0.1:${port} after ${timeoutMs / 1000} s (is the tunnel up?)`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    },
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
}
