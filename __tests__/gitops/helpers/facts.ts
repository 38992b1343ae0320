/**
 * Environment facts the gitops tests derive their expectations from (ARCHITECTURE.md, "Environments").
 * Nothing here is copied from rendered output: change a fact and the matching test must change with it.
 */
import * as path from 'path';
import { ENVIRONMENTS as PLATFORM_SETTINGS } from '../../../config/environments';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const GITOPS_DIR = path.join(REPO_ROOT, 'gitops');
export const REGION = 'ap-northeast-2';

export const SERVICES = ['backend', 'auth-service', 'ticket-service', 'payment-service', 'stats-service'] as const;
export type ServiceName = (typeof SERVICES)[number];

export const SECRET_NAME = 'tiketi-secrets';
export const SECRET_KEYS = ['DB_PASSWORD', 'JWT_SECRET', 'INTERNAL_API_TOKEN'];
export const BRIDGE_CONFIGMAP = 'tiketi-infrastructure';

export type EnvName = 'dev' | 'staging' | 'prod';

export interface EnvFacts {
  readonly branch: string;
  readonly namespace: string;
  readonly frontendDomain: string;
  readonly apiDomain: string;
  readonly autoSync: boolean;
  /**
   * Fixed replica count (no HPA), or the HPA range; `max: 'capacity'` = set from the node group's
   * capacity, checked by autoscaling.test.ts against the settings rather than a number here.
   */
  readonly replicas: { readonly fixed: number } | { readonly min: number; readonly max: number | 'capacity' };
  readonly pdbPerDeployment: boolean;
  /** Client CIDRs of the API ALB (settings gitops.apiInboundCidrs), from the bridge. */
  readonly apiInboundCidrs: readonly string[];
  /** PostgreSQL/Redis in the namespace and a generated bridge ConfigMap (no Terraform bridge). */
  readonly selfContained: boolean;
}

/** Branch, namespace, domains and sync mode come from the platform's one settings module. */
function fromSettings(env: EnvName): Pick<EnvFacts, 'branch' | 'namespace' | 'frontendDomain' | 'apiDomain' | 'autoSync' | 'apiInboundCidrs'> {
  const settings = PLATFORM_SETTINGS[env];
  return {
    branch: settings.gitops.branch,
    namespace: settings.gitops.namespace,
    frontendDomain: settings.edge.frontendDomain,
    apiDomain: settings.edge.apiDomain,
    autoSync: settings.gitops.autoSync,
    apiInboundCidrs: settings.gitops.apiInboundCidrs,
  };
}

export const ENVIRONMENTS: Record<EnvName, EnvFacts> = {
  dev: {
    ...fromSettings('dev'),
    replicas: { fixed: 1 },
    pdbPerDeployment: false,
    selfContained: true,
  },
  staging: {
    ...fromSettings('staging'),
    replicas: { min: 2, max: 5 },
    pdbPerDeployment: true,
    selfContained: false,
  },
  prod: {
    ...fromSettings('prod'),
    replicas: { min: 3, max: 'capacity' },
    pdbPerDeployment: true,
    selfContained: false,
  },
};

export const ENV_NAMES = Object.keys(ENVIRONMENTS) as EnvName[];

/**
 * Bridge annotation keys (docs/gitops-bridge.md), as the policy states them: underscores only, so
 * Go-template dot access reaches them and missingkey=error stops generation when one is missing.
 */
export const BRIDGE_ANNOTATIONS = ['tiketi_alb_inbound_cidrs', 'tiketi_alb_waf_acl_arn', 'tiketi_ecr_registry'] as const;
export const BRIDGE_LABEL = 'tiketi.com/environment';
export const ACCOUNT = '210987654321';

/** The Argo CD cluster secret the argocd stack would write for `env` (test fixture, docs/gitops-bridge.md). */
export function sampleCluster(env: EnvName) {
  return {
    name: 'in-cluster',
    server: 'https://kubernetes.default.svc',
    labels: { 'argocd.argoproj.io/secret-type': 'cluster', [BRIDGE_LABEL]: env } as Record<string, string>,
    annotations: {
      tiketi_ecr_registry: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`,
      tiketi_alb_waf_acl_arn: `arn:aws:wafv2:${REGION}:${ACCOUNT}:regional/webacl/tiketi-${env}-alb/0f3e1c2a-5b7d-4e9f-8a6b-1c2d3e4f5a6b`,
      tiketi_alb_inbound_cidrs: ENVIRONMENTS[env].apiInboundCidrs.join(','),
    } as Record<string, string>,
  };
}
