import { addressesOf, hclList, synthApp } from '../support/synth';
import { describeWithTerraform, initWorkdir, mockAwsProvider, preventedDestroys, terraformTest, validateWorkdir } from '../support/terraform';
import { DEFAULT_STATE_BUCKET } from '../../stacks/app';

// The bootstrap stack is account-wide and the same in every environment: one run covers it.
describeWithTerraform('terraform: bootstrap stack', () => {
  let dir: string;
  const json = () => synthApp('dev').json('bootstrap');
  beforeAll(() => {
    dir = initWorkdir(json(), 'bootstrap');
  });

  test('terraform validate passes', () => {
    expect(validateWorkdir(dir).error_count).toBe(0);
  });

  test('terraform test (mocked AWS): the state bucket is planned versioned and encrypted', () => {
    const output = terraformTest(
      dir,
      'bootstrap',
      `${mockAwsProvider()}

run "plan" {
  command = plan
  assert {
    condition     = output.state_bucket_name == "${DEFAULT_STATE_BUCKET}"
    error_message = "unexpected state bucket name"
  }
}

run "apply" {
  command = apply
  assert {
    condition     = startswith(output.state_kms_key_arn, "arn:aws:kms:")
    error_message = "state key ARN not output"
  }
  assert {
    condition     = alltrue([for a in ${hclList(json(), 'aws_kms_alias')} : can(regex("^alias/[a-zA-Z0-9/_-]+$", a.name))])
    error_message = "the state key alias is not a valid KMS alias name"
  }
}
`,
    );
    expect(output).toMatch(/2 passed, 0 failed/);
    // Teardown tried to destroy the bucket and its key, and prevent_destroy refused: the protection works for real.
    expect(preventedDestroys(output)).toEqual([...addressesOf(json(), 'aws_kms_key'), ...addressesOf(json(), 'aws_s3_bucket')].sort());
  });
});
