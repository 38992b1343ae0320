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

  test('fails when a role name is an ARN', () => {
    expect(problemsOf(withCluster('dev', { adminRoleNames: ['arn:aws:iam::123456789012:role/admin'] }))).toEqual([expect.stringMatching(/^dev\.cluster\.adminRoleNames\[0\]: .*not an ARN/)]);
  });

  test('fails when no admin role is named', () => {
    expect(problemsOf(withCluster('dev', { adminRoleNames: [] }))).toEqual([expect.stringMatching(/^dev\.cluster\.adminRoleNames: got \[\], expected at least one role/)]);
  });

  test('fails when a role is both admin and read-only', () => {
    expect(problemsOf(withCluster('dev', { readOnlyRoleNames: ['tiketi-platform-admin'] }))).toEqual([expect.stringMatching(/^dev\.cluster\.readOnlyRoleNames: got \["tiketi-platform-admin"\]/)]);
  });

  test('fails when the log retention is not a CloudWatch value', () => {
    expect(problemsOf(withCluster('dev', { logRetentionDays: 45 }))).toEqual([expect.stringMatching(/^dev\.cluster\.logRetentionDays: got 45, expected one of/)]);
  });

  test('fails when desired size is outside min..max', () => {
    expect(problemsOf(withNodeGroup('staging', { desiredSize: 7 }))).toEqual([expect.stringMatching(/^staging\.cluster\.nodeGroup\.desiredSize: got 7, expected minSize \(3\) ≤ desiredSize ≤ maxSize \(6\)/)]);
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
