/**
 * Can the CI roles really deploy what the per-environment stacks contain? This walks every resource, data
 * source and ephemeral block of every per-environment stack in every environment, maps each type to the
 * IAM requests Terraform (provider hashicorp/aws 5.100, helm/kubernetes through the SSM tunnel) makes for
 * it (`NEEDS`: actions, the resource's ARN where a policy scopes by ARN, the region the provider sends it
 * to, the condition keys the request carries), and evaluates them with `iam-evaluator.ts` against the
 * synthesized policies of the registry stack:
 * - `tiketi-ci-infra-apply-<env>` is allowed every read and write of its environment (plan + apply), and
 *   denied the writes of every other environment, but for a literal list of types AWS cannot scope;
 * - `tiketi-ci-infra-plan` is allowed every read (plan, ephemeral secret reads included) and no write.
 * A type missing from the table fails the walk: add its row with the permissions it needs.
 *
 * The model's limits: the actions are those the provider's create/read/update/delete call, as documented
 * per API in the AWS Service Authorization Reference, not recorded from a real apply; ReadOnlyAccess (an
 * AWS-managed policy, not in the JSON) is modelled below; the account ID, resource IDs and state key are
 * stand-ins; service-side permissions (service-linked roles, key policies, the EKS access entries) are
 * checked elsewhere (workload-roles.test.ts, the cluster tests).
 */
import { ALL_ENVIRONMENTS, synthApp, TerraformJson } from '../support/synth';
import { ContextValue, evaluate, IamRequest } from './iam-evaluator';

type Env = (typeof ALL_ENVIRONMENTS)[number];

import { ACCOUNT, BOUNDARY_ARN, CALLER, GLOBAL_SERVICES, policiesOf as policiesIn, REGION, STATE_BUCKET, STATE_KEY_ARN } from './registry-policies';

/** The policies of the registry role `name` (the registry stack is the same in every environment's synth). */
const policiesOf = (name: string) => policiesIn(synthApp('dev').json('registry'), name);

// ---------------------------------------------------------------- the walk

interface Block {
  readonly env: Env;
  readonly stack: string;
  readonly kind: 'resource' | 'data' | 'ephemeral';
  readonly type: string;
  readonly id: string;
  readonly config: any;
  /** Region of the block's AWS provider. */
  readonly region: string;
  readonly json: TerraformJson;
}

/** Stacks of `env` that belong to the environment (provider tag `Environment=<env>`), not the account-wide ones. */
function environmentStacks(env: Env): { id: string; json: TerraformJson }[] {
  const app = synthApp(env);
  const ids = Object.keys(require(`${app.outdir}/manifest.json`).stacks as Record<string, unknown>);
  return ids.map((id) => ({ id, json: app.json(id) })).filter(({ json }) => json.provider?.aws?.[0]?.default_tags?.[0]?.tags?.Environment === env);
}

function blocksOf(env: Env): Block[] {
  return environmentStacks(env).flatMap(({ id: stack, json }) => {
    const regions = new Map<string, string>((json.provider?.aws ?? []).map((p: any) => [p.alias ? `aws.${p.alias}` : 'aws', p.region]));
    return (['resource', 'data', 'ephemeral'] as const).flatMap((kind) =>
      Object.entries<Record<string, any>>(json[kind] ?? {}).flatMap(([type, byId]) =>
        Object.entries<any>(byId).map(([id, config]) => ({ env, stack, kind, type, id, config, json, region: regions.get(config.provider ?? 'aws') ?? REGION })),
      ),
    );
  });
}

// ---------------------------------------------------------------- references and ARNs

const arnsByType: Record<string, (r: { region: string; config: any; id: string }) => string> = {
  aws_iam_role: ({ config }) => `arn:aws:iam::${ACCOUNT}:role/${config.name}`,
  aws_iam_policy: ({ config }) => `arn:aws:iam::${ACCOUNT}:policy/${config.name}`,
  aws_iam_instance_profile: ({ config }) => `arn:aws:iam::${ACCOUNT}:instance-profile/${config.name}`,
  aws_kms_key: ({ region, id }) => `arn:aws:kms:${region}:${ACCOUNT}:key/${id}`,
  aws_s3_bucket: ({ config }) => `arn:aws:s3:::${config.bucket}`,
  aws_eks_cluster: ({ region, config }) => `arn:aws:eks:${region}:${ACCOUNT}:cluster/${config.name}`,
  aws_cloudfront_distribution: ({ id }) => `arn:aws:cloudfront::${ACCOUNT}:distribution/E${id.length}EXAMPLE`,
  aws_wafv2_web_acl: ({ region, config }) => `arn:aws:wafv2:${region}:${ACCOUNT}:${config.scope === 'CLOUDFRONT' ? 'global' : 'regional'}/webacl/${config.name}/0123abcd`,
  aws_cloudwatch_log_group: ({ region, config }) => `arn:aws:logs:${region}:${ACCOUNT}:log-group:${config.name}`,
  aws_cloudwatch_log_delivery_source: ({ region, config }) => `arn:aws:logs:${region}:${ACCOUNT}:delivery-source:${config.name}`,
  aws_cloudwatch_log_delivery_destination: ({ region, config }) => `arn:aws:logs:${region}:${ACCOUNT}:delivery-destination:${config.name}`,
  aws_acm_certificate: ({ region, id }) => `arn:aws:acm:${region}:${ACCOUNT}:certificate/${id}`,
  aws_secretsmanager_secret: ({ region, config }) => `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${config.name}-AbCdEf`,
  aws_security_group: ({ region, id }) => `arn:aws:ec2:${region}:${ACCOUNT}:security-group/sg-${id}`,
  aws_subnet: ({ region, id }) => `arn:aws:ec2:${region}:${ACCOUNT}:subnet/subnet-${id}`,
  aws_vpc: ({ region, id }) => `arn:aws:ec2:${region}:${ACCOUNT}:vpc/vpc-${id}`,
  aws_route_table: ({ region, id }) => `arn:aws:ec2:${region}:${ACCOUNT}:route-table/rtb-${id}`,
  aws_eip: ({ region, id }) => `arn:aws:ec2:${region}:${ACCOUNT}:elastic-ip/eipalloc-${id}`,
  aws_launch_template: ({ region, id }) => `arn:aws:ec2:${region}:${ACCOUNT}:launch-template/lt-${id}`,
  aws_db_subnet_group: ({ region, config }) => `arn:aws:rds:${region}:${ACCOUNT}:subgrp:${config.name}`,
  aws_db_parameter_group: ({ region, config }) => `arn:aws:rds:${region}:${ACCOUNT}:pg:${config.name ?? `${config.name_prefix}0001`}`,
  aws_elasticache_subnet_group: ({ region, config }) => `arn:aws:elasticache:${region}:${ACCOUNT}:subnetgroup:${config.name}`,
  aws_elasticache_user: ({ region, config }) => `arn:aws:elasticache:${region}:${ACCOUNT}:user:${config.user_id}`,
  aws_elasticache_user_group: ({ region, config }) => `arn:aws:elasticache:${region}:${ACCOUNT}:usergroup:${config.user_group_id}`,
  aws_vpc_security_group_ingress_rule: ({ region, id }) => `arn:aws:ec2:${region}:${ACCOUNT}:security-group-rule/sgr-${id}`,
  aws_sns_topic: ({ region, config }) => `arn:aws:sns:${region}:${ACCOUNT}:${config.name}`,
  aws_cloudwatch_metric_alarm: ({ region, config }) => `arn:aws:cloudwatch:${region}:${ACCOUNT}:alarm:${config.alarm_name}`,
  aws_db_event_subscription: ({ region, config }) => `arn:aws:rds:${region}:${ACCOUNT}:es:${config.name}`,
};

