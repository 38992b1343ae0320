/**
 * How Argo CD's sync engine (argoproj/gitops-engine, pkg/sync) applies one Application, modelled
 * offline so a test can tell whether a first sync converges:
 *
 *  - tasks are sorted by phase (PreSync, Sync, PostSync, SyncFail), then sync wave
 *    (`argocd.argoproj.io/sync-wave`, default 0, hooks included), then kind in the engine's kind order
 *    (sync_tasks.go `kindOrder`; a kind not in the list sorts after every listed one), then name;
 *  - a sync runs one (phase, wave) step at a time. Within a step, kinds are applied one after another
 *    (runTasks groups consecutive tasks of one kind), so a ConfigMap exists before a Deployment of the
 *    same step;
 *  - the next step starts only when every task of the current one is done (sync_context.go Sync(): "if
 *    we are multi-step and we have any running tasks ... wait"): a hook when it completed, a resource
 *    when its health is Healthy (kinds without a health check at once). A Degraded resource or a failed
 *    hook fails the sync. In the LAST step only hooks are waited for: "if it is the last phase/wave and
 *    the only remaining tasks are non-hooks, then we are successful EVEN if those objects
 *    subsequently degraded";
 *  - health (pkg/health, argo-cd resource_customizations): Deployment and StatefulSet Healthy when
 *    their replicas are ready (so: when their pods can start); a Job when complete; a SealedSecret
 *    when the controller reports Synced=True, i.e. the Secret has been written; a PVC when Bound
 *    (WaitForFirstConsumer: only once a pod using it is scheduled); ClusterIP Services, ConfigMaps,
 *    Secrets, ServiceAccounts, NetworkPolicies at once.
 *
 * What the model assumes about the cluster is stated in `ClusterFacts`: what exists before the sync
 * (the namespace, Terraform's ConfigMap) and what controllers derive (a SealedSecret's Secret).
 */
import type { Manifest } from './manifests';

/** gitops-engine pkg/sync/sync_tasks.go, `kindOrder` (from Helm's install order), verbatim. */
export const KIND_ORDER = [
  'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget', 'ServiceAccount',
  'Secret', 'SecretList', 'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim', 'CustomResourceDefinition',
  'ClusterRole', 'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role', 'RoleList', 'RoleBinding',
  'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController', 'ReplicaSet', 'Deployment', 'HorizontalPodAutoscaler',
  'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService',
] as const;

const PHASES = ['PreSync', 'Sync', 'PostSync', 'SyncFail'] as const;
export type Phase = (typeof PHASES)[number];

/** kindOrder[kind] = i - len(kinds): negative for listed kinds, 0 (last) for any other. */
export const kindRank = (kind: string): number => {
  const i = (KIND_ORDER as readonly string[]).indexOf(kind);
  return i < 0 ? 0 : i - KIND_ORDER.length;
};

export interface Task {
  readonly obj: Manifest;
  readonly phase: Phase;
  readonly wave: number;
  readonly hook: boolean;
}

const ref = (kind: string, name: string): string => `${kind}/${name}`;
export const taskRef = (t: Task): string => ref(t.obj.kind, t.obj.metadata.name);

