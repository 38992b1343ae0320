/** What the architecture pictures derive, on hand-built stacks and manifests. */
import { ENVIRONMENTS } from '../../config/environments';
import { EnvironmentName } from '../../config/settings';
import { KubeObject } from '../../cli/lib/gitops-render';
import { bridgeContractKeys } from '../../cli/lib/graph/architecture';
import { Flowchart } from '../../cli/lib/graph/mermaid';
import { requestPathDiagram } from '../../cli/lib/graph/request-path';
import { crossStackEdges, isMainType, lookupEdges, perEnvironment, resourcesDiagram, stacksDiagram, stacksOf } from '../../cli/lib/graph/stacks';
import { SynthesizedEnvironment, SynthesizedStack, TerraformJson } from '../../cli/lib/synth-app';

const tagged = (scope: string) => ({ aws: [{ region: 'ap-northeast-2', default_tags: [{ tags: { Environment: scope } }] }] });
const stack = (id: string, scope: string, json: Omit<TerraformJson, 'provider'>, dependencies: string[] = []): SynthesizedStack => ({ id, scope, dependencies, json: { provider: tagged(scope), ...json } });
const env = (name: EnvironmentName, stacks: SynthesizedStack[]): SynthesizedEnvironment => ({ env: name, settings: ENVIRONMENTS[name], stacks });
const remote = (producer: string, output: string) => `\${data.terraform_remote_state.cross-stack-reference-input-${producer}.outputs.${output}}`;

function network(scope: string, withKey: boolean): SynthesizedStack {
  return stack(scope === 'account' ? 'x' : 'network', scope, {
    resource: { aws_vpc: { main: {} }, aws_subnet: { a: { vpc_id: '${aws_vpc.main.id}' }, b: { vpc_id: '${aws_vpc.main.id}' } }, ...(withKey ? { aws_kms_key: { k: {} } } : {}) },
    output: {
      'cross-stack-output-aws_vpcmainid': { value: '${aws_vpc.main.id}' },
      'cross-stack-output-aws_subnetaid': { value: '${aws_subnet.a.id}' },
      'cross-stack-output-aws_subnetbid': { value: '${aws_subnet.b.id}' },
      ...(withKey ? { 'cross-stack-output-aws_kms_keykarn': { value: '${aws_kms_key.k.arn}' } } : {}),
    },
  });
}

function cluster(readsKey: boolean): SynthesizedStack {
  return stack(
    'cluster',
    'x',
    {
      data: { terraform_remote_state: { 'cross-stack-reference-input-network': { backend: 'local', config: { path: 'network.tfstate' } } } },
      resource: {
        aws_iam_role: { role: {} },
        aws_iam_role_policy: { inline: { role: '${aws_iam_role.role.id}' } },
        aws_eks_cluster: {
          eks: {
            version: '1.35',
            role_arn: '${aws_iam_role.role.arn}',
            vpc_config: { subnet_ids: [remote('network', 'cross-stack-output-aws_subnetaid'), remote('network', 'cross-stack-output-aws_subnetbid')] },
            ...(readsKey ? { encryption_config: { provider: { key_arn: remote('network', 'cross-stack-output-aws_kms_keykarn') } } } : {}),
          },
        },
      },
      output: { vpc: { value: remote('network', 'cross-stack-output-aws_vpcmainid') } },
    },
    ['network'],
  );
}

const registry = stack('registry', 'account', { resource: { aws_ecr_repository: { backend: { name: 'backend' } } } });
const late = stack('alpha', 'x', {}, ['cluster']);
const ENVS = [
  env('dev', [late, cluster(false), { ...network('dev', false), scope: 'dev' }, registry].map((s) => ({ ...s, scope: s.scope === 'x' ? 'dev' : s.scope }))),
  env('prod', [late, cluster(true), { ...network('prod', true), scope: 'prod' }, registry].map((s) => ({ ...s, scope: s.scope === 'x' ? 'prod' : s.scope }))),
];

