import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { StorageClassV1 } from '@cdktf/provider-kubernetes/lib/storage-class-v1';
import { Construct } from 'constructs';

/** Pod Security Standards levels (pod-security.kubernetes.io). */
export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

export interface NamespaceSpec {
  readonly name: string;
  /** Level enforced at admission. */
  readonly enforce: PodSecurityLevel;
  /**
   * Level audited and warned about (a stricter one shows what would break before it is enforced).
   * @default - the enforced level
   */
  readonly warn?: PodSecurityLevel;
  /** More labels, e.g. `tiketi.com/environment`. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface ClusterNamespacesProps {
  readonly provider: KubernetesProvider;
  readonly namespaces: readonly NamespaceSpec[];
}

/**
 * Every namespace anything is installed or synced into, created and labelled by Terraform alone (one owner:
 * Argo CD never creates or labels a namespace). `kube-system` exists already and is not managed here.
 */
export class ClusterNamespaces extends Construct {
  private readonly byName = new Map<string, NamespaceV1>();

  constructor(scope: Construct, id: string, props: ClusterNamespacesProps) {
    super(scope, id);
    for (const spec of props.namespaces) {
      const warn = spec.warn ?? spec.enforce;
      const namespace = new NamespaceV1(this, spec.name, {
        provider: props.provider,
        metadata: {
          name: spec.name,
          labels: {
            'pod-security.kubernetes.io/enforce': spec.enforce,
            'pod-security.kubernetes.io/audit': warn,
            'pod-security.kubernetes.io/warn': warn,
            ...spec.labels,
          },
        },
      });
      this.byName.set(spec.name, namespace);
    }
  }

  /** The namespace resource, to depend on and to read its name from (so the dependency is implicit too). */
  public namespace(name: string): NamespaceV1 {
    const found = this.byName.get(name);
    if (!found) throw new Error(`ClusterNamespaces: no namespace ${JSON.stringify(name)}; declared: ${[...this.byName.keys()].join(', ')}`);
    return found;
  }

  public get all(): NamespaceV1[] {
    return [...this.byName.values()];
  }
}

export interface DefaultStorageClassProps {
  readonly provider: KubernetesProvider;
  /** @default 'gp3' */
  readonly name?: string;
}

/**
 * The cluster's default StorageClass: EBS gp3 through the EBS CSI driver, encrypted (AWS-managed EBS key),
 * bound when the pod is scheduled (so the volume is created in the pod's AZ), expandable. Kubernetes 1.30+
 * on EKS ships no default class, so a PVC without `storageClassName` would stay Pending forever.
 */
export class DefaultStorageClass extends Construct {
  public readonly storageClass: StorageClassV1;

  constructor(scope: Construct, id: string, props: DefaultStorageClassProps) {
    super(scope, id);
    this.storageClass = new StorageClassV1(this, 'class', {
      provider: props.provider,
      metadata: { name: props.name ?? 'gp3', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      storageProvisioner: 'ebs.csi.aws.com',
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
      parameters: { type: 'gp3', encrypted: 'true', fsType: 'ext4' },
    });
  }
}
