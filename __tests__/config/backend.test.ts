import { Testing, TerraformOutput } from 'cdktf';
import { BackendSettings, loadBackend } from '../../config/backend';
import { ENVIRONMENTS } from '../../config/environments';
import { NetworkStack } from '../../stacks/network-stack';
import { TiketiStack } from '../../stacks/tiketi-stack';

const STATE_KEY = 'arn:aws:kms:ap-northeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('loadBackend', () => {
  test('local is the default and needs nothing', () => {
    expect(loadBackend({}, '/project')).toEqual({ kind: 'local', stateDir: '/project/terraform.state' });
  });

  test('s3 takes the bucket and the state key, and defaults the region', () => {
    expect(loadBackend({ TIKETI_BACKEND: 's3', TIKETI_STATE_BUCKET: 'acme-tf-state', TIKETI_STATE_KMS_KEY_ID: STATE_KEY })).toEqual({
      kind: 's3',
      bucket: 'acme-tf-state',
      region: 'ap-northeast-2',
      kmsKeyId: STATE_KEY,
    });
  });

  test('s3 accepts the state key by its alias ARN', () => {
    const alias = 'arn:aws:kms:ap-northeast-2:123456789012:alias/acme-tf-state';
    expect(loadBackend({ TIKETI_BACKEND: 's3', TIKETI_STATE_BUCKET: 'acme-tf-state', TIKETI_STATE_KMS_KEY_ID: alias })).toMatchObject({ kmsKeyId: alias });
  });

  test('s3 without the state key fails, saying where the key comes from', () => {
    expect(() => loadBackend({ TIKETI_BACKEND: 's3', TIKETI_STATE_BUCKET: 'acme-tf-state' })).toThrow(
      /TIKETI_STATE_KMS_KEY_ID: required when TIKETI_BACKEND=s3 \(a KMS key ARN or alias ARN; the bootstrap stack's state key; get it with `npx cdktf output bootstrap` \(state_kms_key_arn\)\)/,
    );
  });

  test.each([
    ['alias/acme-tf-state', '"arn:aws:kms:<region>:<account>:key/<key id>" or "arn:aws:kms:<region>:<account>:alias/<name>", not a bare key ID or alias name'],
    ['1234abcd-12ab-34cd-56ef-1234567890ab', '"arn:aws:kms:<region>:<account>:key/<key id>" or "arn:aws:kms:<region>:<account>:alias/<name>", not a bare key ID or alias name'],
    ['arn:aws:kms:ap-northeast-2:123456789012:key/not-a-key-id', 'a key ID that is a lower-case UUID or "mrk-" + 32 hex digits, got "not-a-key-id"'],
    ['arn:aws:kms:ap-northeast-2:123456789012:alias/aws/s3', 'an alias outside "alias/aws/", which AWS reserves for its managed keys'],
    ['arn:aws:kms:seoul:123456789012:alias/acme-tf-state', 'a region of the aws partition, got "seoul"'],
  ])('s3 refuses the state key %s (not a key or alias ARN)', (value, requirement) => {
    expect(() => loadBackend({ TIKETI_BACKEND: 's3', TIKETI_STATE_BUCKET: 'acme-tf-state', TIKETI_STATE_KMS_KEY_ID: value })).toThrow(
      `TIKETI_STATE_KMS_KEY_ID: got ${JSON.stringify(value)}, expected a KMS key ARN or alias ARN (${requirement}); the bootstrap stack's state key`,
    );
  });

  test('s3 refuses a state key of another region than the bucket (SSE-KMS needs the bucket\'s region)', () => {
    const key = 'arn:aws:kms:us-east-1:123456789012:alias/acme-tf-state';
    expect(() => loadBackend({ TIKETI_BACKEND: 's3', TIKETI_STATE_BUCKET: 'acme-tf-state', TIKETI_STATE_KMS_KEY_ID: key })).toThrow(
      `TIKETI_STATE_KMS_KEY_ID: got "${key}", expected a key in the state bucket's region ap-northeast-2 (TIKETI_STATE_REGION, default): S3 encrypts with a KMS key of the bucket's own region only`,
    );
    expect(loadBackend({ TIKETI_BACKEND: 's3', TIKETI_STATE_BUCKET: 'acme-tf-state', TIKETI_STATE_KMS_KEY_ID: key, TIKETI_STATE_REGION: 'us-east-1' })).toMatchObject({ region: 'us-east-1', kmsKeyId: key });
  });

  test.each<[string, NodeJS.ProcessEnv, string]>([
    ['an unknown backend', { TIKETI_BACKEND: 'gcs' }, 'TIKETI_BACKEND: got "gcs", expected one of local, s3, cloud'],
    ['s3 without a bucket', { TIKETI_BACKEND: 's3' }, 'TIKETI_STATE_BUCKET: required when TIKETI_BACKEND=s3'],
    ['s3 with an invalid bucket name', { TIKETI_BACKEND: 's3', TIKETI_STATE_BUCKET: 'Bad_Bucket', TIKETI_STATE_KMS_KEY_ID: STATE_KEY }, 'TIKETI_STATE_BUCKET: got "Bad_Bucket", expected an S3 bucket name'],
    ['s3 with an invalid region', { TIKETI_BACKEND: 's3', TIKETI_STATE_BUCKET: 'acme-tf-state', TIKETI_STATE_KMS_KEY_ID: STATE_KEY, TIKETI_STATE_REGION: 'seoul' }, 'TIKETI_STATE_REGION: got "seoul", expected an AWS region'],
    ['cloud without an organization', { TIKETI_BACKEND: 'cloud' }, 'TF_CLOUD_ORGANIZATION: required when TIKETI_BACKEND=cloud'],
  ])('rejects %s with a message naming the variable', (_case, vars, message) => {
    expect(() => loadBackend(vars)).toThrow(message);
  });
});

