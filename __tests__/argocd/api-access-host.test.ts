import { Testing } from 'cdktf';
import { ApiAccessHost, ApiAccessHostProps } from '../../modules/api-access-host';

describe('ApiAccessHost', () => {
  const base: ApiAccessHostProps = { namePrefix: 'tiketi-test', environment: 'test', vpcId: 'vpc-1', subnetIds: ['subnet-a', 'subnet-b', 'subnet-c'] };
  const synth = (props: ApiAccessHostProps = base) =>
    JSON.parse(
      Testing.synthScope((scope) => {
        const host = new ApiAccessHost(scope, 'host', props);
        host.allowHttpsTo('to-cluster', 'sg-cluster', 'API from the host');
      }),
    );
  const json = () => synth();
  const one = (type: string, doc = json()) => Object.values(doc.resource[type] ?? {}) as any[];

  test('no bare instance: an Auto Scaling group of exactly one, over every subnet given, launched from the template', () => {
    expect(json().resource.aws_instance).toBeUndefined();
    const [group] = one('aws_autoscaling_group');
    expect([group.min_size, group.max_size, group.desired_capacity]).toEqual([1, 1, 1]);
    expect(group.vpc_zone_identifier).toEqual(['subnet-a', 'subnet-b', 'subnet-c']);
    expect(group.launch_template).toEqual({ id: expect.stringMatching(/^\$\{aws_launch_template\.host_launch-template_[^.]+\.id\}$/), version: expect.stringMatching(/latest_version/) });
    expect(group.health_check_type).toBe('EC2');
    // balanced-only would keep retrying the failed AZ; best effort launches in a healthy one.
    expect(group.availability_zone_distribution).toEqual({ capacity_distribution_strategy: 'balanced-best-effort' });
  });

  test('the instance is tagged at launch for npm run api-tunnel and the SSM policies', () => {
    const [group] = one('aws_autoscaling_group');
    const tags = Object.fromEntries(group.tag.map((t: any) => [t.key, t]));
    expect(tags['tiketi:role']).toEqual({ key: 'tiketi:role', value: 'api-access', propagate_at_launch: true });
    expect(tags.Environment).toEqual({ key: 'Environment', value: 'test', propagate_at_launch: true });
    expect(group.tag.every((t: any) => t.propagate_at_launch === true)).toBe(true);
    const [template] = one('aws_launch_template');
    expect(template.tag_specifications.map((t: any) => t.resource_type).sort()).toEqual(['instance', 'volume']);
    for (const spec of template.tag_specifications) expect(spec.tags).toMatchObject({ 'tiketi:role': 'api-access', Environment: 'test' });
  });

  test('instanceTags reach the instance and its volume (cost allocation), but cannot move the lookup tags', () => {
    const doc = synth({ ...base, instanceTags: { Project: 'tiketi', Stack: 'cluster', Environment: 'prod', 'tiketi:role': 'other' } });
    const [group] = one('aws_autoscaling_group', doc);
    const tags = Object.fromEntries(group.tag.map((t: any) => [t.key, t.value]));
    expect(tags).toMatchObject({ Project: 'tiketi', Stack: 'cluster', Environment: 'test', 'tiketi:role': 'api-access' });
    const [template] = one('aws_launch_template', doc);
    for (const spec of template.tag_specifications) expect(spec.tags).toMatchObject({ Project: 'tiketi', Environment: 'test', 'tiketi:role': 'api-access' });
  });

  test('launch template: no key pair, no public address, IMDSv2 hop 1, encrypted root, AL2023 arm64 from the SSM parameter, the instance profile', () => {
    const doc = json();
    const [template] = one('aws_launch_template', doc);
    expect(template.key_name).toBeUndefined();
    expect(template.user_data).toBeUndefined();
    expect(template.network_interfaces).toEqual([expect.objectContaining({ device_index: 0, associate_public_ip_address: 'false', security_groups: [expect.stringMatching(/aws_security_group\.host_security-group/)] })]);
    expect(template.metadata_options).toMatchObject({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 });
    expect(template.block_device_mappings).toEqual([{ device_name: '/dev/xvda', ebs: expect.objectContaining({ encrypted: 'true', volume_type: 'gp3', delete_on_termination: 'true' }) }]);
    expect(template.instance_type).toBe('t4g.nano');
    expect(template.image_id).toMatch(/^\$\{data\.aws_ssm_parameter\.host_ami_[^.]+\.value\}$/);
    expect(template.lifecycle.ignore_changes).toEqual(['image_id']);
    expect(template.iam_instance_profile.name).toMatch(/^\$\{aws_iam_instance_profile\.host_profile_[^.]+\.name\}$/);
    expect(Object.values(doc.data.aws_ssm_parameter)).toEqual([expect.objectContaining({ name: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64' })]);
  });

  test('no subnet, or one named twice, is refused naming the field', () => {
    expect(() => synth({ ...base, subnetIds: [] })).toThrow(/tiketi-test-api-access: subnetIds is empty/);
    expect(() => synth({ ...base, subnetIds: ['subnet-a', 'subnet-a'] })).toThrow(/tiketi-test-api-access: subnetIds names a subnet twice/);
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
