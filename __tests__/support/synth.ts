import * as fs from 'fs';
import * as path from 'path';
import { App, Testing } from 'cdktf';
import { BackendSettings } from '../../config/backend';
import { ENVIRONMENTS, REGISTRY } from '../../config/environments';
import { EnvironmentName } from '../../config/settings';
import { validateEnvironment, validateRegistry } from '../../config/validate';
import { TiketiStacks, addTiketiStacks } from '../../stacks/app';

/** A synthesized Terraform JSON document (`cdk.tf.json`). */
export type TerraformJson = {
  terraform: Record<string, any>;
  provider?: Record<string, any[]>;
  resource?: Record<string, Record<string, any>>;
  data?: Record<string, Record<string, any>>;
  output?: Record<string, any>;
  [key: string]: any;
};

export interface SynthesizedApp {
  readonly outdir: string;
  readonly stacks: TiketiStacks;
  /** Parsed JSON of stack `id`. */
  json(id: string): TerraformJson;
  /** Directory holding `cdk.tf.json` of stack `id`. */
  stackDir(id: string): string;
}

const cache = new Map<string, SynthesizedApp>();

/**
 * Synthesizes every stack of `envName` the way `main.ts` does (the whole App, so cross-stack references
 * become outputs and `terraform_remote_state`), into a temporary directory. Cached per environment and
 * backend within one test file.
 */
export function synthApp(envName: EnvironmentName, backend: BackendSettings = { kind: 'local', stateDir: '/tmp/tiketi-test-state' }): SynthesizedApp {
  const key = `${envName}:${JSON.stringify(backend)}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const app: App = Testing.app();
  const stacks = addTiketiStacks(app, { env: validateEnvironment(ENVIRONMENTS[envName]), registry: validateRegistry(REGISTRY), backend, projectDir: '/tmp/tiketi-test-project' });
  app.synth();
  const outdir = app.outdir;
  const stackDir = (id: string) => path.join(outdir, 'stacks', id);
  const result: SynthesizedApp = {
    outdir,
    stacks,
    stackDir,
    json: (id: string) => JSON.parse(fs.readFileSync(path.join(stackDir(id), 'cdk.tf.json'), 'utf8')),
  };
  cache.set(key, result);
  return result;
}

/** All resources of `type` in a stack, keyed by logical ID. */
export function resourcesOf(json: TerraformJson, type: string): Record<string, any> {
  return json.resource?.[type] ?? {};
}

/** The single resource of `type`; fails when there is not exactly one. */
export function onlyResource(json: TerraformJson, type: string): any {
  const all = Object.values(resourcesOf(json, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/** The logical ID of the resource whose config equals `config` by reference. */
export function addressOf(json: TerraformJson, type: string, predicate: (config: any) => boolean): string {
  const entry = Object.entries(resourcesOf(json, type)).find(([, config]) => predicate(config));
  if (!entry) throw new Error(`no ${type} matches`);
  return `${type}.${entry[0]}`;
}

export const ALL_ENVIRONMENTS: EnvironmentName[] = ['dev', 'staging', 'prod'];

/** Terraform addresses (`type.logical_id`) of every resource of `type`, for HCL such as `[for r in [a, b] : ...]`. */
export function addressesOf(json: TerraformJson, type: string, predicate: (id: string, config: any) => boolean = () => true): string[] {
  return Object.entries(resourcesOf(json, type))
    .filter(([id, config]) => predicate(id, config))
    .map(([id]) => `${type}.${id}`);
}

/** HCL list expression over the addresses of `type`. */
export function hclList(json: TerraformJson, type: string, predicate?: (id: string, config: any) => boolean): string {
  return `[${addressesOf(json, type, predicate).join(', ')}]`;
}
