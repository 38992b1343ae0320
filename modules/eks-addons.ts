import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { EksAddonName } from '../config/settings';
import { EKS_ADDON_VERSION } from '../config/validation/cluster';
import { PodIdentityRole } from './pod-identity-role';

/** The add-ons every Tiketi cluster runs, in install order. */
export const ADDONS_BEFORE_NODES = ['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent'] as const;
export const ADDONS_AFTER_NODES = ['coredns', 'aws-ebs-csi-driver', 'metrics-server'] as const;
export type AddonName = EksAddonName;

export interface EksAddonsProps {
  readonly clusterName: string;
  /**
   * Prefix of the add-on roles' names (`<prefix>-vpc-cni`, `<prefix>-ebs-csi-driver`): a literal, so the
   * names are known at synth time (the cluster name may be a reference).
   * @default clusterName
   */
  readonly roleNamePrefix?: string;
  /**
   * VPC CNI prefix delegation (a /28 per ENI slot instead of one IP).
   * @default false - secondary IPs, the mode the capacity check counts for
   */
  readonly prefixDelegation?: boolean;
  /**
   * The version of every add-on, literally (`v1.21.1-eksbuild.7`), one EKS publishes for the cluster's
   * Kubernetes version. No lookup: `aws_eks_addon_version` fails when EKS flags no default version and
   * moves versions between plans without a code change.
   */
  readonly versions: Readonly<Record<AddonName, string>>;
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
    const problems = [...ADDONS_BEFORE_NODES, ...ADDONS_AFTER_NODES]
      .filter((name) => !EKS_ADDON_VERSION.test(props.versions[name] ?? ''))
      .map((name) => `versions["${name}"] got ${JSON.stringify(props.versions[name])}, expected "v<major>.<minor>.<patch>-eksbuild.<n>"`);
    if (problems.length > 0) throw new Error(`EksAddons ${props.roleNamePrefix ?? id}: ${problems.join('; ')}`);
    const prefix = props.roleNamePrefix ?? props.clusterName;
    this.vpcCniRole = new PodIdentityRole(this, 'vpc-cni-role', {
      roleName: `${prefix}-vpc-cni`,
      clusterName: props.clusterName,
      namespace: 'kube-system',
      serviceAccount: 'aws-node',
      managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy'],
      createAssociation: false,
    });
    this.ebsCsiRole = new PodIdentityRole(this, 'ebs-csi-role', {
      roleName: `${prefix}-ebs-csi-driver`,
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
    return new EksAddon(this, name, {
      clusterName: this.props.clusterName,
      addonName: name,
      addonVersion: this.props.versions[name],
      // Terraform is the source of truth for add-on configuration.
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      configurationValues: extra.configurationValues,
      podIdentityAssociation: extra.podIdentityAssociation,
      dependsOn,
    });
  }
}
