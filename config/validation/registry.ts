import { ENVIRONMENT_NAMES, EnvironmentName, EnvironmentSettings, RegistrySettings } from '../settings';
import { frontendBucketName, s3BucketNameProblem } from './edge';
import { Problems } from './problems';

/** GitHub owner/repository names: letters, digits, `-`, `_`, `.`. */
const GITHUB_NAME = /^[A-Za-z0-9_.-]{1,100}$/;
/** Service names become `tiketi-<service>` repository names. */
const SERVICE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** Git branch names usable in an OIDC `sub` claim without wildcards. */
const BRANCH = /^[A-Za-z0-9._/-]+$/;

/**
 * Checks the account-wide registry settings and what its CI roles take from every environment: the
 * branch they trust (`gitops.branch`) and the frontend bucket they may write (`edge.bucketSuffix`).
 */
export function validateRegistrySettings(
  registry: RegistrySettings,
  environments: Readonly<Record<EnvironmentName, Pick<EnvironmentSettings, 'gitops' | 'edge'>>>,
  problems: Problems,
): void {
  problems.check(registry.services.length > 0, 'registry.services', registry.services, 'at least one service');
  registry.services.forEach((service, i) => problems.check(SERVICE.test(service), `registry.services[${i}]`, service, 'a lower-case name such as "auth-service"'));
  problems.check(new Set(registry.services).size === registry.services.length, 'registry.services', registry.services, 'distinct services');
  problems.checkInteger('registry.keepDevImages', registry.keepDevImages, 1, 1000);
  problems.checkInteger('registry.untaggedExpiryDays', registry.untaggedExpiryDays, 1, 90);
  problems.check(GITHUB_NAME.test(registry.github.owner), 'registry.github.owner', registry.github.owner, 'a GitHub owner name (no wildcards)');
  problems.check(GITHUB_NAME.test(registry.github.repository), 'registry.github.repository', registry.github.repository, 'a GitHub repository name (no wildcards)');
  problems.check(GITHUB_NAME.test(registry.github.applyEnvironment), 'registry.github.applyEnvironment', registry.github.applyEnvironment, 'a GitHub environment name (no wildcards)');
  problems.oneOf('registry.github.oidcProvider', registry.github.oidcProvider, ['create', 'import'] as const);
  for (const env of ENVIRONMENT_NAMES) {
    const branch = environments[env].gitops.branch;
    problems.check(BRANCH.test(branch) && !branch.includes('*'), `${env}.gitops.branch`, branch, 'a branch name without wildcards (it scopes the CI roles)');
    // The frontend deploy role names the exact bucket: a suffix with a wildcard would widen it.
    const suffix = environments[env].edge.bucketSuffix;
    const bucket = frontendBucketName(env, suffix);
    const problem = /[*?]/.test(suffix) ? 'no wildcards' : s3BucketNameProblem(bucket);
    if (problem) problems.addMessage(`${env}.edge.bucketSuffix: got ${JSON.stringify(suffix)}, which makes the frontend bucket ${JSON.stringify(bucket)} the CI role may write; S3 requires ${problem}`);
  }
}
