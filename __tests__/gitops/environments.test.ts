/**
 * Per-environment expectations, derived from the facts table (helpers/facts.ts) and the bridge
 * contract (docs/gitops-bridge.md). "As deployed" = the overlay rendered the way Argo CD renders it,
 * with the Application generated from a sample cluster secret (helpers/argocd.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import {
  BRIDGE_CONFIGMAP, ENVIRONMENTS, ENV_NAMES, GITOPS_DIR, REGION, SECRET_KEYS, SECRET_NAME, SERVICES, sampleCluster, type EnvName,
} from './helpers/facts';
import { kustomize, matchesSelector, ofKind, readManifests, ref, type Manifest } from './helpers/manifests';
import { generateApplication, renderApplicationSource } from './helpers/argocd';
import { workloads } from './helpers/hardening';
import { documentedKeys } from './helpers/bridge-doc';
import { SealedSecret } from '@kubernetes-models/sealed-secrets/bitnami.com/v1alpha1/SealedSecret';
import { validateStrict } from './helpers/strict-schema';

const plain = {} as Record<EnvName, Manifest[]>;
const deployed = {} as Record<EnvName, Manifest[]>;

beforeAll(() => {
  for (const env of ENV_NAMES) {
    plain[env] = kustomize(path.join(GITOPS_DIR, 'overlays', env)).objects;
    const appSet = kustomize(path.join(GITOPS_DIR, 'argocd', env)).objects.find((o) => o.kind === 'ApplicationSet');
    if (!appSet) throw new Error(`gitops/argocd/${env} renders no ApplicationSet`);
    deployed[env] = renderApplicationSource(generateApplication(appSet, sampleCluster(env))).objects;
  }
});

const overlayFile = (env: EnvName, file: string): string => path.join(GITOPS_DIR, 'overlays', env, file);
const podSpecs = (objects: Manifest[]) => workloads(objects).map((w) => ({ obj: w.obj, pod: w.pod }));
const containersOf = (objects: Manifest[]) =>
  podSpecs(objects).flatMap(({ obj, pod }) => [...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c) => ({ obj, pod, c })));
const hashless = (name: string, base: string): boolean => name === base || new RegExp(`^${base}-[a-z0-9]{10}$`).test(name);

/** A SealedSecret as an operator must commit it (checked on synthetic objects in the self-test). */
function sealedSecretProblems(s: Manifest, namespace: string): string[] {
  const problems: string[] = [];
  if (s.metadata.name !== SECRET_NAME) problems.push(`name ${s.metadata.name}`);
  if (s.metadata.namespace !== namespace) problems.push(`namespace ${s.metadata.namespace}`);
  const a = s.metadata.annotations ?? {};
  if (a['sealedsecrets.bitnami.com/cluster-wide'] === 'true' || a['sealedsecrets.bitnami.com/namespace-wide'] === 'true') {
    problems.push('not sealed with --scope strict');
  }
  const keys = Object.keys(s.spec?.encryptedData ?? {}).sort();
  if (JSON.stringify(keys) !== JSON.stringify([...SECRET_KEYS].sort())) problems.push(`keys ${keys}`);
  if (s.spec?.template?.metadata?.name !== undefined && s.spec.template.metadata.name !== SECRET_NAME) problems.push('template renames the Secret');
  return problems;
}

