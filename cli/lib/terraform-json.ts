/** Reading synthesized Terraform JSON: resources, the references between them, and cross-stack reads. */
import { TerraformJson } from './synth-app';

export interface Resource {
  readonly type: string;
  /** Logical ID (`node-group_BB5274FD`). */
  readonly name: string;
  readonly config: Record<string, any>;
  /** Construct path below the stack (`node-group/node-group`), or the logical ID. */
  readonly path: string;
}

/** Every resource of a stack, sorted by type then logical ID. */
export function resourcesOf(json: TerraformJson): Resource[] {
  return Object.entries(json.resource ?? {})
    .flatMap(([type, byName]) => Object.entries(byName).map(([name, config]) => ({ type, name, config: config as Record<string, any>, path: constructPath(name, config) })))
    .sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
}

function constructPath(name: string, config: any): string {
  const full = config?.['//']?.metadata?.path;
  if (typeof full !== 'string') return name;
  return full.split('/').slice(1).join('/') || name;
}

/** A `${type.name.attribute}` reference found in a configuration. */
export interface Reference {
  readonly data: boolean;
  readonly type: string;
  readonly name: string;
  readonly attribute?: string;
  /** For `data.terraform_remote_state.<n>.outputs.<output>`: the output read. */
  readonly output?: string;
}

const INTERPOLATION = /\$\{([^}]*)\}/g;
// Provider types always contain an underscore (aws_vpc, helm_release); this skips var., local., each., count.
const ADDRESS = /(?<![\w.-])(data\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\.([A-Za-z0-9_]+))?(?:\.([A-Za-z0-9_-]+))?/g;

/** References inside the interpolations of `value` (any JSON), in order of appearance, duplicates kept. */
export function referencesIn(value: unknown): Reference[] {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
  const found: Reference[] = [];
  for (const interpolation of text.matchAll(INTERPOLATION)) {
    for (const m of interpolation[1].matchAll(ADDRESS)) {
      const [, data, type, name, attribute, next] = m;
      const output = data && type === 'terraform_remote_state' && attribute === 'outputs' ? next : undefined;
      found.push({ data: Boolean(data), type, name, attribute, output });
    }
  }
  return found;
}

/** The resource a single `${type.name.attr}` expression points to, within the same stack. */
export function resolveReference(json: TerraformJson, expression: unknown): Resource | undefined {
  const ref = referencesIn(expression).find((r) => !r.data);
  if (!ref) return undefined;
  const config = json.resource?.[ref.type]?.[ref.name];
  return config ? { type: ref.type, name: ref.name, config, path: constructPath(ref.name, config) } : undefined;
}

/** Prefix cdktf gives the remote state data source of another stack. */
export const REMOTE_STATE_PREFIX = 'cross-stack-reference-input-';
export const CROSS_STACK_OUTPUT_PREFIX = 'cross-stack-output-';

/** A stack's reads of other stacks' outputs: producer stack ID → output names, both sorted. */
export function remoteStateReads(json: TerraformJson): Map<string, string[]> {
  const reads = new Map<string, Set<string>>();
  const { data, ...rest } = json;
  const sources = Object.keys(data?.terraform_remote_state ?? {});
  for (const ref of referencesIn(rest).concat(referencesIn(withoutRemoteState(data)))) {
    if (!ref.data || ref.type !== 'terraform_remote_state' || !ref.output) continue;
    if (!sources.includes(ref.name)) continue;
    const producer = ref.name.startsWith(REMOTE_STATE_PREFIX) ? ref.name.slice(REMOTE_STATE_PREFIX.length) : ref.name;
    const outputs = reads.get(producer) ?? new Set<string>();
    outputs.add(ref.output);
    reads.set(producer, outputs);
  }
  return new Map([...reads.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, [...v].sort()]));
}

function withoutRemoteState(data: TerraformJson['data']): unknown {
  if (!data) return {};
  const { terraform_remote_state: _ignored, ...others } = data;
  return others;
}

/** What an output of a stack exposes: `aws_subnet.id` for `${aws_subnet.vpc_private-a_X.id}`; else the output's name. */
export function describeOutput(json: TerraformJson, output: string): string {
  const value = json.output?.[output]?.value;
  const ref = referencesIn(value)[0];
  if (ref && !ref.data && ref.attribute) return `${ref.type}.${ref.attribute}`;
  if (ref && ref.data && ref.attribute) return `data.${ref.type}.${ref.attribute}`;
  return output;
}

/** `first(x)`: a nested block that cdktf renders as an object or a one-element list. */
export function block(value: unknown): Record<string, any> | undefined {
  if (Array.isArray(value)) return value[0];
  return value && typeof value === 'object' ? (value as Record<string, any>) : undefined;
}

/** Terraform region of a resource: its provider alias's region, else the stack's default AWS provider. */
export function regionOf(json: TerraformJson, config: Record<string, any>): string | undefined {
  const providers = json.provider?.aws ?? [];
  const alias = typeof config.provider === 'string' && config.provider.startsWith('aws.') ? config.provider.slice(4) : undefined;
  const provider = alias ? providers.find((p) => p.alias === alias) : (providers.find((p) => p.alias === undefined) ?? providers[0]);
  return provider?.region;
}
