/**
 * The effective permissions of every role of the registry stack, stated here once, literally: each Allow's
 * actions, resources and conditions and each Deny, per role (the CI roles, the human roles) and of the
 * `tiketi-boundary` permissions boundary. Two proofs per role:
 * - the synthesized policy (Terraform references resolved to stand-ins) is exactly the stated one;
 * - the stated meaning holds under IAM's evaluation (`iam-evaluator.ts`, with the managed policies attached):
 *   for every statement, each action on each resource, with a request that meets its conditions, is decided
 *   by that statement (a Deny denies it outright); breaking any one condition (another region, another
 *   environment's tag, no boundary, ...), using another environment's resource, another resource or an
 *   unlisted action of the service takes the statement out; the exceptions of a NotResource stay exceptions.
 * Plus a few requests that say what matters in plain words (wrong region, other environment, no secrets).
 *
 * The stand-ins (account, state key) are those of registry-policies.ts. Changing a role's permissions means
 * changing the statement here: that is the point (docs/registry.md explains the design).
 */
import { ALL_ENVIRONMENTS, synthApp } from '../support/synth';
import { arnMatches } from './arn-glob';
import { ContextValue, evaluate, IamRequest, PolicyDocument, PolicyStatement } from './iam-evaluator';
import { policiesOf, resolveRegistryPolicy } from './registry-policies';

type Env = (typeof ALL_ENVIRONMENTS)[number];

const A = '123456789012';
const R = 'ap-northeast-2';
const REGIONS = [R, 'us-east-1'];
const STATE_KEY = `arn:aws:kms:${R}:${A}:key/5ea7e000-0000-4000-8000-000000000000`;
const STATE = 'arn:aws:s3:::tiketi-terraform-state';
const BOUNDARY = `arn:aws:iam::${A}:policy/tiketi-boundary`;
const CALLER = 'AROAEXAMPLEROLEID:ci-session';
const SERVICES = ['backend', 'auth-service', 'ticket-service', 'payment-service', 'stats-service'];
/** Host names of each environment's records in the shared zone: frontend, API, Argo CD, Grafana. */
const HOSTS: Record<Env, string[]> = {
  dev: ['dev.tiketi.com', 'api-dev.tiketi.com', 'argocd-dev.tiketi.com', 'grafana-dev.tiketi.com'],
  staging: ['staging.tiketi.com', 'api-staging.tiketi.com', 'argocd-staging.tiketi.com', 'grafana-staging.tiketi.com'],
  prod: ['tiketi.com', 'api.tiketi.com', 'argocd.tiketi.com', 'grafana.tiketi.com'],
};
const FRONTEND_PARAMETERS = (env: Env) => ['bucket', 'distribution-id', 'api-url'].map((p) => `arn:aws:ssm:${R}:${A}:parameter/tiketi/${env}/frontend/${p}`);
const PLATFORM_SECRETS = ALL_ENVIRONMENTS.map((env) => `arn:aws:secretsmanager:${R}:${A}:secret:tiketi/${env}/*`);

/** A statement as stated here; `outside` is a resource a NotResource statement applies to (for the probes). */
type Stated = PolicyStatement & { readonly Sid: string; readonly outside?: string };

const allow = (Sid: string, Action: string[], Resource: string | string[], Condition?: Stated['Condition']): Stated => ({ Sid, Effect: 'Allow', Action, Resource, ...(Condition ? { Condition } : {}) });
const deny = (Sid: string, Action: string[], Resource: string | string[], Condition?: Stated['Condition']): Stated => ({ Sid, Effect: 'Deny', Action, Resource, ...(Condition ? { Condition } : {}) });
const denyBut = (Sid: string, Action: string[], NotResource: string | string[], outside: string, Condition?: Stated['Condition']): Stated => ({ Sid, Effect: 'Deny', Action, NotResource, outside, ...(Condition ? { Condition } : {}) });

const portForward = (env?: Env): Stated[] => [
  allow('PortForwardOnApiAccessHosts', ['ssm:StartSession'], `arn:aws:ec2:${R}:${A}:instance/*`, {
    StringEquals: { 'ssm:resourceTag/tiketi:role': 'api-access', ...(env ? { 'ssm:resourceTag/Environment': env } : {}) },
    BoolIfExists: { 'ssm:SessionDocumentAccessCheck': 'true' },
  }),
  allow('PortForwardDocumentOnly', ['ssm:StartSession'], `arn:aws:ssm:${R}::document/AWS-StartPortForwardingSessionToRemoteHost`),
  allow('EndOrResumeOwnSessions', ['ssm:TerminateSession', 'ssm:ResumeSession'], `arn:aws:ssm:${R}:${A}:session/*`, { StringEquals: { 'ssm:resourceTag/aws:ssmmessages:session-id': '${aws:userid}' } }),
];
const noParameterValues = denyBut(
  'NoParameterValuesButFrontendFacts',
  ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath', 'ssm:GetParameterHistory'],
  [...ALL_ENVIRONMENTS.flatMap(FRONTEND_PARAMETERS), `arn:aws:ssm:${R}::parameter/aws/service/*`],
  `arn:aws:ssm:${R}:${A}:parameter/tiketi/prod/payment/api-key`,
);
const secretActions = ['secretsmanager:GetSecretValue', 'secretsmanager:BatchGetSecretValue'];

