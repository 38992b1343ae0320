/**
 * One rule, on purpose: a provider package's root re-exports every resource of the provider (thousands of
 * modules for AWS), so `import { S3Bucket } from '@cdktf/provider-aws'` makes every synth, test and type check
 * load all of them; `@cdktf/provider-aws/lib/s3-bucket` loads one. Besides it, only TypeScript parsing (no type
 * information, so it stays fast); style is not linted. `npm run lint` caches by file content.
 */
const tsParser = require('@typescript-eslint/parser');

const DEEP_ONLY = ['@cdktf/provider-aws', '@cdktf/provider-helm', '@cdktf/provider-kubernetes'];

// Some files carry `eslint-disable-next-line @typescript-eslint/no-require-imports` for editors that run
// typescript-eslint's rules. ESLint reports a disable comment naming a rule it does not know, so the rule is
// known here, as a no-op, rather than loading the whole typescript-eslint plugin for one name.
const knownElsewhere = { meta: { type: 'suggestion', schema: [] }, create: () => ({}) };

module.exports = [
  { ignores: ['node_modules/', 'dist/', 'cdktf.out/', 'coverage/', '.gen/', '.tmp/'] },
  {
    files: ['**/*.ts', '**/*.js'],
    languageOptions: { parser: tsParser, ecmaVersion: 2022, sourceType: 'module' },
    // The no-op rule above is never "used", which is expected.
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    plugins: { '@typescript-eslint': { rules: { 'no-require-imports': knownElsewhere } } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          // The root, and its `lib` index that the root re-exports.
          patterns: DEEP_ONLY.map((name) => ({
            regex: `^${name}(/lib(/index(\\.js)?)?)?/?$`,
            message: `import the resource from ${name}/lib/<resource>: the package root loads every resource of the provider`,
          })),
        },
      ],
    },
  },
];
