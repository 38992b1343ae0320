/**
 * NetworkPolicy as the AWS VPC CNI enforces it on EKS, modelled offline:
 *
 * 1. The network policy controller (aws/amazon-network-policy-controller-k8s, pkg/resolvers/endpoints.go)
 *    resolves each policy into CIDR + port entries (PolicyEndpoints):
 *    - a rule without peers allows 0.0.0.0/0 and ::/0; an ipBlock peer its CIDR. For both, a NAMED
 *      port cannot be resolved (convertToPolicyInfoPortForCIDRs returns nil) and, when no port of the
 *      rule is left, the whole rule is dropped;
 *    - a pod peer resolves to the matching pods' IPs; egress ports are looked up in the destination
 *      pod (named ports by container port name), ingress ports in the pods the policy selects;
 *    - for egress pod peers, a Service's ClusterIP is added only when the peer's podSelector matches the
 *      Service's OWN selector as a label set (getMatchingServiceClusterIPs, aws/aws-network-policy-agent
 *      #460): the agent's eBPF probe on the pod's veth sees the ClusterIP before kube-proxy's DNAT.
 *      Headless Services are skipped (DNS gives pod IPs). The port becomes the Service port whose
 *      targetPort equals the rule's port (LookupServiceListenPort), else the one whose targetPort is
 *      the matching container port;
 * 2. the node agent (aws/aws-network-policy-agent, pkg/fwruleprocessor) always allows the node's own
 *    IP, skips IPv6 entries in an IPv4 cluster and enforces the rest with longest-prefix match: a
 *    link-local address (the EKS Pod Identity agent, 169.254.170.23) is an ordinary destination.
 * Standard semantics otherwise: a pod is isolated for a direction once a policy with that policyType
 * selects it; traffic is allowed when a rule of any selecting policy allows it; egress is checked at
 * the source pod (pre-DNAT), ingress at the destination pod (post-DNAT).
 */
import { BlockList, isIPv6 } from 'net';
import type { Manifest } from './manifests';

type Labels = Record<string, string>;
type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol: Protocol;
}

export interface Pod {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly ip: string;
  readonly ports: readonly ContainerPort[];
}

export interface ServicePort {
  readonly name?: string;
  readonly port: number;
  readonly targetPort: number | string;
  readonly protocol: Protocol;
}

export interface Service {
  readonly name: string;
  readonly namespace: string;
  readonly selector: Labels;
  /** `None` for headless. */
  readonly clusterIP: string;
  readonly ports: readonly ServicePort[];
}

export interface World {
  readonly nodeIP: string;
  readonly namespaces: Record<string, Labels>;
  readonly pods: readonly Pod[];
  readonly services: readonly Service[];
  readonly policies: readonly Manifest[];
  /** Cluster IP family: the agent skips entries of the other family. */
  readonly ipv6: boolean;
}

interface PortEntry {
  readonly protocol: Protocol;
  readonly port?: number;
  readonly endPort?: number;
}

interface Entry {
  readonly cidr: string;
  readonly except: readonly string[];
  /** Empty: every port and protocol. */
  readonly ports: readonly PortEntry[];
  readonly policy: string;
}

const matches = (selector: { matchLabels?: Labels; matchExpressions?: unknown[] } | undefined, labels: Labels): boolean => {
  if (selector === undefined) return true;
  if (selector.matchExpressions?.length) throw new Error('matchExpressions are not modelled');
  return Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
};

type RulePort = { port?: number | string; protocol?: Protocol; endPort?: number };
const protocolOf = (p: RulePort): Protocol => p.protocol ?? 'TCP';

/** convertToPolicyInfoPortForCIDRs: named ports cannot be resolved without a pod. */
function cidrPorts(ports: RulePort[]): PortEntry[] | undefined {
  const out: PortEntry[] = [];
  for (const p of ports) {
    if (p.port === undefined) out.push({ protocol: protocolOf(p) });
    else if (typeof p.port === 'string') continue;
    else out.push({ protocol: protocolOf(p), port: p.port, endPort: p.endPort });
  }
  return ports.length > 0 && out.length === 0 ? undefined : out;
}

/** LookupContainerPortAndName: a number passes even when the pod does not declare it. */
function containerPort(pod: Pod, port: number | string, protocol: Protocol): { port: number; name: string } | undefined {
  const found = pod.ports.find((cp) => cp.protocol === protocol && (typeof port === 'string' ? cp.name === port : cp.containerPort === port));
  if (found) return { port: found.containerPort, name: found.name ?? '' };
  return typeof port === 'number' ? { port, name: '' } : undefined;
}

