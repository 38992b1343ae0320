#!/usr/bin/env node
/**
 * `npm run bench`: measures each budget of the fast loop and prints one table; exits non-zero when a budget is
 * exceeded. Each row is run `--repeat` times (default 3) and reports the median wall time, the median CPU time
 * (user + system of the command and every process it waited for, from GNU time) and the peak memory (max RSS).
 * CPU is the figure to compare across runs on a shared machine: wall time grows with whatever else runs.
 *
 *   synth, unchanged tree           npm run synth after a synth            <= 4 s
 *   synth, one file changed         npm run synth after touching a source   <= 6 s
 *   synth of all three environments every stack of dev, staging and prod in one process, after the build
 *                                                                            <= 3 s, <= 400 MB
 *   cdktf synth (for comparison)    the cdktf CLI with cdktf.json's app (tsc + node)
 *   npm test                        typecheck + lint + every jest suite, terraform included  <= 60 s
 *
 * Options: --no-tests (skip npm test), --repeat N, --cdktf (add the cdktf CLI row).
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const GNU_TIME = '/usr/bin/time';
const ENVIRONMENTS = ['dev', 'staging', 'prod'];

if (process.argv[2] === '--synth-all-child') {
  // Child mode: every stack of every environment in one process, as a test run's shared synth does.
  const { App } = require(require.resolve('cdktf', { paths: [ROOT] }));
  const { addTiketiStacks } = require(path.join(ROOT, 'dist/stacks/app'));
  const { loadEnvironment, loadRegistry } = require(path.join(ROOT, 'dist/config/validate'));
  const { loadBackend } = require(path.join(ROOT, 'dist/config/backend'));
  const out = process.argv[3];
  let stacks = 0;
  for (const name of ENVIRONMENTS) {
    const app = new App({ outdir: path.join(out, name), stackTraces: false });
    addTiketiStacks(app, { env: loadEnvironment(name), registry: loadRegistry(), backend: loadBackend({ TIKETI_BACKEND: 'local' }), projectDir: ROOT });
    app.synth();
    stacks += fs.readdirSync(path.join(out, name, 'stacks')).length;
  }
  console.log(stacks);
  process.exit(0);
}

const args = process.argv.slice(2);
const option = (name) => args.includes(name);
const repeatAt = args.indexOf('--repeat');
const REPEAT = repeatAt >= 0 ? Number(args[repeatAt + 1]) : 3;
const known = new Set(['--no-tests', '--cdktf', '--repeat']);
const unknown = args.filter((a, i) => !known.has(a) && !(i === repeatAt + 1 && repeatAt >= 0));
if (unknown.length > 0 || !(REPEAT >= 1)) {
  console.error(`bench: unknown option ${unknown.join(' ') || `--repeat ${args[repeatAt + 1]}`}; allowed: --no-tests, --cdktf, --repeat N (N >= 1)`);
  process.exit(2);
}
if (!fs.existsSync(GNU_TIME)) {
  console.error(`bench: needs GNU time at ${GNU_TIME} for CPU time and peak memory (apt-get install time)`);
  process.exit(2);
}

/** One run of `command` under GNU time: { wall, cpu, rssMb, stdout }. */
function once(command, commandArgs, env = {}) {
  const file = path.join(os.tmpdir(), `tiketi-bench-${process.pid}.time`);
  const started = process.hrtime.bigint();
  const result = spawnSync(GNU_TIME, ['-f', '%U %S %M', '-o', file, command, ...commandArgs], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const [user, sys, rssKb] = fs.readFileSync(file, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  fs.rmSync(file, { force: true });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout}\n${result.stderr}\n`);
    throw new Error(`${command} ${commandArgs.join(' ')} exited ${result.status}`);
  }
  return { wall, cpu: user + sys, rssMb: rssKb / 1024, stdout: result.stdout };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

/** `REPEAT` runs (each after `before()`): medians of wall and CPU, the largest max RSS. */
function measure(command, commandArgs, { env, before, repeat = REPEAT } = {}) {
  const runs = [];
  for (let i = 0; i < repeat; i += 1) {
    before?.();
    runs.push(once(command, commandArgs, env));
  }
  return { wall: median(runs.map((r) => r.wall)), cpu: median(runs.map((r) => r.cpu)), rssMb: Math.max(...runs.map((r) => r.rssMb)), runs: runs.length, stdout: runs[0].stdout };
}

const rows = [];
const failures = [];
function record(what, m, budget = {}) {
  const limits = [budget.seconds ? `<= ${budget.seconds} s` : '', budget.mb ? `<= ${budget.mb} MB` : ''].filter(Boolean).join(', ');
  const over = [];
  if (budget.seconds && m.wall > budget.seconds) over.push(`${m.wall.toFixed(2)} s wall > ${budget.seconds} s`);
  if (budget.mb && m.rssMb > budget.mb) over.push(`${m.rssMb.toFixed(0)} MB > ${budget.mb} MB`);
  rows.push({ what, 'wall (s)': m.wall.toFixed(2), 'CPU (s)': m.cpu.toFixed(2), 'max RSS (MB)': m.rssMb.toFixed(0), runs: m.runs, budget: limits, verdict: limits ? (over.length ? 'OVER' : 'ok') : '' });
  if (over.length) failures.push(`${what}: ${over.join(', ')}`);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const loadAvg = () => os.loadavg()[0].toFixed(1);
const loadBefore = loadAvg();

// Synth budgets, from a built tree.
once(npm, ['run', '-s', 'synth']);
record('npm run synth, unchanged tree', measure(npm, ['run', '-s', 'synth']), { seconds: 4 });
record('npm run synth, one file changed', measure(npm, ['run', '-s', 'synth'], { before: () => touch('stacks/app.ts') }), { seconds: 6 });
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tiketi-bench-out-'));
try {
  const all = measure(process.execPath, [__filename, '--synth-all-child', out]);
  record(`synth of dev + staging + prod in one process (${all.stdout.trim()} stacks), after the build`, all, { seconds: 3, mb: 400 });
} finally {
  fs.rmSync(out, { recursive: true, force: true });
}
if (option('--cdktf')) {
  const cliOut = fs.mkdtempSync(path.join(os.tmpdir(), 'tiketi-bench-cdktf-'));
  try {
    record('npx cdktf synth (the CLI: tsc + node), for comparison', measure('npx', ['cdktf', 'synth', '--output', cliOut]));
  } finally {
    fs.rmSync(cliOut, { recursive: true, force: true });
  }
}
if (!option('--no-tests')) {
  record('npm test (typecheck + lint + jest, terraform included)', measure(npm, ['test', '--silent'], { repeat: Math.min(REPEAT, 1) }), { seconds: 60 });
}

function touch(relative) {
  const file = path.join(ROOT, relative);
  const now = new Date();
  fs.utimesSync(file, now, now);
}

console.table(rows);
console.log(`machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}; load average ${loadBefore} before, ${loadAvg()} after (wall times grow with load, CPU times much less)`);
if (failures.length > 0) {
  console.error(`Over budget:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
