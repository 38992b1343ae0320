import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { StackDocument, stackDocuments } from '../../policy/document';
import { evaluateScope, exceptionCovers, tally } from '../../policy/engine';
import { ALL_RULES } from '../../policy/rules';
import { checksOf, fixture } from './helpers';

const twoPublicSubnets = () =>
  fixture((s) => {
    new Subnet(s, 'public-a', { vpcId: 'vpc-1', cidrBlock: '10.0.1.0/24', mapPublicIpOnLaunch: true });
    new Subnet(s, 'public-c', { vpcId: 'vpc-1', cidrBlock: '10.0.2.0/24', mapPublicIpOnLaunch: true });
  });

describe('exceptions', () => {
  test('an exception for one resource excepts that check only, with its reason and field', () => {
    const checks = checksOf('EC2.15', twoPublicSubnets(), { exceptions: [{ control: 'EC2.15', resource: 'stack/aws_subnet.public-a', reason: 'legacy subnet, issue 1 item 1', field: 'prod.policy.exceptions[0]' }] });
    expect(checks.map((c) => [c.address, c.status, c.exceptedBy])).toEqual([
      ['aws_subnet.public-a', 'excepted', 'prod.policy.exceptions[0]'],
      ['aws_subnet.public-c', 'failed', undefined],
    ]);
    expect(checks[0].detail).toBe('map_public_ip_on_launch is true (excepted: legacy subnet, issue 1 item 1)');
  });

  test('an exception without resource, or with a glob, covers every matching check', () => {
    const all = checksOf('EC2.15', twoPublicSubnets(), { exceptions: [{ control: 'EC2.15', reason: 'all of them, issue 1 item 2', field: 'f' }] });
    expect(all.map((c) => c.status)).toEqual(['excepted', 'excepted']);
    const glob = checksOf('EC2.15', twoPublicSubnets(), { exceptions: [{ control: 'EC2.15', resource: 'stack/aws_subnet.public-*', reason: 'glob, issue 1 item 3', field: 'f' }] });
    expect(glob.map((c) => c.status)).toEqual(['excepted', 'excepted']);
  });

  test('resource patterns match the stack-qualified address or the construct path, nothing looser', () => {
    const check = { control: 'S3.5', stack: 'edge', address: 'aws_s3_bucket.logs_1A2B', constructPath: 'edge/frontend/logs/bucket' };
    expect(exceptionCovers({ control: 'S3.5', resource: 'edge/aws_s3_bucket.logs_1A2B', reason: 'r' }, check)).toBe(true);
    expect(exceptionCovers({ control: 'S3.5', resource: 'edge/frontend/logs/*', reason: 'r' }, check)).toBe(true);
    expect(exceptionCovers({ control: 'S3.5', resource: 'aws_s3_bucket.logs_1A2B', reason: 'r' }, check)).toBe(false);
    expect(exceptionCovers({ control: 'S3.5', resource: 'data/aws_s3_bucket.*', reason: 'r' }, check)).toBe(false);
    expect(exceptionCovers({ control: 'S3.8', resource: 'edge/aws_s3_bucket.logs_1A2B', reason: 'r' }, check)).toBe(false);
    // `.` in a pattern is literal, not "any character".
    expect(exceptionCovers({ control: 'S3.5', resource: 'edge/aws_s3_bucketXlogs_1A2B', reason: 'r' }, check)).toBe(false);
  });

  test('a stale exception (its control passes there), one without a reason and one for an unknown control are problems', () => {
    const doc = new StackDocument('network', fixture((s) => void new Subnet(s, 'private', { vpcId: 'vpc-1', cidrBlock: '10.0.1.0/24' })));
    const report = evaluateScope('staging', [doc], ALL_RULES, [
      { control: 'EC2.15', resource: 'network/aws_subnet.private', reason: 'was public, issue 1 item 4', field: 'staging.policy.exceptions[0]' },
      { control: 'EC2.15', reason: '  ', field: 'staging.policy.exceptions[1]' },
      { control: 'EC2.99', reason: 'no such control here', field: 'staging.policy.exceptions[2]' },
    ]);
    expect(report.exceptionProblems.map((p) => [p.field, p.message])).toEqual([
      ['staging.policy.exceptions[1]', 'has no reason: say why the finding is accepted and which issue item removes it'],
      ['staging.policy.exceptions[2]', expect.stringMatching(/^names control "EC2.99", which no rule checks \(known: EC2.2, /)],
      ['staging.policy.exceptions[0]', 'is stale: EC2.15 does not fail on network/aws_subnet.private in environment staging (stacks network); remove it'],
    ]);
  });

  test('tally counts (control, resource) checks by status', () => {
    const checks = checksOf('EC2.15', twoPublicSubnets(), { exceptions: [{ control: 'EC2.15', resource: 'stack/aws_subnet.public-a', reason: 'reason here', field: 'f' }] });
    expect(tally(checks)).toEqual({ passed: 0, failed: 1, excepted: 1, 'not applicable': 0 });
  });
});

describe('references', () => {
  test('deref follows a cross-stack reference into the stack that owns the output', () => {
    const docs = [
      ['cluster', { resource: { aws_eks_node_group: { ng: { subnet_ids: ['${data.terraform_remote_state.cross-stack-reference-input-network.outputs.cross-stack-output-aws_subnetprivateid}'] } } } }],
      ['network', { resource: { aws_subnet: { private: { cidr_block: '10.0.1.0/24' } } }, output: { 'cross-stack-output-aws_subnetprivateid': { value: '${aws_subnet.private.id}' } } }],
    ] as [string, Record<string, any>][];
    const [cluster] = stackDocuments(docs);
    const ref = cluster.deref(cluster.element('aws_eks_node_group.ng')!.config.subnet_ids[0]);
    expect([ref?.element.stack, ref?.element.address, ref?.attribute]).toEqual(['network', 'aws_subnet.private', 'id']);
    expect(cluster.deref('arn:aws:s3:::literal')).toBeUndefined();
  });
});
