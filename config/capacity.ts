import { parseCidr, usableSubnetAddresses } from './cidr';
import { ENVIRONMENT_NAMES, EnvironmentName, EnvironmentSettings, interfaceEndpointServices } from './settings';

/**
 * Pod IP capacity of the private subnets: can the node groups at their maximum size (plus the nodes a
 * managed node group upgrade adds) get every address the VPC CNI may claim? Pure arithmetic, no AWS.
 *
 * The model, per node:
 * - Secondary IP mode (default): the CNI attaches ENIs and fills each with secondary IPs, keeping a warm
 *   ENI in reserve (WARM_ENI_TARGET=1). A full node therefore holds every IP of every ENI it can attach:
 *   `maxEnis × ipsPerEni` addresses (pods, the ENIs' primary IPs and the warm pool together). That is the
 *   hardware ceiling, so it is also the worst case.
 * - Prefix delegation: each slot takes a /28 (16 addresses). A node needs `ceil(maxPods / 16)` prefixes
 *   for its pods plus one warm prefix (WARM_PREFIX_TARGET=1), plus the primary IP of its ENI. Prefix
 *   delegation raises pods per node; it makes every node claim *more* addresses, not fewer.
 * Per subnet, addresses are set aside for the EKS control plane ENIs, an internal ALB and the
 * interface endpoints, besides the 5 addresses AWS reserves in every subnet.
 */

/** ENI limits of the instance types Tiketi supports. */
export interface InstanceNetworkLimits {
  readonly maxEnis: number;
  /** IPv4 addresses per ENI, the primary one included. */
  readonly ipsPerEni: number;
  readonly vcpus: number;
  /** Nominal memory of the type in MiB (what EC2 sells; the kernel keeps part of it, see `VM_MEMORY_OVERHEAD`). */
  readonly memoryMiB: number;
}

/**
 * Source: Amazon EC2 User Guide, "Maximum IP addresses per network interface"
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/AvailableIpPerENI.html), and the VPC CNI's
 * `eni-max-pods.txt` (https://github.com/aws/amazon-vpc-cni-k8s/blob/master/misc/eni-max-pods.txt).
 * Add a type here (with both sources checked) before using it in `environments.ts`.
 */
export const INSTANCE_NETWORK_LIMITS: Readonly<Record<string, InstanceNetworkLimits>> = {
  't3.small': { maxEnis: 3, ipsPerEni: 4, vcpus: 2, memoryMiB: 2048 },
  't3.medium': { maxEnis: 3, ipsPerEni: 6, vcpus: 2, memoryMiB: 4096 },
  't3.large': { maxEnis: 3, ipsPerEni: 12, vcpus: 2, memoryMiB: 8192 },
  't3.xlarge': { maxEnis: 4, ipsPerEni: 15, vcpus: 4, memoryMiB: 16384 },
  't3.2xlarge': { maxEnis: 4, ipsPerEni: 15, vcpus: 8, memoryMiB: 32768 },
  'm5.large': { maxEnis: 3, ipsPerEni: 10, vcpus: 2, memoryMiB: 8192 },
  'm5.xlarge': { maxEnis: 4, ipsPerEni: 15, vcpus: 4, memoryMiB: 16384 },
  'm6i.large': { maxEnis: 3, ipsPerEni: 10, vcpus: 2, memoryMiB: 8192 },
  'm6i.xlarge': { maxEnis: 4, ipsPerEni: 15, vcpus: 4, memoryMiB: 16384 },
};

/** Addresses per /28 prefix under prefix delegation. */
export const PREFIX_SIZE = 16;
/** Upper bound of `max-pods-calculator.sh` with prefix delegation: 110 below 30 vCPUs, 250 above. */
export function prefixDelegationPodCap(vcpus: number): number {
  return vcpus < 30 ? 110 : 250;
}

/**
 * Addresses kept free in every private subnet for things that are not pods:
 * - 6 for the EKS control plane's cross-account ENIs (the minimum EKS requires per cluster subnet),
 * - 8 for an internal ALB (the minimum free addresses ELB needs per subnet to scale),
 * - 1 per interface VPC endpoint.
 */
export const EKS_CONTROL_PLANE_RESERVE = 6;
export const LOAD_BALANCER_RESERVE = 8;