/** The resource a reference (`${aws_x.id.attr}`, possibly through remote state) points to, in `env`. */
function target(env: Env, json: TerraformJson, expression: unknown): { type: string; id: string; config: any; region: string; json: TerraformJson } | undefined {
  if (typeof expression !== 'string') return undefined;
  const remote = /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-([a-z]+)\.outputs\.([^}]+)\}$/.exec(expression);
  if (remote) {
    const source = synthApp(env).json(remote[1]);
    return target(env, source, source.output?.[remote[2]]?.value);
  }
  const local = /^\$\{(aws_[a-z0-9_]+)\.([^.}]+)\.[^}]+\}$/.exec(expression);
  if (!local) return undefined;
  const config = json.resource?.[local[1]]?.[local[2]];
  if (!config) return undefined;
  const region = (json.provider?.aws ?? []).find((p: any) => (config.provider ? `aws.${p.alias}` === config.provider : p.alias === undefined))?.region ?? REGION;
  return { type: local[1], id: local[2], config, region, json };
}

/** The ARN of what `expression` references (a resource of the stack, or of another one through remote state). */
function arnOf(b: Block, expression: unknown): string {
  const t = target(b.env, b.json, expression);
  if (!t) throw new Error(`${b.stack}/${b.type}.${b.id}: cannot follow ${JSON.stringify(expression)} to a resource`);
  const make = arnsByType[t.type];
  if (!make) throw new Error(`${b.stack}/${b.type}.${b.id}: no ARN model for ${t.type}`);
  return make(t);
}

const ownArn = (b: Block) => {
  const make = arnsByType[b.type];
  if (!make) throw new Error(`no ARN model for ${b.type}`);
  return make(b);
};

/** A literal name, or a stand-in of the environment's form for a computed one. */
const literal = (value: unknown, fallback: string) => (typeof value === 'string' && !value.includes('${') ? value : fallback);

// ---------------------------------------------------------------- needs

type Tags = 'resource' | 'request' | 'both' | 'none' | { readonly resourceTag: string };
interface Need {
  readonly phase: 'read' | 'write';
  readonly actions: readonly string[];
  readonly resource: string;
  readonly region: string;
  /** Which Environment tags the request carries: the resource's (it exists), the request's (it tags), both, none. */
  readonly tags: Tags;
  readonly context?: Readonly<Record<string, ContextValue>>;
  /** Something of the account every environment uses (a service-linked role, a public AMI), not the environment's own. */
  readonly shared?: boolean;
}

/** Builders bound to a block: the request region is the block's provider region. */
function needs(b: Block) {
  const make = (phase: Need['phase'], defaultTags: Tags) => (actions: readonly string[], resource = '*', extra: { tags?: Tags; context?: Record<string, ContextValue>; region?: string; shared?: boolean } = {}): Need => ({
    phase,
    actions,
    resource,
    region: extra.region ?? b.region,
    tags: extra.tags ?? (resource === '*' && defaultTags === 'resource' ? 'none' : defaultTags),
    context: extra.context,
    shared: extra.shared,
  });
  return {
    /** Describe/Get/List: plan and apply. */
    read: make('read', 'resource'),
    /** Creating: the request carries the default tags, there is no resource tag yet. */
    create: make('write', 'request'),
    /** Tagging an existing resource. */
    tag: make('write', 'both'),
    /** Changing or deleting an existing (tagged) resource. */
    change: make('write', 'resource'),
    arn: (service: string, rest: string, region = b.region) => `arn:aws:${service}:${region}:${ACCOUNT}:${rest}`,
  };
}

const ec2 = (b: Block, kind: string, prefix: string) => needs(b).arn('ec2', `${kind}/${prefix}-${b.id}`);
/** An EC2 resource: Describe, Create (on `<kind>/*` plus `parents`), CreateTags, and the changes. */
function ec2Resource(b: Block, kind: string, prefix: string, describe: string[], create: string[], change: string[], parents: string[] = []): Need[] {
  const n = needs(b);
  const arn = ec2(b, kind, prefix);
  return [
    n.read(describe.map((a) => `ec2:${a}`)),
    n.create(create.map((a) => `ec2:${a}`), n.arn('ec2', `${kind}/*`)),
    ...parents.map((parent) => n.change(create.map((a) => `ec2:${a}`), parent)),
    n.tag(['ec2:CreateTags'], arn, { context: { 'ec2:CreateAction': create[0] } }),
    n.change(change.map((a) => `ec2:${a}`), arn),
  ];
}

const passRole = (b: Block, roleRef: unknown, service: string): Need =>
  needs(b).change(['iam:PassRole'], arnOf(b, roleRef), { tags: 'none', context: { 'iam:PassedToService': service } });
const boundary = { 'iam:PermissionsBoundary': BOUNDARY_ARN };

/** The SSM port forward and the cluster lookup `npm run api-tunnel` makes for the helm and kubernetes providers. */
function tunnel(b: Block): Need[] {
  const n = needs(b);
  return [
    n.read(['ec2:DescribeInstances']),
    // Only while a replacement host is launching (two running): which one Auto Scaling has InService.
    n.read(['autoscaling:DescribeAutoScalingInstances']),
    n.read(['eks:DescribeCluster'], n.arn('eks', `cluster/tiketi-${b.env}`)),
    n.read(['ssm:StartSession'], n.arn('ec2', 'instance/i-0123456789abcdef0'), {
      context: { 'ssm:resourceTag/tiketi:role': 'api-access', 'ssm:resourceTag/Environment': b.env, 'ssm:SessionDocumentAccessCheck': 'true' },
    }),
    n.read(['ssm:StartSession'], `arn:aws:ssm:${b.region}::document/AWS-StartPortForwardingSessionToRemoteHost`, { tags: 'none' }),
    n.read(['ssm:TerminateSession'], n.arn('ssm', `session/${CALLER.split(':')[1]}-0123456789abcdef0`), { tags: 'none', context: { 'ssm:resourceTag/aws:ssmmessages:session-id': CALLER } }),
  ];
}

/** The validation record of a certificate: `_<32 hex>.<its domain>`. */
function recordName(b: Block): string {
  const name = b.config.name;
  if (typeof name === 'string' && !name.includes('${')) return name.toLowerCase();
  const cert = /aws_acm_certificate\.([^.]+)\.domain_validation_options/.exec(String(name));
  if (!cert) throw new Error(`${b.stack}/${b.id}: record name ${name} is neither literal nor a certificate's validation record`);
  return `_${'0123456789abcdef'.repeat(2)}.${b.json.resource!.aws_acm_certificate[cert[1]].domain_name}`;
}

/** S3 bucket sub-resources: read with `get`, write with `put` (and `del`) on the bucket. */
const bucketPart = (get: string[], put: string[]) => (b: Block) => {
  const n = needs(b);
  const bucket = arnOf(b, b.config.bucket);
  return [n.read(get, bucket, { tags: 'none' }), n.change(put, bucket, { tags: 'none' })];
};

/**
 * What Terraform asks of IAM for each block type. Actions from the AWS Service Authorization Reference for
 * the APIs the provider's CRUD functions call.
 */
