import { ENVIRONMENTS, REGISTRY } from '../../config/environments';
import { ALL_ENVIRONMENTS, resourcesOf, synthApp } from '../support/synth';
import { arnMatches } from './arn-glob';

/** The state bucket's default name (bootstrap stack), stated here. */
const DEFAULT_STATE_BUCKET = 'tiketi-terraform-state';

const json = () => synthApp('prod').json('registry');
const repo = `repo:${REGISTRY.github.owner}/${REGISTRY.github.repository}`;
const ACCOUNT = '${data.aws_caller_identity.account.account_id}';
const roleEntry = (name: string): [string, any] => Object.entries(resourcesOf(json(), 'aws_iam_role')).find(([, r]: any) => r.name === name) as [string, any];
const roleNamed = (name: string): any => roleEntry(name)[1];
const trustOf = (name: string) => JSON.parse(roleNamed(name).assume_role_policy).Statement;
const policyOf = (name: string) => {
  const id = roleEntry(name)[0];
  const policy = Object.values(resourcesOf(json(), 'aws_iam_role_policy')).find((p: any) => p.role.includes(`aws_iam_role.${id}.`)) as any;
  return JSON.parse(policy.policy).Statement as any[];
};
const attachmentsOf = (name: string) => {
  const id = roleEntry(name)[0];
  return Object.values(resourcesOf(json(), 'aws_iam_role_policy_attachment')).filter((a: any) => a.role.includes(`aws_iam_role.${id}.`)).map((a: any) => a.policy_arn);
};
const actions = (statements: any[]) => statements.filter((s) => s.Effect === 'Allow').flatMap((s) => [s.Action].flat());
const bySid = (statements: any[], sid: string) => statements.find((s) => s.Sid === sid);
const boundaryRef = () => `\${aws_iam_policy.${Object.keys(resourcesOf(json(), 'aws_iam_policy'))[0]}.arn}`;
const ciRoles = () => (Object.values(resourcesOf(json(), 'aws_iam_role')) as any[]).filter((r) => r.name.startsWith('tiketi-ci-'));

/** Statements of `statements` that allow `action` on a resource matching `arn`. */
const allowing = (statements: any[], action: string, arn: string) =>
  statements.filter((s) => s.Effect === 'Allow' && [s.Action].flat().some((a: string) => arnMatches(a, action)) && [s.Resource ?? []].flat().some((r: string) => arnMatches(r, arn)));

