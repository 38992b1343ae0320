import { ENVIRONMENTS } from '../../config/environments';
import { clusterName } from '../../config/naming';
import { ALL_ENVIRONMENTS, onlyResource, resourcesOf, synthApp } from '../support/synth';

const policyDocs = (json: any): { name: string; doc: any }[] => [
  ...Object.values(resourcesOf(json, 'aws_iam_role')).map((r: any) => ({ name: `${r.name} (trust)`, doc: JSON.parse(r.assume_role_policy) })),
  ...Object.values(resourcesOf(json, 'aws_iam_role_policy')).map((p: any) => ({ name: p.name, doc: JSON.parse(p.policy) })),
];

/** The node group's launch template (the api-access host has its own). */
const nodeTemplate = (json: any) => {
  const ref = onlyResource(json, 'aws_eks_node_group').launch_template.id as string;
  return resourcesOf(json, 'aws_launch_template')[/^\$\{aws_launch_template\.([^.]+)\.id\}$/.exec(ref)![1]] as any;
};

describe.each(ALL_ENVIRONMENTS)('cluster stack (%s)', (envName) => {
  const env = ENVIRONMENTS[envName];
  const json = () => synthApp(envName).json('cluster');

  test('the cluster runs the pinned version in the network stack private subnets', () => {
    const cluster = onlyResource(json(), 'aws_eks_cluster');
    expect(cluster.name).toBe(clusterName(envName));
    expect(cluster.version).toBe(env.cluster.kubernetesVersion);
    expect(cluster.vpc_config.subnet_ids).toHaveLength(env.network.privateSubnetCidrs.length);
    expect(cluster.vpc_config.subnet_ids.every((id: string) => /terraform_remote_state\.cross-stack-reference-input-network\.outputs\..*private/.test(id))).toBe(true);
    expect(cluster.vpc_config.endpoint_public_access).toBe(env.cluster.publicAccessCidrs.length > 0);
  });

  test('the node group follows the settings', () => {
    const group = onlyResource(json(), 'aws_eks_node_group');
    const settings = env.cluster.nodeGroup;
    expect(group.scaling_config).toEqual({ min_size: settings.minSize, desired_size: settings.desiredSize, max_size: settings.maxSize });
    expect(group.instance_types).toEqual(settings.instanceTypes);
    // The nodes follow the control plane: the same setting, so an upgrade of one is an upgrade of both.
    expect(group.version).toBe(env.cluster.kubernetesVersion);
    expect(group.version).toBe(onlyResource(json(), 'aws_eks_cluster').version);
    expect(nodeTemplate(json()).block_device_mappings[0].ebs.volume_size).toBe(settings.diskSizeGb);
    expect(group.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/aws_eks_addon\..*vpc-cni/)]));
  });

  test('control plane logs are kept for the configured days', () => {
    expect(onlyResource(json(), 'aws_cloudwatch_log_group').retention_in_days).toBe(env.cluster.logRetentionDays);
  });

  test('access entries: the human roles of the settings, this environment\'s CI apply role and the plan role, each looked up at plan time, with its policy', () => {
    const stack = json();
    const lookups = stack.data!.aws_iam_role as Record<string, any>;
    const entries = resourcesOf(stack, 'aws_eks_access_entry');
    const policyOfRole = Object.fromEntries(
      Object.values<any>(resourcesOf(stack, 'aws_eks_access_policy_association')).map((a) => {
        const entry = entries[/aws_eks_access_entry\.([^.]+)\.principal_arn/.exec(a.principal_arn)![1]];
        const lookup = lookups[/^\$\{data\.aws_iam_role\.([^.]+)\.arn\}$/.exec(entry.principal_arn)![1]];
        return [lookup.name, a.policy_arn];
      }),
    );
    expect(policyOfRole).toEqual({
      'tiketi-platform-admin': 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      'tiketi-developer': 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
      [`tiketi-ci-infra-apply-${envName}`]: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      'tiketi-ci-infra-plan': 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy',
    });
    expect(Object.keys(entries)).toHaveLength(4);
    // No other environment's apply role reaches this cluster.
    const named = Object.values<any>(lookups).map((l) => l.name);
    expect(named.filter((n) => n.startsWith('tiketi-ci-infra-apply-'))).toEqual([`tiketi-ci-infra-apply-${envName}`]);
  });

  test('every add-on carries a literal EKS version string, the one the settings pin', () => {
    const addons = Object.values<any>(resourcesOf(json(), 'aws_eks_addon'));
    expect(addons).toHaveLength(6);
    for (const addon of addons) {
      expect({ addon: addon.addon_name, version: addon.addon_version }).toEqual({ addon: addon.addon_name, version: expect.stringMatching(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/) });
      expect(addon.addon_version).toBe((env.cluster.addonVersions as Record<string, string>)[addon.addon_name]);
    }
    expect(json().data?.aws_eks_addon_version).toBeUndefined();
  });

  test('nodes and their volumes are tagged for cost allocation (default tags do not reach them)', () => {
    const tags = { Project: 'tiketi', Environment: envName, Stack: 'cluster', ManagedBy: 'cdktf', Name: `tiketi-${envName}-general-node` };
    expect(nodeTemplate(json()).tag_specifications).toEqual([
      { resource_type: 'instance', tags },
      { resource_type: 'volume', tags },
    ]);
  });

  test('the Kubernetes secrets key and the platform secrets key refuse terraform destroy outside dev', () => {
    const keys = Object.values<any>(resourcesOf(json(), 'aws_kms_key'));
    expect(keys.map((key) => key.description).sort()).toEqual([
      `Encrypts Kubernetes secrets and control plane logs of tiketi-${envName}`,
      `Encrypts the Argo CD and Sealed Secrets keys of tiketi-${envName} in Secrets Manager`,
    ]);
    for (const key of keys) expect(key.lifecycle).toEqual({ prevent_destroy: envName !== 'dev' });
  });

  test('vpc-cni prefix delegation follows the settings', () => {
    const cni = Object.values(resourcesOf(json(), 'aws_eks_addon')).find((a: any) => a.addon_name === 'vpc-cni') as any;
    expect(JSON.parse(cni.configuration_values).env.ENABLE_PREFIX_DELEGATION).toBe(String(env.cluster.prefixDelegation));
  });

  test('one Pod Identity association per controller: the load balancer controller, external-dns, the cluster autoscaler', () => {
    const associations = Object.values(resourcesOf(json(), 'aws_eks_pod_identity_association')).map((a: any) => `${a.namespace}/${a.service_account}`);
    expect(associations.sort()).toEqual(['external-dns/external-dns', 'kube-system/aws-load-balancer-controller', 'kube-system/cluster-autoscaler']);
  });

  test('IAM: no wildcard principal, no iam:*, every service-principal trust for pods is scoped to one service account', () => {
    for (const { name, doc } of policyDocs(json())) {
      for (const statement of doc.Statement) {
        expect([statement.Principal].flat()).not.toContain('*');
        expect(JSON.stringify(statement.Principal ?? {})).not.toMatch(/"AWS":"\*"/);
        expect([statement.Action].flat()).not.toContain('iam:*');
        expect([statement.Action].flat()).not.toContain('*');
        if (statement.Principal?.Service === 'pods.eks.amazonaws.com') {
          expect({ name, keys: Object.keys(statement.Condition.StringEquals).sort() }).toEqual({
            name,
            keys: ['aws:RequestTag/eks-cluster-name', 'aws:RequestTag/kubernetes-namespace', 'aws:RequestTag/kubernetes-service-account', 'aws:SourceAccount'],
          });
        }
      }
    }
  });

  test('external-dns may change only this environment API names, its Argo CD host and its Grafana host', () => {
    const policy = Object.values(resourcesOf(json(), 'aws_iam_role_policy')).find((p: any) => p.role.includes('externalDns')) as any;
    const names = JSON.parse(policy.policy).Statement[0].Condition['ForAllValues:StringLike']['route53:ChangeResourceRecordSetsNormalizedRecordNames'];
    const hosts = [env.edge.apiDomain, env.argocd.hostname, env.observability.grafanaHostname];
    for (const host of hosts) expect(names).toContain(host);
    expect(names.every((n: string) => hosts.some((host) => n.endsWith(host)))).toBe(true);
  });

  test('outputs for the argocd stack', () => {
    expect(Object.keys(json().output ?? {})).toEqual(
      expect.arrayContaining(['cluster_name', 'cluster_endpoint', 'cluster_certificate_authority_data', 'oidc_provider_arn', 'cluster_security_group_id', 'vpc_id', 'region', 'aws_load_balancer_controller_role_arn', 'external_dns_role_arn', 'cluster_autoscaler_role_arn', 'ebs_csi_driver_role_arn', 'node_role_arn']),
    );
  });

  test('the api-access host: one instance that may be launched in the private subnet of every AZ, tagged like the nodes', () => {
    const group = onlyResource(json(), 'aws_autoscaling_group');
    expect([group.min_size, group.max_size, group.desired_capacity]).toEqual([1, 1, 1]);
    expect(group.vpc_zone_identifier).toHaveLength(env.network.availabilityZones.length);
    expect(new Set(group.vpc_zone_identifier).size).toBe(env.network.availabilityZones.length);
    expect(group.vpc_zone_identifier.every((id: string) => /terraform_remote_state\.cross-stack-reference-input-network\.outputs\..*private/.test(id))).toBe(true);
    expect(group.vpc_zone_identifier).toEqual(onlyResource(json(), 'aws_eks_cluster').vpc_config.subnet_ids);
    const tags = Object.fromEntries(group.tag.map((t: any) => [t.key, t.value]));
    expect(tags).toMatchObject({ 'tiketi:role': 'api-access', Environment: envName, Project: 'tiketi', Stack: 'cluster' });
    expect(resourcesOf(json(), 'aws_instance')).toEqual({});
    expect(json().output!.api_access_autoscaling_group_name.value).toMatch(/^\$\{aws_autoscaling_group\./);
  });

  test('uses only the AWS provider', () => {
    expect(Object.keys(json().provider ?? {})).toEqual(['aws']);
  });
});

