/**
 * Probes, runtime environment and graceful shutdown of the Tiketi workloads (issue 10, items 6 and 9),
 * checked on every overlay as rendered, with the numbers of the ALB and the pods compared.
 */
import * as path from 'path';
import { ENV_NAMES, GITOPS_DIR, type EnvName } from './helpers/facts';
import { kustomize, matchesSelector, ofKind, ref, type Manifest } from './helpers/manifests';
import { workloads } from './helpers/hardening';

/** Policy: the ALB controller needs a few seconds to start deregistering a terminating pod. */
const DEREGISTRATION_START_SECONDS = 5;
/** Policy: after SIGTERM the app gets this long to finish in-flight requests. */
const APP_DRAIN_SECONDS = 15;

const rendered = {} as Record<EnvName, Manifest[]>;
beforeAll(() => {
  for (const env of ENV_NAMES) rendered[env] = kustomize(path.join(GITOPS_DIR, 'overlays', env)).objects;
});

const tiketi = (objects: Manifest[]) => workloads(objects).filter((w) => w.obj.metadata.labels?.['app.kubernetes.io/part-of'] === 'tiketi');

/** Problems of the shutdown budget of one Deployment behind the Ingress. */
function shutdownProblems(deployment: Manifest, ingress: Manifest): string[] {
  const attrs = ingress.metadata.annotations?.['alb.ingress.kubernetes.io/target-group-attributes'] ?? '';
  const delay = Number(/deregistration_delay\.timeout_seconds=(\d+)/.exec(attrs)?.[1] ?? 300); // ALB default: 300 s
  const pod = deployment.spec.template.spec;
  const grace = pod.terminationGracePeriodSeconds ?? 30;
  const problems: string[] = [];
  for (const c of pod.containers) {
    const sleep = c.lifecycle?.preStop?.sleep?.seconds;
    if (typeof sleep !== 'number') {
      problems.push(`${c.name}: no preStop sleep`);
      continue;
    }
    if (delay + DEREGISTRATION_START_SECONDS > sleep) problems.push(`${c.name}: preStop ${sleep} s < deregistration delay ${delay} s + ${DEREGISTRATION_START_SECONDS} s`);
    if (sleep + APP_DRAIN_SECONDS >= grace) problems.push(`${c.name}: terminationGracePeriodSeconds ${grace} <= preStop ${sleep} s + drain ${APP_DRAIN_SECONDS} s`);
  }
  return problems;
}

describe.each(ENV_NAMES)('%s', (env) => {
  test('liveness and startup ask /livez (no dependency), readiness asks /health', () => {
    for (const w of tiketi(rendered[env]).filter((x) => x.longRunning)) {
      for (const c of w.pod.spec.containers) {
        expect([ref(w.obj), c.livenessProbe?.httpGet?.path, c.startupProbe?.httpGet?.path, c.readinessProbe?.httpGet?.path]).toEqual([ref(w.obj), '/livez', '/livez', '/health']);
      }
    }
  });

  test('HOME and TMPDIR point at the writable /tmp where the root filesystem is read-only', () => {
    for (const w of tiketi(rendered[env])) {
      for (const c of w.pod.spec.containers) {
        if (c.securityContext?.readOnlyRootFilesystem !== true) continue;
        const env_ = Object.fromEntries((c.env ?? []).filter((e: { value?: string }) => e.value !== undefined).map((e: { name: string; value: string }) => [e.name, e.value]));
        expect([ref(w.obj), env_.HOME]).toEqual([ref(w.obj), '/tmp']);
        expect((c.volumeMounts ?? []).some((m: { mountPath: string }) => m.mountPath === '/tmp')).toBe(true);
      }
    }
  });

  test('shutdown: preStop covers the ALB deregistration delay, the grace period covers preStop and the drain', () => {
    const ingress = ofKind(rendered[env], 'Ingress')[0];
    expect(ingress.metadata.annotations?.['alb.ingress.kubernetes.io/target-type']).toBe('ip'); // what the readiness gate is for
    for (const d of ofKind(rendered[env], 'Deployment')) expect([ref(d), shutdownProblems(d, ingress)]).toEqual([ref(d), []]);
  });
});

