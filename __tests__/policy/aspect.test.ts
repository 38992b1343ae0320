import * as fs from 'fs';
import * as path from 'path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { App, TerraformStack, Testing } from 'cdktf';
import { PolicyException } from '../../config/settings';
import { PolicyAspect, enforcePolicy, evaluatePolicy } from '../../policy/aspect';
import { tally } from '../../policy/engine';
import { ALL_ENVIRONMENTS, synthApp } from '../support/synth';

/** An app with one `network` stack holding a subnet that assigns public IPs (EC2.15 fails). */
function appWithPublicSubnet(exceptions: PolicyException[] = [], register = true): App {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'network');
  new AwsProvider(stack, 'aws', { region: 'ap-northeast-2' });
  new Subnet(stack, 'public', { vpcId: 'vpc-1', cidrBlock: '10.0.1.0/24', mapPublicIpOnLaunch: true });
  if (register) enforcePolicy(app, [{ scope: 'prod', stacks: [stack], policy: { exceptions }, field: 'prod.policy' }]);
  return app;
}

describe('the policy aspect at synth', () => {
  test('a violation fails synth with the stack, resource, construct path, control, rule and fix', () => {
    expect(() => appWithPublicSubnet().synth()).toThrow(
      '[network/public] [policy EC2.15] stack "network" (environment prod), aws_subnet.public (network/public): EC2 subnets should not automatically assign public IP addresses: map_public_ip_on_launch is true. ' +
        'Fix: leave map_public_ip_on_launch false; public endpoints get addresses from their own resources (NAT EIPs, load balancers); ' +
        "or, if the finding is accepted, add { control: 'EC2.15', resource: 'network/aws_subnet.public', reason: '...' } to prod.policy.exceptions.",
    );
  });

  test('under `cdktf synth` (which sets CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS) the error reaches the manifest the CLI fails on', () => {
    process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = 'true';
    try {
      const app = appWithPublicSubnet();
      app.synth();
      const manifest = JSON.parse(fs.readFileSync(path.join(app.outdir, 'manifest.json'), 'utf8'));
      expect(manifest.stacks.network.annotations.map((a: any) => [a.constructPath, a.level, a.message.slice(0, 31)])).toEqual([['network/public', '@cdktf/error', '[policy EC2.15] stack "network"']]);
    } finally {
      delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    }
  });

  test('an exception with a reason lets synth pass', () => {
    expect(() => appWithPublicSubnet([{ control: 'EC2.15', resource: 'network/aws_subnet.public', reason: 'test fixture, accepted' }]).synth()).not.toThrow();
  });

  test('a stale exception fails synth', () => {
    expect(() =>
      appWithPublicSubnet([
        { control: 'EC2.15', reason: 'test fixture, accepted' },
        { control: 'EC2.2', reason: 'nothing fails EC2.2 here' },
      ]).synth(),
    ).toThrow('[network] [policy exception] prod.policy.exceptions[1] (EC2.2) is stale: EC2.2 does not fail on any resource in environment prod (stacks network); remove it.');
  });

  test('a stack left out of enforcePolicy fails synth', () => {
    const app = appWithPublicSubnet([{ control: 'EC2.15', reason: 'test fixture, accepted' }]);
    new AwsProvider(new TerraformStack(app, 'argocd'), 'aws', { region: 'ap-northeast-2' });
    expect(() => app.synth()).toThrow(/stack "argocd" is not checked by the policy: pass it to enforcePolicy/);
  });

  test('evaluatePolicy reports without synthesizing, and needs a registered policy', () => {
    const report = evaluatePolicy(appWithPublicSubnet());
    expect(report.scopes.map((s) => [s.scope, tally(s.checks).failed])).toEqual([['prod', 1]]);
    expect(() => evaluatePolicy(appWithPublicSubnet([], false))).toThrow('no policy is registered on this app: stacks/app.ts calls enforcePolicy');
  });
});

describe('the real app', () => {
  test.each(ALL_ENVIRONMENTS)('%s: synth passes the policy: no failed check and no exception problem in the environment or the account stacks', (envName) => {
    const { stacks } = synthApp(envName); // app.synth() throws on any policy error
    const report = PolicyAspect.of(App.of(stacks.network) as App)!.evaluate();
    expect(report.scopes.map((s) => s.scope)).toEqual([envName, 'account']);
    // Every stack of the app is checked in exactly one scope; only registry and bootstrap are account-wide.
    const appStacks = App.of(stacks.network).node.findAll().filter(TerraformStack.isStack).map((s) => s.node.id).sort();
    expect([...report.scopes[0].stacks, ...report.scopes[1].stacks].sort()).toEqual(appStacks);
    expect(report.scopes[1].stacks).toEqual(['registry', 'dns', 'billing', 'bootstrap']);
    expect(report.scopes[0].stacks).toEqual(['network', 'cluster', 'data', 'edge', 'observability', 'argocd']);
    for (const scope of report.scopes) {
      expect(scope.checks.filter((c) => c.status === 'failed')).toEqual([]);
      expect(scope.exceptionProblems).toEqual([]);
    }
  });
});
