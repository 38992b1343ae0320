/**
 * dev, staging and prod share one AWS account and region: every name AWS keeps unique per account (or per
 * account and region) must carry the environment, or two environments collide, and the CI apply roles,
 * which are scoped by name (`tiketi-<env>-*`, `alias/tiketi-<env>-*`, `tiketi/<env>/*`, `/tiketi/<env>/*`),
 * could not tell them apart. This synthesizes all three environments and checks, for every resource of the
 * per-environment stacks:
 * - its type is classified here: named (with the attribute holding its name) or not named by us;
 * - each name is literal, carries `tiketi` and the environment as a segment, with the prefix the CI roles
 *   expect where they scope by name;
 * - no name repeats within an environment or across environments;
 * - the names of the load balancers the controller creates from the GitOps overlays do the same.
 */
import * as path from 'path';
import { parse } from 'yaml';
import { kustomize } from '../gitops/helpers/manifests';
import { ALL_ENVIRONMENTS, synthApp, TerraformJson } from '../support/synth';

type Env = (typeof ALL_ENVIRONMENTS)[number];

/** The per-environment stacks; the account-wide ones (registry, dns, bootstrap, billing) are the same in every synth. */
const ENVIRONMENT_STACKS = ['network', 'cluster', 'data', 'edge', 'argocd', 'observability'];
const ACCOUNT_STACKS = ['bootstrap', 'billing', 'dns', 'registry'];

/**
 * Types whose name is unique per account (IAM, S3) or per account and region (everything else here): the
 * attribute that holds it, and the prefix it must start with where a CI role scopes the type by name.
 */
const NAMED: Record<string, { attribute: string; prefix?: (env: Env) => string }> = {
  aws_iam_role: { attribute: 'name', prefix: (env) => `tiketi-${env}-` },
  aws_iam_policy: { attribute: 'name', prefix: (env) => `tiketi-${env}-` },
  aws_iam_instance_profile: { attribute: 'name', prefix: (env) => `tiketi-${env}-` },
  aws_kms_alias: { attribute: 'name', prefix: (env) => `alias/tiketi-${env}-` },
  aws_secretsmanager_secret: { attribute: 'name', prefix: (env) => `tiketi/${env}/` },
  aws_ssm_parameter: { attribute: 'name', prefix: (env) => `/tiketi/${env}/` },
  aws_cloudfront_function: { attribute: 'name', prefix: (env) => `tiketi-${env}-` },
  aws_s3_bucket: { attribute: 'bucket', prefix: (env) => `tiketi-frontend-${env}` },
  aws_cloudwatch_log_group: { attribute: 'name' },
  aws_security_group: { attribute: 'name', prefix: (env) => `tiketi-${env}-` },
  aws_eks_cluster: { attribute: 'name', prefix: (env) => `tiketi-${env}` },
  aws_eks_node_group: { attribute: 'node_group_name', prefix: (env) => `tiketi-${env}-` },
  aws_launch_template: { attribute: 'name', prefix: (env) => `tiketi-${env}-` },
  aws_autoscaling_group: { attribute: 'name', prefix: (env) => `tiketi-${env}-` },
  aws_db_instance: { attribute: 'identifier', prefix: (env) => `tiketi-${env}-` },
  aws_db_parameter_group: { attribute: 'name_prefix', prefix: (env) => `tiketi-${env}-` },
  aws_db_subnet_group: { attribute: 'name', prefix: (env) => `tiketi-${env}-` },
  aws_db_event_subscription: { attribute: 'name', prefix: (env) => `tiketi-${env}-` },
  aws_elasticache_replication_group: { attribute: 'replication_group_id', prefix: (env) => `tiketi-${env}-` },
  aws_elasticache_subnet_group: { attribute: 'name', prefix: (env) => `tiketi-${env}-` },
  aws_elasticache_user: { attribute: 'user_id', prefix: (env) => `tiketi-${env}-` },
  aws_elasticache_user_group: { attribute: 'user_group_id', prefix: (env) => `tiketi-${env}-` },
  aws_sns_topic: { attribute: 'name', prefix: (env) => `tiketi-${env}-` },
  aws_cloudwatch_metric_alarm: { attribute: 'alarm_name', prefix: (env) => `tiketi-${env}-` },
  aws_wafv2_web_acl: { attribute: 'name', prefix: (env) => `tiketi-${env}-` },
  aws_cloudfront_cache_policy: { attribute: 'name', prefix: (env) => `tiketi-${env}-` },
  aws_cloudfront_origin_access_control: { attribute: 'name', prefix: (env) => `tiketi-${env}-` },
  aws_cloudfront_response_headers_policy: { attribute: 'name', prefix: (env) => `tiketi-${env}-` },
  aws_cloudwatch_log_delivery_source: { attribute: 'name', prefix: (env) => `tiketi-${env}-` },
  aws_cloudwatch_log_delivery_destination: { attribute: 'name', prefix: (env) => `tiketi-${env}-` },
  aws_cloudwatch_log_resource_policy: { attribute: 'policy_name', prefix: (env) => `tiketi-${env}-` },
};