describe('fixtures the checks must fail', () => {
  const fresh = () => structuredClone(rendered.prod);

  test('a deregistration delay longer than the preStop sleep', () => {
    const objects = fresh();
    const ingress = ofKind(objects, 'Ingress')[0];
    ingress.metadata.annotations = { ...ingress.metadata.annotations, 'alb.ingress.kubernetes.io/target-group-attributes': 'deregistration_delay.timeout_seconds=30' };
    expect(shutdownProblems(ofKind(objects, 'Deployment')[0], ingress).join()).toMatch(/preStop 25 s < deregistration delay 30 s/);
  });

  test('no deregistration delay at all (the ALB default of 300 s)', () => {
    const objects = fresh();
    const ingress = ofKind(objects, 'Ingress')[0];
    delete ingress.metadata.annotations?.['alb.ingress.kubernetes.io/target-group-attributes'];
    expect(shutdownProblems(ofKind(objects, 'Deployment')[0], ingress).join()).toMatch(/deregistration delay 300 s/);
  });

  test('a grace period that the preStop sleep and the drain do not fit in', () => {
    const objects = fresh();
    const d = ofKind(objects, 'Deployment')[0];
    d.spec.template.spec.terminationGracePeriodSeconds = 30;
    expect(shutdownProblems(d, ofKind(objects, 'Ingress')[0]).join()).toMatch(/terminationGracePeriodSeconds 30/);
  });
});

type Any = any;

/**
 * Runtime values that only work together (issue 16, "runtime coherence"), checked on every environment's
 * rendered overlay: each value alone is valid, the pair is what breaks a rollout, a drain or a shutdown.
 * The shutdown budget (grace period > preStop + drain, preStop > ALB deregistration) is above; here the
 * other cross-value invariants. Every check returns its problems, and each has a fixture below that it
 * must report.
 */