describe('registry stack', () => {
  test('account-wide: one backend scope, no remote state of any environment', () => {
    expect(json().data?.terraform_remote_state).toBeUndefined();
    expect(JSON.stringify(json().terraform.backend)).toMatch(/account/);
  });

  test('one repository per service, named tiketi-<service>', () => {
    expect(Object.values(resourcesOf(json(), 'aws_ecr_repository')).map((r: any) => r.name).sort()).toEqual(REGISTRY.services.map((s) => `tiketi-${s}`).sort());
  });

  test('the roles: eight CI roles (one apply role per environment) and the two default human roles', () => {
    expect(Object.values(resourcesOf(json(), 'aws_iam_role')).map((r: any) => r.name).sort()).toEqual([
      'tiketi-ci-frontend-deploy-dev',
      'tiketi-ci-frontend-deploy-prod',
      'tiketi-ci-frontend-deploy-staging',
      'tiketi-ci-image-push',
      'tiketi-ci-infra-apply-dev',
      'tiketi-ci-infra-apply-prod',
      'tiketi-ci-infra-apply-staging',
      'tiketi-ci-infra-plan',
      'tiketi-developer',
      'tiketi-platform-admin',
    ]);
  });

  test('every CI role: federated GitHub principal, STS audience, exact subjects of this repository', () => {
    for (const role of ciRoles()) {
      for (const statement of JSON.parse(role.assume_role_policy).Statement) {
        expect(Object.keys(statement.Principal)).toEqual(['Federated']);
        expect(statement.Condition.StringEquals['token.actions.githubusercontent.com:aud']).toBe('sts.amazonaws.com');
        const subs: string[] = statement.Condition.StringEquals['token.actions.githubusercontent.com:sub'];
        expect(subs.every((sub) => sub.startsWith(`${repo}:`) && !sub.includes('*'))).toBe(true);
        expect(statement.Condition.StringLike).toBeUndefined();
      }
    }
  });

  test('human roles: people of this account, with MFA only; admin and read-only', () => {
    for (const name of ['tiketi-platform-admin', 'tiketi-developer']) {
      expect(trustOf(name)).toEqual([
        {
          Sid: expect.any(String),
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Action: 'sts:AssumeRole',
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
        },
      ]);
      expect(roleNamed(name).permissions_boundary).toBeUndefined();
    }
    expect(attachmentsOf('tiketi-platform-admin')).toEqual(['arn:aws:iam::aws:policy/AdministratorAccess']);
    expect(attachmentsOf('tiketi-developer')).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    const developer = policyOf('tiketi-developer');
    expect(bySid(developer, 'NoSecretValues')).toMatchObject({ Effect: 'Deny', Action: expect.arrayContaining(['secretsmanager:GetSecretValue']) });
    expect(allowing(developer, 'ssm:StartSession', 'arn:aws:ssm:ap-northeast-2::document/AWS-StartPortForwardingSessionToRemoteHost')).toHaveLength(1);
  });

  test('no policy allows iam:* or *', () => {
    for (const policy of [...Object.values(resourcesOf(json(), 'aws_iam_role_policy')), ...Object.values(resourcesOf(json(), 'aws_iam_policy'))] as any[]) {
      const allowed = actions(JSON.parse(policy.policy).Statement);
      expect(allowed).not.toContain('iam:*');
      expect(allowed).not.toContain('*');
    }
  });

  test('image push: the env branches may push, to the service repositories only', () => {
    expect(trustOf('tiketi-ci-image-push')[0].Condition.StringEquals['token.actions.githubusercontent.com:sub'].sort()).toEqual(
      ALL_ENVIRONMENTS.map((e) => `${repo}:ref:refs/heads/${ENVIRONMENTS[e].gitops.branch}`).sort(),
    );
    const statements = policyOf('tiketi-ci-image-push');
    const push = statements.find((s) => s.Action.includes('ecr:PutImage'));
    expect(push.Resource).toHaveLength(REGISTRY.services.length);
    expect(push.Resource.every((r: string) => /aws_ecr_repository\./.test(r))).toBe(true);
    expect(statements.filter((s) => s.Resource === '*').flatMap((s) => s.Action)).toEqual(['ecr:GetAuthorizationToken']);
  });

  test.each(ALL_ENVIRONMENTS)('frontend deploy (%s): its branch, exactly its bucket (not the log bucket), its tagged distributions, its three parameters', (env) => {
    const name = `tiketi-ci-frontend-deploy-${env}`;
    expect(trustOf(name)[0].Condition.StringEquals['token.actions.githubusercontent.com:sub']).toEqual([`${repo}:ref:refs/heads/${ENVIRONMENTS[env].gitops.branch}`]);
    const statements = policyOf(name);
    const s3 = statements.filter((s) => s.Action.some((a: string) => a.startsWith('s3:')));
    expect(s3.flatMap((s) => [s.Resource].flat()).sort()).toEqual([`arn:aws:s3:::tiketi-frontend-${env}`, `arn:aws:s3:::tiketi-frontend-${env}/*`]);
    for (const logs of [`arn:aws:s3:::tiketi-frontend-${env}-logs`, `arn:aws:s3:::tiketi-frontend-${env}-logs/AWSLogs/x.gz`]) {
      expect(allowing(statements, 's3:DeleteObject', logs)).toEqual([]);
      expect(allowing(statements, 's3:ListBucket', logs)).toEqual([]);
    }
    const cloudfront = statements.find((s) => s.Action.includes('cloudfront:CreateInvalidation'));
    expect(cloudfront.Condition.StringEquals).toEqual({ 'aws:ResourceTag/Project': 'tiketi', 'aws:ResourceTag/Environment': env });
    expect(bySid(statements, 'ReadFrontendParameters')).toEqual({
      Sid: 'ReadFrontendParameters',
      Effect: 'Allow',
      Action: ['ssm:GetParameter'],
      Resource: ['bucket', 'distribution-id', 'api-url'].map((p) => `arn:aws:ssm:ap-northeast-2:${ACCOUNT}:parameter/tiketi/${env}/frontend/${p}`),
    });
  });

  test('infra plan: pull requests and env branches; ReadOnlyAccess plus state read, secrets denied but the frontend facts and the platform secrets', () => {
    const subs: string[] = trustOf('tiketi-ci-infra-plan')[0].Condition.StringEquals['token.actions.githubusercontent.com:sub'];
    expect(subs).toContain(`${repo}:pull_request`);
    expect(attachmentsOf('tiketi-ci-infra-plan')).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    const statements = policyOf('tiketi-ci-infra-plan');
    const writes = statements.filter((s) => s.Effect === 'Allow' && s.Action.includes('s3:PutObject'));
    expect(writes.map((s) => s.Resource)).toEqual([`arn:aws:s3:::${DEFAULT_STATE_BUCKET}/*.tflock`]);
    const secrets = ['dev', 'staging', 'prod'].map((env) => `arn:aws:secretsmanager:ap-northeast-2:${ACCOUNT}:secret:tiketi/${env}/*`);
    expect(bySid(statements, 'NoSecretValuesButThePlatformSecrets')).toEqual({ Sid: 'NoSecretValuesButThePlatformSecrets', Effect: 'Deny', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:BatchGetSecretValue'], NotResource: secrets });
    expect(allowing(statements, 'secretsmanager:GetSecretValue', `arn:aws:secretsmanager:ap-northeast-2:${ACCOUNT}:secret:rds!db-0123-AbCdEf`)).toEqual([]);
    const parameters = bySid(statements, 'NoParameterValuesButFrontendFacts');
    expect(parameters.Action).toEqual(expect.arrayContaining(['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath', 'ssm:GetParameterHistory']));
    const [publicParameters, ...frontend] = [...parameters.NotResource].reverse();
    expect(publicParameters).toBe('arn:aws:ssm:ap-northeast-2::parameter/aws/service/*');
    expect(frontend).toHaveLength(9);
    expect(frontend.every((r: string) => /:parameter\/tiketi\/(dev|staging|prod)\/frontend\/(bucket|distribution-id|api-url)$/.test(r))).toBe(true);
    // A secret parameter of an environment stays denied.
    expect([...parameters.NotResource].some((r: string) => arnMatches(r, `arn:aws:ssm:ap-northeast-2:${ACCOUNT}:parameter/tiketi/prod/payment/api-key`))).toBe(false);
  });

  test('infra plan: KMS only on the state key (through S3) and on the platform secrets\' keys (by alias, through Secrets Manager, for those secrets)', () => {
    const statements = policyOf('tiketi-ci-infra-plan');
    const kms = statements.filter((s) => s.Effect === 'Allow' && [s.Action].flat().some((a: string) => a.startsWith('kms:')));
    expect(kms.map((s) => s.Sid)).toEqual(['DecryptStateThroughS3', 'DecryptPlatformSecretsThroughSecretsManager']);
    expect(bySid(statements, 'DecryptStateThroughS3')).toEqual({
      Sid: 'DecryptStateThroughS3',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '${data.aws_kms_key.state-key.arn}',
      Condition: {
        StringEquals: { 'kms:ViaService': 's3.ap-northeast-2.amazonaws.com' },
        StringLike: { 'kms:EncryptionContext:aws:s3:arn': [`arn:aws:s3:::${DEFAULT_STATE_BUCKET}`, `arn:aws:s3:::${DEFAULT_STATE_BUCKET}/*`] },
      },
    });
    // Without TIKETI_STATE_KMS_KEY_ID the lookup is by the alias the bootstrap stack gives the state key.
    expect(json().data!.aws_kms_key['state-key'].key_id).toBe(`alias/${DEFAULT_STATE_BUCKET}`);
    expect(bySid(statements, 'DecryptPlatformSecretsThroughSecretsManager')).toEqual({
      Sid: 'DecryptPlatformSecretsThroughSecretsManager',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: `arn:aws:kms:ap-northeast-2:${ACCOUNT}:key/*`,
      Condition: {
        StringEquals: { 'kms:ViaService': 'secretsmanager.ap-northeast-2.amazonaws.com' },
        StringLike: { 'kms:EncryptionContext:SecretARN': ['dev', 'staging', 'prod'].map((env) => `arn:aws:secretsmanager:ap-northeast-2:${ACCOUNT}:secret:tiketi/${env}/*`) },
        'ForAnyValue:StringEquals': { 'kms:ResourceAliases': ['alias/tiketi-dev-platform-secrets', 'alias/tiketi-staging-platform-secrets', 'alias/tiketi-prod-platform-secrets'] },
      },
    });
  });

  test.each(['tiketi-ci-infra-plan', 'tiketi-ci-infra-apply-dev', 'tiketi-ci-infra-apply-prod'])('%s may port-forward into the private API, and only that (an apply role: only its environment\'s host)', (name) => {
    const statements = policyOf(name);
    const env = /apply-(\w+)$/.exec(name)?.[1];
    expect(bySid(statements, 'PortForwardOnApiAccessHosts')).toEqual({
      Sid: 'PortForwardOnApiAccessHosts',
      Effect: 'Allow',
      Action: ['ssm:StartSession'],
      Resource: `arn:aws:ec2:ap-northeast-2:${ACCOUNT}:instance/*`,
      Condition: { StringEquals: { 'ssm:resourceTag/tiketi:role': 'api-access', ...(env ? { 'ssm:resourceTag/Environment': env } : {}) }, BoolIfExists: { 'ssm:SessionDocumentAccessCheck': 'true' } },
    });
    const documents = statements.filter((s) => s.Effect === 'Allow' && [s.Action].flat().includes('ssm:StartSession') && /document/.test(JSON.stringify(s.Resource)));
    expect(documents.map((s) => s.Resource)).toEqual(['arn:aws:ssm:ap-northeast-2::document/AWS-StartPortForwardingSessionToRemoteHost']);
    expect(allowing(statements, 'ssm:StartSession', 'arn:aws:ssm:ap-northeast-2::document/SSM-SessionManagerRunShell')).toEqual([]);
    // Terraform turns `$${` into `${`: IAM gets the policy variable, so a session can be ended only by its starter.
    expect(bySid(statements, 'EndOrResumeOwnSessions')).toMatchObject({
      Action: ['ssm:TerminateSession', 'ssm:ResumeSession'],
      Condition: { StringEquals: { 'ssm:resourceTag/aws:ssmmessages:session-id': '$${aws:userid}' } },
    });
    expect(actions(statements)).not.toContain('ssm:SendCommand');
    // Only the environment-tag denies of an apply role cover StartSession (another environment's host); the walk
    // (ci-permissions.test.ts) shows its own host stays reachable.
    const environmentDenies = ['NothingOfAnotherEnvironment', 'NothingTaggedForAnotherEnvironment'];
    expect(statements.filter((s) => s.Effect === 'Deny' && !environmentDenies.includes(s.Sid)).some((s) => [s.Action].flat().some((a: string) => arnMatches(a, 'ssm:StartSession')))).toBe(false);
  });

  test.each(ALL_ENVIRONMENTS)('infra apply (%s): only its GitHub environment, sessions of 3 hours', (env) => {
    const githubEnvironment = { dev: 'dev', staging: 'staging', prod: 'production' }[env];
    expect(trustOf(`tiketi-ci-infra-apply-${env}`)[0].Condition.StringEquals['token.actions.githubusercontent.com:sub']).toEqual([`${repo}:environment:${githubEnvironment}`]);
    expect(roleNamed(`tiketi-ci-infra-apply-${env}`).max_session_duration).toBe(10800);
  });

  test.each(ALL_ENVIRONMENTS)('infra apply (%s): IAM, KMS aliases, S3, secrets, parameters and state only of its environment', (env) => {
    const statements = policyOf(`tiketi-ci-infra-apply-${env}`);
    for (const other of ALL_ENVIRONMENTS) {
      const mine = other === env;
      const expectations: [string, string][] = [
        ['iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/tiketi-${other}-x`],
        ['iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/tiketi-${other}-x`],
        ['iam:CreatePolicy', `arn:aws:iam::${ACCOUNT}:policy/tiketi-${other}-x`],
        ['iam:CreateInstanceProfile', `arn:aws:iam::${ACCOUNT}:instance-profile/tiketi-${other}-x`],
        ['kms:CreateAlias', `arn:aws:kms:us-east-1:${ACCOUNT}:alias/tiketi-${other}-x`],
        ['s3:DeleteBucket', `arn:aws:s3:::tiketi-frontend-${other}`],
        ['s3:PutObject', `arn:aws:s3:::tiketi-frontend-${other}-logs/x`],
        ['secretsmanager:GetSecretValue', `arn:aws:secretsmanager:ap-northeast-2:${ACCOUNT}:secret:tiketi/${other}/x-AbCdEf`],
        ['ssm:PutParameter', `arn:aws:ssm:ap-northeast-2:${ACCOUNT}:parameter/tiketi/${other}/frontend/bucket`],
        ['s3:PutObject', `arn:aws:s3:::${DEFAULT_STATE_BUCKET}/tiketi/${other}/network.tfstate`],
      ];
      for (const [action, arn] of expectations) expect({ action, arn, allowed: allowing(statements, action, arn).length > 0 }).toEqual({ action, arn, allowed: mine });
    }
    expect(allowing(statements, 's3:PutObject', `arn:aws:s3:::${DEFAULT_STATE_BUCKET}/tiketi/account/registry.tfstate`)).toEqual([]);
  });

  test.each(ALL_ENVIRONMENTS)('infra apply (%s): KMS keys only of its environment (by tag) and the state key only through S3; no kms:* on "*"', (env) => {
    const statements = policyOf(`tiketi-ci-infra-apply-${env}`);
    const kms = statements.filter((s) => s.Effect === 'Allow' && [s.Action].flat().some((a: string) => a.startsWith('kms:')));
    for (const s of kms) {
      const decrypts = [s.Action].flat().some((a: string) => arnMatches(a, 'kms:Decrypt'));
      if (decrypts) expect({ sid: s.Sid, resource: s.Resource }).not.toEqual({ sid: s.Sid, resource: '*' });
    }
    expect(bySid(statements, 'KeysOfThisEnvironment')).toEqual({
      Sid: 'KeysOfThisEnvironment',
      Effect: 'Allow',
      Action: ['kms:*'],
      Resource: [`arn:aws:kms:ap-northeast-2:${ACCOUNT}:key/*`, `arn:aws:kms:us-east-1:${ACCOUNT}:key/*`],
      Condition: { StringEquals: { 'aws:ResourceTag/Environment': env } },
    });
    expect(bySid(statements, 'StateKeyThroughS3')).toMatchObject({ Resource: '${data.aws_kms_key.state-key.arn}', Condition: { StringEquals: { 'kms:ViaService': 's3.ap-northeast-2.amazonaws.com' } } });
    // The safety net: nothing tagged for another environment, whatever the allows say; the state key is exempt.
    expect(bySid(statements, 'NothingOfAnotherEnvironment')).toMatchObject({
      Effect: 'Deny',
      NotResource: ['${data.aws_kms_key.state-key.arn}'],
      Condition: { StringNotEquals: { 'aws:ResourceTag/Environment': env }, Null: { 'aws:ResourceTag/Environment': 'false' } },
    });
  });

  test('infra apply (prod): DNS records only of its names and their ACM validation records', () => {
    const statement = bySid(policyOf('tiketi-ci-infra-apply-prod'), 'RecordsOfThisEnvironment');
    expect(statement.Condition['ForAllValues:StringLike']['route53:ChangeResourceRecordSetsNormalizedRecordNames']).toEqual(
      ['tiketi.com', 'api.tiketi.com', 'argocd.tiketi.com', 'grafana.tiketi.com'].flatMap((name) => [name, `_${'?'.repeat(32)}.${name}`]),
    );
    expect(bySid(policyOf('tiketi-ci-infra-apply-dev'), 'RecordsOfThisEnvironment').Condition['ForAllValues:StringLike']['route53:ChangeResourceRecordSetsNormalizedRecordNames']).toEqual(
      ['dev.tiketi.com', 'api-dev.tiketi.com', 'argocd-dev.tiketi.com', 'grafana-dev.tiketi.com'].flatMap((name) => [name, `_${'?'.repeat(32)}.${name}`]),
    );
  });

  test('infra apply: every role it creates or whose policies or trust it changes must carry tiketi-boundary', () => {
    const statements = policyOf('tiketi-ci-infra-apply-prod');
    const bounded = ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:PutRolePermissionsBoundary', 'iam:UpdateAssumeRolePolicy'];
    for (const action of bounded) {
      const grants = allowing(statements, action, `arn:aws:iam::${ACCOUNT}:role/tiketi-prod-anything`);
      expect({ action, count: grants.length }).toEqual({ action, count: 1 });
      expect({ action, condition: grants[0].Condition.StringEquals }).toEqual({ action, condition: { 'iam:PermissionsBoundary': boundaryRef() } });
    }
    expect(bySid(statements, 'NeverRemoveABoundary')).toEqual({ Sid: 'NeverRemoveABoundary', Effect: 'Deny', Action: ['iam:DeleteRolePermissionsBoundary'], Resource: '*' });
    expect(bySid(statements, 'NeverAnotherBoundary')).toEqual({
      Sid: 'NeverAnotherBoundary',
      Effect: 'Deny',
      Action: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary'],
      Resource: '*',
      Condition: { StringNotEquals: { 'iam:PermissionsBoundary': boundaryRef() } },
    });
    expect(bySid(statements, 'NeverChangeTheBoundaryPolicy')).toMatchObject({ Effect: 'Deny', Resource: boundaryRef(), Action: expect.arrayContaining(['iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:SetDefaultPolicyVersion']) });
  });

  test('infra apply: attaches only the allowlisted managed policies and its own tiketi-<env>-* policies', () => {
    const attach = allowing(policyOf('tiketi-ci-infra-apply-dev'), 'iam:AttachRolePolicy', `arn:aws:iam::${ACCOUNT}:role/tiketi-dev-x`);
    expect(attach).toHaveLength(1);
    expect(attach[0].Condition.ArnLike['iam:PolicyARN']).toEqual([
      'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy',
      'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly',
      'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy',
      'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy',
      'arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole',
      'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
      `arn:aws:iam::${ACCOUNT}:policy/tiketi-dev-*`,
    ]);
    const allowlist: string[] = attach[0].Condition.ArnLike['iam:PolicyARN'];
    for (const never of ['arn:aws:iam::aws:policy/AdministratorAccess', 'arn:aws:iam::aws:policy/IAMFullAccess', `arn:aws:iam::${ACCOUNT}:policy/tiketi-boundary`, `arn:aws:iam::${ACCOUNT}:policy/tiketi-prod-cache-connect`]) {
      expect(allowlist.some((pattern) => arnMatches(pattern, never))).toBe(false);
    }
  });

  test.each(ALL_ENVIRONMENTS)('infra apply (%s): no IAM write reaches the human roles, the CI roles, the boundary or the GitHub provider', (env) => {
    const statements = policyOf(`tiketi-ci-infra-apply-${env}`);
    const writes = ['iam:CreateRole', 'iam:DeleteRole', 'iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:UpdateAssumeRolePolicy', 'iam:TagRole', 'iam:UpdateRole', 'iam:PassRole', 'iam:CreatePolicyVersion', 'iam:DeleteOpenIDConnectProvider'];
    const outOfReach = [
      `arn:aws:iam::${ACCOUNT}:role/tiketi-platform-admin`,
      `arn:aws:iam::${ACCOUNT}:role/tiketi-developer`,
      `arn:aws:iam::${ACCOUNT}:role/tiketi-ci-infra-apply-${env}`,
      `arn:aws:iam::${ACCOUNT}:role/tiketi-ci-infra-apply-prod`,
      `arn:aws:iam::${ACCOUNT}:role/tiketi-ci-infra-plan`,
      `arn:aws:iam::${ACCOUNT}:policy/tiketi-boundary`,
      `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
      `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/ap-northeast-2/AWSReservedSSO_Admin_0123456789abcdef`,
    ];
    for (const action of writes) for (const arn of outOfReach) expect({ action, arn, allowed: allowing(statements, action, arn).length }).toEqual({ action, arn, allowed: 0 });
    const deny = bySid(statements, 'NeverTouchHumanOrCiIdentities');
    const roleId = (name: string) => roleEntry(name)[0];
    expect(deny.Resource).toEqual([
      `\${aws_iam_role.${roleId('tiketi-platform-admin')}.arn}`,
      `\${aws_iam_role.${roleId('tiketi-developer')}.arn}`,
      `arn:aws:iam::${ACCOUNT}:role/tiketi-ci-*`,
      `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
    ]);
  });

  test('tiketi-boundary: platform services, IAM reads, no IAM write, no account or organization change', () => {
    const [boundary] = Object.values<any>(resourcesOf(json(), 'aws_iam_policy'));
    expect(boundary.name).toBe('tiketi-boundary');
    const statements = JSON.parse(boundary.policy).Statement;
    const allowedIam = actions(statements).filter((a: string) => a.startsWith('iam:'));
    expect(allowedIam.every((a: string) => /^iam:(Get|List)/.test(a) || a === 'iam:CreateServiceLinkedRole')).toBe(true);
    expect(bySid(statements, 'ServiceLinkedRolesOfThePlatform').Condition).toEqual({
      StringEquals: { 'iam:AWSServiceName': ['elasticloadbalancing.amazonaws.com', 'autoscaling.amazonaws.com', 'eks.amazonaws.com', 'eks-nodegroup.amazonaws.com'] },
    });
    const denied = statements.filter((s: any) => s.Effect === 'Deny').flatMap((s: any) => s.Action);
    for (const write of ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:UpdateAssumeRolePolicy', 'iam:PassRole', 'iam:CreateAccessKey', 'iam:CreateUser', 'iam:DeleteRolePermissionsBoundary', 'organizations:LeaveOrganization', 'account:PutAlternateContact']) {
      expect({ write, denied: denied.some((pattern: string) => arnMatches(pattern, write)) }).toEqual({ write, denied: true });
    }
    expect(denied.some((pattern: string) => arnMatches(pattern, 'iam:CreateServiceLinkedRole'))).toBe(false);
  });

  test('the GitHub OIDC provider is created unless the settings import the existing one', () => {
    expect(json().import).toBeUndefined();
  });

  test('FSBP S3.1: the account\'s S3 Block Public Access is fully on and survives a destroy', () => {
    const blocks = Object.values<any>(resourcesOf(json(), 'aws_s3_account_public_access_block'));
    expect(blocks).toEqual([
      expect.objectContaining({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true, lifecycle: { prevent_destroy: true } }),
    ]);
  });

  test('with the S3 backend the state key is TIKETI_STATE_KMS_KEY_ID and the bucket TIKETI_STATE_BUCKET; with Terraform Cloud no state access at all', () => {
    const key = 'arn:aws:kms:ap-northeast-2:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab';
    const s3 = synthApp('dev', { kind: 's3', bucket: 'acme-tf-state', region: 'ap-northeast-2', kmsKeyId: key }).json('registry');
    expect(s3.data!.aws_kms_key['state-key'].key_id).toBe(key);
    const plan = JSON.parse((Object.values<any>(s3.resource!.aws_iam_role_policy).find((p) => p.role.includes('ci-infra-plan')) as any).policy).Statement;
    expect(bySid(plan, 'ReadState').Resource).toBe('arn:aws:s3:::acme-tf-state/*');
    const cloud = synthApp('dev', { kind: 'cloud', organization: 'acme' }).json('registry');
    expect(cloud.data?.aws_kms_key).toBeUndefined();
    const cloudPlan = JSON.parse((Object.values<any>(cloud.resource!.aws_iam_role_policy).find((p) => p.role.includes('ci-infra-plan')) as any).policy).Statement;
    expect(cloudPlan.map((s: any) => s.Sid)).not.toEqual(expect.arrayContaining(['ReadState']));
  });
});
