import { ENVIRONMENT_NAMES, EnvironmentName, GitOpsSettings, RegistrySettings } from '../settings';
import { Problems } from './problems';

/** GitHub owner/repository names: letters, digits, `-`, `_`, `.`. */
const GITHUB_NAME = /^[A-Za-z0-9_.-]{1,100}$/;
/** Service names become `tiketi-<service>` repository names. */
const SERVICE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** Git branch names usable in an OIDC `sub` claim without wildcards. */
const BRANCH = /^[A-Za-z0-9._/-]+$/;

/** Checks the account-wide registry settings and the branches CI roles trust (from each environment's gitops settings). */
export function validateRegistrySettings(registry: RegistrySettings, branches: Readonly<Record<EnvironmentName, GitOpsSettings>>, problems: Problems): void {
  problems.check(registry.services.length > 0, 'registry.services', registry.services, 'at least one service');
  registry.services.forEach((service, i) => problems.check(SERVICE.test(service), `registry.services[${i}]`, service, 'a lower-case name such as "auth-service"'));
  problems.check(new Set(registry.services).size === registry.services.length, 'registry.services', registry.services, 'distinct services');
  problems.checkInteger('registry.keepImages', registry.keepImages, 1, 1000);
  problems.checkInteger('registry.untaggedExpiryDays', registry.untaggedExpiryDays, 1, 90);
  problems.check(GITHUB_NAME.test(registry.github.owner), 'registry.github.owner', registry.github.owner, 'a GitHub owner name (no wildcards)');
  problems.check(GITHUB_NAME.test(registry.github.repository), 'registry.github.repository', registry.github.repository, 'a GitHub repository name (no wildcards)');
  problems.check(GITHUB_NAME.test(registry.github.applyEnvironment), 'registry.github.applyEnvironment', registry.github.applyEnvironment, 'a GitHub environment name (no wildcards)');
  for (const env of ENVIRONMENT_NAMES) {
    const branch = branches[env].branch;
    problems.check(BRANCH.test(branch) && !branch.includes('*'), `${env}.gitops.branch`, branch, 'a branch name without wildcards (it scopes the CI roles)');
  }
}