/** The tasks Argo CD creates for the rendered objects, in its order. `Skip` hooks are not applied. */
export function syncTasks(objects: Manifest[]): Task[] {
  const tasks: Task[] = [];
  for (const obj of objects) {
    const a = obj.metadata.annotations ?? {};
    if (a['helm.sh/hook'] !== undefined) throw new Error(`${ref(obj.kind, obj.metadata.name)}: Helm hooks are not modelled`);
    const hookTypes = (a['argocd.argoproj.io/hook'] ?? '').split(',').map((h) => h.trim()).filter((h) => h !== '');
    if (hookTypes.includes('Skip')) continue;
    const waveText = a['argocd.argoproj.io/sync-wave'] ?? '0';
    if (!/^-?\d+$/.test(waveText)) throw new Error(`${ref(obj.kind, obj.metadata.name)}: sync-wave ${JSON.stringify(waveText)} is not an integer`);
    const wave = Number(waveText);
    if (hookTypes.length === 0) {
      tasks.push({ obj, phase: 'Sync', wave, hook: false });
      continue;
    }
    for (const h of hookTypes) {
      if (!(PHASES as readonly string[]).includes(h)) throw new Error(`${ref(obj.kind, obj.metadata.name)}: unknown hook ${h}`);
      tasks.push({ obj, phase: h as Phase, wave, hook: true });
    }
  }
  return tasks.sort(
    (x, y) =>
      PHASES.indexOf(x.phase) - PHASES.indexOf(y.phase) ||
      x.wave - y.wave ||
      kindRank(x.obj.kind) - kindRank(y.obj.kind) ||
      (x.obj.metadata.name < y.obj.metadata.name ? -1 : x.obj.metadata.name > y.obj.metadata.name ? 1 : 0),
  );
}

export interface Step {
  readonly phase: Phase;
  readonly wave: number;
  readonly tasks: Task[];
}

export function syncSteps(tasks: Task[]): Step[] {
  const steps: Step[] = [];
  for (const t of tasks) {
    const last = steps[steps.length - 1];
    if (last && last.phase === t.phase && last.wave === t.wave) last.tasks.push(t);
    else steps.push({ phase: t.phase, wave: t.wave, tasks: [t] });
  }
  return steps;
}

/** One line per task: phase, wave, kind, name (what the closing report lists). */
export function syncOrderTable(objects: Manifest[]): string[] {
  return syncTasks(objects).map((t) => `${t.phase.padEnd(8)} ${String(t.wave).padStart(3)}  ${t.obj.kind.padEnd(24)} ${t.obj.metadata.name}${t.hook ? '  (hook)' : ''}`);
}

/** What the cluster holds or derives, beside what the Application applies. */
export interface ClusterFacts {
  /** Objects that exist before the sync starts (`Kind/name`), e.g. Terraform's bridge ConfigMap. */
  readonly preexisting: readonly string[];
}

/** Objects a pod template needs before its pods can start (kubelet: CreateContainerConfigError otherwise). */
export function podTemplateRefs(obj: Manifest): string[] {
  const pod =
    obj.kind === 'CronJob' ? obj.spec?.jobTemplate?.spec?.template : ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicaSet'].includes(obj.kind) ? obj.spec?.template : obj.kind === 'Pod' ? obj : undefined;
  if (!pod?.spec) return [];
  const spec = pod.spec;
  const refs = new Set<string>();
  refs.add(ref('ServiceAccount', spec.serviceAccountName ?? 'default'));
  for (const s of spec.imagePullSecrets ?? []) refs.add(ref('Secret', s.name));
  const claimTemplates = new Set<string>((obj.kind === 'StatefulSet' ? obj.spec.volumeClaimTemplates ?? [] : []).map((t: Manifest) => t.metadata.name));
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    for (const e of c.envFrom ?? []) {
      if (e.configMapRef && e.configMapRef.optional !== true) refs.add(ref('ConfigMap', e.configMapRef.name));
      if (e.secretRef && e.secretRef.optional !== true) refs.add(ref('Secret', e.secretRef.name));
    }
    for (const e of c.env ?? []) {
      const cm = e.valueFrom?.configMapKeyRef;
      const sk = e.valueFrom?.secretKeyRef;
      if (cm && cm.optional !== true) refs.add(ref('ConfigMap', cm.name));
      if (sk && sk.optional !== true) refs.add(ref('Secret', sk.name));
    }
  }
  for (const v of spec.volumes ?? []) {
    if (v.configMap && v.configMap.optional !== true) refs.add(ref('ConfigMap', v.configMap.name));
    if (v.secret && v.secret.optional !== true) refs.add(ref('Secret', v.secret.secretName));
    if (v.persistentVolumeClaim && !claimTemplates.has(v.persistentVolumeClaim.claimName)) refs.add(ref('PersistentVolumeClaim', v.persistentVolumeClaim.claimName));
    for (const s of v.projected?.sources ?? []) {
      if (s.configMap && s.configMap.optional !== true) refs.add(ref('ConfigMap', s.configMap.name));
      if (s.secret && s.secret.optional !== true) refs.add(ref('Secret', s.secret.name));
    }
  }
  if (obj.kind === 'StatefulSet' && obj.spec.serviceName) refs.add(ref('Service', obj.spec.serviceName));
  return [...refs].sort();
}

