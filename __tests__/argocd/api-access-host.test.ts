import { Testing } from 'cdktf';
import { ApiAccessHost } from '../../modules/api-access-host';

describe('ApiAccessHost', () => {
  const json = () =>
    JSON.parse(
      Testing.synthScope((scope) => {
        const host = new ApiAccessHost(scope, 'host', { namePrefix: 'tiketi-test', environment: 'test', vpcId: 'vpc-1', subnetId: 'subnet-1' });
        host.allowHttpsTo('to-cluster', 'sg-cluster', 'API from the host');
      }),
    );
  const one = (type: string) => Object.values(json().resource[type]) as any[];

  test('no key pair, no public address, IMDSv2 hop 1, encrypted root, AL2023 arm64 from the SSM parameter', () => {
    const [instance] = one('aws_instance');
    expect(instance.key_name).toBeUndefined();
    expect(instance.associate_public_ip_address).toBe(false);
    expect(instance.metadata_options).toEqual({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 });
    expect(instance.root_block_device.encrypted).toBe(true);
    expect(instance.instance_type).toBe('t4g.nano');
    expect(instance.tags).toMatchObject({ 'tiketi:role': 'api-access', Environment: 'test' });
    expect(Object.values(json().data.aws_ssm_parameter)).toEqual([expect.objectContaining({ name: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64' })]);
    expect(instance.user_data).toBeUndefined();
  });

  test('its group has no inbound rule and only HTTPS out; the cluster group admits it on 443 only', () => {
    const [group] = one('aws_security_group');
    expect(group.ingress).toEqual([]);
    expect(group.egress.map((r: any) => [r.protocol, r.from_port, r.to_port])).toEqual([['tcp', 443, 443]]);
    const [rule] = one('aws_vpc_security_group_ingress_rule');
    expect(rule).toMatchObject({ security_group_id: 'sg-cluster', from_port: 443, to_port: 443, ip_protocol: 'tcp' });
    expect(rule.referenced_security_group_id).toMatch(/^\$\{aws_security_group\.host_security-group/);
  });

  test('the instance role is for EC2 and holds only the SSM core policy', () => {
    const [role] = one('aws_iam_role');
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    expect(one('aws_iam_role_policy_attachment').map((a) => a.policy_arn)).toEqual(['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore']);
    expect(json().resource.aws_iam_role_policy).toBeUndefined();
  });
});
