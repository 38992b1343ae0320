import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Testing } from 'cdktf';
import { WebAcl, WebAclProps } from '../../modules/web-acl';

function synthAcl(props: Partial<WebAclProps> = {}, withUsEast1 = true): any {
  return JSON.parse(
    Testing.synthScope((scope) => {
      const provider = withUsEast1 ? new AwsProvider(scope, 'east', { region: 'us-east-1', alias: 'us_east_1' }) : undefined;
      new WebAcl(scope, 'waf', { name: 'tiketi-test', scope: 'CLOUDFRONT', ipRateLimit: 500, logRetentionDays: 30, provider, ...props });
    }),
  );
}

/** The API's ACL as the edge stack builds it: login, per-client and SQLi rules on. */
const API: Partial<WebAclProps> = {
  scope: 'REGIONAL',
  ipRateLimit: 20_000,
  clientRateLimit: { limit: 1000, header: 'authorization' },
  loginRateLimit: { limit: 100, paths: ['/api/auth/login', '/auth/login'] },
};

const aclOf = (json: any) => Object.values<any>(json.resource.aws_wafv2_web_acl)[0];
const ruleOf = (json: any, name: string) => aclOf(json).rule.find((r: any) => r.name === name);

describe('WebAcl', () => {
  test('runs the three AWS managed rule groups without overriding their actions', () => {
    const managed = aclOf(synthAcl()).rule.filter((r: any) => r.statement.managed_rule_group_statement);
    // The baseline every ACL runs, stated here (not read from the module): IP reputation, the common rule set, known bad inputs.
    expect(managed.map((r: any) => r.statement.managed_rule_group_statement.name)).toEqual(['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet']);
    expect(managed.every((r: any) => r.statement.managed_rule_group_statement.vendor_name === 'AWS' && r.override_action.none !== undefined)).toBe(true);
  });

  test('blocks clients above the site-wide limit, per IP, over 5 minutes', () => {
    const rate = ruleOf(synthAcl({ ipRateLimit: 750 }), 'rate-limit-per-ip');
    expect(rate.statement.rate_based_statement).toEqual({ limit: 750, aggregate_key_type: 'IP', evaluation_window_sec: 300 });
    expect(rate.action).toEqual({ block: {} });
  });

  test('rateLimitAction count: the site-wide and per-client rules count; the login rule still blocks', () => {
    const json = synthAcl({ ...API, rateLimitAction: 'count' }, false);
    expect(ruleOf(json, 'rate-limit-per-ip').action).toEqual({ count: {} });
    expect(ruleOf(json, 'rate-limit-per-client').action).toEqual({ count: {} });
    expect(ruleOf(json, 'rate-limit-login').action).toEqual({ block: {} });
  });

  test('the SQL injection rule set only where asked', () => {
    const names = (json: any) => aclOf(json).rule.map((r: any) => r.name);
    expect(names(synthAcl())).not.toContain('AWSManagedRulesSQLiRuleSet');
    const sqli = ruleOf(synthAcl({ ...API, sqlInjectionRules: true }, false), 'AWSManagedRulesSQLiRuleSet');
    expect(sqli.statement.managed_rule_group_statement).toEqual({ name: 'AWSManagedRulesSQLiRuleSet', vendor_name: 'AWS' });
    expect(sqli.override_action).toEqual({ none: {} });
  });

  test('the login rule: stricter per-IP limit, scoped to the login paths after decoding, normalising and lower-casing', () => {
    const rate = ruleOf(synthAcl(API, false), 'rate-limit-login').statement.rate_based_statement;
    expect(rate).toMatchObject({ limit: 100, aggregate_key_type: 'IP', evaluation_window_sec: 300 });
    const matches = rate.scope_down_statement.or_statement.statement.map((s: any) => s.byte_match_statement);
    expect(matches.map((m: any) => m.search_string)).toEqual(['/api/auth/login', '/auth/login']);
    for (const match of matches) {
      expect(match).toMatchObject({ positional_constraint: 'STARTS_WITH', field_to_match: { uri_path: {} } });
      expect(match.text_transformation).toEqual([
        { priority: 0, type: 'URL_DECODE' },
        { priority: 1, type: 'NORMALIZE_PATH' },
        { priority: 2, type: 'LOWERCASE' },
      ]);
    }
  });

  test('one login path needs no or_statement (WAF requires two or more statements in one)', () => {
    const rate = ruleOf(synthAcl({ ...API, loginRateLimit: { limit: 100, paths: ['/auth/login'] } }, false), 'rate-limit-login').statement.rate_based_statement;
    expect(rate.scope_down_statement.or_statement).toBeUndefined();
    expect(rate.scope_down_statement.byte_match_statement.search_string).toBe('/auth/login');
  });

  test('fails when the login rule gets no path', () => {
    expect(() => synthAcl({ ...API, loginRateLimit: { limit: 100, paths: [] } }, false)).toThrow(/loginRateLimit\.paths is empty/);
  });

  test('the per-client rule aggregates by IP and Authorization header (one client behind a shared NAT address)', () => {
    const rate = ruleOf(synthAcl(API, false), 'rate-limit-per-client').statement.rate_based_statement;
    expect(rate).toEqual({
      limit: 1000,
      aggregate_key_type: 'CUSTOM_KEYS',
      evaluation_window_sec: 300,
      custom_key: [{ ip: {} }, { header: { name: 'authorization', text_transformation: [{ priority: 0, type: 'NONE' }] } }],
    });
  });

  test('no rule trusts a forwarded-IP header (clients reach the ALB directly; X-Forwarded-For is client-set)', () => {
    const text = JSON.stringify(aclOf(synthAcl(API, false)));
    expect(text).not.toMatch(/forwarded_ip/);
  });

  test('rule order: reputation, login, per-IP, per-client, then the managed groups; priorities unique', () => {
    const acl = aclOf(synthAcl({ ...API, sqlInjectionRules: true }, false));
    expect(acl.rule.map((r: any) => r.name)).toEqual([
      'AWSManagedRulesAmazonIpReputationList',
      'rate-limit-login',
      'rate-limit-per-ip',
      'rate-limit-per-client',
      'AWSManagedRulesCommonRuleSet',
      'AWSManagedRulesKnownBadInputsRuleSet',
      'AWSManagedRulesSQLiRuleSet',
    ]);
    expect(acl.rule.map((r: any) => r.priority)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  test('allows by default, with metrics and sampling on the ACL and every rule', () => {
    const acl = aclOf(synthAcl(API, false));
    expect(acl.default_action.allow).toBeDefined();
    for (const config of [acl.visibility_config, ...acl.rule.map((r: any) => r.visibility_config)]) {
      expect(config).toMatchObject({ cloudwatch_metrics_enabled: true, sampled_requests_enabled: true });
    }
  });

  test('logs every request to an encrypted aws-waf-logs-* group with retention, tokens and cookies redacted', () => {
    const json = synthAcl({ logRetentionDays: 90 });
    const [groupId, group] = Object.entries<any>(json.resource.aws_cloudwatch_log_group)[0];
    expect(group).toMatchObject({ name: 'aws-waf-logs-tiketi-test', retention_in_days: 90, kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\..+\.arn\}$/) });
    const logging = Object.values<any>(json.resource.aws_wafv2_web_acl_logging_configuration)[0];
    expect(logging.resource_arn).toMatch(/^\$\{aws_wafv2_web_acl\..+\.arn\}$/);
    expect(logging.log_destination_configs).toEqual([`\${aws_cloudwatch_log_group.${groupId}.arn}`]);
    expect(logging.redacted_fields).toEqual([{ single_header: { name: 'authorization' } }, { single_header: { name: 'cookie' } }]);
    // No filter: every request is kept, which the count-first window needs.
    expect(logging.logging_filter).toBeUndefined();
    const key = Object.values<any>(json.resource.aws_kms_key)[0];
    expect(key.enable_key_rotation).toBe(true);
    expect(JSON.parse(key.policy).Statement.some((s: any) => String(s.Principal.Service).startsWith('logs.'))).toBe(true);
  });

  test('a log group resource policy lets only this account\'s log delivery write to this group; logging waits for it', () => {
    const json = synthAcl();
    const [policyId, policy] = Object.entries<any>(json.resource.aws_cloudwatch_log_resource_policy)[0];
    const groupId = Object.keys(json.resource.aws_cloudwatch_log_group)[0];
    expect(policy.policy_name).toBe('tiketi-test-waf-log-delivery');
    expect(JSON.parse(policy.policy_document).Statement).toEqual([
      {
        Sid: 'AWSLogDeliveryWrite',
        Effect: 'Allow',
        Principal: { Service: 'delivery.logs.amazonaws.com' },
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `\${aws_cloudwatch_log_group.${groupId}.arn}:*`,
        Condition: {
          StringEquals: { 'aws:SourceAccount': expect.stringMatching(/data\.aws_caller_identity\..*\.account_id/) },
          ArnLike: { 'aws:SourceArn': expect.stringMatching(/^arn:aws:logs:\$\{data\.aws_region\..*\.name\}:\$\{data\.aws_caller_identity\..*\.account_id\}:\*$/) },
        },
      },
    ]);
    const logging = Object.values<any>(json.resource.aws_wafv2_web_acl_logging_configuration)[0];
    expect(logging.depends_on).toEqual([`aws_cloudwatch_log_resource_policy.${policyId}`]);
  });

  test('a CLOUDFRONT ACL, its logs, key and policy are created through the us-east-1 provider', () => {
    const json = synthAcl();
    expect(aclOf(json).scope).toBe('CLOUDFRONT');
    for (const type of ['aws_wafv2_web_acl', 'aws_wafv2_web_acl_logging_configuration', 'aws_cloudwatch_log_group', 'aws_cloudwatch_log_resource_policy', 'aws_kms_key']) {
      expect(Object.values<any>(json.resource[type])[0].provider).toBe('aws.us_east_1');
    }
  });

  test('fails when a CLOUDFRONT ACL gets no provider (it must be created in us-east-1)', () => {
    expect(() => synthAcl({}, false)).toThrow(/scope CLOUDFRONT needs a us-east-1 provider/);
  });

  test('a REGIONAL ACL uses the default provider', () => {
    const json = synthAcl({ scope: 'REGIONAL' }, false);
    expect(aclOf(json).scope).toBe('REGIONAL');
    expect(aclOf(json).provider).toBeUndefined();
    expect(Object.values<any>(json.resource.aws_cloudwatch_log_group)[0].provider).toBeUndefined();
  });
});
