import { parse } from 'yaml';
import { EnvironmentName } from '../../../config/settings';
import { TerraformJson, resourcesOf, synthApp } from '../../support/synth';

export interface SynthesizedRelease {
  readonly address: string;
  readonly config: any;
  /** `values[0]` parsed from YAML (Terraform references stay `${...}` strings). */
  readonly values: any;
}

export const argocdJson = (envName: EnvironmentName): TerraformJson => synthApp(envName).json('argocd');

/** Every helm_release of the stack, keyed by chart name. */
export function releases(json: TerraformJson): Record<string, SynthesizedRelease> {
  const out: Record<string, SynthesizedRelease> = {};
  for (const [id, config] of Object.entries(resourcesOf(json, 'helm_release'))) {
    if (out[config.chart]) throw new Error(`two releases of chart ${config.chart}`);
    if (!Array.isArray(config.values) || config.values.length !== 1) throw new Error(`helm_release.${id}: expected exactly one values document`);
    out[config.chart] = { address: `helm_release.${id}`, config, values: parse(config.values[0]) };
  }
  return out;
}

/** The kubernetes_* resource of `type` whose metadata.name is `name` (and namespace, if given). */
export function k8sObject(json: TerraformJson, type: string, name: string, namespace?: string): { address: string; config: any } {
  const found = Object.entries(resourcesOf(json, type)).filter(([, c]) => c.metadata?.name === name && (namespace === undefined || c.metadata?.namespace === namespace || String(c.metadata?.namespace).includes(namespace)));
  if (found.length !== 1) throw new Error(`expected one ${type} named ${name}${namespace ? ` in ${namespace}` : ''}, found ${found.length}`);
  return { address: `${type}.${found[0][0]}`, config: found[0][1] };
}

/** Addresses of every `kubernetes_namespace_v1` whose name is `name`. */
export function namespaceAddress(json: TerraformJson, name: string): string {
  return k8sObject(json, 'kubernetes_namespace_v1', name).address;
}
