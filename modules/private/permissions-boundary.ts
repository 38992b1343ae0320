import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsIamPolicy } from '@cdktf/provider-aws/lib/data-aws-iam-policy';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

/**
 * The managed policy every IAM role of the per-environment stacks carries as its permissions boundary.
 * The account-wide `registry` stack creates it; the CI apply role may create or change a role only with
 * exactly this boundary (docs/registry.md), so no role CI makes can do more than the boundary allows.
 */
export const PERMISSIONS_BOUNDARY_NAME = 'tiketi-boundary';

const LOOKUP_ID = 'permissions-boundary';

/**
 * ARN of the account's `tiketi-boundary` policy, through one `data "aws_iam_policy"` lookup per stack:
 * a stack planned before the registry stack exists fails at plan time, not half-way through an apply.
 */
export function permissionsBoundaryArn(scope: Construct): string {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(LOOKUP_ID);
  if (existing instanceof DataAwsIamPolicy) return existing.arn;
  const account = new DataAwsCallerIdentity(stack, `${LOOKUP_ID}-account`);
  return new DataAwsIamPolicy(stack, LOOKUP_ID, { arn: `arn:aws:iam::${account.accountId}:policy/${PERMISSIONS_BOUNDARY_NAME}` }).arn;
}
