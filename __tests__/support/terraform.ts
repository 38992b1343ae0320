import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EnvironmentName } from '../../config/settings';
import { TerraformJson, synthApp } from './synth';

/**
 * Real `terraform` runs over synthesized stacks, offline: providers come only from the filesystem
 * mirror named by `TIKETI_TF_PROVIDER_MIRROR` (a directory holding `registry.terraform.io/...`).
 * Without terraform or the mirror these tests skip loudly; `TIKETI_REQUIRE_TERRAFORM=1` (set by
 * `.ci/run` when both exist) turns a skip into a failure.
 */

interface Toolchain {
  readonly available: boolean;
  readonly reason: string;
  readonly env: NodeJS.ProcessEnv;
}

let toolchain: Toolchain | undefined;

function detect(): Toolchain {
  const mirror = process.env.TIKETI_TF_PROVIDER_MIRROR;
  const unavailable = (reason: string): Toolchain => ({ available: false, reason, env: process.env });
  try {
    execFileSync('terraform', ['version'], { stdio: 'pipe', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  } catch {
    return unavailable('terraform is not on PATH');
  }
  if (!mirror) return unavailable('TIKETI_TF_PROVIDER_MIRROR is not set (the offline provider mirror directory)');
  if (!fs.existsSync(path.join(mirror, 'registry.terraform.io', 'hashicorp', 'aws'))) {
    return unavailable(`TIKETI_TF_PROVIDER_MIRROR=${mirror} holds no registry.terraform.io/hashicorp/aws`);
  }
  const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiketi-tfcli-'));
  const cliConfig = path.join(configDir, 'terraform.rc');
  // Only the mirror: a provider missing from it fails instead of reaching for the network.
  fs.writeFileSync(cliConfig, `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n  }\n}\n`);
  return {
    available: true,
    reason: '',
    env: {
      ...process.env,
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
  };
}

export function terraformToolchain(): Toolchain {
  toolchain ??= detect();
  return toolchain;
}

/**
 * `describe` for tests that run terraform. Skips loudly without the toolchain, and fails instead when
 * `TIKETI_REQUIRE_TERRAFORM=1`.
 */
export function describeWithTerraform(name: string, body: () => void): void {
  const tools = terraformToolchain();
  if (tools.available) {
    describe(name, body);
  } else if (process.env.TIKETI_REQUIRE_TERRAFORM === '1') {
    describe(name, () => {
      test('terraform toolchain is required here', () => {
        throw new Error(`TIKETI_REQUIRE_TERRAFORM=1 but ${tools.reason}`);
      });
    });
  } else {
    console.warn(`\n*** SKIPPED terraform tests "${name}": ${tools.reason} ***\n`);
    describe.skip(name, body);
  }
}

function run(args: string[], cwd: string): string {
  try {
    return execFileSync('terraform', args, { cwd, env: terraformToolchain().env, encoding: 'utf8', stdio: 'pipe', maxBuffer: 64 * 1024 * 1024 });
  } catch (error: any) {
    throw new Error(`terraform ${args.join(' ')} failed in ${cwd}:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
  }
}

/**
 * Copies a synthesized stack into a fresh directory and runs `terraform init -backend=false` there.
 * The backend block stays in the JSON (validate checks it); init just does not configure it.
 */
export function initWorkdir(json: TerraformJson, label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tiketi-tf-${label}-`));
  fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(json, null, 2));
  run(['init', '-backend=false', '-no-color'], dir);
  return dir;
}

/** `terraform validate -json`; returns the parsed result (throws with diagnostics when invalid). */
export function validateWorkdir(dir: string): { valid: boolean; error_count: number; warning_count: number; diagnostics: any[] } {
  let output: string;
  try {
    output = execFileSync('terraform', ['validate', '-json', '-no-color'], { cwd: dir, env: terraformToolchain().env, encoding: 'utf8', stdio: 'pipe' });
  } catch (error: any) {
    output = error.stdout ?? '';
  }
  const result = JSON.parse(output);
  if (!result.valid) throw new Error(`terraform validate failed in ${dir}:\n${JSON.stringify(result.diagnostics, null, 2)}`);
  return result;
}

/**
 * Writes `tests/<name>.tftest.hcl` and runs `terraform test`; returns its output. Throws unless every run
 * passed. Terraform 1.11 destroys what a test applied; resources with `prevent_destroy` refuse that, which
 * is the protection working, not a failure: such teardown errors are accepted (and only those), and
 * `preventedDestroys(output)` lists the refusing addresses so a test can assert exactly which they are.
 */
export function terraformTest(dir: string, name: string, hcl: string): string {
  fs.mkdirSync(path.join(dir, 'tests'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'tests', `${name}.tftest.hcl`), hcl);
  const args = ['test', '-no-color', `-filter=tests/${name}.tftest.hcl`];
  let output: string;
  let exitedCleanly = true;
  try {
    output = execFileSync('terraform', args, { cwd: dir, env: terraformToolchain().env, encoding: 'utf8', stdio: 'pipe', maxBuffer: 64 * 1024 * 1024 });
  } catch (error: any) {
    output = `${error.stdout ?? ''}\n${error.stderr ?? ''}`;
    exitedCleanly = false;
  }
  const summary = /(Success|Failure)! (\d+) passed, (\d+) failed/.exec(output);
  const allRunsPassed = summary !== null && Number(summary[2]) > 0 && summary[3] === '0';
  const errors = [...output.matchAll(/^\s*Error: (.+)$/gm)].map((m) => m[1]);
  const onlyDestroyRefused = errors.length > 0 && errors.every((e) => e === 'Instance cannot be destroyed');
  if (!allRunsPassed || (!exitedCleanly && !onlyDestroyRefused)) {
    throw new Error(`terraform ${args.join(' ')} did not pass in ${dir}:\n${output}`);
  }
  return output;
}

/** Addresses whose `prevent_destroy` stopped the test's teardown, sorted. */
export function preventedDestroys(output: string): string[] {
  return [...new Set([...output.matchAll(/Resource\s+(\S+)\s+has\s+lifecycle\.prevent_destroy/g)].map((m) => m[1]))].sort();
}

/** HCL/JSON literal for a value (HCL accepts JSON-style object and list syntax). */
export function hcl(value: unknown): string {
  return JSON.stringify(value);
}

/**
 * `override_data` blocks for every `terraform_remote_state` in the stack, whose `outputs` hold every
 * `cross-stack-output-*` key the stack references. `valueFor` gives each key a realistic value; the
 * default derives one from the key's name (ARN-shaped for `arn`, a list for `ids`, and so on).
 */
export function remoteStateOverrides(json: TerraformJson, valueFor: (key: string) => unknown = mockOutputValue): string {
  const text = JSON.stringify(json);
  const blocks: string[] = [];
  for (const name of Object.keys(json.data?.terraform_remote_state ?? {})) {
    const pattern = new RegExp(`data\\.terraform_remote_state\\.${name}\\.outputs\\.([A-Za-z0-9_.-]+)`, 'g');
    const keys = [...new Set([...text.matchAll(pattern)].map((m) => m[1]))].sort();
    const outputs = Object.fromEntries(keys.map((key) => [key, valueFor(key)]));
    blocks.push(`override_data {\n  target = data.terraform_remote_state.${name}\n  values = {\n    outputs = ${hcl(outputs)}\n  }\n}`);
  }
  return blocks.join('\n\n');
}

const ACCOUNT = '123456789012';

/** A plausible value for a cross-stack output, judged from its key (e.g. `cross-stack-output-aws_vpcvpc_VpcAbc.id`). */
export function mockOutputValue(key: string): unknown {
  const attribute = key.split('.').pop() ?? key;
  const slug = key.replace(/[^A-Za-z0-9]/g, '').slice(-20).toLowerCase();
  if (/(^|_)arn$/.test(attribute)) return `arn:aws:iam::${ACCOUNT}:role/mock-${slug}`;
  if (/_ids$|^ids$/.test(attribute)) return [`mock-${slug}-a`, `mock-${slug}-b`];
  if (/cidr/.test(attribute)) return '10.0.0.0/16';
  if (/port$/.test(attribute)) return 5432;
  if (/endpoint|address|dns_name|domain/.test(attribute)) return `${slug}.mock.ap-northeast-2.amazonaws.com`;
  return `mock-${slug}`;
}

/**
 * Computed values the mocked provider returns for resources whose ARNs other resources validate.
 * Without them the mock invents random strings, which the provider rejects as ARNs.
 */
const MOCK_ARNS: Record<string, string> = {
  aws_iam_role: `arn:aws:iam::${ACCOUNT}:role/mock`,
  aws_iam_policy: `arn:aws:iam::${ACCOUNT}:policy/mock`,
  aws_iam_openid_connect_provider: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/MOCK`,
  aws_cloudwatch_log_group: `arn:aws:logs:ap-northeast-2:${ACCOUNT}:log-group:mock`,
  aws_kms_key: `arn:aws:kms:ap-northeast-2:${ACCOUNT}:key/00000000-0000-0000-0000-000000000000`,
  aws_s3_bucket: 'arn:aws:s3:::mock-bucket',
  aws_sns_topic: `arn:aws:sns:ap-northeast-2:${ACCOUNT}:mock`,
  aws_secretsmanager_secret: `arn:aws:secretsmanager:ap-northeast-2:${ACCOUNT}:secret:mock-AbCdEf`,
  aws_acm_certificate: `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/00000000-0000-0000-0000-000000000000`,
  aws_wafv2_web_acl: `arn:aws:wafv2:us-east-1:${ACCOUNT}:global/webacl/mock/00000000-0000-0000-0000-000000000000`,
  aws_cloudfront_distribution: `arn:aws:cloudfront::${ACCOUNT}:distribution/EMOCK`,
  aws_cloudfront_origin_access_control: `arn:aws:cloudfront::${ACCOUNT}:origin-access-control/EMOCK`,
  aws_eks_cluster: `arn:aws:eks:ap-northeast-2:${ACCOUNT}:cluster/mock`,
  aws_db_instance: `arn:aws:rds:ap-northeast-2:${ACCOUNT}:db:mock`,
  aws_elasticache_replication_group: `arn:aws:elasticache:ap-northeast-2:${ACCOUNT}:replicationgroup:mock`,
  aws_ecr_repository: `arn:aws:ecr:ap-northeast-2:${ACCOUNT}:repository/mock`,
  aws_route53_zone: 'arn:aws:route53:::hostedzone/ZMOCK',
  aws_security_group: `arn:aws:ec2:ap-northeast-2:${ACCOUNT}:security-group/sg-mock`,
};

/**
 * A `mock_provider "aws"` block (plus an aliased one per `aliases`) whose resources and data sources
 * return well-formed ARNs, account ID and region. `extra` is added inside each block.
 */
export function mockAwsProvider(options: { aliases?: string[]; extra?: string } = {}): string {
  const body = [
    ...Object.entries(MOCK_ARNS).map(([type, arn]) => `  mock_resource "${type}" {\n    defaults = { arn = ${hcl(arn)} }\n  }`),
    `  mock_data "aws_caller_identity" {\n    defaults = { account_id = "${ACCOUNT}", arn = "arn:aws:iam::${ACCOUNT}:user/mock", user_id = "MOCK" }\n  }`,
    `  mock_data "aws_region" {\n    defaults = { name = "ap-northeast-2" }\n  }`,
    `  mock_data "aws_partition" {\n    defaults = { partition = "aws", dns_suffix = "amazonaws.com" }\n  }`,
    options.extra ?? '',
  ].join('\n');
  const blocks = [`mock_provider "aws" {\n${body}\n}`];
  for (const alias of options.aliases ?? []) blocks.push(`mock_provider "aws" {\n  alias = "${alias}"\n${body}\n}`);
  return blocks.join('\n\n');
}

/** One stack of one environment, synthesized and initialized in its own terraform workdir. */
export interface StackWorkdir {
  readonly envName: EnvironmentName;
  /** The stack's synthesized JSON. */
  json(): TerraformJson;
  /** The initialized workdir (available inside tests). */
  dir(): string;
}

/**
 * The common frame of a stack's terraform tests: per environment, synthesize the whole app, init a
 * workdir once, check `terraform validate`, then run `body`'s tests (typically one `terraformTest`).
 */
export function describeStackWithTerraform(stackId: string, environments: readonly EnvironmentName[], body: (stack: StackWorkdir) => void): void {
  describeWithTerraform(`terraform: ${stackId} stack`, () => {
    describe.each([...environments])('%s', (envName) => {
      let dir: string;
      const json = () => synthApp(envName).json(stackId);
      beforeAll(() => {
        dir = initWorkdir(json(), `${stackId}-${envName}`);
      });

      test('terraform validate passes', () => {
        expect(validateWorkdir(dir).error_count).toBe(0);
      });

      body({ envName, json, dir: () => dir });
    });
  });
}
