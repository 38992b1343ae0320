/**
 * The path of a request, from what the code says: Route 53 → CloudFront (+ WAF) → S3 from the
 * synthesized stacks; Route 53 → ALB (+ WAF) → Ingress → services → PostgreSQL/Redis from the rendered
 * overlay (Ingress backends, Service selectors, the services' environment) and, for facts the overlay
 * only references (the bridge ConfigMap), from the stacks or the bridge contract.
 */
import { Flowchart, mermaidId } from './mermaid';
import { AlbGroup, KubeObject, albGroups, isAlbIngress } from '../gitops-render';
import { SynthesizedEnvironment } from '../synth-app';
import { Resource, block, describeOutput, referencesIn, REMOTE_STATE_PREFIX, resourcesOf } from '../terraform-json';

export interface RequestPathInput {
  readonly env: SynthesizedEnvironment;
  /** Rendered `gitops/overlays/<env>`. */
  readonly overlay: readonly KubeObject[];
  /** Rendered `gitops/argocd/<env>` (ApplicationSets that patch the overlay, e.g. the WAF annotation). */
  readonly argocd: readonly KubeObject[];
  /** Keys of ConfigMaps that the overlay references but does not hold, from the bridge contract. */
  readonly bridgeKeys: Readonly<Record<string, readonly string[]>>;
}

/** Data stores recognised from a workload's environment: the host key, and the resource types behind it. */
const DATA_STORES = [
  { hostKey: 'DB_HOST', name: 'PostgreSQL', types: ['aws_db_instance', 'aws_rds_cluster'] },
  { hostKey: 'REDIS_HOST', name: 'Redis', types: ['aws_elasticache_replication_group', 'aws_elasticache_cluster', 'aws_elasticache_serverless_cache'] },
] as const;

