import { parseCidr } from '../cidr';
import { EnvironmentSettings } from '../settings';
import { isInZone } from './edge';
import { Problems, isDomainName } from './problems';

/** Exact chart versions only: a range (`^1.2`, `~1`, `>=`) or a tag would move under a reviewed plan. */
const EXACT_VERSION = /^\d+\.\d+\.\d+$/;
/** Kubernetes object names (DNS-1123 subdomain). */
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
/** Slack channel names: lower case, digits, `-`, `_`, `.`, at most 80 characters. */
const SLACK_CHANNEL = /^[a-z0-9][a-z0-9._-]{0,79}$/;
/** GitHub organization logins. */
const GITHUB_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
/** Secrets Manager names: 1-512 of letters, digits and `/_+=.@-`. */
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
/** PostgreSQL identifiers the services connect as: lower case, not a reserved role prefix. */
const DATABASE_USER = /^[a-z_][a-z0-9_]{0,62}$/;

/** The argocd stack's settings: charts, Argo CD sizing and exposure, secret names, API access. */
export function validateArgoCd(env: EnvironmentSettings, problems: Problems): void {
  const argocd = env.argocd;
  const at = `${env.name}.argocd`;

  for (const [name, chart] of Object.entries(argocd.charts)) {
    problems.check(EXACT_VERSION.test(chart.version), `${at}.charts.${name}.version`, chart.version, 'an exact chart version "major.minor.patch" (no range, no tag)');
    problems.check(/^https:\/\/[a-z0-9.-]+(\/[\w.-]+)*$/.test(chart.repository), `${at}.charts.${name}.repository`, chart.repository, 'an https:// chart repository URL');
    problems.check(OBJECT_NAME.test(chart.chart), `${at}.charts.${name}.chart`, chart.chart, 'a chart name (lower case letters, digits and hyphens)');
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
  problems.check(argocd.replicas.awsLoadBalancerController >= 2, `${at}.replicas.awsLoadBalancerController`, argocd.replicas.awsLoadBalancerController, '2 or more (its webhooks admit every Ingress and TargetGroupBinding)');
  if (env.name === 'prod') problems.check(argocd.highAvailability, `${at}.highAvailability`, argocd.highAvailability, 'true in prod (a single Argo CD Redis or server is a single point of failure for every deploy)');
  if (argocd.highAvailability && !problems.reported(`${env.name}.cluster.nodeGroup.minSize`)) {
    const minNodes = env.cluster.nodeGroup.minSize;
    problems.check(minNodes >= 3, `${at}.highAvailability`, argocd.highAvailability, `false, or ${env.name}.cluster.nodeGroup.minSize of 3 or more (redis-ha puts each of its 3 Redis and 3 HAProxy pods on its own node; minSize is ${minNodes})`);
  }

  const zone = env.edge.zoneName;
  if (problems.check(isDomainName(argocd.hostname), `${at}.hostname`, argocd.hostname, 'a DNS name such as "argocd.tiketi.com" (lower case, no trailing dot)')) {
    problems.check(isInZone(argocd.hostname, zone) && argocd.hostname !== zone, `${at}.hostname`, argocd.hostname, `a name ending in ".${zone}" (inside ${env.name}.edge.zoneName)`);
    problems.check(
      argocd.hostname !== env.edge.apiDomain && argocd.hostname !== env.edge.frontendDomain,
      `${at}.hostname`,
      argocd.hostname,
      `a name other than ${env.name}.edge.apiDomain and ${env.name}.edge.frontendDomain`,
    );
  }

  problems.check(argocd.inboundCidrs.length > 0, `${at}.inboundCidrs`, argocd.inboundCidrs, 'at least one IPv4 CIDR (an ALB with no inbound CIDRs accepts nothing)');
  argocd.inboundCidrs.forEach((text, i) =>
    problems.check(parseCidr(text) !== undefined, `${at}.inboundCidrs[${i}]`, text, 'an IPv4 CIDR such as "198.51.100.0/24" with host bits zero'),
  );

  problems.check(GITHUB_LOGIN.test(argocd.githubOrganization), `${at}.githubOrganization`, argocd.githubOrganization, 'a GitHub organization login');
  const [org, team] = argocd.adminGroup.split(':');
  problems.check(
    org === argocd.githubOrganization && team !== undefined && /^[a-z0-9][a-z0-9_-]*$/.test(team) && argocd.adminGroup.split(':').length === 2,
    `${at}.adminGroup`,
    argocd.adminGroup,
    `"${argocd.githubOrganization}:<team-slug>" (Dex names GitHub groups "<org>:<team>"; the org is ${at}.githubOrganization)`,
  );
  problems.check(SLACK_CHANNEL.test(argocd.notificationChannel), `${at}.notificationChannel`, argocd.notificationChannel, 'a Slack channel name without "#" (lower case letters, digits, "-", "_", ".")');
  problems.check(OBJECT_NAME.test(argocd.repositorySecretName), `${at}.repositorySecretName`, argocd.repositorySecretName, 'a Kubernetes object name (lower case letters, digits, "-" and ".")');

  const prefix = `tiketi/${env.name}/`;
  for (const [name, secret] of Object.entries(argocd.secrets)) {
    problems.check(SECRET_NAME.test(secret) && secret.startsWith(prefix), `${at}.secrets.${name}`, secret, `a Secrets Manager name under "${prefix}" (the CI roles may read only their environment's secrets)`);
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
