import { EnvironmentName } from './settings';

/** The EKS cluster of an environment. The network stack tags subnets with it before the cluster exists. */
export function clusterName(env: EnvironmentName): string {
  return `tiketi-${env}`;
}
