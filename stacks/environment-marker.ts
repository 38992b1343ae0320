/**
 * Which environment a synth output holds. Every environment has the same stack IDs (`network`,
 * `cluster`, ...), so `cdktf.out/stacks/network` of prod looks like dev's: `cdktf synth` (main.ts) leaves
 * this file next to `manifest.json`, and what reads a synth output (`npm run stacks`, the workflows through
 * it) refuses one of another environment than asked.
 */
import * as fs from 'fs';
import * as path from 'path';

/** The marker's file name, in the synth output directory. */
export const ENVIRONMENT_MARKER = 'tiketi-environment.json';

export interface EnvironmentMarker {
  /** The environment whose stacks the output holds (`TIKETI_ENV`). */
  readonly environment: string;
  /** The backend the stacks were synthesized for (`TIKETI_BACKEND`). */
  readonly backend: string;
  /** Every stack of the output, sorted. */
  readonly stacks: readonly string[];
}

export function writeEnvironmentMarker(outdir: string, marker: EnvironmentMarker): void {
  fs.writeFileSync(path.join(outdir, ENVIRONMENT_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
}

/** The marker of `outdir`, or undefined when there is none (no synth yet, or one from before the marker). */
export function readEnvironmentMarker(outdir: string): EnvironmentMarker | undefined {
  const file = path.join(outdir, ENVIRONMENT_MARKER);
  if (!fs.existsSync(file)) return undefined;
  const marker = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<EnvironmentMarker>;
  if (typeof marker.environment !== 'string') return undefined;
  return { environment: marker.environment, backend: String(marker.backend ?? ''), stacks: Array.isArray(marker.stacks) ? marker.stacks.map(String) : [] };
}
