import { ContainerRequests, EnvironmentName, EnvironmentSettings } from './settings';

/**
 * Names and figures of the observability platform that the stacks, `gitops/platform/` and the tests share
 * (docs/observability.md, docs/platform-contracts.md "Observability"). Environment settings are in
 * `environments.ts` (`observability`); what is the same everywhere is here.
 */

/** Namespace of kube-prometheus-stack (Prometheus, Alertmanager, Grafana, kube-state-metrics, the operator). */
export const MONITORING_NAMESPACE = 'monitoring';
/**
 * Namespace of the node-level DaemonSets that need the host (node-exporter: host network, PID and root
 * filesystem; Fluent Bit: /var/log). The only `privileged` namespace of the platform, so `monitoring` stays
 * `baseline`.
 */
export const NODE_AGENTS_NAMESPACE = 'node-agents';
/** Helm release (and Argo CD Application) name of kube-prometheus-stack: the prefix of its object names. */
export const MONITORING_RELEASE = 'kube-prometheus-stack';
/** Fluent Bit's service account in `NODE_AGENTS_NAMESPACE` (its Pod Identity association). */
export const FLUENT_BIT_SERVICE_ACCOUNT = 'fluent-bit';

/** IngressGroup of the platform UIs: Argo CD's Ingress (argocd stack) and Grafana's (gitops) share one ALB. */
export function platformIngressGroup(env: EnvironmentName): string {
  return `tiketi-${env}-platform`;
}

/** Name of the API's ALB (`alb.ingress.kubernetes.io/load-balancer-name` on the Ingress `tiketi-api`). */
export function apiLoadBalancerName(env: EnvironmentName): string {
  return `tiketi-${env}-api`;
}

/** Log group Fluent Bit writes container logs to; the observability stack creates it (retention, KMS). */
export function containerLogGroupName(env: EnvironmentName): string {
  return `/aws/eks/tiketi-${env}/containers`;
}

/**
 * CloudWatch alarm thresholds that are the same in every environment (docs/observability.md, "Alarms").
 * Per-environment ones are `observability.alarms` of the settings.
 */
export const ALARM_THRESHOLDS = {
  /** RDS and ElastiCache host CPU, percent, average over 3 × 5 minutes. */
  cpuPercent: 80,
  /**
   * RDS free storage below this share of the initially allocated storage: under the 10 % at which storage
   * autoscaling adds space, so it fires only when autoscaling could not (at the maximum, or in its cooldown).
   */
  rdsFreeStorageFraction: 0.05,
  /** RDS read replica lag, seconds (only where a replica exists). */
  rdsReplicaLagSeconds: 60,
  /** ElastiCache engine (main thread) CPU, percent. */
  cacheEngineCpuPercent: 80,
  /** ElastiCache used memory, percent of `maxmemory`. */
  cacheMemoryPercent: 85,
  /** ElastiCache evicted keys per 5 minutes (a cache that evicts is too small or leaks keys). */
  cacheEvictionsPer5Minutes: 100,
  /** ElastiCache replica lag, seconds. */
  cacheReplicationLagSeconds: 30,
  /** NAT gateway: any port allocation error in 5 minutes (sources cannot open new connections). */
  natPortAllocationErrors: 0,
  /** NAT gateway packets dropped per 5 minutes. */
  natPacketsDroppedPer5Minutes: 100,
  /** API ALB: 5xx (ELB and targets) as a percentage of requests, 3 × 5 minutes. */
  alb5xxPercent: 5,
  /** CloudFront `5xxErrorRate`, percent, 3 × 5 minutes. */
  cloudFront5xxPercent: 5,
  /** ACM certificates: days to expiry below this (ACM renews 60 days ahead; below 30 renewal has failed). */
  certificateDaysToExpiry: 30,
} as const;

/** One kind of pod the observability platform runs: what the pod capacity check and the values files share. */
export interface PlatformPod {
  /** Workload name, e.g. `prometheus`. */
  readonly workload: string;
  readonly namespace: string;
  readonly kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  /** Pods of the workload; `perNode` for a DaemonSet (one on every node). */
  readonly replicas: number | 'perNode';
  /** Requests of each (long-running) container of one pod, by container name. */
  readonly containers: Readonly<Record<string, ContainerRequests>>;
}

