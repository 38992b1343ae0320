/**
 * Every PrometheusRule the environments deploy (the services' in tiketi-<env>, the platform's in monitoring)
 * and every dashboard query: parsed with Prometheus's grammar, each metric one the scrape targets expose
 * (helpers/metrics-catalogue.ts, the services' from the contract), each label it groups, matches or prints
 * one its series carry, each `job` one a ServiceMonitor produces; every alert with a severity, a summary and
 * a runbook_url that resolves to a file. The burn-rate windows and factors are the policy, written out.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ENV_NAMES, GITOPS_DIR, SERVICES, type EnvName } from '../gitops/helpers/facts';
import { kustomize, ofKind, type Manifest } from '../gitops/helpers/manifests';
import { EXPORTER_METRICS, REPO_ROOT, serviceMetrics } from './helpers/metrics-catalogue';
import { analyse, templateLabels, type Catalogue } from './helpers/promql';

const RUNBOOKS = 'https://github.com/tiketi/tiketi-platform/blob/main/';

interface Rule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

const rendered = {} as Record<EnvName, { rules: { from: string; rule: Rule }[]; jobs: string[] }>;
beforeAll(() => {
  for (const env of ENV_NAMES) {
    const overlay = kustomize(path.join(GITOPS_DIR, 'overlays', env)).objects;
    const platform = kustomize(path.join(GITOPS_DIR, 'platform', 'monitoring', 'overlays', env)).objects;
    const rules = [...overlay, ...platform]
      .filter((o) => o.kind === 'PrometheusRule')
      .flatMap((o) => (o.spec.groups as { name: string; rules: Rule[] }[]).flatMap((g) => g.rules.map((rule) => ({ from: `${o.metadata.namespace}/${o.metadata.name}/${g.name}`, rule }))));
    // What the ServiceMonitor tiketi-services produces: one job per Service it selects (the Service name).
    const monitor = ofKind(overlay, 'ServiceMonitor').find((s) => s.metadata.name === 'tiketi-services') as Manifest;
    const jobs = ofKind(overlay, 'Service')
      .filter((s) => Object.entries(monitor.spec.selector.matchLabels as Record<string, string>).every(([k, v]) => s.metadata.labels?.[k] === v))
      .filter((s) => (s.spec.ports as { name: string }[]).some((p) => p.name === monitor.spec.endpoints[0].port))
      .map((s) => s.metadata.name);
    rendered[env] = { rules, jobs };
  }
});

/** The catalogue plus each recording rule's output, in order (a rule may read an earlier one). */
function catalogueWith(rules: { rule: Rule }[]): { catalogue: Record<string, { labels: readonly string[]; source: string }>; problems: string[] } {
  const catalogue: Record<string, { labels: readonly string[]; source: string }> = { ...EXPORTER_METRICS, ...serviceMetrics() };
  const problems: string[] = [];
  for (const { rule } of rules.filter((r) => r.rule.record)) {
    const a = analyse(rule.expr, (metric) => catalogue[metric]?.labels);
    problems.push(...a.problems.map((p) => `${rule.record}: ${p}`));
    catalogue[rule.record!] = { labels: [...(a.labels ?? [])], source: 'recording rule' };
  }
  return { catalogue, problems };
}

/** Every problem of one rule (its expression, labels, job values, annotations, runbook). */
function ruleProblems(rule: Rule, catalogue: Catalogue, jobs: readonly string[]): string[] {
  const name = rule.alert ?? rule.record ?? '?';
  const a = analyse(rule.expr, (metric) => catalogue[metric]?.labels);
  const problems = a.problems.map((p) => `${name}: ${p}`);
  for (const s of a.selectors) {
    for (const m of s.matchers.filter((x) => x.label === 'job')) {
      const values = m.op === '=~' ? m.value.split('|') : [m.value];
      for (const v of values) if (!jobs.includes(v)) problems.push(`${name}: job ${v} is produced by no ServiceMonitor (jobs: ${jobs.join(', ')})`);
    }
  }
  if (!rule.alert) return problems;
  if (!['critical', 'warning'].includes(rule.labels?.severity ?? '')) problems.push(`${name}: severity ${rule.labels?.severity} (critical pages in prod, warning goes to Slack)`);
  const summary = rule.annotations?.summary ?? '';
  if (summary.length < 20) problems.push(`${name}: no summary`);
  for (const l of templateLabels(summary)) if (!a.labels?.has(l)) problems.push(`${name}: summary prints $labels.${l}, which the alert's series do not carry (${[...(a.labels ?? [])].join(', ') || 'none'})`);
  const url = rule.annotations?.runbook_url ?? '';
  const file = url.startsWith(RUNBOOKS) ? url.slice(RUNBOOKS.length) : undefined;
  if (!file || !file.startsWith('docs/runbooks/alerts/') || !fs.existsSync(path.join(REPO_ROOT, file))) problems.push(`${name}: runbook_url ${JSON.stringify(url)} resolves to no file of docs/runbooks/alerts/`);
  return problems;
}

