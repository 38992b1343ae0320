/**
 * Identity policies of the account-wide roles of the registry stack: the GitHub Actions CI roles, the
 * human roles and the `tiketi-boundary` permissions boundary. Parsed by tests: keep them plain JSON.
 */

type Statement = Record<string, unknown>;
const doc = (Statement: Statement[]) => ({ Version: '2012-10-17', Statement });

/** What an account-wide policy needs to know of the account. */
export interface AccountScope {
  readonly accountId: string;
  /** The platform region; CloudFront, ACM for CloudFront and WAF's CloudFront scope live in us-east-1. */
  readonly region: string;
  /** The environments (`dev`, `staging`, `prod`): every role the per-environment stacks create is `tiketi-<env>-*`. */
  readonly environments: readonly string[];
}

const iamArn = (scope: AccountScope, path: string) => `arn:aws:iam::${scope.accountId}:${path}`;

/** ARN patterns of what the per-environment stacks own in IAM: `<kind>/tiketi-<env>-*` for each environment. */
export function workloadIamArns(scope: AccountScope, kind: 'role' | 'policy' | 'instance-profile'): string[] {
  return scope.environments.map((env) => iamArn(scope, `${kind}/tiketi-${env}-*`));
}

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

/** The SSM parameters the edge stack writes for one environment's pipelines (docs/platform-contracts.md). */
export const FRONTEND_PARAMETER_NAMES = ['bucket', 'distribution-id', 'api-url'] as const;

/** ARNs of `/tiketi/<env>/frontend/<name>` for each of FRONTEND_PARAMETER_NAMES. */
export function frontendParameterArns(scope: Pick<AccountScope, 'accountId' | 'region'>, env: string): string[] {
  return FRONTEND_PARAMETER_NAMES.map((name) => `arn:aws:ssm:${scope.region}:${scope.accountId}:parameter/tiketi/${env}/frontend/${name}`);
}

/**
 * Upload the frontend of one environment and invalidate its CloudFront cache. The bucket is named exactly
 * (`frontendBucketName` of that environment's settings), so the access log bucket `<bucket>-logs` is out of
 * reach; the distribution is found by tag (the provider's default tags), its ID and the API URL by reading
 * exactly the environment's three frontend parameters.
 */
export function frontendDeployPolicy(env: string, bucketName: string, scope: Pick<AccountScope, 'accountId' | 'region'>) {
  const bucket = `arn:aws:s3:::${bucketName}`;
  return doc([
    { Sid: 'ListFrontendBucket', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: bucket },
    { Sid: 'WriteFrontendObjects', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: `${bucket}/*` },
    {
      Sid: 'InvalidateFrontendDistribution',
      Effect: 'Allow',
      Action: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation', 'cloudfront:ListInvalidations'],
      Resource: `arn:aws:cloudfront::${scope.accountId}:distribution/*`,
      Condition: { StringEquals: { 'aws:ResourceTag/Project': 'tiketi', 'aws:ResourceTag/Environment': env } },
    },
    { Sid: 'ReadFrontendParameters', Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: frontendParameterArns(scope, env) },
  ]);
}

/**
 * SSM Session Manager port forwarding into the private EKS API (docs/platform-contracts.md, "The way into
 * the private API"): sessions only on instances tagged `tiketi:role=api-access`, only with the remote-host
 * port forwarding document (`SessionDocumentAccessCheck` makes SSM check the document even when a caller
 * names none, so the default shell document is refused), and ending or resuming only the caller's own
 * sessions (the `aws:ssmmessages:session-id` tag SSM puts on a session is the starter's `aws:userid`).
 */
export function apiPortForwardStatements(scope: Pick<AccountScope, 'accountId' | 'region'>): Statement[] {
  return [
    {
      Sid: 'PortForwardOnApiAccessHosts',
      Effect: 'Allow',
      Action: ['ssm:StartSession'],
      Resource: `arn:aws:ec2:${scope.region}:${scope.accountId}:instance/*`,
      Condition: {
        StringEquals: { 'ssm:resourceTag/tiketi:role': 'api-access' },
        BoolIfExists: { 'ssm:SessionDocumentAccessCheck': 'true' },
      },
    },
    {
      Sid: 'PortForwardDocumentOnly',
      Effect: 'Allow',
      Action: ['ssm:StartSession'],
      Resource: `arn:aws:ssm:${scope.region}::document/AWS-StartPortForwardingSessionToRemoteHost`,
    },
    {
      Sid: 'EndOrResumeOwnSessions',
      Effect: 'Allow',
      Action: ['ssm:TerminateSession', 'ssm:ResumeSession'],
      Resource: `arn:aws:ssm:${scope.region}:${scope.accountId}:session/*`,
      // `$${...}` is Terraform's escape: IAM receives the policy variable `${aws:userid}`.
      Condition: { StringEquals: { 'ssm:resourceTag/aws:ssmmessages:session-id': '$${aws:userid}' } },
    },
  ];
}

