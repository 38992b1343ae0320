import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';

export interface HumanRoleProps {
  readonly roleName: string;
  readonly description: string;
  /** The account whose IAM principals (users, federated sessions) may assume the role, with MFA. */
  readonly accountId: string;
  /**
   * AWS-managed policies to attach.
   * @default - none
   */
  readonly managedPolicyArns?: readonly string[];
  /**
   * Inline policy (a `JSON.stringify`-ed document).
   * @default - none
   */
  readonly policy?: string;
  /**
   * Longest session, in seconds.
   * @default 3600
   */
  readonly maxSessionDuration?: number;
}

/**
 * A role for people: principals of this account may assume it only with MFA (`aws:MultiFactorAuthPresent`),
 * so a leaked access key alone opens nothing. Such roles carry no permissions boundary and stay outside the
 * CI apply role's reach (its policy denies every change to them).
 */
export class HumanRole extends Construct {
  public readonly roleArn: string;
  public readonly roleName: string;

  constructor(scope: Construct, id: string, props: HumanRoleProps) {
    super(scope, id);
    const role = new IamRole(this, 'role', {
      name: props.roleName,
      description: props.description,
      maxSessionDuration: props.maxSessionDuration ?? 3600,
      assumeRolePolicy: JSON.stringify(humanTrustPolicy(props.accountId)),
    });
    if (props.policy !== undefined) new IamRolePolicy(this, 'policy', { role: role.id, name: 'scoped', policy: props.policy });
    (props.managedPolicyArns ?? []).forEach((arn, i) => new IamRolePolicyAttachment(this, `managed-${i}`, { role: role.name, policyArn: arn }));
    this.roleArn = role.arn;
    this.roleName = role.name;
  }
}

/** Principals of `accountId` (as IAM delegates: their own policies must allow `sts:AssumeRole`), with MFA only. */
export function humanTrustPolicy(accountId: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'PeopleOfThisAccountWithMfa',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: 'sts:AssumeRole',
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
      },
    ],
  };
}
