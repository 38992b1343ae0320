/**
 * Real `terraform validate` and `terraform test` (mocked AWS, remote state of network, data, edge and
 * cluster overridden) over the observability stack of every environment, and over the account-wide
 * billing stack. Self-contained: it uses only the exported helpers of ../support/terraform.
 */
import { ENVIRONMENTS } from '../../config/environments';
import { ALL_ENVIRONMENTS, TerraformJson, addressOf, addressesOf, hclList, synthApp } from '../support/synth';
import { describeStackWithTerraform, describeWithTerraform, hcl, initWorkdir, mockAwsProvider, mockOutputValue, preventedDestroys, remoteStateOverrides, terraformTest, validateWorkdir } from '../support/terraform';

const ACCOUNT = '123456789012';

/** Remote-state values the provider or the assertions care about; the rest as the harness derives them. */
const outputValue = (key: string): unknown => {
  if (/certificate/.test(key) && /arn$/.test(key)) return `arn:aws:acm:ap-northeast-2:${ACCOUNT}:certificate/00000000-0000-0000-0000-000000000001`;
  if (/nat-a/.test(key)) return 'nat-0aaaaaaaaaaaaaaaa';
  if (/nat-c/.test(key)) return 'nat-0cccccccccccccccc';
  if (/distribution/.test(key) && /id$/.test(key)) return 'EMOCKDISTRIBUTION';
  if (/parameters/.test(key) && /name$/.test(key)) return 'tiketi-mock-postgres17-20260101';
  return mockOutputValue(key);
};

const albArn = (env: string) => `arn:aws:elasticloadbalancing:ap-northeast-2:${ACCOUNT}:loadbalancer/app/tiketi-${env}-api/50dc6c495c0c9188`;
const albAlarm = (stack: TerraformJson, name: string) => addressOf(stack, 'aws_cloudwatch_metric_alarm', (c) => c.alarm_name.endsWith(name));