describe('stacks and their cross-stack references', () => {
  test('an edge per producer and consumer, labelled with the attributes read, qualified where environments differ', () => {
    expect(crossStackEdges(ENVS)).toEqual([{ producer: 'network', consumer: 'cluster', reads: ['aws_kms_key.arn (prod)', 'aws_subnet.id ×2', 'aws_vpc.id'] }]);
    expect(stacksDiagram(ENVS).split('\n')).toContain('  stack__network -->|"aws_kms_key.arn (prod)<br/>aws_subnet.id ×2<br/>aws_vpc.id"| stack__cluster');
  });

  test('stacks come account-wide first, then each after the stacks it reads', () => {
    expect(stacksOf(ENVS).map((s) => [s.id, s.accountWide])).toEqual([
      ['registry', true],
      ['network', false],
      ['cluster', false],
      ['alpha', false],
    ]);
  });

  test('a data source that looks up, by name, what another stack creates is a dashed edge and orders the stacks', () => {
    const zeta = stack('zeta', 'dev', { resource: { aws_route53_zone: { z: { name: 'example.com' } }, aws_iam_role: { r: { name: '${var.x}' } } } });
    const alpha = stack('alpha', 'dev', { data: { aws_route53_zone: { z: { name: 'example.com' } }, aws_iam_role: { r: { name: '${var.x}' } } } });
    const lookups = [env('dev', [alpha, zeta])];
    expect(lookupEdges(lookups)).toEqual([{ producer: 'zeta', consumer: 'alpha', reads: ['aws_route53_zone example.com (looked up by name)'] }]);
    expect(stacksOf(lookups).map((s) => s.id)).toEqual(['zeta', 'alpha']);
    expect(stacksDiagram(lookups).split('\n')).toContain('  stack__zeta -.->|"aws_route53_zone example.com (looked up by name)"| stack__alpha');
  });

  test('a stack\'s picture groups resources by type, leaves out policies, and shows what it reads from other stacks', () => {
    const lines = resourcesDiagram(ENVS, 'cluster').split('\n');
    expect(lines).toContain('  cluster__aws_eks_cluster["aws_eks_cluster ×1<br/>Kubernetes 1.35"]');
    expect(lines).toContain('  cluster__aws_eks_cluster --> cluster__aws_iam_role');
    expect(lines).toContain('    input__network__aws_subnet(["network: aws_subnet"])');
    expect(lines).toContain('  input__network__aws_subnet -.-> cluster__aws_eks_cluster');
    expect(lines).toContain('  input__network__aws_kms_key -.->|"prod"| cluster__aws_eks_cluster');
    expect(lines.join('\n')).not.toContain('aws_iam_role_policy');
  });

  test('main types: policies, attachments, bucket settings, routes, rules and aliases are details', () => {
    expect(['aws_iam_role_policy', 'aws_iam_role_policy_attachment', 'aws_iam_policy', 'aws_s3_bucket_versioning', 'aws_route', 'aws_route_table_association', 'aws_vpc_security_group_ingress_rule', 'aws_kms_alias'].filter(isMainType)).toEqual([]);
    expect(['aws_eks_cluster', 'aws_db_instance', 'aws_nat_gateway', 'aws_iam_role', 'helm_release', 'aws_s3_bucket'].every(isMainType)).toBe(true);
  });

  test('per-environment values print once when equal, else with their environments', () => {
    expect(perEnvironment([['dev', '×1'], ['prod', '×1']], ['dev', 'prod'])).toBe('×1');
    expect(perEnvironment([['dev', '×1'], ['staging', '×2'], ['prod', '×2']], ['dev', 'staging', 'prod'])).toBe('×1 (dev) · ×2 (staging, prod)');
    expect(perEnvironment([['prod', '×1']], ['dev', 'prod'])).toBe('×1 (prod)');
  });
});

