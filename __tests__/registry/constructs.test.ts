import { Testing } from 'cdktf';
import { EcrRepository } from '../../modules/ecr-repository';
import { GithubActionsRole, GithubOidcProvider } from '../../modules/github-oidc';

type Json = { resource: Record<string, Record<string, any>> };
const synth = (build: (scope: any) => void): Json => JSON.parse(Testing.synthScope(build));
const one = (json: Json, type: string): any => {
  const found = Object.values(json.resource[type] ?? {});
  expect(found).toHaveLength(1);
  return found[0];
};

describe('EcrRepository', () => {
  const base = { repositoryName: 'tiketi-backend', kmsKeyArn: 'arn:aws:kms:ap-northeast-2:123456789012:key/k' };

  test('immutable tags, scan on push, KMS encryption with the given key, prevent_destroy', () => {
    const repo = one(synth((s) => new EcrRepository(s, 'r', base)), 'aws_ecr_repository');
    expect(repo).toMatchObject({
      name: 'tiketi-backend',
      image_tag_mutability: 'IMMUTABLE',
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: 'KMS', kms_key: base.kmsKeyArn }],
      force_delete: false,
      lifecycle: { prevent_destroy: true },
    });
  });

  test('lifecycle: rel-* first and never reached, then the newest keepDevImages dev-*, then untagged; nothing selects any', () => {
    const policy = JSON.parse(one(synth((s) => new EcrRepository(s, 'r', { ...base, keepDevImages: 7, untaggedExpiryDays: 2 })), 'aws_ecr_lifecycle_policy').policy);
    expect(policy.rules.map((r: any) => [r.rulePriority, r.selection.tagStatus, r.selection.tagPatternList, r.selection.countType, r.selection.countNumber])).toEqual([
      [1, 'tagged', ['rel-*'], 'imageCountMoreThan', 100000],
      [2, 'tagged', ['dev-*'], 'imageCountMoreThan', 7],
      [3, 'untagged', undefined, 'sinceImagePushed', 2],
    ]);
    expect(policy.rules.every((r: any) => r.action.type === 'expire' && r.selection.tagStatus !== 'any' && r.selection.tagPrefixList === undefined)).toBe(true);
  });

  test('defaults: keep 30 dev images, expire untagged after 3 days', () => {
    const policy = JSON.parse(one(synth((s) => new EcrRepository(s, 'r', base)), 'aws_ecr_lifecycle_policy').policy);
    expect(policy.rules.map((r: any) => r.selection.countNumber)).toEqual([100000, 30, 3]);
  });

  test.each([0, 1.5, 100000])('refuses keepDevImages %p, naming the prop', (keepDevImages) => {
    expect(() => synth((s) => new EcrRepository(s, 'r', { ...base, keepDevImages }))).toThrow(`keepDevImages got ${keepDevImages}, expected an integer from 1 to 99999`);
  });
});

describe('GitHub OIDC', () => {
  test('the provider serves GitHub Actions tokens for STS', () => {
    const json = synth((s) => new GithubOidcProvider(s, 'p'));
    expect(one(json, 'aws_iam_openid_connect_provider')).toMatchObject({
      url: 'https://token.actions.githubusercontent.com',
      client_id_list: ['sts.amazonaws.com'],
    });
    expect((json as any).import).toBeUndefined();
  });

  test('importFromAccount adopts the account\'s existing provider through an import block', () => {
    const json: any = synth((s) => new GithubOidcProvider(s, 'p', { importFromAccount: '123456789012' }));
    const [id] = Object.keys(json.resource.aws_iam_openid_connect_provider);
    expect(json.import).toEqual([{ to: `aws_iam_openid_connect_provider.${id}`, id: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' }]);
  });

  test('a role trusts one repository with exact subjects and the STS audience', () => {
    const json = synth(
      (s) =>
        new GithubActionsRole(s, 'r', {
          roleName: 'tiketi-ci-x',
          description: 'x',
          providerArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
          repository: 'tiketi/tiketi-platform',
          subjects: ['ref:refs/heads/main', 'environment:production'],
          policy: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
        }),
    );
    const trust = JSON.parse(one(json, 'aws_iam_role').assume_role_policy).Statement[0];
    expect(trust.Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(trust.Principal).toEqual({ Federated: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' });
    expect(trust.Condition).toEqual({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': ['repo:tiketi/tiketi-platform:ref:refs/heads/main', 'repo:tiketi/tiketi-platform:environment:production'],
      },
    });
  });
});
