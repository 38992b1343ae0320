import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey as KmsKeyResource } from '@cdktf/provider-aws/lib/kms-key';
import { TerraformMetaArguments } from 'cdktf';
import { Construct } from 'constructs';

/** One statement of a key policy beyond the account-root statement every key gets. */
export interface KeyPolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal: Record<string, string | string[]>;
  readonly Action: string | string[];
  readonly Resource: '*';
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export interface KmsKeyProps extends Pick<TerraformMetaArguments, 'provider'> {
  /** Alias without the `alias/` prefix, e.g. `tiketi-prod-rds`. */
  readonly alias: string;
  readonly description: string;
  /**
   * Extra key policy statements, e.g. for a service principal that encrypts with the key.
   * @default - only the account root statement: IAM policies in the account decide who may use the key
   */
  readonly statements?: readonly KeyPolicyStatement[];
  /**
   * Let CloudWatch Logs of this account and region encrypt log groups with the key.
   * @default false
   */
  readonly allowCloudWatchLogs?: boolean;
  /**
   * Days a deleted key waits before it is gone (7-30).
   * @default 30 - the longest window, so a mistaken delete can be cancelled
   */
  readonly deletionWindowInDays?: number;
  /**
   * Refuse `terraform destroy` of the key (`prevent_destroy`). A key that encrypts data must outlive any
   * refactoring: renaming a construct would otherwise schedule its deletion, and after the window every
   * snapshot, backup and log encrypted with it is unreadable.
   * @default true - turn off only where the data it encrypts is disposable (dev)
   */
  readonly preventDestroy?: boolean;
}

/** KMS alias names (after `alias/`): letters, digits, `/`, `_` and `-`, 1-250 characters, not `aws/...`. */
const ALIAS_NAME = /^[a-zA-Z0-9/_-]{1,250}$/;

/**
 * A customer-managed symmetric KMS key with yearly automatic rotation and an alias. The key policy
 * delegates to IAM (account root) and adds only the statements passed in.
 */
export class KmsKey extends Construct {
  public readonly keyArn: string;
  public readonly keyId: string;
  public readonly aliasName: string;

  constructor(scope: Construct, id: string, props: KmsKeyProps) {
    super(scope, id);
    if (!ALIAS_NAME.test(props.alias) || props.alias.startsWith('aws/')) {
      throw new Error(`KmsKey ${this.node.path}: alias got ${JSON.stringify(props.alias)}, expected 1-250 of letters, digits, "/", "_" and "-" (no dots), not starting with "aws/"`);
    }
    const account = new DataAwsCallerIdentity(this, 'account', { provider: props.provider });
    const region = new DataAwsRegion(this, 'region', { provider: props.provider });
    const statements: KeyPolicyStatement[] = [
      {
        Sid: 'AccountRootManagesKeyThroughIam',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account.accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      ...(props.allowCloudWatchLogs ? [cloudWatchLogsStatement(region.name, account.accountId)] : []),
      ...(props.statements ?? []),
    ];
    const key = new KmsKeyResource(this, 'key', {
      provider: props.provider,
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowInDays ?? 30,
      policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    const alias = new KmsAlias(this, 'alias', { provider: props.provider, name: `alias/${props.alias}`, targetKeyId: key.keyId });
    this.keyArn = key.arn;
    this.keyId = key.keyId;
    this.aliasName = alias.name;
  }
}

/** Lets CloudWatch Logs in `region` encrypt log groups of this account with the key. */
function cloudWatchLogsStatement(region: string, accountId: string): KeyPolicyStatement {
  return {
    Sid: 'CloudWatchLogsEncryptsLogGroups',
    Effect: 'Allow',
    Principal: { Service: `logs.${region}.amazonaws.com` },
    Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    Resource: '*',
    Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${region}:${accountId}:log-group:*` } },
  };
}
