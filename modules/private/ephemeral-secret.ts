import { TerraformStack } from 'cdktf';
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

  /** Declares the ephemeral read of secret `secretId` (name or ARN) as `name` (a Terraform identifier). */
  constructor(scope: Construct, name: string, secretId: string) {
    if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`EphemeralSecret: name got ${JSON.stringify(name)}, expected a Terraform identifier in snake_case`);
    const stack = TerraformStack.of(scope);
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
}
