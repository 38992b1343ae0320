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
  /** Fixed replica count (no HPA), or the HPA range. */
  readonly replicas: { readonly fixed: number } | { readonly min: number; readonly max: number };
  readonly pdbPerDeployment: boolean;
  readonly wafOnIngress: boolean;
  /** PostgreSQL/Redis in the namespace and a generated bridge ConfigMap (no Terraform bridge). */
  readonly selfContained: boolean;
  readonly plainSecretAllowed: boolean;
}

/** Branch, namespace, domains and sync mode come from the platform's one settings module. */
function fromSettings(env: EnvName): Pick<EnvFacts, 'branch' | 'namespace' | 'frontendDomain' | 'apiDomain' | 'autoSync'> {
  const settings = PLATFORM_SETTINGS[env];
  return {
    branch: settings.gitops.branch,
    namespace: settings.gitops.namespace,
    frontendDomain: settings.edge.frontendDomain,
    apiDomain: settings.edge.apiDomain,
    autoSync: settings.gitops.autoSync,
  };
}

export const ENVIRONMENTS: Record<EnvName, EnvFacts> = {
  dev: {
    ...fromSettings('dev'),
    replicas: { fixed: 1 },
    pdbPerDeployment: false,
    wafOnIngress: false,
    selfContained: true,
    plainSecretAllowed: true,
  },
  staging: {
    ...fromSettings('staging'),
    replicas: { min: 2, max: 3 },
    pdbPerDeployment: false,
    wafOnIngress: false,
    selfContained: false,
    plainSecretAllowed: false,
  },
  prod: {
    ...fromSettings('prod'),
    replicas: { min: 3, max: 5 },
    pdbPerDeployment: true,
    wafOnIngress: true,
    selfContained: false,
    plainSecretAllowed: false,
  },
};

export const ENV_NAMES = Object.keys(ENVIRONMENTS) as EnvName[];

/** What the argocd stack would put on the Argo CD cluster secret (test fixture, docs/gitops-bridge.md). */
export const SAMPLE_CLUSTER = {
  name: 'in-cluster',
  server: 'https://kubernetes.default.svc',
  annotations: {
    'tiketi.com/ecr-registry': `210987654321.dkr.ecr.${REGION}.amazonaws.com`,
    'tiketi.com/alb-waf-acl-arn': `arn:aws:wafv2:${REGION}:210987654321:regional/webacl/tiketi-prod-alb/0f3e1c2a-5b7d-4e9f-8a6b-1c2d3e4f5a6b`,
  } as Record<string, string>,
};
