import { EnvironmentName, EnvironmentSettings, NetworkSettings, RegistrySettings } from './settings';

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
      publicAccessCidrs: [],
      adminRoleNames: ['tiketi-platform-admin'],
      readOnlyRoleNames: ['tiketi-developer'],
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
    // Accepted policy findings (docs/policy.md). A missing reason or a stale entry fails synth.
    policy: {
      exceptions: [
        { control: 'RDS.5', resource: 'data/aws_db_instance.postgres_instance_919E2690', reason: 'dev runs PostgreSQL in one AZ by settings (data.postgres.multiAz = false): test data, seed cost table; recovery is a point-in-time restore' },
        { control: 'RDS.6', resource: 'data/aws_db_instance.postgres_instance_919E2690', reason: 'dev has no enhanced monitoring by settings (data.postgres.monitoring = false); staging and prod have it' },
        { control: 'RDS.8', resource: 'data/aws_db_instance.postgres_instance_919E2690', reason: 'dev data is disposable by settings (data.postgres.disposable = true): no deletion protection, so dev can be torn down' },
        { control: 'ElastiCache.3', resource: 'data/aws_elasticache_replication_group.redis_replication-group_5BD9E6FB', reason: 'dev runs one Valkey node by settings (data.redis.nodeCount = 1): a cache of test data; failover needs two nodes' },
        { control: 'S3.12', resource: 'edge/aws_s3_bucket.frontend_logs_bucket_E821AA9B', reason: 'issue 9 minor (CloudFront access logs without bucket ACLs): standard logging grants awslogsdelivery FULL_CONTROL through the log bucket ACL' },
        { control: 'Tiketi.6', reason: 'boundary pending (issue 9 item 4)' },
      ],
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
      publicAccessCidrs: [],
      adminRoleNames: ['tiketi-platform-admin'],
      readOnlyRoleNames: ['tiketi-developer'],
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
    policy: {
      exceptions: [
        { control: 'RDS.5', resource: 'data/aws_db_instance.postgres_instance_919E2690', reason: 'staging runs PostgreSQL in one AZ by settings (data.postgres.multiAz = false) to halve its bill (seed cost table); recovery is a point-in-time restore' },
        { control: 'S3.12', resource: 'edge/aws_s3_bucket.frontend_logs_bucket_E821AA9B', reason: 'issue 9 minor (CloudFront access logs without bucket ACLs): standard logging grants awslogsdelivery FULL_CONTROL through the log bucket ACL' },
        { control: 'Tiketi.6', reason: 'boundary pending (issue 9 item 4)' },
        { control: 'Tiketi.2', resource: 'network/aws_kms_key.flow-log_kms_key_5B58FD06', reason: 'issue 9 item 8 (prevent_destroy on keys): the flow-log key is not in its list (RDS, Redis, EKS secrets, state) but must be protected with them' },
        { control: 'Tiketi.2', resource: 'cluster/aws_kms_key.eks_kms_key_1B08AED4', reason: 'issue 9 item 8: prevent_destroy on the key that encrypts the EKS secrets' },
        { control: 'Tiketi.2', resource: 'data/aws_kms_key.postgres_kms_key_D0A564BB', reason: 'issue 9 item 8: prevent_destroy on the key that encrypts PostgreSQL and its snapshots' },
        { control: 'Tiketi.2', resource: 'data/aws_kms_key.redis_kms_key_69E593A1', reason: 'issue 9 item 8: prevent_destroy on the key that encrypts Valkey and its snapshots' },
      ],
    },
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
      publicAccessCidrs: [],
      adminRoleNames: ['tiketi-platform-admin'],
      readOnlyRoleNames: ['tiketi-developer'],
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
    policy: {
      exceptions: [
        { control: 'S3.12', resource: 'edge/aws_s3_bucket.frontend_logs_bucket_E821AA9B', reason: 'issue 9 minor (CloudFront access logs without bucket ACLs): standard logging grants awslogsdelivery FULL_CONTROL through the log bucket ACL' },
        { control: 'Tiketi.6', reason: 'boundary pending (issue 9 item 4)' },
        { control: 'Tiketi.2', resource: 'network/aws_kms_key.flow-log_kms_key_5B58FD06', reason: 'issue 9 item 8 (prevent_destroy on keys): the flow-log key is not in its list (RDS, Redis, EKS secrets, state) but must be protected with them' },
        { control: 'Tiketi.2', resource: 'cluster/aws_kms_key.eks_kms_key_1B08AED4', reason: 'issue 9 item 8: prevent_destroy on the key that encrypts the EKS secrets' },
        { control: 'Tiketi.2', resource: 'data/aws_kms_key.postgres_kms_key_D0A564BB', reason: 'issue 9 item 8: prevent_destroy on the key that encrypts PostgreSQL and its snapshots' },
        { control: 'Tiketi.2', resource: 'data/aws_kms_key.redis_kms_key_69E593A1', reason: 'issue 9 item 8: prevent_destroy on the key that encrypts Valkey and its snapshots' },
      ],
    },
  },
};

/** The account-wide registry stack's settings. */
export const REGISTRY: RegistrySettings = {
  region: REGION,
  services: ['backend', 'auth-service', 'ticket-service', 'payment-service', 'stats-service'],
  keepImages: 10,
  untaggedExpiryDays: 3,
  github: { owner: 'tiketi', repository: 'tiketi-platform', applyEnvironment: 'production' },
  // Accepted policy findings of the account-wide stacks, registry and bootstrap (docs/policy.md).
  policy: {
    exceptions: [
      { control: 'S3.1', reason: 'account-level, no issue item yet (found by issue 13): no stack owns the account\'s S3 Block Public Access; add aws_s3_account_public_access_block to an account-wide stack' },
      { control: 'KMS.2', resource: 'registry/aws_iam_role_policy.ci-infra-apply_policy_7C6E8751', reason: 'issue 9 item 4 (what the CI apply role can reach): kms:* on Resource "*" lets it decrypt with every key; name arn:aws:kms:<region>:<account>:key/* instead' },
      { control: 'KMS.2', resource: 'registry/aws_iam_role_policy.ci-infra-plan_policy_E36B2639', reason: 'no issue item yet (found by issue 13): DecryptStateThroughS3 allows kms:Decrypt on Resource "*", kms:ViaService names no key; name the state key ARN' },
      { control: 'Tiketi.2', resource: 'registry/aws_kms_key.ecr-kms_key_06CDE918', reason: 'issue 9 item 8 (prevent_destroy on keys): the ECR image key is not in its list but every image depends on it' },
      { control: 'Tiketi.2', resource: 'bootstrap/aws_kms_key.state_kms_key_DEF7637F', reason: 'issue 9 item 8: prevent_destroy on the key that encrypts the Terraform state' },
    ],
  },
};
