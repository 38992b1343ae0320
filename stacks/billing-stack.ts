import { BudgetsBudget } from '@cdktf/provider-aws/lib/budgets-budget';
import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { BackendSettings } from '../config/backend';
import { BillingSettings } from '../config/settings';
import { AlarmTopic } from '../modules/alarm-topic';
import { TiketiStack } from './tiketi-stack';

export interface BillingStackProps {
  readonly billing: BillingSettings;
  readonly backend: BackendSettings;
}

/**
 * Account-wide (like `registry` and `dns`; applied by an administrator): the seed's billing alert. One
 * monthly cost budget over the whole account, with e-mail and SNS alerts on actual and forecast spend.
 *
 * Why account-wide and not one per environment: the environments share one account and region, so the
 * only way to split a budget is the `Environment` cost allocation tag, which must be activated in the
 * billing console and which only exists in cost data a day after tagged resources appear; a budget
 * filtered on a tag that is not active reports $0 and never alerts. The account's total has no such
 * blind spot (data transfer and untagged charges included). docs/observability.md, "Budget".
 */
export class BillingStack extends TiketiStack {
  public readonly topic: AlarmTopic;
  public readonly budget: BudgetsBudget;

  constructor(scope: Construct, props: BillingStackProps) {
    super(scope, 'billing', { scopeName: 'account', region: props.billing.region, backend: props.backend });
    const b = props.billing;
    this.topic = new AlarmTopic(this, 'billing-topic', {
      name: 'tiketi-account-billing',
      description: 'AWS Budgets alerts of the account',
      publishers: ['budgets'],
      emails: b.alertEmails,
    });
    const notification = (type: 'ACTUAL' | 'FORECASTED', percent: number) => ({
      notificationType: type,
      comparisonOperator: 'GREATER_THAN',
      threshold: percent,
      thresholdType: 'PERCENTAGE',
      subscriberEmailAddresses: [...b.alertEmails],
      subscriberSnsTopicArns: [this.topic.topicArn],
    });
    this.budget = new BudgetsBudget(this, 'monthly-budget', {
      name: 'tiketi-account-monthly',
      budgetType: 'COST',
      timeUnit: 'MONTHLY',
      limitAmount: b.monthlyLimitUsd.toFixed(2),
      limitUnit: 'USD',
      // Unblended cost including credits and refunds as billed; the defaults of a cost budget, spelled out.
      costTypes: { includeCredit: false, includeRefund: false, includeTax: true, includeSupport: true, includeSubscription: true, includeRecurring: true, includeOtherSubscription: true, includeUpfront: true, includeDiscount: true, useBlended: false, useAmortized: false },
      notification: [...b.actualAlertPercents.map((p) => notification('ACTUAL', p)), ...b.forecastAlertPercents.map((p) => notification('FORECASTED', p))],
    });
    new TerraformOutput(this, 'budget_name', { value: this.budget.name, description: 'The account\'s monthly AWS Budget' });
    new TerraformOutput(this, 'billing_topic_arn', { value: this.topic.topicArn, description: 'SNS topic of the budget alerts' });
  }
}
