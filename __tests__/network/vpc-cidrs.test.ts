import { ENVIRONMENTS } from '../../config/environments';
import { EnvironmentName, EnvironmentSettings } from '../../config/settings';
import { validateAccount } from '../../config/validate';
import { problemsFrom } from '../support/settings';

/** Environments with one VPC CIDR replaced. */
function withVpcCidr(name: EnvironmentName, vpcCidr: string): Record<EnvironmentName, EnvironmentSettings> {
  return { ...ENVIRONMENTS, [name]: { ...ENVIRONMENTS[name], network: { ...ENVIRONMENTS[name].network, vpcCidr } } };
}

describe('VPC CIDRs across environments (one account)', () => {
  test('each environment has its own /16', () => {
    expect(ENVIRONMENTS.dev.network.vpcCidr).toBe('10.10.0.0/16');
    expect(ENVIRONMENTS.staging.network.vpcCidr).toBe('10.20.0.0/16');
    expect(ENVIRONMENTS.prod.network.vpcCidr).toBe('10.30.0.0/16');
    expect(problemsFrom(() => validateAccount())).toEqual([]);
  });

  test.each(['dev', 'staging', 'prod'] as const)('%s: a /20 private subnet per AZ (nodes and pods), /24s for the public and database tiers', (name) => {
    const network = ENVIRONMENTS[name].network;
    const prefix = (cidr: string) => Number(cidr.split('/')[1]);
    expect(network.privateSubnetCidrs.map(prefix)).toEqual(network.availabilityZones.map(() => 20));
    expect([...network.publicSubnetCidrs, ...network.databaseSubnetCidrs].map(prefix).every((p) => p === 24)).toBe(true);
  });

  test('fails when two environments share a CIDR, naming both fields', () => {
    expect(problemsFrom(() => validateAccount(withVpcCidr('staging', '10.10.0.0/16')))).toEqual([
      'staging.network.vpcCidr: got "10.10.0.0/16", which overlaps dev.network.vpcCidr ("10.10.0.0/16"); environments share one account, so their VPCs need disjoint CIDRs (VPC peering, Transit Gateway)',
    ]);
  });

  test('fails when one CIDR contains part of another', () => {
    expect(problemsFrom(() => validateAccount(withVpcCidr('prod', '10.20.128.0/17')))).toEqual([expect.stringMatching(/^prod\.network\.vpcCidr: got "10\.20\.128\.0\/17", which overlaps staging\.network\.vpcCidr \("10\.20\.0\.0\/16"\)/)]);
  });

  test('adjacent blocks do not overlap', () => {
    expect(problemsFrom(() => validateAccount(withVpcCidr('prod', '10.21.0.0/16')))).toEqual([]);
  });

  test('loadEnvironment (what main.ts calls) refuses overlapping CIDRs, whichever environment is chosen', () => {
    jest.isolateModules(() => {
      const real = jest.requireActual('../../config/environments');
      jest.doMock('../../config/environments', () => ({
        ...real,
        ENVIRONMENTS: { ...real.ENVIRONMENTS, prod: { ...real.ENVIRONMENTS.prod, network: { ...real.ENVIRONMENTS.prod.network, vpcCidr: '10.10.0.0/16' } } },
      }));
      const { loadEnvironment } = require('../../config/validate');
      // The isolated registry has its own SettingsError class, so match by name rather than instanceof.
      expect(() => loadEnvironment('dev')).toThrow(expect.objectContaining({ name: 'SettingsError', message: expect.stringContaining('prod.network.vpcCidr: got "10.10.0.0/16", which overlaps dev.network.vpcCidr') }));
    });
  });
});
