/**
 * Jest runs TypeScript through @swc/jest (no type checking: `npm test` runs `tsc --noEmit` first).
 * The kubernetes-models packages ship ESM only, so they are transformed too.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(kubernetes-models|@kubernetes-models|is-cidr|cidr-regex|ip-regex)/)'],
  // The kubernetes-models packages publish only an "import" export condition: resolve them with it.
  resolver: '<rootDir>/__tests__/esm-resolver.js',
  setupFiles: ['<rootDir>/__tests__/setup-env.js'],
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup-jest.ts'],
  // A private TMPDIR for the run, removed at the end (nothing is left in the system's temporary directory).
  globalSetup: '<rootDir>/__tests__/setup-global.js',
  globalTeardown: '<rootDir>/__tests__/teardown-global.js',
  // The transform cache, kept with the dependencies rather than in the temporary directory.
  cacheDirectory: '<rootDir>/node_modules/.cache/jest',
  // Output is the failures and the summary: no line per passing file (`--reporters default` brings them back),
  // plus any console.warn or console.error of a test (a SKIPPED run, a missing tool).
  reporters: [['summary', { summaryThreshold: 0 }], '<rootDir>/__tests__/reporter-console.js'],
  // Terraform runs are child processes: two workers keep both cores busy even on a 2-core machine.
  maxWorkers: Math.max(2, require('os').cpus().length - 1),
  testTimeout: 180000,
};
