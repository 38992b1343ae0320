/**
 * The observability stack per environment, from the synthesized JSON: the alarm topics (encrypted, who may
 * publish), every alarm (metric, dimensions, statistic, threshold, actions), the RDS event subscriptions,
 * the container log group and Fluent Bit's role. Expectations are the policy, written out here.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ENVIRONMENTS } from '../../config/environments';
import { EnvironmentName } from '../../config/settings';
import { ALL_ENVIRONMENTS, TerraformJson, resourcesOf, synthApp } from '../support/synth';

const REPO = path.resolve(__dirname, '..', '..');
const json = (env: EnvironmentName): TerraformJson => synthApp(env).json('observability');
const alarms = (stack: TerraformJson): Record<string, any> => Object.fromEntries(Object.values(resourcesOf(stack, 'aws_cloudwatch_metric_alarm')).map((a: any) => [a.alarm_name, a]));
const topicRef = (stack: TerraformJson, name: string): string => {
  const [id] = Object.entries(resourcesOf(stack, 'aws_sns_topic')).find(([, t]: [string, any]) => t.name === name) ?? [];
  if (!id) throw new Error(`no topic ${name}`);
  return `\${aws_sns_topic.${id}.arn}`;
};
const GIB = 1024 ** 3;

/** The alarms of each environment, by name: [namespace, metric, statistic, comparison, threshold, periods]. */
type Expected = [string, string, string, string, number, number];
function expectedAlarms(env: EnvironmentName): Record<string, Expected> {
  const p = `tiketi-${env}`;
  const s = ENVIRONMENTS[env];
  const storage = { dev: 1, staging: 2.5, prod: 5 }[env] * GIB; // 5 % of 20 / 50 / 100 GiB
  const connections = { dev: 150, staging: 330, prod: 660 }[env];
  const out: Record<string, Expected> = {
    [`${p}-rds-cpu`]: ['AWS/RDS', 'CPUUtilization', 'Average', 'GreaterThanThreshold', 80, 3],
    [`${p}-rds-free-storage`]: ['AWS/RDS', 'FreeStorageSpace', 'Minimum', 'LessThanThreshold', storage, 2],
    [`${p}-rds-connections`]: ['AWS/RDS', 'DatabaseConnections', 'Maximum', 'GreaterThanThreshold', connections, 2],
    [`${p}-cloudfront-5xx`]: ['AWS/CloudFront', '5xxErrorRate', 'Average', 'GreaterThanThreshold', 5, 3],
    [`${p}-api-certificate-expiry`]: ['AWS/CertificateManager', 'DaysToExpiry', 'Minimum', 'LessThanThreshold', 30, 1],
    [`${p}-frontend-certificate-expiry`]: ['AWS/CertificateManager', 'DaysToExpiry', 'Minimum', 'LessThanThreshold', 30, 1],
  };
  for (let i = 1; i <= s.data.redis.nodeCount; i++) {
    const n = `cache-00${i}`;
    out[`${p}-${n}-cpu`] = ['AWS/ElastiCache', 'CPUUtilization', 'Average', 'GreaterThanThreshold', 80, 3];
    out[`${p}-${n}-engine-cpu`] = ['AWS/ElastiCache', 'EngineCPUUtilization', 'Average', 'GreaterThanThreshold', 80, 3];
    out[`${p}-${n}-memory`] = ['AWS/ElastiCache', 'DatabaseMemoryUsagePercentage', 'Average', 'GreaterThanThreshold', 85, 3];
    out[`${p}-${n}-evictions`] = ['AWS/ElastiCache', 'Evictions', 'Sum', 'GreaterThanThreshold', 100, 1];
    if (s.data.redis.nodeCount > 1) out[`${p}-${n}-replication-lag`] = ['AWS/ElastiCache', 'ReplicationLag', 'Maximum', 'GreaterThanThreshold', 30, 5];
  }
  const natAzs = env === 'dev' ? ['a'] : ['a', 'c'];
  for (const az of natAzs) {
    out[`${p}-nat-${az}-port-allocation`] = ['AWS/NATGateway', 'ErrorPortAllocation', 'Sum', 'GreaterThanThreshold', 0, 1];
    out[`${p}-nat-${az}-packets-dropped`] = ['AWS/NATGateway', 'PacketsDropCount', 'Sum', 'GreaterThanThreshold', 100, 2];
  }
  return out;
}

/** The API ALB's alarms: one per ALB the plan finds (for_each), metric math or Metrics Insights. */
const API_ALB_ALARMS = ['api-alb-5xx', 'api-alb-latency', 'api-alb-unhealthy-targets'];