/** Objects a controller writes when the given object is applied and healthy. */
function derived(obj: Manifest): string[] {
  if (obj.kind === 'SealedSecret') return [ref('Secret', obj.spec?.template?.metadata?.name ?? obj.metadata.name)];
  return [];
}

const ALWAYS_THERE = [ref('ServiceAccount', 'default'), ref('ConfigMap', 'kube-root-ca.crt')];
const POD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicaSet', 'Pod'];

export interface SyncOutcome {
  /** Steps that were applied, in order, and whether the sync got past each. */
  readonly applied: { readonly phase: Phase; readonly wave: number; readonly refs: string[] }[];
  /** `undefined` when the sync operation succeeds; otherwise where and why it stops. */
  readonly stuck?: { readonly phase: Phase; readonly wave: number; readonly task: string; readonly reason: string };
  /** Objects never applied because the sync stopped before their step. */
  readonly neverApplied: string[];
}

/**
 * Runs the sync: applies step after step and, between steps, asks whether every task of the step
 * becomes healthy with what exists at that point. The first one that cannot stops the sync there.
 */
export function simulateSync(objects: Manifest[], facts: ClusterFacts): SyncOutcome {
  const steps = syncSteps(syncTasks(objects));
  const multiStep = steps.length > 1;
  const exists = new Set<string>([...ALWAYS_THERE, ...facts.preexisting]);
  const applied: SyncOutcome['applied'] = [];
  const allRefs = (s: Step) => s.tasks.map(taskRef);
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    for (const t of step.tasks) exists.add(taskRef(t));
    applied.push({ phase: step.phase, wave: step.wave, refs: allRefs(step) });
    const last = i === steps.length - 1;
    // health of each task once its step is applied; controllers derive objects from healthy ones
    const pending = [...step.tasks];
    let progress = true;
    const unhealthy = new Map<string, string>();
    while (progress) {
      progress = false;
      for (const t of [...pending]) {
        const reason = whyNotHealthy(t, exists, objects);
        if (reason === undefined) {
          pending.splice(pending.indexOf(t), 1);
          for (const d of derived(t.obj)) exists.add(d);
          unhealthy.delete(taskRef(t));
          progress = true;
        } else unhealthy.set(taskRef(t), reason);
      }
    }
    const waitedFor = pending.filter((t) => t.hook || (multiStep && !last));
    if (waitedFor.length > 0) {
      const t = waitedFor[0];
      const neverApplied = steps.slice(i + 1).flatMap(allRefs);
      return { applied, stuck: { phase: step.phase, wave: step.wave, task: taskRef(t), reason: unhealthy.get(taskRef(t)) ?? '' }, neverApplied };
    }
  }
  return { applied, neverApplied: [] };
}