/** Types with no account-wide name of ours: AWS assigns an ID, the name lives inside a parent, or it is not AWS. */
const NOT_NAMED_BY_US = [
  // AWS assigns the ID
  'aws_kms_key', 'aws_vpc', 'aws_subnet', 'aws_internet_gateway', 'aws_eip', 'aws_nat_gateway', 'aws_route_table', 'aws_vpc_endpoint', 'aws_flow_log',
  'aws_default_security_group', 'aws_vpc_security_group_ingress_rule', 'aws_instance', 'aws_cloudfront_distribution', 'aws_acm_certificate',
  'aws_iam_openid_connect_provider', 'aws_cloudwatch_log_delivery', 'aws_sns_topic_subscription',
  // attached to or inside a named parent
  'aws_iam_role_policy', 'aws_iam_role_policy_attachment', 'aws_route', 'aws_route_table_association', 'aws_eks_addon', 'aws_eks_access_entry',
  'aws_eks_access_policy_association', 'aws_eks_pod_identity_association', 'aws_sns_topic_policy', 'aws_acm_certificate_validation', 'aws_route53_record',
  'aws_wafv2_web_acl_logging_configuration', 'aws_s3_bucket_lifecycle_configuration', 'aws_s3_bucket_ownership_controls', 'aws_s3_bucket_policy',
  'aws_s3_bucket_public_access_block', 'aws_s3_bucket_server_side_encryption_configuration', 'aws_s3_bucket_versioning',
  // not AWS: inside the environment's own cluster, or Terraform's
  'helm_release', 'kubernetes_namespace_v1', 'kubernetes_secret_v1', 'kubernetes_config_map_v1', 'kubernetes_storage_class_v1', 'terraform_data',
];

interface Named {
  readonly env: Env;
  readonly stack: string;
  readonly type: string;
  readonly id: string;
  readonly name: unknown;
  /** The region of the resource's provider: names unique per region may repeat across regions, not within one. */
  readonly region: string;
}

function namesOf(env: Env): { named: Named[]; types: string[] } {
  const app = synthApp(env);
  const named: Named[] = [];
  const types: string[] = [];
  for (const stack of ENVIRONMENT_STACKS) {
    const json: TerraformJson = app.json(stack);
    const regions = new Map<string, string>((json.provider?.aws ?? []).map((p: any) => [p.alias ? `aws.${p.alias}` : 'aws', p.region]));
    for (const [type, byId] of Object.entries<Record<string, any>>(json.resource ?? {})) {
      types.push(type);
      const spec = NAMED[type];
      if (!spec) continue;
      for (const [id, config] of Object.entries<any>(byId)) named.push({ env, stack, type, id, name: config[spec.attribute], region: regions.get(config.provider ?? 'aws') ?? '?' });
    }
  }
  return { named, types: [...new Set(types)] };
}

const cache = new Map<Env, ReturnType<typeof namesOf>>();
const names = (env: Env) => cache.get(env) ?? cache.set(env, namesOf(env)).get(env)!;

/** The environment as a segment of the name (between separators), not as part of a word. */
const carries = (name: string, env: Env) => new RegExp(`(^|[-/._])${env}([-/._]|$)`).test(name);

