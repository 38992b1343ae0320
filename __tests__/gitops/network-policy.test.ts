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

test('IPv6 entries are ignored in an IPv4 cluster, and the IPv4 Pod Identity address is what pods use', () => {
  const w = world('prod');
  expect(evaluate(w, { pod: 'backend' }, { ip: '169.254.170.23', port: 80 }).allowed).toBe(true);
  expect(evaluate(w, { pod: 'backend' }, { ip: '169.254.170.23', port: 2703 }).allowed).toBe(false); // the agent's probe port is not for pods
});
