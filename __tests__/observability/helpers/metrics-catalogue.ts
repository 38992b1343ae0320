/**
 * What the scrape targets expose, as the rules and dashboards may use it: metric name → labels, with where
 * each comes from. The services' metrics are read from docs/platform-contracts.md ("Service metrics"), the
 * contract the images must meet; the exporters' are stated here from their documentation at the pinned
 * versions (kube-state-metrics 2.x of chart 8.4.0: docs/metrics/*; Argo CD v3.4 operator manual "Metrics";
 * Prometheus, Alertmanager and node-exporter of kube-prometheus-stack 88.5.3; the kubelet of Kubernetes
 * 1.35; Fluent Bit 5.1 "Monitoring"). A metric not listed here fails the rules test: add it with its source.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Catalogue, MetricInfo } from './promql';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Labels Prometheus adds to every series of a ServiceMonitor/PodMonitor target (the operator's relabelling). */
export const TARGET_LABELS = ['job', 'instance', 'namespace', 'service', 'pod', 'container', 'endpoint'] as const;
/** The kubelet ServiceMonitor of the chart also labels each series with its node. */
const KUBELET_TARGET = [...TARGET_LABELS, 'node', 'metrics_path'];

const m = (labels: readonly string[], source: string, target: readonly string[] = TARGET_LABELS): MetricInfo => ({ labels: [...new Set([...labels, ...target])], source });
const KSM = 'kube-state-metrics 2.x (chart 8.4.0), docs/metrics; honorLabels keeps its namespace/pod labels';
const ARGO = 'Argo CD v3.4 operator manual, "Metrics"';

export const EXPORTER_METRICS: Catalogue = {
  up: m([], 'Prometheus: one per target'),
  kube_pod_container_status_waiting_reason: m(['uid', 'reason'], KSM),
  kube_pod_status_phase: m(['uid', 'phase'], KSM),
  kube_pod_container_resource_requests: m(['uid', 'node', 'resource', 'unit'], KSM),
  kube_pod_container_resource_limits: m(['uid', 'node', 'resource', 'unit'], KSM),
  kube_horizontalpodautoscaler_status_current_replicas: m(['horizontalpodautoscaler'], KSM),
  kube_horizontalpodautoscaler_spec_max_replicas: m(['horizontalpodautoscaler'], KSM),
  kube_node_status_condition: m(['node', 'condition', 'status'], KSM),
  kube_job_status_failed: m(['job_name', 'reason'], KSM),
  kube_deployment_status_replicas_available: m(['deployment'], KSM),
  container_cpu_usage_seconds_total: m(['id', 'image', 'name', 'cpu'], 'kubelet cAdvisor (/metrics/cadvisor)', KUBELET_TARGET),
  container_memory_working_set_bytes: m(['id', 'image', 'name'], 'kubelet cAdvisor (/metrics/cadvisor)', KUBELET_TARGET),
  kubelet_volume_stats_available_bytes: m(['persistentvolumeclaim'], 'kubelet /metrics', KUBELET_TARGET),
  kubelet_volume_stats_capacity_bytes: m(['persistentvolumeclaim'], 'kubelet /metrics', KUBELET_TARGET),
  kubelet_certificate_manager_client_ttl_seconds: m([], 'kubelet /metrics (certificate manager)', KUBELET_TARGET),
  kubelet_certificate_manager_server_ttl_seconds: m([], 'kubelet /metrics (certificate manager)', KUBELET_TARGET),
  node_filesystem_avail_bytes: m(['device', 'fstype', 'mountpoint'], 'node-exporter (chart 4.56.1), filesystem collector'),
  node_filesystem_size_bytes: m(['device', 'fstype', 'mountpoint'], 'node-exporter (chart 4.56.1), filesystem collector'),
  argocd_app_info: m(['name', 'project', 'repo', 'dest_server', 'dest_namespace', 'sync_status', 'health_status', 'operation', 'autosync_enabled'], ARGO),
  argocd_app_sync_total: m(['name', 'project', 'phase', 'dest_server', 'dry_run'], ARGO),
  argocd_app_reconcile_bucket: m(['dest_server', 'le'], ARGO),
  argocd_app_k8s_request_total: m(['name', 'project', 'response_code', 'verb', 'resource_kind', 'resource_namespace', 'dry_run'], ARGO),
  argocd_git_request_total: m(['repo', 'request_type'], ARGO),
  argocd_notifications_deliveries_total: m(['notifier', 'trigger', 'succeeded'], ARGO),
  prometheus_rule_evaluation_failures_total: m(['rule_group'], 'Prometheus 3.x'),
  prometheus_notifications_alertmanagers_discovered: m([], 'Prometheus 3.x'),
  alertmanager_notifications_failed_total: m(['integration', 'reason'], 'Alertmanager 0.3x'),
  fluentbit_output_retries_failed_total: m(['name'], 'Fluent Bit 5.1 "Monitoring" (/api/v2/metrics/prometheus)'),
};

/** The services' metrics from the contract table of docs/platform-contracts.md (histograms expanded). */
export function serviceMetrics(): Catalogue {
  const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'platform-contracts.md'), 'utf8');
  const section = doc.split('## Service metrics')[1]?.split('\n## ')[0];
  if (!section) throw new Error('docs/platform-contracts.md has no "Service metrics" section');
  const out: Record<string, MetricInfo> = {};
  for (const row of section.split('\n').filter((l) => /^\| `[a-z0-9_]+` \|/.test(l))) {
    const [, name, type, labels] = row.split('|').map((c) => c.trim());
    const metric = name.replace(/`/g, '');
    const own = labels === '—' ? [] : [...labels.matchAll(/`([a-z_]+)`/g)].map((x) => x[1]);
    const source = 'docs/platform-contracts.md, "Service metrics"';
    if (type.startsWith('histogram')) {
      out[`${metric}_bucket`] = m([...own, 'le'], source);
      out[`${metric}_count`] = m(own, source);
      out[`${metric}_sum`] = m(own, source);
    } else out[metric] = m(own, source);
  }
  return out;
}