const labels = (name: string) => ({ 'app.kubernetes.io/name': name });
const service = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'shop' }, spec: { selector: labels(name) } });
const workload = (kind: string, name: string, container: object): KubeObject => ({
  apiVersion: 'apps/v1',
  kind,
  metadata: { name, namespace: 'shop' },
  spec: { template: { metadata: { labels: { ...labels(name), tier: 'x' } }, spec: { containers: [{ name: 'app', ...container }] } } },
});
const INGRESS: KubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'api', namespace: 'shop', annotations: { 'alb.ingress.kubernetes.io/scheme': 'internet-facing' } },
  spec: { ingressClassName: 'alb', rules: [{ host: 'api.example.com', http: { paths: [{ path: '/', backend: { service: { name: 'gateway', port: { name: 'http' } } } }] } }] },
};
const APPSET: KubeObject = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'ApplicationSet',
  metadata: { name: 'shop' },
  spec: { template: { spec: { source: { kustomize: { patches: [{ target: { kind: 'Ingress', name: 'api' }, patch: '- op: add\n  path: /metadata/annotations/alb.ingress.kubernetes.io~1wafv2-acl-arn\n  value: x' }] } } } } },
};
const infrastructure = { envFrom: [{ configMapRef: { name: 'tiketi-infrastructure' } }] };
const overlay = (extra: KubeObject[] = []): KubeObject[] => [
  INGRESS,
  service('gateway'),
  workload('Deployment', 'gateway', { env: [{ name: 'ORDERS_URL', value: 'http://orders' }, { name: 'SELF_URL', value: 'http://gateway' }] }),
  service('orders'),
  workload('Deployment', 'orders', infrastructure),
  ...extra,
];

function pathStacks(extra: TerraformJson['resource'] = {}, dataOutputs: TerraformJson['output'] = {}): SynthesizedStack[] {
  return [
    stack('edge', 'prod', {
      resource: {
        aws_route53_zone: { z: { name: 'example.com' } },
        aws_route53_record: { www: { name: 'www.example.com', type: 'A', zone_id: '${aws_route53_zone.z.zone_id}', alias: { name: '${aws_cloudfront_distribution.d.domain_name}' } } },
        aws_cloudfront_distribution: { d: { price_class: 'PriceClass_200', aliases: ['www.example.com'], web_acl_id: '${aws_wafv2_web_acl.cf.arn}', origin: [{ domain_name: '${aws_s3_bucket.site.bucket_regional_domain_name}', origin_access_control_id: '${aws_cloudfront_origin_access_control.oac.id}' }] } },
        aws_wafv2_web_acl: { cf: { name: 'cf', scope: 'CLOUDFRONT', rule: [{}] }, alb: { name: 'alb', scope: 'REGIONAL', rule: [{}, {}] } },
        aws_s3_bucket: { site: { bucket: 'site-bucket' } },
      },
    }),
    stack('data', 'prod', { resource: { aws_db_instance: { db: { identifier: 'db1', engine: 'postgres', engine_version: '17', instance_class: 'db.t3.large', multi_az: true } } }, output: dataOutputs }),
    ...(Object.keys(extra ?? {}).length ? [stack('argocd', 'prod', { resource: extra })] : []),
  ];
}

