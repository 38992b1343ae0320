import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamRole } from '@cdktf/provider-aws/lib/data-aws-iam-role';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { EksCluster as EksClusterResource } from '@cdktf/provider-aws/lib/eks-cluster';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';
import { parseRolePrincipal } from '../config/validation/iam';
import { KmsKey } from './kms-key';
import { permissionsBoundaryArn } from './private/permissions-boundary';

/** Control plane log types EKS can ship; all of them are on. */
export const CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

/**
 * EKS access policies an access entry can carry: cluster admin; read everything including Secrets (a
 * Helm plan reads its releases from Secrets); read everything but Secrets.
 */
export const CLUSTER_ACCESS_POLICIES = {
  'cluster-admin': 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
  'admin-view': 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy',
  view: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
} as const;
export type ClusterAccessPolicy = keyof typeof CLUSTER_ACCESS_POLICIES;

/** One IAM role's access to the whole cluster. */
export interface ClusterAccess {
  /**
   * A role of this account: its name, or its ARN (with its path, e.g. an IAM Identity Center role's
   * `/aws-reserved/sso.amazonaws.com/<region>/`).
   */
  readonly role: string;
  readonly policy: ClusterAccessPolicy;
}

export interface EksClusterProps {
  readonly clusterName: string;
  /** Pinned Kubernetes minor version, e.g. `1.35`. */
  readonly kubernetesVersion: string;
  /** Subnets of the control plane ENIs (the private subnets, one per AZ). */
  readonly subnetIds: string[];
  /** Days the control plane log group keeps records. */
  readonly logRetentionDays: number;
  /**
   * CIDRs that may reach the public API endpoint. The private endpoint is always on.
   * @default - none: the public endpoint is off and the API is reachable only from inside the VPC
   */
  readonly publicAccessCidrs?: readonly string[];
  /**
   * Access entries, one per role, each with a cluster-wide access policy. Each role is looked up at plan
   * time (`data "aws_iam_role"`), so a missing principal fails the plan instead of the apply after the
   * cluster's 10-15 minutes of creation; the entry uses the ARN IAM returns.
   * @default - none (the creator gets no implicit admin either, so pass at least one `cluster-admin`)
   */
  readonly access?: readonly ClusterAccess[];
  /**
   * `prevent_destroy` on the key that envelope-encrypts the Kubernetes Secrets and the control plane logs.
   * @default true - turn off only in disposable environments (dev)
   */
  readonly preventKeyDestroy?: boolean;
  /**
   * Permissions boundary of the cluster role.
   * @default - the account's `tiketi-boundary` policy (registry stack), looked up at plan time
   */
  readonly permissionsBoundary?: string;
}

/**
 * An EKS control plane in private subnets: secrets envelope-encrypted with a customer-managed key (rotation
 * on), every control plane log type in a KMS-encrypted log group with retention, private API endpoint,
 * access managed only through access entries (no aws-auth ConfigMap, no implicit creator admin), standard
 * support only (never billed for extended support), and an IAM OIDC provider for charts that need IRSA.
 */
export class EksCluster extends Construct {
  public readonly clusterName: string;
  public readonly clusterArn: string;
  public readonly endpoint: string;
  public readonly certificateAuthorityData: string;
  /** The security group EKS creates for the control plane; managed nodes use it too. */
  public readonly clusterSecurityGroupId: string;
  public readonly oidcProviderArn: string;
  public readonly oidcIssuerUrl: string;
  public readonly kmsKeyArn: string;
  public readonly logGroupName: string;
  /** Depend on this to wait until the cluster and its admin access exist. */
  public readonly cluster: EksClusterResource;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    const name = props.clusterName;
    const access = validateAccess(props.access ?? [], name);

    // One key for the Kubernetes Secrets envelope and the control plane logs (EKS.3).
    const key = new KmsKey(this, 'kms', {
      alias: `${name}-eks`,
      description: `Encrypts Kubernetes secrets and control plane logs of ${name}`,
      allowCloudWatchLogs: true,
      preventDestroy: props.preventKeyDestroy ?? true,
    });

