import { ENVIRONMENT_NAMES, EnvironmentName, EnvironmentSettings, RegistrySettings, infraApplyRoleName } from '../settings';
import { frontendBucketName, s3BucketNameProblem } from './edge';
import { Problems } from './problems';
import { AWS_REGION, GITHUB_ENVIRONMENT, GITHUB_LOGIN, GITHUB_REPOSITORY, GIT_BRANCH, dns1123Label } from './rules';

/**
 * Service names become the ECR repository, Deployment, Service and service account `tiketi-<service>`: a
 * DNS-1123 label of at most 63 characters with the 7 of "tiketi-".
 */
const SERVICE = dns1123Label('a service name such as "auth-service"', 63 - 'tiketi-'.length);

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
  problems.rule('registry.region', registry.region, AWS_REGION);
  registry.services.forEach((service, i) => problems.rule(`registry.services[${i}]`, service, SERVICE));
  problems.check(new Set(registry.services).size === registry.services.length, 'registry.services', registry.services, 'distinct services');
  problems.checkInteger('registry.keepDevImages', registry.keepDevImages, 1, 1000);
  problems.checkInteger('registry.untaggedExpiryDays', registry.untaggedExpiryDays, 1, 90);
  problems.rule('registry.github.owner', registry.github.owner, GITHUB_LOGIN);
  problems.rule('registry.github.repository', registry.github.repository, GITHUB_REPOSITORY);
  const applyEnvironments: Readonly<Record<string, string>> = registry.github.applyEnvironments ?? {};
  for (const env of ENVIRONMENT_NAMES) {
    const name = applyEnvironments[env];
    problems.rule(`registry.github.applyEnvironments.${env}`, name, { ...GITHUB_ENVIRONMENT, kind: `${GITHUB_ENVIRONMENT.kind}, the only subject ${infraApplyRoleName(env)} trusts` });
  }
  const unknown = Object.keys(applyEnvironments).filter((env) => !(ENVIRONMENT_NAMES as readonly string[]).includes(env));
  if (unknown.length > 0) problems.add('registry.github.applyEnvironments', unknown, `only the environments ${ENVIRONMENT_NAMES.join(', ')}`);
  const names = Object.values(applyEnvironments);
  // One GitHub environment per apply role, or a job of one environment could assume another's role.
  problems.check(new Set(names).size === names.length, 'registry.github.applyEnvironments', applyEnvironments, 'a different GitHub environment for each environment');
  problems.oneOf('registry.github.oidcProvider', registry.github.oidcProvider, ['create', 'import'] as const);
  for (const env of ENVIRONMENT_NAMES) {
    const branch = environments[env].gitops.branch;
    // It scopes the CI roles (the OIDC subject); the same rule as validateGitOps.
    problems.rule(`${env}.gitops.branch`, branch, GIT_BRANCH);
    // The frontend deploy role names the exact bucket: a suffix with a wildcard would widen it.
    const suffix = environments[env].edge.bucketSuffix;
    const bucket = frontendBucketName(env, suffix);
    const problem = /[*?]/.test(suffix) ? 'no wildcards' : s3BucketNameProblem(bucket);
    if (problem) problems.addMessage(`${env}.edge.bucketSuffix: got ${JSON.stringify(suffix)}, which makes the frontend bucket ${JSON.stringify(bucket)} the CI role may write; S3 requires ${problem}`);
  }
}