/**
 * Policy of the protected environments: the nodes run in the private subnets of every AZ of the VPC,
 * at least one node per AZ, and the control plane's ENIs sit in the same subnets. The subnet references
 * are resolved through the network stack's outputs to the subnets themselves (AZ and tier), not the settings.
 */
describe.each(['staging', 'prod'] as const)('%s: node group over private subnets in every AZ (policy)', (envName) => {
  const app = synthApp(envName);
  const network = app.json('network');
  const cluster = app.json('cluster');
  const subnets = resourcesOf(network, 'aws_subnet');
  /** `${data.terraform_remote_state.<network>.outputs.<output>}` -> the aws_subnet it names. */
  const subnetOf = (expr: string): any => {
    const output = /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-network\.outputs\.([^}]+)\}$/.exec(expr)?.[1];
    const value = output && network.output?.[output]?.value;
    const id = typeof value === 'string' ? /^\$\{aws_subnet\.([^.]+)\.id\}$/.exec(value)?.[1] : undefined;
    if (!id || !subnets[id]) throw new Error(`not a network subnet: ${expr}`);
    return subnets[id];
  };
  const vpcAzs = [...new Set(Object.values<any>(subnets).map((s) => s.availability_zone))].sort();

  test('the node group spans the private subnet of each AZ, and only private subnets', () => {
    const group = onlyResource(cluster, 'aws_eks_node_group');
    const used = group.subnet_ids.map(subnetOf);
    expect(vpcAzs.length).toBeGreaterThanOrEqual(2);
    expect(used.map((s: any) => s.tags.Tier)).toEqual(used.map(() => 'private'));
    expect(used.map((s: any) => s.availability_zone).sort()).toEqual(vpcAzs);
    expect(group.scaling_config.min_size).toBeGreaterThanOrEqual(vpcAzs.length);
  });

  test('node upgrades replace fewer nodes than the group runs at its minimum, within min <= desired <= max', () => {
    const group = onlyResource(cluster, 'aws_eks_node_group');
    const { min_size: min, desired_size: desired, max_size: max } = group.scaling_config;
    expect(group.update_config.max_unavailable).toBeGreaterThanOrEqual(1);
    expect(group.update_config.max_unavailable).toBeLessThan(min);
    expect([min <= desired, desired <= max]).toEqual([true, true]);
  });

  test('the control plane sits in the same private subnets', () => {
    const used = onlyResource(cluster, 'aws_eks_cluster').vpc_config.subnet_ids.map(subnetOf);
    expect(used.map((s: any) => `${s.tags.Tier} ${s.availability_zone}`).sort()).toEqual(vpcAzs.map((az) => `private ${az}`));
  });
});
