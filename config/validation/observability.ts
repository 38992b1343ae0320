import { BillingSettings, EnvironmentSettings } from '../settings';
import { isInZone } from './edge';
import { LOG_RETENTION_DAYS, Problems, isDomainName } from './problems';

const EXACT_VERSION = /^\d+\.\d+\.\d+$/;
const SLACK_CHANNEL = /^[a-z0-9][a-z0-9._-]{0,79}$/;
/** A pinned image reference: a registry path and an exact `x.y.z` tag (no `latest`, no range). */
const PINNED_IMAGE = /^[a-z0-9.-]+(\/[a-z0-9._-]+)+:\d+\.\d+\.\d+$/;
const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;

/** Metrics, alerts and logs of one environment (docs/observability.md). */
export function validateObservability(env: EnvironmentSettings, problems: Problems): void {
  const o = env.observability;
  const at = `${env.name}.observability`;
  const prod = env.name === 'prod';

  problems.check(EXACT_VERSION.test(o.chart.version), `${at}.chart.version`, o.chart.version, 'an exact chart version "major.minor.patch" (no range, no tag)');
  problems.check(o.chart.chart === 'kube-prometheus-stack', `${at}.chart.chart`, o.chart.chart, '"kube-prometheus-stack" (gitops/platform/monitoring is written for it)');
  problems.check(/^https:\/\/[a-z0-9.-]+(\/[\w.-]+)*$/.test(o.chart.repository), `${at}.chart.repository`, o.chart.repository, 'an https:// chart repository URL');

  const zone = env.edge.zoneName;
  if (problems.check(isDomainName(o.grafanaHostname), `${at}.grafanaHostname`, o.grafanaHostname, 'a DNS name such as "grafana.tiketi.com" (lower case, no trailing dot)')) {
    problems.check(isInZone(o.grafanaHostname, zone) && o.grafanaHostname !== zone, `${at}.grafanaHostname`, o.grafanaHostname, `a name ending in ".${zone}" (inside ${env.name}.edge.zoneName)`);
    const taken = [env.edge.apiDomain, env.edge.frontendDomain, env.argocd.hostname];
    problems.check(!taken.includes(o.grafanaHostname), `${at}.grafanaHostname`, o.grafanaHostname, `a name other than the API, frontend and Argo CD hosts (${taken.join(', ')})`);
  }

  const p = o.prometheus;
  problems.checkInteger(`${at}.prometheus.replicas`, p.replicas, 1, 3);
  if (prod) problems.check(p.replicas >= 2, `${at}.prometheus.replicas`, p.replicas, '2 or more in prod (one Prometheus is a single point of failure for every alert)');
  problems.checkInteger(`${at}.prometheus.retentionDays`, p.retentionDays, 1, 90);
  if (prod) problems.check(p.retentionDays >= 14, `${at}.prometheus.retentionDays`, p.retentionDays, '14 or more in prod (two weeks of history for an incident review and the slow burn-rate window of 3 days)');
  else problems.check(p.retentionDays >= 2, `${at}.prometheus.retentionDays`, p.retentionDays, '2 or more (the slow burn-rate alert reads 1 day; 3 days outside dev)');
  problems.checkInteger(`${at}.prometheus.retentionSizeGb`, p.retentionSizeGb, 1, 1000);
  problems.checkInteger(`${at}.prometheus.storageGb`, p.storageGb, 0, 1000);
  if (p.storageGb === 0) {
    problems.check(!prod, `${at}.prometheus.storageGb`, p.storageGb, 'a persistent volume (GiB, not 0) in prod: an emptyDir loses the history with every restart');
  } else {
    problems.check(p.retentionSizeGb <= 0.8 * p.storageGb, `${at}.prometheus.retentionSizeGb`, p.retentionSizeGb, `at most 80 % of ${at}.prometheus.storageGb (${p.storageGb} GiB): the WAL and compaction need the rest, and a full volume stops ingestion`);
  }
  problems.checkInteger(`${at}.prometheus.requests.cpuMillis`, p.requests.cpuMillis, 50, 8000);
  problems.checkInteger(`${at}.prometheus.requests.memoryMiB`, p.requests.memoryMiB, 256, 32768);

  const a = o.alertmanager;
  problems.checkInteger(`${at}.alertmanager.replicas`, a.replicas, 1, 5);
  if (prod) problems.check(a.replicas >= 3 && a.replicas % 2 === 1, `${at}.alertmanager.replicas`, a.replicas, 'an odd number of 3 or more in prod (a gossip cluster that survives a node)');
  problems.checkInteger(`${at}.alertmanager.storageGb`, a.storageGb, 0, 100);
  if (prod) problems.check(a.storageGb > 0, `${at}.alertmanager.storageGb`, a.storageGb, 'a persistent volume in prod (silences survive a rollout of every replica)');

  problems.check(SLACK_CHANNEL.test(o.slackChannel), `${at}.slackChannel`, o.slackChannel, 'a Slack channel name without "#" (lower case letters, digits, "-", "_", ".")');
  if (prod) problems.check(o.paging, `${at}.paging`, o.paging, 'true in prod (critical alerts page the on-call engineer through PagerDuty)');
  problems.check(o.alarmEmails.length > 0, `${at}.alarmEmails`, o.alarmEmails, 'at least one address (an alarm topic nobody subscribes to alerts nobody)');
  o.alarmEmails.forEach((email, i) => problems.check(EMAIL.test(email), `${at}.alarmEmails[${i}]`, email, 'an e-mail address'));
  problems.check(new Set(o.alarmEmails).size === o.alarmEmails.length, `${at}.alarmEmails`, o.alarmEmails, 'each address once');

  problems.checkInteger(`${at}.alarms.rdsMaxConnections`, o.alarms.rdsMaxConnections, 10, 5000);
  problems.check(o.alarms.albP99Seconds > 0 && o.alarms.albP99Seconds <= 30, `${at}.alarms.albP99Seconds`, o.alarms.albP99Seconds, 'seconds above 0 and at most 30');

  problems.oneOf(`${at}.containerLogRetentionDays`, o.containerLogRetentionDays, LOG_RETENTION_DAYS);
  problems.check(PINNED_IMAGE.test(o.fluentBitImage), `${at}.fluentBitImage`, o.fluentBitImage, 'an image with an exact x.y.z tag, e.g. "cr.fluentbit.io/fluent/fluent-bit:5.1.1"');
  const fluentBitMajor = Number(/:(\d+)\./.exec(o.fluentBitImage)?.[1] ?? 0);
  if (!problems.reported(`${at}.fluentBitImage`)) {
    problems.check(fluentBitMajor >= 4, `${at}.fluentBitImage`, o.fluentBitImage, 'Fluent Bit 4.0 or later (earlier releases cannot use EKS Pod Identity credentials)');
  }
}

