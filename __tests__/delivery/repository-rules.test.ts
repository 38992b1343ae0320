/**
 * Branch protection as code (.github/rulesets/*.json, bodies for the GitHub rulesets API) and
 * CODEOWNERS: the seed's protection of main, staging and develop, stated as policy.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadWorkflow, REPO_ROOT } from './helpers';

type Rule = { type: string; parameters?: Record<string, any> };
type Ruleset = {
  name: string;
  target: string;
  enforcement: string;
  conditions: { ref_name: { include: string[]; exclude: string[] } };
  bypass_actors: { actor_id: number | null; actor_type: string; bypass_mode: string }[];
  rules: Rule[];
};
const DIR = path.join(REPO_ROOT, '.github', 'rulesets');
const rulesets: Ruleset[] = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort().map((f) => JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')));
const BRANCHES = ['develop', 'staging', 'main'];
const covering = (branch: string) => rulesets.filter((r) => r.enforcement === 'active' && r.target === 'branch' && r.conditions.ref_name.include.includes(`refs/heads/${branch}`));
const rule = (branch: string, type: string) => covering(branch).flatMap((r) => r.rules.filter((x) => x.type === type).map((x) => ({ ruleset: r, rule: x })));

test('every ruleset is a valid API body: known keys only, known rule types', () => {
  expect(rulesets.length).toBeGreaterThan(0);
  const types = new Set(['deletion', 'non_fast_forward', 'pull_request', 'required_status_checks', 'required_linear_history']);
  for (const r of rulesets) {
    expect(Object.keys(r).sort()).toEqual(['bypass_actors', 'conditions', 'enforcement', 'name', 'rules', 'target']);
    for (const x of r.rules) expect(types.has(x.type)).toBe(true);
    for (const a of r.bypass_actors) expect(['DeployKey', 'Integration', 'RepositoryRole', 'Team', 'User', 'OrganizationAdmin']).toContain(a.actor_type);
  }
});

describe.each(BRANCHES)('%s', (branch) => {
  test('no force push and no deletion, for anyone (no bypass at all)', () => {
    for (const type of ['deletion', 'non_fast_forward']) {
      const found = rule(branch, type);
      expect(found.length).toBeGreaterThan(0);
      expect(found.some(({ ruleset }) => ruleset.bypass_actors.length === 0)).toBe(true);
    }
  });

  test('changes arrive through reviewed pull requests: code owners, stale approvals dismissed, threads resolved', () => {
    const [pr] = rule(branch, 'pull_request');
    expect(pr).toBeDefined();
    expect(pr.rule.parameters).toMatchObject({ dismiss_stale_reviews_on_push: true, require_code_owner_review: true, required_review_thread_resolution: true });
    expect(pr.rule.parameters!.required_approving_review_count).toBeGreaterThanOrEqual(branch === 'main' ? 2 : 1);
    if (branch === 'main') expect(pr.rule.parameters!.require_last_push_approval).toBe(true);
  });

  test('the only bypass is the deploy key of the release workflows (held in branch-restricted environments)', () => {
    for (const { ruleset } of rule(branch, 'pull_request')) expect(ruleset.bypass_actors).toEqual([{ actor_id: null, actor_type: 'DeployKey', bypass_mode: 'always' }]);
  });

  test('required checks: jobs of infra-pr that run on every pull request, reported by GitHub Actions', () => {
    const [checks] = rule(branch, 'required_status_checks');
    const required = checks.rule.parameters!.required_status_checks as { context: string; integration_id: number }[];
    expect(required.map((c) => c.context).sort()).toEqual(['gitops-render', 'image-tags', 'infra-plan', 'synth', 'test']);
    for (const c of required) expect(c.integration_id).toBe(15368); // the GitHub Actions app: no other app can fake a green check
    const pr = loadWorkflow('infra-pr.yml');
    const byName = new Map(Object.values(pr.jobs).map((j) => [j.name, j]));
    for (const { context } of required) {
      const job = byName.get(context);
      expect([context, job !== undefined]).toEqual([context, true]);
      // a job that can be skipped passes as skipped; only these may be: forks get no plan, no tag check
      if (job!.if !== undefined && job!.if !== 'always()') expect(['image-tags']).toContain(context);
    }
  });
});

describe('CODEOWNERS', () => {
  const lines = fs
    .readFileSync(path.join(REPO_ROOT, '.github', 'CODEOWNERS'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => l.trim().split(/\s+/));
  /** GitHub's rule: the last matching pattern decides. */
  const ownersOf = (file: string): string[] => {
    let owners: string[] = [];
    for (const [pattern, ...who] of lines) {
      const p = pattern.replace(/^\//, '');
      const match = pattern === '*' || (p.endsWith('/') ? file.startsWith(p) : file === p);
      if (match) owners = who;
    }
    return owners;
  };

  test('every line names owners of the organization', () => {
    for (const [pattern, ...who] of lines) {
      expect([pattern, who.length > 0]).toEqual([pattern, true]);
      for (const o of who) expect(o).toMatch(/^@tiketi\/[a-z-]+$/);
    }
  });

  test.each([
    ['.github/workflows/infra-deploy.yml', ['@tiketi/platform']],
    ['.github/rulesets/main-reviews.json', ['@tiketi/platform']],
    ['gitops/overlays/prod/kustomization.yaml', ['@tiketi/platform']],
    ['gitops/sealing-certs/prod.pem', ['@tiketi/platform']],
    ['stacks/data-stack.ts', ['@tiketi/platform']],
    ['services/backend/src/index.ts', ['@tiketi/backend']],
    ['frontend/src/main.tsx', ['@tiketi/frontend']],
    ['.github/workflows/frontend-deploy.yml', ['@tiketi/platform', '@tiketi/frontend']],
  ])('%s is reviewed by %j', (file, owners) => {
    expect(ownersOf(file)).toEqual(owners);
  });
});
