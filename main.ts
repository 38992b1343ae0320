import { App } from 'cdktf';
import { loadBackend } from './config/backend';
import { loadEnvironment, loadRegistry } from './config/validate';
import { addTiketiStacks } from './stacks/app';

// Settings and backend are validated before any stack is built, so bad input writes nothing.
function main(): void {
  const env = loadEnvironment(process.env.TIKETI_ENV);
  const registry = loadRegistry();
  const backend = loadBackend(process.env);
  const app = new App();
  addTiketiStacks(app, { env, registry, backend, projectDir: process.cwd(), stateBucketName: process.env.TIKETI_STATE_BUCKET || undefined });
  app.synth();
}

try {
  main();
} catch (error) {
  if (error instanceof Error && error.name === 'SettingsError') {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
