import { Testing } from 'cdktf';
import { EksAddons } from '../../modules/eks-addons';
import { EksCluster } from '../../modules/eks-cluster';
import { EksNodeGroup } from '../../modules/eks-node-group';
import { PodIdentityRole } from '../../modules/pod-identity-role';
import { albControllerPolicy } from '../../modules/private/alb-controller-policy';
import { clusterAutoscalerPolicy, externalDnsPolicy } from '../../modules/private/controller-policies';

type Json = { resource: Record<string, Record<string, any>>; data?: Record<string, Record<string, any>> };
const synth = (build: (scope: any) => void): Json => JSON.parse(Testing.synthScope(build));
const all = (json: Json, type: string): any[] => Object.values(json.resource[type] ?? {});
const one = (json: Json, type: string): any => {
  const found = all(json, type);
  expect(found).toHaveLength(1);
  return found[0];
};

describe('EksCluster', () => {
  const base = { clusterName: 'tiketi-test', kubernetesVersion: '1.35', subnetIds: ['subnet-a', 'subnet-b'], logRetentionDays: 30 };

  test('default: private endpoint only, API auth without creator admin, secrets encrypted, all logs, standard support', () => {
    const cluster = one(synth((s) => new EksCluster(s, 'eks', base)), 'aws_eks_cluster');
    expect(cluster.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false });
    expect(cluster.vpc_config.public_access_cidrs).toBeUndefined();
    expect(cluster.access_config).toEqual({ authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false });
    expect(cluster.encryption_config.resources).toEqual(['secrets']);
    expect(cluster.enabled_cluster_log_types).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
    expect(cluster.upgrade_policy).toEqual({ support_type: 'STANDARD' });
  });

  test('publicAccessCidrs opens the public endpoint to exactly those CIDRs', () => {
    const cluster = one(synth((s) => new EksCluster(s, 'eks', { ...base, publicAccessCidrs: ['203.0.113.0/24'] })), 'aws_eks_cluster');
    expect(cluster.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24'] });
  });

  test('the secrets key rotates and the log group is encrypted with retention', () => {
    const json = synth((s) => new EksCluster(s, 'eks', base));
    expect(one(json, 'aws_kms_key').enable_key_rotation).toBe(true);
    expect(one(json, 'aws_cloudwatch_log_group')).toMatchObject({ name: '/aws/eks/tiketi-test/cluster', retention_in_days: 30 });
    expect(one(json, 'aws_cloudwatch_log_group').kms_key_id).toMatch(/aws_kms_key/);
  });

  test('access entries: each role looked up by name at plan time, its ARN from IAM, with its access policy', () => {
    const json = synth((s) => new EksCluster(s, 'eks', { ...base, access: [{ role: 'ops', policy: 'cluster-admin' }, { role: 'dev1', policy: 'view' }, { role: 'ci', policy: 'admin-view' }] }));
    const lookups = json.data!.aws_iam_role;
    expect(Object.values<any>(lookups).map((r) => r.name).sort()).toEqual(['ci', 'dev1', 'ops']);
    expect(Object.values<any>(lookups).every((r) => r.lifecycle === undefined)).toBe(true);
    // Follow each association back to its entry and the entry to its lookup: role name -> access policy.
    const entries = json.resource.aws_eks_access_entry;
    const policyOfRole = Object.fromEntries(
      all(json, 'aws_eks_access_policy_association').map((a) => {
        const entry = entries[/aws_eks_access_entry\.([^.]+)\.principal_arn/.exec(a.principal_arn)![1]];
        const lookup = lookups[/data\.aws_iam_role\.([^.]+)\.arn/.exec(entry.principal_arn)![1]];
        return [lookup.name, a.policy_arn.split('/').pop()];
      }),
    );
    expect(policyOfRole).toEqual({ ops: 'AmazonEKSClusterAdminPolicy', dev1: 'AmazonEKSViewPolicy', ci: 'AmazonEKSAdminViewPolicy' });
    expect(all(json, 'aws_eks_access_policy_association').every((a) => a.access_scope.type === 'cluster')).toBe(true);
  });

  test('an IAM Identity Center role ARN: looked up by its name, and the plan fails unless IAM returns that exact ARN', () => {
    const sso = 'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/ap-northeast-2/AWSReservedSSO_PlatformAdmin_0123456789abcdef';
    const json = synth((s) => new EksCluster(s, 'eks', { ...base, access: [{ role: sso, policy: 'cluster-admin' }] }));
    const [lookup] = Object.values<any>(json.data!.aws_iam_role);
    expect(lookup.name).toBe('AWSReservedSSO_PlatformAdmin_0123456789abcdef');
    expect(lookup.lifecycle.postcondition).toEqual([{ condition: `\${self.arn == "${sso}"}`, error_message: expect.stringContaining(sso) }]);
  });

  test.each<[string, any[], string]>([
    ['a malformed ARN', [{ role: 'arn:aws:iam::12345:role/x', policy: 'view' }], 'access[0].role got "arn:aws:iam::12345:role/x", expected an IAM role name'],
    ['a session ARN', [{ role: 'arn:aws:sts::123456789012:assumed-role/x/me', policy: 'view' }], 'not an STS assumed-role (session) ARN'],
    ['a role twice, once by ARN', [{ role: 'ops', policy: 'view' }, { role: 'arn:aws:iam::123456789012:role/ops', policy: 'cluster-admin' }], 'access[1].role got "arn:aws:iam::123456789012:role/ops", a role named before'],
  ])('fails for %s, naming the prop', (_case, access, message) => {
    expect(() => synth((s) => new EksCluster(s, 'eks', { ...base, access }))).toThrow(message);
  });

  test('the cluster role carries the boundary; the secrets key refuses destroy unless told', () => {
    const json = synth((s) => new EksCluster(s, 'eks', base));
    expect(one(json, 'aws_iam_role').permissions_boundary).toBe('${data.aws_iam_policy.permissions-boundary.arn}');
    expect(one(json, 'aws_kms_key').lifecycle).toEqual({ prevent_destroy: true });
    expect(one(synth((s) => new EksCluster(s, 'eks', { ...base, preventKeyDestroy: false })), 'aws_kms_key').lifecycle).toEqual({ prevent_destroy: false });
  });

  test('an IAM OIDC provider trusts the cluster issuer for sts.amazonaws.com', () => {
    const oidc = one(synth((s) => new EksCluster(s, 'eks', base)), 'aws_iam_openid_connect_provider');
    expect(oidc.client_id_list).toEqual(['sts.amazonaws.com']);
    expect(oidc.url).toMatch(/identity\[0\]\.oidc\[0\]\.issuer/);
  });
});

