/**
 * A first sync converges: the sync-order model (helpers/sync-model.ts, gitops-engine's order and
 * waits) over every rendered root, as Argo CD applies it:
 *  - gitops/argocd/<env> (what the root app syncs: AppProject + ApplicationSet);
 *  - the Application tiketi-<env> generated from the bridge, its source rendered with Argo CD's
 *    kustomize edits, once with the SealedSecret committed (the intended state) and once without
 *    (today's state until `npm run seal` is run: what the README says happens must be what happens).
 *  - the root itself across Applications (helpers/root-model.ts): every ServiceMonitor and PrometheusRule,
 *    of the services and of the monitoring stack, applied only once the Prometheus Operator CRDs are
 *    Established (the monitoring-crds Application, waited for in an earlier root wave).
 * Each check has a fixture it must fail. `the sync order, per environment` prints the order.
 */
import * as path from 'path';
import { ENV_NAMES, ENVIRONMENTS, GITOPS_DIR, SECRET_KEYS, sampleCluster, type EnvName } from './helpers/facts';
import { kustomize, type Manifest } from './helpers/manifests';
import { commitSealedSecret, generateApplication, renderApplicationSource } from './helpers/argocd';
import { KIND_ORDER, kindRank, simulateSync, syncOrderProblems, syncOrderTable, syncTasks, type ClusterFacts } from './helpers/sync-model';
import { kindOf, rootProblems, type ApplicationContent } from './helpers/root-model';

interface Roots {
  argocd: Manifest[];
  withSecret: Manifest[];
  withoutSecret: Manifest[];
}
const roots = {} as Record<EnvName, Roots>;

/** What exists before the first sync: Terraform's bridge ConfigMap where the overlay does not generate one. */
const clusterFacts = (env: EnvName): ClusterFacts => ({
  preexisting: ENVIRONMENTS[env].selfContained ? [] : ['ConfigMap/tiketi-infrastructure'],
});

beforeAll(() => {
  for (const env of ENV_NAMES) {
    const argocd = kustomize(path.join(GITOPS_DIR, 'argocd', env)).objects;
    const appSet = argocd.find((o) => o.kind === 'ApplicationSet');
    if (!appSet) throw new Error(`gitops/argocd/${env} renders no ApplicationSet`);
    const app = generateApplication(appSet, sampleCluster(env));
    roots[env] = {
      argocd,
      withSecret: renderApplicationSource(app, commitSealedSecret(env, ENVIRONMENTS[env].namespace, SECRET_KEYS)).objects,
      withoutSecret: renderApplicationSource(app).objects,
    };
  }
});

const clone = (objects: Manifest[]): Manifest[] => structuredClone(objects);
const find = (objects: Manifest[], kind: string, prefix: string): Manifest => {
  const o = objects.find((x) => x.kind === kind && (x.metadata.name === prefix || x.metadata.name.startsWith(`${prefix}-`)));
  if (!o) throw new Error(`no ${kind}/${prefix}`);
  return o;
};
const annotate = (o: Manifest, values: Record<string, string | undefined>): void => {
  const a = { ...(o.metadata.annotations ?? {}) };
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) delete a[k];
    else a[k] = v;
  }
  o.metadata.annotations = a;
};
const WAVE = 'argocd.argoproj.io/sync-wave';
const HOOK = 'argocd.argoproj.io/hook';

