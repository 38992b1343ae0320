/** Identity policies of the GitHub Actions CI roles (registry stack). Parsed by tests: keep them plain JSON. */

type Statement = Record<string, unknown>;
const doc = (Statement: Statement[]) => ({ Version: '2012-10-17', Statement });

/** Push (and pull, for layer cache) to the given repositories only. `GetAuthorizationToken` has no resource scope. */
export function imagePushPolicy(repositoryArns: readonly string[]) {
  return doc([
    { Sid: 'EcrLogin', Effect: 'Allow', Action: ['ecr:GetAuthorizationToken'], Resource: '*' },
    {
      Sid: 'PushToServiceRepositories',
      Effect: 'Allow',
      Action: [
        'ecr:BatchCheckLayerAvailability',
        'ecr:BatchGetImage',
        'ecr:CompleteLayerUpload',
        'ecr:DescribeImages',
        'ecr:GetDownloadUrlForLayer',
        'ecr:InitiateLayerUpload',
        'ecr:PutImage',
        'ecr:UploadLayerPart',
      ],
      Resource: [...repositoryArns],
    },
  ]);
}

/**
 * Upload the frontend of one environment and invalidate its CloudFront cache. The account-wide registry
 * stack cannot read three environments' `edge` states, so it scopes by name and tag instead of by ID:
 * buckets named `tiketi-frontend-<env>*` (the edge stack's naming, `bucketSuffix` included) and
 * distributions tagged `Project=tiketi`, `Environment=<env>` (the provider's default tags).
 */
export function frontendDeployPolicy(env: string, accountId: string) {
  const bucket = `arn:aws:s3:::tiketi-frontend-${env}*`;
  return doc([
    { Sid: 'ListFrontendBucket', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: bucket },
    { Sid: 'WriteFrontendObjects', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: `${bucket}/*` },
    {
      Sid: 'InvalidateFrontendDistribution',
      Effect: 'Allow',
      Action: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation', 'cloudfront:ListInvalidations'],
      Resource: `arn:aws:cloudfront::${accountId}:distribution/*`,
      Condition: { StringEquals: { 'aws:ResourceTag/Project': 'tiketi', 'aws:ResourceTag/Environment': env } },
    },
  ]);
}

/**
 * What `terraform plan` needs beyond the attached `ReadOnlyAccess`: read the state, write and remove its
 * lock files (`use_lockfile`), decrypt state through S3 only. Denies reading secret values and any
 * object outside the state bucket, which `ReadOnlyAccess` would otherwise allow.
 */
