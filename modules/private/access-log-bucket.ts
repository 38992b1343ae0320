import { DataAwsCanonicalUserId } from '@cdktf/provider-aws/lib/data-aws-canonical-user-id';
import { S3BucketAcl } from '@cdktf/provider-aws/lib/s3-bucket-acl';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { SecureBucket } from './secure-bucket';

/**
 * Canonical user of the `awslogsdelivery` account that writes CloudFront standard (legacy) logs.
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging-legacy-s3.html
 */
export const CLOUDFRONT_LOG_DELIVERY_CANONICAL_ID = 'c4c1ede66af53448b93c283ce9448c4ba468c9432aa01d700d3878632f77d2d0';

export interface AccessLogBucketProps {
  readonly bucketName: string;
  /** Days a log object is kept; its superseded versions go 7 days later. */
  readonly retentionDays: number;
  /**
   * @default true
   */
  readonly preventDestroy?: boolean;
}

/**
 * The target of CloudFront standard (legacy) access logs. Legacy logging writes through an ACL grant
 * to the `awslogsdelivery` account, so this one bucket keeps ACLs (`BucketOwnerPreferred`) with exactly
 * two grants: the owner and log delivery. Everything else matches `SecureBucket`: private, SSE-S3
 * (log delivery cannot use a customer key without extra grants), versioned, TLS only, expiring.
 */
export class AccessLogBucket extends Construct {
  public readonly bucket: SecureBucket;
  /** `<bucket>.s3.amazonaws.com`, the `logging_config.bucket` value. */
  public readonly domainName: string;
  /** Resources CloudFront needs before it can deliver (ownership, ACL, encryption, policy). */
  public readonly readiness: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    this.bucket = new SecureBucket(this, 'bucket', {
      bucketName: props.bucketName,
      objectOwnership: 'BucketOwnerPreferred',
      preventDestroy: props.preventDestroy,
      lifecycleRules: [
        {
          id: 'expire-access-logs',
          filter: [{ prefix: '' }],
          expiration: [{ days: props.retentionDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: 7 }],
        },
      ],
    });
    const owner = new DataAwsCanonicalUserId(this, 'owner');
    // Written out rather than left to CloudFront's implicit PutBucketAcl, so drift shows in `plan`.
    const acl = new S3BucketAcl(this, 'acl', {
      bucket: this.bucket.bucket.id,
      accessControlPolicy: {
        owner: { id: owner.id },
        grant: [
          { grantee: { type: 'CanonicalUser', id: owner.id }, permission: 'FULL_CONTROL' },
          { grantee: { type: 'CanonicalUser', id: CLOUDFRONT_LOG_DELIVERY_CANONICAL_ID }, permission: 'FULL_CONTROL' },
        ],
      },
      dependsOn: this.bucket.readiness,
    });
    this.domainName = this.bucket.domainName;
    this.readiness = [...this.bucket.readiness, acl];
  }
}
