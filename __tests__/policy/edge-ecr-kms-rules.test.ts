import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { CloudfrontDistribution, CloudfrontDistributionConfig } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { DataAwsIamPolicy } from '@cdktf/provider-aws/lib/data-aws-iam-policy';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { Wafv2WebAcl } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { fixture, statusOf } from './helpers';

/** The edge stack's distribution, stated literally, with `change` applied; the origin is an S3 bucket of the stack. */
function distribution(change: Partial<CloudfrontDistributionConfig> = {}, s3Origin = true) {
  return fixture((s) => {
    const bucket = new S3Bucket(s, 'site', { bucket: 'tiketi-frontend-prod' });
    const origin = s3Origin
      ? { domainName: bucket.bucketRegionalDomainName, originId: 'frontend-bucket', originAccessControlId: 'oac-1' }
      : { domainName: 'api.tiketi.com', originId: 'api', customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: 'https-only', originSslProtocols: ['TLSv1.2'] } };
    new CloudfrontDistribution(s, 'cdn', {
      enabled: true,
      defaultRootObject: 'index.html',
      webAclId: 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/x/1',
      origin: [origin],
      defaultCacheBehavior: { allowedMethods: ['GET', 'HEAD'], cachedMethods: ['GET', 'HEAD'], targetOriginId: origin.originId, viewerProtocolPolicy: 'redirect-to-https' },
      orderedCacheBehavior: [{ pathPattern: '/assets/*', allowedMethods: ['GET', 'HEAD'], cachedMethods: ['GET', 'HEAD'], targetOriginId: origin.originId, viewerProtocolPolicy: 'redirect-to-https' }],
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      viewerCertificate: { acmCertificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/1', sslSupportMethod: 'sni-only', minimumProtocolVersion: 'TLSv1.2_2021' },
      ...change,
    });
  });
}

const cdn = (control: string, change?: Partial<CloudfrontDistributionConfig>, s3Origin = true) => statusOf(control, distribution(change, s3Origin))['aws_cloudfront_distribution.cdn'];

