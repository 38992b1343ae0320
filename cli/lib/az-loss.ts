/**
 * What an environment keeps when one Availability Zone is lost, read from its synthesized configuration
 * (the Terraform JSON of the network, cluster, data and argocd stacks) and its rendered GitOps manifests.
 * Each AZ is taken away in turn; each tier says what still works, how it recovers and in what time
 * (docs/az-and-capacity.md). Pure functions of their input: the test builds variants of the JSON (a NAT
 * route moved, `multi_az` off) and checks that the outcome changes.
 */
import { parse as parseYaml } from 'yaml';
import { AcceptedAzLoss, AzTier, AZ_TIERS, EnvironmentName } from '../../config/settings';
import { PodFitReport, ScheduledWorkload, checkPodCapacity, checkPodFit } from '../../config/capacity';
import { KubeObject, isAlbIngress } from './gitops-render';
import { TerraformJson } from './synth-app';
import { Resource, referencesIn } from './terraform-json';

export type TierStatus = 'survives' | 'degraded' | 'at risk' | 'down';

/** One tier after the loss of one AZ. */
export interface TierOutcome {
  readonly tier: AzTier;
  readonly lostAz: string;
  readonly status: TierStatus;
  /** What still works, or what stops, with the resources named. */
  readonly detail: string;
  /** How long until the tier serves again (and how): `0` when nothing stops. */
  readonly rto: string;
  /** The accepted reason from the settings, when a `down` is accepted. */
  readonly accepted?: string;
}

export interface AzLossInput {
  readonly env: EnvironmentName;
  /** Stack ID → synthesized Terraform JSON (network, cluster, data and argocd are read). */
  readonly stacks: Readonly<Record<string, TerraformJson>>;
  /** The rendered services overlay (`gitops/overlays/<env>`): Deployments, HPAs, PDBs, Ingresses. */
  readonly services: readonly KubeObject[];
  /** Every pod the environment schedules (cli/lib/workloads.ts). */
  readonly workloads: readonly ScheduledWorkload[];
  readonly acceptedLosses: readonly AcceptedAzLoss[];
}

export interface AzLossReport {
  readonly env: EnvironmentName;
  readonly availabilityZones: readonly string[];
  readonly outcomes: readonly TierOutcome[];
  /** Pod capacity of the node group at its minimum (min replicas) and maximum (HPA maxima) size, all AZs up. */
  readonly capacity: { readonly atMinimum: PodFitReport; readonly atMaximum: PodFitReport };
  /** Outcomes `down` without an accepted reason. */
  readonly failures: readonly TierOutcome[];
  /** Acceptances that match no outage (stale): each is an error, like a stale policy exception. */
  readonly staleAcceptances: readonly string[];
}

/**
 * Recovery times the table quotes, with where they come from. Estimates are said to be estimates.
 */
export const RECOVERY = {
  /** Node NotReady after the kubelet's 50 s grace period, then the default 300 s not-ready/unreachable toleration. */
  podEviction: '~6 min (node NotReady after 50 s, pods evicted after the 300 s default toleration, then recreated)',
  /** EC2 launch and nodeadm join: an estimate (AWS publishes none). */
  nodeLaunch: '~3 min a node (EC2 launch and join; estimate)',
  /** RDS User Guide, "Failing over a Multi-AZ DB instance": "Failover times are typically 60–120 seconds". */
  rdsFailover: '60-120 s (RDS Multi-AZ failover; the endpoint name stays)',
  /** ElastiCache "Minimizing downtime ... Multi-AZ": replica promoted, primary endpoint DNS follows; no figure published. */
  cacheFailover: '~1-2 min (replica promoted, the primary endpoint follows; estimate, AWS gives no figure)',
  /** ELB health checks take the AZ's load balancer nodes out of its DNS name (60 s TTL). */
  loadBalancer: '~1 min (the AZ\'s load balancer nodes leave its DNS name, 60 s TTL)',
  /** RDS archives transaction logs every 5 minutes: the latest restorable time is about 5 minutes back. */
  pitr: 'point-in-time restore to a new instance in a surviving AZ: tens of minutes for its storage (not measured here), data up to ~5 min old (RPO)',
} as const;

// ---------------------------------------------------------------------------------------------------------
// Reading the synthesized configuration
// ---------------------------------------------------------------------------------------------------------

