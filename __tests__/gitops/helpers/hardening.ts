/**
 * Pod hardening checks, named after the kube-linter check (or Polaris check) they reproduce, run on
 * every pod template the overlays render (Deployments, StatefulSets, Jobs). Each check also knows how
 * to break a compliant workload, so the tests prove that every check can fail.
 */
import type { Manifest } from './manifests';
import { matchesSelector } from './manifests';

type Any = any;

export interface Workload {
  readonly obj: Manifest;
  readonly pod: Any;
  readonly longRunning: boolean;
}

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'];

export function workloads(objects: Manifest[]): Workload[] {
  return objects
    .filter((o) => WORKLOAD_KINDS.includes(o.kind))
    .map((obj) => {
      const template = obj.kind === 'CronJob' ? obj.spec.jobTemplate.spec.template : obj.spec.template;
      return { obj, pod: template, longRunning: !['Job', 'CronJob'].includes(obj.kind) };
    });
}

export interface Check {
  /** kube-linter check name, or the Polaris one when kube-linter has none. */
  readonly id: string;
  readonly equivalents: string;
  /** Violations for one workload; `objects` is the whole rendered overlay. */
  run(w: Workload, objects: Manifest[]): string[];
  /** Mutates a (cloned) compliant workload so that this check must fail. */
  breakIt(w: Workload): void;
}

const containers = (w: Workload): Any[] => [...(w.pod.spec.initContainers ?? []), ...w.pod.spec.containers];
const each = (w: Workload, fn: (c: Any) => string | undefined): string[] =>
  containers(w).flatMap((c) => {
    const problem = fn(c);
    return problem ? [`container ${c.name}: ${problem}`] : [];
  });
const sc = (c: Any): Any => c.securityContext ?? {};
const podSc = (w: Workload): Any => w.pod.spec.securityContext ?? {};
const first = (w: Workload): Any => w.pod.spec.containers[0];
const probePort = (probe: Any): Any => probe?.httpGet?.port ?? probe?.tcpSocket?.port ?? probe?.grpc?.port;
const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE_?KEY|API_?KEY)/i;

function probeCheck(id: string, field: 'livenessProbe' | 'readinessProbe' | 'startupProbe', equivalents: string): Check {
  return {
    id,
    equivalents,
    run: (w) => (w.longRunning ? each(w, (c) => (c[field] ? undefined : `no ${field}`)) : []),
    breakIt: (w) => {
      delete first(w)[field];
    },
  };
}

/** The pod must not share a host namespace (`hostNetwork`, `hostPID`, `hostIPC`). */
function hostNamespaceCheck(id: string, field: 'hostNetwork' | 'hostPID' | 'hostIPC', equivalents: string): Check {
  return {
    id,
    equivalents,
    run: (w) => (w.pod.spec[field] ? [field] : []),
    breakIt: (w) => {
      w.pod.spec[field] = true;
    },
  };
}

function portCheck(id: string, field: 'livenessProbe' | 'readinessProbe' | 'startupProbe'): Check {
  return {
    id,
    equivalents: `kube-linter ${id}`,
    run: (w) =>
      each(w, (c) => {
        const port = probePort(c[field]);
        if (port === undefined) return undefined;
        const known = (c.ports ?? []).some((p: Any) => p.name === port || p.containerPort === port);
        return known ? undefined : `${field} targets port ${port}, which the container does not declare`;
      }),
    breakIt: (w) => {
      first(w)[field] = { httpGet: { path: '/health', port: 'nope' } };
    },
  };
}

