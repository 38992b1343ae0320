import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Testing } from 'cdktf';
import { SecureBucket } from '../../modules/private/secure-bucket';
import { StaticSite, StaticSiteProps } from '../../modules/static-site';

const BASE: Omit<StaticSiteProps, 'usEast1'> = {
  namePrefix: 'tiketi-test',
  bucketName: 'tiketi-frontend-test',
  logBucketName: 'tiketi-frontend-test-logs',
  logRetentionDays: 30,
  domainName: 'test.tiketi.com',
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
  webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/test/abc',
  priceClass: 'PriceClass_100',
  apiOrigin: 'https://api-test.tiketi.com',
};

function synthSite(props: Partial<Omit<StaticSiteProps, 'usEast1'>> = {}): any {
  return JSON.parse(
    Testing.synthScope((scope) => {
      const usEast1 = new AwsProvider(scope, 'east', { region: 'us-east-1', alias: 'us_east_1' });
      new StaticSite(scope, 'site', { ...BASE, usEast1, ...props });
    }),
  );
}

const values = (json: any, type: string): any[] => Object.values(json.resource[type] ?? {});
const byBucketName = (json: any, type: string, name: string) => {
  const bucketId = Object.entries<any>(json.resource.aws_s3_bucket).find(([, b]) => b.bucket === name)![0];
  return values(json, type).find((r) => r.bucket === `\${aws_s3_bucket.${bucketId}.id}`);
};
const policyOf = (json: any, name: string) => JSON.parse(byBucketName(json, 'aws_s3_bucket_policy', name).policy);
const distributionOf = (json: any) => values(json, 'aws_cloudfront_distribution')[0];

