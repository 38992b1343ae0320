import { Testing } from 'cdktf';
import { StateBucket } from '../../modules/state-bucket';
import { synthApp } from '../support/synth';

describe('StateBucket', () => {
  const json = JSON.parse(Testing.synthScope((scope) => new StateBucket(scope, 'state', { bucketName: 'acme-tf-state' })));
  const one = (type: string) => Object.values<any>(json.resource[type])[0];

  test('cannot be destroyed by terraform', () => {
    expect(one('aws_s3_bucket')).toMatchObject({ bucket: 'acme-tf-state', lifecycle: { prevent_destroy: true } });
  });

  test('is versioned, KMS-encrypted and fully private', () => {
    expect(one('aws_s3_bucket_versioning').versioning_configuration.status).toBe('Enabled');
    const rule = one('aws_s3_bucket_server_side_encryption_configuration').rule[0];
    expect(rule.apply_server_side_encryption_by_default).toMatchObject({ sse_algorithm: 'aws:kms', kms_master_key_id: expect.stringContaining('aws_kms_key.') });
    expect(one('aws_s3_bucket_public_access_block')).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(one('aws_s3_bucket_ownership_controls').rule.object_ownership).toBe('BucketOwnerEnforced');
  });

  test('denies every request that is not TLS', () => {
    const policy = JSON.parse(one('aws_s3_bucket_policy').policy);
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });
});

describe('bootstrap stack', () => {
  test('keeps its own state locally, whatever backend the other stacks use', () => {
    const json = synthApp('dev', { kind: 's3', bucket: 'acme-tf-state', region: 'ap-northeast-2', kmsKeyId: 'arn:aws:kms:ap-northeast-2:123456789012:alias/acme-tf-state' }).json('bootstrap');
    expect(Object.keys(json.terraform.backend)).toEqual(['local']);
    expect(json.terraform.backend.local.path).toMatch(/account\/bootstrap\.tfstate$/);
  });
});
