/**
 * The shell scripts the workflows run (.github/scripts/): syntax (bash -n, and shellcheck where it is
 * installed), pinned downloads, and the behaviour that matters, run for real against local stand-ins:
 * a git remote that moves under a release, and an `aws` that answers like ECR.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT } from './helpers';

const SCRIPTS = path.join(REPO_ROOT, '.github', 'scripts');
const scripts = fs.readdirSync(SCRIPTS).filter((f) => f.endsWith('.sh')).sort();
const sh = (cwd: string, command: string, env: NodeJS.ProcessEnv = {}) => {
  const r = spawnSync('bash', ['-c', command], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tiketi-scripts-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The CI scripts of `.ci/` are linted with the workflow scripts. */
const CI_SCRIPTS = [path.join('..', '..', '.ci', 'run'), path.join('..', '..', '.ci', 'ensure-shellcheck.sh')];
const hasShellcheck = spawnSync('shellcheck', ['--version']).status === 0;

test.each([...scripts, ...CI_SCRIPTS])('%s: valid bash, strict mode, shellcheck clean (required where .ci/run installed it)', (file) => {
  const text = fs.readFileSync(path.join(SCRIPTS, file), 'utf8');
  expect(text.startsWith('#!/usr/bin/env bash\n')).toBe(true);
  expect(text).toContain('set -euo pipefail');
  expect(sh(SCRIPTS, `bash -n ${file}`).code).toBe(0);
  if (hasShellcheck) {
    const check = spawnSync('shellcheck', ['-x', file], { cwd: SCRIPTS, encoding: 'utf8' });
    expect(check.stdout).toBe('');
  } else {
    // .ci/run exports TIKETI_REQUIRE_SHELLCHECK=1 once shellcheck is installed: then a missing one is a failure.
    expect({ shellcheck: 'not installed', TIKETI_REQUIRE_SHELLCHECK: process.env.TIKETI_REQUIRE_SHELLCHECK }).toEqual({ shellcheck: 'not installed', TIKETI_REQUIRE_SHELLCHECK: undefined });
    console.warn('shellcheck is not installed: only bash -n checked the scripts');
  }
});

