import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { Construct } from 'constructs';
import { HelmChartSettings } from '../config/settings';
import { ChartRelease } from './chart-release';
import { EphemeralSecret, writeOnlyRevision } from './private/ephemeral-secret';

/** Where `kubeseal` looks for the controller by default (`--controller-namespace/--controller-name`). */
export const SEALED_SECRETS_CONTROLLER = { namespace: 'kube-system', name: 'sealed-secrets-controller' } as const;
/** The sealing key Secret (docs/platform-contracts.md, "Sealed Secrets keys"). */
export const SEALING_KEY_SECRET = 'sealed-secrets-key';
export const ACTIVE_SEALING_KEY_LABEL = { 'sealedsecrets.bitnami.com/sealed-secrets-key': 'active' } as const;

export interface SealedSecretsProps {
  readonly helm: HelmProvider;
  readonly kubernetes: KubernetesProvider;
  readonly chart: HelmChartSettings;
  /** The key pair from Secrets Manager, JSON `{"tls.crt","tls.key"}`. */
  readonly sealingKey: EphemeralSecret;
}

/**
 * The Sealed Secrets controller with a bring-your-own sealing key: the key pair kept in Secrets Manager (so a
 * rebuilt cluster decrypts every SealedSecret in git) becomes the `kubernetes.io/tls` Secret labelled
 * active in the controller's namespace before the controller starts (it reads keys only at start). The
 * private key goes through `data_wo` from an ephemeral read: never in a plan, never in state. Key renewal
 * is off (`keyrenewperiod: "0"`): a rotation is a new key pair stored and rolled out on purpose
 * (docs/argocd.md), so the committed certificate stays the one that seals.
 */
export class SealedSecrets extends Construct {
  public readonly keySecret: SecretV1;
  public readonly release: ChartRelease;

  constructor(scope: Construct, id: string, props: SealedSecretsProps) {
    super(scope, id);
    this.keySecret = new SecretV1(this, 'sealing-key', {
      provider: props.kubernetes,
      metadata: { name: SEALING_KEY_SECRET, namespace: SEALED_SECRETS_CONTROLLER.namespace, labels: { ...ACTIVE_SEALING_KEY_LABEL } },
      type: 'kubernetes.io/tls',
      dataWo: { 'tls.crt': props.sealingKey.jsonField('tls.crt'), 'tls.key': props.sealingKey.jsonField('tls.key') },
      // A new version of the key pair secret (a planned rotation) rewrites it on the next apply.
      dataWoRevision: writeOnlyRevision([props.sealingKey]),
    });
    this.release = new ChartRelease(this, 'chart', {
      provider: props.helm,
      chart: props.chart,
      name: 'sealed-secrets',
      namespace: SEALED_SECRETS_CONTROLLER.namespace,
      values: {
        fullnameOverride: SEALED_SECRETS_CONTROLLER.name,
        secretName: SEALING_KEY_SECRET,
        keyrenewperiod: '0',
      },
      dependsOn: [this.keySecret],
    });
  }
}
