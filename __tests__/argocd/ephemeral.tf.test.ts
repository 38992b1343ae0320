/**
 * The ephemeral blocks are hand-written JSON (cdktf 0.21 has no typed ephemeral resources), and the helm and
 * kubernetes providers are not in the offline mirror. So an AWS-only extract of the synthesized stack (its
 * `ephemeral` blocks and every expression that reads them, as locals) goes through real `terraform init` and
 * `validate` with hashicorp/aws 5.100: the block syntax, the resource type and its `secret_id`, and the
 * `jsondecode(...)["tls.key"]` expressions are what Terraform 1.11 accepts. A second extract proves that
 * Terraform itself refuses an ephemeral value in an attribute that is stored in state.
 */
import { TerraformJson } from '../support/synth';
import { describeWithTerraform, initWorkdir, validateWorkdir } from '../support/terraform';
import { argocdJson } from './helpers/stack';

function expressionsReadingEphemerals(json: TerraformJson): string[] {
  const found = new Set<string>();
  const walk = (node: unknown): void => {
    if (typeof node === 'string' && node.includes('ephemeral.')) found.add(node);
    else if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') Object.values(node).forEach(walk);
  };
  walk(json.resource);
  return [...found].sort();
}

function awsOnlyExtract(json: TerraformJson, extra: Record<string, unknown> = {}): TerraformJson {
  const uses = expressionsReadingEphemerals(json);
  return {
    terraform: { required_providers: { aws: json.terraform.required_providers.aws } },
    provider: { aws: json.provider!.aws },
    ephemeral: json.ephemeral,
    locals: Object.fromEntries(uses.map((expression, i) => [`use_${i}`, expression])),
    ...extra,
  } as TerraformJson;
}

describeWithTerraform('terraform: the argocd stack ephemeral reads (AWS-only extract)', () => {
  // One environment: the blocks differ between environments only in the secret names.
  test.each(['prod'] as const)('%s: terraform validate accepts the ephemeral blocks and every expression that reads them', (envName) => {
    const json = argocdJson(envName);
    const uses = expressionsReadingEphemerals(json);
    expect(uses.length).toBeGreaterThanOrEqual(7);
    const dir = initWorkdir(awsOnlyExtract(json), `argocd-ephemeral-${envName}`);
    expect(validateWorkdir(dir).error_count).toBe(0);
  });

  test('Terraform refuses an ephemeral value in an attribute stored in state (what data_wo avoids)', () => {
    const json = argocdJson('prod');
    const leak = {
      resource: { aws_ssm_parameter: { leak: { name: '/tiketi/leak', type: 'SecureString', value: '${ephemeral.aws_secretsmanager_secret_version.sealing_key.secret_string}' } } },
    };
    const dir = initWorkdir(awsOnlyExtract(json, leak), 'argocd-ephemeral-leak');
    expect(() => validateWorkdir(dir)).toThrow(/ephemeral value/i);
  });
});