/**
 * Denies reading secret values, which the attached `ReadOnlyAccess` would otherwise allow: Secrets Manager
 * values and SSM parameters, except the plain-text frontend parameters of the environments and AWS's
 * public parameters (`/aws/service/...`, e.g. the AMI IDs a `data "aws_ssm_parameter"` reads at plan time).
 */
function noSecretValues(scope: AccountScope): Statement[] {
  return [
    { Sid: 'NoSecretValues', Effect: 'Deny', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:BatchGetSecretValue'], Resource: '*' },
    {
      Sid: 'NoParameterValuesButFrontendFacts',
      Effect: 'Deny',
      Action: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath', 'ssm:GetParameterHistory'],
      NotResource: [...scope.environments.flatMap((env) => frontendParameterArns(scope, env)), `arn:aws:ssm:${scope.region}::parameter/aws/service/*`],
    },
  ];
}

/**
 * What `terraform plan` needs beyond the attached `ReadOnlyAccess`: read the state, write and remove its
 * lock files (`use_lockfile`), decrypt state only through S3, and reach the private EKS API through SSM
 * port forwarding (the argocd stack's providers refresh Helm releases). Denies reading secret values and
 * any object outside the state bucket, which `ReadOnlyAccess` would otherwise allow.
 */
export function infraPlanPolicy(stateBucketName: string, scope: AccountScope) {
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
        StringEquals: { 'kms:ViaService': `s3.${scope.region}.amazonaws.com` },
        StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucket, `${bucket}/*`] },
      },
    },
    ...apiPortForwardStatements(scope),
    ...noSecretValues(scope),
    { Sid: 'NoObjectsOutsideState', Effect: 'Deny', Action: ['s3:GetObject', 's3:GetObjectVersion'], NotResource: `${bucket}/*` },
  ]);
}

/**
 * Services the Tiketi stacks manage; the apply role may use them in the platform region and us-east-1
 * (CloudFront, ACM, WAF). SSM is not among them: the role gets exactly the parameter actions and the API
 * port forwarding, never `ssm:SendCommand` or a shell on a node.
 */
export const APPLY_SERVICES = [
  'acm', 'autoscaling', 'cloudfront', 'cloudwatch', 'ec2', 'ecr', 'eks', 'elasticache', 'elasticloadbalancing',
  'events', 'kms', 'logs', 'rds', 'route53', 's3', 'secretsmanager', 'sqs', 'wafv2',
] as const;

/** Services that may receive a workload role from the apply role. */
const PASS_ROLE_TO = ['eks.amazonaws.com', 'ec2.amazonaws.com', 'pods.eks.amazonaws.com', 'vpc-flow-logs.amazonaws.com', 'monitoring.rds.amazonaws.com'];
const SERVICE_LINKED_ROLES = ['eks.amazonaws.com', 'eks-nodegroup.amazonaws.com', 'autoscaling.amazonaws.com', 'elasticloadbalancing.amazonaws.com', 'rds.amazonaws.com', 'elasticache.amazonaws.com'];

/**
 * AWS-managed policies the per-environment stacks attach to their roles: the only ones besides their own
 * `tiketi-<env>-*` policies the apply role may attach (`iam:PolicyARN`). Extend it with the stack that needs one.
 */
export const ATTACHABLE_AWS_MANAGED_POLICIES = [
  'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy',
  'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
  'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly',
  'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy',
  'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy',
  'arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole',
  'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
] as const;

/** Role and trust changes that IAM conditions on `iam:PermissionsBoundary` (the role's boundary, or the new one). */
const BOUNDED_ROLE_ACTIONS = [
  'iam:CreateRole',
  'iam:DeleteRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:PutRolePolicy',
  'iam:UpdateAssumeRolePolicy',
];

export interface InfraApplyScope extends AccountScope {
  /** ARN of the `tiketi-boundary` policy every role the apply role creates or changes must carry. */
  readonly boundaryArn: string;
  /** Roles the apply role must never change, whatever their names: the human roles and the CI roles. */
  readonly protectedRoleArns: readonly string[];
}

/**
 * `terraform apply` of the per-environment stacks. IAM is bounded three ways:
 * - namespace: only `tiketi-<env>-*` roles, policies and instance profiles and EKS OIDC providers, so the
 *   human roles (`tiketi-platform-admin`, `tiketi-developer`) and the CI roles (`tiketi-ci-*`) are outside;
 * - boundary: every role it creates, and every role whose policies or trust it changes, must carry
 *   `tiketi-boundary` (which allows no IAM writes); it may not remove a boundary or set another one;
 * - allowlist: it attaches only the AWS-managed policies the stacks use and its own `tiketi-<env>-*` ones.
 * The human and CI roles and the GitHub OIDC provider are also denied outright, so a workflow can never
 * widen its own trust or borrow an administrator's (the registry stack is applied by an admin).
 */
