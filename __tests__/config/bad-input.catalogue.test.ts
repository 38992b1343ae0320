/**
 * The bad-input catalogue: every kind of bad setting, bad environment variable and bad command argument the
 * project accepts, each with the exact message a user gets and proof that nothing was written.
 *
 * - Settings and environment variables go through `synthesizeTiketi` (what `cdktf synth` runs, main.ts)
 *   with a temporary output directory: the error is the exact `SettingsError` text and the directory is
 *   never created.
 * - Command arguments go through each command's own entry (`runCommand`, as `npm run <command>` does) in a
 *   temporary copy of the project: the exit code and first stderr line are exact, and every file of the copy
 *   is byte-for-byte what it was.
 *
 * The expected messages are written from the rules (config/validation/rules.ts: AWS's, Git's, Kubernetes'
 * own definitions), not copied from the output: each row names a value that an earlier, looser pattern let
 * through or that a user plausibly types.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { apiTunnelCommand } from '../../cli/api-tunnel';
import { costCommand } from '../../cli/cost';
import { graphCommand } from '../../cli/graph';
import { Command } from '../../cli/lib/command';
import { planSummary } from '../../cli/plan-summary';
import { policyCommand } from '../../cli/policy';
import { promote } from '../../cli/promote';
import { seal } from '../../cli/seal';
import { sealingKeyCommand } from '../../cli/sealing-key';
import { setImage } from '../../cli/set-image';
import { stacks } from '../../cli/stacks';
import { teardownCommand } from '../../cli/teardown';
import { DNS, ENVIRONMENTS, REGISTRY } from '../../config/environments';
import { DnsSettings, EnvironmentName, EnvironmentSettings, RegistrySettings } from '../../config/settings';
import { SettingsError } from '../../config/validate';
import { synthesizeTiketi } from '../../stacks/app';
import { fakeRunner, fakeStore } from '../cli/fakes';
import { TempProject, run, tempProject } from '../cli/helpers/project';

type Environments = Record<EnvironmentName, EnvironmentSettings>;

/** A deep copy of the shipped settings with `field` (a dotted path such as `prod.cluster.nodeGroup.minSize`) set to `value`. */
function withSetting(field: string, value: unknown): { environments: Environments; registry: RegistrySettings; dns: DnsSettings } {
  const all = structuredClone({ ...ENVIRONMENTS, registry: REGISTRY, dns: DNS }) as Record<string, any>;
  const keys = field.split('.');
  const parent = keys.slice(0, -1).reduce((node, key) => node[key], all);
  if (!(keys[keys.length - 1] in parent)) throw new Error(`no setting ${field}`);
  parent[keys[keys.length - 1]] = value;
  const { registry, dns, ...environments } = all;
  return { environments: environments as Environments, registry, dns };
}

/** Runs what `cdktf synth` runs; returns the SettingsError text and whether the output directory was created. */
function synth(vars: NodeJS.ProcessEnv, settings: Partial<ReturnType<typeof withSetting>> = {}): { message: string; wrote: boolean } {
  const projectDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiketi-catalogue-'));
  const outdir = path.join(projectDir, 'cdktf.out');
  try {
    synthesizeTiketi({ vars: { CDKTF_OUTDIR: outdir, ...vars }, projectDir, ...settings });
    return { message: '(no error)', wrote: fs.existsSync(outdir) };
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    return { message: error.message, wrote: fs.existsSync(outdir) };
  } finally {
    fs.rmSync(projectDir, { recursive: true, force: true });
  }
}

const refused = (...problems: string[]): string => `Invalid Tiketi settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`;

// ---- Settings ---------------------------------------------------------------------------------------

const REGION_RULE = '"<area>-<location>-<n>" of an AWS partition, lower case, e.g. "us-east-1", "cn-north-1", "us-gov-west-1"';
const DNS_LABELS = 'lower-case letters, digits and "-" only';
const INSTANCE = (prefix: string, example: string) => `"${prefix}<family>.<size>" such as "${example}": a family with its generation digit, a size such as large, 2xlarge or metal`;
const VERSION = 'three numbers without leading zeros, e.g. "1.2.3"; no range ("^", "~", ">="), no "v", no pre-release';
const CIDR_SYNTAX = '"a.b.c.d/n": four numbers from 0 to 255 without leading zeros and a prefix from 0 to 32';
const ROLE = 'an IAM role name or role ARN "arn:aws:iam::<12-digit account>:role/[<path>/]<name>"';
const SSO_ROLE = 'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/ap-northeast-2/AWSReservedSSO_Platform Admin_0123456789abcdef';

