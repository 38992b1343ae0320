import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogResourcePolicy } from '@cdktf/provider-aws/lib/cloudwatch-log-resource-policy';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { Wafv2WebAcl, Wafv2WebAclRule } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration';
import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { KmsKey } from './kms-key';

/** AWS managed rule groups every Tiketi web ACL runs, in evaluation order after the IP reputation list. */
export const MANAGED_RULE_GROUPS = ['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'] as const;
/** SQL injection signatures: for ACLs in front of something that talks to a SQL database (the API). */
export const SQLI_RULE_GROUP = 'AWSManagedRulesSQLiRuleSet';
/** Request headers never written to WAF logs: bearer tokens and session cookies. */
export const REDACTED_HEADERS = ['authorization', 'cookie'] as const;
/** Every rate rule counts over this window (seconds). */
const RATE_WINDOW_SECONDS = 300;

export interface WebAclProps {
  /** Web ACL name, also the prefix of its CloudWatch metric names and log group (`aws-waf-logs-<name>`). */
  readonly name: string;
  /** `CLOUDFRONT` (must be created in us-east-1) or `REGIONAL` (ALB, in the stack's region). */
  readonly scope: 'CLOUDFRONT' | 'REGIONAL';
  /** Requests per client IP in 5 minutes before the site-wide rate rule acts: the backstop. */
  readonly ipRateLimit: number;
  /**
   * Requests per client IP and value of `header` in 5 minutes: one client behind a shared address (carrier-grade
   * NAT). Requests without the header are not counted by this rule.
   * @default - no per-client rule
   */
  readonly clientRateLimit?: { readonly limit: number; readonly header: string };
  /**
   * Requests per client IP in 5 minutes to any of `paths` (prefix match on the URL-decoded, normalised,
   * lower-cased path). Always blocks, whatever `rateLimitAction` is: it guards credentials.
   * @default - no login rule
   */
  readonly loginRateLimit?: { readonly limit: number; readonly paths: readonly string[] };
  /**
   * What the site-wide and per-client rate rules do over their limit.
   * @default 'block'
   */
  readonly rateLimitAction?: 'block' | 'count';
  /**
   * Run `AWSManagedRulesSQLiRuleSet` too (200 WCU): for an ACL in front of an API backed by a SQL database.
   * @default false
   */
  readonly sqlInjectionRules?: boolean;
  /** Days the `aws-waf-logs-<name>` log group keeps the ACL's logs (a CloudWatch-allowed value). */
  readonly logRetentionDays: number;
  /**
   * Refuse `terraform destroy` of the log key (a destroyed key makes the retained logs unreadable).
   * @default true - turn off only in disposable environments
   */
  readonly preventLogKeyDestroy?: boolean;
  /**
   * Provider to create the ACL (and its log group, key and policy) with; a CLOUDFRONT ACL needs a us-east-1
   * provider, and its logs must be in the ACL's region.
   * @default - the stack's default provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * A WAFv2 web ACL that allows by default and, in order: blocks IPs on Amazon's reputation list, blocks clients
 * over the login rate limit, rate-limits per IP (and per client, where configured), and blocks the common rule
 * set (OWASP-style), known bad inputs (Log4j and the like) and, where asked, SQL injection. Managed groups
 * follow AWS's default version, so new signatures arrive without a deploy; every rule and the ACL publish
 * CloudWatch metrics and sampled requests. Every request is logged to an encrypted `aws-waf-logs-*` log group
 * with the `authorization` and `cookie` headers redacted.
 */
export class WebAcl extends Construct {
  public readonly webAclArn: string;
  public readonly webAclId: string;
  public readonly logGroupName: string;
  /** The rule names, in priority order (for tests and dashboards). */
  public readonly ruleNames: readonly string[];

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    if (props.scope === 'CLOUDFRONT' && props.provider === undefined) {
      throw new Error(`WebAcl ${this.node.path}: scope CLOUDFRONT needs a us-east-1 provider (pass \`provider\`)`);
    }
    if (props.loginRateLimit && props.loginRateLimit.paths.length === 0) {
      throw new Error(`WebAcl ${this.node.path}: loginRateLimit.paths is empty; give at least one path or leave loginRateLimit out`);
    }
    const visibility = (metric: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: `${props.name}-${metric}` });
    const rateAction = props.rateLimitAction === 'count' ? { count: {} } : { block: {} };
    // `statement` is untyped in the generated bindings, so its keys are Terraform's (snake_case).
    const managed = (name: string): Omit<Wafv2WebAclRule, 'priority'> => ({
      name,
      overrideAction: { none: {} },
      statement: { managed_rule_group_statement: { name, vendor_name: 'AWS' } },
      visibilityConfig: visibility(name),
    });
    const rateRule = (name: string, action: object, statement: object): Omit<Wafv2WebAclRule, 'priority'> => ({
      name,
      action,
      statement: { rate_based_statement: { evaluation_window_sec: RATE_WINDOW_SECONDS, ...statement } },
      visibilityConfig: visibility(name),
    });

