/**
 * The project's own rules (`Tiketi.n`): what the platform promises beyond Security Hub. Nothing secret
 * is written into the configuration; stateful resources (and the keys that encrypt them) survive a
 * routine change outside dev; every Helm chart is pinned; every log group expires and is encrypted;
 * every role CI can create is bounded; state is encrypted with the platform's key; instance metadata
 * (and the instance role's credentials) stays on the instance.
 */
import { blocks, isFalse, isTrue } from '../document';
import { literalSecretsOfElement } from '../literal-secrets';
import { Element, Rule, notApplicable, outsideDev } from '../types';

/** The resources whose loss loses data (or makes data unreadable, for keys). */
export const STATEFUL_TYPES = ['aws_db_instance', 'aws_elasticache_replication_group', 'aws_s3_bucket', 'aws_ecr_repository', 'aws_route53_zone', 'aws_kms_key', 'aws_secretsmanager_secret'];

/** The permissions boundary every role CI creates must carry (issue 9 item 4). */
export const BOUNDARY_POLICY_NAME = 'tiketi-boundary';

/** An exact SemVer 2 version (an optional leading `v`, as Helm accepts): no range, wildcard or empty string. */
const EXACT_SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

/** Why a stateful resource could still be destroyed or emptied by its own settings, per type. */
function engineGuardGaps(element: Element, versioned: boolean): string[] {
  const c = element.config;
  const gaps: string[] = [];
  switch (element.type) {
    case 'aws_db_instance':
      if (!isTrue(c.deletion_protection)) gaps.push('deletion_protection is not true');
      if (isTrue(c.skip_final_snapshot) || !c.final_snapshot_identifier) gaps.push('no final snapshot (skip_final_snapshot, or final_snapshot_identifier unset)');
      if (!isFalse(c.delete_automated_backups)) gaps.push('delete_automated_backups is not false (the default deletes them with the instance)');
      break;
    case 'aws_elasticache_replication_group':
      if (!c.final_snapshot_identifier) gaps.push('final_snapshot_identifier is unset');
      break;
    case 'aws_s3_bucket':
      if (isTrue(c.force_destroy)) gaps.push('force_destroy is true');
      if (!versioned) gaps.push('versioning is not Enabled');
      break;
    case 'aws_ecr_repository':
      if (isTrue(c.force_delete)) gaps.push('force_delete is true');
      break;
    case 'aws_route53_zone':
      if (isTrue(c.force_destroy)) gaps.push('force_destroy is true');
      break;
    case 'aws_kms_key':
      if (Number(c.deletion_window_in_days ?? 30) < 30) gaps.push(`deletion_window_in_days is ${c.deletion_window_in_days}, not the maximum 30`);
      break;
    case 'aws_secretsmanager_secret':
      if (c.recovery_window_in_days !== undefined && Number(c.recovery_window_in_days) < 7) gaps.push(`recovery_window_in_days is ${c.recovery_window_in_days} (0 deletes without recovery)`);
      break;
  }
  return gaps;
}

