import { ENVIRONMENTS } from '../../config/environments';
import { EnvironmentSettings, GitOpsSettings } from '../../config/settings';
import { problemsOf } from '../support/settings';

const withGitOps = (env: EnvironmentSettings, gitops: Partial<GitOpsSettings>): EnvironmentSettings => ({ ...env, gitops: { ...env.gitops, ...gitops } });

describe('gitops settings validation', () => {
  test.each<[string, EnvironmentSettings, string]>([
    ['dev open to the internet', withGitOps(ENVIRONMENTS.dev, { apiInboundCidrs: ['0.0.0.0/0'] }), 'dev.gitops.apiInboundCidrs[0]: got "0.0.0.0/0", expected specific CIDRs in dev'],
    ['no inbound CIDR at all', withGitOps(ENVIRONMENTS.prod, { apiInboundCidrs: [] }), 'prod.gitops.apiInboundCidrs: got [], expected at least one IPv4 CIDR'],
    ['a malformed CIDR', withGitOps(ENVIRONMENTS.staging, { apiInboundCidrs: ['198.51.100.7/24'] }), 'staging.gitops.apiInboundCidrs[0]: got "198.51.100.7/24", expected an IPv4 CIDR'],
    ['another environment\'s namespace', withGitOps(ENVIRONMENTS.staging, { namespace: 'tiketi-prod' }), 'staging.gitops.namespace: got "tiketi-prod", expected "tiketi-staging"'],
  ])('%s is refused, naming the field', (_what, env, message) => {
    expect(problemsOf(env)).toEqual([expect.stringContaining(message)]);
  });

  test('a public API behind the WAF is allowed outside dev', () => {
    expect(problemsOf(withGitOps(ENVIRONMENTS.prod, { apiInboundCidrs: ['0.0.0.0/0'] }))).toEqual([]);
  });
});
