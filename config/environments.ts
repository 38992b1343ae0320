import { ArgoCdCharts, ArgoCdSettings, BillingSettings, ClusterSettings, DEFAULT_HUMAN_ROLES, DnsSettings, EnvironmentName, EnvironmentSettings, HelmChartSettings, NetworkSettings, ObservabilitySettings, RegistrySettings, WafSettings } from './settings';

/**
 * The one place where environment settings live. Sizes follow the seed's cost table
 * (`shared/seed/ARGOCD_IMPLEMENTATION_ROADMAP.md`); every value is checked by `validate.ts`.
 */

export const REGION = 'ap-northeast-2';

/** The one public zone of the account (the `dns` stack creates it; every `edge` looks it up). */
const ZONE_NAME = 'tiketi.com';

/**
 * Each environment's own VPC `10.<secondOctet>.0.0/16`: they share one account, and disjoint CIDRs keep VPC
 * peering or a Transit Gateway between them (or to an office network) possible later. Per AZ: a public /24
 * (ALBs, NAT), a private /20 (nodes and pods: 4,091 usable addresses each, see docs/network.md) and a database
 * /24, in the seed's two AZs. A third AZ fits without renumbering (10.x.3.0/24, 10.x.64.0/20, 10.x.23.0/24),
 * and 10.x.80.0 to 10.x.255.255 stays free.
 */
function networkOf(secondOctet: number, settings: Pick<NetworkSettings, 'natGateways' | 'flowLogRetentionDays' | 'interfaceEndpoints'>): NetworkSettings {
  const net = `10.${secondOctet}`;
  return {
    vpcCidr: `${net}.0.0/16`,
    availabilityZones: ['ap-northeast-2a', 'ap-northeast-2c'],
    publicSubnetCidrs: [`${net}.1.0/24`, `${net}.2.0/24`],
    privateSubnetCidrs: [`${net}.32.0/20`, `${net}.48.0/20`],
    databaseSubnetCidrs: [`${net}.21.0/24`, `${net}.22.0/24`],
    ...settings,
  };
}

/**
 * WAF of the non-production environments: the shipped defaults, enforced (`block`) so the rules are
 * exercised before prod. The login paths are the API gateway's (`backend`) login routes, with and without
 * the `/api` prefix; keep them in step with its router.
 */
const NON_PROD_WAF: WafSettings = {
  frontendIpRateLimit: 2000,
  apiIpRateLimit: 2000,
  apiClientRateLimit: 1000,
  loginPaths: ['/api/auth/login', '/auth/login'],
  loginRateLimit: 100,
  rateLimitAction: 'block',
  logRetentionDays: 30,
};

/**
 * EKS add-on versions for Kubernetes 1.35, the same in every environment (a bump is rehearsed in dev by
 * giving dev its own copy first). Where they come from, looked up 2026-12-01:
 * - vpc-cni, coredns, kube-proxy: the Amazon EKS User Guide's version tables for Kubernetes 1.35
 *   ("Amazon VPC CNI versions", "CoreDNS versions", "kube-proxy versions";
 *   docs.amazonaws.cn/eks/latest/userguide/managing-vpc-cni.md, managing-coredns.md, managing-kube-proxy.md).
 * - eks-pod-identity-agent, aws-ebs-csi-driver, metrics-server (no such table exists): the versions
 *   `aws eks describe-addon-versions --kubernetes-version 1.35 --region ap-northeast-2` flags
 *   `defaultVersion: true`, as quoted with that command in a public Terraform configuration measured on
 *   2026-08-04 (pod identity agent v1.3.10 is also the line a second public 1.35 configuration pins).
 * Before an upgrade, list what EKS publishes: docs/cluster.md, "Add-on versions".
 */
const EKS_1_35_ADDON_VERSIONS: ClusterSettings['addonVersions'] = {
  'vpc-cni': 'v1.21.1-eksbuild.7',
  'kube-proxy': 'v1.35.3-eksbuild.2',
  'eks-pod-identity-agent': 'v1.3.10-eksbuild.3',
  coredns: 'v1.13.2-eksbuild.4',
  'aws-ebs-csi-driver': 'v1.63.1-eksbuild.1',
  'metrics-server': 'v0.9.0-eksbuild.5',
};

