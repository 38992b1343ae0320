import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { BackendSettings } from '../config/backend';
import { clusterName } from '../config/naming';
import { EnvironmentSettings, interfaceEndpointServices } from '../config/settings';
import { VpcFlowLog } from '../modules/flow-log';
import { VpcEndpoints } from '../modules/vpc-endpoints';
import { Vpc } from '../modules/vpc';
import { TiketiStack } from './tiketi-stack';

export interface NetworkStackProps {
  readonly env: EnvironmentSettings;
  readonly backend: BackendSettings;
}

/** The environment's VPC: subnets in every AZ, NAT, flow logs, endpoints and the subnet groups `data` uses. */
export class NetworkStack extends TiketiStack {
  public readonly vpc: Vpc;

  constructor(scope: Construct, props: NetworkStackProps) {
    super(scope, 'network', { scopeName: props.env.name, region: props.env.region, backend: props.backend });
    const network = props.env.network;
    const cluster = clusterName(props.env.name);

    this.vpc = new Vpc(this, 'vpc', {
      namePrefix: this.namePrefix,
      cidr: network.vpcCidr,
      availabilityZones: network.availabilityZones,
      publicSubnetCidrs: network.publicSubnetCidrs,
      privateSubnetCidrs: network.privateSubnetCidrs,
      databaseSubnetCidrs: network.databaseSubnetCidrs,
      natGateways: network.natGateways,
      // EKS and the node autoscaler discover the node subnets by these tags.
      privateSubnetTags: { [`kubernetes.io/cluster/${cluster}`]: 'shared', 'karpenter.sh/discovery': cluster },
    });

    new VpcFlowLog(this, 'flow-log', {
      namePrefix: this.namePrefix,
      vpcId: this.vpc.vpcId,
      retentionDays: network.flowLogRetentionDays,
      // Like the edge stack's buckets: only dev may lose its flow log key (and records) on destroy.
      preventKeyDestroy: props.env.name !== 'dev',
    });

    new VpcEndpoints(this, 'endpoints', {
      namePrefix: this.namePrefix,
      region: props.env.region,
      vpcId: this.vpc.vpcId,
      vpcCidr: network.vpcCidr,
      gatewayRouteTableIds: [...this.vpc.privateRouteTableIds, this.vpc.databaseRouteTableId],
      interfaceSubnetIds: this.vpc.privateSubnetIds,
      // The same list the pod capacity check reserves addresses for (config/validation/cluster.ts).
      interfaceServices: interfaceEndpointServices(network),
    });

    // For operators (`cdktf output network`); other stacks read the construct attributes instead.
    new TerraformOutput(this, 'vpc_id', { value: this.vpc.vpcId });
    new TerraformOutput(this, 'private_subnet_ids', { value: this.vpc.privateSubnetIds });
    new TerraformOutput(this, 'database_subnet_group_name', { value: this.vpc.databaseSubnetGroupName });
  }
}
