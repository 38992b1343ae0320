import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';

export interface VpcEndpointsProps {
  readonly namePrefix: string;
  readonly region: string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** Route tables that get the S3 gateway endpoint (ECR image layers come from S3). */
  readonly gatewayRouteTableIds: readonly string[];
  /** Subnets that hold the interface endpoints' network interfaces, one per AZ. */
  readonly interfaceSubnetIds: readonly string[];
  /**
   * AWS services reached through interface endpoints (hourly cost per AZ each), e.g. the platform's
   * `INTERFACE_ENDPOINT_SERVICES` (config/settings.ts).
   * @default - none: only the free S3 gateway endpoint
   */
  readonly interfaceServices?: readonly string[];
}

/** The S3 gateway endpoint, and interface endpoints with private DNS reachable on 443 from inside the VPC only. */
export class VpcEndpoints extends Construct {
  public readonly interfaceEndpointIds: Record<string, string> = {};
  public readonly s3EndpointId: string;

  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);
    this.s3EndpointId = new VpcEndpoint(this, 's3', {
      vpcId: props.vpcId,
      serviceName: `com.amazonaws.${props.region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: [...props.gatewayRouteTableIds],
      tags: { Name: `${props.namePrefix}-s3` },
    }).id;

    const services = props.interfaceServices ?? [];
    if (services.length === 0) return;
    const securityGroup = new SecurityGroup(this, 'endpoints-sg', {
      name: `${props.namePrefix}-vpc-endpoints`,
      description: 'HTTPS from inside the VPC to interface endpoints',
      vpcId: props.vpcId,
      tags: { Name: `${props.namePrefix}-vpc-endpoints` },
    });
    new VpcSecurityGroupIngressRule(this, 'https-from-vpc', {
      securityGroupId: securityGroup.id,
      description: 'HTTPS from the VPC',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: props.vpcCidr,
    });
    for (const service of services) {
      this.interfaceEndpointIds[service] = new VpcEndpoint(this, `endpoint-${service.replace(/\./g, '-')}`, {
        vpcId: props.vpcId,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: 'Interface',
        privateDnsEnabled: true,
        subnetIds: [...props.interfaceSubnetIds],
        securityGroupIds: [securityGroup.id],
        tags: { Name: `${props.namePrefix}-${service}` },
      }).id;
    }
  }
}
