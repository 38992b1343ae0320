import { cidrsOverlap, parseCidr } from '../cidr';
import { DnsSettings, ENVIRONMENT_NAMES, EnvironmentName, EnvironmentSettings } from '../settings';
import { Problems } from './problems';
import { AWS_REGION, DNS_NAME } from './rules';

/**
 * Checks that span environments: they share one AWS account, so some settings must agree across them and
 * some must differ. `validateEnvironment` sees one environment at a time and cannot check these.
 */
export function validateAccountSettings(environments: Readonly<Record<EnvironmentName, EnvironmentSettings>>, dns: DnsSettings, problems: Problems): void {
  problems.rule('dns.region', dns.region, AWS_REGION);
  const zoneOk = problems.rule('dns.zoneName', dns.zoneName, DNS_NAME);

  // One public zone per account, created once by the `dns` stack: every edge looks up that zone.
  if (zoneOk) {
    for (const name of ENVIRONMENT_NAMES) {
      const zoneName = environments[name].edge.zoneName;
      problems.check(zoneName === dns.zoneName, `${name}.edge.zoneName`, zoneName, `"${dns.zoneName}" (dns.zoneName: the one public zone of the account, created by the dns stack)`);
    }
  }

  // Overlapping VPCs can never be peered or attached to one Transit Gateway.
  const vpcs = ENVIRONMENT_NAMES.map((name) => ({ name, text: environments[name].network.vpcCidr, cidr: parseCidr(environments[name].network.vpcCidr) }));
  vpcs.forEach((a, i) =>
    vpcs.slice(i + 1).forEach((b) => {
      if (a.cidr && b.cidr && cidrsOverlap(a.cidr, b.cidr)) {
        problems.addMessage(
          `${b.name}.network.vpcCidr: got "${b.text}", which overlaps ${a.name}.network.vpcCidr ("${a.text}"); ` +
            'environments share one account, so their VPCs need disjoint CIDRs (VPC peering, Transit Gateway)',
        );
      }
    }),
  );
}
