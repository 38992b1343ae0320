import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control';
import { Construct } from 'constructs';
import { PriceClass } from '../config/settings';
import { AccessLogBucket } from './private/access-log-bucket';
import { SecureBucket } from './private/secure-bucket';
import { SitePolicies } from './private/site-policies';

/**
 * Oldest TLS policy viewers may negotiate: TLS 1.2+ with forward-secret AEAD ciphers only. AWS now recommends
 * `TLSv1.2_2025` (Security Hub CloudFront.15), but the pinned AWS provider 5.100 rejects it
 * ("expected minimum_protocol_version to be one of ... TLSv1.2_2021"); raise this with the provider.
 */
export const DEFAULT_MINIMUM_VIEWER_TLS = 'TLSv1.2_2021';

export interface StaticSiteProps {
  readonly namePrefix: string;
  /** The private bucket holding the built frontend (`tiketi-frontend-<env>`). */
  readonly bucketName: string;
  /** The bucket CloudFront writes access logs to. */
  readonly logBucketName: string;
  readonly logRetentionDays: number;
  /** The name viewers use, e.g. `dev.tiketi.com`; must be covered by `certificateArn`. */
  readonly domainName: string;
  /** A validated ACM certificate in us-east-1 (CloudFront reads certificates only there). */
  readonly certificateArn: string;
  /** ARN of a CLOUDFRONT-scope WAFv2 web ACL. */
  readonly webAclArn: string;
  readonly priceClass: PriceClass;
  /**
   * Path pattern of content-hashed build output, cached for a year.
   * @default '/assets/*' - where Vite writes hashed files
   */
  readonly hashedAssetsPath?: string;
  /**
   * Days superseded frontend objects are kept (the window for restoring a previous deploy by version).
   * @default 30
   */
  readonly noncurrentVersionDays?: number;
  /**
   * Refuse `terraform destroy` of the buckets.
   * @default true - turn off only in disposable environments
   */
  readonly preventDestroy?: boolean;
  /**
   * @default - none (see `SitePoliciesProps.contentSecurityPolicy`)
   */
  readonly contentSecurityPolicy?: string;
}

const ORIGIN_ID = 'frontend-bucket';
const READ_ONLY_METHODS = ['GET', 'HEAD'];

/**
 * A single-page app behind CloudFront: a private, versioned bucket that only this distribution may read
 * (origin access control, `aws:SourceArn` condition), HTTPS only with an ACM certificate, WAF, HTTP/2+3,
 * IPv6, compression, security headers, access logs, and SPA routing (403/404 → `/index.html`, 200).
 */
export class StaticSite extends Construct {
  public readonly bucketName: string;
  public readonly bucketArn: string;
  public readonly logBucketName: string;
  public readonly distributionId: string;
  public readonly distributionArn: string;
  /** `dxxxx.cloudfront.net`: the target of alias records. */
  public readonly distributionDomainName: string;
  /** CloudFront's fixed hosted zone ID for alias records. */
  public readonly distributionHostedZoneId: string;

  constructor(scope: Construct, id: string, props: StaticSiteProps) {
    super(scope, id);
    const preventDestroy = props.preventDestroy ?? true;
    const content = new SecureBucket(this, 'content', {
      bucketName: props.bucketName,
      preventDestroy,
      lifecycleRules: [
        { id: 'expire-superseded-versions', filter: [{ prefix: '' }], noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? 30 }] },
      ],
    });
    const logs = new AccessLogBucket(this, 'logs', { bucketName: props.logBucketName, retentionDays: props.logRetentionDays, preventDestroy });
    const policies = new SitePolicies(this, 'policies', { namePrefix: props.namePrefix, contentSecurityPolicy: props.contentSecurityPolicy });

    const oac = new CloudfrontOriginAccessControl(this, 'oac', {
      name: `${props.namePrefix}-frontend`,
      description: `CloudFront reads ${props.bucketName}`,
      originAccessControlOriginType: 's3',
      signingBehavior: 'always',
      signingProtocol: 'sigv4',
    });

    const behaviour = (cachePolicyId: string) => ({
      targetOriginId: ORIGIN_ID,
      viewerProtocolPolicy: 'redirect-to-https',
      allowedMethods: READ_ONLY_METHODS,
      cachedMethods: READ_ONLY_METHODS,
      compress: true,
      cachePolicyId,
      responseHeadersPolicyId: policies.securityHeadersPolicyId,
    });

    const distribution = new CloudfrontDistribution(this, 'distribution', {
      enabled: true,
      comment: `${props.namePrefix} frontend`,
      aliases: [props.domainName],
      defaultRootObject: 'index.html',
      httpVersion: 'http2and3',
      isIpv6Enabled: true,
      priceClass: props.priceClass,
      webAclId: props.webAclArn,
      origin: [{ originId: ORIGIN_ID, domainName: content.regionalDomainName, originAccessControlId: oac.id }],
      defaultCacheBehavior: behaviour(policies.revalidateCachePolicyId),
      orderedCacheBehavior: [
        { pathPattern: '/index.html', ...behaviour(policies.revalidateCachePolicyId) },
        { pathPattern: props.hashedAssetsPath ?? '/assets/*', ...behaviour(policies.immutableCachePolicyId) },
      ],
      // Client-side routes do not exist in the bucket: S3 answers 403 (no ListBucket) or 404, and the app handles the path.
      customErrorResponse: [403, 404].map((errorCode) => ({ errorCode, responseCode: 200, responsePagePath: '/index.html', errorCachingMinTtl: 10 })),
      viewerCertificate: {
        acmCertificateArn: props.certificateArn,
        sslSupportMethod: 'sni-only',
        minimumProtocolVersion: DEFAULT_MINIMUM_VIEWER_TLS,
      },
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      loggingConfig: { bucket: logs.domainName, prefix: 'cloudfront/', includeCookies: false },
      dependsOn: logs.readiness,
    });

    // Only this distribution, through OAC, may read; nobody may list or write through the bucket policy.
    content.addToPolicy({
      Sid: 'AllowCloudFrontOacRead',
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Resource: `${content.bucketArn}/*`,
      Condition: { StringEquals: { 'AWS:SourceArn': distribution.arn } },
    });

    this.bucketName = content.bucketName;
    this.bucketArn = content.bucketArn;
    this.logBucketName = logs.bucket.bucketName;
    this.distributionId = distribution.id;
    this.distributionArn = distribution.arn;
    this.distributionDomainName = distribution.domainName;
    this.distributionHostedZoneId = distribution.hostedZoneId;
  }
}
