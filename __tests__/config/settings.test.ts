import { ENVIRONMENTS } from '../../config/environments';
import { EnvironmentSettings, NetworkSettings } from '../../config/settings';
import { loadEnvironment } from '../../config/validate';
import { problemsOf } from '../support/settings';
import { ALL_ENVIRONMENTS } from '../support/synth';

/** A copy of `base` with `network` fields replaced. */
function withNetwork(base: EnvironmentSettings, network: Partial<NetworkSettings>): EnvironmentSettings {
  return { ...base, network: { ...base.network, ...network } };
}


describe('environment selection', () => {
  test.each(ALL_ENVIRONMENTS)('%s is valid as shipped', (name) => {
    expect(problemsOf(ENVIRONMENTS[name])).toEqual([]);
  });

  test('TIKETI_ENV defaults to dev', () => {
    expect(loadEnvironment(undefined).name).toBe('dev');
    expect(loadEnvironment('').name).toBe('dev');
  });

  test('an unknown environment names the variable and lists the valid ones', () => {
    expect(() => loadEnvironment('production')).toThrow('TIKETI_ENV: got "production", expected one of dev, staging, prod');
  });
});

describe('network settings validation', () => {
  // The seed's layout, which the cases below are written against (the shipped CIDRs are in __tests__/network/).
  const dev = withNetwork(ENVIRONMENTS.dev, {
    vpcCidr: '10.0.0.0/16',
    publicSubnetCidrs: ['10.0.1.0/24', '10.0.2.0/24'],
    privateSubnetCidrs: ['10.0.11.0/24', '10.0.12.0/24'],
    databaseSubnetCidrs: ['10.0.21.0/24', '10.0.22.0/24'],
  });
  const prod = ENVIRONMENTS.prod;

  test.each<[string, Partial<NetworkSettings>, string]>([
    ['a malformed VPC CIDR', { vpcCidr: '10.0.0.0/33' }, 'dev.network.vpcCidr: got "10.0.0.0/33", expected an IPv4 CIDR'],
    ['host bits set', { vpcCidr: '10.0.0.1/16' }, 'dev.network.vpcCidr: got "10.0.0.1/16"'],
    ['a VPC too large', { vpcCidr: '10.0.0.0/8' }, 'dev.network.vpcCidr: got "10.0.0.0/8", expected a prefix from /16 to /24'],
    ['a subnet outside the VPC', { privateSubnetCidrs: ['10.0.11.0/24', '10.1.12.0/24'] }, 'dev.network.privateSubnetCidrs[1]: got "10.1.12.0/24", expected a block inside the VPC 10.0.0.0/16'],
    ['overlapping subnets', { databaseSubnetCidrs: ['10.0.21.0/24', '10.0.11.128/25'] }, 'dev.network.databaseSubnetCidrs[1]: got "10.0.11.128/25", which overlaps dev.network.privateSubnetCidrs[0] ("10.0.11.0/24")'],
    ['one AZ', { availabilityZones: ['ap-northeast-2a'], publicSubnetCidrs: ['10.0.1.0/24'], privateSubnetCidrs: ['10.0.11.0/24'], databaseSubnetCidrs: ['10.0.21.0/24'] }, 'dev.network.availabilityZones: got ["ap-northeast-2a"], expected 2 or 3 availability zones'],
    ['an AZ of another region', { availabilityZones: ['ap-northeast-2a', 'us-east-1b'] }, 'dev.network.availabilityZones[1]: got "us-east-1b", expected a zone of ap-northeast-2'],
    ['the same AZ twice', { availabilityZones: ['ap-northeast-2a', 'ap-northeast-2a'] }, 'dev.network.availabilityZones: got ["ap-northeast-2a","ap-northeast-2a"], expected distinct zones'],
    ['fewer subnets than AZs', { publicSubnetCidrs: ['10.0.1.0/24'] }, 'dev.network.publicSubnetCidrs: got ["10.0.1.0/24"], expected one CIDR per availability zone (2)'],
    ['a subnet below /28', { publicSubnetCidrs: ['10.0.1.0/29', '10.0.2.0/24'] }, 'dev.network.publicSubnetCidrs[0]: got "10.0.1.0/29", expected a prefix of /28 or larger'],
    ['a retention CloudWatch refuses', { flowLogRetentionDays: 10 }, 'dev.network.flowLogRetentionDays: got 10, expected one of 1, 3, 5, 7'],
  ])('rejects %s, naming the field and what is allowed', (_case, change, message) => {
    const problems = problemsOf(withNetwork(dev, change));
    expect(problems.join('\n')).toContain(message);
  });

  test('three AZs with a subnet each are accepted', () => {
    const threeAz = withNetwork(dev, {
      availabilityZones: ['ap-northeast-2a', 'ap-northeast-2b', 'ap-northeast-2c'],
      publicSubnetCidrs: ['10.0.1.0/24', '10.0.2.0/24', '10.0.3.0/24'],
      privateSubnetCidrs: ['10.0.11.0/24', '10.0.12.0/24', '10.0.13.0/24'],
      databaseSubnetCidrs: ['10.0.21.0/24', '10.0.22.0/24', '10.0.23.0/24'],
    });
    expect(problemsOf(threeAz)).toEqual([]);
  });

  test('a single NAT gateway is refused outside dev', () => {
    expect(problemsOf(withNetwork(prod, { natGateways: 'single' })).join('\n')).toContain(
      'prod.network.natGateways: got "single", expected "one-per-az" outside dev',
    );
  });

  test('every problem is reported at once, in one error', () => {
    const problems = problemsOf(withNetwork(dev, { vpcCidr: 'nope', flowLogRetentionDays: 2 }));
    expect(problems).toHaveLength(2);
  });
});