/** Max pods per node as EKS computes it for managed node groups. */
export function maxPods(instanceType: string, prefixDelegation: boolean): number {
  const limits = limitsOf(instanceType);
  if (prefixDelegation) {
    return Math.min(limits.maxEnis * (limits.ipsPerEni - 1) * PREFIX_SIZE + 2, prefixDelegationPodCap(limits.vcpus));
  }
  return limits.maxEnis * (limits.ipsPerEni - 1) + 2;
}

/** Worst-case addresses one node claims from its subnet (see the model above). */
export function addressesPerNode(instanceType: string, prefixDelegation: boolean): number {
  const limits = limitsOf(instanceType);
  if (!prefixDelegation) return limits.maxEnis * limits.ipsPerEni;
  const prefixes = Math.ceil(maxPods(instanceType, true) / PREFIX_SIZE) + 1;
  // Prefixes sit in the secondary slots of as few ENIs as possible; each ENI adds its primary IP.
  const enis = Math.ceil(prefixes / (limits.ipsPerEni - 1));
  return prefixes * PREFIX_SIZE + enis;
}

export class UnknownInstanceTypeError extends Error {}

export function limitsOf(instanceType: string): InstanceNetworkLimits {
  const limits = INSTANCE_NETWORK_LIMITS[instanceType];
  if (!limits) {
    throw new UnknownInstanceTypeError(`unknown instance type ${JSON.stringify(instanceType)}; known: ${Object.keys(INSTANCE_NETWORK_LIMITS).join(', ')}`);
  }
  return limits;
}

export interface CapacityInput {
  readonly instanceTypes: readonly string[];
  /** Node groups' maximum size. */
  readonly maxNodes: number;
  readonly prefixDelegation: boolean;
  readonly privateSubnetCidrs: readonly string[];
  /** Interface VPC endpoints with an ENI in every private subnet. */
  readonly interfaceEndpoints: number;
}

export interface CapacityReport {
  readonly fits: boolean;
  /** Nodes counted: max size plus the upgrade surge. */
  readonly nodes: number;
  /** Extra nodes a managed node group upgrade launches before draining old ones. */
  readonly upgradeSurge: number;
  readonly maxPodsPerNode: number;
  readonly addressesPerNode: number;
  /** Addresses the nodes may claim. */
  readonly required: number;
  /** Usable addresses of the private subnets, minus the per-subnet reserves. */
  readonly available: number;
  /** `available - required`: negative when it falls short. */
  readonly spare: number;
  /** One line with the figures, for errors and docs. */
  readonly summary: string;
}

/** EKS raises the ASG by up to twice the number of AZs during a node group update (managed node update behavior). */
export function nodeUpgradeSurge(availabilityZones: number): number {
  return 2 * availabilityZones;
}

/**
 * Whether the private subnets hold every address the node groups may claim at max size during an
 * upgrade. The largest instance type in the list is the one counted (the autoscaler may pick any).
 */
export function checkPodCapacity(input: CapacityInput): CapacityReport {
  const perNode = Math.max(...input.instanceTypes.map((type) => addressesPerNode(type, input.prefixDelegation)));
  const podsPerNode = Math.max(...input.instanceTypes.map((type) => maxPods(type, input.prefixDelegation)));
  const upgradeSurge = nodeUpgradeSurge(input.privateSubnetCidrs.length);
  const nodes = input.maxNodes + upgradeSurge;
  const reservePerSubnet = EKS_CONTROL_PLANE_RESERVE + LOAD_BALANCER_RESERVE + input.interfaceEndpoints;
  const available = input.privateSubnetCidrs
    .map((text) => parseCidr(text))
    .reduce((sum, cidr) => sum + (cidr ? Math.max(usableSubnetAddresses(cidr) - reservePerSubnet, 0) : 0), 0);
  const required = nodes * perNode;
  const mode = input.prefixDelegation ? 'prefix delegation' : 'secondary IPs';
  const summary =
    `${input.maxNodes} max nodes + ${upgradeSurge} upgrade surge = ${nodes} nodes × ${perNode} addresses ` +
    `(${podsPerNode} max pods, ${mode}, warm pool included) = ${required} addresses; ` +
    `private subnets offer ${available} (${input.privateSubnetCidrs.join(', ')}, less 5 AWS-reserved and ${reservePerSubnet} kept free per subnet)`;
  return { fits: required <= available, nodes, upgradeSurge, maxPodsPerNode: podsPerNode, addressesPerNode: perNode, required, available, spare: available - required, summary };
}