const WAF_ANNOTATION = 'alb.ingress.kubernetes.io/wafv2-acl-arn';
const literal = (value: unknown): string | undefined => (typeof value === 'string' && !value.includes('${') ? value : undefined);
const asList = (value: unknown): any[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

interface Located extends Resource {
  readonly stack: string;
}

export function requestPathDiagram(input: RequestPathInput): string {
  const { env, overlay } = input;
  const chart = new Flowchart('LR');
  const resources: Located[] = env.stacks.flatMap((s) => resourcesOf(s.json).map((r) => ({ ...r, stack: s.id })));
  const byAddress = new Map(resources.map((r) => [`${r.type}.${r.name}`, r]));
  const client = chart.node('client', 'client', 'stadium');

  // Zones: created here or looked up; a host goes to the longest zone name it ends with.
  const zones = new Map<string, string>();
  for (const stack of env.stacks) {
    for (const config of Object.values(stack.json.resource?.aws_route53_zone ?? {})) {
      const zone = literal((config as any).name);
      if (zone) zones.set(zone, chart.node(mermaidId('zone', zone), [`Route 53 zone ${zone}`, `(${stack.id} stack)`]));
    }
    for (const config of Object.values(stack.json.data?.aws_route53_zone ?? {})) {
      const zone = literal((config as any).name);
      if (zone && !zones.has(zone)) zones.set(zone, chart.node(mermaidId('zone', zone), [`Route 53 zone ${zone}`, `(looked up by ${stack.id})`]));
    }
  }
  const zoneFor = (host: string): string | undefined => {
    const match = [...zones.keys()].filter((z) => host === z || host.endsWith(`.${z}`)).sort((a, b) => b.length - a.length)[0];
    return match ? zones.get(match) : undefined;
  };
  const enter = (host: string, target: string, how: string) => {
    const zone = zoneFor(host);
    if (zone) {
      chart.edge(client, zone, host);
      chart.edge(zone, target, `${host}: ${how}`);
    } else {
      chart.edge(client, target, `${host} (no zone in the stacks)`);
    }
  };
  const wafNode = (acl: Located) => chart.node(mermaidId('waf', acl.stack, acl.name), [`WAF web ACL ${literal(acl.config.name) ?? acl.name}`, `${acl.config.scope ?? 'REGIONAL'}, ${(acl.config.rule ?? []).length} rules`], 'hexagon');

  // Static site: records aliasing a distribution; its web ACL; its origins.
  for (const dist of resources.filter((r) => r.type === 'aws_cloudfront_distribution')) {
    const cf = chart.node(mermaidId('cf', dist.stack, dist.name), [`CloudFront ${dist.path}`, `${dist.config.price_class ?? ''} (${dist.stack} stack)`.trim()]);
    const address = `aws_cloudfront_distribution.${dist.name}`;
    const records = resources.filter((r) => r.type === 'aws_route53_record' && referencesIn(block(r.config.alias)).some((ref) => `${ref.type}.${ref.name}` === address));
    const hosts = new Map<string, string[]>();
    for (const record of records) {
      const host = literal(record.config.name);
      if (host) hosts.set(host, [...(hosts.get(host) ?? []), String(record.config.type)]);
    }
    if (hosts.size === 0) for (const alias of asList(dist.config.aliases).map(literal).filter(Boolean) as string[]) hosts.set(alias, []);
    for (const [host, types] of [...hosts.entries()].sort(([a], [b]) => a.localeCompare(b))) enter(host, cf, types.length ? `${types.sort().join('/')} alias` : 'alias');
    const acl = referencesIn(dist.config.web_acl_id).map((ref) => byAddress.get(`${ref.type}.${ref.name}`)).find((r) => r?.type === 'aws_wafv2_web_acl');
    if (acl) chart.edge(cf, wafNode(acl), 'inspected by', true);
    for (const origin of asList(dist.config.origin)) {
      const target = referencesIn(origin.domain_name).map((ref) => byAddress.get(`${ref.type}.${ref.name}`)).find(Boolean);
      if (!target) continue;
      const label = target.type === 'aws_s3_bucket' ? [`S3 bucket ${literal(target.config.bucket) ?? target.path}`] : [`${target.type} ${target.path}`];
      chart.edge(cf, chart.node(mermaidId('origin', target.stack, target.name), label, 'cylinder'), `origin${origin.origin_access_control_id ? ' (OAC)' : ''}`);
    }
  }

  // API: the ALBs of the Ingresses, the WAF the bridge adds, the services behind them.
  const namespace = `ns_${env.env}`;
  chart.group(namespace, `EKS: gitops/overlays/${env.env}`);
  const services = overlay.filter((o) => o.kind === 'Service');
  const workloads = overlay.filter((o) => ['Deployment', 'StatefulSet'].includes(o.kind));
  const configMaps = new Map(overlay.filter((o) => o.kind === 'ConfigMap').map((o) => [o.metadata.name, (o.data ?? {}) as Record<string, string>]));
  const serviceNode = (name: string) => {
    const service = services.find((s) => s.metadata.name === name);
    const workload = service && workloads.find((w) => matches(service.spec?.selector, w.spec?.template?.metadata?.labels));
    const kind = workload ? workload.kind : 'no workload';
    return chart.node(mermaidId('svc', name), [name, `Service → ${kind}`], workload?.kind === 'StatefulSet' ? 'cylinder' : 'rect', namespace);
  };
  const wafPatched = wafPatchedIngresses(input.argocd);
  const regionalAcls = resources.filter((r) => r.type === 'aws_wafv2_web_acl' && (r.config.scope ?? 'REGIONAL') === 'REGIONAL');
  for (const alb of albGroups(overlay)) {
    const albNode = chart.node(mermaidId('alb', alb.key), [albTitle(alb), `${alb.scheme} (AWS Load Balancer Controller)`]);
    for (const name of alb.ingresses) {
      const ingress = overlay.find((o) => isAlbIngress(o) && `${o.metadata.namespace ?? 'default'}/${o.metadata.name}` === name) as KubeObject;
      const ingressNode = chart.node(mermaidId('ingress', name), [`Ingress ${ingress.metadata.name}`], 'rect', namespace);
      chart.edge(albNode, ingressNode);
      const hosts = [...new Set(asList(ingress.spec?.rules).map((r) => r.host).filter(Boolean) as string[])].sort();
      for (const host of hosts) {
        const terraformRecord = resources.some((r) => r.type === 'aws_route53_record' && literal(r.config.name) === host);
        enter(host, albNode, terraformRecord ? 'record in the stacks' : 'record not in the stacks (external-dns)');
      }
      if (ingress.metadata.annotations?.[WAF_ANNOTATION]) chart.edge(albNode, chart.node(mermaidId('waf', 'annotation', name), ['WAF web ACL', '(ARN in the Ingress)'], 'hexagon'), 'inspected by', true);
      else if (wafPatched.has(ingress.metadata.name)) for (const acl of regionalAcls) chart.edge(albNode, wafNode(acl), `inspected by (${wafPatched.get(ingress.metadata.name)})`, true);
      const backends = [...new Set([...asList(ingress.spec?.rules).flatMap((r) => asList(r.http?.paths).map((p) => p.backend?.service?.name)), ingress.spec?.defaultBackend?.service?.name].filter(Boolean) as string[])].sort();
      for (const backend of backends) chart.edge(ingressNode, serviceNode(backend));
    }
  }

  // Calls and data stores, from each service's environment.
  const stackConfigMaps = configMapsOfStacks(env);
  const dataStores = new Map<string, { target: Located; sources: Set<string>; callers: Array<[string, string]> }>();
  for (const workload of [...workloads].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))) {
    const service = services.find((s) => matches(s.spec?.selector, workload.spec?.template?.metadata?.labels));
    if (!service) continue;
    const from = serviceNode(service.metadata.name);
    const environment = environmentOf(workload, configMaps, stackConfigMaps, input.bridgeKeys);
    for (const [key, entry] of [...environment.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const host = entry.value === undefined ? undefined : hostOf(entry.value);
      if (host && host !== service.metadata.name && services.some((s) => s.metadata.name === host)) chart.edge(from, serviceNode(host), key);
    }
    for (const store of DATA_STORES) {
      const entry = environment.get(store.hostKey);
      if (!entry) continue;
      const host = entry.value === undefined ? undefined : hostOf(entry.value);
      if (host && services.some((s) => s.metadata.name === host)) continue; // in-cluster: drawn as a call above
      const targets = entry.types.length > 0 ? resources.filter((r) => entry.types.includes(r.type)) : resources.filter((r) => (store.types as readonly string[]).includes(r.type));
      for (const target of targets) {
        const key = `${target.type}.${target.name}`;
        const found = dataStores.get(key) ?? { target, sources: new Set<string>(), callers: [] };
        found.sources.add(entry.from);
        found.callers.push([from, store.hostKey]);
        dataStores.set(key, found);
      }
    }
  }
  // One node per data store, saying where its host reaches the services from; edges carry the key only.
  for (const { target, sources, callers } of dataStores.values()) {
    const node = dataStoreNode(chart, target, [...sources].sort());
    for (const [from, key] of callers) chart.edge(from, node, key);
  }
  return chart.render();
}

