import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { FlowLog as FlowLogResource } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import { KmsKey } from './kms-key';
import { permissionsBoundaryArn } from './private/permissions-boundary';

export interface VpcFlowLogProps {
  readonly namePrefix: string;
  readonly vpcId: string;
  /** Days CloudWatch keeps the records. */
  readonly retentionDays: number;
  /**
   * @default - a customer-managed key is created for the log group, with rotation
   */
  readonly kmsKeyArn?: string;
  /**
   * `prevent_destroy` on the key this construct creates (ignored with `kmsKeyArn`): the flow log records
   * are security evidence, unreadable once the key is gone.
   * @default true - turn off only in disposable environments (dev)
   */
  readonly preventKeyDestroy?: boolean;
  /**
   * Permissions boundary of the delivery role.
   * @default - the account's `tiketi-boundary` policy (registry stack), looked up at plan time
   */
  readonly permissionsBoundary?: string;
}

/**
 * Records all accepted and rejected traffic of a VPC to an encrypted CloudWatch log group, with a
 * delivery role that may write only to that group.
 */
export class VpcFlowLog extends Construct {
  public readonly logGroupName: string;
  public readonly logGroupArn: string;

  constructor(scope: Construct, id: string, props: VpcFlowLogProps) {
    super(scope, id);
    const kmsKeyArn =
      props.kmsKeyArn ??
      new KmsKey(this, 'kms', {
        alias: `${props.namePrefix}-flow-logs`,
        description: `Encrypts the VPC flow logs of ${props.namePrefix}`,
        allowCloudWatchLogs: true,
        preventDestroy: props.preventKeyDestroy ?? true,
      }).keyArn;
    const logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: `/aws/vpc/${props.namePrefix}/flow-logs`,
      retentionInDays: props.retentionDays,
      kmsKeyId: kmsKeyArn,
    });
    const account = new DataAwsCallerIdentity(this, 'account').accountId;
    const region = new DataAwsRegion(this, 'region').name;
    const role = new IamRole(this, 'delivery-role', {
      name: `${props.namePrefix}-vpc-flow-logs`,
      permissionsBoundary: props.permissionsBoundary ?? permissionsBoundaryArn(this),
      // Confused deputy: the service may assume the role only for flow logs of this account and region.
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: {
              StringEquals: { 'aws:SourceAccount': account },
              ArnLike: { 'aws:SourceArn': `arn:aws:ec2:${region}:${account}:vpc-flow-log/*` },
            },
          },
        ],
      }),
    });
    new IamRolePolicy(this, 'delivery-policy', {
      role: role.id,
      name: 'write-flow-logs',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            Resource: [logGroup.arn, `${logGroup.arn}:*`],
          },
        ],
      }),
    });
    new FlowLogResource(this, 'flow-log', {
      vpcId: props.vpcId,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
    });
    this.logGroupName = logGroup.name;
    this.logGroupArn = logGroup.arn;
  }
}
