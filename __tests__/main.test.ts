import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Runs main.ts in-process with `vars` set, catching process.exit. Returns the exit code, what it printed
 * on stderr and whether it wrote the output directory.
 */
function runMain(
  vars: Record<string, string>,
  outdir: string = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tiketi-main-')), 'cdktf.out'),
): { exitCode: number | undefined; stderr: string; stdout: string; wroteOutput: boolean; stacks: string[]; outdir: string } {
  const saved = { ...process.env };
  Object.assign(process.env, { CDKTF_OUTDIR: outdir, ...vars });
  let exitCode: number | undefined;
  const stderr: string[] = [];
  const exit = jest.spyOn(process, 'exit').mockImplementation(((code?: number) => {
    exitCode = code;
    throw new Error('process.exit');
  }) as never);
  const error = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void stderr.push(args.join(' ')));
  const stdout: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: string) => void stdout.push(String(chunk))) as never);
  try {
    jest.isolateModules(() => {
      try {
        require('../main');
      } catch (e) {
        if (!(e instanceof Error && e.message === 'process.exit')) throw e;
      }
    });
  } finally {
    exit.mockRestore();
    error.mockRestore();
    write.mockRestore();
    process.env = saved;
  }
  const wroteOutput = fs.existsSync(outdir);
  const stacks = wroteOutput ? fs.readdirSync(path.join(outdir, 'stacks')).sort() : [];
  return { exitCode, stderr: stderr.join('\n'), stdout: stdout.join(''), wroteOutput, stacks, outdir };
}

describe('main.ts', () => {
  test('an unknown TIKETI_ENV fails with the valid names and writes nothing', () => {
    const result = runMain({ TIKETI_ENV: 'qa' });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('TIKETI_ENV: got "qa", expected one of dev, staging, prod');
    expect(result.wroteOutput).toBe(false);
  });

  test('a half-configured backend fails and writes nothing', () => {
    const result = runMain({ TIKETI_ENV: 'prod', TIKETI_BACKEND: 's3' });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('TIKETI_STATE_BUCKET: required when TIKETI_BACKEND=s3');
    expect(result.wroteOutput).toBe(false);
  });

  test('the default environment synthesizes every stack with no credentials', () => {
    const result = runMain({ TIKETI_ENV: '' });
    expect(result.exitCode).toBeUndefined();
    expect(result.stacks).toEqual(['argocd', 'billing', 'bootstrap', 'cluster', 'data', 'dns', 'edge', 'network', 'observability', 'registry']);
    expect(result.stacks.every((stack) => fs.existsSync(path.join(result.outdir, 'stacks', stack, 'cdk.tf.json')))).toBe(true);
    // One line says which environment was built, where, and the stacks cdktf wrote (the folders under stacks/).
    expect(result.stdout).toBe(`tiketi: synthesized environment dev into ${result.outdir} (stacks: ${result.stacks.join(', ')})\n`);
    expect(JSON.parse(fs.readFileSync(path.join(result.outdir, 'tiketi-environment.json'), 'utf8'))).toEqual({ environment: 'dev', backend: 'local', stacks: result.stacks });
  });

  test('prod over a dev output says so and re-marks the output; npm run stacks then refuses dev', async () => {
    const dev = runMain({ TIKETI_ENV: 'dev' });
    const prod = runMain({ TIKETI_ENV: 'prod' }, dev.outdir);
    expect(prod.exitCode).toBeUndefined();
    expect(prod.stdout).toBe(`tiketi: synthesized environment prod into ${dev.outdir}, replacing the synth of dev (stacks: ${prod.stacks.join(', ')})\n`);
    expect(JSON.parse(fs.readFileSync(path.join(dev.outdir, 'tiketi-environment.json'), 'utf8')).environment).toBe('prod');
    // The stacks' own Environment tags agree with the marker: the output really is prod's now.
    const network = JSON.parse(fs.readFileSync(path.join(dev.outdir, 'stacks', 'network', 'cdk.tf.json'), 'utf8'));
    expect(network.provider.aws[0].default_tags[0].tags.Environment).toBe('prod');

    const { runCommand } = await import('../cli/lib/command');
    const { stacks } = await import('../cli/stacks');
    const root = path.dirname(dev.outdir);
    const err: string[] = [];
    const io = { root, out: () => undefined, err: (line: string) => void err.push(line), readStdin: async () => '' };
    expect(await runCommand(stacks, ['dev'], io)).toBe(1);
    expect(err).toEqual(['stacks: cdktf.out holds the synth of prod (cdktf.out/tiketi-environment.json), not of dev: run TIKETI_ENV=dev npm run synth']);
  });

  test('a bad TIKETI_STATE_BUCKET fails even with the local backend (the bootstrap stack creates that bucket)', () => {
    const result = runMain({ TIKETI_ENV: 'dev', TIKETI_STATE_BUCKET: 'tiketi..state' });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe('Invalid Tiketi settings:\n  - TIKETI_STATE_BUCKET: got "tiketi..state", expected an S3 bucket name (no two adjacent dots)');
    expect(result.wroteOutput).toBe(false);
  });
});
