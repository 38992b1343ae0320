import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { ElasticacheSubnetGroup } from '@cdktf/provider-aws/lib/elasticache-subnet-group';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc as VpcResource } from '@cdktf/provider-aws/lib/vpc';
import { Construct } from 'constructs';
import { NatGatewayMode } from '../config/settings';

export interface VpcProps {
  /** Prefix of every Name tag and group name, e.g. `tiketi-prod`. */
  readonly namePrefix: string;
  readonly cidr: string;
  readonly availabilityZones: readonly string[];
  /** One CIDR per AZ, in the order of `availabilityZones`. */
  readonly publicSubnetCidrs: readonly string[];
  readonly privateSubnetCidrs: readonly string[];
  readonly databaseSubnetCidrs: readonly string[];
  /**
   * @default 'one-per-az' - each private route table uses the NAT gateway of its own AZ, so losing
   * one AZ does not cut the others off the internet
   */
  readonly natGateways?: NatGatewayMode;
  /**
   * Tags on the private subnets besides the internal load balancer role, e.g. the EKS cluster tag.
   * @default - none
   */
  readonly privateSubnetTags?: Record<string, string>;
}

/**
 * A three-tier VPC: public subnets (ALBs, NAT), private subnets (nodes and pods, out through NAT) and
 * database subnets (no route to the internet at all). The default security group is taken over with
 * no rules, so nothing can use it by accident. Subnets never assign public IPs at launch.
 */
export class Vpc extends Construct {
  public readonly vpcId: string;
  public readonly vpcCidr: string;
  public readonly publicSubnetIds: string[];
  public readonly privateSubnetIds: string[];
  public readonly databaseSubnetIds: string[];
  /** Route tables of the private and database tiers (for gateway endpoints). */
  public readonly privateRouteTableIds: string[];
  public readonly databaseRouteTableId: string;
  /** Ready-made subnet groups over the database subnets. */
  public readonly databaseSubnetGroupName: string;
  public readonly elasticacheSubnetGroupName: string;
  public readonly natGatewayCount: number;
  /** IDs of the NAT gateways, in AZ order (the observability stack alarms on each). */
  public readonly natGatewayIds: string[];

  constructor(scope: Construct, id: string, props: VpcProps) {
    super(scope, id);
    const name = (suffix: string) => ({ Name: `${props.namePrefix}-${suffix}` });
    const azs = props.availabilityZones;
    const suffixOf = (az: string) => az.slice(-1);

    const vpc = new VpcResource(this, 'vpc', {
      cidrBlock: props.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: name('vpc'),
    });
    this.vpcId = vpc.id;
    this.vpcCidr = vpc.cidrBlock;

    // Managing the default security group without rules removes AWS's allow-all-within-group default (EC2.2).
    new DefaultSecurityGroup(this, 'default-security-group', { vpcId: vpc.id, ingress: [], egress: [], tags: name('default-deny') });

    const igw = new InternetGateway(this, 'igw', { vpcId: vpc.id, tags: name('igw') });

    const subnets = (tier: string, cidrs: readonly string[], tags: Record<string, string>) =>
      azs.map(
        (az, i) =>
          new Subnet(this, `${tier}-${suffixOf(az)}`, {
            vpcId: vpc.id,
            availabilityZone: az,
            cidrBlock: cidrs[i],
            mapPublicIpOnLaunch: false,
            tags: { ...name(`${tier}-${suffixOf(az)}`), Tier: tier, ...tags },
          }),
      );
    // Role tags let the AWS Load Balancer Controller find subnets for internet-facing and internal ALBs.
    const publicSubnets = subnets('public', props.publicSubnetCidrs, { 'kubernetes.io/role/elb': '1' });
    const privateSubnets = subnets('private', props.privateSubnetCidrs, { 'kubernetes.io/role/internal-elb': '1', ...props.privateSubnetTags });
    const databaseSubnets = subnets('database', props.databaseSubnetCidrs, {});
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.databaseSubnetIds = databaseSubnets.map((s) => s.id);

    const publicRouteTable = new RouteTable(this, 'public-rt', { vpcId: vpc.id, tags: name('public') });
    new Route(this, 'public-default-route', { routeTableId: publicRouteTable.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id });
    publicSubnets.forEach((subnet, i) =>
      new RouteTableAssociation(this, `public-rta-${suffixOf(azs[i])}`, { subnetId: subnet.id, routeTableId: publicRouteTable.id }),
    );

    const natMode = props.natGateways ?? 'one-per-az';
    const natAzs = natMode === 'single' ? azs.slice(0, 1) : azs;
    const natGateways = natAzs.map((az, i) => {
      const eip = new Eip(this, `nat-eip-${suffixOf(az)}`, { domain: 'vpc', tags: name(`nat-${suffixOf(az)}`) });
      return new NatGateway(this, `nat-${suffixOf(az)}`, {
        allocationId: eip.allocationId,
        subnetId: publicSubnets[i].id,
        tags: name(`nat-${suffixOf(az)}`),
        dependsOn: [igw],
      });
    });
    this.natGatewayCount = natGateways.length;
    this.natGatewayIds = natGateways.map((nat) => nat.id);

    this.privateRouteTableIds = privateSubnets.map((subnet, i) => {
      const az = suffixOf(azs[i]);
      const table = new RouteTable(this, `private-rt-${az}`, { vpcId: vpc.id, tags: name(`private-${az}`) });
      // With one NAT per AZ each table uses its own AZ's gateway; with a single NAT all share it.
      const nat = natGateways[natMode === 'single' ? 0 : i];
      new Route(this, `private-default-route-${az}`, { routeTableId: table.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nat.id });
      new RouteTableAssociation(this, `private-rta-${az}`, { subnetId: subnet.id, routeTableId: table.id });
      return table.id;
    });

    // Database subnets get a table with only the implicit local route: no internet in or out.
    const databaseRouteTable = new RouteTable(this, 'database-rt', { vpcId: vpc.id, tags: name('database') });
    databaseSubnets.forEach((subnet, i) =>
      new RouteTableAssociation(this, `database-rta-${suffixOf(azs[i])}`, { subnetId: subnet.id, routeTableId: databaseRouteTable.id }),
    );
    this.databaseRouteTableId = databaseRouteTable.id;

    const dbSubnetGroup = new DbSubnetGroup(this, 'db-subnet-group', {
      name: `${props.namePrefix}-database`,
      description: `Database subnets of ${props.namePrefix}`,
      subnetIds: this.databaseSubnetIds,
    });
    const cacheSubnetGroup = new ElasticacheSubnetGroup(this, 'elasticache-subnet-group', {
      name: `${props.namePrefix}-cache`,
      description: `Database subnets of ${props.namePrefix}, for ElastiCache`,
      subnetIds: this.databaseSubnetIds,
    });
    this.databaseSubnetGroupName = dbSubnetGroup.name;
    this.elasticacheSubnetGroupName = cacheSubnetGroup.name;
  }
}
