/**
 * FSBP controls for Amazon S3 general purpose buckets. A bucket's settings live in separate resources
 * (`aws_s3_bucket_policy`, `..._public_access_block`, `..._ownership_controls`, `..._acl`,
 * `..._lifecycle_configuration`) that name the bucket by reference or by its literal name; the rules
 * gather them per `aws_s3_bucket`. S3.1 is account-level: Security Hub evaluates the account's Block
 * Public Access settings, which only an account-wide stack can own.
 */
import { StackDocument, blocks, isTrue, list, policyDocument } from '../document';
import { Element, Rule, ScopeRule } from '../types';

const ALL = 'all';
const BUCKETS = ['aws_s3_bucket'];
const BLOCK_SETTINGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'] as const;

/** The resources of `type` that configure `bucket` (their `bucket` attribute refers to it). */
const settingsOf = (doc: StackDocument, type: string, bucket: Element) => doc.referencing(type, 'bucket', bucket, bucket.config.bucket);

/** A bucket's ARN as policies write it: a reference to the bucket's `arn`, or the literal ARN. */
function isBucketArn(doc: StackDocument, value: unknown, bucket: Element, suffix: '' | '/*'): boolean {
  if (typeof value !== 'string' || !value.endsWith(suffix)) return false;
  const base = value.slice(0, value.length - suffix.length);
  const ref = doc.deref(base);
  return (ref?.element === bucket && ref.attribute === 'arn') || (bucket.config.bucket !== undefined && base === `arn:aws:s3:::${bucket.config.bucket}`);
}

function deniesInsecureTransport(doc: StackDocument, statement: Record<string, any>, bucket: Element): boolean {
  const principal = statement.Principal;
  const everyone = principal === '*' || list(principal?.AWS).includes('*');
  const actions = list(statement.Action);
  const secureTransport = statement.Condition?.Bool?.['aws:SecureTransport'];
  const resources = list(statement.Resource);
  return (
    statement.Effect === 'Deny' &&
    everyone &&
    (actions.includes('s3:*') || actions.includes('*')) &&
    (secureTransport === false || secureTransport === 'false') &&
    resources.some((r) => isBucketArn(doc, r, bucket, '')) &&
    resources.some((r) => isBucketArn(doc, r, bucket, '/*'))
  );
}

/** The bucket is the target of CloudFront standard (legacy) logging, which grants awslogsdelivery FULL_CONTROL through the bucket ACL. */
function cloudFrontLogTarget(doc: StackDocument, bucket: Element): Element | undefined {
  return doc
    .resources('aws_cloudfront_distribution')
    .find((d) => blocks(d.config.logging_config).some((l) => doc.deref(l.bucket)?.element === bucket || (typeof l.bucket === 'string' && bucket.config.bucket !== undefined && l.bucket.startsWith(`${bucket.config.bucket}.s3`))));
}