// ---------------------------------------------------------------- the policy, stated

const TAGGED_SERVICES = ['acm:*', 'autoscaling:*', 'cloudfront:*', 'cloudwatch:*', 'ec2:*', 'eks:*', 'elasticache:*', 'kms:*', 'logs:*', 'rds:*', 'secretsmanager:*', 'sns:*', 'ssm:*', 'wafv2:*'];
const OIDC_CHANGES = ['iam:AddClientIDToOpenIDConnectProvider', 'iam:DeleteOpenIDConnectProvider', 'iam:RemoveClientIDFromOpenIDConnectProvider', 'iam:TagOpenIDConnectProvider', 'iam:UntagOpenIDConnectProvider', 'iam:UpdateOpenIDConnectProviderThumbprint'];

function applyPolicy(env: Env): Stated[] {
  const roles = [`arn:aws:iam::${A}:role/tiketi-${env}-*`];
  const inRegions = { 'aws:RequestedRegion': REGIONS };
  const eksOidc = `arn:aws:iam::${A}:oidc-provider/oidc.eks.${R}.amazonaws.com/*`;
  const other = env === 'prod' ? 'dev' : 'prod';
  return [
    allow('ManagePlatformServices', ['acm:*', 'autoscaling:*', 'cloudfront:*', 'cloudwatch:*', 'ec2:*', 'eks:*', 'elasticache:*', 'logs:*', 'rds:*', 'sns:*', 'wafv2:*', 'sts:GetCallerIdentity'], '*', { StringEquals: inRegions }),
    allow('CreateKeysOfThisEnvironment', ['kms:CreateKey', 'kms:TagResource'], '*', { StringEquals: { ...inRegions, 'aws:RequestTag/Environment': env } }),
    allow('KeysOfThisEnvironment', ['kms:*'], REGIONS.map((r) => `arn:aws:kms:${r}:${A}:key/*`), { StringEquals: { 'aws:ResourceTag/Environment': env } }),
    allow('KeyAliasesOfThisEnvironment', ['kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias'], REGIONS.map((r) => `arn:aws:kms:${r}:${A}:alias/tiketi-${env}-*`)),
    allow('ListKeyAliases', ['kms:ListAliases'], '*'),
    allow('ListState', ['s3:ListBucket'], STATE),
    allow('ReadStateOfThisEnvironment', ['s3:GetObject'], `${STATE}/tiketi/${env}/*`),
    allow('WriteStateOfThisEnvironment', ['s3:PutObject'], `${STATE}/tiketi/${env}/*`),
    allow('RemoveLocksOfThisEnvironment', ['s3:DeleteObject'], `${STATE}/tiketi/${env}/*.tflock`),
    allow('StateKeyThroughS3', ['kms:Decrypt', 'kms:GenerateDataKey'], STATE_KEY, {
      StringEquals: { 'kms:ViaService': `s3.${R}.amazonaws.com` },
      StringLike: { 'kms:EncryptionContext:aws:s3:arn': [STATE, `${STATE}/tiketi/${env}/*`] },
    }),
    allow('FrontendBucketsOfThisEnvironment', ['s3:*'], [`tiketi-frontend-${env}`, `tiketi-frontend-${env}-logs`].flatMap((b) => [`arn:aws:s3:::${b}`, `arn:aws:s3:::${b}/*`])),
    allow('SecretsOfThisEnvironment', ['secretsmanager:*'], `arn:aws:secretsmanager:${R}:${A}:secret:tiketi/${env}/*`),
    allow(
      'RdsManagedMasterSecrets',
      ['secretsmanager:CreateSecret', 'secretsmanager:DeleteSecret', 'secretsmanager:DescribeSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:RotateSecret', 'secretsmanager:TagResource', 'secretsmanager:UpdateSecret'],
      `arn:aws:secretsmanager:${R}:${A}:secret:rds!*`,
    ),
    allow(
      'ParametersOfThisEnvironment',
      ['ssm:PutParameter', 'ssm:DeleteParameter', 'ssm:GetParameter', 'ssm:GetParameters', 'ssm:AddTagsToResource', 'ssm:RemoveTagsFromResource', 'ssm:ListTagsForResource'],
      `arn:aws:ssm:${R}:${A}:parameter/tiketi/${env}/*`,
    ),
    allow('ReadPublicParameters', ['ssm:GetParameter', 'ssm:GetParameters'], `arn:aws:ssm:${R}::parameter/aws/service/*`),
    allow('DescribeParameters', ['ssm:DescribeParameters'], '*'),
    allow('RecordsOfThisEnvironment', ['route53:ChangeResourceRecordSets'], 'arn:aws:route53:::hostedzone/*', {
      'ForAllValues:StringLike': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': HOSTS[env].flatMap((h) => [h, `_${'?'.repeat(32)}.${h}`]) },
      Null: { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': 'false' },
    }),
    allow('ReadDns', ['route53:Get*', 'route53:List*'], '*'),
    allow('FindLoadBalancers', ['elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeTags'], '*', { StringEquals: inRegions }),
    ...portForward(env),
    allow(
      'ReadIam',
      [
        'iam:GetInstanceProfile', 'iam:GetOpenIDConnectProvider', 'iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:GetRole', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies',
        'iam:ListEntitiesForPolicy', 'iam:ListInstanceProfileTags', 'iam:ListInstanceProfilesForRole', 'iam:ListOpenIDConnectProviderTags', 'iam:ListPolicyTags',
        'iam:ListPolicyVersions', 'iam:ListRolePolicies', 'iam:ListRoleTags',
      ],
      '*',
    ),
    allow('CreateAndChangeRolesOnlyWithTheBoundary', ['iam:CreateRole', 'iam:DeleteRolePolicy', 'iam:DetachRolePolicy', 'iam:PutRolePermissionsBoundary', 'iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy'], roles, { StringEquals: { 'iam:PermissionsBoundary': BOUNDARY } }),
    allow('AttachOnlyAllowlistedPolicies', ['iam:AttachRolePolicy'], roles, {
      StringEquals: { 'iam:PermissionsBoundary': BOUNDARY },
      ArnLike: {
        'iam:PolicyARN': [
          'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy',
          'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
          'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly',
          'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy',
          'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy',
          'arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole',
          'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
          `arn:aws:iam::${A}:policy/tiketi-${env}-*`,
        ],
      },
    }),
    allow('ManageWorkloadRoleMetadata', ['iam:DeleteRole', 'iam:TagRole', 'iam:UntagRole', 'iam:UpdateRole', 'iam:UpdateRoleDescription'], roles),
    allow('ManageWorkloadPolicies', ['iam:CreatePolicy', 'iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion', 'iam:TagPolicy', 'iam:UntagPolicy'], [`arn:aws:iam::${A}:policy/tiketi-${env}-*`]),
    allow(
      'ManageWorkloadInstanceProfiles',
      ['iam:AddRoleToInstanceProfile', 'iam:CreateInstanceProfile', 'iam:DeleteInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:TagInstanceProfile', 'iam:UntagInstanceProfile'],
      [`arn:aws:iam::${A}:instance-profile/tiketi-${env}-*`],
    ),
    allow('CreateEksOidcProviderOfThisEnvironment', ['iam:CreateOpenIDConnectProvider', 'iam:TagOpenIDConnectProvider'], eksOidc, { StringEquals: { 'aws:RequestTag/Environment': env } }),
    allow('ManageEksOidcProviderOfThisEnvironment', OIDC_CHANGES, eksOidc, { StringEquals: { 'aws:ResourceTag/Environment': env } }),
    allow('PassWorkloadRolesToServices', ['iam:PassRole'], roles, { StringEquals: { 'iam:PassedToService': ['eks.amazonaws.com', 'ec2.amazonaws.com', 'pods.eks.amazonaws.com', 'vpc-flow-logs.amazonaws.com', 'monitoring.rds.amazonaws.com'] } }),
    allow('CreateServiceLinkedRoles', ['iam:CreateServiceLinkedRole'], '*', {
      StringEquals: { 'iam:AWSServiceName': ['eks.amazonaws.com', 'eks-nodegroup.amazonaws.com', 'autoscaling.amazonaws.com', 'elasticloadbalancing.amazonaws.com', 'rds.amazonaws.com', 'elasticache.amazonaws.com'] },
    }),
    denyBut('NothingOfAnotherEnvironment', [...TAGGED_SERVICES, ...OIDC_CHANGES], [STATE_KEY], `arn:aws:ec2:${R}:${A}:instance/i-0123456789abcdef0`, {
      StringNotEquals: { 'aws:ResourceTag/Environment': env },
      Null: { 'aws:ResourceTag/Environment': 'false' },
    }),
    deny('NothingTaggedForAnotherEnvironment', [...TAGGED_SERVICES, 'iam:CreateOpenIDConnectProvider', ...OIDC_CHANGES], '*', {
      StringNotEquals: { 'aws:RequestTag/Environment': env },
      Null: { 'aws:RequestTag/Environment': 'false' },
    }),
    denyBut('OnlyFunctionsOfThisEnvironment', ['cloudfront:CreateFunction', 'cloudfront:DeleteFunction', 'cloudfront:PublishFunction', 'cloudfront:UpdateFunction'], `arn:aws:cloudfront::${A}:function/tiketi-${env}-*`, `arn:aws:cloudfront::${A}:function/tiketi-${other}-spa-rewrite`),
    deny('NeverRemoveABoundary', ['iam:DeleteRolePermissionsBoundary'], '*'),
    deny('NeverAnotherBoundary', ['iam:CreateRole', 'iam:PutRolePermissionsBoundary'], '*', { StringNotEquals: { 'iam:PermissionsBoundary': BOUNDARY } }),
    deny('NeverChangeTheBoundaryPolicy', ['iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:TagPolicy', 'iam:UntagPolicy'], BOUNDARY),
    deny('NeverTouchHumanOrCiIdentities', ['iam:Attach*', 'iam:Create*', 'iam:Delete*', 'iam:Detach*', 'iam:Put*', 'iam:Tag*', 'iam:Untag*', 'iam:Update*', 'iam:PassRole'], [
      `arn:aws:iam::${A}:role/tiketi-platform-admin`,
      `arn:aws:iam::${A}:role/tiketi-developer`,
      `arn:aws:iam::${A}:role/tiketi-ci-*`,
      `arn:aws:iam::${A}:oidc-provider/token.actions.githubusercontent.com`,
    ]),
  ];
}

const PLAN_POLICY: Stated[] = [
  allow('ListState', ['s3:ListBucket'], STATE),
  allow('ReadState', ['s3:GetObject'], `${STATE}/*`),
  allow('LockState', ['s3:PutObject', 's3:DeleteObject'], `${STATE}/*.tflock`),
  allow('DecryptStateThroughS3', ['kms:Decrypt', 'kms:GenerateDataKey'], STATE_KEY, { StringEquals: { 'kms:ViaService': `s3.${R}.amazonaws.com` }, StringLike: { 'kms:EncryptionContext:aws:s3:arn': [STATE, `${STATE}/*`] } }),
  allow('ReadPlatformSecretValues', ['secretsmanager:GetSecretValue'], PLATFORM_SECRETS),
  allow('DecryptPlatformSecretsThroughSecretsManager', ['kms:Decrypt'], `arn:aws:kms:${R}:${A}:key/*`, {
    StringEquals: { 'kms:ViaService': `secretsmanager.${R}.amazonaws.com` },
    StringLike: { 'kms:EncryptionContext:SecretARN': PLATFORM_SECRETS },
    'ForAnyValue:StringEquals': { 'kms:ResourceAliases': ALL_ENVIRONMENTS.map((env) => `alias/tiketi-${env}-platform-secrets`) },
  }),
  ...portForward(),
  denyBut('NoSecretValuesButThePlatformSecrets', secretActions, PLATFORM_SECRETS, `arn:aws:secretsmanager:${R}:${A}:secret:rds!db-0123-AbCdEf`),
  noParameterValues,
  denyBut('NoObjectsOutsideState', ['s3:GetObject', 's3:GetObjectVersion'], `${STATE}/*`, 'arn:aws:s3:::tiketi-frontend-prod-logs/AWSLogs/x.gz'),
];

const DEVELOPER_POLICY: Stated[] = [...portForward(), deny('NoSecretValues', secretActions, '*'), noParameterValues];

const IMAGE_PUSH_POLICY: Stated[] = [
  allow('EcrLogin', ['ecr:GetAuthorizationToken'], '*'),
  allow(
    'PushToServiceRepositories',
    ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:CompleteLayerUpload', 'ecr:DescribeImages', 'ecr:GetDownloadUrlForLayer', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart'],
    SERVICES.map((s) => `arn:aws:ecr:${R}:${A}:repository/tiketi-${s}`),
  ),
];