describe('the model itself', () => {
  test('kind order is gitops-engine\'s: listed kinds in Helm install order, any other kind (SealedSecret) after them', () => {
    const order = ['Job', 'SealedSecret', 'ConfigMap', 'Deployment', 'ServiceAccount', 'Secret', 'NetworkPolicy', 'Service'].sort((a, b) => kindRank(a) - kindRank(b));
    expect(order).toEqual(['NetworkPolicy', 'ServiceAccount', 'Secret', 'ConfigMap', 'Service', 'Deployment', 'Job', 'SealedSecret']);
    expect(KIND_ORDER.length).toBe(35);
  });

  test('phase, then wave, then kind, then name; hooks sort by their phase and wave', () => {
    const o = (kind: string, name: string, annotations: Record<string, string> = {}): Manifest =>
      ({ apiVersion: 'v1', kind, metadata: { name, annotations } }) as Manifest;
    const order = syncTasks([
      o('Deployment', 'a'),
      o('Job', 'pre', { [HOOK]: 'PreSync', [WAVE]: '5' }),
      o('ConfigMap', 'z', { [WAVE]: '-1' }),
      o('ConfigMap', 'b'),
      o('Job', 'post', { [HOOK]: 'PostSync', [WAVE]: '-9' }),
      o('Job', 'skipped', { [HOOK]: 'Skip' }),
    ]).map((t) => `${t.phase}/${t.wave}/${t.obj.kind}/${t.obj.metadata.name}`);
    expect(order).toEqual(['PreSync/5/Job/pre', 'Sync/-1/ConfigMap/z', 'Sync/0/ConfigMap/b', 'Sync/0/Deployment/a', 'PostSync/-9/Job/post']);
  });

  test('the last step is not waited for (a missing Secret there leaves the sync Succeeded, health Progressing)', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'app' },
      spec: { template: { spec: { containers: [{ name: 'c', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'missing', key: 'k' } } }] }] } } },
    } as Manifest;
    expect(simulateSync([deployment], { preexisting: [] }).stuck).toBeUndefined();
    const earlier = { ...structuredClone(deployment), metadata: { name: 'app', annotations: { [WAVE]: '-1' } } } as Manifest;
    const later = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'later' } } as Manifest;
    expect(simulateSync([earlier, later], { preexisting: [] }).stuck).toMatchObject({ wave: -1, task: 'Deployment/app' });
  });
});

