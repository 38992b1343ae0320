/**
 * With only jest's summary reporter, what tests write to the console would be dropped. console.log, info and
 * debug are silenced in setup-jest.ts; what remains (console.warn and console.error: a SKIPPED run, a missing
 * tool) is printed here, once per test file, with the file's name.
 */
const path = require('path');

class ConsoleReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunStart(results) {
    // One test file runs in band, and jest then prints its console directly.
    this.direct = results.numTotalTestSuites === 1;
  }

  onTestResult(_test, result) {
    const entries = this.direct ? [] : (result.console ?? []);
    if (entries.length === 0) return;
    const file = path.relative(this.rootDir, result.testFilePath);
    process.stderr.write(`${entries.map((e) => `${file}: console.${e.type}: ${e.message}`).join('\n')}\n`);
  }
}

module.exports = ConsoleReporter;
