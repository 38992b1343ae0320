/** The in-process synth the operator commands share. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CommandError } from '../../cli/lib/command';

describe('synthEnvironment', () => {
  test('returns every stack, tells account-wide ones by their provider tag, and removes its temporary directory', () => {
    // A private directory: other test files synthesize in parallel into the shared one.
    const privateTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tiketi-synth-test-'));
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { synthEnvironment, isAccountWide } = require('../../cli/lib/synth-app') as typeof import('../../cli/lib/synth-app');
      const prod = synthEnvironment('prod', { tmpDir: privateTmp });
      expect(prod.stacks.filter(isAccountWide).map((s) => s.id)).toEqual(expect.arrayContaining(['bootstrap', 'registry']));
      expect(prod.stacks.filter((s) => !isAccountWide(s)).every((s) => s.scope === 'prod')).toBe(true);
      expect(prod.stacks.find((s) => s.id === 'cluster')?.dependencies).toContain('network');
      expect(prod.stacks.map((s) => s.id)).toEqual([...prod.stacks.map((s) => s.id)].sort());
      expect(fs.readdirSync(privateTmp)).toEqual([]);
    } finally {
      fs.rmSync(privateTmp, { recursive: true, force: true });
    }
  });

  test('invalid settings are a CommandError naming the field, before anything is synthesized', () => {
    jest.isolateModules(() => {
      jest.doMock('../../config/environments', () => {
        const actual = jest.requireActual('../../config/environments');
        const dev = { ...actual.ENVIRONMENTS.dev, network: { ...actual.ENVIRONMENTS.dev.network, vpcCidr: '10.0.0.0/33' } };
        return { ...actual, ENVIRONMENTS: { ...actual.ENVIRONMENTS, dev } };
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { synthEnvironment } = require('../../cli/lib/synth-app') as typeof import('../../cli/lib/synth-app');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { CommandError: IsolatedCommandError } = require('../../cli/lib/command') as { CommandError: typeof CommandError };
      expect(() => synthEnvironment('dev')).toThrow(IsolatedCommandError);
      expect(() => synthEnvironment('dev')).toThrow(/dev\.network\.vpcCidr/);
    });
  });

  test('a policy failure during synth is a CommandError carrying the policy\'s message; a command exits 1 with it, not "unexpected failure"', async () => {
    // dev without its exceptions: its single-AZ PostgreSQL fails RDS.5 (and RDS.6, RDS.8, ElastiCache.3) at synth.
    let outcome: { error: unknown; code: number; stderr: string[] } | undefined;
    await jest.isolateModulesAsync(async () => {
      jest.doMock('../../config/environments', () => {
        const actual = jest.requireActual('../../config/environments');
        const dev = { ...actual.ENVIRONMENTS.dev, policy: { exceptions: [] } };
        return { ...actual, ENVIRONMENTS: { ...actual.ENVIRONMENTS, dev } };
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { synthEnvironment } = require('../../cli/lib/synth-app') as typeof import('../../cli/lib/synth-app');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const command = require('../../cli/lib/command') as typeof import('../../cli/lib/command');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { graphCommand } = require('../../cli/graph') as typeof import('../../cli/graph');
      let error: unknown;
      try {
        synthEnvironment('dev');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(command.CommandError);
      const io = { root: process.cwd(), stdout: [] as string[], stderr: [] as string[] };
      const code = await command.runCommand(graphCommand, ['--check'], { root: io.root, out: (l) => void io.stdout.push(l), err: (l) => void io.stderr.push(l), readStdin: async () => '' });
      outcome = { error, code, stderr: io.stderr };
    });
    const { error, code, stderr } = outcome!;
    expect((error as Error).message).toMatch(/^dev does not pass the policy \(docs\/policy\.md\):\n/);
    expect((error as Error).message).toMatch(/\[policy RDS\.5\] stack "data" \(environment dev\), aws_db_instance\.postgres_instance_919E2690/);
    expect((error as Error).message).not.toMatch(/Encountered Annotations|CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS/);
    expect(code).toBe(1);
    expect(stderr.join('\n')).toMatch(/^graph: dev does not pass the policy/);
    expect(stderr.join('\n')).toMatch(/\[policy RDS\.5\]/);
    expect(stderr.join('\n')).not.toMatch(/unexpected failure/);
  });

  test('policyFindings reads the policy lines of cdktf\'s annotation error, and nothing of other errors', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { policyFindings } = require('../../cli/lib/synth-app') as typeof import('../../cli/lib/synth-app');
    const annotations = new Error('Encountered Annotations with level "ERROR":\n[data/postgres/instance] [policy RDS.5] stack "data" ...\n[registry] [policy exception] registry.policy.exceptions[0] (S3.1) is stale.\n\nEither fix the issues above, or set the environment variable CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS to ignore these annotations.');
    expect(policyFindings(annotations)).toEqual(['[data/postgres/instance] [policy RDS.5] stack "data" ...', '[registry] [policy exception] registry.policy.exceptions[0] (S3.1) is stale.']);
    expect(policyFindings(new Error('Encountered Annotations with level "ERROR":\n[network/vpc] something else'))).toEqual([]);
    expect(policyFindings('not an error')).toEqual([]);
  });
});