const REMOTE_STATE = 'cross-stack-reference-input-';

/** The resource an expression points at, following a cross-stack `terraform_remote_state` output to its producer. */
export function resolveAcross(stacks: AzLossInput['stacks'], json: TerraformJson, expression: unknown): (Resource & { stack: string }) | undefined {
  for (const ref of referencesIn(expression)) {
    if (ref.data && ref.type === 'terraform_remote_state' && ref.output && ref.name.startsWith(REMOTE_STATE)) {
      const producer = ref.name.slice(REMOTE_STATE.length);
      const producerJson = stacks[producer];
      const value = producerJson?.output?.[ref.output]?.value;
      if (value === undefined) return undefined;
      const found = resolveAcross(stacks, producerJson, value);
      if (found) return found;
      continue;
    }
    if (ref.data) continue;
    for (const [stack, candidate] of Object.entries(stacks)) {
      if (candidate !== json) continue;
      const config = candidate.resource?.[ref.type]?.[ref.name];
      if (config) return { stack, type: ref.type, name: ref.name, config, path: ref.name };
    }
  }
  return undefined;
}

interface Subnet {
  readonly name: string;
  readonly az: string;
  readonly cidr: string;
  readonly label: string;
  readonly tags: Readonly<Record<string, string>>;
}

const entries = (json: TerraformJson | undefined, type: string): [string, any][] => Object.entries(json?.resource?.[type] ?? {});

function subnetsOf(network: TerraformJson): Map<string, Subnet> {
  return new Map(
    entries(network, 'aws_subnet').map(([name, c]) => [name, { name, az: String(c.availability_zone), cidr: String(c.cidr_block), label: String(c.tags?.Name ?? name), tags: c.tags ?? {} }]),
  );
}

/** The subnet an expression names (same stack or another one's output). */
function subnetAt(input: AzLossInput, json: TerraformJson, expression: unknown, subnets: Map<string, Subnet>): Subnet | undefined {
  const found = resolveAcross(input.stacks, json, expression);
  return found?.type === 'aws_subnet' ? subnets.get(found.name) : undefined;
}

const uniq = <T>(items: readonly T[]): T[] => [...new Set(items)];

// ---------------------------------------------------------------------------------------------------------
// Tiers
// ---------------------------------------------------------------------------------------------------------

type TierCheck = (lost: string) => Omit<TierOutcome, 'tier' | 'lostAz' | 'accepted'>;

function natTier(input: AzLossInput, subnets: Map<string, Subnet>, nodeSubnets: readonly Subnet[]): TierCheck {
  const network = input.stacks.network;
  const nats = new Map(entries(network, 'aws_nat_gateway').map(([name, c]) => [name, { name, label: String(c.tags?.Name ?? name), subnet: subnetAt(input, network, c.subnet_id, subnets) }]));
  const defaultRoute = new Map<string, { nat?: string; gateway?: string }>();
  for (const [, route] of entries(network, 'aws_route')) {
    if (route.destination_cidr_block !== '0.0.0.0/0') continue;
    const table = referencesIn(route.route_table_id)[0]?.name;
    if (!table) continue;
    defaultRoute.set(table, { nat: route.nat_gateway_id ? referencesIn(route.nat_gateway_id)[0]?.name : undefined, gateway: route.gateway_id });
  }
  const tableOf = new Map<string, string>();
  for (const [, association] of entries(network, 'aws_route_table_association')) {
    const subnet = referencesIn(association.subnet_id)[0]?.name;
    const table = referencesIn(association.route_table_id)[0]?.name;
    if (subnet && table) tableOf.set(subnet, table);
  }
  // Private subnets: where the nodes run, and any subnet whose default route goes to a NAT gateway.
  const privateSubnets = uniq([...nodeSubnets, ...[...subnets.values()].filter((s) => defaultRoute.get(tableOf.get(s.name) ?? '')?.nat)]).sort((a, b) => a.az.localeCompare(b.az));
  const endpoints = entries(network, 'aws_vpc_endpoint').filter(([, c]) => c.vpc_endpoint_type === 'Interface').map(([, c]) => String(c.service_name).split('.').slice(3).join('.'));
  return (lost) => {
    const surviving = privateSubnets.filter((s) => s.az !== lost);
    if (surviving.length === 0) return { status: 'down', detail: `no private subnet outside ${lost}`, rto: 'until the AZ returns' };
    const paths = surviving.map((s) => {
      const route = defaultRoute.get(tableOf.get(s.name) ?? '');
      const nat = route?.nat ? nats.get(route.nat) : undefined;
      const ok = nat?.subnet !== undefined && nat.subnet.az !== lost;
      return { ok, text: nat ? `${s.label} → ${nat.label} (${nat.subnet?.az ?? 'unknown AZ'})` : `${s.label} → no NAT route` };
    });
    const broken = paths.filter((p) => !p.ok);
    const viaEndpoints = endpoints.length > 0 ? `; ${endpoints.join(', ')} stay reachable through interface endpoints` : '';
    if (broken.length === 0) return { status: 'survives', detail: `${paths.map((p) => p.text).join(', ')}: egress kept`, rto: '0 (the surviving subnets never used the lost gateway)' };
    return {
      status: 'down',
      detail: `${broken.map((p) => p.text).join(', ')}: no egress to the internet from the surviving AZ (image pulls, AWS APIs)${viaEndpoints}`,
      rto: 'until the AZ returns, or a route to a gateway in a surviving AZ (natGateways: one-per-az)',
    };
  };
}

