/**
 * What Argo CD does with gitops/argocd/<env>, emulated offline:
 *  - the ApplicationSet cluster generator renders its Go template with one cluster secret's values
 *    (only the expressions this repository uses are supported; anything else fails the test);
 *  - Argo CD builds the Application's path after `kustomize edit set image` / `add patch` with the
 *    Application's `spec.source.kustomize` (here: the same edits on a temporary copy of gitops/).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import { GITOPS_DIR, REPO_ROOT } from './facts';
import { kustomize, type Manifest, type Rendered } from './manifests';

export interface ClusterValues {
  readonly name: string;
  readonly server: string;
  readonly annotations: Record<string, string>;
}

const EXPRESSION = /\{\{-?\s*(.*?)\s*-?\}\}/g;
const INDEX_ANNOTATION = /^index \.metadata\.annotations "([^"]+)"$/;

/** The bridge annotation keys an ApplicationSet template reads. */
export function annotationKeysRead(appSet: Manifest): string[] {
  const keys = new Set<string>();
  for (const m of JSON.stringify(appSet.spec.template).matchAll(/index \.metadata\.annotations \\"([^"\\]+)\\"/g)) keys.add(m[1]);
  return [...keys].sort();
}

function renderString(text: string, cluster: ClusterValues): string {
  return text.replace(EXPRESSION, (_all, expr: string) => {
    if (expr === '.server') return cluster.server;
    if (expr === '.name') return cluster.name;
    const key = INDEX_ANNOTATION.exec(expr)?.[1];
    if (key === undefined) throw new Error(`unsupported template expression {{ ${expr} }}`);
    const value = cluster.annotations[key];
    if (value === undefined) throw new Error(`missingkey=error: cluster secret has no annotation ${key}`);
    return value;
  });
}

function renderValue(value: unknown, cluster: ClusterValues): unknown {
  if (typeof value === 'string') return renderString(value, cluster);
  if (Array.isArray(value)) return value.map((v) => renderValue(v, cluster));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderValue(v, cluster)]));
  }
  return value;
}

/** The Application a cluster-generator ApplicationSet produces for one cluster secret. */
export function generateApplication(appSet: Manifest, cluster: ClusterValues): Manifest {
  if (appSet.spec.goTemplate !== true) throw new Error(`${appSet.metadata.name}: expected goTemplate: true`);
  const template = renderValue(appSet.spec.template, cluster) as { metadata: Manifest['metadata']; spec: Manifest['spec'] };
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

/** Renders an Application's source the way Argo CD would, on a temporary copy of gitops/. */
export function renderApplicationSource(app: Manifest): Rendered {
  const source = app.spec.source;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tiketi-gitops-'));
  try {
    fs.cpSync(GITOPS_DIR, path.join(tmp, 'gitops'), { recursive: true });
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
