import { Testing } from 'cdktf';
import { ENVIRONMENTS } from '../../config/environments';
import { clusterName } from '../../config/naming';
import { ALL_ENVIRONMENTS, addressOf, addressesOf, hclList } from '../support/synth';
import { EksCluster } from '../../modules/eks-cluster';
import { describeStackWithTerraform, describeWithTerraform, initWorkdir, mockAwsProvider, preventedDestroys, remoteStateOverrides, terraformTest } from '../support/terraform';

/** What IAM returns for a role looked up by name (the lookups are overridden one by one below). */
const roleArn = (name: string) => `arn:aws:iam::123456789012:role/${name}`;

const EXTRA_MOCKS = `  mock_data "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
  }
  mock_data "aws_ssm_parameter" {
    defaults = { value = "ami-0123456789abcdef0", type = "String" }
  }
  mock_resource "aws_launch_template" {
    defaults = { id = "lt-0123456789abcdef0", arn = "arn:aws:ec2:ap-northeast-2:123456789012:launch-template/lt-0123456789abcdef0", latest_version = 1 }
  }`;

describeStackWithTerraform('cluster', ALL_ENVIRONMENTS, ({ envName, json, terraformTest }) => {
  const settings = ENVIRONMENTS[envName].cluster;

  const run = terraformTest('cluster', () => {
    const stack = json();
    const cluster = addressOf(stack, 'aws_eks_cluster', () => true);
    const nodeGroup = addressOf(stack, 'aws_eks_node_group', () => true);
    const template = addressOf(stack, 'aws_launch_template', (c) => c.name === `tiketi-${envName}-general-node`);
    const logGroup = addressOf(stack, 'aws_cloudwatch_log_group', () => true);
    const addons = hclList(stack, 'aws_eks_addon');
    const vpcCni = addressOf(stack, 'aws_eks_addon', (c) => c.addon_name === 'vpc-cni');
    const associations = hclList(stack, 'aws_eks_pod_identity_association');
    const accessPolicies = hclList(stack, 'aws_eks_access_policy_association');
    const accessEntries = hclList(stack, 'aws_eks_access_entry');
    const host = addressOf(stack, 'aws_autoscaling_group', (c) => c.name === `tiketi-${envName}-api-access`);
    const hostTemplate = addressOf(stack, 'aws_launch_template', (c) => c.name === `tiketi-${envName}-api-access`);
    const hostGroup = addressOf(stack, 'aws_security_group', (c) => c.name === `tiketi-${envName}-api-access`);
    const hostToCluster = addressOf(stack, 'aws_vpc_security_group_ingress_rule', (c) => String(c.referenced_security_group_id).includes('api-access'));
    const hostPolicies = hclList(stack, 'aws_iam_role_policy_attachment', (_id, c) => String(c.role).includes('api-access'));
    const secrets = hclList(stack, 'aws_secretsmanager_secret');
    const group = settings.nodeGroup;
    const lookups = Object.entries<any>(stack.data!.aws_iam_role);
    const principals = [...settings.adminRoles, ...settings.readOnlyRoles, `tiketi-ci-infra-apply-${envName}`, 'tiketi-ci-infra-plan'];
    const roleOverrides = lookups
      .map(([id, lookup]) => `override_data {\n  target = data.aws_iam_role.${id}\n  values = { arn = "${roleArn(lookup.name)}" }\n}`)
      .join('\n\n');
    const policyOf = (name: string) =>
      `[for a in ${accessPolicies} : a.policy_arn if a.principal_arn == "${roleArn(name)}"] == ["arn:aws:eks::aws:cluster-access-policy/${name === 'tiketi-ci-infra-plan' ? 'AmazonEKSAdminViewPolicy' : settings.readOnlyRoles.includes(name) ? 'AmazonEKSViewPolicy' : 'AmazonEKSClusterAdminPolicy'}"]`;
    return (
      `${mockAwsProvider({ extra: EXTRA_MOCKS })}

${remoteStateOverrides(stack)}

# Each access entry principal as IAM returns it for the name looked up.
${roleOverrides}

# The issuer and endpoint must look real: the OIDC provider validates its URL.
override_resource {
  target = ${cluster}
  values = {
  arn                   = "arn:aws:eks:ap-northeast-2:123456789012:cluster/${clusterName(envName)}"
  endpoint              = "https://MOCK.gr7.ap-northeast-2.eks.amazonaws.com"
  identity              = [{ oidc = [{ issuer = "https://oidc.eks.ap-northeast-2.amazonaws.com/id/MOCK" }] }]
  certificate_authority = [{ data = "TU9DSw==" }]
  }
}

run "plan" {
  command = plan

  assert {
  condition     = ${cluster}.name == "${clusterName(envName)}" && ${cluster}.version == "${settings.kubernetesVersion}"
  error_message = "cluster name or Kubernetes version differs from the settings"
  }
  assert {
  condition     = ${cluster}.vpc_config[0].endpoint_private_access && ${cluster}.vpc_config[0].endpoint_public_access == ${settings.publicAccessCidrs.length > 0}
  error_message = "endpoint access differs from the settings"
  }
  assert {
  condition     = ${cluster}.access_config[0].authentication_mode == "API" && !${cluster}.access_config[0].bootstrap_cluster_creator_admin_permissions
  error_message = "cluster must use access entries without implicit creator admin"
  }
  assert {
  condition     = toset(${cluster}.enabled_cluster_log_types) == toset(["api", "audit", "authenticator", "controllerManager", "scheduler"])
  error_message = "control plane log types incomplete"
  }
  assert {
  condition     = ${cluster}.encryption_config[0].resources == toset(["secrets"])
  error_message = "secrets are not envelope-encrypted"
  }
  assert {
  condition     = ${logGroup}.retention_in_days == ${settings.logRetentionDays} && ${logGroup}.name == "/aws/eks/${clusterName(envName)}/cluster"
  error_message = "control plane log group retention or name differs"
  }
  assert {
  condition     = ${nodeGroup}.scaling_config[0].min_size == ${group.minSize} && ${nodeGroup}.scaling_config[0].desired_size == ${group.desiredSize} && ${nodeGroup}.scaling_config[0].max_size == ${group.maxSize}
  error_message = "node group sizes differ from the settings"
  }
  assert {
  condition     = ${nodeGroup}.ami_type == "AL2023_x86_64_STANDARD" && toset(${nodeGroup}.instance_types) == toset(${JSON.stringify(group.instanceTypes)})
  error_message = "node group AMI type or instance types differ"
  }
  assert {
  condition     = length(${nodeGroup}.subnet_ids) == ${ENVIRONMENTS[envName].network.privateSubnetCidrs.length}
  error_message = "node group does not span every private subnet"
  }
  assert {
  condition     = ${template}.metadata_options[0].http_tokens == "required" && ${template}.metadata_options[0].http_put_response_hop_limit == 1
  error_message = "launch template does not enforce IMDSv2 with hop limit 1"
  }
  assert {
  condition     = ${template}.block_device_mappings[0].ebs[0].encrypted == "true" && ${template}.block_device_mappings[0].ebs[0].volume_type == "gp3" && ${template}.block_device_mappings[0].ebs[0].volume_size == ${group.diskSizeGb}
  error_message = "root volume is not an encrypted gp3 volume of the configured size"
  }
  assert {
  condition     = toset([for a in ${addons} : a.addon_name]) == toset(["vpc-cni", "coredns", "kube-proxy", "eks-pod-identity-agent", "aws-ebs-csi-driver", "metrics-server"])
  error_message = "add-on set differs"
  }
  assert {
  condition     = jsondecode(${vpcCni}.configuration_values).enableNetworkPolicy == "true" && jsondecode(${vpcCni}.configuration_values).env.ENABLE_PREFIX_DELEGATION == "${settings.prefixDelegation}"
  error_message = "vpc-cni does not enforce network policies or prefix delegation differs"
  }
  assert {
  condition     = toset([for a in ${associations} : "\${a.namespace}/\${a.service_account}"]) == toset(["kube-system/aws-load-balancer-controller", "external-dns/external-dns", "kube-system/cluster-autoscaler"])
  error_message = "controller pod identity associations differ"
  }
  assert {
  condition     = alltrue([for a in ${addons} : can(regex("^v[0-9]+[.][0-9]+[.][0-9]+-eksbuild[.][0-9]+$", a.addon_version))])
  error_message = "an add-on has no literal EKS version at plan time"
  }
  assert {
  condition     = { for a in ${addons} : a.addon_name => a.addon_version } == ${JSON.stringify(settings.addonVersions)}
  error_message = "add-on versions differ from the pinned settings"
  }
  assert {
  condition     = alltrue([for t in ${template}.tag_specifications : t.tags.Project == "tiketi" && t.tags.Environment == "${envName}" && t.tags.Stack == "cluster"]) && toset([for t in ${template}.tag_specifications : t.resource_type]) == toset(["instance", "volume"])
  error_message = "node instances or volumes lack the cost allocation tags"
  }
  assert {
  condition     = alltrue([for r in ${hclList(stack, 'aws_iam_role')} : r.permissions_boundary == data.aws_iam_policy.permissions-boundary.arn]) && endswith(data.aws_iam_policy.permissions-boundary.arn, ":policy/tiketi-boundary")
  error_message = "a role lacks the tiketi-boundary permissions boundary"
  }
  assert {
  condition     = ${hostTemplate}.instance_type == "t4g.nano" && ${hostTemplate}.image_id == "ami-0123456789abcdef0" && ${hostTemplate}.network_interfaces[0].associate_public_ip_address == "false" && alltrue([for t in ${hostTemplate}.tag_specifications : t.tags["tiketi:role"] == "api-access" && t.tags["Environment"] == "${envName}"])
  error_message = "the api-access host is not a private t4g.nano on the SSM AMI parameter, tagged for npm run api-tunnel"
  }
  assert {
  condition     = ${host}.min_size == 1 && ${host}.max_size == 1 && ${host}.desired_capacity == 1 && length(${host}.vpc_zone_identifier) == ${ENVIRONMENTS[envName].network.availabilityZones.length}
  error_message = "the api-access host must be one instance that may launch in the private subnet of every AZ"
  }
  assert {
  condition     = toset([for t in ${host}.tag : "\${t.key}=\${t.value}" if t.propagate_at_launch]) == toset(["Name=tiketi-${envName}-api-access", "tiketi:role=api-access", "Environment=${envName}", "Project=tiketi", "Stack=cluster", "ManagedBy=cdktf"])
  error_message = "the api-access instances must be tagged at launch for npm run api-tunnel, the SSM policies and cost allocation"
  }
  assert {
  condition     = ${nodeGroup}.version == ${cluster}.version && ${nodeGroup}.version == "${settings.kubernetesVersion}"
  error_message = "the nodes must run the cluster's Kubernetes version"
  }
  assert {
  condition     = ${hostTemplate}.metadata_options[0].http_tokens == "required" && ${hostTemplate}.metadata_options[0].http_put_response_hop_limit == 1 && ${hostTemplate}.block_device_mappings[0].ebs[0].encrypted == "true"
  error_message = "the api-access host must require IMDSv2 (hop limit 1) and encrypt its root volume"
  }
  assert {
  condition     = length(${hostGroup}.ingress) == 0 && alltrue([for rule in ${hostGroup}.egress : rule.from_port == 443 && rule.to_port == 443 && rule.protocol == "tcp"])
  error_message = "the api-access host must have no inbound rule and HTTPS-only egress"
  }
  assert {
  condition     = ${hostToCluster}.from_port == 443 && ${hostToCluster}.to_port == 443 && ${hostToCluster}.ip_protocol == "tcp"
  error_message = "the cluster security group must admit the api-access host on 443 only"
  }
  assert {
  condition     = [for a in ${hostPolicies} : a.policy_arn] == ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]
  error_message = "the api-access host role must hold AmazonSSMManagedInstanceCore and nothing else"
  }
  assert {
  condition     = alltrue([for s in ${secrets} : s.recovery_window_in_days == ${envName === 'dev' ? 0 : 30} && startswith(s.name, "tiketi/${envName}/")])
  error_message = "platform secrets: wrong recovery window or a name outside the environment"
  }
}

run "apply" {
  command = apply

  assert {
  condition     = toset([for e in ${accessEntries} : e.principal_arn]) == toset(${JSON.stringify(principals.map(roleArn))}) && length(${accessEntries}) == ${principals.length}
  error_message = "access entries are not exactly the looked-up human and CI roles"
  }
${principals.map((name) => `  assert {\n  condition     = ${policyOf(name)}\n  error_message = "${name} does not get its access policy"\n  }`).join('\n')}
  assert {
  condition     = output.oidc_provider_arn != "" && output.cluster_name == "${clusterName(envName)}" && output.region == "${ENVIRONMENTS[envName].region}"
  error_message = "outputs for the argocd stack are missing"
  }
  assert {
  condition     = startswith(${hclList(stack, 'aws_iam_openid_connect_provider')}[0].url, "https://oidc.eks.")
  error_message = "OIDC provider does not point at the cluster issuer"
  }
  assert {
  condition     = ${hostToCluster}.referenced_security_group_id == ${hostGroup}.id && ${hostToCluster}.security_group_id == ${cluster}.vpc_config[0].cluster_security_group_id
  error_message = "the 443 rule must admit exactly the api-access host group into the cluster security group"
  }
  assert {
  condition     = alltrue([for s in ${secrets} : s.kms_key_id == ${addressOf(stack, 'aws_kms_key', (c) => String(c.description).includes('Secrets Manager'))}.arn])
  error_message = "platform secrets must be encrypted with their customer-managed key"
  }
  assert {
  condition     = output.api_access_autoscaling_group_name == ${host}.name
  error_message = "the api-access Auto Scaling group output is missing"
  }
}
`
    );
  });

  test('terraform test (mocked AWS): plan and apply give the planned cluster', () => {
    const stack = json();
    const output = run.output();
    expect(output).toMatch(/2 passed, 0 failed/);
    // Outside dev the teardown is refused by the Kubernetes secrets key and by the platform secrets (whose
    // own key Terraform never reaches: it reports only the first refusals in destroy order, and the
    // secrets depend on their key; cluster-stack.test.ts checks that key's lifecycle).
    const guarded = envName === 'dev' ? [] : [...addressesOf(stack, 'aws_kms_key', (_id, key) => /Kubernetes secrets/.test(key.description)), ...addressesOf(stack, 'aws_secretsmanager_secret')].sort();
    expect(guarded.length === 0).toBe(envName === 'dev');
    expect(preventedDestroys(output)).toEqual(guarded);
  });
});