describe('runtime values that only work together', () => {

  const apps = {} as Record<EnvName, Manifest[]>;
  const logging = {} as Record<EnvName, Manifest[]>;
  beforeAll(() => {
    for (const env of ENV_NAMES) {
      apps[env] = rendered[env]; // the overlays rendered once, above
      logging[env] = kustomize(path.join(GITOPS_DIR, 'platform', 'logging', 'overlays', env)).objects;
    }
  });

  /** Kubernetes quantity to a number (CPU in cores, memory in bytes). */
  function quantity(q: string | number | undefined): number | undefined {
    if (q === undefined) return undefined;
    const m = /^([0-9.]+)(m|Ki|Mi|Gi|Ti|k|M|G)?$/.exec(String(q));
    if (!m) throw new Error(`unreadable quantity ${q}`);
    const scale: Record<string, number> = { m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9 };
    return Number(m[1]) * (m[2] ? scale[m[2]] : 1);
  }

  const containersOf = (pod: Any): Any[] => [...(pod.spec.initContainers ?? []), ...pod.spec.containers];

  /** Requests never above limits (the API server refuses such a pod at admission, long after the render). */
  function resourceProblems(objects: Manifest[]): string[] {
    const problems: string[] = [];
    for (const w of workloads(objects)) {
      for (const c of containersOf(w.pod)) {
        for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
          const request = quantity(c.resources?.requests?.[r]);
          const limit = quantity(c.resources?.limits?.[r]);
          if (request !== undefined && limit !== undefined && request > limit) problems.push(`${ref(w.obj)} ${c.name}: ${r} request ${c.resources.requests[r]} > limit ${c.resources.limits[r]}`);
        }
      }
    }
    return problems;
  }

  /**
   * Probes: a timeout shorter than the period (else probes overlap and a slow answer counts twice), and a
   * startup budget (initialDelay + failureThreshold x period) inside the Deployment's progress deadline, so a
   * slow start is not reported as a failed rollout while the pod may still come up.
   */
  function probeProblems(objects: Manifest[]): string[] {
    const problems: string[] = [];
    for (const w of workloads(objects)) {
      for (const c of w.pod.spec.containers) {
        for (const kind of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
          const p = c[kind];
          if (!p) continue;
          const period = p.periodSeconds ?? 10;
          const timeout = p.timeoutSeconds ?? 1;
          if (timeout >= period) problems.push(`${ref(w.obj)} ${c.name}: ${kind} timeout ${timeout} s >= period ${period} s`);
        }
        if (w.obj.kind === 'Deployment' && c.startupProbe) {
          const s = c.startupProbe;
          const budget = (s.initialDelaySeconds ?? 0) + (s.failureThreshold ?? 3) * (s.periodSeconds ?? 10);
          const deadline = w.obj.spec.progressDeadlineSeconds ?? 600;
          if (budget >= deadline) problems.push(`${ref(w.obj)} ${c.name}: startup budget ${budget} s >= progressDeadlineSeconds ${deadline}`);
        }
      }
    }
    return problems;
  }

  /** The smallest replica count a Deployment runs: its HPA's minReplicas, else spec.replicas (default 1). */
  function minimumReplicas(objects: Manifest[], d: Manifest): number {
    const hpa = ofKind(objects, 'HorizontalPodAutoscaler').find((h) => h.spec.scaleTargetRef.kind === d.kind && h.spec.scaleTargetRef.name === d.metadata.name);
    return hpa ? hpa.spec.minReplicas ?? 1 : d.spec.replicas ?? 1;
  }

  /**
   * Scaling and disruption: an HPA's min <= max and its target exists; a PDB lets at least one pod go and
   * keeps at least one at the minimum replica count (maxUnavailable >= 1 and < min; minAvailable < min), so a
   * node drain neither blocks forever nor empties the service; a rolling update that keeps every pod
   * (maxUnavailable 0) must be allowed to surge.
   */
  function scalingProblems(objects: Manifest[]): string[] {
    const problems: string[] = [];
    const deployments = ofKind(objects, 'Deployment');
    for (const h of ofKind(objects, 'HorizontalPodAutoscaler')) {
      if ((h.spec.minReplicas ?? 1) > h.spec.maxReplicas) problems.push(`${ref(h)}: minReplicas ${h.spec.minReplicas} > maxReplicas ${h.spec.maxReplicas}`);
      if (!deployments.some((d) => d.metadata.name === h.spec.scaleTargetRef.name)) problems.push(`${ref(h)}: no Deployment ${h.spec.scaleTargetRef.name}`);
    }
    for (const pdb of ofKind(objects, 'PodDisruptionBudget')) {
      const covered = deployments.filter((d) => matchesSelector(pdb.spec.selector?.matchLabels, d.spec.template.metadata?.labels));
      if (covered.length === 0) problems.push(`${ref(pdb)}: selects no Deployment`);
      for (const d of covered) {
        const min = minimumReplicas(objects, d);
        const { maxUnavailable, minAvailable } = pdb.spec;
        if (typeof maxUnavailable === 'number' && (maxUnavailable < 1 || maxUnavailable >= min)) problems.push(`${ref(pdb)}: maxUnavailable ${maxUnavailable} with ${min} replicas at the minimum of ${ref(d)}`);
        if (typeof minAvailable === 'number' && minAvailable >= min) problems.push(`${ref(pdb)}: minAvailable ${minAvailable} >= ${min} replicas at the minimum of ${ref(d)} (no eviction ever allowed)`);
        if (typeof maxUnavailable === 'string' || typeof minAvailable === 'string') problems.push(`${ref(pdb)}: a percentage; state a number`);
      }
    }
    for (const d of deployments) {
      const ru = d.spec.strategy?.rollingUpdate;
      if (ru && String(ru.maxUnavailable) === '0' && String(ru.maxSurge ?? '25%') === '0') problems.push(`${ref(d)}: maxUnavailable 0 and maxSurge 0 (a rollout can never start)`);
    }
    return problems;
  }

  /**
   * Selectors that must name the pod they sit in: a topology spread constraint whose labelSelector does not
   * match its own pods spreads nothing; the ALB health check asks the path the readiness probe answers, on
   * the traffic port the Service sends to.
   */
  function selectorProblems(objects: Manifest[]): string[] {
    const problems: string[] = [];
    for (const w of workloads(objects)) {
      for (const t of w.pod.spec.topologySpreadConstraints ?? []) {
        const others = workloads(objects).filter((o) => o.obj !== w.obj && matchesSelector(t.labelSelector?.matchLabels, o.pod.metadata?.labels));
        if (!matchesSelector(t.labelSelector?.matchLabels, w.pod.metadata?.labels)) problems.push(`${ref(w.obj)}: topology spread over ${t.topologyKey} selects other pods (${JSON.stringify(t.labelSelector)})`);
        else if (others.length > 0) problems.push(`${ref(w.obj)}: topology spread over ${t.topologyKey} also counts ${others.map((o) => ref(o.obj)).join(', ')}`);
      }
    }
    for (const ing of ofKind(objects, 'Ingress')) {
      const a = ing.metadata.annotations ?? {};
      for (const rule of ing.spec.rules ?? []) {
        for (const p of rule.http?.paths ?? []) {
          const svc = ofKind(objects, 'Service').find((s) => s.metadata.name === p.backend.service.name);
          const port = svc?.spec.ports.find((sp: Any) => sp.name === p.backend.service.port.name || sp.port === p.backend.service.port.number);
          const deployment = ofKind(objects, 'Deployment').find((d) => svc && matchesSelector(svc.spec.selector, d.spec.template.metadata?.labels));
          if (!svc || !port || !deployment) {
            problems.push(`${ref(ing)}: backend ${JSON.stringify(p.backend.service)} resolves to no Service port and Deployment`);
            continue;
          }
          const container = deployment.spec.template.spec.containers.find((c: Any) => (c.ports ?? []).some((cp: Any) => cp.name === port.targetPort || cp.containerPort === port.targetPort));
          const readiness = container?.readinessProbe?.httpGet;
          const trafficPort = (container?.ports ?? []).find((cp: Any) => cp.name === port.targetPort || cp.containerPort === port.targetPort);
          const probePort = (container?.ports ?? []).find((cp: Any) => cp.name === readiness?.port || cp.containerPort === readiness?.port);
          if (a['alb.ingress.kubernetes.io/healthcheck-path'] !== readiness?.path) problems.push(`${ref(ing)}: ALB health check ${a['alb.ingress.kubernetes.io/healthcheck-path']} but ${ref(deployment)} is ready on ${readiness?.path}`);
          if ((a['alb.ingress.kubernetes.io/healthcheck-port'] ?? 'traffic-port') !== 'traffic-port' || probePort?.containerPort !== trafficPort?.containerPort) {
            problems.push(`${ref(ing)}: ALB health check port ${a['alb.ingress.kubernetes.io/healthcheck-port']} / readiness port ${readiness?.port} / traffic port ${port.targetPort} differ`);
          }
          const interval = Number(a['alb.ingress.kubernetes.io/healthcheck-interval-seconds'] ?? 15);
          const timeout = Number(a['alb.ingress.kubernetes.io/healthcheck-timeout-seconds'] ?? 5);
          if (timeout >= interval) problems.push(`${ref(ing)}: ALB health check timeout ${timeout} s >= interval ${interval} s`);
        }
      }
    }
    return problems;
  }

  /** Fluent Bit flushes its buffer within the grace period: Flush + Grace (default 5 s) < terminationGracePeriodSeconds. */
  function logShipperProblems(objects: Manifest[]): string[] {
    const problems: string[] = [];
    for (const ds of ofKind(objects, 'DaemonSet')) {
      const volumes = ds.spec.template.spec.volumes ?? [];
      const configs = volumes.map((v: Any) => v.configMap?.name).filter(Boolean);
      const text = ofKind(objects, 'ConfigMap').filter((c) => configs.includes(c.metadata.name)).flatMap((c) => Object.values<string>(c.data ?? {})).join('\n');
      const flush = Number(/^\s*Flush\s+(\d+)/im.exec(text)?.[1]);
      if (Number.isNaN(flush)) {
        problems.push(`${ref(ds)}: no Flush in its configuration`);
        continue;
      }
      const grace = Number(/^\s*Grace\s+(\d+)/im.exec(text)?.[1] ?? 5);
      const termination = ds.spec.template.spec.terminationGracePeriodSeconds ?? 30;
      if (flush + grace >= termination) problems.push(`${ref(ds)}: Flush ${flush} s + Grace ${grace} s >= terminationGracePeriodSeconds ${termination}`);
    }
    return problems;
  }

  describe.each(ENV_NAMES)('%s: runtime values that must fit together', (env) => {
    test('requests never exceed limits', () => {
      expect(resourceProblems(apps[env])).toEqual([]);
    });
    test('probe timeouts inside their periods; the startup budget inside the progress deadline', () => {
      expect(probeProblems(apps[env])).toEqual([]);
    });
    test('HPA min <= max; PDBs let one pod go and keep one at the minimum; rollouts can start', () => {
      expect(scalingProblems(apps[env])).toEqual([]);
    });
    test('topology spread selects its own pods; the ALB health check asks the readiness path on the traffic port', () => {
      expect(ofKind(apps[env], 'Ingress')).toHaveLength(1);
      expect(selectorProblems(apps[env])).toEqual([]);
    });
    test('Fluent Bit can flush before it is killed', () => {
      expect(ofKind(logging[env], 'DaemonSet')).toHaveLength(1);
      expect(logShipperProblems(logging[env])).toEqual([]);
    });
  });

  describe('fixtures each check must report', () => {
    const prod = () => structuredClone(apps.prod);
    const deployment = (objects: Manifest[], name = 'backend') => ofKind(objects, 'Deployment').find((d) => d.metadata.name === name)!;

    test('a memory request above the limit', () => {
      const o = prod();
      deployment(o).spec.template.spec.containers[0].resources = { requests: { cpu: '100m', memory: '512Mi' }, limits: { memory: '384Mi' } };
      expect(resourceProblems(o)).toEqual(['Deployment/backend app: memory request 512Mi > limit 384Mi']);
    });

    test('a readiness timeout as long as its period; a startup budget past the progress deadline', () => {
      const o = prod();
      const c = deployment(o).spec.template.spec.containers[0];
      c.readinessProbe.timeoutSeconds = c.readinessProbe.periodSeconds;
      c.startupProbe.failureThreshold = 200;
      expect(probeProblems(o)).toEqual([expect.stringMatching(/readinessProbe timeout 10 s >= period 10 s/), expect.stringMatching(/startup budget 1000 s >= progressDeadlineSeconds 600/)]);
    });

    test('HPA min above max; a PDB keeping every pod; a PDB allowing all; a rollout that cannot start', () => {
      const o = prod();
      const hpa = ofKind(o, 'HorizontalPodAutoscaler').find((h) => h.metadata.name === 'backend')!;
      hpa.spec.minReplicas = hpa.spec.maxReplicas + 1;
      ofKind(o, 'PodDisruptionBudget').find((p) => p.metadata.name === 'auth-service')!.spec = { minAvailable: 3, selector: { matchLabels: { 'app.kubernetes.io/name': 'auth-service' } } };
      ofKind(o, 'PodDisruptionBudget').find((p) => p.metadata.name === 'ticket-service')!.spec.maxUnavailable = 3;
      deployment(o, 'stats-service').spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } };
      const problems = scalingProblems(o).join('\n');
      expect(problems).toMatch(/HorizontalPodAutoscaler\/backend: minReplicas 21 > maxReplicas 20/);
      expect(problems).toMatch(/PodDisruptionBudget\/auth-service: minAvailable 3 >= 3 replicas/);
      expect(problems).toMatch(/PodDisruptionBudget\/ticket-service: maxUnavailable 3 with 3 replicas/);
      expect(problems).toMatch(/Deployment\/stats-service: maxUnavailable 0 and maxSurge 0/);
    });

    test('a topology spread over another app\'s pods; an ALB health check on a path the pods are not ready on', () => {
      const o = prod();
      deployment(o).spec.template.spec.topologySpreadConstraints[0].labelSelector = { matchLabels: { 'app.kubernetes.io/name': 'auth-service' } };
      deployment(o).spec.template.spec.topologySpreadConstraints[1].labelSelector = { matchLabels: { 'app.kubernetes.io/part-of': 'tiketi' } };
      ofKind(o, 'Ingress')[0].metadata.annotations!['alb.ingress.kubernetes.io/healthcheck-path'] = '/livez';
      const problems = selectorProblems(o).join('\n');
      expect(problems).toMatch(/Deployment\/backend: topology spread over topology.kubernetes.io\/zone selects other pods/);
      expect(problems).toMatch(/Deployment\/backend: topology spread over kubernetes.io\/hostname also counts Deployment\/auth-service/);
      expect(problems).toMatch(/ALB health check \/livez but Deployment\/backend is ready on \/health/);
    });

    test('Fluent Bit flushing less often than its grace period allows', () => {
      const o = structuredClone(logging.prod);
      ofKind(o, 'DaemonSet')[0].spec.template.spec.terminationGracePeriodSeconds = 8;
      expect(logShipperProblems(o)).toEqual([expect.stringMatching(/Flush 5 s \+ Grace 5 s >= terminationGracePeriodSeconds 8/)]);
    });
  });
});