/** The account-wide budget (billing stack). */
export function validateBillingSettings(billing: BillingSettings, problems: Problems): void {
  const at = 'billing';
  problems.check(/^[a-z]{2}-[a-z]+-\d$/.test(billing.region), `${at}.region`, billing.region, 'an AWS region such as "ap-northeast-2"');
  problems.check(Number.isFinite(billing.monthlyLimitUsd) && billing.monthlyLimitUsd >= 1, `${at}.monthlyLimitUsd`, billing.monthlyLimitUsd, 'a positive amount of USD');
  const percents = (field: 'actualAlertPercents' | 'forecastAlertPercents') => {
    const list = billing[field];
    list.forEach((p, i) => problems.checkInteger(`${at}.${field}[${i}]`, p, 1, 1000));
    problems.check(new Set(list).size === list.length, `${at}.${field}`, list, 'each percentage once');
  };
  percents('actualAlertPercents');
  percents('forecastAlertPercents');
  problems.check(billing.actualAlertPercents.length + billing.forecastAlertPercents.length > 0, `${at}.actualAlertPercents`, billing.actualAlertPercents, 'at least one alert (actual or forecast)');
  problems.check(billing.alertEmails.length > 0, `${at}.alertEmails`, billing.alertEmails, 'at least one address');
  billing.alertEmails.forEach((email, i) => problems.check(EMAIL.test(email), `${at}.alertEmails[${i}]`, email, 'an e-mail address'));
  // AWS Budgets allows at most 10 e-mail subscribers per notification.
  problems.check(billing.alertEmails.length <= 10, `${at}.alertEmails`, billing.alertEmails, 'at most 10 addresses (AWS Budgets: 10 e-mail subscribers per notification)');
}
