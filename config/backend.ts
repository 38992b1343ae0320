import * as path from 'path';
import { SettingsError } from './validation/problems';

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

const S3_BUCKET_NAME = /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** A KMS key ARN or alias ARN: the S3 backend's `kms_key_id` takes an ARN. */
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key\/[0-9a-f-]{36}|key\/mrk-[0-9a-f]{32}|alias\/[A-Za-z0-9/_-]+)$/;
const AWS_REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/** Reads the backend settings from `vars` (normally `process.env`); a half-configured backend is an error. */
export function loadBackend(vars: NodeJS.ProcessEnv = process.env, projectDir: string = process.cwd()): BackendSettings {
  const kind = vars.TIKETI_BACKEND || 'local';
  const problems: string[] = [];
  const need = (name: string, pattern: RegExp, allowed: string): string => {
    const value = vars[name];
    if (value === undefined || value === '') problems.push(`${name}: required when TIKETI_BACKEND=${kind} (${allowed})`);
    else if (!pattern.test(value)) problems.push(`${name}: got ${JSON.stringify(value)}, expected ${allowed}`);
    return value ?? '';
  };
  const optional = (name: string, pattern: RegExp, allowed: string): string | undefined => {
    const value = vars[name];
    if (value === undefined || value === '') return undefined;
    if (!pattern.test(value)) problems.push(`${name}: got ${JSON.stringify(value)}, expected ${allowed}`);
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
        bucket: need('TIKETI_STATE_BUCKET', S3_BUCKET_NAME, 'an S3 bucket name: 3-63 lower-case letters, digits, dots and hyphens'),
        region: optional('TIKETI_STATE_REGION', AWS_REGION, 'an AWS region such as "ap-northeast-2"') ?? 'ap-northeast-2',
        kmsKeyId: need(
          'TIKETI_STATE_KMS_KEY_ID',
          KMS_KEY_ARN,
          'the ARN of the bootstrap stack\'s state key, "arn:aws:kms:<region>:<account>:key/<id>" or its alias ARN; get it with `npx cdktf output bootstrap` (state_kms_key_arn)',
        ),
      };
      break;
    case 'cloud':
      backend = {
        kind,
        organization: need('TF_CLOUD_ORGANIZATION', /^[A-Za-z0-9_-]{3,40}$/, 'a Terraform Cloud organization name (letters, digits, "-" and "_")'),
        hostname: optional('TF_CLOUD_HOSTNAME', /^[a-z0-9.-]+\.[a-z]{2,}$/, 'a host name such as "app.terraform.io"'),
      };
      break;
    default:
      throw new SettingsError([`TIKETI_BACKEND: got ${JSON.stringify(kind)}, expected one of ${BACKEND_KINDS.join(', ')}`]);
  }
  if (problems.length > 0) throw new SettingsError(problems);
  return backend;
}
