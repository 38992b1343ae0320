import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicy } from '@cdktf/provider-aws/lib/data-aws-iam-policy';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { Release } from '@cdktf/provider-helm/lib/release';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
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

  test('Kubernetes Secret data is secret except the setting fields of Argo CD repository and cluster Secrets', () => {
    const json = fixture((s) => {
      const metadata = { name: 'x', namespace: 'argocd' };
      const key = '${ephemeral.aws_secretsmanager_secret_version.deploy_key.secret_string}';
      new SecretV1(s, 'repository', { metadata, dataWo: { type: 'git', url: 'git@github.com:tiketi/tiketi-platform.git', sshPrivateKey: key }, dataWoRevision: 1 });
      new SecretV1(s, 'cluster', { metadata, data: { name: 'in-cluster', server: 'https://kubernetes.default.svc', config: '{"tlsClientConfig":{"insecure":false}}' } });
      new SecretV1(s, 'literal-key', { metadata, dataWo: { type: 'git', sshPrivateKey: '-----BEGIN OPENSSH PRIVATE KEY-----' }, dataWoRevision: 1 });
      new SecretV1(s, 'tls', { metadata, data: { 'tls.crt': 'literal-certificate', 'tls.key': 'literal-key' } });
      new SecretV1(s, 'token-config', { metadata, data: { name: 'remote', server: 'https://1.2.3.4', config: '{"bearerToken":"literal"}' } });
    });
    expect(statusOf('Tiketi.1', json)).toEqual({
      'kubernetes_secret_v1.repository': 'passed',
      'kubernetes_secret_v1.cluster': 'passed',
      'kubernetes_secret_v1.literal-key': 'failed: literal secret in data_wo.sshPrivateKey',
      'kubernetes_secret_v1.tls': 'failed: literal secret in data.tls.crt, data.tls.key',
      'kubernetes_secret_v1.token-config': 'failed: literal secret in data.config',
    });
  });

  test('a secret-looking key inside a Secret\'s data is reported once', () => {
    expect(statusOf('Tiketi.1', { resource: { kubernetes_secret_v1: { s: { data_wo: { 'slack-token': 'xoxb-123' } } } } })).toEqual({ 'kubernetes_secret_v1.s': 'failed: literal secret in data_wo.slack-token' });
  });

  test('ephemeral blocks are checked: a secret_id names a secret, a literal password is one', () => {
    expect(statusOf('Tiketi.1', { ephemeral: { aws_secretsmanager_secret_version: { key: { secret_id: 'tiketi/prod/sealed-secrets-key' } }, random_password: { p: { password: 'literal' } } } })).toEqual({
      'ephemeral.aws_secretsmanager_secret_version.key': 'passed',
      'ephemeral.random_password.p': 'failed: literal secret in password',
    });
  });

  test('providers and backends are checked too', () => {
    const status = statusOf('Tiketi.1', { terraform: { backend: { s3: { bucket: 'b', access_key: 'AKIAEXAMPLE' } } }, provider: { aws: [{ region: 'ap-northeast-2', secret_key: 'literal' }] } });
    expect(status).toEqual({ 'provider.aws[0]': 'failed: literal secret in secret_key', 'terraform.backend.s3': 'failed: literal secret in access_key' });
  });
});

