import { Testing, TerraformOutput } from 'cdktf';
import { BackendSettings, loadBackend } from '../../config/backend';
import { ENVIRONMENTS } from '../../config/environments';
import { NetworkStack } from '../../stacks/network-stack';
import { TiketiStack } from '../../stacks/tiketi-stack';

describe('loadBackend', () => {
  test('local is the default and needs nothing', () => {
    expect(loadBackend({}, '/project')).toEqual({ kind: 'local', stateDir: '/project/terraform.state' });
  });

  test('s3 takes the bucket and defaults the region', () => {
    expect(loadBackend({ TIKETI_BACKEND: 's3', TIKETI_STATE_BUCKET: 'acme-tf-state' })).toEqual({
      kind: 's3',
      bucket: 'acme-tf-state',
      region: 'ap-northeast-2',
      kmsKeyId: undefined,
    });
  });

  test.each<[string, NodeJS.ProcessEnv, string]>([
    ['an unknown backend', { TIKETI_BACKEND: 'gcs' }, 'TIKETI_BACKEND: got "gcs", expected one of local, s3, cloud'],
    ['s3 without a bucket', { TIKETI_BACKEND: 's3' }, 'TIKETI_STATE_BUCKET: required when TIKETI_BACKEND=s3'],
    ['s3 with an invalid bucket name', { TIKETI_BACKEND: 's3', TIKETI_STATE_BUCKET: 'Bad_Bucket' }, 'TIKETI_STATE_BUCKET: got "Bad_Bucket", expected an S3 bucket name'],
    ['s3 with an invalid region', { TIKETI_BACKEND: 's3', TIKETI_STATE_BUCKET: 'acme-tf-state', TIKETI_STATE_REGION: 'seoul' }, 'TIKETI_STATE_REGION: got "seoul", expected an AWS region'],
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

  test('s3: encrypted, lock file, key per environment and stack; remote state reads the producer key', () => {
    const { network, consumer } = synthPair({ kind: 's3', bucket: 'acme-tf-state', region: 'ap-northeast-2' });
    expect(network.terraform.backend.s3).toMatchObject({
      bucket: 'acme-tf-state',
      key: 'tiketi/prod/network.tfstate',
      encrypt: true,
      use_lockfile: true,
      region: 'ap-northeast-2',
    });
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
