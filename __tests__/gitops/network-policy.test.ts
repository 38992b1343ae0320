/**
 * The NetworkPolicies as the VPC CNI enforces them (helpers/netpol-model.ts): per environment, the
 * exact set of allowed flows over a matrix of sources and destinations, stated here as policy.
 * Each VPC CNI rule that the policies depend on has a fixture that breaks it.
 */
import * as path from 'path';
import { ENVIRONMENTS as SETTINGS } from '../../config/environments';
import { ENVIRONMENTS, ENV_NAMES, GITOPS_DIR, SERVICES, sampleCluster, type EnvName } from './helpers/facts';
import { type Manifest } from './helpers/manifests';
import { generateApplication, renderApplicationSource } from './helpers/argocd';
import { kustomize } from './helpers/manifests';
import { evaluate, worldOf, type Destination, type World } from './helpers/netpol-model';

const deployed = {} as Record<EnvName, Manifest[]>;

beforeAll(() => {
  for (const env of ENV_NAMES) {
    const appSet = kustomize(path.join(GITOPS_DIR, 'argocd', env)).objects.find((o) => o.kind === 'ApplicationSet') as Manifest;
    deployed[env] = renderApplicationSource(generateApplication(appSet, sampleCluster(env))).objects;
  }
});

/** An address inside a CIDR of the settings (network + 10). */
const hostIn = (cidr: string, offset = 10): string => {
  const [a, b, c, d] = cidr.split('/')[0].split('.').map(Number);
  return [a, b, c, d + offset].join('.');
};

function addresses(env: EnvName) {
  const n = SETTINGS[env].network;
  return {
    node: hostIn(n.privateSubnetCidrs[0], 5),
    podPrefix: hostIn(n.privateSubnetCidrs[0], 0).split('.').slice(0, 3).join('.'),
    alb: hostIn(n.publicSubnetCidrs[0], 50), // internet-facing ALB, ip targets: its own address in a public subnet
    rds: hostIn(n.databaseSubnetCidrs[0], 10),
    cache: hostIn(n.databaseSubnetCidrs[1], 10),
  };
}

const world = (env: EnvName, objects = deployed[env]): World => {
  const a = addresses(env);
  return worldOf(structuredClone(objects), ENVIRONMENTS[env].namespace, { 'tiketi.com/environment': env }, { nodeIP: a.node, podCidrPrefix: a.podPrefix });
};

const TIKETI_PODS = [...SERVICES, 'db-migration'];
const INTERNAL = ['auth-service', 'ticket-service', 'payment-service', 'stats-service'];

/** Destinations of the matrix, by name. */
function destinations(env: EnvName): Record<string, Destination> {
  const a = addresses(env);
  const inCluster = ENVIRONMENTS[env].selfContained;
  return {
    ...Object.fromEntries(SERVICES.map((s) => [`svc:${s}`, { service: s, port: 'http' }])),
    'dns/udp': { service: 'kube-dns', namespace: 'kube-system', port: 53, protocol: 'UDP' },
    'dns/tcp': { service: 'kube-dns', namespace: 'kube-system', port: 53, protocol: 'TCP' },
    postgres: inCluster ? { service: 'postgres', port: 'postgres' } : { ip: a.rds, port: 5432 },
    redis: inCluster ? { service: 'redis', port: 'redis' } : { ip: a.cache, port: 6379 },
    'pod-identity-agent': { ip: '169.254.170.23', port: 80 },
    'aws-api:443': { ip: '52.95.195.109', port: 443 },
    'imds:80': { ip: '169.254.169.254', port: 80 },
    'internet:80': { ip: '52.95.195.109', port: 80 },
  };
}

/** The policy: which flows are allowed, everything else in the matrix is denied. */
function expectedAllowed(env: EnvName): string[] {
  const allowed: string[] = [];
  for (const p of TIKETI_PODS) {
    for (const s of INTERNAL) if (s !== p) allowed.push(`${p} -> svc:${s}`);
    allowed.push(`${p} -> dns/udp`, `${p} -> dns/tcp`, `${p} -> postgres`, `${p} -> redis`, `${p} -> pod-identity-agent`, `${p} -> aws-api:443`);
  }
  if (ENVIRONMENTS[env].selfContained) for (const d of ['postgres', 'redis']) allowed.push(`${d} -> dns/udp`, `${d} -> dns/tcp`);
  allowed.push('alb -> pod:backend:3000');
  return allowed.sort();
}

