/**
 * Who may talk to whom, on which port: the NetworkPolicies of each rendered overlay, enforced as the VPC
 * CNI does (helpers/netpol-model.ts), swept over every source and destination below and compared with the
 * policy written out as a literal table per environment. The table is the policy (gitops/components/
 * network-policies/README header, docs/gitops-bridge.md); nothing in it is derived from the manifests.
 * network-policy.test.ts covers the VPC CNI's quirks; this file covers the rules' contents: a database
 * egress rule turned into allow-all, an ingress rule without `from`, a wider port list, a policy dropped:
 * each changes a row of the table.
 */
import * as path from 'path';
import { ENVIRONMENTS as SETTINGS } from '../../config/environments';
import { ENVIRONMENTS, ENV_NAMES, GITOPS_DIR, type EnvName } from './helpers/facts';
import { kustomize, type Manifest } from './helpers/manifests';
import { evaluate, worldOf, type Destination, type World } from './helpers/netpol-model';

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
  staging: [
    ...tiketiClient('backend'),
    ...tiketiClient('auth-service'),
    ...tiketiClient('ticket-service'),
    ...tiketiClient('payment-service'),
    ...tiketiClient('stats-service'),
    ...tiketiClient('db-migration'),
    ...FROM_OUTSIDE,
  ],
  prod: [
    ...tiketiClient('backend'),
    ...tiketiClient('auth-service'),
    ...tiketiClient('ticket-service'),
    ...tiketiClient('payment-service'),
    ...tiketiClient('stats-service'),
    ...tiketiClient('db-migration'),
    ...FROM_OUTSIDE,
  ],
};

describe.each(ENV_NAMES)('%s: the allowed flows are exactly the policy', (env) => {
  test('every source, destination and port of the sweep', () => {
    const w = worldFor(env);
    expect(allowedFlows(env, w)).toEqual([...POLICY[env]].sort());
  });

  describe('fixtures the table must catch', () => {
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