function whyNotHealthy(t: Task, exists: Set<string>, objects: Manifest[]): string | undefined {
  const obj = t.obj;
  if (POD_KINDS.includes(obj.kind)) {
    const missing = podTemplateRefs(obj).filter((r) => !exists.has(r));
    if (missing.length === 0) return undefined;
    const kind = missing.some((m) => m.startsWith('ServiceAccount/'))
      ? 'pods cannot be created (the ServiceAccount does not exist)'
      : missing.some((m) => m.startsWith('PersistentVolumeClaim/'))
        ? 'pods stay Pending (the PersistentVolumeClaim does not exist)'
        : 'pods wait in CreateContainerConfigError';
    return `${kind}: missing ${missing.join(', ')}`;
  }
  if (obj.kind === 'PersistentVolumeClaim') {
    // WaitForFirstConsumer (the gp3 default class): Pending until a pod that uses it is scheduled.
    const consumers = objects.filter((o) => exists.has(ref(o.kind, o.metadata.name)) && podTemplateRefs(o).includes(ref('PersistentVolumeClaim', obj.metadata.name)));
    return consumers.length > 0 ? undefined : 'Pending until a pod that mounts it is scheduled (WaitForFirstConsumer)';
  }
  return undefined; // SealedSecret (decrypted by the controller), ConfigMap, Secret, SA, ClusterIP Service, NetworkPolicy, ...
}

/** Tasks that exist after `task` has been applied, counting only what the sync order guarantees. */
function availableBefore(target: Task, tasks: Task[], facts: ClusterFacts): { direct: Set<string>; gated: Set<string> } {
  const steps = syncSteps(tasks);
  const multiStep = steps.length > 1;
  const direct = new Set<string>([...ALWAYS_THERE, ...facts.preexisting]);
  const gated = new Set<string>([...ALWAYS_THERE, ...facts.preexisting]); // exists AND healthy before the target's step starts
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    const isTargetStep = step.tasks.includes(target);
    for (const t of step.tasks) {
      if (isTargetStep) {
        // same step: applied earlier only if its kind sorts strictly before the target's kind group
        if (kindRank(t.obj.kind) < kindRank(target.obj.kind)) direct.add(taskRef(t));
      } else direct.add(taskRef(t));
    }
    if (isTargetStep) break;
    // the step before the target's completed: with more than one step, Argo CD waited for its health
    const waited = multiStep;
    for (const t of step.tasks) {
      if (waited || t.hook) {
        gated.add(taskRef(t));
        for (const d of derived(t.obj)) {
          gated.add(d);
          direct.add(d);
        }
      }
    }
  }
  return { direct, gated };
}

/** The in-namespace data stores a workload connects to: Services named by its DB_HOST / REDIS_HOST. */
export const DATA_ENDPOINT_KEYS = ['DB_HOST', 'REDIS_HOST'] as const;

function configValues(obj: Manifest, objects: Manifest[]): Map<string, string> {
  const values = new Map<string, string>();
  const pod = obj.kind === 'CronJob' ? obj.spec.jobTemplate.spec.template : obj.spec?.template;
  for (const c of pod?.spec?.containers ?? []) {
    for (const e of c.envFrom ?? []) {
      const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === e.configMapRef?.name);
      for (const [k, v] of Object.entries((cm?.data ?? {}) as Record<string, string>)) values.set(k, v);
    }
    for (const e of c.env ?? []) if (typeof e.value === 'string') values.set(e.name, e.value);
  }
  return values;
}

/** Workloads behind an in-namespace Service (by the Service's selector). */
function workloadsBehind(serviceName: string, objects: Manifest[]): Manifest[] {
  const svc = objects.find((o) => o.kind === 'Service' && o.metadata.name === serviceName);
  const sel: Record<string, string> = svc?.spec?.selector ?? {};
  if (!svc || Object.keys(sel).length === 0) return [];
  return objects.filter((o) => ['Deployment', 'StatefulSet'].includes(o.kind) && Object.entries(sel).every(([k, v]) => o.spec.template.metadata?.labels?.[k] === v));
}

