/**
 * The observability settings: every validation fails with the field, the value and what is allowed; the
 * shipped environments are valid; the platform's pod table (for the capacity check) follows the settings.
 */
import { BILLING, ENVIRONMENTS } from '../../config/environments';
import { observabilityFootprint, observabilityPods } from '../../config/observability';
import { BillingSettings, EnvironmentSettings, ObservabilitySettings } from '../../config/settings';
import { validateAccount, validateBilling } from '../../config/validate';
import { problemsFrom, problemsOf } from '../support/settings';

const withObservability = (base: EnvironmentSettings, change: (o: ObservabilitySettings) => Partial<ObservabilitySettings>): EnvironmentSettings => ({
  ...base,
  observability: { ...base.observability, ...change(base.observability) },
});

describe('observability settings validation', () => {
  const { dev, prod } = ENVIRONMENTS;

  test.each<[string, EnvironmentSettings, string]>([
    ['a chart range', withObservability(dev, (o) => ({ chart: { ...o.chart, version: '^88.5.0' } })), 'dev.observability.chart.version: got "^88.5.0", expected an exact version "major.minor.patch" (three numbers without leading zeros'],
    ['another chart', withObservability(dev, (o) => ({ chart: { ...o.chart, chart: 'prometheus' } })), 'dev.observability.chart.chart: got "prometheus", expected "kube-prometheus-stack"'],
    ['Grafana outside the zone', withObservability(dev, () => ({ grafanaHostname: 'grafana.example.com' })), 'dev.observability.grafanaHostname: got "grafana.example.com", expected a name ending in ".tiketi.com"'],
    ['Grafana on the Argo CD host', withObservability(dev, () => ({ grafanaHostname: 'argocd-dev.tiketi.com' })), 'dev.observability.grafanaHostname: got "argocd-dev.tiketi.com", expected a name other than the API, frontend and Argo CD hosts'],
    ['one Prometheus in prod', withObservability(prod, (o) => ({ prometheus: { ...o.prometheus, replicas: 1 } })), 'prod.observability.prometheus.replicas: got 1, expected 2 or more in prod'],
    ['a week of history in prod', withObservability(prod, (o) => ({ prometheus: { ...o.prometheus, retentionDays: 7 } })), 'prod.observability.prometheus.retentionDays: got 7, expected 14 or more in prod'],
    ['an emptyDir in prod', withObservability(prod, (o) => ({ prometheus: { ...o.prometheus, storageGb: 0 } })), 'prod.observability.prometheus.storageGb: got 0, expected a persistent volume'],
    ['a retention cap that fills the volume', withObservability(prod, (o) => ({ prometheus: { ...o.prometheus, retentionSizeGb: 45 } })), 'prod.observability.prometheus.retentionSizeGb: got 45, expected at most 80 % of prod.observability.prometheus.storageGb (50 GiB)'],
    ['two Alertmanagers in prod', withObservability(prod, (o) => ({ alertmanager: { ...o.alertmanager, replicas: 2 } })), 'prod.observability.alertmanager.replicas: got 2, expected an odd number of 3 or more in prod'],
    ['Alertmanager without a volume in prod', withObservability(prod, (o) => ({ alertmanager: { ...o.alertmanager, storageGb: 0 } })), 'prod.observability.alertmanager.storageGb: got 0, expected a persistent volume in prod'],
    ['a Slack channel with "#"', withObservability(dev, () => ({ slackChannel: '#alerts' })), 'dev.observability.slackChannel: got "#alerts", expected a Slack channel name without "#"'],
    ['no paging in prod', withObservability(prod, () => ({ paging: false })), 'prod.observability.paging: got false, expected true in prod'],
    ['nobody on the alarm topic', withObservability(dev, () => ({ alarmEmails: [] })), 'dev.observability.alarmEmails: got [], expected at least one address'],
    ['a malformed address', withObservability(dev, () => ({ alarmEmails: ['ops'] })), 'dev.observability.alarmEmails[0]: got "ops", expected an e-mail address'],
    ['a log retention CloudWatch refuses', withObservability(dev, () => ({ containerLogRetentionDays: 10 })), 'dev.observability.containerLogRetentionDays: got 10, expected one of 1, 3, 5, 7, 14, 30'],
    ['Fluent Bit on latest', withObservability(dev, () => ({ fluentBitImage: 'cr.fluentbit.io/fluent/fluent-bit:latest' })), 'dev.observability.fluentBitImage: got "cr.fluentbit.io/fluent/fluent-bit:latest", expected an image with an exact x.y.z tag'],
    ['Fluent Bit without Pod Identity', withObservability(dev, () => ({ fluentBitImage: 'cr.fluentbit.io/fluent/fluent-bit:3.2.10' })), 'dev.observability.fluentBitImage: got "cr.fluentbit.io/fluent/fluent-bit:3.2.10", expected Fluent Bit 4.0 or later'],
    ['an ALB latency threshold of 0', withObservability(dev, (o) => ({ alarms: { ...o.alarms, albP99Seconds: 0 } })), 'dev.observability.alarms.albP99Seconds: got 0, expected seconds above 0'],
  ])('fails on %s', (_case, env, message) => {
    const problems = problemsOf(env);
    expect(problems.some((p) => p.startsWith(message))).toBe(true);
  });

  test('two environments with the same Grafana host fail across the account', () => {
    const environments = { ...ENVIRONMENTS, staging: withObservability(ENVIRONMENTS.staging, () => ({ grafanaHostname: ENVIRONMENTS.prod.observability.grafanaHostname })) };
    expect(problemsFrom(() => validateAccount(environments)).join('\n')).toContain('prod.observability.grafanaHostname: got "grafana.tiketi.com", expected a name no other environment uses');
  });
});

