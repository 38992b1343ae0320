import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { BackendSettings } from '../config/backend';
import { clusterName } from '../config/naming';
import { CI_ROLE_NAMES, EnvironmentSettings, infraApplyRoleName } from '../config/settings';
import { ApiAccessHost } from '../modules/api-access-host';
import { EksAddons } from '../modules/eks-addons';
import { EksCluster } from '../modules/eks-cluster';
import { EksNodeGroup } from '../modules/eks-node-group';
import { PlatformSecrets } from '../modules/platform-secrets';
import { PodIdentityRole } from '../modules/pod-identity-role';
import { albControllerPolicy } from '../modules/private/alb-controller-policy';
import { clusterAutoscalerPolicy, externalDnsPolicy } from '../modules/private/controller-policies';
import { Vpc } from '../modules/vpc';
import { TiketiStack, defaultTags } from './tiketi-stack';

/**
 * Namespace and service account of each in-cluster controller whose IAM role this stack creates. The
 * `argocd` stack installs the charts with exactly these names (the Pod Identity associations match them).
 */
export const CONTROLLER_SERVICE_ACCOUNTS = {
  awsLoadBalancerController: { namespace: 'kube-system', serviceAccount: 'aws-load-balancer-controller' },
  externalDns: { namespace: 'external-dns', serviceAccount: 'external-dns' },
  clusterAutoscaler: { namespace: 'kube-system', serviceAccount: 'cluster-autoscaler' },
} as const;
export type ControllerName = keyof typeof CONTROLLER_SERVICE_ACCOUNTS;

export interface ClusterStackProps {
  readonly env: EnvironmentSettings;
  readonly backend: BackendSettings;
  /** The network stack's VPC: the cluster and its nodes use its private subnets. */
  readonly vpc: Vpc;
}

/** The environment's EKS cluster: control plane, node group, add-ons and the controllers' IAM identities. */
export class ClusterStack extends TiketiStack {
  public readonly cluster: EksCluster;
  public readonly nodeGroup: EksNodeGroup;
  public readonly addons: EksAddons;
  /** IAM roles of the in-cluster controllers, bound by Pod Identity to `CONTROLLER_SERVICE_ACCOUNTS`. */
  public readonly controllerRoles: Record<ControllerName, PodIdentityRole>;
  public readonly vpcId: string;
  public readonly region: string;
  /** The SSM port-forwarding relay into the private API (docs/argocd.md, "Reaching the API"). */
  public readonly apiAccessHost: ApiAccessHost;
  /** Secrets Manager containers the argocd stack reads ephemerally (values written by people/commands). */
  public readonly platformSecrets: PlatformSecrets;

