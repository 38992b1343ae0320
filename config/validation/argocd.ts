import { EnvironmentSettings } from '../settings';
import { isInZone } from './edge';
import { Problems } from './problems';
import { DNS_NAME, EXACT_VERSION, GITHUB_LOGIN, HELM_CHART_NAME, HTTPS_URL, IPV4_CIDR, K8S_OBJECT_NAME, SECRETS_MANAGER_NAME, SLACK_CHANNEL } from './rules';

/** PostgreSQL identifiers the services connect as: lower case, not a reserved role prefix. */
const DATABASE_USER = /^[a-z_][a-z0-9_]{0,62}$/;

/** The argocd stack's settings: charts, Argo CD sizing and exposure, secret names, API access. */
export function validateArgoCd(env: EnvironmentSettings, problems: Problems): void {
  const argocd = env.argocd;
  const at = `${env.name}.argocd`;

  for (const [name, chart] of Object.entries(argocd.charts)) {
    // Exact versions only: a range (`^1.2`, `~1`, `>=`) or a tag would move under a reviewed plan.
    problems.rule(`${at}.charts.${name}.version`, chart.version, EXACT_VERSION);
    problems.rule(`${at}.charts.${name}.repository`, chart.repository, HTTPS_URL);
    problems.rule(`${at}.charts.${name}.chart`, chart.chart, HELM_CHART_NAME);
  }
  // Cluster Autoscaler's minor follows Kubernetes': chart 9.59.x ships CA 1.35.
  const autoscalerMinor: Record<string, string> = { '9.59': '1.35' };
  const autoscalerChart = argocd.charts.clusterAutoscaler.version.split('.').slice(0, 2).join('.');
  const expectedKubernetes = autoscalerMinor[autoscalerChart];
  // Checked only against a supported Kubernetes version (the cluster validator reports any other).
  problems.check(
    problems.reported(`${env.name}.cluster.kubernetesVersion`) || expectedKubernetes === env.cluster.kubernetesVersion,
    `${at}.charts.clusterAutoscaler.version`,
    argocd.charts.clusterAutoscaler.version,
    `a chart whose Cluster Autoscaler minor matches ${env.name}.cluster.kubernetesVersion ${env.cluster.kubernetesVersion} (known: ${Object.entries(autoscalerMinor)
      .map(([chart, kubernetes]) => `${chart}.x = ${kubernetes}`)
      .join(', ')})`,
  );

  for (const [name, count] of Object.entries(argocd.replicas)) {
    if (!problems.checkInteger(`${at}.replicas.${name}`, count, 1, 5)) continue;
    if (argocd.highAvailability && name !== 'awsLoadBalancerController') {
      problems.check(count >= 2, `${at}.replicas.${name}`, count, `2 or more with ${at}.highAvailability (a PDB with one replica blocks every node drain)`);
    }
  }
  if (!problems.reported(`${at}.replicas.awsLoadBalancerController`)) problems.check(argocd.replicas.awsLoadBalancerController >= 2, `${at}.replicas.awsLoadBalancerController`, argocd.replicas.awsLoadBalancerController, '2 or more (its webhooks admit every Ingress and TargetGroupBinding)');
  if (env.name === 'prod') problems.check(argocd.highAvailability, `${at}.highAvailability`, argocd.highAvailability, 'true in prod (a single Argo CD Redis or server is a single point of failure for every deploy)');
  if (argocd.highAvailability && !problems.reported(`${env.name}.cluster.nodeGroup.minSize`)) {
    const minNodes = env.cluster.nodeGroup.minSize;
    problems.check(minNodes >= 3, `${at}.highAvailability`, argocd.highAvailability, `false, or ${env.name}.cluster.nodeGroup.minSize of 3 or more (redis-ha puts each of its 3 Redis and 3 HAProxy pods on its own node; minSize is ${minNodes})`);
  }

  const zone = env.edge.zoneName;
  // Inside the zone is checked against a valid zone only (validateEdge reports a wrong one).
  if (problems.rule(`${at}.hostname`, argocd.hostname, DNS_NAME) && !problems.reported(`${env.name}.edge.zoneName`)) {
    problems.check(isInZone(argocd.hostname, zone) && argocd.hostname !== zone, `${at}.hostname`, argocd.hostname, `a name ending in ".${zone}" (inside ${env.name}.edge.zoneName)`);
    problems.check(
      argocd.hostname !== env.edge.apiDomain && argocd.hostname !== env.edge.frontendDomain,
      `${at}.hostname`,
      argocd.hostname,
      `a name other than ${env.name}.edge.apiDomain and ${env.name}.edge.frontendDomain`,
    );
  }

  problems.check(argocd.inboundCidrs.length > 0, `${at}.inboundCidrs`, argocd.inboundCidrs, 'at least one IPv4 CIDR (an ALB with no inbound CIDRs accepts nothing)');
  argocd.inboundCidrs.forEach((text, i) => problems.rule(`${at}.inboundCidrs[${i}]`, text, IPV4_CIDR));

  const orgOk = problems.rule(`${at}.githubOrganization`, argocd.githubOrganization, GITHUB_LOGIN);
  // The group's org is compared with a valid githubOrganization only: with a wrong one, that is what is wrong.
  if (orgOk) {
    const [org, team] = argocd.adminGroup.split(':');
    problems.check(
      org === argocd.githubOrganization && team !== undefined && /^[a-z0-9][a-z0-9_-]*$/.test(team) && argocd.adminGroup.split(':').length === 2,
      `${at}.adminGroup`,
      argocd.adminGroup,
      `"${argocd.githubOrganization}:<team-slug>" (Dex names GitHub groups "<org>:<team>"; the org is ${at}.githubOrganization)`,
    );
  }
  problems.rule(`${at}.notificationChannel`, argocd.notificationChannel, SLACK_CHANNEL);
  problems.rule(`${at}.repositorySecretName`, argocd.repositorySecretName, K8S_OBJECT_NAME);

  const prefix = `tiketi/${env.name}/`;
  for (const [name, secret] of Object.entries(argocd.secrets)) {
    if (problems.rule(`${at}.secrets.${name}`, secret, SECRETS_MANAGER_NAME)) {
      problems.check(secret.startsWith(prefix), `${at}.secrets.${name}`, secret, `a Secrets Manager name under "${prefix}" (the CI roles may read only their environment's secrets)`);
    }
  }
  problems.check(argocd.secrets.sealingKey === `${prefix}sealed-secrets-key`, `${at}.secrets.sealingKey`, argocd.secrets.sealingKey, `"${prefix}sealed-secrets-key" (docs/platform-contracts.md; npm run sealing-key writes exactly this secret)`);
  const names = Object.values(argocd.secrets);
  problems.check(new Set(names).size === names.length, `${at}.secrets`, argocd.secrets, 'a different secret for each purpose');

  problems.oneOf(`${at}.externalDnsPolicy`, argocd.externalDnsPolicy, ['sync', 'upsert-only'] as const);
  if (env.name === 'prod') problems.check(argocd.externalDnsPolicy === 'upsert-only', `${at}.externalDnsPolicy`, argocd.externalDnsPolicy, '"upsert-only" in prod (external-dns never deletes a prod record)');

  problems.check(DATABASE_USER.test(argocd.applicationDatabaseUser) && !argocd.applicationDatabaseUser.startsWith('rds'), `${at}.applicationDatabaseUser`, argocd.applicationDatabaseUser, 'a PostgreSQL user name (lower case, digits, "_"; not starting with "rds")');

  const api = argocd.kubernetesApi;
  if (problems.oneOf(`${at}.kubernetesApi.mode`, api.mode, ['direct', 'ssm-tunnel'] as const) && api.mode === 'ssm-tunnel') {
    problems.checkInteger(`${at}.kubernetesApi.localPort`, api.localPort, 1024, 65535);
  }
}
