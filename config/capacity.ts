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
}

/**
 * Source: Amazon EC2 User Guide, "Maximum IP addresses per network interface"
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/AvailableIpPerENI.html), and the VPC CNI's
 * `eni-max-pods.txt` (https://github.com/aws/amazon-vpc-cni-k8s/blob/master/misc/eni-max-pods.txt).
 * Add a type here (with both sources checked) before using it in `environments.ts`.
 */
export const INSTANCE_NETWORK_LIMITS: Readonly<Record<string, InstanceNetworkLimits>> = {
  't3.small': { maxEnis: 3, ipsPerEni: 4, vcpus: 2 },
  't3.medium': { maxEnis: 3, ipsPerEni: 6, vcpus: 2 },
  't3.large': { maxEnis: 3, ipsPerEni: 12, vcpus: 2 },
  't3.xlarge': { maxEnis: 4, ipsPerEni: 15, vcpus: 4 },
  't3.2xlarge': { maxEnis: 4, ipsPerEni: 15, vcpus: 8 },
  'm5.large': { maxEnis: 3, ipsPerEni: 10, vcpus: 2 },
  'm5.xlarge': { maxEnis: 4, ipsPerEni: 15, vcpus: 4 },
  'm6i.large': { maxEnis: 3, ipsPerEni: 10, vcpus: 2 },
  'm6i.xlarge': { maxEnis: 4, ipsPerEni: 15, vcpus: 4 },
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

function limitsOf(instanceType: string): InstanceNetworkLimits {
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