describe('.ci/ensure-shellcheck.sh (sourced by .ci/run), with stand-ins for apt-get, sudo and shellcheck', () => {
  const ensure = path.join(REPO_ROOT, '.ci', 'ensure-shellcheck.sh');
  /** Runs ensure_shellcheck with only `stubs` on PATH; returns its output, the apt-get calls and the exported flag. */
  function run(stubs: Record<string, string>) {
    const bin = path.join(tmp, 'bin');
    fs.mkdirSync(bin, { recursive: true });
    for (const [name, body] of Object.entries(stubs)) fs.writeFileSync(path.join(bin, name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
    const log = path.join(tmp, 'apt.log');
    const r = spawnSync('/bin/bash', ['-c', `. "${ensure}" && ensure_shellcheck && echo "REQUIRE=\${TIKETI_REQUIRE_SHELLCHECK:-unset}"`], {
      encoding: 'utf8',
      env: { PATH: bin, BIN: bin, LOG: log },
    });
    return { code: r.status, out: r.stdout + r.stderr, apt: fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [] };
  }
  const sudo = 'exec "${@:2}"'; // sudo -n <command...>
  const installs = 'echo "$*" >>"$LOG"; [ "$1" = install ] && printf "#!/bin/bash\\nexit 0\\n" >"$BIN/shellcheck" && /bin/chmod 0755 "$BIN/shellcheck"; exit 0';

  test('missing, apt-get present: installs it with --no-install-recommends and requires it', () => {
    const r = run({ 'apt-get': installs, sudo });
    expect(r.code).toBe(0);
    expect(r.apt).toEqual(['install -y --no-install-recommends shellcheck']);
    expect(r.out).toContain('REQUIRE=1');
  });

  test('no package lists yet: updates once, then installs', () => {
    const r = run({ 'apt-get': `[ -f "$LOG" ] || { echo "$*" >>"$LOG"; exit 100; }\n${installs}`, sudo });
    expect(r.apt).toEqual(['install -y --no-install-recommends shellcheck', 'update', 'install -y --no-install-recommends shellcheck']);
    expect(r.out).toContain('REQUIRE=1');
  });

  test('apt-get fails: a clear warning, not required, .ci/run goes on', () => {
    const r = run({ 'apt-get': 'echo "$*" >>"$LOG"; exit 100', sudo });
    expect(r.code).toBe(0);
    expect(r.out).toContain('WARNING: apt-get could not install shellcheck');
    expect(r.out).toContain('REQUIRE=unset');
  });

  test('no apt-get: a clear warning, not required', () => {
    const r = run({});
    expect(r.code).toBe(0);
    expect(r.out).toContain('WARNING: shellcheck is not installed (and apt-get is not available to install it)');
    expect(r.out).toContain('REQUIRE=unset');
  });

  test('already installed: apt-get is not called, and it is required', () => {
    const r = run({ shellcheck: 'exit 0', 'apt-get': 'echo "$*" >>"$LOG"' });
    expect(r.apt).toEqual([]);
    expect(r.out).toContain('REQUIRE=1');
  });

  test('.ci/run sources it before npm test', () => {
    const ciRun = fs.readFileSync(path.join(REPO_ROOT, '.ci', 'run'), 'utf8');
    expect(ciRun.indexOf('. .ci/ensure-shellcheck.sh\nensure_shellcheck\n')).toBeGreaterThan(0);
    expect(ciRun.indexOf('ensure_shellcheck\n')).toBeLessThan(ciRun.indexOf('\nnpm test\n'));
  });
});

test('downloads are pinned by version and SHA-256, checked before use', () => {
  const plugin = fs.readFileSync(path.join(SCRIPTS, 'install-session-manager-plugin.sh'), 'utf8');
  expect(plugin).toContain('readonly version=1.2.835.0');
  expect(plugin).toContain('readonly sha256=7c6dcad12518571cc7959a713e6a8ae1bdf6ed66fd9bee37dc189e39ca58ae03');
  expect(plugin.indexOf('sha256sum --check --strict')).toBeLessThan(plugin.indexOf('dpkg --install'));
  const kubectl = fs.readFileSync(path.join(SCRIPTS, 'install-kubectl.sh'), 'utf8');
  expect(kubectl).toContain('readonly version=v1.32.4');
  expect(kubectl).toContain('readonly sha256=10d739e9af8a59c9e7a730a2445916e04bc9cbb44bc79d22ce460cd329fa076c');
  expect(kubectl.indexOf('sha256sum --check --strict')).toBeLessThan(kubectl.indexOf('chmod 0755'));
});

describe('commit-with-retry.sh', () => {
  const script = path.join(SCRIPTS, 'commit-with-retry.sh');
  function repos() {
    sh(tmp, 'git init -q --bare -b develop remote.git && git clone -q remote.git seed 2>/dev/null');
    const seed = path.join(tmp, 'seed');
    fs.writeFileSync(path.join(seed, 'overlay.yaml'), 'images:\n  - name: tiketi-auth-service\n    newTag: dev-000000000000\n  - name: tiketi-backend\n    newTag: dev-000000000000\n');
    sh(seed, 'git -c user.name=t -c user.email=t@t add . && git -c user.name=t -c user.email=t@t commit -qm base && git push -q origin HEAD:develop');
    sh(tmp, 'git clone -q remote.git release && git clone -q remote.git other');
    return { release: path.join(tmp, 'release'), other: path.join(tmp, 'other') };
  }

  test('a release that loses the race to another starts again from the new tip: both land, adjacent lines and all', () => {
    const { release, other } = repos();
    // The command of the first attempt also lets the other release push first (the race), adjacent line.
    fs.writeFileSync(
      path.join(tmp, 'pin-backend.sh'),
      [
        'set -e',
        `if [ ! -f "${tmp}/raced" ]; then touch "${tmp}/raced"`,
        `  (cd "${other}" && sed -i "3s/dev-000000000000/dev-aaaaaaaaaaaa/" overlay.yaml && git -c user.name=o -c user.email=o@o commit -qam auth && git push -q origin HEAD:develop)`,
        'fi',
        'sed -i "5s/dev-000000000000/dev-bbbbbbbbbbbb/" overlay.yaml',
      ].join('\n'),
    );
    const r = sh(release, `bash ${script} bash ${tmp}/pin-backend.sh`, { BRANCH: 'develop', MESSAGE: 'release(dev): tiketi-backend dev-bbbbbbbbbbbb', ATTEMPTS: '3', COMMIT_PATHS: 'overlay.yaml' });
    expect(r.err).not.toContain('::error::');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/develop moved, retrying[\s\S]*pushed [0-9a-f]{12} to develop \(attempt 2\)/);
    const log = sh(tmp, 'git --git-dir=remote.git log --format=%s develop').out.trim().split('\n');
    expect(log).toEqual(['release(dev): tiketi-backend dev-bbbbbbbbbbbb', 'auth', 'base']);
    const final = sh(tmp, 'git --git-dir=remote.git show develop:overlay.yaml').out;
    expect(final).toContain('newTag: dev-aaaaaaaaaaaa');
    expect(final).toContain('newTag: dev-bbbbbbbbbbbb');
  }, 30_000);

  test('nothing to change: nothing committed; a branch that keeps moving: gives up with an error', () => {
    const { release, other } = repos();
    let r = sh(release, `bash ${script} true`, { BRANCH: 'develop', MESSAGE: 'noop' });
    expect(r.code).toBe(0);
    expect(r.out).toContain('nothing to commit on develop');
    // a stray file of the job outside COMMIT_PATHS (default gitops) is never committed
    r = sh(release, `bash ${script} touch stray.txt`, { BRANCH: 'develop', MESSAGE: 'stray' });
    expect(r.out).toContain('nothing to commit on develop');
    fs.writeFileSync(path.join(tmp, 'always-raced.sh'), `set -e\n(cd "${other}" && git pull -q origin develop && date +%N >> other.txt && git add . && git -c user.name=o -c user.email=o@o commit -qm other && git push -q origin HEAD:develop)\ndate +%N >> mine.txt && git add mine.txt\n`);
    r = sh(release, `bash ${script} bash ${tmp}/always-raced.sh`, { BRANCH: 'develop', MESSAGE: 'mine', ATTEMPTS: '2', COMMIT_PATHS: 'mine.txt' });
    expect(r.code).toBe(1);
    expect(r.err).toContain('::error::could not push to develop after 2 attempts');
  }, 30_000);
});

describe('retag-for-promotion.sh and check-image-tags.sh against a stand-in aws', () => {
  /** An `aws` on PATH that answers describe-images / batch-get-image / put-image from a tags file and logs calls. */
  function fakeAws(tags: Record<string, string>) {
    const bin = path.join(tmp, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(tmp, 'tags'), Object.entries(tags).map(([k, v]) => `${k} ${v}`).join('\n') + '\n');
    fs.writeFileSync(
      path.join(bin, 'aws'),
      `#!/usr/bin/env bash
echo "$*" >> "${tmp}/calls"
repo=""; tag=""; args=("$@")
for ((i = 0; i < \${#args[@]}; i++)); do
  case "\${args[i]}" in
    --repository-name) repo="\${args[i+1]}" ;;
    --image-ids) tag="\${args[i+1]#imageTag=}" ;;
    --image-tag) tag="\${args[i+1]}" ;;
  esac
done
digest=$(awk -v k="$repo:$tag" '$1 == k { print $2 }' "${tmp}/tags")
case "$2" in
  describe-images) [ -n "$digest" ] || { echo "ImageNotFoundException" >&2; exit 254; }; echo "$digest" ;;
  batch-get-image) printf '{"images":[{"imageManifest":"{\\\\"manifest\\\\":\\\\"%s\\\\"}","imageManifestMediaType":"application/vnd.oci.image.index.v1+json"}]}\\n' "$digest" ;;
  put-image) echo "$repo:$tag put" >> "${tmp}/puts"; m=$(awk -v k="$repo:$(grep -o 'dev-[0-9a-f]*' <<<"$*" | head -1)" '$1 == k { print $2 }' "${tmp}/tags"); echo "$repo:$tag sha256:copied" >> "${tmp}/tags"; echo "sha256:copied" ;;
esac
`,
    );
    fs.chmodSync(path.join(bin, 'aws'), 0o755);
    return { PATH: `${bin}:${process.env.PATH}` };
  }
  const plan = (images: object[]) => JSON.stringify({ from: 'dev', to: 'staging', images });

  test('dev-<sha12> gets rel-<sha12> with the same manifest and media type; rel-* copied as is must exist', () => {
    const env = fakeAws({ 'tiketi-backend:dev-aaaaaaaaaaaa': 'sha256:aaa', 'tiketi-auth-service:rel-cccccccccccc': 'sha256:ccc' });
    const input = plan([
      { service: 'backend', repository: 'tiketi-backend', sourceTag: 'dev-aaaaaaaaaaaa', targetTag: 'rel-aaaaaaaaaaaa', retag: true, changed: true },
      { service: 'auth-service', repository: 'tiketi-auth-service', sourceTag: 'rel-cccccccccccc', targetTag: 'rel-cccccccccccc', retag: false, changed: false },
    ]);
    fs.writeFileSync(path.join(tmp, 'plan.json'), input);
    const r = sh(tmp, `bash ${SCRIPTS}/retag-for-promotion.sh < plan.json`, env);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const calls = fs.readFileSync(path.join(tmp, 'calls'), 'utf8');
    expect(calls).toContain('ecr batch-get-image --repository-name tiketi-backend --image-ids imageTag=dev-aaaaaaaaaaaa --accepted-media-types');
    expect(calls).toContain('ecr put-image --repository-name tiketi-backend --image-tag rel-aaaaaaaaaaaa --image-manifest {"manifest":"sha256:aaa"} --image-manifest-media-type application/vnd.oci.image.index.v1+json');
    expect(fs.readFileSync(path.join(tmp, 'puts'), 'utf8')).toBe('tiketi-backend:rel-aaaaaaaaaaaa put\n');
    expect(r.out).toContain('retag: every target tag exists');
  });

  test('a source image missing from ECR, or a release tag on another digest, stops the promotion before any commit', () => {
    let env = fakeAws({});
    fs.writeFileSync(path.join(tmp, 'plan.json'), plan([{ repository: 'tiketi-backend', sourceTag: 'dev-aaaaaaaaaaaa', targetTag: 'rel-aaaaaaaaaaaa', retag: true }]));
    let r = sh(tmp, `bash ${SCRIPTS}/retag-for-promotion.sh < plan.json`, env);
    expect(r.code).toBe(1);
    expect(r.err).toContain('::error::tiketi-backend:dev-aaaaaaaaaaaa does not exist in ECR: nothing to promote');
    fs.rmSync(path.join(tmp, 'bin'), { recursive: true });
    env = fakeAws({ 'tiketi-backend:dev-aaaaaaaaaaaa': 'sha256:aaa', 'tiketi-backend:rel-aaaaaaaaaaaa': 'sha256:zzz' });
    r = sh(tmp, `bash ${SCRIPTS}/retag-for-promotion.sh < plan.json`, env);
    expect(r.code).toBe(1);
    expect(r.err).toContain('::error::tiketi-backend:rel-aaaaaaaaaaaa exists with digest sha256:zzz, not sha256:aaa (dev-aaaaaaaaaaaa)');
    expect(fs.existsSync(path.join(tmp, 'puts'))).toBe(false);
  });

  test('check-image-tags: a pinned tag missing from ECR fails, the never-released placeholder only warns', () => {
    const env = fakeAws({ 'tiketi-backend:rel-aaaaaaaaaaaa': 'sha256:aaa' });
    fs.mkdirSync(path.join(tmp, 'gitops', 'overlays', 'prod'), { recursive: true });
    fs.writeFileSync(
      path.join(tmp, 'gitops', 'overlays', 'prod', 'kustomization.yaml'),
      'images:\n  - name: tiketi-backend\n    newTag: rel-aaaaaaaaaaaa\n  - name: tiketi-auth-service\n    newTag: rel-000000000000\n  - name: tiketi-stats-service\n    newTag: rel-bbbbbbbbbbbb\n',
    );
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(tmp, 'node_modules'));
    const r = sh(tmp, `bash ${SCRIPTS}/check-image-tags.sh prod`, env);
    expect(r.code).toBe(1);
    expect(r.out).toContain('check-image-tags: tiketi-backend:rel-aaaaaaaaaaaa exists');
    expect(r.out).toContain('::warning::tiketi-auth-service in prod is the never-released placeholder rel-000000000000');
    expect(r.out).toContain('::error::tiketi-stats-service:rel-bbbbbbbbbbbb is not in ECR');
  });
});