function controlPlaneTier(input: AzLossInput, subnets: Map<string, Subnet>): TierCheck {
  const cluster = input.stacks.cluster;
  const eks = entries(cluster, 'aws_eks_cluster')[0]?.[1];
  const azs = uniq(((eks?.vpc_config?.subnet_ids ?? []) as unknown[]).map((id) => subnetAt(input, cluster, id, subnets)?.az).filter((az): az is string => Boolean(az)));
  return (lost) => {
    const left = azs.filter((az) => az !== lost);
    if (left.length === 0) return { status: 'down', detail: `control plane ENIs only in ${lost}`, rto: 'until the AZ returns' };
    return { status: 'survives', detail: `AWS runs the control plane across AZs; its ENIs stay in ${left.join(', ')}`, rto: '0' };
  };
}

interface NodeGroupFacts {
  readonly subnets: readonly Subnet[];
  readonly instanceTypes: readonly string[];
  readonly minSize: number;
  readonly maxSize: number;
  readonly prefixDelegation: boolean;
  readonly interfaceEndpoints: number;
}

function nodeGroupFacts(input: AzLossInput, subnets: Map<string, Subnet>): NodeGroupFacts {
  const cluster = input.stacks.cluster;
  const group = entries(cluster, 'aws_eks_node_group')[0]?.[1];
  if (!group) throw new Error(`${input.env}: the cluster stack has no aws_eks_node_group`);
  const cni = entries(cluster, 'aws_eks_addon').find(([, c]) => c.addon_name === 'vpc-cni')?.[1];
  const cniConfig = cni?.configuration_values ? JSON.parse(cni.configuration_values) : {};
  return {
    subnets: ((group.subnet_ids ?? []) as unknown[]).map((id) => subnetAt(input, cluster, id, subnets)).filter((s): s is Subnet => Boolean(s)),
    instanceTypes: group.instance_types,
    minSize: Number(group.scaling_config.min_size),
    maxSize: Number(group.scaling_config.max_size),
    prefixDelegation: String(cniConfig.env?.ENABLE_PREFIX_DELEGATION) === 'true',
    interfaceEndpoints: entries(input.stacks.network, 'aws_vpc_endpoint').filter(([, c]) => c.vpc_endpoint_type === 'Interface').length,
  };
}

