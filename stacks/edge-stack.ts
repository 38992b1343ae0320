import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { BackendSettings } from '../config/backend';
import { FrontendPipelineParameter, frontendPipelineParameterName } from '../config/naming';
import { EnvironmentSettings } from '../config/settings';
import { accessLogBucketName, frontendBucketName } from '../config/validation/edge';
import { DnsValidatedCertificate } from '../modules/dns-certificate';
import { HostedZoneLookup } from '../modules/hosted-zone';
import { StaticSite } from '../modules/static-site';
import { WebAcl } from '../modules/web-acl';
import { TiketiStack, defaultTags } from './tiketi-stack';

export interface EdgeStackProps {
  readonly env: EnvironmentSettings;
  readonly backend: BackendSettings;
}

/**
 * The environment's edge: the frontend (private S3 bucket behind CloudFront with OAC, WAF, ACM and
 * Route53 alias records) and the pieces the ALB of the API needs but cannot create itself (a regional
 * certificate and a regional web ACL, handed to the Ingress by ARN). The API's DNS record is left to
 * external-dns, which follows the Ingress host.
 */
export class EdgeStack extends TiketiStack {
  /** us-east-1: CloudFront reads certificates and CLOUDFRONT-scope web ACLs only there. */
  public readonly usEast1: AwsProvider;
  public readonly site: StaticSite;
  public readonly zoneId: string;
  public readonly zoneName: string;
  /** us-east-1 certificate of the frontend domain (on the distribution). */
  public readonly frontendCertificateArn: string;
  /** Regional certificate of the API domain, for the ALB (`alb.ingress.kubernetes.io/certificate-arn`). */
  public readonly apiCertificateArn: string;
  public readonly cloudFrontWebAclArn: string;
  /** Regional web ACL for the ALB (`alb.ingress.kubernetes.io/wafv2-acl-arn`). */
  public readonly regionalWebAclArn: string;

