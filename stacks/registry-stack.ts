import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { BackendSettings } from '../config/backend';
import { CI_ROLE_NAMES, DEFAULT_HUMAN_ROLES, EnvironmentName, RegistrySettings } from '../config/settings';
import { EcrRepository } from '../modules/ecr-repository';
import { GithubActionsRole, GithubOidcProvider } from '../modules/github-oidc';
import { HumanRole } from '../modules/human-role';
import { KmsKey } from '../modules/kms-key';
import {
  AccountScope,
  developerPolicy,
  frontendDeployPolicy,
  imagePushPolicy,
  infraApplyPolicy,
  infraPlanPolicy,
  workloadBoundaryPolicy,
} from '../modules/private/ci-policies';
import { PERMISSIONS_BOUNDARY_NAME } from '../modules/private/permissions-boundary';
import { TiketiStack } from './tiketi-stack';

/** What the account-wide CI roles take from one environment's settings. */
export interface RegistryEnvironment {
  /** The Git branch the environment deploys from (`gitops.branch`): its CI roles trust only it. */
  readonly branch: string;
  /** The environment's frontend bucket (`frontendBucketName` of its edge settings): the deploy role writes only there. */
  readonly frontendBucket: string;
}

export interface RegistryStackProps {
  readonly registry: RegistrySettings;
  readonly backend: BackendSettings;
  /** Every environment of the account, by name. */
  readonly environments: Readonly<Record<EnvironmentName, RegistryEnvironment>>;
  /** The Terraform state bucket the infra-plan role reads. */
  readonly stateBucketName: string;
}

/** Long enough for a first `cdktf deploy network cluster data` (EKS alone takes 10-15 minutes, RDS Multi-AZ more). */
const APPLY_SESSION_SECONDS = 3 * 3600;

/**
 * Account-wide, the same for every environment: the ECR repositories of the services, the GitHub OIDC
 * provider and the CI roles, the two default human roles, and `tiketi-boundary`, the permissions boundary
 * every role of the per-environment stacks carries. It reads no other stack's state (one account, three
 * environments) and is deployed before them. Apply it as an administrator: the CI apply role is denied
 * every change to the roles it defines.
 */
export class RegistryStack extends TiketiStack {
  public readonly repositories: Record<string, EcrRepository> = {};
  public readonly imagePushRole: GithubActionsRole;
  public readonly frontendDeployRoles: Record<string, GithubActionsRole> = {};
  public readonly infraPlanRole: GithubActionsRole;
  public readonly infraApplyRole: GithubActionsRole;
  public readonly platformAdminRole: HumanRole;
  public readonly developerRole: HumanRole;
  /** ARN of `tiketi-boundary`. */
  public readonly permissionsBoundaryArn: string;

