import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { HelmChartSettings } from '../config/settings';
import { ChartRelease } from './chart-release';
import { APPLICATION_HEALTH_LUA, NOTIFICATION_TEMPLATES, NOTIFICATION_TRIGGERS } from './private/argocd-notifications';
import { EphemeralSecret, writeOnlyRevision } from './private/ephemeral-secret';

/** The TLS policy of every ALB listener of the platform (TLS 1.3 and 1.2 with forward secrecy only). */
export const ALB_SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

export interface ArgoCdProps {
  readonly helm: HelmProvider;
  readonly kubernetes: KubernetesProvider;
  readonly chart: HelmChartSettings;
  /** Namespace Argo CD runs in (created by Terraform, `argocd`). */
  readonly namespace: string;
  /** `tiketi-<env>`: tags on the ALB. */
  readonly namePrefix: string;
  /** Host of the UI/API behind the ALB. */
  readonly hostname: string;
  /** Client CIDRs the ALB accepts. */
  readonly inboundCidrs: readonly string[];
  /** Regional ACM certificate covering `hostname`. */
  readonly certificateArn: string;
  /**
   * More certificates on the ALB's HTTPS listener, for the other Ingresses of `ingressGroup` (Grafana).
   * @default - none
   */
  readonly additionalCertificateArns?: readonly string[];
  /**
   * IngressGroup (`alb.ingress.kubernetes.io/group.name`) the Argo CD Ingress joins, so other platform UIs share
   * its ALB. The ALB-wide annotations (scheme, WAF, inbound CIDRs, TLS policy, attributes) are set here only:
   * they are "Exclusive" in the controller, so the other members leave them out.
   * @default - none: an ALB of its own
   */
  readonly ingressGroup?: string;
  /** Regional WAF web ACL in front of the ALB. */
  readonly webAclArn: string;
  /**
   * redis-ha, PDBs and the replica counts below (which must then be 2+).
   * @default false
   */
  readonly highAvailability?: boolean;
  readonly replicas: { readonly server: number; readonly repoServer: number; readonly applicationSet: number };
  /** GitHub organization whose members may sign in (Dex). */
  readonly githubOrganization: string;
  /** `org:team` that gets `role:admin`. */
  readonly adminGroup: string;
  /** Values that must never be in state, read ephemerally from Secrets Manager. */
  readonly secrets: {
    readonly githubWebhook: EphemeralSecret;
    readonly slackToken: EphemeralSecret;
    /** JSON `{"clientID","clientSecret"}`. */
    readonly ssoClient: EphemeralSecret;
  };
  /** What must run before Argo CD installs (the ALB controller: its webhook admits the Ingress). @default - none */
  readonly dependsOn?: ITerraformDependable[];
}

/** Label Argo CD selects the Secrets it reads by (`$<secret>:<key>` references, repositories, clusters). */
const PART_OF_ARGOCD = { 'app.kubernetes.io/part-of': 'argocd' };

/**
 * Argo CD from the argo-cd chart, behind an internet-facing ALB (HTTPS only, the environment's certificate,
 * WAF and inbound CIDRs; gRPC for the CLI on the same host), signed in through Dex with GitHub (the local
 * admin is disabled: break-glass is `argocd --core` with cluster access), RBAC read-only by default.
 * Its secrets (`argocd-secret`, `argocd-notifications-secret`, repository credentials) are Terraform-owned
 * Secrets written through `data_wo` from ephemeral reads, so no value reaches the chart's values or state.
 */
export class ArgoCd extends Construct {
  public readonly release: ChartRelease;
  /** Secrets the release reads at start; the release depends on them. */
  public readonly secrets: SecretV1[];
  private readonly props: ArgoCdProps;

