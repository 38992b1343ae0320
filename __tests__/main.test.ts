import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Runs main.ts in-process with `vars` set, catching process.exit. Returns the exit code, what it printed
 * on stderr and whether it wrote the output directory.
 */
function runMain(vars: Record<string, string>): { exitCode: number | undefined; stderr: string; wroteOutput: boolean; stacks: string[]; outdir: string } {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tiketi-main-')), 'cdktf.out');
  const saved = { ...process.env };
  Object.assign(process.env, { CDKTF_OUTDIR: outdir, ...vars });
  let exitCode: number | undefined;
  const stderr: string[] = [];
  const exit = jest.spyOn(process, 'exit').mockImplementation(((code?: number) => {
    exitCode = code;
    throw new Error('process.exit');
  }) as never);
  const error = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void stderr.push(args.join(' ')));
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
    process.env = saved;
  }
  const wroteOutput = fs.existsSync(outdir);
  const stacks = wroteOutput ? fs.readdirSync(path.join(outdir, 'stacks')).sort() : [];
  return { exitCode, stderr: stderr.join('\n'), wroteOutput, stacks, outdir };
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
  });
});