describe('the path of a request', () => {
  const BRIDGE = { 'tiketi-infrastructure': ['DB_HOST', 'DB_PORT'] };

  test('Route 53 → CloudFront (web ACL) → S3, and Route 53 → ALB (web ACL from the bridge) → Ingress → services → RDS', () => {
    const lines = requestPathDiagram({ env: env('prod', pathStacks()), overlay: overlay(), argocd: [APPSET], bridgeKeys: BRIDGE }).split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        '  client -->|"www.example.com"| zone__example_com',
        '  zone__example_com -->|"www.example.com: A alias"| cf__edge__d',
        '  cf__edge__d -.->|"inspected by"| waf__edge__cf',
        '  cf__edge__d -->|"origin (OAC)"| origin__edge__site',
        '  zone__example_com -->|"api.example.com: record not in the stacks (external-dns)"| alb__ingress_shop_api',
        '  alb__ingress_shop_api -.->|"inspected by (annotation added by ApplicationSet shop)"| waf__edge__alb',
        '  alb__ingress_shop_api --> ingress__shop_api',
        '  ingress__shop_api --> svc__gateway',
        '  svc__gateway -->|"ORDERS_URL"| svc__orders',
        '  svc__orders -->|"DB_HOST"| data__data__db',
        '  data__data__db[("RDS db1<br/>postgres 17, db.t3.large, Multi-AZ<br/>(data stack; host from bridge ConfigMap tiketi-infrastructure)")]',
      ]),
    );
    expect(lines.join('\n')).not.toContain('SELF_URL');
    expect(lines.join('\n')).not.toContain('waf__edge__cf -');
  });

  test('without the bridge patch the ALB has no web ACL; a data store in the cluster is reached as a service', () => {
    const inCluster = overlay([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tiketi-infrastructure' }, data: { DB_HOST: 'postgres', DB_PORT: '5432' } },
      service('postgres'),
      workload('StatefulSet', 'postgres', {}),
    ]);
    const text = requestPathDiagram({ env: env('dev', pathStacks()), overlay: inCluster, argocd: [], bridgeKeys: BRIDGE });
    expect(text).toContain('  svc__orders -->|"DB_HOST"| svc__postgres');
    expect(text).toContain('    svc__postgres[("postgres<br/>Service → StatefulSet")]');
    expect(text).not.toContain('data__data__db');
    expect(text).not.toContain('waf__edge__alb');
  });

  test('a ConfigMap the stacks write is followed to the resource its value reads', () => {
    const configMap = { kubernetes_config_map_v1: { infra: { metadata: { name: 'tiketi-infrastructure' }, data: { DB_HOST: remote('data', 'cross-stack-output-aws_db_instancedbaddress') } } } };
    const stacks = pathStacks(configMap, { 'cross-stack-output-aws_db_instancedbaddress': { value: '${aws_db_instance.db.address}' } });
    const text = requestPathDiagram({ env: env('prod', stacks), overlay: overlay(), argocd: [], bridgeKeys: {} });
    expect(text).toContain('  svc__orders -->|"DB_HOST"| data__data__db');
    expect(text).toContain('(data stack; host from ConfigMap tiketi-infrastructure from the stacks)');
  });

  test('the bridge contract\'s ConfigMap keys are read from its tables', () => {
    const doc = ['## ConfigMap `tiketi-infrastructure`', '', '| key | required? |', '|---|---|', '| `DB_HOST` | required |', '| `REDIS_HOST` | required |', '', '## Argo CD cluster secret', '| `tiketi_ecr_registry` | annotation |'].join('\n');
    expect(bridgeContractKeys(doc)).toEqual({ 'tiketi-infrastructure': ['DB_HOST', 'REDIS_HOST'] });
  });
});

describe('Mermaid output', () => {
  test('labels are escaped, ids sanitized, and output sorted whatever the insertion order', () => {
    const build = (order: number[]) => {
      const chart = new Flowchart();
      const steps = [() => chart.node('b/x', ['say "hi" <b>']), () => chart.node('a.y', 'a'), () => chart.edge('b/x', 'a.y', 'uses "it"')];
      order.forEach((i) => steps[i]());
      return chart.render();
    };
    expect(build([0, 1, 2])).toBe(['flowchart LR', '  a_y["a"]', '  b_x["say #quot;hi#quot; #lt;b#gt;"]', '  b_x -->|"uses #quot;it#quot;"| a_y'].join('\n'));
    expect(build([2, 1, 0])).toBe(build([0, 1, 2]));
  });
});