function allowedFlows(env: EnvName, w: World): string[] {
  const allowed: string[] = [];
  const dests = destinations(env);
  const sources = w.pods.filter((p) => p.namespace === ENVIRONMENTS[env].namespace).map((p) => p.name);
  for (const src of sources) {
    for (const [name, to] of Object.entries(dests)) {
      if ('service' in to && to.service === src) continue; // a pod calling its own Service: not a flow of interest
      if (evaluate(w, { pod: src }, to).allowed) allowed.push(`${src} -> ${name}`);
    }
  }
  const a = addresses(env);
  for (const pod of w.pods.filter((p) => p.namespace === ENVIRONMENTS[env].namespace)) {
    for (const port of pod.ports) {
      if (evaluate(w, { ip: a.alb }, { ip: pod.ip, port: port.containerPort, protocol: port.protocol }).allowed) allowed.push(`alb -> pod:${pod.name}:${port.containerPort}`);
    }
  }
  return allowed.sort();
}

describe.each(ENV_NAMES)('%s: flows as the VPC CNI enforces them', (env) => {
  test('exactly the allowed flows of the policy', () => {
    expect(allowedFlows(env, world(env))).toEqual(expectedAllowed(env));
  });

  test('the kubelet (node IP) reaches every pod for probes; nothing else from the node network is needed', () => {
    const w = world(env);
    for (const pod of w.pods.filter((p) => p.namespace === ENVIRONMENTS[env].namespace)) {
      for (const port of pod.ports) expect([pod.name, evaluate(w, { ip: w.nodeIP }, { ip: pod.ip, port: port.containerPort }).allowed]).toEqual([pod.name, true]);
    }
  });

  describe('fixtures the check must fail', () => {
    const mutated = (edit: (policies: Manifest[]) => void): World => {
      const objects = structuredClone(deployed[env]);
      edit(objects.filter((o) => o.kind === 'NetworkPolicy'));
      return world(env, objects);
    };
    const policy = (policies: Manifest[], name: string): Manifest => {
      const p = policies.find((x) => x.metadata.name === name);
      if (!p) throw new Error(`no NetworkPolicy ${name}`);
      return p;
    };

    test('an egress peer selecting by component label: the Service ClusterIP is dropped (#460), the pod IP is not', () => {
      const w = mutated((ps) => {
        policy(ps, 'allow-tiketi-egress').spec.egress[0].to = [{ podSelector: { matchLabels: { 'app.kubernetes.io/component': 'service' } } }];
      });
      expect(evaluate(w, { pod: 'backend' }, { service: 'auth-service', port: 'http' })).toEqual({ allowed: false, at: 'egress' });
      const authPod = w.pods.find((p) => p.name === 'auth-service');
      expect(evaluate(w, { pod: 'backend' }, { ip: authPod?.ip as string, port: 3000 }).allowed).toBe(true); // what plain Kubernetes semantics would allow
      expect(allowedFlows(env, w)).not.toEqual(expectedAllowed(env));
    });

    test('the ALB rule with a named port: the controller drops the whole rule', () => {
      const w = mutated((ps) => {
        policy(ps, 'allow-gateway-ingress').spec.ingress[0].ports = [{ port: 'http', protocol: 'TCP' }];
      });
      expect(evaluate(w, { ip: addresses(env).alb }, { ip: w.pods.find((p) => p.name === 'backend')?.ip as string, port: 3000 })).toEqual({ allowed: false, at: 'ingress' });
    });

    test('an ingress rule with pod peers and a named port: sources without that port name are left out', () => {
      const w = mutated((ps) => {
        policy(ps, 'allow-internal-services-ingress').spec.ingress[0].ports = [{ port: 'http', protocol: 'TCP' }];
      });
      // db-migration declares no port named http: it loses access; backend keeps it
      expect(evaluate(w, { pod: 'db-migration' }, { service: 'auth-service', port: 'http' })).toEqual({ allowed: false, at: 'ingress' });
      expect(evaluate(w, { pod: 'backend' }, { service: 'auth-service', port: 'http' }).allowed).toBe(true);
    });

    test('without the Pod Identity rule, credentials hang (a link-local address gets no exemption)', () => {
      const w = mutated((ps) => {
        const p = policy(ps, 'allow-tiketi-egress');
        p.spec.egress = p.spec.egress.filter((r: { to?: { ipBlock?: unknown }[] }) => !r.to?.some((x) => x.ipBlock));
      });
      expect(evaluate(w, { pod: 'backend' }, { ip: '169.254.170.23', port: 80 })).toEqual({ allowed: false, at: 'egress' });
    });

    test('a DNS peer that matches the CoreDNS pods but not the kube-dns Service selector', () => {
      const w = mutated((ps) => {
        policy(ps, 'allow-dns-egress').spec.egress[0].to[0].podSelector = { matchLabels: { 'eks.amazonaws.com/component': 'coredns' } };
      });
      expect(evaluate(w, { pod: 'backend' }, { service: 'kube-dns', namespace: 'kube-system', port: 53, protocol: 'UDP' })).toEqual({ allowed: false, at: 'egress' });
    });

    if (ENVIRONMENTS[env].selfContained) {
      test('the PostgreSQL ingress rule with its named port: every client is left out', () => {
        const w = mutated((ps) => {
          policy(ps, 'allow-postgres-from-tiketi').spec.ingress[0].ports = [{ port: 'postgres', protocol: 'TCP' }];
        });
        expect(evaluate(w, { pod: 'backend' }, { service: 'postgres', port: 'postgres' })).toEqual({ allowed: false, at: 'ingress' });
      });
    }
  });
});

