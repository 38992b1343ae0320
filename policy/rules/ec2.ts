/**
 * FSBP controls for Amazon EC2 and VPC resources. Security Hub evaluates the deployed resources; these
 * rules evaluate the synthesized configuration that creates them, so a default the provider or AWS
 * applies counts as what the control would see (e.g. a VPC whose default security group nobody
 * manages keeps AWS's default rules and fails EC2.2).
 */
import { Element } from '../types';
import { blocks, isTrue, list } from '../document';
import { Rule } from '../types';

const ALL = 'all';

/** Ingress permissions of a security group (inline) or of a standalone rule resource, as {from, to, protocol, cidrs}. */
function ingressPermissions(element: Element): { from: number; to: number; protocol: string; cidrs: string[] }[] {
  const c = element.config;
  const range = (from: unknown, to: unknown, protocol: unknown) => {
    const p = String(protocol ?? '-1');
    const all = p === '-1' || p === 'all';
    return { from: all ? 0 : Number(from ?? 0), to: all ? 65535 : Number(to ?? 65535), protocol: p };
  };
  switch (element.type) {
    case 'aws_security_group':
      return blocks(c.ingress).map((rule) => ({ ...range(rule.from_port, rule.to_port, rule.protocol), cidrs: [...list(rule.cidr_blocks), ...list(rule.ipv6_cidr_blocks)].map(String) }));
    case 'aws_security_group_rule':
      return c.type === 'ingress' ? [{ ...range(c.from_port, c.to_port, c.protocol), cidrs: [...list(c.cidr_blocks), ...list(c.ipv6_cidr_blocks)].map(String) }] : [];
    case 'aws_vpc_security_group_ingress_rule':
      return [{ ...range(c.from_port, c.to_port, c.ip_protocol), cidrs: [c.cidr_ipv4, c.cidr_ipv6].filter((v) => v !== undefined).map(String) }];
    default:
      return [];
  }
}

const ADMIN_PORTS = [22, 3389];
const SECURITY_GROUP_TYPES = ['aws_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule'];

function openAdminPorts(element: Element, world: string): string | undefined {
  const open = ingressPermissions(element).flatMap((p) =>
    p.cidrs.includes(world) && ['tcp', '6', '-1', 'all'].includes(p.protocol) ? ADMIN_PORTS.filter((port) => p.from <= port && port <= p.to) : [],
  );
  return open.length > 0 ? `ingress from ${world} reaches port ${[...new Set(open)].join(' and ')}` : undefined;
}

