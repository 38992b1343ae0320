import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { Release } from '@cdktf/provider-helm/lib/release';
import { fixture, statusOf } from './helpers';

describe('Tiketi.1: no literal secrets', () => {
  test('a literal password, a literal set_sensitive value and a literal SecureString fail; references and switches pass', () => {
    const json = fixture((s) => {
      new DbInstance(s, 'literal', { instanceClass: 'db.t3.micro', engine: 'postgres', username: 'app', password: 'hunter2hunter2' });
      new DbInstance(s, 'managed', { instanceClass: 'db.t3.micro', engine: 'postgres', username: 'app', manageMasterUserPassword: true });
      new Release(s, 'chart', { name: 'x', chart: 'x', version: '1.0.0', setSensitive: [{ name: 'configs.secret.githubSecret', value: 'literal-value' }] });
      new SsmParameter(s, 'param', { name: '/x', type: 'SecureString', value: 'literal-value' });
      new SsmParameter(s, 'plain', { name: '/y', type: 'String', value: 'not a secret' });
      // `http_tokens = "required"` is the IMDS mode, not a token.
      new LaunchTemplate(s, 'nodes', { metadataOptions: { httpTokens: 'required' } });
    });
    const status = statusOf('Tiketi.1', json);
    expect(status['aws_db_instance.literal']).toBe('failed: literal secret in password');
    expect(status['aws_db_instance.managed']).toBe('passed');
    expect(status['helm_release.chart']).toBe('failed: literal secret in set_sensitive');
    expect(status['aws_ssm_parameter.param']).toBe('failed: literal secret in value');
    expect(status['aws_ssm_parameter.plain']).toBe('passed');
    expect(status['aws_launch_template.nodes']).toBe('passed');
  });

  test('providers and backends are checked too', () => {
    const status = statusOf('Tiketi.1', { terraform: { backend: { s3: { bucket: 'b', access_key: 'AKIAEXAMPLE' } } }, provider: { aws: [{ region: 'ap-northeast-2', secret_key: 'literal' }] } });
    expect(status).toEqual({ 'provider.aws[0]': 'failed: literal secret in secret_key', 'terraform.backend.s3': 'failed: literal secret in access_key' });
  });
});
