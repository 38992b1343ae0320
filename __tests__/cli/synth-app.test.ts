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
});