const frontendDeployPolicy = (env: Env): Stated[] => [
  allow('ListFrontendBucket', ['s3:ListBucket'], `arn:aws:s3:::tiketi-frontend-${env}`),
  allow('WriteFrontendObjects', ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], `arn:aws:s3:::tiketi-frontend-${env}/*`),
  allow('InvalidateFrontendDistribution', ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation', 'cloudfront:ListInvalidations'], `arn:aws:cloudfront::${A}:distribution/*`, {
    StringEquals: { 'aws:ResourceTag/Project': 'tiketi', 'aws:ResourceTag/Environment': env },
  }),
  allow('ReadFrontendParameters', ['ssm:GetParameter'], FRONTEND_PARAMETERS(env)),
];

const BOUNDARY_POLICY: Stated[] = [
  allow(
    'PlatformServices',
    [
      'acm:*', 'autoscaling:*', 'cloudwatch:*', 'cognito-idp:*', 'ec2:*', 'ec2messages:*', 'ecr:*', 'eks:*', 'eks-auth:*', 'elasticache:*', 'elasticloadbalancing:*', 'kms:*',
      'logs:*', 'rds-db:*', 'route53:*', 's3:*', 'secretsmanager:*', 'shield:*', 'sqs:*', 'ssm:*', 'ssmmessages:*', 'tag:*', 'waf-regional:*', 'wafv2:*', 'sts:GetCallerIdentity',
    ],
    '*',
    { StringEquals: { 'aws:RequestedRegion': REGIONS } },
  ),
  allow('ReadIam', ['iam:GetRole', 'iam:GetServerCertificate', 'iam:ListServerCertificates', 'iam:GetInstanceProfile', 'iam:ListInstanceProfiles'], '*'),
  allow('ServiceLinkedRolesOfThePlatform', ['iam:CreateServiceLinkedRole'], '*', {
    StringEquals: { 'iam:AWSServiceName': ['elasticloadbalancing.amazonaws.com', 'autoscaling.amazonaws.com', 'eks.amazonaws.com', 'eks-nodegroup.amazonaws.com'] },
  }),
  deny(
    'NoIamWrites',
    [
      'iam:Add*', 'iam:Attach*', 'iam:ChangePassword', 'iam:CreateAccessKey', 'iam:CreateGroup', 'iam:CreateInstanceProfile', 'iam:CreateLoginProfile', 'iam:CreateOpenIDConnectProvider',
      'iam:CreatePolicy', 'iam:CreatePolicyVersion', 'iam:CreateRole', 'iam:CreateSAMLProvider', 'iam:CreateServiceSpecificCredential', 'iam:CreateUser', 'iam:CreateVirtualMFADevice',
      'iam:Deactivate*', 'iam:Delete*', 'iam:Detach*', 'iam:Enable*', 'iam:PassRole', 'iam:Put*', 'iam:Remove*', 'iam:Reset*', 'iam:Set*', 'iam:Tag*', 'iam:Untag*', 'iam:Update*', 'iam:Upload*',
    ],
    '*',
  ),
  deny('NoAccountOrOrganizationChanges', ['organizations:*', 'account:*'], '*'),
];

