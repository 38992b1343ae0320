import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';
import { permissionsBoundaryArn } from './private/permissions-boundary';

/** Tag that `npm run api-tunnel` finds the host by (with `Environment=<env>`): docs/platform-contracts.md. */
export const API_ACCESS_ROLE_TAG = { key: 'tiketi:role', value: 'api-access' } as const;

/** Latest Amazon Linux 2023 for arm64 (t4g), published by AWS as a public SSM parameter. */
export const AL2023_ARM64_AMI_PARAMETER = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64';

export interface ApiAccessHostProps {
  /** `tiketi-<env>`: names the role, profile, group, launch template and Auto Scaling group. */
  readonly namePrefix: string;
  /** Environment name for the `Environment` tag the tunnel command looks the host up by. */
  readonly environment: string;
  readonly vpcId: string;
  /**
   * The private subnets of every AZ (egress through NAT or VPC endpoints; no public address). The Auto
   * Scaling group may launch the host in any of them, so the loss of one AZ does not close the way in.
   */
  readonly subnetIds: readonly string[];
  /**
   * Graviton burstable type: the host only relays TLS bytes.
   * @default 't4g.nano'
   */
  readonly instanceType?: string;
  /**
   * Tags the instance and its root volume get at launch besides `Name`, `tiketi:role` and `Environment` (cost
   * allocation: the provider's default tags reach neither the Auto Scaling group nor what it launches).
   * @default - none
   */
  readonly instanceTags?: Readonly<Record<string, string>>;
  /**
   * Permissions boundary of the host's role (the ceiling the CI apply role enforces on every role it creates).
   * @default - the account's `tiketi-boundary` policy, looked up at plan time
   */
  readonly permissionsBoundary?: string;
}

/**
 * The one way into the private Kubernetes API for operators and CI: a small instance that SSM Session
 * Manager port forwarding (`AWS-StartPortForwardingSessionToRemoteHost`) relays through to the cluster
 * endpoint. It has no key pair, no inbound rule and no public address; it may only open HTTPS connections
 * (the SSM agent to Systems Manager, the relayed session to the API). IMDSv2 only with hop limit 1, an
 * encrypted root volume, and an instance profile with `AmazonSSMManagedInstanceCore` only. Who may open a
 * session is decided by IAM (`ssm:StartSession` on instances tagged `tiketi:role=api-access` and that
 * document), and what they may do in the cluster by their EKS access entry: the host adds no credentials.
 *
 * It is an Auto Scaling group of exactly one instance over the private subnets of every AZ, not a bare
 * instance: when its AZ fails (or the instance fails its EC2 status checks) the group launches a replacement
 * in a surviving AZ, tagged at launch so `npm run api-tunnel` finds it. The host holds no state, so a
 * replacement is the same host.
 */
export class ApiAccessHost extends Construct {
  /** Name of the Auto Scaling group (the instance ID changes with every replacement: find it by tag). */
  public readonly autoScalingGroupName: string;
  /** The host's security group: admit it (on 443 only) where it must reach, e.g. the cluster security group. */
  public readonly securityGroupId: string;
  public readonly roleName: string;
  public readonly launchTemplateId: string;

