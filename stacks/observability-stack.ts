import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsLbs } from '@cdktf/provider-aws/lib/data-aws-lbs';
import { DbEventSubscription } from '@cdktf/provider-aws/lib/db-event-subscription';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Fn, TerraformIterator, TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { BackendSettings } from '../config/backend';
import { clusterName } from '../config/naming';
import { ALARM_THRESHOLDS, FLUENT_BIT_SERVICE_ACCOUNT, NODE_AGENTS_NAMESPACE, containerLogGroupName } from '../config/observability';
import { EnvironmentSettings } from '../config/settings';
import { AlarmTopic } from '../modules/alarm-topic';
import { KmsKey } from '../modules/kms-key';
import { AlarmExpression, AlarmMetric, MetricAlarm, MetricAlarmProps } from '../modules/metric-alarm';
import { PodIdentityRole } from '../modules/pod-identity-role';
import { ClusterStack } from './cluster-stack';
import { DataStack } from './data-stack';
import { EdgeStack } from './edge-stack';
import { NetworkStack } from './network-stack';
import { TiketiStack, defaultTags } from './tiketi-stack';

const FIVE_MINUTES = 300;
const ONE_DAY = 86_400;
const GIB = 1024 ** 3;

/** RDS event categories subscribed per source type (FSBP RDS.19-RDS.22 name the first ones as required). */
export const RDS_EVENT_SUBSCRIPTIONS = {
  // RDS.20 requires maintenance, configuration change and failure; the rest are what on-call needs to know.
  'db-instance': ['availability', 'configuration change', 'deletion', 'failover', 'failure', 'low storage', 'maintenance', 'notification', 'recovery', 'restoration'],
  // RDS.21
  'db-parameter-group': ['configuration change'],
  // RDS.22 (DB security groups are EC2-Classic; none exist in a VPC account, the subscription costs nothing)
  'db-security-group': ['configuration change', 'failure'],
  // RDS.19 (no Aurora cluster today: subscribed so a future one is covered from its first event)
  'db-cluster': ['failure', 'maintenance'],
} as const;

export interface ObservabilityStackProps {
  readonly env: EnvironmentSettings;
  readonly backend: BackendSettings;
  readonly network: NetworkStack;
  readonly data: DataStack;
  readonly edge: EdgeStack;
  readonly cluster: ClusterStack;
}

/**
 * What watches the environment from AWS (docs/observability.md): the alarm topics (ap-northeast-2, and
 * us-east-1 for CloudFront and its certificate), CloudWatch alarms on every stateful or shared resource the
 * other stacks own (RDS, ElastiCache, NAT gateways, CloudFront, the API ALB the controller creates, ACM),
 * RDS event subscriptions, and the container log group Fluent Bit writes to, with its Pod Identity role.
 * Reads network, data, edge and cluster; the argocd stack reads its topic for the certificates it issues.
 */
export class ObservabilityStack extends TiketiStack {
  /** Topic of every alarm and event in the environment's region. */
  public readonly alarmTopic: AlarmTopic;
  /** Topic of the us-east-1 alarms (CloudWatch alarms notify topics of their own region only). */
  public readonly usEast1AlarmTopic: AlarmTopic;
  public readonly containerLogGroupName: string;
  public readonly fluentBitRole: PodIdentityRole;
  private readonly env: EnvironmentSettings;

  constructor(scope: Construct, props: ObservabilityStackProps) {
    super(scope, 'observability', { scopeName: props.env.name, region: props.env.region, backend: props.backend });
    const { env } = props;
    this.env = env;
    const o = env.observability;
    const preventKeyDestroy = env.name !== 'dev';
    const usEast1 = new AwsProvider(this, 'aws-us-east-1', { alias: 'us_east_1', region: 'us-east-1', defaultTags: [{ tags: defaultTags(env.name, 'observability') }] });

    this.alarmTopic = new AlarmTopic(this, 'alarm-topic', {
      name: `${this.namePrefix}-alarms`,
      description: `CloudWatch alarms and RDS events of ${env.name}`,
      publishers: ['cloudwatch', 'rdsEvents', 'eventBridge'],
      emails: o.alarmEmails,
      preventKeyDestroy,
    });
    this.usEast1AlarmTopic = new AlarmTopic(this, 'alarm-topic-us-east-1', {
      name: `${this.namePrefix}-alarms-us-east-1`,
      description: `CloudWatch alarms of ${env.name} in us-east-1 (CloudFront, its certificate)`,
      publishers: ['cloudwatch', 'eventBridge'],
      emails: o.alarmEmails,
      preventKeyDestroy,
      provider: usEast1,
    });

    this.databaseAlarms(props.data);
    this.cacheAlarms(props.data);
    this.natAlarms(props.network);
    this.apiLoadBalancerAlarms();
    this.edgeAlarms(props.edge, usEast1);

    const logs = this.containerLogs(props.cluster);
    this.containerLogGroupName = logs.logGroupName;
    this.fluentBitRole = logs.role;

    const out = (id: string, value: string, description: string) => new TerraformOutput(this, id, { value, description });
    out('alarm_topic_arn', this.alarmTopic.topicArn, 'SNS topic of the environment\'s alarms and RDS events (subscribe on-call endpoints here)');
    out('alarm_topic_us_east_1_arn', this.usEast1AlarmTopic.topicArn, 'SNS topic of the us-east-1 alarms (CloudFront)');
    out('container_log_group_name', this.containerLogGroupName, 'CloudWatch log group of every container\'s output (Fluent Bit)');
    out('fluent_bit_role_arn', this.fluentBitRole.roleArn, `IAM role of ${NODE_AGENTS_NAMESPACE}/${FLUENT_BIT_SERVICE_ACCOUNT} (Pod Identity)`);
  }

