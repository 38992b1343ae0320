/**
 * The values Argo CD hands kube-prometheus-stack (gitops/platform/monitoring/values*.yaml, the CRD-only
 * valuesObject of monitoring-crds.yaml) against the pinned chart's values file, as
 * __tests__/argocd/chart-values.test.ts does for the argocd stack's charts. The subcharts (grafana 12.11.1,
 * kube-state-metrics 8.4.0, prometheus-node-exporter 4.56.1) are listed only in part in the parent's file:
 * the keys we set beyond it are declared below, each with the line of the subchart's values.yaml (or the
 * template) that defines it, read at those versions.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { ENVIRONMENTS } from '../../config/environments';
import { referenceValues, unknownValueKeys } from '../argocd/helpers/chart-values';
import { ENV_NAMES, GITOPS_DIR } from '../gitops/helpers/facts';
import { readManifests } from '../gitops/helpers/manifests';

const MONITORING = path.join(GITOPS_DIR, 'platform', 'monitoring');
const CHART = ENVIRONMENTS.prod.observability.chart;

/** Subchart keys set here that the parent's values file does not list, and where each is defined. */
export const SUBCHART_KEYS: readonly { path: string; definedBy: string }[] = [
  { path: 'grafana.podLabels', definedBy: 'grafana 12.11.1 templates/deployment.yaml (.Values.podLabels; commented in values.yaml line 240)' },
  { path: 'grafana.resources', definedBy: 'grafana 12.11.1 values.yaml line 427' },
  { path: 'grafana.testFramework', definedBy: 'grafana 12.11.1 values.yaml line 126 (testFramework.enabled)' },
  { path: 'grafana.grafana.ini', definedBy: 'grafana 12.11.1 values.yaml line 959 (INI sections, free-form)' },
  { path: 'grafana.sidecar.resources', definedBy: 'grafana 12.11.1 values.yaml line 1048' },
  { path: 'grafana.ingress.ingressClassName', definedBy: 'grafana 12.11.1 templates/ingress.yaml line 24 (commented in values.yaml line 306)' },
  { path: 'grafana.ingress.pathType', definedBy: 'grafana 12.11.1 values.yaml line 313' },
  { path: 'kube-state-metrics.podLabels', definedBy: 'kube-state-metrics 8.4.0 values.yaml line 392' },
  { path: 'kube-state-metrics.resources', definedBy: 'kube-state-metrics 8.4.0 values.yaml line 515' },
  { path: 'prometheus-node-exporter.resources', definedBy: 'prometheus-node-exporter 4.56.1 values.yaml line 334' },
];

/** Maps passed through whole: Alertmanager's own configuration and Grafana's INI sections. */
const FREE_FORM = ['alertmanager.config', 'grafana.grafana.ini'];

/** The parent's reference with the declared subchart keys added (as empty maps: below them anything goes). */
function reference(): unknown {
  const ref = structuredClone(referenceValues(CHART.chart, CHART.version)) as Record<string, any>;
  for (const { path: p } of SUBCHART_KEYS) {
    const parts = p.split('.').reduce<string[]>((acc, part, i, all) => (part === 'ini' && all[i - 1] === 'grafana' && i === 2 ? [...acc.slice(0, -1), 'grafana.ini'] : [...acc, part]), []);
    let at = ref;
    for (const part of parts.slice(0, -1)) at = at[part] ??= {};
    if (!(parts.at(-1)! in at)) at[parts.at(-1)!] = {};
  }
  return ref;
}

const valuesFile = (name: string) => parse(fs.readFileSync(path.join(MONITORING, name), 'utf8'));

describe('kube-prometheus-stack values', () => {
  test.each(['values.yaml', ...ENV_NAMES.map((e) => `values-${e}.yaml`)])('%s: every key exists in the pinned chart (or its declared subchart keys)', (file) => {
    expect(unknownValueKeys(valuesFile(file), reference(), FREE_FORM)).toEqual([]);
  });

  test.each(ENV_NAMES)('%s: monitoring-crds valuesObject: every key exists in the chart, and it renders the CRDs only', (env) => {
    const app = readManifests(path.join(GITOPS_DIR, 'argocd', env, 'monitoring-crds.yaml'))[0];
    const values = app.spec.source.helm.valuesObject;
    expect(unknownValueKeys(values, reference(), FREE_FORM)).toEqual([]);
    expect(values.crds.enabled).toBe(true);
    // every component of the chart off: prometheus, alertmanager, the operator, grafana, the exporters, rules, RBAC
    for (const key of ['alertmanager', 'grafana', 'kubeStateMetrics', 'nodeExporter', 'prometheusOperator', 'prometheus', 'thanosRuler', 'windowsMonitoring', 'kubernetesServiceMonitors']) {
      expect([key, values[key].enabled]).toEqual([key, false]);
    }
    expect([values.defaultRules.create, values.global.rbac.create]).toEqual([false, false]);
  });

  test.each(SUBCHART_KEYS.map((k) => [k.path, k]))('declared subchart key %s is one the parent does not list (else the declaration is stale)', (_p, key) => {
    const parts = key.path.replace('grafana.grafana.ini', 'grafana.\u0000').split('.').map((p) => (p === '\u0000' ? 'grafana.ini' : p));
    let at: any = referenceValues(CHART.chart, CHART.version);
    for (const part of parts) at = at?.[part];
    expect(at).toBeUndefined();
  });

  test('the check fails on a misspelt key and on an undeclared subchart key', () => {
    expect(unknownValueKeys({ prometheus: { prometheusSpec: { retentionSizee: '1GB' } } }, reference(), FREE_FORM)).toEqual(['prometheus.prometheusSpec.retentionSizee']);
    expect(unknownValueKeys({ grafana: { replicaCount: 2 } }, reference(), FREE_FORM)).toEqual(['grafana.replicaCount']);
    expect(unknownValueKeys({ alertmanager: { config: { anything: 1 } } }, reference(), FREE_FORM)).toEqual([]);
  });
});