/** A stack that reads the VPC ID from `network`, so the cross-stack reference becomes remote state. */
class ConsumerStack extends TiketiStack {
  constructor(scope: ReturnType<typeof Testing.app>, network: NetworkStack, backend: BackendSettings) {
    super(scope, 'data', { scopeName: 'prod', region: 'ap-northeast-2', backend });
    new TerraformOutput(this, 'vpc_id', { value: network.vpc.vpcId });
  }
}

/** Synthesizes network + a consumer with `backend`; returns both stacks' JSON. */
function synthPair(backend: BackendSettings): { network: any; consumer: any } {
  const app = Testing.app();
  const network = new NetworkStack(app, { env: ENVIRONMENTS.prod, backend });
  const consumer = new ConsumerStack(app, network, backend);
  app.synth();
  const read = (stack: TiketiStack) => JSON.parse(Testing.synth(stack));
  return { network: read(network), consumer: read(consumer) };
}

describe('state backends and cross-stack references', () => {
  test('local: state per environment and stack, remote state reads the producer file', () => {
    const { network, consumer } = synthPair({ kind: 'local', stateDir: '/state' });
    expect(network.terraform.backend.local.path).toBe('/state/prod/network.tfstate');
    expect(consumer.terraform.backend.local.path).toBe('/state/prod/data.tfstate');
    const remote = consumer.data.terraform_remote_state['cross-stack-reference-input-network'];
    expect(remote.backend).toBe('local');
    expect(remote.config.path).toBe('/state/prod/network.tfstate');
    expect(Object.keys(network.output).some((key) => key.startsWith('cross-stack-output-'))).toBe(true);
  });

  test('s3: SSE-KMS with the state key, lock file, key per environment and stack; remote state reads the producer key', () => {
    const { network, consumer } = synthPair({ kind: 's3', bucket: 'acme-tf-state', region: 'ap-northeast-2', kmsKeyId: STATE_KEY });
    expect(network.terraform.backend.s3).toEqual({
      bucket: 'acme-tf-state',
      key: 'tiketi/prod/network.tfstate',
      encrypt: true,
      kms_key_id: STATE_KEY,
      use_lockfile: true,
      region: 'ap-northeast-2',
    });
    expect(consumer.terraform.backend.s3).toMatchObject({ encrypt: true, kms_key_id: STATE_KEY });
    const remote = consumer.data.terraform_remote_state['cross-stack-reference-input-network'];
    expect(remote.backend).toBe('s3');
    expect(remote.config).toMatchObject({ bucket: 'acme-tf-state', key: 'tiketi/prod/network.tfstate', region: 'ap-northeast-2' });
  });

  test('cloud: one named workspace per stack and environment; remote state reads the producer workspace', () => {
    const { network, consumer } = synthPair({ kind: 'cloud', organization: 'tiketi' });
    expect(network.terraform.cloud).toMatchObject({ organization: 'tiketi', workspaces: { name: 'tiketi-prod-network' } });
    expect(consumer.terraform.cloud.workspaces.name).toBe('tiketi-prod-data');
    const remote = consumer.data.terraform_remote_state['cross-stack-reference-input-network'];
    expect(remote.backend).toBe('remote');
    expect(remote.config).toMatchObject({ organization: 'tiketi', workspaces: { name: 'tiketi-prod-network' } });
  });
});