interface RoleSpec {
  readonly inline: Stated[];
  readonly managed: string[];
  /** Environment whose resources the role is limited to (its resources name it); none for account-wide roles. */
  readonly env?: Env;
}

const ROLES: Record<string, RoleSpec> = {
  'tiketi-platform-admin': { inline: [], managed: ['arn:aws:iam::aws:policy/AdministratorAccess'] },
  'tiketi-developer': { inline: DEVELOPER_POLICY, managed: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] },
  'tiketi-ci-image-push': { inline: IMAGE_PUSH_POLICY, managed: [] },
  'tiketi-ci-infra-plan': { inline: PLAN_POLICY, managed: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] },
  ...Object.fromEntries(ALL_ENVIRONMENTS.flatMap((env) => [
    [`tiketi-ci-infra-apply-${env}`, { inline: applyPolicy(env), managed: [], env }],
    [`tiketi-ci-frontend-deploy-${env}`, { inline: frontendDeployPolicy(env), managed: [], env }],
  ])),
};

// ---------------------------------------------------------------- the synthesized policies

const registry = () => synthApp('dev').json('registry');

function roleId(name: string): string {
  const entry = Object.entries<any>(registry().resource!.aws_iam_role).find(([, r]) => r.name === name);
  if (!entry) throw new Error(`no role ${name} in the registry stack`);
  return entry[0];
}
const inlineOf = (name: string): PolicyStatement[] =>
  Object.values<any>(registry().resource!.aws_iam_role_policy ?? {}).filter((p) => p.role === `\${aws_iam_role.${roleId(name)}.id}`).flatMap((p) => resolveRegistryPolicy(registry(), p.policy).Statement);
