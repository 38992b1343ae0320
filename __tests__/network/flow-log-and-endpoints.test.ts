import { Testing } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { VpcFlowLog } from '../../modules/flow-log';
import { KmsKey } from '../../modules/kms-key';
import { VpcEndpoints } from '../../modules/vpc-endpoints';

describe('VpcFlowLog', () => {
  const text = Testing.synthScope((scope) => new VpcFlowLog(scope, 'flow', { namePrefix: 'tiketi-test', vpcId: 'vpc-1', retentionDays: 90 }));
  const json = JSON.parse(text);

  test('records all traffic of the VPC into the log group', () => {
    expect(text).toHaveResourceWithProperties(FlowLog, { vpc_id: 'vpc-1', traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs' });
  });

  test('the log group keeps records for the retention asked and is encrypted with its own rotating key', () => {
    expect(text).toHaveResourceWithProperties(CloudwatchLogGroup, { retention_in_days: 90, kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\..+\.arn\}$/) });
    const key = Object.values<any>(json.resource.aws_kms_key)[0];
    expect(key.enable_key_rotation).toBe(true);
    expect(key.lifecycle).toEqual({ prevent_destroy: true });
    const statements = JSON.parse(key.policy).Statement;
    const logs = statements.find((s: any) => s.Principal.Service?.startsWith('logs.'));
    expect(logs.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn']).toMatch(/^arn:aws:logs:.*:log-group:\*$/);
  });

  test('the delivery role may write only to its own log group', () => {
    const role = Object.values<any>(json.resource.aws_iam_role)[0];
    const account = expect.stringMatching(/^\$\{data\.aws_caller_identity\..+\.account_id\}$/);
    // Confused deputy: only flow logs of this account and region may assume the role.
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': expect.stringMatching(/^arn:aws:ec2:\$\{data\.aws_region\..+\.name\}:\$\{data\.aws_caller_identity\..+\.account_id\}:vpc-flow-log\/\*$/) },
        },
      },
    ]);
    expect(role.permissions_boundary).toMatch(/^\$\{data\.aws_iam_policy\.permissions-boundary\.arn\}$/);
    const policy = JSON.parse(Object.values<any>(json.resource.aws_iam_role_policy)[0].policy);
    const logGroup = Object.keys(json.resource.aws_cloudwatch_log_group)[0];
    for (const statement of policy.Statement) {
      expect(statement.Action.every((a: string) => a.startsWith('logs:'))).toBe(true);
      expect(statement.Resource.every((r: string) => r.startsWith(`\${aws_cloudwatch_log_group.${logGroup}.arn}`))).toBe(true);
    }
  });
});

describe('VpcEndpoints', () => {
  const base = { namePrefix: 'tiketi-test', region: 'ap-northeast-2', vpcId: 'vpc-1', vpcCidr: '10.0.0.0/16', gatewayRouteTableIds: ['rt-1', 'rt-2'], interfaceSubnetIds: ['s-1', 's-2'] };

  test('by default only the free S3 gateway endpoint, on the given route tables', () => {
    const json = JSON.parse(Testing.synthScope((scope) => new VpcEndpoints(scope, 'ep', base)));
    const endpoints = Object.values<any>(json.resource.aws_vpc_endpoint);
    expect(endpoints).toEqual([expect.objectContaining({ service_name: 'com.amazonaws.ap-northeast-2.s3', vpc_endpoint_type: 'Gateway', route_table_ids: ['rt-1', 'rt-2'] })]);
    expect(json.resource.aws_security_group).toBeUndefined();
  });

  test('interface endpoints use private DNS and accept only HTTPS from inside the VPC', () => {
    const json = JSON.parse(Testing.synthScope((scope) => new VpcEndpoints(scope, 'ep', { ...base, interfaceServices: ['ecr.api', 'sts'] })));
    const interfaces = Object.values<any>(json.resource.aws_vpc_endpoint).filter((e) => e.vpc_endpoint_type === 'Interface');
    expect(interfaces.map((e) => e.service_name).sort()).toEqual(['com.amazonaws.ap-northeast-2.ecr.api', 'com.amazonaws.ap-northeast-2.sts']);
    expect(interfaces.every((e) => e.private_dns_enabled === true && e.subnet_ids.length === 2)).toBe(true);
    const rules = Object.values<any>(json.resource.aws_vpc_security_group_ingress_rule);
    expect(rules).toEqual([expect.objectContaining({ from_port: 443, to_port: 443, ip_protocol: 'tcp', cidr_ipv4: '10.0.0.0/16' })]);
  });
});

describe('KmsKey', () => {
  test('rotates yearly, waits 30 days before deletion and delegates to IAM by default', () => {
    const json = JSON.parse(Testing.synthScope((scope) => new KmsKey(scope, 'key', { alias: 'tiketi-test', description: 'test' })));
    const key = Object.values<any>(json.resource.aws_kms_key)[0];
    expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    const statements = JSON.parse(key.policy).Statement;
    expect(statements).toHaveLength(1);
    expect(statements[0].Principal.AWS).toMatch(/^arn:aws:iam::\$\{data\.aws_caller_identity\..+\.account_id\}:root$/);
    expect(Object.values<any>(json.resource.aws_kms_alias)[0].name).toBe('alias/tiketi-test');
  });
});
