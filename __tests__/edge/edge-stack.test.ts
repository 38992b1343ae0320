import { DefaultTokenResolver, StringConcat, Tokenization } from 'cdktf';
import { ENVIRONMENTS } from '../../config/environments';
import { accessLogBucketName, frontendBucketName } from '../../config/validation/edge';
import { ALL_ENVIRONMENTS, TerraformJson, onlyResource, resourcesOf, synthApp } from '../support/synth';

const US_EAST_1 = 'aws.us_east_1';

describe.each(ALL_ENVIRONMENTS)('edge stack (%s)', (envName) => {
  const edge = ENVIRONMENTS[envName].edge;
  const json = (): TerraformJson => synthApp(envName).json('edge');
  const resourceId = (type: string, predicate: (c: any) => boolean) => Object.entries(resourcesOf(json(), type)).find(([, c]) => predicate(c))![0];
  const certificate = (domain: string) => Object.values<any>(resourcesOf(json(), 'aws_acm_certificate')).find((c) => c.domain_name === domain);
  const acl = (scope: string) => Object.values<any>(resourcesOf(json(), 'aws_wafv2_web_acl')).find((a) => a.scope === scope);

  test('a second AWS provider, aliased us_east_1, in us-east-1 with the same default tags', () => {
    const providers = json().provider!.aws;
    expect(providers).toHaveLength(2);
    const [main, east] = [providers.find((p: any) => p.alias === undefined), providers.find((p: any) => p.alias === 'us_east_1')];
    expect(main.region).toBe(ENVIRONMENTS[envName].region);
    expect(east.region).toBe('us-east-1');
    expect(east.default_tags).toEqual(main.default_tags);
  });

  test('buckets carry the seed names (with the configured suffix)', () => {
    const names = Object.values<any>(resourcesOf(json(), 'aws_s3_bucket')).map((b) => b.bucket);
    expect(names.sort()).toEqual([frontendBucketName(envName, edge.bucketSuffix), accessLogBucketName(envName, edge.bucketSuffix)].sort());
  });

  test('the frontend bucket policy: TLS-only deny, and s3:GetObject only for this distribution (OAC, SourceArn)', () => {
    const bucketId = resourceId('aws_s3_bucket', (b) => b.bucket === frontendBucketName(envName, edge.bucketSuffix));
    const distributionId = Object.keys(resourcesOf(json(), 'aws_cloudfront_distribution'))[0];
    const policy = Object.values<any>(resourcesOf(json(), 'aws_s3_bucket_policy')).find((p) => p.bucket === `\${aws_s3_bucket.${bucketId}.id}`);
    const statements = JSON.parse(policy.policy).Statement;
    expect(statements).toContainEqual({
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [`\${aws_s3_bucket.${bucketId}.arn}`, `\${aws_s3_bucket.${bucketId}.arn}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    expect(statements).toContainEqual({
      Sid: 'AllowCloudFrontOacRead',
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Resource: `\${aws_s3_bucket.${bucketId}.arn}/*`,
      Condition: { StringEquals: { 'AWS:SourceArn': `\${aws_cloudfront_distribution.${distributionId}.arn}` } },
    });
    expect(statements).toContainEqual({
      Sid: 'AllowCloudFrontOacList',
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:ListBucket',
      Resource: `\${aws_s3_bucket.${bucketId}.arn}`,
      Condition: { StringEquals: { 'AWS:SourceArn': `\${aws_cloudfront_distribution.${distributionId}.arn}` } },
    });
    expect(statements.filter((s: any) => s.Effect === 'Allow')).toHaveLength(2);
  });

  test('the distribution: real error codes, SPA rewrite function, TLS 1.2+ over SNI with the us-east-1 certificate, WAF, price class, logging', () => {
    const distribution = onlyResource(json(), 'aws_cloudfront_distribution');
    // No error page may turn a WAF 403 or a missing asset's 404 into index.html with 200.
    expect(distribution.custom_error_response).toBeUndefined();
    expect(distribution.default_cache_behavior.function_association).toEqual([
      { event_type: 'viewer-request', function_arn: `\${aws_cloudfront_function.${Object.keys(resourcesOf(json(), 'aws_cloudfront_function'))[0]}.arn}` },
    ]);
    expect(distribution.viewer_certificate.minimum_protocol_version).toMatch(/^TLSv1\.[23]_20(21|25)$/);
    expect(distribution.viewer_certificate.ssl_support_method).toBe('sni-only');
    const frontendValidation = resourceId('aws_acm_certificate_validation', (v) => v.provider === US_EAST_1);
    expect(distribution.viewer_certificate.acm_certificate_arn).toBe(`\${aws_acm_certificate_validation.${frontendValidation}.certificate_arn}`);
    expect(distribution.web_acl_id).toBe(`\${aws_wafv2_web_acl.${resourceId('aws_wafv2_web_acl', (a) => a.scope === 'CLOUDFRONT')}.arn}`);
    expect(distribution.price_class).toBe(edge.priceClass);
    expect(distribution.aliases).toEqual([edge.frontendDomain]);
    // Access logs: standard logging v2 into the ACL-less log bucket, not legacy logging_config.
    expect(distribution.logging_config).toBeUndefined();
    const destination = onlyResource(json(), 'aws_cloudwatch_log_delivery_destination');
    expect(destination.delivery_destination_configuration[0].destination_resource_arn).toContain(resourceId('aws_s3_bucket', (b) => b.bucket === accessLogBucketName(envName, edge.bucketSuffix)));
    for (const type of ['aws_cloudwatch_log_delivery_source', 'aws_cloudwatch_log_delivery_destination', 'aws_cloudwatch_log_delivery']) {
      expect(onlyResource(json(), type).provider).toBe(US_EAST_1);
    }
  });

  test('the CSP lets the app call its own environment API only; Permissions-Policy is sent', () => {
    const policy = onlyResource(json(), 'aws_cloudfront_response_headers_policy');
    const csp: string = policy.security_headers_config.content_security_policy.content_security_policy;
    const connect = csp.split('; ').find((d) => d.startsWith('connect-src '));
    expect(connect).toBe(`connect-src 'self' https://${edge.apiDomain}`);
    expect(policy.custom_headers_config.items.map((i: any) => i.header)).toEqual(['Permissions-Policy']);
  });

  test('the CloudFront certificate, its validation and the CLOUDFRONT ACL use us-east-1; the API ones the region', () => {
    expect(certificate(edge.frontendDomain).provider).toBe(US_EAST_1);
    expect(acl('CLOUDFRONT').provider).toBe(US_EAST_1);
    const frontendCertId = resourceId('aws_acm_certificate', (c) => c.domain_name === edge.frontendDomain);
    const validation = Object.values<any>(resourcesOf(json(), 'aws_acm_certificate_validation')).find((v) => v.certificate_arn.includes(frontendCertId));
    expect(validation.provider).toBe(US_EAST_1);
    expect(certificate(edge.apiDomain).provider).toBeUndefined();
    expect(acl('REGIONAL').provider).toBeUndefined();
  });

  test('the CloudFront ACL: reputation, per-IP backstop, common rules, bad inputs; no SQLi (no database behind S3)', () => {
    const rules = acl('CLOUDFRONT').rule;
    expect(rules.map((r: any) => r.name)).toEqual(['AWSManagedRulesAmazonIpReputationList', 'rate-limit-per-ip', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet']);
    const perIp = rules.find((r: any) => r.name === 'rate-limit-per-ip');
    expect(perIp.statement.rate_based_statement).toMatchObject({ limit: edge.waf.frontendIpRateLimit, aggregate_key_type: 'IP' });
    expect(perIp.action).toEqual({ [edge.waf.rateLimitAction]: {} });
    expect(rules.every((r: any) => r.visibility_config.cloudwatch_metrics_enabled)).toBe(true);
  });

  test('the API ACL adds the SQL injection set, a stricter login rule and a per-client rule, from the settings', () => {
    const rules = acl('REGIONAL').rule;
    expect(rules.map((r: any) => r.name)).toEqual([
      'AWSManagedRulesAmazonIpReputationList',
      'rate-limit-login',
      'rate-limit-per-ip',
      'rate-limit-per-client',
      'AWSManagedRulesCommonRuleSet',
      'AWSManagedRulesKnownBadInputsRuleSet',
      'AWSManagedRulesSQLiRuleSet',
    ]);
    const rate = (name: string) => rules.find((r: any) => r.name === name);
    expect(rate('rate-limit-per-ip').statement.rate_based_statement.limit).toBe(edge.waf.apiIpRateLimit);
    expect(rate('rate-limit-per-client').statement.rate_based_statement.limit).toBe(edge.waf.apiClientRateLimit);
    const login = rate('rate-limit-login');
    expect(login.statement.rate_based_statement.limit).toBe(edge.waf.loginRateLimit);
    expect(login.statement.rate_based_statement.limit).toBeLessThan(edge.waf.apiIpRateLimit);
    expect(login.action).toEqual({ block: {} });
    const searched = JSON.stringify(login.statement.rate_based_statement.scope_down_statement);
    for (const path of edge.waf.loginPaths) expect(searched).toContain(JSON.stringify(path));
    expect(rules.every((r: any) => r.visibility_config.cloudwatch_metrics_enabled)).toBe(true);
  });

  test(`rate rules ${envName === 'prod' ? 'count (first window)' : 'block'}`, () => {
    const expected = envName === 'prod' ? 'count' : 'block';
    expect(edge.waf.rateLimitAction).toBe(expected);
    for (const scope of ['CLOUDFRONT', 'REGIONAL']) {
      expect(acl(scope).rule.find((r: any) => r.name === 'rate-limit-per-ip').action).toEqual({ [expected]: {} });
    }
  });

  test('both ACLs log to aws-waf-logs-* groups in their own region, with the settings\' retention', () => {
    const groups = Object.values<any>(resourcesOf(json(), 'aws_cloudwatch_log_group')).filter((g) => g.name.startsWith('aws-waf-logs-'));
    expect(groups.map((g) => [g.name, g.provider ?? 'default', g.retention_in_days]).sort()).toEqual([
      [`aws-waf-logs-tiketi-${envName}-alb`, 'default', edge.waf.logRetentionDays],
      [`aws-waf-logs-tiketi-${envName}-cloudfront`, US_EAST_1, edge.waf.logRetentionDays],
    ]);
    expect(Object.keys(resourcesOf(json(), 'aws_wafv2_web_acl_logging_configuration'))).toHaveLength(2);
    expect(Object.keys(resourcesOf(json(), 'aws_cloudwatch_log_resource_policy'))).toHaveLength(2);
  });

  test('the hosted zone is looked up (the dns stack owns it), never created, and holds the frontend alias records', () => {
    const stack = json();
    expect(resourcesOf(stack, 'aws_route53_zone')).toEqual({});
    expect(resourcesOf(stack, 'aws_route53_delegation_set')).toEqual({});
    const lookups = Object.entries<any>(stack.data!.aws_route53_zone);
    expect(lookups).toHaveLength(1);
    expect(lookups[0][1]).toMatchObject({ name: 'tiketi.com', private_zone: false });
    const zoneRef = `\${data.aws_route53_zone.${lookups[0][0]}.zone_id}`;
    const aliases = Object.values<any>(resourcesOf(stack, 'aws_route53_record')).filter((r) => r.alias);
    expect(aliases.map((r) => `${r.type} ${r.name}`).sort()).toEqual([`A ${edge.frontendDomain}`, `AAAA ${edge.frontendDomain}`]);
    expect(aliases.every((r) => r.zone_id === zoneRef && r.alias.name.includes('aws_cloudfront_distribution'))).toBe(true);
    // Certificate validation records go into the same zone.
    const validations = Object.values<any>(resourcesOf(stack, 'aws_route53_record')).filter((r) => !r.alias);
    expect(validations.length).toBeGreaterThan(0);
    expect(validations.every((r) => r.zone_id === zoneRef)).toBe(true);
    // The API record belongs to external-dns (it follows the Ingress), so the stack writes none.
    expect(Object.values<any>(resourcesOf(stack, 'aws_route53_record')).some((r) => r.name === edge.apiDomain)).toBe(false);
    expect(Object.keys(stack.output ?? {})).not.toContain('zone_name_servers');
  });

  test('no bucket uses ACLs (FSBP S3.12)', () => {
    expect(Object.values<any>(resourcesOf(json(), 'aws_s3_bucket_ownership_controls')).map((o) => o.rule.object_ownership)).toEqual(['BucketOwnerEnforced', 'BucketOwnerEnforced']);
    expect(resourcesOf(json(), 'aws_s3_bucket_acl')).toEqual({});
  });

  test('stateful resources refuse destroy outside dev', () => {
    const expected = envName !== 'dev';
    expect(Object.values<any>(resourcesOf(json(), 'aws_s3_bucket')).every((b) => b.lifecycle.prevent_destroy === expected)).toBe(true);
  });

  test('publishes what the frontend pipeline needs as SSM String parameters, named as in platform-contracts.md', () => {
    const parameters = Object.values<any>(resourcesOf(json(), 'aws_ssm_parameter'));
    const bucketId = resourceId('aws_s3_bucket', (b) => b.bucket === frontendBucketName(envName, edge.bucketSuffix));
    const distributionId = Object.keys(resourcesOf(json(), 'aws_cloudfront_distribution'))[0];
    expect(Object.fromEntries(parameters.map((p) => [p.name, p.value]))).toEqual({
      [`/tiketi/${envName}/frontend/bucket`]: `\${aws_s3_bucket.${bucketId}.bucket}`,
      [`/tiketi/${envName}/frontend/distribution-id`]: `\${aws_cloudfront_distribution.${distributionId}.id}`,
      [`/tiketi/${envName}/frontend/api-url`]: `https://${edge.apiDomain}`,
    });
    expect(parameters.every((p) => p.type === 'String' && p.tier === 'Standard' && p.provider === undefined)).toBe(true);
  });

  test('outputs give the deploy workflow and the argocd stack what they need', () => {
    expect(Object.keys(json().output ?? {})).toEqual(
      expect.arrayContaining([
        'frontend_bucket_name',
        'frontend_bucket_arn',
        'frontend_distribution_id',
        'frontend_distribution_domain_name',
        'frontend_certificate_arn',
        'api_certificate_arn',
        'cloudfront_web_acl_arn',
        'regional_web_acl_arn',
        'zone_id',
        'zone_name',
      ]),
    );
    const stack = synthApp(envName).stacks.edge;
    // Each attribute is a token: resolved in the stack, it must be the reference to the right resource's attribute.
    const resolved = (value: string) => Tokenization.resolve(value, { scope: stack, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) });
    expect([stack.site.bucketName, stack.site.distributionId, stack.apiCertificateArn, stack.regionalWebAclArn, stack.zoneId].map(resolved)).toEqual([
      expect.stringMatching(/^\$\{aws_s3_bucket\.frontend_content_bucket_[0-9A-F]+\.bucket\}$/),
      expect.stringMatching(/^\$\{aws_cloudfront_distribution\.frontend_distribution_[0-9A-F]+\.id\}$/),
      expect.stringMatching(/^\$\{aws_acm_certificate_validation\.api-certificate_validation_[0-9A-F]+\.certificate_arn\}$/),
      expect.stringMatching(/^\$\{aws_wafv2_web_acl\.regional-waf_acl_[0-9A-F]+\.arn\}$/),
      expect.stringMatching(/^\$\{data\.aws_route53_zone\.zone_lookup_[0-9A-F]+\.zone_id\}$/),
    ]);
  });
});