describe.each(ALL_ENVIRONMENTS)('observability stack (%s)', (env) => {
  const o = ENVIRONMENTS[env].observability;

  test('two alarm topics (the region and us-east-1), each encrypted with its own rotating key, subscribed by the alarm e-mails', () => {
    const stack = json(env);
    const topics = Object.values(resourcesOf(stack, 'aws_sns_topic')) as any[];
    expect(topics.map((t) => t.name).sort()).toEqual([`tiketi-${env}-alarms`, `tiketi-${env}-alarms-us-east-1`]);
    const keys = resourcesOf(stack, 'aws_kms_key');
    for (const t of topics) {
      const keyId = /^\$\{aws_kms_key\.([^.]+)\.arn\}$/.exec(t.kms_master_key_id)?.[1];
      expect([t.name, keyId !== undefined]).toEqual([t.name, true]);
      const key = keys[keyId!];
      expect(key.enable_key_rotation).toBe(true);
      expect(key.lifecycle?.prevent_destroy).toBe(env !== 'dev');
      const statement = JSON.parse(key.policy).Statement.find((st: any) => st.Sid === 'AlarmPublishersEncryptMessages');
      expect(statement.Principal.Service).toEqual(expect.arrayContaining(['cloudwatch.amazonaws.com']));
      expect(statement.Action).toEqual(['kms:GenerateDataKey*', 'kms:Decrypt']);
      expect(Object.keys(statement.Condition.StringEquals)).toEqual(['aws:SourceAccount']);
    }
    const regional = topics.find((t) => t.name === `tiketi-${env}-alarms`);
    expect(regional.provider).toBeUndefined();
    expect(topics.find((t) => t.name !== regional.name).provider).toBe('aws.us_east_1');
    const subscriptions = Object.values(resourcesOf(stack, 'aws_sns_topic_subscription')) as any[];
    for (const name of [`tiketi-${env}-alarms`, `tiketi-${env}-alarms-us-east-1`]) {
      const endpoints = subscriptions.filter((s) => s.topic_arn === topicRef(stack, name)).map((s) => [s.protocol, s.endpoint]);
      expect(endpoints.sort()).toEqual(o.alarmEmails.map((e) => ['email', e]).sort());
    }
  });

  test('the regional topic takes CloudWatch alarms, RDS events and EventBridge, from this account only, over TLS', () => {
    const stack = json(env);
    const policy = (Object.values(resourcesOf(stack, 'aws_sns_topic_policy')) as any[]).find((p) => p.arn === topicRef(stack, `tiketi-${env}-alarms`));
    const statements = JSON.parse(policy.policy).Statement;
    const publishers = statements.find((st: any) => st.Sid === 'AlarmPublishers');
    expect(publishers.Principal.Service.sort()).toEqual(['cloudwatch.amazonaws.com', 'events.amazonaws.com', 'events.rds.amazonaws.com']);
    expect(publishers.Action).toBe('sns:Publish');
    expect(publishers.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': expect.stringMatching(/aws_caller_identity/) } });
    expect(statements.find((st: any) => st.Sid === 'DenyInsecureTransport')).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  });

  test('every fixed alarm: the metric, statistic, threshold and periods of the policy', () => {
    const found = alarms(json(env));
    const expected = expectedAlarms(env);
    const fixed = Object.keys(found).filter((n) => !API_ALB_ALARMS.some((a) => n.endsWith(a)));
    expect(fixed.sort()).toEqual(Object.keys(expected).sort());
    for (const [name, [namespace, metric, statistic, comparison, threshold, periods]] of Object.entries(expected)) {
      const a = found[name];
      expect([name, a.namespace, a.metric_name, a.statistic ?? a.extended_statistic, a.comparison_operator, a.threshold, a.evaluation_periods, a.datapoints_to_alarm]).toEqual([
        name, namespace, metric, statistic, comparison, threshold, periods, periods,
      ]);
    }
  });

  test('every alarm notifies its topic on ALARM and on OK, in its own region, and links a runbook that exists', () => {
    const stack = json(env);
    const regional = topicRef(stack, `tiketi-${env}-alarms`);
    const usEast1 = topicRef(stack, `tiketi-${env}-alarms-us-east-1`);
    for (const a of Object.values(alarms(stack))) {
      const topic = a.provider === 'aws.us_east_1' ? usEast1 : regional;
      expect([a.alarm_name, a.alarm_actions, a.ok_actions]).toEqual([a.alarm_name, [topic], [topic]]);
      const url = /Runbook: (https:\S+)$/.exec(a.alarm_description)?.[1];
      const file = url?.replace('https://github.com/tiketi/tiketi-platform/blob/main/', '');
      expect([a.alarm_name, file !== url && fs.existsSync(path.join(REPO, file ?? 'missing'))]).toEqual([a.alarm_name, true]);
    }
    // CloudFront's metrics and the CloudFront certificate live in us-east-1
    const inUsEast1 = Object.values(alarms(stack)).filter((a) => a.provider === 'aws.us_east_1').map((a) => a.alarm_name);
    expect(inUsEast1.sort()).toEqual([`tiketi-${env}-cloudfront-5xx`, `tiketi-${env}-frontend-certificate-expiry`]);
  });

  test('dimensions name the resources of the other stacks: the database, each cache node, each NAT gateway, the distribution', () => {
    const found = alarms(json(env));
    expect(found[`tiketi-${env}-rds-cpu`].dimensions).toEqual({ DBInstanceIdentifier: `tiketi-${env}-postgres` });
    expect(found[`tiketi-${env}-cache-001-memory`].dimensions).toEqual({ CacheClusterId: `tiketi-${env}-cache-001` });
    expect(found[`tiketi-${env}-nat-a-port-allocation`].dimensions.NatGatewayId).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-network\.outputs\.cross-stack-output-aws_nat_gateway.*nat-a.*id\}$/);
    expect(found[`tiketi-${env}-cloudfront-5xx`].dimensions).toEqual({ DistributionId: expect.stringMatching(/cross-stack-reference-input-edge/), Region: 'Global' });
    expect(found[`tiketi-${env}-api-certificate-expiry`].dimensions.CertificateArn).toMatch(/cross-stack-reference-input-edge.*api-certificate/);
  });

  test('counts CloudWatch omits at zero do not breach; gauges that stop reporting do', () => {
    const found = alarms(json(env));
    expect(found[`tiketi-${env}-rds-cpu`].treat_missing_data).toBe('breaching');
    expect(found[`tiketi-${env}-cache-001-evictions`].treat_missing_data).toBe('notBreaching');
    expect(found[`tiketi-${env}-nat-a-port-allocation`].treat_missing_data).toBe('notBreaching');
    if (ENVIRONMENTS[env].data.redis.nodeCount > 1) expect(found[`tiketi-${env}-cache-002-replication-lag`].treat_missing_data).toBe('notBreaching');
  });

  test('the API ALB: found by the controller\'s tags at plan time, one alarm each for 5xx rate, p99 latency and unhealthy targets, and a check that warns until it exists', () => {
    const stack = json(env);
    const lookups = Object.values(stack.data?.aws_lbs ?? {}) as any[];
    expect(lookups.map((l) => l.tags)).toEqual([{ 'elbv2.k8s.aws/cluster': `tiketi-${env}`, 'ingress.k8s.aws/stack': `tiketi-${env}/tiketi-api` }]);
    const found = alarms(stack);
    for (const name of API_ALB_ALARMS) expect(found[`tiketi-${env}-${name}`]?.for_each).toMatch(/data\.aws_lbs\./);
    const fiveXx = found[`tiketi-${env}-api-alb-5xx`];
    const expression = fiveXx.metric_query.find((q: any) => q.return_data);
    expect(expression.expression).toBe('100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests');
    expect(fiveXx.metric_query.filter((q: any) => q.metric).map((q: any) => [q.id, q.metric.metric_name, q.metric.stat]).sort()).toEqual([
      ['elb5xx', 'HTTPCode_ELB_5XX_Count', 'Sum'], ['requests', 'RequestCount', 'Sum'], ['target5xx', 'HTTPCode_Target_5XX_Count', 'Sum'],
    ]);
    expect(fiveXx.threshold).toBe(5);
    expect(found[`tiketi-${env}-api-alb-latency`]).toMatchObject({ metric_name: 'TargetResponseTime', extended_statistic: 'p99', threshold: o.alarms.albP99Seconds });
    const unhealthy = found[`tiketi-${env}-api-alb-unhealthy-targets`].metric_query[0];
    expect(unhealthy.expression).toContain('SELECT MAX(UnHealthyHostCount) FROM SCHEMA(\\"AWS/ApplicationELB\\", LoadBalancer, TargetGroup) WHERE LoadBalancer');
    expect(unhealthy.period).toBe(60);
    expect(Object.keys(stack.check ?? {})).toEqual(['api_load_balancer_found']);
  });

  test('RDS event subscriptions to the regional topic cover FSBP RDS.19 to RDS.22', () => {
    const stack = json(env);
    const subs = Object.values(resourcesOf(stack, 'aws_db_event_subscription')) as any[];
    const byType = Object.fromEntries(subs.map((s) => [s.source_type, s]));
    expect(Object.keys(byType).sort()).toEqual(['db-cluster', 'db-instance', 'db-parameter-group', 'db-security-group']);
    for (const s of subs) expect(s.sns_topic).toBe(topicRef(stack, `tiketi-${env}-alarms`));
    expect(byType['db-instance'].event_categories).toEqual(expect.arrayContaining(['maintenance', 'configuration change', 'failure'])); // RDS.20
    expect(byType['db-instance'].source_ids).toEqual([`tiketi-${env}-postgres`]);
    expect(byType['db-parameter-group'].event_categories).toEqual(expect.arrayContaining(['configuration change'])); // RDS.21
    expect(byType['db-parameter-group'].source_ids).toEqual([expect.stringMatching(/cross-stack-reference-input-data.*parameters.*name/)]);
    expect(byType['db-security-group'].event_categories).toEqual(expect.arrayContaining(['configuration change', 'failure'])); // RDS.22
    expect(byType['db-cluster'].event_categories).toEqual(expect.arrayContaining(['maintenance', 'failure'])); // RDS.19
  });

  test('the container log group: the contract name, the retention of the settings, its own key; Fluent Bit may only write to it', () => {
    const stack = json(env);
    const groups = Object.values(resourcesOf(stack, 'aws_cloudwatch_log_group')) as any[];
    expect(groups.map((g) => [g.name, g.retention_in_days])).toEqual([[`/aws/eks/tiketi-${env}/containers`, o.containerLogRetentionDays]]);
    expect(groups[0].kms_key_id).toMatch(/^\$\{aws_kms_key\./);
    const role = (Object.values(resourcesOf(stack, 'aws_iam_role')) as any[]).find((r) => r.name === `tiketi-${env}-fluent-bit`);
    expect(role.permissions_boundary).toMatch(/tiketi-boundary|data\.aws_iam_policy/);
    const trust = JSON.parse(role.assume_role_policy).Statement[0];
    expect(trust.Condition.StringEquals).toMatchObject({ 'aws:RequestTag/kubernetes-namespace': 'node-agents', 'aws:RequestTag/kubernetes-service-account': 'fluent-bit' });
    const policy = JSON.parse((Object.values(resourcesOf(stack, 'aws_iam_role_policy')) as any[])[0].policy);
    const actions = policy.Statement.flatMap((st: any) => st.Action).sort();
    expect(actions).toEqual(['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents']); // never CreateLogGroup
    expect(policy.Statement.every((st: any) => String(st.Resource).startsWith('${aws_cloudwatch_log_group.'))).toBe(true);
    const associations = Object.values(resourcesOf(stack, 'aws_eks_pod_identity_association')) as any[];
    expect(associations.map((a) => [a.namespace, a.service_account])).toEqual([['node-agents', 'fluent-bit']]);
  });
});

