import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';
import { permissionsBoundaryArn } from './private/permissions-boundary';

/** AWS's managed policy for enhanced monitoring: it writes only to the `RDSOSMetrics` log group. */
export const RDS_ENHANCED_MONITORING_POLICY = 'arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole';

export interface RdsMonitoringRoleProps {
  /** Role name, e.g. `tiketi-prod-rds-monitoring`. */
  readonly name: string;
  /**
   * Account that owns the monitored instances: the trust policy accepts RDS only on its behalf.
   */
  readonly accountId: string;
  /**
   * Permissions boundary of the role.
   * @default - the account's `tiketi-boundary` policy (registry stack), looked up at plan time
   */
  readonly permissionsBoundary?: string;
}

/**
 * The role RDS enhanced monitoring assumes to publish OS metrics. The trust policy names the
 * `monitoring.rds.amazonaws.com` principal and, against the confused-deputy problem, this account.
 */
export class RdsMonitoringRole extends Construct {
  public readonly roleArn: string;

  constructor(scope: Construct, id: string, props: RdsMonitoringRoleProps) {
    super(scope, id);
    const role = new IamRole(this, 'role', {
      name: props.name,
      description: 'RDS enhanced monitoring publishes OS metrics to CloudWatch Logs',
      permissionsBoundary: props.permissionsBoundary ?? permissionsBoundaryArn(this),
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'monitoring.rds.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } },
          },
        ],
      }),
    });
    new IamRolePolicyAttachment(this, 'policy', { role: role.name, policyArn: RDS_ENHANCED_MONITORING_POLICY });
    this.roleArn = role.arn;
  }
}
