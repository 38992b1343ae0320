import * as path from 'path';
import { synthEnvironment, SynthesizedEnvironment } from '../../cli/lib/synth-app';
import { environmentWorkloads } from '../../cli/lib/workloads';
import {
  INSTANCE_NETWORK_LIMITS,
  ScheduledWorkload,
  addressesPerNode,
  capacityInputOf,
  checkPodCapacity,
  checkPodFit,
  kubeReservedCpuMillis,
  kubeReservedMemoryMiB,
  maxPods,
  nodeAllocatable,
} from '../../config/capacity';
import { ENVIRONMENTS } from '../../config/environments';
import { EnvironmentName, EnvironmentSettings } from '../../config/settings';
import { problemsOf } from '../support/settings';
import { ALL_ENVIRONMENTS } from '../support/synth';

const ROOT = path.resolve(__dirname, '..', '..');

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

describe('allocatable CPU and memory per node (EKS AMI reservations)', () => {
  test('kube-reserved CPU: 6 % of the first core, 1 % of the second, 0.5 % of cores 3-4, 0.25 % above', () => {
    expect(kubeReservedCpuMillis(1)).toBe(60);
    expect(kubeReservedCpuMillis(2)).toBe(60 + 10);
    expect(kubeReservedCpuMillis(4)).toBe(60 + 10 + 5 + 5);
    expect(kubeReservedCpuMillis(8)).toBe(60 + 10 + 5 + 5 + 4 * 2.5);
  });

  test('kube-reserved memory: 11 MiB per pod the node may run, plus 255 MiB', () => {
    expect(kubeReservedMemoryMiB(17)).toBe(442);
    expect(kubeReservedMemoryMiB(110)).toBe(1465);
  });

  test('t3.medium: 17 pods, 1,930m CPU, 4 GiB less 7.5 % less 442 MiB reserved less the 100 MiB eviction threshold', () => {
    expect(nodeAllocatable('t3.medium', false)).toEqual({ instanceType: 't3.medium', pods: 17, cpuMillis: 1930, memoryMiB: Math.floor(4096 * 0.925) - 442 - 100 });
  });

  test('prefix delegation lifts pods to 110 but the reservation grows with them: a t3.medium keeps ~2.2 GiB', () => {
    expect(nodeAllocatable('t3.medium', true)).toMatchObject({ pods: 110, memoryMiB: Math.floor(4096 * 0.925) - 1465 - 100 });
  });
});

describe('checkPodFit (largest first on the least used node, DaemonSets on every node)', () => {
  const pod = (name: string, replicas: number | 'perNode', cpuMillis = 0, memoryMiB = 0, extra: Partial<ScheduledWorkload> = {}): ScheduledWorkload => ({ name, source: 'test', replicas, requests: { cpuMillis, memoryMiB }, ...extra });
  const fit = (nodes: number, workloads: ScheduledWorkload[], atMaximum = false) => checkPodFit({ instanceTypes: ['t3.medium'], nodes, prefixDelegation: false, workloads, atMaximum });

  test('pods: a DaemonSet takes a slot on each node; 2 × 17 slots hold 6 DaemonSets and 22 other pods, not 23', () => {
    const daemonSets = Array.from({ length: 6 }, (_, i) => pod(`ds-${i}`, 'perNode'));
    expect(fit(2, [...daemonSets, pod('app', 22)])).toMatchObject({ fits: true, podsNeeded: 34, podSlots: 34, daemonSetPodsPerNode: 6 });
    const over = fit(2, [...daemonSets, pod('app', 23)]);
    expect(over).toMatchObject({ fits: false, podsNeeded: 35, unplaced: ['app ×1'] });
    expect(over.summary).toMatch(/does not fit: no room for app ×1$/);
  });

  test('CPU: the sum can fit while no node has room for one more pod (packing, not totals)', () => {
    // 3 pods of 1,000m on 2 nodes of 1,930m: 3,000m of 3,860m in total, but only one fits per node.
    expect(fit(2, [pod('big', 3, 1000)])).toMatchObject({ fits: false, cpuNeededMillis: 3000, cpuAllocatableMillis: 3860, unplaced: ['big ×1'] });
  });

  test('memory counts too', () => {
    expect(fit(1, [pod('fat', 2, 10, 2000)])).toMatchObject({ fits: false, unplaced: ['fat ×1'] });
  });

  test('one pod per node (required anti-affinity): three need three nodes', () => {
    expect(fit(2, [pod('redis-ha', 3, 0, 0, { onePerNode: true })]).unplaced).toEqual(['redis-ha ×1']);
    expect(fit(3, [pod('redis-ha', 3, 0, 0, { onePerNode: true })]).fits).toBe(true);
  });

  test('critical pods get their room first (the scheduler preempts for system-cluster-critical)', () => {
    const report = fit(1, [pod('app', 17), pod('cluster-autoscaler', 1, 0, 0, { critical: true })]);
    expect(report.unplaced).toEqual(['app ×1']);
  });

  test('at maximum the HPA maxima are counted', () => {
    expect(fit(2, [pod('svc', 2, 100, 100, { maxReplicas: 40 })], true)).toMatchObject({ fits: false, podsNeeded: 40 });
    expect(fit(2, [pod('svc', 2, 100, 100, { maxReplicas: 40 })])).toMatchObject({ fits: true, podsNeeded: 2 });
  });

  test('the smallest type of a mixed group is assumed (the autoscaler may launch it)', () => {
    expect(checkPodFit({ instanceTypes: ['t3.large', 't3.medium'], nodes: 1, prefixDelegation: false, workloads: [] }).node.instanceType).toBe('t3.medium');
  });
});

