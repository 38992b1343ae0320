/**
 * Which Secret keys a rendered set of objects reads, and which it provides: the check that no secret
 * reference is left dangling once an overlay's secrets are sealed.
 */
type Obj = Record<string, any>;

export interface SecretNeed {
  readonly secret: string;
  /** Keys read by name (secretKeyRef, volume items); empty when only the whole Secret is read (envFrom). */
  readonly keys: Set<string>;
  readonly readers: Set<string>;
}

function podSpecOf(o: Obj): Obj | undefined {
  switch (o.kind) {
    case 'Pod':
      return o.spec;
    case 'CronJob':
      return o.spec?.jobTemplate?.spec?.template?.spec;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return o.spec?.template?.spec;
    default:
      return undefined;
  }
}

/** Secrets (and keys) the workloads need; `optional: true` references are not needs. */
export function secretNeeds(objects: Obj[]): Map<string, SecretNeed> {
  const needs = new Map<string, SecretNeed>();
  const need = (secret: string, reader: string, key?: string) => {
    const n = needs.get(secret) ?? { secret, keys: new Set<string>(), readers: new Set<string>() };
    if (key !== undefined) n.keys.add(key);
    n.readers.add(reader);
    needs.set(secret, n);
  };
  for (const o of objects) {
    const pod = podSpecOf(o);
    if (!pod) continue;
    const reader = `${o.kind}/${o.metadata.name}`;
    for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? []), ...(pod.ephemeralContainers ?? [])]) {
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref && !ref.optional) need(ref.name, reader, ref.key);
      }
      for (const e of c.envFrom ?? []) if (e.secretRef && !e.secretRef.optional) need(e.secretRef.name, reader);
    }
    for (const v of pod.volumes ?? []) {
      const sources = [v.secret && { ...v.secret, name: v.secret.secretName }, ...(v.projected?.sources ?? []).map((s: Obj) => s.secret)].filter(Boolean);
      for (const s of sources) {
        if (s.optional) continue;
        if (s.items?.length) for (const item of s.items) need(s.name, reader, item.key);
        else need(s.name, reader);
      }
    }
    for (const p of pod.imagePullSecrets ?? []) need(p.name, reader);
  }
  return needs;
}

/** Secret name → keys, for the Secrets the objects create (plain Secrets and SealedSecrets). */
export function providedSecrets(objects: Obj[]): Map<string, Set<string>> {
  const provided = new Map<string, Set<string>>();
  for (const o of objects) {
    if (o.kind === 'Secret') provided.set(o.metadata.name, new Set([...Object.keys(o.data ?? {}), ...Object.keys(o.stringData ?? {})]));
    if (o.kind === 'SealedSecret') {
      const name = o.spec?.template?.metadata?.name ?? o.metadata.name;
      provided.set(name, new Set([...Object.keys(o.spec?.encryptedData ?? {}), ...Object.keys(o.spec?.template?.data ?? {})]));
    }
  }
  return provided;
}

/** `<reader> -> <secret>[/<key>]` for every need the objects do not provide. */
export function danglingReferences(objects: Obj[]): string[] {
  const provided = providedSecrets(objects);
  const dangling: string[] = [];
  for (const n of secretNeeds(objects).values()) {
    const keys = provided.get(n.secret);
    if (!keys) dangling.push(`${[...n.readers].sort().join(', ')} -> ${n.secret} (missing)`);
    else for (const k of n.keys) if (!keys.has(k)) dangling.push(`${[...n.readers].sort().join(', ')} -> ${n.secret}/${k}`);
  }
  return dangling.sort();
}
