import { DNS, ENVIRONMENTS } from '../../config/environments';
import { EnvironmentName, EnvironmentSettings } from '../../config/settings';
import { validateAccount } from '../../config/validate';
import { problemsFrom } from '../support/settings';
import { ALL_ENVIRONMENTS, resourcesOf, synthApp } from '../support/synth';

describe('dns stack (account-wide)', () => {
  const json = () => synthApp('dev').json('dns');

  test('every environment synthesizes the same dns stack, with account state and tags', () => {
    for (const env of ALL_ENVIRONMENTS) expect(JSON.stringify(synthApp(env).json('dns'))).toEqual(JSON.stringify(json()));
    expect(json().terraform.backend.local.path).toMatch(/\/account\/dns\.tfstate$/);
    expect(json().provider!.aws[0].default_tags).toEqual([{ tags: { Project: 'tiketi', Environment: 'account', Stack: 'dns', ManagedBy: 'cdktf' } }]);
  });

  test('creates the one public zone tiketi.com on a reusable delegation set; both refuse terraform destroy', () => {
    const zones = Object.values<any>(resourcesOf(json(), 'aws_route53_zone'));
    const sets = Object.entries<any>(resourcesOf(json(), 'aws_route53_delegation_set'));
    expect(zones).toHaveLength(1);
    expect(sets).toHaveLength(1);
    expect(zones[0]).toMatchObject({ name: 'tiketi.com', force_destroy: false, delegation_set_id: `\${aws_route53_delegation_set.${sets[0][0]}.id}`, lifecycle: { prevent_destroy: true } });
    expect(sets[0][1].lifecycle.prevent_destroy).toBe(true);
  });

  test('outputs the name servers to set at the registrar (those of the delegation set)', () => {
    const setId = Object.keys(resourcesOf(json(), 'aws_route53_delegation_set'))[0];
    const output = json().output!;
    expect(output.name_servers.value).toBe(`\${aws_route53_delegation_set.${setId}.name_servers}`);
    expect(output.name_servers.description).toMatch(/registrar/);
    expect(Object.keys(output)).toEqual(expect.arrayContaining(['zone_id', 'zone_name', 'delegation_set_id']));
  });

  test('no environment stack reads the dns stack through remote state (edge looks the zone up by name)', () => {
    for (const env of ALL_ENVIRONMENTS) {
      const text = JSON.stringify(synthApp(env).json('edge'));
      expect(text).not.toMatch(/terraform_remote_state\.cross-stack-reference-input-dns/);
    }
  });
});

describe('account-wide settings', () => {
  const envs = (change: (env: EnvironmentSettings) => EnvironmentSettings, only: EnvironmentName): Record<EnvironmentName, EnvironmentSettings> =>
    ({ ...ENVIRONMENTS, [only]: change(ENVIRONMENTS[only]) }) as Record<EnvironmentName, EnvironmentSettings>;

  test('the shipped settings are consistent', () => {
    expect(problemsFrom(() => validateAccount())).toEqual([]);
    expect(ALL_ENVIRONMENTS.every((name) => ENVIRONMENTS[name].edge.zoneName === DNS.zoneName)).toBe(true);
  });

  test('fails when an environment names another zone than the account one', () => {
    const changed = envs((env) => ({ ...env, edge: { ...env.edge, zoneName: 'dev.tiketi.com' } }), 'dev');
    expect(problemsFrom(() => validateAccount(changed))).toEqual([
      'dev.edge.zoneName: got "dev.tiketi.com", expected "tiketi.com" (dns.zoneName: the one public zone of the account, created by the dns stack)',
    ]);
  });

  test('fails when the account zone is not a DNS name', () => {
    expect(problemsFrom(() => validateAccount(ENVIRONMENTS, { ...DNS, zoneName: 'Tiketi.com.' }))).toEqual([expect.stringMatching(/^dns\.zoneName: got "Tiketi\.com\.", expected a DNS name/)]);
  });

  test('fails when the dns region is not a region', () => {
    expect(problemsFrom(() => validateAccount(ENVIRONMENTS, { ...DNS, region: 'seoul' }))).toEqual([expect.stringMatching(/^dns\.region: got "seoul"/)]);
  });

  test('loadEnvironment (what main.ts calls) fails on a zone mismatch in another environment', () => {
    jest.isolateModules(() => {
      const real = jest.requireActual('../../config/environments');
      jest.doMock('../../config/environments', () => ({
        ...real,
        ENVIRONMENTS: { ...real.ENVIRONMENTS, staging: { ...real.ENVIRONMENTS.staging, edge: { ...real.ENVIRONMENTS.staging.edge, zoneName: 'tiketi.net' } } },
      }));
      const { loadEnvironment: load } = require('../../config/validate');
      // The isolated registry has its own SettingsError class, so match by name rather than instanceof.
      expect(() => load('dev')).toThrow(expect.objectContaining({ name: 'SettingsError', problems: [expect.stringMatching(/^staging\.edge\.zoneName: got "tiketi\.net"/)] }));
    });
  });
});