/**
 * Helm charts of the argocd stack, the same in every environment (a chart upgrade is rehearsed in dev and
 * staging by the same reviewed change). Versions are exact; `../shared/reference/charts/` holds each one's
 * values file, which the tests check every values key against.
 */
const ARGOCD_CHARTS: ArgoCdCharts = {
  // Argo CD v3.4.4.
  argoCd: { repository: 'https://argoproj.github.io/argo-helm', chart: 'argo-cd', version: '10.1.1' },
  argocdApps: { repository: 'https://argoproj.github.io/argo-helm', chart: 'argocd-apps', version: '2.0.5' },
  // Controller 0.36.6.
  sealedSecrets: { repository: 'https://bitnami-labs.github.io/sealed-secrets', chart: 'sealed-secrets', version: '2.18.5' },
  // Controller v3.5.0.
  awsLoadBalancerController: { repository: 'https://aws.github.io/eks-charts', chart: 'aws-load-balancer-controller', version: '3.5.0' },
  externalDns: { repository: 'https://kubernetes-sigs.github.io/external-dns', chart: 'external-dns', version: '1.21.1' },
  // Cluster Autoscaler 1.35.0: its minor must match the cluster's Kubernetes minor (cluster.kubernetesVersion).
  clusterAutoscaler: { repository: 'https://kubernetes.github.io/autoscaler', chart: 'cluster-autoscaler', version: '9.59.0' },
};

/**
 * kube-prometheus-stack 88.5.3 (Prometheus Operator v0.93.1; subcharts grafana 12.11.1, kube-state-metrics
 * 8.4.0, prometheus-node-exporter 4.56.1), the same in every environment. `../shared/reference/charts/` holds
 * its values file, which the tests check every values key against.
 */
const KUBE_PROMETHEUS_STACK: HelmChartSettings = { repository: 'https://prometheus-community.github.io/helm-charts', chart: 'kube-prometheus-stack', version: '88.5.3' };

/** What every environment's observability section shares; each environment overrides what differs. */
function observabilitySettings(env: EnvironmentName, overrides: Pick<ObservabilitySettings, 'grafanaHostname' | 'prometheus' | 'alertmanager' | 'alarms' | 'containerLogRetentionDays'> & Partial<ObservabilitySettings>): ObservabilitySettings {
  return {
    chart: KUBE_PROMETHEUS_STACK,
    slackChannel: `tiketi-alerts-${env}`,
    paging: false,
    alarmEmails: [`platform-alerts+${env}@tiketi.com`],
    // Fluent Bit 4.0 added EKS Pod Identity credentials to its AWS client (fluent/fluent-bit#10115).
    fluentBitImage: 'cr.fluentbit.io/fluent/fluent-bit:5.1.1',
    ...overrides,
  };
}

/** What every environment's argocd section shares; each environment overrides what differs. */
function argocdSettings(env: EnvironmentName, overrides: Partial<ArgoCdSettings> & Pick<ArgoCdSettings, 'hostname' | 'kubernetesApi'>): ArgoCdSettings {
  return {
    charts: ARGOCD_CHARTS,
    highAvailability: false,
    replicas: { server: 1, repoServer: 1, applicationSet: 1, awsLoadBalancerController: 2 },
    // Argo CD's UI sits behind SSO (no local admin) and the regional WAF. GitHub's webhook deliveries come
    // from its published "hooks" ranges, so a narrower list must keep them for push-to-sync (or rely on the
    // 3-minute poll).
    inboundCidrs: ['0.0.0.0/0'],
    githubOrganization: 'tiketi',
    adminGroup: 'tiketi:platform-admins',
    notificationChannel: 'tiketi-deployments',
    repositorySecretName: 'tiketi-platform-repository',
    secrets: {
      sealingKey: `tiketi/${env}/sealed-secrets-key`,
      repositoryDeployKey: `tiketi/${env}/argocd/repository-deploy-key`,
      githubWebhook: `tiketi/${env}/argocd/github-webhook-secret`,
      slackToken: `tiketi/${env}/argocd/slack-token`,
      ssoClient: `tiketi/${env}/argocd/sso-client`,
    },
    externalDnsPolicy: 'sync',
    workloadsUseAwsData: true,
    applicationDatabaseUser: 'tiketi',
    ...overrides,
  };
}