describe('Tiketi.2 / Tiketi.3: stateful resources and their keys are protected outside dev', () => {
  const stateful = (protectedFlag: boolean) =>
    fixture((s) => {
      const lifecycle = { preventDestroy: protectedFlag };
      new DbInstance(s, 'db', {
        instanceClass: 'db.t3.large',
        engine: 'postgres',
        deletionProtection: protectedFlag,
        skipFinalSnapshot: !protectedFlag,
        finalSnapshotIdentifier: protectedFlag ? 'tiketi-prod-postgres-final' : undefined,
        deleteAutomatedBackups: !protectedFlag,
        lifecycle,
      });
      new ElasticacheReplicationGroup(s, 'cache', { replicationGroupId: 'c', description: 'c', finalSnapshotIdentifier: protectedFlag ? 'tiketi-prod-cache-final' : undefined, lifecycle });
      const bucket = new S3Bucket(s, 'bucket', { bucket: 'tiketi-state', forceDestroy: !protectedFlag, lifecycle });
      new S3BucketVersioningA(s, 'versioning', { bucket: bucket.id, versioningConfiguration: { status: protectedFlag ? 'Enabled' : 'Suspended' } });
      new EcrRepository(s, 'repo', { name: 'tiketi-backend', forceDelete: !protectedFlag, lifecycle });
      new Route53Zone(s, 'zone', { name: 'tiketi.com', forceDestroy: !protectedFlag, lifecycle });
      new KmsKey(s, 'key', { deletionWindowInDays: protectedFlag ? 30 : 7, lifecycle });
      new SecretsmanagerSecret(s, 'secret', { name: 'tiketi/prod/sealed-secrets-key', recoveryWindowInDays: protectedFlag ? 30 : 0, lifecycle });
    });

  test('the protected shape passes both rules for every stateful type', () => {
    const json = stateful(true);
    for (const control of ['Tiketi.2', 'Tiketi.3']) expect(Object.values(statusOf(control, json))).toEqual(Array(7).fill('passed'));
  });

  test('Tiketi.2 fails without prevent_destroy on each type, including the KMS key', () => {
    const status = statusOf('Tiketi.2', stateful(false));
    expect(Object.keys(status).sort()).toEqual(['aws_db_instance.db', 'aws_ecr_repository.repo', 'aws_elasticache_replication_group.cache', 'aws_kms_key.key', 'aws_route53_zone.zone', 'aws_s3_bucket.bucket', 'aws_secretsmanager_secret.secret']);
    expect(new Set(Object.values(status))).toEqual(new Set(['failed: lifecycle.prevent_destroy is not true: renaming the construct or removing the code would destroy it']));
  });

  test('Tiketi.3 names the missing guard per type', () => {
    expect(statusOf('Tiketi.3', stateful(false))).toEqual({
      'aws_db_instance.db': 'failed: deletion_protection is not true; no final snapshot (skip_final_snapshot, or final_snapshot_identifier unset); delete_automated_backups is not false (the default deletes them with the instance)',
      'aws_elasticache_replication_group.cache': 'failed: final_snapshot_identifier is unset',
      'aws_s3_bucket.bucket': 'failed: force_destroy is true; versioning is not Enabled',
      'aws_ecr_repository.repo': 'failed: force_delete is true',
      'aws_route53_zone.zone': 'failed: force_destroy is true',
      'aws_kms_key.key': 'failed: deletion_window_in_days is 7, not the maximum 30',
      'aws_secretsmanager_secret.secret': 'failed: recovery_window_in_days is 0 (0 deletes without recovery)',
    });
  });

  test('neither applies in dev, whose data is disposable; both apply to the account-wide stacks', () => {
    expect(new Set(Object.values(statusOf('Tiketi.2', stateful(false), { scope: 'dev' })))).toEqual(new Set(['not applicable']));
    expect(new Set(Object.values(statusOf('Tiketi.3', stateful(false), { scope: 'account' })))).not.toContain('not applicable');
  });
});

