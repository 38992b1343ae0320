/**
 * What Argo CD does with gitops/argocd/<env>, emulated offline:
 *  - the ApplicationSet cluster generator renders its Go template with one cluster secret's values,
 *    with Go's text/template semantics (helpers/go-template.ts);
 *  - Argo CD builds the Application's path after `kustomize edit set image` / `add patch` with the
 *    Application's `spec.source.kustomize` (here: the same edits on a temporary copy of gitops/).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import { GITOPS_DIR, REPO_ROOT } from './facts';
import { kustomize, type Manifest, type Rendered } from './manifests';
import { actionsOf, anyMap, executeTemplate, goString, stringMap, type GoValue } from './go-template';

/** The Argo CD cluster Secret the argocd stack writes (docs/gitops-bridge.md): data name/server, labels, annotations. */
export interface ClusterSecret {
  readonly name: string;
  readonly server: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/**
 * The params the cluster generator hands the template with `goTemplate: true`
 * (argo-cd applicationset/generators/cluster.go, getClusterParameters): strings, and `metadata` holding
 * `annotations` / `labels` as map[string]string only when the Secret has any.
 */
export function clusterParams(cluster: ClusterSecret): GoValue {
  const metadata: Record<string, GoValue> = {};
  if (Object.keys(cluster.annotations).length > 0) metadata.annotations = stringMap(cluster.annotations);
  if (Object.keys(cluster.labels).length > 0) metadata.labels = stringMap(cluster.labels);
  return anyMap({
    name: goString(cluster.name),
    nameNormalized: goString(cluster.name.toLowerCase().replace(/[^-a-z0-9.]/g, '-')),
    server: goString(cluster.server),
    project: goString(''),
    metadata: anyMap(metadata),
  });
}

const BRIDGE_DOT = /^\.metadata\.annotations\.([A-Za-z_][A-Za-z0-9_]*)$/;

/** Every template action of an ApplicationSet's template (strings and map keys). */
export function templateActions(appSet: Manifest): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') found.push(...actionsOf(value));
    else if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) {
        found.push(...actionsOf(k));
        walk(v);
      }
    }
  };
  walk(appSet.spec.template);
  return found;
}

/** The bridge annotation keys a template reads with dot access (`.metadata.annotations.<key>`). */
export function annotationKeysRead(appSet: Manifest): string[] {
  const keys = new Set<string>();
  for (const action of templateActions(appSet)) {
    const m = BRIDGE_DOT.exec(action);
    if (m) keys.add(m[1]);
  }
  return [...keys].sort();
}

/** Template actions that read the cluster secret without failing on a missing key (e.g. `index`). */
export function silentReads(appSet: Manifest): string[] {
  return templateActions(appSet).filter((a) => /\bindex\b/.test(a) || (/metadata/.test(a) && !BRIDGE_DOT.test(a)));
}

function renderValue(value: unknown, params: GoValue, options: readonly string[]): unknown {
  if (typeof value === 'string') return executeTemplate(value, params, options);
  if (Array.isArray(value)) return value.map((v) => renderValue(v, params, options));
  if (typeof value === 'object' && value !== null) {
    // Argo CD templates map keys too (Render.deeplyReplace).
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [executeTemplate(k, params, options), renderValue(v, params, options)]));
  }
  return value;
}

/** The Application a cluster-generator ApplicationSet produces for one cluster secret (throws as Argo CD errors). */
export function generateApplication(appSet: Manifest, cluster: ClusterSecret): Manifest {
  if (appSet.spec.goTemplate !== true) throw new Error(`${appSet.metadata.name}: expected goTemplate: true`);
  const selector: Record<string, string> = appSet.spec.generators?.[0]?.clusters?.selector?.matchLabels ?? {};
  const unmatched = Object.entries(selector).filter(([k, v]) => cluster.labels[k] !== v);
  if (unmatched.length > 0) throw new Error(`${appSet.metadata.name}: the cluster secret does not match the selector (${unmatched.map(([k, v]) => `${k}=${v}`)})`);
  const options: string[] = appSet.spec.goTemplateOptions ?? [];
  const template = renderValue(appSet.spec.template, clusterParams(cluster), options) as { metadata: Manifest['metadata']; spec: Manifest['spec'] };
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: template.metadata, spec: template.spec };
}

interface KustomizeImage {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

/** `kustomize edit set image <arg>`, including the `*` (keep the current value) form. */
export function setImage(images: KustomizeImage[], arg: string): KustomizeImage[] {
  const m = /^([^=]+)=(.+?)(?::([A-Za-z0-9._-]+|\*))?$/.exec(arg);
  if (!m) throw new Error(`unsupported image override ${arg}`);
  const [, name, newName, newTag] = m;
  const current = images.find((i) => i.name === name);
  const next: KustomizeImage = { name };
  next.newName = newName === '*' ? current?.newName : newName;
  next.newTag = newTag === '*' ? current?.newTag : newTag;
  if (next.newTag === undefined) delete next.newTag;
  if (next.newName === undefined) delete next.newName;
  return [...images.filter((i) => i.name !== name), next].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Renders an Application's source the way Argo CD would, on a temporary copy of gitops/.
 * `prepare` may change that copy first (e.g. commit a SealedSecret, as `npm run seal` will).
 */
export function renderApplicationSource(app: Manifest, prepare?: (gitopsCopy: string) => void): Rendered {
  const source = app.spec.source;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tiketi-gitops-'));
  try {
    fs.cpSync(GITOPS_DIR, path.join(tmp, 'gitops'), { recursive: true });
    prepare?.(path.join(tmp, 'gitops'));
    const dir = path.join(tmp, source.path);
    const file = path.join(dir, 'kustomization.yaml');
    const kustomization = parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    let images = (kustomization.images as KustomizeImage[] | undefined) ?? [];
    for (const arg of (source.kustomize?.images as string[] | undefined) ?? []) images = setImage(images, arg);
    kustomization.images = images;
    const patches = (source.kustomize?.patches as unknown[] | undefined) ?? [];
    if (patches.length > 0) kustomization.patches = [...((kustomization.patches as unknown[] | undefined) ?? []), ...patches];
    fs.writeFileSync(file, stringify(kustomization));
    const rendered = kustomize(dir, path.join(tmp, 'gitops'));
    return { ...rendered, dir: path.join(REPO_ROOT, source.path) };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Commits a SealedSecret `tiketi-secrets` into `gitops/overlays/<env>/sealed-secrets` of a copy, the
 * way an operator (or `npm run seal`) does: the file, listed under `resources:`. The ciphertext is a
 * placeholder; what matters here is where the object lands in the sync.
 */
export function commitSealedSecret(env: string, namespace: string, keys: readonly string[]): (gitopsCopy: string) => void {
  return (gitopsCopy) => {
    const dir = path.join(gitopsCopy, 'overlays', env, 'sealed-secrets');
    const sealed = {
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      metadata: { name: 'tiketi-secrets', namespace },
      spec: {
        encryptedData: Object.fromEntries(keys.map((k) => [k, 'AgBy3i4OJSWK+PiTySYZZA=='])),
        template: { metadata: { name: 'tiketi-secrets', namespace }, type: 'Opaque' },
      },
    };
    fs.writeFileSync(path.join(dir, 'tiketi-secrets.yaml'), stringify(sealed));
    const file = path.join(dir, 'kustomization.yaml');
    const k = parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    k.resources = ['tiketi-secrets.yaml'];
    fs.writeFileSync(file, stringify(k));
  };
}