describe('billing stack (account-wide)', () => {
  const billing = () => synthApp('prod').json('billing');

  test('one monthly cost budget of the account, alerts on actual and forecast spend to e-mail and an encrypted topic budgets may publish to', () => {
    const budgets = Object.values(resourcesOf(billing(), 'aws_budgets_budget')) as any[];
    expect(budgets).toHaveLength(1);
    expect(budgets[0]).toMatchObject({ budget_type: 'COST', time_unit: 'MONTHLY', limit_amount: '2500.00', limit_unit: 'USD' });
    expect(budgets[0].cost_filter).toBeUndefined(); // the whole account (docs/observability.md, "Budget")
    const alerts = budgets[0].notification.map((n: any) => [n.notification_type, n.threshold, n.threshold_type, n.subscriber_email_addresses, n.subscriber_sns_topic_arns.length]);
    expect(alerts).toEqual([
      ['ACTUAL', 80, 'PERCENTAGE', ['platform-billing@tiketi.com'], 1],
      ['ACTUAL', 100, 'PERCENTAGE', ['platform-billing@tiketi.com'], 1],
      ['FORECASTED', 100, 'PERCENTAGE', ['platform-billing@tiketi.com'], 1],
    ]);
    const topic = Object.values(resourcesOf(billing(), 'aws_sns_topic'))[0] as any;
    expect(topic.kms_master_key_id).toMatch(/aws_kms_key/);
    const policy = JSON.parse((Object.values(resourcesOf(billing(), 'aws_sns_topic_policy'))[0] as any).policy);
    expect(policy.Statement.find((s: any) => s.Sid === 'AlarmPublishers').Principal.Service).toEqual(['budgets.amazonaws.com']);
  });

  test('the same in every environment\'s synth (account-wide: tagged Environment=account)', () => {
    expect(synthApp('dev').json('billing')).toEqual(billing());
    expect(billing().provider!.aws[0].default_tags[0].tags.Environment).toBe('account');
  });
});