/** The capacity check's input for one environment, from its settings. */
export function capacityInputOf(env: EnvironmentSettings): CapacityInput {
  return {
    instanceTypes: env.cluster.nodeGroup.instanceTypes,
    maxNodes: env.cluster.nodeGroup.maxSize,
    prefixDelegation: env.cluster.prefixDelegation,
    privateSubnetCidrs: env.network.privateSubnetCidrs,
    interfaceEndpoints: interfaceEndpointServices(env.network).length,
  };
}

/** A service quota the environments of one account draw on together, in the stacks' region. */
export interface QuotaNeed {
  /** Service Quotas code, e.g. `L-0263D0A3`. */
  readonly code: string;
  readonly name: string;
  /** What every environment together uses at maximum size (nodes during an upgrade surge included). */
  readonly needed: number;
  /** AWS's default value of the quota; undefined where it varies by account (vCPUs). */
  readonly defaultValue?: number;
  /** How the figure is made up, per environment. */
  readonly detail: string;
}

/**
 * What the environments sharing one account need from the regional service quotas, computed from the
 * settings (README, "Deploy", lists them; a test keeps the list and the README in step).
 */
export function accountQuotaNeeds(environments: Readonly<Record<EnvironmentName, EnvironmentSettings>>): QuotaNeed[] {
  const envs = ENVIRONMENT_NAMES.map((name) => environments[name]);
  const natAzs = (env: EnvironmentSettings) => (env.network.natGateways === 'single' ? env.network.availabilityZones.slice(0, 1) : env.network.availabilityZones);
  const perEnv = (f: (env: EnvironmentSettings) => number) => envs.map((env) => `${env.name} ${f(env)}`).join(' + ');
  const sum = (f: (env: EnvironmentSettings) => number) => envs.reduce((total, env) => total + f(env), 0);
  const natsInAz = new Map<string, number>();
  for (const env of envs) for (const az of natAzs(env)) natsInAz.set(az, (natsInAz.get(az) ?? 0) + 1);
  const busiestAz = [...natsInAz.entries()].sort((a, b) => b[1] - a[1])[0];
  const vcpus = (env: EnvironmentSettings) => {
    const group = env.cluster.nodeGroup;
    const perNode = Math.max(...group.instanceTypes.map((type) => limitsOf(type).vcpus));
    return (group.maxSize + nodeUpgradeSurge(env.network.availabilityZones.length)) * perNode;
  };
  return [
    { code: 'L-0263D0A3', name: 'EC2-VPC Elastic IPs', needed: sum((env) => natAzs(env).length), defaultValue: 5, detail: `one per NAT gateway: ${perEnv((env) => natAzs(env).length)}` },
    { code: 'L-FE5A380F', name: 'NAT gateways per Availability Zone', needed: busiestAz[1], defaultValue: 5, detail: `${busiestAz[0]} holds one per environment with a gateway there` },
    { code: 'L-F678F1CE', name: 'VPCs per Region', needed: envs.length, defaultValue: 5, detail: 'one per environment' },
    { code: 'L-A4707A72', name: 'Internet gateways per Region', needed: envs.length, defaultValue: 5, detail: 'one per VPC' },
    {
      code: 'L-1216C47A',
      name: 'Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances, vCPUs',
      needed: sum(vcpus),
      detail: `(maxSize + upgrade surge) × vCPUs per node: ${perEnv(vcpus)}; the api-access instances come on top`,
    },
  ];
}

// ---------------------------------------------------------------------------------------------------------
// Pods: does the node group hold every pod the environment schedules? (docs/az-and-capacity.md)
// ---------------------------------------------------------------------------------------------------------

/**
 * Share of an instance's nominal memory the node does not report as capacity (kernel, firmware, hypervisor):
 * the default of Karpenter's `settings.vmMemoryOverheadPercent` (0.075 in the chart values of
 * ../shared/reference/charts/karpenter-1.14.1.values.yaml), AWS's own estimate for EKS nodes. A t3.medium
 * (4,096 MiB) reports about 3,789 MiB.
 */
export const VM_MEMORY_OVERHEAD = 0.075;
/** Kubelet hard eviction threshold of the EKS AMIs (`evictionHard: memory.available<100Mi`). */
export const EVICTION_HARD_MEMORY_MIB = 100;

/**
 * kube-reserved CPU of the EKS AMIs (AL2023 `nodeadm`, internal/kubelet/config.go; the AL2 bootstrap.sh
 * before it): 6 % of the first core, 1 % of the second, 0.5 % of the third and fourth, 0.25 % of the rest.
 */
