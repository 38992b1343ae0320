import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsKmsKey } from '@cdktf/provider-aws/lib/data-aws-kms-key';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { S3AccountPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-account-public-access-block';
import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { BackendSettings } from '../config/backend';
import { CI_ROLE_NAMES, DEFAULT_HUMAN_ROLES, EnvironmentName, RegistrySettings, infraApplyRoleName } from '../config/settings';
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
  StateAccess,
  workloadBoundaryPolicy,
} from '../modules/private/ci-policies';
import { PERMISSIONS_BOUNDARY_NAME } from '../modules/private/permissions-boundary';
import { stateKeyAlias } from '../modules/state-bucket';
import { TiketiStack } from './tiketi-stack';

/** What the account-wide CI roles take from one environment's settings. */
export interface RegistryEnvironment {
  /** The Git branch the environment deploys from (`gitops.branch`): its CI roles trust only it. */
  readonly branch: string;
  /** The environment's frontend bucket (`frontendBucketName` of its edge settings): the deploy role writes only there. */
  readonly frontendBucket: string;
  /** Its CloudFront access-log bucket (`accessLogBucketName`): the apply role manages both, nothing else in S3. */
  readonly accessLogBucket: string;
  /** Host names whose records its stacks write in the shared zone (frontend, API, Argo CD). */
  readonly dnsNames: readonly string[];
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
  /** `tiketi-ci-infra-apply-<env>` of each environment. */
  public readonly infraApplyRoles: Record<string, GithubActionsRole> = {};
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

    // FSBP S3.1: the account's Block Public Access, so no bucket of any stack (or made by hand) can be public.
    // PutPublicAccessBlock overwrites what the account had: no import needed. Destroying it would silently
    // reopen the account, so a destroy of this stack is refused for it too.
    new S3AccountPublicAccessBlock(this, 'account-public-access-block', {
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
      lifecycle: { preventDestroy: true },
    });

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

    const state = this.stateAccess(props);

    // Plans run on pull requests and on the environment branches; read-only everywhere. One plan role for all
    // environments: a pull request's OIDC subject (`pull_request`) names no environment, so per-environment
    // plan roles could not be told apart by their trust (docs/registry.md).
    this.infraPlanRole = role('ci-infra-plan', CI_ROLE_NAMES.infraPlan, 'terraform plan (read-only, state read)', ['pull_request', ...envBranches], infraPlanPolicy(account, state), {
      managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
    });
    // One apply role per environment, each assumable only from that environment's GitHub environment and
    // limited to that environment's resources: a dev deploy waits for nobody, and cannot change prod.
    const protectedRoleArns = [
      this.platformAdminRole.roleArn,
      this.developerRole.roleArn,
      `arn:aws:iam::${accountId}:role/tiketi-ci-*`,
    ];
    for (const env of environments) {
      const settings = props.environments[env];
      const githubEnvironment = registry.github.applyEnvironments[env];
      this.infraApplyRoles[env] = role(
        `ci-infra-apply-${env}`,
        infraApplyRoleName(env),
        `terraform apply of the ${env} stacks, from the GitHub environment ${githubEnvironment}`,
        [`environment:${githubEnvironment}`],
        infraApplyPolicy({
          accountId,
          region: registry.region,
          environment: { name: env, buckets: [settings.frontendBucket, settings.accessLogBucket], dnsNames: settings.dnsNames },
          boundaryArn: this.permissionsBoundaryArn,
          protectedRoleArns,
          state,
        }),
        { maxSessionDuration: APPLY_SESSION_SECONDS },
      );
    }

    for (const [service, repo] of Object.entries(this.repositories)) {
      new TerraformOutput(this, `ecr_${service.replace(/-/g, '_')}_url`, { value: repo.repositoryUrl });
    }
    new TerraformOutput(this, 'github_oidc_provider_arn', { value: provider.providerArn });
    new TerraformOutput(this, 'permissions_boundary_arn', { value: this.permissionsBoundaryArn });
    new TerraformOutput(this, 'platform_admin_role_arn', { value: this.platformAdminRole.roleArn });
    new TerraformOutput(this, 'developer_role_arn', { value: this.developerRole.roleArn });
    new TerraformOutput(this, 'ci_image_push_role_arn', { value: this.imagePushRole.roleArn });
    new TerraformOutput(this, 'ci_infra_plan_role_arn', { value: this.infraPlanRole.roleArn });
    for (const [env, r] of Object.entries(this.infraApplyRoles)) new TerraformOutput(this, `ci_infra_apply_${env}_role_arn`, { value: r.roleArn });
    for (const [env, r] of Object.entries(this.frontendDeployRoles)) new TerraformOutput(this, `ci_frontend_deploy_${env}_role_arn`, { value: r.roleArn });
  }

  /**
   * The state bucket and key the CI roles may use, or nothing with Terraform Cloud (no S3 state). The key's
   * ARN is looked up at plan time, which also proves the bootstrap stack exists: with the S3 backend from
   * `TIKETI_STATE_KMS_KEY_ID` (key or alias ARN), otherwise by the alias the bootstrap stack gives it.
   */
  private stateAccess(props: RegistryStackProps): StateAccess | undefined {
    const { backend } = props;
    if (backend.kind === 'cloud') return undefined;
    const keyId = backend.kind === 's3' ? backend.kmsKeyId : `alias/${stateKeyAlias(props.stateBucketName)}`;
    const region = backend.kind === 's3' ? backend.region : props.registry.region;
    const key = new DataAwsKmsKey(this, 'state-key', { keyId });
    return { bucketName: backend.kind === 's3' ? backend.bucket : props.stateBucketName, region, keyArn: key.arn };
  }
}