describe('StaticSite', () => {
  test('the frontend bucket policy denies plain HTTP and lets only this distribution read, through OAC', () => {
    const json = synthSite();
    const distributionId = Object.keys(json.resource.aws_cloudfront_distribution)[0];
    const statements = policyOf(json, BASE.bucketName).Statement;
    expect(statements).toHaveLength(3);
    const deny = statements.find((s: any) => s.Sid === 'DenyInsecureTransport');
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    expect(deny.Resource).toHaveLength(2);
    const read = statements.find((s: any) => s.Sid === 'AllowCloudFrontOacRead');
    expect(read).toMatchObject({ Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject' });
    expect(read.Resource).toMatch(/\.arn\}\/\*$/);
    expect(read.Condition).toEqual({ StringEquals: { 'AWS:SourceArn': `\${aws_cloudfront_distribution.${distributionId}.arn}` } });
    // ListBucket (so a missing key is a 404, not a 403), on the bucket only, for this distribution only.
    const list = statements.find((s: any) => s.Sid === 'AllowCloudFrontOacList');
    expect(list).toMatchObject({ Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:ListBucket' });
    expect(list.Resource).toMatch(/^\$\{aws_s3_bucket\..*\.arn\}$/);
    expect(list.Condition).toEqual(read.Condition);
    expect(statements.filter((s: any) => s.Effect === 'Allow').flatMap((s: any) => [s.Action].flat()).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
  });

  test('both buckets block all public access, are encrypted, versioned and expire old versions', () => {
    const json = synthSite();
    for (const name of [BASE.bucketName, BASE.logBucketName]) {
      expect(byBucketName(json, 'aws_s3_bucket_public_access_block', name)).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(byBucketName(json, 'aws_s3_bucket_server_side_encryption_configuration', name).rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe('AES256');
      expect(byBucketName(json, 'aws_s3_bucket_versioning', name).versioning_configuration.status).toBe('Enabled');
      const rules = byBucketName(json, 'aws_s3_bucket_lifecycle_configuration', name).rule;
      expect(rules.some((r: any) => r.noncurrent_version_expiration?.[0]?.noncurrent_days > 0)).toBe(true);
      expect(policyOf(json, name).Statement.find((s: any) => s.Sid === 'DenyInsecureTransport')).toBeDefined();
    }
  });

  test('both buckets enforce bucket-owner ownership: ACLs disabled everywhere (S3.12), no ACL resource', () => {
    const json = synthSite();
    for (const name of [BASE.bucketName, BASE.logBucketName]) {
      expect(byBucketName(json, 'aws_s3_bucket_ownership_controls', name).rule.object_ownership).toBe('BucketOwnerEnforced');
    }
    expect(json.resource.aws_s3_bucket_acl).toBeUndefined();
    expect(distributionOf(json).logging_config).toBeUndefined();
  });

  test('access logs: standard logging v2 from the distribution, created in us-east-1, into the log bucket, cookies left out', () => {
    const json = synthSite({ logRetentionDays: 90 });
    const distributionId = Object.keys(json.resource.aws_cloudfront_distribution)[0];
    const logBucketId = Object.entries<any>(json.resource.aws_s3_bucket).find(([, b]) => b.bucket === BASE.logBucketName)![0];
    const [sourceId, source] = Object.entries<any>(json.resource.aws_cloudwatch_log_delivery_source)[0];
    const [destinationId, destination] = Object.entries<any>(json.resource.aws_cloudwatch_log_delivery_destination)[0];
    const delivery = Object.values<any>(json.resource.aws_cloudwatch_log_delivery)[0];
    expect(source).toMatchObject({ provider: 'aws.us_east_1', log_type: 'ACCESS_LOGS', resource_arn: `\${aws_cloudfront_distribution.${distributionId}.arn}` });
    expect(destination).toMatchObject({ provider: 'aws.us_east_1', output_format: 'w3c' });
    expect(destination.delivery_destination_configuration).toEqual([{ destination_resource_arn: `\${aws_s3_bucket.${logBucketId}.arn}` }]);
    expect(delivery).toMatchObject({
      provider: 'aws.us_east_1',
      delivery_source_name: `\${aws_cloudwatch_log_delivery_source.${sourceId}.name}`,
      delivery_destination_arn: `\${aws_cloudwatch_log_delivery_destination.${destinationId}.arn}`,
    });
    expect(delivery.record_fields).not.toContain('cs(Cookie)');
    expect(delivery.record_fields).toEqual(expect.arrayContaining(['date', 'time', 'c-ip', 'cs-uri-stem', 'sc-status', 'x-edge-request-id']));
    // Every standard-log field but the cookie, stated here: a dropped field (or an added cookie) fails.
    expect(delivery.record_fields).toEqual([
      'date', 'time', 'x-edge-location', 'sc-bytes', 'c-ip', 'cs-method', 'cs(Host)', 'cs-uri-stem', 'sc-status',
      'cs(Referer)', 'cs(User-Agent)', 'cs-uri-query', 'x-edge-result-type', 'x-edge-request-id', 'x-host-header',
      'cs-protocol', 'cs-bytes', 'time-taken', 'x-forwarded-for', 'ssl-protocol', 'ssl-cipher', 'x-edge-response-result-type',
      'cs-protocol-version', 'fle-status', 'fle-encrypted-fields', 'c-port', 'time-to-first-byte', 'x-edge-detailed-result-type',
      'sc-content-type', 'sc-content-len', 'sc-range-start', 'sc-range-end',
    ]);
    expect(delivery.s3_delivery_configuration[0].suffix_path).toMatch(/^cloudfront\/\{DistributionId\}\//);
    expect(delivery.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_s3_bucket_policy\./)]));
    const expiry = byBucketName(json, 'aws_s3_bucket_lifecycle_configuration', BASE.logBucketName).rule.find((r: any) => r.id === 'expire-access-logs');
    expect(expiry.expiration[0].days).toBe(90);
  });

  test('the log bucket policy lets only this account\'s us-east-1 log deliveries write, with bucket-owner-full-control', () => {
    const json = synthSite();
    const statements = policyOf(json, BASE.logBucketName).Statement;
    const write = statements.find((s: any) => s.Sid === 'AWSLogDeliveryWrite');
    expect(write).toMatchObject({ Effect: 'Allow', Principal: { Service: 'delivery.logs.amazonaws.com' }, Action: 's3:PutObject' });
    expect(write.Resource).toMatch(/\.arn\}\/\*$/);
    expect(write.Condition.StringEquals['s3:x-amz-acl']).toBe('bucket-owner-full-control');
    expect(write.Condition.StringEquals['aws:SourceAccount']).toMatch(/data\.aws_caller_identity\..*\.account_id/);
    expect(write.Condition.ArnLike['aws:SourceArn']).toMatch(/^arn:aws:logs:us-east-1:\$\{data\.aws_caller_identity\..*\.account_id\}:\*$/);
    const check = statements.find((s: any) => s.Sid === 'AWSLogDeliveryAclCheck');
    expect(check).toMatchObject({ Effect: 'Allow', Principal: { Service: 'delivery.logs.amazonaws.com' }, Action: ['s3:GetBucketAcl', 's3:ListBucket'] });
    expect(check.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': write.Condition.StringEquals['aws:SourceAccount'] }, ArnLike: write.Condition.ArnLike });
    // Nobody else is allowed anything on the log bucket.
    expect(statements.filter((s: any) => s.Effect === 'Allow').map((s: any) => s.Principal.Service)).toEqual(['delivery.logs.amazonaws.com', 'delivery.logs.amazonaws.com']);
  });

  test('SPA routing by a viewer-request CloudFront Function on the default behaviour; no error page turns 403/404 into 200', () => {
    const json = synthSite();
    const distribution = distributionOf(json);
    expect(distribution.default_root_object).toBe('index.html');
    expect(distribution.custom_error_response).toBeUndefined();
    const [fnId, fn] = Object.entries<any>(json.resource.aws_cloudfront_function)[0];
    expect(fn).toMatchObject({ runtime: 'cloudfront-js-2.0', publish: true, name: 'tiketi-test-frontend-spa-rewrite' });
    expect(fn.code).toContain('function handler(event)');
    expect(distribution.default_cache_behavior.function_association).toEqual([{ event_type: 'viewer-request', function_arn: `\${aws_cloudfront_function.${fnId}.arn}` }]);
    // /index.html and the hashed assets are files: no rewrite there.
    expect(distribution.ordered_cache_behavior.every((b: any) => b.function_association === undefined)).toBe(true);
  });

  test('hashed assets use the one-year cache policy; index.html and routes revalidate', () => {
    const json = synthSite({ hashedAssetsPath: '/static/*' });
    const policies = json.resource.aws_cloudfront_cache_policy;
    const idOf = (ref: string) => ref.match(/aws_cloudfront_cache_policy\.([^.]+)\.id/)![1];
    const distribution = distributionOf(json);
    const byPath = Object.fromEntries(distribution.ordered_cache_behavior.map((b: any) => [b.path_pattern, policies[idOf(b.cache_policy_id)]]));
    expect(byPath['/static/*']).toMatchObject({ min_ttl: 31_536_000, default_ttl: 31_536_000 });
    expect(byPath['/index.html']).toMatchObject({ min_ttl: 0, default_ttl: 0 });
    expect(policies[idOf(distribution.default_cache_behavior.cache_policy_id)]).toMatchObject({ min_ttl: 0, default_ttl: 0 });
  });

  test('every behaviour redirects to HTTPS, compresses, is read-only and sends the security headers', () => {
    const json = synthSite();
    const distribution = distributionOf(json);
    const headersPolicyId = Object.keys(json.resource.aws_cloudfront_response_headers_policy)[0];
    for (const behaviour of [distribution.default_cache_behavior, ...distribution.ordered_cache_behavior]) {
      expect(behaviour).toMatchObject({ viewer_protocol_policy: 'redirect-to-https', compress: true, allowed_methods: ['GET', 'HEAD'] });
      expect(behaviour.response_headers_policy_id).toBe(`\${aws_cloudfront_response_headers_policy.${headersPolicyId}.id}`);
    }
    const security = json.resource.aws_cloudfront_response_headers_policy[headersPolicyId].security_headers_config;
    expect(security.strict_transport_security.access_control_max_age_sec).toBeGreaterThanOrEqual(31_536_000);
    expect(security.content_type_options.override).toBe(true);
    expect(security.frame_options.frame_option).toBe('DENY');
    expect(security.referrer_policy.referrer_policy).toBe('strict-origin-when-cross-origin');
  });

  test('the baseline CSP allows the API origin in connect-src; Permissions-Policy is a custom header', () => {
    const policy = values(synthSite(), 'aws_cloudfront_response_headers_policy')[0];
    const csp = policy.security_headers_config.content_security_policy;
    expect(csp.override).toBe(true);
    expect(csp.content_security_policy).toContain("connect-src 'self' https://api-test.tiketi.com;");
    expect(csp.content_security_policy).toContain("script-src 'self';");
    expect(policy.custom_headers_config.items).toEqual([
      {
        header: 'Permissions-Policy',
        value: 'accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), usb=(), payment=(self)',
        override: true,
      },
    ]);
  });

  test('payment origins join script-src, frame-src, connect-src and the payment permission', () => {
    const policy = values(synthSite({ paymentOrigins: ['https://js.pg.example'] }), 'aws_cloudfront_response_headers_policy')[0];
    const csp = policy.security_headers_config.content_security_policy.content_security_policy;
    expect(csp).toContain("script-src 'self' https://js.pg.example;");
    expect(csp).toContain('frame-src https://js.pg.example;');
    expect(csp).toContain("connect-src 'self' https://api-test.tiketi.com https://js.pg.example;");
    expect(policy.custom_headers_config.items[0].value).toMatch(/payment=\(self "https:\/\/js\.pg\.example"\)$/);
  });

  test('contentSecurityPolicy replaces the baseline', () => {
    const json = synthSite({ contentSecurityPolicy: "default-src 'self'" });
    const security = values(json, 'aws_cloudfront_response_headers_policy')[0].security_headers_config;
    expect(security.content_security_policy).toEqual({ content_security_policy: "default-src 'self'", override: true });
  });

  test('fails when the CSP is longer than CloudFront accepts (1783 characters)', () => {
    expect(() => synthSite({ contentSecurityPolicy: `default-src 'self' ${'https://a.example '.repeat(100)}` })).toThrow(/Content-Security-Policy has \d+ characters; CloudFront accepts at most 1783/);
  });

  test('viewer TLS: ACM certificate over SNI, TLS 1.2 (2021 ciphers) or newer', () => {
    expect(distributionOf(synthSite()).viewer_certificate).toEqual({
      acm_certificate_arn: BASE.certificateArn,
      ssl_support_method: 'sni-only',
      minimum_protocol_version: 'TLSv1.2_2021',
    });
  });

  test('HTTP/2 and 3, IPv6, the WAF ACL, the alias and the price class are set', () => {
    expect(distributionOf(synthSite())).toMatchObject({
      http_version: 'http2and3',
      is_ipv6_enabled: true,
      web_acl_id: BASE.webAclArn,
      aliases: [BASE.domainName],
      price_class: 'PriceClass_100',
    });
  });

  test('the origin is the bucket behind an always-signing OAC (no OAI, no website endpoint)', () => {
    const json = synthSite();
    const oac = values(json, 'aws_cloudfront_origin_access_control')[0];
    expect(oac).toMatchObject({ origin_access_control_origin_type: 's3', signing_behavior: 'always', signing_protocol: 'sigv4' });
    const origin = distributionOf(json).origin[0];
    expect(origin.domain_name).toMatch(/bucket_regional_domain_name/);
    expect(origin.origin_access_control_id).toMatch(/aws_cloudfront_origin_access_control/);
    expect(origin.s3_origin_config).toBeUndefined();
    expect(json.resource.aws_s3_bucket_website_configuration).toBeUndefined();
  });

  test('buckets refuse terraform destroy unless preventDestroy is false', () => {
    expect(values(synthSite(), 'aws_s3_bucket').every((b) => b.lifecycle.prevent_destroy === true)).toBe(true);
    expect(values(synthSite({ preventDestroy: false }), 'aws_s3_bucket').every((b) => b.lifecycle.prevent_destroy === false)).toBe(true);
  });
});

describe('SecureBucket', () => {
  test('refuses two policy statements with one Sid', () => {
    expect(() =>
      Testing.synthScope((scope) => {
        const bucket = new SecureBucket(scope, 'b', { bucketName: 'tiketi-test', lifecycleRules: [] });
        bucket.addToPolicy({ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' });
      }),
    ).toThrow(/Sid "DenyInsecureTransport" exists already/);
  });
});