const managedOf = (name: string): string[] =>
  Object.values<any>(registry().resource!.aws_iam_role_policy_attachment ?? {}).filter((a) => a.role === `\${aws_iam_role.${roleId(name)}.name}`).map((a) => a.policy_arn);
const boundaryPolicy = (): PolicyDocument => {
  const policies = Object.values<any>(registry().resource!.aws_iam_policy).filter((p) => p.name === 'tiketi-boundary');
  if (policies.length !== 1) throw new Error(`expected one tiketi-boundary policy, found ${policies.length}`);
  return resolveRegistryPolicy(registry(), policies[0].policy);
};

/** Statements keyed by Sid (order in a policy has no meaning), without the probes' `outside`. */
const bySid = (statements: readonly PolicyStatement[]) => Object.fromEntries(statements.map(({ outside, ...s }: any) => [s.Sid, s]));

// ---------------------------------------------------------------- probes

const list = (v: string | readonly string[] | undefined): string[] => (v === undefined ? [] : typeof v === 'string' ? [v] : [...v]);
/** A concrete value a pattern matches: `*` becomes `probe`, `?` a letter. */
const concrete = (pattern: string) => pattern.replace(/\*/g, 'probe').replace(/\?/g, 'a');

/** A request context that meets every condition of `s`. */
function meeting(s: Stated): Record<string, ContextValue> {
  const context: Record<string, ContextValue> = { 'aws:userid': CALLER, 'aws:RequestedRegion': R };
  for (const [operator, keys] of Object.entries(s.Condition ?? {})) {
    for (const [key, raw] of Object.entries(keys)) {
      const first = list(raw)[0].replace('${aws:userid}', CALLER);
      if (operator === 'Null') {
        if (raw === 'true') delete context[key];
        else context[key] ??= 'present';
      } else if (/Not/.test(operator)) context[key] = 'another';
      else if (/^For(Any|All)Value:/.test(operator)) context[key] = [concrete(first)];
      else context[key] = concrete(first);
    }
  }
  return context;
}