function podPorts(pod: Pod, ports: RulePort[]): PortEntry[] | undefined {
  const out: PortEntry[] = [];
  for (const p of ports) {
    if (p.port === undefined) {
      out.push({ protocol: protocolOf(p) });
      continue;
    }
    const resolved = containerPort(pod, p.port, protocolOf(p));
    if (resolved) out.push({ protocol: protocolOf(p), port: resolved.port, endPort: p.endPort });
  }
  return ports.length !== out.length && out.length === 0 ? undefined : out;
}

function servicePort(world: World, svc: Service, port: number | string, protocol: Protocol): number | undefined {
  const direct = svc.ports.find((sp) => typeof sp.targetPort === typeof port && String(sp.targetPort) === String(port) && sp.protocol === protocol);
  if (direct) return direct.port;
  for (const pod of world.pods.filter((p) => p.namespace === svc.namespace && Object.keys(svc.selector).length > 0 && matches({ matchLabels: svc.selector }, p.labels))) {
    const cp = containerPort(pod, port, protocol);
    if (!cp) continue;
    const sp = svc.ports.find((s) => s.protocol === protocol && (typeof s.targetPort === 'string' ? s.targetPort === cp.name : s.targetPort === cp.port));
    if (sp) return sp.port;
  }
  return undefined;
}

interface Peer {
  podSelector?: { matchLabels?: Labels };
  namespaceSelector?: { matchLabels?: Labels };
  ipBlock?: { cidr: string; except?: string[] };
}

function peerNamespaces(world: World, peer: Peer, policyNs: string): string[] {
  if (!peer.namespaceSelector) return [policyNs];
  return Object.entries(world.namespaces).filter(([, labels]) => matches(peer.namespaceSelector, labels)).map(([n]) => n);
}

/** The PolicyEndpoints of one policy: ingress and egress entries. */
export function resolvePolicy(world: World, policy: Manifest): { ingress: Entry[]; egress: Entry[] } {
  const ns = policy.metadata.namespace ?? 'default';
  const name = `${ns}/${policy.metadata.name}`;
  const selected = world.pods.filter((p) => p.namespace === ns && matches(policy.spec.podSelector, p.labels));
  const ingress: Entry[] = [];
  const egress: Entry[] = [];
  const allowAll = (ports: RulePort[], into: Entry[]) => {
    const converted = cidrPorts(ports);
    if (converted === undefined) return;
    into.push({ cidr: '0.0.0.0/0', except: [], ports: converted, policy: name }, { cidr: '::/0', except: [], ports: converted, policy: name });
  };
  for (const rule of (policy.spec.ingress ?? []) as { from?: Peer[]; ports?: RulePort[] }[]) {
    const ports = rule.ports ?? [];
    if (rule.from === undefined) {
      allowAll(ports, ingress);
      continue;
    }
    for (const peer of rule.from) {
      if (peer.ipBlock) {
        const converted = cidrPorts(ports);
        if (converted) ingress.push({ cidr: peer.ipBlock.cidr, except: peer.ipBlock.except ?? [], ports: converted, policy: name });
        continue;
      }
      // getIngressRulesPorts: the ports resolved on the pods this policy selects
      const resolved = selected.flatMap((p) => podPorts(p, ports) ?? []);
      for (const n of peerNamespaces(world, peer, ns)) {
        for (const pod of world.pods.filter((p) => p.namespace === n && matches(peer.podSelector, p.labels))) {
          if (podPorts(pod, ports) === undefined) continue;
          ingress.push({ cidr: pod.ip, except: [], ports: resolved, policy: name });
        }
      }
    }
  }
  for (const rule of (policy.spec.egress ?? []) as { to?: Peer[]; ports?: RulePort[] }[]) {
    const ports = rule.ports ?? [];
    if (rule.to === undefined) {
      allowAll(ports, egress);
      continue;
    }
    for (const peer of rule.to) {
      if (peer.ipBlock) {
        const converted = cidrPorts(ports);
        if (converted) egress.push({ cidr: peer.ipBlock.cidr, except: peer.ipBlock.except ?? [], ports: converted, policy: name });
        continue;
      }
      for (const n of peerNamespaces(world, peer, ns)) {
        for (const pod of world.pods.filter((p) => p.namespace === n && matches(peer.podSelector, p.labels))) {
          const resolved = podPorts(pod, ports);
          if (resolved) egress.push({ cidr: pod.ip, except: [], ports: resolved, policy: name });
        }
        // resolveServiceClusterIPs: the peer's podSelector must match the Service's own selector
        for (const svc of world.services.filter((s) => s.namespace === n)) {
          if (svc.clusterIP === 'None' || svc.clusterIP === '') continue;
          if (!matches(peer.podSelector ?? {}, svc.selector)) continue;
          const svcPorts: PortEntry[] = [];
          for (const p of ports) {
            if (p.port === undefined) {
              svcPorts.push({ protocol: protocolOf(p) });
              continue;
            }
            const sp = servicePort(world, svc, p.port, protocolOf(p));
            if (sp !== undefined) svcPorts.push({ protocol: protocolOf(p), port: sp, endPort: p.endPort });
          }
          if (ports.length !== svcPorts.length && svcPorts.length === 0) continue;
          egress.push({ cidr: svc.clusterIP, except: [], ports: svcPorts, policy: name });
        }
      }
    }
  }
  return { ingress, egress };
}

