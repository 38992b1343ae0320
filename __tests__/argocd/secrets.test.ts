import { literalSecrets } from '../data/literal-secrets';
import { ALL_ENVIRONMENTS, resourcesOf } from '../support/synth';
import { argocdJson, k8sObject, releases } from './helpers/stack';

/** Every path in `node` whose string value mentions `needle`. */
function pathsMentioning(node: unknown, needle: string, at: string[] = []): string[] {
  if (typeof node === 'string') return node.includes(needle) ? [at.join('.')] : [];
  if (Array.isArray(node)) return node.flatMap((v, i) => pathsMentioning(v, needle, [...at, String(i)]));
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => (k === '//' ? [] : pathsMentioning(v, needle, [...at, k])));
  return [];
}

/** `data_wo` entries that are no ephemeral read: allowed only for the repository Secret's non-secret keys. */
const PLAIN_WRITE_ONLY_KEYS = ['type', 'url'];
function plainWriteOnlyValues(json: any): string[] {
  const found: string[] = [];
  for (const [id, secret] of Object.entries(json.resource?.kubernetes_secret_v1 ?? {}) as [string, any][]) {
    for (const [key, value] of Object.entries(secret.data_wo ?? {})) {
      if (!/^\$\{(jsondecode\()?ephemeral\.aws_secretsmanager_secret_version\.[a-z_]+\.secret_string\)?(\["[^"]+"\])?\}$/.test(String(value)) && !PLAIN_WRITE_ONLY_KEYS.includes(key)) found.push(`${id}.data_wo.${key}`);
    }
  }
  return found;
}

/** Write-only arguments: Terraform keeps them out of the plan and state. */
const WRITE_ONLY = /^resource\.(kubernetes_secret_v1\.[^.]+\.data_wo|helm_release\.[^.]+\.set_wo\.\d+\.value)\./;

describe.each(ALL_ENVIRONMENTS)('secrets in the argocd stack (%s)', (envName) => {
  const json = () => argocdJson(envName);

  test('no attribute of any resource, data source, provider or output holds a literal secret', () => {
    // The ephemeral blocks name secrets (`slack_token`: { secret_id: <name> }); they hold no value, checked below.
    const { ephemeral, ...rest } = json();
    expect(literalSecrets(rest)).toEqual([]);
    for (const block of Object.values((ephemeral as any).aws_secretsmanager_secret_version) as any[]) expect(Object.keys(block)).toEqual(['secret_id']);
  });

  test('every secret value comes from an ephemeral Secrets Manager read and lands only in write-only arguments', () => {
    const ephemeral = json().ephemeral?.aws_secretsmanager_secret_version ?? {};
    expect(Object.fromEntries(Object.entries(ephemeral).map(([k, v]: [string, any]) => [k, v.secret_id]))).toEqual({
      sealing_key: `tiketi/${envName}/sealed-secrets-key`,
      repository_deploy_key: `tiketi/${envName}/argocd/repository-deploy-key`,
      github_webhook: `tiketi/${envName}/argocd/github-webhook-secret`,
      slack_token: `tiketi/${envName}/argocd/slack-token`,
      sso_client: `tiketi/${envName}/argocd/sso-client`,
    });
    const uses = pathsMentioning(json(), 'ephemeral.aws_secretsmanager_secret_version.').filter((p) => !p.startsWith('ephemeral.'));
    expect(uses.length).toBeGreaterThanOrEqual(7);
    expect(uses.filter((p) => !WRITE_ONLY.test(p))).toEqual([]);
  });

  test('the sealing key never appears in an attribute stored in state', () => {
    const key = k8sObject(json(), 'kubernetes_secret_v1', 'sealed-secrets-key', 'kube-system').config;
    // data_wo is sent to the API only when data_wo_revision changes, and the provider never reads data back then.
    expect(key.data).toBeUndefined();
    expect(revisionSources(key.data_wo_revision)).toEqual(['sealing_key']);
    expect(key.data_wo).toEqual({
      'tls.crt': '${jsondecode(ephemeral.aws_secretsmanager_secret_version.sealing_key.secret_string)["tls.crt"]}',
      'tls.key': '${jsondecode(ephemeral.aws_secretsmanager_secret_version.sealing_key.secret_string)["tls.key"]}',
    });
    // Not through Helm either: helm_release.metadata.values stores the whole values document in state.
    for (const { values } of Object.values(releases(json()))) expect(JSON.stringify(values)).not.toMatch(/ephemeral|tls\.key|sshPrivateKey|BEGIN/);
    expect(pathsMentioning(json(), 'ephemeral.aws_secretsmanager_secret_version.sealing_key').filter((p) => !p.startsWith('ephemeral.') && !WRITE_ONLY.test(p))).toEqual([]);
  });

  test('every Secret written from Secrets Manager is write-only; only the bridge Secret (no secret in it) has data', () => {
    for (const [id, secret] of Object.entries(resourcesOf(json(), 'kubernetes_secret_v1')) as [string, any][]) {
      if (secret.metadata.name === 'in-cluster') {
        expect(Object.keys(secret.data).sort()).toEqual(['config', 'name', 'server']);
        expect(secret.data.config).toBe('{"tlsClientConfig":{"insecure":false}}');
        continue;
      }
      expect({ id, data: secret.data }).toEqual({ id, data: undefined });
    }
    expect(plainWriteOnlyValues(json())).toEqual([]);
  });

  test('a new version of any source secret rewrites its Kubernetes Secret: the revision follows exactly the secrets data_wo reads', () => {
    const versions = json().data?.aws_secretsmanager_secret_versions ?? {};
    const ephemeral = json().ephemeral?.aws_secretsmanager_secret_version ?? {};
    for (const [id, secret] of Object.entries(resourcesOf(json(), 'kubernetes_secret_v1')) as [string, any][]) {
      if (secret.data_wo === undefined) continue;
      const read = [...new Set([...JSON.stringify(secret.data_wo).matchAll(/ephemeral\.aws_secretsmanager_secret_version\.([a-z_]+)\./g)].map((m) => m[1]))].sort();
      expect({ id, revisionFrom: revisionSources(secret.data_wo_revision) }).toEqual({ id, revisionFrom: read });
      // The version list is of the same secret the value is read from (metadata only: the data source has no value).
      for (const name of read) expect({ name, secret: versions[`${name}_versions`]?.secret_id }).toEqual({ name, secret: ephemeral[name].secret_id });
    }
  });
});

/** The secrets whose current-version stamp a `data_wo_revision` expression takes (`<name>` of `data...<name>_versions`). */
function revisionSources(revision: unknown): string[] {
  if (typeof revision !== 'string') return [];
  return [...revision.matchAll(/data\.aws_secretsmanager_secret_versions\.([a-z_]+)_versions\.versions/g)].map((m) => m[1]).sort();
}

describe('the guards can fail', () => {
  test('the literal scanner flags a literal token in data_wo', () => {
    expect(literalSecrets({ resource: { kubernetes_secret_v1: { s: { data_wo: { 'slack-token': 'xoxb-123' } } } } })).toEqual(['resource.kubernetes_secret_v1.s.data_wo.slack-token']);
  });

  test('a literal under a key the scanner does not know (sshPrivateKey in data_wo) is caught by the write-only check: it is no ephemeral reference', () => {
    const literal = { resource: { kubernetes_secret_v1: { s: { data_wo: { sshPrivateKey: '-----BEGIN OPENSSH PRIVATE KEY-----', url: 'git@github.com:o/r.git' } } } } };
    expect(plainWriteOnlyValues(literal)).toEqual(['s.data_wo.sshPrivateKey']);
  });

  test('an ephemeral reference outside a write-only argument is found', () => {
    const leaked = { resource: { kubernetes_config_map_v1: { c: { data: { KEY: '${ephemeral.aws_secretsmanager_secret_version.sealing_key.secret_string}' } } } } };
    expect(pathsMentioning(leaked, 'ephemeral.aws_secretsmanager_secret_version.').filter((p) => !WRITE_ONLY.test(p))).toEqual(['resource.kubernetes_config_map_v1.c.data.KEY']);
  });
});