export function infraPlanPolicy(stateBucketName: string, region: string) {
  const bucket = `arn:aws:s3:::${stateBucketName}`;
  return doc([
    { Sid: 'ListState', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: bucket },
    { Sid: 'ReadState', Effect: 'Allow', Action: ['s3:GetObject'], Resource: `${bucket}/*` },
    { Sid: 'LockState', Effect: 'Allow', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: `${bucket}/*.tflock` },
    {
      Sid: 'DecryptStateThroughS3',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: {
        StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` },
        StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucket, `${bucket}/*`] },
      },
    },
    { Sid: 'NoSecretValues', Effect: 'Deny', Action: ['secretsmanager:GetSecretValue', 'ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'], Resource: '*' },
    { Sid: 'NoObjectsOutsideState', Effect: 'Deny', Action: ['s3:GetObject', 's3:GetObjectVersion'], NotResource: `${bucket}/*` },
  ]);
}

/** Services the Tiketi stacks manage; the apply role may use them in the platform region and us-east-1 (CloudFront, ACM, WAF). */
export const APPLY_SERVICES = [
  'acm', 'autoscaling', 'cloudfront', 'cloudwatch', 'ec2', 'ecr', 'eks', 'elasticache', 'elasticloadbalancing',
  'events', 'kms', 'logs', 'rds', 'route53', 's3', 'secretsmanager', 'sqs', 'wafv2',
] as const;

/** Services that may receive a `tiketi-*` role from the apply role. */
const PASS_ROLE_TO = ['eks.amazonaws.com', 'ec2.amazonaws.com', 'pods.eks.amazonaws.com', 'vpc-flow-logs.amazonaws.com', 'monitoring.rds.amazonaws.com'];
const SERVICE_LINKED_ROLES = ['eks.amazonaws.com', 'eks-nodegroup.amazonaws.com', 'autoscaling.amazonaws.com', 'elasticloadbalancing.amazonaws.com', 'rds.amazonaws.com', 'elasticache.amazonaws.com'];

/**
 * `terraform apply` of the per-environment stacks. IAM is limited to `tiketi-*` roles, policies and
 * instance profiles and EKS OIDC providers; the CI roles and the GitHub OIDC provider themselves are
 * denied, so a workflow cannot widen its own trust (the registry stack is applied by an admin).
 */
export function infraApplyPolicy(accountId: string, region: string) {
  const iam = (path: string) => `arn:aws:iam::${accountId}:${path}`;
  return doc([
    {
      Sid: 'ManagePlatformServices',
      Effect: 'Allow',
      Action: [...APPLY_SERVICES.map((service) => `${service}:*`), 'sts:GetCallerIdentity'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestedRegion': [region, 'us-east-1'] } },
    },
    {
      Sid: 'ManageTiketiIam',
      Effect: 'Allow',
      Action: [
        'iam:AddRoleToInstanceProfile', 'iam:AttachRolePolicy', 'iam:CreateInstanceProfile', 'iam:CreateOpenIDConnectProvider',
        'iam:CreatePolicy', 'iam:CreatePolicyVersion', 'iam:CreateRole', 'iam:DeleteInstanceProfile', 'iam:DeleteOpenIDConnectProvider',
        'iam:DeletePolicy', 'iam:DeletePolicyVersion', 'iam:DeleteRole', 'iam:DeleteRolePolicy', 'iam:DetachRolePolicy',
        'iam:GetInstanceProfile', 'iam:GetOpenIDConnectProvider', 'iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:GetRole',
        'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:ListInstanceProfilesForRole', 'iam:ListPolicyVersions',
        'iam:ListRolePolicies', 'iam:PutRolePolicy', 'iam:RemoveRoleFromInstanceProfile', 'iam:TagInstanceProfile',
        'iam:TagOpenIDConnectProvider', 'iam:TagPolicy', 'iam:TagRole', 'iam:UntagRole', 'iam:UpdateAssumeRolePolicy',
        'iam:UpdateOpenIDConnectProviderThumbprint', 'iam:UpdateRole',
      ],
      Resource: [iam('role/tiketi-*'), iam('policy/tiketi-*'), iam('instance-profile/tiketi-*'), iam(`oidc-provider/oidc.eks.${region}.amazonaws.com/*`)],
    },
    {
      Sid: 'PassTiketiRolesToServices',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: iam('role/tiketi-*'),
      Condition: { StringEquals: { 'iam:PassedToService': PASS_ROLE_TO } },
    },
    {
      Sid: 'CreateServiceLinkedRoles',
      Effect: 'Allow',
      Action: ['iam:CreateServiceLinkedRole'],
      Resource: '*',
      Condition: { StringEquals: { 'iam:AWSServiceName': SERVICE_LINKED_ROLES } },
    },
    {
      Sid: 'NeverTouchCiIdentities',
      Effect: 'Deny',
      Action: ['iam:Attach*', 'iam:Create*', 'iam:Delete*', 'iam:Detach*', 'iam:Put*', 'iam:Tag*', 'iam:Untag*', 'iam:Update*', 'iam:PassRole'],
      Resource: [iam('role/tiketi-ci-*'), iam('oidc-provider/token.actions.githubusercontent.com')],
    },
  ]);
}
