/**
 * The bridge carries every key the gitops side reads, computed from gitops/ and docs/gitops-bridge.md
 * (never from a hand-kept list): the ApplicationSets' template expressions for the cluster Secret, the
 * rendered overlays' ConfigMap references and the bridge doc's table for the ConfigMap.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { ENVIRONMENTS } from '../../config/environments';
import { documentedKeys } from '../gitops/helpers/bridge-doc';
import { kustomize, type Manifest } from '../gitops/helpers/manifests';
import { ALL_ENVIRONMENTS, resourcesOf } from '../support/synth';
import { REPO_ROOT } from './helpers/chart-values';
import { argocdJson, k8sObject } from './helpers/stack';

/** Annotation keys a Go template reads, by dot access or by `index`. */
export function annotationKeysIn(template: string): string[] {
  const keys = new Set<string>();
  for (const m of template.matchAll(/\{\{-?\s*([^}]*?)\s*-?\}\}/g)) {
    const expr = m[1];
    for (const d of expr.matchAll(/\.metadata\.annotations\.([A-Za-z_][A-Za-z0-9_]*)/g)) keys.add(d[1]);
    for (const i of expr.matchAll(/index\s+\.metadata\.annotations\s+"([^"]+)"/g)) keys.add(i[1]);
  }
  return [...keys].sort();
}

/** Every string inside `node`, joined: template expressions live in string values. */
function stringsIn(node: unknown): string {
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return node.map(stringsIn).join('\n');
  if (node && typeof node === 'object') return Object.values(node).map(stringsIn).join('\n');
  return '';
}

function applicationSets(): Record<string, Manifest> {
  const dir = path.join(REPO_ROOT, 'gitops', 'argocd');
  return Object.fromEntries(ALL_ENVIRONMENTS.map((env) => [env, parse(fs.readFileSync(path.join(dir, env, 'applicationset.yaml'), 'utf8'))]));
}

/** Every `configMapKeyRef`/`configMapRef` (and volume configMap) naming `name`, in rendered objects. */
function configMapUses(objects: Manifest[], name: string): { keys: string[]; whole: boolean } {
  const keys = new Set<string>();
  let whole = false;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, any>;
    if (n.configMapKeyRef?.name === name) keys.add(n.configMapKeyRef.key);
    if (n.configMapRef?.name === name) whole = true;
    Object.values(n).forEach(walk);
  };
  objects.forEach(walk);
  return { keys: [...keys].sort(), whole };
}

describe('annotationKeysIn', () => {
  test('finds dot access and index, nothing else', () => {
    expect(annotationKeysIn('{{ .metadata.annotations.tiketi_ecr_registry }}/x:{{ index .metadata.annotations "tiketi.com/old" }} {{ .name }} {{ .metadata.labels.env }}')).toEqual(['tiketi.com/old', 'tiketi_ecr_registry']);
  });
});

