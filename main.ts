import { synthesizeTiketi } from './stacks/app';

// Settings, backend and state bucket are validated before any stack is built, so bad input writes nothing.
// The line saying which environment was built goes to stdout: cdktf synth passes the app's stdout through
// as it is, and shows its stderr as "[ERROR]" lines.
try {
  const result = synthesizeTiketi({ vars: process.env, projectDir: process.cwd() });
  process.stdout.write(`${result.summary}\n`);
} catch (error) {
  if (error instanceof Error && error.name === 'SettingsError') {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
