import { Testing } from 'cdktf';
import { ServiceSecurityGroup, ServiceSecurityGroupProps } from '../../modules/service-security-group';

const BASE: ServiceSecurityGroupProps = { name: 'tiketi-test-db', description: 'test', vpcId: 'vpc-123', port: 5432 };

function synth(configure: (group: ServiceSecurityGroup) => void = () => undefined, props: Partial<ServiceSecurityGroupProps> = {}): any {
  return JSON.parse(Testing.synthScope((scope) => configure(new ServiceSecurityGroup(scope, 'sg', { ...BASE, ...props }))));
}

describe('ServiceSecurityGroup', () => {
  test('starts with no ingress and no egress; inline ingress is left to the standalone rules', () => {
    const json = synth();
    const group = Object.values<any>(json.resource.aws_security_group)[0];
    expect(group).toMatchObject({ name: 'tiketi-test-db', vpc_id: 'vpc-123', egress: [] });
    expect(group).not.toHaveProperty('ingress');
    expect(json.resource.aws_vpc_security_group_ingress_rule).toBeUndefined();
    expect(json.resource.aws_vpc_security_group_egress_rule).toBeUndefined();
  });

  test('each CIDR gets its own rule named after it, on the service port only', () => {
    const rules = synth((g) => g.allowFrom(['10.0.11.0/24', '10.0.12.0/24'], 'nodes')).resource.aws_vpc_security_group_ingress_rule;
    expect(Object.keys(rules).map((id) => id.replace(/_[0-9A-F]{8}$/, '')).sort()).toEqual(['sg_from-10-0-11-0-24', 'sg_from-10-0-12-0-24']);
    expect(Object.values<any>(rules).every((r) => r.from_port === 5432 && r.to_port === 5432 && r.ip_protocol === 'tcp' && r.description === 'nodes')).toBe(true);
  });

  test('a source security group is referenced, not copied into CIDRs', () => {
    const rules = Object.values<any>(synth((g) => g.allowFromSecurityGroup('eks-nodes', 'sg-abc', 'node group')).resource.aws_vpc_security_group_ingress_rule);
    expect(rules).toEqual([expect.objectContaining({ referenced_security_group_id: 'sg-abc', from_port: 5432, to_port: 5432 })]);
    expect(rules[0]).not.toHaveProperty('cidr_ipv4');
  });

  test.each<[string, (g: ServiceSecurityGroup) => void, string]>([
    ['the whole internet', (g) => g.allowFrom(['0.0.0.0/0'], 'x'), 'allowFrom got "0.0.0.0/0", expected a specific IPv4 CIDR'],
    ['a malformed CIDR', (g) => g.allowFrom(['10.0.11.0'], 'x'), 'allowFrom got "10.0.11.0"'],
    ['the same source group key twice', (g) => ['a', 'a'].forEach((n) => g.allowFromSecurityGroup(n, 'sg-1', 'x')), 'allowFromSecurityGroup name got "a", expected a new lower-case key'],
  ])('fails when opened to %s', (_case, configure, message) => {
    expect(() => synth(configure)).toThrow(message);
  });

  test('fails when the port is not a TCP port', () => {
    expect(() => synth(undefined, { port: 70000 })).toThrow('port got 70000, expected a TCP port from 1 to 65535');
  });
});
