import { ENVIRONMENTS } from '../../config/environments';
import { runCommand } from '../../cli/lib/command';
import { teardownCommand, teardownPlan } from '../../cli/teardown';
import { fakeIo, fakeRunner } from './fakes';

const before = (calls: string[], a: RegExp, b: RegExp) => {
  const i = calls.findIndex((c) => a.test(c));
  const j = calls.findIndex((c) => b.test(c));
  expect({ first: a.source, found: i >= 0, then: b.source, foundThen: j >= 0 }).toEqual({ first: a.source, found: true, then: b.source, foundThen: true });
  expect({ [a.source]: i < j }).toEqual({ [a.source]: true });
};

describe('npm run teardown', () => {
  test('runs the order that orphans no load balancer, volume or DNS record', async () => {
    const runner = fakeRunner();
    const io = fakeIo();
    expect(await runCommand(teardownCommand(runner), ['--env', 'dev', '--yes'], io)).toBe(0);
    const calls = runner.calls;
    // The tunnel first (kubectl and the helm/kubernetes providers need the private API), closed after argocd.
    expect(calls[0]).toBe('start npm run api-tunnel -- --env dev');
    expect(calls[1]).toBe('wait-port 8443');
    // Argo CD stops re-creating things before anything is deleted.
    before(calls, /delete application tiketi-root/, /delete applicationset tiketi-dev/);
    before(calls, /delete applicationset tiketi-dev/, /wait --for=delete application\/tiketi-dev/);
    before(calls, /wait --for=delete application\/tiketi-dev/, /delete ingress --all --all-namespaces/);
    // The platform Applications too (self-heal would re-create Grafana's Ingress and the monitoring volumes).
    before(calls, /delete application monitoring logging monitoring-crds/, /delete ingress --all --all-namespaces/);
    before(calls, /delete prometheus,alertmanager --all/, /delete pvc --all --all-namespaces/);
    // Ingresses (ALBs) and claims (EBS volumes) go while their controllers still run, i.e. before argocd is destroyed.
    before(calls, /delete ingress --all --all-namespaces/, /^sleep 90000$/);
    before(calls, /^sleep 90000$/, /cdktf destroy argocd/);
    before(calls, /delete statefulset --all/, /delete pvc --all --all-namespaces/);
    before(calls, /delete pvc --all --all-namespaces/, /cdktf destroy argocd/);
    before(calls, /cdktf destroy argocd/, /^stop$/);
    // Stacks: each before the one it reads.
    before(calls, /cdktf destroy argocd/, /cdktf destroy data/);
    before(calls, /cdktf destroy argocd/, /cdktf destroy edge/);
    // argocd reads observability (its alarm topic); observability reads network, data, edge and cluster.
    before(calls, /cdktf destroy argocd/, /cdktf destroy observability/);
    for (const read of ['edge', 'data', 'cluster', 'network']) before(calls, /cdktf destroy observability/, new RegExp(`cdktf destroy ${read}`));
    before(calls, /cdktf destroy data/, /cdktf destroy cluster/);
    before(calls, /cdktf destroy cluster/, /cdktf destroy network/);
    expect(calls[calls.length - 1]).toBe('run npx cdktf destroy network --auto-approve [TIKETI_ENV=dev]');
    // Every kubectl call targets the environment's context, every destroy its TIKETI_ENV.
    for (const c of calls.filter((c) => c.includes('kubectl'))) expect(c).toMatch(/^run kubectl --context tiketi-dev /);
    for (const c of calls.filter((c) => c.includes('cdktf destroy'))) expect(c).toMatch(/\[TIKETI_ENV=dev\]$/);
    expect(io.stdout[io.stdout.length - 1]).toMatch(/^teardown: dev destroyed/);
  });

  test('the tunnel is closed even when a step fails', async () => {
    const runner = fakeRunner();
    const failing = { ...runner, run: async (argv: readonly string[]) => { runner.calls.push(`run ${argv.join(' ')}`); if (argv.includes('ingress')) throw new (require('../../cli/lib/command').CommandError)('kubectl failed'); } };
    const io = fakeIo();
    expect(await runCommand(teardownCommand(failing), ['--env', 'dev', '--yes'], io)).toBe(1);
    expect(runner.calls[runner.calls.length - 1]).toBe('stop');
    expect(runner.calls.some((c) => c.includes('cdktf destroy'))).toBe(false);
  });

  test('refuses an environment whose data is not disposable', async () => {
    for (const env of ['staging', 'prod']) {
      const runner = fakeRunner();
      const io = fakeIo();
      expect(await runCommand(teardownCommand(runner), ['--env', env, '--yes'], io)).toBe(1);
      expect(io.stderr.join('\n')).toMatch(new RegExp(`${env} keeps its data`));
      expect(runner.calls).toEqual([]);
    }
  });

  test('needs --yes; --dry-run prints the plan and runs nothing', async () => {
    const runner = fakeRunner();
    const noYes = fakeIo();
    expect(await runCommand(teardownCommand(runner), ['--env', 'dev'], noYes)).toBe(2);
    const dry = fakeIo();
    expect(await runCommand(teardownCommand(runner), ['--env', 'dev', '--dry-run'], dry)).toBe(0);
    expect(runner.calls).toEqual([]);
    expect(dry.stdout).toHaveLength(teardownPlan(ENVIRONMENTS.dev).length + 1);
    expect(dry.stdout[0]).toBe('1. open the tunnel to the private API: npm run api-tunnel -- --env dev');
  });

  test('without a tunnel (direct API access) no tunnel is opened', () => {
    const direct = { ...ENVIRONMENTS.dev, argocd: { ...ENVIRONMENTS.dev.argocd, kubernetesApi: { mode: 'direct' as const } } };
    expect(teardownPlan(direct).map((s) => s.kind)).not.toContain('tunnel-open');
  });
});
