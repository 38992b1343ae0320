import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { ITerraformIterator, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';

/** Where a runbook of an alarm lives: `docs/runbooks/alerts/<slug>.md` of the platform repository. */
export const RUNBOOK_BASE_URL = 'https://github.com/tiketi/tiketi-platform/blob/main/docs/runbooks/alerts/';

export const runbookUrl = (slug: string): string => `${RUNBOOK_BASE_URL}${slug}.md`;

/** One CloudWatch metric, by namespace, name and dimensions. */
export interface AlarmMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** `Average`, `Sum`, `Minimum`, `Maximum`, or a percentile (`p99`). */
  readonly statistic: string;
  /** Seconds per datapoint. */
  readonly period: number;
}

/** A metric math expression over named metrics (`m1` ...), or a Metrics Insights query (no metrics). */
export interface AlarmExpression {
  readonly expression: string;
  /** Seconds per datapoint of the expression. */
  readonly period: number;
  readonly metrics?: Readonly<Record<string, AlarmMetric>>;
}

export type Comparison = 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';

export interface MetricAlarmProps {
  /** Alarm name (`tiketi-<env>-<what>`). */
  readonly name: string;
  /** One sentence: what is wrong when it fires. The runbook link is appended. */
  readonly summary: string;
  /** Slug of `docs/runbooks/alerts/<slug>.md` (a test checks it exists). */
  readonly runbook: string;
  readonly source: AlarmMetric | AlarmExpression;
  readonly comparison: Comparison;
  readonly threshold: number;
  /** Datapoints looked at. */
  readonly evaluationPeriods: number;
  /** Of those, how many must breach. @default - all of them */
  readonly datapointsToAlarm?: number;
  /**
   * What a missing datapoint counts as. Counts that CloudWatch omits when zero (5xx, errors, evictions)
   * are `notBreaching`; a gauge that should always report is `breaching` or `missing`.
   */
  readonly treatMissingData: 'missing' | 'notBreaching' | 'breaching' | 'ignore';
  /** SNS topics notified on ALARM and on OK (the same region as the alarm). */
  readonly topicArns: readonly string[];
  /** @default - the stack's default provider */
  readonly provider?: TerraformProvider;
  /** One alarm per element (e.g. every load balancer found). @default - one alarm */
  readonly forEach?: ITerraformIterator;
}

const isExpression = (s: AlarmMetric | AlarmExpression): s is AlarmExpression => 'expression' in s;

/**
 * A CloudWatch alarm that notifies its topics when it fires and when it recovers; its description says what
 * is wrong and links the runbook. Expressions run as metric math (`m1` ...) or as a Metrics Insights query.
 */
export class MetricAlarm extends Construct {
  public readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: MetricAlarmProps) {
    super(scope, id);
    if (props.datapointsToAlarm !== undefined && props.datapointsToAlarm > props.evaluationPeriods) {
      throw new Error(`MetricAlarm ${props.name}: datapointsToAlarm (${props.datapointsToAlarm}) exceeds evaluationPeriods (${props.evaluationPeriods})`);
    }
    const s = props.source;
    const single = isExpression(s)
      ? {
          metricQuery: [
            { id: 'e1', expression: s.expression, period: Object.keys(s.metrics ?? {}).length === 0 ? s.period : undefined, returnData: true, label: props.name },
            ...Object.entries(s.metrics ?? {}).map(([metricId, m]) => ({
              id: metricId,
              returnData: false,
              metric: { namespace: m.namespace, metricName: m.metricName, dimensions: { ...m.dimensions }, period: m.period, stat: m.statistic },
            })),
          ],
        }
      : {
          namespace: s.namespace,
          metricName: s.metricName,
          dimensions: { ...s.dimensions },
          period: s.period,
          ...(/^p\d/.test(s.statistic) ? { extendedStatistic: s.statistic } : { statistic: s.statistic }),
        };
    this.alarm = new CloudwatchMetricAlarm(this, 'alarm', {
      provider: props.provider,
      forEach: props.forEach,
      alarmName: props.name,
      alarmDescription: `${props.summary} Runbook: ${runbookUrl(props.runbook)}`,
      comparisonOperator: props.comparison,
      threshold: props.threshold,
      evaluationPeriods: props.evaluationPeriods,
      datapointsToAlarm: props.datapointsToAlarm ?? props.evaluationPeriods,
      treatMissingData: props.treatMissingData,
      alarmActions: [...props.topicArns],
      okActions: [...props.topicArns],
      ...single,
    });
  }
}
