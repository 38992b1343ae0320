import { Ipv4Cidr, cidrContains, cidrsOverlap, parseCidr } from '../cidr';
import { EnvironmentSettings } from '../settings';
import { LOG_RETENTION_DAYS, Problems } from './problems';
import { IPV4_CIDR } from './rules';

const TIERS = ['publicSubnetCidrs', 'privateSubnetCidrs', 'databaseSubnetCidrs'] as const;

export function validateNetwork(env: EnvironmentSettings, problems: Problems): void {
  const network = env.network;
  const at = `${env.name}.network`;
  const azs = network.availabilityZones;

  problems.check(azs.length >= 2 && azs.length <= 3, `${at}.availabilityZones`, azs, '2 or 3 availability zones');
  // A zone is checked against a valid region only: with a wrong region, the region is what is wrong.
  if (!problems.reported(`${env.name}.region`)) {
    azs.forEach((az, i) =>
      problems.check(az.startsWith(env.region) && /^[a-z]$/.test(az.slice(env.region.length)), `${at}.availabilityZones[${i}]`, az, `a zone of ${env.region}, e.g. "${env.region}a"`),
    );
  }
  problems.check(new Set(azs).size === azs.length, `${at}.availabilityZones`, azs, 'distinct zones');

  const vpc = parseCidr(network.vpcCidr);
  if (problems.rule(`${at}.vpcCidr`, network.vpcCidr, IPV4_CIDR)) {
    problems.check(vpc!.prefix >= 16 && vpc!.prefix <= 24, `${at}.vpcCidr`, network.vpcCidr, 'a prefix from /16 to /24 (the sizes AWS allows for a VPC, /28 is too small for this layout)');
  }

  const subnets: Array<{ field: string; cidr: Ipv4Cidr }> = [];
  for (const tier of TIERS) {
    const cidrs = network[tier];
    problems.check(cidrs.length === azs.length, `${at}.${tier}`, cidrs, `one CIDR per availability zone (${azs.length})`);
    cidrs.forEach((text, i) => {
      const field = `${at}.${tier}[${i}]`;
      if (!problems.rule(field, text, IPV4_CIDR)) return;
      const cidr = parseCidr(text);
      problems.check(cidr!.prefix <= 28, field, text, 'a prefix of /28 or larger (AWS minimum subnet size)');
      if (vpc) problems.check(cidrContains(vpc, cidr!), field, text, `a block inside the VPC ${network.vpcCidr}`);
      subnets.push({ field, cidr: cidr! });
    });
  }
  subnets.forEach((a, i) =>
    subnets.slice(i + 1).forEach((b) => {
      if (cidrsOverlap(a.cidr, b.cidr)) problems.addMessage(`${b.field}: got "${b.cidr.text}", which overlaps ${a.field} ("${a.cidr.text}"); subnets must not overlap`);
    }),
  );

  problems.oneOf(`${at}.natGateways`, network.natGateways, ['single', 'one-per-az']);
  if (env.name !== 'dev') {
    problems.check(network.natGateways === 'one-per-az', `${at}.natGateways`, network.natGateways, '"one-per-az" outside dev (a single NAT gateway is a single point of failure)');
  }
  problems.oneOf(`${at}.flowLogRetentionDays`, network.flowLogRetentionDays, LOG_RETENTION_DAYS);
}
