/** Reading what `cdktf synth` wrote (`cdktf.out/manifest.json`, `stacks/<id>/cdk.tf.json`). */
import * as fs from 'fs';
import * as path from 'path';
import { ENVIRONMENT_MARKER, readEnvironmentMarker } from '../../stacks/environment-marker';
import { CommandError } from './command';

/**
 * Refuses a synth output marked as another environment's than `env` (main.ts writes the marker): every
 * environment has the same stack IDs, so without it prod's `cdktf.out` passes for dev's. An output
 * without a marker is left to the stacks' own `Environment` tags.
 */
export function checkSynthEnvironment(outdir: string, root: string, env: string): void {
  const marker = readEnvironmentMarker(outdir);
  if (marker === undefined || marker.environment === env) return;
  const shown = path.relative(root, outdir) || outdir;
  throw new CommandError(`${shown} holds the synth of ${marker.environment} (${path.join(shown, ENVIRONMENT_MARKER)}), not of ${env}: run TIKETI_ENV=${env} npm run synth${shown === 'cdktf.out' ? '' : ` -- --output ${shown}`}`);
}

export interface SynthesizedStack {
  readonly id: string;
  /** Stacks it reads through remote state (the manifest's `dependencies`). */
  readonly dependencies: readonly string[];
  /** `Environment` default tag of its AWS provider: an environment name, or `account` for account-wide stacks. */
  readonly scope: string | undefined;
  /** It configures the kubernetes or helm provider, so it needs the way into the private cluster API. */
  readonly needsCluster: boolean;
  readonly json: Record<string, any>;
}

export function readSynthesized(outdir: string, root: string): SynthesizedStack[] {
  const manifestFile = path.join(outdir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new CommandError(`${path.relative(root, manifestFile) || manifestFile} does not exist: run npm run synth first`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { stacks: Record<string, { dependencies?: string[]; synthesizedStackPath: string }> };
  return Object.entries(manifest.stacks).map(([id, entry]) => {
    const json = JSON.parse(fs.readFileSync(path.join(outdir, entry.synthesizedStackPath), 'utf8')) as Record<string, any>;
    const providers = (json.provider ?? {}) as Record<string, any[]>;
    const scopes = new Set((providers.aws ?? []).map((p) => p?.default_tags?.[0]?.tags?.Environment as string | undefined));
    if (scopes.size > 1) throw new CommandError(`stack ${id}: its AWS providers tag different environments (${[...scopes].join(', ')})`);
    return { id, dependencies: entry.dependencies ?? [], scope: [...scopes][0], needsCluster: 'kubernetes' in providers || 'helm' in providers, json };
  });
}

/** `stacks` sorted so each comes after the stacks it depends on (ties by id); dependencies outside the list are prerequisites. */
export function dependencyOrder<T extends { id: string; dependencies: readonly string[] }>(stacks: readonly T[]): T[] {
  const byId = new Map(stacks.map((s) => [s.id, s]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const order: T[] = [];
  const visit = (s: T): void => {
    if (done.has(s.id)) return;
    if (visiting.has(s.id)) throw new CommandError(`stack dependency cycle through ${s.id}`);
    visiting.add(s.id);
    for (const d of [...s.dependencies].sort()) {
      const dep = byId.get(d);
      if (dep) visit(dep);
    }
    visiting.delete(s.id);
    done.add(s.id);
    order.push(s);
  };
  for (const s of [...stacks].sort((a, b) => a.id.localeCompare(b.id))) visit(s);
  return order;
}

/** The stack's configuration without what differs between two checkouts of the same code (metadata, backend). */
export function comparable(json: Record<string, any>): string {
  const { ['//']: _metadata, terraform, ...rest } = json;
  const { backend: _backend, ...terraformRest } = (terraform ?? {}) as Record<string, unknown>;
  return JSON.stringify({ ...rest, terraform: terraformRest });
}
