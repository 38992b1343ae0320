import { ALL_ENVIRONMENTS, addressOf, addressesOf, hclList } from '../support/synth';
import { describeStackWithTerraform, hcl, mockAwsProvider, preventedDestroys } from '../support/terraform';
import { ENVIRONMENTS } from '../../config/environments';
import { accessLogBucketName, frontendBucketName } from '../../config/validation/edge';
import { DEFAULT_MINIMUM_VIEWER_TLS } from '../../modules/static-site';
import { MANAGED_RULE_GROUPS } from '../../modules/web-acl';

const ACCOUNT = '123456789012';

/** Mocked data and resources the AWS provider validates or the stack indexes into. */
function mocks(zoneName: string): string {
  return mockAwsProvider({
    aliases: ['us_east_1'],
    extra: `  mock_data "aws_route53_zone" {
    defaults = { zone_id = "ZMOCKZONE", name = ${hcl(zoneName)} }
  }
  mock_resource "aws_cloudfront_function" {
    defaults = { arn = "arn:aws:cloudfront::${ACCOUNT}:function/mock-spa-rewrite" }
  }
  mock_resource "aws_cloudwatch_log_delivery_destination" {
    defaults = { arn = "arn:aws:logs:us-east-1:${ACCOUNT}:delivery-destination:mock" }
  }`,
  });
}

/** The mocked provider cannot compute ACM's validation CNAMEs; give each certificate one. */
function certificateOverride(address: string, domain: string, region: string): string {
  return `override_resource {
  target = ${address}
  values = {
    arn = "arn:aws:acm:${region}:${ACCOUNT}:certificate/00000000-0000-0000-0000-000000000000"
    domain_validation_options = [{
      domain_name           = ${hcl(domain)}
      resource_record_name  = "_mock.${domain}."
      resource_record_type  = "CNAME"
      resource_record_value = "_mock.acm-validations.aws."
    }]
  }
}`;
}

