#!/usr/bin/env node
/**
 * `npm run bench`: builds once, then measures wall time and peak memory (max RSS) of
 *   - the synth of every stack of each environment (`node dist/main.js`, as `cdktf synth` runs it),
 *   - the synth of all three environments back to back,
 *   - the whole test suite (`npm test`).
 * Budgets (2-core machine): one environment's synth <= 2 s after the build; npm test <= 60 s.
 * Prints a table; exits non-zero when a budget is exceeded. `--no-tests` skips the test suite.
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const ENVIRONMENTS = ['dev', 'staging', 'prod'];
const BUDGET_SYNTH_S = 2;
const BUDGET_TESTS_S = 60;
const GNU_TIME = '/usr/bin/time';

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--no-tests');
if (unknown.length > 0) {
  console.error(`bench: unknown option ${unknown.join(' ')}; allowed: --no-tests`);
  process.exit(2);
}

/** Runs `command` and returns { seconds, maxRssMb } (memory via GNU time when present). */
function measure(command, commandArgs, env = {}) {
  const withTime = fs.existsSync(GNU_TIME);
  const rssFile = path.join(os.tmpdir(), `tiketi-bench-${process.pid}-${Date.now()}.rss`);
  const [cmd, cmdArgs] = withTime ? [GNU_TIME, ['-f', '%M', '-o', rssFile, command, ...commandArgs]] : [command, commandArgs];
  const started = process.hrtime.bigint();
  const result = spawnSync(cmd, cmdArgs, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) {
    console.error(result.stdout, result.stderr);
    throw new Error(`${command} ${commandArgs.join(' ')} exited ${result.status}`);
  }
  const maxRssMb = withTime ? Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024 : NaN;
  if (withTime) fs.rmSync(rssFile);
  return { seconds, maxRssMb };
}

function outdir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tiketi-bench-out-'));
}

const rows = [];
const failures = [];
const record = (what, m, budget) => {
  rows.push({ what, seconds: m.seconds.toFixed(2), 'max RSS (MB)': Number.isNaN(m.maxRssMb) ? 'n/a' : m.maxRssMb.toFixed(0), budget: budget ? `<= ${budget} s` : '' });
  if (budget && m.seconds > budget) failures.push(`${what}: ${m.seconds.toFixed(2)} s > ${budget} s`);
};

record('build (tsc)', measure(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json']));
const all = { seconds: 0, maxRssMb: 0 };
for (const env of ENVIRONMENTS) {
  const out = outdir();
  const m = measure(process.execPath, ['dist/main.js'], { TIKETI_ENV: env, TIKETI_BACKEND: 'local', CDKTF_OUTDIR: out });
  const stacks = fs.readdirSync(path.join(out, 'stacks')).sort();
  fs.rmSync(out, { recursive: true, force: true });
  all.seconds += m.seconds;
  all.maxRssMb = Math.max(all.maxRssMb, m.maxRssMb);
  record(`synth ${env} (${stacks.length} stacks: ${stacks.join(', ')})`, m, BUDGET_SYNTH_S);
}
record('synth dev + staging + prod, one after another', all);
if (!args.includes('--no-tests')) record('npm test', measure('npm', ['test', '--silent']), BUDGET_TESTS_S);

console.table(rows);
console.log(`machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
if (failures.length > 0) {
  console.error(`Over budget:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
