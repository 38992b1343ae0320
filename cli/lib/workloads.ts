/**
 * Every pod an environment schedules, read from what is deployed rather than from a list kept by hand:
 * - the EKS add-ons of the synthesized `cluster` stack (`aws_eks_addon`): their pods and requests are the
 *   add-ons' own defaults (`EKS_ADDON_PODS`), with `configuration_values` overrides applied;
 * - the Helm releases of the synthesized `argocd` stack: replicas, requests and anti-affinity from the values
 *   the stack passes, over the charts' defaults (`CHART_DEFAULTS`, checked against
 *   ../shared/reference/charts/ by __tests__/cli/az-check-workloads.test.ts);
 * - the Argo CD Applications of `gitops/argocd/<env>` (rendered with `kubectl kustomize`): a `path` source is
 *   rendered too and its Deployments (at their HPA minReplicas), StatefulSets, DaemonSets and Jobs counted; the
 *   kube-prometheus-stack chart source is read from its values files and `valuesObject`, over the chart's
 *   defaults.
 * Adding a replica anywhere (settings, stack, overlay, values file) changes the result.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { PodRequests, ScheduledWorkload } from '../../config/capacity';
import { CommandError } from './command';
import { KubeObject, argocdFolder, kustomize } from './gitops-render';
import { TerraformJson } from './synth-app';

/** `100m`, `0.5`, `2` → millicores. */
export function cpuMillis(quantity: unknown): number {
  if (quantity === undefined || quantity === null || quantity === '') return 0;
  const text = String(quantity).trim();
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(text);
  if (!m) throw new CommandError(`CPU quantity ${JSON.stringify(quantity)}: expected millicores ("100m") or cores ("0.5")`);
  return m[2] === 'm' ? Number(m[1]) : Math.round(Number(m[1]) * 1000);
}

const MEMORY_UNITS: Readonly<Record<string, number>> = { '': 1, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** `192Mi`, `1Gi`, `128M`, bytes → MiB (rounded up). */
export function memoryMiB(quantity: unknown): number {
  if (quantity === undefined || quantity === null || quantity === '') return 0;
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|K|M|G|T)?$/.exec(String(quantity).trim());
  if (!m) throw new CommandError(`memory quantity ${JSON.stringify(quantity)}: expected a Kubernetes quantity such as "192Mi" or "1Gi"`);
  return Math.ceil((Number(m[1]) * MEMORY_UNITS[m[2] ?? '']) / 2 ** 20);
}

const requestsOf = (resources: any): PodRequests => ({ cpuMillis: cpuMillis(resources?.requests?.cpu), memoryMiB: memoryMiB(resources?.requests?.memory) });
const sum = (...all: PodRequests[]): PodRequests => all.reduce((a, b) => ({ cpuMillis: a.cpuMillis + b.cpuMillis, memoryMiB: a.memoryMiB + b.memoryMiB }), { cpuMillis: 0, memoryMiB: 0 });
const NONE: PodRequests = { cpuMillis: 0, memoryMiB: 0 };

// ---------------------------------------------------------------------------------------------------------
// EKS add-ons (cluster stack)
// ---------------------------------------------------------------------------------------------------------

interface AddonPod {
  readonly name: string;
  readonly replicas: number | 'perNode';
  /** Key of `configuration_values` that overrides `replicas` (a dotted path), where the add-on has one. */
  readonly replicasKey?: string;
  readonly requests: PodRequests;
  /** The add-on's manifest sets `priorityClassName: system-cluster-critical` (or node-critical). */
  readonly critical?: boolean;
  /** Extra container requests switched on by a `configuration_values` key that equals `"true"`. */
  readonly optional?: { readonly key: string; readonly requests: PodRequests };
}