    const rules: Array<Omit<Wafv2WebAclRule, 'priority'>> = [managed(MANAGED_RULE_GROUPS[0])];
    if (props.loginRateLimit) {
      // Before the site-wide rule, so a login flood is blocked even while the site-wide rule only counts.
      rules.push(rateRule('rate-limit-login', { block: {} }, { limit: props.loginRateLimit.limit, aggregate_key_type: 'IP', scope_down_statement: pathStartsWithAny(props.loginRateLimit.paths) }));
    }
    rules.push(rateRule('rate-limit-per-ip', rateAction, { limit: props.ipRateLimit, aggregate_key_type: 'IP' }));
    if (props.clientRateLimit) {
      rules.push(
        rateRule('rate-limit-per-client', rateAction, {
          limit: props.clientRateLimit.limit,
          aggregate_key_type: 'CUSTOM_KEYS',
          custom_key: [{ ip: {} }, { header: { name: props.clientRateLimit.header, text_transformation: [{ priority: 0, type: 'NONE' }] } }],
        }),
      );
    }
    rules.push(managed(MANAGED_RULE_GROUPS[1]), managed(MANAGED_RULE_GROUPS[2]));
    if (props.sqlInjectionRules) rules.push(managed(SQLI_RULE_GROUP));
    const prioritised: Wafv2WebAclRule[] = rules.map((rule, priority) => ({ ...rule, priority }));

    const acl = new Wafv2WebAcl(this, 'acl', {
      provider: props.provider,
      name: props.name,
      description: `${props.scope === 'CLOUDFRONT' ? 'CloudFront' : 'ALB'} protection: IP reputation, rate limits, common rules, known bad inputs${props.sqlInjectionRules ? ', SQL injection' : ''}`,
      scope: props.scope,
      defaultAction: { allow: {} },
      rule: prioritised,
      visibilityConfig: visibility('all'),
    });

    const logs = this.logDestination(props);
    new Wafv2WebAclLoggingConfiguration(this, 'logging', {
      provider: props.provider,
      resourceArn: acl.arn,
      logDestinationConfigs: [logs.logGroupArn],
      redactedFields: REDACTED_HEADERS.map((name) => ({ singleHeader: { name } })),
      dependsOn: [logs.resourcePolicy],
    });

    this.webAclArn = acl.arn;
    this.webAclId = acl.id;
    this.logGroupName = logs.logGroupName;
    this.ruleNames = prioritised.map((r) => r.name);
  }

  /**
   * The log group WAF delivers to (its name must start with `aws-waf-logs-`, in the ACL's region), encrypted
   * with a key of its own, and the resource policy that lets the log delivery service write to it. WAF would
   * otherwise create or extend an account-wide policy itself (needing `logs:PutResourcePolicy` at apply, and
   * growing towards the 5,120-character policy limit with every log group); written here, it is in the plan,
   * scoped to this log group, and carries confused-deputy conditions.
   */
  private logDestination(props: WebAclProps): { logGroupArn: string; logGroupName: string; resourcePolicy: CloudwatchLogResourcePolicy } {
    const provider = props.provider;
    const account = new DataAwsCallerIdentity(this, 'account', { provider });
    const region = new DataAwsRegion(this, 'region', { provider });
    const key = new KmsKey(this, 'logs-kms', { provider, alias: `${props.name}-waf-logs`, description: `Encrypts the WAF logs of ${props.name}`, allowCloudWatchLogs: true, preventDestroy: props.preventLogKeyDestroy ?? true });
    const logGroup = new CloudwatchLogGroup(this, 'log-group', {
      provider,
      name: `aws-waf-logs-${props.name}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: key.keyArn,
    });
    const resourcePolicy = new CloudwatchLogResourcePolicy(this, 'log-delivery-policy', {
      provider,
      policyName: `${props.name}-waf-log-delivery`,
      policyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AWSLogDeliveryWrite',
            Effect: 'Allow',
            Principal: { Service: 'delivery.logs.amazonaws.com' },
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: `${logGroup.arn}:*`,
            Condition: {
              StringEquals: { 'aws:SourceAccount': account.accountId },
              ArnLike: { 'aws:SourceArn': `arn:aws:logs:${region.name}:${account.accountId}:*` },
            },
          },
        ],
      }),
    });
    return { logGroupArn: logGroup.arn, logGroupName: logGroup.name, resourcePolicy };
  }
}

/** A scope-down statement: the URI path starts with one of `paths`, after decoding, normalising and lower-casing. */
function pathStartsWithAny(paths: readonly string[]): object {
  const startsWith = (path: string) => ({
    byte_match_statement: {
      search_string: path,
      positional_constraint: 'STARTS_WITH',
      field_to_match: { uri_path: {} },
      // %2F and friends decoded, `//` and `/./` collapsed, then case folded: `/API//Auth/%6Cogin` matches.
      text_transformation: [
        { priority: 0, type: 'URL_DECODE' },
        { priority: 1, type: 'NORMALIZE_PATH' },
        { priority: 2, type: 'LOWERCASE' },
      ],
    },
  });
  return paths.length === 1 ? startsWith(paths[0]) : { or_statement: { statement: paths.map(startsWith) } };
}
