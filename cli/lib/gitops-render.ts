/**
 * Renders the gitops folders with the real `kubectl kustomize` (what Argo CD runs) and parses the
 * objects, for commands that read what the cluster will hold (load balancers, request paths).
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

/** A rendered Kubernetes object, loosely typed. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly [key: string]: any;
}

/** kubectl is missing or the render failed: the message says which and how to fix it. */
export class RenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RenderError';
  }
}

/** Renders of this process, keyed by the content of the whole `gitops/` tree and the folder. */
const renders = new Map<string, string>();

function treeHash(dir: string): string {
  const hash = createHash('sha256');
  const walk = (current: string): void => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(current, entry.name);
      if (entry.isDirectory()) walk(file);
      else hash.update(`${path.relative(dir, file)}\0`).update(fs.readFileSync(file)).update('\0');
    }
  };
  walk(dir);
  return hash.digest('hex');
}

/**
 * `kubectl kustomize <root>/<folder>`, parsed. Throws `RenderError` when kubectl is missing or fails.
 * A folder under `gitops/` is rendered once per process for a given content of `gitops/`.
 */
export function kustomize(root: string, folder: string): KubeObject[] {
  const dir = path.join(root, folder);
  if (!fs.existsSync(path.join(dir, 'kustomization.yaml'))) throw new RenderError(`${folder}: no kustomization.yaml`);
  const key = folder.startsWith('gitops/') ? `${treeHash(path.join(root, 'gitops'))}\0${folder}` : undefined;
  let text = key ? renders.get(key) : undefined;
  if (text === undefined) {
    const result = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (result.error) throw new RenderError(`cannot run kubectl kustomize ${folder} (${result.error.message}); install kubectl (kustomize v5) on PATH`);
    if (result.status !== 0) throw new RenderError(`kubectl kustomize ${folder} failed (exit ${result.status}): ${result.stderr.trim()}`);
    text = result.stdout;
    if (key) renders.set(key, text);
  }
  return parseObjects(text, folder);
}

export function parseObjects(text: string, origin: string): KubeObject[] {
  return parseAllDocuments(text).flatMap((doc) => {
    if (doc.errors.length > 0) throw new RenderError(`${origin}: YAML errors: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value = doc.toJS({ maxAliasCount: -1 }) as KubeObject | null;
    return value === null ? [] : [value];
  });
}

/** The services overlay of an environment. */
export const overlayFolder = (env: string): string => `gitops/overlays/${env}`;
/** The Argo CD objects (ApplicationSet, root app) of an environment. */
export const argocdFolder = (env: string): string => `gitops/argocd/${env}`;

/** An ALB as the AWS Load Balancer Controller builds it: one per IngressGroup, or one per Ingress without a group. */
export interface AlbGroup {
  /** `group:<name>` or `ingress:<namespace>/<name>`. */
  readonly key: string;
  readonly ingresses: readonly string[];
  /** `internet-facing` or `internal` (the controller's default). */
  readonly scheme: string;
}

const ALB_CLASS = 'alb';
const GROUP_ANNOTATION = 'alb.ingress.kubernetes.io/group.name';
const SCHEME_ANNOTATION = 'alb.ingress.kubernetes.io/scheme';

/** Whether the AWS Load Balancer Controller serves this Ingress (class `alb`, by field or legacy annotation). */
export function isAlbIngress(object: KubeObject): boolean {
  return object.kind === 'Ingress' && (object.spec?.ingressClassName === ALB_CLASS || object.metadata.annotations?.['kubernetes.io/ingress.class'] === ALB_CLASS);
}

/**
 * Distinct ALBs of a set of objects: Ingresses sharing `alb.ingress.kubernetes.io/group.name` share one
 * ALB; an Ingress without it gets its own. Sorted by key.
 */
export function albGroups(objects: readonly KubeObject[]): AlbGroup[] {
  const groups = new Map<string, { ingresses: string[]; schemes: Set<string> }>();
  for (const ingress of objects.filter(isAlbIngress)) {
    const annotations = ingress.metadata.annotations ?? {};
    const name = `${ingress.metadata.namespace ?? 'default'}/${ingress.metadata.name}`;
    const key = annotations[GROUP_ANNOTATION] ? `group:${annotations[GROUP_ANNOTATION]}` : `ingress:${name}`;
    const group = groups.get(key) ?? { ingresses: [], schemes: new Set<string>() };
    group.ingresses.push(name);
    group.schemes.add(annotations[SCHEME_ANNOTATION] ?? 'internal');
    groups.set(key, group);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, group]) => ({
      key,
      ingresses: group.ingresses.sort(),
      // The controller refuses a group whose members disagree; internet-facing is the costlier reading.
      scheme: group.schemes.has('internet-facing') ? 'internet-facing' : 'internal',
    }));
}