/**
 * Order problems of a rendered Application (each a sentence naming both objects):
 *  1. a referenced ServiceAccount/ConfigMap/Secret/PVC/Service is applied later than its referrer
 *     (phase, wave, then kind within a wave); a Secret derived by a controller (SealedSecret) counts
 *     only once a completed, health-gated step wrote it;
 *  2. a workload starts before the data store it connects to (DB_HOST / REDIS_HOST naming an
 *     in-namespace Service) is healthy in an earlier, waited-for step;
 *  3. a Deployment that uses the database starts before the migration hook (`migrationJob`) completed;
 *  4. a simulated first sync does not get through (it stops at a step that never becomes healthy).
 */
export function syncOrderProblems(objects: Manifest[], facts: ClusterFacts, migrationJob = 'db-migration'): string[] {
  const tasks = syncTasks(objects);
  const problems: string[] = [];
  const position = (t: Task) => `${t.phase} wave ${t.wave}`;
  for (const t of tasks) {
    const refs = t.obj.kind === 'Ingress' ? ingressServices(t.obj) : podTemplateRefs(t.obj);
    if (refs.length === 0) continue;
    const { direct } = availableBefore(t, tasks, facts);
    for (const r of refs) {
      if (direct.has(r)) continue;
      const provider = tasks.find((x) => taskRef(x) === r || derived(x.obj).includes(r));
      const where = provider ? `applied in ${position(provider)}${provider.obj.kind === 'SealedSecret' ? ` (from SealedSecret/${provider.obj.metadata.name}, written by its controller only after that step is healthy)` : ''}` : 'never applied';
      problems.push(`${taskRef(t)} (${position(t)}) needs ${r}, ${where}`);
    }
  }
  for (const t of tasks.filter((x) => POD_KINDS.includes(x.obj.kind))) {
    const { gated } = availableBefore(t, tasks, facts);
    const values = configValues(t.obj, objects);
    for (const key of DATA_ENDPOINT_KEYS) {
      const host = values.get(key);
      if (host === undefined) continue;
      for (const w of workloadsBehind(host, objects)) {
        if (w === t.obj) continue;
        if (!gated.has(ref(w.kind, w.metadata.name))) {
          problems.push(`${taskRef(t)} (${position(t)}) connects to ${key}=${host}, but ${ref(w.kind, w.metadata.name)} is not healthy in an earlier, waited-for step`);
        }
      }
    }
  }
  const migration = tasks.find((t) => t.obj.kind === 'Job' && t.obj.metadata.name === migrationJob);
  for (const t of tasks.filter((x) => x.obj.kind === 'Deployment')) {
    if (!configValues(t.obj, objects).has('DB_HOST') && !usesBridge(t.obj)) continue;
    if (!migration) {
      problems.push(`${taskRef(t)} uses the database but no Job/${migrationJob} runs in the sync`);
      continue;
    }
    const { gated } = availableBefore(t, tasks, facts);
    if (!migration.hook || !gated.has(taskRef(migration))) {
      problems.push(`${taskRef(t)} (${position(t)}) may start before Job/${migrationJob} (${position(migration)}${migration.hook ? '' : ', not a hook'}) has completed`);
    }
  }
  const outcome = simulateSync(objects, facts);
  if (outcome.stuck) problems.push(`the first sync stops at ${outcome.stuck.phase} wave ${outcome.stuck.wave}: ${outcome.stuck.task}: ${outcome.stuck.reason}`);
  return problems;
}

const usesBridge = (obj: Manifest): boolean =>
  (obj.spec?.template?.spec?.containers ?? []).some((c: { envFrom?: { configMapRef?: { name: string } }[] }) =>
    (c.envFrom ?? []).some((e) => e.configMapRef?.name?.startsWith('tiketi-infrastructure')));

function ingressServices(ing: Manifest): string[] {
  const names = new Set<string>();
  for (const r of ing.spec?.rules ?? []) for (const p of r.http?.paths ?? []) if (p.backend?.service?.name) names.add(ref('Service', p.backend.service.name));
  if (ing.spec?.defaultBackend?.service?.name) names.add(ref('Service', ing.spec.defaultBackend.service.name));
  return [...names];
}
