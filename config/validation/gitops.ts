import { parseCidr } from '../cidr';
import { EnvironmentSettings } from '../settings';
import { Problems } from './problems';

/** How Argo CD follows the environment (branch, sync, namespace) and who may reach its API. */
export function validateGitOps(env: EnvironmentSettings, problems: Problems): void {
  const gitops = env.gitops;
  const at = `${env.name}.gitops`;
  problems.check(gitops.namespace === `tiketi-${env.name}`, `${at}.namespace`, gitops.namespace, `"tiketi-${env.name}" (the overlays and the bridge use one namespace per environment)`);
  problems.check(gitops.apiInboundCidrs.length > 0, `${at}.apiInboundCidrs`, gitops.apiInboundCidrs, 'at least one IPv4 CIDR (an ALB with no inbound CIDRs accepts nothing)');
  gitops.apiInboundCidrs.forEach((text, i) => {
    const field = `${at}.apiInboundCidrs[${i}]`;
    const cidr = parseCidr(text);
    if (!problems.check(cidr !== undefined, field, text, 'an IPv4 CIDR such as "198.51.100.0/24" with host bits zero')) return;
    if (env.name === 'dev') problems.check(cidr!.prefix > 0, field, text, 'specific CIDRs in dev (the office or VPN ranges), never "0.0.0.0/0"');
  });
}
