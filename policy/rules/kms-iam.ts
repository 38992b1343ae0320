/**
 * FSBP controls for AWS KMS keys and the IAM policies that use them. KMS.1 and KMS.2 follow the Config
 * rules behind them (iam-customer-policy-blocked-kms-actions, iam-inline-policy-blocked-kms-actions with
 * kms:Decrypt and kms:ReEncryptFrom blocked): an Allow of a blocked action on every key fails. Conditions
 * such as kms:ViaService do not name keys, so they do not scope the statement.
 */
import { StackDocument, blocks, isTrue, list, policyDocument } from '../document';
import { Element, Rule, notApplicable } from '../types';

const ALL = 'all';
const BLOCKED_KMS_ACTIONS = ['kms:Decrypt', 'kms:ReEncryptFrom'];

/** IAM action patterns are case-insensitive globs (`*`, `?`). */
function actionMatches(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return regex.test(action);
}

function allows(statement: Record<string, any>, action: string): boolean {
  if (statement.Effect !== 'Allow') return false;
  if (statement.NotAction !== undefined) return !list(statement.NotAction).some((p) => actionMatches(String(p), action));
  return list(statement.Action).some((p) => actionMatches(String(p), action));
}

/**
 * Every KMS key: `*`, a NotResource, or an ARN whose service, Region or account is a wildcard. Keys of
 * one Region of one account (`arn:aws:kms:<region>:<account>:key/*`) pass, as AWS's remediation advises.
 */
function everyKey(statement: Record<string, any>): boolean {
  if (statement.NotResource !== undefined) return true;
  return list(statement.Resource).some((r) => {
    if (r === '*') return true;
    const arn = /^arn:[^:]*:([^:]*):([^:]*):([^:]*):/.exec(String(r));
    if (!arn) return /^arn:[^:]*:\*/.test(String(r));
    const [, service, region, account] = arn;
    return (service === 'kms' || service.includes('*')) && [region, account].some((part) => part === '' || part.includes('*'));
  });
}

/** Why a policy document allows a blocked KMS action on every key, or undefined. */
function blockedKmsActions(policy: unknown): string | undefined {
  const document = policyDocument(policy);
  if (!document) return 'the policy is not literal JSON, so it cannot be checked';
  for (const statement of document.Statement) {
    const blocked = BLOCKED_KMS_ACTIONS.filter((action) => allows(statement, action));
    if (blocked.length > 0 && everyKey(statement)) return `statement ${statement.Sid ?? '(no Sid)'} allows ${blocked.join(' and ')} on every KMS key`;
  }
  return undefined;
}

/**
 * Is `policy` the permissions boundary of a role or user of any stack of the synthesis (by reference, by
 * its ARN, or through a `data "aws_iam_policy"` lookup of its ARN)? Security Hub skips boundaries in IAM.1
 * and KMS.1 (excludePermissionBoundaryPolicy): a boundary caps permissions, it grants none.
 */
function isBoundary(doc: StackDocument, policy: Element): boolean {
  const name = policy.config.name;
  const namesPolicy = (arn: unknown) => typeof name === 'string' && typeof arn === 'string' && new RegExp(`:policy/(.+/)?${name.replace(/[.+?^${}()|[\]\\]/g, '\\$&')}$`).test(arn);
  return doc.allDocuments().some((other) =>
    other.elements.some((e) => {
      if (e.type !== 'aws_iam_role' && e.type !== 'aws_iam_user') return false;
      const boundary = e.config.permissions_boundary;
      const ref = other.deref(boundary)?.element;
      return ref === policy || namesPolicy(boundary) || (ref?.type === 'aws_iam_policy' && ref.kind === 'data' && namesPolicy(ref.config.arn));
    }),
  );
}

export const KMS_IAM_RULES: readonly Rule[] = [
  {
    control: 'KMS.1',
    source: 'FSBP',
    title: 'IAM customer managed policies should not allow decryption actions on all KMS keys',
    checks: 'no statement of an aws_iam_policy allows kms:Decrypt or kms:ReEncryptFrom on every key (conditions are not considered; policies used as a permissions boundary are skipped, as in Security Hub)',
    targets: ['aws_iam_policy'],
    environments: ALL,
    fix: 'name the key ARNs the principal needs in Resource',
    evaluate: (policy, { doc }) => (isBoundary(doc, policy) ? notApplicable('a permissions boundary') : blockedKmsActions(policy.config.policy)),
  },
  {
    control: 'KMS.2',
    source: 'FSBP',
    title: 'IAM principals should not have IAM inline policies that allow decryption actions on all KMS keys',
    checks: 'no inline policy (aws_iam_role_policy, aws_iam_user_policy, aws_iam_group_policy, inline_policy of an aws_iam_role) allows kms:Decrypt or kms:ReEncryptFrom on every key',
    targets: ['aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy', 'aws_iam_role'],
    environments: ALL,
    fix: 'name the key ARNs the principal needs in Resource (a key ARN, or a key alias ARN through kms:ResourceAliases is not enough for this control)',
    evaluate(element) {
      if (element.type !== 'aws_iam_role') return blockedKmsActions(element.config.policy);
      const inline = blocks(element.config.inline_policy).filter((p) => p.policy !== undefined);
      if (inline.length === 0) return notApplicable('no inline_policy blocks (inline policies as aws_iam_role_policy are checked there)');
      return inline.map((p) => blockedKmsActions(p.policy)).find((reason) => reason !== undefined);
    },
  },
  {
    control: 'KMS.4',
    source: 'FSBP',
    title: 'AWS KMS key rotation should be enabled',
    checks: 'every symmetric encryption aws_kms_key sets enable_key_rotation = true (asymmetric and HMAC keys cannot rotate: not applicable)',
    targets: ['aws_kms_key'],
    environments: ALL,
    fix: 'set enable_key_rotation = true (the KmsKey module does)',
    evaluate(key) {
      const spec = String(key.config.customer_master_key_spec ?? 'SYMMETRIC_DEFAULT');
      if (spec !== 'SYMMETRIC_DEFAULT') return notApplicable(`${spec} keys do not rotate automatically`);
      return isTrue(key.config.enable_key_rotation) ? undefined : 'enable_key_rotation is not true';
    },
  },
  {
    control: 'IAM.1',
    source: 'FSBP',
    title: 'IAM policies should not allow full "*" administrative privileges',
    checks: 'no statement of an aws_iam_policy allows Action "*" on Resource "*" (policies used as a permissions boundary are skipped, like Security Hub\'s excludePermissionBoundaryPolicy)',
    targets: ['aws_iam_policy'],
    environments: ALL,
    fix: 'grant the actions the principal needs; administrators get AdministratorAccess through a human role, never a customer policy',
    evaluate(policy, { doc }) {
      if (isBoundary(doc, policy)) return notApplicable('a permissions boundary');
      const document = policyDocument(policy.config.policy);
      if (!document) return 'the policy is not literal JSON, so it cannot be checked';
      const admin = document.Statement.find((s) => s.Effect === 'Allow' && list(s.Action).includes('*') && list(s.Resource).includes('*'));
      return admin ? `statement ${admin.Sid ?? '(no Sid)'} allows "*" on "*"` : undefined;
    },
  },
];