function nodeCapacityTier(input: AzLossInput, group: NodeGroupFacts): TierCheck {
  const azs = uniq(group.subnets.map((s) => s.az));
  const fit = (nodes: number) => checkPodFit({ instanceTypes: group.instanceTypes, nodes, prefixDelegation: group.prefixDelegation, workloads: input.workloads });
  return (lost) => {
    const left = group.subnets.filter((s) => s.az !== lost);
    if (left.length === 0) return { status: 'down', detail: `the node group has subnets only in ${lost}`, rto: 'until the AZ returns' };
    // Worst case: the ASG balances the minimum over its AZs and the lost AZ held the larger share.
    const lostShare = azs.includes(lost) ? Math.ceil(group.minSize / azs.length) : 0;
    const now = group.minSize - lostShare;
    const addresses = checkPodCapacity({ instanceTypes: group.instanceTypes, maxNodes: group.maxSize, prefixDelegation: group.prefixDelegation, privateSubnetCidrs: left.map((s) => s.cidr), interfaceEndpoints: group.interfaceEndpoints });
    const needed = Array.from({ length: group.maxSize - now + 1 }, (_, i) => now + i).find((n) => n > 0 && fit(n).fits);
    const base = `${now} of ${group.minSize} nodes left at minimum size in ${uniq(left.map((s) => s.az)).join(', ')}`;
    if (needed === undefined || !addresses.fits) {
      const why = needed === undefined ? `even ${group.maxSize} nodes (maxSize) do not hold the pods at minimum replicas: ${fit(group.maxSize).summary}` : `the surviving private subnets lack addresses: ${addresses.summary}`;
      return { status: 'down', detail: `${base}; ${why}`, rto: 'until the AZ returns (raise maxSize or the subnets)' };
    }
    if (needed === now) return { status: 'survives', detail: `${base} hold every pod at minimum replicas (${fit(now).podsNeeded} pods of ${fit(now).podSlots})`, rto: `0 for replicas already there; the lost AZ's pods: ${RECOVERY.podEviction}` };
    const pending = fit(now).unplaced;
    return {
      status: 'degraded',
      detail: `${base} hold ${now === 0 ? 'nothing' : `${fit(now).podSlots} pod slots`} (${pending.length > 0 ? `no room for ${pending.join(', ')}` : 'short'}); the autoscaler grows the group to ${needed} nodes there (maxSize ${group.maxSize}), which hold them all`,
      rto: `${RECOVERY.podEviction}, then ${RECOVERY.nodeLaunch} for ${needed - now} node(s)`,
    };
  };
}

/** PDB disruptions allowed at `replicas` pods (what a drain may evict at once). */
export function allowedDisruptions(pdb: KubeObject, replicas: number): number {
  const value = (v: unknown, roundUp: boolean): number => {
    if (typeof v === 'string' && v.endsWith('%')) return (roundUp ? Math.ceil : Math.floor)((Number(v.slice(0, -1)) / 100) * replicas);
    return Number(v);
  };
  if (pdb.spec?.maxUnavailable !== undefined) return value(pdb.spec.maxUnavailable, true);
  if (pdb.spec?.minAvailable !== undefined) return replicas - value(pdb.spec.minAvailable, true);
  return replicas;
}

const ZONE = 'topology.kubernetes.io/zone';
const selects = (selector: any, labels: Record<string, string> | undefined): boolean =>
  Boolean(selector?.matchLabels) && Object.entries(selector.matchLabels as Record<string, string>).every(([k, v]) => labels?.[k] === v);