test('gitops-diff.sh: renders every folder at the head, and the rendered diff of what changed since the base', () => {
  sh(tmp, `git init -q -b main repo && cp -r "${REPO_ROOT}/gitops" repo/ && cd repo && git add . && git -c user.name=t -c user.email=t@t commit -qm base`);
  const repo = path.join(tmp, 'repo');
  const base = sh(repo, 'git rev-parse HEAD').out.trim();
  const overlay = path.join(repo, 'gitops', 'overlays', 'staging', 'kustomization.yaml');
  fs.writeFileSync(overlay, fs.readFileSync(overlay, 'utf8').replace(/(name: tiketi-backend\n\s+newTag: )\S+/, '$1rel-0123456789ab'));
  sh(repo, 'git -c user.name=t -c user.email=t@t commit -qam head');
  const r = sh(repo, `bash ${SCRIPTS}/gitops-diff.sh "${tmp}/out.md"`, { BASE_SHA: base, RUNNER_TEMP: tmp });
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/gitops-diff: \d+ folders render at the head/);
  const md = fs.readFileSync(path.join(tmp, 'out.md'), 'utf8');
  expect(md.startsWith('<!-- tiketi-gitops-diff -->\n')).toBe(true);
  expect(md).toContain('<code>gitops/overlays/staging</code>');
  expect(md).toMatch(/\+\s+image: tiketi-backend:rel-0123456789ab/);
  expect(md).not.toContain('<code>gitops/overlays/prod</code>');
}, 60_000);
