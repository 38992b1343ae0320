import { ENVIRONMENTS } from '../../config/environments';
import { ArgoCdSettings, EnvironmentName, EnvironmentSettings } from '../../config/settings';
import { problemsOf } from '../support/settings';

function withArgoCd(envName: EnvironmentName, change: Partial<ArgoCdSettings>): EnvironmentSettings {
  const env = ENVIRONMENTS[envName];
  return { ...env, argocd: { ...env.argocd, ...change } };
}

describe('argocd settings validation', () => {
  test.each(['dev', 'staging', 'prod'] as const)('%s settings are valid', (envName) => {
    expect(problemsOf(ENVIRONMENTS[envName])).toEqual([]);
  });

  test('every chart is pinned to an exact version, the same in every environment', () => {
    for (const envName of ['dev', 'staging', 'prod'] as const) {
      const charts = ENVIRONMENTS[envName].argocd.charts;
      expect(Object.fromEntries(Object.entries(charts).map(([k, c]) => [k, `${c.chart}@${c.version}`]))).toEqual({
        argoCd: 'argo-cd@10.1.1',
        argocdApps: 'argocd-apps@2.0.5',
        sealedSecrets: 'sealed-secrets@2.18.5',
        awsLoadBalancerController: 'aws-load-balancer-controller@3.5.0',
        externalDns: 'external-dns@1.21.1',
        clusterAutoscaler: 'cluster-autoscaler@9.59.0',
      });
    }
  });

  test('fails when a chart version is a range, naming the chart', () => {
    const env = ENVIRONMENTS.dev;
    const charts = { ...env.argocd.charts, argoCd: { ...env.argocd.charts.argoCd, version: '^10.1.0' } };
    expect(problemsOf(withArgoCd('dev', { charts }))).toEqual([expect.stringMatching(/^dev\.argocd\.charts\.argoCd\.version: got "\^10\.1\.0", expected an exact version "major\.minor\.patch" \(three numbers without leading zeros/)]);
  });

  test('fails when the Cluster Autoscaler chart does not match the Kubernetes minor', () => {
    const env = ENVIRONMENTS.staging;
    const charts = { ...env.argocd.charts, clusterAutoscaler: { ...env.argocd.charts.clusterAutoscaler, version: '9.46.6' } };
    expect(problemsOf(withArgoCd('staging', { charts }))).toEqual([expect.stringMatching(/^staging\.argocd\.charts\.clusterAutoscaler\.version: got "9\.46\.6", expected a chart whose Cluster Autoscaler minor matches staging\.cluster\.kubernetesVersion 1\.35/)]);
  });

  test('prod must run Argo CD in HA, with 2+ replicas of each HA component', () => {
    expect(problemsOf(withArgoCd('prod', { highAvailability: false }))).toEqual([expect.stringMatching(/^prod\.argocd\.highAvailability: got false, expected true in prod/)]);
    const replicas = { ...ENVIRONMENTS.prod.argocd.replicas, repoServer: 1 };
    expect(problemsOf(withArgoCd('prod', { replicas }))).toEqual([expect.stringMatching(/^prod\.argocd\.replicas\.repoServer: got 1, expected 2 or more with prod\.argocd\.highAvailability/)]);
  });

  test('HA needs 3 nodes for redis-ha', () => {
    // dev on two nodes (its minimum is 3 since the pod capacity check, config/capacity.ts).
    const dev = withArgoCd('dev', { highAvailability: true, replicas: { server: 2, repoServer: 2, applicationSet: 2, awsLoadBalancerController: 2 } });
    const ha = { ...dev, cluster: { ...dev.cluster, nodeGroup: { ...dev.cluster.nodeGroup, minSize: 2, desiredSize: 2 } } };
    expect(problemsOf({ ...ha, cluster: { ...ha.cluster, nodeGroup: { ...ha.cluster.nodeGroup, minSize: 3, desiredSize: 3 } } })).toEqual([]);
    expect(problemsOf(ha)).toEqual([expect.stringMatching(/^dev\.argocd\.highAvailability: got true, expected false, or dev\.cluster\.nodeGroup\.minSize of 3 or more/)]);
  });

  test('the ALB controller runs 2 replicas at least', () => {
    const replicas = { ...ENVIRONMENTS.dev.argocd.replicas, awsLoadBalancerController: 1 };
    expect(problemsOf(withArgoCd('dev', { replicas }))).toEqual([expect.stringMatching(/^dev\.argocd\.replicas\.awsLoadBalancerController: got 1, expected 2 or more/)]);
  });

  test('the hostname must be inside the zone and not the API or frontend name', () => {
    expect(problemsOf(withArgoCd('dev', { hostname: 'argocd.tiketi.net' }))).toEqual([expect.stringMatching(/^dev\.argocd\.hostname: got "argocd\.tiketi\.net", expected a name ending in "\.tiketi\.com"/)]);
    expect(problemsOf(withArgoCd('prod', { hostname: 'api.tiketi.com' }))).toEqual([expect.stringMatching(/^prod\.argocd\.hostname: got "api\.tiketi\.com", expected a name other than prod\.edge\.apiDomain/)]);
    expect(problemsOf(withArgoCd('prod', { hostname: 'Argocd.tiketi.com' }))).toEqual([expect.stringMatching(/^prod\.argocd\.hostname: got "Argocd\.tiketi\.com", expected a DNS name/)]);
  });

  test('inbound CIDRs must be CIDRs and not empty', () => {
    expect(problemsOf(withArgoCd('dev', { inboundCidrs: [] }))).toEqual([expect.stringMatching(/^dev\.argocd\.inboundCidrs: got \[\], expected at least one IPv4 CIDR/)]);
    expect(problemsOf(withArgoCd('dev', { inboundCidrs: ['10.0.0.1/8'] }))).toEqual([expect.stringMatching(/^dev\.argocd\.inboundCidrs\[0\]: got "10\.0\.0\.1\/8"/)]);
  });

  test('the admin group must be a team of the organization', () => {
    expect(problemsOf(withArgoCd('dev', { adminGroup: 'other-org:platform' }))).toEqual([expect.stringMatching(/^dev\.argocd\.adminGroup: got "other-org:platform", expected "tiketi:<team-slug>"/)]);
    expect(problemsOf(withArgoCd('dev', { adminGroup: 'platform-admins' }))).toHaveLength(1);
  });

  test('notification channel, repository secret name and database user are checked', () => {
    expect(problemsOf(withArgoCd('dev', { notificationChannel: '#deploys' }))).toEqual([expect.stringMatching(/^dev\.argocd\.notificationChannel: got "#deploys", expected a Slack channel name without "#"/)]);
    expect(problemsOf(withArgoCd('dev', { repositorySecretName: 'Repo_Secret' }))).toEqual([expect.stringMatching(/^dev\.argocd\.repositorySecretName: got "Repo_Secret", expected a Kubernetes object name/)]);
    expect(problemsOf(withArgoCd('dev', { applicationDatabaseUser: 'rdsadmin' }))).toEqual([expect.stringMatching(/^dev\.argocd\.applicationDatabaseUser: got "rdsadmin"/)]);
  });

  test('secret names stay in the environment, are distinct, and the sealing key follows the contract', () => {
    const secrets = ENVIRONMENTS.staging.argocd.secrets;
    expect(problemsOf(withArgoCd('staging', { secrets: { ...secrets, slackToken: 'tiketi/prod/argocd/slack-token' } }))).toEqual([expect.stringMatching(/^staging\.argocd\.secrets\.slackToken: got "tiketi\/prod\/argocd\/slack-token", expected a Secrets Manager name under "tiketi\/staging\/"/)]);
    expect(problemsOf(withArgoCd('staging', { secrets: { ...secrets, sealingKey: 'tiketi/staging/sealing' } }))).toEqual([expect.stringMatching(/^staging\.argocd\.secrets\.sealingKey: got "tiketi\/staging\/sealing", expected "tiketi\/staging\/sealed-secrets-key"/)]);
    expect(problemsOf(withArgoCd('staging', { secrets: { ...secrets, ssoClient: secrets.slackToken } }))).toEqual([expect.stringMatching(/^staging\.argocd\.secrets: .*expected a different secret for each purpose/)]);
  });

  test('prod external-dns never deletes records', () => {
    expect(ENVIRONMENTS.prod.argocd.externalDnsPolicy).toBe('upsert-only');
    expect(problemsOf(withArgoCd('prod', { externalDnsPolicy: 'sync' }))).toEqual([expect.stringMatching(/^prod\.argocd\.externalDnsPolicy: got "sync", expected "upsert-only" in prod/)]);
    expect(problemsOf(withArgoCd('dev', { externalDnsPolicy: 'create-only' as never }))).toEqual([expect.stringMatching(/^dev\.argocd\.externalDnsPolicy: got "create-only", expected one of "sync", "upsert-only"/)]);
  });

  test('the tunnel port must be a non-privileged port', () => {
    expect(problemsOf(withArgoCd('dev', { kubernetesApi: { mode: 'ssm-tunnel', localPort: 443 } }))).toEqual([expect.stringMatching(/^dev\.argocd\.kubernetesApi\.localPort: got 443, expected an integer from 1024 to 65535/)]);
    expect(problemsOf(withArgoCd('dev', { kubernetesApi: { mode: 'direct' } }))).toEqual([]);
    expect(problemsOf(withArgoCd('dev', { kubernetesApi: { mode: 'vpn' } as never }))).toEqual([expect.stringMatching(/^dev\.argocd\.kubernetesApi\.mode: got "vpn", expected one of "direct", "ssm-tunnel"/)]);
  });

  test('each environment has its own tunnel port, so several tunnels can be open at once', () => {
    const ports = (['dev', 'staging', 'prod'] as const).map((e) => ENVIRONMENTS[e].argocd.kubernetesApi).map((a) => (a.mode === 'ssm-tunnel' ? a.localPort : undefined));
    expect(new Set(ports.filter((p) => p !== undefined)).size).toBe(ports.filter((p) => p !== undefined).length);
  });
});
