/**
 * kube-linter / Polaris style hardening checks over every pod template of every overlay
 * (helpers/hardening.ts lists them with their kube-linter and Polaris names).
 */
import * as path from 'path';
import { ENV_NAMES, GITOPS_DIR, type EnvName } from './helpers/facts';
import { kustomize, ref, type Manifest } from './helpers/manifests';
import { CHECKS, DEPLOYMENT_CHECKS, workloads, type Check, type Workload } from './helpers/hardening';

const rendered = {} as Record<EnvName, Manifest[]>;

beforeAll(() => {
  for (const env of ENV_NAMES) rendered[env] = kustomize(path.join(GITOPS_DIR, 'overlays', env)).objects;
});

const ALL_CHECKS: readonly (Check & { deploymentOnly: boolean })[] = [
  ...CHECKS.map((c) => ({ ...c, deploymentOnly: false })),
  ...DEPLOYMENT_CHECKS.map((c) => ({ ...c, deploymentOnly: true })),
];

const violations = (check: Check & { deploymentOnly: boolean }, objects: Manifest[]): string[] =>
  workloads(objects)
    .filter((w) => !check.deploymentOnly || w.obj.kind === 'Deployment')
    .flatMap((w) => check.run(w, objects).map((v) => `${ref(w.obj)}: ${v}`));

describe.each(ENV_NAMES)('%s overlay', (env) => {
  test('renders pod templates to check', () => {
    expect(workloads(rendered[env]).filter((w) => w.obj.kind === 'Deployment').length).toBeGreaterThan(0);
  });

  test.each(ALL_CHECKS.map((c) => [c.id, c]))('%s', (_id, check) => {
    expect(violations(check, rendered[env])).toEqual([]);
  });
});

describe('every check can fail', () => {
  const fresh = (): { objects: Manifest[]; w: Workload } => {
    const objects = structuredClone(rendered.dev);
    const w = workloads(objects).find((x) => x.obj.kind === 'Deployment');
    if (!w) throw new Error('dev renders no Deployment');
    return { objects, w };
  };

  test.each(ALL_CHECKS.map((c) => [c.id, c]))('%s flags a broken workload', (_id, check) => {
    const { objects, w } = fresh();
    expect(check.run(w, objects)).toEqual([]);
    if (check.id === 'non-isolated-pod') {
      const isolatedElsewhere = [...objects.filter((o) => o.kind !== 'NetworkPolicy'), {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'other' },
        spec: { podSelector: { matchLabels: { app: 'other' } } },
      }];
      expect(check.run(w, isolatedElsewhere).length).toBeGreaterThan(0);
      return;
    }
    check.breakIt(w);
    expect(check.run(w, objects).length).toBeGreaterThan(0);
  });
});

/**
 * Fluent Bit (gitops/platform/logging), the one pod of gitops/ that needs the node: the checks that it fails
 * by design, each with the reason. The list is held to the checks' results both ways, so it cannot rot.
 */
const FLUENT_BIT_EXEMPT: Readonly<Record<string, string>> = {
  'run-as-non-root': 'the kubelet writes the container log files as root, mode 0640; it runs as root with no capability',
  'sensitive-host-mounts': 'it reads /var/log (read-only) and keeps its read positions in /var/fluent-bit/state on the node',
  'automount-service-account-token': 'the kubernetes filter reads pod metadata from the API (ClusterRole: get/list/watch pods and namespaces)',
};

describe.each(ENV_NAMES)('%s platform logging (Fluent Bit)', (env) => {
  const objects = () => kustomize(path.join(GITOPS_DIR, 'platform', 'logging', 'overlays', env)).objects;
  test.each(CHECKS.map((c) => [c.id, c]))('%s', (id, check) => {
    const found = violations({ ...check, deploymentOnly: false }, objects());
    if (FLUENT_BIT_EXEMPT[id as string]) expect([id, found.length > 0]).toEqual([id, true]);
    else expect(found).toEqual([]);
  });
});

test('the check list (for the report)', () => {
  const list = ALL_CHECKS.map((c) => `${c.id} (${c.equivalents})`);
  console.log(`hardening checks (${list.length}):\n${list.join('\n')}`);
  expect(new Set(ALL_CHECKS.map((c) => c.id)).size).toBe(ALL_CHECKS.length);
});
