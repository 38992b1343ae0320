/**
 * Checks chart values against the chart's own values file (`../shared/reference/charts/<chart>-<version>.values.yaml`),
 * the way a reviewer would: every key we set must be a key the chart defines at that path. The model:
 *  - a key the reference file has is known; below it, recursion continues while the reference is a non-empty map;
 *  - below a reference value that is an empty map `{}`, a list or null, the chart takes whatever the user gives
 *    (annotations, env lists, PDB specs), so nothing is checked;
 *  - a few maps are documented as free-form although they carry defaults (`configs.cm` is passed to argocd-cm
 *    as is); they are listed in FREE_FORM with the chart's own words.
 * Where this is wrong: a chart that reads a key only mentioned in a comment, or a subchart (redis-ha) whose
 * values the parent file does not list; docs/argocd.md, "Where the tests' model could be wrong".
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const REFERENCE_CHARTS = path.resolve(REPO_ROOT, '..', 'shared', 'reference', 'charts');

/** Maps the chart passes through whole, though the values file shows some defaults in them. */
export const FREE_FORM: Record<string, readonly string[]> = {
  // "Any values you put under .configs.cm are passed to argocd-cm ConfigMap"; params and rbac likewise.
  'argo-cd': ['configs.cm', 'configs.params', 'configs.rbac', 'redis-ha'],
  // extraArgs: every key becomes `--key=value`.
  'cluster-autoscaler': ['extraArgs'],
};

export function referenceValues(chart: string, version: string): unknown {
  const file = path.join(REFERENCE_CHARTS, `${chart}-${version}.values.yaml`);
  if (!fs.existsSync(file)) throw new Error(`no reference values file ${file}: add the pinned chart's values.yaml there`);
  return parse(fs.readFileSync(file, 'utf8'));
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Paths (`server.replicas`) of every key in `values` the chart does not define. */
export function unknownValueKeys(values: unknown, reference: unknown, freeForm: readonly string[] = []): string[] {
  const found: string[] = [];
  const walk = (ours: unknown, ref: unknown, at: string[]): void => {
    if (!isMap(ours)) return;
    if (freeForm.includes(at.join('.'))) return;
    if (!isMap(ref) || Object.keys(ref).length === 0) return;
    for (const [key, value] of Object.entries(ours)) {
      const here = [...at, key];
      if (!(key in ref)) {
        if (!freeForm.includes(at.join('.'))) found.push(here.join('.'));
        continue;
      }
      const expected = ref[key];
      if (isMap(value) && expected !== null && !isMap(expected) && !Array.isArray(expected)) {
        found.push(`${here.join('.')} (a map where the chart has a ${typeof expected})`);
        continue;
      }
      walk(value, expected, here);
    }
  };
  walk(values, reference, []);
  return found;
}