/** [kind, setting, env synthesized, bad value, the one problem reported]. */
const SETTINGS: ReadonlyArray<[string, string, EnvironmentName, unknown, string]> = [
  ['region', 'dev.region', 'dev', 'xx-east-1', `dev.region: got "xx-east-1", expected an AWS region such as "ap-northeast-2" (${REGION_RULE})`],
  ['region', 'dev.region', 'dev', 'ap-northeast-2a', `dev.region: got "ap-northeast-2a", expected an AWS region such as "ap-northeast-2" (${REGION_RULE})`],
  ['region', 'registry.region', 'dev', 'Seoul', `registry.region: got "Seoul", expected an AWS region such as "ap-northeast-2" (${REGION_RULE})`],
  ['region', 'dns.region', 'dev', 'ap-northeast', `dns.region: got "ap-northeast", expected an AWS region such as "ap-northeast-2" (${REGION_RULE})`],
  ['DNS name', 'dns.zoneName', 'dev', 'tiketi..com', 'dns.zoneName: got "tiketi..com", expected a DNS name such as "tiketi.com" (labels of 1 to 63 characters, got "")'],
  ['DNS name', 'dev.edge.frontendDomain', 'dev', '-dev.tiketi.com', 'dev.edge.frontendDomain: got "-dev.tiketi.com", expected a DNS name such as "tiketi.com" (no "-" at the start or end of a label, got "-dev")'],
  ['DNS name', 'prod.argocd.hostname', 'prod', 'argocd.tiketi.com.', 'prod.argocd.hostname: got "argocd.tiketi.com.", expected a DNS name such as "tiketi.com" (no trailing dot)'],
  ['DNS name', 'staging.observability.grafanaHostname', 'staging', 'grafana_staging.tiketi.com', `staging.observability.grafanaHostname: got "grafana_staging.tiketi.com", expected a DNS name such as "tiketi.com" (${DNS_LABELS}, got "grafana_staging")`],
  ['DNS name', 'dev.edge.apiDomain', 'dev', 'api.tiketi.123', 'dev.edge.apiDomain: got "api.tiketi.123", expected a DNS name such as "tiketi.com" (a top-level label that is not all digits (not an IP address))'],
  ['https origin', 'prod.edge.paymentOrigins', 'prod', ['https://*.tosspayments.com'], `prod.edge.paymentOrigins[0]: got "https://*.tosspayments.com", expected an https origin such as "https://js.tosspayments.com" (a host that is a DNS name: ${DNS_LABELS}, got "*")`],
  ['https URL', 'prod.argocd.charts.argoCd.repository', 'prod', 'http://argoproj.github.io/argo-helm', 'prod.argocd.charts.argoCd.repository: got "http://argoproj.github.io/argo-helm", expected an https:// URL such as "https://charts.example.com/stable" ("https://", a host and an optional path of letters, digits, ".", "_", "~" and "-"; no query, port or credentials)'],
  ['S3 bucket name', 'dev.edge.bucketSuffix', 'dev', 's3alias', 'dev.edge.bucketSuffix: got "s3alias", which makes the bucket name "tiketi-frontend-dev-s3alias"; S3 requires no reserved suffix "-s3alias"'],
  // The frontend bucket fits in 63 characters; its access-log bucket (`-logs`) does not.
  ['S3 bucket name', 'staging.edge.bucketSuffix', 'staging', 'x'.repeat(39), `staging.edge.bucketSuffix: got "${'x'.repeat(39)}", which makes the bucket name "tiketi-frontend-staging-${'x'.repeat(39)}-logs"; S3 requires 3 to 63 characters (got 68)`],
  ['instance type', 'dev.cluster.nodeGroup.instanceTypes', 'dev', ['t3-medium'], `dev.cluster.nodeGroup.instanceTypes[0]: got "t3-medium", expected an EC2 instance type (${INSTANCE('', 't3.medium')})`],
  ['instance type', 'prod.data.postgres.instanceClass', 'prod', 'db.r6g', `prod.data.postgres.instanceClass: got "db.r6g", expected an RDS instance class (${INSTANCE('db.', 'db.t4g.medium')})`],
  ['instance type', 'prod.data.redis.nodeType', 'prod', 'cache.r7g.huge', `prod.data.redis.nodeType: got "cache.r7g.huge", expected an ElastiCache node type (${INSTANCE('cache.', 'cache.t4g.small')})`],
  ['cross-field', 'staging.cluster.nodeGroup', 'staging', { instanceTypes: ['t3.medium'], minSize: 5, desiredSize: 4, maxSize: 4, diskSizeGb: 50 }, 'staging.cluster.nodeGroup.minSize: got 5, expected at most staging.cluster.nodeGroup.maxSize (4)'],
  ['cross-field', 'prod.cluster.nodeGroup.desiredSize', 'prod', 11, 'prod.cluster.nodeGroup.desiredSize: got 11, expected at most prod.cluster.nodeGroup.maxSize (10)'],
  ['cross-field', 'prod.argocd.githubOrganization', 'prod', 'tiketi-', 'prod.argocd.githubOrganization: got "tiketi-", expected a GitHub owner or organization login (1-39 letters, digits and single hyphens, not starting or ending with "-")'],
  ['IAM role ARN', 'prod.cluster.adminRoles', 'prod', [SSO_ROLE], `prod.cluster.adminRoles[0]: got "${SSO_ROLE}", expected ${ROLE} (the name after the last "/" is 1-64 of letters, digits and +=,.@_-)`],
  ['IAM role ARN', 'dev.cluster.readOnlyRoles', 'dev', ['arn:aws:sts::123456789012:assumed-role/tiketi-developer/me'], `dev.cluster.readOnlyRoles[0]: got "arn:aws:sts::123456789012:assumed-role/tiketi-developer/me", expected ${ROLE} (a role ARN, not an STS assumed-role (session) ARN)`],
  ['IAM role ARN (account id)', 'staging.cluster.adminRoles', 'staging', ['arn:aws:iam::1234567890123:role/tiketi-platform-admin'], `staging.cluster.adminRoles[0]: got "arn:aws:iam::1234567890123:role/tiketi-platform-admin", expected ${ROLE} (a 12-digit account ID, got "1234567890123")`],
  ['CIDR', 'prod.cluster.publicAccessCidrs', 'prod', ['203.0.113.7/24'], 'prod.cluster.publicAccessCidrs[0]: got "203.0.113.7/24", expected an IPv4 CIDR such as "10.0.0.0/16" (host bits zero: the /24 block holding that address is "203.0.113.0/24")'],
  ['CIDR', 'dev.network.vpcCidr', 'dev', '010.0.0.0/16', `dev.network.vpcCidr: got "010.0.0.0/16", expected an IPv4 CIDR such as "10.0.0.0/16" (${CIDR_SYNTAX})`],
  ['CIDR', 'prod.argocd.inboundCidrs', 'prod', ['192.30.252.0/33'], `prod.argocd.inboundCidrs[0]: got "192.30.252.0/33", expected an IPv4 CIDR such as "10.0.0.0/16" (${CIDR_SYNTAX})`],
  ['Git branch', 'prod.gitops.branch', 'prod', 'release/v1.lock', 'prod.gitops.branch: got "release/v1.lock", expected a Git branch name (no "/"-separated part ending with ".lock", got "v1.lock")'],
  ['Git branch', 'staging.gitops.branch', 'staging', 'hotfix..1', 'staging.gitops.branch: got "hotfix..1", expected a Git branch name (no "..")'],
  ['Git branch', 'dev.gitops.branch', 'dev', 'feature/.wip', 'dev.gitops.branch: got "feature/.wip", expected a Git branch name (no "/"-separated part starting with ".", got ".wip")'],
  ['Git branch', 'dev.gitops.branch', 'dev', '-develop', 'dev.gitops.branch: got "-develop", expected a Git branch name (not starting with "-")'],
  ['Git branch', 'prod.gitops.branch', 'prod', 'main@{1}', 'prod.gitops.branch: got "main@{1}", expected a Git branch name (no "@{")'],
  ['Kubernetes namespace', 'staging.gitops.namespace', 'staging', 'tiketi_staging', 'staging.gitops.namespace: got "tiketi_staging", expected a Kubernetes namespace (a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit)'],
  ['Kubernetes name', 'prod.argocd.repositorySecretName', 'prod', 'gitops..repo', 'prod.argocd.repositorySecretName: got "gitops..repo", expected a Kubernetes object name (a DNS-1123 subdomain: lower-case letters, digits, "-" and ".", each "."-separated part starting and ending with a letter or digit)'],
  ['Helm chart name', 'dev.argocd.charts.externalDns.chart', 'dev', 'External_DNS', 'dev.argocd.charts.externalDns.chart: got "External_DNS", expected a Helm chart name (lower-case letters and digits, words separated by single "-")'],
  ['version', 'prod.argocd.charts.sealedSecrets.version', 'prod', '2.07.1', `prod.argocd.charts.sealedSecrets.version: got "2.07.1", expected an exact version "major.minor.patch" (${VERSION})`],
  ['version', 'staging.cluster.addonVersions.coredns', 'staging', 'v1.13.2', 'staging.cluster.addonVersions["coredns"]: got "v1.13.2", expected an EKS add-on version "v<major>.<minor>.<patch>-eksbuild.<n>" (one AWS publishes for the Kubernetes version (aws eks describe-addon-versions), e.g. "v1.22.3-eksbuild.1")'],
  ['image', 'prod.observability.fluentBitImage', 'prod', 'cr.fluentbit.io/fluent/fluent-bit:v5.1.1', 'prod.observability.fluentBitImage: got "cr.fluentbit.io/fluent/fluent-bit:v5.1.1", expected an image with an exact x.y.z tag, e.g. "cr.fluentbit.io/fluent/fluent-bit:5.1.1" (an exact tag "major.minor.patch" (no "latest", no range), got "v5.1.1")'],
  ['email', 'prod.observability.alarmEmails', 'prod', ['.ops@tiketi.com'], 'prod.observability.alarmEmails[0]: got ".ops@tiketi.com", expected an e-mail address such as "alerts@tiketi.com" (a local part of letters, digits and !#$%&\'*+/=?^_`{|}~- in "."-separated words (no leading, trailing or double "."), got ".ops")'],
  ['email', 'dev.observability.alarmEmails', 'dev', ['ops@tiketi_com'], `dev.observability.alarmEmails[0]: got "ops@tiketi_com", expected an e-mail address such as "alerts@tiketi.com" (a domain that is a DNS name: two or more labels, e.g. "tiketi.com")`],
  ['Slack channel', 'prod.argocd.notificationChannel', 'prod', 'deploys.prod', 'prod.argocd.notificationChannel: got "deploys.prod", expected a Slack channel name without "#" (at most 80 lower-case letters, digits, "-" and "_")'],
  ['Secrets Manager name', 'dev.argocd.secrets.slackToken', 'dev', 'tiketi/dev/argocd/slack token', 'dev.argocd.secrets.slackToken: got "tiketi/dev/argocd/slack token", expected a Secrets Manager secret name (1-512 of letters, digits and /_+=.@-)'],
  ['GitHub login', 'registry.github.owner', 'dev', 'tiketi--org', 'registry.github.owner: got "tiketi--org", expected a GitHub owner or organization login (1-39 letters, digits and single hyphens, not starting or ending with "-")'],
  ['service name', 'registry.services', 'dev', ['backend', 'Auth-Service'], 'registry.services[1]: got "Auth-Service", expected a service name such as "auth-service" (a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit)'],
];