function servicesTier(input: AzLossInput): TierCheck {
  const hpas = input.services.filter((o) => o.kind === 'HorizontalPodAutoscaler');
  const pdbs = input.services.filter((o) => o.kind === 'PodDisruptionBudget');
  const apps = input.services.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');
  const facts = apps.map((o) => {
    const hpa = hpas.find((h) => h.spec?.scaleTargetRef?.name === o.metadata.name && h.spec?.scaleTargetRef?.kind === o.kind);
    const min = hpa ? Number(hpa.spec.minReplicas ?? 1) : Number(o.spec?.replicas ?? 1);
    const spec = o.spec?.template?.spec ?? {};
    const zoneSpread = ((spec.topologySpreadConstraints ?? []) as any[]).find((t) => t.topologyKey === ZONE);
    const pdb = pdbs.find((p) => selects(p.spec?.selector, o.spec?.template?.metadata?.labels));
    const volumes = o.kind === 'StatefulSet' && (o.spec?.volumeClaimTemplates ?? []).length > 0;
    return { name: `${o.kind === 'StatefulSet' ? 'statefulset/' : ''}${o.metadata.name}`, min, zoneSpread, pdb, volumes };
  });
  return (lost) => {
    const findings: { status: TierStatus; text: string }[] = [];
    for (const f of facts) {
      if (f.pdb && allowedDisruptions(f.pdb, f.min) < 1) findings.push({ status: 'down', text: `${f.name}: its PDB ${f.pdb.metadata.name} allows no eviction at ${f.min} replicas, so the drain of the lost AZ's nodes stalls` });
      if (f.volumes && f.min < 2) findings.push({ status: 'down', text: `${f.name}: 1 replica on a zonal EBS volume, unavailable while its AZ is lost (if it is ${lost})` });
      else if (f.min < 2) findings.push({ status: 'down', text: `${f.name}: 1 replica, down until recreated if it ran in ${lost}` });
      else if (!f.zoneSpread) findings.push({ status: 'at risk', text: `${f.name}: ${f.min} replicas without a zone spread may all run in ${lost}` });
      else if (f.zoneSpread.whenUnsatisfiable === 'DoNotSchedule') findings.push({ status: 'at risk', text: `${f.name}: zone spread DoNotSchedule keeps replacements Pending while the lost AZ's nodes are still registered` });
    }
    const worst = (['down', 'at risk'] as TierStatus[]).find((s) => findings.some((f) => f.status === s));
    const spread = facts.filter((f) => f.min >= 2 && f.zoneSpread && f.zoneSpread.whenUnsatisfiable !== 'DoNotSchedule');
    const withPdb = facts.filter((f) => f.pdb).length;
    const summary = `${spread.length} of ${facts.length} workloads keep replicas in the other AZ (minimum ≥ 2, zone spread ScheduleAnyway)${withPdb ? `, ${withPdb} PDBs allow the drain` : ', no PDBs (the drain evicts freely)'}`;
    if (!worst) return { status: 'degraded', detail: `${summary}; fewer replicas serve until the lost ones are recreated`, rto: `0 (the other AZ's replicas serve); full capacity after ${RECOVERY.podEviction}` };
    return { status: worst, detail: `${findings.map((f) => f.text).join('; ')}. ${summary}`, rto: worst === 'down' ? `${RECOVERY.podEviction} for pods without a volume; a zonal volume waits for its AZ` : '0 if a replica runs elsewhere, else as for 1 replica' };
  };
}

function postgresTier(input: AzLossInput): TierCheck {
  const instances = entries(input.stacks.data, 'aws_db_instance').map(([name, c]) => ({ name: String(c.identifier ?? name), multiAz: c.multi_az === true, az: c.availability_zone as string | undefined, backups: Number(c.backup_retention_period ?? 0) }));
  return (lost) => {
    if (instances.length === 0) return { status: 'survives', detail: 'no RDS instance', rto: '0' };
    const results = instances.map((db): { status: TierStatus; text: string; rto: string } => {
      if (db.multiAz) return { status: 'degraded', text: `${db.name}: Multi-AZ, fails over to the standby in the other AZ`, rto: RECOVERY.rdsFailover };
      if (db.az && db.az !== lost) return { status: 'survives', text: `${db.name}: single-AZ in ${db.az}, not the lost one`, rto: '0' };
      const where = db.az ? `in ${db.az}` : 'placed by RDS in either AZ, so possibly the lost one';
      if (db.backups < 1) return { status: 'down', text: `${db.name}: single-AZ ${where}, and no automated backups: no restore path`, rto: 'until the AZ returns' };
      return { status: 'down', text: `${db.name}: single-AZ ${where}; ${db.backups}-day backups allow a point-in-time restore`, rto: `until the AZ returns, or ${RECOVERY.pitr}` };
    });
    const worst = (['down', 'degraded', 'at risk', 'survives'] as TierStatus[]).find((s) => results.some((r) => r.status === s))!;
    return { status: worst, detail: results.map((r) => r.text).join('; '), rto: results.find((r) => r.status === worst)!.rto };
  };
}