  constructor(scope: Construct, props: ClusterStackProps) {
    super(scope, 'cluster', { scopeName: props.env.name, region: props.env.region, backend: props.backend });
    const settings = props.env.cluster;
    const name = clusterName(props.env.name);
    this.vpcId = props.vpc.vpcId;
    this.region = props.env.region;

    this.cluster = new EksCluster(this, 'eks', {
      clusterName: name,
      kubernetesVersion: settings.kubernetesVersion,
      subnetIds: props.vpc.privateSubnetIds,
      logRetentionDays: settings.logRetentionDays,
      publicAccessCidrs: settings.publicAccessCidrs,
      access: [
        ...settings.adminRoles.map((role) => ({ role, policy: 'cluster-admin' as const })),
        ...settings.readOnlyRoles.map((role) => ({ role, policy: 'view' as const })),
        // CI reaches the API through the SSM port forward (docs/platform-contracts.md): apply installs the
        // argocd stack's releases, plan must read them, and Helm keeps releases in Secrets. Only this
        // environment's apply role: another environment's deploy job cannot reach this cluster.
        { role: infraApplyRoleName(props.env.name), policy: 'cluster-admin' },
        { role: CI_ROLE_NAMES.infraPlan, policy: 'admin-view' },
      ],
      // Like the edge stack's buckets: only dev may lose its key (and what it encrypts) on destroy.
      preventKeyDestroy: props.env.name !== 'dev',
    });

    this.addons = new EksAddons(this, 'addons', {
      clusterName: this.cluster.clusterName,
      roleNamePrefix: name,
      versions: settings.addonVersions,
      prefixDelegation: settings.prefixDelegation,
    });

    const group = settings.nodeGroup;
    this.nodeGroup = new EksNodeGroup(this, 'node-group', {
      clusterName: this.cluster.clusterName,
      namePrefix: name,
      name: 'general',
      // The cluster's version, from the same setting: an upgrade moves the control plane, then the nodes.
      kubernetesVersion: settings.kubernetesVersion,
      subnetIds: props.vpc.privateSubnetIds,
      instanceTypes: group.instanceTypes,
      minSize: group.minSize,
      desiredSize: group.desiredSize,
      maxSize: group.maxSize,
      diskSizeGb: group.diskSizeGb,
      // The provider's default tags do not reach what the Auto Scaling group launches: cost allocation.
      instanceTags: defaultTags(props.env.name, 'cluster'),
      dependsOn: this.addons.beforeNodes,
    });
    this.addons.addNodeDependency([this.nodeGroup.resource]);

    const account = new DataAwsCallerIdentity(this, 'account');
    const role = (id: ControllerName, roleSuffix: string, policy: object) =>
      new PodIdentityRole(this, id, {
        roleName: `${name}-${roleSuffix}`,
        clusterName: this.cluster.clusterName,
        ...CONTROLLER_SERVICE_ACCOUNTS[id],
        policy: JSON.stringify(policy),
      });
    this.controllerRoles = {
      awsLoadBalancerController: role('awsLoadBalancerController', 'aws-load-balancer-controller', albControllerPolicy(name, props.env.region, account.accountId)),
      externalDns: role('externalDns', 'external-dns', externalDnsPolicy([props.env.edge.apiDomain, props.env.argocd.hostname, props.env.observability.grafanaHostname])),
      clusterAutoscaler: role('clusterAutoscaler', 'cluster-autoscaler', clusterAutoscalerPolicy(name)),
    };

    this.apiAccessHost = new ApiAccessHost(this, 'api-access', {
      namePrefix: this.namePrefix,
      environment: props.env.name,
      vpcId: props.vpc.vpcId,
      // Every AZ's private subnet: the loss of one AZ must not close the only way into the private API.
      subnetIds: props.vpc.privateSubnetIds,
      instanceTags: defaultTags(props.env.name, 'cluster'),
    });
    this.apiAccessHost.allowHttpsTo('api-access-to-cluster', this.cluster.clusterSecurityGroupId, 'Kubernetes API from the SSM api-access host');

    const argocd = props.env.argocd.secrets;
    const written = (by: string) => `Written by ${by}; read by the argocd stack (ephemeral, never in state)`;
    this.platformSecrets = new PlatformSecrets(this, 'platform-secrets', {
      namePrefix: this.namePrefix,
      protect: props.env.name !== 'dev',
      secrets: {
        sealingKey: { name: argocd.sealingKey, description: `Sealed Secrets key pair {"tls.crt","tls.key"}. ${written('npm run sealing-key')}` },
        repositoryDeployKey: { name: argocd.repositoryDeployKey, description: `SSH private key of the GitOps repository's read-only deploy key. ${written('an operator')}` },
        githubWebhook: { name: argocd.githubWebhook, description: `GitHub webhook shared secret. ${written('an operator')}` },
        slackToken: { name: argocd.slackToken, description: `Slack bot token of Argo CD notifications. ${written('an operator')}` },
        ssoClient: { name: argocd.ssoClient, description: `GitHub OAuth app {"clientID","clientSecret"} for Argo CD SSO. ${written('an operator')}` },
      },
    });

    this.outputs();
  }

  /** Outputs named `<component>_<attribute>` for operators; the `argocd` stack reads the attributes directly. */
  private outputs(): void {
    const out = (id: string, value: string, description: string) => new TerraformOutput(this, id, { value, description });
    out('cluster_name', this.cluster.clusterName, 'EKS cluster name');
    out('cluster_endpoint', this.cluster.endpoint, 'Kubernetes API endpoint (private unless publicAccessCidrs is set)');
    out('cluster_certificate_authority_data', this.cluster.certificateAuthorityData, 'Base64 CA bundle of the API server');
    out('oidc_provider_arn', this.cluster.oidcProviderArn, 'IAM OIDC provider for charts that need IRSA');
    out('cluster_security_group_id', this.cluster.clusterSecurityGroupId, 'Security group of the control plane and the managed nodes');
    out('node_role_arn', this.nodeGroup.nodeRoleArn, 'IAM role of the managed nodes');
    out('vpc_id', this.vpcId, 'VPC of the cluster (the AWS Load Balancer Controller needs it: IMDS is closed to pods)');
    out('region', this.region, 'AWS region of the cluster');
    for (const [id, role] of Object.entries(this.controllerRoles)) {
      out(`${snake(id)}_role_arn`, role.roleArn, `IAM role of ${role.namespace}/${role.serviceAccount} (Pod Identity)`);
    }
    out('ebs_csi_driver_role_arn', this.addons.ebsCsiRole.roleArn, 'IAM role of the EBS CSI driver add-on (Pod Identity)');
    out('api_access_autoscaling_group_name', this.apiAccessHost.autoScalingGroupName, 'Auto Scaling group of the api-access host (one instance; `npm run api-tunnel` finds it by tag)');
    out('platform_secrets_kms_key_arn', this.platformSecrets.kmsKeyArn, 'KMS key of the Argo CD and Sealed Secrets secrets (writers need kms:Encrypt/GenerateDataKey)');
  }
}

function snake(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