describe.each(ALL_ENVIRONMENTS)('bridge (%s)', (envName) => {
  const env = ENVIRONMENTS[envName];
  const clusterSecret = () => k8sObject(argocdJson(envName), 'kubernetes_secret_v1', 'in-cluster', 'argocd').config;

  test('the cluster Secret declares the in-cluster destination with the contract labels', () => {
    const secret = clusterSecret();
    expect(secret.metadata.labels).toMatchObject({ 'argocd.argoproj.io/secret-type': 'cluster', 'tiketi.com/environment': envName });
    expect(secret.data).toMatchObject({ name: 'in-cluster', server: 'https://kubernetes.default.svc' });
  });

  test('the cluster Secret carries the contract annotations with their values', () => {
    const a = clusterSecret().metadata.annotations;
    expect(Object.keys(a).sort()).toEqual(['tiketi_alb_inbound_cidrs', 'tiketi_alb_waf_acl_arn', 'tiketi_ecr_registry']);
    expect(a.tiketi_ecr_registry).toBe(`\${data.aws_caller_identity.account.account_id}.dkr.ecr.${env.region}.amazonaws.com`);
    expect(a.tiketi_alb_waf_acl_arn).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-edge\.outputs\.[^}]*regional-waf[^}]*arn\}$/);
    expect(a.tiketi_alb_inbound_cidrs).toBe(env.gitops.apiInboundCidrs.join(','));
  });

  test('the cluster Secret carries exactly the keys of the contract table (docs/platform-contracts.md)', () => {
    const contract = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'platform-contracts.md'), 'utf8');
    const section = contract.split(/^## /m).find((s) => s.startsWith('Bridge'))!;
    const rows = [...section.matchAll(/^\|\s*`([^`]+)`\s*\|\s*(label|annotation)\s*\|/gm)].map((m) => ({ key: m[1], kind: m[2] }));
    expect(rows.length).toBeGreaterThanOrEqual(4);
    const secret = clusterSecret();
    expect(Object.keys(secret.metadata.annotations).sort()).toEqual(rows.filter((r) => r.kind === 'annotation').map((r) => r.key).sort());
    for (const r of rows.filter((r) => r.kind === 'label')) expect(secret.metadata.labels[r.key]).toBe(envName);
  });

  // Depends on the gitops side using the contract's dot-access keys (docs/platform-contracts.md): it goes green
  // when the ApplicationSets read `.metadata.annotations.tiketi_*`.
  test('the cluster Secret carries every annotation and label the ApplicationSet reads', () => {
    const appSet = applicationSets()[envName];
    const read = annotationKeysIn(stringsIn(appSet.spec.template));
    expect(read.length).toBeGreaterThan(0);
    const secret = clusterSecret();
    expect(read.filter((k) => !(k in secret.metadata.annotations))).toEqual([]);
    for (const generator of appSet.spec.generators) {
      const selector = generator.clusters?.selector?.matchLabels ?? {};
      for (const [k, v] of Object.entries(selector)) expect({ [k]: secret.metadata.labels[k] }).toEqual({ [k]: v });
    }
  });

  test('a Pod Identity association for exactly the service accounts docs/gitops-bridge.md lists, where the services use AWS', () => {
    const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'gitops-bridge.md'), 'utf8');
    const section = doc.split(/^## /m).find((s) => s.startsWith('Service accounts with AWS access'))!;
    const accounts = [...section.matchAll(/^\|\s*`([^`]+)`\s*\|/gm)].map((m) => m[1]).sort();
    expect(accounts.length).toBeGreaterThanOrEqual(5);
    const associations = Object.values(resourcesOf(argocdJson(envName), 'aws_eks_pod_identity_association')) as any[];
    expect(associations.map((a) => a.service_account).sort()).toEqual(env.argocd.workloadsUseAwsData ? accounts : []);
  });

  test('one owner of tiketi-infrastructure: Terraform where the overlay does not generate it, never both', () => {
    const rendered = kustomize(path.join(REPO_ROOT, 'gitops', 'overlays', envName)).objects;
    const generated = rendered.filter((o) => o.kind === 'ConfigMap' && /^tiketi-infrastructure(-[a-z0-9]+)?$/.test(o.metadata.name));
    const terraform = Object.values(resourcesOf(argocdJson(envName), 'kubernetes_config_map_v1')).filter((c: any) => c.metadata.name === 'tiketi-infrastructure');
    expect({ generatedByOverlay: generated.length, writtenByTerraform: terraform.length }).toEqual(generated.length > 0 ? { generatedByOverlay: 1, writtenByTerraform: 0 } : { generatedByOverlay: 0, writtenByTerraform: 1 });
    expect(env.argocd.workloadsUseAwsData).toBe(terraform.length === 1);
  });

  test('the ConfigMap has every documented required key, no undocumented key, and every key the overlay reads', () => {
    const map = Object.values(resourcesOf(argocdJson(envName), 'kubernetes_config_map_v1')).find((c: any) => c.metadata.name === 'tiketi-infrastructure') as any;
    if (!map) return; // dev: the overlay's own (checked above)
    expect(map.metadata.namespace).toMatch(new RegExp(`namespaces_tiketi-${envName}_`));
    const documented = documentedKeys('ConfigMap `tiketi-infrastructure`');
    expect(documented.length).toBeGreaterThan(5);
    const keys = Object.keys(map.data);
    expect(documented.filter((d) => d.required && !keys.includes(d.key)).map((d) => d.key)).toEqual([]);
    expect(keys.filter((k) => !documented.some((d) => d.key === k))).toEqual([]);
    const rendered = kustomize(path.join(REPO_ROOT, 'gitops', 'overlays', envName)).objects;
    const uses = configMapUses(rendered, 'tiketi-infrastructure');
    expect(uses.whole || uses.keys.length > 0).toBe(true);
    expect(uses.keys.filter((k) => !keys.includes(k))).toEqual([]);
    expect(map.data).toMatchObject({ DB_SSLMODE: 'require', REDIS_TLS: 'true', AWS_REGION: env.region, DB_USER: env.argocd.applicationDatabaseUser });
    expect(map.data.DB_HOST).toMatch(/cross-stack-reference-input-data\.outputs\.[^}]*address\}$/);
  });
});