/**
 * Pods of each EKS add-on with its default configuration, as the add-on's manifests set them (EKS does not
 * publish them as a table; `aws eks describe-addon-configuration` gives the schema, the running objects the
 * figures). Looked up for the versions pinned in config/environments.ts:
 * - vpc-cni: DaemonSet aws-node, 25m for aws-node and 25m for the network policy agent when
 *   `enableNetworkPolicy` is on (amazon-vpc-cni-k8s charts/aws-vpc-cni values);
 * - kube-proxy: DaemonSet, 100m (the EKS kube-proxy manifest);
 * - eks-pod-identity-agent: DaemonSet, no requests set (eks-charts stable/eks-pod-identity-agent);
 * - coredns: Deployment of 2, 100m and 70Mi (the EKS CoreDNS manifest; `replicaCount` overrides);
 * - aws-ebs-csi-driver: DaemonSet ebs-csi-node of 3 containers and Deployment ebs-csi-controller of 2 with 6
 *   containers, 10m and 40Mi each (aws-ebs-csi-driver chart values: `node.resources`/`controller.resources`,
 *   which the sidecars inherit; `controller.replicaCount` overrides);
 * - metrics-server: Deployment of 2, 100m and 200Mi (the EKS add-on's defaults; `replicas` overrides).
 */
export const EKS_ADDON_PODS: Readonly<Record<string, readonly AddonPod[]>> = {
  'vpc-cni': [{ name: 'kube-system/aws-node', replicas: 'perNode', requests: { cpuMillis: 25, memoryMiB: 0 }, optional: { key: 'enableNetworkPolicy', requests: { cpuMillis: 25, memoryMiB: 0 } } }],
  'kube-proxy': [{ name: 'kube-system/kube-proxy', replicas: 'perNode', requests: { cpuMillis: 100, memoryMiB: 0 } }],
  'eks-pod-identity-agent': [{ name: 'kube-system/eks-pod-identity-agent', replicas: 'perNode', requests: NONE }],
  coredns: [{ name: 'kube-system/coredns', replicas: 2, replicasKey: 'replicaCount', requests: { cpuMillis: 100, memoryMiB: 70 }, critical: true }],
  'aws-ebs-csi-driver': [
    { name: 'kube-system/ebs-csi-node', replicas: 'perNode', requests: { cpuMillis: 3 * 10, memoryMiB: 3 * 40 } },
    { name: 'kube-system/ebs-csi-controller', replicas: 2, replicasKey: 'controller.replicaCount', requests: { cpuMillis: 6 * 10, memoryMiB: 6 * 40 }, critical: true },
  ],
  'metrics-server': [{ name: 'kube-system/metrics-server', replicas: 2, replicasKey: 'replicas', requests: { cpuMillis: 100, memoryMiB: 200 }, critical: true }],
};

const at = (object: any, dotted: string): any => dotted.split('.').reduce((value, key) => (value === undefined || value === null ? undefined : value[key]), object);

/** Pods of the `aws_eks_addon` resources of the cluster stack. An add-on not in `EKS_ADDON_PODS` is an error. */
export function addonWorkloads(cluster: TerraformJson): ScheduledWorkload[] {
  return Object.values(cluster.resource?.aws_eks_addon ?? {}).flatMap((addon: any) => {
    const name = String(addon.addon_name);
    const pods = EKS_ADDON_PODS[name];
    if (!pods) throw new CommandError(`cluster stack: EKS add-on ${JSON.stringify(name)} has no pod figures in EKS_ADDON_PODS (cli/lib/workloads.ts): add them, with their source`);
    const config = addon.configuration_values ? JSON.parse(addon.configuration_values) : {};
    return pods.map((pod): ScheduledWorkload => {
      const override = pod.replicasKey ? at(config, pod.replicasKey) : undefined;
      const replicas = pod.replicas === 'perNode' ? 'perNode' : override !== undefined ? Number(override) : pod.replicas;
      const extra = pod.optional && String(at(config, pod.optional.key)) === 'true' ? pod.optional.requests : NONE;
      return { name: pod.name, source: `cluster: aws_eks_addon ${name}`, replicas, requests: sum(pod.requests, extra), ...(pod.critical ? { critical: true } : {}) };
    });
  });
}