  /** An alarm on this environment's regional topic, named `tiketi-<env>-<name>`. */
  private alarm(id: string, props: Omit<MetricAlarmProps, 'topicArns' | 'name'> & { name: string; topicArns?: readonly string[] }): MetricAlarm {
    return new MetricAlarm(this, id, { ...props, name: `${this.namePrefix}-${props.name}`, topicArns: props.topicArns ?? [this.alarmTopic.topicArn] });
  }

  private databaseAlarms(data: DataStack): void {
    const db = data.postgres.identifier;
    const pg = this.env.data.postgres;
    const rds = (metricName: string, statistic: string): AlarmMetric => ({ namespace: 'AWS/RDS', metricName, dimensions: { DBInstanceIdentifier: db }, statistic, period: FIVE_MINUTES });
    this.alarm('rds-cpu', {
      name: 'rds-cpu',
      summary: `PostgreSQL ${db} CPU above ${ALARM_THRESHOLDS.cpuPercent} % for 15 minutes.`,
      runbook: 'rds-cpu-high',
      source: rds('CPUUtilization', 'Average'),
      comparison: 'GreaterThanThreshold',
      threshold: ALARM_THRESHOLDS.cpuPercent,
      evaluationPeriods: 3,
      treatMissingData: 'breaching',
    });
    // Storage autoscaling grows the volume at 10 % free; below 5 % of the initial size it could not (it is at
    // maxAllocatedStorageGb, or inside its 6-hour cooldown).
    const freeBytes = Math.round(pg.allocatedStorageGb * ALARM_THRESHOLDS.rdsFreeStorageFraction * GIB);
    this.alarm('rds-free-storage', {
      name: 'rds-free-storage',
      summary: `PostgreSQL ${db} has less than ${freeBytes / GIB} GiB free (${ALARM_THRESHOLDS.rdsFreeStorageFraction * 100} % of ${pg.allocatedStorageGb} GiB) and autoscaling did not add storage.`,
      runbook: 'rds-free-storage-low',
      source: rds('FreeStorageSpace', 'Minimum'),
      comparison: 'LessThanThreshold',
      threshold: freeBytes,
      evaluationPeriods: 2,
      treatMissingData: 'breaching',
    });
    this.alarm('rds-connections', {
      name: 'rds-connections',
      summary: `PostgreSQL ${db} holds more than ${this.env.observability.alarms.rdsMaxConnections} connections (about 80 % of max_connections) for 10 minutes.`,
      runbook: 'rds-connections-high',
      source: rds('DatabaseConnections', 'Maximum'),
      comparison: 'GreaterThanThreshold',
      threshold: this.env.observability.alarms.rdsMaxConnections,
      evaluationPeriods: 2,
      treatMissingData: 'breaching',
    });
    // ReplicaLag exists only on read replicas; the data stack runs none (a Multi-AZ standby is not one), so
    // there is no replica lag alarm until a replica is added (docs/observability.md).

    const subscription = (id: string, sourceType: keyof typeof RDS_EVENT_SUBSCRIPTIONS, sourceIds?: string[]) =>
      new DbEventSubscription(this, id, {
        name: `${this.namePrefix}-rds-${sourceType}`,
        snsTopic: this.alarmTopic.topicArn,
        sourceType,
        sourceIds,
        eventCategories: [...RDS_EVENT_SUBSCRIPTIONS[sourceType]],
      });
    subscription('rds-events-instance', 'db-instance', [db]);
    subscription('rds-events-parameter-group', 'db-parameter-group', [data.postgres.parameterGroupName]);
    subscription('rds-events-security-group', 'db-security-group');
    subscription('rds-events-cluster', 'db-cluster');
  }

