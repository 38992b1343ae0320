import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { fixture, statusOf } from './helpers';

describe('EC2.2: the default security group of every VPC has no rules', () => {
  test('passes with an aws_default_security_group without rules', () => {
    const json = fixture((s) => {
      const vpc = new Vpc(s, 'vpc', { cidrBlock: '10.0.0.0/16' });
      new DefaultSecurityGroup(s, 'default', { vpcId: vpc.id, ingress: [], egress: [] });
    });
    expect(statusOf('EC2.2', json)).toEqual({ 'aws_vpc.vpc': 'passed' });
  });

  test('fails when nothing manages the default group (AWS keeps its default rules)', () => {
    const json = fixture((s) => void new Vpc(s, 'vpc', { cidrBlock: '10.0.0.0/16' }));
    expect(statusOf('EC2.2', json)['aws_vpc.vpc']).toMatch(/^failed: no aws_default_security_group manages/);
  });

  test('fails when the default group keeps an egress rule', () => {
    const json = fixture((s) => {
      const vpc = new Vpc(s, 'vpc', { cidrBlock: '10.0.0.0/16' });
      new DefaultSecurityGroup(s, 'default', { vpcId: vpc.id, egress: [{ protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'] }] });
    });
    expect(statusOf('EC2.2', json)).toEqual({ 'aws_vpc.vpc': 'failed: aws_default_security_group.default has ingress or egress rules' });
  });
});

describe('EC2.6: every VPC logs its flows', () => {
  const withFlowLog = (trafficType: string) =>
    fixture((s) => {
      const vpc = new Vpc(s, 'vpc', { cidrBlock: '10.0.0.0/16' });
      new FlowLog(s, 'log', { vpcId: vpc.id, trafficType, logDestination: 'arn:aws:logs:ap-northeast-2:111122223333:log-group:x' });
    });

  test('passes with ALL or REJECT traffic', () => {
    expect(statusOf('EC2.6', withFlowLog('ALL'))).toEqual({ 'aws_vpc.vpc': 'passed' });
    expect(statusOf('EC2.6', withFlowLog('REJECT'))).toEqual({ 'aws_vpc.vpc': 'passed' });
  });

  test('fails without a flow log, or with accepted traffic only', () => {
    expect(statusOf('EC2.6', fixture((s) => void new Vpc(s, 'vpc', { cidrBlock: '10.0.0.0/16' })))).toEqual({ 'aws_vpc.vpc': 'failed: no aws_flow_log has vpc_id = this VPC' });
    expect(statusOf('EC2.6', withFlowLog('ACCEPT'))['aws_vpc.vpc']).toMatch(/^failed: flow logs record only ACCEPT traffic/);
  });
});

describe('EC2.8 / EC2.170: instances and launch templates require IMDSv2', () => {
  test('an instance passes with http_tokens "required" and fails with "optional" or no metadata options', () => {
    const json = fixture((s) => {
      new Instance(s, 'v2', { ami: 'ami-1', instanceType: 't3.micro', metadataOptions: { httpTokens: 'required' } });
      new Instance(s, 'v1', { ami: 'ami-1', instanceType: 't3.micro', metadataOptions: { httpTokens: 'optional' } });
      new Instance(s, 'unset', { ami: 'ami-1', instanceType: 't3.micro' });
    });
    const status = statusOf('EC2.8', json);
    expect(status['aws_instance.v2']).toBe('passed');
    expect(status['aws_instance.v1']).toMatch(/^failed: metadata_options.http_tokens is not "required"/);
    expect(status['aws_instance.unset']).toMatch(/^failed/);
  });

  test('a launch template passes with http_tokens "required" and fails without', () => {
    const json = fixture((s) => {
      new LaunchTemplate(s, 'v2', { metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1 } });
      new LaunchTemplate(s, 'unset', {});
    });
    expect(statusOf('EC2.170', json)).toEqual({ 'aws_launch_template.v2': 'passed', 'aws_launch_template.unset': 'failed: metadata_options.http_tokens is not "required"' });
  });
});

describe('EC2.15: subnets do not assign public IPs', () => {
  test('passes by default and fails with map_public_ip_on_launch', () => {
    const json = fixture((s) => {
      new Subnet(s, 'private', { vpcId: 'vpc-1', cidrBlock: '10.0.1.0/24' });
      new Subnet(s, 'public', { vpcId: 'vpc-1', cidrBlock: '10.0.2.0/24', mapPublicIpOnLaunch: true });
    });
    expect(statusOf('EC2.15', json)).toEqual({ 'aws_subnet.private': 'passed', 'aws_subnet.public': 'failed: map_public_ip_on_launch is true' });
  });
});

describe('EC2.25: launch templates do not assign public IPs', () => {
  test('passes without and fails with associate_public_ip_address', () => {
    const json = fixture((s) => {
      new LaunchTemplate(s, 'private', { networkInterfaces: [{ deviceIndex: 0 }] });
      new LaunchTemplate(s, 'public', { networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: 'true' }] });
    });
    expect(statusOf('EC2.25', json)).toEqual({ 'aws_launch_template.private': 'passed', 'aws_launch_template.public': 'failed: a network interface sets associate_public_ip_address = true' });
  });
});

describe('EC2.53 / EC2.54: no administration port open to the internet', () => {
  test('SSH from 0.0.0.0/0 fails inline and as a standalone rule; HTTPS from anywhere and SSH from a CIDR pass', () => {
    const json = fixture((s) => {
      new SecurityGroup(s, 'inline', { ingress: [{ fromPort: 22, toPort: 22, protocol: 'tcp', cidrBlocks: ['0.0.0.0/0'] }] });
      new SecurityGroup(s, 'https', { ingress: [{ fromPort: 443, toPort: 443, protocol: 'tcp', cidrBlocks: ['0.0.0.0/0'] }] });
      new VpcSecurityGroupIngressRule(s, 'rdp', { securityGroupId: 'sg-1', ipProtocol: '-1', cidrIpv6: '::/0' });
      new VpcSecurityGroupIngressRule(s, 'office', { securityGroupId: 'sg-1', ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '198.51.100.0/24' });
    });
    expect(statusOf('EC2.53', json)).toEqual({
      'aws_security_group.inline': 'failed: ingress from 0.0.0.0/0 reaches port 22',
      'aws_security_group.https': 'passed',
      'aws_vpc_security_group_ingress_rule.rdp': 'passed',
      'aws_vpc_security_group_ingress_rule.office': 'passed',
    });
    expect(statusOf('EC2.54', json)['aws_vpc_security_group_ingress_rule.rdp']).toBe('failed: ingress from ::/0 reaches port 22 and 3389');
  });
});
