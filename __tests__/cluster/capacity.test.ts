import { INSTANCE_NETWORK_LIMITS, addressesPerNode, checkPodCapacity, maxPods } from '../../config/capacity';
import { ENVIRONMENTS } from '../../config/environments';
import { ALL_ENVIRONMENTS } from '../support/synth';

describe('max pods per node (EKS formula: ENIs × (IPs per ENI − 1) + 2)', () => {
  test.each([
    ['t3.medium', false, 17],
    ['t3.large', false, 35],
    ['t3.medium', true, 110],
    ['t3.large', true, 110],
  ])('%s, prefix delegation %s: %d', (type, pd, expected) => {
    expect(maxPods(type as string, pd as boolean)).toBe(expected);
  });

  test('an unknown instance type fails with the list of known ones', () => {
    expect(() => maxPods('x9.huge', false)).toThrow(/unknown instance type "x9.huge"; known: .*t3\.medium.*t3\.large/);
  });
});

describe('addresses a full node claims', () => {
  test('secondary IPs: every IP of every ENI (pods, ENI primaries and the warm pool)', () => {
    expect(addressesPerNode('t3.medium', false)).toBe(3 * 6);
    expect(addressesPerNode('t3.large', false)).toBe(3 * 12);
  });

  test('prefix delegation: a /28 per 16 pods plus one warm prefix, plus the ENI primary IPs', () => {
    // 110 pods → 7 prefixes + 1 warm = 8 × 16; t3.large fits 8 prefixes on one ENI (11 slots).
    expect(addressesPerNode('t3.large', true)).toBe(8 * 16 + 1);
    // t3.medium has 5 secondary slots per ENI → 2 ENIs.
    expect(addressesPerNode('t3.medium', true)).toBe(8 * 16 + 2);
  });
});

describe('checkPodCapacity', () => {
  const base = { instanceTypes: ['t3.medium'], maxNodes: 4, prefixDelegation: false, privateSubnetCidrs: ['10.0.11.0/24', '10.0.12.0/24'], interfaceEndpoints: 0 };

  test('counts max size plus the upgrade surge (2 × AZs) against usable addresses less reserves', () => {
    const report = checkPodCapacity(base);
    expect(report.upgradeSurge).toBe(4);
    expect(report.nodes).toBe(8);
    expect(report.required).toBe(8 * 18);
    // (256 − 5 AWS-reserved − 6 EKS − 8 ALB) × 2
    expect(report.available).toBe((256 - 5 - 14) * 2);
    expect(report.fits).toBe(true);
  });

  test('interface endpoints take one address per subnet each', () => {
    expect(checkPodCapacity({ ...base, interfaceEndpoints: 4 }).available).toBe((256 - 5 - 18) * 2);
  });

  test('falls short when prefix delegation claims /28s on small subnets', () => {
    const report = checkPodCapacity({ ...base, prefixDelegation: true, maxNodes: 10 });
    expect(report.fits).toBe(false);
    expect(report.spare).toBe(report.available - 14 * (8 * 16 + 2));
    expect(report.summary).toMatch(/prefix delegation/);
  });

  test('the largest instance type of a mixed list is counted', () => {
    expect(checkPodCapacity({ ...base, instanceTypes: ['t3.medium', 't3.large'] }).addressesPerNode).toBe(36);
  });

  test.each(ALL_ENVIRONMENTS)('%s settings fit their private subnets', (envName) => {
    const env = ENVIRONMENTS[envName];
    const report = checkPodCapacity({
      instanceTypes: env.cluster.nodeGroup.instanceTypes,
      maxNodes: env.cluster.nodeGroup.maxSize,
      prefixDelegation: env.cluster.prefixDelegation,
      privateSubnetCidrs: env.network.privateSubnetCidrs,
      interfaceEndpoints: env.network.interfaceEndpoints ? 4 : 0,
    });
    expect(report.fits).toBe(true);
  });

  test('every supported type has ENI limits in range', () => {
    for (const limits of Object.values(INSTANCE_NETWORK_LIMITS)) {
      expect(limits.maxEnis).toBeGreaterThanOrEqual(2);
      expect(limits.ipsPerEni).toBeGreaterThanOrEqual(2);
    }
  });
});
