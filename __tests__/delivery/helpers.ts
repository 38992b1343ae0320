/** The repository's GitHub workflows, parsed, and the helpers the delivery tests share. */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const WORKFLOWS_DIR = path.join(REPO_ROOT, '.github', 'workflows');

export type Step = { name?: string; id?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string>; if?: string };
export type Job = {
  name?: string;
  'runs-on'?: string;
  'timeout-minutes'?: number;
  permissions?: Record<string, string> | string;
  environment?: string | { name: string };
  needs?: string | string[];
  if?: string;
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: unknown;
  steps?: Step[];
  env?: Record<string, string>;
  outputs?: Record<string, string>;
  strategy?: unknown;
};
export type Workflow = {
  file: string;
  text: string;
  name: string;
  on: Record<string, any>;
  permissions?: Record<string, string> | string;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean | string };
  env?: Record<string, string>;
  jobs: Record<string, Job>;
};

export function workflowFiles(): string[] {
  return fs.readdirSync(WORKFLOWS_DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
}

export function loadWorkflow(file: string): Workflow {
  const text = fs.readFileSync(path.join(WORKFLOWS_DIR, file), 'utf8');
  return { file, text, ...(parse(text) as Omit<Workflow, 'file' | 'text'>) };
}

export const needsOf = (job: Job): string[] => (job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);
export const isReusable = (w: Workflow): boolean => 'workflow_call' in (w.on ?? {});
export const calledWorkflow = (job: Job): string | undefined => job.uses?.startsWith('./.github/workflows/') ? path.basename(job.uses) : undefined;
export const steps = (job: Job): Step[] => job.steps ?? [];
export const awsRoleOf = (step: Step): string | undefined => (step.uses?.startsWith('aws-actions/configure-aws-credentials@') ? String(step.with?.['role-to-assume']) : undefined);
