/**
 * HPAs for ticket on-sales: CPU only, up fast and down slowly, and a maximum the node group can carry
 * at its maximum size. The capacity is computed from the platform settings (node group max size and
 * instance type, config/capacity.ts maxPods) and the rendered pods' requests, never copied from the
 * overlay, so a change of either side is checked again.
 */
import * as path from 'path';
import { ENVIRONMENTS as SETTINGS } from '../../config/environments';
import { INSTANCE_NETWORK_LIMITS, maxPods } from '../../config/capacity';
import { observabilityFootprint } from '../../config/observability';
import { ENVIRONMENTS, ENV_NAMES, GITOPS_DIR, type EnvName } from './helpers/facts';
import { kustomize, ofKind, type Manifest } from './helpers/manifests';

/**
 * What the platform itself takes from the node group (stated assumptions, not measured):
 * - per node: the DaemonSets of the cluster stack's add-ons (aws-node, kube-proxy, eks-pod-identity-agent,
 *   ebs-csi-node) = 4 pods and about 250m CPU of requests, plus EKS's kube-reserved CPU (70m on 2 vCPUs);
 * - per cluster: the controllers of the argocd stack (Argo CD in HA, Sealed Secrets, AWS Load Balancer
 *   Controller, external-dns, cluster-autoscaler) and CoreDNS, metrics-server, EBS CSI controller:
 *   30 pods and 2 vCPU of requests;
 * - the observability platform (config/observability.ts, the table the values files are tested against):
 *   node-exporter and Fluent Bit on every node, Prometheus, Alertmanager, Grafana, kube-state-metrics and
 *   the operator once.
 */
const PER_NODE = { pods: 4, cpuMillis: 250 + 70 };
const PER_CLUSTER = { pods: 30, cpuMillis: 2000 };
const platformOf = (env: EnvName) => {
  const o = observabilityFootprint(SETTINGS[env]);
  return { perNode: { pods: PER_NODE.pods + o.perNode.pods, cpuMillis: PER_NODE.cpuMillis + o.perNode.cpuMillis }, perCluster: { pods: PER_CLUSTER.pods + o.perCluster.pods, cpuMillis: PER_CLUSTER.cpuMillis + o.perCluster.cpuMillis } };
};
/** Each Deployment may run one extra pod during a rollout (maxSurge: 1). */
const SURGE = 1;

const cpuMillis = (q: string): number => (q.endsWith('m') ? Number(q.slice(0, -1)) : Number(q) * 1000);

/** The largest maxReplicas per service that fits the node group at its maximum size (pods and CPU requests). */
function replicaCeiling(env: EnvName, deployments: Manifest[]): { ceiling: number; summary: string } {
  const { nodeGroup, prefixDelegation } = SETTINGS[env].cluster;
  const type = nodeGroup.instanceTypes[0];
  const nodes = nodeGroup.maxSize;
  const { perNode, perCluster } = platformOf(env);
  const podSlots = nodes * (maxPods(type, prefixDelegation) - perNode.pods) - perCluster.pods;
  const cpu = nodes * (INSTANCE_NETWORK_LIMITS[type].vcpus * 1000 - perNode.cpuMillis) - perCluster.cpuMillis;
  const perPodCpu = Math.max(...deployments.map((d) => cpuMillis(d.spec.template.spec.containers[0].resources.requests.cpu)));
  const services = deployments.length;
  const byPods = Math.floor(podSlots / services) - SURGE;
  const byCpu = Math.floor(cpu / perPodCpu / services) - SURGE;
  const ceiling = Math.min(byPods, byCpu);
  return {
    ceiling,
    summary: `${env}: ${nodes} × ${type} at max size: ${podSlots} pod slots and ${cpu}m CPU for ${services} services of ${perPodCpu}m → ceiling ${ceiling} replicas each (pods ${byPods}, CPU ${byCpu})`,
  };
}