describe('bad settings: refused with the exact message, nothing written', () => {
  test.each(SETTINGS)('%s: %s (TIKETI_ENV=%s) = %j', (_kind, field, env, value, problem) => {
    const settings = withSetting(field, value);
    expect(synth({ TIKETI_ENV: env }, settings)).toEqual({ message: refused(problem), wrote: false });
  });
});

// ---- Environment variables --------------------------------------------------------------------------

const KEY = 'arn:aws:kms:ap-northeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const S3 = { TIKETI_BACKEND: 's3', TIKETI_STATE_BUCKET: 'acme-tf-state', TIKETI_STATE_KMS_KEY_ID: KEY };
const KMS_HINT = "the bootstrap stack's state key; get it with `npx cdktf output bootstrap` (state_kms_key_arn)";

/** [variable, variables set, the exact error]. */
const VARIABLES: ReadonlyArray<[string, NodeJS.ProcessEnv, string]> = [
  ['TIKETI_ENV', { TIKETI_ENV: 'qa' }, refused('TIKETI_ENV: got "qa", expected one of dev, staging, prod')],
  ['TIKETI_ENV', { TIKETI_ENV: 'Prod' }, refused('TIKETI_ENV: got "Prod", expected one of dev, staging, prod')],
  ['TIKETI_BACKEND', { TIKETI_BACKEND: 'S3' }, refused('TIKETI_BACKEND: got "S3", expected one of local, s3, cloud')],
  ['TIKETI_BACKEND', { TIKETI_BACKEND: 's3' }, refused('TIKETI_STATE_BUCKET: required when TIKETI_BACKEND=s3 (an S3 bucket name)', `TIKETI_STATE_KMS_KEY_ID: required when TIKETI_BACKEND=s3 (a KMS key ARN or alias ARN; ${KMS_HINT})`)],
  ['TIKETI_STATE_BUCKET', { ...S3, TIKETI_STATE_BUCKET: 'Tiketi_State' }, refused('TIKETI_STATE_BUCKET: got "Tiketi_State", expected an S3 bucket name (only lower-case letters, digits, dots and hyphens)')],
  ['TIKETI_STATE_BUCKET', { ...S3, TIKETI_STATE_BUCKET: 'amzn-s3-demo-state' }, refused('TIKETI_STATE_BUCKET: got "amzn-s3-demo-state", expected an S3 bucket name (no reserved prefix "amzn-s3-demo-")')],
  ['TIKETI_STATE_BUCKET', { ...S3, TIKETI_STATE_BUCKET: 'tiketi-state--x-s3' }, refused('TIKETI_STATE_BUCKET: got "tiketi-state--x-s3", expected an S3 bucket name (no reserved suffix "--x-s3")')],
  ['TIKETI_STATE_BUCKET (local backend: the bootstrap bucket)', { TIKETI_STATE_BUCKET: '192.168.10.1' }, refused('TIKETI_STATE_BUCKET: got "192.168.10.1", expected an S3 bucket name (a name that is not shaped like an IP address)')],
  ['TIKETI_STATE_REGION', { ...S3, TIKETI_STATE_REGION: 'ap-northeast-2a' }, refused(`TIKETI_STATE_REGION: got "ap-northeast-2a", expected an AWS region such as "ap-northeast-2" (${REGION_RULE})`)],
  ['TIKETI_STATE_KMS_KEY_ID', { ...S3, TIKETI_STATE_KMS_KEY_ID: 'arn:aws:kms:ap-northeast-2:123456789012:alias/aws/s3' }, refused(`TIKETI_STATE_KMS_KEY_ID: got "arn:aws:kms:ap-northeast-2:123456789012:alias/aws/s3", expected a KMS key ARN or alias ARN (an alias outside "alias/aws/", which AWS reserves for its managed keys); ${KMS_HINT}`)],
  ['TIKETI_STATE_KMS_KEY_ID', { ...S3, TIKETI_STATE_KMS_KEY_ID: KEY.toUpperCase().replace('ARN:AWS:KMS:AP-NORTHEAST-2', 'arn:aws:kms:ap-northeast-2').replace(':KEY/', ':key/') }, refused(`TIKETI_STATE_KMS_KEY_ID: got "arn:aws:kms:ap-northeast-2:123456789012:key/1234ABCD-12AB-34CD-56EF-1234567890AB", expected a KMS key ARN or alias ARN (a key ID that is a lower-case UUID or "mrk-" + 32 hex digits, got "1234ABCD-12AB-34CD-56EF-1234567890AB"); ${KMS_HINT}`)],
  ['TIKETI_STATE_KMS_KEY_ID (region)', { ...S3, TIKETI_STATE_REGION: 'us-east-1' }, refused(`TIKETI_STATE_KMS_KEY_ID: got "${KEY}", expected a key in the state bucket's region us-east-1 (TIKETI_STATE_REGION): S3 encrypts with a KMS key of the bucket's own region only`)],
  ['TIKETI_STATE_KMS_KEY_ID (account id)', { ...S3, TIKETI_STATE_KMS_KEY_ID: 'arn:aws:kms:ap-northeast-2:12345678901:alias/tiketi-terraform-state' }, refused(`TIKETI_STATE_KMS_KEY_ID: got "arn:aws:kms:ap-northeast-2:12345678901:alias/tiketi-terraform-state", expected a KMS key ARN or alias ARN (a 12-digit account ID, got "12345678901"); ${KMS_HINT}`)],
  ['TF_CLOUD_ORGANIZATION', { TIKETI_BACKEND: 'cloud', TF_CLOUD_ORGANIZATION: 'ab' }, refused('TF_CLOUD_ORGANIZATION: got "ab", expected a Terraform Cloud organization name (3-40 letters, digits, "-" and "_")')],
  ['TF_CLOUD_HOSTNAME', { TIKETI_BACKEND: 'cloud', TF_CLOUD_ORGANIZATION: 'tiketi', TF_CLOUD_HOSTNAME: 'app..terraform.io' }, refused('TF_CLOUD_HOSTNAME: got "app..terraform.io", expected a DNS name such as "tiketi.com" (labels of 1 to 63 characters, got "")')],
];

