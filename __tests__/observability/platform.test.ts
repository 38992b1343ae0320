/**
 * The platform Applications of gitops/argocd/<env> (monitoring-crds, monitoring, logging) and their AppProject,
 * the values against the settings (sizes, the pod table the capacity check reads), Grafana on the Argo CD ALB
 * (the controller's IngressGroup merge rules), Fluent Bit against the observability stack, and the secrets.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { ENVIRONMENTS as SETTINGS } from '../../config/environments';
import { PLATFORM_CONTAINER_REQUESTS, observabilityPods } from '../../config/observability';
import { ENV_NAMES, ENVIRONMENTS, GITOPS_DIR, REPO_ROOT, type EnvName } from '../gitops/helpers/facts';
import { kustomize, ofKind, type Manifest } from '../gitops/helpers/manifests';
import { resourcesOf, synthApp } from '../support/synth';
import { releases } from '../argocd/helpers/stack';

const MONITORING = path.join(GITOPS_DIR, 'platform', 'monitoring');
const argocdObjects = {} as Record<EnvName, Manifest[]>;
const platform = {} as Record<EnvName, { monitoring: Manifest[]; logging: Manifest[]; overlay: Manifest[] }>;
beforeAll(() => {
  for (const env of ENV_NAMES) {
    argocdObjects[env] = kustomize(path.join(GITOPS_DIR, 'argocd', env)).objects;
    platform[env] = {
      monitoring: kustomize(path.join(MONITORING, 'overlays', env)).objects,
      logging: kustomize(path.join(GITOPS_DIR, 'platform', 'logging', 'overlays', env)).objects,
      overlay: kustomize(path.join(GITOPS_DIR, 'overlays', env)).objects,
    };
  }
});

const app = (env: EnvName, name: string): Manifest => {
  const found = argocdObjects[env].find((o) => o.kind === 'Application' && o.metadata.name === name);
  if (!found) throw new Error(`no Application ${name} in gitops/argocd/${env}`);
  return found;
};
const project = (env: EnvName, name: string): Manifest => argocdObjects[env].find((o) => o.kind === 'AppProject' && o.metadata.name === name) as Manifest;
/** The values Argo CD merges for the chart: values.yaml, then values-<env>.yaml (Helm's deep merge of maps). */
function mergedValues(env: EnvName): any {
  const merge = (a: any, b: any): any => {
    if (typeof a !== 'object' || a === null || Array.isArray(a) || typeof b !== 'object' || b === null || Array.isArray(b)) return b;
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in a ? merge(a[k], v) : v;
    return out;
  };
  const read = (f: string) => parse(fs.readFileSync(path.join(MONITORING, f), 'utf8'));
  return merge(read('values.yaml'), read(`values-${env}.yaml`));
}
const quantity = (r: { cpu: string; memory: string }) => ({ cpuMillis: Number(r.cpu.replace(/m$/, '')), memoryMiB: Number(r.memory.replace(/Mi$/, '')) });

