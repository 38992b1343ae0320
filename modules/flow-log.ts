import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { FlowLog as FlowLogResource } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import { KmsKey } from './kms-key';

export interface VpcFlowLogProps {
  readonly namePrefix: string;
  readonly vpcId: string;
  /** Days CloudWatch keeps the records. */
  readonly retentionDays: number;
  /**
   * @default - a customer-managed key is created for the log group, with rotation
   */
  readonly kmsKeyArn?: string;
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
      }).keyArn;
    const logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: `/aws/vpc/${props.namePrefix}/flow-logs`,
      retentionInDays: props.retentionDays,
      kmsKeyId: kmsKeyArn,
    });
    const role = new IamRole(this, 'delivery-role', {
      name: `${props.namePrefix}-vpc-flow-logs`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'vpc-flow-logs.amazonaws.com' }, Action: 'sts:AssumeRole' }],
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
