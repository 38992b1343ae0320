import { EksNodeGroup as EksNodeGroupResource } from '@cdktf/provider-aws/lib/eks-node-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { permissionsBoundaryArn } from './private/permissions-boundary';

/**
 * Policies of the node role. The VPC CNI's policy is *not* here: aws-node gets it through Pod Identity,
 * so pods on the node cannot use the node role to change ENIs (EKS best practices, "Use IRSA for aws-node").
 */
export const NODE_ROLE_POLICIES = [
  'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
  'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly',
] as const;

export interface EksNodeGroupProps {
  readonly clusterName: string;
  /**
   * Kubernetes minor of the nodes (`version`): the cluster's `kubernetesVersion` from the settings. Without it
   * EKS takes the cluster's version at creation and Terraform never moves it, so a control plane upgrade
   * would leave the nodes behind. With it, the same apply that upgrades the control plane rolls the nodes
   * after it (the node group depends on the cluster and on the add-ons nodes need). No `release_version`:
   * AMIs are not pinned, EKS takes the latest AL2023 release of this version when the version changes.
   */
  readonly kubernetesVersion: string;
  /** `<namePrefix>-<name>`: node group, role and launch template names. */
  readonly name: string;
  /**
   * Prefix of those names: a literal, so they are known at synth time (the cluster name may be a reference).
   * @default clusterName
   */
  readonly namePrefix?: string;
  /** Private subnets of every AZ, so nodes spread over all of them. */
  readonly subnetIds: string[];
  readonly instanceTypes: readonly string[];
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
  readonly diskSizeGb: number;
  /**
   * Nodes a rolling update may take down at once. EKS first launches replacements (up to twice the AZ
   * count) and drains old nodes only when new ones are ready, so capacity stays up.
   * @default 1 - one node at a time
   */
  readonly maxUnavailable?: number;
  /**
   * Let EKS replace nodes that report unhealthy (node auto repair).
   * @default true
   */
  readonly nodeRepair?: boolean;
  /** Resources the node group waits for, e.g. the add-ons nodes need to become Ready. @default - none */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * Tags for the instances and root volumes the node group launches (cost allocation). The provider's
   * default tags do not reach them: the Auto Scaling group launches them from the launch template.
   * @default - only `Name`
   */
  readonly instanceTags?: Readonly<Record<string, string>>;
  /**
   * Permissions boundary of the node role.
   * @default - the account's `tiketi-boundary` policy (registry stack), looked up at plan time
   */
  readonly permissionsBoundary?: string;
}

/**
 * A managed node group on Amazon Linux 2023 with a launch template that requires IMDSv2 with a hop limit
 * of 1 (pods cannot reach the node's credentials; they get their own through Pod Identity) and an
 * encrypted gp3 root volume. Tagged for Cluster Autoscaler auto-discovery; the autoscaler owns the
 * desired size after creation.
 */
export class EksNodeGroup extends Construct {
  public readonly nodeGroupName: string;
  public readonly nodeRoleArn: string;
  public readonly nodeRoleName: string;
  public readonly launchTemplateId: string;
  public readonly resource: EksNodeGroupResource;

  constructor(scope: Construct, id: string, props: EksNodeGroupProps) {
    super(scope, id);
    const fullName = `${props.namePrefix ?? props.clusterName}-${props.name}`;
    if (!/^\d+\.\d+$/.test(props.kubernetesVersion)) {
      throw new Error(`EksNodeGroup ${fullName}: kubernetesVersion must be a Kubernetes minor like "1.35" (the cluster's version), got ${JSON.stringify(props.kubernetesVersion)}`);
    }

    const role = new IamRole(this, 'role', {
      name: `${fullName}-node`,
      permissionsBoundary: props.permissionsBoundary ?? permissionsBoundaryArn(this),
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    });
    const attachments = NODE_ROLE_POLICIES.map((arn, i) => new IamRolePolicyAttachment(this, `policy-${i}`, { role: role.name, policyArn: arn }));

    const template = new LaunchTemplate(this, 'launch-template', {
      name: `${fullName}-node`,
      description: `Nodes of ${fullName}: IMDSv2 only, encrypted gp3 root volume`,
      updateDefaultVersion: true,
      // EC2.8: session tokens required; hop limit 1 keeps IMDS away from pods in their own network namespace.
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1, instanceMetadataTags: 'disabled' },
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: { volumeSize: props.diskSizeGb, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' },
        },
      ],
      tagSpecifications: ['instance', 'volume'].map((resourceType) => ({ resourceType, tags: { ...props.instanceTags, Name: `${fullName}-node` } })),
    });

    const autoscalerTags = {
      'k8s.io/cluster-autoscaler/enabled': 'true',
      [`k8s.io/cluster-autoscaler/${props.clusterName}`]: 'owned',
    };
    const group = new EksNodeGroupResource(this, 'node-group', {
      clusterName: props.clusterName,
      nodeGroupName: fullName,
      version: props.kubernetesVersion,
      nodeRoleArn: role.arn,
      subnetIds: props.subnetIds,
      amiType: 'AL2023_x86_64_STANDARD',
      capacityType: 'ON_DEMAND',
      instanceTypes: [...props.instanceTypes],
      scalingConfig: { minSize: props.minSize, desiredSize: props.desiredSize, maxSize: props.maxSize },
      updateConfig: { maxUnavailable: props.maxUnavailable ?? 1 },
      nodeRepairConfig: { enabled: props.nodeRepair ?? true },
      launchTemplate: { id: template.id, version: template.latestVersion.toString() },
      labels: { 'tiketi.io/node-group': props.name },
      // EKS puts these on the Auto Scaling group itself; here they document the discovery contract.
      tags: autoscalerTags,
      // Cluster Autoscaler changes the desired size; a plan must not undo it.
      lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
      dependsOn: [...attachments, ...(props.dependsOn ?? [])],
    });

    this.resource = group;
    this.nodeGroupName = group.nodeGroupName;
    this.nodeRoleArn = role.arn;
    this.nodeRoleName = role.name;
    this.launchTemplateId = template.id;
  }
}
