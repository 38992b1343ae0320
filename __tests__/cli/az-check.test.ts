/**
 * `npm run az-check`: each AZ taken away from the real synthesized staging/prod configuration and rendered
 * manifests. Besides today's result, variants of the synthesized JSON (a NAT route moved to the other AZ,
 * `multi_az` off, failover off, the api-access host in an Auto Scaling group, the load balancer subnets
 * tagged in one AZ, a PDB that blocks the drain) show that the check follows the configuration and fails
 * where it should, naming the tier.
 */
import * as path from 'path';
import { azCheckCommand, azReportOf } from '../../cli/az-check';
import { analyseAzLoss, allowedDisruptions, AzLossInput, TierOutcome } from '../../cli/lib/az-loss';
import { runCommand } from '../../cli/lib/command';
import { kustomize, KubeObject } from '../../cli/lib/gitops-render';
import { SynthesizedEnvironment, synthEnvironment } from '../../cli/lib/synth-app';
import { environmentWorkloads } from '../../cli/lib/workloads';
import { ENVIRONMENTS } from '../../config/environments';
import { AcceptedAzLoss, EnvironmentName } from '../../config/settings';
import { problemsOf } from '../support/settings';
import { fakeIo } from './fakes';

const ROOT = path.resolve(__dirname, '..', '..');
const A = 'ap-northeast-2a';
const C = 'ap-northeast-2c';

const real: Partial<Record<EnvironmentName, SynthesizedEnvironment>> = {};
beforeAll(() => {
  for (const env of ['dev', 'staging', 'prod'] as const) real[env] = synthEnvironment(env);
});

/** A deep copy of an environment's synthesized output with `change` applied to its stacks (by ID). */
function variant(env: EnvironmentName, change: (stacks: Record<string, any>) => void, settings?: (s: any) => any): SynthesizedEnvironment {
  const copy = JSON.parse(JSON.stringify(real[env])) as SynthesizedEnvironment;
  change(Object.fromEntries(copy.stacks.map((s) => [s.id, s.json])));
  return settings ? { ...copy, settings: settings(copy.settings) } : copy;
}

