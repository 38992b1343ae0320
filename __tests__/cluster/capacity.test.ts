import { INSTANCE_NETWORK_LIMITS, addressesPerNode, capacityInputOf, checkPodCapacity, maxPods } from '../../config/capacity';
import { ENVIRONMENTS } from '../../config/environments';
import { EnvironmentSettings } from '../../config/settings';
import { problemsOf } from '../support/settings';
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
    expect(checkPodCapacity(capacityInputOf(ENVIRONMENTS[envName])).fits).toBe(true);
  });
});

describe('prod has room for an on-sale (twice the seed\'s 5 nodes, plus the upgrade surge)', () => {
  const prod = ENVIRONMENTS.prod;
  const withPrivateSubnets = (privateSubnetCidrs: string[], cluster: Partial<EnvironmentSettings['cluster']> = {}): EnvironmentSettings => ({
    ...prod,
    network: { ...prod.network, privateSubnetCidrs },
    cluster: { ...prod.cluster, ...cluster },
  });

  test('maxSize is at least 10 and the 14 nodes at max size + surge fit, with the figures', () => {
    expect(prod.cluster.nodeGroup.maxSize).toBeGreaterThanOrEqual(10);
    const report = checkPodCapacity(capacityInputOf(prod));
    // 10 max + 2 × 2 AZs surge = 14 t3.large × 3 ENIs × 12 IPs = 504 addresses.
    expect(report).toMatchObject({ nodes: 14, upgradeSurge: 4, addressesPerNode: 36, required: 504 });
    // Two /20s: (4,096 − 5 AWS-reserved − 6 EKS − 8 ALB − 5 endpoints) × 2 = 8,144.
    expect(report.available).toBe((4096 - 5 - 6 - 8 - 5) * 2);
    expect(report.spare).toBe(7640);
    expect(report.fits).toBe(true);
  });

  test('prefix delegation would fit too (14 × 129 = 1,806 addresses)', () => {
    const report = checkPodCapacity({ ...capacityInputOf(prod), prefixDelegation: true });
    expect(report.required).toBe(14 * 129);
    expect(report.fits).toBe(true);
  });

  test('the seed\'s /24 private subnets could not hold it: validation fails, saying by how much', () => {
    // (256 − 5 − 6 − 8 − 5) × 2 = 464 against 504.
    expect(problemsOf(withPrivateSubnets(['10.30.11.0/24', '10.30.12.0/24']))).toEqual([
      expect.stringMatching(/^prod\.cluster\.nodeGroup: pod addresses fall short by 40: 10 max nodes \+ 4 upgrade surge = 14 nodes × 36 addresses .*= 504 addresses; private subnets offer 464/),
    ]);
  });

  test('validation reserves one address per subnet for each interface endpoint it creates (5, eks-auth included)', () => {
    // The message states the per-subnet reserve: 6 EKS + 8 ALB + 5 endpoints = 19.
    const problems = problemsOf(withPrivateSubnets(['10.30.11.0/24', '10.30.12.0/24']));
    expect(problems.join('\n')).toContain('less 5 AWS-reserved and 19 kept free per subnet');
    const noEndpoints = problemsOf({ ...withPrivateSubnets(['10.30.11.0/24', '10.30.12.0/24']), network: { ...prod.network, privateSubnetCidrs: ['10.30.11.0/24', '10.30.12.0/24'], interfaceEndpoints: false } });
    expect(noEndpoints.join('\n')).toContain('less 5 AWS-reserved and 14 kept free per subnet');
  });

  test('prefix delegation at the validator\'s largest node group (100) falls short, with the hint', () => {
    expect(problemsOf(withPrivateSubnets(prod.network.privateSubnetCidrs as string[], { prefixDelegation: true, nodeGroup: { ...prod.cluster.nodeGroup, maxSize: 100 } }))).toEqual([
      expect.stringMatching(/^prod\.cluster\.nodeGroup: pod addresses fall short by \d+: .*prefix delegation.*turn prefixDelegation off/),
    ]);
  });
});

describe('checkPodCapacity limits', () => {
  test('every supported type has ENI limits in range', () => {
    for (const limits of Object.values(INSTANCE_NETWORK_LIMITS)) {
      expect(limits.maxEnis).toBeGreaterThanOrEqual(2);
      expect(limits.ipsPerEni).toBeGreaterThanOrEqual(2);
    }
  });
});
