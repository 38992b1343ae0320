import * as path from 'path';
import { App } from 'cdktf';
import { BackendSettings } from '../config/backend';
import { EnvironmentSettings } from '../config/settings';
import { BootstrapStack } from './bootstrap-stack';
import { NetworkStack } from './network-stack';

/** Default name of the Terraform state bucket; `TIKETI_STATE_BUCKET` overrides it (names are global). */
export const DEFAULT_STATE_BUCKET = 'tiketi-terraform-state';

export interface TiketiAppProps {
  readonly env: EnvironmentSettings;
  readonly backend: BackendSettings;
  /** Directory that holds local state (bootstrap always, every stack with the local backend). */
  readonly projectDir: string;
  readonly stateBucketName?: string;
}

export interface TiketiStacks {
  readonly bootstrap: BootstrapStack;
  readonly network: NetworkStack;
}

/** Builds every stack of one environment into `app`: the one place where stacks are wired together. */
export function addTiketiStacks(app: App, props: TiketiAppProps): TiketiStacks {
  const { env, backend } = props;
  const bootstrap = new BootstrapStack(app, {
    region: env.region,
    stateBucketName: props.stateBucketName ?? DEFAULT_STATE_BUCKET,
    localStateDir: path.join(props.projectDir, 'terraform.state'),
  });
  const network = new NetworkStack(app, { env, backend });
  return { bootstrap, network };
}