/** Requests every environment shares; the values files in `gitops/platform/` must say the same (tested). */
export const PLATFORM_CONTAINER_REQUESTS = {
  operator: { cpuMillis: 100, memoryMiB: 128 },
  configReloader: { cpuMillis: 10, memoryMiB: 32 },
  alertmanager: { cpuMillis: 20, memoryMiB: 64 },
  grafana: { cpuMillis: 100, memoryMiB: 256 },
  grafanaSidecar: { cpuMillis: 20, memoryMiB: 64 },
  kubeStateMetrics: { cpuMillis: 50, memoryMiB: 128 },
  nodeExporter: { cpuMillis: 20, memoryMiB: 32 },
  fluentBit: { cpuMillis: 50, memoryMiB: 96 },
} as const satisfies Record<string, ContainerRequests>;

/**
 * Every pod of the observability platform in one environment, with its requests: the kube-prometheus-stack
 * Application (gitops/platform/monitoring) and Fluent Bit (gitops/platform/logging). For the pod capacity
 * check (config/capacity.ts) and the autoscaling ceiling: DaemonSets count on every node, the rest once.
 */
export function observabilityPods(env: EnvironmentSettings): PlatformPod[] {
  const o = env.observability;
  const r = PLATFORM_CONTAINER_REQUESTS;
  return [
    { workload: `${MONITORING_RELEASE}-operator`, namespace: MONITORING_NAMESPACE, kind: 'Deployment', replicas: 1, containers: { [`${MONITORING_RELEASE}`]: r.operator } },
    { workload: 'prometheus', namespace: MONITORING_NAMESPACE, kind: 'StatefulSet', replicas: o.prometheus.replicas, containers: { prometheus: o.prometheus.requests, 'config-reloader': r.configReloader } },
    { workload: 'alertmanager', namespace: MONITORING_NAMESPACE, kind: 'StatefulSet', replicas: o.alertmanager.replicas, containers: { alertmanager: r.alertmanager, 'config-reloader': r.configReloader } },
    { workload: `${MONITORING_RELEASE}-grafana`, namespace: MONITORING_NAMESPACE, kind: 'Deployment', replicas: 1, containers: { grafana: r.grafana, 'grafana-sc-dashboard': r.grafanaSidecar, 'grafana-sc-datasources': r.grafanaSidecar } },
    { workload: `${MONITORING_RELEASE}-kube-state-metrics`, namespace: MONITORING_NAMESPACE, kind: 'Deployment', replicas: 1, containers: { 'kube-state-metrics': r.kubeStateMetrics } },
    { workload: `${MONITORING_RELEASE}-prometheus-node-exporter`, namespace: NODE_AGENTS_NAMESPACE, kind: 'DaemonSet', replicas: 'perNode', containers: { 'node-exporter': r.nodeExporter } },
    { workload: 'fluent-bit', namespace: NODE_AGENTS_NAMESPACE, kind: 'DaemonSet', replicas: 'perNode', containers: { 'fluent-bit': r.fluentBit } },
  ];
}

/** Requests of one pod of `pod` (the sum over its containers). */
export function podRequests(pod: PlatformPod): ContainerRequests {
  return Object.values(pod.containers).reduce((sum, c) => ({ cpuMillis: sum.cpuMillis + c.cpuMillis, memoryMiB: sum.memoryMiB + c.memoryMiB }), { cpuMillis: 0, memoryMiB: 0 });
}

/** What the observability platform takes from the node group: per node (DaemonSets) and per cluster (the rest). */
export function observabilityFootprint(env: EnvironmentSettings): { perNode: { pods: number } & ContainerRequests; perCluster: { pods: number } & ContainerRequests } {
  const perNode = { pods: 0, cpuMillis: 0, memoryMiB: 0 };
  const perCluster = { pods: 0, cpuMillis: 0, memoryMiB: 0 };
  for (const pod of observabilityPods(env)) {
    const requests = podRequests(pod);
    const into = pod.replicas === 'perNode' ? perNode : perCluster;
    const count = pod.replicas === 'perNode' ? 1 : pod.replicas;
    into.pods += count;
    into.cpuMillis += count * requests.cpuMillis;
    into.memoryMiB += count * requests.memoryMiB;
  }
  return { perNode, perCluster };
}