export const S3_RULES: readonly Rule[] = [
  {
    control: 'S3.5',
    source: 'FSBP',
    title: 'S3 general purpose buckets should require requests to use SSL',
    checks: 'a bucket policy of the bucket has a statement that denies s3:* to every principal on the bucket and its objects when aws:SecureTransport is false',
    targets: BUCKETS,
    environments: ALL,
    fix: 'build the bucket with SecureBucket (modules/private/secure-bucket.ts), whose policy has the DenyInsecureTransport statement',
    evaluate(bucket, { doc }) {
      const policies = settingsOf(doc, 'aws_s3_bucket_policy', bucket).map((p) => p.config.policy);
      if (bucket.config.policy !== undefined) policies.push(bucket.config.policy);
      if (policies.length === 0) return 'no bucket policy';
      const documents = policies.map(policyDocument);
      if (documents.some((d) => d === undefined)) return 'the bucket policy is not literal JSON, so the statement cannot be checked';
      return documents.some((d) => d!.Statement.some((s) => deniesInsecureTransport(doc, s, bucket))) ? undefined : 'no policy statement denies s3:* on the bucket and its objects when aws:SecureTransport is false';
    },
  },
  {
    control: 'S3.8',
    source: 'FSBP',
    title: 'S3 general purpose buckets should block public access',
    checks: `an aws_s3_bucket_public_access_block of the bucket sets ${BLOCK_SETTINGS.join(', ')} to true`,
    targets: BUCKETS,
    environments: ALL,
    fix: 'add an aws_s3_bucket_public_access_block with all four settings true (SecureBucket does)',
    evaluate(bucket, { doc }) {
      const settings = settingsOf(doc, 'aws_s3_bucket_public_access_block', bucket);
      if (settings.length === 0) return 'no aws_s3_bucket_public_access_block for the bucket';
      const off = BLOCK_SETTINGS.filter((key) => !settings.some((s) => isTrue(s.config[key])));
      return off.length > 0 ? `${off.join(', ')} not true` : undefined;
    },
  },
  {
    control: 'S3.12',
    source: 'FSBP',
    title: 'ACLs should not be used to manage user access to S3 general purpose buckets',
    checks:
      'the bucket grants nothing through its ACL: object ownership is BucketOwnerEnforced (ACLs disabled), or no aws_s3_bucket_acl grants anyone but the owner and no CloudFront distribution logs to it with standard (legacy) logging, which adds an awslogsdelivery grant',
    targets: BUCKETS,
    environments: ALL,
    fix: 'set object ownership to BucketOwnerEnforced and deliver CloudFront access logs without ACLs (standard logging v2 through CloudWatch Logs delivery)',
    evaluate(bucket, { doc }) {
      const ownership = settingsOf(doc, 'aws_s3_bucket_ownership_controls', bucket).flatMap((o) => blocks(o.config.rule)).map((r) => r.object_ownership);
      if (ownership.includes('BucketOwnerEnforced')) return undefined;
      const reasons: string[] = [];
      for (const acl of settingsOf(doc, 'aws_s3_bucket_acl', bucket)) {
        if (acl.config.acl !== undefined && acl.config.acl !== 'private') reasons.push(`${acl.address} sets the canned ACL "${acl.config.acl}"`);
        for (const policy of blocks(acl.config.access_control_policy)) {
          const owner = blocks(policy.owner)[0]?.id;
          const others = blocks(policy.grant).filter((g) => blocks(g.grantee).some((grantee) => grantee.id !== owner));
          if (others.length > 0) reasons.push(`${acl.address} grants ${others.map((g) => g.permission).join(', ')} to a grantee other than the owner`);
        }
      }
      const distribution = cloudFrontLogTarget(doc, bucket);
      if (distribution) reasons.push(`${distribution.address} writes standard access logs to it, which needs an ACL grant to awslogsdelivery`);
      return reasons.length > 0 ? `object ownership is ${ownership[0] ?? 'unset (ACLs enabled)'} and ${reasons.join('; ')}` : undefined;
    },
  },
  {
    control: 'S3.13',
    source: 'FSBP',
    title: 'S3 general purpose buckets should have Lifecycle configurations',
    checks: 'an aws_s3_bucket_lifecycle_configuration of the bucket has at least one rule with status Enabled',
    targets: BUCKETS,
    environments: ALL,
    fix: 'add an aws_s3_bucket_lifecycle_configuration (noncurrent versions, incomplete uploads, log expiry)',
    evaluate(bucket, { doc }) {
      const rules = settingsOf(doc, 'aws_s3_bucket_lifecycle_configuration', bucket).flatMap((l) => blocks(l.config.rule));
      if (rules.length === 0) return 'no aws_s3_bucket_lifecycle_configuration for the bucket';
      return rules.some((r) => r.status === 'Enabled') ? undefined : 'no lifecycle rule is Enabled';
    },
  },
];

export const S3_ACCOUNT_RULES: readonly ScopeRule[] = [
  {
    control: 'S3.1',
    source: 'FSBP',
    title: 'S3 general purpose buckets should have block public access settings enabled',
    checks: `account-level: an account-wide stack declares aws_s3_account_public_access_block with ${BLOCK_SETTINGS.join(', ')} true (Security Hub evaluates the account, not a bucket; environment stacks report it as not applicable)`,
    subject: 'account',
    environments: 'account',
    fix: 'declare aws_s3_account_public_access_block with all four settings true in an account-wide stack',
    appliesIn: (scope) => (scope === 'account' ? undefined : 'account-level: evaluated with the account-wide stacks'),
    evaluateScope(docs) {
      const blocksFound = docs.flatMap((doc) => doc.resources('aws_s3_account_public_access_block'));
      if (blocksFound.length === 0) return 'no account-wide stack declares aws_s3_account_public_access_block, so the account\'s Block Public Access is whatever was set by hand';
      const off = BLOCK_SETTINGS.filter((key) => !blocksFound.some((b) => isTrue(b.config[key])));
      return off.length > 0 ? `${off.join(', ')} not true` : undefined;
    },
  },
];