const withMask = (cidr: string): string => (cidr.includes('/') ? cidr : `${cidr}/${isIPv6(cidr) ? 128 : 32}`);
const inCidrCache = new Map<string, boolean>();
function inCidr(ip: string, cidr: string): boolean {
  const key = `${ip} ${cidr}`;
  let hit = inCidrCache.get(key);
  if (hit === undefined) inCidrCache.set(key, (hit = inCidrUncached(ip, cidr)));
  return hit;
}
function inCidrUncached(ip: string, cidr: string): boolean {
  const [net, bits] = withMask(cidr).split('/');
  if (isIPv6(net) !== isIPv6(ip)) return false;
  const list = new BlockList();
  list.addSubnet(net, Number(bits), isIPv6(net) ? 'ipv6' : 'ipv4');
  return list.check(ip, isIPv6(ip) ? 'ipv6' : 'ipv4');
}

function entryAllows(world: World, e: Entry, ip: string, port: number, protocol: Protocol): boolean {
  if (isIPv6(e.cidr.split('/')[0]) !== world.ipv6) return false; // shouldSkipRule
  if (!inCidr(ip, e.cidr) || e.except.some((x) => inCidr(ip, x))) return false;
  if (e.ports.length === 0) return true;
  return e.ports.some((p) => p.protocol === protocol && (p.port === undefined || (port >= p.port && port <= (p.endPort ?? p.port))));
}

/** resolvePolicy per (world, policy), computed once: a sweep evaluates thousands of flows over the same world. */
const resolved = new WeakMap<World, WeakMap<Manifest, ReturnType<typeof resolvePolicy>>>();
function resolvedOnce(world: World, policy: Manifest): ReturnType<typeof resolvePolicy> {
  let perWorld = resolved.get(world);
  if (!perWorld) resolved.set(world, (perWorld = new WeakMap()));
  let entries = perWorld.get(policy);
  if (!entries) perWorld.set(policy, (entries = resolvePolicy(world, policy)));
  return entries;
}

const policyTypes = (p: Manifest): string[] => p.spec.policyTypes ?? ['Ingress', ...(p.spec.egress ? ['Egress'] : [])];

export type Verdict = { readonly allowed: true; readonly by: string[] } | { readonly allowed: false; readonly at: 'egress' | 'ingress' };

function check(world: World, pod: Pod, direction: 'Ingress' | 'Egress', ip: string, port: number, protocol: Protocol): { allowed: boolean; by: string[] } {
  const selecting = world.policies.filter((p) => (p.metadata.namespace ?? 'default') === pod.namespace && policyTypes(p).includes(direction) && matches(p.spec.podSelector, pod.labels));
  if (selecting.length === 0) return { allowed: true, by: ['not isolated'] };
  if (ip === world.nodeIP) return { allowed: true, by: ['node IP'] };
  const by: string[] = [];
  for (const p of selecting) {
    const entries = resolvedOnce(world, p)[direction === 'Ingress' ? 'ingress' : 'egress'];
    if (entries.some((e) => entryAllows(world, e, ip, port, protocol))) by.push(p.metadata.name);
  }
  return { allowed: by.length > 0, by };
}

/** A destination: a Service by name and port name/number, a pod by name and port, or an address outside the cluster's pods. */
export type Destination =
  | { readonly service: string; readonly namespace?: string; readonly port: string | number; readonly protocol?: Protocol }
  | { readonly ip: string; readonly port: number; readonly protocol?: Protocol };

