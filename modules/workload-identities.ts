import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { Construct } from 'constructs';
import { PodIdentityRole } from './pod-identity-role';

export interface WorkloadIdentitiesProps {
  readonly namePrefix: string;
  readonly clusterName: string;
  /** Namespace of the services (`tiketi-<env>`). */
  readonly namespace: string;
  /** Service accounts of the services (one per service, named like it). */
  readonly services: readonly string[];
  readonly region: string;
  readonly accountId: string;
  /** RDS `resource_id` (`db-...`) of the PostgreSQL instance: the `rds-db:connect` resource. */
  readonly databaseResourceId: string;
  /** PostgreSQL user the services connect as with IAM authentication. */
  readonly databaseUser: string;
  /** The data stack's managed policy for `elasticache:Connect` as the application user. */
  readonly redisConnectPolicyArn: string;
  /** The RDS-managed master secret and its KMS key, read by the migration Job only. */
  readonly masterSecretArn: string;
  readonly masterSecretKmsKeyArn: string;
  /** Service account of the migration Job (gitops/components/db-migration). @default 'db-migration' */
  readonly migrationServiceAccount?: string;
}

/**
 * IAM roles for the Tiketi services through EKS Pod Identity, each bound to one service account in the
 * environment's namespace: IAM authentication to PostgreSQL (`rds-db:connect` as the application user) and
 * to Valkey (the data stack's connect policy). The migration Job's role connects to PostgreSQL and reads the
 * RDS-managed master secret (it creates the application user); it gets no Valkey access. Nothing else.
 */
export class WorkloadIdentities extends Construct {
  public readonly roles: PodIdentityRole[];
  /** Pods get credentials only if their association exists when they are created: depend on these. */
  public readonly associations: EksPodIdentityAssociation[];

  constructor(scope: Construct, id: string, props: WorkloadIdentitiesProps) {
    super(scope, id);
    const dbConnect = {
      Sid: 'ConnectToPostgresAsTheApplicationUser',
      Effect: 'Allow',
      Action: 'rds-db:connect',
      Resource: `arn:aws:rds-db:${props.region}:${props.accountId}:dbuser:${props.databaseResourceId}/${props.databaseUser}`,
    };
    const role = (serviceAccount: string, statements: object[], managedPolicyArns: string[]) =>
      new PodIdentityRole(this, serviceAccount, {
        roleName: `${props.namePrefix}-app-${serviceAccount}`,
        clusterName: props.clusterName,
        namespace: props.namespace,
        serviceAccount,
        policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
        managedPolicyArns,
      });
    const migration = props.migrationServiceAccount ?? 'db-migration';
    this.roles = [
      ...props.services.map((service) => role(service, [dbConnect], [props.redisConnectPolicyArn])),
      role(migration, [
        dbConnect,
        { Sid: 'ReadTheMasterSecret', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: props.masterSecretArn },
        {
          Sid: 'DecryptTheMasterSecret',
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: props.masterSecretKmsKeyArn,
          Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${props.region}.amazonaws.com` } },
        },
      ], []),
    ];
    this.associations = this.roles.map((r) => r.node.findChild('association') as EksPodIdentityAssociation);
  }
}
