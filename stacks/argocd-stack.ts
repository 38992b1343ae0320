import * as path from 'path';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { ITerraformDependable, TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { BackendSettings } from '../config/backend';
import { MONITORING_NAMESPACE, NODE_AGENTS_NAMESPACE, platformIngressGroup } from '../config/observability';
import { EnvironmentSettings, clusterHostnames } from '../config/settings';
import { ArgoCd } from '../modules/argocd';
import { ClusterControllers } from '../modules/cluster-controllers';
import { ClusterNamespaces, DefaultStorageClass, NamespaceSpec } from '../modules/cluster-namespaces';
import { DnsValidatedCertificate } from '../modules/dns-certificate';
import { GitOpsBridge } from '../modules/gitops-bridge';
import { KubernetesApiProviders } from '../modules/kubernetes-api-providers';
import { MetricAlarm } from '../modules/metric-alarm';
import { EphemeralSecret } from '../modules/private/ephemeral-secret';
import { RootApplication, readRootApplication, repositoryRoot } from '../modules/root-application';
import { SealedSecrets } from '../modules/sealed-secrets';
import { WorkloadIdentities } from '../modules/workload-identities';
import { CONTROLLER_SERVICE_ACCOUNTS, ClusterStack } from './cluster-stack';
import { DataStack } from './data-stack';
import { EdgeStack } from './edge-stack';
import { ObservabilityStack } from './observability-stack';
import { TiketiStack } from './tiketi-stack';

/** Namespace of Argo CD, its Secrets and the root Application. */
export const ARGOCD_NAMESPACE = 'argocd';

export interface ArgoCdStackProps {
  readonly env: EnvironmentSettings;
  readonly backend: BackendSettings;
  readonly cluster: ClusterStack;
  readonly data: DataStack;
  readonly edge: EdgeStack;
  /** Its alarm topic gets the expiry alarms of the certificates issued here. */
  readonly observability: ObservabilityStack;
  /** The Tiketi services (one service account each in the application namespace). */
  readonly services: readonly string[];
}

/**
 * Everything between a fresh cluster and a synced app-of-apps, in one deploy: namespaces, the default
 * StorageClass, the controllers (ALB, external-dns, Cluster Autoscaler, Sealed Secrets with its key from
 * Secrets Manager), Argo CD behind its ALB, the repository credentials, the bridge (cluster Secret and
 * ConfigMap), the services' Pod Identity roles, and last the root Application from
 * `gitops/argocd/<env>/root-app.yaml`. No secret value passes through a plan or state: each is read
 * ephemerally from Secrets Manager into a write-only `data_wo`.
 */
export class ArgoCdStack extends TiketiStack {
  public readonly root: RootApplication;

  constructor(scope: Construct, props: ArgoCdStackProps) {
    super(scope, 'argocd', { scopeName: props.env.name, region: props.env.region, backend: props.backend });
    const { env, cluster, data, edge, observability } = props;
    const settings = env.argocd;
    const appNamespace = env.gitops.namespace;

    const api = new KubernetesApiProviders(this, 'kubernetes-api', {
      clusterName: cluster.cluster.clusterName,
      endpoint: cluster.cluster.endpoint,
      certificateAuthorityData: cluster.cluster.certificateAuthorityData,
      region: env.region,
      access: settings.kubernetesApi,
    });
    const { helm, kubernetes } = api;

    // Terraform is the one owner of every namespace (docs/platform-contracts.md, "Namespaces").
    const namespaceSpecs: NamespaceSpec[] = [
      {
        name: appNamespace,
        enforce: 'restricted',
        labels: { 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled', 'tiketi.com/environment': env.name },
      },
      // Argo CD's own pods meet `restricted`; redis-ha and the chart's hook Jobs are only checked against
      // it (warn/audit) until an upgrade has shown they pass.
      { name: ARGOCD_NAMESPACE, enforce: 'baseline', warn: 'restricted' },
      { name: CONTROLLER_SERVICE_ACCOUNTS.externalDns.namespace, enforce: 'restricted' },
      // kube-prometheus-stack (Argo CD's `monitoring` Application): like argocd, restricted is what its pods are
      // written for, warned and audited until a sync has shown every one of them passes.
      { name: MONITORING_NAMESPACE, enforce: 'baseline', warn: 'restricted' },
      // node-exporter (host network, PID, root filesystem) and Fluent Bit (/var/log): the one privileged
      // namespace, so nothing else needs the exemption (docs/observability.md).
      { name: NODE_AGENTS_NAMESPACE, enforce: 'privileged', warn: 'baseline' },
    ];
    const namespaces = new ClusterNamespaces(this, 'namespaces', { provider: kubernetes, namespaces: namespaceSpecs });
    const argocdNamespace = namespaces.namespace(ARGOCD_NAMESPACE).metadata.name;
    const storageClass = new DefaultStorageClass(this, 'storage-class', { provider: kubernetes });

    const secret = (name: string, secretId: string) => new EphemeralSecret(this, name, secretId);
    const secrets = {
      sealingKey: secret('sealing_key', settings.secrets.sealingKey),
      repositoryDeployKey: secret('repository_deploy_key', settings.secrets.repositoryDeployKey),
      githubWebhook: secret('github_webhook', settings.secrets.githubWebhook),
      slackToken: secret('slack_token', settings.secrets.slackToken),
      ssoClient: secret('sso_client', settings.secrets.ssoClient),
    };

    const controllers = new ClusterControllers(this, 'controllers', {
      helm,
      charts: settings.charts,
      clusterName: cluster.cluster.clusterName,
      region: env.region,
      vpcId: cluster.vpcId,
      identities: CONTROLLER_SERVICE_ACCOUNTS,
      albControllerReplicas: settings.replicas.awsLoadBalancerController,
      dnsNames: clusterHostnames(env),
      externalDnsPolicy: settings.externalDnsPolicy,
      environment: env.name,
      dependsOn: namespaces.all,
    });

    const sealedSecrets = new SealedSecrets(this, 'sealed-secrets', { helm, kubernetes, chart: settings.charts.sealedSecrets, sealingKey: secrets.sealingKey });

    const certificate = new DnsValidatedCertificate(this, 'argocd-certificate', { domainName: settings.hostname, zoneId: edge.zoneId });
    // Grafana (gitops/platform/monitoring) joins Argo CD's ALB through the IngressGroup: its certificate is
    // listed on Argo CD's Ingress, so the one HTTPS listener serves both hosts behind the same WAF.
    const grafanaCertificate = new DnsValidatedCertificate(this, 'grafana-certificate', { domainName: env.observability.grafanaHostname, zoneId: edge.zoneId });
    for (const [id, host, arn] of [['argocd-certificate-expiry', settings.hostname, certificate.certificateArn], ['grafana-certificate-expiry', env.observability.grafanaHostname, grafanaCertificate.certificateArn]] as const) {
      new MetricAlarm(this, id, {
        name: `${this.namePrefix}-${id}`,
        summary: `The ${host} certificate expires in less than 30 days: ACM's renewal (60 days ahead) has failed.`,
        runbook: 'certificate-expiring',
        source: { namespace: 'AWS/CertificateManager', metricName: 'DaysToExpiry', dimensions: { CertificateArn: arn }, statistic: 'Minimum', period: 86_400 },
        comparison: 'LessThanThreshold',
        threshold: 30,
        evaluationPeriods: 1,
        treatMissingData: 'missing',
        topicArns: [observability.alarmTopic.topicArn],
      });
    }
    const argocd = new ArgoCd(this, 'argocd', {
      helm,
      kubernetes,
      chart: settings.charts.argoCd,
      namespace: argocdNamespace,
      namePrefix: this.namePrefix,
      hostname: settings.hostname,
      inboundCidrs: settings.inboundCidrs,
      certificateArn: certificate.certificateArn,
      additionalCertificateArns: [grafanaCertificate.certificateArn],
      ingressGroup: platformIngressGroup(env.name),
      webAclArn: edge.regionalWebAclArn,
      highAvailability: settings.highAvailability,
      replicas: settings.replicas,
      githubOrganization: settings.githubOrganization,
      adminGroup: settings.adminGroup,
      secrets,
      // The chart's Ingress is admitted by the ALB controller's webhook.
      dependsOn: [controllers.awsLoadBalancerController.release],
    });

    const rootFile = path.join(repositoryRoot(), 'gitops', 'argocd', env.name, 'root-app.yaml');
    const rootManifest = readRootApplication(rootFile);
    const repository = argocd.addRepository('repository', settings.repositorySecretName, rootManifest.spec.source!.repoURL, secrets.repositoryDeployKey);

    const account = new DataAwsCallerIdentity(this, 'account');
    const bridge = new GitOpsBridge(this, 'bridge', {
      kubernetes,
      argocdNamespace,
      labels: { 'tiketi.com/environment': env.name },
      annotations: {
        tiketi_ecr_registry: `${account.accountId}.dkr.ecr.${env.region}.amazonaws.com`,
        tiketi_alb_waf_acl_arn: edge.regionalWebAclArn,
        tiketi_alb_inbound_cidrs: env.gitops.apiInboundCidrs.join(','),
      },
      configMap: settings.workloadsUseAwsData
        ? {
            namespace: namespaces.namespace(appNamespace).metadata.name,
            data: {
              DB_HOST: data.postgres.endpoint,
              DB_PORT: String(data.postgres.port),
              DB_NAME: data.postgres.databaseName,
              DB_USER: settings.applicationDatabaseUser,
              DB_SSLMODE: 'require',
              REDIS_HOST: data.redis.primaryEndpoint,
              REDIS_PORT: String(data.redis.port),
              REDIS_TLS: 'true',
              REDIS_USER: data.redis.appUserName,
              REDIS_CACHE_NAME: data.redis.replicationGroupId,
              AWS_REGION: env.region,
              DB_SECRET_ARN: data.postgres.masterSecretArn,
            },
          }
        : undefined,
    });

    const dependsForWorkloads: ITerraformDependable[] = [
      argocd.release.release,
      sealedSecrets.release.release,
      controllers.awsLoadBalancerController.release,
      controllers.externalDns.release,
      controllers.clusterAutoscaler.release,
      storageClass.storageClass,
      repository,
      bridge.clusterSecret,
      ...(bridge.configMap ? [bridge.configMap] : []),
      ...namespaces.all,
    ];
    if (settings.workloadsUseAwsData) {
      const identities = new WorkloadIdentities(this, 'workload-identities', {
        namePrefix: this.namePrefix,
        clusterName: cluster.cluster.clusterName,
        namespace: appNamespace,
        services: props.services,
        region: env.region,
        accountId: account.accountId,
        databaseResourceId: data.postgres.resourceId,
        databaseUser: settings.applicationDatabaseUser,
        redisConnectPolicyArn: data.redis.connectPolicyArn,
        masterSecretArn: data.postgres.masterSecretArn,
        masterSecretKmsKeyArn: data.postgres.kmsKeyArn,
      });
      dependsForWorkloads.push(...identities.associations);
    }

    // Last: Argo CD syncs workloads only when everything they need exists.
    this.root = new RootApplication(this, 'root-application', { helm, chart: settings.charts.argocdApps, application: rootManifest, dependsOn: dependsForWorkloads });

    const out = (id: string, value: string, description: string) => new TerraformOutput(this, id, { value, description });
    out('argocd_url', `https://${settings.hostname}`, 'Argo CD UI and API (SSO with GitHub)');
    out('root_application', `${ARGOCD_NAMESPACE}/${this.root.application.metadata.name}`, 'The app-of-apps (argocd app get <name>)');
    out('argocd_certificate_arn', certificate.certificateArn, 'Regional certificate of the Argo CD ALB');
    out('grafana_url', `https://${env.observability.grafanaHostname}`, 'Grafana (admin password: the SealedSecret grafana-admin; docs/observability.md)');
    out('grafana_certificate_arn', grafanaCertificate.certificateArn, 'Regional certificate of Grafana, on the Argo CD ALB');
  }
}