  private cacheAlarms(data: DataStack): void {
    const redis = this.env.data.redis;
    // Members of a cluster-mode-disabled replication group are `<group>-001`, `-002`, ...; the primary moves
    // on failover, so every member gets every alarm and only replicas report ReplicationLag.
    const members = Array.from({ length: redis.nodeCount }, (_, i) => `${data.redis.replicationGroupId}-${String(i + 1).padStart(3, '0')}`);
    for (const member of members) {
      const n = member.slice(-3);
      const cache = (metricName: string, statistic: string, period = FIVE_MINUTES): AlarmMetric => ({ namespace: 'AWS/ElastiCache', metricName, dimensions: { CacheClusterId: member }, statistic, period });
      this.alarm(`cache-${n}-cpu`, {
        name: `cache-${n}-cpu`,
        summary: `Valkey node ${member} host CPU above ${ALARM_THRESHOLDS.cpuPercent} % for 15 minutes.`,
        runbook: 'cache-cpu-high',
        source: cache('CPUUtilization', 'Average'),
        comparison: 'GreaterThanThreshold',
        threshold: ALARM_THRESHOLDS.cpuPercent,
        evaluationPeriods: 3,
        treatMissingData: 'breaching',
      });
      this.alarm(`cache-${n}-engine-cpu`, {
        name: `cache-${n}-engine-cpu`,
        summary: `Valkey node ${member} engine thread CPU above ${ALARM_THRESHOLDS.cacheEngineCpuPercent} % for 15 minutes: commands queue behind it.`,
        runbook: 'cache-engine-cpu-high',
        source: cache('EngineCPUUtilization', 'Average'),
        comparison: 'GreaterThanThreshold',
        threshold: ALARM_THRESHOLDS.cacheEngineCpuPercent,
        evaluationPeriods: 3,
        treatMissingData: 'breaching',
      });
      this.alarm(`cache-${n}-memory`, {
        name: `cache-${n}-memory`,
        summary: `Valkey node ${member} uses more than ${ALARM_THRESHOLDS.cacheMemoryPercent} % of its memory for 15 minutes: evictions follow.`,
        runbook: 'cache-memory-high',
        source: cache('DatabaseMemoryUsagePercentage', 'Average'),
        comparison: 'GreaterThanThreshold',
        threshold: ALARM_THRESHOLDS.cacheMemoryPercent,
        evaluationPeriods: 3,
        treatMissingData: 'breaching',
      });
      this.alarm(`cache-${n}-evictions`, {
        name: `cache-${n}-evictions`,
        summary: `Valkey node ${member} evicted more than ${ALARM_THRESHOLDS.cacheEvictionsPer5Minutes} keys in 5 minutes.`,
        runbook: 'cache-evictions',
        source: cache('Evictions', 'Sum'),
        comparison: 'GreaterThanThreshold',
        threshold: ALARM_THRESHOLDS.cacheEvictionsPer5Minutes,
        evaluationPeriods: 1,
        treatMissingData: 'notBreaching',
      });
      if (redis.nodeCount > 1) {
        this.alarm(`cache-${n}-replication-lag`, {
          name: `cache-${n}-replication-lag`,
          summary: `Valkey replica ${member} lags its primary by more than ${ALARM_THRESHOLDS.cacheReplicationLagSeconds} s for 5 minutes: a failover would lose those writes.`,
          runbook: 'cache-replication-lag',
          source: cache('ReplicationLag', 'Maximum', 60),
          comparison: 'GreaterThanThreshold',
          threshold: ALARM_THRESHOLDS.cacheReplicationLagSeconds,
          evaluationPeriods: 5,
          // The primary reports no ReplicationLag: missing is normal.
          treatMissingData: 'notBreaching',
        });
      }
    }
  }

