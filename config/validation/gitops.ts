import { parseCidr } from '../cidr';
import { EnvironmentSettings } from '../settings';
import { Problems } from './problems';
import { GIT_BRANCH, IPV4_CIDR, K8S_NAMESPACE } from './rules';

/** How Argo CD follows the environment (branch, sync, namespace) and who may reach its API. */
export function validateGitOps(env: EnvironmentSettings, problems: Problems): void {
  const gitops = env.gitops;
  const at = `${env.name}.gitops`;
  problems.rule(`${at}.branch`, gitops.branch, GIT_BRANCH);
  if (problems.rule(`${at}.namespace`, gitops.namespace, K8S_NAMESPACE)) problems.check(gitops.namespace === `tiketi-${env.name}`, `${at}.namespace`, gitops.namespace, `"tiketi-${env.name}" (the overlays and the bridge use one namespace per environment)`);
  problems.check(gitops.apiInboundCidrs.length > 0, `${at}.apiInboundCidrs`, gitops.apiInboundCidrs, 'at least one IPv4 CIDR (an ALB with no inbound CIDRs accepts nothing)');
  gitops.apiInboundCidrs.forEach((text, i) => {
    const field = `${at}.apiInboundCidrs[${i}]`;
    if (!problems.rule(field, text, IPV4_CIDR)) return;
    const cidr = parseCidr(text);
    if (env.name === 'dev') problems.check(cidr!.prefix > 0, field, text, 'specific CIDRs in dev (the office or VPN ranges), never "0.0.0.0/0"');
  });
}
