import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { HelmChartSettings } from '../config/settings';
import { ChartRelease } from './chart-release';

/** Where a controller runs and which service account its Pod Identity association names. */
export interface ControllerIdentity {
  readonly namespace: string;
  readonly serviceAccount: string;
}

export interface ClusterControllersProps {
  readonly helm: HelmProvider;
  readonly charts: { readonly awsLoadBalancerController: HelmChartSettings; readonly externalDns: HelmChartSettings; readonly clusterAutoscaler: HelmChartSettings };
  readonly clusterName: string;
  readonly region: string;
  /** Pods cannot read IMDS (hop limit 1), so the ALB controller is told its VPC. */
  readonly vpcId: string;
  /** Names the cluster stack bound the controllers' IAM roles to (`CONTROLLER_SERVICE_ACCOUNTS`). */
  readonly identities: {
    readonly awsLoadBalancerController: ControllerIdentity;
    readonly externalDns: ControllerIdentity;
    readonly clusterAutoscaler: ControllerIdentity;
  };
  /** @default 2 */
  readonly albControllerReplicas?: number;
  /** DNS names external-dns may manage (the environment's, nothing else in the shared zone). */
  readonly dnsNames: readonly string[];
  readonly externalDnsPolicy: 'sync' | 'upsert-only';
  /** `Environment` tag on the load balancers. */
  readonly environment: string;
  /** Namespaces the releases install into (to depend on). @default - none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The in-cluster controllers whose IAM roles the cluster stack created: the AWS Load Balancer Controller
 * first (its webhooks admit Ingresses and TargetGroupBindings, so everything else waits for it), then
 * external-dns and the Cluster Autoscaler.
 */
export class ClusterControllers extends Construct {
  public readonly awsLoadBalancerController: ChartRelease;
  public readonly externalDns: ChartRelease;
  public readonly clusterAutoscaler: ChartRelease;

  constructor(scope: Construct, id: string, props: ClusterControllersProps) {
    super(scope, id);
    const ids = props.identities;

    this.awsLoadBalancerController = new ChartRelease(this, 'aws-load-balancer-controller', {
      provider: props.helm,
      chart: props.charts.awsLoadBalancerController,
      name: 'aws-load-balancer-controller',
      namespace: ids.awsLoadBalancerController.namespace,
      values: {
        clusterName: props.clusterName,
        region: props.region,
        vpcId: props.vpcId,
        replicaCount: props.albControllerReplicas ?? 2,
        podDisruptionBudget: { maxUnavailable: 1 },
        serviceAccount: { create: true, name: ids.awsLoadBalancerController.serviceAccount },
        enableWafv2: true,
        // WAF Classic is retired; Shield Advanced is not subscribed (the calls would only fail).
        enableWaf: false,
        enableShield: false,
        // No Service of type LoadBalancer here: without the mutator, a Service created while the controller
        // is down is not refused by a failing webhook.
        enableServiceMutatorWebhook: false,
        defaultTags: { Project: 'tiketi', Environment: props.environment, ManagedBy: 'aws-load-balancer-controller' },
      },
      dependsOn: props.dependsOn,
    });

    this.externalDns = new ChartRelease(this, 'external-dns', {
      provider: props.helm,
      chart: props.charts.externalDns,
      name: 'external-dns',
      namespace: ids.externalDns.namespace,
      values: {
        provider: { name: 'aws' },
        env: [{ name: 'AWS_DEFAULT_REGION', value: props.region }],
        serviceAccount: { create: true, name: ids.externalDns.serviceAccount },
        sources: ['ingress'],
        policy: props.externalDnsPolicy,
        registry: 'txt',
        // Records are owned per cluster: another environment's external-dns never touches them.
        txtOwnerId: props.clusterName,
        domainFilters: [...props.dnsNames],
        extraArgs: ['--aws-zone-type=public'],
      },
      dependsOn: [this.awsLoadBalancerController.release, ...(props.dependsOn ?? [])],
    });

    this.clusterAutoscaler = new ChartRelease(this, 'cluster-autoscaler', {
      provider: props.helm,
      chart: props.charts.clusterAutoscaler,
      name: 'cluster-autoscaler',
      namespace: ids.clusterAutoscaler.namespace,
      values: {
        cloudProvider: 'aws',
        awsRegion: props.region,
        autoDiscovery: { clusterName: props.clusterName },
        rbac: { serviceAccount: { create: true, name: ids.clusterAutoscaler.serviceAccount } },
        extraArgs: { 'balance-similar-node-groups': true, 'skip-nodes-with-system-pods': false, expander: 'least-waste' },
      },
      dependsOn: [this.awsLoadBalancerController.release, ...(props.dependsOn ?? [])],
    });
  }
}
