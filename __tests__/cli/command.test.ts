import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Command, CommandError, Io, UsageError, runCommand, writeAll } from '../../cli/lib/command';

function fakeIo(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { root: os.tmpdir(), stdout, stderr, out: (l) => void stdout.push(l), err: (l) => void stderr.push(l), readStdin: async () => '' };
}

const echo = (run: Command['run']): Command => ({ name: 'echo', description: 'Echoes.', synopsis: '<word>', options: { loud: { type: 'boolean' } }, run });

describe('the command frame', () => {
  test('success prints the summary and exits 0', async () => {
    const io = fakeIo();
    expect(await runCommand(echo((args) => `said ${args.positionals.join(' ')}${args.values.loud ? '!' : ''}`), ['hi', '--loud'], io)).toBe(0);
    expect(io.stdout).toEqual(['said hi!']);
  });

  test('--help prints the usage and exits 0', async () => {
    const io = fakeIo();
    expect(await runCommand(echo(() => 'x'), ['--help'], io)).toBe(0);
    expect(io.stdout[0]).toMatch(/^usage: npm run echo -- <word>/);
  });

  test('an unknown flag is a usage error: exit 2, usage on stderr', async () => {
    const io = fakeIo();
    expect(await runCommand(echo(() => 'x'), ['--lould'], io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/Unknown option '--lould'[\s\S]*usage: npm run echo/);
  });

  test('UsageError exits 2 and CommandError exits 1, each naming the command', async () => {
    const usage = fakeIo();
    expect(await runCommand(echo(() => { throw new UsageError('expected one word'); }), [], usage)).toBe(2);
    expect(usage.stderr[0]).toBe('echo: expected one word');
    const failure = fakeIo();
    expect(await runCommand(echo(() => { throw new CommandError('refused'); }), [], failure)).toBe(1);
    expect(failure.stderr).toEqual(['echo: refused']);
  });

  test('writeAll replaces files whole and leaves no partial file behind', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiketi-cli-'));
    const file = path.join(dir, 'nested', 'a.txt');
    writeAll(new Map([[file, 'one']]));
    writeAll(new Map([[file, 'two']]));
    expect(fs.readFileSync(file, 'utf8')).toBe('two');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['a.txt']);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