export const CHECKS: readonly Check[] = [
  {
    id: 'run-as-non-root',
    equivalents: 'kube-linter run-as-non-root; Polaris runAsRootAllowed',
    run: (w) =>
      each(w, (c) => {
        const nonRoot = sc(c).runAsNonRoot ?? podSc(w).runAsNonRoot;
        const user = sc(c).runAsUser ?? podSc(w).runAsUser;
        return nonRoot === true && user !== 0 ? undefined : `runAsNonRoot=${nonRoot} runAsUser=${user}`;
      }),
    breakIt: (w) => {
      first(w).securityContext = { ...sc(first(w)), runAsUser: 0 };
    },
  },
  {
    id: 'no-read-only-root-fs',
    equivalents: 'kube-linter no-read-only-root-fs; Polaris notReadOnlyRootFilesystem',
    run: (w) => each(w, (c) => (sc(c).readOnlyRootFilesystem === true ? undefined : 'root filesystem is writable')),
    breakIt: (w) => {
      first(w).securityContext.readOnlyRootFilesystem = false;
    },
  },
  {
    id: 'privilege-escalation-container',
    equivalents: 'kube-linter privilege-escalation-container; Polaris privilegeEscalationAllowed',
    run: (w) => each(w, (c) => (sc(c).allowPrivilegeEscalation === false ? undefined : 'allowPrivilegeEscalation is not false')),
    breakIt: (w) => {
      delete first(w).securityContext.allowPrivilegeEscalation;
    },
  },
  {
    id: 'privileged-container',
    equivalents: 'kube-linter privileged-container; Polaris runAsPrivileged',
    run: (w) => each(w, (c) => (sc(c).privileged === true ? 'privileged' : undefined)),
    breakIt: (w) => {
      first(w).securityContext.privileged = true;
    },
  },
  {
    id: 'drop-net-raw-capability',
    equivalents: 'kube-linter drop-net-raw-capability; Polaris insecureCapabilities (we require drop ALL)',
    run: (w) => each(w, (c) => ((sc(c).capabilities?.drop ?? []).includes('ALL') ? undefined : 'capabilities.drop lacks ALL')),
    breakIt: (w) => {
      first(w).securityContext.capabilities = { drop: ['NET_ADMIN'] };
    },
  },
  {
    id: 'dangerous-capabilities',
    equivalents: 'Polaris dangerousCapabilities (no capability added back)',
    run: (w) => each(w, (c) => ((sc(c).capabilities?.add ?? []).length === 0 ? undefined : `adds ${sc(c).capabilities.add}`)),
    breakIt: (w) => {
      first(w).securityContext.capabilities.add = ['SYS_ADMIN'];
    },
  },
  {
    id: 'seccomp-runtime-default',
    equivalents: 'Polaris linuxHardening (seccomp RuntimeDefault); Pod Security "restricted"',
    run: (w) =>
      each(w, (c) => {
        const type = sc(c).seccompProfile?.type ?? podSc(w).seccompProfile?.type;
        return type === 'RuntimeDefault' || type === 'Localhost' ? undefined : `seccompProfile ${type}`;
      }),
    breakIt: (w) => {
      w.pod.spec.securityContext.seccompProfile = { type: 'Unconfined' };
    },
  },
  {
    id: 'unset-cpu-requirements',
    equivalents: 'kube-linter unset-cpu-requirements; Polaris cpuRequestsMissing',
    run: (w) => each(w, (c) => (c.resources?.requests?.cpu ? undefined : 'no CPU request')),
    breakIt: (w) => {
      delete first(w).resources.requests.cpu;
    },
  },
  {
    id: 'unset-memory-requirements',
    equivalents: 'kube-linter unset-memory-requirements; Polaris memoryRequestsMissing, memoryLimitsMissing',
    run: (w) =>
      each(w, (c) => (c.resources?.requests?.memory && c.resources?.limits?.memory ? undefined : 'memory request or limit missing')),
    breakIt: (w) => {
      delete first(w).resources.limits.memory;
    },
  },
  {
    id: 'latest-tag',
    equivalents: 'kube-linter latest-tag; Polaris tagNotSpecified',
    run: (w) =>
      each(w, (c) => {
        const image: string = c.image ?? '';
        if (image.includes('@sha256:')) return undefined;
        const tag = /:([^/:]+)$/.exec(image)?.[1];
        return tag && tag !== 'latest' ? undefined : `image ${image} has no pinned tag`;
      }),
    breakIt: (w) => {
      first(w).image = 'tiketi-backend:latest';
    },
  },
  probeCheck('no-liveness-probe', 'livenessProbe', 'kube-linter no-liveness-probe; Polaris livenessProbeMissing'),
  probeCheck('no-readiness-probe', 'readinessProbe', 'kube-linter no-readiness-probe; Polaris readinessProbeMissing'),
  probeCheck('no-startup-probe', 'startupProbe', 'issue 6 requirement (kube-linter startup-port checks its port)'),
  portCheck('liveness-port', 'livenessProbe'),
  portCheck('readiness-port', 'readinessProbe'),
  portCheck('startup-port', 'startupProbe'),
  hostNamespaceCheck('host-network', 'hostNetwork', 'kube-linter host-network; Polaris hostNetworkSet'),
  hostNamespaceCheck('host-pid', 'hostPID', 'kube-linter host-pid; Polaris hostPIDSet'),
  hostNamespaceCheck('host-ipc', 'hostIPC', 'kube-linter host-ipc; Polaris hostIPCSet'),
  {
    id: 'host-port',
    equivalents: 'Polaris hostPortSet',
    run: (w) => each(w, (c) => ((c.ports ?? []).some((p: Any) => p.hostPort) ? 'uses a hostPort' : undefined)),
    breakIt: (w) => {
      first(w).ports = [{ containerPort: 3000, hostPort: 3000 }];
    },
  },
  {
    id: 'sensitive-host-mounts',
    equivalents: 'kube-linter sensitive-host-mounts, writable-host-mount, docker-sock (no hostPath at all)',
    run: (w) => (w.pod.spec.volumes ?? []).filter((v: Any) => v.hostPath).map((v: Any) => `hostPath volume ${v.name}`),
    breakIt: (w) => {
      w.pod.spec.volumes = [...(w.pod.spec.volumes ?? []), { name: 'sock', hostPath: { path: '/var/run/docker.sock' } }];
    },
  },
  {
    id: 'privileged-ports',
    equivalents: 'kube-linter privileged-ports, ssh-port',
    run: (w) =>
      each(w, (c) => ((c.ports ?? []).some((p: Any) => p.containerPort < 1024) ? 'listens on a port below 1024' : undefined)),
    breakIt: (w) => {
      first(w).ports = [{ name: 'ssh', containerPort: 22 }];
    },
  },
  {
    id: 'unsafe-sysctls',
    equivalents: 'kube-linter unsafe-sysctls, unsafe-proc-mount; Polaris procMount',
    run: (w) => [
      ...(podSc(w).sysctls?.length ? ['sets sysctls'] : []),
      ...each(w, (c) => (sc(c).procMount && sc(c).procMount !== 'Default' ? `procMount ${sc(c).procMount}` : undefined)),
    ],
    breakIt: (w) => {
      w.pod.spec.securityContext.sysctls = [{ name: 'kernel.shm_rmid_forced', value: '0' }];
    },
  },
  {
    id: 'env-var-secret',
    equivalents: 'kube-linter env-var-secret; Polaris sensitiveContainerEnvVar',
    run: (w) =>
      each(w, (c) => {
        const inline = (c.env ?? []).filter((e: Any) => SECRET_NAME.test(e.name) && e.value !== undefined);
        return inline.length ? `secret-looking env with an inline value: ${inline.map((e: Any) => e.name)}` : undefined;
      }),
    breakIt: (w) => {
      first(w).env = [...(first(w).env ?? []), { name: 'JWT_SECRET', value: 'hunter2' }];
    },
  },
  {
    id: 'default-service-account',
    equivalents: 'kube-linter default-service-account',
    run: (w) => {
      const name = w.pod.spec.serviceAccountName;
      return name && name !== 'default' ? [] : ['runs as the default service account'];
    },
    breakIt: (w) => {
      delete w.pod.spec.serviceAccountName;
    },
  },
  {
    id: 'non-existent-service-account',
    equivalents: 'kube-linter non-existent-service-account',
    run: (w, objects) => {
      const name = w.pod.spec.serviceAccountName;
      return objects.some((o) => o.kind === 'ServiceAccount' && o.metadata.name === name) ? [] : [`service account ${name} is not rendered`];
    },
    breakIt: (w) => {
      w.pod.spec.serviceAccountName = 'ghost';
    },
  },
  {
    id: 'automount-service-account-token',
    equivalents: 'Polaris automountServiceAccountToken (no workload here talks to the Kubernetes API)',
    run: (w, objects) => {
      const sa = objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === w.pod.spec.serviceAccountName);
      const mounted = w.pod.spec.automountServiceAccountToken ?? sa?.automountServiceAccountToken ?? true;
      return mounted === false ? [] : ['the service account token is mounted'];
    },
    breakIt: (w) => {
      w.pod.spec.automountServiceAccountToken = true;
    },
  },
  {
    id: 'writable-tmp-emptydir',
    equivalents: 'issue 6 requirement (read-only root filesystem with an emptyDir for /tmp)',
    run: (w) =>
      each(w, (c) => {
        const mount = (c.volumeMounts ?? []).find((m: Any) => m.mountPath === '/tmp');
        const volume = (w.pod.spec.volumes ?? []).find((v: Any) => v.name === mount?.name);
        return volume?.emptyDir ? undefined : '/tmp is not an emptyDir';
      }),
    breakIt: (w) => {
      first(w).volumeMounts = (first(w).volumeMounts ?? []).filter((m: Any) => m.mountPath !== '/tmp');
    },
  },
  {
    id: 'mismatching-selector',
    equivalents: 'kube-linter mismatching-selector',
    run: (w) =>
      w.obj.kind === 'Deployment' || w.obj.kind === 'StatefulSet'
        ? matchesSelector(w.obj.spec.selector?.matchLabels, w.pod.metadata?.labels)
          ? []
          : ['selector does not match the pod template labels']
        : [],
    breakIt: (w) => {
      w.obj.spec.selector = { matchLabels: { 'app.kubernetes.io/name': 'something-else' } };
    },
  },
  {
    id: 'non-isolated-pod',
    equivalents: 'kube-linter non-isolated-pod (only where the overlay ships NetworkPolicies)',
    run: (w, objects) => {
      const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
      if (policies.length === 0) return [];
      const labels = w.pod.metadata?.labels ?? {};
      const selected = policies.some((p) => {
        const sel = p.spec.podSelector?.matchLabels ?? {};
        return Object.entries(sel).every(([k, v]) => labels[k] === v);
      });
      return selected ? [] : ['no NetworkPolicy selects this pod'];
    },
    breakIt: () => {
      /* replaced in the test by removing the policies; see hardening.test.ts */
    },
  },
];