export const TIKETI_RULES: readonly Rule[] = [
  {
    control: 'Tiketi.1',
    source: 'Tiketi',
    title: 'No literal secrets in the configuration',
    checks:
      'no attribute of any resource, data source, ephemeral resource, provider, backend, output, variable or locals block holds a literal secret (a secret-looking key, a helm_release set_sensitive/set_wo value, Kubernetes Secret data, a SecureString parameter value) unless it is a reference, null or a boolean switch',
    targets: ['*'],
    environments: 'all',
    fix: 'let AWS generate and keep the secret (manage_master_user_password, an IAM-authenticated user), or reference it from Secrets Manager / a SealedSecret; never write it into code',
    evaluate(element) {
      const found = literalSecretsOfElement(element.type, element.config);
      return found.length > 0 ? `literal secret in ${found.join(', ')}` : undefined;
    },
  },
  {
    control: 'Tiketi.2',
    source: 'Tiketi',
    title: 'Stateful resources and their keys cannot be destroyed by a routine change',
    checks: `lifecycle.prevent_destroy is true on every ${STATEFUL_TYPES.join(', ')} outside dev (account-wide stacks included)`,
    targets: STATEFUL_TYPES,
    environments: 'staging, prod, account',
    fix: 'set lifecycle { prevent_destroy = true } (the modules do it from the settings\' disposable flag); a planned removal first removes the flag in its own reviewed change',
    appliesIn: outsideDev,
    evaluate: (element) => (isTrue(element.config.lifecycle?.prevent_destroy) ? undefined : 'lifecycle.prevent_destroy is not true: renaming the construct or removing the code would destroy it'),
  },
  {
    control: 'Tiketi.3',
    source: 'Tiketi',
    title: 'Stateful resources keep their data when deleted',
    checks:
      'outside dev: RDS instances have deletion protection, a final snapshot and keep automated backups; replication groups take a final snapshot; buckets are versioned and not force_destroy; repositories not force_delete; zones not force_destroy; KMS keys wait the maximum 30 days; secrets keep a recovery window',
    targets: STATEFUL_TYPES,
    environments: 'staging, prod, account',
    fix: 'set the guard named in the finding (the modules set them when the settings say disposable = false)',
    appliesIn: outsideDev,
    evaluate(element, { doc }) {
      const versioned =
        element.type === 'aws_s3_bucket' &&
        doc.referencing('aws_s3_bucket_versioning', 'bucket', element, element.config.bucket).some((v) => blocks(v.config.versioning_configuration).some((c) => c.status === 'Enabled'));
      const gaps = engineGuardGaps(element, versioned);
      return gaps.length > 0 ? gaps.join('; ') : undefined;
    },
  },
  {
    control: 'Tiketi.4',
    source: 'Tiketi',
    title: 'Every Helm chart version is pinned',
    checks: 'every helm_release from a repository or OCI registry sets version to an exact SemVer version (no range, wildcard or latest); local charts (no repository) are pinned by the Git commit and not applicable',
    targets: ['helm_release'],
    environments: 'all',
    fix: 'set version to the exact chart version (e.g. "10.1.1"); upgrades are a reviewed one-line change',
    evaluate(release) {
      const chart = String(release.config.chart ?? '');
      if (release.config.repository === undefined && !chart.startsWith('oci://')) return notApplicable(`local chart ${JSON.stringify(chart)}: versioned with the repository`);
      const version = release.config.version;
      if (version === undefined || version === '') return 'version is unset: every plan may install a newer chart';
      return EXACT_SEMVER.test(String(version)) ? undefined : `version ${JSON.stringify(version)} is not an exact SemVer version`;
    },
  },
  {
    control: 'Tiketi.5',
    source: 'Tiketi',
    title: 'Every log group expires and is encrypted with a customer-managed key',
    checks: 'every aws_cloudwatch_log_group sets retention_in_days above 0 (unset or 0 keeps logs forever) and kms_key_id',
    targets: ['aws_cloudwatch_log_group'],
    environments: 'all',
    fix: 'set retention_in_days from the settings (*.logRetentionDays) and kms_key_id to a key whose policy lets CloudWatch Logs use it',
    evaluate(group) {
      const gaps: string[] = [];
      if (!(Number(group.config.retention_in_days ?? 0) > 0)) gaps.push(`retention_in_days is ${group.config.retention_in_days ?? 'unset'} (logs never expire)`);
      if (!group.config.kms_key_id) gaps.push('kms_key_id is unset (logs encrypted with a CloudWatch-owned key)');
      return gaps.length > 0 ? gaps.join('; ') : undefined;
    },
  },
  {
    control: 'Tiketi.6',
    source: 'Tiketi',
    title: 'Every IAM role CI can create carries the permissions boundary',
    checks: `every aws_iam_role of the per-environment stacks (applied by the CI apply role) sets permissions_boundary to the ${BOUNDARY_POLICY_NAME} policy (its ARN, or a reference to it); the account-wide stacks are applied by an administrator and not applicable`,
    targets: ['aws_iam_role'],
    environments: 'dev, staging, prod',
    fix: `set permissions_boundary = the ARN of the ${BOUNDARY_POLICY_NAME} policy on the role (issue 9 item 4)`,
    appliesIn: (scope) => (scope === 'account' ? 'account-wide stacks are applied by an administrator, not by CI' : undefined),
    evaluate(role, { doc }) {
      const boundary = role.config.permissions_boundary;
      if (boundary === undefined || boundary === '') return 'permissions_boundary is unset: the role can hold any policy CI attaches';
      const ref = doc.deref(boundary)?.element;
      const name = ref ? String(ref.config.name ?? ref.config.arn ?? '') : String(boundary);
      const named = ref ? name === BOUNDARY_POLICY_NAME || name.endsWith(`/${BOUNDARY_POLICY_NAME}`) : new RegExp(`:policy/(.+/)?${BOUNDARY_POLICY_NAME}$`).test(name);
      return named ? undefined : `permissions_boundary ${JSON.stringify(boundary)} is not the ${BOUNDARY_POLICY_NAME} policy`;
    },
  },
  {
    control: 'Tiketi.7',
    source: 'Tiketi',
    title: 'S3 state is encrypted with the platform key and locked',
    checks: 'an s3 backend sets encrypt = true, kms_key_id (without it Terraform writes state with SSE-S3, overriding the bucket\'s SSE-KMS default) and use_lockfile = true; local and cloud backends are not applicable',
    targets: ['backend:s3'],
    environments: 'all (with TIKETI_BACKEND=s3)',
    fix: 'set TIKETI_STATE_KMS_KEY_ID to the bootstrap key (alias/tiketi-terraform-state), or let config/backend.ts default to it (issue 9 item 6)',
    evaluate(backend) {
      const gaps: string[] = [];
      if (!isTrue(backend.config.encrypt)) gaps.push('encrypt is not true');
      if (!backend.config.kms_key_id) gaps.push('kms_key_id is unset (state is written with SSE-S3)');
      if (!isTrue(backend.config.use_lockfile)) gaps.push('use_lockfile is not true');
      return gaps.length > 0 ? gaps.join('; ') : undefined;
    },
  },
  {
    control: 'Tiketi.8',
    source: 'Tiketi',
    title: 'Instance metadata stays on the instance: IMDSv2 with a hop limit of 1',
    checks: 'every aws_instance and aws_launch_template sets metadata_options http_tokens = "required" and http_put_response_hop_limit = 1 (unset is the AMI default: AL2023 images set 2, which lets a container on the host take the instance role); EC2.8/EC2.170 check the tokens only, EKS-BP.1 only node group templates',
    targets: ['aws_instance', 'aws_launch_template'],
    environments: 'all',
    fix: 'set metadata_options { http_tokens = "required", http_put_response_hop_limit = 1 } (the EksNodeGroup and ApiAccessHost modules do)',
    evaluate(element) {
      const [metadata] = blocks(element.config.metadata_options);
      if (!metadata) return 'no metadata_options: the AMI default applies (AL2023: hop limit 2)';
      const gaps: string[] = [];
      if (metadata.http_tokens !== 'required') gaps.push(`http_tokens is ${JSON.stringify(metadata.http_tokens ?? 'unset')}, not "required"`);
      if (metadata.http_endpoint === 'disabled') return gaps.length > 0 ? gaps.join('; ') : undefined;
      if (Number(metadata.http_put_response_hop_limit) !== 1) gaps.push(`http_put_response_hop_limit is ${metadata.http_put_response_hop_limit ?? 'unset (the AMI default)'}, not 1: one more hop (a container) reaches the instance role`);
      return gaps.length > 0 ? gaps.join('; ') : undefined;
    },
  },
];
