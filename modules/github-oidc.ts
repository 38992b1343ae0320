import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';

export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

export interface GithubOidcProviderProps {
  /**
   * Adopt the provider that already exists in the account (IAM holds one provider per URL, and many
   * accounts have GitHub's already): the next apply imports it through an `import` block instead of
   * failing with EntityAlreadyExists. Its audience list then becomes exactly `sts.amazonaws.com`.
   * @default - none: the provider is created
   */
  readonly importFromAccount?: string;
}

/**
 * The account's IAM OIDC provider for GitHub Actions. No thumbprint: IAM verifies GitHub's certificate
 * against its own trusted CA library for this host.
 */
export class GithubOidcProvider extends Construct {
  public readonly providerArn: string;

  constructor(scope: Construct, id: string, props: GithubOidcProviderProps = {}) {
    super(scope, id);
    const provider = new IamOpenidConnectProvider(this, 'provider', { url: `https://${GITHUB_OIDC_HOST}`, clientIdList: ['sts.amazonaws.com'] });
    if (props.importFromAccount !== undefined) provider.importFrom(`arn:aws:iam::${props.importFromAccount}:oidc-provider/${GITHUB_OIDC_HOST}`);
    this.providerArn = provider.arn;
  }
}

export interface GithubActionsRoleProps {
  readonly roleName: string;
  readonly description: string;
  readonly providerArn: string;
  /** `owner/repository`. */
  readonly repository: string;
  /**
   * Exact `sub` claims after `repo:<owner>/<repository>:`, e.g. `ref:refs/heads/main`,
   * `environment:production`, `pull_request`. No wildcards: each is one branch, environment or event.
   */
  readonly subjects: readonly string[];
  /** Inline policy (a `JSON.stringify`-ed document). */
  readonly policy: string;
  /**
   * AWS-managed policies to attach.
   * @default - none
   */
  readonly managedPolicyArns?: readonly string[];
  /**
   * Longest session, in seconds.
   * @default 3600
   */
  readonly maxSessionDuration?: number;
}

/**
 * A role GitHub Actions workflows of one repository assume with OIDC. The trust requires the STS
 * audience and one of the listed exact subjects (branch, GitHub environment or event).
 */
export class GithubActionsRole extends Construct {
  public readonly roleArn: string;
  public readonly roleName: string;

  constructor(scope: Construct, id: string, props: GithubActionsRoleProps) {
    super(scope, id);
    const role = new IamRole(this, 'role', {
      name: props.roleName,
      description: props.description,
      maxSessionDuration: props.maxSessionDuration ?? 3600,
      assumeRolePolicy: JSON.stringify(githubTrustPolicy(props.providerArn, props.repository, props.subjects)),
    });
    new IamRolePolicy(this, 'policy', { role: role.id, name: 'least-privilege', policy: props.policy });
    (props.managedPolicyArns ?? []).forEach((arn, i) => new IamRolePolicyAttachment(this, `managed-${i}`, { role: role.name, policyArn: arn }));
    this.roleArn = role.arn;
    this.roleName = role.name;
  }
}

export function githubTrustPolicy(providerArn: string, repository: string, subjects: readonly string[]) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'GithubActionsOfOneRepository',
        Effect: 'Allow',
        Principal: { Federated: providerArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${GITHUB_OIDC_HOST}:aud`]: 'sts.amazonaws.com',
            [`${GITHUB_OIDC_HOST}:sub`]: subjects.map((subject) => `repo:${repository}:${subject}`),
          },
        },
      },
    ],
  };
}
