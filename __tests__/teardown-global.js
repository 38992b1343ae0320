/** Removes the run's temporary directory (see setup-global.js). */
const fs = require('fs');

module.exports = async () => {
  const dir = process.env.TIKETI_JEST_TMPDIR;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
};