describe('EksNodeGroup', () => {
  const base = { clusterName: 'tiketi-test', kubernetesVersion: '1.34', name: 'general', subnetIds: ['subnet-a', 'subnet-b'], instanceTypes: ['t3.medium'], minSize: 2, desiredSize: 2, maxSize: 4, diskSizeGb: 50 };

  test('launch template: IMDSv2 required, hop limit 1, encrypted gp3 root volume of the given size', () => {
    const template = one(synth((s) => new EksNodeGroup(s, 'ng', base)), 'aws_launch_template');
    expect(template.metadata_options).toMatchObject({ http_tokens: 'required', http_put_response_hop_limit: 1 });
    expect(template.block_device_mappings[0].ebs).toMatchObject({ encrypted: 'true', volume_type: 'gp3', volume_size: 50 });
  });

  test('AL2023, sizes, rolling updates one node at a time, autoscaler tags, desired size left to the autoscaler', () => {
    const group = one(synth((s) => new EksNodeGroup(s, 'ng', base)), 'aws_eks_node_group');
    expect(group.ami_type).toBe('AL2023_x86_64_STANDARD');
    expect(group.scaling_config).toEqual({ min_size: 2, desired_size: 2, max_size: 4 });
    expect(group.update_config).toEqual({ max_unavailable: 1 });
    expect(group.subnet_ids).toEqual(['subnet-a', 'subnet-b']);
    expect(group.tags).toEqual({ 'k8s.io/cluster-autoscaler/enabled': 'true', 'k8s.io/cluster-autoscaler/tiketi-test': 'owned' });
    expect(group.lifecycle.ignore_changes).toEqual(['scaling_config[0].desired_size']);
    expect(group.node_repair_config).toEqual({ enabled: true });
  });

  test('the nodes run the given Kubernetes version (so a cluster upgrade moves them too); AMI releases are not pinned', () => {
    const group = one(synth((s) => new EksNodeGroup(s, 'ng', base)), 'aws_eks_node_group');
    expect(group.version).toBe('1.34');
    // A launch template with an image_id would make EKS refuse `version`: the AMI comes from ami_type.
    expect(one(synth((s) => new EksNodeGroup(s, 'ng', base)), 'aws_launch_template').image_id).toBeUndefined();
    expect(group.release_version).toBeUndefined();
  });

  test('a kubernetesVersion that is not a minor is refused, naming the field', () => {
    for (const bad of ['', '1', 'v1.35', '1.35.2', 'latest']) {
      expect(() => synth((s) => new EksNodeGroup(s, 'ng', { ...base, kubernetesVersion: bad }))).toThrow(/tiketi-test-general: kubernetesVersion must be a Kubernetes minor like "1\.35"/);
    }
  });

  test('maxUnavailable and nodeRepair props are passed through', () => {
    const group = one(synth((s) => new EksNodeGroup(s, 'ng', { ...base, maxUnavailable: 2, nodeRepair: false })), 'aws_eks_node_group');
    expect(group.update_config).toEqual({ max_unavailable: 2 });
    expect(group.node_repair_config).toEqual({ enabled: false });
  });

  test('instances and volumes carry the instance tags for cost allocation, and their Name', () => {
    const template = one(synth((s) => new EksNodeGroup(s, 'ng', { ...base, instanceTags: { Project: 'tiketi', Environment: 'test', Stack: 'cluster' } })), 'aws_launch_template');
    const tags = { Project: 'tiketi', Environment: 'test', Stack: 'cluster', Name: 'tiketi-test-general-node' };
    expect(template.tag_specifications).toEqual([
      { resource_type: 'instance', tags },
      { resource_type: 'volume', tags },
    ]);
  });

  test('the node role carries the tiketi-boundary permissions boundary', () => {
    const json = synth((s) => new EksNodeGroup(s, 'ng', base));
    expect(one(json, 'aws_iam_role').permissions_boundary).toBe('${data.aws_iam_policy.permissions-boundary.arn}');
    expect(json.data!.aws_iam_policy['permissions-boundary'].arn).toMatch(/^arn:aws:iam::\$\{data\.aws_caller_identity\..+\.account_id\}:policy\/tiketi-boundary$/);
  });

  test('the node role has no CNI policy (aws-node uses Pod Identity)', () => {
    const arns = all(synth((s) => new EksNodeGroup(s, 'ng', base)), 'aws_iam_role_policy_attachment').map((a) => a.policy_arn);
    expect(arns).toEqual(['arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy', 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly']);
  });
});

describe('EksAddons', () => {
  const VERSIONS = {
    'vpc-cni': 'v1.21.1-eksbuild.7',
    'kube-proxy': 'v1.35.3-eksbuild.2',
    'eks-pod-identity-agent': 'v1.3.10-eksbuild.3',
    coredns: 'v1.13.2-eksbuild.4',
    'aws-ebs-csi-driver': 'v1.63.1-eksbuild.1',
    'metrics-server': 'v0.9.0-eksbuild.5',
  };
  const base = { clusterName: 'tiketi-test', versions: VERSIONS };
  const build = (props: object = {}) =>
    synth((s) => {
      const addons = new EksAddons(s, 'addons', { ...base, ...props });
      addons.addNodeDependency([]);
    });

  test('the six add-ons, each at its literal pinned version; no version lookup', () => {
    const json = build();
    const addons = all(json, 'aws_eks_addon');
    expect(addons.map((a) => [a.addon_name, a.addon_version]).sort()).toEqual(Object.entries(VERSIONS).sort());
    expect(json.data?.aws_eks_addon_version).toBeUndefined();
    expect(addons.every((a) => a.resolve_conflicts_on_create === 'OVERWRITE' && a.resolve_conflicts_on_update === 'OVERWRITE')).toBe(true);
  });

  test('fails when an add-on version is missing or not an EKS version, naming the add-on', () => {
    expect(() => build({ versions: { ...VERSIONS, coredns: 'latest' } })).toThrow('versions["coredns"] got "latest", expected "v<major>.<minor>.<patch>-eksbuild.<n>"');
    const { 'metrics-server': _dropped, ...missing } = VERSIONS;
    expect(() => build({ versions: missing })).toThrow('versions["metrics-server"] got undefined');
  });

  test('add-on role names come from the literal prefix, not from the cluster name reference', () => {
    const roles = all(build({ clusterName: '${aws_eks_cluster.x.name}', roleNamePrefix: 'tiketi-test' }), 'aws_iam_role').map((r) => r.name);
    expect(roles.sort()).toEqual(['tiketi-test-ebs-csi-driver', 'tiketi-test-vpc-cni']);
  });

  test('vpc-cni enforces network policies; prefixDelegation switches the warm pool to prefixes', () => {
    const cni = (props: object) => JSON.parse(all(build(props), 'aws_eks_addon').find((a) => a.addon_name === 'vpc-cni').configuration_values);
    expect(cni({})).toEqual({ enableNetworkPolicy: 'true', env: { ENABLE_PREFIX_DELEGATION: 'false', WARM_ENI_TARGET: '1' } });
    expect(cni({ prefixDelegation: true })).toEqual({ enableNetworkPolicy: 'true', env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1' } });
  });

  test('vpc-cni and the EBS CSI driver get Pod Identity roles for their service accounts', () => {
    const addons = all(build(), 'aws_eks_addon');
    expect(addons.find((a) => a.addon_name === 'vpc-cni').pod_identity_association).toEqual([{ role_arn: expect.stringMatching(/aws_iam_role\./), service_account: 'aws-node' }]);
    expect(addons.find((a) => a.addon_name === 'aws-ebs-csi-driver').pod_identity_association).toEqual([{ role_arn: expect.any(String), service_account: 'ebs-csi-controller-sa' }]);
  });
});

describe('PodIdentityRole', () => {
  const base = { roleName: 'r', clusterName: 'tiketi-test', namespace: 'ns', serviceAccount: 'sa', policy: JSON.stringify({ Version: '2012-10-17', Statement: [] }) };

  test('trust: only pods.eks.amazonaws.com, scoped by account, cluster, namespace and service account', () => {
    const json = synth((s) => new PodIdentityRole(s, 'r', base));
    const trust = JSON.parse(one(json, 'aws_iam_role').assume_role_policy);
    expect(trust.Statement).toEqual([
      {
        Sid: expect.any(String),
        Effect: 'Allow',
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: {
          StringEquals: {
            'aws:SourceAccount': expect.stringMatching(/account_id/),
            'aws:RequestTag/eks-cluster-name': 'tiketi-test',
            'aws:RequestTag/kubernetes-namespace': 'ns',
            'aws:RequestTag/kubernetes-service-account': 'sa',
          },
        },
      },
    ]);
    expect(one(json, 'aws_eks_pod_identity_association')).toMatchObject({ cluster_name: 'tiketi-test', namespace: 'ns', service_account: 'sa' });
  });

  test('createAssociation: false leaves the association to the add-on', () => {
    expect(synth((s) => new PodIdentityRole(s, 'r', { ...base, createAssociation: false })).resource.aws_eks_pod_identity_association).toBeUndefined();
  });
});

describe('controller policies', () => {
  const statements = (doc: any): any[] => doc.Statement;

  test('ALB controller: every cluster tag condition requires this cluster, ARNs pinned to region and account', () => {
    const doc = albControllerPolicy('tiketi-prod', 'ap-northeast-2', '123456789012');
    const text = JSON.stringify(doc);
    expect(text).not.toMatch(/"aws:(Request|Resource)Tag\/elbv2\.k8s\.aws\/cluster":"false"/);
    const tagged = statements(doc).filter((s) => JSON.stringify(s.Condition ?? {}).includes('elbv2.k8s.aws/cluster'));
    expect(tagged.length).toBeGreaterThan(5);
    for (const s of tagged) {
      const equals = Object.entries(s.Condition.StringEquals ?? {}).filter(([k]) => k.endsWith('elbv2.k8s.aws/cluster'));
      expect(equals.length).toBeGreaterThan(0);
      expect(equals.every(([, v]) => v === 'tiketi-prod')).toBe(true);
    }
    const arns = statements(doc).flatMap((s) => [s.Resource].flat()).filter((r: string) => r.startsWith('arn:'));
    expect(arns.every((arn: string) => arn.includes(':ap-northeast-2:123456789012:'))).toBe(true);
    expect(statements(doc).flatMap((s) => s.Action)).not.toContain('iam:*');
  });

  test('external-dns: changes limited to the environment record names and record types', () => {
    const change = statements(externalDnsPolicy(['api-dev.tiketi.com']))[0];
    expect(change.Action).toEqual(['route53:ChangeResourceRecordSets']);
    expect(change.Condition['ForAllValues:StringLike']['route53:ChangeResourceRecordSetsNormalizedRecordNames']).toEqual(['api-dev.tiketi.com', '*.api-dev.tiketi.com', '*-api-dev.tiketi.com']);
  });

  test('Cluster Autoscaler: scaling only on Auto Scaling groups owned by this cluster', () => {
    const scale = statements(clusterAutoscalerPolicy('tiketi-dev')).find((s) => s.Action.includes('autoscaling:SetDesiredCapacity'));
    expect(scale.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/k8s.io/cluster-autoscaler/tiketi-dev': 'owned' } });
  });
});
