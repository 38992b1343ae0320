import { ENVIRONMENTS, REGISTRY } from '../../config/environments';
import { DEFAULT_STATE_BUCKET } from '../../stacks/app';
import { ALL_ENVIRONMENTS, resourcesOf, synthApp } from '../support/synth';

const json = () => synthApp('prod').json('registry');
const repo = `repo:${REGISTRY.github.owner}/${REGISTRY.github.repository}`;
const roleNamed = (name: string): any => Object.values(resourcesOf(json(), 'aws_iam_role')).find((r: any) => r.name === name);
const trustOf = (name: string) => JSON.parse(roleNamed(name).assume_role_policy).Statement;
const policyOf = (name: string) => {
  const id = Object.entries(resourcesOf(json(), 'aws_iam_role')).find(([, r]: any) => r.name === name)![0];
  const policy = Object.values(resourcesOf(json(), 'aws_iam_role_policy')).find((p: any) => p.role.includes(`aws_iam_role.${id}.`)) as any;
  return JSON.parse(policy.policy).Statement as any[];
};
const actions = (statements: any[]) => statements.filter((s) => s.Effect === 'Allow').flatMap((s) => [s.Action].flat());

describe('registry stack', () => {
  test('account-wide: one backend scope, no remote state of any environment', () => {
    expect(json().data?.terraform_remote_state).toBeUndefined();
    expect(JSON.stringify(json().terraform.backend)).toMatch(/account/);
  });

  test('one repository per service, named tiketi-<service>', () => {
    expect(Object.values(resourcesOf(json(), 'aws_ecr_repository')).map((r: any) => r.name).sort()).toEqual(REGISTRY.services.map((s) => `tiketi-${s}`).sort());
  });

  test('every CI role: federated GitHub principal, STS audience, exact subjects of this repository', () => {
    const roles = Object.values(resourcesOf(json(), 'aws_iam_role')) as any[];
    expect(roles.map((r) => r.name).sort()).toEqual(['tiketi-ci-frontend-deploy-dev', 'tiketi-ci-frontend-deploy-prod', 'tiketi-ci-frontend-deploy-staging', 'tiketi-ci-image-push', 'tiketi-ci-infra-apply', 'tiketi-ci-infra-plan']);
    for (const role of roles) {
      for (const statement of JSON.parse(role.assume_role_policy).Statement) {
        expect(Object.keys(statement.Principal)).toEqual(['Federated']);
        expect(statement.Condition.StringEquals['token.actions.githubusercontent.com:aud']).toBe('sts.amazonaws.com');
        const subs: string[] = statement.Condition.StringEquals['token.actions.githubusercontent.com:sub'];
        expect(subs.every((sub) => sub.startsWith(`${repo}:`) && !sub.includes('*'))).toBe(true);
        expect(statement.Condition.StringLike).toBeUndefined();
      }
    }
  });

  test('no policy allows iam:* or *', () => {
    for (const policy of Object.values(resourcesOf(json(), 'aws_iam_role_policy')) as any[]) {
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

  test.each(ALL_ENVIRONMENTS)('frontend deploy (%s): its branch, its bucket pattern, its tagged distributions', (env) => {
    const name = `tiketi-ci-frontend-deploy-${env}`;
    expect(trustOf(name)[0].Condition.StringEquals['token.actions.githubusercontent.com:sub']).toEqual([`${repo}:ref:refs/heads/${ENVIRONMENTS[env].gitops.branch}`]);
    const statements = policyOf(name);
    const s3 = statements.filter((s) => s.Action.some((a: string) => a.startsWith('s3:')));
    expect(s3.flatMap((s) => [s.Resource].flat()).every((r: string) => r.startsWith(`arn:aws:s3:::tiketi-frontend-${env}*`))).toBe(true);
    const cloudfront = statements.find((s) => s.Action.includes('cloudfront:CreateInvalidation'));
    expect(cloudfront.Condition.StringEquals).toEqual({ 'aws:ResourceTag/Project': 'tiketi', 'aws:ResourceTag/Environment': env });
  });

  test('infra plan: pull requests and env branches; ReadOnlyAccess plus state read, secrets denied', () => {
    const subs: string[] = trustOf('tiketi-ci-infra-plan')[0].Condition.StringEquals['token.actions.githubusercontent.com:sub'];
    expect(subs).toContain(`${repo}:pull_request`);
    const attachments = Object.values(resourcesOf(json(), 'aws_iam_role_policy_attachment')).map((a: any) => a.policy_arn);
    expect(attachments).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    const statements = policyOf('tiketi-ci-infra-plan');
    const writes = statements.filter((s) => s.Effect === 'Allow' && s.Action.includes('s3:PutObject'));
    expect(writes.map((s) => s.Resource)).toEqual([`arn:aws:s3:::${DEFAULT_STATE_BUCKET}/*.tflock`]);
    expect(statements.find((s) => s.Effect === 'Deny' && s.Action.includes('secretsmanager:GetSecretValue'))).toBeDefined();
  });

  test('infra apply: only the protected GitHub environment; IAM limited to tiketi-* and never the CI identities', () => {
    expect(trustOf('tiketi-ci-infra-apply')[0].Condition.StringEquals['token.actions.githubusercontent.com:sub']).toEqual([`${repo}:environment:${REGISTRY.github.applyEnvironment}`]);
    const statements = policyOf('tiketi-ci-infra-apply');
    const iamAllowed = statements.filter((s) => s.Effect === 'Allow' && [s.Action].flat().some((a: string) => a.startsWith('iam:')));
    for (const s of iamAllowed) {
      if (s.Resource === '*') expect(s.Condition).toBeDefined();
      else expect([s.Resource].flat().every((r: string) => /:role\/tiketi-\*|:policy\/tiketi-\*|:instance-profile\/tiketi-\*|:oidc-provider\/oidc\.eks\./.test(r))).toBe(true);
    }
    const deny = statements.find((s) => s.Effect === 'Deny');
    expect(deny.Resource).toEqual(expect.arrayContaining([expect.stringMatching(/role\/tiketi-ci-\*$/), expect.stringMatching(/oidc-provider\/token\.actions\.githubusercontent\.com$/)]));
  });
});