const rendered = {} as Record<EnvName, Manifest[]>;
beforeAll(() => {
  for (const env of ENV_NAMES) rendered[env] = kustomize(path.join(GITOPS_DIR, 'overlays', env)).objects;
});

const withHpa = ENV_NAMES.filter((env) => !('fixed' in ENVIRONMENTS[env].replicas));

describe.each(withHpa)('%s HPAs', (env) => {
  const hpas = (): Manifest[] => ofKind(rendered[env], 'HorizontalPodAutoscaler');

  test('scale on CPU only (a Node service rarely gives memory back)', () => {
    for (const h of hpas()) {
      expect([h.metadata.name, h.spec.metrics]).toEqual([h.metadata.name, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: expect.any(Number) } } }]]);
      expect(h.spec.metrics[0].resource.target.averageUtilization).toBeLessThanOrEqual(70); // headroom for the spike while new pods start
    }
  });

  test('up fast: no stabilization, at least doubling or +4 pods within 15 s', () => {
    for (const h of hpas()) {
      const up = h.spec.behavior?.scaleUp;
      expect([h.metadata.name, up?.stabilizationWindowSeconds, up?.selectPolicy]).toEqual([h.metadata.name, 0, 'Max']);
      const perQuarterMinute = (up.policies as { type: string; value: number; periodSeconds: number }[]).filter((p) => p.periodSeconds <= 15);
      expect(perQuarterMinute.some((p) => p.type === 'Percent' && p.value >= 100)).toBe(true);
      expect(perQuarterMinute.some((p) => p.type === 'Pods' && p.value >= 4)).toBe(true);
    }
  });

  test('down slowly: 5 minutes of stabilization, at most one pod or 10 % a minute', () => {
    for (const h of hpas()) {
      const down = h.spec.behavior?.scaleDown;
      expect([h.metadata.name, down?.stabilizationWindowSeconds >= 300, down?.selectPolicy]).toEqual([h.metadata.name, true, 'Min']);
      for (const p of down.policies as { type: string; value: number; periodSeconds: number }[]) {
        const perMinute = (p.value * 60) / p.periodSeconds;
        expect(p.type === 'Pods' ? perMinute <= 1 : perMinute <= 10).toBe(true);
      }
    }
  });

  test('the maximum fits the node group at its maximum size, and uses it (at least half the ceiling)', () => {
    const { ceiling, summary } = replicaCeiling(env, ofKind(rendered[env], 'Deployment'));
    console.log(summary);
    const max = Math.max(...hpas().map((h) => h.spec.maxReplicas));
    expect(max).toBeLessThanOrEqual(ceiling);
    if (ENVIRONMENTS[env].replicas.hasOwnProperty('max') && (ENVIRONMENTS[env].replicas as { max: unknown }).max === 'capacity') {
      expect(max).toBeGreaterThanOrEqual(Math.ceil(ceiling / 2));
    }
    expect(max).toBeGreaterThanOrEqual(2 * Math.min(...hpas().map((h) => h.spec.minReplicas)));
  });
});

test('the ceiling follows the settings: more nodes, more replicas; fewer, fewer', () => {
  const deployments = ofKind(rendered.prod, 'Deployment');
  const at = (maxSize: number): number => {
    const original = SETTINGS.prod.cluster.nodeGroup;
    (SETTINGS.prod.cluster as { nodeGroup: unknown }).nodeGroup = { ...original, maxSize };
    try {
      return replicaCeiling('prod', deployments).ceiling;
    } finally {
      (SETTINGS.prod.cluster as { nodeGroup: unknown }).nodeGroup = original;
    }
  };
  expect(at(10)).toBeGreaterThan(at(8));
  expect(at(5)).toBeLessThan(at(8));
  // fixture: prod's node group at its minimum (5 nodes) cannot carry 20 replicas per service
  const prodMax = Math.max(...ofKind(rendered.prod, 'HorizontalPodAutoscaler').map((h) => h.spec.maxReplicas));
  expect(prodMax).toBeGreaterThan(at(SETTINGS.prod.cluster.nodeGroup.minSize));
});