describe('Tiketi.4: Helm chart versions are pinned (helm_release of @cdktf/provider-helm 12.1.2)', () => {
  const release = (version: string | undefined, source: { repository?: string; chart: string } = { repository: 'https://argoproj.github.io/argo-helm', chart: 'argo-cd' }) =>
    statusOf('Tiketi.4', fixture((s) => void new Release(s, 'argocd', { name: 'argocd', namespace: 'argocd', version, ...source })))['helm_release.argocd'];

  test('an exact version passes, from a repository or an OCI registry', () => {
    expect(release('10.1.1')).toBe('passed');
    expect(release('1.2.3-rc.1+build.5')).toBe('passed');
    expect(release('9.59.0', { chart: 'oci://public.ecr.aws/karpenter/karpenter' })).toBe('passed');
  });

  test('an unset version, a range or a wildcard fails', () => {
    expect(release(undefined)).toBe('failed: version is unset: every plan may install a newer chart');
    for (const range of ['^10.1.1', '~10.1', '10.x', '>=10.0.0', '*', '10.1', 'latest']) expect(release(range)).toBe(`failed: version ${JSON.stringify(range)} is not an exact SemVer version`);
  });

  test('a local chart is pinned by the commit and not applicable', () => {
    expect(release(undefined, { chart: './charts/root-app' })).toBe('not applicable');
  });
});

describe('Tiketi.5: log groups expire and are encrypted', () => {
  test('retention and a key pass; missing either fails', () => {
    const json = fixture((s) => {
      new CloudwatchLogGroup(s, 'good', { name: '/a', retentionInDays: 365, kmsKeyId: 'arn:aws:kms:ap-northeast-2:111122223333:key/1' });
      new CloudwatchLogGroup(s, 'forever', { name: '/b', retentionInDays: 0, kmsKeyId: 'arn:aws:kms:ap-northeast-2:111122223333:key/1' });
      new CloudwatchLogGroup(s, 'bare', { name: '/c' });
    });
    expect(statusOf('Tiketi.5', json)).toEqual({
      'aws_cloudwatch_log_group.good': 'passed',
      'aws_cloudwatch_log_group.forever': 'failed: retention_in_days is 0 (logs never expire)',
      'aws_cloudwatch_log_group.bare': 'failed: retention_in_days is unset (logs never expire); kms_key_id is unset (logs encrypted with a CloudWatch-owned key)',
    });
  });
});

describe('Tiketi.6: roles of the per-environment stacks carry the tiketi-boundary policy', () => {
  const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  const roles = () =>
    fixture((s) => {
      const boundary = new IamPolicy(s, 'boundary', { name: 'tiketi-boundary', policy: '{"Version":"2012-10-17","Statement":[]}' });
      new IamRole(s, 'by-reference', { assumeRolePolicy: TRUST, permissionsBoundary: boundary.arn });
      new IamRole(s, 'by-arn', { assumeRolePolicy: TRUST, permissionsBoundary: 'arn:aws:iam::${data.aws_caller_identity.account.account_id}:policy/tiketi-boundary' });
      new IamRole(s, 'by-path', { assumeRolePolicy: TRUST, permissionsBoundary: 'arn:aws:iam::111122223333:policy/tiketi/tiketi-boundary' });
      const lookup = new DataAwsIamPolicy(s, 'lookup', { arn: 'arn:aws:iam::${data.aws_caller_identity.account.account_id}:policy/tiketi-boundary' });
      new IamRole(s, 'by-lookup', { assumeRolePolicy: TRUST, permissionsBoundary: lookup.arn });
      new IamRole(s, 'unbounded', { assumeRolePolicy: TRUST });
      new IamRole(s, 'other-boundary', { assumeRolePolicy: TRUST, permissionsBoundary: 'arn:aws:iam::aws:policy/AdministratorAccess' });
    });

  test('the boundary by reference, by ARN, under a path or through a data lookup passes; none, or another policy, fails', () => {
    expect(statusOf('Tiketi.6', roles())).toEqual({
      'aws_iam_role.by-reference': 'passed',
      'aws_iam_role.by-arn': 'passed',
      'aws_iam_role.by-path': 'passed',
      'aws_iam_role.by-lookup': 'passed',
      'aws_iam_role.unbounded': 'failed: permissions_boundary is unset: the role can hold any policy CI attaches',
      'aws_iam_role.other-boundary': 'failed: permissions_boundary "arn:aws:iam::aws:policy/AdministratorAccess" is not the tiketi-boundary policy',
    });
  });

  test('the account-wide stacks (applied by an administrator) are not applicable', () => {
    expect(statusOf('Tiketi.6', roles(), { scope: 'account' })['aws_iam_role.unbounded']).toBe('not applicable');
  });
});