function redisTier(input: AzLossInput): TierCheck {
  const groups = entries(input.stacks.data, 'aws_elasticache_replication_group').map(([name, c]) => ({
    name: String(c.replication_group_id ?? name),
    nodes: Number(c.num_cache_clusters ?? (Number(c.num_node_groups ?? 1) * (Number(c.replicas_per_node_group ?? 0) + 1))),
    failover: c.automatic_failover_enabled === true,
    multiAz: c.multi_az_enabled === true,
    azs: (c.preferred_cache_cluster_azs ?? []) as string[],
    snapshots: Number(c.snapshot_retention_limit ?? 0),
  }));
  return (lost) => {
    if (groups.length === 0) return { status: 'survives', detail: 'no ElastiCache replication group', rto: '0' };
    const results = groups.map((g): { status: TierStatus; text: string; rto: string } => {
      const others = g.azs.filter((az) => az !== lost);
      if (g.azs.length > 0 && !g.azs.includes(lost)) return { status: 'survives', text: `${g.name}: no node in ${lost}`, rto: '0' };
      if (g.nodes >= 2 && g.failover && g.multiAz && (g.azs.length === 0 || others.length > 0)) {
        return { status: 'degraded', text: `${g.name}: ${g.nodes} nodes, Multi-AZ with automatic failover: the replica${others.length ? ` in ${others.join(', ')}` : ''} is promoted`, rto: RECOVERY.cacheFailover };
      }
      const missing = [g.nodes < 2 ? `${g.nodes} node` : '', !g.failover ? 'no automatic failover' : '', !g.multiAz ? 'Multi-AZ off' : ''].filter(Boolean).join(', ');
      return { status: 'down', text: `${g.name}: ${missing}; no replica takes over`, rto: g.snapshots > 0 ? `until the AZ returns, or a new node from the last daily snapshot (${g.snapshots} kept)` : 'until the AZ returns (no snapshots: the cache starts empty)' };
    });
    const worst = (['down', 'degraded', 'at risk', 'survives'] as TierStatus[]).find((s) => results.some((r) => r.status === s))!;
    return { status: worst, detail: results.map((r) => r.text).join('; '), rto: results.find((r) => r.status === worst)!.rto };
  };
}

/** ALB Ingresses: the services overlay's and the argocd stack's (Argo CD's Ingress in the argo-cd values). */
function loadBalancerTier(input: AzLossInput, subnets: Map<string, Subnet>): TierCheck {
  const ingresses: { name: string; annotations: Record<string, string> }[] = input.services.filter(isAlbIngress).map((o) => ({ name: `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`, annotations: o.metadata.annotations ?? {} }));
  for (const [, release] of entries(input.stacks.argocd, 'helm_release')) {
    if (release.chart !== 'argo-cd') continue;
    // The argo-cd values are YAML; only the Ingress annotations matter here.
    const values = Object.assign({}, ...((release.values ?? []) as string[]).map((t) => parseYaml(t) ?? {}));
    const ingress = values.server?.ingress;
    if (ingress?.enabled && ingress.ingressClassName === 'alb') ingresses.push({ name: 'argocd/argocd-server', annotations: ingress.annotations ?? {} });
  }
  const albs = new Map<string, { scheme: string; subnetsAnnotation?: string; members: string[] }>();
  for (const ingress of ingresses) {
    const key = ingress.annotations['alb.ingress.kubernetes.io/group.name'] ?? ingress.name;
    const alb = albs.get(key) ?? { scheme: 'internal', members: [] };
    alb.members.push(ingress.name);
    if (ingress.annotations['alb.ingress.kubernetes.io/scheme'] === 'internet-facing') alb.scheme = 'internet-facing';
    alb.subnetsAnnotation ??= ingress.annotations['alb.ingress.kubernetes.io/subnets'];
    albs.set(key, alb);
  }
  const azsOf = (alb: { scheme: string; subnetsAnnotation?: string }): string[] => {
    if (alb.subnetsAnnotation) {
      const wanted = alb.subnetsAnnotation.split(',').map((s) => s.trim());
      return uniq([...subnets.values()].filter((s) => wanted.includes(s.tags.Name ?? '') || wanted.includes(s.name)).map((s) => s.az));
    }
    // Subnet discovery of the AWS Load Balancer Controller: the role tag of the scheme.
    const tag = alb.scheme === 'internet-facing' ? 'kubernetes.io/role/elb' : 'kubernetes.io/role/internal-elb';
    return uniq([...subnets.values()].filter((s) => s.tags[tag] === '1' || s.tags[tag] === '').map((s) => s.az)).sort();
  };
  return (lost) => {
    if (albs.size === 0) return { status: 'survives', detail: 'no ALB Ingress', rto: '0' };
    const results = [...albs.entries()].map(([key, alb]) => {
      const azs = azsOf(alb);
      const left = azs.filter((az) => az !== lost);
      // An ALB needs subnets in two AZs to exist at all; after the loss it serves from what is left.
      const ok = azs.length >= 2 && left.length >= 1;
      return { ok, text: `${key} (${alb.scheme}, ${alb.members.length} Ingress${alb.members.length > 1 ? 'es' : ''}): subnets in ${azs.join(', ') || 'no AZ'}${ok ? `, serves from ${left.join(', ')}` : ''}` };
    });
    const broken = results.filter((r) => !r.ok);
    if (broken.length === 0) return { status: 'degraded', detail: results.map((r) => r.text).join('; '), rto: RECOVERY.loadBalancer };
    return { status: 'down', detail: `${broken.map((r) => r.text).join('; ')}: needs tagged subnets in two AZs`, rto: 'until the AZ returns' };
  };
}

