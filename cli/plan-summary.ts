/**
 * `npm run plan-summary -- <env> --plans DIR --out FILE`: turns the `terraform show -json` plans of the
 * changed stacks (DIR/<stack>.json; DIR/<stack>.failed when a plan failed) into the pull request's one
 * plan comment: adds, changes and destroys per stack, destroys of stateful resources called out first.
 */
import * as fs from 'fs';
import * as path from 'path';
import { cliMain, Command, CommandError, UsageError, writeAll } from './lib/command';
import { parseEnvironment } from './lib/names';

/** The marker the workflow finds the comment by, to update it in place. */
export const PLAN_COMMENT_MARKER = '<!-- tiketi-infra-plan -->';
/** GitHub refuses comments over 65,536 characters. */
const MAX_COMMENT = 60_000;

/**
 * Resource types whose destruction loses data or everything built on it (data stores, their keys and
 * snapshots, image repositories, DNS zones, logs, the cluster and its volumes). A replace counts.
 */
export const STATEFUL_TYPES = new Set([
  'aws_db_instance', 'aws_rds_cluster', 'aws_rds_cluster_instance', 'aws_db_snapshot', 'aws_db_cluster_snapshot',
  'aws_elasticache_replication_group', 'aws_elasticache_cluster', 'aws_elasticache_serverless_cache',
  'aws_s3_bucket', 'aws_kms_key', 'aws_secretsmanager_secret', 'aws_ecr_repository', 'aws_route53_zone',
  'aws_cloudwatch_log_group', 'aws_eks_cluster', 'aws_ebs_volume', 'aws_efs_file_system', 'aws_dynamodb_table',
  'kubernetes_persistent_volume_claim_v1', 'kubernetes_namespace_v1',
]);

interface ResourceChange {
  address: string;
  type: string;
  change: { actions: string[] };
}

export interface StackPlan {
  readonly stack: string;
  readonly failed: boolean;
  readonly add: string[];
  readonly change: string[];
  readonly destroy: string[];
  /** Destroyed (or replaced) stateful resources, `address (delete|replace)`. */
  readonly statefulDestroys: string[];
}

export function summarizePlan(stack: string, plan: { resource_changes?: ResourceChange[] }): StackPlan {
  const add: string[] = [];
  const change: string[] = [];
  const destroy: string[] = [];
  const statefulDestroys: string[] = [];
  for (const rc of plan.resource_changes ?? []) {
    const actions = rc.change?.actions ?? [];
    const replace = actions.includes('create') && actions.includes('delete');
    if (actions.includes('create')) add.push(rc.address);
    if (actions.includes('update')) change.push(rc.address);
    if (actions.includes('delete')) {
      destroy.push(rc.address);
      if (STATEFUL_TYPES.has(rc.type)) statefulDestroys.push(`${rc.address} (${replace ? 'replace' : 'delete'})`);
    }
  }
  return { stack, failed: false, add, change, destroy, statefulDestroys };
}

export function renderComment(env: string, plans: readonly StackPlan[], context: string): string {
  const lines = [PLAN_COMMENT_MARKER, `## Infrastructure plan: ${env}`, '', context, ''];
  const stateful = plans.flatMap((p) => p.statefulDestroys.map((d) => `\`${p.stack}\`: \`${d}\``));
  if (stateful.length > 0) {
    lines.push(`> [!CAUTION]`, `> **${stateful.length} stateful resource(s) would be destroyed** (data, keys, repositories, zones or logs are lost):`, ...stateful.map((s) => `> - ${s}`), '');
  }
  const failed = plans.filter((p) => p.failed);
  if (failed.length > 0) lines.push(`> [!WARNING]`, `> The plan of ${failed.map((p) => `\`${p.stack}\``).join(', ')} failed: see the workflow run.`, '');
  if (plans.length === 0) lines.push('No stack of this environment changes.');
  else {
    lines.push('| stack | add | change | destroy | stateful destroys |', '|---|---:|---:|---:|---:|');
    for (const p of plans) lines.push(p.failed ? `| \`${p.stack}\` | plan failed | | | |` : `| \`${p.stack}\` | ${p.add.length} | ${p.change.length} | ${p.destroy.length} | ${p.statefulDestroys.length ? `**${p.statefulDestroys.length}**` : 0} |`);
    for (const p of plans.filter((x) => !x.failed && x.add.length + x.change.length + x.destroy.length > 0)) {
      lines.push('', `<details><summary><code>${p.stack}</code>: ${p.add.length} to add, ${p.change.length} to change, ${p.destroy.length} to destroy</summary>`, '');
      for (const [verb, list] of [['destroy', p.destroy], ['add', p.add], ['change', p.change]] as const) for (const a of list) lines.push(`- ${verb} \`${a}\``);
      lines.push('', '</details>');
    }
  }
  let text = lines.join('\n') + '\n';
  if (text.length > MAX_COMMENT) text = `${text.slice(0, MAX_COMMENT)}\n\n… (cut: the full plans are in the workflow run)\n`;
  return text;
}

export const planSummary: Command = {
  name: 'plan-summary',
  synopsis: '<env> --plans DIR --out FILE [--context TEXT]',
  description:
    'Summarizes terraform show -json plans (DIR/<stack>.json, DIR/<stack>.failed for a failed plan) as the ' +
    'pull request comment: adds, changes, destroys per stack, stateful destroys first.',
  options: { plans: { type: 'string' }, out: { type: 'string' }, context: { type: 'string' } },
  help: ['--plans DIR     the plans, one file per stack', '--out FILE      where to write the comment (Markdown)', '--context TEXT  a line under the title (base, head)'],
  run(args, io) {
    const env = parseEnvironment(args.positionals[0]);
    const plansDir = args.values.plans as string | undefined;
    const out = args.values.out as string | undefined;
    if (plansDir === undefined || out === undefined) throw new UsageError('--plans DIR and --out FILE are required');
    const dir = path.resolve(io.root, plansDir);
    if (!fs.existsSync(dir)) throw new CommandError(`--plans ${plansDir}: no such directory`);
    const stacks = [...new Set(fs.readdirSync(dir).filter((f) => /\.(json|failed)$/.test(f)).map((f) => f.replace(/\.(json|failed)$/, '')))].sort();
    const plans = stacks.map((stack) => {
      if (fs.existsSync(path.join(dir, `${stack}.failed`)) || !fs.existsSync(path.join(dir, `${stack}.json`))) return { stack, failed: true, add: [], change: [], destroy: [], statefulDestroys: [] };
      let plan: { resource_changes?: ResourceChange[] };
      try {
        plan = JSON.parse(fs.readFileSync(path.join(dir, `${stack}.json`), 'utf8'));
      } catch (error) {
        throw new CommandError(`${plansDir}/${stack}.json is not JSON (${(error as Error).message})`);
      }
      return summarizePlan(stack, plan);
    });
    writeAll(new Map([[path.resolve(io.root, out), renderComment(env, plans, (args.values.context as string | undefined) ?? '')]]));
    const total = (k: 'add' | 'change' | 'destroy' | 'statefulDestroys') => plans.reduce((n, p) => n + p[k].length, 0);
    const failed = plans.filter((p) => p.failed).length;
    return `plan-summary: ${env}: ${plans.length} stack(s), ${total('add')} to add, ${total('change')} to change, ${total('destroy')} to destroy (${total('statefulDestroys')} stateful)${failed ? `, ${failed} failed` : ''} -> ${out}`;
  },
};

if (require.main === module) cliMain(planSummary);
