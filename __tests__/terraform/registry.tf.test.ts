import { ENVIRONMENTS, REGISTRY } from '../../config/environments';
import { ALL_ENVIRONMENTS, addressOf, hclList, synthApp } from '../support/synth';
import { describeWithTerraform, initWorkdir, mockAwsProvider, preventedDestroys, terraformTest, validateWorkdir } from '../support/terraform';

/**
 * The registry stack is account-wide: every environment's app synthesizes the same document (checked
 * first), so one workdir covers all three.
 */
describeWithTerraform('terraform: registry stack', () => {
  let dir: string;
  const json = () => synthApp('dev').json('registry');

  beforeAll(() => {
    dir = initWorkdir(json(), 'registry');
  });

  test('every environment synthesizes the same registry stack', () => {
    const strip = (doc: object) => JSON.stringify(doc);
    for (const env of ALL_ENVIRONMENTS) expect(strip(synthApp(env).json('registry'))).toEqual(strip(json()));
  });

  test('terraform validate passes', () => {
    expect(validateWorkdir(dir).error_count).toBe(0);
  });

  test('terraform test (mocked AWS): plan and apply give the planned registry; prevent_destroy guards every repository', () => {
    const stack = json();
    const repositories = hclList(stack, 'aws_ecr_repository');
    const policies = hclList(stack, 'aws_ecr_lifecycle_policy');
    const applyRoles = ALL_ENVIRONMENTS.map((env) => addressOf(stack, 'aws_iam_role', (c) => c.name === `tiketi-ci-infra-apply-${env}`));
    const applyPolicies = applyRoles.map((role) => addressOf(stack, 'aws_iam_role_policy', (c) => c.role.includes(`${role.split('.')[1]}.`)));
    const publicAccessBlock = addressOf(stack, 'aws_s3_account_public_access_block', () => true);
    const githubEnvironments = ALL_ENVIRONMENTS.map((env) => ({ dev: 'dev', staging: 'staging', prod: 'production' })[env]);
    const boundary = addressOf(stack, 'aws_iam_policy', (c) => c.name === 'tiketi-boundary');
    const humanRoles = hclList(stack, 'aws_iam_role', (_, c) => !String(c.name).startsWith('tiketi-ci-'));
    const names = REGISTRY.services.map((s) => `tiketi-${s}`);
    const output = terraformTest(
      dir,
      'registry',
      `${mockAwsProvider()}

run "plan" {
  command = plan

  assert {
    condition     = toset([for r in ${repositories} : r.name]) == toset(${JSON.stringify(names)})
    error_message = "repository set differs from the settings"
  }
  assert {
    condition     = alltrue([for r in ${repositories} : r.image_tag_mutability == "IMMUTABLE" && r.image_scanning_configuration[0].scan_on_push && r.encryption_configuration[0].encryption_type == "KMS"])
    error_message = "a repository is mutable, unscanned or not KMS-encrypted"
  }
  assert {
    condition     = alltrue([for p in ${policies} : [for r in jsondecode(p.policy).rules : r.rulePriority] == [1, 2, 3]])
    error_message = "lifecycle rules are not in priority order 1, 2, 3"
  }
  assert {
    condition     = alltrue([for p in ${policies} : jsondecode(p.policy).rules[0].selection.tagPatternList == ["rel-*"] && jsondecode(p.policy).rules[0].selection.countNumber == 100000])
    error_message = "rule 1 does not claim every rel-* image with a count that cannot be reached"
  }
  assert {
    condition     = alltrue([for p in ${policies} : jsondecode(p.policy).rules[1].selection.tagPatternList == ["dev-*"] && jsondecode(p.policy).rules[1].selection.countNumber == ${REGISTRY.keepDevImages} && jsondecode(p.policy).rules[2].selection.countNumber == ${REGISTRY.untaggedExpiryDays}])
    error_message = "dev or untagged rule differs from the settings"
  }
  assert {
    condition     = alltrue([for p in ${policies} : alltrue([for r in jsondecode(p.policy).rules : r.selection.tagStatus != "any"])])
    error_message = "a lifecycle rule selects any image"
  }
  assert {
    condition     = ${boundary}.name == "tiketi-boundary"
    error_message = "the permissions boundary policy is missing"
  }
  assert {
    condition     = toset([for r in ${humanRoles} : r.name]) == toset(["tiketi-platform-admin", "tiketi-developer"]) && alltrue([for r in ${humanRoles} : jsondecode(r.assume_role_policy).Statement[0].Condition.Bool["aws:MultiFactorAuthPresent"] == "true"])
    error_message = "the default human roles are missing or do not require MFA"
  }
  assert {
    condition     = length(${hclList(stack, 'aws_iam_role', (_, c) => String(c.name).startsWith('tiketi-ci-frontend-deploy-'))}) == ${ALL_ENVIRONMENTS.length}
    error_message = "one frontend deploy role per environment expected"
  }
}

run "apply" {
  command = apply

  assert {
    condition     = [for r in [${applyRoles.join(', ')}] : jsondecode(r.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]] == [for e in ${JSON.stringify(githubEnvironments)} : ["repo:${REGISTRY.github.owner}/${REGISTRY.github.repository}:environment:\${e}"]]
    error_message = "an infra apply role trusts more than its environment's GitHub environment"
  }
  assert {
    condition     = ${publicAccessBlock}.block_public_acls && ${publicAccessBlock}.block_public_policy && ${publicAccessBlock}.ignore_public_acls && ${publicAccessBlock}.restrict_public_buckets
    error_message = "the account's S3 Block Public Access is not fully on"
  }

  assert {
    condition     = alltrue([for r in ${repositories} : startswith(r.arn, "arn:aws:ecr:")])
    error_message = "repositories were not created"
  }
  assert {
    condition     = alltrue([for p in [${applyPolicies.join(', ')}] : [for s in jsondecode(p.policy).Statement : s.Condition.StringEquals["ssm:resourceTag/aws:ssmmessages:session-id"] if s.Sid == "EndOrResumeOwnSessions"] == ["$\${aws:userid}"]])
    error_message = "IAM does not receive the policy variable aws:userid for the own-session condition"
  }
  assert {
    condition     = alltrue([for p in [${applyPolicies.join(', ')}] : alltrue([for s in jsondecode(p.policy).Statement : s.Condition.StringEquals["iam:PermissionsBoundary"] == ${boundary}.arn if s.Sid == "CreateAndChangeRolesOnlyWithTheBoundary"])])
    error_message = "an apply role's boundary condition does not name the tiketi-boundary policy"
  }
  assert {
    condition     = alltrue([for r in [${applyRoles.join(', ')}] : r.max_session_duration == 10800])
    error_message = "an apply role's sessions are too short for a first deploy"
  }
}
`,
    );
    expect(output).toMatch(/2 passed, 0 failed/);
    // The teardown is refused for the repositories and the account's Block Public Access (and only them).
    expect(preventedDestroys(output)).toEqual([...Object.keys(stack.resource!.aws_ecr_repository).map((id) => `aws_ecr_repository.${id}`), publicAccessBlock].sort());
  });

  test('frontend deploy roles trust their environment branch only', () => {
    const roles = Object.values(json().resource!.aws_iam_role as Record<string, any>).filter((r) => String(r.name).startsWith('tiketi-ci-frontend-deploy-'));
    for (const env of ALL_ENVIRONMENTS) {
      const role = roles.find((r) => r.name === `tiketi-ci-frontend-deploy-${env}`);
      const sub = JSON.parse(role.assume_role_policy).Statement[0].Condition.StringEquals['token.actions.githubusercontent.com:sub'];
      expect(sub).toEqual([`repo:${REGISTRY.github.owner}/${REGISTRY.github.repository}:ref:refs/heads/${ENVIRONMENTS[env].gitops.branch}`]);
    }
  });
});
