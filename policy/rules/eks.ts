/**
 * FSBP controls for Amazon EKS and the EKS best practices the platform adopts (`EKS-BP.n`): IMDSv2 with
 * hop limit 1 on node launch templates (pods cannot reach the node role), nodes in private subnets, a
 * private API endpoint, and the control-plane logs an investigation needs.
 */
import { STANDARD_SUPPORT_VERSIONS } from '../../config/validation/cluster';
import { Reference, StackDocument, blocks, isFalse, isTrue, list } from '../document';
import { Rule } from '../types';

const ALL = 'all';
const CLUSTERS = ['aws_eks_cluster'];
const NODE_GROUPS = ['aws_eks_node_group'];
const CONTROL_PLANE_LOGS = ['api', 'audit', 'authenticator'];

/** Why the subnet a reference points to is public, or undefined when it is private. */
function publicSubnetReason(ref: Reference | undefined, value: unknown): string | undefined {
  if (!ref || ref.element.type !== 'aws_subnet') return `${JSON.stringify(value)} is not a reference to an aws_subnet of these stacks, so its routes cannot be checked`;
  const subnet = ref.element;
  if (isTrue(subnet.config.map_public_ip_on_launch)) return `${subnet.address} assigns public IPs`;
  const doc: StackDocument = ref.doc;
  for (const association of doc.referencing('aws_route_table_association', 'subnet_id', subnet)) {
    const table = doc.deref(association.config.route_table_id)?.element;
    if (!table) continue;
    const routes = [...blocks(table.config.route), ...doc.referencing('aws_route', 'route_table_id', table).map((r) => r.config)];
    const toIgw = routes.find((route) => doc.deref(route.gateway_id)?.element.type === 'aws_internet_gateway');
    if (toIgw) return `${subnet.address} routes ${toIgw.destination_cidr_block ?? 'traffic'} to an internet gateway`;
  }
  return undefined;
}

