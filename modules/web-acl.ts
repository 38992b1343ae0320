import { Wafv2WebAcl, Wafv2WebAclRule } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';

/** AWS managed rule groups every Tiketi web ACL runs, in evaluation order after the IP reputation list. */
export const MANAGED_RULE_GROUPS = ['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'] as const;

export interface WebAclProps {
  /** Web ACL name, also the prefix of its CloudWatch metric names. */
  readonly name: string;
  /** `CLOUDFRONT` (must be created in us-east-1) or `REGIONAL` (ALB, in the stack's region). */
  readonly scope: 'CLOUDFRONT' | 'REGIONAL';
  /** Requests per client IP in any 5-minute window before the rate rule blocks it. */
  readonly rateLimit: number;
  /**
   * Provider to create the ACL with; a CLOUDFRONT ACL needs a us-east-1 provider.
   * @default - the stack's default provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * A WAFv2 web ACL that allows by default and blocks, in order: IPs on Amazon's reputation list, clients
 * over the rate limit, the common rule set (OWASP-style) and known bad inputs (Log4j and the like).
 * Managed groups follow AWS's default version, so new signatures arrive without a deploy; every rule and
 * the ACL publish CloudWatch metrics and sampled requests.
 */
export class WebAcl extends Construct {
  public readonly webAclArn: string;
  public readonly webAclId: string;
  /** The rule names, in priority order (for tests and dashboards). */
  public readonly ruleNames: readonly string[];

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    if (props.scope === 'CLOUDFRONT' && props.provider === undefined) {
      throw new Error(`WebAcl ${this.node.path}: scope CLOUDFRONT needs a us-east-1 provider (pass \`provider\`)`);
    }
    const visibility = (metric: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: `${props.name}-${metric}` });
    const managed = (name: string, priority: number): Wafv2WebAclRule => ({
      name,
      priority,
      overrideAction: { none: {} },
      // `statement` is untyped in the generated bindings, so its keys are Terraform's (snake_case).
      statement: { managed_rule_group_statement: { name, vendor_name: 'AWS' } },
      visibilityConfig: visibility(name),
    });
    const rules: Wafv2WebAclRule[] = [
      managed(MANAGED_RULE_GROUPS[0], 0),
      {
        name: 'rate-limit-per-ip',
        priority: 1,
        action: { block: {} },
        statement: { rate_based_statement: { limit: props.rateLimit, aggregate_key_type: 'IP', evaluation_window_sec: 300 } },
        visibilityConfig: visibility('rate-limit-per-ip'),
      },
      managed(MANAGED_RULE_GROUPS[1], 2),
      managed(MANAGED_RULE_GROUPS[2], 3),
    ];
    const acl = new Wafv2WebAcl(this, 'acl', {
      provider: props.provider,
      name: props.name,
      description: `${props.scope === 'CLOUDFRONT' ? 'CloudFront' : 'ALB'} protection: IP reputation, rate limit, common rules, known bad inputs`,
      scope: props.scope,
      defaultAction: { allow: {} },
      rule: rules,
      visibilityConfig: visibility('all'),
    });
    this.webAclArn = acl.arn;
    this.webAclId = acl.id;
    this.ruleNames = rules.map((r) => r.name);
  }
}
