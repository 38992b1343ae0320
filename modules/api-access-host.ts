import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';
import { permissionsBoundaryArn } from './private/permissions-boundary';

/** Tag that `npm run api-tunnel` finds the host by (with `Environment=<env>`): docs/platform-contracts.md. */
export const API_ACCESS_ROLE_TAG = { key: 'tiketi:role', value: 'api-access' } as const;

/** Latest Amazon Linux 2023 for arm64 (t4g), published by AWS as a public SSM parameter. */
export const AL2023_ARM64_AMI_PARAMETER = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64';

export interface ApiAccessHostProps {
  /** `tiketi-<env>`: names the role, profile, group and instance. */
  readonly namePrefix: string;
  /** Environment name for the `Environment` tag the tunnel command looks the host up by. */
  readonly environment: string;
  readonly vpcId: string;
  /** A private subnet (egress through NAT or VPC endpoints; no public address). */
  readonly subnetId: string;
  /**
   * Graviton burstable type: the host only relays TLS bytes.
   * @default 't4g.nano'
   */
  readonly instanceType?: string;
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
 * session is decided by IAM (`ssm:StartSession` on this instance and that document), and what they may do
 * in the cluster by their EKS access entry: the host adds no credentials of its own.
 */
export class ApiAccessHost extends Construct {
  public readonly instanceId: string;
  /** The host's security group: admit it (on 443 only) where it must reach, e.g. the cluster security group. */
  public readonly securityGroupId: string;
  public readonly roleName: string;

  constructor(scope: Construct, id: string, props: ApiAccessHostProps) {
    super(scope, id);
    const name = `${props.namePrefix}-api-access`;

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

    const ami = new DataAwsSsmParameter(this, 'ami', { name: AL2023_ARM64_AMI_PARAMETER });
    const instance = new Instance(this, 'instance', {
      ami: ami.value,
      instanceType: props.instanceType ?? 't4g.nano',
      subnetId: props.subnetId,
      vpcSecurityGroupIds: [group.id],
      iamInstanceProfile: profile.name,
      associatePublicIpAddress: false,
      metadataOptions: { httpTokens: 'required', httpEndpoint: 'enabled', httpPutResponseHopLimit: 1 },
      rootBlockDevice: { encrypted: true, volumeType: 'gp3', volumeSize: 8, deleteOnTermination: true },
      monitoring: false,
      tags: { Name: name, [API_ACCESS_ROLE_TAG.key]: API_ACCESS_ROLE_TAG.value, Environment: props.environment },
      volumeTags: { Name: name, Environment: props.environment },
      // A new AMI is picked up by a reviewed `-replace`, not by whichever plan runs after AWS publishes one
      // (a replacement mid-deploy would cut the tunnel the deploy runs through). Patches: SSM Patch Manager.
      lifecycle: { ignoreChanges: ['ami'] },
    });

    this.instanceId = instance.id;
    this.securityGroupId = group.id;
    this.roleName = role.name;
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
