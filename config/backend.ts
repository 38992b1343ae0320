import * as path from 'path';
import { SettingsError } from './validation/problems';
import { AWS_REGION, DNS_NAME, KMS_KEY_ARN, Rule, S3_BUCKET_NAME, kmsKeyRegion, ruleMessage } from './validation/rules';

/**
 * Where Terraform keeps each stack's state, chosen by environment variables (documented in the README):
 *
 * | TIKETI_BACKEND | needs | state of stack S in environment E |
 * |---|---|---|
 * | `local` (default) | nothing | `terraform.state/E/S.tfstate` under the project |
 * | `s3` | `TIKETI_STATE_BUCKET`, `TIKETI_STATE_KMS_KEY_ID` (+ optional `TIKETI_STATE_REGION`) | `s3://bucket/tiketi/E/S.tfstate`, SSE-KMS with the bootstrap key, `use_lockfile` |
 * | `cloud` | `TF_CLOUD_ORGANIZATION` (+ optional `TF_CLOUD_HOSTNAME`) | Terraform Cloud workspace `tiketi-E-S` |
 *
 * Credentials never come from here: the S3 backend uses the AWS credential chain, Terraform Cloud
 * its `TF_TOKEN_*` variable or `terraform login`.
 */
export type BackendSettings =
  | { readonly kind: 'local'; readonly stateDir: string }
  | {
      readonly kind: 's3';
      readonly bucket: string;
      readonly region: string;
      /**
       * The bootstrap stack's state key (key or alias ARN). Required: with `encrypt = true` and no key,
       * Terraform writes state with SSE-S3, overriding the bucket's SSE-KMS default.
       */
      readonly kmsKeyId: string;
    }
  | { readonly kind: 'cloud'; readonly organization: string; readonly hostname?: string };

export const BACKEND_KINDS = ['local', 's3', 'cloud'] as const;

/** Where the state key comes from, for the messages about it. */
const KMS_KEY_HINT = "the bootstrap stack's state key; get it with `npx cdktf output bootstrap` (state_kms_key_arn)";

/** Region of the state bucket when `TIKETI_STATE_REGION` is unset. */
export const DEFAULT_STATE_REGION = 'ap-northeast-2';

/** A Terraform Cloud organization name: letters, digits, "-" and "_". */
const TF_CLOUD_ORGANIZATION: Rule = {
  kind: 'a Terraform Cloud organization name',
  problem: (value) => (/^[A-Za-z0-9_-]{3,40}$/.test(value) ? undefined : '3-40 letters, digits, "-" and "_"'),
};

/**
 * `TIKETI_STATE_BUCKET`, checked whatever the backend: the bootstrap stack creates the bucket of that name
 * (local state), and the S3 backend stores every other stack's state in it. Undefined when unset.
 */
export function loadStateBucketName(vars: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = vars.TIKETI_STATE_BUCKET;
  if (value === undefined || value === '') return undefined;
  const message = ruleMessage('TIKETI_STATE_BUCKET', value, S3_BUCKET_NAME);
  if (message) throw new SettingsError([message]);
  return value;
}

/** Reads the backend settings from `vars` (normally `process.env`); a half-configured backend is an error. */
export function loadBackend(vars: NodeJS.ProcessEnv = process.env, projectDir: string = process.cwd()): BackendSettings {
  const kind = vars.TIKETI_BACKEND || 'local';
  const problems: string[] = [];
  const need = (name: string, rule: Rule, hint?: string): string => {
    const value = vars[name];
    const more = hint ? `; ${hint}` : '';
    if (value === undefined || value === '') problems.push(`${name}: required when TIKETI_BACKEND=${kind} (${rule.kind}${more})`);
    else {
      const message = ruleMessage(name, value, rule);
      if (message) problems.push(`${message}${more}`);
    }
    return value ?? '';
  };
  const optional = (name: string, rule: Rule): string | undefined => {
    const value = vars[name];
    if (value === undefined || value === '') return undefined;
    const message = ruleMessage(name, value, rule);
    if (message) problems.push(message);
    return value;
  };

  let backend: BackendSettings;
  switch (kind) {
    case 'local':
      backend = { kind, stateDir: path.join(projectDir, 'terraform.state') };
      break;
    case 's3':
      backend = {
        kind,
        bucket: need('TIKETI_STATE_BUCKET', S3_BUCKET_NAME),
        region: optional('TIKETI_STATE_REGION', AWS_REGION) ?? DEFAULT_STATE_REGION,
        kmsKeyId: need('TIKETI_STATE_KMS_KEY_ID', KMS_KEY_ARN, KMS_KEY_HINT),
      };
      // SSE-KMS takes a key of the bucket's own region only: a key elsewhere fails the first state write.
      if (!problems.some((p) => p.startsWith('TIKETI_STATE_KMS_KEY_ID:') || p.startsWith('TIKETI_STATE_REGION:')) && kmsKeyRegion(backend.kmsKeyId) !== backend.region) {
        problems.push(
          `TIKETI_STATE_KMS_KEY_ID: got ${JSON.stringify(backend.kmsKeyId)}, expected a key in the state bucket's region ${backend.region} ` +
            `(TIKETI_STATE_REGION${vars.TIKETI_STATE_REGION ? '' : ', default'}): S3 encrypts with a KMS key of the bucket's own region only`,
        );
      }
      break;
    case 'cloud':
      backend = {
        kind,
        organization: need('TF_CLOUD_ORGANIZATION', TF_CLOUD_ORGANIZATION),
        hostname: optional('TF_CLOUD_HOSTNAME', DNS_NAME),
      };
      break;
    default:
      throw new SettingsError([`TIKETI_BACKEND: got ${JSON.stringify(kind)}, expected one of ${BACKEND_KINDS.join(', ')}`]);
  }
  if (problems.length > 0) throw new SettingsError(problems);
  return backend;
}
