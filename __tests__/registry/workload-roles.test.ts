import * as fs from 'fs';
import * as path from 'path';
import { ALL_ENVIRONMENTS, TerraformJson, resourcesOf, synthApp } from '../support/synth';
import { arnMatches } from './arn-glob';

/**
 * What the per-environment stacks create in IAM must stay inside what the CI apply role may manage, and
 * inside the `tiketi-boundary` ceiling: these tests walk every stack of every environment, so a new stack
 * or role is checked without being listed here.
 */

/** Stacks of `envName` whose state lives under the environment (not `account`): every one but the account-wide ones. */
function perEnvironmentStacks(envName: (typeof ALL_ENVIRONMENTS)[number]): { id: string; json: TerraformJson }[] {
  const app = synthApp(envName);
  return fs
    .readdirSync(path.join(app.outdir, 'stacks'))
    .map((id) => ({ id, json: app.json(id) }))
    .filter(({ json }) => !JSON.stringify(json.terraform.backend ?? json.terraform.cloud ?? {}).includes('account'));
}

describe.each(ALL_ENVIRONMENTS)('IAM of the per-environment stacks (%s)', (envName) => {
  const stacks = () => perEnvironmentStacks(envName);

  test('the walk covers every per-environment stack, and no account-wide one', () => {
    expect(stacks().map((s) => s.id).sort()).toEqual(['argocd', 'cluster', 'data', 'edge', 'network', 'observability']);
  });

  test('every IAM role carries the tiketi-boundary permissions boundary, looked up at plan time', () => {
    const withRoles = new Set<string>();
    for (const { id, json } of stacks()) {
      const lookups = resourcesOfData(json, 'aws_iam_policy');
      for (const [address, role] of Object.entries<any>(resourcesOf(json, 'aws_iam_role'))) {
        withRoles.add(id);
        expect({ stack: id, role: address, boundary: role.permissions_boundary }).toEqual({ stack: id, role: address, boundary: '${data.aws_iam_policy.permissions-boundary.arn}' });
      }
      if (Object.keys(resourcesOf(json, 'aws_iam_role')).length > 0) {
        expect(lookups['permissions-boundary']).toMatchObject({ arn: 'arn:aws:iam::${data.aws_caller_identity.permissions-boundary-account.account_id}:policy/tiketi-boundary' });
      }
    }
    // The stacks that create roles (a role elsewhere is checked the same way; one lost from these fails here).
    // dev has no workload roles (its services use no AWS data) and no RDS enhanced monitoring role.
    expect([...withRoles].sort()).toEqual(envName === 'dev' ? ['cluster', 'network', 'observability'] : ['argocd', 'cluster', 'data', 'network', 'observability']);
  });

  test('every role, customer policy and instance profile is named tiketi-<env>-*, the namespace the CI apply role manages', () => {
    const named = stacks().flatMap(({ id, json }) => [
      ...Object.values<any>(resourcesOf(json, 'aws_iam_role')).map((r) => ({ stack: id, kind: 'role', name: r.name, path: r.path })),
      ...Object.values<any>(resourcesOf(json, 'aws_iam_policy')).map((p) => ({ stack: id, kind: 'policy', name: p.name, path: p.path })),
      ...Object.values<any>(resourcesOf(json, 'aws_iam_instance_profile')).map((p) => ({ stack: id, kind: 'instance-profile', name: p.name, path: p.path })),
    ]);
    expect(named.length).toBeGreaterThan(0);
    for (const entry of named) {
      expect({ ...entry, ok: typeof entry.name === 'string' && entry.name.startsWith(`tiketi-${envName}-`) && (entry.path ?? '/') === '/' }).toEqual({ ...entry, ok: true });
    }
  });

  test('every managed policy a role attaches is one the environment\'s CI apply role may attach', () => {
    const apply = JSON.parse(
      (Object.values<any>(resourcesOf(synthApp(envName).json('registry'), 'aws_iam_role_policy')).find((p) => p.name === 'least-privilege' && p.role.includes(`ci-infra-apply-${envName}_`)) as any).policy,
    ).Statement.find((s: any) => s.Sid === 'AttachOnlyAllowlistedPolicies');
    const allowlist: string[] = apply.Condition.ArnLike['iam:PolicyARN'].map((p: string) => p.replace('${data.aws_caller_identity.account.account_id}', '123456789012'));
    for (const { id, json } of stacks()) {
      for (const attachment of Object.values<any>(resourcesOf(json, 'aws_iam_role_policy_attachment'))) {
        // A policy of another stack arrives through remote state: follow it to the policy's name.
        const arn = crossStackPolicyArn(envName, attachment.policy_arn) ?? attachment.policy_arn;
        // Attachments of the stack's own policies reference them; their names are checked above.
        if (arn.startsWith('${aws_iam_policy.')) continue;
        expect({ stack: id, arn, allowed: allowlist.some((pattern) => arnMatches(pattern, arn)) }).toEqual({ stack: id, arn, allowed: true });
      }
    }
  });

  test('KMS keys refuse terraform destroy outside dev (dev may lose its disposable data)', () => {
    const keys = stacks().flatMap(({ id, json }) => Object.entries<any>(resourcesOf(json, 'aws_kms_key')).map(([address, key]) => ({ stack: id, address, preventDestroy: key.lifecycle?.prevent_destroy })));
    expect([...new Set(keys.map((k) => k.stack))].sort()).toEqual(['cluster', 'data', 'edge', 'network', 'observability']);
    for (const key of keys) expect(key).toEqual({ ...key, preventDestroy: envName !== 'dev' });
  });
});

/**
 * `${data.terraform_remote_state.cross-stack-reference-input-<stack>.outputs.<output>}` of an `aws_iam_policy`'s ARN
 * in another stack, as the ARN that policy will have (`arn:aws:iam::<account>:policy/<name>`); undefined otherwise.
 */
function crossStackPolicyArn(envName: (typeof ALL_ENVIRONMENTS)[number], reference: string): string | undefined {
  const match = /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-([a-z]+)\.outputs\.([^}]+)\}$/.exec(reference);
  if (!match) return undefined;
  const source = synthApp(envName).json(match[1]);
  const value: string | undefined = source.output?.[match[2]]?.value;
  const policy = /^\$\{aws_iam_policy\.([^.]+)\.arn\}$/.exec(value ?? '');
  if (!policy) throw new Error(`${reference}: ${match[1]} outputs ${JSON.stringify(value)}, not an aws_iam_policy ARN`);
  return `arn:aws:iam::123456789012:policy/${resourcesOf(source, 'aws_iam_policy')[policy[1]].name}`;
}

function resourcesOfData(json: TerraformJson, type: string): Record<string, any> {
  return json.data?.[type] ?? {};
}
