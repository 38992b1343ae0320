/**
 * The synthesized policies of the registry stack's roles, with their Terraform references replaced by what
 * they are at apply time (stand-in account, state key), for `iam-evaluator.ts`. Shared by the walk
 * (ci-permissions.test.ts) and the statement-by-statement proofs (role-permissions.test.ts).
 */
import { TerraformJson } from '../support/synth';
import { PolicyDocument } from './iam-evaluator';

// Stand-ins, stated literally.
export const ACCOUNT = '123456789012';
export const REGION = 'ap-northeast-2';
export const STATE_BUCKET = 'tiketi-terraform-state';
export const STATE_KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/5ea7e000-0000-4000-8000-000000000000`;
export const BOUNDARY_ARN = `arn:aws:iam::${ACCOUNT}:policy/tiketi-boundary`;
export const CALLER = 'AROAEXAMPLEROLEID:ci-session';
/** Services whose requests go to us-east-1 whatever the provider's region (`aws:RequestedRegion`). */
export const GLOBAL_SERVICES = ['iam', 'route53', 'cloudfront'];

/**
 * `ReadOnlyAccess`, attached to the plan role: AWS-managed, so not in the synthesized JSON. Modelled as the
 * Describe/Get/List actions of the services the stacks use; its Secrets Manager part reads metadata only
 * (no GetSecretValue). Plan must never need more than this plus the role's inline policy.
 */
export const READ_ONLY_ACCESS: PolicyDocument = {
  Statement: [
    {
      Sid: 'ReadOnlyAccessModel',
      Effect: 'Allow',
      Action: ['acm', 'autoscaling', 'cloudfront', 'cloudwatch', 'ec2', 'eks', 'elasticache', 'elasticloadbalancing', 'iam', 'kms', 'logs', 'rds', 'route53', 's3', 'sns', 'ssm', 'wafv2'].flatMap((s) => [`${s}:Describe*`, `${s}:Get*`, `${s}:List*`]),
      Resource: '*',
    },
    { Sid: 'ReadOnlyAccessSecretsManagerModel', Effect: 'Allow', Action: ['secretsmanager:Describe*', 'secretsmanager:GetResourcePolicy', 'secretsmanager:List*'], Resource: '*' },
  ],
};

/** `AdministratorAccess` (AWS-managed): everything. */
export const ADMINISTRATOR_ACCESS: PolicyDocument = { Statement: [{ Sid: 'AdministratorAccessModel', Effect: 'Allow', Action: '*', Resource: '*' }] };

// ---------------------------------------------------------------- the roles' policies, from the registry synth


/** Replaces the Terraform references of a registry policy with what they are at apply time. */
export function resolveRegistryPolicy(json: TerraformJson, text: string): PolicyDocument {
  const named = (type: string, id: string) => {
    const r = json.resource?.[type]?.[id];
    if (!r) throw new Error(`registry policy references ${type}.${id}, which the stack does not have`);
    return r;
  };
  const resolved = text
    .replace(/\$\$\{/g, '\u0000')
    .replace(/\$\{([^}]+)\}/g, (whole, ref: string) => {
      let m: RegExpExecArray | null;
      if (/^data\.aws_caller_identity\.[^.]+\.account_id$/.test(ref)) return ACCOUNT;
      if (ref === 'data.aws_kms_key.state-key.arn') return STATE_KEY_ARN;
      if ((m = /^aws_iam_policy\.([^.]+)\.arn$/.exec(ref))) return `arn:aws:iam::${ACCOUNT}:policy/${named('aws_iam_policy', m[1]).name}`;
      if ((m = /^aws_iam_role\.([^.]+)\.arn$/.exec(ref))) return `arn:aws:iam::${ACCOUNT}:role/${named('aws_iam_role', m[1]).name}`;
      if ((m = /^aws_ecr_repository\.([^.]+)\.arn$/.exec(ref))) return `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${named('aws_ecr_repository', m[1]).name}`;
      throw new Error(`unresolved reference ${whole} in a registry policy`);
    })
    .replace(/\u0000/g, '${');
  return JSON.parse(resolved) as PolicyDocument;
}

/** The policies of the registry role `name`: its inline policy and its managed attachments. */
export function policiesOf(json: TerraformJson, name: string): PolicyDocument[] {
  const [id] = Object.entries<any>(json.resource!.aws_iam_role).find(([, r]) => r.name === name) ?? [];
  if (!id) throw new Error(`no role ${name} in the registry stack`);
  const inline = Object.values<any>(json.resource!.aws_iam_role_policy ?? {}).filter((p) => p.role === `\${aws_iam_role.${id}.id}`).map((p) => resolveRegistryPolicy(json, p.policy));
  const managed = Object.values<any>(json.resource!.aws_iam_role_policy_attachment ?? {})
    .filter((a) => a.role === `\${aws_iam_role.${id}.name}`)
    .map((a) => {
      if (a.policy_arn === 'arn:aws:iam::aws:policy/ReadOnlyAccess') return READ_ONLY_ACCESS;
      if (a.policy_arn === 'arn:aws:iam::aws:policy/AdministratorAccess') return ADMINISTRATOR_ACCESS;
      throw new Error(`${name} attaches ${a.policy_arn}, which this test does not model`);
    });
  return [...inline, ...managed];
}

