import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { setImage } from '../../cli/set-image';
import { changedLines, REPO_ROOT, run, tempProject, TempProject } from './helpers/project';

const OVERLAY = (env: string) => `gitops/overlays/${env}/kustomization.yaml`;
const tagOf = (p: TempProject, env: string, image: string): string | undefined =>
  (parse(p.read(OVERLAY(env))).images as { name: string; newTag?: string }[]).find((i) => i.name === image)?.newTag;

let project: TempProject;
beforeEach(() => {
  project = tempProject();
});
afterEach(() => project.remove());

describe('set-image: good paths', () => {
  test.each([
    ['dev', 'backend', 'dev-0123456789ab'],
    ['dev', 'stats-service', 'rel-0123456789ab'],
    ['staging', 'auth-service', 'rel-abcdef012345'],
    ['prod', 'payment-service', 'rel-fedcba987654'],
  ])('%s %s %s changes exactly the newTag line and keeps comments and layout', async (env, service, tag) => {
    const before = project.read(OVERLAY(env));
    const result = await run(setImage, project.root, [env, service, tag]);
    expect(result.code).toBe(0);
    expect(result.stdout).toHaveLength(1);
    expect(result.stdout[0]).toMatch(new RegExp(`^set-image: ${env} tiketi-${service} \\S+ -> ${tag} \\(gitops/overlays/${env}/kustomization.yaml\\)$`));
    const after = project.read(OVERLAY(env));
    expect(changedLines(before, after)).toEqual([[expect.stringMatching(/^ {4}newTag: /), `    newTag: ${tag}`]]);
    // The line changed belongs to the named image, nothing else moved.
    expect(tagOf(project, env, `tiketi-${service}`)).toBe(tag);
  });

  test('the rest of the file stays byte for byte: comment spacing, quoting, blank lines', async () => {
    const text = [
      'resources:',
      '  - ../../base      # aligned comment',
      '',
      'images:',
      '  - name: tiketi-backend',
      '    newTag: "rel-111111111111"   # quoted on purpose',
      '  - name: tiketi-auth-service',
      "    newTag: 'rel-111111111111'",
      '',
    ].join('\n');
    project.write(OVERLAY('prod'), text);
    expect((await run(setImage, project.root, ['prod', 'backend', 'rel-222222222222'])).code).toBe(0);
    expect((await run(setImage, project.root, ['prod', 'auth-service', 'rel-333333333333'])).code).toBe(0);
    expect(project.read(OVERLAY('prod'))).toBe(text.replace('"rel-111111111111"', '"rel-222222222222"').replace("'rel-111111111111'", "'rel-333333333333'"));
  });

  test('setting the tag an overlay already has writes nothing and says so', async () => {
    await run(setImage, project.root, ['prod', 'backend', 'rel-0123456789ab']);
    const before = project.snapshot();
    const result = await run(setImage, project.root, ['prod', 'backend', 'rel-0123456789ab']);
    expect(result.code).toBe(0);
    expect(result.stdout[0]).toBe('set-image: prod tiketi-backend already at rel-0123456789ab, nothing changed (gitops/overlays/prod/kustomization.yaml)');
    expect(project.snapshot()).toEqual(before);
  });

  test('like kustomize edit set image: a digest is dropped, newName and comments stay, a missing entry is added in name order', async () => {
    project.write(
      OVERLAY('staging'),
      [
        'resources: []',
        'images:',
        '  # the gateway',
        '  - name: tiketi-backend',
        '    newName: example.org/tiketi-backend # mirror',
        '    newTag: rel-111111111111',
        '    digest: sha256:0000000000000000000000000000000000000000000000000000000000000000',
        '  - name: tiketi-ticket-service',
        '    newTag: rel-111111111111',
        '',
      ].join('\n'),
    );
    expect((await run(setImage, project.root, ['staging', 'backend', 'rel-222222222222'])).code).toBe(0);
    expect((await run(setImage, project.root, ['staging', 'payment-service', 'rel-333333333333'])).code).toBe(0);
    expect(project.read(OVERLAY('staging'))).toBe(
      [
        'resources: []',
        'images:',
        '  # the gateway',
        '  - name: tiketi-backend',
        '    newName: example.org/tiketi-backend # mirror',
        '    newTag: rel-222222222222',
        '  - name: tiketi-payment-service',
        '    newTag: rel-333333333333',
        '  - name: tiketi-ticket-service',
        '    newTag: rel-111111111111',
        '',
      ].join('\n'),
    );
  });
});

