/**
 * Every rendered object validates against its kubernetes-models schema (Kubernetes, Argo CD,
 * SealedSecret), unknown fields included. Objects without a model fail unless listed with a reason.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ENV_NAMES, GITOPS_DIR, REPO_ROOT, sampleCluster, type EnvName } from './helpers/facts';
import { kustomize, readManifests, ref, type Manifest } from './helpers/manifests';
import { generateApplication, renderApplicationSource } from './helpers/argocd';
import { FREE_FORM_FIELDS, KINDS_WITHOUT_MODEL, UNCHECKED_FIELDS, modelFor, validateStrict } from './helpers/strict-schema';

interface EnvObjects {
  overlay: Manifest[];
  /** gitops/platform/{monitoring,logging}/overlays/<env>, as the monitoring and logging Applications sync them. */
  platform: Manifest[];
  argocd: Manifest[];
  root: Manifest[];
  generated: Manifest[];
  asDeployed: Manifest[];
}

const rendered = {} as Record<EnvName, EnvObjects>;

beforeAll(() => {
  for (const env of ENV_NAMES) {
    const argocd = kustomize(path.join(GITOPS_DIR, 'argocd', env)).objects;
    const generated = argocd.filter((o) => o.kind === 'ApplicationSet').map((a) => generateApplication(a, sampleCluster(env)));
    rendered[env] = {
      overlay: kustomize(path.join(GITOPS_DIR, 'overlays', env)).objects,
      platform: ['monitoring', 'logging'].flatMap((p) => kustomize(path.join(GITOPS_DIR, 'platform', p, 'overlays', env)).objects),
      argocd,
      root: readManifests(path.join(GITOPS_DIR, 'argocd', env, 'root-app.yaml')),
      generated,
      asDeployed: generated.flatMap((app) => renderApplicationSource(app).objects),
    };
  }
});

afterAll(() => {
  const lines = ENV_NAMES.map((env) => {
    const r = rendered[env];
    if (!r) return `${env}: not rendered`;
    const kinds = [...new Set(r.overlay.map((o) => o.kind))].sort().join(', ');
    return `${env}: overlay ${r.overlay.length} objects (${kinds}); as deployed by Argo CD ${r.asDeployed.length}; argocd ${r.argocd.length} + root 1 + generated ${r.generated.length}`;
  });
  console.log(`objects validated per environment:\n${lines.join('\n')}`);
});

describe.each(ENV_NAMES)('%s', (env) => {
  const sets: (keyof EnvObjects)[] = ['overlay', 'platform', 'asDeployed', 'argocd', 'root', 'generated'];

  test.each(sets)('%s objects validate strictly against their schemas', (set) => {
    const objects = rendered[env][set];
    expect(objects.length).toBeGreaterThan(0);
    const problems = objects.flatMap((o) => {
      const { schemaErrors, unknownFields } = validateStrict(o);
      return [...schemaErrors.map((e) => `${ref(o)}: ${e}`), ...unknownFields.map((f) => `${ref(o)}: unknown field ${f}`)];
    });
    expect(problems).toEqual([]);
  });

  test('every rendered kind has a schema model', () => {
    const missing = [...rendered[env].overlay, ...rendered[env].platform].filter((o) => !modelFor(o) && KINDS_WITHOUT_MODEL[o.kind] === undefined).map(ref);
    expect(missing).toEqual([]);
  });
});

describe('the strict validator itself', () => {
  const deployment = (): Manifest => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'probe' },
    spec: {
      selector: { matchLabels: { app: 'probe' } },
      template: { metadata: { labels: { app: 'probe' } }, spec: { containers: [{ name: 'app', image: 'x:1' }] } },
    },
  });

  test('accepts a valid object', () => {
    expect(validateStrict(deployment())).toEqual({ schemaErrors: [], unknownFields: [] });
  });

  test('reports unknown fields at any depth', () => {
    const d = deployment();
    d.spec.bogus = 1;
    d.spec.template.spec.containers[0].securityContxt = { runAsNonRoot: true };
    expect(validateStrict(d).unknownFields.sort()).toEqual(['/spec/bogus', '/spec/template/spec/containers/0/securityContxt']);
  });

  test('reports schema errors', () => {
    const d = deployment();
    d.spec.replicas = 'three';
    expect(validateStrict(d).schemaErrors.join()).toMatch(/replicas/);
  });

  test('fails on a kind without a model', () => {
    expect(() => validateStrict({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toThrow(/no schema model/);
  });

  test.each([...UNCHECKED_FIELDS, ...FREE_FORM_FIELDS].map((f) => [f.pointer, f]))('unchecked field %s is declared by the model', (_p, field) => {
    const declaration = fs.readFileSync(path.join(REPO_ROOT, 'node_modules', field.declaredIn), 'utf8');
    expect(declaration).toMatch(new RegExp(`"${field.property}"\\?:`));
  });
});
