import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { transformFileSync } from '@swc/core';
import { apiTunnelCommand } from '../../cli/api-tunnel';
import { CommandError, runCommand } from '../../cli/lib/command';
import { processRunner } from '../../cli/lib/runner';
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

  test('two running hosts (a replacement under way): the one Auto Scaling has InService and healthy is used', async () => {
    const runner = fakeRunner([
      ['aws ec2 describe-instances', 'i-old\ti-new'],
      ['aws autoscaling describe-auto-scaling-instances', 'i-old\tTerminating\tUNHEALTHY\ni-new\tInService\tHEALTHY\n'],
      ['aws eks describe-cluster', `${ENDPOINT}\t${ARN}`],
    ]);
    expect(await runCommand(apiTunnelCommand(runner), ['--env', 'prod', '--no-kubeconfig'], fakeIo())).toBe(0);
    expect(runner.calls).toContain('capture aws autoscaling describe-auto-scaling-instances --region ap-northeast-2 --instance-ids i-old i-new --query AutoScalingInstances[].[InstanceId,LifecycleState,HealthStatus] --output text');
    expect(runner.calls[runner.calls.length - 1]).toMatch(/^run aws ssm start-session --region ap-northeast-2 --target i-new /);
  });

  test('one running host needs no Auto Scaling lookup', async () => {
    const runner = fakeRunner([['aws ec2 describe-instances', 'i-0123456789abcdef0'], ['aws eks describe-cluster', `${ENDPOINT}\t${ARN}`]]);
    expect(await runCommand(apiTunnelCommand(runner), ['--env', 'prod', '--no-kubeconfig'], fakeIo())).toBe(0);
    expect(runner.calls.some((c) => c.includes('autoscaling'))).toBe(false);
  });

  test('no host, or two that Auto Scaling does not tell apart, is a failure naming what was found; nothing is forwarded', async () => {
    const cases: [string, string, RegExp][] = [
      ['', '', /found 0: deploy the cluster stack/],
      ['i-1\ti-2', 'i-1\tInService\tHEALTHY\ni-2\tInService\tHEALTHY', /found 2 \(i-1, i-2\) of which 2 InService and healthy in its Auto Scaling group \(i-1, i-2\)/],
      ['i-1\ti-2', 'i-1\tPending\tHEALTHY\ni-2\tInService\tUNHEALTHY', /found 2 \(i-1, i-2\) of which 0 InService and healthy/],
      ['i-1\ti-2', '', /found 2 \(i-1, i-2\) of which 0/],
    ];
    for (const [answer, groupAnswer, message] of cases) {
      const runner = fakeRunner([['aws ec2', answer], ['aws autoscaling', groupAnswer]]);
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

  describe('--background (what CI runs)', () => {
    const answers: [string, string][] = [['aws ec2 describe-instances', 'i-0123456789abcdef0'], ['aws eks describe-cluster', `${ENDPOINT}\t${ARN}`]];

    test('starts the session detached, waits until the port accepts connections, prints the port and returns; --no-kubeconfig writes no context', async () => {
      const runner = fakeRunner(answers);
      const io = fakeIo();
      expect(await runCommand(apiTunnelCommand(runner), ['--env', 'staging', '--background', '--no-kubeconfig', '--log', '/tmp/tunnel.log'], io)).toBe(0);
      expect(runner.calls.slice(2)).toEqual([
        'detach aws ssm start-session --region ap-northeast-2 --target i-0123456789abcdef0 --document-name AWS-StartPortForwardingSessionToRemoteHost --parameters host=ABCDEF0123456789.gr7.ap-northeast-2.eks.amazonaws.com,portNumber=443,localPortNumber=8444 >> /tmp/tunnel.log',
        'wait-port 8444',
      ]);
      expect(io.stdout).toEqual([
        'api-tunnel: port 8444 open in the background: 127.0.0.1:8444 -> ABCDEF0123456789.gr7.ap-northeast-2.eks.amazonaws.com:443 (no kubeconfig context; session pid 4242, output /tmp/tunnel.log; stop it with kill 4242)',
      ]);
    });

    test('without --no-kubeconfig it writes the context as in the foreground, then detaches', async () => {
      const runner = fakeRunner(answers);
      expect(await runCommand(apiTunnelCommand(runner), ['--env', 'dev', '--background'], fakeIo())).toBe(0);
      expect(runner.calls.map((c) => c.split(' ').slice(0, 4).join(' '))).toEqual([
        'capture aws ec2 describe-instances',
        'capture aws eks describe-cluster',
        'run aws eks update-kubeconfig',
        `run kubectl config set-cluster`,
        'detach aws ssm start-session',
        'wait-port 8443',
      ]);
      expect(runner.calls[4]).toMatch(new RegExp(`localPortNumber=8443 >> ${path.join(os.tmpdir(), 'tiketi-api-tunnel-dev.log').replace(/[.]/g, '\\.')}$`));
    });

    test('a session that ends before the port opens, or a port that stays closed, fails naming the log, and the session is ended', async () => {
      const ended = { ...fakeRunner(answers) };
      const calls = ended.calls;
      ended.detach = (_argv, log) => {
        calls.push(`detach >> ${log}`);
        return { pid: 7, exited: Promise.resolve(254), kill: () => void calls.push('kill 7') };
      };
      ended.waitForPort = () => new Promise<void>(() => undefined);
      let io = fakeIo();
      expect(await runCommand(apiTunnelCommand(ended), ['--env', 'prod', '--background', '--no-kubeconfig', '--log', '/tmp/t.log'], io)).toBe(1);
      expect(io.stderr).toEqual(['api-tunnel: the SSM session ended (exit code 254) before 127.0.0.1:8445 opened; its output is in /tmp/t.log']);
      expect(calls.slice(-1)).toEqual(['kill 7']);

      const closed = fakeRunner(answers);
      closed.waitForPort = async () => {
        throw new CommandError('nothing listens on 127.0.0.1:8445 after 60 s (is the tunnel up?)');
      };
      io = fakeIo();
      expect(await runCommand(apiTunnelCommand(closed), ['--env', 'prod', '--background', '--no-kubeconfig', '--log', '/tmp/t.log'], io)).toBe(1);
      expect(io.stderr).toEqual(["api-tunnel: nothing listens on 127.0.0.1:8445 after 60 s (is the tunnel up?); the session's output is in /tmp/t.log"]);
      expect(closed.calls.slice(-1)).toEqual(['kill 4242']);
    });

    test('--log without --background is a usage error', async () => {
      const runner = fakeRunner(answers);
      expect(await runCommand(apiTunnelCommand(runner), ['--env', 'dev', '--log', 'x.log'], fakeIo())).toBe(2);
      expect(runner.calls).toEqual([]);
    });

    test('the real runner: the detached process runs on with its output in the log, the port check sees it, kill ends it', async () => {
      const port = await freePort();
      const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tiketi-tunnel-')), 'session.log');
      const runner = processRunner();
      const child = runner.detach([process.execPath, '-e', `require('net').createServer().listen(${port}, '127.0.0.1', () => console.log('Waiting for connections...'))`], log);
      try {
        await runner.waitForPort(port, 10_000);
        expect(fs.readFileSync(log, 'utf8')).toContain('Waiting for connections...');
      } finally {
        child.kill();
      }
      expect(await child.exited).toBeNull(); // ended by the signal
    });

    test('the real runner, as a CI step runs it: the command process exits by itself, the detached session keeps listening', async () => {
      const port = await freePort();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiketi-tunnel-'));
      // The runner as compiled code in a separate node process, like `npm run api-tunnel -- --background`.
      for (const file of ['runner', 'command']) {
        const { code } = transformFileSync(path.join(__dirname, '..', '..', 'cli', 'lib', `${file}.ts`), { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } });
        fs.writeFileSync(path.join(dir, `${file}.js`), code);
      }
      const session = `require('net').createServer().listen(${port}, '127.0.0.1', () => console.log('listening'))`;
      const parent = `const r = require('./runner').processRunner(); const p = r.detach([process.execPath, '-e', ${JSON.stringify(session)}], 'session.log'); console.log(p.pid); r.waitForPort(${port}, 10000).then(() => console.log('open'));`;
      const started = Date.now();
      const run = spawnSync(process.execPath, ['-e', parent], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
      const [pid, open] = run.stdout.trim().split('\n');
      try {
        expect({ status: run.status, stderr: run.stderr, open }).toEqual({ status: 0, stderr: '', open: 'open' });
        expect(Date.now() - started).toBeLessThan(15_000); // returned without waiting for the session to end
        await processRunner().waitForPort(port, 5_000);
        expect(fs.readFileSync(path.join(dir, 'session.log'), 'utf8')).toContain('listening');
      } finally {
        for (const target of [-Number(pid), Number(pid)]) {
          try {
            if (Number(pid) > 0) process.kill(target, 'SIGTERM');
          } catch {
            // not a group leader (not detached), or already gone
          }
        }
      }
    });
  });
});

function freePort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