// ---------------------------------------------------------------------------------------------------------
// Helm releases (argocd stack)
// ---------------------------------------------------------------------------------------------------------

/**
 * Chart defaults the pod count depends on, from the values files of the pinned versions
 * (../shared/reference/charts/<chart>-<version>.values.yaml; a test compares each entry with the file).
 * Every component's `resources` defaults to `{}` there: no requests unless the stack sets them.
 * redis-ha's `replicas` and `haproxy.replicas` (3) are the redis-ha subchart's defaults, which the argo-cd
 * values file does not repeat (Argo CD's HA documentation: three Redis and three HAProxy, one per node).
 */
export const CHART_DEFAULTS = {
  'argo-cd': {
    'controller.replicas': 1,
    'server.replicas': 1,
    'repoServer.replicas': 1,
    'applicationSet.replicas': 1,
    'dex.enabled': true,
    'notifications.enabled': true,
    'redis.enabled': true,
    'redis-ha.enabled': false,
    'redis-ha.hardAntiAffinity': true,
    'redis-ha.haproxy.enabled': true,
    'redis-ha.haproxy.hardAntiAffinity': true,
    'commitServer.enabled': false,
  },
  'aws-load-balancer-controller': { replicaCount: 2, priorityClassName: 'system-cluster-critical' },
  'cluster-autoscaler': { replicaCount: 1, priorityClassName: 'system-cluster-critical' },
  'external-dns': { replicaCount: 1 },
  'sealed-secrets': {},
} as const;

/** redis-ha subchart defaults (not in the argo-cd values file). */
export const REDIS_HA_REPLICAS = 3;

type ChartName = keyof typeof CHART_DEFAULTS;

function valueOf(values: any, chart: ChartName, key: string): any {
  const given = at(values, key);
  return given !== undefined ? given : (CHART_DEFAULTS[chart] as Record<string, unknown>)[key];
}

