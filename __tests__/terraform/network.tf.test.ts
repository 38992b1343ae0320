import { ALL_ENVIRONMENTS, addressOf, hclList } from '../support/synth';
import { describeStackWithTerraform, mockAwsProvider } from '../support/terraform';
import { ENVIRONMENTS } from '../../config/environments';

describeStackWithTerraform('network', ALL_ENVIRONMENTS, ({ envName, json, terraformTest }) => {
  const settings = ENVIRONMENTS[envName].network;

  const run = terraformTest('network', () => {
    const stack = json();
    const vpc = addressOf(stack, 'aws_vpc', () => true);
    const privateRoutes = hclList(stack, 'aws_route', (id) => id.includes('private-default-route'));
    const subnets = hclList(stack, 'aws_subnet');
    const expectedNats = settings.natGateways === 'single' ? 1 : settings.availabilityZones.length;
    return (
      `${mockAwsProvider()}

run "plan" {
  command = plan

  assert {
  condition     = ${vpc}.cidr_block == "${settings.vpcCidr}"
  error_message = "VPC CIDR differs from the settings"
  }
  assert {
  condition     = length([for s in ${subnets} : s if s.map_public_ip_on_launch]) == 0
  error_message = "a subnet assigns public IPs at launch"
  }
  assert {
  condition     = length(${subnets}) == ${3 * settings.availabilityZones.length}
  error_message = "expected three subnets per AZ"
  }
  assert {
  condition     = toset([for s in ${subnets} : s.availability_zone]) == toset(${JSON.stringify(settings.availabilityZones)})
  error_message = "subnets are not spread over the configured AZs"
  }
  assert {
  condition     = length(${hclList(stack, 'aws_nat_gateway')}) == ${expectedNats}
  error_message = "unexpected number of NAT gateways"
  }
  assert {
  condition     = alltrue([for r in ${privateRoutes} : r.destination_cidr_block == "0.0.0.0/0"])
  error_message = "a private route table lacks its default route"
  }
  assert {
  condition     = length(${hclList(stack, 'aws_default_security_group')}) == 1 && alltrue([for g in ${hclList(stack, 'aws_default_security_group')} : length(g.ingress) == 0 && length(g.egress) == 0])
  error_message = "the default security group keeps rules"
  }
  assert {
  condition     = alltrue([for g in ${hclList(stack, 'aws_cloudwatch_log_group')} : g.retention_in_days == ${settings.flowLogRetentionDays}])
  error_message = "flow log retention differs from the settings"
  }
}

run "apply" {
  command = apply

  assert {
  condition     = alltrue([for f in ${hclList(stack, 'aws_flow_log')} : f.traffic_type == "ALL"])
  error_message = "flow log does not record all traffic"
  }
}
`
    );
  });

  test('terraform test (mocked AWS): plan and apply give the planned network', () => {
    const output = run.output();
    expect(output).toMatch(/2 passed, 0 failed/);
  });
});
