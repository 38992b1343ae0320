import { Construct } from 'constructs';
import { KmsKey } from './kms-key';
import { SecureBucket } from './private/secure-bucket';

export interface StateBucketProps {
  readonly bucketName: string;
  /**
   * Days a superseded state version is kept.
   * @default 90
   */
  readonly noncurrentVersionDays?: number;
}

/**
 * The alias (after `alias/`) of the state key: the bucket name with its dots, which S3 allows and KMS
 * aliases do not, replaced by hyphens (`acme.tf-state` → `acme-tf-state`). Names without dots are unchanged.
 */
export function stateKeyAlias(bucketName: string): string {
  return bucketName.replace(/\./g, '-');
}

/**
 * The S3 bucket that holds Terraform state: a `SecureBucket` (versioned, private, TLS only, protected from
 * `terraform destroy` by `prevent_destroy`) encrypted with its own customer-managed key. Locking uses S3's
 * native lock files (`use_lockfile`), so there is no DynamoDB table.
 */
export class StateBucket extends Construct {
  public readonly bucketName: string;
  public readonly bucketArn: string;
  public readonly kmsKeyArn: string;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    // The key outlives everything: without it no state version can be read. prevent_destroy stays on.
    const key = new KmsKey(this, 'kms', { alias: stateKeyAlias(props.bucketName), description: `Encrypts Terraform state in ${props.bucketName}`, preventDestroy: true });
    const bucket = new SecureBucket(this, 'bucket', {
      bucketName: props.bucketName,
      kmsKeyArn: key.keyArn,
      preventDestroy: true,
      lifecycleRules: [{ id: 'expire-old-state-versions', filter: [{ prefix: '' }], noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? 90 }] }],
    });
    this.bucketName = bucket.bucketName;
    this.bucketArn = bucket.bucketArn;
    this.kmsKeyArn = key.keyArn;
  }
}
