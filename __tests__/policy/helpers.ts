import { Testing } from 'cdktf';
import { Construct } from 'constructs';
import { stackDocuments, TerraformJson } from '../../policy/document';
import { Check, DeclaredException, evaluateScope } from '../../policy/engine';
import { ALL_RULES } from '../../policy/rules';
import { PolicyScope } from '../../policy/types';

/** Synthesizes `build` in a one-stack test app (`Testing.synthScope`) and returns the stack JSON. */
export function fixture(build: (scope: Construct) => void): TerraformJson {
  return JSON.parse(Testing.synthScope(build));
}

/**
 * The checks of `control` (by `stack/address`, with their status and detail) when the policy runs over
 * `json` as stack `stack` in `scope`.
 */
export function checksOf(control: string, json: TerraformJson, options: { scope?: PolicyScope; stack?: string; exceptions?: DeclaredException[]; siblings?: [string, TerraformJson][] } = {}): Check[] {
  const stack = options.stack ?? 'stack';
  const docs = stackDocuments([[stack, json], ...(options.siblings ?? [])]);
  const report = evaluateScope(options.scope ?? 'prod', [docs[0]], ALL_RULES, options.exceptions ?? []);
  return report.checks.filter((check) => check.control === control);
}

/** `{ 'aws_vpc.v': 'passed', ... }` for one control: the compact form most rule tests assert. */
export function statusOf(control: string, json: TerraformJson, options: Parameters<typeof checksOf>[2] = {}): Record<string, string> {
  return Object.fromEntries(checksOf(control, json, options).map((check) => [check.address, check.status === 'failed' ? `failed: ${check.detail}` : check.status]));
}
