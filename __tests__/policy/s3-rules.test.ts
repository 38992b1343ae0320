import { Construct } from 'constructs';
import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { S3AccountPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-account-public-access-block';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketAcl } from '@cdktf/provider-aws/lib/s3-bucket-acl';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { StackDocument } from '../../policy/document';
import { evaluateScope } from '../../policy/engine';
import { ALL_RULES } from '../../policy/rules';
import { fixture, statusOf } from './helpers';

const denyHttp = (arn: string) => ({ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [arn, `${arn}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } });

interface BucketOptions {
  policy?: (bucket: S3Bucket) => object[];
  publicAccessBlock?: boolean;
  ownership?: string;
  lifecycle?: 'Enabled' | 'Disabled';
}

/** A bucket as SecureBucket builds it, each setting resource optional. */
function bucketWith(options: BucketOptions, extra?: (s: Construct, bucket: S3Bucket) => void) {
  return fixture((s) => {
    const bucket = new S3Bucket(s, 'b', { bucket: 'tiketi-test' });
    if (options.policy) new S3BucketPolicy(s, 'policy', { bucket: bucket.id, policy: JSON.stringify({ Version: '2012-10-17', Statement: options.policy(bucket) }) });
    if (options.publicAccessBlock !== undefined) {
      const on = options.publicAccessBlock;
      new S3BucketPublicAccessBlock(s, 'pab', { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: on });
    }
    if (options.ownership) new S3BucketOwnershipControls(s, 'ownership', { bucket: bucket.id, rule: { objectOwnership: options.ownership } });
    if (options.lifecycle) new S3BucketLifecycleConfiguration(s, 'lifecycle', { bucket: bucket.id, rule: [{ id: 'r', status: options.lifecycle, filter: [{ prefix: '' }], abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }] }] });
    extra?.(s, bucket);
  });
}

const status = (control: string, json: object) => statusOf(control, json)['aws_s3_bucket.b'];

describe('S3.5: buckets deny requests without TLS', () => {
  test('passes with the deny statement on the bucket and its objects, by reference or literal ARN', () => {
    expect(status('S3.5', bucketWith({ policy: (b) => [denyHttp(b.arn)] }))).toBe('passed');
    expect(status('S3.5', bucketWith({ policy: () => [denyHttp('arn:aws:s3:::tiketi-test')] }))).toBe('passed');
  });

  test('fails without a policy, with an Allow-only policy, or with a deny that misses the objects', () => {
    expect(status('S3.5', bucketWith({}))).toBe('failed: no bucket policy');
    const allowOnly = bucketWith({ policy: (b) => [{ Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject', Resource: `${b.arn}/*` }] });
    expect(status('S3.5', allowOnly)).toBe('failed: no policy statement denies s3:* on the bucket and its objects when aws:SecureTransport is false');
    const bucketOnly = bucketWith({ policy: (b) => [{ ...denyHttp(b.arn), Resource: b.arn }] });
    expect(status('S3.5', bucketOnly)).toMatch(/^failed: no policy statement denies/);
  });
});

describe('S3.8: buckets block public access', () => {
  test('passes with all four settings and fails with one off or none', () => {
    expect(status('S3.8', bucketWith({ publicAccessBlock: true }))).toBe('passed');
    expect(status('S3.8', bucketWith({ publicAccessBlock: false }))).toBe('failed: restrict_public_buckets not true');
    expect(status('S3.8', bucketWith({}))).toBe('failed: no aws_s3_bucket_public_access_block for the bucket');
  });
});

describe('S3.12: no ACL grants', () => {
  test('passes with BucketOwnerEnforced, or without ACL resources', () => {
    expect(status('S3.12', bucketWith({ ownership: 'BucketOwnerEnforced' }))).toBe('passed');
    expect(status('S3.12', bucketWith({}))).toBe('passed');
  });

  test('fails for the CloudFront log bucket shape: a grant to awslogsdelivery and standard logging', () => {
    const logBucket = bucketWith({ ownership: 'BucketOwnerPreferred' }, (s, bucket) => {
      new S3BucketAcl(s, 'acl', {
        bucket: bucket.id,
        accessControlPolicy: {
          owner: { id: 'owner-id' },
          grant: [
            { grantee: { id: 'owner-id', type: 'CanonicalUser' }, permission: 'FULL_CONTROL' },
            { grantee: { id: 'c4c1ede66af53448b93c283ce9448c4ba468c9432aa01d700d3878632f77d2d0', type: 'CanonicalUser' }, permission: 'FULL_CONTROL' },
          ],
        },
      });
      new CloudfrontDistribution(s, 'cdn', {
        enabled: true,
        origin: [{ domainName: 'example.com', originId: 'o', customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: 'https-only', originSslProtocols: ['TLSv1.2'] } }],
        defaultCacheBehavior: { allowedMethods: ['GET', 'HEAD'], cachedMethods: ['GET', 'HEAD'], targetOriginId: 'o', viewerProtocolPolicy: 'redirect-to-https' },
        restrictions: { geoRestriction: { restrictionType: 'none' } },
        viewerCertificate: { cloudfrontDefaultCertificate: true },
        loggingConfig: { bucket: bucket.bucketDomainName, prefix: 'cloudfront/' },
      });
    });
    expect(status('S3.12', logBucket)).toBe(
      'failed: object ownership is BucketOwnerPreferred and aws_s3_bucket_acl.acl grants FULL_CONTROL to a grantee other than the owner; aws_cloudfront_distribution.cdn writes standard access logs to it, which needs an ACL grant to awslogsdelivery',
    );
  });

  test('a canned public ACL fails', () => {
    const json = bucketWith({ ownership: 'ObjectWriter' }, (s, bucket) => void new S3BucketAcl(s, 'acl', { bucket: bucket.id, acl: 'log-delivery-write' }));
    expect(status('S3.12', json)).toBe('failed: object ownership is ObjectWriter and aws_s3_bucket_acl.acl sets the canned ACL "log-delivery-write"');
  });
});

describe('S3.13: buckets have lifecycle rules', () => {
  test('passes with an enabled rule and fails with none or a disabled one', () => {
    expect(status('S3.13', bucketWith({ lifecycle: 'Enabled' }))).toBe('passed');
    expect(status('S3.13', bucketWith({ lifecycle: 'Disabled' }))).toBe('failed: no lifecycle rule is Enabled');
    expect(status('S3.13', bucketWith({}))).toBe('failed: no aws_s3_bucket_lifecycle_configuration for the bucket');
  });
});

describe('S3.1: account-level Block Public Access', () => {
  const accountCheck = (json: object, scope: 'account' | 'prod' = 'account') => evaluateScope(scope, [new StackDocument('registry', json)], ALL_RULES, []).checks.find((c) => c.control === 'S3.1');

  test('passes when an account-wide stack sets all four settings, fails otherwise', () => {
    const on = fixture((s) => void new S3AccountPublicAccessBlock(s, 'bpa', { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }));
    expect(accountCheck(on)).toMatchObject({ address: 'account', status: 'passed' });
    const off = fixture((s) => void new S3AccountPublicAccessBlock(s, 'bpa', { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true }));
    expect(accountCheck(off)).toMatchObject({ status: 'failed', detail: 'restrict_public_buckets not true' });
    expect(accountCheck({})).toMatchObject({ status: 'failed', detail: expect.stringMatching(/^no account-wide stack declares aws_s3_account_public_access_block/) });
  });

  test('is not checked in an environment scope (the account-wide stacks own it)', () => {
    expect(accountCheck({}, 'prod')).toBeUndefined();
  });
});
