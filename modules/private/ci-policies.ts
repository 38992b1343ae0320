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

const iamArn = (scope: Pick<AccountScope, 'accountId'>, path: string) => `arn:aws:iam::${scope.accountId}:${path}`;


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
export function apiPortForwardStatements(scope: Pick<AccountScope, 'accountId' | 'region'>, environment?: string): Statement[] {
  return [
    {
      Sid: 'PortForwardOnApiAccessHosts',
      Effect: 'Allow',
      Action: ['ssm:StartSession'],
      Resource: `arn:aws:ec2:${scope.region}:${scope.accountId}:instance/*`,
      Condition: {
        // An apply role reaches only its own environment's host (and through it only that cluster).
        StringEquals: { 'ssm:resourceTag/tiketi:role': 'api-access', ...(environment === undefined ? {} : { 'ssm:resourceTag/Environment': environment }) },
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

/** Where the per-environment stacks keep their Secrets Manager secrets: `tiketi/<env>/` (settings `argocd.secrets`). */
export function platformSecretArns(scope: Pick<AccountScope, 'accountId' | 'region'>, env: string): string {
  return `arn:aws:secretsmanager:${scope.region}:${scope.accountId}:secret:tiketi/${env}/*`;
}

/**
 * The alias of the key that encrypts `tiketi/<env>/*` (`modules/platform-secrets.ts` in the cluster stack:
 * `alias/tiketi-<env>-platform-secrets`). The registry stack is applied before any cluster stack, so it cannot
 * look the key up; the plan role names it by alias (`kms:ResourceAliases`) instead. The walk test
 * (`__tests__/registry/ci-permissions.test.ts`) checks this against the key the secrets really use.
 */
export function platformSecretsKeyAlias(env: string): string {
  return `alias/tiketi-${env}-platform-secrets`;
}

/**
 * Denies reading secret values, which the attached `ReadOnlyAccess` would otherwise allow for parameters:
 * Secrets Manager values (but those of `readableSecrets`) and SSM parameters, except the plain-text frontend
 * parameters of the environments and AWS's public parameters (`/aws/service/...`, e.g. the AMI IDs a
 * `data "aws_ssm_parameter"` reads at plan time).
 */
function noSecretValues(scope: AccountScope, readableSecrets: readonly string[] = []): Statement[] {
  const secretActions = ['secretsmanager:GetSecretValue', 'secretsmanager:BatchGetSecretValue'];
  return [
    readableSecrets.length === 0
      ? { Sid: 'NoSecretValues', Effect: 'Deny', Action: secretActions, Resource: '*' }
      : { Sid: 'NoSecretValuesButThePlatformSecrets', Effect: 'Deny', Action: secretActions, NotResource: [...readableSecrets] },
    {
      Sid: 'NoParameterValuesButFrontendFacts',
      Effect: 'Deny',
      Action: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath', 'ssm:GetParameterHistory'],
      NotResource: [...scope.environments.flatMap((env) => frontendParameterArns(scope, env)), `arn:aws:ssm:${scope.region}::parameter/aws/service/*`],
    },
  ];
}

/** The Terraform state the CI roles read and lock: the bootstrap stack's bucket and key (the S3 backend). */
export interface StateAccess {
  readonly bucketName: string;
  /** Region of the bucket (`TIKETI_STATE_REGION`): S3 calls KMS from there. */
  readonly region: string;
  /** ARN of the state key (looked up at plan time from `TIKETI_STATE_KMS_KEY_ID` or the key's alias). */
  readonly keyArn: string;
}

/** Decrypt (and encrypt) with the state key only as S3 does it for objects under `objectPrefix` of the state bucket. */
function stateKeyThroughS3(sid: string, state: StateAccess, actions: string[], objectPrefix: string): Statement {
  const bucket = `arn:aws:s3:::${state.bucketName}`;
  return {
    Sid: sid,
    Effect: 'Allow',
    Action: actions,
    Resource: state.keyArn,
    Condition: {
      StringEquals: { 'kms:ViaService': `s3.${state.region}.amazonaws.com` },
      // The object's ARN, or the bucket's with S3 Bucket Keys.
      StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucket, `${bucket}/${objectPrefix}*`] },
    },
  };
}

/**
 * What `terraform plan` needs beyond the attached `ReadOnlyAccess`: read the state, write and remove its
 * lock files (`use_lockfile`), decrypt state only through S3 and only with the state key; reach the private
 * EKS API through SSM port forwarding (the argocd stack's providers refresh Helm releases); and read the
 * argocd stack's secrets `tiketi/<env>/*`, which its ephemeral resources open during plan too, with their
 * key (named by alias, only through Secrets Manager, only for those secrets). Denies every other secret value
 * and any object outside the state bucket, which `ReadOnlyAccess` would otherwise allow.
 */
export function infraPlanPolicy(scope: AccountScope, state?: StateAccess) {
  const readableSecrets = scope.environments.map((env) => platformSecretArns(scope, env));
  const bucket = state && `arn:aws:s3:::${state.bucketName}`;
  return doc([
    ...(state && bucket
      ? [
          { Sid: 'ListState', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: bucket },
          { Sid: 'ReadState', Effect: 'Allow', Action: ['s3:GetObject'], Resource: `${bucket}/*` },
          { Sid: 'LockState', Effect: 'Allow', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: `${bucket}/*.tflock` },
          stateKeyThroughS3('DecryptStateThroughS3', state, ['kms:Decrypt', 'kms:GenerateDataKey'], ''),
        ]
      : []),
    { Sid: 'ReadPlatformSecretValues', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: readableSecrets },
    {
      Sid: 'DecryptPlatformSecretsThroughSecretsManager',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: `arn:aws:kms:${scope.region}:${scope.accountId}:key/*`,
      Condition: {
        StringEquals: { 'kms:ViaService': `secretsmanager.${scope.region}.amazonaws.com` },
        StringLike: { 'kms:EncryptionContext:SecretARN': readableSecrets },
        'ForAnyValue:StringEquals': { 'kms:ResourceAliases': scope.environments.map(platformSecretsKeyAlias) },
      },
    },
    ...apiPortForwardStatements(scope),
    ...noSecretValues(scope, readableSecrets),
    ...(bucket ? [{ Sid: 'NoObjectsOutsideState', Effect: 'Deny', Action: ['s3:GetObject', 's3:GetObjectVersion'], NotResource: `${bucket}/*` }] : []),
  ]);
}

/**
 * Services whose resources the per-environment stacks manage with no narrower ARN than their service: the
 * apply role may use them in the platform region and us-east-1 (CloudFront, ACM and WAF for CloudFront),
 * and `NothingOfAnotherEnvironment` keeps it off what carries another environment's `Environment` tag. KMS,
 * S3, Secrets Manager, SSM, Route53 and IAM get statements of their own, scoped by name. Every service here
 * is needed by a resource type in the walk table of `__tests__/registry/ci-permissions.test.ts`.
 */
export const APPLY_SERVICES = ['acm', 'autoscaling', 'cloudfront', 'cloudwatch', 'ec2', 'eks', 'elasticache', 'logs', 'rds', 'sns', 'wafv2'] as const;

/**
 * Services where the `Environment` tag of a resource or of a request is evaluated (`aws:ResourceTag`,
 * `aws:RequestTag`): an apply role is denied everything there that is tagged for another environment.
 * Where a resource has no tags (CloudFront cache/origin-access/response-headers policies, CloudWatch Logs
 * resource policies, log deliveries' account-level calls) or the action is not resource-level (Describe*),
 * the keys are absent and the deny does not apply: docs/registry.md lists what that leaves open.
 */
export const TAG_SCOPED_SERVICES = ['acm', 'autoscaling', 'cloudfront', 'cloudwatch', 'ec2', 'eks', 'elasticache', 'kms', 'logs', 'rds', 'secretsmanager', 'sns', 'ssm', 'wafv2'] as const;

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

/** What one environment's apply role takes from that environment's settings. */
export interface ApplyEnvironment {
  /** `dev`, `staging` or `prod`. */
  readonly name: string;
  /** The frontend bucket and its access-log bucket (exact names: `frontendBucketName`, `accessLogBucketName`). */
  readonly buckets: readonly string[];
  /**
   * Host names whose records the environment's stacks write in the shared zone (frontend, API, Argo CD): each
   * name itself and its ACM validation record `_<32 hex>.<name>`.
   */
  readonly dnsNames: readonly string[];
}

export interface InfraApplyScope extends Pick<AccountScope, 'accountId' | 'region'> {
  readonly environment: ApplyEnvironment;
  /** ARN of the `tiketi-boundary` policy every role the apply role creates or changes must carry. */
  readonly boundaryArn: string;
  /** Roles the apply role must never change, whatever their names: the human roles and the CI roles. */
  readonly protectedRoleArns: readonly string[];
  /** @default - no S3 state (Terraform Cloud keeps it) */
  readonly state?: StateAccess;
}

/** ACM's DNS validation record of `name`: `_` + 32 hex characters + `.` + name (`?` is one character). */
const acmValidationRecord = (name: string) => `_${'?'.repeat(32)}.${name}`;

/**
 * `terraform apply` of ONE environment's stacks (`tiketi-ci-infra-apply-<env>`). Everything is bounded to
 * that environment: by name where AWS names carry it (IAM `tiketi-<env>-*`, KMS aliases, S3 buckets, SSM
 * parameters and secrets `tiketi/<env>/*`, CloudFront functions, Route53 record names, the state objects
 * `tiketi/<env>/*`), and by the `Environment` tag the stacks' default tags put on everything else (KMS keys
 * and EKS OIDC providers by allow; the tag-scoped services by `NothingOfAnotherEnvironment`). IAM is bounded
 * three ways:
 * - namespace: only `tiketi-<env>-*` roles, policies and instance profiles and the environment's EKS OIDC
 *   provider, so the human roles (`tiketi-platform-admin`, `tiketi-developer`), the CI roles (`tiketi-ci-*`)
 *   and every other environment's roles are outside;
 * - boundary: every role it creates, and every role whose policies or trust it changes, must carry
 *   `tiketi-boundary` (which allows no IAM writes); it may not remove a boundary or set another one;
 * - allowlist: it attaches only the AWS-managed policies the stacks use and its own `tiketi-<env>-*` ones.
 * The human and CI roles and the GitHub OIDC provider are also denied outright, so a workflow can never
 * widen its own trust or borrow an administrator's (the registry stack is applied by an admin).
 */
export function infraApplyPolicy(scope: InfraApplyScope) {
  const env = scope.environment.name;
  const regions = [scope.region, 'us-east-1'];
  const inRegions = { 'aws:RequestedRegion': regions };
  const iam = (path: string) => iamArn(scope, path);
  const roles = [iam(`role/tiketi-${env}-*`)];
  const policies = [iam(`policy/tiketi-${env}-*`)];
  const onlyWithBoundary = { StringEquals: { 'iam:PermissionsBoundary': scope.boundaryArn } };
  const eksOidcProviders = iam(`oidc-provider/oidc.eks.${scope.region}.amazonaws.com/*`);
  const oidcProviderChanges = [
    'iam:AddClientIDToOpenIDConnectProvider', 'iam:DeleteOpenIDConnectProvider', 'iam:RemoveClientIDFromOpenIDConnectProvider',
    'iam:TagOpenIDConnectProvider', 'iam:UntagOpenIDConnectProvider', 'iam:UpdateOpenIDConnectProviderThumbprint',
  ];
  const state = scope.state;
  const stateBucket = state && `arn:aws:s3:::${state.bucketName}`;
  const stateObjects = `tiketi/${env}/`;
  return doc([
    {
      Sid: 'ManagePlatformServices',
      Effect: 'Allow',
      Action: [...APPLY_SERVICES.map((service) => `${service}:*`), 'sts:GetCallerIdentity'],
      Resource: '*',
      Condition: { StringEquals: inRegions },
    },
    // KMS: keys by their Environment tag (set at creation: the provider passes the default tags to CreateKey),
    // aliases by name. Keys of other environments and of the account (the state key, the ECR key) are out.
    { Sid: 'CreateKeysOfThisEnvironment', Effect: 'Allow', Action: ['kms:CreateKey', 'kms:TagResource'], Resource: '*', Condition: { StringEquals: { ...inRegions, 'aws:RequestTag/Environment': env } } },
    {
      Sid: 'KeysOfThisEnvironment',
      Effect: 'Allow',
      Action: ['kms:*'],
      Resource: regions.map((region) => `arn:aws:kms:${region}:${scope.accountId}:key/*`),
      Condition: { StringEquals: { 'aws:ResourceTag/Environment': env } },
    },
    {
      Sid: 'KeyAliasesOfThisEnvironment',
      Effect: 'Allow',
      Action: ['kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias'],
      Resource: regions.map((region) => `arn:aws:kms:${region}:${scope.accountId}:alias/tiketi-${env}-*`),
    },
    { Sid: 'ListKeyAliases', Effect: 'Allow', Action: ['kms:ListAliases'], Resource: '*' },
    // State: its own environment's objects only (remote state is read within the environment).
    ...(state && stateBucket
      ? [
          { Sid: 'ListState', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: stateBucket },
          { Sid: 'ReadStateOfThisEnvironment', Effect: 'Allow', Action: ['s3:GetObject'], Resource: `${stateBucket}/${stateObjects}*` },
          { Sid: 'WriteStateOfThisEnvironment', Effect: 'Allow', Action: ['s3:PutObject'], Resource: `${stateBucket}/${stateObjects}*` },
          { Sid: 'RemoveLocksOfThisEnvironment', Effect: 'Allow', Action: ['s3:DeleteObject'], Resource: `${stateBucket}/${stateObjects}*.tflock` },
          stateKeyThroughS3('StateKeyThroughS3', state, ['kms:Decrypt', 'kms:GenerateDataKey'], stateObjects),
        ]
      : []),
    {
      Sid: 'FrontendBucketsOfThisEnvironment',
      Effect: 'Allow',
      Action: ['s3:*'],
      Resource: scope.environment.buckets.flatMap((bucket) => [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`]),
    },
    { Sid: 'SecretsOfThisEnvironment', Effect: 'Allow', Action: ['secretsmanager:*'], Resource: platformSecretArns(scope, env) },
    {
      // RDS makes the master password secret (`manage_master_user_password`) with the caller's permissions,
      // named `rds!db-<uuid>`: not scopable by environment (docs/registry.md). No GetSecretValue.
      Sid: 'RdsManagedMasterSecrets',
      Effect: 'Allow',
      Action: ['secretsmanager:CreateSecret', 'secretsmanager:DeleteSecret', 'secretsmanager:DescribeSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:RotateSecret', 'secretsmanager:TagResource', 'secretsmanager:UpdateSecret'],
      Resource: `arn:aws:secretsmanager:${scope.region}:${scope.accountId}:secret:rds!*`,
    },
    {
      Sid: 'ParametersOfThisEnvironment',
      Effect: 'Allow',
      Action: ['ssm:PutParameter', 'ssm:DeleteParameter', 'ssm:GetParameter', 'ssm:GetParameters', 'ssm:AddTagsToResource', 'ssm:RemoveTagsFromResource', 'ssm:ListTagsForResource'],
      Resource: `arn:aws:ssm:${scope.region}:${scope.accountId}:parameter/tiketi/${env}/*`,
    },
    // The AMI of the api-access host (`data "aws_ssm_parameter"` of /aws/service/ami-amazon-linux-latest/...).
    { Sid: 'ReadPublicParameters', Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:GetParameters'], Resource: `arn:aws:ssm:${scope.region}::parameter/aws/service/*` },
    { Sid: 'DescribeParameters', Effect: 'Allow', Action: ['ssm:DescribeParameters'], Resource: '*' },
    {
      Sid: 'RecordsOfThisEnvironment',
      Effect: 'Allow',
      Action: ['route53:ChangeResourceRecordSets'],
      Resource: 'arn:aws:route53:::hostedzone/*',
      Condition: {
        'ForAllValues:StringLike': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': scope.environment.dnsNames.flatMap((name) => [name, acmValidationRecord(name)]) },
        Null: { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': 'false' },
      },
    },
    { Sid: 'ReadDns', Effect: 'Allow', Action: ['route53:Get*', 'route53:List*'], Resource: '*' },
    // The observability stack finds the API load balancer (made by the AWS Load Balancer Controller) by its
    // tags; ELB's Describe calls have no resource-level permissions. No ELB write: the controller owns it.
    { Sid: 'FindLoadBalancers', Effect: 'Allow', Action: ['elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeTags'], Resource: '*', Condition: { StringEquals: inRegions } },
    ...apiPortForwardStatements(scope, env),
    {
      Sid: 'ReadIam',
      Effect: 'Allow',
      Action: [
        'iam:GetInstanceProfile', 'iam:GetOpenIDConnectProvider', 'iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:GetRole',
        'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:ListEntitiesForPolicy', 'iam:ListInstanceProfileTags', 'iam:ListInstanceProfilesForRole',
        'iam:ListOpenIDConnectProviderTags', 'iam:ListPolicyTags', 'iam:ListPolicyVersions', 'iam:ListRolePolicies', 'iam:ListRoleTags',
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
      Resource: [iam(`instance-profile/tiketi-${env}-*`)],
    },
    // The EKS OIDC provider's ARN holds the cluster's random ID, not its name: scoped by its Environment tag.
    { Sid: 'CreateEksOidcProviderOfThisEnvironment', Effect: 'Allow', Action: ['iam:CreateOpenIDConnectProvider', 'iam:TagOpenIDConnectProvider'], Resource: eksOidcProviders, Condition: { StringEquals: { 'aws:RequestTag/Environment': env } } },
    { Sid: 'ManageEksOidcProviderOfThisEnvironment', Effect: 'Allow', Action: oidcProviderChanges, Resource: eksOidcProviders, Condition: { StringEquals: { 'aws:ResourceTag/Environment': env } } },
    { Sid: 'PassWorkloadRolesToServices', Effect: 'Allow', Action: ['iam:PassRole'], Resource: roles, Condition: { StringEquals: { 'iam:PassedToService': PASS_ROLE_TO } } },
    {
      Sid: 'CreateServiceLinkedRoles',
      Effect: 'Allow',
      Action: ['iam:CreateServiceLinkedRole'],
      Resource: '*',
      Condition: { StringEquals: { 'iam:AWSServiceName': SERVICE_LINKED_ROLES } },
    },
    {
      // The safety net of the wildcard services: nothing that carries another environment's Environment tag,
      // as a resource or in a request, whatever the allows above say. The state key (tagged for the account)
      // is the one resource of another tag the role needs.
      Sid: 'NothingOfAnotherEnvironment',
      Effect: 'Deny',
      Action: [...TAG_SCOPED_SERVICES.map((service) => `${service}:*`), ...oidcProviderChanges],
      ...(state ? { NotResource: [state.keyArn] } : { Resource: '*' }),
      Condition: { StringNotEquals: { 'aws:ResourceTag/Environment': env }, Null: { 'aws:ResourceTag/Environment': 'false' } },
    },
    {
      Sid: 'NothingTaggedForAnotherEnvironment',
      Effect: 'Deny',
      Action: [...TAG_SCOPED_SERVICES.map((service) => `${service}:*`), 'iam:CreateOpenIDConnectProvider', ...oidcProviderChanges],
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:RequestTag/Environment': env }, Null: { 'aws:RequestTag/Environment': 'false' } },
    },
    {
      // CloudFront functions carry no tags, but their names are the environment's.
      Sid: 'OnlyFunctionsOfThisEnvironment',
      Effect: 'Deny',
      Action: ['cloudfront:CreateFunction', 'cloudfront:DeleteFunction', 'cloudfront:PublishFunction', 'cloudfront:UpdateFunction'],
      NotResource: `arn:aws:cloudfront::${scope.accountId}:function/tiketi-${env}-*`,
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
      Resource: [...scope.protectedRoleArns, iam('oidc-provider/token.actions.githubusercontent.com')],
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
