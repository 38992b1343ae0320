import { REGISTRY } from '../../config/environments';
import { RegistrySettings } from '../../config/settings';
import { validateRegistry } from '../../config/validate';
import { problemsFrom } from '../support/settings';

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
  test('fails when keepImages is zero', () => {
    expect(problemsOfRegistry({ keepImages: 0 })).toEqual([expect.stringMatching(/^registry\.keepImages: got 0, expected an integer from 1 to 1000/)]);
  });
  test('fails when untagged images would never expire', () => {
    expect(problemsOfRegistry({ untaggedExpiryDays: 0 })).toEqual([expect.stringMatching(/^registry\.untaggedExpiryDays: got 0/)]);
  });
  test('fails when the GitHub repository is a wildcard', () => {
    expect(problemsOfRegistry({ github: { ...REGISTRY.github, repository: '*' } })).toEqual([expect.stringMatching(/^registry\.github\.repository: got "\*", expected a GitHub repository name \(no wildcards\)/)]);
  });
  test('fails when the apply environment is a wildcard', () => {
    expect(problemsOfRegistry({ github: { ...REGISTRY.github, applyEnvironment: 'prod*' } })).toEqual([expect.stringMatching(/^registry\.github\.applyEnvironment: got "prod\*"/)]);
  });
});
