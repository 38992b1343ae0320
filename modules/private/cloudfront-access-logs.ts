import { CloudwatchLogDelivery } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery';
import { CloudwatchLogDeliveryDestination } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery-destination';
import { CloudwatchLogDeliverySource } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery-source';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { SecureBucket } from './secure-bucket';

/**
 * The standard log fields of a distribution, minus `cs(Cookie)`: cookies may carry session tokens, and the
 * legacy setup excluded them (`include_cookies = false`) too. The names are those of the standard logging
 * reference, which v2 shares with legacy logging.
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logs-reference.html
 */
export const ACCESS_LOG_FIELDS = [
  'date', 'time', 'x-edge-location', 'sc-bytes', 'c-ip', 'cs-method', 'cs(Host)', 'cs-uri-stem', 'sc-status',
  'cs(Referer)', 'cs(User-Agent)', 'cs-uri-query', 'x-edge-result-type', 'x-edge-request-id', 'x-host-header',
  'cs-protocol', 'cs-bytes', 'time-taken', 'x-forwarded-for', 'ssl-protocol', 'ssl-cipher', 'x-edge-response-result-type',
  'cs-protocol-version', 'fle-status', 'fle-encrypted-fields', 'c-port', 'time-to-first-byte', 'x-edge-detailed-result-type',
  'sc-content-type', 'sc-content-len', 'sc-range-start', 'sc-range-end',
] as const;

/** Where a distribution's log files land in the bucket (CloudFront's path variables). */
export const ACCESS_LOG_SUFFIX_PATH = 'cloudfront/{DistributionId}/{yyyy}/{MM}/{dd}/{HH}';

export interface CloudFrontAccessLogsProps {
  /** Prefix of the delivery source and destination names, e.g. `tiketi-prod`. */
  readonly namePrefix: string;
  readonly distributionArn: string;
  /** The log bucket, e.g. `tiketi-frontend-prod-logs`. */
  readonly bucketName: string;
  /** Days a log object is kept; its superseded versions go 7 days later. */
  readonly retentionDays: number;
  /** A us-east-1 provider: CloudFront's delivery source (and so its delivery) exists only there. */
  readonly usEast1: TerraformProvider;
  /**
   * @default true
   */
  readonly preventDestroy?: boolean;
}

/**
 * CloudFront standard logging v2 (CloudWatch Logs vended delivery) into a private bucket with ACLs disabled
 * (`BucketOwnerEnforced`, FSBP S3.12): the delivery source (the distribution), the S3 delivery destination
 * and the delivery are created in us-east-1; the bucket stays in the stack's region. The bucket policy lets
 * `delivery.logs.amazonaws.com` write for this account's us-east-1 deliveries only, with the
 * `bucket-owner-full-control` ACL that an ACL-less bucket accepts.
 */
export class CloudFrontAccessLogs extends Construct {
  public readonly bucket: SecureBucket;
  public readonly deliveryId: string;

  constructor(scope: Construct, id: string, props: CloudFrontAccessLogsProps) {
    super(scope, id);
    const account = new DataAwsCallerIdentity(this, 'account');
    this.bucket = new SecureBucket(this, 'bucket', {
      bucketName: props.bucketName,
      preventDestroy: props.preventDestroy,
      lifecycleRules: [
        { id: 'expire-access-logs', filter: [{ prefix: '' }], expiration: [{ days: props.retentionDays }], noncurrentVersionExpiration: [{ noncurrentDays: 7 }] },
      ],
    });
    // Confused-deputy guard: only log deliveries of this account, from us-east-1 (where CloudFront's live).
    const fromOurDeliveries = {
      StringEquals: { 'aws:SourceAccount': account.accountId },
      ArnLike: { 'aws:SourceArn': `arn:aws:logs:us-east-1:${account.accountId}:*` },
    };
    this.bucket.addToPolicy({
      Sid: 'AWSLogDeliveryWrite',
      Effect: 'Allow',
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `${this.bucket.bucketArn}/*`,
      Condition: { ...fromOurDeliveries, StringEquals: { ...fromOurDeliveries.StringEquals, 's3:x-amz-acl': 'bucket-owner-full-control' } },
    });
    this.bucket.addToPolicy({
      Sid: 'AWSLogDeliveryAclCheck',
      Effect: 'Allow',
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Action: ['s3:GetBucketAcl', 's3:ListBucket'],
      Resource: this.bucket.bucketArn,
      Condition: fromOurDeliveries,
    });

    const source = new CloudwatchLogDeliverySource(this, 'source', {
      provider: props.usEast1,
      name: `${props.namePrefix}-frontend`,
      logType: 'ACCESS_LOGS',
      resourceArn: props.distributionArn,
    });
    const destination = new CloudwatchLogDeliveryDestination(this, 'destination', {
      provider: props.usEast1,
      name: `${props.namePrefix}-frontend-logs-s3`,
      // W3C extended format, as legacy logging wrote it: existing Athena tables and tools keep working.
      outputFormat: 'w3c',
      deliveryDestinationConfiguration: [{ destinationResourceArn: this.bucket.bucketArn }],
    });
    this.deliveryId = new CloudwatchLogDelivery(this, 'delivery', {
      provider: props.usEast1,
      deliverySourceName: source.name,
      deliveryDestinationArn: destination.arn,
      recordFields: [...ACCESS_LOG_FIELDS],
      s3DeliveryConfiguration: [{ suffixPath: ACCESS_LOG_SUFFIX_PATH, enableHiveCompatiblePath: false }],
      // The bucket policy must be in place before the first delivery is attempted.
      dependsOn: this.bucket.readiness,
    }).id;
  }
}
