/**
 * One way into the private Kubernetes API for people and CI (docs/platform-contracts.md): the workflows run
 * the project's `npm run api-tunnel`, and the port that command opens for an environment is the port the
 * argocd stack's kubernetes and helm providers were synthesized to talk to. Followed end to end: the
 * workflow's command line, run through the real command (AWS answers faked), against the real synth.
 */
import * as fs from 'fs';
import * as path from 'path';
import { apiTunnelCommand } from '../../cli/api-tunnel';
import { runCommand } from '../../cli/lib/command';
import { fakeIo, fakeRunner } from '../cli/fakes';
import { ALL_ENVIRONMENTS, synthApp } from '../support/synth';
import { awsRoleOf, Job, loadWorkflow, REPO_ROOT, Step, steps, workflowFiles } from './helpers';

const ENDPOINT_HOST = 'ABCDEF0123456789.gr7.ap-northeast-2.eks.amazonaws.com';

/** Every step of every workflow that opens the tunnel, with its job. */
function tunnelSteps(): { file: string; jobId: string; job: Job; step: Step; index: number }[] {
  return workflowFiles().flatMap((file) =>
    Object.entries(loadWorkflow(file).jobs).flatMap(([jobId, job]) =>
      steps(job)
        .map((step, index) => ({ file, jobId, job, step, index }))
        .filter(({ step }) => /api-tunnel|start-session|localPortNumber/.test(step.run ?? '')),
    ),
  );
}

/** The arguments after `npm run api-tunnel --` of a step's command line, with "$TIKETI_ENV" set to `env`. */
function tunnelArguments(step: Step, env: string): string[] {
  const lines = (step.run ?? '').split('\n').filter((line) => line.includes('api-tunnel') && !line.trim().startsWith('#'));
  expect(lines).toHaveLength(1);
  const match = /^\s*npm run api-tunnel -- (.*)$/.exec(lines[0]);
  expect({ line: lines[0], runsTheProjectCommand: match !== null }).toEqual({ line: lines[0], runsTheProjectCommand: true });
  return match![1].trim().split(/\s+/).map((word) => (word === '"$TIKETI_ENV"' ? env : word));
}

describe('the tunnel CI opens', () => {
  test('the plan and the deploy jobs open it with the project command, after assuming their role and before terraform', () => {
    const found = tunnelSteps();
    expect(found.map((t) => `${t.file}/${t.jobId}`).sort()).toEqual(['infra-pr.yml/plan', 'infra-stack.yml/apply']);
    for (const { job, step, index } of found) {
      const all = steps(job);
      expect(index).toBeGreaterThan(all.findIndex((s) => awsRoleOf(s)));
      expect(index).toBeLessThan(all.findIndex((s) => /terraform -chdir=.* plan/.test(s.run ?? '')));
      // The environment is the job's, the one its synth used: the step does not choose another.
      expect(job.env?.TIKETI_ENV).toEqual(expect.stringMatching(/^\$\{\{ .+ \}\}$/));
      expect(step.env?.TIKETI_ENV).toBeUndefined();
      expect(Object.keys(step.env ?? {}).filter((k) => /PORT|K8S/.test(k))).toEqual([]);
    }
    expect(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).scripts['api-tunnel']).toMatch(/&& node dist\/cli\/api-tunnel\.js$/);
  });

  test.each(ALL_ENVIRONMENTS)('%s: the port CI opens is the port of the argocd stack\'s kubernetes and helm providers, and the TLS name is the endpoint\'s', async (env) => {
    const providers = synthApp(env).json('argocd').provider!;
    const kubernetes = providers.kubernetes[0];
    const helm = providers.helm[0].kubernetes;
    for (const { file, step } of tunnelSteps()) {
      const runner = fakeRunner([
        ['aws ec2 describe-instances', 'i-0123456789abcdef0'],
        ['aws eks describe-cluster', `https://${ENDPOINT_HOST}\tarn:aws:eks:ap-northeast-2:123456789012:cluster/tiketi-${env}`],
      ]);
      const io = fakeIo();
      expect(await runCommand(apiTunnelCommand(runner), tunnelArguments(step, env), io)).toBe(0);
      const session = runner.calls.find((c) => c.includes('start-session'))!;
      expect(session).toMatch(/^detach /); // left running for the job's later steps
      const port = /localPortNumber=(\d+)/.exec(session)![1];
      expect({ file, env, kubernetes: kubernetes.host, helm: helm.host }).toEqual({ file, env, kubernetes: `https://127.0.0.1:${port}`, helm: `https://127.0.0.1:${port}` });
      expect(runner.calls).toContain(`wait-port ${port}`);
      // The session forwards to the endpoint's host on 443; the providers check TLS against that same host.
      expect(session).toContain(`--parameters host=${ENDPOINT_HOST},portNumber=443,`);
      for (const tls of [kubernetes.tls_server_name, helm.tls_server_name]) {
        expect(tls).toMatch(/^\$\{replace\(data\.terraform_remote_state\.cross-stack-reference-input-cluster\.outputs\.cross-stack-output-aws_eks_cluster[^,]*endpoint, "https:\/\/", ""\)\}$/);
      }
    }
  });

  test('nothing sets or reads a tunnel port or host beside the settings (TIKETI_TUNNEL_PORT, TIKETI_K8S_*)', () => {
    const roots = ['.github', 'cli', 'stacks', 'modules', 'config', 'main.ts'];
    const walk = (entry: string): string[] => {
      const full = path.join(REPO_ROOT, entry);
      return fs.statSync(full).isDirectory() ? fs.readdirSync(full).flatMap((child) => walk(path.join(entry, child))) : [entry];
    };
    const files = roots.flatMap(walk);
    expect(files.length).toBeGreaterThan(20);
    const hits = files.filter((f) => /TIKETI_TUNNEL_PORT|TIKETI_K8S_/.test(fs.readFileSync(path.join(REPO_ROOT, f), 'utf8')));
    expect(hits).toEqual([]);
  });
});
