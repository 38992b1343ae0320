/**
 * The pod lists az-check and the capacity check count (cli/lib/workloads.ts): the chart defaults they lean on
 * are the pinned charts' own (../shared/reference/charts/), and a replica added anywhere (argocd stack values,
 * an overlay's HPA, a values file) shows up in the count.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthEnvironment, SynthesizedEnvironment } from '../../cli/lib/synth-app';
import { CHART_DEFAULTS, KUBE_PROMETHEUS_STACK_DEFAULTS, cpuMillis, environmentWorkloads, gitopsWorkloads, helmReleaseWorkloads, manifestWorkloads, memoryMiB } from '../../cli/lib/workloads';
import { kustomize } from '../../cli/lib/gitops-render';
import { ENVIRONMENTS } from '../../config/environments';
import { referenceValues, REPO_ROOT } from '../argocd/helpers/chart-values';

const at = (object: any, dotted: string): unknown => dotted.split('.').reduce((v, k) => (v === undefined || v === null ? undefined : v[k]), object);

describe('chart defaults are the pinned charts\' own', () => {
  const charts = ENVIRONMENTS.prod.argocd.charts;
  const versionOf: Record<string, string> = {
    'argo-cd': charts.argoCd.version,
    'aws-load-balancer-controller': charts.awsLoadBalancerController.version,
    'cluster-autoscaler': charts.clusterAutoscaler.version,
    'external-dns': charts.externalDns.version,
    'sealed-secrets': charts.sealedSecrets.version,
  };
  test.each(Object.keys(CHART_DEFAULTS))('%s', (chart) => {
    const reference = referenceValues(chart, versionOf[chart]);
    for (const [key, value] of Object.entries((CHART_DEFAULTS as Record<string, Record<string, unknown>>)[chart])) {
      expect([chart, key, at(reference, key)]).toEqual([chart, key, value]);
    }
  });

  test('kube-prometheus-stack', () => {
    const reference = referenceValues('kube-prometheus-stack', ENVIRONMENTS.prod.observability.chart.version);
    for (const [key, value] of Object.entries(KUBE_PROMETHEUS_STACK_DEFAULTS)) expect([key, at(reference, key)]).toEqual([key, value]);
  });

  test('no component of those charts requests CPU or memory by default (so only what the stacks set counts)', () => {
    const reference = referenceValues('argo-cd', versionOf['argo-cd']) as any;
    for (const component of ['controller', 'server', 'repoServer', 'applicationSet', 'dex', 'notifications', 'redis']) expect([component, reference[component].resources]).toEqual([component, {}]);
    for (const chart of ['aws-load-balancer-controller', 'cluster-autoscaler', 'external-dns']) expect([chart, (referenceValues(chart, versionOf[chart]) as any).resources]).toEqual([chart, {}]);
    expect((referenceValues('sealed-secrets', versionOf['sealed-secrets']) as any).resources).toEqual({ limits: {}, requests: {} });
  });
});

describe('quantities', () => {
  test.each([
    ['100m', 100],
    ['0.5', 500],
    ['2', 2000],
    [undefined, 0],
  ])('CPU %s = %dm', (q, m) => expect(cpuMillis(q)).toBe(m));
  test.each([
    ['192Mi', 192],
    ['1Gi', 1024],
    ['128M', 123],
    ['512Ki', 1],
  ])('memory %s = %d MiB', (q, m) => expect(memoryMiB(q)).toBe(m));
  test('a malformed quantity names itself', () => {
    expect(() => cpuMillis('1 core')).toThrow('CPU quantity "1 core": expected millicores ("100m") or cores ("0.5")');
    expect(() => memoryMiB('lots')).toThrow('memory quantity "lots": expected a Kubernetes quantity such as "192Mi" or "1Gi"');
  });
});

describe('a replica added anywhere changes the count', () => {
  let prod: SynthesizedEnvironment;
  beforeAll(() => {
    prod = synthEnvironment('prod');
  });
  const json = (id: string) => prod.stacks.find((s) => s.id === id)!.json;
  const pods = (workloads: { replicas: number | 'perNode' }[]) => workloads.reduce((n, w) => n + (w.replicas === 'perNode' ? 0 : w.replicas), 0);

  test('argocd stack: server replicas in the values it passes', () => {
    const stack = JSON.parse(JSON.stringify(json('argocd')));
    const release = Object.values(stack.resource.helm_release).find((r: any) => r.chart === 'argo-cd') as any;
    const before = pods(helmReleaseWorkloads(stack));
    release.values = [release.values[0].replace(/^server:\n  replicas: 2$/m, 'server:\n  replicas: 4')];
    expect(release.values[0]).toMatch(/^server:\n  replicas: 4$/m);
    expect(pods(helmReleaseWorkloads(stack))).toBe(before + 2);
  });

  test('argocd stack: redis-ha off puts one Redis in place of three Redis and three HAProxy, and drops their one-per-node rule', () => {
    const stack = JSON.parse(JSON.stringify(json('argocd')));
    const release = Object.values(stack.resource.helm_release).find((r: any) => r.chart === 'argo-cd') as any;
    const ha = helmReleaseWorkloads(stack).filter((w) => /redis/.test(w.name));
    expect(ha.map((w) => [w.name, w.replicas, w.onePerNode])).toEqual([
      ['argocd/argocd-redis-ha-server', 3, true],
      ['argocd/argocd-redis-ha-haproxy', 3, true],
    ]);
    release.values = [release.values[0].replace(/^redis-ha:\n  enabled: true$/m, 'redis-ha:\n  enabled: false')];
    expect(helmReleaseWorkloads(stack).filter((w) => /redis/.test(w.name)).map((w) => [w.name, w.replicas])).toEqual([['argocd/argocd-redis', 1]]);
  });

  test('an overlay\'s HPA minReplicas and maxReplicas', () => {
    const objects = kustomize(REPO_ROOT, 'gitops/overlays/prod');
    const backend = (list: typeof objects) => manifestWorkloads(list, 'test').find((w) => w.name === 'tiketi-prod/backend')!;
    expect([backend(objects).replicas, backend(objects).maxReplicas]).toEqual([3, 20]);
    const bumped = objects.map((o) => (o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === 'backend' ? { ...o, spec: { ...o.spec, minReplicas: 4, maxReplicas: 25 } } : o));
    expect([backend(bumped).replicas, backend(bumped).maxReplicas]).toEqual([4, 25]);
  });

  test('a values file of the monitoring Application: Alertmanager replicas', () => {
    // A copy of gitops/ with values-prod.yaml's Alertmanager at 5 replicas, rendered the same way.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tiketi-az-workloads-'));
    try {
      fs.cpSync(path.join(REPO_ROOT, 'gitops'), path.join(root, 'gitops'), { recursive: true });
      const file = path.join(root, 'gitops/platform/monitoring/values-prod.yaml');
      const text = fs.readFileSync(file, 'utf8');
      expect(text).toMatch(/alertmanagerSpec:\n    replicas: 3\n/);
      fs.writeFileSync(file, text.replace(/alertmanagerSpec:\n    replicas: 3\n/, 'alertmanagerSpec:\n    replicas: 5\n'));
      const alertmanager = (r: string) => gitopsWorkloads(r, 'prod').find((w) => w.name === 'monitoring/alertmanager')!;
      expect([alertmanager(REPO_ROOT).replicas, alertmanager(root).replicas]).toEqual([3, 5]);
      expect(alertmanager(root)).toMatchObject({ onePerNode: true, zonalVolume: true });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('the monitoring-crds Application (everything but the CRDs disabled) adds no pods', () => {
    const sources = new Set(gitopsWorkloads(REPO_ROOT, 'prod').map((w) => w.source));
    expect([...sources].filter((s) => s.includes('monitoring-crds'))).toEqual([]);
  });

  test('every kind of pod is there: add-on DaemonSets, the argocd releases, Fluent Bit, monitoring, the services', () => {
    const names = environmentWorkloads({ cluster: json('cluster'), argocd: json('argocd') }, REPO_ROOT, 'prod').map((w) => `${w.name}${w.replicas === 'perNode' ? ' (each node)' : ''}`);
    expect(names.filter((n) => n.endsWith('(each node)')).sort()).toEqual([
      'kube-system/aws-node (each node)',
      'kube-system/ebs-csi-node (each node)',
      'kube-system/eks-pod-identity-agent (each node)',
      'kube-system/kube-proxy (each node)',
      'node-agents/fluent-bit (each node)',
      'node-agents/kube-prometheus-stack-prometheus-node-exporter (each node)',
    ]);
    expect(names).toEqual(expect.arrayContaining(['kube-system/cluster-autoscaler', 'argocd/argocd-server', 'monitoring/prometheus', 'tiketi-prod/backend', 'tiketi-prod/db-migration']));
  });
});
