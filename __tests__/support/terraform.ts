import { execFileSync, spawnSync } from 'child_process';
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

/** The outcome of one test file of a batch (see `describeStackWithTerraform`). */
export interface TerraformTestResult {
  /**
   * The file's runs and diagnostics as text (`N passed, M failed`, then each diagnostic as `Error: summary` and
   * its detail). Throws, with that text, unless every run passed and the only errors are refused destroys.
   */
  output(): string;
}

/** One stack of one environment in the shared workdir of its batch. */
export interface StackWorkdir {
  readonly envName: EnvironmentName;
  /** The stack's synthesized JSON. */
  json(): TerraformJson;
  /**
   * Registers `tests/<name>-<env>.tftest.hcl`, whose every `run` block tests this stack. `hcl` is called once,
   * before the batch runs; read the result inside a test.
   */
  terraformTest(name: string, hcl: () => string): TerraformTestResult;
}

interface BatchFile {
  readonly file: string;
  readonly module: string;
  readonly hcl: () => string;
}

interface RunMessage {
  readonly type: string;
  readonly '@testfile'?: string;
  readonly '@testrun'?: string;
  readonly '@message'?: string;
  readonly test_run?: { status?: string; progress?: string };
  readonly diagnostic?: { severity: string; summary: string; detail?: string; range?: { filename?: string } };
}

/**
 * Why batches: every terraform process loads the AWS provider's schema (about 1 s of terraform's CPU and 1 s of
 * the provider's before any work), so one `terraform test` over every environment's file replaces three, and
 * one `terraform validate` over every environment's provider blocks replaces three full validates. What
 * `terraform test` does in each run block anyway (it validates the stack's whole configuration with the real
 * provider's schema and validators before planning: see NodeTestRun.testValidate in Terraform 1.11) is not
 * repeated; the one thing it does not validate is the stack's own `provider` blocks, which the test file's
 * `mock_provider` replaces, so those are what `terraform validate` checks here.
 */
export class TerraformBatch {
  private readonly modules = new Map<string, () => TerraformJson>();
  private readonly files: BatchFile[] = [];
  private dir: string | undefined;
  private messages: RunMessage[] | undefined;
  private validation: { diagnostics?: any[] } | undefined;
  private failure: Error | undefined;

  constructor(private readonly label: string) {}

  module(name: string, json: () => TerraformJson): void {
    this.modules.set(name, json);
  }

  file(name: string, module: string, hcl: () => string): string {
    const file = `tests/${name}.tftest.hcl`;
    if (this.files.some((f) => f.file === file)) throw new Error(`two terraform test files named ${file}`);
    this.files.push({ file, module, hcl });
    return file;
  }