function apiAccessTier(input: AzLossInput, subnets: Map<string, Subnet>): TierCheck {
  const cluster = input.stacks.cluster;
  const isHost = (c: any): boolean => c.tags?.['tiketi:role'] === 'api-access' || ((c.tag ?? []) as any[]).some((t) => t.key === 'tiketi:role' && t.value === 'api-access');
  const instances = entries(cluster, 'aws_instance').filter(([, c]) => isHost(c)).map(([name, c]) => ({ name, subnet: subnetAt(input, cluster, c.subnet_id, subnets) }));
  const groups = entries(cluster, 'aws_autoscaling_group')
    .filter(([, c]) => isHost(c))
    .map(([name, c]) => ({ name, azs: uniq(((c.vpc_zone_identifier ?? []) as unknown[]).map((id) => subnetAt(input, cluster, id, subnets)?.az).filter((az): az is string => Boolean(az))) }));
  return (lost) => {
    if (groups.length > 0) {
      const left = uniq(groups.flatMap((g) => g.azs)).filter((az) => az !== lost);
      if (left.length > 0) return { status: 'degraded', detail: `Auto Scaling group over ${uniq(groups.flatMap((g) => g.azs)).join(', ')}: a new host starts in ${left.join(', ')}`, rto: `${RECOVERY.nodeLaunch.replace('a node', '')} (the group replaces the host)` };
      return { status: 'down', detail: `the host's Auto Scaling group has subnets only in ${lost}`, rto: 'until the AZ returns' };
    }
    if (instances.length === 0) return { status: 'survives', detail: 'no api-access host (the API is reached directly)', rto: '0' };
    const inLost = instances.filter((i) => i.subnet?.az === lost);
    const where = instances.map((i) => `${i.subnet?.label ?? 'an unknown subnet'} (${i.subnet?.az ?? '?'})`).join(', ');
    if (inLost.length < instances.length) return { status: 'survives', detail: `single instance in ${where}, not the lost AZ`, rto: '0' };
    return { status: 'down', detail: `single instance in ${where}: no SSM tunnel into the private API (kubectl, cdktf deploy argocd, teardown); Argo CD stays reachable through its ALB`, rto: 'until the AZ returns, or the cluster stack redeployed with the host in another subnet' };
  };
}

