import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudfrontFunction } from '@cdktf/provider-aws/lib/cloudfront-function';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control';
import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { PriceClass } from '../config/settings';
import { CloudFrontAccessLogs } from './private/cloudfront-access-logs';
import { SecureBucket } from './private/secure-bucket';
import { SitePolicies } from './private/site-policies';
import { SPA_REWRITE_FUNCTION_CODE, SPA_REWRITE_RUNTIME } from './private/spa-rewrite';

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
  /** The bucket CloudFront's access logs (standard logging v2) are delivered to. */
  readonly logBucketName: string;
  readonly logRetentionDays: number;
  /** A us-east-1 provider, for the log delivery (CloudFront's delivery sources exist only there). */
  readonly usEast1: TerraformProvider;
  /** The name viewers use, e.g. `dev.tiketi.com`; must be covered by `certificateArn`. */
  readonly domainName: string;
  /** A validated ACM certificate in us-east-1 (CloudFront reads certificates only there). */
  readonly certificateArn: string;
  /** ARN of a CLOUDFRONT-scope WAFv2 web ACL. */
  readonly webAclArn: string;
  readonly priceClass: PriceClass;
  /** Origin of the API the app calls, e.g. `https://api.tiketi.com`: allowed in the CSP's `connect-src`. */
  readonly apiOrigin: string;
  /**
   * `https://` origins of the payment provider (scripts, frames, API), added to the baseline CSP and to the
   * `payment` permission.
   * @default - none
   */
  readonly paymentOrigins?: readonly string[];
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
   * A Content-Security-Policy replacing the baseline (`contentSecurityPolicy()` in `private/site-policies.ts`).
   * @default - the baseline, from `apiOrigin` and `paymentOrigins`
   */
  readonly contentSecurityPolicy?: string;
}

const ORIGIN_ID = 'frontend-bucket';
const READ_ONLY_METHODS = ['GET', 'HEAD'];

/**
 * A single-page app behind CloudFront: a private, versioned bucket that only this distribution may read
 * (origin access control, `aws:SourceArn` condition), HTTPS only with an ACM certificate, WAF, HTTP/2+3,
 * IPv6, compression, security headers (CSP and Permissions-Policy included), access logs, and SPA routing by a
 * CloudFront Function that rewrites extensionless paths to `/index.html`, so real errors keep their codes.
 */
export class StaticSite extends Construct {
  public readonly bucketName: string;
  public readonly bucketArn: string;
  public readonly logBucketName: string;
  /** The CloudWatch Logs delivery of the access logs (us-east-1). */
  public readonly logDeliveryId: string;
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
    const policies = new SitePolicies(this, 'policies', {
      namePrefix: props.namePrefix,
      sources: { apiOrigin: props.apiOrigin, paymentOrigins: props.paymentOrigins },
      contentSecurityPolicy: props.contentSecurityPolicy,
    });
    const spaRewrite = new CloudfrontFunction(this, 'spa-rewrite', {
      name: `${props.namePrefix}-frontend-spa-rewrite`,
      comment: 'Client-side routes (no dot in the last segment) to /index.html; files unchanged',
      runtime: SPA_REWRITE_RUNTIME,
      code: SPA_REWRITE_FUNCTION_CODE,
      // The distribution runs the LIVE stage: publish on every change of the code.
      publish: true,
    });

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
      // Routes reach only the default behaviour (/index.html and hashed assets have their own), so only it rewrites.
      defaultCacheBehavior: {
        ...behaviour(policies.revalidateCachePolicyId),
        functionAssociation: [{ eventType: 'viewer-request', functionArn: spaRewrite.arn }],
      },
      orderedCacheBehavior: [
        { pathPattern: '/index.html', ...behaviour(policies.revalidateCachePolicyId) },
        { pathPattern: props.hashedAssetsPath ?? '/assets/*', ...behaviour(policies.immutableCachePolicyId) },
      ],
      // No custom error responses: a WAF block stays 403 and a missing file 404 (routes are rewritten above).
      viewerCertificate: {
        acmCertificateArn: props.certificateArn,
        sslSupportMethod: 'sni-only',
        minimumProtocolVersion: DEFAULT_MINIMUM_VIEWER_TLS,
      },
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      // Access logs go through standard logging v2 (below), not `logging_config`: legacy logging needs bucket ACLs.
    });
    const logs = new CloudFrontAccessLogs(this, 'access-logs', {
      namePrefix: props.namePrefix,
      distributionArn: distribution.arn,
      bucketName: props.logBucketName,
      retentionDays: props.logRetentionDays,
      usEast1: props.usEast1,
      preventDestroy,
    });

    // Only this distribution, through OAC, may read; nobody may write through the bucket policy.
    const fromThisDistribution = { StringEquals: { 'AWS:SourceArn': distribution.arn } };
    content.addToPolicy({
      Sid: 'AllowCloudFrontOacRead',
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Resource: `${content.bucketArn}/*`,
      Condition: fromThisDistribution,
    });
    // With ListBucket, S3 answers a missing key with 404 instead of 403, so a missing asset is not mistaken
    // for a WAF block. It lists nothing to viewers: CloudFront forwards no query string (the cache policies),
    // and `/`, the only path S3 would treat as a listing, is the default root object and rewritten anyway.
    content.addToPolicy({
      Sid: 'AllowCloudFrontOacList',
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:ListBucket',
      Resource: content.bucketArn,
      Condition: fromThisDistribution,
    });

    this.bucketName = content.bucketName;
    this.bucketArn = content.bucketArn;
    this.logBucketName = logs.bucket.bucketName;
    this.logDeliveryId = logs.deliveryId;
    this.distributionId = distribution.id;
    this.distributionArn = distribution.arn;
    this.distributionDomainName = distribution.domainName;
    this.distributionHostedZoneId = distribution.hostedZoneId;
  }
}
