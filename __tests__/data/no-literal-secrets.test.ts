import { Testing } from 'cdktf';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import { ElasticacheUser } from '@cdktf/provider-aws/lib/elasticache-user';
import { ALL_ENVIRONMENTS, synthApp } from '../support/synth';
import { literalSecrets } from '../../policy/literal-secrets';

describe('no literal secrets in the data stack', () => {
  test.each(ALL_ENVIRONMENTS)('%s: no attribute of any resource, data source, provider or output holds a literal secret', (envName) => {
    const json = synthApp(envName).json('data');
    expect(literalSecrets(json)).toEqual([]);
    // The switches that make AWS generate the secrets are the ones the scanner lets through.
    expect(JSON.stringify(json)).toContain('"manage_master_user_password":true');
  });
});

describe('the scanner catches literals', () => {
  test('a literal RDS password and a literal write-only password', () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        new DbInstance(scope, 'db', { instanceClass: 'db.t3.micro', engine: 'postgres', username: 'app', password: 'hunter2hunter2' });
        new DbInstance(scope, 'db-wo', { instanceClass: 'db.t3.micro', engine: 'postgres', username: 'app', passwordWo: 'hunter3hunter3', passwordWoVersion: 1 });
      }),
    );
    expect(literalSecrets(json)).toEqual(['resource.aws_db_instance.db.password', 'resource.aws_db_instance.db-wo.password_wo']);
  });

  test('a literal AUTH token and literal ElastiCache user passwords', () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        new ElasticacheReplicationGroup(scope, 'cache', { replicationGroupId: 'x', description: 'x', authToken: 'a-very-long-literal-token', authTokenUpdateStrategy: 'ROTATE' });
        new ElasticacheUser(scope, 'user', { userId: 'u', userName: 'u', engine: 'redis', accessString: 'on', authenticationMode: { type: 'password', passwords: ['another-literal-password'] } });
      }),
    );
    expect(literalSecrets(json).sort()).toEqual(['resource.aws_elasticache_replication_group.cache.auth_token', 'resource.aws_elasticache_user.user.authentication_mode.passwords'].sort());
  });

  test('references, switches and known settings pass', () => {
    expect(
      literalSecrets({
        resource: {
          aws_db_instance: { db: { manage_master_user_password: true, password: '${data.aws_secretsmanager_secret_version.x.secret_string}' } },
          aws_elasticache_replication_group: { cache: { auth_token_update_strategy: 'ROTATE', auth_token: null } },
        },
      }),
    ).toEqual([]);
    expect(literalSecrets({ resource: { x: { y: { auth_token_update_strategy: 'hunter2' } } } })).toEqual(['resource.x.y.auth_token_update_strategy']);
  });
});