test.each(ENV_NAMES)('%s: IPv6 entries are ignored in an IPv4 cluster, and the IPv4 Pod Identity address is what pods use', (env) => {
  const w = world(env);
  expect(evaluate(w, { pod: 'backend' }, { ip: '169.254.170.23', port: 80 }).allowed).toBe(true);
  expect(evaluate(w, { pod: 'backend' }, { ip: '169.254.170.23', port: 2703 }).allowed).toBe(false); // the agent's probe port is not for pods
});

/**
 * The monitoring and logging namespaces beside the environment's (gitops/platform): the pods of the chart
 * as its values label them (tiketi.com/monitoring-role) with the ports the operator and charts open, Fluent
 * Bit as rendered, and the platform controllers Terraform installs (namespaces without policies). The policy:
 * Prometheus reaches every scrape port; Grafana its datasources; Alertmanager its peers; the ALB Grafana;
 * nothing else gets in.
 */
describe.each(ENV_NAMES)('%s: monitoring flows', (env) => {
  const pod = (name: string, labels: Record<string, string>, ports: [string, number, ('TCP' | 'UDP')?][]): Manifest =>
    ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { template: { metadata: { labels }, spec: { containers: [{ name: 'c', ports: ports.map(([n, p, proto]) => ({ name: n, containerPort: p, protocol: proto ?? 'TCP' })) }] } } } }) as Manifest;
  const role = (r: string) => ({ 'tiketi.com/monitoring-role': r });
  const CHART_PODS = [
    pod('prometheus', role('prometheus'), [['web', 9090], ['reloader-web', 8080]]),
    pod('alertmanager', role('alertmanager'), [['http-web', 9093], ['mesh-tcp', 9094], ['mesh-udp', 9094, 'UDP'], ['reloader-web', 8080]]),
    pod('grafana', role('grafana'), [['grafana', 3000]]),
    pod('kube-state-metrics', role('kube-state-metrics'), [['http', 8080], ['metrics', 8081]]),
    pod('operator', role('operator'), [['http', 8080]]),
  ];
  const CONTROLLERS: [string, string, Manifest][] = [
    ['argocd', 'argocd', pod('argocd-application-controller', { 'app.kubernetes.io/part-of': 'argocd' }, [['metrics', 8082]])],
    ['kube-system', 'kube-system', pod('aws-load-balancer-controller', { 'app.kubernetes.io/name': 'aws-load-balancer-controller' }, [['metrics-server', 8080]])],
    ['kube-system', 'kube-system-2', pod('coredns-metrics', { 'k8s-app': 'kube-dns' }, [['metrics', 9153]])],
    ['external-dns', 'external-dns', pod('external-dns', { 'app.kubernetes.io/name': 'external-dns' }, [['http', 7979]])],
  ];

  function platformWorld(): World {
    const a = addresses(env);
    const base = world(env);
    const prefix = (third: number) => a.podPrefix.split('.').slice(0, 2).concat(String(Number(a.podPrefix.split('.')[2]) + third)).join('.');
    const monitoring = kustomize(path.join(GITOPS_DIR, 'platform', 'monitoring', 'overlays', env)).objects;
    const logging = kustomize(path.join(GITOPS_DIR, 'platform', 'logging', 'overlays', env)).objects;
    const mon = worldOf([...CHART_PODS, ...monitoring], 'monitoring', {}, { nodeIP: a.node, podCidrPrefix: prefix(1) });
    const agents = worldOf(logging, 'node-agents', {}, { nodeIP: a.node, podCidrPrefix: prefix(2) });
    const others = CONTROLLERS.map(([ns, , obj], i) => worldOf([obj], ns, {}, { nodeIP: a.node, podCidrPrefix: prefix(3 + i) }));
    const notCoreDns = (w: World) => w.pods.filter((p) => p.name !== 'coredns');
    return {
      ...base,
      namespaces: { ...base.namespaces, ...mon.namespaces, ...agents.namespaces, ...Object.assign({}, ...others.map((w) => w.namespaces)) },
      pods: [...base.pods, ...notCoreDns(mon), ...notCoreDns(agents), ...others.flatMap(notCoreDns)],
      policies: [...base.policies, ...mon.policies, ...agents.policies],
    };
  }

  test('Prometheus scrapes every target; Grafana reads Prometheus and Alertmanager; the ALB reaches Grafana; nothing else in the matrix', () => {
    const w = platformWorld();
    const a = addresses(env);
    const otherNode = hostIn(SETTINGS[env].network.privateSubnetCidrs[1], 7);
    const ip = (name: string) => w.pods.find((p) => p.name === name)!.ip;
    const targets: [string, string, number, ('TCP' | 'UDP')?][] = [
      ...SERVICES.flatMap((s): [string, string, number][] => [[`${s}:9464`, s, 9464], [`${s}:3000`, s, 3000]]),
      ['prometheus:9090', 'prometheus', 9090], ['prometheus:8080', 'prometheus', 8080],
      ['alertmanager:9093', 'alertmanager', 9093], ['alertmanager:8080', 'alertmanager', 8080], ['alertmanager:9094', 'alertmanager', 9094], ['alertmanager:9094/udp', 'alertmanager', 9094, 'UDP'],
      ['grafana:3000', 'grafana', 3000], ['kube-state-metrics:8080', 'kube-state-metrics', 8080], ['kube-state-metrics:8081', 'kube-state-metrics', 8081], ['operator:8080', 'operator', 8080],
      ['fluent-bit:2020', 'fluent-bit', 2020], ['argocd-application-controller:8082', 'argocd-application-controller', 8082],
      ['aws-load-balancer-controller:8080', 'aws-load-balancer-controller', 8080], ['coredns:9153', 'coredns-metrics', 9153], ['external-dns:7979', 'external-dns', 7979],
    ];
    const nodeTargets: [string, number][] = [['node:10250', 10250], ['node:9100', 9100]];
    const sources = ['prometheus', 'alertmanager', 'grafana', 'kube-state-metrics', 'operator', 'fluent-bit', 'backend', 'auth-service'];
    const allowed: string[] = [];
    const nsOf = (name: string) => w.pods.find((p) => p.name === name)!.namespace;
    const guarded = (target: string) => ['monitoring', 'node-agents', ENVIRONMENTS[env].namespace].includes(nsOf(target));
    for (const src of [...sources, 'alb']) {
      const from = src === 'alb' ? { ip: a.alb } : { pod: src };
      const tiketi = (SERVICES as readonly string[]).includes(src);
      for (const [name, target, port, protocol] of targets) {
        // Prometheus against everything; the others against the namespaces that have policies (the flows
        // between the services themselves are the environment test's above)
        if (src !== 'prometheus' && !guarded(target)) continue;
        if (tiketi && nsOf(target) === ENVIRONMENTS[env].namespace && port !== 9464) continue;
        if (evaluate(w, from, { ip: ip(target), port, protocol }).allowed) allowed.push(`${src} -> ${name}`);
      }
      if (src !== 'alb') for (const [name, port] of nodeTargets) if (evaluate(w, from, { ip: otherNode, port }).allowed) allowed.push(`${src} -> ${name}`);
    }
    const scrapes = ['prometheus:9090', 'prometheus:8080', 'alertmanager:9093', 'alertmanager:8080', 'grafana:3000', 'kube-state-metrics:8080', 'kube-state-metrics:8081', 'operator:8080', 'fluent-bit:2020',
      'argocd-application-controller:8082', 'aws-load-balancer-controller:8080', 'coredns:9153', 'external-dns:7979', 'node:10250', 'node:9100', ...SERVICES.map((s) => `${s}:9464`)];
    const expected = [
      ...scrapes.map((t) => `prometheus -> ${t}`),
      // backend's 3000 takes any source by design (the ALB's ip targets): Prometheus may reach it like the internet does
      'prometheus -> backend:3000',
      'grafana -> prometheus:9090', 'grafana -> alertmanager:9093',
      'alertmanager -> alertmanager:9094', 'alertmanager -> alertmanager:9094/udp',
      'alb -> grafana:3000', 'alb -> backend:3000',
    ];
    expect(allowed.sort()).toEqual(expected.sort());
  });

  test('fixture: without the services\' scrape policy, Prometheus cannot reach their metrics (default deny)', () => {
    const w = platformWorld();
    const broken = { ...w, policies: w.policies.filter((p) => p.metadata.name !== 'allow-prometheus-scrape') };
    const backend = w.pods.find((p) => p.name === 'backend')!;
    expect(evaluate(broken, { pod: 'prometheus' }, { ip: backend.ip, port: 9464 })).toEqual({ allowed: false, at: 'ingress' });
  });

  test('fixture: a named port in the Grafana ingress rule (no pod peer): the controller drops the rule and the ALB loses Grafana', () => {
    const w = platformWorld();
    const policies = structuredClone(w.policies);
    policies.find((p) => p.metadata.name === 'allow-grafana')!.spec.ingress[0].ports = [{ port: 'grafana', protocol: 'TCP' }];
    expect(evaluate({ ...w, policies }, { ip: addresses(env).alb }, { ip: w.pods.find((p) => p.name === 'grafana')!.ip, port: 3000 })).toEqual({ allowed: false, at: 'ingress' });
  });
});

