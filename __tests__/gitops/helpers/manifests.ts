/** Rendering with the real `kubectl kustomize` and reading the YAML it prints. */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

/** A Kubernetes object as rendered (loosely typed: the schema tests check the shapes). */
export type Manifest = Record<string, any> & {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
  };
};

export interface Rendered {
  readonly dir: string;
  readonly objects: Manifest[];
  readonly stderr: string;
}

export function parseManifests(text: string, origin: string): Manifest[] {
  return parseAllDocuments(text).flatMap((doc) => {
    if (doc.errors.length > 0) throw new Error(`${origin}: YAML errors: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value = doc.toJS({ maxAliasCount: -1 }) as Manifest | null;
    return value === null ? [] : [value];
  });
}

/** sha256 over every file (path and bytes) of a tree. */
function treeHash(root: string): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else hash.update(`${path.relative(root, p)}\0`).update(fs.readFileSync(p)).update('\0');
    }
  };
  walk(root);
  return hash.digest('hex');
}

const CACHE_DIR = path.join(os.tmpdir(), 'tiketi-gitops-render-cache');
const treeHashes = new Map<string, string>();

/**
 * `kubectl kustomize <dir>`; throws (never skips) when kubectl is missing or the build fails.
 * The test files run in parallel workers and render the same folders: the output of a real render is
 * kept in a temporary cache keyed by the content of the whole `gitops` tree (`treeRoot`), the folder and
 * the kubectl binary, so any change to any file renders again.
 */
export function kustomize(dir: string, treeRoot: string = path.resolve(__dirname, '..', '..', '..', 'gitops')): Rendered {
  const version = spawnSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) {
    throw new Error(`cannot run kubectl (${version.error?.message ?? version.stderr}): the gitops tests need kubectl (kustomize v5) on PATH`);
  }
  const tree = treeHashes.get(treeRoot) ?? treeHash(treeRoot);
  treeHashes.set(treeRoot, tree);
  const key = createHash('sha256').update(`${version.stdout}\0${tree}\0${path.relative(treeRoot, dir)}`).digest('hex');
  const cached = path.join(CACHE_DIR, `${key}.json`);
  let output: { stdout: string; stderr: string };
  if (fs.existsSync(cached)) {
    output = JSON.parse(fs.readFileSync(cached, 'utf8')) as { stdout: string; stderr: string };
  } else {
    const result = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (result.error) throw new Error(`cannot run kubectl kustomize (${result.error.message})`);
    if (result.status !== 0) throw new Error(`kubectl kustomize ${dir} failed (exit ${result.status}):\n${result.stderr}`);
    output = { stdout: result.stdout, stderr: result.stderr };
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const partial = `${cached}.${process.pid}`;
    fs.writeFileSync(partial, JSON.stringify(output));
    fs.renameSync(partial, cached);
  }
  return { dir, objects: parseManifests(output.stdout, dir), stderr: output.stderr };
}

export function readManifests(file: string): Manifest[] {
  return parseManifests(fs.readFileSync(file, 'utf8'), file);
}

export const ref = (o: Manifest): string => `${o.kind}/${o.metadata.name}`;

export const ofKind = (objects: Manifest[], kind: string): Manifest[] => objects.filter((o) => o.kind === kind);

/** Every kustomization directory under `root` (each folder holding a kustomization.yaml). */
export function kustomizationDirs(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    if (entries.some((e) => e.isFile() && e.name === 'kustomization.yaml')) found.push(dir);
    for (const e of entries) if (e.isDirectory()) walk(path.join(dir, e.name));
  };
  walk(root);
  return found.sort();
}

export const matchesSelector = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean =>
  selector !== undefined &&
  Object.keys(selector).length > 0 &&
  Object.entries(selector).every(([k, v]) => labels?.[k] === v);
