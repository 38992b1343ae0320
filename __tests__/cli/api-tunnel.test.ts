import { apiTunnelCommand } from '../../cli/api-tunnel';
import { runCommand } from '../../cli/lib/command';
import { fakeIo, fakeRunner } from './fakes';

const ENDPOINT = 'https://ABCDEF0123456789.gr7.ap-northeast-2.eks.amazonaws.com';
const ARN = 'arn:aws:eks:ap-northeast-2:123456789012:cluster/tiketi-prod';

describe('npm run api-tunnel', () => {
  test('finds the tagged host, points the kubeconfig at the local end with the real TLS name, then forwards 443', async () => {
    const runner = fakeRunner([
      ['aws ec2 describe-instances', 'i-0123456789abcdef0'],
      ['aws eks describe-cluster', `${ENDPOINT}\t${ARN}`],
    ]);
    const io = fakeIo();
    expect(await runCommand(apiTunnelCommand(runner), ['--env', 'prod'], io)).toBe(0);
    expect(runner.calls).toEqual([
      'capture aws ec2 describe-instances --region ap-northeast-2 --filters Name=tag:tiketi:role,Values=api-access Name=tag:Environment,Values=prod Name=instance-state-name,Values=running --query Reservations[].Instances[].InstanceId --output text',
      'capture aws eks describe-cluster --region ap-northeast-2 --name tiketi-prod --query [cluster.endpoint,cluster.arn] --output text',
      'run aws eks update-kubeconfig --region ap-northeast-2 --name tiketi-prod --alias tiketi-prod',
      `run kubectl config set-cluster ${ARN} --server=https://127.0.0.1:8445 --tls-server-name=ABCDEF0123456789.gr7.ap-northeast-2.eks.amazonaws.com`,
      'run aws ssm start-session --region ap-northeast-2 --target i-0123456789abcdef0 --document-name AWS-StartPortForwardingSessionToRemoteHost --parameters host=ABCDEF0123456789.gr7.ap-northeast-2.eks.amazonaws.com,portNumber=443,localPortNumber=8445',
    ]);
    expect(io.stdout).toEqual(['api-tunnel: closed the tunnel 127.0.0.1:8445 -> ABCDEF0123456789.gr7.ap-northeast-2.eks.amazonaws.com:443 (context tiketi-prod)']);
  });

  test('the port follows the settings, one per environment, and --port overrides it', async () => {
    for (const [env, port] of [['dev', 8443], ['staging', 8444]] as const) {
      const runner = fakeRunner([['aws ec2', 'i-1'], ['aws eks describe-cluster', `${ENDPOINT}\t${ARN}`]]);
      expect(await runCommand(apiTunnelCommand(runner), ['--env', env], fakeIo())).toBe(0);
      expect(runner.calls[runner.calls.length - 1]).toMatch(new RegExp(`localPortNumber=${port}$`));
    }
    const runner = fakeRunner([['aws ec2', 'i-1'], ['aws eks describe-cluster', `${ENDPOINT}\t${ARN}`]]);
    expect(await runCommand(apiTunnelCommand(runner), ['--env', 'dev', '--port', '9443'], fakeIo())).toBe(0);
    expect(runner.calls[runner.calls.length - 1]).toMatch(/localPortNumber=9443$/);
  });

  test('no host, or two, is a failure naming what was found; nothing is forwarded', async () => {
    for (const [answer, message] of [['', /found 0: deploy the cluster stack/], ['i-1\ti-2', /found 2 \(i-1, i-2\)/]] as const) {
      const runner = fakeRunner([['aws ec2', answer]]);
      const io = fakeIo();
      expect(await runCommand(apiTunnelCommand(runner), ['--env', 'dev'], io)).toBe(1);
      expect(io.stderr.join('\n')).toMatch(message);
      expect(runner.calls.some((c) => c.includes('start-session'))).toBe(false);
    }
  });

  test('a bad port or environment is a usage error', async () => {
    for (const argv of [['--env', 'dev', '--port', '80'], ['--env', 'qa'], []]) {
      expect(await runCommand(apiTunnelCommand(fakeRunner()), argv, fakeIo())).toBe(2);
    }
  });
});