function albTitle(alb: AlbGroup): string {
  return alb.key.startsWith('group:') ? `ALB: IngressGroup ${alb.key.slice(6)}` : `ALB of Ingress ${alb.ingresses[0]}`;
}

function dataStoreNode(chart: Flowchart, r: Located, sources: readonly string[]): string {
  const c = r.config;
  const label =
    r.type === 'aws_db_instance'
      ? [`RDS ${literal(c.identifier) ?? r.path}`, `${c.engine} ${c.engine_version}, ${c.instance_class}${c.multi_az === true ? ', Multi-AZ' : ''}`]
      : r.type.startsWith('aws_elasticache')
        ? [`ElastiCache ${literal(c.replication_group_id) ?? literal(c.cluster_id) ?? r.path}`, `${c.engine} ${c.engine_version ?? ''}, ${c.node_type ?? ''} × ${c.num_cache_clusters ?? c.num_cache_nodes ?? 1}`.replace(/ ,/g, ',')]
        : [`${r.type} ${r.path}`];
  return chart.node(mermaidId('data', r.stack, r.name), [...label, `(${r.stack} stack; host from ${sources.join(', ')})`], 'cylinder');
}

function matches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || !labels || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** `auth-service` from `http://auth-service`, `postgres` from `postgres` or `postgres:5432`. */
function hostOf(value: string): string | undefined {
  const url = /^[a-z][a-z0-9+.-]*:\/\/([a-z0-9-]+)(?:[.:/]|$)/.exec(value);
  if (url) return url[1];
  const bare = /^([a-z0-9-]+)(?::\d+)?$/.exec(value);
  return bare ? bare[1] : undefined;
}

