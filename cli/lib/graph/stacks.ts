/**
 * The stacks, their cross-stack references and their main resources, read from the synthesized JSON of
 * every environment. Where environments differ (counts, sizes, references), the labels say which is which.
 */
import { Flowchart, mermaidId } from './mermaid';
import { SynthesizedEnvironment, SynthesizedStack, isAccountWide } from '../synth-app';
import { block, describeOutput, referencesIn, remoteStateReads, REMOTE_STATE_PREFIX, Resource, resourcesOf } from '../terraform-json';

/** Values that may differ per environment, printed once when equal everywhere, else with the environments. */
export function perEnvironment(values: ReadonlyArray<readonly [string, string]>, allEnvs: readonly string[]): string {
  const byValue = new Map<string, string[]>();
  for (const [env, value] of values) byValue.set(value, [...(byValue.get(value) ?? []), env]);
  const entries = [...byValue.entries()];
  if (entries.length === 1 && entries[0][1].length === allEnvs.length) return entries[0][0];
  return entries.map(([value, envs]) => `${value} (${envs.join(', ')})`).join(' · ');
}

export interface StackInfo {
  readonly id: string;
  readonly accountWide: boolean;
  /** Environments whose app holds the stack. */
  readonly envs: readonly string[];
  readonly dependencies: readonly string[];
}

/** Stacks in dependency order (a stack after the ones it reads or looks up), account-wide first, ties by ID. */
export function stacksOf(envs: readonly SynthesizedEnvironment[]): StackInfo[] {
  const info = new Map<string, { accountWide: boolean; envs: string[]; dependencies: Set<string> }>();
  for (const env of envs) {
    for (const stack of env.stacks) {
      const entry = info.get(stack.id) ?? { accountWide: isAccountWide(stack), envs: [], dependencies: new Set<string>() };
      entry.envs.push(env.env);
      stack.dependencies.forEach((d) => entry.dependencies.add(d));
      info.set(stack.id, entry);
    }
  }
  // A lookup by name orders deployments as a remote-state read does.
  for (const edge of lookupEdges(envs)) info.get(edge.consumer)?.dependencies.add(edge.producer);
  const ordered: StackInfo[] = [];
  const pending = [...info.entries()].sort(([a, x], [b, y]) => Number(y.accountWide) - Number(x.accountWide) || a.localeCompare(b));
  while (pending.length > 0) {
    const index = pending.findIndex(([, e]) => [...e.dependencies].every((d) => ordered.some((o) => o.id === d) || !info.has(d)));
    const [id, entry] = pending.splice(index === -1 ? 0 : index, 1)[0];
    ordered.push({ id, accountWide: entry.accountWide, envs: entry.envs, dependencies: [...entry.dependencies].sort() });
  }
  return ordered;
}

/** `aws_subnet.id ×2`-style lines for the outputs one stack reads from another. */
function countLines(descriptions: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const d of descriptions) counts.set(d, (counts.get(d) ?? 0) + 1);
  return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([d, n]) => (n > 1 ? `${d} ×${n}` : d));
}

export interface CrossStackEdge {
  readonly producer: string;
  readonly consumer: string;
  /** What is read, each line qualified by environment where it is not read everywhere. */
  readonly reads: readonly string[];
}

export function crossStackEdges(envs: readonly SynthesizedEnvironment[]): CrossStackEdge[] {
  const edges = new Map<string, Map<string, string[]>>();
  const consumerEnvs = new Map<string, string[]>();
  for (const env of envs) {
    const byId = new Map(env.stacks.map((s) => [s.id, s]));
    for (const consumer of env.stacks) {
      for (const [producer, outputs] of remoteStateReads(consumer.json)) {
        const key = `${producer}\0${consumer.id}`;
        consumerEnvs.set(key, [...(consumerEnvs.get(key) ?? []), env.env]);
        const source = byId.get(producer);
        const lines = countLines(outputs.map((o) => (source ? describeOutput(source.json, o) : o)));
        const items = edges.get(key) ?? new Map<string, string[]>();
        for (const line of lines) items.set(line, [...(items.get(line) ?? []), env.env]);
        edges.set(key, items);
      }
    }
  }
  return [...edges.entries()]
    .map(([key, items]) => {
      const [producer, consumer] = key.split('\0');
      const present = consumerEnvs.get(key) ?? [];
      const reads = [...items.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([line, where]) => (where.length === present.length ? line : `${line} (${where.join(', ')})`));
      return { producer, consumer, reads };
    })
    .sort((a, b) => a.producer.localeCompare(b.producer) || a.consumer.localeCompare(b.consumer));
}

/**
 * Lookups across stacks: a data source in one stack (e.g. `data.aws_route53_zone`) whose literal `name`
 * is the name of a resource of the same type in another stack. No remote state, but a deploy order.
 */
