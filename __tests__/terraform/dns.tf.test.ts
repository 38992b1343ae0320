import { addressOf, synthApp } from '../support/synth';
import { describeWithTerraform, hcl, initWorkdir, mockAwsProvider, preventedDestroys, terraformTest, validateWorkdir } from '../support/terraform';

const NAME_SERVERS = ['ns-1.awsdns-01.org', 'ns-2.awsdns-02.co.uk', 'ns-3.awsdns-03.com', 'ns-4.awsdns-04.net'];

/**
 * The dns stack is account-wide: one workdir. The mocked provider plays Route53: the delegation set
 * returns four name servers, which a zone created on it shares.
 */
describeWithTerraform('terraform: dns stack', () => {
  let dir: string;
  const json = () => synthApp('prod').json('dns');

  beforeAll(() => {
    dir = initWorkdir(json(), 'dns');
  });

  test('terraform validate passes', () => {
    expect(validateWorkdir(dir).error_count).toBe(0);
  });

  test('terraform test (mocked AWS): the zone is created on the delegation set, its name servers are the output; both refuse destroy', () => {
    const stack = json();
    const zone = addressOf(stack, 'aws_route53_zone', () => true);
    const set = addressOf(stack, 'aws_route53_delegation_set', () => true);
    const output = terraformTest(
      dir,
      'dns',
      `${mockAwsProvider({
        extra: `  mock_resource "aws_route53_delegation_set" {
    defaults = { id = "N0000MOCKSET", name_servers = ${hcl(NAME_SERVERS)} }
  }`,
      })}

override_resource {
  target = ${zone}
  values = { zone_id = "Z0000MOCKZONE", name_servers = ${hcl(NAME_SERVERS)} }
}

run "plan" {
  command = plan

  assert {
    condition     = ${zone}.name == "tiketi.com" && ${zone}.force_destroy == false
    error_message = "the zone is not tiketi.com, or may be force-destroyed with its records"
  }
  assert {
    condition     = length(${zone}.vpc) == 0
    error_message = "the zone is private (has a VPC association)"
  }
}

run "apply" {
  command = apply

  assert {
    condition     = ${zone}.delegation_set_id == ${set}.id
    error_message = "the zone is not on the reusable delegation set"
  }
  assert {
    condition     = output.name_servers == ${set}.name_servers && length(output.name_servers) == 4
    error_message = "the name_servers output is not the delegation set's four name servers"
  }
  assert {
    condition     = output.zone_id == ${zone}.zone_id && output.zone_name == "tiketi.com"
    error_message = "zone outputs do not point at the zone"
  }
}
`,
    );
    expect(output).toMatch(/2 passed, 0 failed/);
    // The teardown is refused at the zone (prevent_destroy works); the set, which the zone depends on, is never
    // reached, so its own prevent_destroy is checked in the JSON.
    expect(preventedDestroys(output)).toEqual([zone]);
    expect(Object.values<any>(stack.resource!.aws_route53_delegation_set)[0].lifecycle.prevent_destroy).toBe(true);
  });
});
