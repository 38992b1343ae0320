/**
 * A synthesized stack (`cdk.tf.json`) as rules read it: its elements, the references between them, and
 * cross-stack references followed into the stack that owns the value (cdktf turns them into
 * `terraform_remote_state` outputs named `cross-stack-output-*`).
 */
import { Element, ElementKind } from './types';

export type TerraformJson = Record<string, any>;

/** `${aws_s3_bucket.x.arn}` → type, name, attribute path. */
const REFERENCE = /^\$\{(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)\.?([^}]*)\}$/;
const REMOTE_STATE = /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-([^.]+)\.outputs\.([^}]+)\}$/;

export interface Reference {
  readonly element: Element;
  /** The stack that holds `element` (another stack for a cross-stack reference). */
  readonly doc: StackDocument;
  /** Attribute path after the address, e.g. `arn` or `bucket_regional_domain_name`. */
  readonly attribute: string;
}

function withoutMetadata(value: unknown): any {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) if (key !== '//') out[key] = withoutMetadata(inner);
  return out;
}

/** `true` or `"true"` (cdktf renders some provider booleans as strings). */
export const isTrue = (value: unknown): boolean => value === true || value === 'true';
export const isFalse = (value: unknown): boolean => value === false || value === 'false';

/** A nested block as a list, whether cdktf rendered it as one object or as a list of objects. */
export function blocks(value: unknown): Record<string, any>[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((item) => item !== null && typeof item === 'object');
}

/** A string or list attribute as a list. */
export function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** An IAM or resource policy document from a JSON string attribute, or undefined when it is not literal JSON. */
export function policyDocument(value: unknown): { Statement: Record<string, any>[] } | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const parsed = JSON.parse(value);
    return { ...parsed, Statement: list(parsed.Statement) as Record<string, any>[] };
  } catch {
    return undefined;
  }
}

export class StackDocument {
  readonly elements: readonly Element[];
  private readonly byAddress = new Map<string, Element>();

  /**
   * @param stack the stack ID (`data`)
   * @param json the stack's synthesized JSON, with or without cdktf metadata
   * @param siblings the other stacks of the same synthesis, by ID, for cross-stack references
   */
  constructor(
    readonly stack: string,
    readonly json: TerraformJson,
    private readonly siblings: ReadonlyMap<string, StackDocument> = new Map(),
  ) {
    const elements: Element[] = [];
    const add = (kind: ElementKind, type: string, name: string, address: string, raw: any) => {
      const element: Element = { stack, kind, type, name, address, config: withoutMetadata(raw ?? {}), constructPath: raw?.['//']?.metadata?.path };
      elements.push(element);
      this.byAddress.set(address, element);
    };
    for (const [type, byName] of Object.entries<Record<string, any>>(json.resource ?? {})) {
      for (const [name, raw] of Object.entries(byName ?? {})) add('resource', type, name, `${type}.${name}`, raw);
    }
    for (const [type, byName] of Object.entries<Record<string, any>>(json.data ?? {})) {
      for (const [name, raw] of Object.entries(byName ?? {})) add('data', type, name, `data.${type}.${name}`, raw);
    }
    for (const [type, byName] of Object.entries<Record<string, any>>(json.ephemeral ?? {})) {
      for (const [name, raw] of Object.entries(byName ?? {})) add('ephemeral', type, name, `ephemeral.${type}.${name}`, raw);
    }
    for (const [name, configs] of Object.entries<any>(json.provider ?? {})) {
      list(configs).forEach((raw, i) => add('provider', name, String(i), `provider.${name}[${i}]`, raw));
    }
    for (const [type, raw] of Object.entries<any>(json.terraform?.backend ?? {})) add('backend', type, type, `terraform.backend.${type}`, raw);
    for (const [name, raw] of Object.entries<any>(json.output ?? {})) add('output', 'output', name, `output.${name}`, raw);
    for (const [name, raw] of Object.entries<any>(json.variable ?? {})) add('variable', 'variable', name, `variable.${name}`, raw);
    if (json.locals !== undefined) add('locals', 'locals', 'locals', 'locals', json.locals);
    this.elements = elements;
  }

  /** This stack and the other stacks of the same synthesis. */
  allDocuments(): StackDocument[] {
    return this.siblings.size > 0 ? [...this.siblings.values()] : [this];
  }

  /** Every resource of `type` (or data source, with `data.` in front of the type). */
  resources(type: string): Element[] {
    const [kind, bare] = type.startsWith('data.') ? (['data', type.slice(5)] as const) : (['resource', type] as const);
    return this.elements.filter((e) => e.kind === kind && e.type === bare);
  }

  element(address: string): Element | undefined {
    return this.byAddress.get(address);
  }

  /**
   * What a whole-string reference points to: `${aws_kms_key.k.arn}` in this stack, or a cross-stack
   * remote-state output followed into the stack that defines it. Undefined for literals and expressions.
   */
  deref(value: unknown, depth = 0): Reference | undefined {
    if (typeof value !== 'string' || depth > 4) return undefined;
    const remote = REMOTE_STATE.exec(value);
    if (remote) {
      const owner = this.siblings.get(remote[1]);
      return owner?.deref(owner.json.output?.[remote[2]]?.value, depth + 1);
    }
    const match = REFERENCE.exec(value);
    if (!match) return undefined;
    const [, data, type, name, attribute] = match;
    const element = this.byAddress.get(`${data ? 'data.' : ''}${type}.${name}`);
    return element ? { element, attribute, doc: this } : undefined;
  }

  /** Resources of `type` whose attribute `attribute` refers to `target` (by reference, or by its literal `name`). */
  referencing(type: string, attribute: string, target: Element, literalName?: unknown): Element[] {
    return this.resources(type).filter((candidate) =>
      list(candidate.config[attribute]).some((value) => this.deref(value)?.element === target || (literalName !== undefined && value === literalName)),
    );
  }
}

/** Documents for a set of synthesized stacks that can follow each other's cross-stack references. */
export function stackDocuments(stacks: ReadonlyArray<readonly [string, TerraformJson]>): StackDocument[] {
  const siblings = new Map<string, StackDocument>();
  const docs = stacks.map(([id, json]) => new StackDocument(id, json, siblings));
  for (const doc of docs) siblings.set(doc.stack, doc);
  return docs;
}
