import { Testing } from 'cdktf';

// cdktf's jest matchers: toHaveResource, toHaveResourceWithProperties, toHaveDataSource...
Testing.setupJest();

// Test output is failures and the summary. Reports that tests print for a reader (object counts, check
// lists) go through console.log/info/debug: shown with TIKETI_TEST_VERBOSE=1. Warnings and errors stay.
if (process.env.TIKETI_TEST_VERBOSE !== '1') {
  for (const method of ['log', 'info', 'debug'] as const) console[method] = () => undefined;
}