  private natAlarms(network: NetworkStack): void {
    const azs = this.env.network.natGateways === 'single' ? this.env.network.availabilityZones.slice(0, 1) : this.env.network.availabilityZones;
    network.vpc.natGatewayIds.forEach((natId, i) => {
      const az = azs[i].slice(-1);
      const nat = (metricName: string): AlarmMetric => ({ namespace: 'AWS/NATGateway', metricName, dimensions: { NatGatewayId: natId }, statistic: 'Sum', period: FIVE_MINUTES });
      this.alarm(`nat-${az}-port-allocation`, {
        name: `nat-${az}-port-allocation`,
        summary: `NAT gateway of ${azs[i]} could not allocate a source port: pods there cannot open new connections to the internet or AWS APIs.`,
        runbook: 'nat-port-allocation-errors',
        source: nat('ErrorPortAllocation'),
        comparison: 'GreaterThanThreshold',
        threshold: ALARM_THRESHOLDS.natPortAllocationErrors,
        evaluationPeriods: 1,
        treatMissingData: 'notBreaching',
      });
      this.alarm(`nat-${az}-packets-dropped`, {
        name: `nat-${az}-packets-dropped`,
        summary: `NAT gateway of ${azs[i]} dropped more than ${ALARM_THRESHOLDS.natPacketsDroppedPer5Minutes} packets in each of 2 five-minute periods.`,
        runbook: 'nat-packets-dropped',
        source: nat('PacketsDropCount'),
        comparison: 'GreaterThanThreshold',
        threshold: ALARM_THRESHOLDS.natPacketsDroppedPer5Minutes,
        evaluationPeriods: 2,
        treatMissingData: 'notBreaching',
      });
    });
  }

  /**
   * The API's ALB is made by the AWS Load Balancer Controller from the Ingress `tiketi-api`, so its
   * `app/<name>/<id>` dimension exists only after the first sync, and CloudWatch alarms can neither wildcard
   * a dimension nor select by tag. The plan looks the ALB up by the tags the controller puts on it (its
   * cluster and `ingress.k8s.aws/stack` = `<namespace>/tiketi-api`) and alarms on what it finds: before the
   * first sync it finds nothing and the `check` warns; the next apply adds the alarms, and a replaced ALB is
   * picked up the same way (docs/observability.md, "The API ALB").
   */
  private apiLoadBalancerAlarms(): void {
    const lbs = new DataAwsLbs(this, 'api-load-balancer', {
      tags: { 'elbv2.k8s.aws/cluster': clusterName(this.env.name), 'ingress.k8s.aws/stack': `${this.env.gitops.namespace}/tiketi-api` },
    });
    // At most one (the alarm names are fixed); the check reports anything but exactly one.
    const found = Fn.slice(Fn.sort(Fn.tolist(lbs.arns)), 0, Fn.min([1, Fn.lengthOf(lbs.arns)]));
    this.addOverride('check.api_load_balancer_found', {
      assert: [
        {
          condition: `\${length(${lbs.fqn}.arns) == 1}`,
          error_message: `expected exactly one ALB of Ingress ${this.env.gitops.namespace}/tiketi-api, found \${length(${lbs.fqn}.arns)}: before Argo CD's first sync of tiketi-${this.env.name} there is none, and the API ALB alarms are added by the next apply`,
        },
      ],
    });
    const alarms = (id: string, make: (dimension: string) => Omit<MetricAlarmProps, 'topicArns' | 'name' | 'forEach'> & { name: string }) => {
      const each = TerraformIterator.fromList(found);
      const suffix = Fn.element(Fn.split('loadbalancer/', each.value), 1);
      this.alarm(id, { ...make(suffix), forEach: each });
    };
    const alb = (metricName: string, dimension: string, statistic: string): AlarmMetric => ({ namespace: 'AWS/ApplicationELB', metricName, dimensions: { LoadBalancer: dimension }, statistic, period: FIVE_MINUTES });
    const th = ALARM_THRESHOLDS;
    alarms('api-alb-5xx', (lb) => ({
      name: 'api-alb-5xx',
      summary: `More than ${th.alb5xxPercent} % of API requests answered 5xx (by the ALB or the backend) for 15 minutes.`,
      runbook: 'api-alb-5xx',
      // The 5xx counts are absent while they are zero: FILL makes them 0 instead of an empty expression.
      source: {
        expression: '100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests',
        period: FIVE_MINUTES,
        metrics: { elb5xx: alb('HTTPCode_ELB_5XX_Count', lb, 'Sum'), target5xx: alb('HTTPCode_Target_5XX_Count', lb, 'Sum'), requests: alb('RequestCount', lb, 'Sum') },
      } satisfies AlarmExpression,
      comparison: 'GreaterThanThreshold',
      threshold: th.alb5xxPercent,
      evaluationPeriods: 3,
      treatMissingData: 'notBreaching',
    }));
    alarms('api-alb-latency', (lb) => ({
      name: 'api-alb-latency',
      summary: `API p99 response time above ${this.env.observability.alarms.albP99Seconds} s for 10 minutes.`,
      runbook: 'api-alb-latency',
      source: alb('TargetResponseTime', lb, 'p99'),
      comparison: 'GreaterThanThreshold',
      threshold: this.env.observability.alarms.albP99Seconds,
      evaluationPeriods: 2,
      treatMissingData: 'notBreaching',
    }));
    alarms('api-alb-unhealthy-targets', (lb) => ({
      name: 'api-alb-unhealthy-targets',
      summary: 'A target of the API ALB has been unhealthy for 5 minutes (pods failing /health, or not reachable from the ALB).',
      runbook: 'api-alb-unhealthy-targets',
      // UnHealthyHostCount needs the TargetGroup dimension too; the query takes the worst target group of the ALB.
      source: { expression: Fn.format(Fn.rawString('SELECT MAX(UnHealthyHostCount) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer, TargetGroup) WHERE LoadBalancer = \'%s\''), [lb]), period: 60 },
      comparison: 'GreaterThanThreshold',
      threshold: 0,
      evaluationPeriods: 5,
      treatMissingData: 'notBreaching',
    }));
  }

