/**
 * `npm run graph [-- --check]`: writes docs/architecture.md (Mermaid) from the synthesized stacks and
 * the rendered gitops folders; `--check` only compares and fails when the file is stale.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ARCHITECTURE_FILE, readArchitectureInput, renderArchitecture } from './lib/graph/architecture';
import { Command, CommandError, cliMain, UsageError, writeAll } from './lib/command';
import { RenderError } from './lib/gitops-render';
import { synthEnvironments } from './lib/synth-app';

export const graphCommand: Command = {
  name: 'graph',
  synopsis: '[--check]',
  description: `Writes ${ARCHITECTURE_FILE}: Mermaid diagrams of the stacks and their cross-stack references, each stack's main resources, and the path of a request in each environment, generated from the synthesized stacks and the rendered gitops folders.`,
  options: { check: { type: 'boolean' } },
  help: [`--check   write nothing; exit 1 when ${ARCHITECTURE_FILE} differs from what the code generates`],
  run(args, io) {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}; this command takes only --check`);
    let text: string;
    try {
      text = renderArchitecture(readArchitectureInput(io.root, synthEnvironments()));
    } catch (error) {
      if (error instanceof RenderError) throw new CommandError(error.message);
      throw error;
    }
    const file = path.join(io.root, ARCHITECTURE_FILE);
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    if (args.values.check) {
      if (current !== text) throw new CommandError(`${ARCHITECTURE_FILE} is stale: run npm run graph`);
      return `graph: ${ARCHITECTURE_FILE} is up to date`;
    }
    if (current === text) return `graph: ${ARCHITECTURE_FILE} is up to date`;
    writeAll(new Map([[file, text]]));
    return `graph: wrote ${ARCHITECTURE_FILE} (${(text.match(/```mermaid/g) ?? []).length} diagrams)`;
  },
};

if (require.main === module) cliMain(graphCommand);
