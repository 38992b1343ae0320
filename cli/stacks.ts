/**
 * `npm run stacks -- <env> [--out DIR] [--changed-against DIR]`: the environment's stacks as `cdktf synth`
 * wrote them, in dependency order, as one line of JSON for the workflows. Account-wide stacks (AWS
 * provider tagged `Environment=account`: bootstrap, registry, ...) are never listed: an administrator
 * applies them. With `--changed-against`, only the stacks whose configuration differs from that other
 * synth (the pull request's base) are listed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { cliMain, Command, CommandError, UsageError } from './lib/command';
import { parseEnvironment } from './lib/names';
import { checkSynthEnvironment, comparable, dependencyOrder, readSynthesized } from './lib/synthesized';

export interface ListedStack {
  readonly stack: string;
  readonly dependsOn: readonly string[];
  readonly needsCluster: boolean;
}

export const stacks: Command = {
  name: 'stacks',
  synopsis: '<env> [--out DIR] [--changed-against DIR]',
  description:
    "Lists the environment's stacks from a synth output (default cdktf.out) in dependency order, as one line " +
    'of JSON: [{"stack","dependsOn","needsCluster"}]. Account-wide stacks are left out.',
  options: { out: { type: 'string' }, 'changed-against': { type: 'string' } },
  help: [
    '--out DIR              the synth output to read (default: cdktf.out)',
    '--changed-against DIR  another synth output (the base of a pull request): list only stacks that differ from it',
  ],
  run(args, io) {
    const env = parseEnvironment(args.positionals[0]);
    if (args.positionals.length > 1) throw new UsageError(`expected one argument (<env>), got ${args.positionals.length}`);
    const outdir = path.resolve(io.root, (args.values.out as string | undefined) ?? 'cdktf.out');
    const all = readSynthesized(outdir, io.root);
    checkSynthEnvironment(outdir, io.root, env);
    const mine = all.filter((s) => s.scope === env);
    if (mine.length === 0) {
      const found = [...new Set(all.map((s) => s.scope).filter((s) => s !== 'account'))].join(', ') || 'none';
      throw new CommandError(`${path.relative(io.root, outdir) || outdir} holds no stack of ${env} (environments found: ${found}): run TIKETI_ENV=${env} npm run synth`);
    }
    let listed = dependencyOrder(mine);
    const against = args.values['changed-against'] as string | undefined;
    if (against !== undefined) {
      const baseDir = path.resolve(io.root, against);
      // A base of another environment would list every stack as changed, or none.
      checkSynthEnvironment(baseDir, io.root, env);
      const base = fs.existsSync(path.join(baseDir, 'manifest.json')) ? new Map(readSynthesized(baseDir, io.root).map((s) => [s.id, comparable(s.json)])) : new Map<string, string>();
      listed = listed.filter((s) => base.get(s.id) !== comparable(s.json));
    }
    const ids = new Set(mine.map((s) => s.id));
    const result: ListedStack[] = listed.map((s) => ({ stack: s.id, dependsOn: s.dependencies.filter((d) => ids.has(d)), needsCluster: s.needsCluster }));
    return JSON.stringify(result);
  },
};

if (require.main === module) cliMain(stacks);