/** Contexts that each break one condition of `s` (with what was broken). */
function breaking(s: Stated): { broken: string; context: Record<string, ContextValue> }[] {
  const base = meeting(s);
  return Object.entries(s.Condition ?? {}).flatMap(([operator, keys]) =>
    Object.entries(keys).map(([key, raw]) => {
      const context = { ...base };
      if (operator === 'Null') delete context[key];
      else if (/Not/.test(operator)) context[key] = list(raw)[0];
      else if (/^For(Any|All)Value:/.test(operator)) context[key] = ['violated.example.com'];
      else if (/^Bool/.test(operator)) context[key] = raw === 'true' ? 'false' : 'true';
      else context[key] = key === 'aws:RequestedRegion' ? 'eu-west-1' : 'violated';
      return { broken: `${operator} ${key}`, context };
    }),
  );
}

/** The request `action` (concrete) on `resource` under `context`, and which statements decide it. */
function decide(policies: readonly PolicyDocument[], action: string, resource: string, context: Record<string, ContextValue>) {
  const request: IamRequest = { action: concrete(action), resource, context };
  return evaluate(policies, request);
}

/** Every claim of `stated` about `policies`, as `{ claim, holds }` rows (a failure lists only the false ones). */
function claims(policies: readonly PolicyDocument[], stated: readonly Stated[], env?: Env): { claim: string; holds: boolean }[] {
  const rows: { claim: string; holds: boolean }[] = [];
  const row = (claim: string, holds: boolean) => rows.push({ claim, holds });
  for (const s of stated) {
    const actions = list(s.Action);
    const resources = s.NotResource !== undefined ? [s.outside!] : list(s.Resource).map(concrete);
    const applies = (d: ReturnType<typeof evaluate>) => (s.Effect === 'Allow' ? d.allowedBy : d.deniedBy).includes(s.Sid);
    for (const action of actions) {
      for (const resource of resources) {
        const d = decide(policies, action, resource, meeting(s));
        row(`${s.Sid}: ${action} on ${resource} meeting its conditions is ${s.Effect === 'Allow' ? 'allowed' : 'denied'} by it`, applies(d) && d.decision === (s.Effect === 'Allow' ? 'allowed' : 'explicit-deny'));
        for (const { broken, context } of breaking(s)) row(`${s.Sid}: ${action} on ${resource} breaking ${broken} is outside it`, !applies(decide(policies, action, resource, context)));
        // Another environment's resource is outside a per-environment role's statement.
        if (env) {
          for (const other of ALL_ENVIRONMENTS.filter((e) => e !== env)) {
            const theirs = resource.replace(new RegExp(`tiketi-${env}\\b`, 'g'), `tiketi-${other}`).replace(new RegExp(`tiketi/${env}/`, 'g'), `tiketi/${other}/`);
            if (theirs !== resource && s.NotResource === undefined) row(`${s.Sid}: ${action} on ${theirs} (${other}'s) is outside it`, !applies(decide(policies, action, theirs, meeting(s))));
          }
        }
      }
      // Another resource is outside a statement that names its resources.
      if (s.Resource !== undefined && !list(s.Resource).includes('*')) row(`${s.Sid}: ${action} on an unrelated resource is outside it`, !applies(decide(policies, action, `arn:aws:sqs:${R}:${A}:unrelated`, meeting(s))));
    }
    // An unlisted action of the service is outside a statement that lists its actions.
    if (actions.every((a) => !a.includes('*'))) {
      const service = actions[0].split(':')[0];
      row(`${s.Sid}: ${service}:UnlistedAction is outside it`, !applies(decide(policies, `${service}:UnlistedAction`, resources[0], meeting(s))));
    }
    // The exceptions of a NotResource stay exceptions.
    for (const excepted of list(s.NotResource)) row(`${s.Sid}: ${actions[0]} on ${concrete(excepted)} is excepted`, !applies(decide(policies, actions[0], concrete(excepted), meeting(s))));
  }
  return rows;
}

const falseOnes = (rows: { claim: string; holds: boolean }[]) => rows.filter((r) => !r.holds).map((r) => r.claim);

// ---------------------------------------------------------------- the proofs

describe('every role of the registry stack has exactly the stated permissions', () => {
  test('the roles are the stated ones', () => {
    expect(Object.values<any>(registry().resource!.aws_iam_role).map((r) => r.name).sort()).toEqual(Object.keys(ROLES).sort());
  });

  test.each(Object.keys(ROLES))('%s: inline statements and managed policies, exactly', (name) => {
    expect(bySid(inlineOf(name))).toEqual(bySid(ROLES[name].inline));
    expect(inlineOf(name).map((s) => s.Sid)).toHaveLength(ROLES[name].inline.length); // no Sid twice
    expect(managedOf(name)).toEqual(ROLES[name].managed);
  });

  test('tiketi-boundary: exactly the stated ceiling', () => {
    expect(bySid(boundaryPolicy().Statement)).toEqual(bySid(BOUNDARY_POLICY));
  });
});