describeStackWithTerraform('edge', ALL_ENVIRONMENTS, ({ envName, json, terraformTest }) => {
  const env = ENVIRONMENTS[envName];
  const edge = env.edge;

  const run = terraformTest('edge', () => {
    const stack = json();
    const distribution = addressOf(stack, 'aws_cloudfront_distribution', () => true);
    const frontendCert = addressOf(stack, 'aws_acm_certificate', (c) => c.domain_name === edge.frontendDomain);
    const apiCert = addressOf(stack, 'aws_acm_certificate', (c) => c.domain_name === edge.apiDomain);
    const cloudFrontAcl = addressOf(stack, 'aws_wafv2_web_acl', (c) => c.scope === 'CLOUDFRONT');
    const regionalAcl = addressOf(stack, 'aws_wafv2_web_acl', (c) => c.scope === 'REGIONAL');
    const contentBucket = addressOf(stack, 'aws_s3_bucket', (c) => c.bucket === frontendBucketName(envName, edge.bucketSuffix));
    const logBucket = addressOf(stack, 'aws_s3_bucket', (c) => c.bucket === accessLogBucketName(envName, edge.bucketSuffix));
    const contentPolicy = addressOf(stack, 'aws_s3_bucket_policy', (c) => c.bucket.includes(contentBucket.split('.')[1]));
    const logSource = addressOf(stack, 'aws_cloudwatch_log_delivery_source', () => true);
    const logDestination = addressOf(stack, 'aws_cloudwatch_log_delivery_destination', () => true);
    const logDelivery = addressOf(stack, 'aws_cloudwatch_log_delivery', () => true);
    const aliasRecords = hclList(stack, 'aws_route53_record', (_id, c) => c.alias !== undefined);
    const validationRecords = hclList(stack, 'aws_route53_record', (id) => id.includes('validation-record'));
    const expectedRules = (acl: string) =>
      acl === cloudFrontAcl ? [...MANAGED_RULE_GROUPS, 'rate-limit-per-ip'] : [...MANAGED_RULE_GROUPS, 'AWSManagedRulesSQLiRuleSet', 'rate-limit-login', 'rate-limit-per-ip', 'rate-limit-per-client'];
    const wafLogging = hclList(stack, 'aws_wafv2_web_acl_logging_configuration');
    const pipelineParameters = hclList(stack, 'aws_ssm_parameter');
    const wafAsserts = [cloudFrontAcl, regionalAcl]
      .map(
        (acl) => `  assert {
  condition     = toset([for r in ${acl}.rule : r.name]) == toset(${hcl(expectedRules(acl).sort())})
  error_message = "${acl} lacks a managed rule group or a rate rule"
  }
  assert {
  condition     = one([for r in ${acl}.rule : r.statement[0].rate_based_statement[0].limit if r.name == "rate-limit-per-ip"]) == ${acl === cloudFrontAcl ? edge.waf.frontendIpRateLimit : edge.waf.apiIpRateLimit}
  error_message = "${acl} rate limit differs from the settings"
  }
  assert {
  condition     = ${acl}.visibility_config[0].cloudwatch_metrics_enabled && alltrue([for r in ${acl}.rule : r.visibility_config[0].cloudwatch_metrics_enabled])
  error_message = "${acl} has a rule without metrics"
  }`,
      )
      .join('\n');
    return (
      `${mocks(edge.zoneName)}

${certificateOverride(frontendCert, edge.frontendDomain, 'us-east-1')}

${certificateOverride(apiCert, edge.apiDomain, env.region)}

run "plan" {
  command = plan

  assert {
  condition     = ${distribution}.aliases == toset([${hcl(edge.frontendDomain)}]) && ${distribution}.price_class == ${hcl(edge.priceClass)}
  error_message = "distribution alias or price class differs from the settings"
  }
  assert {
  condition     = ${distribution}.default_root_object == "index.html" && ${distribution}.http_version == "http2and3" && ${distribution}.is_ipv6_enabled
  error_message = "distribution root object, HTTP/3 or IPv6 is off"
  }
  assert {
  condition     = length(${distribution}.custom_error_response) == 0
  error_message = "an error response turns real error codes (WAF 403, missing file 404) into another response"
  }
  assert {
  condition     = one([for f in ${distribution}.default_cache_behavior[0].function_association : f.event_type]) == "viewer-request"
  error_message = "the SPA rewrite function does not run on viewer requests of the default behaviour"
  }
  assert {
  condition     = ${distribution}.viewer_certificate[0].minimum_protocol_version == "${DEFAULT_MINIMUM_VIEWER_TLS}" && ${distribution}.viewer_certificate[0].ssl_support_method == "sni-only"
  error_message = "viewer TLS is not ${DEFAULT_MINIMUM_VIEWER_TLS} with SNI"
  }
  assert {
  condition     = alltrue([for b in concat([${distribution}.default_cache_behavior[0]], ${distribution}.ordered_cache_behavior) : b.viewer_protocol_policy == "redirect-to-https" && b.compress])
  error_message = "a cache behaviour allows plain HTTP or does not compress"
  }
  assert {
  condition     = ${contentBucket}.bucket == ${hcl(frontendBucketName(envName, edge.bucketSuffix))}
  error_message = "frontend bucket name differs from the seed's"
  }
  assert {
  condition     = toset([for r in ${aliasRecords} : "\${r.type} \${r.name}"]) == toset(["A ${edge.frontendDomain}", "AAAA ${edge.frontendDomain}"])
  error_message = "the frontend domain lacks its A/AAAA alias records"
  }
  assert {
  condition     = ${frontendCert}.validation_method == "DNS" && ${apiCert}.validation_method == "DNS"
  error_message = "certificates are not DNS-validated"
  }
${wafAsserts}
}

run "apply" {
  command = apply

  assert {
  condition     = contains(jsondecode(${contentPolicy}.policy).Statement, {Sid = "DenyInsecureTransport", Effect = "Deny", Principal = "*", Action = "s3:*", Resource = [${contentBucket}.arn, "\${${contentBucket}.arn}/*"], Condition = {Bool = {"aws:SecureTransport" = "false"}}})
  error_message = "the frontend bucket policy does not deny plain HTTP"
  }
  assert {
  condition     = one([for s in jsondecode(${contentPolicy}.policy).Statement : s.Condition.StringEquals["AWS:SourceArn"] if s.Sid == "AllowCloudFrontOacRead"]) == ${distribution}.arn
  error_message = "the OAC read grant is not bound to this distribution"
  }
  assert {
  condition     = length(${distribution}.logging_config) == 0 && ${logSource}.resource_arn == ${distribution}.arn && ${logSource}.log_type == "ACCESS_LOGS"
  error_message = "access logs are not delivered from the distribution by standard logging v2"
  }
  assert {
  condition     = ${logDestination}.delivery_destination_configuration[0].destination_resource_arn == ${logBucket}.arn && ${logDelivery}.delivery_destination_arn == ${logDestination}.arn
  error_message = "access logs are not delivered to the log bucket"
  }
  assert {
  condition     = !contains(${logDelivery}.record_fields, "cs(Cookie)")
  error_message = "access logs record cookies"
  }
  assert {
  condition     = toset([for r in ${validationRecords} : r.name]) == toset(["_mock.${edge.frontendDomain}.", "_mock.${edge.apiDomain}."])
  error_message = "a certificate lacks its DNS validation record"
  }
  assert {
  condition     = { for p in ${pipelineParameters} : p.name => p.value } == { "/tiketi/${envName}/frontend/bucket" = ${contentBucket}.bucket, "/tiketi/${envName}/frontend/distribution-id" = ${distribution}.id, "/tiketi/${envName}/frontend/api-url" = "https://${edge.apiDomain}" }
  error_message = "the pipeline parameters are not the bucket, distribution ID and API URL under /tiketi/${envName}/frontend/"
  }
  assert {
  condition     = alltrue([for p in ${pipelineParameters} : p.type == "String"])
  error_message = "a pipeline parameter is not a String"
  }
  assert {
  condition     = toset([for l in ${wafLogging} : l.resource_arn]) == toset([${cloudFrontAcl}.arn, ${regionalAcl}.arn])
  error_message = "an ACL is not logged"
  }
  assert {
  condition     = alltrue([for l in ${wafLogging} : length(l.log_destination_configs) == 1 && startswith(one(l.log_destination_configs), "arn:aws:logs:")])
  error_message = "WAF logs do not go to a log group"
  }
  assert {
  condition     = output.zone_name == ${hcl(edge.zoneName)} && output.frontend_distribution_arn == ${distribution}.arn
  error_message = "outputs do not point at the zone and distribution"
  }
}
`
    );
  });

  test('terraform test (mocked AWS): plan and apply give the planned edge', () => {
    const stack = json();
    const output = run.output();
    expect(output).toMatch(/2 passed, 0 failed/);
    // Outside dev, the buckets and the keys of the retained WAF logs refuse the test's teardown.
    const protectedAddresses = envName === 'dev' ? [] : [...addressesOf(stack, 'aws_s3_bucket'), ...addressesOf(stack, 'aws_kms_key')].sort();
    expect(preventedDestroys(output)).toEqual(protectedAddresses);
  });
});
