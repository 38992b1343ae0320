import { Construct } from 'constructs';
import { EksCluster, EksClusterConfig } from '@cdktf/provider-aws/lib/eks-cluster';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { LaunchTemplate, LaunchTemplateMetadataOptions } from '@cdktf/provider-aws/lib/launch-template';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { fixture, statusOf } from './helpers';

/** What the cluster stack's EksCluster sets, stated literally. */
const SECURE_CLUSTER: EksClusterConfig = {
  name: 'tiketi-prod',
  roleArn: 'arn:aws:iam::111122223333:role/cluster',
  version: '1.35',
  vpcConfig: { subnetIds: ['subnet-1'], endpointPrivateAccess: true, endpointPublicAccess: false },
  encryptionConfig: { resources: ['secrets'], provider: { keyArn: 'arn:aws:kms:ap-northeast-2:111122223333:key/1' } },
  enabledClusterLogTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
};

const clusterStatus = (control: string, change: Partial<EksClusterConfig> = {}) => statusOf(control, fixture((s) => void new EksCluster(s, 'eks', { ...SECURE_CLUSTER, ...change })))['aws_eks_cluster.eks'];

describe('EKS cluster controls', () => {
  test.each<[string, Partial<EksClusterConfig>, string]>([
    ['EKS.1', { vpcConfig: { subnetIds: ['subnet-1'], endpointPrivateAccess: true } }, 'vpc_config.endpoint_public_access is not false'],
    ['EKS.2', { version: '1.29' }, 'version "1.29" is not in standard support'],
    ['EKS.3', { encryptionConfig: undefined }, 'no encryption_config encrypts "secrets" with a KMS key'],
    ['EKS.8', { enabledClusterLogTypes: ['api'] }, 'enabled_cluster_log_types does not include "audit"'],
    ['EKS-BP.3', { vpcConfig: { subnetIds: ['subnet-1'], endpointPublicAccess: false } }, 'vpc_config.endpoint_private_access is not true'],
    ['EKS-BP.4', { enabledClusterLogTypes: ['audit'] }, 'enabled_cluster_log_types lacks api, authenticator'],
  ])('%s fails with %j', (control, change, detail) => {
    expect(clusterStatus(control)).toBe('passed');
    expect(clusterStatus(control, change)).toBe(`failed: ${detail}`);
  });
});

/** A node group in `subnet` (built by `network`), with a launch template holding `metadata` (none when undefined). */
function nodeGroupIn(network: (s: Construct) => Subnet, metadata?: LaunchTemplateMetadataOptions) {
  return fixture((s) => {
    const subnet = network(s);
    const template = metadata ? new LaunchTemplate(s, 'nodes', { metadataOptions: metadata }) : undefined;
    new EksNodeGroup(s, 'ng', {
      clusterName: 'tiketi-prod',
      nodeRoleArn: 'arn:aws:iam::111122223333:role/node',
      subnetIds: [subnet.id],
      scalingConfig: { minSize: 1, maxSize: 2, desiredSize: 1 },
      launchTemplate: template ? { id: template.id, version: template.latestVersion.toString() } : undefined,
    });
  });
}

function subnetRoutedThrough(s: Construct, via: 'nat' | 'igw'): Subnet {
  const subnet = new Subnet(s, 'subnet', { vpcId: 'vpc-1', cidrBlock: '10.0.11.0/24' });
  const table = new RouteTable(s, 'rt', { vpcId: 'vpc-1' });
  new RouteTableAssociation(s, 'rta', { subnetId: subnet.id, routeTableId: table.id });
  const target = via === 'igw' ? { gatewayId: new InternetGateway(s, 'igw', { vpcId: 'vpc-1' }).id } : { natGatewayId: new NatGateway(s, 'nat', { subnetId: 'subnet-public' }).id };
  new Route(s, 'default', { routeTableId: table.id, destinationCidrBlock: '0.0.0.0/0', ...target });
  return subnet;
}

describe('EKS-BP.1: node launch templates require IMDSv2 with hop limit 1', () => {
  const status = (metadata?: LaunchTemplateMetadataOptions) => statusOf('EKS-BP.1', nodeGroupIn((s) => subnetRoutedThrough(s, 'nat'), metadata))['aws_eks_node_group.ng'];

  test('passes with required tokens and hop limit 1', () => {
    expect(status({ httpTokens: 'required', httpPutResponseHopLimit: 1 })).toBe('passed');
  });

  test('fails with hop limit 2 (what EKS sets without a template), optional tokens, or no template', () => {
    expect(status({ httpTokens: 'required', httpPutResponseHopLimit: 2 })).toBe("failed: aws_launch_template.nodes has http_put_response_hop_limit 2, not 1: pods can reach the node's credentials");
    expect(status({ httpTokens: 'optional', httpPutResponseHopLimit: 1 })).toBe('failed: aws_launch_template.nodes does not require IMDSv2 (http_tokens = "optional")');
    expect(status()).toBe('failed: no launch template of this stack: EKS defaults to IMDSv1 allowed and hop limit 2');
  });
});

describe('EKS-BP.2: nodes run in private subnets', () => {
  test('passes for a subnet routed through a NAT gateway, in the same stack', () => {
    expect(statusOf('EKS-BP.2', nodeGroupIn((s) => subnetRoutedThrough(s, 'nat')))).toEqual({ 'aws_eks_node_group.ng': 'passed' });
  });

  test('fails for a subnet routed to an internet gateway, one that assigns public IPs, or a literal subnet ID', () => {
    expect(statusOf('EKS-BP.2', nodeGroupIn((s) => subnetRoutedThrough(s, 'igw')))['aws_eks_node_group.ng']).toBe('failed: aws_subnet.subnet routes 0.0.0.0/0 to an internet gateway');
    const publicIps = nodeGroupIn((s) => new Subnet(s, 'subnet', { vpcId: 'vpc-1', cidrBlock: '10.0.1.0/24', mapPublicIpOnLaunch: true }));
    expect(statusOf('EKS-BP.2', publicIps)['aws_eks_node_group.ng']).toBe('failed: aws_subnet.subnet assigns public IPs');
    const literal = { resource: { aws_eks_node_group: { ng: { subnet_ids: ['subnet-0abc'] } } } };
    expect(statusOf('EKS-BP.2', literal)['aws_eks_node_group.ng']).toBe('failed: "subnet-0abc" is not a reference to an aws_subnet of these stacks, so its routes cannot be checked');
  });

  test('follows a cross-stack reference into the network stack', () => {
    const network = fixture((s) => void subnetRoutedThrough(s, 'igw'));
    network.output = { 'cross-stack-output-aws_subnetsubnetid': { value: '${aws_subnet.subnet.id}' } };
    const cluster = { resource: { aws_eks_node_group: { ng: { subnet_ids: ['${data.terraform_remote_state.cross-stack-reference-input-network.outputs.cross-stack-output-aws_subnetsubnetid}'] } } } };
    expect(statusOf('EKS-BP.2', cluster, { stack: 'cluster', siblings: [['network', network]] })).toEqual({ 'aws_eks_node_group.ng': 'failed: aws_subnet.subnet routes 0.0.0.0/0 to an internet gateway' });
  });
});