/** Who may assume each role: the exact OIDC subjects of this repository (CI), or people of the account with MFA. */
const BRANCH: Record<Env, string> = { dev: 'develop', staging: 'staging', prod: 'main' };
const GITHUB_ENVIRONMENT: Record<Env, string> = { dev: 'dev', staging: 'staging', prod: 'production' };
const repo = (subject: string) => `repo:tiketi/tiketi-platform:${subject}`;
const TRUST: Record<string, { subjects?: string[]; hours: number }> = {
  'tiketi-platform-admin': { hours: 1 },
  'tiketi-developer': { hours: 1 },
  'tiketi-ci-image-push': { subjects: ALL_ENVIRONMENTS.map((env) => repo(`ref:refs/heads/${BRANCH[env]}`)), hours: 1 },
  'tiketi-ci-infra-plan': { subjects: [repo('pull_request'), ...ALL_ENVIRONMENTS.map((env) => repo(`ref:refs/heads/${BRANCH[env]}`))], hours: 1 },
  ...Object.fromEntries(ALL_ENVIRONMENTS.flatMap((env) => [
    [`tiketi-ci-infra-apply-${env}`, { subjects: [repo(`environment:${GITHUB_ENVIRONMENT[env]}`)], hours: 3 }],
    [`tiketi-ci-frontend-deploy-${env}`, { subjects: [repo(`ref:refs/heads/${BRANCH[env]}`)], hours: 1 }],
  ])),
};

