import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Testing } from 'cdktf';
import { MANAGED_RULE_GROUPS, WebAcl, WebAclProps } from '../../modules/web-acl';

function synthAcl(props: Partial<WebAclProps> = {}, withUsEast1 = true): any {
  return JSON.parse(
    Testing.synthScope((scope) => {
      const provider = withUsEast1 ? new AwsProvider(scope, 'east', { region: 'us-east-1', alias: 'us_east_1' }) : undefined;
      new WebAcl(scope, 'waf', { name: 'tiketi-test', scope: 'CLOUDFRONT', rateLimit: 500, provider, ...props });
    }),
  );
}

const aclOf = (json: any) => Object.values<any>(json.resource.aws_wafv2_web_acl)[0];

describe('WebAcl', () => {
  test('runs the three AWS managed rule groups without overriding their actions', () => {
    const managed = aclOf(synthAcl()).rule.filter((r: any) => r.statement.managed_rule_group_statement);
    expect(managed.map((r: any) => r.statement.managed_rule_group_statement.name)).toEqual([...MANAGED_RULE_GROUPS]);
    expect(managed.every((r: any) => r.statement.managed_rule_group_statement.vendor_name === 'AWS' && r.override_action.none !== undefined)).toBe(true);
  });

  test('blocks clients above the rate limit, per IP', () => {
    const rate = aclOf(synthAcl({ rateLimit: 750 })).rule.find((r: any) => r.statement.rate_based_statement);
    expect(rate.statement.rate_based_statement).toMatchObject({ limit: 750, aggregate_key_type: 'IP' });
    expect(rate.action.block).toBeDefined();
  });

  test('allows by default, with metrics and sampling on the ACL and every rule; priorities are unique', () => {
    const acl = aclOf(synthAcl());
    expect(acl.default_action.allow).toBeDefined();
    for (const config of [acl.visibility_config, ...acl.rule.map((r: any) => r.visibility_config)]) {
      expect(config).toMatchObject({ cloudwatch_metrics_enabled: true, sampled_requests_enabled: true });
    }
    const priorities = acl.rule.map((r: any) => r.priority);
    expect(new Set(priorities).size).toBe(priorities.length);
  });

  test('a CLOUDFRONT ACL is created through the provider passed in', () => {
    const acl = aclOf(synthAcl());
    expect(acl.scope).toBe('CLOUDFRONT');
    expect(acl.provider).toBe('aws.us_east_1');
  });

  test('fails when a CLOUDFRONT ACL gets no provider (it must be created in us-east-1)', () => {
    expect(() => synthAcl({}, false)).toThrow(/scope CLOUDFRONT needs a us-east-1 provider/);
  });

  test('a REGIONAL ACL uses the default provider', () => {
    const acl = aclOf(synthAcl({ scope: 'REGIONAL' }, false));
    expect(acl.scope).toBe('REGIONAL');
    expect(acl.provider).toBeUndefined();
  });
});