export const ENVIRONMENTS: Readonly<Record<EnvironmentName, EnvironmentSettings>> = {
  dev: {
    name: 'dev',
    region: REGION,
    network: networkOf(10, { natGateways: 'single', flowLogRetentionDays: 30, interfaceEndpoints: false }),
    data: {
      // Windows are UTC: 01:00-04:30 KST, the quietest hours for a Korean ticketing site. Non-prod is
      // maintained on Wednesdays, prod on Sundays, so a patch lands in dev/staging days before prod.
      postgres: {
        engineVersion: '17',
        instanceClass: 'db.t3.small',
        allocatedStorageGb: 20,
        maxAllocatedStorageGb: 50,
        multiAz: false,
        // 7 days costs nothing extra (backup storage up to the DB size is free) and meets FSBP RDS.11.
        backupRetentionDays: 7,
        backupWindow: '17:00-18:00',
        maintenanceWindow: 'wed:18:30-wed:19:30',
        // dev data is test data: it may be destroyed without a final snapshot.
        disposable: true,
        monitoring: false,
      },
      redis: {
        engineVersion: '8.1',
        nodeType: 'cache.t3.micro',
        nodeCount: 1,
        multiAz: false,
        snapshotRetentionDays: 1,
        snapshotWindow: '16:00-17:00',
        maintenanceWindow: 'wed:19:30-wed:20:30',
        disposable: true,
      },
      logRetentionDays: 30,
    },
    cluster: {
      kubernetesVersion: '1.35',
      addonVersions: EKS_1_35_ADDON_VERSIONS,
      publicAccessCidrs: [],
      adminRoles: [DEFAULT_HUMAN_ROLES.platformAdmin],
      readOnlyRoles: [DEFAULT_HUMAN_ROLES.developer],
      // minSize 3: dev schedules 49 pods at 3 nodes (6 DaemonSet pods on each node, 31 others: add-ons, the argocd
      // stack's controllers, monitoring, 5 services, the in-cluster databases, the migration Job), and a
      // t3.medium holds 17 (config/capacity.ts, `npm run az-check -- --env dev`). Two nodes offer 34 slots for 43
      // pods: 9 stay Pending, the cluster autoscaler among them, so the group would not even grow by itself.
      // The third node is about $38 a month (0.052 $/h × 730 h). Prefix delegation (free) was weighed: it lifts
      // the pod limit to 110 but makes the AMI reserve 11 MiB per possible pod (1,465 MiB of a 4 GiB node), so
      // two nodes would keep 178 MiB of memory spare, and dev would no longer run like staging and prod.
      nodeGroup: { instanceTypes: ['t3.medium'], minSize: 3, desiredSize: 3, maxSize: 4, diskSizeGb: 50 },
      logRetentionDays: 30,
      prefixDelegation: false,
    },
    edge: {
      zoneName: ZONE_NAME,
      frontendDomain: 'dev.tiketi.com',
      apiDomain: 'api-dev.tiketi.com',
      bucketSuffix: '',
      priceClass: 'PriceClass_200',
      paymentOrigins: [],
      waf: NON_PROD_WAF,
      accessLogRetentionDays: 30,
    },
    gitops: {
      branch: 'develop',
      autoSync: true,
      namespace: 'tiketi-dev',
      // The team's office/VPN egress ranges go here. Until then TEST-NET-3 (RFC 5737, routes nowhere) keeps
      // dev's API closed to the internet: closed by default, opened by a reviewed change.
      apiInboundCidrs: ['203.0.113.0/24'],
    },
    argocd: argocdSettings('dev', {
      hostname: 'argocd-dev.tiketi.com',
      // dev runs PostgreSQL and Redis in the cluster (gitops/components/in-cluster-data), which also
      // generates the tiketi-infrastructure ConfigMap: no bridge ConfigMap, no workload roles.
      workloadsUseAwsData: false,
      // The API is private: the providers go through `npm run api-tunnel -- --env dev` (one port per env,
      // so tunnels to several environments can be open at once).
      kubernetesApi: { mode: 'ssm-tunnel', localPort: 8443 },
    }),
    // Accepted policy findings (docs/policy.md). A missing reason or a stale entry fails synth.
    observability: observabilitySettings('dev', {
      grafanaHostname: 'grafana-dev.tiketi.com',
      // Lean: one Prometheus on an emptyDir (history is lost on a restart), two days kept.
      prometheus: { replicas: 1, retentionDays: 2, retentionSizeGb: 4, storageGb: 0, requests: { cpuMillis: 100, memoryMiB: 512 } },
      alertmanager: { replicas: 1, storageGb: 0 },
      // db.t3.small (2 GiB): max_connections = LEAST(DBInstanceClassMemory / 9531392, 5000) is about 190.
      alarms: { rdsMaxConnections: 150, albP99Seconds: 2 },
      containerLogRetentionDays: 14,
    }),
    policy: {
      exceptions: [
        { control: 'RDS.5', resource: 'data/aws_db_instance.postgres_instance_919E2690', reason: 'dev runs PostgreSQL in one AZ by settings (data.postgres.multiAz = false): test data, seed cost table; recovery is a point-in-time restore' },
        { control: 'RDS.6', resource: 'data/aws_db_instance.postgres_instance_919E2690', reason: 'dev has no enhanced monitoring by settings (data.postgres.monitoring = false); staging and prod have it' },
        { control: 'RDS.8', resource: 'data/aws_db_instance.postgres_instance_919E2690', reason: 'dev data is disposable by settings (data.postgres.disposable = true): no deletion protection, so dev can be torn down' },
        { control: 'ElastiCache.3', resource: 'data/aws_elasticache_replication_group.redis_replication-group_5BD9E6FB', reason: 'dev runs one Valkey node by settings (data.redis.nodeCount = 1): a cache of test data; failover needs two nodes' },
      ],
    },
    // dev is reported by `npm run az-check -- --env dev` but not required to survive an AZ (one NAT, one-AZ data).
    availability: { acceptedLosses: [] },
  },
  staging: {
    name: 'staging',
    region: REGION,
    network: networkOf(20, { natGateways: 'one-per-az', flowLogRetentionDays: 90, interfaceEndpoints: false }),
    data: {
      postgres: {
        engineVersion: '17',
        instanceClass: 'db.t3.medium',
        allocatedStorageGb: 50,
        maxAllocatedStorageGb: 200,
        // Single-AZ to halve the staging bill (seed cost table); flip to true to rehearse failovers.
        multiAz: false,
        backupRetentionDays: 7,
        backupWindow: '17:00-18:00',
        maintenanceWindow: 'wed:18:30-wed:19:30',
        disposable: false,
        monitoring: true,
      },
      redis: {
        engineVersion: '8.1',
        nodeType: 'cache.t3.small',
        nodeCount: 2,
        multiAz: true,
        snapshotRetentionDays: 3,
        snapshotWindow: '16:00-17:00',
        maintenanceWindow: 'wed:19:30-wed:20:30',
        disposable: false,
      },
      logRetentionDays: 90,
    },
    cluster: {
      kubernetesVersion: '1.35',
      addonVersions: EKS_1_35_ADDON_VERSIONS,
      publicAccessCidrs: [],
      adminRoles: [DEFAULT_HUMAN_ROLES.platformAdmin],
      readOnlyRoles: [DEFAULT_HUMAN_ROLES.developer],
      // minSize 4: at 3 t3.medium (51 pod slots) staging's 52 pods at their minimum replicas (HPA minimum 2 per
      // service, the migration Job of every sync included) leave one Pending, and losing the AZ of two of the
      // three nodes leaves one node (config/capacity.ts, `npm run az-check -- --env staging`). The fourth node is
      // about $38 a month (0.052 $/h × 730 h) and keeps two nodes in each AZ.
      nodeGroup: { instanceTypes: ['t3.medium'], minSize: 4, desiredSize: 4, maxSize: 6, diskSizeGb: 50 },
      logRetentionDays: 90,
      prefixDelegation: false,
    },
    edge: {
      zoneName: ZONE_NAME,
      frontendDomain: 'staging.tiketi.com',
      apiDomain: 'api-staging.tiketi.com',
      bucketSuffix: '',
      priceClass: 'PriceClass_200',
      paymentOrigins: [],
      waf: { ...NON_PROD_WAF, logRetentionDays: 90 },
      accessLogRetentionDays: 90,
    },
    gitops: { branch: 'staging', autoSync: true, namespace: 'tiketi-staging', apiInboundCidrs: ['0.0.0.0/0'] },
    argocd: argocdSettings('staging', { hostname: 'argocd-staging.tiketi.com', kubernetesApi: { mode: 'ssm-tunnel', localPort: 8444 } }),
    observability: observabilitySettings('staging', {
      grafanaHostname: 'grafana-staging.tiketi.com',
      prometheus: { replicas: 1, retentionDays: 7, retentionSizeGb: 15, storageGb: 20, requests: { cpuMillis: 200, memoryMiB: 1024 } },
      alertmanager: { replicas: 1, storageGb: 0 },
      // db.t3.medium (4 GiB): max_connections about 410.
      alarms: { rdsMaxConnections: 330, albP99Seconds: 1.5 },
      containerLogRetentionDays: 30,
    }),
    policy: {
      exceptions: [
        { control: 'RDS.5', resource: 'data/aws_db_instance.postgres_instance_919E2690', reason: 'staging runs PostgreSQL in one AZ by settings (data.postgres.multiAz = false) to halve its bill (seed cost table); recovery is a point-in-time restore' },
      ],
    },
    // Accepted AZ-loss outages (docs/az-and-capacity.md). A missing reason or a stale entry fails `npm run az-check`.
    availability: {
      acceptedLosses: [
        { tier: 'postgres', reason: 'staging runs PostgreSQL in one AZ by settings (data.postgres.multiAz = false, RDS.5 above): if its AZ is lost, staging waits for the AZ or restores to a point in time in the other AZ (docs/runbooks/losing-an-az.md)' },
        { tier: 'monitoring', reason: 'staging runs one Prometheus (observability.prometheus.replicas = 1) on a gp3 volume, which stays in its AZ: losing that AZ leaves staging without Prometheus metrics and alerts until the AZ returns; the CloudWatch alarms of the observability stack still fire' },
      ],
    },
  },
  prod: {
    name: 'prod',
    region: REGION,
    network: networkOf(30, { natGateways: 'one-per-az', flowLogRetentionDays: 365, interfaceEndpoints: true }),
    data: {
      postgres: {
        engineVersion: '17',
        instanceClass: 'db.t3.large',
        allocatedStorageGb: 100,
        maxAllocatedStorageGb: 500,
        multiAz: true,
        backupRetentionDays: 14,
        backupWindow: '17:00-18:00',
        maintenanceWindow: 'sun:18:30-sun:19:30',
        disposable: false,
        monitoring: true,
      },
      redis: {
        engineVersion: '8.1',
        nodeType: 'cache.r6g.large',
        nodeCount: 2,
        multiAz: true,
        snapshotRetentionDays: 7,
        snapshotWindow: '16:00-17:00',
        maintenanceWindow: 'sun:19:30-sun:20:30',
        disposable: false,
      },
      logRetentionDays: 365,
    },
    cluster: {
      kubernetesVersion: '1.35',
      addonVersions: EKS_1_35_ADDON_VERSIONS,
      publicAccessCidrs: [],
      adminRoles: [DEFAULT_HUMAN_ROLES.platformAdmin],
      readOnlyRoles: [DEFAULT_HUMAN_ROLES.developer],
      // maxSize 10: twice the seed's 5 nodes for an on-sale. At max size plus the 4-node upgrade surge, 14
      // t3.large claim 504 pod addresses; the two /20 private subnets offer 8,144 (config/capacity.ts), room
      // for prefix delegation too (14 × 129 = 1,806).
      nodeGroup: { instanceTypes: ['t3.large'], minSize: 5, desiredSize: 5, maxSize: 10, diskSizeGb: 80 },
      logRetentionDays: 365,
      prefixDelegation: false,
    },
    edge: {
      zoneName: ZONE_NAME,
      frontendDomain: 'tiketi.com',
      apiDomain: 'api.tiketi.com',
      bucketSuffix: '',
      priceClass: 'PriceClass_All',
      paymentOrigins: [],
      waf: {
        // Sized for an on-sale crowd behind one carrier-grade NAT address (docs/edge.md, "WAF"): ~200 buyers on
        // one address, each loading the site (~30 requests) and polling the API every few seconds.
        frontendIpRateLimit: 20_000,
        apiIpRateLimit: 20_000,
        // One signed-in client: 1,000 per 5 minutes is 3.3 requests/s sustained, above any human, below a bot.
        apiClientRateLimit: 1000,
        loginPaths: NON_PROD_WAF.loginPaths,
        // 500 logins per address per 5 minutes: a crowd logging in at the on-sale start, not a credential list.
        loginRateLimit: 500,
        // First window: count until an on-sale's metrics show the limits hold, then switch to 'block'.
        rateLimitAction: 'count',
        logRetentionDays: 365,
      },
      accessLogRetentionDays: 365,
    },
    gitops: { branch: 'main', autoSync: false, namespace: 'tiketi-prod', apiInboundCidrs: ['0.0.0.0/0'] },
    argocd: argocdSettings('prod', {
      hostname: 'argocd.tiketi.com',
      // HA per the Argo CD docs: redis-ha needs 3 nodes (hard anti-affinity); prod runs 5 or more.
      highAvailability: true,
      replicas: { server: 2, repoServer: 2, applicationSet: 2, awsLoadBalancerController: 2 },
      // Never delete a prod record because an Ingress disappeared for a moment.
      externalDnsPolicy: 'upsert-only',
      kubernetesApi: { mode: 'ssm-tunnel', localPort: 8445 },
    }),
    observability: observabilitySettings('prod', {
      grafanaHostname: 'grafana.tiketi.com',
      // HA pair on gp3, 15 days: at about 60k active series (10 nodes, 100 service pods) scraped every 30 s,
      // 2k samples/s at ~1.5 bytes each is ~0.3 GB a day, ~4.5 GB for 15 days; the 40 GB cap and the 50 GiB
      // volume leave room for a busier on-sale month, the WAL and compaction (docs/observability.md).
      prometheus: { replicas: 2, retentionDays: 15, retentionSizeGb: 40, storageGb: 50, requests: { cpuMillis: 500, memoryMiB: 2048 } },
      alertmanager: { replicas: 3, storageGb: 1 },
      paging: true,
      // The PagerDuty service's e-mail integration (AWS alarms page without a routing key in Terraform state).
      alarmEmails: ['platform-alerts+prod@tiketi.com', 'tiketi-prod-aws@tiketi.pagerduty.com'],
      // db.t3.large (8 GiB): max_connections about 830.
      alarms: { rdsMaxConnections: 660, albP99Seconds: 1 },
      containerLogRetentionDays: 90,
    }),
    policy: {
      exceptions: [],
    },
    // Accepted AZ-loss outages (docs/az-and-capacity.md). A missing reason or a stale entry fails `npm run az-check`.
    availability: {
      acceptedLosses: [],
    },
  },
};