  private edgeAlarms(edge: EdgeStack, usEast1: AwsProvider): void {
    const th = ALARM_THRESHOLDS;
    this.alarm('cloudfront-5xx', {
      name: 'cloudfront-5xx',
      summary: `More than ${th.cloudFront5xxPercent} % of frontend requests failed with 5xx at CloudFront for 15 minutes.`,
      runbook: 'cloudfront-5xx',
      source: { namespace: 'AWS/CloudFront', metricName: '5xxErrorRate', dimensions: { DistributionId: edge.site.distributionId, Region: 'Global' }, statistic: 'Average', period: FIVE_MINUTES },
      comparison: 'GreaterThanThreshold',
      threshold: th.cloudFront5xxPercent,
      evaluationPeriods: 3,
      treatMissingData: 'notBreaching',
      provider: usEast1,
      topicArns: [this.usEast1AlarmTopic.topicArn],
    });
    const certificate = (id: string, what: string, arn: string, regional: boolean) =>
      this.alarm(id, {
        name: id,
        summary: `The ${what} certificate expires in less than ${th.certificateDaysToExpiry} days: ACM's renewal (60 days ahead) has failed.`,
        runbook: 'certificate-expiring',
        source: { namespace: 'AWS/CertificateManager', metricName: 'DaysToExpiry', dimensions: { CertificateArn: arn }, statistic: 'Minimum', period: ONE_DAY },
        comparison: 'LessThanThreshold',
        threshold: th.certificateDaysToExpiry,
        evaluationPeriods: 1,
        // ACM reports once a day; a day without a datapoint is not a failed renewal.
        treatMissingData: 'missing',
        ...(regional ? {} : { provider: usEast1, topicArns: [this.usEast1AlarmTopic.topicArn] }),
      });
    certificate('api-certificate-expiry', `API (${this.env.edge.apiDomain})`, edge.apiCertificateArn, true);
    certificate('frontend-certificate-expiry', `frontend (${this.env.edge.frontendDomain}, CloudFront)`, edge.frontendCertificateArn, false);
  }

  /**
   * The log group of every container's stdout and stderr, created here (retention, customer-managed key)
   * before Fluent Bit writes to it; Fluent Bit never creates groups (`auto_create_group off`), so a missing
   * group fails loudly instead of appearing unencrypted and kept forever.
   */
  private containerLogs(cluster: ClusterStack): { logGroupName: string; role: PodIdentityRole } {
    const o = this.env.observability;
    const key = new KmsKey(this, 'container-logs-kms', {
      alias: `${this.namePrefix}-container-logs`,
      description: `Encrypts the container log group of ${this.env.name}`,
      allowCloudWatchLogs: true,
      preventDestroy: this.env.name !== 'dev',
    });
    const group = new CloudwatchLogGroup(this, 'container-logs', {
      name: containerLogGroupName(this.env.name),
      retentionInDays: o.containerLogRetentionDays,
      kmsKeyId: key.keyArn,
    });
    const role = new PodIdentityRole(this, 'fluent-bit', {
      roleName: `${this.namePrefix}-fluent-bit`,
      clusterName: cluster.cluster.clusterName,
      namespace: NODE_AGENTS_NAMESPACE,
      serviceAccount: FLUENT_BIT_SERVICE_ACCOUNT,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'WriteContainerLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${group.arn}:log-stream:*` },
          { Sid: 'FindStreams', Effect: 'Allow', Action: ['logs:DescribeLogStreams'], Resource: group.arn },
        ],
      }),
    });
    return { logGroupName: group.name, role };
  }
}