export function lookupEdges(envs: readonly SynthesizedEnvironment[]): CrossStackEdge[] {
  const edges = new Map<string, Map<string, string[]>>();
  const pairEnvs = new Map<string, Set<string>>();
  for (const env of envs) {
    const owners = new Map<string, string>();
    for (const stack of env.stacks) {
      for (const r of resourcesOf(stack.json)) {
        const name = r.config.name;
        if (typeof name === 'string' && !name.includes('${')) owners.set(`${r.type}\0${name}`, stack.id);
      }
    }
    for (const consumer of env.stacks) {
      for (const [type, byName] of Object.entries(consumer.json.data ?? {})) {
        for (const config of Object.values(byName) as any[]) {
          const name = config?.name;
          const producer = typeof name === 'string' ? owners.get(`${type}\0${name}`) : undefined;
          if (!producer || producer === consumer.id) continue;
          const key = `${producer}\0${consumer.id}`;
          pairEnvs.set(key, (pairEnvs.get(key) ?? new Set()).add(env.env));
          const items = edges.get(key) ?? new Map<string, string[]>();
          const line = `${type} ${name} (looked up by name)`;
          items.set(line, [...(items.get(line) ?? []), env.env]);
          edges.set(key, items);
        }
      }
    }
  }
  return [...edges.entries()]
    .map(([key, items]) => {
      const [producer, consumer] = key.split('\0');
      const present = pairEnvs.get(key)?.size ?? 0;
      const reads = [...items.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([line, where]) => (where.length === present && present === envs.length ? line : `${line} (${where.join(', ')})`));
      return { producer, consumer, reads };
    })
    .sort((a, b) => a.producer.localeCompare(b.producer) || a.consumer.localeCompare(b.consumer));
}

export function stacksDiagram(envs: readonly SynthesizedEnvironment[]): string {
  const chart = new Flowchart('LR');
  const names = envs.map((e) => e.env);
  const account = chart.group('account', 'account-wide: once per AWS account');
  const environment = chart.group('environment', `per environment: ${names.join(', ')}`);
  for (const stack of stacksOf(envs)) {
    const where = stack.accountWide || stack.envs.length === names.length ? [] : [`(${stack.envs.join(', ')} only)`];
    chart.node(mermaidId('stack', stack.id), [stack.id, ...where], 'round', stack.accountWide ? account : environment);
  }
  for (const edge of crossStackEdges(envs)) chart.edge(mermaidId('stack', edge.producer), mermaidId('stack', edge.consumer), edge.reads);
  for (const edge of lookupEdges(envs)) chart.edge(mermaidId('stack', edge.producer), mermaidId('stack', edge.consumer), edge.reads, true);
  return chart.render();
}

/**
 * Types left out of the per-stack pictures: IAM policies and attachments, bucket sub-configurations,
 * routes, rules, aliases, validations and other details of a main resource.
 */
const MINOR_TYPES: readonly RegExp[] = [
  /_policy$/,
  /_policy_attachment$/,
  /_association$/,
  /^aws_s3_bucket_/,
  /_alias$/,
  /_validation$/,
  /^aws_route$/,
  /^aws_route_table$/,
  /_rule$/,
  /^aws_default_/,
  /^aws_launch_template$/,
  /^aws_elasticache_user(_group)?$/,
  /_parameter_group$/,
  /_subnet_group$/,
  /^aws_eks_access_entry$/,
  /^aws_cloudfront_origin_access_control$/,
  /_logging_configuration$/,
];

export function isMainType(type: string): boolean {
  return !MINOR_TYPES.some((pattern) => pattern.test(type));
}

const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const literal = (value: unknown): string | undefined => (typeof value === 'string' && !value.includes('${') ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined);