  constructor(scope: Construct, props: EdgeStackProps) {
    super(scope, 'edge', { scopeName: props.env.name, region: props.env.region, backend: props.backend });
    const { env } = props;
    const edge = env.edge;
    // Only dev may be torn down with its buckets; elsewhere `terraform destroy` stops at them.
    const preventDestroy = env.name !== 'dev';

    this.usEast1 = new AwsProvider(this, 'aws-us-east-1', {
      alias: 'us_east_1',
      region: 'us-east-1',
      defaultTags: [{ tags: defaultTags(env.name, 'edge') }],
    });

    // The account-wide `dns` stack owns the zone; a missing zone fails this plan instead of an ACM wait.
    const zone = new HostedZoneLookup(this, 'zone', { zoneName: edge.zoneName });
    this.zoneId = zone.zoneId;
    this.zoneName = zone.zoneName;

    const frontendCertificate = new DnsValidatedCertificate(this, 'frontend-certificate', {
      domainName: edge.frontendDomain,
      zoneId: zone.zoneId,
      provider: this.usEast1,
    });
    const waf = edge.waf;
    // The static site: no login, no database behind it (GET/HEAD from S3), so a per-IP backstop and the
    // managed groups; no SQL injection set (docs/edge.md, "WAF").
    const cloudFrontAcl = new WebAcl(this, 'cloudfront-waf', {
      name: `${this.namePrefix}-cloudfront`,
      scope: 'CLOUDFRONT',
      ipRateLimit: waf.frontendIpRateLimit,
      rateLimitAction: waf.rateLimitAction,
      logRetentionDays: waf.logRetentionDays,
      preventLogKeyDestroy: preventDestroy,
      provider: this.usEast1,
    });

    this.site = new StaticSite(this, 'frontend', {
      namePrefix: this.namePrefix,
      bucketName: frontendBucketName(env.name, edge.bucketSuffix),
      logBucketName: accessLogBucketName(env.name, edge.bucketSuffix),
      logRetentionDays: edge.accessLogRetentionDays,
      usEast1: this.usEast1,
      domainName: edge.frontendDomain,
      certificateArn: frontendCertificate.certificateArn,
      webAclArn: cloudFrontAcl.webAclArn,
      priceClass: edge.priceClass,
      apiOrigin: `https://${edge.apiDomain}`,
      paymentOrigins: edge.paymentOrigins,
      preventDestroy,
    });

    // A and AAAA: the distribution has IPv6 on.
    for (const type of ['A', 'AAAA']) {
      new Route53Record(this, `frontend-${type.toLowerCase()}`, {
        zoneId: zone.zoneId,
        name: edge.frontendDomain,
        type,
        alias: { name: this.site.distributionDomainName, zoneId: this.site.distributionHostedZoneId, evaluateTargetHealth: false },
      });
    }

    const apiCertificate = new DnsValidatedCertificate(this, 'api-certificate', { domainName: edge.apiDomain, zoneId: zone.zoneId });
    // The API (ALB): clients connect to the ALB directly, so WAF sees their own address; no forwarded-IP header
    // is trusted (a client could set any). The API fronts PostgreSQL: SQL injection signatures on.
    const regionalAcl = new WebAcl(this, 'regional-waf', {
      name: `${this.namePrefix}-alb`,
      scope: 'REGIONAL',
      ipRateLimit: waf.apiIpRateLimit,
      clientRateLimit: { limit: waf.apiClientRateLimit, header: 'authorization' },
      loginRateLimit: { limit: waf.loginRateLimit, paths: waf.loginPaths },
      rateLimitAction: waf.rateLimitAction,
      sqlInjectionRules: true,
      logRetentionDays: waf.logRetentionDays,
      preventLogKeyDestroy: preventDestroy,
    });

    this.frontendCertificateArn = frontendCertificate.certificateArn;
    this.apiCertificateArn = apiCertificate.certificateArn;
    this.cloudFrontWebAclArn = cloudFrontAcl.webAclArn;
    this.regionalWebAclArn = regionalAcl.webAclArn;

    // What the frontend deploy workflow needs, where its CI role may read it (docs/platform-contracts.md).
    // Not secret, so String; Standard tier (free).
    const pipeline: Record<FrontendPipelineParameter, [string, string]> = {
      bucket: [this.site.bucketName, 'Bucket the frontend build is uploaded to'],
      'distribution-id': [this.site.distributionId, 'CloudFront distribution to invalidate after a deploy'],
      'api-url': [`https://${edge.apiDomain}`, 'Base URL of the API the frontend build calls'],
    };
    for (const [parameter, [value, description]] of Object.entries(pipeline) as Array<[FrontendPipelineParameter, [string, string]]>) {
      new SsmParameter(this, `pipeline-${parameter}`, {
        name: frontendPipelineParameterName(env.name, parameter),
        type: 'String',
        tier: 'Standard',
        value,
        description: `${description} (written by the tiketi ${env.name} edge stack)`,
      });
    }

    const outputs: Record<string, [string, string]> = {
      frontend_bucket_name: [this.site.bucketName, 'Bucket the frontend deploy uploads the build to'],
      frontend_bucket_arn: [this.site.bucketArn, 'ARN of the frontend bucket (CI deploy role policy)'],
      frontend_log_bucket_name: [this.site.logBucketName, 'Bucket holding CloudFront access logs'],
      frontend_distribution_id: [this.site.distributionId, 'Distribution to invalidate after a deploy'],
      frontend_distribution_arn: [this.site.distributionArn, 'ARN of the distribution (CI invalidation permission)'],
      frontend_distribution_domain_name: [this.site.distributionDomainName, 'dxxxx.cloudfront.net name of the distribution'],
      frontend_url: [`https://${edge.frontendDomain}`, 'Where the frontend is served'],
      frontend_certificate_arn: [this.frontendCertificateArn, 'us-east-1 certificate of the frontend domain'],
      api_domain: [edge.apiDomain, 'Host of the API Ingress (external-dns creates its record)'],
      api_certificate_arn: [this.apiCertificateArn, 'Regional certificate for the ALB of the API Ingress'],
      cloudfront_web_acl_arn: [this.cloudFrontWebAclArn, 'CLOUDFRONT-scope web ACL on the distribution'],
      regional_web_acl_arn: [this.regionalWebAclArn, 'REGIONAL web ACL for the ALB of the API Ingress'],
      cloudfront_waf_log_group: [cloudFrontAcl.logGroupName, 'WAF logs of the CloudFront ACL (us-east-1)'],
      regional_waf_log_group: [regionalAcl.logGroupName, 'WAF logs of the regional ACL'],
      zone_id: [this.zoneId, 'Route53 hosted zone the environment writes into (owned by the dns stack)'],
      zone_name: [this.zoneName, 'Name of the hosted zone'],
    };
    for (const [name, [value, description]] of Object.entries(outputs)) new TerraformOutput(this, name, { value, description });
  }
}