const NEEDS: Record<string, (b: Block) => Need[]> = {
  // ---- data sources
  aws_caller_identity: () => [], // sts:GetCallerIdentity needs no permission
  aws_region: () => [], // no API call
  terraform_remote_state: (b) => {
    const stack = /cross-stack-reference-input-([a-z]+)/.exec(b.id)![1];
    return stateRead(b, stack);
  },
  aws_iam_policy_data: (b) => [needs(b).read(['iam:GetPolicy', 'iam:GetPolicyVersion'], literal(b.config.arn, BOUNDARY_ARN).replace(/\$\{[^}]+\}/, ACCOUNT), { tags: 'none' })],
  aws_iam_role_data: (b) => [needs(b).read(['iam:GetRole'], `arn:aws:iam::${ACCOUNT}:role/${b.config.name}`, { tags: 'none' })],
  aws_route53_zone_data: (b) => [needs(b).read(['route53:ListHostedZones']), needs(b).read(['route53:GetHostedZone', 'route53:ListTagsForResource'], 'arn:aws:route53:::hostedzone/Z0123456789TIKETI', { tags: 'none' })],
  // The version list (metadata, no value) whose AWSCURRENT time is the write-only Secrets' data_wo_revision.
  aws_secretsmanager_secret_versions_data: (b) => [needs(b).read(['secretsmanager:ListSecretVersionIds'], needs(b).arn('secretsmanager', `secret:${b.config.secret_id}-AbCdEf`))],
  aws_ssm_parameter_data: (b) => [needs(b).read(['ssm:GetParameter'], `arn:aws:ssm:${b.region}::parameter${b.config.name}`, { tags: 'none' })],
  // ---- ephemeral: the argocd stack reads secret values during plan AND apply
  aws_secretsmanager_secret_version_ephemeral: (b) => {
    const n = needs(b);
    const cluster = synthApp(b.env).json('cluster');
    const [secretId, secret] = Object.entries<any>(cluster.resource!.aws_secretsmanager_secret).find(([, s]) => s.name === b.config.secret_id) ?? [];
    if (!secretId) throw new Error(`${b.id}: no secret ${b.config.secret_id} in the cluster stack`);
    const key = target(b.env, cluster, secret.kms_key_id)!;
    const aliases = Object.values<any>(cluster.resource!.aws_kms_alias).filter((a) => a.target_key_id === `\${aws_kms_key.${key.id}.key_id}`).map((a) => a.name);
    const secretArn = arnsByType.aws_secretsmanager_secret({ region: b.region, config: secret, id: secretId });
    return [
      n.read(['secretsmanager:GetSecretValue'], secretArn),
      n.read(['kms:Decrypt'], arnsByType.aws_kms_key(key), {
        context: { 'kms:ViaService': `secretsmanager.${b.region}.amazonaws.com`, 'kms:EncryptionContext:SecretARN': secretArn, 'kms:ResourceAliases': aliases },
      }),
    ];
  },

  // ---- network
  aws_vpc: (b) => ec2Resource(b, 'vpc', 'vpc', ['DescribeVpcs', 'DescribeVpcAttribute', 'DescribeNetworkAcls', 'DescribeRouteTables', 'DescribeSecurityGroups'], ['CreateVpc'], ['ModifyVpcAttribute', 'DeleteVpc']),
  aws_subnet: (b) => ec2Resource(b, 'subnet', 'subnet', ['DescribeSubnets'], ['CreateSubnet'], ['ModifySubnetAttribute', 'DeleteSubnet'], [arnOf(b, b.config.vpc_id)]),
  aws_internet_gateway: (b) => ec2Resource(b, 'internet-gateway', 'igw', ['DescribeInternetGateways'], ['CreateInternetGateway'], ['AttachInternetGateway', 'DetachInternetGateway', 'DeleteInternetGateway']),
  aws_eip: (b) => ec2Resource(b, 'elastic-ip', 'eipalloc', ['DescribeAddresses', 'DescribeAddressesAttribute'], ['AllocateAddress'], ['ReleaseAddress', 'DisassociateAddress']),
  aws_nat_gateway: (b) => ec2Resource(b, 'natgateway', 'nat', ['DescribeNatGateways'], ['CreateNatGateway'], ['DeleteNatGateway'], [arnOf(b, b.config.subnet_id)]),
  aws_route_table: (b) => ec2Resource(b, 'route-table', 'rtb', ['DescribeRouteTables'], ['CreateRouteTable'], ['DeleteRouteTable'], [arnOf(b, b.config.vpc_id)]),
  aws_route: (b) => [needs(b).read(['ec2:DescribeRouteTables']), needs(b).change(['ec2:CreateRoute', 'ec2:ReplaceRoute', 'ec2:DeleteRoute'], arnOf(b, b.config.route_table_id))],
  aws_route_table_association: (b) => [
    needs(b).read(['ec2:DescribeRouteTables']),
    needs(b).change(['ec2:AssociateRouteTable', 'ec2:DisassociateRouteTable', 'ec2:ReplaceRouteTableAssociation'], arnOf(b, b.config.route_table_id)),
    needs(b).change(['ec2:AssociateRouteTable'], arnOf(b, b.config.subnet_id)),
  ],
  aws_default_security_group: (b) => [
    needs(b).read(['ec2:DescribeSecurityGroups', 'ec2:DescribeSecurityGroupRules']),
    needs(b).change(['ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress'], needs(b).arn('ec2', `security-group/sg-default-${b.id}`)),
    needs(b).tag(['ec2:CreateTags'], needs(b).arn('ec2', `security-group/sg-default-${b.id}`)),
  ],
  aws_security_group: (b) =>
    ec2Resource(b, 'security-group', 'sg', ['DescribeSecurityGroups', 'DescribeSecurityGroupRules'], ['CreateSecurityGroup'], ['RevokeSecurityGroupEgress', 'AuthorizeSecurityGroupEgress', 'DeleteSecurityGroup'], [arnOf(b, b.config.vpc_id)]),
  aws_vpc_security_group_ingress_rule: (b) => {
    const n = needs(b);
    const group = arnOf(b, b.config.security_group_id);
    return [
      n.read(['ec2:DescribeSecurityGroupRules']),
      n.change(['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:ModifySecurityGroupRules'], group),
      n.create(['ec2:AuthorizeSecurityGroupIngress'], n.arn('ec2', 'security-group-rule/*')),
      n.tag(['ec2:CreateTags'], ownArn(b)),
    ];
  },
  aws_vpc_endpoint: (b) =>
    ec2Resource(b, 'vpc-endpoint', 'vpce', ['DescribeVpcEndpoints', 'DescribePrefixLists', 'DescribeVpcEndpointServices'], ['CreateVpcEndpoint'], ['ModifyVpcEndpoint', 'DeleteVpcEndpoints'], [arnOf(b, b.config.vpc_id)]),
  aws_flow_log: (b) => [...ec2Resource(b, 'vpc-flow-log', 'fl', ['DescribeFlowLogs'], ['CreateFlowLogs'], ['DeleteFlowLogs'], [arnOf(b, b.config.vpc_id)]), passRole(b, b.config.iam_role_arn, 'vpc-flow-logs.amazonaws.com')],
  aws_cloudwatch_log_group: (b) => {
    const n = needs(b);
    const arn = ownArn(b);
    return [
      n.read(['logs:DescribeLogGroups']),
      n.read(['logs:ListTagsForResource'], arn),
      n.create(['logs:CreateLogGroup', 'logs:TagResource'], arn),
      n.change(['logs:PutRetentionPolicy', 'logs:AssociateKmsKey', 'logs:DeleteLogGroup'], arn),
    ];
  },
  aws_kms_key: (b) => {
    const n = needs(b);
    const arn = ownArn(b);
    return [
      n.read(['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags'], arn),
      n.create(['kms:CreateKey', 'kms:TagResource']),
      n.tag(['kms:TagResource', 'kms:UntagResource'], arn),
      n.change(['kms:PutKeyPolicy', 'kms:EnableKeyRotation', 'kms:UpdateKeyDescription', 'kms:ScheduleKeyDeletion'], arn),
    ];
  },
  aws_kms_alias: (b) => {
    const n = needs(b);
    return [
      n.read(['kms:ListAliases']),
      n.change(['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias'], n.arn('kms', b.config.name), { tags: 'none' }),
      n.change(['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias'], arnOf(b, b.config.target_key_id)),
    ];
  },
  aws_iam_role: (b) => {
    const n = needs(b);
    const arn = ownArn(b);
    return [
      n.read(['iam:GetRole', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:ListInstanceProfilesForRole'], arn, { tags: 'none' }),
      n.create(['iam:CreateRole'], arn, { context: boundary }),
      n.create(['iam:TagRole'], arn),
      n.change(['iam:UpdateAssumeRolePolicy'], arn, { tags: 'none', context: boundary }),
      n.change(['iam:UpdateRole', 'iam:UpdateRoleDescription', 'iam:DeleteRole'], arn, { tags: 'none' }),
    ];
  },
  aws_iam_role_policy: (b) => {
    const role = arnOf(b, b.config.role);
    return [needs(b).read(['iam:GetRolePolicy'], role, { tags: 'none' }), needs(b).change(['iam:PutRolePolicy', 'iam:DeleteRolePolicy'], role, { tags: 'none', context: boundary })];
  },
  aws_iam_role_policy_attachment: (b) => {
    const role = arnOf(b, b.config.role);
    const policyArn = b.config.policy_arn.startsWith('arn:') ? b.config.policy_arn : arnOf(b, b.config.policy_arn);
    return [
      needs(b).read(['iam:ListAttachedRolePolicies'], role, { tags: 'none' }),
      needs(b).change(['iam:AttachRolePolicy', 'iam:DetachRolePolicy'], role, { tags: 'none', context: { ...boundary, 'iam:PolicyARN': policyArn } }),
    ];
  },
  aws_iam_policy: (b) => {
    const n = needs(b);
    const arn = ownArn(b);
    return [
      n.read(['iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:ListPolicyVersions', 'iam:ListEntitiesForPolicy'], arn, { tags: 'none' }),
      n.create(['iam:CreatePolicy', 'iam:TagPolicy'], arn),
      n.change(['iam:CreatePolicyVersion', 'iam:DeletePolicyVersion', 'iam:DeletePolicy'], arn, { tags: 'none' }),
    ];
  },
  aws_iam_instance_profile: (b) => {
    const n = needs(b);
    const arn = ownArn(b);
    return [
      n.read(['iam:GetInstanceProfile'], arn, { tags: 'none' }),
      n.create(['iam:CreateInstanceProfile', 'iam:TagInstanceProfile'], arn),
      n.change(['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'], arn, { tags: 'none' }),
      // AddRoleToInstanceProfile passes the role (to EC2, for the instances that will use the profile).
      passRole(b, b.config.role, 'ec2.amazonaws.com'),
    ];
  },
  aws_iam_openid_connect_provider: (b) => {
    const n = needs(b);
    const arn = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.${b.region}.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF`;
    return [
      n.read(['iam:GetOpenIDConnectProvider'], arn, { tags: 'none' }),
      n.create(['iam:CreateOpenIDConnectProvider', 'iam:TagOpenIDConnectProvider'], arn),
      n.change(['iam:UpdateOpenIDConnectProviderThumbprint', 'iam:AddClientIDToOpenIDConnectProvider', 'iam:DeleteOpenIDConnectProvider'], arn),
    ];
  },
  aws_db_subnet_group: (b) => rdsLike(b, 'rds', ['DescribeDBSubnetGroups'], 'CreateDBSubnetGroup', ['ModifyDBSubnetGroup', 'DeleteDBSubnetGroup']),
  aws_elasticache_subnet_group: (b) => rdsLike(b, 'elasticache', ['DescribeCacheSubnetGroups'], 'CreateCacheSubnetGroup', ['ModifyCacheSubnetGroup', 'DeleteCacheSubnetGroup']),

  // ---- data
  aws_db_parameter_group: (b) => rdsLike(b, 'rds', ['DescribeDBParameterGroups', 'DescribeDBParameters'], 'CreateDBParameterGroup', ['ModifyDBParameterGroup', 'DeleteDBParameterGroup']),
  aws_db_instance: (b) => {
    const n = needs(b);
    const db = n.arn('rds', `db:${b.config.identifier}`);
    const key = arnOf(b, b.config.kms_key_id);
    const masterSecret = n.arn('secretsmanager', 'secret:rds!db-0123abcd-0123-4567-89ab-0123456789ab-AbCdEf');
    return [
      n.read(['rds:DescribeDBInstances', 'rds:ListTagsForResource'], db),
      n.create(['rds:CreateDBInstance', 'rds:AddTagsToResource'], db),
      n.change(['rds:CreateDBInstance'], arnOf(b, b.config.db_subnet_group_name)),
      n.change(['rds:CreateDBInstance'], arnOf(b, b.config.parameter_group_name)),
      n.change(['rds:CreateDBInstance'], n.arn('rds', `og:default:${b.config.engine}-${String(b.config.engine_version).split('.')[0]}`), { tags: 'none' }),
      n.change(['kms:CreateGrant', 'kms:DescribeKey', 'kms:GenerateDataKey', 'kms:Decrypt'], key),
      ...(b.config.monitoring_role_arn ? [passRole(b, b.config.monitoring_role_arn, 'monitoring.rds.amazonaws.com')] : []),
      // manage_master_user_password: RDS makes the secret with the caller's permissions.
      n.create(['secretsmanager:CreateSecret', 'secretsmanager:TagResource'], masterSecret, { tags: 'none' }),
      n.change(['secretsmanager:DescribeSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:RotateSecret', 'secretsmanager:UpdateSecret', 'secretsmanager:DeleteSecret'], masterSecret, { tags: 'none' }),
      n.change(['rds:ModifyDBInstance', 'rds:RebootDBInstance', 'rds:DeleteDBInstance'], db),
      // The final snapshot of a delete (copy_tags_to_snapshot: it carries the instance's tags).
      n.create(['rds:CreateDBSnapshot'], n.arn('rds', `snapshot:${b.config.identifier}-final-20260101000000`)),
    ];
  },
  aws_elasticache_replication_group: (b) => {
    const n = needs(b);
    const group = n.arn('elasticache', `replicationgroup:${b.config.replication_group_id}`);
    return [
      n.read(['elasticache:DescribeReplicationGroups', 'elasticache:DescribeCacheClusters', 'elasticache:ListTagsForResource'], group),
      n.create(['elasticache:CreateReplicationGroup', 'elasticache:AddTagsToResource'], group),
      n.change(['elasticache:CreateReplicationGroup'], arnOf(b, b.config.subnet_group_name)),
      n.change(['elasticache:CreateReplicationGroup'], n.arn('elasticache', `parametergroup:${b.config.parameter_group_name}`), { tags: 'none' }),
      ...b.config.user_group_ids.map((ref: string) => n.change(['elasticache:CreateReplicationGroup'], arnOf(b, ref))),
      n.change(['kms:CreateGrant', 'kms:DescribeKey'], arnOf(b, b.config.kms_key_id)),
      // Slow-log delivery to CloudWatch Logs is set up with the caller's permissions.
      n.change(['logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:ListLogDeliveries'], '*', { tags: 'none' }),
      n.change(['elasticache:ModifyReplicationGroup', 'elasticache:DeleteReplicationGroup'], group),
      n.create(['elasticache:CreateSnapshot'], n.arn('elasticache', `snapshot:${b.config.replication_group_id}-final-20260101000000`)),
    ];
  },
  aws_elasticache_user: (b) => rdsLike(b, 'elasticache', ['DescribeUsers'], 'CreateUser', ['ModifyUser', 'DeleteUser']),
  aws_elasticache_user_group: (b) => [
    ...rdsLike(b, 'elasticache', ['DescribeUserGroups'], 'CreateUserGroup', ['ModifyUserGroup', 'DeleteUserGroup']),
    ...b.config.user_ids.map((ref: string) => needs(b).change(['elasticache:CreateUserGroup', 'elasticache:ModifyUserGroup'], arnOf(b, ref))),
  ],
  terraform_data: () => [], // Terraform's built-in provider: no AWS call

  // ---- observability: the alarm topics, their alarms and the RDS event subscriptions
  aws_sns_topic: (b) => {
    const n = needs(b);
    const arn = ownArn(b);
    return [
      n.read(['sns:GetTopicAttributes', 'sns:ListTagsForResource'], arn),
      n.create(['sns:CreateTopic', 'sns:TagResource'], arn),
      n.change(['sns:SetTopicAttributes', 'sns:DeleteTopic'], arn),
      // An encrypted topic: SNS checks the caller may use the key when the key is set.
      n.change(['kms:DescribeKey', 'kms:GenerateDataKey', 'kms:Decrypt'], arnOf(b, b.config.kms_master_key_id)),
    ];
  },
  aws_sns_topic_policy: (b) => {
    const n = needs(b);
    const topic = arnOf(b, b.config.arn);
    return [n.read(['sns:GetTopicAttributes'], topic), n.change(['sns:SetTopicAttributes'], topic)];
  },
  aws_sns_topic_subscription: (b) => {
    // Subscription calls are authorized against the topic (the subscription has no tags of its own).
    const n = needs(b);
    const topic = arnOf(b, b.config.topic_arn);
    return [
      n.read(['sns:GetSubscriptionAttributes', 'sns:ListSubscriptionsByTopic'], topic),
      n.change(['sns:Subscribe', 'sns:SetSubscriptionAttributes', 'sns:Unsubscribe'], topic),
    ];
  },
  aws_cloudwatch_metric_alarm: (b) => {
    const n = needs(b);
    const arn = ownArn(b);
    return [
      n.read(['cloudwatch:DescribeAlarms', 'cloudwatch:ListTagsForResource'], arn),
      n.create(['cloudwatch:PutMetricAlarm', 'cloudwatch:TagResource'], arn),
      n.change(['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms'], arn),
    ];
  },
  // Publishing to the topic is RDS's own right (the topic's policy, aws_sns_topic_policy), not the caller's.
  aws_db_event_subscription: (b) => rdsLike(b, 'rds', ['DescribeEventSubscriptions'], 'CreateEventSubscription', ['ModifyEventSubscription', 'DeleteEventSubscription', 'AddSourceIdentifierToSubscription', 'RemoveSourceIdentifierFromSubscription']),
  // The API load balancer is the AWS Load Balancer Controller's: looked up by its tags. ELB's Describe calls
  // have no resource-level permissions.
  aws_lbs_data: (b) => [needs(b).read(['elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeTags'])],

  // ---- cluster
  aws_eks_cluster: (b) => {
    const n = needs(b);
    const arn = ownArn(b);
    return [
      n.read(['eks:DescribeCluster', 'eks:ListTagsForResource'], arn),
      n.read(['ec2:DescribeSubnets', 'ec2:DescribeVpcs', 'ec2:DescribeSecurityGroups']),
      n.create(['eks:CreateCluster', 'eks:TagResource'], arn),
      passRole(b, b.config.role_arn, 'eks.amazonaws.com'),
      n.change(['kms:DescribeKey', 'kms:CreateGrant'], arnOf(b, b.config.encryption_config.provider.key_arn)),
      n.change(['iam:CreateServiceLinkedRole'], `arn:aws:iam::${ACCOUNT}:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS`, { tags: 'none', shared: true, context: { 'iam:AWSServiceName': 'eks.amazonaws.com' } }),
      n.change(['eks:UpdateClusterConfig', 'eks:UpdateClusterVersion', 'eks:DeleteCluster'], arn),
    ];
  },
  aws_eks_access_entry: (b) => {
    const n = needs(b);
    const cluster = arnOf(b, b.config.cluster_name);
    const entry = n.arn('eks', `access-entry/tiketi-${b.env}/role/${ACCOUNT}/${b.id}/0123abcd`);
    return [n.read(['eks:DescribeAccessEntry'], entry), n.create(['eks:CreateAccessEntry', 'eks:TagResource'], cluster), n.change(['eks:UpdateAccessEntry', 'eks:DeleteAccessEntry'], entry)];
  },
  aws_eks_access_policy_association: (b) => {
    const entry = needs(b).arn('eks', `access-entry/tiketi-${b.env}/role/${ACCOUNT}/${b.id}/0123abcd`);
    return [needs(b).read(['eks:ListAssociatedAccessPolicies'], entry), needs(b).change(['eks:AssociateAccessPolicy', 'eks:DisassociateAccessPolicy'], entry)];
  },
  aws_eks_addon: (b) => {
    const n = needs(b);
    const addon = n.arn('eks', `addon/tiketi-${b.env}/${b.config.addon_name}/0123abcd`);
    return [
      n.read(['eks:DescribeAddon'], addon),
      n.read(['eks:DescribeAddonVersions']),
      n.create(['eks:CreateAddon', 'eks:TagResource'], arnOf(b, b.config.cluster_name)),
      ...(b.config.pod_identity_association ?? []).map((p: any) => passRole(b, p.role_arn, 'pods.eks.amazonaws.com')),
      n.change(['eks:UpdateAddon', 'eks:DeleteAddon'], addon),
    ];
  },
  aws_eks_node_group: (b) => {
    const n = needs(b);
    const group = n.arn('eks', `nodegroup/tiketi-${b.env}/${b.config.node_group_name}/0123abcd`);
    return [
      n.read(['eks:DescribeNodegroup'], group),
      n.read(['ec2:DescribeLaunchTemplateVersions', 'ec2:DescribeSubnets']),
      n.create(['eks:CreateNodegroup', 'eks:TagResource'], arnOf(b, b.config.cluster_name)),
      passRole(b, b.config.node_role_arn, 'eks.amazonaws.com'),
      n.change(['iam:CreateServiceLinkedRole'], `arn:aws:iam::${ACCOUNT}:role/aws-service-role/eks-nodegroup.amazonaws.com/AWSServiceRoleForAmazonEKSNodegroup`, { tags: 'none', shared: true, context: { 'iam:AWSServiceName': 'eks-nodegroup.amazonaws.com' } }),
      n.change(['eks:UpdateNodegroupConfig', 'eks:UpdateNodegroupVersion', 'eks:DeleteNodegroup'], group),
    ];
  },
  aws_eks_pod_identity_association: (b) => {
    const n = needs(b);
    const association = n.arn('eks', `podidentityassociation/tiketi-${b.env}/a-0123456789abcdef0`);
    return [
      n.read(['eks:DescribePodIdentityAssociation'], association),
      n.create(['eks:CreatePodIdentityAssociation', 'eks:TagResource'], arnOf(b, b.config.cluster_name)),
      passRole(b, b.config.role_arn, 'pods.eks.amazonaws.com'),
      n.change(['eks:UpdatePodIdentityAssociation', 'eks:DeletePodIdentityAssociation'], association),
    ];
  },
  aws_launch_template: (b) => ec2Resource(b, 'launch-template', 'lt', ['DescribeLaunchTemplates', 'DescribeLaunchTemplateVersions'], ['CreateLaunchTemplate'], ['CreateLaunchTemplateVersion', 'ModifyLaunchTemplate', 'DeleteLaunchTemplate']),
  aws_autoscaling_group: (b) => {
    const n = needs(b);
    const group = n.arn('autoscaling', `autoScalingGroup:0123abcd-0000-4000-8000-000000000000:autoScalingGroupName/${b.config.name}`);
    const template = target(b.env, b.json, b.config.launch_template.id)!;
    const profile = target(b.env, b.json, template.config.iam_instance_profile.name)!;
    const groups: string[] = template.config.network_interfaces.flatMap((ni: any) => ni.security_groups);
    // Creating a group from a launch template, Auto Scaling checks that the caller may launch it: RunInstances
    // on the template and what it launches, CreateTags, PassRole of the instance profile's role.
    const launch = (resource: string, extra: Parameters<typeof n.change>[2] = {}) => n.change(['ec2:RunInstances'], resource, extra);
    return [
      n.read(['autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeScalingActivities', 'autoscaling:DescribeLifecycleHooks', 'autoscaling:DescribeTrafficSources', 'autoscaling:DescribeWarmPool']),
      n.read(['ec2:DescribeLaunchTemplateVersions']),
      n.create(['autoscaling:CreateAutoScalingGroup', 'autoscaling:CreateOrUpdateTags'], group),
      launch(arnOf(b, b.config.launch_template.id)),
      n.create(['ec2:RunInstances'], n.arn('ec2', 'instance/*')),
      n.create(['ec2:RunInstances'], n.arn('ec2', 'volume/*')),
      n.create(['ec2:RunInstances'], n.arn('ec2', 'network-interface/*')),
      ...b.config.vpc_zone_identifier.map((ref: string) => launch(arnOf(b, ref))),
      ...groups.map((ref) => launch(arnOf(b, ref))),
      launch(`arn:aws:ec2:${b.region}::image/ami-0123456789abcdef0`, { tags: 'none', shared: true }),
      n.create(['ec2:CreateTags'], n.arn('ec2', 'instance/*'), { context: { 'ec2:CreateAction': 'RunInstances' } }),
      passRole(b, profile.config.role, 'ec2.amazonaws.com'),
      n.change(['iam:CreateServiceLinkedRole'], `arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`, { tags: 'none', shared: true, context: { 'iam:AWSServiceName': 'autoscaling.amazonaws.com' } }),
      n.tag(['autoscaling:CreateOrUpdateTags', 'autoscaling:DeleteTags'], group),
      n.change(['autoscaling:UpdateAutoScalingGroup', 'autoscaling:SetDesiredCapacity', 'autoscaling:DeleteAutoScalingGroup'], group),
    ];
  },
  aws_secretsmanager_secret: (b) => {
    const n = needs(b);
    const arn = ownArn(b);
    return [
      n.read(['secretsmanager:DescribeSecret', 'secretsmanager:GetResourcePolicy'], arn),
      n.create(['secretsmanager:CreateSecret', 'secretsmanager:TagResource'], arn),
      n.change(['kms:DescribeKey', 'kms:GenerateDataKey'], arnOf(b, b.config.kms_key_id)),
      n.change(['secretsmanager:UpdateSecret', 'secretsmanager:DeleteSecret'], arn),
    ];
  },

  // ---- edge (and the argocd stack's certificate)
  aws_acm_certificate: (b) => {
    const n = needs(b);
    const arn = ownArn(b);
    return [n.read(['acm:DescribeCertificate', 'acm:ListTagsForCertificate'], arn), n.create(['acm:RequestCertificate', 'acm:AddTagsToCertificate']), n.tag(['acm:AddTagsToCertificate'], arn), n.change(['acm:DeleteCertificate'], arn)];
  },
  aws_acm_certificate_validation: (b) => [needs(b).read(['acm:DescribeCertificate'], arnOf(b, b.config.certificate_arn))],
  aws_route53_record: (b) => {
    const n = needs(b);
    const zone = 'arn:aws:route53:::hostedzone/Z0123456789TIKETI';
    return [
      n.read(['route53:ListResourceRecordSets', 'route53:GetHostedZone'], zone, { tags: 'none' }),
      n.read(['route53:GetChange'], 'arn:aws:route53:::change/C0123456789', { tags: 'none' }),
      n.change(['route53:ChangeResourceRecordSets'], zone, { tags: 'none', context: { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': [recordName(b)] } }),
    ];
  },
  aws_cloudfront_cache_policy: (b) => cloudfrontUntagged(b, 'cache-policy', 'CachePolicy'),
  aws_cloudfront_origin_access_control: (b) => cloudfrontUntagged(b, 'origin-access-control', 'OriginAccessControl'),
  aws_cloudfront_response_headers_policy: (b) => cloudfrontUntagged(b, 'response-headers-policy', 'ResponseHeadersPolicy'),
  aws_cloudfront_function: (b) => {
    const n = needs(b);
    const arn = `arn:aws:cloudfront::${ACCOUNT}:function/${b.config.name}`;
    return [
      n.read(['cloudfront:DescribeFunction', 'cloudfront:GetFunction'], arn, { tags: 'none' }),
      n.change(['cloudfront:CreateFunction', 'cloudfront:PublishFunction', 'cloudfront:UpdateFunction', 'cloudfront:DeleteFunction'], arn, { tags: 'none' }),
    ];
  },
  aws_cloudfront_distribution: (b) => {
    const n = needs(b);
    const arn = ownArn(b);
    return [
      n.read(['cloudfront:GetDistribution', 'cloudfront:ListTagsForResource'], arn),
      n.create(['cloudfront:CreateDistribution', 'cloudfront:TagResource'], `arn:aws:cloudfront::${ACCOUNT}:distribution/*`),
      n.change(['cloudfront:UpdateDistribution', 'cloudfront:DeleteDistribution'], arn),
      // Associating the web ACL: CloudFront checks the caller may read it.
      n.change(['wafv2:GetWebACL'], arnOf(b, b.config.web_acl_id), { region: 'us-east-1' }),
    ];
  },
  aws_cloudwatch_log_delivery_source: (b) => {
    const n = needs(b);
    const arn = ownArn(b);
    return [
      n.read(['logs:GetDeliverySource', 'logs:ListTagsForResource'], arn),
      n.create(['logs:PutDeliverySource', 'logs:TagResource'], arn),
      n.change(['logs:DeleteDeliverySource'], arn),
      n.change(['cloudfront:AllowVendedLogDeliveryForResource'], arnOf(b, b.config.resource_arn)),
    ];
  },
  aws_cloudwatch_log_delivery_destination: (b) => {
    const n = needs(b);
    const arn = ownArn(b);
    const bucket = arnOf(b, b.config.delivery_destination_configuration[0].destination_resource_arn);
    return [
      n.read(['logs:GetDeliveryDestination', 'logs:ListTagsForResource'], arn),
      n.create(['logs:PutDeliveryDestination', 'logs:TagResource'], arn),
      n.change(['logs:DeleteDeliveryDestination'], arn),
      // Delivery to S3 reads (and may extend) the bucket policy.
      n.change(['s3:GetBucketPolicy', 's3:PutBucketPolicy'], bucket, { tags: 'none' }),
    ];
  },
  aws_cloudwatch_log_delivery: (b) => {
    const n = needs(b);
    const delivery = n.arn('logs', 'delivery:0123456789abcdef');
    const source = n.arn('logs', `delivery-source:${target(b.env, b.json, b.config.delivery_source_name)!.config.name}`);
    return [
      n.read(['logs:GetDelivery', 'logs:ListTagsForResource'], delivery),
      n.create(['logs:CreateDelivery', 'logs:TagResource'], delivery),
      n.change(['logs:CreateDelivery'], source),
      n.change(['logs:CreateDelivery'], arnOf(b, b.config.delivery_destination_arn)),
      n.change(['logs:UpdateDeliveryConfiguration', 'logs:DeleteDelivery'], delivery),
    ];
  },
  aws_cloudwatch_log_resource_policy: (b) => [needs(b).read(['logs:DescribeResourcePolicies']), needs(b).change(['logs:PutResourcePolicy', 'logs:DeleteResourcePolicy'], '*', { tags: 'none' })],
  aws_wafv2_web_acl: (b) => {
    const n = needs(b);
    const arn = ownArn(b);
    const scope = b.config.scope === 'CLOUDFRONT' ? 'global' : 'regional';
    return [
      n.read(['wafv2:GetWebACL', 'wafv2:ListTagsForResource'], arn),
      n.create(['wafv2:CreateWebACL', 'wafv2:TagResource'], n.arn('wafv2', `${scope}/webacl/${b.config.name}/*`)),
      n.change(['wafv2:CreateWebACL', 'wafv2:UpdateWebACL'], n.arn('wafv2', `${scope}/managedruleset/*/*`), { tags: 'none' }),
      n.change(['wafv2:UpdateWebACL', 'wafv2:DeleteWebACL'], arn),
    ];
  },
  aws_wafv2_web_acl_logging_configuration: (b) => {
    const n = needs(b);
    const acl = arnOf(b, b.config.resource_arn);
    return [
      n.read(['wafv2:GetLoggingConfiguration'], acl),
      n.change(['wafv2:PutLoggingConfiguration', 'wafv2:DeleteLoggingConfiguration'], acl),
      // Logging to CloudWatch Logs: WAF sets up the delivery with the caller's permissions.
      n.change(['logs:CreateLogDelivery', 'logs:DeleteLogDelivery', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups'], '*', { tags: 'none' }),
    ];
  },
  aws_ssm_parameter: (b) => {
    const n = needs(b);
    const arn = n.arn('ssm', `parameter${b.config.name}`);
    return [n.read(['ssm:GetParameter', 'ssm:ListTagsForResource'], arn), n.read(['ssm:DescribeParameters']), n.create(['ssm:PutParameter', 'ssm:AddTagsToResource'], arn), n.change(['ssm:PutParameter', 'ssm:DeleteParameter'], arn)];
  },
  aws_s3_bucket: (b) => {
    const n = needs(b);
    const arn = ownArn(b);
    const reads = ['ListBucket', 'GetBucketTagging', 'GetBucketPolicy', 'GetBucketAcl', 'GetBucketCORS', 'GetBucketWebsite', 'GetBucketVersioning', 'GetAccelerateConfiguration', 'GetBucketRequestPayment', 'GetBucketLogging', 'GetLifecycleConfiguration', 'GetReplicationConfiguration', 'GetEncryptionConfiguration', 'GetBucketObjectLockConfiguration'];
    return [n.read(reads.map((a) => `s3:${a}`), arn, { tags: 'none' }), n.create(['s3:CreateBucket', 's3:PutBucketTagging'], arn, { tags: 'none' }), n.change(['s3:DeleteBucket'], arn, { tags: 'none' })];
  },
  aws_s3_bucket_lifecycle_configuration: bucketPart(['s3:GetLifecycleConfiguration'], ['s3:PutLifecycleConfiguration']),
  aws_s3_bucket_ownership_controls: bucketPart(['s3:GetBucketOwnershipControls'], ['s3:PutBucketOwnershipControls']),
  aws_s3_bucket_policy: bucketPart(['s3:GetBucketPolicy'], ['s3:PutBucketPolicy', 's3:DeleteBucketPolicy']),
  aws_s3_bucket_public_access_block: bucketPart(['s3:GetBucketPublicAccessBlock'], ['s3:PutBucketPublicAccessBlock']),
  aws_s3_bucket_server_side_encryption_configuration: bucketPart(['s3:GetEncryptionConfiguration'], ['s3:PutEncryptionConfiguration']),
  aws_s3_bucket_versioning: bucketPart(['s3:GetBucketVersioning'], ['s3:PutBucketVersioning']),

  // ---- argocd: the helm and kubernetes providers go through the tunnel (plan refreshes, apply writes)
  helm_release: tunnel,
  kubernetes_namespace_v1: tunnel,
  kubernetes_secret_v1: tunnel,
  kubernetes_config_map_v1: tunnel,
  kubernetes_storage_class_v1: tunnel,
};

/** Types AWS cannot scope to an environment (no tags, IDs for names): every apply role may write them in any environment. */
const NOT_SCOPABLE_BY_ENVIRONMENT = [
  'aws_cloudfront_cache_policy', // ARN holds a random ID, no tags
  'aws_cloudfront_origin_access_control', // same
  'aws_cloudfront_response_headers_policy', // same
  'aws_cloudwatch_log_resource_policy', // PutResourcePolicy has no resource-level permissions
  'aws_db_instance', // only the RDS-managed master secret `rds!db-<uuid>`: no name or tag of the environment
  'aws_elasticache_replication_group', // only the log delivery calls (logs:CreateLogDelivery on "*")
  'aws_wafv2_web_acl', // only the AWS managed rule groups it references (wafv2 managedruleset, no tags)
  'aws_wafv2_web_acl_logging_configuration', // only the log delivery calls (logs:CreateLogDelivery on "*")
];

function rdsLike(b: Block, service: 'rds' | 'elasticache', describe: string[], create: string, change: string[]): Need[] {
  const n = needs(b);
  const arn = ownArn(b);
  return [n.read([...describe.map((a) => `${service}:${a}`), `${service}:ListTagsForResource`], arn), n.create([`${service}:${create}`, `${service}:AddTagsToResource`], arn), n.change(change.map((a) => `${service}:${a}`), arn)];
}

function cloudfrontUntagged(b: Block, kind: string, api: string): Need[] {
  const n = needs(b);
  const arn = `arn:aws:cloudfront::${ACCOUNT}:${kind}/0123abcd-${b.id.length}`;
  return [n.read([`cloudfront:Get${api}`], arn, { tags: 'none' }), n.change([`cloudfront:Create${api}`, `cloudfront:Update${api}`, `cloudfront:Delete${api}`], arn, { tags: 'none' })];
}

/** Reading another stack's state (terraform_remote_state) or one's own, with the S3 backend. */
function stateRead(b: Pick<Block, 'env'> & { region?: string }, stack: string): Need[] {
  const object = `arn:aws:s3:::${STATE_BUCKET}/tiketi/${b.env}/${stack}.tfstate`;
  return [
    { phase: 'read', actions: ['s3:GetObject'], resource: object, region: REGION, tags: 'none' },
    { phase: 'read', actions: ['kms:Decrypt'], resource: STATE_KEY_ARN, region: REGION, tags: { resourceTag: 'account' }, context: { 'kms:ViaService': `s3.${REGION}.amazonaws.com`, 'kms:EncryptionContext:aws:s3:arn': object } },
  ];
}

/** What every stack's S3 backend does: list, read and lock (plan too), write its state (apply). */
function backendNeeds(env: Env, stack: string): { plan: Need[]; apply: Need[] } {
  const object = `arn:aws:s3:::${STATE_BUCKET}/tiketi/${env}/${stack}.tfstate`;
  const lock = `${object}.tflock`;
  const viaS3 = (arn: string) => ({ 'kms:ViaService': `s3.${REGION}.amazonaws.com`, 'kms:EncryptionContext:aws:s3:arn': arn });
  const stateKey = { resourceTag: 'account' };
  const plan: Need[] = [
    { phase: 'read', actions: ['s3:ListBucket'], resource: `arn:aws:s3:::${STATE_BUCKET}`, region: REGION, tags: 'none' },
    ...stateRead({ env }, stack),
    { phase: 'read', actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'], resource: lock, region: REGION, tags: 'none' },
    { phase: 'read', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resource: STATE_KEY_ARN, region: REGION, tags: stateKey, context: viaS3(lock) },
  ];
  const apply: Need[] = [
    { phase: 'write', actions: ['s3:PutObject'], resource: object, region: REGION, tags: 'none' },
    { phase: 'write', actions: ['kms:GenerateDataKey'], resource: STATE_KEY_ARN, region: REGION, tags: stateKey, context: viaS3(object) },
  ];
  return { plan, apply };
}

/** The row of a block: data sources and ephemeral resources have their own rows (`<type>_data`, `<type>_ephemeral`). */
function rowOf(b: Block): ((b: Block) => Need[]) | undefined {
  return NEEDS[b.kind === 'resource' ? b.type : b.kind === 'data' && ['aws_caller_identity', 'aws_region', 'terraform_remote_state'].includes(b.type) ? b.type : `${b.type}_${b.kind}`];
}

/** Requests of a need, with the condition keys the request carries. */
function requestsOf(need: Need, env: Env): IamRequest[] {
  return need.actions.map((action) => {
    const service = action.split(':')[0];
    const tags = need.tags;
    const context: Record<string, ContextValue> = {
      'aws:RequestedRegion': GLOBAL_SERVICES.includes(service) ? 'us-east-1' : need.region,
      'aws:userid': CALLER,
      ...(tags === 'resource' || tags === 'both' ? { 'aws:ResourceTag/Environment': env } : {}),
      ...(tags === 'request' || tags === 'both' ? { 'aws:RequestTag/Environment': env } : {}),
      ...(typeof tags === 'object' ? { 'aws:ResourceTag/Environment': tags.resourceTag } : {}),
      ...need.context,
    };
    return { action, resource: need.resource, context };
  });
}

interface Walked {
  readonly block: string;
  readonly type: string;
  readonly phase: Need['phase'];
  readonly shared?: boolean;
  readonly request: IamRequest;
}

/** Every request the stacks of `env` make, per block (and per stack backend). */
function walk(env: Env): Walked[] {
  const blocks = blocksOf(env);
  const missing = [...new Set(blocks.filter((b) => !rowOf(b)).map((b) => `${b.kind} ${b.type}`))];
  if (missing.length > 0) throw new Error(`no permission row for ${missing.join(', ')}: add it to NEEDS (with what the API calls need) and, if needed, to the CI policies`);
  const fromBlocks = blocks.flatMap((b) => rowOf(b)!(b).flatMap((need) => requestsOf(need, env).map((request) => ({ block: `${b.stack}/${b.kind === 'resource' ? '' : `${b.kind}.`}${b.type}.${b.id}`, type: b.type, phase: need.phase, shared: need.shared, request }))));
  const stacks = [...new Set(blocks.map((b) => b.stack))];
  const fromBackends = stacks.flatMap((stack) => {
    const { plan, apply } = backendNeeds(env, stack);
    return [...plan, ...apply].flatMap((need) => requestsOf(need, env).map((request) => ({ block: `${stack}/backend`, type: 'backend', phase: need.phase, request })));
  });
  return [...fromBlocks, ...fromBackends];
}

const show = (w: Walked, decision: ReturnType<typeof evaluate>) => `${w.block}: ${w.request.action} on ${w.request.resource} -> ${decision.decision}${decision.deniedBy.length ? ` (denied by ${decision.deniedBy.join(', ')})` : ''}`;

// ---------------------------------------------------------------- the proofs

describe.each(ALL_ENVIRONMENTS)('CI permissions for the %s stacks', (env) => {
  const walked = () => walk(env);
  const apply = () => policiesOf(`tiketi-ci-infra-apply-${env}`);
  const plan = () => policiesOf('tiketi-ci-infra-plan');

  test('the walk covers every per-environment stack and the types the stacks gained', () => {
    const types = new Set(walked().map((w) => w.type));
    expect([...new Set(walked().map((w) => w.block.split('/')[0]))].sort()).toEqual(['argocd', 'cluster', 'data', 'edge', 'network', 'observability']);
    for (const type of ['aws_cloudfront_function', 'aws_cloudwatch_log_delivery', 'aws_cloudwatch_log_delivery_source', 'aws_cloudwatch_log_delivery_destination', 'aws_cloudwatch_log_resource_policy', 'aws_wafv2_web_acl_logging_configuration', 'aws_ssm_parameter', 'aws_autoscaling_group', 'aws_launch_template', 'aws_iam_instance_profile', 'aws_secretsmanager_secret', 'aws_secretsmanager_secret_version', 'helm_release', 'kubernetes_secret_v1', 'aws_sns_topic', 'aws_cloudwatch_metric_alarm', 'aws_db_event_subscription', 'aws_lbs']) {
      expect({ type, walked: types.has(type) }).toEqual({ type, walked: true });
    }
    // The us-east-1 provider's blocks are asked in us-east-1.
    expect(walked().some((w) => w.type === 'aws_cloudwatch_log_delivery' && w.request.context['aws:RequestedRegion'] === 'us-east-1')).toBe(true);
  });

  test(`tiketi-ci-infra-apply-${env} may make every request of plan and apply, in the right region, and nothing it needs is denied`, () => {
    const policies = apply();
    const refused = walked().map((w) => ({ w, d: evaluate(policies, w.request) })).filter(({ d }) => d.decision !== 'allowed').map(({ w, d }) => show(w, d));
    expect(refused).toEqual([]);
  });

  test('tiketi-ci-infra-plan may make every request of a plan (ephemeral secret reads and the tunnel included)', () => {
    const policies = plan();
    const refused = walked().filter((w) => w.phase === 'read').map((w) => ({ w, d: evaluate(policies, w.request) })).filter(({ d }) => d.decision !== 'allowed').map(({ w, d }) => show(w, d));
    expect(refused).toEqual([]);
  });

  test('tiketi-ci-infra-plan gains no write: every change apply makes is refused to it', () => {
    const policies = plan();
    // The changes of apply: its write requests but their reads (Describe/Get/List) and the data-key calls S3
    // makes for the lock files plan writes too (state objects themselves need s3:PutObject, checked here).
    const writes = walked().filter((w) => w.phase === 'write' && !/^[a-z0-9-]+:(Describe|Get|List)/.test(w.request.action) && !/^kms:(GenerateDataKey|Decrypt)$/.test(w.request.action));
    expect(writes.length).toBeGreaterThan(200);
    const allowed = writes.map((w) => ({ w, d: evaluate(policies, w.request) })).filter(({ d }) => d.decision === 'allowed').map(({ w, d }) => show(w, d));
    expect(allowed).toEqual([]);
  });

  test.each(ALL_ENVIRONMENTS.filter((other) => other !== env))(`tiketi-ci-infra-apply-${env} cannot write what the %s stacks own (but the types AWS cannot scope)`, (other) => {
    const policies = apply();
    const writes = walk(other).filter((w) => w.phase === 'write' && !w.shared);
    const allowed = writes.filter((w) => evaluate(policies, w.request).decision === 'allowed');
    expect([...new Set(allowed.map((w) => w.type))].sort()).toEqual([...NOT_SCOPABLE_BY_ENVIRONMENT].sort());
    // Reading another environment's state or secrets is not needed either.
    const reads = walk(other).filter((w) => w.phase === 'read' && (w.type === 'backend' || w.type === 'aws_secretsmanager_secret_version' || w.type === 'helm_release'));
    expect(reads.filter((w) => /s3:GetObject|secretsmanager:GetSecretValue|ssm:StartSession$/.test(w.request.action) && !w.request.resource.includes('document/')).filter((w) => evaluate(policies, w.request).decision === 'allowed').map((w) => `${w.block}: ${w.request.action}`)).toEqual([]);
  });
});

describe('the policy walk can fail', () => {
  test('a missing permission, an explicit deny, or the wrong region is reported', () => {
    const policies = policiesOf('tiketi-ci-infra-apply-dev');
    const instance = walk('dev').find((w) => w.type === 'aws_autoscaling_group' && w.request.action === 'ec2:RunInstances' && w.request.resource.endsWith(':instance/*'))!;
    expect(evaluate(policies, instance.request).decision).toBe('allowed');
    expect(evaluate(policies, { ...instance.request, context: { ...instance.request.context, 'aws:RequestedRegion': 'eu-west-1' } }).decision).toBe('implicit-deny');
    expect(evaluate(policies, { ...instance.request, context: { ...instance.request.context, 'aws:RequestTag/Environment': 'prod' } }).decision).toBe('explicit-deny');
    expect(evaluate(policies, { ...instance.request, action: 'ecr:DeleteRepository' }).decision).toBe('implicit-deny');
  });
});