/** A short description of the resources of a type, for the label (sizes, versions, names). */
const DETAILS: Readonly<Record<string, (resources: readonly Resource[]) => string | undefined>> = {
  aws_eks_cluster: (rs) => rs.map((r) => `Kubernetes ${r.config.version}`).join(', '),
  aws_eks_node_group: (rs) =>
    rs
      .map((r) => {
        const s = block(r.config.scaling_config) ?? {};
        return `${list(r.config.instance_types).join('/')} ${s.min_size}–${s.max_size} nodes (desired ${s.desired_size})`;
      })
      .join(', '),
  aws_eks_addon: (rs) => rs.map((r) => r.config.addon_name).sort().join(', '),
  aws_db_instance: (rs) => rs.map((r) => `${r.config.engine} ${r.config.engine_version} ${r.config.instance_class}${r.config.multi_az === true ? ' Multi-AZ' : ''}`).join(', '),
  aws_elasticache_replication_group: (rs) => rs.map((r) => `${r.config.engine} ${r.config.engine_version} ${r.config.node_type} × ${r.config.num_cache_clusters ?? 1}`).join(', '),
  aws_nat_gateway: () => undefined,
  aws_vpc_endpoint: (rs) => rs.map((r) => `${String(r.config.service_name).split('.').slice(3).join('.')}${(r.config.vpc_endpoint_type ?? 'Gateway') === 'Gateway' ? ' (gateway)' : ''}`).sort().join(', '),
  aws_wafv2_web_acl: (rs) => rs.map((r) => `${r.config.scope}`).sort().join(', '),
  aws_cloudfront_distribution: (rs) => rs.map((r) => `${r.config.price_class}`).join(', '),
  aws_route53_zone: (rs) => rs.map((r) => literal(r.config.name) ?? '').join(', '),
  aws_s3_bucket: (rs) => rs.map((r) => literal(r.config.bucket) ?? r.path).sort().join(', '),
  aws_ecr_repository: (rs) => rs.map((r) => literal(r.config.name) ?? r.path).sort().join(', '),
  aws_instance: (rs) => rs.map((r) => literal(r.config.instance_type) ?? '').join(', '),
  aws_autoscaling_group: (rs) => rs.map((r) => `${r.config.min_size}–${r.config.max_size} instances over ${list(r.config.vpc_zone_identifier).length} subnets`).join(', '),
  aws_ssm_parameter: (rs) => rs.map((r) => literal(r.config.name) ?? r.path).sort().join(', '),
  helm_release: (rs) => rs.map((r) => `${r.config.chart} ${r.config.version ?? ''}`.trim()).sort().join(', '),
};

export function resourcesDiagram(envs: readonly SynthesizedEnvironment[], stackId: string): string {
  const chart = new Flowchart('LR');
  const names = envs.map((e) => e.env);
  const present = envs.filter((e) => e.stacks.some((s) => s.id === stackId));
  const accountWide = present.some((e) => e.stacks.some((s) => s.id === stackId && isAccountWide(s)));
  // An account-wide stack is the same in every environment: draw it once.
  const sources: Array<[string, SynthesizedStack]> = (accountWide ? present.slice(0, 1) : present).map((e) => [e.env, e.stacks.find((s) => s.id === stackId) as SynthesizedStack]);
  const scopeEnvs = accountWide ? sources.map(([env]) => env) : names;
  const groups = new Map<string, Array<[string, Resource[]]>>();
  const edges = new Map<string, string[]>();
  const inputs = new Map<string, string[]>();
  for (const [env, stack] of sources) {
    const resources = resourcesOf(stack.json);
    const byType = new Map<string, Resource[]>();
    for (const r of resources.filter((r) => isMainType(r.type))) byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
    for (const [type, rs] of byType) groups.set(type, [...(groups.get(type) ?? []), [env, rs]]);
    for (const r of resources.filter((r) => isMainType(r.type))) {
      for (const ref of referencesIn(r.config)) {
        if (!ref.data && ref.type !== r.type && isMainType(ref.type) && stack.json.resource?.[ref.type]?.[ref.name]) {
          const key = `${r.type}\0${ref.type}`;
          edges.set(key, [...new Set([...(edges.get(key) ?? []), env])]);
        }
        if (ref.data && ref.type === 'terraform_remote_state' && ref.output) {
          const producer = ref.name.startsWith(REMOTE_STATE_PREFIX) ? ref.name.slice(REMOTE_STATE_PREFIX.length) : ref.name;
          const producerStack = envs.find((e) => e.env === env)?.stacks.find((s) => s.id === producer);
          const what = producerStack ? describeOutput(producerStack.json, ref.output).replace(/\.[a-z_]+$/, '') : ref.output;
          const key = `${producer}\0${what}\0${r.type}`;
          inputs.set(key, [...new Set([...(inputs.get(key) ?? []), env])]);
        }
      }
    }
  }
  for (const [type, perEnv] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const counts = perEnvironment(perEnv.map(([env, rs]) => [env, `×${rs.length}`] as const), scopeEnvs);
    const detail = DETAILS[type];
    const details = detail ? perEnvironment(perEnv.map(([env, rs]) => [env, detail(rs) ?? ''] as const).filter(([, d]) => d !== ''), scopeEnvs) : '';
    chart.node(mermaidId(stackId, type), [`${type} ${counts}`, ...(details ? [details] : [])]);
  }
  const qualify = (where: string[]) => (where.length === scopeEnvs.length ? undefined : where.join(', '));
  for (const [key, where] of edges) {
    const [from, to] = key.split('\0');
    chart.edge(mermaidId(stackId, from), mermaidId(stackId, to), qualify(where));
  }
  for (const [key, where] of inputs) {
    const [producer, what, type] = key.split('\0');
    const input = chart.node(mermaidId('input', producer, what), [`${producer}: ${what}`], 'stadium', 'inputs');
    chart.edge(input, mermaidId(stackId, type), qualify(where), true);
  }
  chart.group('inputs', 'read from other stacks');
  return chart.render();
}
