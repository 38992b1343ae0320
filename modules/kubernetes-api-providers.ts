import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { KubernetesApiAccess } from '../config/settings';

export interface KubernetesApiProvidersProps {
  readonly clusterName: string;
  /** `https://<id>.<suffix>.<region>.eks.amazonaws.com` (the cluster stack's endpoint). */
  readonly endpoint: string;
  /** Base64 CA bundle of the API server. */
  readonly certificateAuthorityData: string;
  readonly region: string;
  /**
   * How the API is reached.
   * @default - `{ mode: 'direct' }`: the endpoint itself (from inside the VPC)
   */
  readonly access?: KubernetesApiAccess;
}

/** The arguments of `aws eks get-token` both providers run before each connection. */
export function eksGetTokenArgs(clusterName: string, region: string): string[] {
  return ['eks', 'get-token', '--cluster-name', clusterName, '--region', region, '--output', 'json'];
}

/**
 * The kubernetes and helm providers of a stack that talks to one EKS cluster. Both authenticate with exec
 * (`aws eks get-token`), so a fresh token is minted for each run and none is written into the plan or state
 * (an `aws_eks_cluster_auth` token would be, and expires after 15 minutes). In `ssm-tunnel` mode they talk
 * to the local end of `npm run api-tunnel` and verify the API server's certificate against its real name
 * (`tls_server_name`), so the tunnel changes the route, never the trust.
 */
export class KubernetesApiProviders extends Construct {
  public readonly kubernetes: KubernetesProvider;
  public readonly helm: HelmProvider;

  constructor(scope: Construct, id: string, props: KubernetesApiProvidersProps) {
    super(scope, id);
    const access = props.access ?? { mode: 'direct' };
    const host = access.mode === 'ssm-tunnel' ? `https://127.0.0.1:${access.localPort}` : props.endpoint;
    const tlsServerName = access.mode === 'ssm-tunnel' ? Fn.replace(props.endpoint, 'https://', '') : undefined;
    const clusterCaCertificate = Fn.base64decode(props.certificateAuthorityData);
    const exec = { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws', args: eksGetTokenArgs(props.clusterName, props.region) };

    this.kubernetes = new KubernetesProvider(this, 'kubernetes', { host, tlsServerName, clusterCaCertificate, exec: [exec] });
    // helm 3.x: `kubernetes` and its `exec` are single nested objects, not blocks.
    this.helm = new HelmProvider(this, 'helm', { kubernetes: { host, tlsServerName, clusterCaCertificate, exec } });
  }
}