  constructor(scope: Construct, props: RegistryStackProps) {
    super(scope, 'registry', { scopeName: 'account', region: props.registry.region, backend: props.backend });
    const { registry } = props;
    const accountId = new DataAwsCallerIdentity(this, 'account').accountId;
    const environments = Object.keys(props.environments) as EnvironmentName[];
    const account: AccountScope = { accountId, region: registry.region, environments };

    const key = new KmsKey(this, 'ecr-kms', { alias: 'tiketi-ecr', description: 'Encrypts the Tiketi container images in ECR' });
    for (const service of registry.services) {
      this.repositories[service] = new EcrRepository(this, `ecr-${service}`, {
        repositoryName: `tiketi-${service}`,
        kmsKeyArn: key.keyArn,
        keepDevImages: registry.keepDevImages,
        untaggedExpiryDays: registry.untaggedExpiryDays,
      });
    }

    // The ceiling of every role the per-environment stacks (and so the CI apply role) create.
    this.permissionsBoundaryArn = new IamPolicy(this, 'permissions-boundary', {
      name: PERMISSIONS_BOUNDARY_NAME,
      description: 'Permissions boundary of every role the Tiketi per-environment stacks create: platform services, no IAM writes',
      policy: JSON.stringify(workloadBoundaryPolicy(registry.region)),
    }).arn;

    // People get in through these (MFA required); the clusters' access entries name them by default.
    this.platformAdminRole = new HumanRole(this, 'human-platform-admin', {
      roleName: DEFAULT_HUMAN_ROLES.platformAdmin,
      description: 'Tiketi platform administrators (cluster admin; applies the registry and bootstrap stacks)',
      accountId,
      managedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'],
    });
    this.developerRole = new HumanRole(this, 'human-developer', {
      roleName: DEFAULT_HUMAN_ROLES.developer,
      description: 'Tiketi developers: read-only, no secret values, kubectl view through the API port forward',
      accountId,
      managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      policy: JSON.stringify(developerPolicy(account)),
    });

    const provider = new GithubOidcProvider(this, 'github-oidc', { importFromAccount: registry.github.oidcProvider === 'import' ? accountId : undefined });
    const repository = `${registry.github.owner}/${registry.github.repository}`;
    const branch = (name: string) => `ref:refs/heads/${name}`;
    const envBranches = environments.map((env) => branch(props.environments[env].branch));
    const role = (id: string, roleName: string, description: string, subjects: readonly string[], policy: object, options: { managedPolicyArns?: string[]; maxSessionDuration?: number } = {}) =>
      new GithubActionsRole(this, id, { roleName, description, providerArn: provider.providerArn, repository, subjects, policy: JSON.stringify(policy), ...options });

    // Images are built on every environment branch and promoted by tag, so all three branches may push.
    this.imagePushRole = role('ci-image-push', CI_ROLE_NAMES.imagePush, 'Push service images to ECR', envBranches, imagePushPolicy(Object.values(this.repositories).map((r) => r.repositoryArn)));

    for (const env of environments) {
      const { branch: envBranch, frontendBucket } = props.environments[env];
      this.frontendDeployRoles[env] = role(`ci-frontend-deploy-${env}`, `${CI_ROLE_NAMES.frontendDeployPrefix}${env}`, `Deploy the ${env} frontend`, [branch(envBranch)], frontendDeployPolicy(env, frontendBucket, account));
    }

    // Plans run on pull requests and on the environment branches; read-only everywhere.
    this.infraPlanRole = role('ci-infra-plan', CI_ROLE_NAMES.infraPlan, 'terraform plan (read-only, state read)', ['pull_request', ...envBranches], infraPlanPolicy(props.stateBucketName, account), {
      managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
    });
    // Apply only from the protected GitHub environment (required reviewers, main-only deployment branches).
    const protectedRoleArns = [
      this.platformAdminRole.roleArn,
      this.developerRole.roleArn,
      `arn:aws:iam::${accountId}:role/tiketi-ci-*`,
    ];
    this.infraApplyRole = role(
      'ci-infra-apply',
      CI_ROLE_NAMES.infraApply,
      'terraform apply from the protected environment',
      [`environment:${registry.github.applyEnvironment}`],
      infraApplyPolicy({ ...account, boundaryArn: this.permissionsBoundaryArn, protectedRoleArns }),
      { maxSessionDuration: APPLY_SESSION_SECONDS },
    );

    for (const [service, repo] of Object.entries(this.repositories)) {
      new TerraformOutput(this, `ecr_${service.replace(/-/g, '_')}_url`, { value: repo.repositoryUrl });
    }
    new TerraformOutput(this, 'github_oidc_provider_arn', { value: provider.providerArn });
    new TerraformOutput(this, 'permissions_boundary_arn', { value: this.permissionsBoundaryArn });
    new TerraformOutput(this, 'platform_admin_role_arn', { value: this.platformAdminRole.roleArn });
    new TerraformOutput(this, 'developer_role_arn', { value: this.developerRole.roleArn });
    new TerraformOutput(this, 'ci_image_push_role_arn', { value: this.imagePushRole.roleArn });
    new TerraformOutput(this, 'ci_infra_plan_role_arn', { value: this.infraPlanRole.roleArn });
    new TerraformOutput(this, 'ci_infra_apply_role_arn', { value: this.infraApplyRole.roleArn });
    for (const [env, r] of Object.entries(this.frontendDeployRoles)) new TerraformOutput(this, `ci_frontend_deploy_${env}_role_arn`, { value: r.roleArn });
  }
}