describe.each(ENV_NAMES)('%s', (env) => {
  const facts = ENVIRONMENTS[env];
  const objects = (): Manifest[] => plain[env];
  const deployments = (): Manifest[] => ofKind(objects(), 'Deployment');

  test('everything lands in the environment namespace (kube-linter use-namespace), and no Namespace is shipped', () => {
    const wrong = objects().filter((o) => o.metadata.namespace !== facts.namespace).map(ref);
    expect(wrong).toEqual([]);
    // one owner per namespace: the argocd stack (docs/platform-contracts.md, "Namespaces")
    expect(ofKind(objects(), 'Namespace').map(ref)).toEqual([]);
  });

  test('one Deployment per service', () => {
    expect(deployments().map((d) => d.metadata.name).sort()).toEqual([...SERVICES].sort());
  });

  test('images: tags pinned in the overlay, ECR registry from the bridge', () => {
    const k = parse(fs.readFileSync(overlayFile(env, 'kustomization.yaml'), 'utf8')) as { images: { name: string; newName?: string; newTag?: string }[] };
    expect(k.images.map((i) => i.name).sort()).toEqual(SERVICES.map((s) => `tiketi-${s}`).sort());
    for (const image of k.images) {
      expect(image.newName).toBeUndefined(); // the registry is not hand-written in Git
      expect(image.newTag).toMatch(/^[A-Za-z0-9._-]+$/);
    }
    const tags = new Map(k.images.map((i) => [i.name, i.newTag]));
    const registry = sampleCluster(env).annotations.tiketi_ecr_registry;
    expect(registry).toMatch(new RegExp(`^\\d{12}\\.dkr\\.ecr\\.${REGION}\\.amazonaws\\.com$`));
    for (const { obj, c } of containersOf(deployed[env]).filter(({ obj }) => obj.metadata.labels?.['app.kubernetes.io/part-of'] === 'tiketi')) {
      const service = obj.kind === 'Deployment' ? obj.metadata.name : 'backend';
      expect(`${ref(obj)} ${c.image}`).toBe(`${ref(obj)} ${registry}/tiketi-${service}:${tags.get(`tiketi-${service}`)}`);
    }
  });

  if ('fixed' in facts.replicas) {
    const fixed = facts.replicas.fixed;
    test(`${fixed} replica per Deployment, no HPA`, () => {
      expect(deployments().map((d) => [d.metadata.name, d.spec.replicas])).toEqual(deployments().map((d) => [d.metadata.name, fixed]));
      expect(ofKind(objects(), 'HorizontalPodAutoscaler')).toEqual([]);
    });
  } else {
    const { min, max } = facts.replicas;
    test(`an HPA ${min}-${max} per Deployment, and no spec.replicas where it rules`, () => {
      const hpas = ofKind(objects(), 'HorizontalPodAutoscaler');
      const maxes = new Set(hpas.map((h) => h.spec.maxReplicas));
      expect(maxes.size).toBe(1); // one range per environment
      const expectedMax = max === 'capacity' ? [...maxes][0] : max; // 'capacity': autoscaling.test.ts
      for (const d of deployments()) {
        const owning = hpas.filter((h) => h.spec.scaleTargetRef.kind === 'Deployment' && h.spec.scaleTargetRef.name === d.metadata.name);
        expect([d.metadata.name, owning.length, owning[0]?.spec.minReplicas, owning[0]?.spec.maxReplicas]).toEqual([d.metadata.name, 1, min, expectedMax]);
        expect([d.metadata.name, d.spec.replicas]).toEqual([d.metadata.name, undefined]);
      }
      // kube-linter dangling-horizontalpodautoscaler
      for (const h of hpas) expect(deployments().map((d) => d.metadata.name)).toContain(h.spec.scaleTargetRef.name);
    });
  }

  test(facts.pdbPerDeployment ? 'a PodDisruptionBudget for every Deployment' : 'no PodDisruptionBudget', () => {
    const pdbs = ofKind(objects(), 'PodDisruptionBudget');
    if (!facts.pdbPerDeployment) {
      expect(pdbs).toEqual([]);
      return;
    }
    const minReplicas = 'fixed' in facts.replicas ? facts.replicas.fixed : facts.replicas.min;
    for (const d of deployments()) {
      const covering = pdbs.filter((p) => matchesSelector(p.spec.selector?.matchLabels, d.spec.template.metadata.labels));
      expect([d.metadata.name, covering.length]).toEqual([d.metadata.name, 1]);
      // kube-linter pdb-max-unavailable / pdb-unhealthy-pod-eviction-policy
      expect(covering[0].spec.maxUnavailable).toBeLessThan(minReplicas);
      expect(covering[0].spec.unhealthyPodEvictionPolicy).toBe('AlwaysAllow');
    }
  });

  test('every Service selects pods and targets a declared port (kube-linter dangling-service, invalid-target-ports)', () => {
    const pods = podSpecs(objects()).filter(({ obj }) => obj.kind !== 'Job');
    for (const s of ofKind(objects(), 'Service')) {
      const selected = pods.filter(({ pod }) => matchesSelector(s.spec.selector, pod.metadata?.labels));
      expect([ref(s), selected.length > 0]).toEqual([ref(s), true]);
      for (const port of s.spec.ports) {
        const declared = selected.some(({ pod }) =>
          pod.spec.containers.some((c: { ports?: { name?: string; containerPort: number }[] }) =>
            (c.ports ?? []).some((p) => p.name === port.targetPort || p.containerPort === port.targetPort)));
        expect([ref(s), port.targetPort, declared]).toEqual([ref(s), port.targetPort, true]);
      }
    }
  });

  test('ALB Ingress for the API domain: HTTPS only with redirect, modern TLS, health checks', () => {
    const ingresses = ofKind(objects(), 'Ingress');
    expect(ingresses).toHaveLength(1);
    const ing = ingresses[0];
    const a = ing.metadata.annotations ?? {};
    expect(ing.spec.ingressClassName).toBe('alb');
    expect(ing.spec.rules.map((r: { host: string }) => r.host)).toEqual([facts.apiDomain]);
    expect(ing.spec.tls).toEqual([{ hosts: [facts.apiDomain] }]); // ACM certificate discovered by host
    expect(JSON.parse(a['alb.ingress.kubernetes.io/listen-ports'])).toEqual([{ HTTP: 80 }, { HTTPS: 443 }]);
    expect(a['alb.ingress.kubernetes.io/ssl-redirect']).toBe('443');
    expect(a['alb.ingress.kubernetes.io/ssl-policy']).toMatch(/^ELBSecurityPolicy-TLS13-/);
    expect(a['alb.ingress.kubernetes.io/healthcheck-path']).toBe('/health');
    expect(a['alb.ingress.kubernetes.io/scheme']).toBe('internet-facing');
    expect(a['alb.ingress.kubernetes.io/target-type']).toBe('ip');
    expect(a['alb.ingress.kubernetes.io/certificate-arn']).toBeUndefined();
    // kube-linter dangling-ingress: the backend Service and its port exist
    const backend = ing.spec.rules[0].http.paths[0].backend.service;
    const svc = ofKind(objects(), 'Service').find((s) => s.metadata.name === backend.name);
    expect(svc?.spec.ports.map((p: { name: string }) => p.name)).toContain(backend.port.name);
  });

  test('the API ALB: regional WAF ACL and inbound CIDRs from the bridge, in every environment', () => {
    const waf = 'alb.ingress.kubernetes.io/wafv2-acl-arn';
    const cidrs = 'alb.ingress.kubernetes.io/inbound-cidrs';
    // never hand-written in Git: only Argo CD adds them, from the cluster secret
    const inGit = ofKind(objects(), 'Ingress')[0].metadata.annotations ?? {};
    expect([inGit[waf], inGit[cidrs]]).toEqual([undefined, undefined]);
    const a = ofKind(deployed[env], 'Ingress')[0].metadata.annotations ?? {};
    expect(a[waf]).toMatch(new RegExp(`^arn:aws:wafv2:${REGION}:\\d{12}:regional/webacl/tiketi-${env}-`));
    expect(a[cidrs]).toBe(facts.apiInboundCidrs.join(','));
    // dev's API is not open to the internet; staging and prod are, behind the WAF
    if (env === 'dev') expect(a[cidrs].split(',')).not.toContain('0.0.0.0/0');
    else expect(a[cidrs]).toBe('0.0.0.0/0');
  });

  test('environment settings: CORS origins = the frontend domain, API URL = the API domain', () => {
    const config = ofKind(objects(), 'ConfigMap').find((c) => hashless(c.metadata.name, 'tiketi-config'));
    expect(config?.data).toMatchObject({
      ENVIRONMENT: env,
      CORS_ORIGINS: `https://${facts.frontendDomain}`,
      FRONTEND_URL: `https://${facts.frontendDomain}`,
      API_URL: `https://${facts.apiDomain}`,
      API_DOMAIN: facts.apiDomain,
    });
  });

  test('pods read secrets only from tiketi-secrets, by documented key', () => {
    const refs = containersOf(objects()).flatMap(({ c }) => [
      ...(c.env ?? []).flatMap((e: { valueFrom?: { secretKeyRef?: { name: string; key: string } } }) =>
        e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef] : []),
      ...(c.envFrom ?? []).flatMap((e: { secretRef?: { name: string } }) => (e.secretRef ? [{ name: e.secretRef.name, key: '*' }] : [])),
    ]);
    expect(refs.length).toBeGreaterThan(0);
    for (const r of refs) {
      expect(r.name).toBe(SECRET_NAME); // exact name: the SealedSecret's, never a generated hash
      expect(SECRET_KEYS).toContain(r.key);
    }
  });

  {
    // Every environment Argo CD deploys is reachable from the internet (dev behind its inbound CIDRs):
    // its signing secret is sealed, never in Git (issue 10, item 7). Only gitops/local/kind is plain.
    test('no plain Secret: rendered objects and every file of the overlay', () => {
      expect(ofKind(objects(), 'Secret').map(ref)).toEqual([]);
      const files: string[] = [];
      const walk = (dir: string): void => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
          const p = path.join(dir, e.name);
          if (e.isDirectory()) walk(p);
          else if (/\.ya?ml$/.test(e.name)) files.push(p);
        }
      };
      walk(path.join(GITOPS_DIR, 'overlays', env));
      const secretsInFiles = files.flatMap((f) => readManifests(f).filter((o) => o?.kind === 'Secret').map(() => f));
      expect(secretsInFiles).toEqual([]);
      const k = parse(fs.readFileSync(overlayFile(env, 'kustomization.yaml'), 'utf8')) as Record<string, unknown>;
      expect(k.secretGenerator).toBeUndefined();
    });

    test('SealedSecrets, if committed, are tiketi-secrets sealed strictly for this namespace', () => {
      for (const s of ofKind(objects(), 'SealedSecret')) expect(sealedSecretProblems(s, facts.namespace)).toEqual([]);
    });
  }

  test('the bridge ConfigMap: consumed by name, documented keys', () => {
    const consumers = containersOf(objects()).filter(({ obj }) => obj.metadata.labels?.['app.kubernetes.io/part-of'] === 'tiketi');
    const generated = ofKind(objects(), 'ConfigMap').filter((c) => hashless(c.metadata.name, BRIDGE_CONFIGMAP));
    for (const { obj, c } of consumers) {
      const bridgeRef = (c.envFrom ?? []).find((e: { configMapRef?: { name: string } }) => e.configMapRef && hashless(e.configMapRef.name, BRIDGE_CONFIGMAP));
      expect([ref(obj), bridgeRef?.configMapRef.optional]).toEqual([ref(obj), undefined]); // required: no bridge, no start
      if (!facts.selfContained) expect(bridgeRef.configMapRef.name).toBe(BRIDGE_CONFIGMAP); // written by Terraform, exact name
    }
    const documented = documentedKeys(BRIDGE_CONFIGMAP);
    expect(documented.length).toBeGreaterThan(0);
    if (facts.selfContained) {
      expect(generated).toHaveLength(1);
      const keys = Object.keys(generated[0].data);
      expect(keys.filter((k) => !documented.some((d) => d.key === k))).toEqual([]);
      expect(documented.filter((d) => d.required && !keys.includes(d.key)).map((d) => d.key)).toEqual([]);
    } else {
      expect(generated).toEqual([]); // never a hand-edited copy in Git
    }
  });

  test('NetworkPolicies: default deny, and every policy selects pods (kube-linter dangling-networkpolicy)', () => {
    const policies = ofKind(objects(), 'NetworkPolicy');
    const deny = policies.find((p) => Object.keys(p.spec.podSelector).length === 0 && !p.spec.ingress && !p.spec.egress);
    expect(deny?.spec.policyTypes.sort()).toEqual(['Egress', 'Ingress']);
    const podLabels = podSpecs(objects()).map(({ pod }) => pod.metadata?.labels ?? {});
    for (const p of policies) {
      const sel = p.spec.podSelector.matchLabels ?? {};
      if (Object.keys(sel).length === 0) continue;
      expect([ref(p), podLabels.some((l) => matchesSelector(sel, l))]).toEqual([ref(p), true]);
    }
  });

  test('database migration Job: Argo CD Sync hook with a TTL, same image as backend', () => {
    const jobs = ofKind(objects(), 'Job');
    expect(jobs.map((j) => j.metadata.name)).toEqual(['db-migration']);
    const job = jobs[0];
    // a Sync hook, so its inputs (applied in the Sync phase) exist first: sync-order.test.ts models why
    expect(job.metadata.annotations?.['argocd.argoproj.io/hook']).toBe('Sync');
    expect(job.metadata.annotations?.['argocd.argoproj.io/hook-delete-policy']).toBe('BeforeHookCreation');
    expect(job.spec.ttlSecondsAfterFinished).toBeGreaterThan(0);
    const backend = deployments().find((d) => d.metadata.name === 'backend');
    expect(job.spec.template.spec.containers[0].image).toBe(backend?.spec.template.spec.containers[0].image);
  });

  test(facts.selfContained ? 'in-cluster PostgreSQL and Redis with volumes' : 'no in-cluster database', () => {
    const sts = ofKind(objects(), 'StatefulSet');
    if (!facts.selfContained) {
      expect(sts).toEqual([]);
      return;
    }
    expect(sts.map((s) => s.metadata.name).sort()).toEqual(['postgres', 'redis']);
    for (const s of sts) expect(s.spec.volumeClaimTemplates?.length).toBeGreaterThan(0);
  });
});