describe('set-image: every bad input is refused with what is allowed, and nothing is written', () => {
  test.each([
    // [argv, exit code, message on stderr]
    [['dev', 'backend'], 2, 'set-image: expected 3 arguments (<env> <service> <tag>), got 2'],
    [['dev', 'backend', 'dev-0123456789ab', 'extra'], 2, 'set-image: expected 3 arguments (<env> <service> <tag>), got 4'],
    [['qa', 'backend', 'rel-0123456789ab'], 2, 'set-image: <env>: got "qa", expected one of dev, staging, prod'],
    [['production', 'backend', 'rel-0123456789ab'], 2, 'set-image: <env>: got "production", expected one of dev, staging, prod'],
    [['prod', 'frontend', 'rel-0123456789ab'], 2, 'set-image: <service>: got "frontend", expected one of backend, auth-service, ticket-service, payment-service, stats-service'],
    [['prod', 'tiketi-backend', 'rel-0123456789ab'], 2, 'set-image: <service>: got "tiketi-backend", expected one of backend, auth-service, ticket-service, payment-service, stats-service'],
    [['prod', 'backend', 'rel-0123456789ab:latest'], 2, 'set-image: malformed tag "rel-0123456789ab:latest": a tag is 1-128 letters, digits, "_", "." and "-", not starting with "." or "-"; prod accepts rel-<sha12> (<sha12> = the first 12 lower-case hex digits of the commit the image was built from)'],
    [['prod', 'backend', '--', '-rel'], 2, 'set-image: malformed tag "-rel": a tag is 1-128 letters, digits, "_", "." and "-", not starting with "." or "-"; prod accepts rel-<sha12> (<sha12> = the first 12 lower-case hex digits of the commit the image was built from)'],
    [['prod', 'backend', ''], 2, 'set-image: malformed tag "": a tag is 1-128 letters, digits, "_", "." and "-", not starting with "." or "-"; prod accepts rel-<sha12> (<sha12> = the first 12 lower-case hex digits of the commit the image was built from)'],
    [['prod', 'backend', 'dev-0123456789ab'], 1, 'set-image: tag "dev-0123456789ab" does not follow the tag scheme for prod: prod accepts rel-<sha12> (<sha12> = the first 12 lower-case hex digits of the commit the image was built from)'],
    [['staging', 'backend', 'dev-0123456789ab'], 1, 'set-image: tag "dev-0123456789ab" does not follow the tag scheme for staging: staging accepts rel-<sha12> (<sha12> = the first 12 lower-case hex digits of the commit the image was built from)'],
    [['dev', 'backend', 'latest'], 1, 'set-image: tag "latest" does not follow the tag scheme for dev: dev accepts dev-<sha12> or rel-<sha12> (<sha12> = the first 12 lower-case hex digits of the commit the image was built from)'],
    [['dev', 'backend', '0.1.0'], 1, 'set-image: tag "0.1.0" does not follow the tag scheme for dev: dev accepts dev-<sha12> or rel-<sha12> (<sha12> = the first 12 lower-case hex digits of the commit the image was built from)'],
    [['prod', 'backend', 'rel-0123456789AB'], 1, 'set-image: tag "rel-0123456789AB" does not follow the tag scheme for prod: prod accepts rel-<sha12> (<sha12> = the first 12 lower-case hex digits of the commit the image was built from)'],
    [['prod', 'backend', 'rel-0123456789a'], 1, 'set-image: tag "rel-0123456789a" does not follow the tag scheme for prod: prod accepts rel-<sha12> (<sha12> = the first 12 lower-case hex digits of the commit the image was built from)'],
    [['prod', 'backend', 'rel-0123456789abc'], 1, 'set-image: tag "rel-0123456789abc" does not follow the tag scheme for prod: prod accepts rel-<sha12> (<sha12> = the first 12 lower-case hex digits of the commit the image was built from)'],
    [['prod', 'backend', 'rel-0123456789ab', '--force'], 2, /^set-image: Unknown option '--force'/],
  ] as [string[], number, string | RegExp][])('%j exits %i', async (argv, code, message) => {
    const before = project.snapshot();
    const result = await run(setImage, project.root, argv);
    expect(result.code).toBe(code);
    if (typeof message === 'string') expect(result.stderr[0]).toBe(message);
    else expect(result.stderr[0]).toMatch(message);
    if (code === 2) expect(result.stderr.join('\n')).toContain('usage: npm run set-image -- <env> <service> <tag>');
    expect(result.stdout).toEqual([]);
    expect(project.snapshot()).toEqual(before);
  });

  test('an overlay without images: is a failure, not a silent addition', async () => {
    project.write(OVERLAY('prod'), 'resources: []\n');
    const before = project.snapshot();
    const result = await run(setImage, project.root, ['prod', 'backend', 'rel-0123456789ab']);
    expect(result.code).toBe(1);
    expect(result.stderr).toEqual(['set-image: gitops/overlays/prod/kustomization.yaml has no images: list']);
    expect(project.snapshot()).toEqual(before);
  });

  test('--help lists the environments, services and the tag scheme', async () => {
    const result = await run(setImage, project.root, ['--help']);
    expect(result.code).toBe(0);
    const help = result.stdout.join('\n');
    expect(help).toContain('<env>      one of dev, staging, prod');
    expect(help).toContain('<service>  one of backend, auth-service, ticket-service, payment-service, stats-service');
    expect(help).toContain('dev accepts dev-<sha12> or rel-<sha12>; staging accepts rel-<sha12>; prod accepts rel-<sha12>');
  });
});

describe('the committed overlays', () => {
  test.each(['dev', 'staging', 'prod'])('%s pins a scheme-valid tag for every service', (env) => {
    const images = parse(fs.readFileSync(path.join(REPO_ROOT, OVERLAY(env)), 'utf8')).images as { name: string; newTag: string }[];
    expect(images.map((i) => i.name).sort()).toEqual(['tiketi-auth-service', 'tiketi-backend', 'tiketi-payment-service', 'tiketi-stats-service', 'tiketi-ticket-service']);
    for (const image of images) expect(image.newTag).toMatch(env === 'dev' ? /^(dev|rel)-[0-9a-f]{12}$/ : /^rel-[0-9a-f]{12}$/);
  });
});