    // EKS writes to this exact name; creating it first gives it retention and encryption (EKS.8).
    const logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: `/aws/eks/${name}/cluster`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: key.keyArn,
    });

    const role = new IamRole(this, 'role', {
      name: `${name}-cluster`,
      permissionsBoundary: props.permissionsBoundary ?? permissionsBoundaryArn(this),
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    });
    const policy = new IamRolePolicyAttachment(this, 'cluster-policy', { role: role.name, policyArn: 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy' });

    const publicCidrs = [...(props.publicAccessCidrs ?? [])];
    const cluster = new EksClusterResource(this, 'cluster', {
      name,
      version: props.kubernetesVersion,
      roleArn: role.arn,
      vpcConfig: {
        subnetIds: props.subnetIds,
        endpointPrivateAccess: true,
        // EKS.1: public only with an explicit allowlist; an empty list turns the public endpoint off.
        endpointPublicAccess: publicCidrs.length > 0,
        publicAccessCidrs: publicCidrs.length > 0 ? publicCidrs : undefined,
      },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: key.keyArn } },
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      // The add-ons are managed as EKS add-ons below; no self-managed defaults to adopt later.
      bootstrapSelfManagedAddons: false,
      // When 1.35 leaves standard support EKS upgrades the cluster instead of billing extended support (6×).
      upgradePolicy: { supportType: 'STANDARD' },
      dependsOn: [logGroup, policy],
    });

    const oidc = new IamOpenidConnectProvider(this, 'oidc-provider', {
      url: cluster.identity.get(0).oidc.get(0).issuer,
      clientIdList: ['sts.amazonaws.com'],
    });

    this.cluster = cluster;
    this.clusterName = cluster.name;
    this.clusterArn = cluster.arn;
    this.endpoint = cluster.endpoint;
    this.certificateAuthorityData = cluster.certificateAuthority.get(0).data;
    this.clusterSecurityGroupId = cluster.vpcConfig.clusterSecurityGroupId;
    this.oidcProviderArn = oidc.arn;
    this.oidcIssuerUrl = cluster.identity.get(0).oidc.get(0).issuer;
    this.kmsKeyArn = key.keyArn;
    this.logGroupName = logGroup.name;

    access.forEach(({ name: roleName, arn, policy }) => this.grantAccess(roleName, arn, policy));
  }

  /**
   * An access entry for the role `roleName` of this account (looked up at plan time) with an EKS access
   * policy over the whole cluster. With `expectedArn`, the plan also fails when the role found by that
   * name has another ARN (another path, or the ARN named another account).
   */
  public grantAccess(roleName: string, expectedArn: string | undefined, policy: ClusterAccessPolicy): void {
    const role = new DataAwsIamRole(this, `principal-${roleName}`, {
      name: roleName,
      lifecycle:
        expectedArn === undefined
          ? undefined
          : { postcondition: [{ condition: `\${self.arn == ${JSON.stringify(expectedArn)}}`, errorMessage: `The IAM role ${roleName} of this account is not ${expectedArn} (the access entry principal in the cluster settings).` }] },
    });
    const entry = new EksAccessEntry(this, `access-${roleName}`, { clusterName: this.clusterName, principalArn: role.arn, type: 'STANDARD' });
    new EksAccessPolicyAssociation(this, `access-policy-${roleName}`, {
      clusterName: this.clusterName,
      principalArn: entry.principalArn,
      policyArn: CLUSTER_ACCESS_POLICIES[policy],
      accessScope: { type: 'cluster' },
    });
  }
}

/** Parses every access role (names or ARNs, by IAM's rules) and refuses a role named twice. */
function validateAccess(access: readonly ClusterAccess[], clusterName: string): { name: string; arn?: string; policy: ClusterAccessPolicy }[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const parsed = access.flatMap((entry, i) => {
    const result = parseRolePrincipal(entry.role);
    if (!result.ok) {
      problems.push(`access[${i}].role got ${JSON.stringify(entry.role)}, expected ${result.allowed}`);
      return [];
    }
    const { name, arn } = result.principal;
    if (seen.has(name)) problems.push(`access[${i}].role got ${JSON.stringify(entry.role)}, a role named before (one access entry per principal)`);
    seen.add(name);
    return [{ name, arn, policy: entry.policy }];
  });
  if (problems.length > 0) throw new Error(`EksCluster ${clusterName}: ${problems.join('; ')}`);
  return parsed;
}
