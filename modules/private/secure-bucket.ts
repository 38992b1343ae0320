import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration, S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { ITerraformDependable, Lazy } from 'cdktf';
import { Construct } from 'constructs';

/** One statement of a bucket policy (beyond the TLS-only deny every SecureBucket has). */
export interface BucketPolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal: '*' | Record<string, string | string[]>;
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export interface SecureBucketProps {
  readonly bucketName: string;
  /** Lifecycle rules; every bucket also aborts incomplete multipart uploads after 7 days. */
  readonly lifecycleRules: readonly Omit<S3BucketLifecycleConfigurationRule, 'abortIncompleteMultipartUpload' | 'status'>[];
  /**
   * Customer-managed KMS key for default encryption (with an S3 bucket key to cut KMS requests).
   * @default - SSE-S3 (AES256): readers such as CloudFront OAC and log delivery need no key grants
   */
  readonly kmsKeyArn?: string;
  /**
   * Refuse `terraform destroy` (`prevent_destroy`).
   * @default true - buckets hold data; only disposable environments turn this off
   */
  readonly preventDestroy?: boolean;
}

/**
 * A private S3 bucket: ACLs disabled (`BucketOwnerEnforced`), all public access blocked, default encryption (SSE-S3 or a KMS key), versioning, lifecycle
 * rules, and a bucket policy that denies every request not made over TLS. Callers add grants with
 * `addToPolicy`; the policy is rendered once, at synth time, with every statement added.
 */
export class SecureBucket extends Construct {
  public readonly bucket: S3Bucket;
  public readonly bucketName: string;
  public readonly bucketArn: string;
  /** `<bucket>.s3.<region>.amazonaws.com`: the origin domain CloudFront should use (no redirects). */
  public readonly regionalDomainName: string;
  /** Resources that must exist before a service writes into the bucket (ownership, encryption, policy). */
  public readonly readiness: ITerraformDependable[];
  private readonly statements: BucketPolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, 'bucket', { bucket: props.bucketName, lifecycle: { preventDestroy: props.preventDestroy ?? true } });
    const bucket = this.bucket;
    const ownership = new S3BucketOwnershipControls(this, 'ownership', {
      bucket: bucket.id,
      // ACLs disabled on every bucket (FSBP S3.12): the bucket policy alone decides access.
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketVersioningA(this, 'versioning', { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } });
    const encryption = new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: bucket.id,
      rule: [
        props.kmsKeyArn
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } },
      ],
    });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: bucket.id,
      rule: [
        ...props.lifecycleRules.map((rule) => ({ ...rule, status: 'Enabled' })),
        { id: 'abort-incomplete-uploads', status: 'Enabled', filter: [{ prefix: '' }], abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }] },
      ],
    });
    this.addToPolicy({
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [bucket.arn, `${bucket.arn}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    const policy = new S3BucketPolicy(this, 'policy', {
      bucket: bucket.id,
      policy: Lazy.stringValue({ produce: () => JSON.stringify({ Version: '2012-10-17', Statement: this.statements }) }),
      // Block Public Access must be in place first, so a mistaken grant is refused rather than applied.
      dependsOn: [publicAccess],
    });
    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.regionalDomainName = bucket.bucketRegionalDomainName;
    this.readiness = [ownership, encryption, policy];
  }

  /** Adds a statement to the bucket policy (rendered at synth, so order of calls does not matter). */
  public addToPolicy(statement: BucketPolicyStatement): void {
    if (this.statements.some((s) => s.Sid === statement.Sid)) throw new Error(`SecureBucket ${this.node.path}: a statement with Sid "${statement.Sid}" exists already`);
    this.statements.push(statement);
  }
}
