/**
 * The root app-of-apps as Argo CD syncs it (helpers/sync-model.ts: phases, waves, kinds; waits between
 * steps), with what the Applications it creates then apply:
 *  - an Application (or the one an ApplicationSet generates, when the ApplicationSet is applied) is created
 *    in its root step and starts syncing at once; the root waits for it only if its step is not the last,
 *    and then until it is Healthy (the argocd-cm Lua check: its own health), which a manual-sync
 *    Application never is before someone syncs it;
 *  - a custom resource needs its CRD Established when it is applied, or the sync fails ("the server could
 *    not find the requested resource"); a CRD is Established once the Application that installs it is
 *    Healthy (Argo CD's CRD health check);
 *  - an Application needs its AppProject to exist (an earlier root step, or the same step: AppProject sorts
 *    before Application among the kinds Argo CD does not list).
 */
import { syncSteps, syncTasks } from './sync-model';
import type { Manifest } from './manifests';

export interface ApplicationContent {
  /** `group/Kind` of every object the Application applies. */
  readonly applies: readonly string[];
  /** `group/Kind` of the custom resources whose CRDs it installs. */
  readonly installsCrdsFor: readonly string[];
}

/** API groups whose kinds come from CRDs that an Application of the root installs (not built into Kubernetes or Argo CD). */
export const CRD_GROUPS = ['monitoring.coreos.com'];

export const kindOf = (o: Manifest): string => `${o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : ''}/${o.kind}`;

export function rootProblems(rootObjects: Manifest[], generate: (appSet: Manifest) => Manifest, contentOf: (app: Manifest) => ApplicationContent): string[] {
  const steps = syncSteps(syncTasks(rootObjects));
  const problems: string[] = [];
  const projects = new Map<string, number>();
  const apps: { app: Manifest; step: number }[] = [];
  steps.forEach((step, i) => {
    for (const t of step.tasks) {
      if (t.obj.kind === 'AppProject') projects.set(t.obj.metadata.name, i);
      if (t.obj.kind === 'Application') apps.push({ app: t.obj, step: i });
      if (t.obj.kind === 'ApplicationSet') apps.push({ app: generate(t.obj), step: i });
    }
  });
  const waited = (i: number) => steps.length > 1 && i < steps.length - 1;
  const name = (a: Manifest) => `Application/${a.metadata.name}`;
  const position = (i: number) => `root wave ${steps[i].wave}`;
  for (const { app, step } of apps) {
    const projectStep = projects.get(app.spec.project);
    if (projectStep === undefined || projectStep > step) problems.push(`${name(app)} (${position(step)}) uses AppProject ${app.spec.project}, ${projectStep === undefined ? 'which the root does not create' : `created later, in ${position(projectStep)}`}`);
    if (waited(step) && !app.spec.syncPolicy?.automated) problems.push(`${name(app)} (${position(step)}) syncs by hand, but the root waits for it to be Healthy: the root's first sync never ends`);
    for (const kind of new Set(contentOf(app).applies.filter((k) => CRD_GROUPS.includes(k.split('/')[0])))) {
      const providers = apps.filter((p) => contentOf(p.app).installsCrdsFor.includes(kind));
      if (providers.length === 0) {
        problems.push(`${name(app)} applies ${kind}, whose CRD no Application of the root installs`);
        continue;
      }
      const ready = providers.some((p) => p.step < step && waited(p.step) && p.app.spec.syncPolicy?.automated);
      if (!ready) {
        const where = providers.map((p) => `${name(p.app)} in ${position(p.step)}${waited(p.step) ? '' : ' (not waited for)'}`).join(', ');
        problems.push(`${name(app)} (${position(step)}) applies ${kind} before its CRD is sure to be Established (installed by ${where}): its first sync fails on the missing kind`);
      }
    }
  }
  return problems;
}