async function run(args: string[], synth: (env: EnvironmentName) => SynthesizedEnvironment = (env) => real[env]!) {
  const io = fakeIo(ROOT);
  const code = await runCommand(azCheckCommand({ synth }), args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

const outcome = (env: SynthesizedEnvironment, tier: string, lost: string): TierOutcome => azReportOf(env, ROOT).outcomes.find((o) => o.tier === tier && o.lostAz === lost)!;
const byName = (stack: any, type: string, pattern: RegExp): [string, any] => Object.entries(stack.resource[type]).find(([name]) => pattern.test(name)) as [string, any];

describe('npm run az-check today', () => {
  test('staging and prod: a row per tier and lost AZ, every outage accepted with its reason, exit 0', async () => {
    const { code, stdout, stderr } = await run([]);
    expect([code, stderr]).toEqual([0, []]);
    expect(stdout.filter((l) => /: what survives the loss of one AZ$/.test(l))).toEqual(['staging: what survives the loss of one AZ', 'prod: what survives the loss of one AZ']);
    const row = (env: string, tier: string) => {
      const start = stdout.indexOf(`${env}: what survives the loss of one AZ`);
      return stdout.slice(start).find((l) => l.startsWith(`${tier} `))!.split(' | ').map((c) => c.trim());
    };
    expect(row('prod', 'postgres').slice(0, 4)).toEqual(['postgres', 'degraded', 'degraded', '60-120 s (RDS Multi-AZ failover; the endpoint name stays)']);
    expect(row('staging', 'postgres').slice(0, 3)).toEqual(['postgres', 'down (accepted)', 'down (accepted)']);
    expect(row('prod', 'nat').slice(0, 3)).toEqual(['nat', 'survives', 'survives']);
    // The api-access host is an Auto Scaling group of one over both private subnets: relaunched in the other AZ.
    expect(row('prod', 'api-access').slice(0, 3)).toEqual(['api-access', 'degraded', 'degraded']);
    expect(row('staging', 'api-access').slice(0, 3)).toEqual(['api-access', 'degraded', 'degraded']);
    // Prometheus and Alertmanager spread over zones (their volumes are zonal): one of each survives either AZ.
    expect(row('prod', 'monitoring').slice(0, 3)).toEqual(['monitoring', 'degraded', 'degraded']);
    expect(stdout[stdout.length - 1]).toMatch(/^az-check: staging, prod: \d+ survive, \d+ degraded, \d+ at risk, \d+ down and accepted, 0 down \(tier × lost AZ\)$/);
  });

  test('dev is reported (its single NAT goes with the first AZ) but does not fail the run', async () => {
    const { code, stdout } = await run(['--env', 'dev']);
    expect(code).toBe(0);
    expect(stdout.find((l) => l.startsWith('nat '))!.split(' | ').slice(0, 3).map((c) => c.trim())).toEqual(['nat', 'down', 'survives']);
    expect(stdout).toContain('  (dev is reported only: it is not required to survive the loss of an AZ)');
  });

  test('a bad --env is a usage error naming the allowed values', async () => {
    const { code, stderr } = await run(['--env', 'qa']);
    expect(code).toBe(2);
    expect(stderr[0]).toBe('az-check: --env: got "qa", expected one of dev, staging, prod');
  });

  test('prod: the nodes left at minimum size after either loss need the autoscaler, which maxSize allows', () => {
    const o = outcome(real.prod!, 'node-capacity', A);
    expect(o.status).toBe('degraded');
    expect(o.detail).toMatch(/^2 of 5 nodes left at minimum size in ap-northeast-2c .*the autoscaler grows the group to \d+ nodes there \(maxSize 10\)/);
  });
});

describe('variants of the synthesized configuration', () => {
  test('prod: the private-c route table sent to the NAT gateway in 2a: losing 2a cuts egress, the run fails naming nat', async () => {
    const moved = variant('prod', (s) => {
      const [, natA] = byName(s.network, 'aws_nat_gateway', /nat-a/);
      const [natAName] = byName(s.network, 'aws_nat_gateway', /nat-a/);
      expect(natA).toBeDefined();
      const [, routeC] = byName(s.network, 'aws_route', /private-default-route-c/);
      routeC.nat_gateway_id = `\${aws_nat_gateway.${natAName}.id}`;
    });
    expect(outcome(moved, 'nat', A)).toMatchObject({ status: 'down', detail: expect.stringMatching(/^tiketi-prod-private-c → tiketi-prod-nat-a \(ap-northeast-2a\): no egress/) });
    expect(outcome(moved, 'nat', C).status).toBe('survives');
    const { code, stderr } = await run(['--env', 'prod'], () => moved);
    expect(code).toBe(1);
    expect(stderr[0]).toMatch(/^prod: losing ap-northeast-2a takes nat down without an accepted reason: tiketi-prod-private-c → tiketi-prod-nat-a/);
    expect(stderr[stderr.length - 1]).toMatch(/^az-check: prod: .* 1 down \(tier × lost AZ\); 1 problem above$/);
  });

  test('prod: multi_az off makes PostgreSQL go down with either AZ, with the point-in-time restore as the way back', async () => {
    const single = variant('prod', (s) => {
      byName(s.data, 'aws_db_instance', /postgres/)[1].multi_az = false;
    });
    for (const az of [A, C]) {
      expect(outcome(single, 'postgres', az)).toMatchObject({ status: 'down', detail: expect.stringContaining('14-day backups allow a point-in-time restore'), rto: expect.stringContaining('point-in-time restore') });
    }
    const { code, stderr } = await run(['--env', 'prod'], () => single);
    expect(code).toBe(1);
    expect(stderr.filter((l) => / takes postgres down without an accepted reason/.test(l))).toHaveLength(2);
  });

  test('a single-AZ instance without backups has no recovery path', () => {
    const none = variant('staging', (s) => {
      byName(s.data, 'aws_db_instance', /postgres/)[1].backup_retention_period = 0;
    });
    expect(outcome(none, 'postgres', A)).toMatchObject({ status: 'down', detail: expect.stringContaining('no automated backups: no restore path'), rto: 'until the AZ returns' });
  });

  test('prod: Valkey without automatic failover goes down with the primary\'s AZ', () => {
    const noFailover = variant('prod', (s) => {
      Object.assign(byName(s.data, 'aws_elasticache_replication_group', /redis/)[1], { automatic_failover_enabled: false, multi_az_enabled: false });
    });
    expect(outcome(noFailover, 'redis', A)).toMatchObject({ status: 'down', detail: expect.stringContaining('no automatic failover, Multi-AZ off') });
    expect(outcome(real.prod!, 'redis', A)).toMatchObject({ status: 'degraded', detail: expect.stringContaining(`the replica in ${C} is promoted`) });
  });

  test('staging without its postgres acceptance fails; an acceptance of a tier that survives is stale', async () => {
    const unaccepted = variant('staging', () => undefined, (settings) => ({ ...settings, availability: { acceptedLosses: settings.availability.acceptedLosses.filter((a: any) => a.tier !== 'postgres') } }));
    const first = await run(['--env', 'staging'], () => unaccepted);
    expect(first.code).toBe(1);
    expect(first.stderr.filter((l) => l.includes('takes postgres down without an accepted reason'))).toHaveLength(2);

    const stale = variant('prod', () => undefined, (settings) => ({ ...settings, availability: { acceptedLosses: [...settings.availability.acceptedLosses, { tier: 'postgres', reason: 'a leftover from before Multi-AZ' }] } }));
    const second = await run(['--env', 'prod'], () => stale);
    expect(second.code).toBe(1);
    expect(second.stderr[0]).toBe('prod.availability.acceptedLosses: postgres is accepted, but losing any AZ no longer takes it down: remove the acceptance');
  });

  test('the api-access host as one instance in the first private subnet: losing that AZ closes the way in, refused unless accepted', async () => {
    const single = variant('prod', (s) => {
      const [name, group] = byName(s.cluster, 'aws_autoscaling_group', /api-access/);
      delete s.cluster.resource.aws_autoscaling_group[name];
      s.cluster.resource.aws_instance = { 'api-access_host': { subnet_id: group.vpc_zone_identifier[0], tags: { 'tiketi:role': 'api-access' }, '//': group['//'] } };
    });
    expect(outcome(single, 'api-access', A)).toMatchObject({ status: 'down', detail: expect.stringContaining('single instance in') });
    expect(outcome(single, 'api-access', C).status).toBe('survives');
    const { code, stderr } = await run(['--env', 'prod'], () => single);
    expect(code).toBe(1);
    expect(stderr[stderr.length - 1]).toMatch(/^az-check: prod: .* 0 down and accepted, 1 down \(tier × lost AZ\)/);
    // An Auto Scaling group whose subnets are all in one AZ is no better.
    const oneAzGroup = variant('prod', (s) => {
      const [, group] = byName(s.cluster, 'aws_autoscaling_group', /api-access/);
      group.vpc_zone_identifier = [group.vpc_zone_identifier[0]];
    });
    expect(outcome(oneAzGroup, 'api-access', A)).toMatchObject({ status: 'down' });
  });

  test('public subnets tagged for load balancers in one AZ only: the ALBs cannot span two AZs', () => {
    const oneAz = variant('prod', (s) => {
      delete byName(s.network, 'aws_subnet', /public-c/)[1].tags['kubernetes.io/role/elb'];
    });
    expect(outcome(oneAz, 'load-balancers', C)).toMatchObject({ status: 'down', detail: expect.stringContaining('subnets in ap-northeast-2a: needs tagged subnets in two AZs') });
  });

  test('the node group\'s maximum below what the surviving AZ needs: node capacity goes down', () => {
    const capped = variant('prod', (s) => {
      byName(s.cluster, 'aws_eks_node_group', /node-group/)[1].scaling_config = { min_size: 5, desired_size: 5, max_size: 5 };
    });
    // 2 nodes survive and 5 are allowed: still enough. A group of 2 (1 left, at most 2) cannot hold the three
    // one-per-node Redis pods of Argo CD's redis-ha, whatever the autoscaler does.
    expect(outcome(capped, 'node-capacity', A).status).toBe('degraded');
    const tight = variant('prod', (s) => {
      byName(s.cluster, 'aws_eks_node_group', /node-group/)[1].scaling_config = { min_size: 2, desired_size: 2, max_size: 2 };
    });
    expect(outcome(tight, 'node-capacity', A)).toMatchObject({ status: 'down', detail: expect.stringMatching(/^1 of 2 nodes left .*even 2 nodes \(maxSize\) do not hold the pods at minimum replicas: .*argocd\/argocd-redis-ha-server ×1/) });
  });
});

describe('PDBs and topology spread (the rendered prod overlay)', () => {
  const inputOf = (services: readonly KubeObject[]): AzLossInput => {
    const stacks = Object.fromEntries(real.prod!.stacks.map((s) => [s.id, s.json]));
    return { env: 'prod', stacks, services, workloads: environmentWorkloads({ cluster: stacks.cluster, argocd: stacks.argocd }, ROOT, 'prod'), acceptedLosses: real.prod!.settings.availability.acceptedLosses };
  };
  const services = (input: AzLossInput) => analyseAzLoss(input).outcomes.find((o) => o.tier === 'services' && o.lostAz === A)!;

  test('today: every service keeps replicas in the other AZ and its PDB lets the drain evict one', () => {
    expect(services(inputOf(kustomize(ROOT, 'gitops/overlays/prod')))).toMatchObject({ status: 'degraded', detail: expect.stringContaining('5 of 5 workloads keep replicas in the other AZ') });
  });

  test('a PDB whose minAvailable equals the minimum replicas stalls the drain', () => {
    const objects = kustomize(ROOT, 'gitops/overlays/prod').map((o) => (o.kind === 'PodDisruptionBudget' && o.metadata.name === 'backend' ? { ...o, spec: { selector: o.spec.selector, minAvailable: 3 } } : o));
    expect(services(inputOf(objects))).toMatchObject({ status: 'down', detail: expect.stringContaining('backend: its PDB backend allows no eviction at 3 replicas') });
  });

  test('without a zone spread, replicas may all sit in the lost AZ; DoNotSchedule keeps replacements Pending', () => {
    const strip = (o: KubeObject, keep: (t: any) => any): KubeObject =>
      o.kind === 'Deployment' && o.metadata.name === 'backend'
        ? { ...o, spec: { ...o.spec, template: { ...o.spec.template, spec: { ...o.spec.template.spec, topologySpreadConstraints: o.spec.template.spec.topologySpreadConstraints.map(keep).filter(Boolean) } } } }
        : o;
    const rendered = kustomize(ROOT, 'gitops/overlays/prod');
    const noZone = rendered.map((o) => strip(o, (t) => (t.topologyKey === 'topology.kubernetes.io/zone' ? undefined : t)));
    expect(services(inputOf(noZone))).toMatchObject({ status: 'at risk', detail: expect.stringContaining('backend: 3 replicas without a zone spread may all run in ap-northeast-2a') });
    const hard = rendered.map((o) => strip(o, (t) => (t.topologyKey === 'topology.kubernetes.io/zone' ? { ...t, whenUnsatisfiable: 'DoNotSchedule' } : t)));
    expect(services(inputOf(hard)).detail).toContain('backend: zone spread DoNotSchedule keeps replacements Pending');
  });

  test('monitoring: Prometheus and Alertmanager on zonal volumes survive an AZ only with a zone spread', () => {
    const input = inputOf(kustomize(ROOT, 'gitops/overlays/prod'));
    const monitoring = (i: AzLossInput) => analyseAzLoss(i).outcomes.find((o) => o.tier === 'monitoring' && o.lostAz === A)!;
    expect(monitoring(input).status).toBe('degraded');
    const unspread = { ...input, workloads: input.workloads.map((w) => (w.name === 'monitoring/prometheus' ? { ...w, zoneSpread: undefined } : w)) };
    expect(input.workloads.some((w) => w.name === 'monitoring/prometheus' && w.zoneSpread)).toBe(true);
    expect(monitoring(unspread)).toMatchObject({ status: 'at risk', detail: expect.stringContaining('prometheus: 2 replicas, one per node but not per zone') });
  });

  test('allowed disruptions: integers and percentages, maxUnavailable rounds up, minAvailable rounds up', () => {
    const pdb = (spec: object) => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'x' }, spec }) as KubeObject;
    expect(allowedDisruptions(pdb({ maxUnavailable: 1 }), 3)).toBe(1);
    expect(allowedDisruptions(pdb({ maxUnavailable: '10%' }), 3)).toBe(1);
    expect(allowedDisruptions(pdb({ minAvailable: '50%' }), 3)).toBe(1);
    expect(allowedDisruptions(pdb({ minAvailable: 2 }), 2)).toBe(0);
  });
});

