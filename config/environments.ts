import { ClusterSettings, DEFAULT_HUMAN_ROLES, EnvironmentName, EnvironmentSettings, NetworkSettings, RegistrySettings } from './settings';

/**
 * The one place where environment settings live. Sizes follow the seed's cost table
 * (`shared/seed/ARGOCD_IMPLEMENTATION_ROADMAP.md`); every value is checked by `validate.ts`.
 */

export const REGION = 'ap-northeast-2';

/** The seed's VPC: two AZs, a /24 per tier and AZ. Environments share it (they live in separate accounts or VPCs). */
const SEED_NETWORK: NetworkSettings = {
  vpcCidr: '10.0.0.0/16',
  availabilityZones: ['ap-northeast-2a', 'ap-northeast-2c'],
  publicSubnetCidrs: ['10.0.1.0/24', '10.0.2.0/24'],
  privateSubnetCidrs: ['10.0.11.0/24', '10.0.12.0/24'],
  databaseSubnetCidrs: ['10.0.21.0/24', '10.0.22.0/24'],
  natGateways: 'single',
  flowLogRetentionDays: 30,
  interfaceEndpoints: false,
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

export const ENVIRONMENTS: Readonly<Record<EnvironmentName, EnvironmentSettings>> = {
  dev: {
    name: 'dev',
    region: REGION,
    network: SEED_NETWORK,
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
      nodeGroup: { instanceTypes: ['t3.medium'], minSize: 2, desiredSize: 2, maxSize: 4, diskSizeGb: 50 },
      logRetentionDays: 30,
      prefixDelegation: false,
    },
    edge: {
      zoneName: 'tiketi.com',
      createZone: false,
      frontendDomain: 'dev.tiketi.com',
      apiDomain: 'api-dev.tiketi.com',
      bucketSuffix: '',
      priceClass: 'PriceClass_200',
      wafRateLimit: 2000,
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
  },
  staging: {
    name: 'staging',
    region: REGION,
    network: { ...SEED_NETWORK, natGateways: 'one-per-az', flowLogRetentionDays: 90 },
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
      nodeGroup: { instanceTypes: ['t3.medium'], minSize: 3, desiredSize: 3, maxSize: 6, diskSizeGb: 50 },
      logRetentionDays: 90,
      prefixDelegation: false,
    },
    edge: {
      zoneName: 'tiketi.com',
      createZone: false,
      frontendDomain: 'staging.tiketi.com',
      apiDomain: 'api-staging.tiketi.com',
      bucketSuffix: '',
      priceClass: 'PriceClass_200',
      wafRateLimit: 2000,
      accessLogRetentionDays: 90,
    },
    gitops: { branch: 'staging', autoSync: true, namespace: 'tiketi-staging', apiInboundCidrs: ['0.0.0.0/0'] },
  },
  prod: {
    name: 'prod',
    region: REGION,
    network: { ...SEED_NETWORK, natGateways: 'one-per-az', flowLogRetentionDays: 365, interfaceEndpoints: true },
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
      // maxSize 8: at 10 (plus the 4-node upgrade surge) t3.large pods would need 504 addresses and the
      // seed's /24 private subnets offer 466 (config/capacity.ts). Prefix delegation stays off: it claims
      // a /28 per 16 pods (~129 addresses per t3.large), which these subnets cannot carry.
      nodeGroup: { instanceTypes: ['t3.large'], minSize: 5, desiredSize: 5, maxSize: 8, diskSizeGb: 80 },
      logRetentionDays: 365,
      prefixDelegation: false,
    },
    edge: {
      zoneName: 'tiketi.com',
      createZone: true,
      frontendDomain: 'tiketi.com',
      apiDomain: 'api.tiketi.com',
      bucketSuffix: '',
      priceClass: 'PriceClass_All',
      wafRateLimit: 2000,
      accessLogRetentionDays: 365,
    },
    gitops: { branch: 'main', autoSync: false, namespace: 'tiketi-prod', apiInboundCidrs: ['0.0.0.0/0'] },
  },
};

/** The account-wide registry stack's settings. */
export const REGISTRY: RegistrySettings = {
  region: REGION,
  services: ['backend', 'auth-service', 'ticket-service', 'payment-service', 'stats-service'],
  // 30 dev builds back is weeks of develop history for a rollback of dev; rel-* images are never expired.
  keepDevImages: 30,
  untaggedExpiryDays: 3,
  github: { owner: 'tiketi', repository: 'tiketi-platform', applyEnvironment: 'production', oidcProvider: 'create' },
};