describeStackWithTerraform('observability', ALL_ENVIRONMENTS, ({ envName, json, terraformTest }) => {
  const env = ENVIRONMENTS[envName];

  const run = terraformTest('observability', () => {
    const stack = json();
    const lbs = Object.keys(stack.data!.aws_lbs)[0];
    const fixedAlarms = hclList(stack, 'aws_cloudwatch_metric_alarm', (_id, c) => c.for_each === undefined && c.provider === undefined);
    const usEast1Alarms = hclList(stack, 'aws_cloudwatch_metric_alarm', (_id, c) => c.provider === 'aws.us_east_1');
    const regionalTopic = addressOf(stack, 'aws_sns_topic', (c) => c.name === `tiketi-${envName}-alarms`);
    const usEast1Topic = addressOf(stack, 'aws_sns_topic', (c) => c.name === `tiketi-${envName}-alarms-us-east-1`);
    const subscriptions = hclList(stack, 'aws_sns_topic_subscription');
    const events = hclList(stack, 'aws_db_event_subscription');
    const logGroup = addressOf(stack, 'aws_cloudwatch_log_group', () => true);
    const fiveXx = albAlarm(stack, 'api-alb-5xx');
    const unhealthy = albAlarm(stack, 'api-alb-unhealthy-targets');
    const latency = albAlarm(stack, 'api-alb-latency');
    const fixedCount = addressesOf(stack, 'aws_cloudwatch_metric_alarm', (_id, c) => c.for_each === undefined && c.provider === undefined).length;
    const lb = (arns: string[]) => `  override_data {\n    target = data.aws_lbs.${lbs}\n    values = { arns = ${hcl(arns)} }\n  }`;
    return (
      `${mockAwsProvider({ aliases: ['us_east_1'] })}

${remoteStateOverrides(stack, outputValue)}

run "before_the_first_sync" {
  command = plan
${lb([])}
  # The check must fire: no ALB yet (in a real plan it is a warning; terraform test counts it as expected).
  expect_failures = [check.api_load_balancer_found]

  assert {
  condition     = length(${fiveXx}) == 0 && length(${latency}) == 0 && length(${unhealthy}) == 0
  error_message = "API ALB alarms without an ALB"
  }
}

run "after_the_first_sync" {
  command = plan
${lb([albArn(envName)])}

  assert {
  condition     = length(${fiveXx}) == 1 && length(${latency}) == 1 && length(${unhealthy}) == 1
  error_message = "the API ALB found, but not its three alarms"
  }
  assert {
  condition     = one(values(${latency})).dimensions.LoadBalancer == "app/tiketi-${envName}-api/50dc6c495c0c9188"
  error_message = "the latency alarm does not name the ALB by its app/<name>/<id> dimension"
  }
  assert {
  condition     = one([for q in one(values(${unhealthy})).metric_query : q.expression if q.id == "e1"]) == "SELECT MAX(UnHealthyHostCount) FROM SCHEMA(\\"AWS/ApplicationELB\\", LoadBalancer, TargetGroup) WHERE LoadBalancer = 'app/tiketi-${envName}-api/50dc6c495c0c9188'"
  error_message = "the unhealthy-targets query does not select the ALB"
  }
  assert {
  condition     = toset([for q in one(values(${fiveXx})).metric_query : q.metric[0].dimensions.LoadBalancer if length(q.metric) > 0]) == toset(["app/tiketi-${envName}-api/50dc6c495c0c9188"])
  error_message = "the 5xx rate reads another load balancer"
  }
}

run "apply" {
  command = apply
${lb([albArn(envName)])}

  assert {
  condition     = length(${fixedAlarms}) == ${fixedCount} && alltrue([for a in ${fixedAlarms} : a.alarm_actions == toset([${regionalTopic}.arn]) && a.ok_actions == toset([${regionalTopic}.arn])])
  error_message = "a regional alarm does not notify the regional topic on ALARM and OK"
  }
  assert {
  condition     = alltrue([for a in ${usEast1Alarms} : a.alarm_actions == toset([${usEast1Topic}.arn])])
  error_message = "a us-east-1 alarm does not notify the us-east-1 topic"
  }
  assert {
  condition     = ${regionalTopic}.kms_master_key_id != null && ${usEast1Topic}.kms_master_key_id != null
  error_message = "an alarm topic is not encrypted with its key"
  }

  assert {
  condition     = toset([for s in ${subscriptions} : "\${s.protocol} \${s.endpoint}"]) == toset(${hcl(env.observability.alarmEmails.map((e) => `email ${e}`))})
  error_message = "the alarm e-mails are not subscribed"
  }
  assert {
  condition     = alltrue([for e in ${events} : e.sns_topic == ${regionalTopic}.arn])
  error_message = "an RDS event subscription does not publish to the regional topic"
  }
  assert {
  condition     = ${logGroup}.name == "/aws/eks/tiketi-${envName}/containers" && ${logGroup}.retention_in_days == ${env.observability.containerLogRetentionDays} && ${logGroup}.kms_key_id != null
  error_message = "the container log group lacks its name, retention or key"
  }
}
`
    );
  });

  test('terraform test (mocked AWS): topics, every alarm on its topic, ALB alarms only once the ALB exists, event subscriptions, log group', () => {
    const stack = json();
    const output = run.output();
    expect(output).toMatch(/3 passed, 0 failed/);
    // Outside dev, the three keys (both topics, container logs) refuse the test's teardown.
    expect(preventedDestroys(output)).toEqual(envName === 'dev' ? [] : addressesOf(stack, 'aws_kms_key').sort());
  });
});

describeWithTerraform('terraform: billing stack (account-wide)', () => {
  let dir: string;
  const json = () => synthApp('prod').json('billing');
  beforeAll(() => {
    dir = initWorkdir(json(), 'billing');
  });

  test('terraform validate passes', () => {
    expect(validateWorkdir(dir).error_count).toBe(0);
  });

  test('terraform test (mocked AWS): the budget and its alerts', () => {
    const stack = json();
    const budget = addressOf(stack, 'aws_budgets_budget', () => true);
    const topic = addressOf(stack, 'aws_sns_topic', () => true);
    const output = terraformTest(
      dir,
      'billing',
      `${mockAwsProvider()}

run "apply" {
  command = apply

  assert {
  condition     = ${budget}.budget_type == "COST" && ${budget}.time_unit == "MONTHLY" && ${budget}.limit_amount == "2500.00"
  error_message = "the budget is not the account's monthly cost budget of the settings"
  }
  assert {
  condition     = length(${budget}.notification) == 3 && alltrue([for n in ${budget}.notification : contains(n.subscriber_sns_topic_arns, ${topic}.arn)])
  error_message = "a budget alert does not reach the billing topic"
  }
}
`,
    );
    expect(output).toMatch(/1 passed, 0 failed/);
    expect(preventedDestroys(output)).toEqual(addressesOf(stack, 'aws_kms_key'));
  });
});