describe('who may assume each role, and for how long', () => {
  test.each(Object.keys(TRUST))('%s', (name) => {
    const role = Object.values<any>(registry().resource!.aws_iam_role).find((r) => r.name === name);
    const { subjects, hours } = TRUST[name];
    expect(role.max_session_duration).toBe(hours * 3600);
    const provider = Object.keys(registry().resource!.aws_iam_openid_connect_provider)[0];
    expect(JSON.parse(role.assume_role_policy).Statement.map(({ Sid, ...s }: any) => s)).toEqual([
      subjects
        ? {
            Effect: 'Allow',
            Principal: { Federated: `\${aws_iam_openid_connect_provider.${provider}.arn}` },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': subjects } },
          }
        : { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::${data.aws_caller_identity.account.account_id}:root' }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } },
    ]);
  });
});

describe('IAM decides as stated: each statement, its conditions, its resources', () => {
  test.each(Object.keys(ROLES).filter((n) => ROLES[n].inline.length > 0))('%s', (name) => {
    const rows = claims(policiesOf(registry(), name), ROLES[name].inline, ROLES[name].env);
    expect(rows.length).toBeGreaterThan(3 * ROLES[name].inline.length);
    expect(falseOnes(rows)).toEqual([]);
  });

  test('tiketi-boundary', () => {
    expect(falseOnes(claims([boundaryPolicy()], BOUNDARY_POLICY))).toEqual([]);
  });
});

describe('what matters, in plain requests', () => {
  const ctx = (extra: Record<string, ContextValue> = {}) => ({ 'aws:userid': CALLER, 'aws:RequestedRegion': R, ...extra });
  const decision = (role: string, action: string, resource: string, extra?: Record<string, ContextValue>) => evaluate(policiesOf(registry(), role), { action, resource, context: ctx(extra) }).decision;
  const instance = `arn:aws:ec2:${R}:${A}:instance/i-0123456789abcdef0`;

  test.each(ALL_ENVIRONMENTS)('apply (%s): its own environment in the two regions only; another environment\'s tag is denied', (env) => {
    const role = `tiketi-ci-infra-apply-${env}`;
    const other = env === 'dev' ? 'staging' : 'dev';
    expect(decision(role, 'ec2:TerminateInstances', instance, { 'aws:ResourceTag/Environment': env })).toBe('allowed');
    expect(decision(role, 'ec2:TerminateInstances', instance, { 'aws:ResourceTag/Environment': env, 'aws:RequestedRegion': 'us-east-1' })).toBe('allowed');
    expect(decision(role, 'ec2:TerminateInstances', instance, { 'aws:ResourceTag/Environment': env, 'aws:RequestedRegion': 'eu-west-1' })).toBe('implicit-deny');
    expect(decision(role, 'ec2:TerminateInstances', instance, { 'aws:ResourceTag/Environment': other })).toBe('explicit-deny');
    expect(decision(role, 'ec2:RunInstances', instance, { 'aws:RequestTag/Environment': other })).toBe('explicit-deny');
    expect(decision(role, 'sns:DeleteTopic', `arn:aws:sns:${R}:${A}:tiketi-${other}-alarms`, { 'aws:ResourceTag/Environment': other })).toBe('explicit-deny');
    expect(decision(role, 'cloudwatch:DeleteAlarms', `arn:aws:cloudwatch:${R}:${A}:alarm:tiketi-${other}-api-alb-5xx`, { 'aws:ResourceTag/Environment': other })).toBe('explicit-deny');
    expect(decision(role, 'kms:ScheduleKeyDeletion', `arn:aws:kms:${R}:${A}:key/0123`, { 'aws:ResourceTag/Environment': 'account' })).toBe('explicit-deny');
    expect(decision(role, 'iam:CreateRole', `arn:aws:iam::${A}:role/tiketi-${env}-x`)).toBe('explicit-deny'); // no boundary
    expect(decision(role, 'iam:CreateRole', `arn:aws:iam::${A}:role/tiketi-${env}-x`, { 'iam:PermissionsBoundary': BOUNDARY })).toBe('allowed');
    expect(decision(role, 'iam:PutRolePolicy', `arn:aws:iam::${A}:role/tiketi-ci-infra-apply-${env}`, { 'iam:PermissionsBoundary': BOUNDARY })).toBe('explicit-deny');
    expect(decision(role, 'iam:CreateUser', `arn:aws:iam::${A}:user/x`)).toBe('implicit-deny');
    expect(decision(role, 'ecr:DeleteRepository', `arn:aws:ecr:${R}:${A}:repository/tiketi-backend`)).toBe('implicit-deny');
    expect(decision(role, 's3:GetObject', `${STATE}/tiketi/account/registry.tfstate`)).toBe('implicit-deny');
  });

  test('plan: reads, but no secret other than the platform secrets, no object outside the state', () => {
    const role = 'tiketi-ci-infra-plan';
    expect(decision(role, 'ec2:DescribeInstances', '*')).toBe('allowed');
    expect(decision(role, 'ec2:TerminateInstances', instance)).toBe('implicit-deny');
    expect(decision(role, 'secretsmanager:GetSecretValue', `arn:aws:secretsmanager:${R}:${A}:secret:rds!db-0123-AbCdEf`)).toBe('explicit-deny');
    expect(decision(role, 'secretsmanager:GetSecretValue', `arn:aws:secretsmanager:${R}:${A}:secret:tiketi/prod/argocd-AbCdEf`)).toBe('allowed');
    expect(decision(role, 's3:GetObject', 'arn:aws:s3:::tiketi-frontend-prod/index.html')).toBe('explicit-deny');
    expect(decision(role, 'ssm:GetParameter', `arn:aws:ssm:${R}:${A}:parameter/tiketi/prod/payment/api-key`)).toBe('explicit-deny');
    expect(decision(role, 's3:PutObject', `${STATE}/tiketi/prod/network.tfstate`)).toBe('implicit-deny');
  });

  test('developer: reads, no secret values, no parameter values but the frontend facts; admin: everything', () => {
    expect(decision('tiketi-developer', 'rds:DescribeDBInstances', '*')).toBe('allowed');
    expect(decision('tiketi-developer', 'secretsmanager:GetSecretValue', `arn:aws:secretsmanager:${R}:${A}:secret:tiketi/dev/x-AbCdEf`)).toBe('explicit-deny');
    expect(decision('tiketi-developer', 'ssm:GetParameter', `arn:aws:ssm:${R}:${A}:parameter/tiketi/dev/frontend/api-url`)).toBe('allowed');
    expect(decision('tiketi-developer', 'ssm:GetParameter', `arn:aws:ssm:${R}:${A}:parameter/tiketi/dev/db/password`)).toBe('explicit-deny');
    expect(decision('tiketi-developer', 'ec2:TerminateInstances', instance)).toBe('implicit-deny');
    expect(decision('tiketi-platform-admin', 'iam:CreateUser', `arn:aws:iam::${A}:user/x`)).toBe('allowed');
  });

  test('the boundary: no IAM write, no region but the two', () => {
    const b = [boundaryPolicy()];
    expect(evaluate(b, { action: 'iam:CreateRole', resource: `arn:aws:iam::${A}:role/x`, context: ctx() }).decision).toBe('explicit-deny');
    expect(evaluate(b, { action: 's3:GetObject', resource: 'arn:aws:s3:::x/y', context: ctx({ 'aws:RequestedRegion': 'eu-west-1' }) }).decision).toBe('implicit-deny');
    expect(evaluate(b, { action: 's3:GetObject', resource: 'arn:aws:s3:::x/y', context: ctx() }).decision).toBe('allowed');
  });
});

describe('the probes can fail', () => {
  test('a statement that lost its region condition, a Deny that lost an action, a widened resource are reported', () => {
    const stated = applyPolicy('dev');
    const withoutRegion = stated.map((s) => (s.Sid === 'ManagePlatformServices' ? { ...s, Condition: undefined } : s));
    expect(falseOnes(claims([{ Statement: withoutRegion }], stated, 'dev'))).toContain('ManagePlatformServices: acm:* on probe breaking StringEquals aws:RequestedRegion is outside it');
    const denyShrunk = stated.map((s) => (s.Sid === 'NothingOfAnotherEnvironment' ? { ...s, Action: list(s.Action).filter((a) => a !== 'sns:*') } : s));
    expect(falseOnes(claims([{ Statement: denyShrunk }], stated, 'dev')).filter((c) => c.startsWith('NothingOfAnotherEnvironment: sns:*'))).not.toEqual([]);
    const widened = stated.map((s) => (s.Sid === 'SecretsOfThisEnvironment' ? { ...s, Resource: `arn:aws:secretsmanager:${R}:${A}:secret:tiketi/*` } : s));
    expect(falseOnes(claims([{ Statement: widened }], stated, 'dev'))).toContain(`SecretsOfThisEnvironment: secretsmanager:* on arn:aws:secretsmanager:${R}:${A}:secret:tiketi/prod/probe (prod's) is outside it`);
    expect(arnMatches('ssm:Get*', 'ssm:GetParameter')).toBe(true);
  });
});