function monitoringTier(input: AzLossInput): TierCheck {
  const pods = input.workloads.filter((w) => w.name.startsWith('monitoring/') && w.replicas !== 'perNode');
  return (lost) => {
    const findings: { status: TierStatus; text: string }[] = [];
    for (const w of pods) {
      const n = w.replicas as number;
      const name = w.name.replace(/^monitoring\//, '');
      if (w.zonalVolume && n < 2) findings.push({ status: 'down', text: `${name}: 1 replica on a zonal EBS volume, unavailable while its AZ is lost (if it is ${lost})` });
      else if (w.zonalVolume && !w.zoneSpread) findings.push({ status: 'at risk', text: `${name}: ${n} replicas, one per node but not per zone, each on a zonal EBS volume: all may be in ${lost}` });
      else if (n < 2) findings.push({ status: 'degraded', text: `${name}: 1 replica without a volume, recreated in the other AZ` });
    }
    const worst = (['down', 'at risk', 'degraded'] as TierStatus[]).find((s) => findings.some((f) => f.status === s)) ?? 'survives';
    return {
      status: worst,
      detail: findings.length ? findings.map((f) => f.text).join('; ') : 'every monitoring workload keeps a replica elsewhere',
      rto: worst === 'down' ? 'until the AZ returns (CloudWatch alarms of the observability stack still fire)' : worst === 'survives' ? '0' : `${RECOVERY.podEviction}`,
    };
  };
}

// ---------------------------------------------------------------------------------------------------------

/** Takes each AZ away in turn and reports every tier. */
export function analyseAzLoss(input: AzLossInput): AzLossReport {
  for (const id of ['network', 'cluster', 'data', 'argocd']) if (!input.stacks[id]) throw new Error(`${input.env}: the synthesized app has no ${id} stack`);
  const subnets = subnetsOf(input.stacks.network);
  const group = nodeGroupFacts(input, subnets);
  const azs = uniq([...subnets.values()].map((s) => s.az)).sort();
  const checks: Record<AzTier, TierCheck> = {
    nat: natTier(input, subnets, group.subnets),
    'control-plane': controlPlaneTier(input, subnets),
    'node-capacity': nodeCapacityTier(input, group),
    services: servicesTier(input),
    postgres: postgresTier(input),
    redis: redisTier(input),
    'load-balancers': loadBalancerTier(input, subnets),
    'api-access': apiAccessTier(input, subnets),
    monitoring: monitoringTier(input),
  };
  const outcomes: TierOutcome[] = [];
  for (const tier of AZ_TIERS) {
    for (const lostAz of azs) {
      const outcome = checks[tier](lostAz);
      const acceptance = outcome.status === 'down' ? input.acceptedLosses.find((a) => a.tier === tier && (a.availabilityZone === undefined || a.availabilityZone === lostAz)) : undefined;
      outcomes.push({ tier, lostAz, ...outcome, ...(acceptance ? { accepted: acceptance.reason } : {}) });
    }
  }
  const staleAcceptances = input.acceptedLosses
    .filter((a) => !outcomes.some((o) => o.tier === a.tier && o.status === 'down' && (a.availabilityZone === undefined || a.availabilityZone === o.lostAz)))
    .map((a) => `${input.env}.availability.acceptedLosses: ${a.tier}${a.availabilityZone ? ` in ${a.availabilityZone}` : ''} is accepted, but losing ${a.availabilityZone ?? 'any AZ'} no longer takes it down: remove the acceptance`);
  const fitAt = (nodes: number, atMaximum: boolean) => checkPodFit({ instanceTypes: group.instanceTypes, nodes, prefixDelegation: group.prefixDelegation, workloads: input.workloads, atMaximum });
  return {
    env: input.env,
    availabilityZones: azs,
    outcomes,
    capacity: { atMinimum: fitAt(group.minSize, false), atMaximum: fitAt(group.maxSize, true) },
    failures: outcomes.filter((o) => o.status === 'down' && !o.accepted),
    staleAcceptances,
  };
}

/** The table of one environment: a row per tier, a column per lost AZ, the RTO; then how each recovers. */
export function formatAzReport(report: AzLossReport): string[] {
  const label = (o: TierOutcome): string => (o.status === 'down' && o.accepted ? 'down (accepted)' : o.status);
  const rows = AZ_TIERS.map((tier) => {
    const cells = report.availabilityZones.map((az) => report.outcomes.find((o) => o.tier === tier && o.lostAz === az)!);
    const rank: TierStatus[] = ['down', 'at risk', 'degraded', 'survives'];
    const worst = [...cells].sort((a, b) => rank.indexOf(a.status) - rank.indexOf(b.status))[0];
    return [tier, ...cells.map(label), worst.rto];
  });
  const header = ['tier', ...report.availabilityZones.map((az) => `lose ${az}`), 'RTO (worst case)'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join(' | ');
  const out = [`${report.env}: what survives the loss of one AZ`, line(header), widths.map((w, i) => (i === widths.length - 1 ? '-'.repeat(16) : '-'.repeat(w))).join('-|-'), ...rows.map(line), '', 'how each tier fares:'];
  for (const tier of AZ_TIERS) {
    for (const o of report.outcomes.filter((x) => x.tier === tier)) {
      out.push(`  ${tier}, lose ${o.lostAz}: ${label(o)}: ${o.detail}. RTO: ${o.rto}${o.accepted ? `. Accepted: ${o.accepted}` : ''}`);
    }
  }
  out.push('', 'pod capacity (all AZs up):', `  minimum size, minimum replicas: ${report.capacity.atMinimum.summary}`, `  maximum size, HPA maxima: ${report.capacity.atMaximum.summary}`);
  return out;
}

