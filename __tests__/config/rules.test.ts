/**
 * The value rules accept what their owners accept: a rule stricter than AWS, Git or Kubernetes would refuse
 * a real value. The refusals are in bad-input.catalogue.test.ts.
 */
import {
  AWS_REGION,
  DNS_NAME,
  EC2_INSTANCE_TYPE,
  ELASTICACHE_NODE_TYPE,
  EMAIL,
  GIT_BRANCH,
  IAM_ROLE,
  IPV4_CIDR,
  K8S_DATA_KEY,
  K8S_NAMESPACE,
  K8S_OBJECT_NAME,
  KMS_KEY_ARN,
  PINNED_IMAGE,
  RDS_INSTANCE_CLASS,
  Rule,
  S3_BUCKET_NAME,
  partitionOfRegion,
} from '../../config/validation/rules';

const accepts = (rule: Rule, values: string[]) => values.map((value) => [value, rule.problem(value)]);
const refuses = (rule: Rule, values: string[]) => values.filter((value) => rule.problem(value) === undefined);

describe('the value rules', () => {
  test.each<[string, Rule, string[]]>([
    ['regions of every partition', AWS_REGION, ['ap-northeast-2', 'us-east-1', 'il-central-1', 'cn-northwest-1', 'us-gov-west-1', 'us-iso-east-1', 'us-isob-east-1', 'eu-isoe-west-1', 'us-isof-south-1', 'eusc-de-east-1']],
    ['EC2 instance types', EC2_INSTANCE_TYPE, ['t3.medium', 't4g.nano', 'm7i-flex.large', 'c7gn.16xlarge', 'u-6tb1.metal', 'u7i-12tb.224xlarge', 'r8g.metal-24xl', 'mac2-m2pro.metal', 'x2iedn.32xlarge']],
    ['RDS instance classes', RDS_INSTANCE_CLASS, ['db.t4g.medium', 'db.r6gd.xlarge', 'db.m7g.16xlarge', 'db.x2iedn.32xlarge']],
    ['ElastiCache node types', ELASTICACHE_NODE_TYPE, ['cache.t4g.small', 'cache.r7g.large', 'cache.c7gn.large']],
    ['Git branches', GIT_BRANCH, ['main', 'develop', 'release/1.2', 'feature/JIRA-12_login', 'user@host', 'a.b', 'v1.lockfile', '한글']],
    ['S3 bucket names', S3_BUCKET_NAME, ['tiketi-terraform-state', 'a.b.c', 'abc', '1st-bucket', 'my.bucket.123']],
    ['KMS key and alias ARNs', KMS_KEY_ARN, ['arn:aws:kms:ap-northeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', 'arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab', 'arn:aws:kms:ap-northeast-2:123456789012:alias/tiketi-terraform-state', 'arn:aws-cn:kms:cn-north-1:123456789012:alias/a/b_c']],
    ['IAM roles, IAM Identity Center paths included', IAM_ROLE, ['tiketi-platform-admin', 'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/ap-northeast-2/AWSReservedSSO_Admin_0123456789abcdef', 'arn:aws-us-gov:iam::123456789012:role/service-role/x+=,.@_-']],
    ['Kubernetes namespaces', K8S_NAMESPACE, ['tiketi-prod', 'monitoring', 'a', '0-1']],
    ['Kubernetes object names', K8S_OBJECT_NAME, ['tiketi-secrets', 'a.b-c.d', 'x'.repeat(253)]],
    ['Secret keys', K8S_DATA_KEY, ['JWT_SECRET', 'tls.crt', '.dockerconfigjson', 'a..b']],
    ['DNS names', DNS_NAME, ['tiketi.com', 'api-dev.tiketi.com', 'xn--9n2bp8q.com', 'a.io']],
    ['e-mail addresses', EMAIL, ['platform-alerts+prod@tiketi.com', "o'brien@tiketi.com", 'tiketi-prod-aws@tiketi.pagerduty.com', 'Ops@Tiketi.COM']],
    ['CIDRs', IPV4_CIDR, ['10.0.0.0/16', '0.0.0.0/0', '203.0.113.7/32']],
    ['pinned images', PINNED_IMAGE, ['cr.fluentbit.io/fluent/fluent-bit:5.1.1', 'localhost:5000/a/b__c:0.1.0', 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0']],
  ])('accept %s', (_what, rule, values) => {
    expect(accepts(rule, values)).toEqual(values.map((value) => [value, undefined]));
  });

  test.each<[string, Rule, string[]]>([
    ['regions the old pattern let through', AWS_REGION, ['xx-east-1', 'us-east', 'AP-NORTHEAST-2', 'ap-northeast-2a', 'eusc-fr-east-1']],
    ['Git branch names git check-ref-format refuses', GIT_BRANCH, ['', '-x', 'HEAD', '@', 'a b', 'a~1', 'a^', 'a:b', 'a?', 'a*', 'a[b', 'a\\b', 'a..b', 'a@{b', '/a', 'a/', 'a//b', 'a.', '.a', 'a/.b', 'a.lock', 'a.lock/b', 'a\u0007']],
    ['S3 bucket names', S3_BUCKET_NAME, ['ab', 'Ab-c', 'a_b', '-ab', 'ab-', 'a..b', '10.0.0.1', 'xn--ab', 'sthree-ab', 'amzn-s3-demo-ab', 'ab-s3alias', 'ab--ol-s3', 'ab.mrap', 'ab--x-s3', 'ab--table-s3']],
    ['Kubernetes namespaces', K8S_NAMESPACE, ['Tiketi', 'a.b', '-a', 'a-', 'x'.repeat(64), '']],
    ['Kubernetes object names', K8S_OBJECT_NAME, ['a..b', 'a.-b', 'A', 'x'.repeat(254)]],
    ['Secret keys', K8S_DATA_KEY, ['.', '..', '..a', 'a b', '']],
    ['instance types', EC2_INSTANCE_TYPE, ['t3', 't.medium', 'T3.medium', 't3.0xlarge', 'm7i-.large', 'db.t3.medium']],
  ])('refuse %s', (_what, rule, values) => {
    expect(refuses(rule, values)).toEqual([]);
  });

  test('a region names its partition (what an ARN in that region must use)', () => {
    expect(['ap-northeast-2', 'cn-north-1', 'us-gov-east-1', 'mars-1'].map(partitionOfRegion)).toEqual(['aws', 'aws-cn', 'aws-us-gov', undefined]);
  });
});
