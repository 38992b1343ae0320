import { parse } from 'yaml';
import { promote } from '../../cli/promote';
import { setImage } from '../../cli/set-image';
import { changedLines, run, tempProject, TempProject } from './helpers/project';

const OVERLAY = (env: string) => `gitops/overlays/${env}/kustomization.yaml`;
const SERVICES = ['backend', 'auth-service', 'ticket-service', 'payment-service', 'stats-service'];
const tags = (p: TempProject, env: string): Record<string, string> =>
  Object.fromEntries((parse(p.read(OVERLAY(env))).images as { name: string; newTag: string }[]).map((i) => [i.name, i.newTag]));

let project: TempProject;
beforeEach(async () => {
  project = tempProject();
  // A released dev (two services built on develop, the others promoted before) and an older staging and prod.
  const pin = async (env: string, service: string, tag: string) => expect((await run(setImage, project.root, [env, service, tag])).code).toBe(0);
  await pin('dev', 'backend', 'dev-aaaaaaaaaaaa');
  await pin('dev', 'auth-service', 'dev-bbbbbbbbbbbb');
  for (const s of ['ticket-service', 'payment-service', 'stats-service']) await pin('dev', s, 'rel-cccccccccccc');
  for (const s of SERVICES) await pin('staging', s, 'rel-cccccccccccc');
  for (const s of SERVICES) await pin('prod', s, 'rel-cccccccccccc');
});
afterEach(() => project.remove());

describe('promote: good paths', () => {
  test('dev -> staging turns dev-<sha12> into rel-<sha12>, copies rel-* as is, one line per changed service', async () => {
    const before = project.read(OVERLAY('staging'));
    const result = await run(promote, project.root, ['dev', 'staging']);
    expect(result.code).toBe(0);
    expect(result.stdout).toEqual([
      'promote: dev -> staging: 2 changed (tiketi-backend rel-cccccccccccc -> rel-aaaaaaaaaaaa, tiketi-auth-service rel-cccccccccccc -> rel-bbbbbbbbbbbb), 3 unchanged (gitops/overlays/staging/kustomization.yaml)',
    ]);
    expect(tags(project, 'staging')).toEqual({
      'tiketi-auth-service': 'rel-bbbbbbbbbbbb',
      'tiketi-backend': 'rel-aaaaaaaaaaaa',
      'tiketi-payment-service': 'rel-cccccccccccc',
      'tiketi-stats-service': 'rel-cccccccccccc',
      'tiketi-ticket-service': 'rel-cccccccccccc',
    });
    expect(changedLines(before, project.read(OVERLAY('staging')))).toHaveLength(2);
  });

  test('staging -> prod copies release tags unchanged, for the services named only', async () => {
    await run(promote, project.root, ['dev', 'staging']);
    const result = await run(promote, project.root, ['staging', 'prod', 'auth-service']);
    expect(result.code).toBe(0);
    expect(result.stdout[0]).toBe('promote: staging -> prod: 1 changed (tiketi-auth-service rel-cccccccccccc -> rel-bbbbbbbbbbbb), 0 unchanged (gitops/overlays/prod/kustomization.yaml)');
    expect(tags(project, 'prod')['tiketi-backend']).toBe('rel-cccccccccccc');
    expect(tags(project, 'prod')['tiketi-auth-service']).toBe('rel-bbbbbbbbbbbb');
  });

  test('--plan writes nothing and lists what the workflow must retag in ECR before it commits', async () => {
    const before = project.snapshot();
    const result = await run(promote, project.root, ['dev', 'staging', 'backend', 'stats-service', '--plan']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout[0])).toEqual({
      from: 'dev',
      to: 'staging',
      images: [
        { service: 'backend', repository: 'tiketi-backend', sourceTag: 'dev-aaaaaaaaaaaa', targetTag: 'rel-aaaaaaaaaaaa', previousTag: 'rel-cccccccccccc', retag: true, changed: true },
        { service: 'stats-service', repository: 'tiketi-stats-service', sourceTag: 'rel-cccccccccccc', targetTag: 'rel-cccccccccccc', previousTag: 'rel-cccccccccccc', retag: false, changed: false },
      ],
    });
    expect(project.snapshot()).toEqual(before);
  });

  test('promoting twice changes nothing the second time', async () => {
    await run(promote, project.root, ['dev', 'staging']);
    const before = project.snapshot();
    const result = await run(promote, project.root, ['dev', 'staging']);
    expect(result.stdout[0]).toBe('promote: dev -> staging: 0 changed, 5 unchanged (gitops/overlays/staging/kustomization.yaml)');
    expect(project.snapshot()).toEqual(before);
  });
});

describe('promote: bad input is refused, nothing written', () => {
  test.each([
    [['dev'], 2, 'promote: expected <from-env> <to-env>'],
    [['dev', 'prod'], 2, 'promote: cannot promote dev -> prod: promotion goes dev -> staging -> prod, so dev promotes to staging only'],
    [['staging', 'dev'], 2, 'promote: cannot promote staging -> dev: promotion goes dev -> staging -> prod, so staging promotes to prod only'],
    [['prod', 'staging'], 2, 'promote: cannot promote prod -> staging: promotion goes dev -> staging -> prod, so prod promotes nowhere (it is the last)'],
    [['dev', 'qa'], 2, 'promote: <to-env>: got "qa", expected one of dev, staging, prod'],
    [['develop', 'staging'], 2, 'promote: <from-env>: got "develop", expected one of dev, staging, prod'],
    [['dev', 'staging', 'frontend'], 2, 'promote: <service>: got "frontend", expected one of backend, auth-service, ticket-service, payment-service, stats-service'],
    [['dev', 'staging', 'backend', 'backend'], 2, 'promote: service backend named twice'],
  ] as [string[], number, string][])('%j exits %i', async (argv, code, message) => {
    const before = project.snapshot();
    const result = await run(promote, project.root, argv);
    expect(result.code).toBe(code);
    expect(result.stderr[0]).toBe(message);
    expect(project.snapshot()).toEqual(before);
  });

  test('a source tag outside the scheme, or the never-released placeholder, stops the whole promotion', async () => {
    project.write(OVERLAY('dev'), project.read(OVERLAY('dev')).replace('newTag: dev-bbbbbbbbbbbb', 'newTag: 0.1.0'));
    let before = project.snapshot();
    let result = await run(promote, project.root, ['dev', 'staging']);
    expect(result.code).toBe(1);
    expect(result.stderr).toEqual(['promote: tiketi-auth-service in dev is 0.1.0, which is not in the tag scheme (dev-<sha12> or rel-<sha12>): release it first']);
    expect(project.snapshot()).toEqual(before); // backend, before it in the list, was not written either

    project.write(OVERLAY('dev'), project.read(OVERLAY('dev')).replace('newTag: 0.1.0', 'newTag: dev-000000000000'));
    before = project.snapshot();
    result = await run(promote, project.root, ['dev', 'staging']);
    expect(result.code).toBe(1);
    expect(result.stderr).toEqual(['promote: tiketi-auth-service in dev is dev-000000000000, the placeholder of an overlay that was never released: release auth-service to dev first']);
    expect(project.snapshot()).toEqual(before);
  });
});