describe('Tiketi.7: S3 state is encrypted with the platform key and locked', () => {
  test('encrypt, kms_key_id and use_lockfile pass; a backend without the key fails; a local backend is not checked', () => {
    const backend = (config: object) => statusOf('Tiketi.7', { terraform: { backend: { s3: { bucket: 'tiketi-terraform-state', key: 'k', region: 'ap-northeast-2', ...config } } } })['terraform.backend.s3'];
    expect(backend({ encrypt: true, kms_key_id: 'alias/tiketi-terraform-state', use_lockfile: true })).toBe('passed');
    expect(backend({ encrypt: true, use_lockfile: true })).toBe('failed: kms_key_id is unset (state is written with SSE-S3)');
    expect(statusOf('Tiketi.7', { terraform: { backend: { local: { path: 'x' } } } })).toEqual({});
  });
});

describe('Tiketi.8: IMDSv2 with a hop limit of 1 on instances and launch templates', () => {
  test('hop limit 1 with tokens required passes on both; a hop limit of 2, unset, optional tokens or no metadata options fail', () => {
    const json = fixture((s) => {
      new LaunchTemplate(s, 'host', { metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 } });
      new LaunchTemplate(s, 'hop2', { metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 2 } });
      new LaunchTemplate(s, 'tokensonly', { metadataOptions: { httpTokens: 'required' } });
      new LaunchTemplate(s, 'bare', {});
      new LaunchTemplate(s, 'off', { metadataOptions: { httpEndpoint: 'disabled', httpTokens: 'required' } });
      new Instance(s, 'v2hop1', { ami: 'ami-1', instanceType: 't4g.nano', metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1 } });
      new Instance(s, 'v1hop1', { ami: 'ami-1', instanceType: 't4g.nano', metadataOptions: { httpTokens: 'optional', httpPutResponseHopLimit: 1 } });
    });
    expect(statusOf('Tiketi.8', json)).toEqual({
      'aws_launch_template.host': 'passed',
      'aws_launch_template.hop2': 'failed: http_put_response_hop_limit is 2, not 1: one more hop (a container) reaches the instance role',
      'aws_launch_template.tokensonly': 'failed: http_put_response_hop_limit is unset (the AMI default), not 1: one more hop (a container) reaches the instance role',
      'aws_launch_template.bare': 'failed: no metadata_options: the AMI default applies (AL2023: hop limit 2)',
      'aws_launch_template.off': 'passed',
      'aws_instance.v2hop1': 'passed',
      'aws_instance.v1hop1': 'failed: http_tokens is "optional", not "required"',
    });
  });

  test('the api-access host and the nodes of every environment pass', () => {
    const { ApiAccessHost } = require('../../modules/api-access-host');
    const { EksNodeGroup } = require('../../modules/eks-node-group');
    const json = fixture((s) => {
      new ApiAccessHost(s, 'host', { namePrefix: 'tiketi-test', environment: 'test', vpcId: 'vpc-1', subnetIds: ['subnet-a', 'subnet-b'], permissionsBoundary: 'arn:aws:iam::111122223333:policy/tiketi-boundary' });
      new EksNodeGroup(s, 'ng', { clusterName: 'tiketi-test', kubernetesVersion: '1.35', name: 'general', subnetIds: ['subnet-a'], instanceTypes: ['t3.medium'], minSize: 1, desiredSize: 1, maxSize: 2, diskSizeGb: 20, permissionsBoundary: 'arn:aws:iam::111122223333:policy/tiketi-boundary' });
    });
    const status = statusOf('Tiketi.8', json);
    expect(Object.keys(status)).toHaveLength(2);
    expect(Object.values(status)).toEqual(['passed', 'passed']);
  });
});