describe('accepted AZ losses in the settings (validated before anything is synthesized)', () => {
  const withLosses = (acceptedLosses: AcceptedAzLoss[]) => ({ ...ENVIRONMENTS.prod, availability: { acceptedLosses } });

  test('every accepted loss of staging and prod has a reason naming its setting or the way back', () => {
    for (const env of ['staging', 'prod'] as const) {
      for (const loss of ENVIRONMENTS[env].availability.acceptedLosses) expect([env, loss.tier, loss.reason.length >= 40]).toEqual([env, loss.tier, true]);
    }
    expect(problemsOf(ENVIRONMENTS.prod)).toEqual([]);
  });

  test('an unknown tier, an AZ the environment does not use, a missing reason and a duplicate are each refused, naming the field', () => {
    expect(problemsOf(withLosses([{ tier: 'dns' as never, reason: 'Route 53 is global anyway' }]))).toEqual([expect.stringMatching(/^prod\.availability\.acceptedLosses\[0\]\.tier: got "dns", expected one of "nat", "control-plane", "node-capacity", "services", "postgres", "redis", "load-balancers", "api-access", "monitoring"$/)]);
    expect(problemsOf(withLosses([{ tier: 'api-access', availabilityZone: 'ap-northeast-2b', reason: 'the host is in the first subnet' }]))).toEqual([
      'prod.availability.acceptedLosses[0].availabilityZone: got "ap-northeast-2b", expected one of "ap-northeast-2a", "ap-northeast-2c"',
    ]);
    expect(problemsOf(withLosses([{ tier: 'postgres', reason: ' ' }]))).toEqual([
      'prod.availability.acceptedLosses[0].reason: got " ", expected a written reason of 10 or more characters: why the outage is accepted and how the tier recovers',
    ]);
    expect(problemsOf(withLosses([{ tier: 'redis', reason: 'cache only, rebuilt' }, { tier: 'redis', reason: 'cache only, rebuilt again' }]))).toEqual([
      'prod.availability.acceptedLosses[1]: got "redis", expected one acceptance per tier and availability zone',
    ]);
  });
});