describeWithTerraform('terraform: an access entry principal given by ARN', () => {
  const sso = 'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/ap-northeast-2/AWSReservedSSO_PlatformAdmin_0123456789abcdef';
  let dir: string;
  let lookup: string;
  beforeAll(() => {
    const json = JSON.parse(
      Testing.synthScope((scope) => new EksCluster(scope, 'eks', { clusterName: 'tiketi-test', kubernetesVersion: '1.35', subnetIds: ['subnet-a', 'subnet-b'], logRetentionDays: 30, access: [{ role: sso, policy: 'cluster-admin' }] })),
    );
    lookup = `data.aws_iam_role.${Object.keys(json.data.aws_iam_role)[0]}`;
    dir = initWorkdir(json, 'cluster-principal');
  });

  test('the plan fails when IAM returns another ARN for the name, and passes with the exact one', () => {
    const output = terraformTest(
      dir,
      'principal',
      `${mockAwsProvider({ extra: EXTRA_MOCKS })}

run "same_name_other_path" {
  command = plan
  override_data {
    target = ${lookup}
    values = { arn = "arn:aws:iam::123456789012:role/AWSReservedSSO_PlatformAdmin_0123456789abcdef" }
  }
  expect_failures = [${lookup}]
}

run "exact_arn" {
  command = plan
  override_data {
    target = ${lookup}
    values = { arn = "${sso}" }
  }
  assert {
    condition     = ${lookup}.name == "AWSReservedSSO_PlatformAdmin_0123456789abcdef"
    error_message = "the role is not looked up by the name after the last slash"
  }
}
`,
    );
    expect(output).toMatch(/2 passed, 0 failed/);
  });
});