describe.each(ENV_NAMES)('%s', (env) => {
  const facts = () => clusterFacts(env);

  test('gitops/argocd/<env> (the root app) converges in one step', () => {
    expect(syncOrderProblems(roots[env].argocd, facts())).toEqual([]);
  });

  test('as deployed, with the SealedSecret committed: every input before its user, data and schema before the apps', () => {
    expect(syncOrderProblems(roots[env].withSecret, facts())).toEqual([]);
    const outcome = simulateSync(roots[env].withSecret, facts());
    expect([outcome.stuck, outcome.neverApplied]).toEqual([undefined, []]);
  });

  test('without the SealedSecret: the sync stops, loudly, before any Deployment is applied', () => {
    const outcome = simulateSync(roots[env].withoutSecret, facts());
    // dev: PostgreSQL needs the password (wave -2); staging/prod: the migration hook needs it (wave -1)
    expect(outcome.stuck).toMatchObject(
      ENVIRONMENTS[env].selfContained
        ? { phase: 'Sync', wave: -2, task: 'StatefulSet/postgres' }
        : { phase: 'Sync', wave: -1, task: 'Job/db-migration' },
    );
    expect(outcome.stuck?.reason).toMatch(/CreateContainerConfigError: missing Secret\/tiketi-secrets/);
    expect(outcome.neverApplied.filter((r) => r.startsWith('Deployment/')).length).toBe(5);
  });

  describe('fixtures the check must fail', () => {
    const broken = (mutate: (objects: Manifest[]) => void): string[] => {
      const objects = clone(roots[env].withSecret);
      mutate(objects);
      return syncOrderProblems(objects, facts());
    };

    test('a ConfigMap moved to a later wave than its Deployments', () => {
      const problems = broken((o) => annotate(find(o, 'ConfigMap', 'tiketi-config'), { [WAVE]: '1' }));
      expect(problems.join('\n')).toMatch(/Deployment\/backend \(Sync wave 0\) needs ConfigMap\/tiketi-config-\w+, applied in Sync wave 1/);
    });

    test('the migration back to a PreSync hook (its ServiceAccount, ConfigMaps and Secret come in the Sync phase)', () => {
      const problems = broken((o) => annotate(find(o, 'Job', 'db-migration'), { [HOOK]: 'PreSync' }));
      expect(problems.join('\n')).toMatch(/Job\/db-migration \(PreSync wave -1\) needs ServiceAccount\/db-migration, applied in Sync wave -3/);
    });

    test('the migration in the same wave as the Deployments (services could start before the schema exists)', () => {
      const problems = broken((o) => annotate(find(o, 'Job', 'db-migration'), { [WAVE]: '0' }));
      expect(problems.join('\n')).toMatch(/Deployment\/\S+ \(Sync wave 0\) may start before Job\/db-migration \(Sync wave 0\) has completed/);
    });

    test('the SealedSecret in the same wave as its users (the controller writes the Secret only later)', () => {
      const problems = broken((o) => annotate(find(o, 'SealedSecret', 'tiketi-secrets'), { [WAVE]: '-1' }));
      expect(problems.join('\n')).toMatch(/Job\/db-migration \(Sync wave -1\) needs Secret\/tiketi-secrets, applied in Sync wave -1 \(from SealedSecret/);
    });

    test('no waves at all: one step, so nothing is waited for', () => {
      const problems = broken((o) => o.forEach((x) => annotate(x, { [WAVE]: undefined })));
      expect(problems.length).toBeGreaterThan(0);
    });

    if (ENVIRONMENTS[env].selfContained) {
      test('dev as it was: StatefulSets in wave -1, their ServiceAccounts, ConfigMap and Secret in wave 0 (deadlock)', () => {
        const problems = broken((o) => {
          for (const x of o) {
            if (['ServiceAccount', 'ConfigMap', 'SealedSecret', 'Service'].includes(x.kind)) annotate(x, { [WAVE]: '0' });
            if (x.kind === 'StatefulSet') annotate(x, { [WAVE]: '-1' });
          }
        });
        expect(problems.join('\n')).toMatch(/StatefulSet\/postgres \(Sync wave -1\) needs ServiceAccount\/postgres, applied in Sync wave 0/);
        expect(problems.join('\n')).toMatch(/the first sync stops at Sync wave -1: StatefulSet\/postgres: pods cannot be created/);
      });

      test('the migration in the same wave as PostgreSQL (it would run before the database is up)', () => {
        const problems = broken((o) => annotate(find(o, 'Job', 'db-migration'), { [WAVE]: '-2' }));
        expect(problems.join('\n')).toMatch(/Job\/db-migration \(Sync wave -2\) connects to DB_HOST=postgres, but StatefulSet\/postgres is not healthy/);
      });
    }

    test('a standalone PVC in an earlier wave than its only consumer (WaitForFirstConsumer: never Bound)', () => {
      const objects = clone(roots[env].withSecret);
      const backend = find(objects, 'Deployment', 'backend');
      backend.spec.template.spec.volumes.push({ name: 'uploads', persistentVolumeClaim: { claimName: 'uploads' } });
      objects.push({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'uploads', annotations: { [WAVE]: '-3' } }, spec: {} } as Manifest);
      expect(syncOrderProblems(objects, facts()).join('\n')).toMatch(/stops at Sync wave -3: PersistentVolumeClaim\/uploads: Pending/);
    });
  });
});

/**
 * What each Application of the root applies: the rendered source (the ApplicationSet's with the bridge), plus
 * what the kube-prometheus-stack chart renders with our values (read from its templates at 88.5.3; no Helm
 * here): the Prometheus and Alertmanager custom resources and its ServiceMonitors. monitoring-crds installs
 * the CRDs of the chart's crds/ directory at that version.
 */
