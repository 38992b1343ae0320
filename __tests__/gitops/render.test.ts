/**
 * Every kustomization under gitops/ renders with the real `kubectl kustomize`, without warnings, and
 * uses only current Kustomize fields.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { ENV_NAMES, GITOPS_DIR } from './helpers/facts';
import { kustomizationDirs, kustomize } from './helpers/manifests';

/** Fields kustomize v5 deprecates (it prints a warning and `kustomize edit fix` rewrites them). */
const DEPRECATED_FIELDS = ['commonLabels', 'patchesStrategicMerge', 'patchesJson6902', 'bases', 'vars', 'imageTags'];

const dirs = kustomizationDirs(GITOPS_DIR);
const rel = (dir: string): string => path.relative(GITOPS_DIR, dir);
const readKustomization = (dir: string): Record<string, unknown> =>
  parse(fs.readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8')) as Record<string, unknown>;
const buildable = dirs.filter((d) => readKustomization(d).kind !== 'Component');

describe('gitops layout', () => {
  test('one overlay and one Argo CD folder per environment, nothing else', () => {
    const list = (sub: string): string[] =>
      fs.readdirSync(path.join(GITOPS_DIR, sub), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    expect(list('overlays')).toEqual([...ENV_NAMES].sort());
    expect(list('argocd').filter((d) => d !== 'project')).toEqual([...ENV_NAMES].sort());
  });

  test('every folder has a short README', () => {
    const folders = ['', 'base', 'components', 'overlays', 'argocd'].map((f) => path.join(GITOPS_DIR, f));
    for (const f of folders) expect(fs.existsSync(path.join(f, 'README.md'))).toBe(true);
  });
});

describe.each(dirs.map((d) => [rel(d), d]))('kustomization %s', (_name, dir) => {
  const k = readKustomization(dir);

  test('uses only current Kustomize fields', () => {
    expect(DEPRECATED_FIELDS.filter((f) => f in k)).toEqual([]);
    expect(k.apiVersion).toBe(k.kind === 'Component' ? 'kustomize.config.k8s.io/v1alpha1' : 'kustomize.config.k8s.io/v1beta1');
  });

  if (k.kind !== 'Component') {
    test('renders with kubectl kustomize and prints no warning', () => {
      const rendered = kustomize(dir);
      expect(rendered.stderr).toBe('');
      const declaresNothing = Array.isArray(k.resources) && k.resources.length === 0 && !k.components && !k.configMapGenerator;
      expect(rendered.objects.length > 0).toBe(!declaresNothing); // only the empty sealed-secrets folders render nothing
    });
  }
});

test('the buildable kustomizations include every overlay and every Argo CD folder', () => {
  for (const env of ENV_NAMES) {
    expect(buildable).toContain(path.join(GITOPS_DIR, 'overlays', env));
    expect(buildable).toContain(path.join(GITOPS_DIR, 'argocd', env));
  }
});
