import { DataAwsEksAddonVersion } from '@cdktf/provider-aws/lib/data-aws-eks-addon-version';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { PodIdentityRole } from './pod-identity-role';

/** The add-ons every Tiketi cluster runs, in install order. */
export const ADDONS_BEFORE_NODES = ['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent'] as const;
export const ADDONS_AFTER_NODES = ['coredns', 'aws-ebs-csi-driver', 'metrics-server'] as const;
export type AddonName = (typeof ADDONS_BEFORE_NODES)[number] | (typeof ADDONS_AFTER_NODES)[number];

export interface EksAddonsProps {
  readonly clusterName: string;
  /** The cluster's Kubernetes version: add-on versions are resolved for it. */
  readonly kubernetesVersion: string;
  /**
   * VPC CNI prefix delegation (a /28 per ENI slot instead of one IP).
   * @default false - secondary IPs, the mode the capacity check counts for
   */
  readonly prefixDelegation?: boolean;
  /**
   * Explicit add-on versions, e.g. `{ 'vpc-cni': 'v1.20.4-eksbuild.1' }`.
   * @default - the version EKS marks as default for `kubernetesVersion` (`aws_eks_addon_version`
   * with `most_recent = false`), which AWS validates for that Kubernetes version
   */
  readonly versions?: Partial<Record<AddonName, string>>;
}

/**
 * The EKS add-ons: networking with NetworkPolicy enforcement (vpc-cni), kube-proxy and the Pod Identity
 * agent before nodes exist (nodes need them to become Ready); CoreDNS, the EBS CSI driver and
 * metrics-server (HPA) after `addNodeDependency` (their pods need nodes to run). vpc-cni and the EBS CSI
 * driver get their AWS permissions through Pod Identity, not through the node role.
 */
export class EksAddons extends Construct {
  /** Add-ons the node group must wait for. */
  public readonly beforeNodes: EksAddon[];
  public readonly vpcCniRole: PodIdentityRole;
  public readonly ebsCsiRole: PodIdentityRole;
  private readonly props: EksAddonsProps;

  constructor(scope: Construct, id: string, props: EksAddonsProps) {
    super(scope, id);
    this.props = props;
    this.vpcCniRole = new PodIdentityRole(this, 'vpc-cni-role', {
      roleName: `${props.clusterName}-vpc-cni`,
      clusterName: props.clusterName,
      namespace: 'kube-system',
      serviceAccount: 'aws-node',
      managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy'],
      createAssociation: false,
    });
    this.ebsCsiRole = new PodIdentityRole(this, 'ebs-csi-role', {
      roleName: `${props.clusterName}-ebs-csi-driver`,
      clusterName: props.clusterName,
      namespace: 'kube-system',
      serviceAccount: 'ebs-csi-controller-sa',
      managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy'],
      createAssociation: false,
    });

    const prefixDelegation = props.prefixDelegation ?? false;
    const cniConfiguration = {
      // Enforce Kubernetes NetworkPolicies with the VPC CNI's eBPF agent.
      enableNetworkPolicy: 'true',
      env: prefixDelegation
        ? { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1' }
        : { ENABLE_PREFIX_DELEGATION: 'false', WARM_ENI_TARGET: '1' },
    };
    this.beforeNodes = [
      this.addon('vpc-cni', {
        configurationValues: JSON.stringify(cniConfiguration),
        podIdentityAssociation: [{ roleArn: this.vpcCniRole.roleArn, serviceAccount: 'aws-node' }],
      }),
      this.addon('kube-proxy'),
      this.addon('eks-pod-identity-agent'),
    ];
  }

  /** Adds the add-ons whose pods need nodes, after `nodes` (the node groups). */
  public addNodeDependency(nodes: ITerraformDependable[]): EksAddon[] {
    return [
      this.addon('coredns', {}, nodes),
      this.addon('aws-ebs-csi-driver', { podIdentityAssociation: [{ roleArn: this.ebsCsiRole.roleArn, serviceAccount: 'ebs-csi-controller-sa' }] }, nodes),
      this.addon('metrics-server', {}, nodes),
    ];
  }

  private addon(name: AddonName, extra: Partial<Pick<EksAddon, 'configurationValues'>> & { podIdentityAssociation?: { roleArn: string; serviceAccount: string }[] } = {}, dependsOn: ITerraformDependable[] = []): EksAddon {
    const version =
      this.props.versions?.[name] ??
      new DataAwsEksAddonVersion(this, `${name}-version`, { addonName: name, kubernetesVersion: this.props.kubernetesVersion, mostRecent: false }).version;
    return new EksAddon(this, name, {
      clusterName: this.props.clusterName,
      addonName: name,
      addonVersion: version,
      // Terraform is the source of truth for add-on configuration.
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      configurationValues: extra.configurationValues,
      podIdentityAssociation: extra.podIdentityAssociation,
      dependsOn,
    });
  }
}
