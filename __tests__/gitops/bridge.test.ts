/**
 * The bridge as Argo CD reads it: the ApplicationSets rendered from a mock cluster Secret with Go's
 * text/template semantics (helpers/go-template.ts), so a missing bridge key fails here and not in a
 * prod deploy; and the contract documents (docs/gitops-bridge.md, docs/platform-contracts.md) list
 * exactly what gitops/ reads.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BRIDGE_ANNOTATIONS, BRIDGE_LABEL, ENV_NAMES, GITOPS_DIR, REPO_ROOT, sampleCluster, type EnvName } from './helpers/facts';
import { kustomize, type Manifest } from './helpers/manifests';
import { annotationKeysRead, generateApplication, renderApplicationSource, silentReads } from './helpers/argocd';
import { BRIDGE_DOC } from './helpers/bridge-doc';
import { anyMap, executeTemplate, goString, stringMap } from './helpers/go-template';
import { workloads } from './helpers/hardening';

const appSets = {} as Record<EnvName, Manifest>;
beforeAll(() => {
  for (const env of ENV_NAMES) {
    appSets[env] = kustomize(path.join(GITOPS_DIR, 'argocd', env)).objects.find((o) => o.kind === 'ApplicationSet') as Manifest;
  }
});

describe("Go text/template, as Argo CD executes it", () => {
  const data = anyMap({
    server: goString('https://kubernetes.default.svc'),
    metadata: anyMap({ annotations: stringMap({ tiketi_ecr_registry: 'r.example', 'tiketi.com/legacy': 'x' }) }),
    values: anyMap({}),
  });

  test('dot access reads a present key', () => {
    expect(executeTemplate('{{ .metadata.annotations.tiketi_ecr_registry }}/app', data, ['missingkey=error'])).toBe('r.example/app');
  });

  test('dot access on a missing key: an error with missingkey=error, "<no value>" by default, "" with missingkey=zero (map[string]string)', () => {
    expect(() => executeTemplate('{{ .metadata.annotations.missing }}', data, ['missingkey=error'])).toThrow('map has no entry for key "missing"');
    expect(executeTemplate('{{ .metadata.annotations.missing }}', data)).toBe('<no value>');
    expect(executeTemplate('{{ .metadata.annotations.missing }}', data, ['missingkey=zero'])).toBe('');
  });

  test('index on a missing key returns the zero value whatever missingkey says: "" (map[string]string), "<no value>" (map[string]any)', () => {
    expect(executeTemplate('{{ index .metadata.annotations "missing" }}', data, ['missingkey=error'])).toBe('');
    expect(executeTemplate('{{ index .values "missing" }}', data, ['missingkey=error'])).toBe('<no value>');
    expect(executeTemplate('{{ index .metadata.annotations "tiketi.com/legacy" }}', data)).toBe('x');
  });

  test('a missing map on the way errors under missingkey=error (a cluster Secret without any annotation)', () => {
    const bare = anyMap({ metadata: anyMap({}) });
    expect(() => executeTemplate('{{ .metadata.annotations.tiketi_ecr_registry }}', bare, ['missingkey=error'])).toThrow('map has no entry for key "annotations"');
  });

  test('a key with dots or slashes cannot be reached with dot access (it parses as more fields)', () => {
    expect(() => executeTemplate('{{ .metadata.annotations.tiketi.com/legacy }}', data, ['missingkey=error'])).toThrow();
  });

  test('syntax outside the subset is refused, not guessed', () => {
    expect(() => executeTemplate('{{ .server | upper }}', data)).toThrow(/unsupported/);
    expect(() => executeTemplate('{{ default "x" .server }}', data)).toThrow(/unsupported/);
  });
});

describe.each(ENV_NAMES)('%s ApplicationSet from a mock cluster Secret', (env) => {
  test('renders with every bridge value present', () => {
    const app = generateApplication(appSets[env], sampleCluster(env));
    expect(app.spec.source.kustomize.images.every((i: string) => i.includes(`=${sampleCluster(env).annotations.tiketi_ecr_registry}/`))).toBe(true);
    expect(JSON.stringify(app)).not.toMatch(/\{\{|<no value>/);
  });

  test.each([...BRIDGE_ANNOTATIONS])('a missing %s stops generation', (key) => {
    const cluster = sampleCluster(env);
    const { [key]: _gone, ...rest } = cluster.annotations;
    expect(() => generateApplication(appSets[env], { ...cluster, annotations: rest })).toThrow(`map has no entry for key "${key}"`);
  });

  test('a cluster Secret of another environment is not selected', () => {
    const other = ENV_NAMES.find((e) => e !== env) as EnvName;
    expect(() => generateApplication(appSets[env], sampleCluster(other))).toThrow(/does not match the selector/);
  });

  test('fixture: the template with `index` on a missing key renders silently, and the check catches it', () => {
    const legacy = structuredClone(appSets[env]);
    const patch = legacy.spec.template.spec.source.kustomize.patches[0];
    patch.patch = patch.patch.replace('.metadata.annotations.tiketi_alb_waf_acl_arn', 'index .metadata.annotations "tiketi.com/alb-waf-acl-arn"');
    const app = generateApplication(legacy, sampleCluster(env)); // no error: Go's index gives ""
    const ingress = renderApplicationSource(app).objects.find((o) => o.kind === 'Ingress') as Manifest;
    expect(ingress.metadata.annotations?.['alb.ingress.kubernetes.io/wafv2-acl-arn']).toBe(''); // the ALB runs without WAF, silently
    expect(silentReads(legacy)).toEqual(['index .metadata.annotations "tiketi.com/alb-waf-acl-arn"']);
    expect(silentReads(appSets[env])).toEqual([]);
  });
});

/** Rows `| \`key\` | ... |` of a markdown section. */
const tableKeys = (file: string, heading: RegExp): string[] => {
  const text = fs.readFileSync(file, 'utf8');
  const section = text.split(/^## /m).find((s) => heading.test(s.split('\n')[0]));
  if (!section) throw new Error(`${file}: no section matching ${heading}`);
  return [...section.matchAll(/^\|\s*`([^`]+)`\s*\|/gm)].map((m) => m[1]);
};

describe('the contract documents', () => {
  const read = (): string[] => [...new Set(ENV_NAMES.flatMap((env) => annotationKeysRead(appSets[env])))].sort();

  test('docs/gitops-bridge.md lists exactly the label and the annotations the ApplicationSets read', () => {
    expect(tableKeys(BRIDGE_DOC, /cluster secret/).sort()).toEqual([BRIDGE_LABEL, ...read()].sort());
  });

  test('docs/platform-contracts.md names the same bridge keys', () => {
    expect(tableKeys(path.join(REPO_ROOT, 'docs', 'platform-contracts.md'), /^Bridge/).sort()).toEqual([BRIDGE_LABEL, ...read()].sort());
  });

  test('every annotation key is dot-accessible (underscores, no dots or slashes)', () => {
    for (const key of read()) expect(key).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
  });

  test('docs/gitops-bridge.md lists exactly the service accounts that get a Pod Identity association', () => {
    const objects = kustomize(path.join(GITOPS_DIR, 'overlays', 'prod')).objects;
    const used = workloads(objects).filter((w) => w.obj.metadata.labels?.['app.kubernetes.io/part-of'] === 'tiketi').map((w) => w.pod.spec.serviceAccountName);
    expect(tableKeys(BRIDGE_DOC, /Pod Identity/).sort()).toEqual([...new Set(used)].sort());
  });
});