const CHART_CUSTOM_RESOURCES = ['monitoring.coreos.com/Prometheus', 'monitoring.coreos.com/Alertmanager', 'monitoring.coreos.com/ServiceMonitor'];
const OPERATOR_CRDS = ['Alertmanager', 'AlertmanagerConfig', 'PodMonitor', 'Probe', 'PrometheusAgent', 'Prometheus', 'PrometheusRule', 'ScrapeConfig', 'ServiceMonitor', 'ThanosRuler'].map((k) => `monitoring.coreos.com/${k}`);
const platformKinds = new Map<string, string[]>();
const renderedKinds = (env: EnvName, part: 'monitoring' | 'logging'): string[] => {
  const key = `${env}/${part}`;
  if (!platformKinds.has(key)) platformKinds.set(key, [...new Set(kustomize(path.join(GITOPS_DIR, 'platform', part, 'overlays', env)).objects.map(kindOf))]);
  return platformKinds.get(key)!;
};
function contentOf(env: EnvName): (app: Manifest) => ApplicationContent {
  return (app) => {
    if (app.metadata.name === 'monitoring-crds') return { applies: [], installsCrdsFor: app.spec.source.helm.valuesObject.crds.enabled ? OPERATOR_CRDS : [] };
    if (app.metadata.name === 'monitoring') return { applies: [...renderedKinds(env, 'monitoring'), ...CHART_CUSTOM_RESOURCES], installsCrdsFor: [] };
    if (app.metadata.name === 'logging') return { applies: renderedKinds(env, 'logging'), installsCrdsFor: [] };
    if (app.metadata.name === `tiketi-${env}`) return { applies: roots[env].withSecret.map(kindOf), installsCrdsFor: [] };
    throw new Error(`no content model for Application ${app.metadata.name}`);
  };
}

describe.each(ENV_NAMES)('%s: the root across its Applications', (env) => {
  const problems = (objects: Manifest[]) => rootProblems(objects, (appSet) => generateApplication(appSet, sampleCluster(env)), contentOf(env));

  test('every ServiceMonitor, PodMonitor and PrometheusRule is applied after the CRDs are Established; projects first', () => {
    expect(problems(roots[env].argocd)).toEqual([]);
  });

  test('fixture: monitoring-crds in the last wave with the rest (nothing waits for the CRDs)', () => {
    const objects = clone(roots[env].argocd);
    annotate(find(objects, 'Application', 'monitoring-crds'), { [WAVE]: '0' });
    expect(problems(objects).join('\n')).toMatch(new RegExp(`Application/tiketi-${env} \\(root wave 0\\) applies monitoring.coreos.com/ServiceMonitor before its CRD is sure to be Established`));
  });

  test('fixture: the CRDs synced by hand (the root would wait forever)', () => {
    const objects = clone(roots[env].argocd);
    delete find(objects, 'Application', 'monitoring-crds').spec.syncPolicy.automated;
    expect(problems(objects).join('\n')).toMatch(/Application\/monitoring-crds \(root wave -1\) syncs by hand/);
  });

  test('fixture: the CRDs left out of the chart values (crds.enabled false)', () => {
    const objects = clone(roots[env].argocd);
    find(objects, 'Application', 'monitoring-crds').spec.source.helm.valuesObject.crds.enabled = false;
    expect(problems(objects).join('\n')).toMatch(/applies monitoring.coreos.com\/PrometheusRule, whose CRD no Application of the root installs/);
  });

  test('fixture: the platform AppProject after its Applications', () => {
    const objects = clone(roots[env].argocd);
    annotate(find(objects, 'AppProject', 'platform'), { [WAVE]: '1' });
    expect(problems(objects).join('\n')).toMatch(/Application\/monitoring-crds \(root wave -1\) uses AppProject platform, created later/);
  });
});

test('no Argo CD Application deploys the kind entry point (gitops/local)', () => {
  for (const env of ENV_NAMES) {
    const appSet = roots[env].argocd.find((o) => o.kind === 'ApplicationSet') as Manifest;
    expect(generateApplication(appSet, sampleCluster(env)).spec.source.path).toBe(`gitops/overlays/${env}`);
  }
});

test('the sync order, per environment (for the report)', () => {
  const report = ENV_NAMES.map((env) => {
    const lines = syncOrderTable(roots[env].withSecret);
    return `${env} (tiketi-${env}, SealedSecret committed)\nphase    wave  kind                     name\n${lines.join('\n')}`;
  });
  console.log(report.join('\n\n'));
  // What the report must show: in every environment the migration Job runs before any Deployment rolls out.
  for (const env of ENV_NAMES) {
    const lines = syncOrderTable(roots[env].withSecret);
    const migration = lines.findIndex((l) => /\bJob +db-migration\b/.test(l));
    const firstDeployment = lines.findIndex((l) => /\bDeployment +/.test(l));
    expect({ env, migrationFirst: migration >= 0 && firstDeployment > migration }).toEqual({ env, migrationFirst: true });
  }
});
