/**
 * The README's statements that the repository can check: the quick start comes first, after the
 * prerequisites; the Node version it states is `engines`, which is the highest floor any runtime
 * dependency declares, and the only installed packages that refuse the tested Node are the dev-only
 * kubernetes-models family it names; the toolchain versions it quotes are the pinned ones.
 * (Its commands are checked with every other page's by runbooks.test.ts.)
 */
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './helpers/project-facts';
import { commandsOf, shellBlocks } from './helpers/shell-commands';

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; dev?: boolean; engines?: { node?: string } | string[] }>;
};

/** The Node version these machines and CI run (`.github/workflows/*` set `node-version: 20`). */
const TESTED_NODE = '20.20.2';

type Version = [number, number, number];
const parse = (v: string): Version => {
  const [a = 0, b = 0, c = 0] = v.replace(/^v/, '').split('.').map((n) => (/^\d+$/.test(n) ? Number(n) : 0));
  return [a, b, c];
};
const compare = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Whether `version` satisfies an npm `engines.node` range (the forms these packages use). */
export function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  return range.split('||').some((alternative) => {
    const comparators = alternative.trim().replace(/(>=|<=|>|<|\^|~)\s+/g, '$1').split(/\s+/).filter(Boolean);
    return comparators.every((c) => {
      const m = /^(>=|<=|>|<|\^|~|=)?v?([\dx*.]+)$/.exec(c);
      if (!m) return true;
      const [, op = '', raw] = m;
      if (raw === '*' || raw === 'x') return true;
      const parts = raw.split('.').filter((p) => p !== 'x' && p !== '*');
      const t = parse(raw);
      switch (op) {
        case '>=': return compare(v, t) >= 0;
        case '>': return compare(v, t) > 0;
        case '<=': return compare(v, t) <= 0;
        case '<': return compare(v, t) < 0;
        case '^': return v[0] === t[0] && compare(v, t) >= 0;
        case '~': return v[0] === t[0] && v[1] === t[1] && compare(v, t) >= 0;
        default: return parts.every((p, i) => v[i] === Number(p)); // "20", "20.9", "=20.9.0"
      }
    });
  });
}

const installed = Object.entries(lock.packages)
  .filter(([at]) => at !== '')
  .map(([at, info]) => ({ name: at.replace(/^.*node_modules\//, ''), dev: info.dev === true, range: Array.isArray(info.engines) ? undefined : info.engines?.node }))
  .filter((p): p is { name: string; dev: boolean; range: string } => typeof p.range === 'string');

describe('README: prerequisites and quick start', () => {
  test('the two-command quick start is the first command block, after the prerequisites', () => {
    const first = shellBlocks(readme)[0];
    expect(commandsOf(first.body).map((c) => c.words.join(' '))).toEqual(['npm ci', 'npm run synth', 'npm test']);
    const before = readme.split('\n').slice(0, first.line - 1).join('\n');
    expect(before).toMatch(/^## Prerequisites$/m);
    expect(before).toMatch(/^## Quick start$/m);
    expect(before.indexOf('## Prerequisites')).toBeLessThan(before.indexOf('## Quick start'));
  });

  test('the satisfies() reading of engines ranges is right on the forms in the lock file', () => {
    expect(satisfies('20.20.2', '>=22')).toBe(false);
    expect(satisfies('20.20.2', '>= 20.9.0')).toBe(true);
    expect(satisfies('20.8.0', '>= 20.9.0')).toBe(false);
    expect(satisfies('20.20.2', '^18.14.0 || ^20.0.0 || ^22.0.0 || >=24.0.0')).toBe(true);
    expect(satisfies('21.1.0', '^18.14.0 || ^20.0.0 || ^22.0.0 || >=24.0.0')).toBe(false);
    expect(satisfies('20.20.2', '20 || >=22')).toBe(true);
    expect(satisfies('21.0.0', '20 || >=22')).toBe(false);
    expect(satisfies('20.20.2', '>=16 || 14 >=14.17')).toBe(true);
  });

  test('engines.node is ">=20.9.0", as the README states, and every runtime dependency accepts it', () => {
    expect(pkg.engines.node).toBe('>=20.9.0');
    expect(readme).toContain('`engines` says `>=20.9.0`');
    const runtime = installed.filter((p) => !p.dev);
    // The floor itself and the tested version are accepted by every runtime (non-dev) package...
    expect(runtime.filter((p) => !satisfies('20.9.0', p.range) || !satisfies(TESTED_NODE, p.range))).toEqual([]);
    // ...and the floor is not lower than needed: some runtime package refuses 20.8.
    expect(runtime.some((p) => !satisfies('20.8.0', p.range))).toBe(true);
  });

  test('the only installed packages that refuse the tested Node are the dev-only kubernetes-models ones the README names', () => {
    const refusing = installed.filter((p) => !satisfies(TESTED_NODE, p.range));
    expect(refusing.every((p) => p.dev)).toBe(true);
    expect([...new Set(refusing.map((p) => p.name))].sort()).toEqual([
      '@kubernetes-models/apimachinery',
      '@kubernetes-models/argo-cd',
      '@kubernetes-models/base',
      '@kubernetes-models/sealed-secrets',
      '@kubernetes-models/validate',
      'kubernetes-models',
    ]);
    expect(readme).toMatch(/`npm ci` prints 6 `EBADENGINE` warnings/);
    // and Node 22 satisfies every package, runtime and dev.
    expect(installed.filter((p) => !satisfies('22.19.0', p.range))).toEqual([]);
  });
});

describe('README: toolchain status quotes the pinned versions', () => {
  const providerOf = (name: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string; cdktf: { provider: { version: string } } };

  test('cdktf and cdktf-cli are the pinned 0.21.0, the final release', () => {
    expect(pkg.dependencies.cdktf).toBe('0.21.0');
    expect(pkg.devDependencies['cdktf-cli']).toBe('0.21.0');
    expect(readme).toContain('`cdktf` and `cdktf-cli` **0.21.0**');
  });

  test.each([
    ['@cdktf/provider-aws', 'hashicorp/aws'],
    ['@cdktf/provider-helm', 'hashicorp/helm'],
    ['@cdktf/provider-kubernetes', 'hashicorp/kubernetes'],
  ])('%s: the README names the pinned package and the provider version it binds', (name, provider) => {
    const installedPkg = providerOf(name);
    expect(pkg.dependencies[name]).toBe(installedPkg.version);
    expect(readme).toContain(`\`${name}\` ${installedPkg.version} (${provider} ${installedPkg.cdktf.provider.version})`);
  });

  test('the AWS provider the README says is validated offline is the one the bindings pin', () => {
    expect(providerOf('@cdktf/provider-aws').cdktf.provider.version).toBe('5.100.0');
    expect(readme).toMatch(/AWS provider 5\.100\.0, validated offline by real Terraform/);
  });
});
