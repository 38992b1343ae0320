import { BillingSettings, EnvironmentSettings } from '../settings';
import { isInZone } from './edge';
import { LOG_RETENTION_DAYS, Problems } from './problems';
import { AWS_REGION, DNS_NAME, EMAIL, EXACT_VERSION, HTTPS_URL, PINNED_IMAGE, SLACK_CHANNEL } from './rules';

/** Metrics, alerts and logs of one environment (docs/observability.md). */
export function validateObservability(env: EnvironmentSettings, problems: Problems): void {
  const o = env.observability;
  const at = `${env.name}.observability`;
  const prod = env.name === 'prod';

  problems.rule(`${at}.chart.version`, o.chart.version, EXACT_VERSION);
  problems.check(o.chart.chart === 'kube-prometheus-stack', `${at}.chart.chart`, o.chart.chart, '"kube-prometheus-stack" (gitops/platform/monitoring is written for it)');
  problems.rule(`${at}.chart.repository`, o.chart.repository, HTTPS_URL);

  const zone = env.edge.zoneName;
  // Inside the zone is checked against a valid zone only (validateEdge reports a wrong one).
  if (problems.rule(`${at}.grafanaHostname`, o.grafanaHostname, DNS_NAME) && !problems.reported(`${env.name}.edge.zoneName`)) {
    problems.check(isInZone(o.grafanaHostname, zone) && o.grafanaHostname !== zone, `${at}.grafanaHostname`, o.grafanaHostname, `a name ending in ".${zone}" (inside ${env.name}.edge.zoneName)`);
    const taken = [env.edge.apiDomain, env.edge.frontendDomain, env.argocd.hostname];
    problems.check(!taken.includes(o.grafanaHostname), `${at}.grafanaHostname`, o.grafanaHostname, `a name other than the API, frontend and Argo CD hosts (${taken.join(', ')})`);
  }

  const p = o.prometheus;
  // Prod's minimums are checked on values inside their range only: one bad value, one message.
  problems.checkInteger(`${at}.prometheus.replicas`, p.replicas, 1, 3);
  if (prod && !problems.reported(`${at}.prometheus.replicas`)) problems.check(p.replicas >= 2, `${at}.prometheus.replicas`, p.replicas, '2 or more in prod (one Prometheus is a single point of failure for every alert)');
  problems.checkInteger(`${at}.prometheus.retentionDays`, p.retentionDays, 1, 90);
  if (prod && !problems.reported(`${at}.prometheus.retentionDays`)) problems.check(p.retentionDays >= 14, `${at}.prometheus.retentionDays`, p.retentionDays, '14 or more in prod (two weeks of history for an incident review and the slow burn-rate window of 3 days)');
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
  if (prod && !problems.reported(`${at}.alertmanager.replicas`)) problems.check(a.replicas >= 3 && a.replicas % 2 === 1, `${at}.alertmanager.replicas`, a.replicas, 'an odd number of 3 or more in prod (a gossip cluster that survives a node)');
  problems.checkInteger(`${at}.alertmanager.storageGb`, a.storageGb, 0, 100);
  if (prod && !problems.reported(`${at}.alertmanager.storageGb`)) problems.check(a.storageGb > 0, `${at}.alertmanager.storageGb`, a.storageGb, 'a persistent volume in prod (silences survive a rollout of every replica)');

  problems.rule(`${at}.slackChannel`, o.slackChannel, SLACK_CHANNEL);
  if (prod) problems.check(o.paging, `${at}.paging`, o.paging, 'true in prod (critical alerts page the on-call engineer through PagerDuty)');
  problems.check(o.alarmEmails.length > 0, `${at}.alarmEmails`, o.alarmEmails, 'at least one address (an alarm topic nobody subscribes to alerts nobody)');
  o.alarmEmails.forEach((email, i) => problems.rule(`${at}.alarmEmails[${i}]`, email, EMAIL));
  problems.check(new Set(o.alarmEmails).size === o.alarmEmails.length, `${at}.alarmEmails`, o.alarmEmails, 'each address once');

  problems.checkInteger(`${at}.alarms.rdsMaxConnections`, o.alarms.rdsMaxConnections, 10, 5000);
  problems.check(o.alarms.albP99Seconds > 0 && o.alarms.albP99Seconds <= 30, `${at}.alarms.albP99Seconds`, o.alarms.albP99Seconds, 'seconds above 0 and at most 30');

  problems.oneOf(`${at}.containerLogRetentionDays`, o.containerLogRetentionDays, LOG_RETENTION_DAYS);
  problems.rule(`${at}.fluentBitImage`, o.fluentBitImage, PINNED_IMAGE);
  const fluentBitMajor = Number(/:(\d+)\./.exec(o.fluentBitImage)?.[1] ?? 0);
  if (!problems.reported(`${at}.fluentBitImage`)) {
    problems.check(fluentBitMajor >= 4, `${at}.fluentBitImage`, o.fluentBitImage, 'Fluent Bit 4.0 or later (earlier releases cannot use EKS Pod Identity credentials)');
  }
}

/** The account-wide budget (billing stack). */
export function validateBillingSettings(billing: BillingSettings, problems: Problems): void {
  const at = 'billing';
  problems.rule(`${at}.region`, billing.region, AWS_REGION);
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
  billing.alertEmails.forEach((email, i) => problems.rule(`${at}.alertEmails[${i}]`, email, EMAIL));
  // AWS Budgets allows at most 10 e-mail subscribers per notification.
  problems.check(billing.alertEmails.length <= 10, `${at}.alertEmails`, billing.alertEmails, 'at most 10 addresses (AWS Budgets: 10 e-mail subscribers per notification)');
}