/**
 * Who may talk to whom, on which port: the NetworkPolicies of each rendered overlay, enforced as the VPC
 * CNI does (helpers/netpol-model.ts), swept over every source and destination below and compared with the
 * policy written out as a literal table per environment. The table is the policy (the header of
 * gitops/components/network-policies/kustomization.yaml); nothing in it is derived from the manifests.
 * The tests above cover the VPC CNI's quirks; these the rules' contents: a database egress rule turned
 * into allow-all, an ingress rule without `from`, a wider port list or range, a peer in another
 * namespace: each changes a row of the table.
 */
describe('flows swept over every source, destination and port, against a literal table per environment', () => {
  const rendered = {} as Record<EnvName, Manifest[]>;
  beforeAll(() => {
    for (const env of ENV_NAMES) rendered[env] = kustomize(path.join(GITOPS_DIR, 'overlays', env)).objects;
  });

  /** An address inside a CIDR (network + offset). */
  const hostIn = (cidr: string, offset: number): string => {
    const [a, b, c, d] = cidr.split('/')[0].split('.').map(Number);
    return [a, b, c, d + offset].join('.');
  };

  /** Addresses outside the namespace's pods: where they sit is what the rules are about. */
  function places(env: EnvName) {
    const n = SETTINGS[env].network;
    return {
      node: hostIn(n.privateSubnetCidrs[0], 5),
      podPrefix: hostIn(n.privateSubnetCidrs[0], 0).split('.').slice(0, 3).join('.'),
      foreignPrefix: hostIn(n.privateSubnetCidrs[1], 0).split('.').slice(0, 3).join('.'),
      alb: hostIn(n.publicSubnetCidrs[0], 50),
      database: hostIn(n.databaseSubnetCidrs[0], 10), // RDS / ElastiCache ENIs
      internet: '52.95.195.109',
    };
  }

  /**
   * The environment's namespace as rendered, plus pods of other namespaces that must NOT get in: one wearing
   * Tiketi's own labels (a `from` without namespace scoping would let it), Prometheus (its scrape port only)
   * and another monitoring pod.
   */
  function worldFor(env: EnvName, objects: Manifest[] = rendered[env]): World {
    const p = places(env);
    const ns = ENVIRONMENTS[env].namespace;
    const base = worldOf(structuredClone(objects), ns, { 'tiketi.com/environment': env }, { nodeIP: p.node, podCidrPrefix: p.podPrefix });
    const foreign = (name: string, namespace: string, labels: Record<string, string>, ip: string) => ({ name, namespace, labels, ip, ports: [] });
    return {
      ...base,
      namespaces: {
        ...base.namespaces,
        intruder: { 'kubernetes.io/metadata.name': 'intruder' },
        monitoring: { 'kubernetes.io/metadata.name': 'monitoring' },
      },
      pods: [
        ...base.pods,
        foreign('lookalike', 'intruder', { 'app.kubernetes.io/part-of': 'tiketi', 'app.kubernetes.io/name': 'backend', 'app.kubernetes.io/component': 'service' }, `${p.foreignPrefix}.31`),
        foreign('prometheus', 'monitoring', { 'tiketi.com/monitoring-role': 'prometheus' }, `${p.foreignPrefix}.32`),
        foreign('grafana', 'monitoring', { 'tiketi.com/monitoring-role': 'grafana' }, `${p.foreignPrefix}.33`),
      ],
    };
  }

  /** Ports each destination is tried on: the ones in use, their neighbours (a range or an off-by-one), and common others. */
  const PORT_SWEEP = [22, 53, 80, 443, 444, 3000, 5431, 5432, 5433, 6000, 6379, 6380, 8080, 9464];

  /**
   * Every flow the policies allow, as `source -> destination:port[/udp]`. Sources: each pod of the namespace,
   * the pods of other namespaces, the ALB, a host in the database subnets, the internet. Destinations: each
   * pod of the namespace on every port of the sweep and its own ports, each Service's ports (ClusterIP, as a
   * client sees it), DNS, the Pod Identity agent, IMDS, the database subnets and the internet on the sweep.
   * Flows that only the kubelet's node IP uses are left out (always allowed by the agent).
   */
  function allowedFlows(env: EnvName, w: World): string[] {
    const p = places(env);
    const ns = ENVIRONMENTS[env].namespace;
    const local = w.pods.filter((x) => x.namespace === ns);
    const flows = new Set<string>();
    const tcp = (port: number, protocol: string) => (protocol === 'TCP' ? `${port}` : `${port}/${protocol.toLowerCase()}`);
    const podTargets = local.flatMap((pod) => {
      const ports = new Map<string, { port: number; protocol: 'TCP' | 'UDP' | 'SCTP' }>();
      for (const port of PORT_SWEEP) ports.set(`${port}/TCP`, { port, protocol: 'TCP' });
      for (const cp of pod.ports) ports.set(`${cp.containerPort}/${cp.protocol}`, { port: cp.containerPort, protocol: cp.protocol });
      return [...ports.values()].map((x) => ({ label: `${pod.name}:${tcp(x.port, x.protocol)}`, to: { ip: pod.ip, port: x.port, protocol: x.protocol } as Destination, pod: pod.name }));
    });
    const serviceTargets = w.services
      .filter((s) => s.namespace === ns && s.clusterIP !== 'None')
      .flatMap((s) => s.ports.map((sp) => ({ label: `svc/${s.name}:${tcp(sp.port, sp.protocol)}`, to: { service: s.name, namespace: ns, port: sp.port, protocol: sp.protocol } as Destination, pod: s.name })));
    const outside: { label: string; to: Destination }[] = [
      { label: 'dns:53/udp', to: { service: 'kube-dns', namespace: 'kube-system', port: 53, protocol: 'UDP' } },
      { label: 'dns:53', to: { service: 'kube-dns', namespace: 'kube-system', port: 53, protocol: 'TCP' } },
      { label: 'pod-identity:80', to: { ip: '169.254.170.23', port: 80 } },
      { label: 'pod-identity:2703', to: { ip: '169.254.170.23', port: 2703 } },
      { label: 'imds:80', to: { ip: '169.254.169.254', port: 80 } },
      ...PORT_SWEEP.map((port) => ({ label: `database-subnet:${port}`, to: { ip: p.database, port } as Destination })),
      ...PORT_SWEEP.map((port) => ({ label: `internet:${port}`, to: { ip: p.internet, port } as Destination })),
      ...PORT_SWEEP.map((port) => ({ label: `internet:${port}/udp`, to: { ip: p.internet, port, protocol: 'UDP' } as Destination })),
    ];
    const sources: { label: string; from: { pod: string } | { ip: string } }[] = [
      ...w.pods.filter((x) => x.namespace !== 'kube-system').map((x) => ({ label: x.name, from: { pod: x.name } })),
      { label: 'alb', from: { ip: p.alb } },
      { label: 'database-subnet', from: { ip: p.database } },
      { label: 'internet', from: { ip: p.internet } },
    ];
    for (const src of sources) {
      const inNamespace = 'pod' in src.from && local.some((x) => x.name === src.label);
      for (const t of [...podTargets, ...serviceTargets]) {
        if (t.pod === src.label) continue; // a pod and its own Service: not a flow between workloads
        if (!inNamespace && t.label.startsWith('svc/')) continue; // ClusterIPs: the namespace's clients (for others, the pod IP rows say the same)
        if (evaluate(w, src.from, t.to).allowed) flows.add(`${src.label} -> ${t.label}`);
      }
      // where the namespace's pods may go outside it (other sources are not isolated: their own namespaces' business)
      if (inNamespace) for (const t of outside) if (evaluate(w, src.from, t.to).allowed) flows.add(`${src.label} -> ${t.label}`);
    }
    return [...flows].sort();
  }

  // ---- The policy, per environment -------------------------------------------------------------------------

  /** What every Tiketi workload (the five services and the migration Job) may reach outside its namespace. */
  const TIKETI_EGRESS_OUT = [
    'dns:53/udp', 'dns:53',
    'pod-identity:80',
    // PostgreSQL and Redis wherever they are (RDS/ElastiCache addresses are not known to the cluster), HTTPS for AWS APIs and the payment provider
    'database-subnet:443', 'database-subnet:5432', 'database-subnet:6379',
    'internet:443', 'internet:5432', 'internet:6379',
  ];
  const INTERNAL = ['auth-service', 'ticket-service', 'payment-service', 'stats-service'];
  const rows = (src: string, dests: string[]) => dests.map((d) => `${src} -> ${d}`);
  /** A Tiketi workload's flows: the internal services on 3000 (pod and Service) and the outside list. */
  const tiketiClient = (src: string, extra: string[] = []) =>
    rows(src, [...INTERNAL.filter((s) => s !== src).flatMap((s) => [`${s}:3000`, `svc/${s}:80`]), ...TIKETI_EGRESS_OUT, ...extra]);

  /** Ingress from outside the namespace: the ALB (and so anything) reaches backend:3000; Prometheus every metrics port. */
  const FROM_OUTSIDE = [
    'alb -> backend:3000', 'database-subnet -> backend:3000', 'internet -> backend:3000', 'lookalike -> backend:3000', 'grafana -> backend:3000', 'prometheus -> backend:3000',
    // the scrape policy selects every Tiketi workload, the migration Job included
    ...['backend', ...INTERNAL, 'db-migration'].map((s) => `prometheus -> ${s}:9464`),
  ];

  /** dev's in-cluster stores (headless Services: clients reach the pod IPs). */
  const DEV_IN_CLUSTER_DATA = ['postgres:5432', 'redis:6379'];

  /** staging and prod: every Tiketi workload's flows, with RDS and ElastiCache outside the cluster. */
  const MANAGED_DATA_FLOWS = [
    ...tiketiClient('backend'),
    ...tiketiClient('auth-service'),
    ...tiketiClient('ticket-service'),
    ...tiketiClient('payment-service'),
    ...tiketiClient('stats-service'),
    ...tiketiClient('db-migration'),
    ...FROM_OUTSIDE,
  ];

  const POLICY: Record<EnvName, string[]> = {
    // dev: PostgreSQL and Redis run in the namespace; every Tiketi workload reaches them, nothing else does.
    dev: [
      ...tiketiClient('backend', DEV_IN_CLUSTER_DATA),
      ...tiketiClient('auth-service', DEV_IN_CLUSTER_DATA),
      ...tiketiClient('ticket-service', DEV_IN_CLUSTER_DATA),
      ...tiketiClient('payment-service', DEV_IN_CLUSTER_DATA),
      ...tiketiClient('stats-service', DEV_IN_CLUSTER_DATA),
      ...tiketiClient('db-migration', DEV_IN_CLUSTER_DATA),
      // the stores themselves only resolve names: no egress to anything else, not even backend
      ...rows('postgres', ['dns:53/udp', 'dns:53']),
      ...rows('redis', ['dns:53/udp', 'dns:53']),
      ...FROM_OUTSIDE,
    ],
    // staging and prod: RDS and ElastiCache outside the cluster, the same flows in both.
    staging: MANAGED_DATA_FLOWS,
    prod: MANAGED_DATA_FLOWS,
  };

  describe.each(ENV_NAMES)('%s: the allowed flows are exactly the policy', (env) => {
    test('every source, destination and port of the sweep', () => {
      const w = worldFor(env);
      expect(allowedFlows(env, w)).toEqual([...POLICY[env]].sort());
    });

    // The fixtures prove the table can fail; dev (in-cluster stores) and prod (AWS stores) cover both layouts,
    // staging's table is prod's layout, so its sweep alone is enough there (and keeps the file fast).
    if (env !== 'staging') describe('fixtures the table must catch', () => {
      const broken = (edit: (policies: Manifest[]) => void): string[] => {
        const objects = structuredClone(rendered[env]);
        edit(objects.filter((o) => o.kind === 'NetworkPolicy'));
        return allowedFlows(env, worldFor(env, objects));
      };
      const named = (ps: Manifest[], name: string) => {
        const found = ps.find((x) => x.metadata.name === name);
        if (!found) throw new Error(`no NetworkPolicy ${name}`);
        return found;
      };
      const diff = (flows: string[]) => ({ extra: flows.filter((f) => !POLICY[env].includes(f)), missing: POLICY[env].filter((f) => !flows.includes(f)) });

      test('the database egress rule without its ports (allow-all)', () => {
        const { extra } = diff(broken((ps) => {
          const egress = named(ps, 'allow-tiketi-egress').spec.egress;
          delete egress.find((r: any) => r.ports?.some((x: any) => x.port === 5432)).ports;
        }));
        expect(extra).toEqual(expect.arrayContaining(['backend -> internet:22', 'backend -> internet:80', 'backend -> imds:80']));
      });

      test('the internal services ingress rule without `from`', () => {
        const { extra } = diff(broken((ps) => {
          delete named(ps, 'allow-internal-services-ingress').spec.ingress[0].from;
        }));
        expect(extra).toEqual(expect.arrayContaining(['alb -> auth-service:3000', 'lookalike -> payment-service:3000']));
      });

      test('the Prometheus scrape rule without `from`', () => {
        const { extra } = diff(broken((ps) => {
          delete named(ps, 'allow-prometheus-scrape').spec.ingress[0].from;
        }));
        expect(extra).toEqual(expect.arrayContaining(['alb -> auth-service:9464', 'grafana -> backend:9464']));
      });

      test('plain HTTP added beside the HTTPS egress port', () => {
        const { extra } = diff(broken((ps) => {
          named(ps, 'allow-tiketi-egress').spec.egress.find((r: any) => r.ports?.some((x: any) => x.port === 443)).ports.push({ port: 80, protocol: 'TCP' });
        }));
        expect(extra).toEqual(expect.arrayContaining(['backend -> internet:80', 'db-migration -> imds:80']));
      });

      test('the DNS rule reaching every namespace, not only kube-system\'s CoreDNS', () => {
        const { extra } = diff(broken((ps) => {
          named(ps, 'allow-dns-egress').spec.egress[0].to = undefined;
        }));
        expect(extra).toEqual(expect.arrayContaining(['backend -> internet:53/udp']));
      });

      if (ENVIRONMENTS[env].selfContained) {
        test('the in-cluster PostgreSQL ingress rule without `from`', () => {
          const { extra } = diff(broken((ps) => {
            delete named(ps, 'allow-postgres-from-tiketi').spec.ingress[0].from;
          }));
          expect(extra).toEqual(expect.arrayContaining(['alb -> postgres:5432', 'lookalike -> postgres:5432']));
        });
      }
    });
  });
});
