/**
 * Argo CD objects: the AppProject, the per-environment ApplicationSet and the Application it generates
 * from the bridge, and the root app-of-apps the argocd stack installs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { BRIDGE_ANNOTATIONS, BRIDGE_LABEL, ENVIRONMENTS, ENV_NAMES, GITOPS_DIR, REPO_ROOT, sampleCluster, type EnvName } from './helpers/facts';
import { kustomize, ofKind, readManifests, type Manifest } from './helpers/manifests';
import { annotationKeysRead, generateApplication, setImage, silentReads } from './helpers/argocd';
import { documentedKeys } from './helpers/bridge-doc';

interface EnvArgo {
  project: Manifest;
  appSet: Manifest;
  app: Manifest;
  root: Manifest;
  overlayKinds: { group: string; kind: string }[];
}
const argo = {} as Record<EnvName, EnvArgo>;

const one = (objects: Manifest[], kind: string): Manifest => {
  const found = ofKind(objects, kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, got ${found.length}`);
  return found[0];
};

beforeAll(() => {
  for (const env of ENV_NAMES) {
    const objects = kustomize(path.join(GITOPS_DIR, 'argocd', env)).objects;
    const appSet = one(objects, 'ApplicationSet');
    const overlay = kustomize(path.join(GITOPS_DIR, 'overlays', env)).objects;
    argo[env] = {
      project: one(objects.filter((o) => o.metadata.name === 'tiketi'), 'AppProject'),
      appSet,
      app: generateApplication(appSet, sampleCluster(env)),
      root: one(readManifests(path.join(GITOPS_DIR, 'argocd', env, 'root-app.yaml')), 'Application'),
      overlayKinds: overlay.map((o) => ({ group: o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '', kind: o.kind })),
    };
  }
});

const hasDir = (p: string): boolean => fs.existsSync(path.join(REPO_ROOT, p, 'kustomization.yaml'));

describe.each(ENV_NAMES)('%s', (env) => {
  const facts = ENVIRONMENTS[env];

  test('AppProject tiketi: explicit repository, this namespace only, allowlists, roles', () => {
    const { project } = argo[env];
    expect(project.metadata).toMatchObject({ name: 'tiketi', namespace: 'argocd' });
    expect(project.spec.sourceRepos).toHaveLength(1);
    // SSH: Argo CD matches the SSH deploy key (repository Secret of the argocd stack) by this exact URL.
    expect(project.spec.sourceRepos[0]).toMatch(/^git@github\.com:[\w.-]+\/[\w.-]+\.git$/);
    expect(project.spec.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: facts.namespace }]);
    const wildcard = (l: { group: string; kind: string }[]) => l.filter((x) => x.group === '*' || x.kind === '*');
    // Namespaces are the argocd stack's: an Application may create no cluster-scoped object at all.
    expect(project.spec.clusterResourceWhitelist).toEqual([]);
    expect(wildcard(project.spec.namespaceResourceWhitelist)).toEqual([]);
    const roles = new Map<string, string[]>(project.spec.roles.map((r: { name: string; policies: string[] }) => [r.name, r.policies]));
    expect([...roles.keys()].sort()).toEqual(['ci', 'read-only']);
    const actions = (role: string) => (roles.get(role) ?? []).map((p) => p.split(',').map((s) => s.trim()));
    for (const [, subject, resource, action, , effect] of actions('read-only')) {
      expect([subject, resource === 'applications' || resource === 'logs', action, effect]).toEqual(['proj:tiketi:read-only', true, 'get', 'allow']);
    }
    const ciWrites = actions('ci').filter(([, , , action]) => action !== 'get');
    expect(ciWrites.map(([, , res, action, obj, eff]) => [res, action, obj, eff])).toEqual([['applications', 'sync', 'tiketi/tiketi-dev', 'allow']]);
  });

  test('the project allows every kind the overlay renders', () => {
    const { project, overlayKinds } = argo[env];
    const allowed = [...project.spec.namespaceResourceWhitelist, ...project.spec.clusterResourceWhitelist];
    const missing = overlayKinds.filter((k) => !allowed.some((a: { group: string; kind: string }) => a.group === k.group && a.kind === k.kind));
    expect(missing).toEqual([]);
  });

  test(`Application tiketi-${env}: ${facts.branch} branch, finalizer, PruneLast, no namespace management, retry with backoff`, () => {
    const { app, project } = argo[env];
    expect(app.metadata).toMatchObject({ name: `tiketi-${env}`, namespace: 'argocd' });
    expect(app.metadata.finalizers).toContain('resources-finalizer.argocd.argoproj.io');
    expect(app.spec.project).toBe('tiketi');
    expect(app.spec.source).toMatchObject({ repoURL: project.spec.sourceRepos[0], targetRevision: facts.branch, path: `gitops/overlays/${env}` });
    expect(app.spec.destination).toEqual({ server: sampleCluster(env).server, namespace: facts.namespace });
    expect(app.spec.syncPolicy.syncOptions).toContain('PruneLast=true');
    // one owner per namespace: the argocd stack creates and labels it (docs/platform-contracts.md)
    expect(app.spec.syncPolicy.syncOptions.filter((o: string) => /^CreateNamespace=/.test(o))).toEqual([]);
    expect(app.spec.syncPolicy.managedNamespaceMetadata).toBeUndefined();
    expect(app.spec.syncPolicy.retry.limit).toBeGreaterThan(0);
    expect(app.spec.syncPolicy.retry.backoff).toMatchObject({ duration: expect.any(String), factor: expect.any(Number), maxDuration: expect.any(String) });
  });

  test(facts.autoSync ? 'automated sync with prune and self-heal' : 'manual sync: no syncPolicy.automated', () => {
    const { syncPolicy } = argo[env].app.spec;
    if (facts.autoSync) expect(syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    else expect(syncPolicy.automated).toBeUndefined();
  });

  test('Slack notifications on sync failure, degraded health and deployment', () => {
    const a = argo[env].app.metadata.annotations ?? {};
    for (const trigger of ['on-sync-failed', 'on-health-degraded', 'on-deployed']) {
      expect(a[`notifications.argoproj.io/subscribe.${trigger}.slack`]).toMatch(/^[\w-]+$/);
    }
  });

  test('the ApplicationSet reads only documented bridge values, by dot access, and fails on a missing one', () => {
    const { appSet } = argo[env];
    expect(appSet.spec.goTemplateOptions).toContain('missingkey=error');
    expect(appSet.spec.generators).toEqual([{ clusters: { selector: { matchLabels: { [BRIDGE_LABEL]: env } } } }]);
    expect(appSet.spec.syncPolicy).toMatchObject({ preserveResourcesOnDeletion: true, applicationsSync: 'create-update' });
    const documented = documentedKeys('cluster secret').map((k) => k.key);
    expect(documented).toContain(BRIDGE_LABEL);
    const read = annotationKeysRead(appSet);
    expect(read).toEqual([...BRIDGE_ANNOTATIONS].sort()); // every environment: registry, WAF ACL, inbound CIDRs
    expect(read.filter((k) => !documented.includes(k))).toEqual([]);
    expect(silentReads(appSet)).toEqual([]); // no `index`: it returns "" for a missing key
    for (const key of read) {
      const cluster = sampleCluster(env);
      const { [key]: _dropped, ...rest } = cluster.annotations;
      expect(() => generateApplication(appSet, { ...cluster, annotations: rest })).toThrow(`map has no entry for key "${key}"`);
    }
  });

  test('root app-of-apps: gitops/argocd/<env> on the same branch, installed by Terraform', () => {
    const { root, project } = argo[env];
    expect(root.metadata).toMatchObject({ name: 'tiketi-root', namespace: 'argocd' });
    expect(root.spec.source).toEqual({ repoURL: project.spec.sourceRepos[0], targetRevision: facts.branch, path: `gitops/argocd/${env}` });
    expect(root.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'argocd' });
    // not part of what it syncs (Terraform owns it)
    const k = parse(fs.readFileSync(path.join(GITOPS_DIR, 'argocd', env, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
    expect(k.resources).not.toContain('root-app.yaml');
  });

  test('every Application path exists in the repository', () => {
    for (const app of [argo[env].app, argo[env].root]) expect([app.spec.source.path, hasDir(app.spec.source.path)]).toEqual([app.spec.source.path, true]);
  });
});

test('image overrides keep the overlay tag (kustomize edit set image name=registry/repo:*)', () => {
  const images = [{ name: 'tiketi-backend', newTag: '1.2.3' }];
  expect(setImage(images, 'tiketi-backend=123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/tiketi-backend:*')).toEqual([
    { name: 'tiketi-backend', newName: '123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/tiketi-backend', newTag: '1.2.3' },
  ]);
});