  constructor(scope: Construct, id: string, props: ApiAccessHostProps) {
    super(scope, id);
    const name = `${props.namePrefix}-api-access`;
    if (props.subnetIds.length === 0) throw new Error(`ApiAccessHost ${name}: subnetIds is empty; give the private subnets of every AZ`);
    if (new Set(props.subnetIds).size !== props.subnetIds.length) throw new Error(`ApiAccessHost ${name}: subnetIds names a subnet twice: ${props.subnetIds.join(', ')}`);

    const role = new IamRole(this, 'role', {
      name,
      permissionsBoundary: props.permissionsBoundary ?? permissionsBoundaryArn(this),
      description: `SSM-managed relay into the private Kubernetes API of ${props.namePrefix}`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    });
    new IamRolePolicyAttachment(this, 'ssm-core', { role: role.name, policyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore' });
    const profile = new IamInstanceProfile(this, 'profile', { name, role: role.name });

    // Inline rules are authoritative: `ingress = []` removes any inbound rule added out of band, and the
    // one egress rule is all there is. DNS (VPC resolver) and NTP (169.254.169.123) are not filtered.
    const group = new SecurityGroup(this, 'security-group', {
      name,
      description: `${name}: no inbound; HTTPS out only (SSM and the Kubernetes API)`,
      vpcId: props.vpcId,
      ingress: [],
      // JSON attribute syntax: every field of the rule object is given (Terraform requires them all there).
      egress: [
        {
          description: 'HTTPS: SSM endpoints and the EKS API endpoint',
          protocol: 'tcp',
          fromPort: 443,
          toPort: 443,
          cidrBlocks: ['0.0.0.0/0'],
          ipv6CidrBlocks: [],
          prefixListIds: [],
          securityGroups: [],
          selfAttribute: false,
        },
      ],
      tags: { Name: name },
    });

    // What `npm run api-tunnel` and the SSM policies (`ssm:resourceTag/...`) find the instance by.
    const launchTags = { ...props.instanceTags, Name: name, [API_ACCESS_ROLE_TAG.key]: API_ACCESS_ROLE_TAG.value, Environment: props.environment };
    const ami = new DataAwsSsmParameter(this, 'ami', { name: AL2023_ARM64_AMI_PARAMETER });
    const template = new LaunchTemplate(this, 'launch-template', {
      name,
      description: `${name}: SSM relay into the private Kubernetes API; IMDSv2 only, encrypted root volume, no public address`,
      updateDefaultVersion: true,
      imageId: ami.value,
      instanceType: props.instanceType ?? 't4g.nano',
      iamInstanceProfile: { name: profile.name },
      // EC2.8/EC2.170: session tokens required; hop limit 1: nothing in a container on the host reaches IMDS.
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1, instanceMetadataTags: 'disabled' },
      // The interface carries the group and refuses a public address whatever the subnet says (EC2.25).
      networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: 'false', deleteOnTermination: 'true', securityGroups: [group.id] }],
      blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: 8, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' } }],
      monitoring: { enabled: false },
      // Auto Scaling's propagated tags reach the instance, not its volume: the template tags both.
      tagSpecifications: ['instance', 'volume'].map((resourceType) => ({ resourceType, tags: launchTags })),
      // A new AMI is picked up by a reviewed change (docs/argocd.md, "Reaching the API"), not by whichever plan
      // runs after AWS publishes one. Patches: SSM Patch Manager.
      lifecycle: { ignoreChanges: ['image_id'] },
    });

    const asg = new AutoscalingGroup(this, 'group', {
      name,
      // Exactly one: the tunnel command expects one running host, and a relay needs no more.
      minSize: 1,
      maxSize: 1,
      desiredCapacity: 1,
      vpcZoneIdentifier: [...props.subnetIds],
      launchTemplate: { id: template.id, version: template.latestVersion.toString() },
      // EC2 status checks: an instance of a failed AZ (or a failed host) is replaced.
      healthCheckType: 'EC2',
      healthCheckGracePeriod: 120,
      // Default `balanced-only` keeps retrying the AZ balance points at, the failed one included; best effort
      // launches in a healthy AZ when launches fail there.
      availabilityZoneDistribution: { capacityDistributionStrategy: 'balanced-best-effort' },
      tag: Object.entries(launchTags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
    });

    this.autoScalingGroupName = asg.name;
    this.securityGroupId = group.id;
    this.roleName = role.name;
    this.launchTemplateId = template.id;
  }

  /** Lets the host reach `securityGroupId` (the cluster security group) on 443 and nothing else. */
  public allowHttpsTo(id: string, securityGroupId: string, description: string): VpcSecurityGroupIngressRule {
    return new VpcSecurityGroupIngressRule(this, id, {
      securityGroupId,
      referencedSecurityGroupId: this.securityGroupId,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      description,
    });
  }
}