export function infraApplyPolicy(scope: InfraApplyScope) {
  const roles = workloadIamArns(scope, 'role');
  const policies = workloadIamArns(scope, 'policy');
  const onlyWithBoundary = { StringEquals: { 'iam:PermissionsBoundary': scope.boundaryArn } };
  return doc([
    {
      Sid: 'ManagePlatformServices',
      Effect: 'Allow',
      Action: [...APPLY_SERVICES.map((service) => `${service}:*`), 'sts:GetCallerIdentity'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestedRegion': [scope.region, 'us-east-1'] } },
    },
    {
      Sid: 'ManageTiketiParameters',
      Effect: 'Allow',
      Action: ['ssm:PutParameter', 'ssm:DeleteParameter', 'ssm:GetParameter', 'ssm:GetParameters', 'ssm:AddTagsToResource', 'ssm:RemoveTagsFromResource', 'ssm:ListTagsForResource'],
      Resource: `arn:aws:ssm:${scope.region}:${scope.accountId}:parameter/tiketi/*`,
    },
    { Sid: 'DescribeParameters', Effect: 'Allow', Action: ['ssm:DescribeParameters'], Resource: '*' },
    ...apiPortForwardStatements(scope),
    {
      Sid: 'ReadIam',
      Effect: 'Allow',
      Action: [
        'iam:GetInstanceProfile', 'iam:GetOpenIDConnectProvider', 'iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:GetRole',
        'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:ListInstanceProfilesForRole', 'iam:ListPolicyTags',
        'iam:ListPolicyVersions', 'iam:ListRolePolicies', 'iam:ListRoleTags',
      ],
      Resource: '*',
    },
    { Sid: 'CreateAndChangeRolesOnlyWithTheBoundary', Effect: 'Allow', Action: BOUNDED_ROLE_ACTIONS, Resource: roles, Condition: onlyWithBoundary },
    {
      Sid: 'AttachOnlyAllowlistedPolicies',
      Effect: 'Allow',
      Action: ['iam:AttachRolePolicy'],
      Resource: roles,
      Condition: { ...onlyWithBoundary, ArnLike: { 'iam:PolicyARN': [...ATTACHABLE_AWS_MANAGED_POLICIES, ...policies] } },
    },
    { Sid: 'ManageWorkloadRoleMetadata', Effect: 'Allow', Action: ['iam:DeleteRole', 'iam:TagRole', 'iam:UntagRole', 'iam:UpdateRole', 'iam:UpdateRoleDescription'], Resource: roles },
    {
      Sid: 'ManageWorkloadPolicies',
      Effect: 'Allow',
      Action: ['iam:CreatePolicy', 'iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion', 'iam:TagPolicy', 'iam:UntagPolicy'],
      Resource: policies,
    },
    {
      Sid: 'ManageWorkloadInstanceProfiles',
      Effect: 'Allow',
      Action: ['iam:AddRoleToInstanceProfile', 'iam:CreateInstanceProfile', 'iam:DeleteInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:TagInstanceProfile', 'iam:UntagInstanceProfile'],
      Resource: workloadIamArns(scope, 'instance-profile'),
    },
    {
      Sid: 'ManageEksOidcProviders',
      Effect: 'Allow',
      Action: [
        'iam:AddClientIDToOpenIDConnectProvider', 'iam:CreateOpenIDConnectProvider', 'iam:DeleteOpenIDConnectProvider',
        'iam:RemoveClientIDFromOpenIDConnectProvider', 'iam:TagOpenIDConnectProvider', 'iam:UntagOpenIDConnectProvider',
        'iam:UpdateOpenIDConnectProviderThumbprint',
      ],
      Resource: iamArn(scope, `oidc-provider/oidc.eks.${scope.region}.amazonaws.com/*`),
    },
    { Sid: 'PassWorkloadRolesToServices', Effect: 'Allow', Action: ['iam:PassRole'], Resource: roles, Condition: { StringEquals: { 'iam:PassedToService': PASS_ROLE_TO } } },
    {
      Sid: 'CreateServiceLinkedRoles',
      Effect: 'Allow',
      Action: ['iam:CreateServiceLinkedRole'],
      Resource: '*',
      Condition: { StringEquals: { 'iam:AWSServiceName': SERVICE_LINKED_ROLES } },
    },
    { Sid: 'NeverRemoveABoundary', Effect: 'Deny', Action: ['iam:DeleteRolePermissionsBoundary'], Resource: '*' },
    {
      Sid: 'NeverAnotherBoundary',
      Effect: 'Deny',
      Action: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary'],
      Resource: '*',
      // A missing boundary counts as another one: StringNotEquals holds when the key is absent.
      Condition: { StringNotEquals: { 'iam:PermissionsBoundary': scope.boundaryArn } },
    },
    {
      Sid: 'NeverChangeTheBoundaryPolicy',
      Effect: 'Deny',
      Action: ['iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:TagPolicy', 'iam:UntagPolicy'],
      Resource: scope.boundaryArn,
    },
    {
      Sid: 'NeverTouchHumanOrCiIdentities',
      Effect: 'Deny',
      Action: ['iam:Attach*', 'iam:Create*', 'iam:Delete*', 'iam:Detach*', 'iam:Put*', 'iam:Tag*', 'iam:Untag*', 'iam:Update*', 'iam:PassRole'],
      Resource: [...scope.protectedRoleArns, iamArn(scope, 'oidc-provider/token.actions.githubusercontent.com')],
    },
  ]);
}

/** Services workload roles (controllers, add-ons, nodes, service roles, later the applications) may use. */
export const BOUNDARY_SERVICES = [
  'acm', 'autoscaling', 'cloudwatch', 'cognito-idp', 'ec2', 'ec2messages', 'ecr', 'eks', 'eks-auth', 'elasticache',
  'elasticloadbalancing', 'kms', 'logs', 'rds-db', 'route53', 's3', 'secretsmanager', 'shield', 'sqs', 'ssm',
  'ssmmessages', 'tag', 'waf-regional', 'wafv2',
] as const;

/**
 * `tiketi-boundary`: the most any role of the per-environment stacks may ever do, whatever policies it gets.
 * The services the stacks and their controllers use, in the platform region and us-east-1 (Route53 and
 * other global services answer there); IAM reads and the service-linked roles EKS and the load balancer
 * controller create; and no IAM write (no role, user, key, policy or trust change, no PassRole), no
 * Organizations or account change. A boundary grants nothing by itself: it caps the role's own policies.
 */
export function workloadBoundaryPolicy(region: string) {
  return doc([
    {
      Sid: 'PlatformServices',
      Effect: 'Allow',
      Action: [...BOUNDARY_SERVICES.map((service) => `${service}:*`), 'sts:GetCallerIdentity'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestedRegion': [region, 'us-east-1'] } },
    },
    {
      Sid: 'ReadIam',
      Effect: 'Allow',
      Action: ['iam:GetRole', 'iam:GetServerCertificate', 'iam:ListServerCertificates', 'iam:GetInstanceProfile', 'iam:ListInstanceProfiles'],
      Resource: '*',
    },
    {
      Sid: 'ServiceLinkedRolesOfThePlatform',
      Effect: 'Allow',
      Action: ['iam:CreateServiceLinkedRole'],
      Resource: '*',
      Condition: { StringEquals: { 'iam:AWSServiceName': ['elasticloadbalancing.amazonaws.com', 'autoscaling.amazonaws.com', 'eks.amazonaws.com', 'eks-nodegroup.amazonaws.com'] } },
    },
    {
      Sid: 'NoIamWrites',
      Effect: 'Deny',
      Action: [
        'iam:Add*', 'iam:Attach*', 'iam:ChangePassword', 'iam:CreateAccessKey', 'iam:CreateGroup', 'iam:CreateInstanceProfile',
        'iam:CreateLoginProfile', 'iam:CreateOpenIDConnectProvider', 'iam:CreatePolicy', 'iam:CreatePolicyVersion', 'iam:CreateRole',
        'iam:CreateSAMLProvider', 'iam:CreateServiceSpecificCredential', 'iam:CreateUser', 'iam:CreateVirtualMFADevice',
        'iam:Deactivate*', 'iam:Delete*', 'iam:Detach*', 'iam:Enable*', 'iam:PassRole', 'iam:Put*', 'iam:Remove*', 'iam:Reset*',
        'iam:Set*', 'iam:Tag*', 'iam:Untag*', 'iam:Update*', 'iam:Upload*',
      ],
      Resource: '*',
    },
    { Sid: 'NoAccountOrOrganizationChanges', Effect: 'Deny', Action: ['organizations:*', 'account:*'], Resource: '*' },
  ]);
}

/**
 * The developer role: everything `ReadOnlyAccess` shows except secret values, and the SSM port forwarding
 * that `kubectl` needs to reach the private API (its access entry is read-only too).
 */
export function developerPolicy(scope: AccountScope) {
  return doc([...apiPortForwardStatements(scope), ...noSecretValues(scope)]);
}
