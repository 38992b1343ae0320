import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { BackendSettings } from '../config/backend';
import { EnvironmentName, RegistrySettings } from '../config/settings';
import { EcrRepository } from '../modules/ecr-repository';
import { GithubActionsRole, GithubOidcProvider } from '../modules/github-oidc';
import { KmsKey } from '../modules/kms-key';
import { frontendDeployPolicy, imagePushPolicy, infraApplyPolicy, infraPlanPolicy } from '../modules/private/ci-policies';
import { TiketiStack } from './tiketi-stack';

export interface RegistryStackProps {
  readonly registry: RegistrySettings;
  readonly backend: BackendSettings;
  /** Git branch each environment deploys from (its `gitops.branch`): the CI roles trust only these. */
  readonly branches: Readonly<Record<EnvironmentName, string>>;
  /** The Terraform state bucket the infra-plan role reads. */
  readonly stateBucketName: string;
}

/**
 * Account-wide, the same for every environment: the ECR repositories of the services, the GitHub OIDC
 * provider and the CI roles. It reads no other stack's state (one account, three environments).
 * Apply it as an administrator: the CI roles it defines are denied to CI itself.
 */
export class RegistryStack extends TiketiStack {
  public readonly repositories: Record<string, EcrRepository> = {};
  public readonly imagePushRole: GithubActionsRole;
  public readonly frontendDeployRoles: Record<string, GithubActionsRole> = {};
  public readonly infraPlanRole: GithubActionsRole;
  public readonly infraApplyRole: GithubActionsRole;

  constructor(scope: Construct, props: RegistryStackProps) {
    super(scope, 'registry', { scopeName: 'account', region: props.registry.region, backend: props.backend });
    const { registry } = props;
    const account = new DataAwsCallerIdentity(this, 'account');

    const key = new KmsKey(this, 'ecr-kms', { alias: 'tiketi-ecr', description: 'Encrypts the Tiketi container images in ECR' });
    for (const service of registry.services) {
      this.repositories[service] = new EcrRepository(this, `ecr-${service}`, {
        repositoryName: `tiketi-${service}`,
        kmsKeyArn: key.keyArn,
        keepImages: registry.keepImages,
        untaggedExpiryDays: registry.untaggedExpiryDays,
      });
    }

    const provider = new GithubOidcProvider(this, 'github-oidc');
    const repository = `${registry.github.owner}/${registry.github.repository}`;
    const branch = (name: string) => `ref:refs/heads/${name}`;
    const envBranches = Object.values(props.branches).map(branch);
    const role = (id: string, roleName: string, description: string, subjects: readonly string[], policy: object, managedPolicyArns?: string[]) =>
      new GithubActionsRole(this, id, { roleName, description, providerArn: provider.providerArn, repository, subjects, policy: JSON.stringify(policy), managedPolicyArns });

    // Images are built on every environment branch and promoted by tag, so all three branches may push.
    this.imagePushRole = role('ci-image-push', 'tiketi-ci-image-push', 'Push service images to ECR', envBranches, imagePushPolicy(Object.values(this.repositories).map((r) => r.repositoryArn)));

    for (const [env, name] of Object.entries(props.branches)) {
      this.frontendDeployRoles[env] = role(`ci-frontend-deploy-${env}`, `tiketi-ci-frontend-deploy-${env}`, `Deploy the ${env} frontend`, [branch(name)], frontendDeployPolicy(env, account.accountId));
    }

    // Plans run on pull requests and on the environment branches; read-only everywhere.
    this.infraPlanRole = role('ci-infra-plan', 'tiketi-ci-infra-plan', 'terraform plan (read-only, state read)', ['pull_request', ...envBranches], infraPlanPolicy(props.stateBucketName, registry.region), [
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
    ]);
    // Apply only from the protected GitHub environment (required reviewers, main-only deployment branches).
    this.infraApplyRole = role('ci-infra-apply', 'tiketi-ci-infra-apply', 'terraform apply from the protected environment', [`environment:${registry.github.applyEnvironment}`], infraApplyPolicy(account.accountId, registry.region));

    for (const [service, repo] of Object.entries(this.repositories)) {
      new TerraformOutput(this, `ecr_${service.replace(/-/g, '_')}_url`, { value: repo.repositoryUrl });
    }
    new TerraformOutput(this, 'github_oidc_provider_arn', { value: provider.providerArn });
    new TerraformOutput(this, 'ci_image_push_role_arn', { value: this.imagePushRole.roleArn });
    new TerraformOutput(this, 'ci_infra_plan_role_arn', { value: this.infraPlanRole.roleArn });
    new TerraformOutput(this, 'ci_infra_apply_role_arn', { value: this.infraApplyRole.roleArn });
    for (const [env, r] of Object.entries(this.frontendDeployRoles)) new TerraformOutput(this, `ci_frontend_deploy_${env}_role_arn`, { value: r.roleArn });
  }
}
