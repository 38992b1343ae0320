import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { StateBucket } from '../modules/state-bucket';
import { TiketiStack } from './tiketi-stack';

export interface BootstrapStackProps {
  readonly region: string;
  /** Name of the state bucket the other stacks' S3 backend will use (`TIKETI_STATE_BUCKET`). */
  readonly stateBucketName: string;
  /** Where this stack's own state file goes: it cannot live in the bucket it creates. */
  readonly localStateDir: string;
}

/** The S3 bucket for Terraform state. Its own state stays local (commit it nowhere; keep it safe). */
export class BootstrapStack extends TiketiStack {
  public readonly stateBucket: StateBucket;

  constructor(scope: Construct, props: BootstrapStackProps) {
    super(scope, 'bootstrap', { scopeName: 'account', region: props.region, backend: { kind: 'local', stateDir: props.localStateDir } });
    this.stateBucket = new StateBucket(this, 'state', { bucketName: props.stateBucketName });
    new TerraformOutput(this, 'state_bucket_name', { value: this.stateBucket.bucketName });
    new TerraformOutput(this, 'state_kms_key_arn', { value: this.stateBucket.kmsKeyArn });
  }
}