export function kubeReservedCpuMillis(vcpus: number): number {
  const shares = [0.06, 0.01, 0.005, 0.005];
  let millis = 0;
  for (let core = 0; core < vcpus; core++) millis += 1000 * (shares[core] ?? 0.0025);
  return Math.round(millis);
}

/** kube-reserved memory of the EKS AMIs (same source): 11 MiB per pod the node may run, plus 255 MiB. */
export function kubeReservedMemoryMiB(maxPodsPerNode: number): number {
  return 11 * maxPodsPerNode + 255;
}

/** What the scheduler may place on one node: max pods, and CPU/memory after the reservations. */
export interface NodeAllocatable {
  readonly instanceType: string;
  readonly pods: number;
  readonly cpuMillis: number;
  readonly memoryMiB: number;
}

export function nodeAllocatable(instanceType: string, prefixDelegation: boolean): NodeAllocatable {
  const limits = limitsOf(instanceType);
  const pods = maxPods(instanceType, prefixDelegation);
  const capacityMiB = Math.floor(limits.memoryMiB * (1 - VM_MEMORY_OVERHEAD));
  return {
    instanceType,
    pods,
    cpuMillis: limits.vcpus * 1000 - kubeReservedCpuMillis(limits.vcpus),
    memoryMiB: capacityMiB - kubeReservedMemoryMiB(pods) - EVICTION_HARD_MEMORY_MIB,
  };
}

/** Requests of one pod (the sum over its long-running containers). */
export interface PodRequests {
  readonly cpuMillis: number;
  readonly memoryMiB: number;
}

/** One workload's pods as the environment schedules them. */
export interface ScheduledWorkload {
  /** `<namespace>/<name>`. */
  readonly name: string;
  /** Where the figures come from (`cluster: aws_eks_addon coredns`, `gitops/overlays/prod`, ...). */
  readonly source: string;
  /** Pods: a number, or `perNode` for a DaemonSet. */
  readonly replicas: number | 'perNode';
  /** Pods at the workload's maximum (HPA maxReplicas); the same as `replicas` without an HPA. */
  readonly maxReplicas?: number;
  readonly requests: PodRequests;
  /** Required pod anti-affinity on `kubernetes.io/hostname`: no two of its pods on one node. */
  readonly onePerNode?: boolean;
  /** `priorityClassName: system-cluster-critical` (or node-critical): the scheduler makes room for it first, preempting others. */
  readonly critical?: boolean;
  /** Each pod keeps an EBS volume (a PVC template): it can only run in the volume's AZ. */
  readonly zonalVolume?: boolean;
  /** A topology spread or anti-affinity on `topology.kubernetes.io/zone` places its pods in different AZs. */
  readonly zoneSpread?: boolean;
}

export interface PodFitInput {
  readonly instanceTypes: readonly string[];
  readonly nodes: number;
  readonly prefixDelegation: boolean;
  readonly workloads: readonly ScheduledWorkload[];
  /** Count each workload at `maxReplicas` (the HPA maxima) instead of `replicas`. */
  readonly atMaximum?: boolean;
}

export interface PodFitReport {
  readonly fits: boolean;
  readonly nodes: number;
  /** The node the check assumes (the smallest allocatable of the group's types: the autoscaler may pick it). */
  readonly node: NodeAllocatable;
  /** Pods in all: DaemonSet pods on every node plus the rest. */
  readonly podsNeeded: number;
  readonly podSlots: number;
  readonly daemonSetPodsPerNode: number;
  readonly cpuNeededMillis: number;
  readonly cpuAllocatableMillis: number;
  readonly memoryNeededMiB: number;
  readonly memoryAllocatableMiB: number;
  /** Pods the packing could not place (one-per-node rules kept), by workload. */
  readonly unplaced: readonly string[];
  readonly summary: string;
}

/**
 * Places every pod on `nodes` nodes of the group: DaemonSets on each node, then critical pods, pods with a
 * one-per-node rule, and the rest largest first, each on the least used node that has room for it (pods,
 * CPU and memory; the scheduler's default LeastAllocated scoring). Aggregate sums alone would pass a pod that
 * fits nowhere; the packing is what the scheduler has to do.
 */
