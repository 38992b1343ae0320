import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { permissionsBoundaryArn } from './private/permissions-boundary';

export interface PodIdentityRoleProps {
  /** IAM role name, e.g. `tiketi-prod-aws-load-balancer-controller`. */
  readonly roleName: string;
  readonly clusterName: string;
  /** The only namespace whose pods may use the role. */
  readonly namespace: string;
  /** The only service account whose pods may use the role. */
  readonly serviceAccount: string;
  /**
   * Inline identity policy (a `JSON.stringify`-ed document).
   * @default - none
   */
  readonly policy?: string;
  /**
   * AWS-managed policies to attach, for controllers whose upstream policy AWS maintains (EBS CSI, VPC CNI).
   * @default - none
   */
  readonly managedPolicyArns?: readonly string[];
  /**
   * Create the `aws_eks_pod_identity_association`. Off for EKS add-ons, which create their own through
   * the add-on's `pod_identity_association` block.
   * @default true
   */
  readonly createAssociation?: boolean;
  /** Resources that must exist before the association (e.g. the cluster). @default - none */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * Permissions boundary of the role.
   * @default - the account's `tiketi-boundary` policy (registry stack), looked up at plan time
   */
  readonly permissionsBoundary?: string;
}

/**
 * An IAM role for one Kubernetes service account through EKS Pod Identity. The trust policy admits only
 * the EKS Pod Identity service principal, and only with the session tags it sets for this account,
 * cluster, namespace and service account, so no other association in the account can borrow the role.
 */
export class PodIdentityRole extends Construct {
  public readonly roleArn: string;
  public readonly roleName: string;
  public readonly namespace: string;
  public readonly serviceAccount: string;

  constructor(scope: Construct, id: string, props: PodIdentityRoleProps) {
    super(scope, id);
    const account = new DataAwsCallerIdentity(this, 'account');
    const role = new IamRole(this, 'role', {
      name: props.roleName,
      permissionsBoundary: props.permissionsBoundary ?? permissionsBoundaryArn(this),
      assumeRolePolicy: JSON.stringify(podIdentityTrustPolicy(account.accountId, props.clusterName, props.namespace, props.serviceAccount)),
    });
    if (props.policy !== undefined) new IamRolePolicy(this, 'policy', { role: role.id, name: 'least-privilege', policy: props.policy });
    (props.managedPolicyArns ?? []).forEach(
      (arn, i) => new IamRolePolicyAttachment(this, `managed-${i}`, { role: role.name, policyArn: arn }),
    );
    if (props.createAssociation ?? true) {
      new EksPodIdentityAssociation(this, 'association', {
        clusterName: props.clusterName,
        namespace: props.namespace,
        serviceAccount: props.serviceAccount,
        roleArn: role.arn,
        dependsOn: props.dependsOn,
      });
    }
    this.roleArn = role.arn;
    this.roleName = role.name;
    this.namespace = props.namespace;
    this.serviceAccount = props.serviceAccount;
  }
}

/** The Pod Identity trust policy, scoped by the session tags EKS sets (EKS user guide, "pod-id-role"). */
export function podIdentityTrustPolicy(accountId: string, clusterName: string, namespace: string, serviceAccount: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'EksPodIdentityForOneServiceAccount',
        Effect: 'Allow',
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: {
          StringEquals: {
            'aws:SourceAccount': accountId,
            'aws:RequestTag/eks-cluster-name': clusterName,
            'aws:RequestTag/kubernetes-namespace': namespace,
            'aws:RequestTag/kubernetes-service-account': serviceAccount,
          },
        },
      },
    ],
  };
}