  constructor(scope: Construct, id: string, props: ArgoCdProps) {
    super(scope, id);
    this.props = props;
    const ha = props.highAvailability ?? false;
    const url = `https://${props.hostname}`;

    // Argo CD adds `server.secretkey` to argocd-secret at its first start; Terraform never reads data back
    // (write-only), so that key is kept until a new version of the webhook or SSO secret rewrites the Secret
    // (then sessions end: everyone signs in again).
    const argocdSecret = this.writeOnlySecret('argocd-secret', 'argocd-secret', [props.secrets.githubWebhook, props.secrets.ssoClient], {
      'webhook.github.secret': props.secrets.githubWebhook.secretString,
      'dex.github.clientID': props.secrets.ssoClient.jsonField('clientID'),
      'dex.github.clientSecret': props.secrets.ssoClient.jsonField('clientSecret'),
    });
    const notificationsSecret = this.writeOnlySecret('notifications-secret', 'argocd-notifications-secret', [props.secrets.slackToken], {
      'slack-token': props.secrets.slackToken.secretString,
    });
    this.secrets = [argocdSecret, notificationsSecret];

    const pdb = { enabled: ha, maxUnavailable: 1 };
    const values = {
      global: { domain: props.hostname, logging: { format: 'json' } },
      crds: { install: true, keep: true },
      configs: {
        cm: {
          url,
          'admin.enabled': false,
          'exec.enabled': false,
          'statusbadge.enabled': false,
          'dex.config': stringify({
            connectors: [
              {
                type: 'github',
                id: 'github',
                name: 'GitHub',
                config: {
                  clientID: '$dex.github.clientID',
                  clientSecret: '$dex.github.clientSecret',
                  orgs: [{ name: props.githubOrganization }],
                  teamNameField: 'slug',
                  useLoginAsID: true,
                },
              },
            ],
          }),
          'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH_LUA,
        },
        // TLS ends at the ALB (the chart then serves HTTP to it and adds the gRPC backend service).
        params: { 'server.insecure': true },
        rbac: { 'policy.default': 'role:readonly', 'policy.csv': `g, ${props.adminGroup}, role:admin\n`, scopes: '[groups]' },
        // Created by Terraform from Secrets Manager (see above), never from chart values.
        secret: { createSecret: false },
      },
      // Metrics Services (port http-metrics) for the ServiceMonitor in gitops/platform/monitoring. The chart's own
      // ServiceMonitors stay off: they render only when the Prometheus Operator CRDs exist at install
      // (.Capabilities check), and Terraform installs Argo CD before Argo CD installs the CRDs.
      controller: { replicas: 1, metrics: { enabled: true } },
      server: {
        replicas: props.replicas.server,
        pdb,
        metrics: { enabled: true },
        ingress: {
          enabled: true,
          controller: 'aws',
          ingressClassName: 'alb',
          hostname: props.hostname,
          annotations: {
            'alb.ingress.kubernetes.io/scheme': 'internet-facing',
            'alb.ingress.kubernetes.io/target-type': 'ip',
            'alb.ingress.kubernetes.io/listen-ports': '[{"HTTPS":443}]',
            'alb.ingress.kubernetes.io/certificate-arn': [props.certificateArn, ...(props.additionalCertificateArns ?? [])].join(','),
            ...(props.ingressGroup ? { 'alb.ingress.kubernetes.io/group.name': props.ingressGroup } : {}),
            'alb.ingress.kubernetes.io/ssl-policy': ALB_SSL_POLICY,
            'alb.ingress.kubernetes.io/wafv2-acl-arn': props.webAclArn,
            'alb.ingress.kubernetes.io/inbound-cidrs': props.inboundCidrs.join(','),
            'alb.ingress.kubernetes.io/backend-protocol': 'HTTP',
            'alb.ingress.kubernetes.io/healthcheck-path': '/healthz',
            'alb.ingress.kubernetes.io/load-balancer-attributes': 'routing.http.drop_invalid_header_fields.enabled=true',
            'alb.ingress.kubernetes.io/tags': `Project=tiketi,Environment=${props.namePrefix.replace(/^tiketi-/, '')},Component=argocd`,
          },
          // The ALB terminates TLS with the ACM certificate; no certificate Secret in the cluster.
          tls: false,
          aws: { backendProtocolVersion: 'GRPC', serviceType: 'ClusterIP' },
        },
      },
      repoServer: { replicas: props.replicas.repoServer, pdb, metrics: { enabled: true } },
      applicationSet: { replicas: props.replicas.applicationSet, pdb, metrics: { enabled: true } },
      'redis-ha': { enabled: ha },
      dex: { enabled: true },
      notifications: {
        enabled: true,
        argocdUrl: url,
        secret: { create: false },
        notifiers: { 'service.slack': 'token: $slack-token\n' },
        metrics: { enabled: true },
        templates: NOTIFICATION_TEMPLATES,
        triggers: NOTIFICATION_TRIGGERS,
      },
    };

    this.release = new ChartRelease(this, 'chart', {
      provider: props.helm,
      chart: props.chart,
      name: 'argocd',
      namespace: props.namespace,
      values,
      // redis-ha's three Redis and HAProxy pods start one after another.
      timeoutSeconds: ha ? 1200 : 600,
      dependsOn: [...this.secrets, ...(props.dependsOn ?? [])],
    });
  }

  /**
   * The Argo CD repository Secret for the GitOps repository: `url` with the SSH deploy key. Argo CD matches
   * credentials to Applications by URL, so `url` must be the repoURL the Applications use.
   */
  public addRepository(id: string, name: string, url: string, deployKey: EphemeralSecret): SecretV1 {
    if (!/^(git@[\w.-]+:|ssh:\/\/)/.test(url)) {
      throw new Error(`${this.node.path}: repository ${name}: got URL ${JSON.stringify(url)}, expected an SSH URL (git@host:org/repo.git or ssh://...) for a deploy key`);
    }
    return this.writeOnlySecret(id, name, [deployKey], { type: 'git', url, sshPrivateKey: deployKey.secretString }, { 'argocd.argoproj.io/secret-type': 'repository' });
  }

  /** A Secret written only from `sources` (write-only `data_wo`), rewritten when any of them gets a new version. */
  private writeOnlySecret(id: string, name: string, sources: readonly EphemeralSecret[], data: Record<string, string>, labels: Record<string, string> = {}): SecretV1 {
    return new SecretV1(this, id, {
      provider: this.props.kubernetes,
      metadata: { name, namespace: this.props.namespace, labels: { ...PART_OF_ARGOCD, ...labels } },
      type: 'Opaque',
      dataWo: data,
      // Write-only data is sent only when the revision changes: the newest source version's creation time.
      dataWoRevision: writeOnlyRevision(sources),
    });
  }
}