/**
 * Every pod each environment schedules, from its synthesized stacks and rendered manifests
 * (cli/lib/workloads.ts): at the node group's minimum size with the minimum replicas, and at its maximum
 * size with the HPA maxima.
 */
describe('the environments\' pods fit their node groups', () => {
  const envs: Partial<Record<EnvironmentName, { synthesized: SynthesizedEnvironment; workloads: ScheduledWorkload[] }>> = {};
  beforeAll(() => {
    for (const env of ALL_ENVIRONMENTS) {
      const synthesized = synthEnvironment(env);
      const json = (id: string) => synthesized.stacks.find((s) => s.id === id)!.json;
      envs[env] = { synthesized, workloads: environmentWorkloads({ cluster: json('cluster'), argocd: json('argocd') }, ROOT, env) };
    }
  });
  const at = (env: EnvironmentName, nodes: number, atMaximum: boolean, overrides: Partial<EnvironmentSettings['cluster']['nodeGroup']> = {}) => {
    const group = { ...ENVIRONMENTS[env].cluster.nodeGroup, ...overrides };
    return checkPodFit({ instanceTypes: group.instanceTypes, nodes, prefixDelegation: ENVIRONMENTS[env].cluster.prefixDelegation, workloads: envs[env]!.workloads, atMaximum });
  };

  test.each(ALL_ENVIRONMENTS)('%s: minimum size, minimum replicas', (env) => {
    const report = at(env, ENVIRONMENTS[env].cluster.nodeGroup.minSize, false);
    expect([env, report.summary, report.fits]).toEqual([env, report.summary, true]);
  });

  test.each(ALL_ENVIRONMENTS)('%s: maximum size, HPA maxima', (env) => {
    const report = at(env, ENVIRONMENTS[env].cluster.nodeGroup.maxSize, true);
    expect([env, report.summary, report.fits]).toEqual([env, report.summary, true]);
  });

  test('dev on the two t3.medium it had (34 pod slots): not enough, so its minimum is 3', () => {
    const two = at('dev', 2, false);
    expect(two.podSlots).toBe(2 * maxPods('t3.medium', false));
    expect(two.podSlots).toBe(34);
    expect(two.podsNeeded).toBeGreaterThan(two.podSlots);
    expect(two.fits).toBe(false);
    // Among the pods left without room: nothing, or the cluster autoscaler (critical) would be Pending too.
    expect(two.unplaced.some((p) => p.startsWith('kube-system/cluster-autoscaler'))).toBe(false);
    expect(ENVIRONMENTS.dev.cluster.nodeGroup.minSize).toBe(3);
    expect(at('dev', 3, false).fits).toBe(true);
  });

  test('dev counts its in-cluster PostgreSQL and Valkey; staging and prod do not run them', () => {
    const names = (env: EnvironmentName) => envs[env]!.workloads.map((w) => w.name);
    expect(names('dev')).toEqual(expect.arrayContaining(['tiketi-dev/postgres', 'tiketi-dev/redis']));
    expect(names('prod').filter((n) => /\/(postgres|redis)$/.test(n))).toEqual([]);
  });

  test('staging at its former minimum of 3 t3.medium is one pod short', () => {
    const three = at('staging', 3, false);
    expect(three.fits).toBe(false);
    expect(three.podsNeeded - three.podSlots).toBeGreaterThanOrEqual(1);
  });

  test('prod at maximum size: CPU requests are the closest limit (HPA maxima of 20 per service)', () => {
    const report = at('prod', ENVIRONMENTS.prod.cluster.nodeGroup.maxSize, true);
    const share = (needed: number, available: number) => needed / available;
    expect(share(report.cpuNeededMillis, report.cpuAllocatableMillis)).toBeGreaterThan(share(report.podsNeeded, report.podSlots));
    expect(share(report.cpuNeededMillis, report.cpuAllocatableMillis)).toBeGreaterThan(share(report.memoryNeededMiB, report.memoryAllocatableMiB));
  });
});
