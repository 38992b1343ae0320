import { ENVIRONMENT_NAMES, EnvironmentName, EnvironmentSettings, RegistrySettings, infraApplyRoleName } from '../settings';
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
  const applyEnvironments: Readonly<Record<string, string>> = registry.github.applyEnvironments ?? {};
  for (const env of ENVIRONMENT_NAMES) {
    const name = applyEnvironments[env];
    problems.check(typeof name === 'string' && GITHUB_NAME.test(name), `registry.github.applyEnvironments.${env}`, name, `a GitHub environment name (no wildcards): the only subject ${infraApplyRoleName(env)} trusts`);
  }
  const unknown = Object.keys(applyEnvironments).filter((env) => !(ENVIRONMENT_NAMES as readonly string[]).includes(env));
  if (unknown.length > 0) problems.add('registry.github.applyEnvironments', unknown, `only the environments ${ENVIRONMENT_NAMES.join(', ')}`);
  const names = Object.values(applyEnvironments);
  // One GitHub environment per apply role, or a job of one environment could assume another's role.
  problems.check(new Set(names).size === names.length, 'registry.github.applyEnvironments', applyEnvironments, 'a different GitHub environment for each environment');
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
