import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { Construct } from 'constructs';
import { KmsKey } from './kms-key';

export interface PlatformSecretSpec {
  /** Secrets Manager name, e.g. `tiketi/prod/sealed-secrets-key`. */
  readonly name: string;
  /** What the value is and who writes it (shown in the console). */
  readonly description: string;
}

export interface PlatformSecretsProps {
  /** `tiketi-<env>`: names the KMS key alias. */
  readonly namePrefix: string;
  /** Secrets by purpose (the keys become the construct IDs, so they are state addresses). */
  readonly secrets: Readonly<Record<string, PlatformSecretSpec>>;
  /**
   * Keep the secrets and their key through `terraform destroy` (`prevent_destroy`) and wait 30 days before
   * a deleted secret is gone. Off only where the environment is disposable (dev): its secrets are deleted at
   * once, so a rebuilt dev can create them again under the same names.
   * @default true
   */
  readonly protect?: boolean;
}

/**
 * Secrets Manager secrets that Terraform owns as containers but never fills: their values are written once
 * by people or commands (`npm run sealing-key`, `aws secretsmanager put-secret-value`) and read by the
 * `argocd` stack through ephemeral resources, so no value is ever in a plan or in state. They live in the
 * `cluster` stack because they must exist before the first `argocd` deploy reads them, and outlive any
 * rebuild of what the `argocd` stack installs. One customer-managed key (rotation on) encrypts them all.
 */
export class PlatformSecrets extends Construct {
  public readonly kmsKeyArn: string;
  /** Secret ARNs by purpose. */
  public readonly secretArns: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: PlatformSecretsProps) {
    super(scope, id);
    const protect = props.protect ?? true;
    const key = new KmsKey(this, 'kms', {
      alias: `${props.namePrefix}-platform-secrets`,
      description: `Encrypts the Argo CD and Sealed Secrets keys of ${props.namePrefix} in Secrets Manager`,
      // Losing this key makes every sealing key copy unreadable, and with it every SealedSecret in git.
      preventDestroy: protect,
    });
    this.kmsKeyArn = key.keyArn;

    const arns: Record<string, string> = {};
    for (const [purpose, spec] of Object.entries(props.secrets)) {
      const secret = new SecretsmanagerSecret(this, purpose, {
        name: spec.name,
        description: spec.description,
        kmsKeyId: key.keyArn,
        recoveryWindowInDays: protect ? 30 : 0,
        lifecycle: { preventDestroy: protect },
      });
      arns[purpose] = secret.arn;
    }
    this.secretArns = arns;
  }
}