/** A flow from a pod (by name) or from an address (ALB, node) to a destination, as the VPC CNI decides it. */
export function evaluate(world: World, from: { pod: string } | { ip: string }, to: Destination): Verdict {
  const protocol = to.protocol ?? 'TCP';
  const src = 'pod' in from ? world.pods.find((p) => p.name === from.pod) : undefined;
  if ('pod' in from && !src) throw new Error(`no pod ${from.pod}`);
  const srcIP = src ? src.ip : (from as { ip: string }).ip;
  // where the packet goes before DNAT (what the source's egress probe sees), and after (the pod)
  let preIP: string;
  let prePort: number;
  let target: { pod: Pod; port: number } | undefined;
  if ('service' in to) {
    const svc = world.services.find((s) => s.name === to.service && s.namespace === (to.namespace ?? src?.namespace));
    if (!svc) throw new Error(`no Service ${to.service}`);
    const sp = svc.ports.find((p) => (typeof to.port === 'string' ? p.name === to.port : p.port === to.port) && p.protocol === protocol);
    if (!sp) throw new Error(`Service ${svc.name} has no port ${to.port}/${protocol}`);
    const backends = world.pods.filter((p) => p.namespace === svc.namespace && matches({ matchLabels: svc.selector }, p.labels));
    if (backends.length === 0) throw new Error(`Service ${svc.name} selects no pod`);
    const pod = backends[0];
    const cp = typeof sp.targetPort === 'string' ? pod.ports.find((p) => p.name === sp.targetPort)?.containerPort : sp.targetPort;
    if (cp === undefined) throw new Error(`Service ${svc.name}: targetPort ${sp.targetPort} not on ${pod.name}`);
    target = { pod, port: cp };
    if (svc.clusterIP === 'None') {
      preIP = pod.ip; // headless: DNS answers with the pod IP
      prePort = cp;
    } else {
      preIP = svc.clusterIP;
      prePort = sp.port;
    }
  } else {
    preIP = to.ip;
    prePort = to.port;
    const pod = world.pods.find((p) => p.ip === to.ip);
    if (pod) target = { pod, port: to.port };
  }
  if (src) {
    const out = check(world, src, 'Egress', preIP, prePort, protocol);
    if (!out.allowed) return { allowed: false, at: 'egress' };
  }
  if (target) {
    const inbound = check(world, target.pod, 'Ingress', srcIP, target.port, protocol);
    if (!inbound.allowed) return { allowed: false, at: 'ingress' };
  }
  return { allowed: true, by: [] };
}

/** Pods and Services of a rendered overlay, with addresses, plus kube-system's CoreDNS (EKS add-on labels). */
export function worldOf(objects: Manifest[], namespace: string, namespaceLabels: Labels, address: { nodeIP: string; podCidrPrefix: string }): World {
  const pods: Pod[] = [];
  const workloads = objects.filter((o) => ['Deployment', 'StatefulSet', 'Job', 'DaemonSet'].includes(o.kind));
  workloads.forEach((w, i) => {
    const tmpl = w.spec.template;
    pods.push({
      name: w.metadata.name,
      namespace,
      labels: tmpl.metadata?.labels ?? {},
      ip: `${address.podCidrPrefix}.${20 + i}`,
      ports: (tmpl.spec.containers as { ports?: { name?: string; containerPort: number; protocol?: Protocol }[] }[]).flatMap((c) =>
        (c.ports ?? []).map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol ?? 'TCP' }))),
    });
  });
  pods.push({
    name: 'coredns',
    namespace: 'kube-system',
    labels: { 'k8s-app': 'kube-dns', 'eks.amazonaws.com/component': 'coredns' },
    ip: `${address.podCidrPrefix}.250`,
    ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' }],
  });
  const services: Service[] = objects
    .filter((o) => o.kind === 'Service')
    .map((s, i) => ({
      name: s.metadata.name,
      namespace,
      selector: s.spec.selector ?? {},
      clusterIP: s.spec.clusterIP === 'None' ? 'None' : `172.20.${10 + i}.${10 + i}`,
      ports: (s.spec.ports as { name?: string; port: number; targetPort?: number | string; protocol?: Protocol }[]).map((p) => ({
        name: p.name, port: p.port, targetPort: p.targetPort ?? p.port, protocol: p.protocol ?? 'TCP',
      })),
    }));
  services.push({
    name: 'kube-dns',
    namespace: 'kube-system',
    selector: { 'k8s-app': 'kube-dns' },
    clusterIP: '172.20.0.10',
    ports: [{ name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, targetPort: 53, protocol: 'TCP' }],
  });
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy').map((p) => ({ ...p, metadata: { ...p.metadata, namespace } }));
  return {
    nodeIP: address.nodeIP,
    namespaces: {
      [namespace]: { 'kubernetes.io/metadata.name': namespace, ...namespaceLabels },
      'kube-system': { 'kubernetes.io/metadata.name': 'kube-system' },
    },
    pods,
    services,
    policies,
    ipv6: false,
  };
}