export const EC2_RULES: readonly Rule[] = [
  {
    control: 'EC2.2',
    source: 'FSBP',
    title: 'VPC default security groups should not allow inbound or outbound traffic',
    checks: 'every aws_vpc has an aws_default_security_group with no ingress and no egress rules (an unmanaged default group keeps AWS\'s default rules)',
    targets: ['aws_vpc'],
    environments: ALL,
    fix: 'manage the default group with an aws_default_security_group for the VPC and no ingress/egress blocks (the Vpc module does this)',
    evaluate(vpc, { doc }) {
      const groups = doc.referencing('aws_default_security_group', 'vpc_id', vpc);
      if (groups.length === 0) return 'no aws_default_security_group manages the VPC\'s default group, so it keeps AWS\'s default rules (all outbound, all inbound from itself)';
      const open = groups.filter((g) => blocks(g.config.ingress).length > 0 || blocks(g.config.egress).length > 0);
      return open.length > 0 ? `${open.map((g) => g.address).join(', ')} has ingress or egress rules` : undefined;
    },
  },
  {
    control: 'EC2.6',
    source: 'FSBP',
    title: 'VPC flow logging should be enabled in all VPCs',
    checks: 'every aws_vpc has an aws_flow_log on the VPC with traffic_type REJECT or ALL (Security Hub\'s default trafficType parameter is REJECT)',
    targets: ['aws_vpc'],
    environments: ALL,
    fix: 'add an aws_flow_log with vpc_id = the VPC and traffic_type = "ALL" (the FlowLog module)',
    evaluate(vpc, { doc }) {
      const logs = doc.referencing('aws_flow_log', 'vpc_id', vpc);
      if (logs.length === 0) return 'no aws_flow_log has vpc_id = this VPC';
      return logs.some((log) => ['ALL', 'REJECT'].includes(log.config.traffic_type)) ? undefined : `flow logs record only ${logs.map((l) => l.config.traffic_type).join(', ')} traffic, not rejected traffic`;
    },
  },
  {
    control: 'EC2.8',
    source: 'FSBP',
    title: 'EC2 instances should use Instance Metadata Service Version 2 (IMDSv2)',
    checks: 'every aws_instance sets metadata_options.http_tokens = "required" (fails when it is "optional" or left to the AMI default)',
    targets: ['aws_instance'],
    environments: ALL,
    fix: 'set metadata_options { http_tokens = "required", http_put_response_hop_limit = 1 } on the instance',
    evaluate: (instance) => (blocks(instance.config.metadata_options).some((m) => m.http_tokens === 'required') ? undefined : 'metadata_options.http_tokens is not "required", so IMDSv1 stays reachable'),
  },
  {
    control: 'EC2.15',
    source: 'FSBP',
    title: 'EC2 subnets should not automatically assign public IP addresses',
    checks: 'no aws_subnet sets map_public_ip_on_launch or assign_ipv6_address_on_creation to true',
    targets: ['aws_subnet'],
    environments: ALL,
    fix: 'leave map_public_ip_on_launch false; public endpoints get addresses from their own resources (NAT EIPs, load balancers)',
    evaluate(subnet) {
      if (isTrue(subnet.config.map_public_ip_on_launch)) return 'map_public_ip_on_launch is true';
      return isTrue(subnet.config.assign_ipv6_address_on_creation) ? 'assign_ipv6_address_on_creation is true' : undefined;
    },
  },
  {
    control: 'EC2.25',
    source: 'FSBP',
    title: 'Amazon EC2 launch templates should not assign public IPs to network interfaces',
    checks: 'no network_interfaces block of an aws_launch_template sets associate_public_ip_address to true',
    targets: ['aws_launch_template'],
    environments: ALL,
    fix: 'remove associate_public_ip_address (or set it false); nodes reach the internet through the NAT gateways',
    evaluate: (template) => (blocks(template.config.network_interfaces).some((ni) => isTrue(ni.associate_public_ip_address)) ? 'a network interface sets associate_public_ip_address = true' : undefined),
  },
  {
    control: 'EC2.170',
    source: 'FSBP',
    title: 'EC2 launch templates should use Instance Metadata Service Version 2 (IMDSv2)',
    checks: 'every aws_launch_template sets metadata_options.http_tokens = "required"',
    targets: ['aws_launch_template'],
    environments: ALL,
    fix: 'set metadata_options { http_tokens = "required" } on the launch template',
    evaluate: (template) => (blocks(template.config.metadata_options).some((m) => m.http_tokens === 'required') ? undefined : 'metadata_options.http_tokens is not "required"'),
  },
  {
    control: 'EC2.53',
    source: 'FSBP',
    title: 'EC2 security groups should not allow ingress from 0.0.0.0/0 to remote server administration ports',
    checks: 'no ingress rule (inline, aws_security_group_rule or aws_vpc_security_group_ingress_rule) opens TCP 22 or 3389 to 0.0.0.0/0',
    targets: SECURITY_GROUP_TYPES,
    environments: ALL,
    fix: 'reach instances with SSM Session Manager instead of SSH/RDP, or allow only specific CIDRs',
    evaluate: (element) => openAdminPorts(element, '0.0.0.0/0'),
  },
  {
    control: 'EC2.54',
    source: 'FSBP',
    title: 'EC2 security groups should not allow ingress from ::/0 to remote server administration ports',
    checks: 'no ingress rule opens TCP 22 or 3389 to ::/0',
    targets: SECURITY_GROUP_TYPES,
    environments: ALL,
    fix: 'reach instances with SSM Session Manager instead of SSH/RDP, or allow only specific CIDRs',
    evaluate: (element) => openAdminPorts(element, '::/0'),
  },
];
