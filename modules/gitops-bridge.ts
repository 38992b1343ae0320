import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { Construct } from 'constructs';

/** Name of the ConfigMap the services read with `envFrom` (docs/gitops-bridge.md). */
export const INFRASTRUCTURE_CONFIGMAP = 'tiketi-infrastructure';
/** The in-cluster destination every Tiketi Application deploys to. */
export const IN_CLUSTER = { name: 'in-cluster', server: 'https://kubernetes.default.svc' } as const;

export interface GitOpsBridgeProps {
  readonly kubernetes: KubernetesProvider;
  /** Namespace of Argo CD (the cluster Secret lives there). */
  readonly argocdNamespace: string;
  /** Labels the ApplicationSet cluster generators select on, e.g. `tiketi.com/environment`. */
  readonly labels: Readonly<Record<string, string>>;
  /**
   * Facts that must appear in manifests, as annotations. Keys use underscores only, so Go-template dot
   * access (`.metadata.annotations.tiketi_ecr_registry`) reaches them and `missingkey=error` catches a
   * missing one (docs/platform-contracts.md).
   */
  readonly annotations: Readonly<Record<string, string>>;
  /**
   * The `tiketi-infrastructure` ConfigMap: namespace and data (runtime facts for `envFrom`).
   * @default - none (the overlay generates its own, e.g. dev with in-cluster data)
   */
  readonly configMap?: { readonly namespace: string; readonly data: Readonly<Record<string, string>> };
}

/**
 * The gitops-bridge between Terraform and Argo CD: the cluster Secret that declares the local cluster with
 * the environment's label and facts, and the ConfigMap of runtime facts in the application namespace.
 * Neither holds a secret (they are plain `data`, visible in state on purpose). Argo CD does not track either:
 * they carry no tracking annotation and are in no Application's source.
 */
export class GitOpsBridge extends Construct {
  public readonly clusterSecret: SecretV1;
  public readonly configMap?: ConfigMapV1;

  constructor(scope: Construct, id: string, props: GitOpsBridgeProps) {
    super(scope, id);
    for (const key of Object.keys(props.annotations)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`${this.node.path}: annotation ${JSON.stringify(key)} is not reachable by Go-template dot access (use letters, digits and underscores)`);
    }
    this.clusterSecret = new SecretV1(this, 'cluster-secret', {
      provider: props.kubernetes,
      metadata: {
        name: IN_CLUSTER.name,
        namespace: props.argocdNamespace,
        labels: { 'argocd.argoproj.io/secret-type': 'cluster', 'app.kubernetes.io/part-of': 'argocd', ...props.labels },
        annotations: { ...props.annotations },
      },
      type: 'Opaque',
      // The in-cluster destination: Argo CD uses its own service account for it (no credentials here).
      data: { name: IN_CLUSTER.name, server: IN_CLUSTER.server, config: JSON.stringify({ tlsClientConfig: { insecure: false } }) },
    });
    if (props.configMap) {
      this.configMap = new ConfigMapV1(this, 'infrastructure', {
        provider: props.kubernetes,
        metadata: { name: INFRASTRUCTURE_CONFIGMAP, namespace: props.configMap.namespace, labels: { 'app.kubernetes.io/managed-by': 'terraform' } },
        data: { ...props.configMap.data },
      });
    }
  }
}
