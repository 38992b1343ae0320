import * as path from 'path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { BackendSettings } from '../config/backend';

/** Stack IDs are the same in every environment (`cdktf deploy network cluster`). */
export type StackId = 'bootstrap' | 'dns' | 'network' | 'data' | 'cluster' | 'edge' | 'argocd' | 'observability' | 'registry' | 'billing';

export interface TiketiStackProps {
  /** Environment name in names, tags and state keys; `account` for account-wide stacks. */
  readonly scopeName: string;
  readonly region: string;
  readonly backend: BackendSettings;
}

/**
 * A stack with the AWS provider (default tags on everything it creates) and the state backend
 * chosen in `config/backend.ts`. Its `qualifiedName` (`tiketi-<env>-<stack>`) names the state.
 */
export class TiketiStack extends TerraformStack {
  /** `tiketi-<env>-<stack>`: the Terraform Cloud workspace name and the prefix of resource names. */
  public readonly qualifiedName: string;
  /** `tiketi-<env>`: the prefix of resource names. */
  public readonly namePrefix: string;
  public readonly provider: AwsProvider;

  constructor(scope: Construct, id: StackId, props: TiketiStackProps) {
    super(scope, id);
    this.namePrefix = `tiketi-${props.scopeName}`;
    this.qualifiedName = `${this.namePrefix}-${id}`;
    this.provider = new AwsProvider(this, 'aws', {
      region: props.region,
      defaultTags: [{ tags: defaultTags(props.scopeName, id) }],
    });
    configureBackend(this, props.backend, props.scopeName, id);
  }
}

export function defaultTags(scopeName: string, stackId: string): Record<string, string> {
  return { Project: 'tiketi', Environment: scopeName, Stack: stackId, ManagedBy: 'cdktf' };
}

/** Sets the stack's backend; cross-stack references then read state through the same kind of backend. */
export function configureBackend(stack: TerraformStack, backend: BackendSettings, scopeName: string, stackId: string): void {
  switch (backend.kind) {
    case 'local':
      new LocalBackend(stack, { path: path.join(backend.stateDir, scopeName, `${stackId}.tfstate`) });
      return;
    case 's3':
      const s3 = new S3Backend(stack, {
        bucket: backend.bucket,
        key: `tiketi/${scopeName}/${stackId}.tfstate`,
        region: backend.region,
        encrypt: true,
        kmsKeyId: backend.kmsKeyId,
      });
      // S3-native locking (Terraform >= 1.10), so no DynamoDB lock table; cdktf 0.21 has no typed prop for it.
      s3.addOverride('use_lockfile', true);
      return;
    case 'cloud':
      new CloudBackend(stack, {
        organization: backend.organization,
        hostname: backend.hostname,
        workspaces: new NamedCloudWorkspace(`tiketi-${scopeName}-${stackId}`),
      });
      return;
  }
}
