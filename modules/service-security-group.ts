import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';

export interface ServiceSecurityGroupProps {
  /** Group name, e.g. `tiketi-prod-postgres`. */
  readonly name: string;
  readonly description: string;
  readonly vpcId: string;
  /** The one TCP port the service listens on; every rule the group gets opens only this port. */
  readonly port: number;
}

/**
 * The security group in front of one managed service (a database, a cache). It starts closed: no
 * ingress, and no egress at all (RDS and ElastiCache answer on established connections and never
 * open connections themselves). Ingress is added only through `allowFrom` / `allowFromSecurityGroup`,
 * one `aws_vpc_security_group_ingress_rule` per source, so each rule has its own state address.
 */
export class ServiceSecurityGroup extends Construct {
  public readonly securityGroupId: string;
  public readonly port: number;
  private readonly sourceGroups = new Set<string>();

  constructor(scope: Construct, id: string, props: ServiceSecurityGroupProps) {
    super(scope, id);
    if (!Number.isInteger(props.port) || props.port < 1 || props.port > 65535) {
      throw new Error(`ServiceSecurityGroup ${props.name}: port got ${props.port}, expected a TCP port from 1 to 65535`);
    }
    this.port = props.port;
    const group = new SecurityGroup(this, 'group', {
      name: props.name,
      description: props.description,
      vpcId: props.vpcId,
      // `egress = []` makes Terraform remove AWS's default allow-all egress rule and keep it removed.
      // Inline `ingress` stays unset: the standalone ingress rules below own it (mixing both fights).
      egress: [],
      tags: { Name: props.name },
    });
    this.securityGroupId = group.id;
  }

  /** Lets clients in these IPv4 CIDRs (e.g. the private node/pod subnets) reach the service port. */
  public allowFrom(cidrs: readonly string[], description: string): void {
    for (const cidr of cidrs) {
      if (cidr === '0.0.0.0/0' || !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr)) {
        throw new Error(`${this.node.path}: allowFrom got ${JSON.stringify(cidr)}, expected a specific IPv4 CIDR (never 0.0.0.0/0)`);
      }
      // The CIDR names the rule, so adding or removing a subnet touches only its own rule.
      new VpcSecurityGroupIngressRule(this, `from-${cidr.replace(/[./]/g, '-')}`, {
        securityGroupId: this.securityGroupId,
        cidrIpv4: cidr,
        ipProtocol: 'tcp',
        fromPort: this.port,
        toPort: this.port,
        description,
      });
    }
  }

  /**
   * Lets members of another security group (e.g. the EKS cluster or node security group) reach the
   * service port. `name` is a stable, intent-named key for the rule (it becomes its state address).
   */
  public allowFromSecurityGroup(name: string, sourceSecurityGroupId: string, description: string): void {
    if (!/^[a-z0-9-]+$/.test(name) || this.sourceGroups.has(name)) {
      throw new Error(`${this.node.path}: allowFromSecurityGroup name got ${JSON.stringify(name)}, expected a new lower-case key such as "eks-nodes"`);
    }
    this.sourceGroups.add(name);
    new VpcSecurityGroupIngressRule(this, `from-sg-${name}`, {
      securityGroupId: this.securityGroupId,
      referencedSecurityGroupId: sourceSecurityGroupId,
      ipProtocol: 'tcp',
      fromPort: this.port,
      toPort: this.port,
      description,
    });
  }
}
