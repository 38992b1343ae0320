import { ENVIRONMENTS } from '../../config/environments';
import { ClusterSettings, EnvironmentName, EnvironmentSettings } from '../../config/settings';
import { problemsOf } from '../support/settings';

function withCluster(envName: EnvironmentName, change: Partial<ClusterSettings>): EnvironmentSettings {
  const env = ENVIRONMENTS[envName];
  return { ...env, cluster: { ...env.cluster, ...change } };
}
function withNodeGroup(envName: EnvironmentName, change: Partial<ClusterSettings['nodeGroup']>): EnvironmentSettings {
  return withCluster(envName, { nodeGroup: { ...ENVIRONMENTS[envName].cluster.nodeGroup, ...change } });
}

describe('cluster settings validation', () => {
  test.each(['dev', 'staging', 'prod'] as const)('%s settings are valid', (envName) => {
    expect(problemsOf(ENVIRONMENTS[envName])).toEqual([]);
  });

  test('fails when the Kubernetes version is in extended support', () => {
    expect(problemsOf(withCluster('prod', { kubernetesVersion: '1.33' }))).toEqual([expect.stringMatching(/^prod\.cluster\.kubernetesVersion: got "1\.33", expected one of "1\.35"/)]);
  });

  test('fails when staging or prod opens the API to 0.0.0.0/0', () => {
    expect(problemsOf(withCluster('prod', { publicAccessCidrs: ['0.0.0.0/0'] }))).toEqual([
      expect.stringMatching(/^prod\.cluster\.publicAccessCidrs\[0\]: got "0\.0\.0\.0\/0", expected specific CIDRs/),
    ]);
    expect(problemsOf(withCluster('staging', { publicAccessCidrs: ['0.0.0.0/0'] }))).toHaveLength(1);
    expect(problemsOf(withCluster('prod', { publicAccessCidrs: ['203.0.113.0/24'] }))).toEqual([]);
  });

  test('fails when a public access CIDR is malformed', () => {
    expect(problemsOf(withCluster('dev', { publicAccessCidrs: ['203.0.113.1/24'] }))).toEqual([expect.stringMatching(/^dev\.cluster\.publicAccessCidrs\[0\]: got "203\.0\.113\.1\/24"/)]);
  });

  test.each([
    'tiketi-platform-admin',
    'arn:aws:iam::123456789012:role/tiketi-platform-admin',
    'arn:aws:iam::123456789012:role/teams/platform/ops-admin',
    'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/ap-northeast-2/AWSReservedSSO_PlatformAdmin_0123456789abcdef',
    'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Legacy_0123456789abcdef',
    `arn:aws:iam::123456789012:role/${'x'.repeat(64)}`,
  ])('accepts the admin role %s (a name, or an ARN with or without a path)', (role) => {
    expect(problemsOf(withCluster('prod', { adminRoles: [role] }))).toEqual([]);
  });

  test.each<[string, string]>([
    ['arn:aws:iam::12345678901:role/admin', 'expected an IAM role name or role ARN "arn:aws:iam::<12-digit account>:role/[<path>/]<name>" (a 12-digit account ID, got "12345678901")'],
    ['arn:aws:sts::123456789012:assumed-role/admin/me', 'not an STS assumed-role (session) ARN'],
    ['arn:aws:iam::123456789012:user/admin', '(an ARN of the iam service naming a role ("iam::<account>:role/..."))'],
    ['arn:aws:iam:ap-northeast-2:123456789012:role/admin', '(no region: IAM ARNs have "iam::<account>")'],
    ['arn:aws-iso-x:iam::123456789012:role/admin', '(a partition of aws, aws-cn, aws-us-gov'],
    ['arn:aws:iam::123456789012:role/', 'the name after the last "/" is 1-64'],
    [`arn:aws:iam::123456789012:role/${'x'.repeat(65)}`, 'the name after the last "/" is 1-64'],
    ['arn:aws:iam::123456789012:role/team space/admin', 'a path that starts and ends with "/" and holds at most 512 printable ASCII characters'],
    [`arn:aws:iam::123456789012:role/${'p'.repeat(511)}/admin`, 'at most 512'],
    ['admin role', 'expected an IAM role name or role ARN "arn:aws:iam::<12-digit account>:role/[<path>/]<name>" (a role name is 1-64 of letters, digits and +=,.@_-)'],
    ['x'.repeat(65), 'expected an IAM role name'],
  ])('fails for the admin role %s, naming the field', (role, message) => {
    const problems = problemsOf(withCluster('dev', { adminRoles: [role] }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^dev\.cluster\.adminRoles\[0\]: got /);
    expect(problems[0]).toContain(message);
  });

  test('fails when no admin role is named', () => {
    expect(problemsOf(withCluster('dev', { adminRoles: [] }))).toEqual([expect.stringMatching(/^dev\.cluster\.adminRoles: got \[\], expected at least one role/)]);
  });

  test('fails when a role is named twice, also once by name and once by ARN', () => {
    expect(problemsOf(withCluster('dev', { readOnlyRoles: ['tiketi-platform-admin'] }))).toEqual([
      'dev.cluster.readOnlyRoles[0]: got "tiketi-platform-admin", expected a role not already named in dev.cluster.adminRoles[0] (one access entry per principal)',
    ]);
    expect(problemsOf(withCluster('dev', { readOnlyRoles: ['arn:aws:iam::123456789012:role/tiketi-platform-admin'] }))).toHaveLength(1);
  });

  test('fails when the settings name a CI infra role: the stack grants its own apply role and the plan role, another environment\'s apply role nothing', () => {
    const allowed = 'expected a role other than tiketi-ci-infra-apply-<env> and tiketi-ci-infra-plan (the cluster stack grants its own environment\'s apply role and the plan role their access itself; another environment\'s apply role gets none)';
    expect(problemsOf(withCluster('staging', { readOnlyRoles: ['tiketi-ci-infra-plan'] }))).toEqual([`staging.cluster.readOnlyRoles[0]: got "tiketi-ci-infra-plan", ${allowed}`]);
    expect(problemsOf(withCluster('dev', { adminRoles: ['tiketi-platform-admin', 'tiketi-ci-infra-apply-prod'] }))).toEqual([`dev.cluster.adminRoles[1]: got "tiketi-ci-infra-apply-prod", ${allowed}`]);
    expect(problemsOf(withCluster('dev', { adminRoles: ['tiketi-platform-admin', 'arn:aws:iam::123456789012:role/tiketi-ci-infra-apply-dev'] }))).toEqual([
      `dev.cluster.adminRoles[1]: got "arn:aws:iam::123456789012:role/tiketi-ci-infra-apply-dev", ${allowed}`,
    ]);
  });

  test('fails when an add-on version is missing or not an EKS version string', () => {
    const versions = ENVIRONMENTS.dev.cluster.addonVersions;
    expect(problemsOf(withCluster('dev', { addonVersions: { ...versions, coredns: 'latest' } }))).toEqual([
      expect.stringMatching(/^dev\.cluster\.addonVersions\["coredns"\]: got "latest", expected an EKS add-on version "v<major>\.<minor>\.<patch>-eksbuild\.<n>"/),
    ]);
    const { 'metrics-server': _dropped, ...missing } = versions;
    expect(problemsOf(withCluster('dev', { addonVersions: missing as typeof versions }))).toEqual([expect.stringMatching(/^dev\.cluster\.addonVersions\["metrics-server"\]: got undefined/)]);
    expect(problemsOf(withCluster('dev', { addonVersions: { ...versions, 'aws-efs-csi-driver': 'v2.1.0-eksbuild.1' } as typeof versions }))).toEqual([
      expect.stringMatching(/^dev\.cluster\.addonVersions: got \["aws-efs-csi-driver"\], expected only the add-ons the cluster runs/),
    ]);
  });

  test('fails when kube-proxy is not of the cluster\'s Kubernetes version', () => {
    const versions = ENVIRONMENTS.prod.cluster.addonVersions;
    expect(problemsOf(withCluster('prod', { addonVersions: { ...versions, 'kube-proxy': 'v1.34.6-eksbuild.2' } }))).toEqual([
      'prod.cluster.addonVersions["kube-proxy"]: got "v1.34.6-eksbuild.2", expected a kube-proxy of Kubernetes 1.35 ("v1.35.<patch>-eksbuild.<n>"), the cluster\'s version',
    ]);
  });

  test('fails when the log retention is not a CloudWatch value', () => {
    expect(problemsOf(withCluster('dev', { logRetentionDays: 45 }))).toEqual([expect.stringMatching(/^dev\.cluster\.logRetentionDays: got 45, expected one of/)]);
  });

  test('fails when desired size is outside min..max, blaming desiredSize', () => {
    expect(problemsOf(withNodeGroup('staging', { desiredSize: 7 }))).toEqual(['staging.cluster.nodeGroup.desiredSize: got 7, expected at most staging.cluster.nodeGroup.maxSize (6)']);
    expect(problemsOf(withNodeGroup('staging', { desiredSize: 2, minSize: 3 }))).toEqual(['staging.cluster.nodeGroup.desiredSize: got 2, expected at least staging.cluster.nodeGroup.minSize (3)']);
  });

  test('min above max blames minSize, not desiredSize (which cannot be right then)', () => {
    expect(problemsOf(withNodeGroup('staging', { minSize: 5, desiredSize: 4, maxSize: 4 }))).toEqual(['staging.cluster.nodeGroup.minSize: got 5, expected at most staging.cluster.nodeGroup.maxSize (4)']);
  });

  test('fails when staging or prod has fewer nodes than AZs', () => {
    expect(problemsOf(withNodeGroup('prod', { minSize: 1, desiredSize: 1 }))).toEqual([expect.stringMatching(/^prod\.cluster\.nodeGroup\.minSize: got 1, expected at least one node per availability zone \(2\)/)]);
  });

  test('fails when the disk is too small', () => {
    expect(problemsOf(withNodeGroup('dev', { diskSizeGb: 8 }))).toEqual([expect.stringMatching(/^dev\.cluster\.nodeGroup\.diskSizeGb: got 8, expected an integer from 20 to 1000/)]);
  });

  test('fails for an unknown instance type, listing the known ones', () => {
    expect(problemsOf(withNodeGroup('dev', { instanceTypes: ['c7g.large'] }))).toEqual([expect.stringMatching(/^dev\.cluster\.nodeGroup\.instanceTypes: unknown instance type "c7g\.large"; known: .*t3\.medium/)]);
  });

  // Pod address capacity (nodeGroup against the private subnets): __tests__/cluster/capacity.test.ts.
});
