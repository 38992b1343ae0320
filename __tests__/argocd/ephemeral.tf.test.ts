/**
 * The ephemeral blocks are hand-written JSON (cdktf 0.21 has no typed ephemeral resources), and the helm and
 * kubernetes providers are not in the offline mirror. So an AWS-only extract of the synthesized stack (its
 * `ephemeral` blocks and every expression that reads them, as locals) goes through real `terraform init` and
 * `validate` with hashicorp/aws 5.100: the block syntax, the resource type and its `secret_id`, and the
 * `jsondecode(...)["tls.key"]` expressions are what Terraform 1.11 accepts. A second extract proves that
 * Terraform itself refuses an ephemeral value in an attribute that is stored in state.
 */
import { TerraformJson } from '../support/synth';
import { describeWithTerraform, initWorkdir, mockAwsProvider, terraformTest, validateWorkdir } from '../support/terraform';
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

  test('data_wo_revision: the newest AWSCURRENT version of the Secret\'s sources, as Terraform evaluates it', () => {
    // The revisions and the version lists they read, as outputs of an AWS-only extract; the lists are given
    // by override_data the way AWS answers ListSecretVersionIds (RFC 3339 times, staging labels).
    const json = argocdJson('prod');
    const secrets = Object.entries<any>(json.resource!.kubernetes_secret_v1).filter(([, s]) => s.data_wo_revision !== undefined);
    const extract = {
      terraform: { required_providers: { aws: json.terraform.required_providers.aws } },
      provider: { aws: json.provider!.aws },
      data: { aws_secretsmanager_secret_versions: json.data!.aws_secretsmanager_secret_versions },
      output: Object.fromEntries(secrets.map(([, s]) => [s.metadata.name.replace(/-/g, '_'), { value: s.data_wo_revision }])),
    } as unknown as TerraformJson;
    const dir = initWorkdir(extract, 'argocd-revisions');
    const versions = (current: string, previous: string) =>
      `[{ version_id = "v2", created_time = "${current}", version_stages = ["AWSCURRENT"], last_accessed_date = "" }, { version_id = "v1", created_time = "${previous}", version_stages = ["AWSPREVIOUS"], last_accessed_date = "" }]`;
    const override = (name: string, current: string) => `  override_data {\n    target = data.aws_secretsmanager_secret_versions.${name}_versions\n    values = { versions = ${versions(current, '2026-01-01T00:00:00Z')} }\n  }`;
    const hcl = [
      mockAwsProvider(),
      'run "revisions" {',
      '  command = plan',
      override('sealing_key', '2026-11-30T10:00:00Z'),
      override('repository_deploy_key', '2026-10-01T08:30:05Z'),
      override('slack_token', '2026-09-15T00:00:00Z'),
      override('github_webhook', '2026-06-01T00:00:00Z'),
      // The SSO client was rotated after the webhook secret: argocd-secret takes the newer one.
      override('sso_client', '2026-12-01T23:59:59Z'),
      '  assert {',
      '    condition     = output.sealed_secrets_key == 20261130100000 && output.tiketi_platform_repository == 20261001083005',
      '    error_message = "revision is not the AWSCURRENT creation time"',
      '  }',
      '  assert {',
      '    condition     = output.argocd_secret == 20261201235959 && output.argocd_notifications_secret == 20260915000000',
      '    error_message = "argocd-secret is not the newest of its two sources"',
      '  }',
      '}',
    ].join('\n');
    expect(terraformTest(dir, 'revisions', hcl)).toMatch(/1 passed, 0 failed/);
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