describe('billing settings validation', () => {
  const billing = (change: Partial<BillingSettings>): BillingSettings => ({ ...BILLING, ...change });
  test('the shipped settings are valid', () => {
    expect(problemsFrom(() => validateBilling())).toEqual([]);
  });
  test.each<[string, Partial<BillingSettings>, string]>([
    ['a zero limit', { monthlyLimitUsd: 0 }, 'billing.monthlyLimitUsd: got 0, expected a positive amount of USD'],
    ['a percentage of 0', { actualAlertPercents: [0] }, 'billing.actualAlertPercents[0]: got 0, expected an integer from 1 to 1000'],
    ['no alert at all', { actualAlertPercents: [], forecastAlertPercents: [] }, 'billing.actualAlertPercents: got [], expected at least one alert'],
    ['nobody to tell', { alertEmails: [] }, 'billing.alertEmails: got [], expected at least one address'],
  ])('fails on %s', (_case, change, message) => {
    expect(problemsFrom(() => validateBilling(billing(change))).some((p) => p.startsWith(message))).toBe(true);
  });
});

describe('the observability pods (for the pod capacity check)', () => {
  test('prod runs Prometheus as an HA pair and three Alertmanagers; dev one of each', () => {
    const count = (env: EnvironmentSettings, workload: string) => observabilityPods(env).find((p) => p.workload === workload)?.replicas;
    expect([count(ENVIRONMENTS.prod, 'prometheus'), count(ENVIRONMENTS.prod, 'alertmanager')]).toEqual([2, 3]);
    expect([count(ENVIRONMENTS.dev, 'prometheus'), count(ENVIRONMENTS.dev, 'alertmanager')]).toEqual([1, 1]);
  });

  test('node-exporter and Fluent Bit run on every node; everything else once per cluster', () => {
    const perNode = observabilityPods(ENVIRONMENTS.prod).filter((p) => p.replicas === 'perNode').map((p) => p.workload);
    expect(perNode.sort()).toEqual(['fluent-bit', 'kube-prometheus-stack-prometheus-node-exporter']);
    const footprint = observabilityFootprint(ENVIRONMENTS.prod);
    // prometheus 2 × (500m + 10m) + alertmanager 3 × (20m + 10m) + grafana 100m + 2 × 20m + KSM 50m + operator 100m
    expect(footprint.perCluster).toEqual({ pods: 8, cpuMillis: 1020 + 90 + 140 + 50 + 100, memoryMiB: 2 * (2048 + 32) + 3 * (64 + 32) + 256 + 128 + 128 + 128 });
    expect(footprint.perNode).toEqual({ pods: 2, cpuMillis: 70, memoryMiB: 128 });
  });
});