describe.each(ENV_NAMES)('%s', (env) => {
  const facts = ENVIRONMENTS[env];
  const o = SETTINGS[env].observability;

  test('AppProject platform: this repository and the pinned chart repository, the two platform namespaces, no wildcard', () => {
    const p = project(env, 'platform');
    const tiketi = project(env, 'tiketi');
    expect(p.spec.sourceRepos).toEqual([tiketi.spec.sourceRepos[0], o.chart.repository]);
    expect(p.spec.destinations).toEqual([
      { server: 'https://kubernetes.default.svc', namespace: 'monitoring' },
      { server: 'https://kubernetes.default.svc', namespace: 'node-agents' },
    ]);
    const kinds = (l: { group: string; kind: string }[]) => l.map((k) => `${k.group}/${k.kind}`).sort();
    expect(kinds(p.spec.clusterResourceWhitelist)).toEqual(['apiextensions.k8s.io/CustomResourceDefinition', 'rbac.authorization.k8s.io/ClusterRole', 'rbac.authorization.k8s.io/ClusterRoleBinding']);
    expect([...p.spec.clusterResourceWhitelist, ...p.spec.namespaceResourceWhitelist].filter((k: { group: string; kind: string }) => k.group === '*' || k.kind === '*')).toEqual([]);
    // every kind gitops/platform renders, and what the chart renders with these values (read from its
    // templates at 88.5.3: the operator, Prometheus, Alertmanager, Grafana, kube-state-metrics, node-exporter)
    const chartKinds = ['/ConfigMap', '/Secret', '/Service', '/ServiceAccount', 'apps/Deployment', 'apps/DaemonSet', 'policy/PodDisruptionBudget', 'rbac.authorization.k8s.io/Role', 'rbac.authorization.k8s.io/RoleBinding', 'networking.k8s.io/Ingress', 'monitoring.coreos.com/Prometheus', 'monitoring.coreos.com/Alertmanager', 'monitoring.coreos.com/ServiceMonitor'];
    const rendered = [...platform[env].monitoring, ...platform[env].logging].map((x) => `${x.apiVersion.includes('/') ? x.apiVersion.split('/')[0] : ''}/${x.kind}`);
    const allowed = kinds([...p.spec.namespaceResourceWhitelist, ...p.spec.clusterResourceWhitelist]);
    expect([...new Set([...rendered, ...chartKinds])].filter((k) => !allowed.includes(k))).toEqual([]);
  });

  test('the tiketi project allows the services\' ServiceMonitor and PrometheusRule, and nothing else of the operator', () => {
    const t = project(env, 'tiketi').spec.namespaceResourceWhitelist.filter((k: { group: string }) => k.group === 'monitoring.coreos.com').map((k: { kind: string }) => k.kind);
    expect(t.sort()).toEqual(['PrometheusRule', 'ServiceMonitor']);
  });

  test('monitoring-crds and monitoring: the chart pinned by the settings, ServerSideApply, automated; the CRDs never pruned', () => {
    const crds = app(env, 'monitoring-crds');
    const mon = app(env, 'monitoring');
    expect(crds.spec.source).toMatchObject({ repoURL: o.chart.repository, chart: o.chart.chart, targetRevision: o.chart.version });
    expect(mon.spec.sources[0]).toMatchObject({ repoURL: o.chart.repository, chart: o.chart.chart, targetRevision: o.chart.version });
    for (const a of [crds, mon]) {
      expect([a.metadata.name, a.spec.project, a.spec.destination]).toEqual([a.metadata.name, 'platform', { server: 'https://kubernetes.default.svc', namespace: 'monitoring' }]);
      expect(a.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
      expect(a.spec.syncPolicy.syncOptions.filter((s: string) => s.startsWith('CreateNamespace'))).toEqual([]);
      expect(a.spec.syncPolicy.automated?.selfHeal).toBe(true);
      expect(a.metadata.finalizers).toBeUndefined(); // deleting the Application never deletes the stack or the CRDs
    }
    expect(crds.spec.syncPolicy.automated.prune).toBe(false); // a pruned CRD deletes every object of its kind
    expect(mon.spec.source?.helm?.releaseName ?? mon.spec.sources[0].helm.releaseName).toBe('kube-prometheus-stack');
  });

  test('monitoring reads its values and its kustomize source from this repository on the environment\'s branch, and they exist', () => {
    const mon = app(env, 'monitoring');
    const repo = project(env, 'tiketi').spec.sourceRepos[0];
    const [, values, kustomizeSource] = mon.spec.sources;
    expect(values).toEqual({ repoURL: repo, targetRevision: facts.branch, ref: 'values' });
    expect(kustomizeSource).toEqual({ repoURL: repo, targetRevision: facts.branch, path: `gitops/platform/monitoring/overlays/${env}` });
    expect(mon.spec.sources[0].helm.valueFiles).toEqual(['$values/gitops/platform/monitoring/values.yaml', `$values/gitops/platform/monitoring/values-${env}.yaml`]);
    for (const f of mon.spec.sources[0].helm.valueFiles as string[]) expect(fs.existsSync(path.join(REPO_ROOT, f.replace('$values/', '')))).toBe(true);
    expect(fs.existsSync(path.join(REPO_ROOT, kustomizeSource.path, 'kustomization.yaml'))).toBe(true);
    const logging = app(env, 'logging');
    expect(logging.spec.source).toEqual({ repoURL: repo, targetRevision: facts.branch, path: `gitops/platform/logging/overlays/${env}` });
    expect(logging.spec.destination.namespace).toBe('node-agents');
  });

  test('root sync waves: the AppProjects, then the CRDs (waited for), then the ApplicationSet and the platform applications', () => {
    const wave = (x: Manifest) => x.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? '0';
    expect(argocdObjects[env].map((x) => [x.kind, x.metadata.name, wave(x)]).sort()).toEqual([
      ['AppProject', 'platform', '-2'], ['AppProject', 'tiketi', '-2'],
      ['Application', 'logging', '0'], ['Application', 'monitoring', '0'], ['Application', 'monitoring-crds', '-1'],
      ['ApplicationSet', `tiketi-${env}`, '0'],
    ].sort());
  });

  test('Prometheus and Alertmanager sized as the settings say', () => {
    const v = mergedValues(env);
    const spec = v.prometheus.prometheusSpec;
    expect([spec.replicas, spec.retention, spec.retentionSize]).toEqual([o.prometheus.replicas, `${o.prometheus.retentionDays}d`, `${o.prometheus.retentionSizeGb}GB`]);
    expect(quantity(spec.resources.requests)).toEqual(o.prometheus.requests);
    if (o.prometheus.storageGb === 0) {
      expect(spec.storageSpec.emptyDir.sizeLimit).toBe(`${Math.floor(o.prometheus.retentionSizeGb * 1.25)}Gi`);
    } else {
      expect(spec.storageSpec.volumeClaimTemplate.spec).toEqual({ storageClassName: 'gp3', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: `${o.prometheus.storageGb}Gi` } } });
    }
    const am = v.alertmanager.alertmanagerSpec;
    expect(am.replicas).toBe(o.alertmanager.replicas);
    if (o.alertmanager.storageGb > 0) expect(am.storage.volumeClaimTemplate.spec.storageClassName).toBe('gp3');
    else expect(am.storage).toBeUndefined();
    // HA only where there is more than one replica: one per node, and a PDB that keeps a quorum
    expect(spec.podAntiAffinity).toBe(o.prometheus.replicas > 1 ? 'hard' : undefined);
    expect(v.prometheus.podDisruptionBudget?.enabled ?? false).toBe(o.prometheus.replicas > 1);
    expect(v.alertmanager.podDisruptionBudget?.enabled ?? false).toBe(o.alertmanager.replicas > 1);
    expect(spec.externalLabels).toEqual({ cluster: `tiketi-${env}`, environment: env });
  });

  test('every container request in the values is the pod table\'s (config/observability.ts), which the capacity check reads', () => {
    const v = mergedValues(env);
    const pods = Object.fromEntries(observabilityPods(SETTINGS[env]).map((p) => [p.workload, p.containers]));
    const r = PLATFORM_CONTAINER_REQUESTS;
    expect(quantity(v.prometheusOperator.resources.requests)).toEqual(pods['kube-prometheus-stack-operator']['kube-prometheus-stack']);
    expect(quantity(v.prometheusOperator.prometheusConfigReloader.resources.requests)).toEqual(pods.prometheus['config-reloader']);
    expect(quantity(v.alertmanager.alertmanagerSpec.resources.requests)).toEqual(pods.alertmanager.alertmanager);
    expect(quantity(v.grafana.resources.requests)).toEqual(pods['kube-prometheus-stack-grafana'].grafana);
    expect(quantity(v.grafana.sidecar.resources.requests)).toEqual(pods['kube-prometheus-stack-grafana']['grafana-sc-dashboard']);
    expect(quantity(v['kube-state-metrics'].resources.requests)).toEqual(r.kubeStateMetrics);
    expect(quantity(v['prometheus-node-exporter'].resources.requests)).toEqual(r.nodeExporter);
    const fluentBit = ofKind(platform[env].logging, 'DaemonSet')[0].spec.template.spec.containers[0];
    expect(quantity(fluentBit.resources.requests)).toEqual(pods['fluent-bit']['fluent-bit']);
    // every request has a memory limit above it
    for (const res of [v.prometheusOperator.resources, v.alertmanager.alertmanagerSpec.resources, v.grafana.resources, v['kube-state-metrics'].resources, v.prometheus.prometheusSpec.resources, fluentBit.resources]) {
      expect(quantity({ cpu: '0', memory: res.limits.memory }).memoryMiB).toBeGreaterThan(quantity(res.requests).memoryMiB);
    }
  });

  test(`Alertmanager: everything to Slack #${o.slackChannel}${o.paging ? ', critical alerts paged through PagerDuty' : ', no paging'}; secrets only as files of the SealedSecret`, () => {
    const v = mergedValues(env).alertmanager;
    const cfg = v.config;
    expect(cfg.route.receiver).toBe('slack');
    const slack = cfg.receivers.find((r: { name: string }) => r.name === 'slack').slack_configs[0];
    expect(slack.channel).toBe(`#${o.slackChannel}`);
    expect(slack.api_url_file).toBe('/etc/alertmanager/secrets/alertmanager-receivers/slack-webhook-url');
    const paging = cfg.route.routes.filter((r: { receiver: string }) => r.receiver === 'pagerduty');
    expect(paging.length).toBe(o.paging ? 1 : 0);
    if (o.paging) {
      expect(paging[0]).toEqual({ receiver: 'pagerduty', matchers: ['severity = "critical"'], continue: true });
      expect(cfg.receivers.find((r: { name: string }) => r.name === 'pagerduty').pagerduty_configs[0].routing_key_file).toBe('/etc/alertmanager/secrets/alertmanager-receivers/pagerduty-routing-key');
    }
    expect(v.alertmanagerSpec.secrets).toEqual(['alertmanager-receivers']);
    // no literal webhook URL or key anywhere in the values
    expect(JSON.stringify(mergedValues(env))).not.toMatch(/hooks\.slack\.com|api_url"|routing_key"|service_key"|admin-password":/);
  });

  test('the SealedSecrets the values read are the ones the sealed-secrets README asks for; no plain Secret is committed', () => {
    const v = mergedValues(env);
    const readme = fs.readFileSync(path.join(MONITORING, 'overlays', env, 'sealed-secrets', 'README.md'), 'utf8');
    expect(readme).toContain(`\`${v.grafana.admin.existingSecret}\` | \`${v.grafana.admin.userKey}\`, \`${v.grafana.admin.passwordKey}\``);
    const files = JSON.stringify(v.alertmanager.config).match(/alertmanager-receivers\/([a-z-]+)/g)!.map((f) => f.split('/')[1]);
    expect(readme).toContain(`\`alertmanager-receivers\` | ${[...new Set(files)].map((f) => `\`${f}\``).join(', ')} |`);
    expect([...ofKind(platform[env].monitoring, 'Secret'), ...ofKind(platform[env].logging, 'Secret')]).toEqual([]);
  });

  test('Grafana on the Argo CD ALB: same IngressGroup, its host in the settings, the ALB-wide (Exclusive) annotations only on Argo CD\'s Ingress', () => {
    const grafana = mergedValues(env).grafana.ingress;
    expect(grafana.hosts).toEqual([o.grafanaHostname]);
    expect(grafana.tls).toEqual([{ hosts: [o.grafanaHostname] }]);
    const argo = releases(synthApp(env).json('argocd'))['argo-cd'].values.server.ingress.annotations as Record<string, string>;
    const mine = grafana.annotations as Record<string, string>;
    expect(mine['alb.ingress.kubernetes.io/group.name']).toBe(`tiketi-${env}-platform`);
    expect(argo['alb.ingress.kubernetes.io/group.name']).toBe(`tiketi-${env}-platform`);
    // aws-load-balancer-controller's MergeBehavior "Exclusive": set on one Ingress of the group, or equal on all
    const EXCLUSIVE = ['scheme', 'wafv2-acl-arn', 'inbound-cidrs', 'ssl-policy', 'load-balancer-attributes', 'load-balancer-name', 'ip-address-type', 'subnets', 'security-groups', 'shield-advanced-protection'].map((a) => `alb.ingress.kubernetes.io/${a}`);
    for (const a of EXCLUSIVE) expect([a, a in mine && a in argo && mine[a] !== argo[a]]).toEqual([a, false]);
    // the group's ALB gets them from Argo CD's Ingress: internet-facing, the WAF, TLS 1.3 policy
    expect(argo['alb.ingress.kubernetes.io/scheme']).toBe('internet-facing');
    expect(argo['alb.ingress.kubernetes.io/wafv2-acl-arn']).toMatch(/regional-waf/);
    // Argo CD's certificate list holds Grafana's certificate (issued for exactly the Grafana host)
    const certs = Object.entries(resourcesOf(synthApp(env).json('argocd'), 'aws_acm_certificate')).map(([id, c]: [string, any]) => [id, c.domain_name]);
    const grafanaCert = certs.find(([, d]) => d === o.grafanaHostname)![0].split('_')[0];
    expect(argo['alb.ingress.kubernetes.io/certificate-arn']).toContain(`aws_acm_certificate_validation.${grafanaCert}`);
    const dns = releases(synthApp(env).json('argocd'))['external-dns'].values.domainFilters;
    expect(dns).toContain(o.grafanaHostname);
  });

  test('the model of the Exclusive rule fails when Grafana\'s Ingress sets its own WAF', () => {
    const mine = { ...mergedValues(env).grafana.ingress.annotations, 'alb.ingress.kubernetes.io/wafv2-acl-arn': 'arn:other' };
    const argo = releases(synthApp(env).json('argocd'))['argo-cd'].values.server.ingress.annotations as Record<string, string>;
    const a = 'alb.ingress.kubernetes.io/wafv2-acl-arn';
    expect(a in mine && a in argo && mine[a] !== argo[a]).toBe(true);
  });

  test('the API ALB is named tiketi-<env>-api (the observability stack finds it by the controller\'s tags)', () => {
    const ingress = ofKind(platform[env].overlay, 'Ingress').find((i) => i.metadata.name === 'tiketi-api') as Manifest;
    expect(ingress.metadata.annotations?.['alb.ingress.kubernetes.io/load-balancer-name']).toBe(`tiketi-${env}-api`);
    const lookup = Object.values(synthApp(env).json('observability').data!.aws_lbs)[0] as { tags: Record<string, string> };
    expect(lookup.tags['ingress.k8s.aws/stack']).toBe(`${facts.namespace}/${ingress.metadata.name}`);
  });

  test('Fluent Bit writes to the log group the observability stack creates, as the service account its Pod Identity role trusts, with the pinned image', () => {
    const ds = ofKind(platform[env].logging, 'DaemonSet')[0];
    const settings = ofKind(platform[env].logging, 'ConfigMap').find((c) => c.metadata.name.startsWith('fluent-bit-settings'))!.data;
    expect(settings).toEqual({ AWS_REGION: 'ap-northeast-2', LOG_GROUP_NAME: `/aws/eks/tiketi-${env}/containers` });
    const stack = synthApp(env).json('observability');
    expect((Object.values(resourcesOf(stack, 'aws_cloudwatch_log_group')) as any[]).map((g) => g.name)).toEqual([settings.LOG_GROUP_NAME]);
    const association = Object.values(resourcesOf(stack, 'aws_eks_pod_identity_association'))[0] as any;
    expect([association.namespace, association.service_account]).toEqual([ds.metadata.namespace, ds.spec.template.spec.serviceAccountName]);
    expect(ds.spec.template.spec.serviceAccountName).toBe('fluent-bit');
    expect(ds.spec.template.spec.containers[0].image).toBe(o.fluentBitImage);
    const conf = ofKind(platform[env].logging, 'ConfigMap').find((c) => c.metadata.name.startsWith('fluent-bit-config'))!.data['fluent-bit.conf'];
    expect(conf).toMatch(/auto_create_group\s+Off/); // never a group without retention and key
    expect(conf).toMatch(/log_group_name\s+\$\{LOG_GROUP_NAME\}/);
  });
});
