import { ENVIRONMENTS, REGISTRY } from '../../config/environments';
import { RegistrySettings } from '../../config/settings';
import { validateRegistry } from '../../config/validate';
import { Problems } from '../../config/validation/problems';
import { validateRegistrySettings } from '../../config/validation/registry';
import { problemsFrom } from '../support/settings';

function validateRegistrySettingsOnly(environments: typeof ENVIRONMENTS): void {
  const problems = new Problems();
  validateRegistrySettings(REGISTRY, environments, problems);
  problems.throwIfAny();
}

describe('registry settings validation', () => {
  const problemsOfRegistry = (change: Partial<RegistrySettings>): string[] => problemsFrom(() => validateRegistry({ ...REGISTRY, ...change }));

  test('the registry settings are valid', () => {
    expect(problemsOfRegistry({})).toEqual([]);
  });
  test('fails when a service name is not a repository name', () => {
    expect(problemsOfRegistry({ services: ['Backend'] })).toEqual([expect.stringMatching(/^registry\.services\[0\]: got "Backend"/)]);
  });
  test('fails when services repeat', () => {
    expect(problemsOfRegistry({ services: ['backend', 'backend'] })).toEqual([expect.stringMatching(/^registry\.services: .*distinct services/)]);
  });
  test('fails when keepDevImages is zero', () => {
    expect(problemsOfRegistry({ keepDevImages: 0 })).toEqual([expect.stringMatching(/^registry\.keepDevImages: got 0, expected an integer from 1 to 1000/)]);
  });
  test('fails when the OIDC provider mode is unknown', () => {
    expect(problemsOfRegistry({ github: { ...REGISTRY.github, oidcProvider: 'adopt' as any } })).toEqual([expect.stringMatching(/^registry\.github\.oidcProvider: got "adopt", expected one of "create", "import"/)]);
  });
  test('fails when an environment\'s bucket suffix would widen the frontend deploy role', () => {
    const broken = { ...ENVIRONMENTS, staging: { ...ENVIRONMENTS.staging, edge: { ...ENVIRONMENTS.staging.edge, bucketSuffix: '*' } } };
    expect(problemsFrom(() => validateRegistrySettingsOnly(broken))).toEqual([
      'staging.edge.bucketSuffix: got "*", which makes the frontend bucket "tiketi-frontend-staging-*" the CI role may write; S3 requires no wildcards',
    ]);
  });
  test('fails when untagged images would never expire', () => {
    expect(problemsOfRegistry({ untaggedExpiryDays: 0 })).toEqual([expect.stringMatching(/^registry\.untaggedExpiryDays: got 0/)]);
  });
  test('fails when the GitHub repository is a wildcard', () => {
    expect(problemsOfRegistry({ github: { ...REGISTRY.github, repository: '*' } })).toEqual(['registry.github.repository: got "*", expected a GitHub repository name (1-100 letters, digits, "-", "_" and ".")']);
  });
  test('fails when an apply environment is a wildcard, missing, unknown, or shared by two environments', () => {
    const withApply = (applyEnvironments: Record<string, string>) => problemsOfRegistry({ github: { ...REGISTRY.github, applyEnvironments: applyEnvironments as never } });
    expect(withApply({ dev: 'dev', staging: 'staging', prod: 'prod*' })).toEqual([
      'registry.github.applyEnvironments.prod: got "prod*", expected a GitHub environment name, the only subject tiketi-ci-infra-apply-prod trusts (1-255 letters, digits, "-", "_" and "."; no wildcard or ":", the OIDC subject matches it exactly)',
    ]);
    expect(withApply({ dev: 'dev', staging: 'staging' })).toEqual([
      'registry.github.applyEnvironments.prod: got undefined, expected a GitHub environment name, the only subject tiketi-ci-infra-apply-prod trusts (a string)',
    ]);
    expect(withApply({ dev: 'dev', staging: 'staging', prod: 'production', qa: 'qa' })).toEqual([expect.stringMatching(/^registry\.github\.applyEnvironments: got \["qa"\], expected only the environments dev, staging, prod/)]);
    // One GitHub environment for two apply roles: a dev job could assume prod's role.
    expect(withApply({ dev: 'production', staging: 'staging', prod: 'production' })).toEqual([expect.stringMatching(/^registry\.github\.applyEnvironments: .*a different GitHub environment for each environment/)]);
  });
});