describe.each(ENV_NAMES)('%s: alert rules', (env) => {
  test('every rule parses, reads only what the targets expose, groups and prints only labels its series carry, and links a runbook that exists', () => {
    const { rules, jobs } = rendered[env];
    expect(rules.length).toBeGreaterThan(20);
    const { catalogue, problems } = catalogueWith(rules);
    expect([...problems, ...rules.flatMap(({ rule }) => ruleProblems(rule, catalogue, jobs))]).toEqual([]);
  });

  test('the jobs of the services are the five Services (what the ServiceMonitor produces)', () => {
    expect(rendered[env].jobs.sort()).toEqual([...SERVICES].sort());
  });

  test('the alerts the issue asks for exist: availability, error-budget burn, crash loops, HPA at max, node pressure, certificates, Argo CD', () => {
    const alerts = rendered[env].rules.map((r) => r.rule.alert).filter((a): a is string => a !== undefined);
    expect(alerts).toEqual(expect.arrayContaining([
      'TiketiServiceUnavailable', 'TiketiErrorBudgetBurnFast', 'TiketiErrorBudgetBurnSlow', 'KubePodCrashLooping', 'KubeHpaMaxedOut',
      'KubeNodePressure', 'KubeletCertificateExpiring', 'ArgoCdAppDegraded', 'ArgoCdAppOutOfSync',
    ]));
    expect(new Set(alerts).size).toBe(alerts.length);
  });

  test('burn rates of the 99.5 % objective, multi-window as in the SRE workbook: page 14.4 × (1 h and 5 m) or 6 × (6 h and 30 m); ticket 3 × (1 d and 2 h) or 1 × (3 d and 6 h)', () => {
    const expr = (name: string) => rendered[env].rules.find((r) => r.rule.alert === name)!.rule.expr.replace(/\s+/g, ' ');
    const pair = (factor: number, long: string, short: string) =>
      `( tiketi:api_errors:ratio_rate${long} > (${factor} * 0.005) and tiketi:api_errors:ratio_rate${short} > (${factor} * 0.005) )`;
    expect(expr('TiketiErrorBudgetBurnFast')).toBe(`${pair(14.4, '1h', '5m')} or ${pair(6, '6h', '30m')}`);
    expect(expr('TiketiErrorBudgetBurnSlow')).toBe(`${pair(3, '1d', '2h')} or ${pair(1, '3d', '6h')}`);
    const fast = rendered[env].rules.find((r) => r.rule.alert === 'TiketiErrorBudgetBurnFast')!.rule;
    expect(fast.labels?.severity).toBe('critical');
    // the ratio is the API gateway's 5xx share: every user request passes backend
    const ratio = rendered[env].rules.find((r) => r.rule.record === 'tiketi:api_errors:ratio_rate1h')!.rule.expr.replace(/\s+/g, ' ');
    expect(ratio).toBe('sum by (namespace) (rate(http_request_duration_seconds_count{job="backend", status_code=~"5.."}[1h])) / sum by (namespace) (rate(http_request_duration_seconds_count{job="backend"}[1h]))');
  });
});