/** Checks that only apply to Deployments (rollout and placement). */
export const DEPLOYMENT_CHECKS: readonly Check[] = [
  {
    id: 'no-rolling-update-strategy',
    equivalents: 'kube-linter no-rolling-update-strategy (and maxUnavailable: 0)',
    run: (w) => {
      const s = w.obj.spec.strategy;
      return s?.type === 'RollingUpdate' && s.rollingUpdate?.maxUnavailable === 0 ? [] : [`strategy ${JSON.stringify(s)}`];
    },
    breakIt: (w) => {
      w.obj.spec.strategy = { type: 'Recreate' };
    },
  },
  {
    id: 'topology-spread',
    equivalents: 'Polaris topologySpreadConstraint; kube-linter no-anti-affinity',
    run: (w) => {
      const constraints: Any[] = w.pod.spec.topologySpreadConstraints ?? [];
      const labels = w.pod.metadata?.labels;
      return ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].flatMap((key) => {
        const c = constraints.find((x) => x.topologyKey === key);
        if (!c) return [`no spread over ${key}`];
        return matchesSelector(c.labelSelector?.matchLabels, labels) ? [] : [`spread over ${key} selects other pods`];
      });
    },
    breakIt: (w) => {
      w.pod.spec.topologySpreadConstraints = w.pod.spec.topologySpreadConstraints.slice(1);
    },
  },
  {
    id: 'pre-stop-delay',
    equivalents: 'issue 6 requirement (graceful ALB deregistration)',
    run: (w) => each(w, (c) => (c.lifecycle?.preStop ? undefined : 'no preStop delay')),
    breakIt: (w) => {
      delete first(w).lifecycle;
    },
  },
];
