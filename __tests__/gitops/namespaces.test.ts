/**
 * One owner per namespace (the argocd stack), the local kind entry point that stands in for it, and
 * Argo CD's orphaned-resources monitor over what others own in the namespace.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ENVIRONMENTS, ENV_NAMES, GITOPS_DIR, SECRET_KEYS, sampleCluster, type EnvName } from './helpers/facts';
import { kustomize, kustomizationDirs, ofKind, type Manifest } from './helpers/manifests';
import { generateApplication, renderApplicationSource } from './helpers/argocd';

const KIND_DIR = path.join(GITOPS_DIR, 'local', 'kind');

describe('gitops/local/kind: dev on a bare kind cluster', () => {
  const objects = (): Manifest[] => kustomize(KIND_DIR).objects;

  test('creates the namespace with the Pod Security "restricted" labels', () => {
    const ns = ofKind(objects(), 'Namespace');
    expect(ns.map((n) => n.metadata.name)).toEqual([ENVIRONMENTS.dev.namespace]);
    for (const mode of ['enforce', 'audit', 'warn']) expect(ns[0].metadata.labels?.[`pod-security.kubernetes.io/${mode}`]).toBe('restricted');
  });

  test('adds the plain dev Secret with every key the pods read, referenced by its generated name', () => {
    const secrets = ofKind(objects(), 'Secret');
    expect(secrets).toHaveLength(1);
    expect(Object.keys(secrets[0].data).sort()).toEqual([...SECRET_KEYS].sort());
    const names = new Set(JSON.stringify(objects()).match(/tiketi-secrets[-\w]*/g));
    expect([...names]).toEqual([secrets[0].metadata.name]);
  });

  test('applies on a bare kind cluster: no object of the Prometheus Operator CRDs (the dev overlay\'s are left out)', () => {
    expect(objects().filter((o) => o.apiVersion.startsWith('monitoring.coreos.com/')).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
    expect(kustomize(path.join(GITOPS_DIR, 'overlays', 'dev')).objects.filter((o) => o.apiVersion.startsWith('monitoring.coreos.com/')).length).toBe(2);
  });

  test('is the dev overlay plus namespace and Secret, less the monitoring objects, nothing else', () => {
    const dev = kustomize(path.join(GITOPS_DIR, 'overlays', 'dev')).objects;
    const key = (o: Manifest) => `${o.kind}/${o.metadata.name}`;
    const extra = objects().map(key).filter((k) => !dev.map(key).includes(k));
    const missing = dev.map(key).filter((k) => !objects().map(key).includes(k));
    expect(missing.sort()).toEqual(['PrometheusRule/tiketi-services', 'ServiceMonitor/tiketi-services']);
    expect(extra.sort()).toEqual(['Namespace/tiketi-dev', `Secret/${ofKind(objects(), 'Secret')[0].metadata.name}`].sort());
  });
});

test('no kustomization Argo CD deploys ships a Namespace or a plain Secret; only gitops/local does', () => {
  const offenders: string[] = [];
  for (const dir of kustomizationDirs(GITOPS_DIR)) {
    if (dir.startsWith(path.join(GITOPS_DIR, 'local'))) continue;
    const k = fs.readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8');
    if (/^kind: Component/m.test(k)) continue;
    for (const o of kustomize(dir).objects) if (['Namespace', 'Secret'].includes(o.kind)) offenders.push(`${path.relative(GITOPS_DIR, dir)}: ${o.kind}/${o.metadata.name}`);
  }
  expect(offenders).toEqual([]);
});

/**
 * Argo CD's orphaned-resources monitor (docs: user-guide/orphaned-resources): a top-level (no
 * ownerReferences) namespaced object that no Application tracks is an orphan, except kinds the
 * project denies, the `default` ServiceAccount, the `kube-root-ca.crt` ConfigMap, and the project's
 * `orphanedResources.ignore` entries (group, kind, name glob).
 */
function orphans(project: Manifest, tracked: Manifest[], inNamespace: Manifest[]): string[] {
  const allowed = (o: Manifest) => {
    const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
    return (project.spec.namespaceResourceWhitelist as { group: string; kind: string }[]).some((w) => w.group === group && w.kind === o.kind);
  };
  const glob = (pattern: string, name: string) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(name);
  const ignored = (o: Manifest) =>
    ((project.spec.orphanedResources?.ignore ?? []) as { group?: string; kind?: string; name?: string }[]).some(
      (i) => (i.kind === undefined || i.kind === o.kind) && (i.name === undefined || glob(i.name, o.metadata.name)),
    );
  const isTracked = (o: Manifest) => tracked.some((t) => t.kind === o.kind && t.metadata.name === o.metadata.name);
  return inNamespace
    .filter((o) => !(o.metadata as { ownerReferences?: unknown[] }).ownerReferences?.length)
    .filter((o) => allowed(o) && !isTracked(o) && !ignored(o))
    .filter((o) => !(o.kind === 'ServiceAccount' && o.metadata.name === 'default') && !(o.kind === 'ConfigMap' && o.metadata.name === 'kube-root-ca.crt'))
    .map((o) => `${o.kind}/${o.metadata.name}`);
}

/** What exists in the namespace beside the Application's objects: Terraform's and the controllers'. */
function othersInNamespace(env: EnvName, tracked: Manifest[]): Manifest[] {
  const others: Manifest[] = [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt' } },
    // the Secret the Sealed Secrets controller writes, owned by its SealedSecret
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tiketi-secrets', ownerReferences: [{ kind: 'SealedSecret', name: 'tiketi-secrets' }] } } as Manifest,
  ];
  if (!ENVIRONMENTS[env].selfContained) others.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tiketi-infrastructure' } });
  for (const sts of ofKind(tracked, 'StatefulSet')) {
    for (const t of sts.spec.volumeClaimTemplates ?? []) {
      for (let i = 0; i < sts.spec.replicas; i++) others.push({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: `${t.metadata.name}-${sts.metadata.name}-${i}` } });
    }
  }
  return others;
}

describe.each(ENV_NAMES)('%s: orphaned resources', (env) => {
  const argocd = () => kustomize(path.join(GITOPS_DIR, 'argocd', env)).objects;
  const tracked = () => {
    const appSet = argocd().find((o) => o.kind === 'ApplicationSet') as Manifest;
    return renderApplicationSource(generateApplication(appSet, sampleCluster(env))).objects;
  };

  test('nothing that Terraform or a controller owns in the namespace is reported as orphaned', () => {
    const project = argocd().find((o) => o.kind === 'AppProject' && o.metadata.name === 'tiketi') as Manifest;
    expect(project.spec.orphanedResources.warn).toBe(true);
    const t = tracked();
    expect(orphans(project, t, othersInNamespace(env, t))).toEqual([]);
  });

  test('fixtures: without the ignore list, Terraform\'s ConfigMap (and PVCs, once allowed) would warn on every refresh', () => {
    const project = structuredClone(argocd().find((o) => o.kind === 'AppProject' && o.metadata.name === 'tiketi') as Manifest);
    project.spec.orphanedResources.ignore = [];
    project.spec.namespaceResourceWhitelist.push({ group: '', kind: 'PersistentVolumeClaim' });
    const t = tracked();
    const found = orphans(project, t, othersInNamespace(env, t));
    if (!ENVIRONMENTS[env].selfContained) expect(found).toContain('ConfigMap/tiketi-infrastructure');
    else expect(found).toEqual(['PersistentVolumeClaim/data-postgres-0', 'PersistentVolumeClaim/data-redis-0']);
    expect(orphans(project, t, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hand-made' } }])).toEqual(['ConfigMap/hand-made']);
  });
});