export function checkPodFit(input: PodFitInput): PodFitReport {
  const node = input.instanceTypes.map((type) => nodeAllocatable(type, input.prefixDelegation)).sort((a, b) => a.pods - b.pods || a.cpuMillis - b.cpuMillis || a.memoryMiB - b.memoryMiB)[0];
  const count = (w: ScheduledWorkload): number => (w.replicas === 'perNode' ? 0 : input.atMaximum ? (w.maxReplicas ?? w.replicas) : w.replicas);
  const daemonSets = input.workloads.filter((w) => w.replicas === 'perNode');
  const perNode = daemonSets.reduce((sum, w) => ({ pods: sum.pods + 1, cpuMillis: sum.cpuMillis + w.requests.cpuMillis, memoryMiB: sum.memoryMiB + w.requests.memoryMiB }), { pods: 0, cpuMillis: 0, memoryMiB: 0 });
  const bins = Array.from({ length: input.nodes }, () => ({ pods: perNode.pods, cpuMillis: perNode.cpuMillis, memoryMiB: perNode.memoryMiB, workloads: new Set<string>() }));
  const pods = input.workloads
    .filter((w) => w.replicas !== 'perNode')
    .flatMap((w) => Array.from({ length: count(w) }, () => w))
    .sort(
      (a, b) =>
        // Critical pods first (the scheduler preempts for them), then one-per-node ones (the most constrained), then the largest.
        Number(Boolean(b.critical)) - Number(Boolean(a.critical)) ||
        Number(Boolean(b.onePerNode)) - Number(Boolean(a.onePerNode)) ||
        b.requests.cpuMillis / node.cpuMillis + b.requests.memoryMiB / node.memoryMiB - (a.requests.cpuMillis / node.cpuMillis + a.requests.memoryMiB / node.memoryMiB) ||
        a.name.localeCompare(b.name),
    );
  const unplaced = new Map<string, number>();
  // A node short of its own DaemonSets holds nothing else (and the check fails below).
  const daemonSetsFit = perNode.pods <= node.pods && perNode.cpuMillis <= node.cpuMillis && perNode.memoryMiB <= node.memoryMiB;
  for (const pod of pods) {
    // The scheduler's default scoring (LeastAllocated) puts a pod on the least used node that fits.
    const load = (b: (typeof bins)[number]) => b.cpuMillis / node.cpuMillis + b.memoryMiB / node.memoryMiB + b.pods / node.pods;
    const bin = daemonSetsFit
      ? bins
          .filter((b) => b.pods + 1 <= node.pods && b.cpuMillis + pod.requests.cpuMillis <= node.cpuMillis && b.memoryMiB + pod.requests.memoryMiB <= node.memoryMiB && !(pod.onePerNode && b.workloads.has(pod.name)))
          .sort((a, b) => load(a) - load(b))[0]
      : undefined;
    if (!bin) {
      unplaced.set(pod.name, (unplaced.get(pod.name) ?? 0) + 1);
      continue;
    }
    bin.pods += 1;
    bin.cpuMillis += pod.requests.cpuMillis;
    bin.memoryMiB += pod.requests.memoryMiB;
    bin.workloads.add(pod.name);
  }
  const podsNeeded = perNode.pods * input.nodes + pods.length;
  const cpuNeededMillis = perNode.cpuMillis * input.nodes + pods.reduce((s, p) => s + p.requests.cpuMillis, 0);
  const memoryNeededMiB = perNode.memoryMiB * input.nodes + pods.reduce((s, p) => s + p.requests.memoryMiB, 0);
  const fits = daemonSetsFit && unplaced.size === 0;
  const unplacedList = [...unplaced.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, n]) => `${name} ×${n}`);
  const summary =
    `${input.nodes} × ${node.instanceType} (${node.pods} pods, ${node.cpuMillis}m CPU, ${node.memoryMiB} MiB allocatable each): ` +
    `${podsNeeded} pods needed of ${node.pods * input.nodes} (${perNode.pods} DaemonSet pods per node), ` +
    `CPU ${cpuNeededMillis}m of ${node.cpuMillis * input.nodes}m, memory ${memoryNeededMiB} of ${node.memoryMiB * input.nodes} MiB requested` +
    (fits ? '' : `; does not fit: ${daemonSetsFit ? `no room for ${unplacedList.join(', ')}` : 'the DaemonSets alone exceed a node'}`);
  return {
    fits,
    nodes: input.nodes,
    node,
    podsNeeded,
    podSlots: node.pods * input.nodes,
    daemonSetPodsPerNode: perNode.pods,
    cpuNeededMillis,
    cpuAllocatableMillis: node.cpuMillis * input.nodes,
    memoryNeededMiB,
    memoryAllocatableMiB: node.memoryMiB * input.nodes,
    unplaced: unplacedList,
    summary,
  };
}