describe('the SealedSecret check itself', () => {
  const sealed = (overrides: Partial<Manifest['metadata']> = {}, keys = SECRET_KEYS): Manifest =>
    ({
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      metadata: { name: SECRET_NAME, namespace: 'tiketi-prod', ...overrides },
      spec: {
        encryptedData: Object.fromEntries(keys.map((k) => [k, 'AgB'])),
        template: { metadata: { name: SECRET_NAME, namespace: 'tiketi-prod' }, type: 'Opaque' },
      },
    }) as Manifest;

  test('accepts what `kubeseal --scope strict` produces, and it matches the SealedSecret schema', () => {
    expect(sealedSecretProblems(sealed(), 'tiketi-prod')).toEqual([]);
    expect(SealedSecret.is(sealed())).toBe(true);
    expect(validateStrict(sealed())).toEqual({ schemaErrors: [], unknownFields: [] });
  });

  test('rejects a wrong namespace, a wider scope or missing keys', () => {
    expect(sealedSecretProblems(sealed({ namespace: 'tiketi-staging' }), 'tiketi-prod')).not.toEqual([]);
    expect(sealedSecretProblems(sealed({ annotations: { 'sealedsecrets.bitnami.com/cluster-wide': 'true' } }), 'tiketi-prod')).not.toEqual([]);
    expect(sealedSecretProblems(sealed({}, ['DB_PASSWORD']), 'tiketi-prod')).not.toEqual([]);
  });
});