export const EKS_RULES: readonly Rule[] = [
  {
    control: 'EKS.1',
    source: 'FSBP',
    title: 'EKS cluster endpoints should not be publicly accessible',
    checks: 'vpc_config.endpoint_public_access is false (the API default is true)',
    targets: CLUSTERS,
    environments: ALL,
    fix: 'keep cluster.publicAccessCidrs empty in the settings; reach the API through the api-access instance (SSM port forwarding)',
    evaluate(cluster) {
      const vpc = blocks(cluster.config.vpc_config);
      return vpc.length > 0 && vpc.every((v) => isFalse(v.endpoint_public_access)) ? undefined : 'vpc_config.endpoint_public_access is not false';
    },
  },
  {
    control: 'EKS.2',
    source: 'FSBP',
    title: 'EKS clusters should run on a supported Kubernetes version',
    checks: `version is a Kubernetes minor in EKS standard support (${STANDARD_SUPPORT_VERSIONS.join(', ')}; extended-support versions fail, as in Security Hub)`,
    targets: CLUSTERS,
    environments: ALL,
    fix: 'upgrade cluster.kubernetesVersion to a version in standard support (config/validation/cluster.ts lists them)',
    evaluate: (cluster) =>
      (STANDARD_SUPPORT_VERSIONS as readonly string[]).includes(String(cluster.config.version)) ? undefined : `version ${JSON.stringify(cluster.config.version ?? 'unset (EKS picks its default)')} is not in standard support`,
  },
  {
    control: 'EKS.3',
    source: 'FSBP',
    title: 'EKS clusters should use encrypted Kubernetes secrets',
    checks: 'encryption_config has resources = ["secrets"] and a provider.key_arn',
    targets: CLUSTERS,
    environments: ALL,
    fix: 'set encryption_config { resources = ["secrets"], provider { key_arn = a customer-managed key } } (cannot be removed once set)',
    evaluate: (cluster) =>
      blocks(cluster.config.encryption_config).some((e) => list(e.resources).includes('secrets') && blocks(e.provider).some((p) => p.key_arn)) ? undefined : 'no encryption_config encrypts "secrets" with a KMS key',
  },
  {
    control: 'EKS.8',
    source: 'FSBP',
    title: 'EKS clusters should have audit logging enabled',
    checks: 'enabled_cluster_log_types includes "audit"',
    targets: CLUSTERS,
    environments: ALL,
    fix: 'add "audit" to enabled_cluster_log_types (and its /aws/eks/<name>/cluster log group with retention and a key)',
    evaluate: (cluster) => (list(cluster.config.enabled_cluster_log_types).includes('audit') ? undefined : 'enabled_cluster_log_types does not include "audit"'),
  },
  {
    control: 'EKS-BP.1',
    source: 'EKS best practices',
    title: 'Managed node groups require IMDSv2 with a hop limit of 1',
    checks: 'every aws_eks_node_group uses an aws_launch_template with metadata_options http_tokens = "required" and http_put_response_hop_limit = 1 (without a template EKS sets hop limit 2 and allows IMDSv1, so pods can take the node role)',
    targets: NODE_GROUPS,
    environments: ALL,
    fix: 'give the node group a launch template with metadata_options { http_tokens = "required", http_put_response_hop_limit = 1 } (the EksNodeGroup module does)',
    evaluate(group, { doc }) {
      const template = blocks(group.config.launch_template).map((lt) => doc.deref(lt.id ?? lt.name)?.element)[0];
      if (!template || template.type !== 'aws_launch_template') return 'no launch template of this stack: EKS defaults to IMDSv1 allowed and hop limit 2';
      const metadata = blocks(template.config.metadata_options)[0] ?? {};
      if (metadata.http_tokens !== 'required') return `${template.address} does not require IMDSv2 (http_tokens = ${JSON.stringify(metadata.http_tokens ?? 'unset')})`;
      return Number(metadata.http_put_response_hop_limit) === 1 ? undefined : `${template.address} has http_put_response_hop_limit ${metadata.http_put_response_hop_limit ?? 'unset'}, not 1: pods can reach the node's credentials`;
    },
  },
  {
    control: 'EKS-BP.2',
    source: 'EKS best practices',
    title: 'Worker nodes run in private subnets',
    checks: 'every subnet of an aws_eks_node_group resolves (across stacks) to an aws_subnet that does not assign public IPs and whose route table has no route to an internet gateway',
    targets: NODE_GROUPS,
    environments: ALL,
    fix: 'pass the network stack\'s private subnets (vpc.privateSubnets) to the node group',
    evaluate(group, { doc }) {
      const subnets = list(group.config.subnet_ids);
      if (subnets.length === 0) return 'subnet_ids is empty';
      const reasons = subnets.map((value) => publicSubnetReason(doc.deref(value), value)).filter((r): r is string => r !== undefined);
      return reasons.length > 0 ? reasons.join('; ') : undefined;
    },
  },
  {
    control: 'EKS-BP.3',
    source: 'EKS best practices',
    title: 'The cluster API endpoint is reachable privately',
    checks: 'vpc_config.endpoint_private_access is true (the default is false: nodes would reach the API over the internet)',
    targets: CLUSTERS,
    environments: ALL,
    fix: 'set vpc_config.endpoint_private_access = true',
    evaluate: (cluster) => (blocks(cluster.config.vpc_config).some((v) => isTrue(v.endpoint_private_access)) ? undefined : 'vpc_config.endpoint_private_access is not true'),
  },
  {
    control: 'EKS-BP.4',
    source: 'EKS best practices',
    title: 'Control-plane logs include the API server, audit and authenticator logs',
    checks: `enabled_cluster_log_types includes ${CONTROL_PLANE_LOGS.join(', ')}`,
    targets: CLUSTERS,
    environments: ALL,
    fix: `set enabled_cluster_log_types to include ${CONTROL_PLANE_LOGS.join(', ')}`,
    evaluate(cluster) {
      const enabled = list(cluster.config.enabled_cluster_log_types);
      const missing = CONTROL_PLANE_LOGS.filter((log) => !enabled.includes(log));
      return missing.length > 0 ? `enabled_cluster_log_types lacks ${missing.join(', ')}` : undefined;
    },
  },
];