  /** Writes the workdir, runs `terraform init`, `validate -json` and `test -json` once. */
  run(): void {
    if (this.dir) return;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tiketi-tf-${this.label}-`));
    this.dir = dir;
    try {
      const root: Record<string, unknown> = {};
      for (const [name, json] of this.modules) {
        const doc = json();
        fs.mkdirSync(path.join(dir, name));
        fs.writeFileSync(path.join(dir, name, 'cdk.tf.json'), JSON.stringify(doc));
        // The provider blocks alone, called from the root, for `terraform validate`.
        const providers = { terraform: { required_providers: doc.terraform.required_providers }, provider: doc.provider, data: providerUses(doc) };
        fs.mkdirSync(path.join(dir, 'providers', name), { recursive: true });
        fs.writeFileSync(path.join(dir, 'providers', name, 'main.tf.json'), JSON.stringify(providers));
        root[name] = { source: `./providers/${name}` };
      }
      fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ module: root }));
      fs.mkdirSync(path.join(dir, 'tests'));
      for (const f of this.files) fs.writeFileSync(path.join(dir, f.file), withModule(f.hcl(), `./${f.module}`));
      run(['init', '-backend=false', '-no-color'], dir);
      this.validation = JSON.parse(terraformJson(['validate', '-json', '-no-color'], dir).stdout);
      this.messages = this.files.length === 0 ? [] : jsonLines(terraformJson(['test', '-json', '-no-color'], dir).stdout);
    } catch (error) {
      this.failure = error as Error;
    }
  }

  /** `terraform validate` diagnostics of module `name` (errors and warnings in its provider blocks). */
  validateResult(name: string): { error_count: number; diagnostics: any[] } {
    if (this.failure) throw this.failure;
    if (!this.validation) throw new Error('the terraform batch has not run (beforeAll failed?)');
    const diagnostics = (this.validation.diagnostics ?? []).filter((d: any) => String(d.range?.filename ?? '').startsWith(`providers/${name}/`) || !d.range);
    const errors = diagnostics.filter((d: any) => d.severity === 'error');
    if (errors.length > 0) throw new Error(`terraform validate failed for ${name} in ${this.dir}:\n${JSON.stringify(errors, null, 2)}`);
    return { error_count: errors.length, diagnostics };
  }

  resultOf(file: string): string {
    if (this.failure) throw this.failure;
    if (!this.messages) throw new Error('the terraform batch has not run (beforeAll failed?)');
    const mine = this.messages.filter((m) => m['@testfile'] === file);
    const runs = mine.filter((m) => m.type === 'test_run' && m.test_run?.progress === 'complete');
    const passed = runs.filter((m) => m.test_run?.status === 'pass').length;
    const failed = runs.length - passed;
    const diagnostics = mine.filter((m) => m.type === 'diagnostic' && m.diagnostic).map((m) => m.diagnostic!);
    const text = [
      `${file}: ${failed === 0 ? 'Success' : 'Failure'}! ${passed} passed, ${failed} failed`,
      ...runs.map((m) => `  run "${m['@testrun']}"... ${m.test_run?.status}`),
      ...diagnostics.map((d) => `${d.severity === 'error' ? 'Error' : 'Warning'}: ${d.summary}\n${d.detail ?? ''}`),
      ...mine.filter((m) => m.type === 'test_cleanup').map((m) => m['@message'] ?? ''),
    ].join('\n');
    const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => d.summary);
    const onlyDestroyRefused = errors.every((e) => e === 'Instance cannot be destroyed');
    if (passed === 0 || failed > 0 || !onlyDestroyRefused) throw new Error(`terraform test did not pass for ${file} in ${this.dir}:\n${text}`);
    return text;
  }

  remove(): void {
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * One data source per provider configuration, never read (validate does not plan): `terraform validate` skips
 * a provider configuration that nothing uses, so without them it would not check the provider blocks at all.
 */
function providerUses(doc: TerraformJson): Record<string, Record<string, { provider: string }>> {
  const uses: Record<string, { provider: string }> = {};
  for (const [name, blocks] of Object.entries(doc.provider ?? {})) {
    if (name !== 'aws') throw new Error(`describeStackWithTerraform supports AWS-only stacks; this one configures provider "${name}"`);
    for (const block of blocks) uses[`validate_${block.alias ?? 'default'}`] = { provider: block.alias ? `aws.${block.alias}` : 'aws' };
  }
  return { aws_partition: uses };
}

/** Adds `module { source = ... }` to every top-level `run` block, so the run tests that stack. */
function withModule(hcl: string, source: string): string {
  const runs = /^run\s+"[^"]+"\s*\{[ \t]*$/gm;
  if (!runs.test(hcl)) throw new Error('a terraform test file needs at least one top-level run block');
  return hcl.replace(runs, (line) => `${line}\n  module {\n    source = ${JSON.stringify(source)}\n  }`);
}

function jsonLines(text: string): RunMessage[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}

/** Runs terraform for its JSON output: a failing exit is not an error here, the messages say what failed. */
function terraformJson(args: string[], cwd: string): { stdout: string } {
  const result = spawnSync('terraform', args, { cwd, env: terraformToolchain().env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw new Error(`terraform ${args.join(' ')} could not run in ${cwd}: ${result.error.message}`);
  if (!result.stdout.includes('{')) throw new Error(`terraform ${args.join(' ')} printed no JSON in ${cwd} (exit ${result.status}):\n${result.stderr}`);
  return { stdout: result.stdout };
}

/**
 * The common frame of a stack's terraform tests: every environment's stack in one workdir (one module each),
 * one `terraform init`, one `terraform validate` (the stacks' provider blocks) and one `terraform test` running
 * every environment's test file; each environment's jest tests then read their own file's outcome.
 */
export function describeStackWithTerraform(stackId: string, environments: readonly EnvironmentName[], body: (stack: StackWorkdir) => void): void {
  describeWithTerraform(`terraform: ${stackId} stack`, () => {
    const batch = new TerraformBatch(stackId);
    beforeAll(() => batch.run());
    afterAll(() => batch.remove());
    describe.each([...environments])('%s', (envName) => {
      const module = `${stackId}-${envName}`;
      const json = () => synthApp(envName).json(stackId);
      batch.module(module, json);

      test('terraform validate passes (the provider blocks; each run of the terraform test validates the rest)', () => {
        expect(batch.validateResult(module).error_count).toBe(0);
      });

      body({
        envName,
        json,
        terraformTest: (name, hcl) => {
          const file = batch.file(`${name}-${envName}`, module, hcl);
          return { output: () => batch.resultOf(file) };
        },
      });
    });
  });
}
