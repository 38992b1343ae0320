/** The IAM evaluation model the CI permission walk relies on, against IAM's documented rules. */
import { evaluate, IamRequest, PolicyDocument } from './iam-evaluator';

const req = (action: string, resource: string, context: IamRequest['context'] = {}): IamRequest => ({ action, resource, context });
const decide = (statements: PolicyDocument['Statement'], request: IamRequest) => evaluate([{ Statement: statements }], request).decision;

describe('IAM evaluation model', () => {
  test('nothing allowed is an implicit deny; an Allow allows; an explicit Deny wins over any Allow', () => {
    expect(decide([], req('s3:GetObject', 'arn:aws:s3:::b/k'))).toBe('implicit-deny');
    const allow = { Effect: 'Allow' as const, Action: 's3:Get*', Resource: 'arn:aws:s3:::b/*' };
    expect(decide([allow], req('s3:GetObject', 'arn:aws:s3:::b/k'))).toBe('allowed');
    expect(decide([allow, { Effect: 'Deny', Action: '*', Resource: '*' }], req('s3:GetObject', 'arn:aws:s3:::b/k'))).toBe('explicit-deny');
  });

  test('actions match case-insensitively with wildcards; resources case-sensitively; NotAction and NotResource invert', () => {
    expect(decide([{ Effect: 'Allow', Action: 'EC2:describe*', Resource: '*' }], req('ec2:DescribeVpcs', '*'))).toBe('allowed');
    expect(decide([{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::Bucket' }], req('s3:ListBucket', 'arn:aws:s3:::bucket'))).toBe('implicit-deny');
    expect(decide([{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }], req('iam:CreateRole', '*'))).toBe('implicit-deny');
    expect(decide([{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }], req('ec2:RunInstances', '*'))).toBe('allowed');
    const deny = { Effect: 'Deny' as const, Action: 'kms:*', NotResource: 'arn:aws:kms:r:1:key/state' };
    const allow = { Effect: 'Allow' as const, Action: 'kms:*', Resource: '*' };
    expect(decide([allow, deny], req('kms:Decrypt', 'arn:aws:kms:r:1:key/state'))).toBe('allowed');
    expect(decide([allow, deny], req('kms:Decrypt', 'arn:aws:kms:r:1:key/other'))).toBe('explicit-deny');
    expect(decide([{ Effect: 'Allow', Action: 'ssm:GetParameter', Resource: 'arn:aws:ssm:r:1:parameter/a/?' }], req('ssm:GetParameter', 'arn:aws:ssm:r:1:parameter/a/bc'))).toBe('implicit-deny');
  });

  test('a key the request lacks: positive operators fail, negated ones and IfExists hold, Null tells presence', () => {
    const tagged = (operator: string, value: string) => [{ Effect: 'Allow' as const, Action: 'ec2:*', Resource: '*', Condition: { [operator]: { 'aws:ResourceTag/Environment': value } } }];
    expect(decide(tagged('StringEquals', 'dev'), req('ec2:DeleteVpc', '*'))).toBe('implicit-deny');
    expect(decide(tagged('StringNotEquals', 'dev'), req('ec2:DeleteVpc', '*'))).toBe('allowed');
    expect(decide(tagged('StringEqualsIfExists', 'dev'), req('ec2:DeleteVpc', '*'))).toBe('allowed');
    expect(decide(tagged('StringEqualsIfExists', 'dev'), req('ec2:DeleteVpc', '*', { 'aws:ResourceTag/Environment': 'prod' }))).toBe('implicit-deny');
    expect(decide(tagged('Null', 'true'), req('ec2:DeleteVpc', '*'))).toBe('allowed');
    expect(decide(tagged('Null', 'false'), req('ec2:DeleteVpc', '*'))).toBe('implicit-deny');
    expect(decide(tagged('StringNotEquals', 'dev'), req('ec2:DeleteVpc', '*', { 'aws:ResourceTag/Environment': 'dev' }))).toBe('implicit-deny');
  });

  test('all operators and keys of a statement must hold; any of a key\'s values may match', () => {
    const s = [{ Effect: 'Allow' as const, Action: 'ec2:*', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': ['ap-northeast-2', 'us-east-1'], 'aws:ResourceTag/Environment': 'dev' } } }];
    expect(decide(s, req('ec2:DeleteVpc', '*', { 'aws:RequestedRegion': 'us-east-1', 'aws:ResourceTag/Environment': 'dev' }))).toBe('allowed');
    expect(decide(s, req('ec2:DeleteVpc', '*', { 'aws:RequestedRegion': 'eu-west-1', 'aws:ResourceTag/Environment': 'dev' }))).toBe('implicit-deny');
    expect(decide(s, req('ec2:DeleteVpc', '*', { 'aws:RequestedRegion': 'us-east-1' }))).toBe('implicit-deny');
  });

  test('set operators: ForAnyValue needs one match (none when absent), ForAllValues every value (vacuously true when absent)', () => {
    const any = [{ Effect: 'Allow' as const, Action: 'kms:Decrypt', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/a' } } }];
    expect(decide(any, req('kms:Decrypt', 'k', { 'kms:ResourceAliases': ['alias/b', 'alias/a'] }))).toBe('allowed');
    expect(decide(any, req('kms:Decrypt', 'k', { 'kms:ResourceAliases': ['alias/b'] }))).toBe('implicit-deny');
    expect(decide(any, req('kms:Decrypt', 'k'))).toBe('implicit-deny');
    const all = [{ Effect: 'Allow' as const, Action: 'route53:ChangeResourceRecordSets', Resource: '*', Condition: { 'ForAllValues:StringLike': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['dev.tiketi.com', '_*.dev.tiketi.com'] } } }];
    expect(decide(all, req('route53:ChangeResourceRecordSets', 'z', { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['dev.tiketi.com', '_x.dev.tiketi.com'] }))).toBe('allowed');
    expect(decide(all, req('route53:ChangeResourceRecordSets', 'z', { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['dev.tiketi.com', 'tiketi.com'] }))).toBe('implicit-deny');
    expect(decide(all, req('route53:ChangeResourceRecordSets', 'z'))).toBe('allowed');
  });

  test('policy variables come from the request; unknown operators and single-valued operators over lists are errors', () => {
    const own = [{ Effect: 'Allow' as const, Action: 'ssm:TerminateSession', Resource: '*', Condition: { StringEquals: { 'ssm:resourceTag/aws:ssmmessages:session-id': '${aws:userid}' } } }];
    expect(decide(own, req('ssm:TerminateSession', 's', { 'aws:userid': 'AROA1:me', 'ssm:resourceTag/aws:ssmmessages:session-id': 'AROA1:me' }))).toBe('allowed');
    expect(decide(own, req('ssm:TerminateSession', 's', { 'aws:userid': 'AROA1:me', 'ssm:resourceTag/aws:ssmmessages:session-id': 'AROA1:other' }))).toBe('implicit-deny');
    expect(() => decide([{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020' } } }], req('s3:GetObject', 'x'))).toThrow(/not modelled/);
    expect(() => decide([{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'kms:ResourceAliases': 'a' } } }], req('kms:Decrypt', 'x', { 'kms:ResourceAliases': ['a'] }))).toThrow(/multi-valued/);
  });
});