describe('the checks themselves fail on', () => {
  const catalogue = (): Catalogue => catalogueWith(rendered.prod.rules).catalogue;
  const good: Rule = { alert: 'X', expr: 'kube_node_status_condition{condition="Ready", status="true"} == 0', labels: { severity: 'warning' }, annotations: { summary: 'Node {{ $labels.node }} is not ready at all.', runbook_url: `${RUNBOOKS}docs/runbooks/alerts/kube-node-not-ready.md` } };
  const problems = (change: Partial<Rule>) => ruleProblems({ ...good, ...change }, catalogue(), rendered.prod.jobs);

  test('nothing, for a good rule', () => expect(problems({})).toEqual([]));
  test('a metric no target exposes', () => expect(problems({ expr: 'kube_node_ready == 0' }).join()).toMatch(/unknown metric kube_node_ready/));
  test('a grouping label the series lack', () => expect(problems({ expr: 'sum by (phase) (kube_node_status_condition) > 0' }).join()).toMatch(/label phase is not on the series/));
  test('a matcher label the metric lacks', () => expect(problems({ expr: 'kube_node_status_condition{phase="x"} == 0' }).join()).toMatch(/matcher of kube_node_status_condition: label phase/));
  test('a summary printing a label the result lacks (absent over a comparison returns no labels)', () =>
    expect(problems({ expr: 'absent(up{job="backend"} == 1)', annotations: { ...good.annotations!, summary: 'No {{ $labels.job }} target at all here.' } }).join()).toMatch(/prints \$labels.job/));
  test('a job no ServiceMonitor produces', () => expect(problems({ expr: 'up{job="billing-service"} == 0' }).join()).toMatch(/job billing-service is produced by no ServiceMonitor/));
  test('a runbook that does not exist', () => expect(problems({ annotations: { ...good.annotations!, runbook_url: `${RUNBOOKS}docs/runbooks/alerts/nope.md` } }).join()).toMatch(/resolves to no file/));
  test('a syntax error', () => expect(problems({ expr: 'sum(rate(up[5m])' }).join()).toMatch(/parse error/));
  test('no severity', () => expect(problems({ labels: {} }).join()).toMatch(/severity undefined/));
});

describe('dashboards', () => {
  const dir = path.join(GITOPS_DIR, 'platform', 'monitoring', 'base', 'dashboards');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
  /** Grafana's variables, as a query with one value selected sends them. */
  const substitute = (expr: string) => expr.replace(/\$namespace/g, 'tiketi-prod').replace(/\$service/g, 'backend');

  test('the Argo CD dashboard and the Tiketi services dashboard are provisioned as code', () => {
    expect(files.sort()).toEqual(['argocd.json', 'tiketi-services.json']);
    const objects = kustomize(path.join(GITOPS_DIR, 'platform', 'monitoring', 'overlays', 'prod')).objects;
    const maps = ofKind(objects, 'ConfigMap').filter((c) => c.metadata.labels?.grafana_dashboard === '1');
    expect(maps.map((c) => Object.keys(c.data)[0]).sort()).toEqual(files.sort());
  });

  test.each(files)('%s: every query parses and reads known metrics; every legend label is on its series', (file) => {
    const dashboard = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    const { catalogue } = catalogueWith(rendered.prod.rules);
    const problems: string[] = [];
    let queries = 0;
    for (const panel of dashboard.panels) {
      for (const t of panel.targets ?? []) {
        queries++;
        const a = analyse(substitute(t.expr), (metric) => catalogue[metric]?.labels);
        problems.push(...a.problems.map((p) => `${panel.title}: ${p}`));
        for (const l of [...String(t.legendFormat ?? '').matchAll(/\{\{\s*([A-Za-z_]+)\s*\}\}/g)].map((x) => x[1])) {
          if (!a.labels?.has(l)) problems.push(`${panel.title}: legend {{${l}}} is not a label of the series`);
        }
      }
    }
    expect(queries).toBeGreaterThan(5);
    expect(problems).toEqual([]);
  });

  test('the services dashboard shows request rate, errors, latency percentiles and saturation per service', () => {
    const d = JSON.parse(fs.readFileSync(path.join(dir, 'tiketi-services.json'), 'utf8'));
    const exprs = d.panels.flatMap((p: { targets: { expr: string }[] }) => p.targets.map((t) => t.expr)).join('\n');
    for (const needle of ['http_request_duration_seconds_count', 'status_code=~"5.."', 'histogram_quantile(0.5,', 'histogram_quantile(0.95,', 'histogram_quantile(0.99,', 'container_cpu_usage_seconds_total', 'container_memory_working_set_bytes', 'nodejs_eventloop_lag_p99_seconds']) {
      expect([needle, exprs.includes(needle)]).toEqual([needle, true]);
    }
    expect(d.templating.list.map((v: { name: string }) => v.name)).toEqual(['namespace', 'service']);
  });
});

test('every environment runs the same alerts, each with a severity that routes (critical or warning)', () => {
  const alerts = (env: EnvName) => rendered[env].rules.filter((r) => r.rule.alert).map((r) => `${r.rule.alert} ${r.rule.labels?.severity}`).sort();
  expect(alerts('dev').length).toBeGreaterThan(10);
  for (const env of ENV_NAMES) {
    expect({ env, alerts: alerts(env) }).toEqual({ env, alerts: alerts('dev') });
    expect(alerts(env).filter((a) => !/ (critical|warning)$/.test(a))).toEqual([]);
  }
});