/** Pods of the argocd stack's `helm_release` resources, from the values they pass. */
export function helmReleaseWorkloads(argocd: TerraformJson): ScheduledWorkload[] {
  return Object.values(argocd.resource?.helm_release ?? {}).flatMap((release: any) => {
    const chart = String(release.chart);
    const namespace = /^\$\{kubernetes_namespace_v1\.namespaces_([a-z0-9-]+)_/.exec(String(release.namespace))?.[1] ?? String(release.namespace);
    const values = Object.assign({}, ...((release.values ?? []) as string[]).map((text) => parseYaml(text) ?? {}));
    const source = `argocd: helm_release ${chart} ${release.version}`;
    const w = (name: string, replicas: number, resources: any, onePerNode = false): ScheduledWorkload => ({ name: `${namespace}/${name}`, source, replicas, requests: requestsOf(resources), ...(onePerNode ? { onePerNode } : {}) });
    switch (chart) {
      case 'argo-cd': {
        const v = (key: string) => valueOf(values, 'argo-cd', key);
        const pods = [
          w('argocd-application-controller', Number(v('controller.replicas')), values.controller?.resources),
          w('argocd-server', Number(v('server.replicas')), values.server?.resources),
          w('argocd-repo-server', Number(v('repoServer.replicas')), values.repoServer?.resources),
          w('argocd-applicationset-controller', Number(v('applicationSet.replicas')), values.applicationSet?.resources),
        ];
        if (v('dex.enabled')) pods.push(w('argocd-dex-server', 1, values.dex?.resources));
        if (v('notifications.enabled')) pods.push(w('argocd-notifications-controller', 1, values.notifications?.resources));
        if (v('commitServer.enabled')) pods.push(w('argocd-commit-server', 1, values.commitServer?.resources));
        if (v('redis-ha.enabled')) {
          // The chart replaces its single Redis by the redis-ha subchart (StatefulSet + HAProxy Deployment).
          pods.push(w('argocd-redis-ha-server', Number(values['redis-ha']?.replicas ?? REDIS_HA_REPLICAS), values['redis-ha']?.resources, Boolean(v('redis-ha.hardAntiAffinity'))));
          if (v('redis-ha.haproxy.enabled')) pods.push(w('argocd-redis-ha-haproxy', Number(values['redis-ha']?.haproxy?.replicas ?? REDIS_HA_REPLICAS), values['redis-ha']?.haproxy?.resources, Boolean(v('redis-ha.haproxy.hardAntiAffinity'))));
        } else if (v('redis.enabled')) {
          pods.push(w('argocd-redis', 1, values.redis?.resources));
        }
        return pods;
      }
      case 'aws-load-balancer-controller':
      case 'cluster-autoscaler':
      case 'external-dns': {
        const pod = w(chart, Number(valueOf(values, chart, 'replicaCount')), values.resources);
        const priority = String(valueOf(values, chart, 'priorityClassName') ?? '');
        return [priority.startsWith('system-') ? { ...pod, critical: true } : pod];
      }
      case 'sealed-secrets':
        return [w(values.fullnameOverride ?? 'sealed-secrets', 1, values.resources)];
      case 'argocd-apps':
        return []; // Argo CD Applications only: no pods of its own.
      default:
        throw new CommandError(`argocd stack: Helm chart ${JSON.stringify(chart)} has no pod model in cli/lib/workloads.ts (helmReleaseWorkloads): add one from its values file`);
    }
  });
}

// ---------------------------------------------------------------------------------------------------------
// Rendered manifests (gitops)
// ---------------------------------------------------------------------------------------------------------

/** What the scheduler reserves for one pod: the containers' sum, or the largest init container if more. */
function podTemplateRequests(spec: any): PodRequests {
  const containers = sum(...((spec?.containers ?? []) as any[]).map((c) => requestsOf(c.resources)));
  const init = ((spec?.initContainers ?? []) as any[]).map((c) => requestsOf(c.resources));
  return { cpuMillis: Math.max(containers.cpuMillis, ...init.map((r) => r.cpuMillis)), memoryMiB: Math.max(containers.memoryMiB, ...init.map((r) => r.memoryMiB)) };
}

const ZONE_KEY = 'topology.kubernetes.io/zone';
const spreadsOverZones = (spec: any): boolean =>
  ((spec?.topologySpreadConstraints ?? []) as any[]).some((t) => t.topologyKey === ZONE_KEY) ||
  ((spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) as any[]).some((t) => t.topologyKey === ZONE_KEY);

const requiredOnePerNode = (spec: any): boolean =>
  ((spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) as any[]).some((term) => term.topologyKey === 'kubernetes.io/hostname');

/** Pods of rendered objects: Deployments and StatefulSets at their HPA minReplicas (else `replicas`, default 1). */
export function manifestWorkloads(objects: readonly KubeObject[], source: string): ScheduledWorkload[] {
  const hpas = objects.filter((o) => o.kind === 'HorizontalPodAutoscaler');
  return objects.flatMap((o): ScheduledWorkload[] => {
    const name = `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
    switch (o.kind) {
      case 'Deployment':
      case 'StatefulSet': {
        const hpa = hpas.find((h) => h.spec?.scaleTargetRef?.kind === o.kind && h.spec?.scaleTargetRef?.name === o.metadata.name && (h.metadata.namespace ?? 'default') === (o.metadata.namespace ?? 'default'));
        const replicas = hpa ? Number(hpa.spec.minReplicas ?? 1) : Number(o.spec?.replicas ?? 1);
        const maxReplicas = hpa ? Number(hpa.spec.maxReplicas) : replicas;
        const spec = o.spec?.template?.spec;
        const zonalVolume = o.kind === 'StatefulSet' && (o.spec?.volumeClaimTemplates ?? []).length > 0;
        return [{ name, source, replicas, maxReplicas, requests: podTemplateRequests(spec), ...(requiredOnePerNode(spec) ? { onePerNode: true } : {}), ...(zonalVolume ? { zonalVolume } : {}), ...(spreadsOverZones(spec) ? { zoneSpread: true } : {}) }];
      }
      case 'DaemonSet':
        return [{ name, source, replicas: 'perNode', requests: podTemplateRequests(o.spec?.template?.spec) }];
      case 'Job':
        // A Job runs beside the workloads (the migration hook at every sync): it needs its room then.
        return [{ name, source: `${source} (Job)`, replicas: Number(o.spec?.parallelism ?? 1), requests: podTemplateRequests(o.spec?.template?.spec) }];
      default:
        return [];
    }
  });
}

/** kube-prometheus-stack defaults of 88.5.3 the count depends on (its values file; checked by the test). */
export const KUBE_PROMETHEUS_STACK_DEFAULTS = {
  'prometheusOperator.enabled': true,
  'prometheus.enabled': true,
  'prometheus.prometheusSpec.replicas': 1,
  'alertmanager.enabled': true,
  'alertmanager.alertmanagerSpec.replicas': 1,
  'grafana.enabled': true,
  'kubeStateMetrics.enabled': true,
  'nodeExporter.enabled': true,
  'thanosRuler.enabled': false,
} as const;

/** Deep merge of Helm values (later wins; lists replaced), as `helm -f a -f b` does. */
export function mergeValues(...layers: any[]): any {
  const merge = (a: any, b: any): any => {
    if (b === undefined) return a;
    if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
      const out: Record<string, any> = { ...a };
      for (const [key, value] of Object.entries(b)) out[key] = merge(a[key], value);
      return out;
    }
    return b;
  };
  return layers.reduce((acc, layer) => merge(acc, layer ?? {}), {});
}

/** Pods of one kube-prometheus-stack release, from its merged values. */
export function kubePrometheusStackWorkloads(values: any, namespace: string, source: string): ScheduledWorkload[] {
  const v = (key: keyof typeof KUBE_PROMETHEUS_STACK_DEFAULTS) => at(values, key) ?? KUBE_PROMETHEUS_STACK_DEFAULTS[key];
  const reloader = requestsOf(values.prometheusOperator?.prometheusConfigReloader?.resources);
  const pods: ScheduledWorkload[] = [];
  const w = (name: string, replicas: number | 'perNode', requests: PodRequests, onePerNode = false, ns = namespace, placement: { zonalVolume?: boolean; zoneSpread?: boolean } = {}): void => {
    pods.push({ name: `${ns}/${name}`, source, replicas, requests, ...(onePerNode ? { onePerNode } : {}), ...(placement.zonalVolume ? { zonalVolume: true } : {}), ...(placement.zoneSpread ? { zoneSpread: true } : {}) });
  };
  // The operator's `podAntiAffinity: hard` is per node unless `podAntiAffinityTopologyKey` names the zone.
  const placementOf = (spec: any, volumeClaimTemplate: unknown) => ({
    zonalVolume: Boolean(volumeClaimTemplate),
    zoneSpread: spreadsOverZones(spec) || (spec?.podAntiAffinity === 'hard' && spec?.podAntiAffinityTopologyKey === ZONE_KEY),
  });
  if (v('prometheusOperator.enabled')) w('kube-prometheus-stack-operator', 1, requestsOf(values.prometheusOperator?.resources));
  if (v('prometheus.enabled')) {
    const spec = values.prometheus?.prometheusSpec ?? {};
    w('prometheus', Number(v('prometheus.prometheusSpec.replicas')), sum(requestsOf(spec.resources), reloader), spec.podAntiAffinity === 'hard', namespace, placementOf(spec, spec.storageSpec?.volumeClaimTemplate));
  }
  if (v('alertmanager.enabled')) {
    const spec = values.alertmanager?.alertmanagerSpec ?? {};
    w('alertmanager', Number(v('alertmanager.alertmanagerSpec.replicas')), sum(requestsOf(spec.resources), reloader), spec.podAntiAffinity === 'hard', namespace, placementOf(spec, spec.storage?.volumeClaimTemplate));
  }
  if (v('grafana.enabled')) {
    const g = values.grafana ?? {};
    // The chart turns on the dashboards and datasources sidecars; `sidecar.resources` applies to each.
    const sidecars = [g.sidecar?.dashboards?.enabled !== false, g.sidecar?.datasources?.enabled !== false].filter(Boolean).length;
    const sidecar = requestsOf(g.sidecar?.resources);
    w('kube-prometheus-stack-grafana', Number(g.replicas ?? 1), sum(requestsOf(g.resources), ...Array.from({ length: sidecars }, () => sidecar)));
  }
  if (v('kubeStateMetrics.enabled')) w('kube-prometheus-stack-kube-state-metrics', Number(values['kube-state-metrics']?.replicas ?? 1), requestsOf(values['kube-state-metrics']?.resources));
  if (v('nodeExporter.enabled')) {
    const ne = values['prometheus-node-exporter'] ?? {};
    w('kube-prometheus-stack-prometheus-node-exporter', 'perNode', requestsOf(ne.resources), false, ne.namespaceOverride ?? namespace);
  }
  if (v('thanosRuler.enabled')) throw new CommandError(`${source}: thanosRuler is enabled; add its pods to kubePrometheusStackWorkloads (cli/lib/workloads.ts)`);
  return pods;
}

/** Values files of a Helm source: `$values/<path>` is the repository's root (the `ref: values` source). */
function helmValues(root: string, helm: any, origin: string): any {
  const files = ((helm?.valueFiles ?? []) as string[]).map((file) => {
    const relative = file.replace(/^\$values\//, '');
    const full = path.join(root, relative);
    if (!fs.existsSync(full)) throw new CommandError(`${origin}: values file ${relative} does not exist`);
    return parseYaml(fs.readFileSync(full, 'utf8')) ?? {};
  });
  return mergeValues(...files, helm?.values ? parseYaml(helm.values) : {}, helm?.valuesObject ?? {});
}

/** Pods of the Argo CD Applications (and ApplicationSet templates) of `gitops/argocd/<env>`. */
export function gitopsWorkloads(root: string, env: string): ScheduledWorkload[] {
  const folder = argocdFolder(env);
  const apps = kustomize(root, folder).flatMap((o) => {
    if (o.kind === 'Application') return [{ name: o.metadata.name, spec: o.spec }];
    if (o.kind === 'ApplicationSet') return [{ name: o.spec?.template?.metadata?.name ?? o.metadata.name, spec: o.spec?.template?.spec }];
    return [];
  });
  return apps.flatMap(({ name, spec }) => {
    const sources: any[] = spec?.sources ?? (spec?.source ? [spec.source] : []);
    const namespace = spec?.destination?.namespace ?? 'default';
    return sources.flatMap((source): ScheduledWorkload[] => {
      if (source.ref && !source.path && !source.chart) return [];
      if (source.path) {
        const objects = kustomize(root, source.path).map((o) => (o.metadata.namespace ? o : { ...o, metadata: { ...o.metadata, namespace } }));
        return manifestWorkloads(objects, `gitops: ${source.path} (Application ${name})`);
      }
      if (source.chart === 'kube-prometheus-stack') {
        return kubePrometheusStackWorkloads(helmValues(root, source.helm, `${folder}: Application ${name}`), namespace, `gitops: kube-prometheus-stack ${source.targetRevision} (Application ${name})`);
      }
      throw new CommandError(`${folder}: Application ${name} installs chart ${JSON.stringify(source.chart)}, which has no pod model in cli/lib/workloads.ts`);
    });
  });
}

/** Every pod of the environment: add-ons, the argocd stack's releases, and what Argo CD deploys. */
export function environmentWorkloads(stacks: { readonly cluster: TerraformJson; readonly argocd: TerraformJson }, root: string, env: string): ScheduledWorkload[] {
  return [...addonWorkloads(stacks.cluster), ...helmReleaseWorkloads(stacks.argocd), ...gitopsWorkloads(root, env)];
}
