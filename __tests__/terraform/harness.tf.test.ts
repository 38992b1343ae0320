/**
 * The batch harness's own checks can fail: `terraform validate` over the provider extracts refuses a provider
 * block that the AWS provider does not accept (Terraform skips unused provider configurations, so the extract
 * must use each one), and a run's failed assertion fails only that environment's file.
 */
import { synthApp } from '../support/synth';
import { TerraformBatch, describeWithTerraform, mockAwsProvider } from '../support/terraform';

describeWithTerraform('terraform: the batch harness', () => {
  const batch = new TerraformBatch('harness');
  const good = () => synthApp('dev').json('bootstrap');
  const typo = () => {
    const json = JSON.parse(JSON.stringify(good()));
    json.provider.aws[0].regoin = json.provider.aws[0].region;
    return json;
  };
  batch.module('good', good);
  batch.module('typo', typo);
  const passing = batch.file('passing', 'good', () => `${mockAwsProvider()}\n\nrun "plan" {\n  command = plan\n}\n`);
  const failing = batch.file('failing', 'good', () => `${mockAwsProvider()}\n\nrun "plan" {\n  command = plan\n  assert {\n    condition     = output.state_bucket_name == "not-the-bucket"\n    error_message = "deliberately wrong"\n  }\n}\n`);
  beforeAll(() => batch.run());
  afterAll(() => batch.remove());

  test('validate passes the real provider blocks and names the misspelt attribute of the other', () => {
    expect(batch.validateResult('good').error_count).toBe(0);
    expect(() => batch.validateResult('typo')).toThrow(/Extraneous JSON object property[\s\S]*regoin/);
  });

  test('a failed assertion fails its own file only, with the error message', () => {
    expect(batch.resultOf(passing)).toMatch(/1 passed, 0 failed/);
    expect(() => batch.resultOf(failing)).toThrow(/0 passed, 1 failed[\s\S]*deliberately wrong/);
  });
});