describe('bad environment variables: refused with the exact message, nothing written', () => {
  test.each(VARIABLES)('%s: %j', (_variable, vars, message) => {
    expect(synth(vars)).toEqual({ message, wrote: false });
  });
});

// ---- Command arguments ------------------------------------------------------------------------------

const SHA12_NOTE = '<sha12> = the first 12 lower-case hex digits of the commit the image was built from';

/** [command, arguments, exit code, first stderr line]. */
const ARGUMENTS: ReadonlyArray<[Command, readonly string[], number, string]> = [
  [setImage, ['prod', 'backend', 'rel-0123456789ab:latest'], 2, `set-image: malformed tag "rel-0123456789ab:latest": a tag is 1-128 letters, digits, "_", "." and "-", not starting with "." or "-"; prod accepts rel-<sha12> (${SHA12_NOTE})`],
  [setImage, ['prod', 'backend', 'dev-0123456789ab'], 1, `set-image: tag "dev-0123456789ab" does not follow the tag scheme for prod: prod accepts rel-<sha12> (${SHA12_NOTE})`],
  [setImage, ['qa', 'backend', 'rel-0123456789ab'], 2, 'set-image: <env>: got "qa", expected one of dev, staging, prod'],
  [setImage, ['prod', 'frontend', 'rel-0123456789ab'], 2, 'set-image: <service>: got "frontend", expected one of backend, auth-service, ticket-service, payment-service, stats-service'],
  [setImage, ['prod', 'backend'], 2, 'set-image: expected 3 arguments (<env> <service> <tag>), got 2'],
  [setImage, ['prod', 'backend', 'rel-0123456789ab', '--force'], 2, "set-image: Unknown option '--force'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--force\""],
  [promote, ['prod', 'dev'], 2, 'promote: cannot promote prod -> dev: promotion goes dev -> staging -> prod, so prod promotes nowhere (it is the last)'],
  [promote, ['dev', 'staging', 'backend', 'backend'], 2, 'promote: service backend named twice'],
  [promote, ['develop', 'staging'], 2, 'promote: <from-env>: got "develop", expected one of dev, staging, prod'],
  [seal, ['prod', 'Tiketi_Secrets', 'A=b'], 2, 'seal: <secret-name>: got "Tiketi_Secrets", expected a Kubernetes object name (a DNS-1123 subdomain: lower-case letters, digits, "-" and ".", each "."-separated part starting and ending with a letter or digit)'],
  [seal, ['prod', 'tiketi-secrets', '..data=x'], 2, 'seal: argument: key "..data" is not a Secret key (not ".", ".." or starting with "..")'],
  [seal, ['prod', 'tiketi-secrets', '--namespace', 'kube-system', 'A=b'], 2, 'seal: --namespace "kube-system": expected tiketi-prod or monitoring'],
  [seal, ['prod', 'tiketi-secrets', 'A='], 2, 'seal: key A has an empty value (argument)'],
  [seal, ['prod', 'tiketi-secrets', '--namespace', 'Monitoring', 'A=b'], 2, 'seal: --namespace: got "Monitoring", expected a Kubernetes namespace (a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit)'],
  [stacks, ['qa'], 2, 'stacks: <env>: got "qa", expected one of dev, staging, prod'],
  [stacks, ['dev', '--out', 'nowhere'], 1, 'stacks: nowhere/manifest.json does not exist: run npm run synth first'],
  [stacks, ['dev', '--out', 'prod.out'], 1, 'stacks: prod.out holds the synth of prod (prod.out/tiketi-environment.json), not of dev: run TIKETI_ENV=dev npm run synth -- --output prod.out'],
  [teardownCommand(fakeRunner()), ['--env', 'prod', '--yes'], 1, 'teardown: prod keeps its data (data.postgres.disposable / data.redis.disposable are false): teardown destroys data, so it runs only for a disposable environment such as dev'],
  [teardownCommand(fakeRunner()), ['--env', 'dev', '--env', 'prod', '--dry-run'], 2, 'teardown: --env given twice (--env "dev", then --env "prod"): give it once'],
  [teardownCommand(fakeRunner()), ['--env', 'dev'], 2, 'teardown: teardown destroys every stack of dev: add --yes to run it, or --dry-run to see the steps'],
  [sealingKeyCommand({ store: () => fakeStore({}) }), ['--env', 'qa'], 2, 'sealing-key: --env: got "qa", expected one of dev, staging, prod'],
  [sealingKeyCommand({ store: () => fakeStore({}) }), ['--env', 'dev', 'extra'], 2, 'sealing-key: unexpected argument "extra"'],
  [sealingKeyCommand({ store: () => fakeStore({}) }), [], 2, 'sealing-key: missing --env: expected one of dev, staging, prod'],
  [apiTunnelCommand(fakeRunner()), ['--env', 'staging', '--port', '80'], 2, 'api-tunnel: --port: got "80", expected an integer from 1024 to 65535'],
  [apiTunnelCommand(fakeRunner()), ['--env', 'staging', '--log', 'tunnel.log'], 2, 'api-tunnel: --log goes with --background (in the foreground the session writes to the terminal)'],
  [planSummary, ['dev', '--plans', 'plans'], 2, 'plan-summary: --plans DIR and --out FILE are required'],
  [costCommand, ['--env', 'qa'], 2, 'cost: --env: got "qa", expected one of dev, staging, prod, all'],
  [policyCommand(), ['--env', 'qa'], 2, 'policy: --env: got "qa", expected one of dev, staging, prod'],
  [graphCommand, ['docs'], 2, 'graph: unexpected argument "docs"; this command takes only --check'],
];

describe('bad command arguments: refused with the exact message, nothing written', () => {
  let project: TempProject;
  let before: Map<string, string>;
  beforeAll(() => {
    project = tempProject();
    // A synth output of prod, marked as main.ts marks it, for `stacks dev --out prod.out`.
    project.write('prod.out/manifest.json', '{"stacks":{}}\n');
    project.write('prod.out/tiketi-environment.json', '{"environment":"prod","backend":"local","stacks":[]}\n');
    before = project.snapshot();
  });
  afterAll(() => project.remove());

  test.each(ARGUMENTS.map(([command, argv, code, message]) => [command.name, argv.join(' '), command, argv, code, message] as const))(
    'npm run %s -- %s',
    async (_name, _shown, command, argv, code, message) => {
      const result = await run(command, project.root, argv);
      expect({ code: result.code, first: result.stderr[0], stdout: result.stdout }).toEqual({ code, first: message, stdout: [] });
      expect(project.snapshot()).toEqual(before);
    },
  );
});

test('the catalogue holds at least 40 cases across the three kinds', () => {
  expect({ settings: SETTINGS.length >= 30, variables: VARIABLES.length >= 10, arguments: ARGUMENTS.length >= 15 }).toEqual({ settings: true, variables: true, arguments: true });
});