describe('CloudFront controls', () => {
  test.each<[string, Partial<CloudfrontDistributionConfig>, string]>([
    ['CloudFront.1', { defaultRootObject: undefined }, 'default_root_object is not set: a request for "/" lists or errors instead of serving the site'],
    ['CloudFront.3', { orderedCacheBehavior: [{ pathPattern: '/assets/*', allowedMethods: ['GET', 'HEAD'], cachedMethods: ['GET', 'HEAD'], targetOriginId: 'frontend-bucket', viewerProtocolPolicy: 'allow-all' }] }, 'viewer_protocol_policy is "allow-all" for /assets/*'],
    ['CloudFront.6', { webAclId: undefined }, 'web_acl_id is not set'],
    ['CloudFront.7', { viewerCertificate: { cloudfrontDefaultCertificate: true } }, 'viewer_certificate uses the default *.cloudfront.net certificate'],
    ['CloudFront.8', { viewerCertificate: { acmCertificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/1', sslSupportMethod: 'vip' } }, 'ssl_support_method is "vip", not "sni-only"'],
  ])('%s fails with %j', (control, change, detail) => {
    expect(cdn(control)).toBe('passed');
    expect(cdn(control, change)).toBe(`failed: ${detail}`);
  });

  test('CloudFront.13 fails for an S3 origin without origin access control', () => {
    expect(cdn('CloudFront.13')).toBe('passed');
    const withoutOac = fixture((s) => {
      const bucket = new S3Bucket(s, 'site', { bucket: 'b' });
      new CloudfrontDistribution(s, 'cdn', {
        enabled: true,
        origin: [{ domainName: bucket.bucketRegionalDomainName, originId: 'frontend-bucket' }],
        defaultCacheBehavior: { allowedMethods: ['GET', 'HEAD'], cachedMethods: ['GET', 'HEAD'], targetOriginId: 'frontend-bucket', viewerProtocolPolicy: 'https-only' },
        restrictions: { geoRestriction: { restrictionType: 'none' } },
        viewerCertificate: { cloudfrontDefaultCertificate: true },
      });
    });
    expect(statusOf('CloudFront.13', withoutOac)['aws_cloudfront_distribution.cdn']).toBe('failed: S3 origin frontend-bucket has no origin_access_control_id');
  });

  test('CloudFront.1 and .13 do not apply to custom origins; .8 not without a custom certificate', () => {
    expect(cdn('CloudFront.1', { defaultRootObject: undefined }, false)).toBe('not applicable');
    expect(cdn('CloudFront.13', {}, false)).toBe('not applicable');
    expect(cdn('CloudFront.8', { viewerCertificate: { cloudfrontDefaultCertificate: true } })).toBe('not applicable');
  });
});

describe('ACM.2 and WAF.10', () => {
  test('an RSA 1024 certificate fails; RSA 2048 (the default) passes; EC keys do not apply', () => {
    const json = fixture((s) => {
      new AcmCertificate(s, 'default', { domainName: 'a.tiketi.com', validationMethod: 'DNS' });
      new AcmCertificate(s, 'weak', { domainName: 'b.tiketi.com', validationMethod: 'DNS', keyAlgorithm: 'RSA_1024' });
      new AcmCertificate(s, 'ec', { domainName: 'c.tiketi.com', validationMethod: 'DNS', keyAlgorithm: 'EC_prime256v1' });
    });
    expect(statusOf('ACM.2', json)).toEqual({ 'aws_acm_certificate.default': 'passed', 'aws_acm_certificate.weak': 'failed: key_algorithm is RSA_1024', 'aws_acm_certificate.ec': 'not applicable' });
  });

  test('a web ACL without rules fails', () => {
    const visibility = { cloudwatchMetricsEnabled: true, metricName: 'm', sampledRequestsEnabled: true };
    const json = fixture((s) => {
      new Wafv2WebAcl(s, 'empty', { name: 'e', scope: 'REGIONAL', defaultAction: { allow: {} }, visibilityConfig: visibility });
      new Wafv2WebAcl(s, 'ruled', {
        name: 'r',
        scope: 'REGIONAL',
        defaultAction: { allow: {} },
        visibilityConfig: visibility,
        rule: [{ name: 'ip-reputation', priority: 0, overrideAction: { none: {} }, statement: { managedRuleGroupStatement: { name: 'AWSManagedRulesAmazonIpReputationList', vendorName: 'AWS' } }, visibilityConfig: visibility }],
      });
    });
    expect(statusOf('WAF.10', json)).toEqual({ 'aws_wafv2_web_acl.empty': 'failed: the web ACL has no rules: it only applies its default action', 'aws_wafv2_web_acl.ruled': 'passed' });
  });
});

describe('ECR controls', () => {
  test('the registry stack\'s repository passes ECR.1-3; a default repository fails each', () => {
    const json = fixture((s) => {
      const secure = new EcrRepository(s, 'secure', { name: 'tiketi-backend', imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true } });
      new EcrLifecyclePolicy(s, 'lifecycle', { repository: secure.name, policy: '{"rules":[]}' });
      new EcrRepository(s, 'default', { name: 'tiketi-other' });
    });
    expect(statusOf('ECR.1', json)).toEqual({ 'aws_ecr_repository.secure': 'passed', 'aws_ecr_repository.default': 'failed: scan_on_push is not true and no registry scanning configuration covers the repository' });
    expect(statusOf('ECR.2', json)).toEqual({ 'aws_ecr_repository.secure': 'passed', 'aws_ecr_repository.default': 'failed: image_tag_mutability is unset (MUTABLE)' });
    expect(statusOf('ECR.3', json)).toEqual({ 'aws_ecr_repository.secure': 'passed', 'aws_ecr_repository.default': 'failed: no aws_ecr_lifecycle_policy for the repository' });
  });
});

const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const TRUST = policy({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' });

describe('KMS and IAM controls', () => {
  test('KMS.4: a symmetric key without rotation fails; an asymmetric key does not apply', () => {
    const json = fixture((s) => {
      new KmsKey(s, 'rotating', { enableKeyRotation: true });
      new KmsKey(s, 'static', {});
      new KmsKey(s, 'signing', { customerMasterKeySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' });
    });
    expect(statusOf('KMS.4', json)).toEqual({ 'aws_kms_key.rotating': 'passed', 'aws_kms_key.static': 'failed: enable_key_rotation is not true', 'aws_kms_key.signing': 'not applicable' });
  });

  test('KMS.1 / KMS.2: decrypt on every key fails, conditions notwithstanding; keys of one Region and account pass', () => {
    const everyKey = { Sid: 'Everything', Effect: 'Allow', Action: ['kms:*'], Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 's3.ap-northeast-2.amazonaws.com' } } };
    const regionKeys = { Sid: 'RegionKeys', Effect: 'Allow', Action: 'kms:Decrypt', Resource: 'arn:aws:kms:ap-northeast-2:111122223333:key/*' };
    const anyRegion = { Sid: 'AnyRegion', Effect: 'Allow', Action: 'kms:ReEncrypt*', Resource: 'arn:aws:kms:*:111122223333:key/*' };
    const json = fixture((s) => {
      new IamPolicy(s, 'managed-wide', { policy: policy(everyKey) });
      new IamPolicy(s, 'managed-scoped', { policy: policy(regionKeys) });
      const role = new IamRole(s, 'role', { assumeRolePolicy: TRUST });
      new IamRolePolicy(s, 'inline-wide', { role: role.name, policy: policy(anyRegion) });
      new IamRolePolicy(s, 'inline-scoped', { role: role.name, policy: policy(regionKeys) });
      new IamRolePolicy(s, 'inline-notaction', { role: role.name, policy: policy({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }) });
    });
    expect(statusOf('KMS.1', json)).toEqual({ 'aws_iam_policy.managed-wide': 'failed: statement Everything allows kms:Decrypt and kms:ReEncryptFrom on every KMS key', 'aws_iam_policy.managed-scoped': 'passed' });
    expect(statusOf('KMS.2', json)).toEqual({
      'aws_iam_role.role': 'not applicable',
      'aws_iam_role_policy.inline-wide': 'failed: statement AnyRegion allows kms:ReEncryptFrom on every KMS key',
      'aws_iam_role_policy.inline-scoped': 'passed',
      'aws_iam_role_policy.inline-notaction': 'failed: statement (no Sid) allows kms:Decrypt and kms:ReEncryptFrom on every KMS key',
    });
  });

  test('IAM.1: "*" on "*" fails, unless the policy is a permissions boundary', () => {
    const admin = policy({ Sid: 'Admin', Effect: 'Allow', Action: '*', Resource: '*' });
    const json = fixture((s) => {
      new IamPolicy(s, 'admin', { name: 'tiketi-admin', policy: admin });
      const boundary = new IamPolicy(s, 'boundary', { name: 'tiketi-boundary', policy: admin });
      new IamRole(s, 'role', { assumeRolePolicy: TRUST, permissionsBoundary: boundary.arn });
      new IamPolicy(s, 'narrow', { policy: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) });
    });
    expect(statusOf('IAM.1', json)).toEqual({ 'aws_iam_policy.admin': 'failed: statement Admin allows "*" on "*"', 'aws_iam_policy.boundary': 'not applicable', 'aws_iam_policy.narrow': 'passed' });
  });

  test('KMS.1 and IAM.1 skip a boundary that roles of another stack use through a data lookup of its ARN', () => {
    const registry = fixture((s) => void new IamPolicy(s, 'boundary', { name: 'tiketi-boundary', policy: policy({ Sid: 'PlatformServices', Effect: 'Allow', Action: 'kms:*', Resource: '*' }) }));
    const cluster = fixture((s) => {
      const lookup = new DataAwsIamPolicy(s, 'permissions-boundary', { arn: 'arn:aws:iam::${data.aws_caller_identity.account.account_id}:policy/tiketi-boundary' });
      new IamRole(s, 'role', { assumeRolePolicy: TRUST, permissionsBoundary: lookup.arn });
    });
    expect(statusOf('KMS.1', registry, { stack: 'registry', scope: 'account', siblings: [['cluster', cluster]] })).toEqual({ 'aws_iam_policy.boundary': 'not applicable' });
    // Unused as a boundary, the same policy is an ordinary customer managed policy, and fails.
    expect(statusOf('KMS.1', registry, { stack: 'registry', scope: 'account' })).toEqual({ 'aws_iam_policy.boundary': 'failed: statement PlatformServices allows kms:Decrypt and kms:ReEncryptFrom on every KMS key' });
  });
});
