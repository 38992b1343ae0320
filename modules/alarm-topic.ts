import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { KeyPolicyStatement, KmsKey } from './kms-key';

/** AWS services that publish to a topic of this kind, with their principals. */
export const ALARM_PUBLISHERS = {
  /** CloudWatch alarms. */
  cloudwatch: 'cloudwatch.amazonaws.com',
  /** RDS event subscriptions. */
  rdsEvents: 'events.rds.amazonaws.com',
  /** EventBridge rules (e.g. AWS Health, ACM expiry events). */
  eventBridge: 'events.amazonaws.com',
  /** AWS Budgets notifications. */
  budgets: 'budgets.amazonaws.com',
} as const;
export type AlarmPublisher = keyof typeof ALARM_PUBLISHERS;

export interface AlarmTopicProps {
  /** Topic name, e.g. `tiketi-prod-alarms`; the key alias is the same. */
  readonly name: string;
  readonly description: string;
  /** Services that may publish (`sns:Publish` from this account only, and use the key). */
  readonly publishers: readonly AlarmPublisher[];
  /** E-mail subscribers (each confirms once from its mailbox). @default - none */
  readonly emails?: readonly string[];
  /**
   * `prevent_destroy` on the topic's key.
   * @default true - turn off only where nothing of value is encrypted (dev)
   */
  readonly preventKeyDestroy?: boolean;
  /** Provider of a second region (CloudFront's and its certificate's alarms live in us-east-1). @default - the stack's */
  readonly provider?: TerraformProvider;
}

/**
 * An SNS topic for alarms and events, encrypted with its own customer-managed key: CloudWatch cannot publish
 * to a topic under the AWS-managed `alias/aws/sns` key, so each publisher is granted `kms:GenerateDataKey*`
 * and `kms:Decrypt` on this key, and `sns:Publish` on the topic, both only for this account's resources
 * (`aws:SourceAccount`), which keeps another account's alarm or event from using the topic.
 */
export class AlarmTopic extends Construct {
  public readonly topicArn: string;
  public readonly topicName: string;
  public readonly kmsKeyArn: string;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const account = new DataAwsCallerIdentity(this, 'account', { provider: props.provider });
    const principals = props.publishers.map((p) => ALARM_PUBLISHERS[p]);
    const sourceAccount = { StringEquals: { 'aws:SourceAccount': account.accountId } };
    const keyStatement: KeyPolicyStatement = {
      Sid: 'AlarmPublishersEncryptMessages',
      Effect: 'Allow',
      Principal: { Service: principals },
      Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      Resource: '*',
      Condition: sourceAccount,
    };
    const key = new KmsKey(this, 'kms', {
      provider: props.provider,
      alias: props.name,
      description: `Encrypts the SNS topic ${props.name} (${props.description})`,
      statements: [keyStatement],
      preventDestroy: props.preventKeyDestroy ?? true,
    });
    const topic = new SnsTopic(this, 'topic', { provider: props.provider, name: props.name, displayName: props.name, kmsMasterKeyId: key.keyArn });
    new SnsTopicPolicy(this, 'policy', {
      provider: props.provider,
      arn: topic.arn,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AccountManagesTopic',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${account.accountId}:root` },
            Action: ['sns:GetTopicAttributes', 'sns:SetTopicAttributes', 'sns:AddPermission', 'sns:RemovePermission', 'sns:DeleteTopic', 'sns:Subscribe', 'sns:ListSubscriptionsByTopic', 'sns:Publish'],
            Resource: topic.arn,
          },
          { Sid: 'AlarmPublishers', Effect: 'Allow', Principal: { Service: principals }, Action: 'sns:Publish', Resource: topic.arn, Condition: sourceAccount },
          { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Resource: topic.arn, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
        ],
      }),
    });
    (props.emails ?? []).forEach((email, i) => new SnsTopicSubscription(this, `email-${i}`, { provider: props.provider, topicArn: topic.arn, protocol: 'email', endpoint: email }));
    this.topicArn = topic.arn;
    this.topicName = topic.name;
    this.kmsKeyArn = key.keyArn;
  }
}
