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
    const applyRole = addressOf(stack, 'aws_iam_role', (c) => c.name === 'tiketi-ci-infra-apply');
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
    condition     = alltrue([for p in ${policies} : jsondecode(p.policy).rules[1].selection.countNumber == ${REGISTRY.keepImages} && jsondecode(p.policy).rules[0].selection.countNumber == ${REGISTRY.untaggedExpiryDays}])
    error_message = "lifecycle policy differs from the settings"
  }
  assert {
    condition     = length(${hclList(stack, 'aws_iam_role', (_, c) => String(c.name).startsWith('tiketi-ci-frontend-deploy-'))}) == ${ALL_ENVIRONMENTS.length}
    error_message = "one frontend deploy role per environment expected"
  }
}

run "apply" {
  command = apply

  assert {
    condition     = jsondecode(${applyRole}.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"] == ["repo:${REGISTRY.github.owner}/${REGISTRY.github.repository}:environment:${REGISTRY.github.applyEnvironment}"]
    error_message = "infra apply role trusts more than the protected environment"
  }

  assert {
    condition     = alltrue([for r in ${repositories} : startswith(r.arn, "arn:aws:ecr:")])
    error_message = "repositories were not created"
  }
}
`,
    );
    expect(output).toMatch(/2 passed, 0 failed/);
    // The teardown is refused for the repositories (and only them): prevent_destroy works.
    expect(preventedDestroys(output)).toEqual(Object.keys(stack.resource!.aws_ecr_repository).map((id) => `aws_ecr_repository.${id}`).sort());
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
