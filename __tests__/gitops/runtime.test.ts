/**
 * Probes, runtime environment and graceful shutdown of the Tiketi workloads (issue 10, items 6 and 9),
 * checked on every overlay as rendered, with the numbers of the ALB and the pods compared.
 */
import * as path from 'path';
import { ENV_NAMES, GITOPS_DIR, type EnvName } from './helpers/facts';
import { kustomize, ofKind, ref, type Manifest } from './helpers/manifests';
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
