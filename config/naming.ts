import { EnvironmentName } from './settings';

/** The EKS cluster of an environment. The network stack tags subnets with it before the cluster exists. */
export function clusterName(env: EnvironmentName): string {
  return `tiketi-${env}`;
}

/** What the frontend pipeline reads from SSM Parameter Store (docs/platform-contracts.md). */
export const FRONTEND_PIPELINE_PARAMETERS = ['bucket', 'distribution-id', 'api-url'] as const;
export type FrontendPipelineParameter = (typeof FRONTEND_PIPELINE_PARAMETERS)[number];

/**
 * `/tiketi/<env>/frontend/<parameter>`: written by the edge stack, read by the frontend deploy workflow (its CI
 * role may `ssm:GetParameter` exactly these).
 */
export function frontendPipelineParameterName(env: EnvironmentName, parameter: FrontendPipelineParameter): string {
  return `/tiketi/${env}/frontend/${parameter}`;
}