/** Ingress names an ApplicationSet patches with the WAF annotation (the bridge), with where from. */
function wafPatchedIngresses(argocd: readonly KubeObject[]): Map<string, string> {
  const patched = new Map<string, string>();
  for (const app of argocd.filter((o) => o.kind === 'ApplicationSet' || o.kind === 'Application')) {
    const spec = app.kind === 'ApplicationSet' ? app.spec?.template?.spec : app.spec;
    for (const patch of asList(spec?.source?.kustomize?.patches)) {
      if (patch?.target?.kind === 'Ingress' && typeof patch.patch === 'string' && patch.patch.includes('wafv2-acl-arn')) {
        patched.set(patch.target.name, `annotation added by ${app.kind} ${app.metadata.name}`);
      }
    }
  }
  return patched;
}

interface EnvEntry {
  readonly value?: string;
  /** Where the key comes from, for the label. */
  readonly from: string;
  /** Resource types the value refers to, when it comes from a stack. */
  readonly types: readonly string[];
}

/** ConfigMaps the stacks write into the cluster (kubernetes provider): name → key → resource types its value reads. */
function configMapsOfStacks(env: SynthesizedEnvironment): Map<string, Map<string, string[]>> {
  const found = new Map<string, Map<string, string[]>>();
  for (const stack of env.stacks) {
    for (const type of ['kubernetes_config_map_v1', 'kubernetes_config_map']) {
      for (const config of Object.values(stack.json.resource?.[type] ?? {}) as any[]) {
        const name = literal(block(config.metadata)?.name);
        if (!name) continue;
        const keys = new Map<string, string[]>();
        for (const [key, value] of Object.entries((config.data ?? {}) as Record<string, unknown>)) {
          const types = referencesIn(value).flatMap((ref) => {
            if (!ref.data) return [ref.type];
            if (ref.type !== 'terraform_remote_state' || !ref.output) return [];
            const producer = env.stacks.find((s) => s.id === (ref.name.startsWith(REMOTE_STATE_PREFIX) ? ref.name.slice(REMOTE_STATE_PREFIX.length) : ref.name));
            return producer ? [describeOutput(producer.json, ref.output).split('.')[0]] : [];
          });
          keys.set(key, types);
        }
        found.set(name, keys);
      }
    }
  }
  return found;
}

/** The environment of a workload's containers: key → value (when known) and where it comes from. */
function environmentOf(workload: KubeObject, rendered: Map<string, Record<string, string>>, fromStacks: Map<string, Map<string, string[]>>, bridge: Readonly<Record<string, readonly string[]>>): Map<string, EnvEntry> {
  const entries = new Map<string, EnvEntry>();
  for (const container of asList(workload.spec?.template?.spec?.containers)) {
    for (const source of asList(container.envFrom)) {
      const name = source.configMapRef?.name;
      if (!name) continue;
      const data = rendered.get(name);
      if (data) for (const [k, v] of Object.entries(data)) entries.set(k, { value: String(v), from: `ConfigMap ${name}`, types: [] });
      else if (fromStacks.has(name)) for (const [k, types] of fromStacks.get(name) ?? []) entries.set(k, { from: `ConfigMap ${name} from the stacks`, types });
      else for (const k of bridge[name] ?? []) entries.set(k, { from: `bridge ConfigMap ${name}`, types: [] });
    }
    for (const variable of asList(container.env)) {
      if (typeof variable.value === 'string') entries.set(variable.name, { value: variable.value, from: 'env', types: [] });
      else if (variable.valueFrom?.configMapKeyRef) {
        const data = rendered.get(variable.valueFrom.configMapKeyRef.name);
        const value = data?.[variable.valueFrom.configMapKeyRef.key];
        entries.set(variable.name, { value, from: `ConfigMap ${variable.valueFrom.configMapKeyRef.name}`, types: [] });
      }
    }
  }
  return entries;
}