/** The account-wide dns stack's settings. */
export const DNS: DnsSettings = { region: REGION, zoneName: ZONE_NAME };

/** The account-wide registry stack's settings. */
export const REGISTRY: RegistrySettings = {
  region: REGION,
  services: ['backend', 'auth-service', 'ticket-service', 'payment-service', 'stats-service'],
  // 30 dev builds back is weeks of develop history for a rollback of dev; rel-* images are never expired.
  keepDevImages: 30,
  untaggedExpiryDays: 3,
  // Each environment's applies run in its own GitHub environment (dev deploys without prod's reviewers).
  github: { owner: 'tiketi', repository: 'tiketi-platform', applyEnvironments: { dev: 'dev', staging: 'staging', prod: 'production' }, oidcProvider: 'create' },
  // Accepted policy findings of the account-wide stacks, registry and bootstrap (docs/policy.md): none.
  policy: { exceptions: [] },
};

/**
 * The account-wide billing stack's settings. The limit is the three environments' expected monthly spend
 * (seed cost table: dev ~$233, staging ~$333, prod ~$1,118, plus what the seed left out; docs/cost.md) with
 * headroom: a forecast above it means something grew that nobody planned.
 */
export const BILLING: BillingSettings = {
  region: REGION,
  monthlyLimitUsd: 2500,
  actualAlertPercents: [80, 100],
  forecastAlertPercents: [100],
  alertEmails: ['platform-billing@tiketi.com'],
};
