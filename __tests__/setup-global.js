/**
 * Once per jest run, before any worker starts: a private temporary directory for the whole run. Workers and
 * every process they start (terraform, kubectl, the CLIs) inherit TMPDIR, so whatever a test leaves in
 * os.tmpdir() (cdktf's Testing outdirs, terraform workdirs, the CLI tests' throwaway projects) lands here,
 * and teardown-global.js removes it: a run leaves nothing behind in the system's temporary directory.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');

module.exports = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiketi-jest-'));
  process.env.TIKETI_JEST_TMPDIR = dir;
  process.env.TMPDIR = dir;
};