describe.each(ALL_ENVIRONMENTS)('names of %s', (env) => {
  test('every resource type of the per-environment stacks is classified: named here, or not named by us', () => {
    const unclassified = names(env).types.filter((t) => !(t in NAMED) && !NOT_NAMED_BY_US.includes(t));
    expect(unclassified).toEqual([]);
  });

  test('every name is literal, carries tiketi and the environment, with the prefix the CI roles scope by', () => {
    const { named } = names(env);
    expect(named.length).toBeGreaterThan(60);
    const wrong = named
      .filter(({ name, type }) => {
        if (typeof name !== 'string' || name.includes('${')) return true;
        const prefix = NAMED[type].prefix?.(env);
        return !name.includes('tiketi') || !carries(name, env) || (prefix !== undefined && !name.startsWith(prefix));
      })
      .map(({ stack, type, id, name }) => `${stack}/${type}.${id}: ${JSON.stringify(name)}`);
    expect(wrong).toEqual([]);
  });

  test('no name repeats within the environment (per type, and per region where AWS scopes it so)', () => {
    const { named } = names(env);
    const keys = named.map((n) => `${n.type} ${['aws_iam_role', 'aws_iam_policy', 'aws_iam_instance_profile', 'aws_s3_bucket'].includes(n.type) ? 'global' : n.region} ${n.name}`);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  test('the providers of the per-environment stacks tag everything Environment=<env>; the account-wide ones Environment=account', () => {
    const app = synthApp(env);
    for (const stack of ENVIRONMENT_STACKS) {
      for (const provider of app.json(stack).provider?.aws ?? []) expect({ stack, alias: provider.alias, tag: provider.default_tags?.[0]?.tags?.Environment }).toEqual({ stack, alias: provider.alias, tag: env });
    }
    for (const stack of ACCOUNT_STACKS) {
      for (const provider of app.json(stack).provider?.aws ?? []) expect({ stack, tag: provider.default_tags?.[0]?.tags?.Environment }).toEqual({ stack, tag: 'account' });
    }
    const manifest = Object.keys(require(`${app.outdir}/manifest.json`).stacks).sort();
    expect(manifest).toEqual([...ENVIRONMENT_STACKS, ...ACCOUNT_STACKS].sort());
  });
});

describe('names across the environments of the one account', () => {
  test.each([
    ['dev', 'staging'],
    ['dev', 'prod'],
    ['staging', 'prod'],
  ] as [Env, Env][])('%s and %s share no name', (a, b) => {
    const theirs = new Set(names(b).named.map((n) => `${n.type} ${n.name}`));
    expect(names(a).named.map((n) => `${n.type} ${n.name}`).filter((k) => theirs.has(k))).toEqual([]);
  });

  test('load balancers and ingress groups the controller creates (GitOps overlays, Helm values of the argocd stack) carry the environment, and differ', () => {
    const seen = new Map<string, Env>();
    /** Every `annotations` map in a parsed Helm values document. */
    const annotationMaps = (node: unknown): Record<string, string>[] =>
      node && typeof node === 'object' ? Object.entries(node).flatMap(([k, v]) => (k === 'annotations' && v && typeof v === 'object' ? [v as Record<string, string>] : annotationMaps(v))) : [];
    for (const env of ALL_ENVIRONMENTS) {
      const objects = kustomize(path.resolve(__dirname, '..', '..', 'gitops', 'overlays', env)).objects.filter((o) => o.kind === 'Ingress');
      expect(objects.length).toBeGreaterThan(0);
      const fromHelm = Object.values<any>(synthApp(env).json('argocd').resource!.helm_release).flatMap((r) => (r.values ?? []).flatMap((v: string) => annotationMaps(parse(v))));
      expect(fromHelm.some((a) => 'alb.ingress.kubernetes.io/group.name' in a)).toBe(true);
      for (const annotations of [...objects.map((o) => o.metadata?.annotations ?? {}), ...fromHelm]) {
        for (const key of ['alb.ingress.kubernetes.io/load-balancer-name', 'alb.ingress.kubernetes.io/group.name']) {
          const value = annotations[key];
          if (value === undefined) continue;
          expect({ env, key, value, carries: value.startsWith(`tiketi-${env}-`) }).toEqual({ env, key, value, carries: true });
          const before = seen.get(`${key} ${value}`);
          expect({ key, value, alsoIn: before === env ? undefined : before }).toEqual({ key, value, alsoIn: undefined });
          seen.set(`${key} ${value}`, env);
        }
      }
    }
    expect([...seen.keys()].filter((k) => k.startsWith('alb.ingress.kubernetes.io/load-balancer-name')).sort()).toEqual(ALL_ENVIRONMENTS.map((env) => `alb.ingress.kubernetes.io/load-balancer-name tiketi-${env}-api`).sort());
  });
});

describe('the name check can fail', () => {
  test('a name without the environment, or with it only inside a word, is refused', () => {
    expect(carries('tiketi-dev-postgres', 'dev')).toBe(true);
    expect(carries('/aws/eks/tiketi-dev/cluster', 'dev')).toBe(true);
    expect(carries('tiketi-postgres', 'dev')).toBe(false);
    expect(carries('tiketi-devops-postgres', 'dev')).toBe(false);
    expect(carries('tiketi-production-x', 'prod')).toBe(false);
  });
});
