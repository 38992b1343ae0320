import { DataAwsSecretsmanagerSecretVersions } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-versions';
import { TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';

/**
 * A Secrets Manager secret read through Terraform's `ephemeral "aws_secretsmanager_secret_version"` (AWS
 * provider 5.100, Terraform 1.10+): the value is fetched for each plan and apply and never written into the
 * plan or state. Terraform accepts ephemeral values only in write-only arguments (`data_wo`, `set_wo`),
 * provider blocks and locals, so a reference that slips into a normal attribute fails `terraform validate`.
 * cdktf 0.21 has no typed ephemeral resources: the block is added to the stack with `addOverride`, and the
 * references are raw expressions.
 */
export class EphemeralSecret {
  /** Terraform address, e.g. `ephemeral.aws_secretsmanager_secret_version.sealing_key`. */
  public readonly address: string;
  private readonly scope: Construct;
  private readonly name: string;
  private readonly secretId: string;
  private versions?: DataAwsSecretsmanagerSecretVersions;

  /** Declares the ephemeral read of secret `secretId` (name or ARN) as `name` (a Terraform identifier). */
  constructor(scope: Construct, name: string, secretId: string) {
    if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`EphemeralSecret: name got ${JSON.stringify(name)}, expected a Terraform identifier in snake_case`);
    const stack = TerraformStack.of(scope);
    this.scope = scope;
    this.name = name;
    this.secretId = secretId;
    this.address = `ephemeral.aws_secretsmanager_secret_version.${name}`;
    stack.addOverride(`ephemeral.aws_secretsmanager_secret_version.${name}`, { secret_id: secretId });
  }

  /** The whole secret string. */
  public get secretString(): string {
    return `\${${this.address}.secret_string}`;
  }

  /** One field of a JSON secret string. */
  public jsonField(field: string): string {
    return `\${jsondecode(${this.address}.secret_string)[${JSON.stringify(field)}]}`;
  }

  /**
   * An HCL expression (no `${}`) that grows each time the secret gets a new current version: the creation
   * time of its `AWSCURRENT` version as the number YYYYMMDDhhmmss. Read from the version list (metadata
   * only: `aws_secretsmanager_secret_versions` returns no value), so it is a normal value a `data_wo_revision`
   * may take, and a `put-secret-value` reaches the cluster on the next apply without a code change.
   */
  public get currentVersionStamp(): string {
    this.versions ??= new DataAwsSecretsmanagerSecretVersions(this.scope, `${this.name}_versions`, { secretId: this.secretId });
    const versions = `data.${DataAwsSecretsmanagerSecretVersions.tfResourceType}.${this.versions.friendlyUniqueId}.versions`;
    return `parseint(formatdate("YYYYMMDDhhmmss", one([for v in ${versions} : v.created_time if contains(v.version_stages, "AWSCURRENT")])), 10)`;
  }
}

/**
 * The `data_wo_revision` of a write-only Kubernetes Secret built from `sources`: the newest current version
 * among them. The provider sends `data_wo` only when the revision changes, so rotating any source secret
 * (a new version in Secrets Manager) rewrites the Kubernetes Secret on the next apply, and nothing else does.
 */
export function writeOnlyRevision(sources: readonly EphemeralSecret[]): number {
  if (sources.length === 0) throw new Error('writeOnlyRevision: expected at least one source secret');
  const stamps = sources.map((s) => s.currentVersionStamp);
  return Token.asNumber(stamps.length === 1 ? `\${${stamps[0]}}` : `\${max(${stamps.join(', ')})}`);
}
