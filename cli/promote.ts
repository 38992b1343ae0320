/**
 * `npm run promote -- <from-env> <to-env> [service…]`: copies image tags from one overlay into the next
 * one of the promotion order (dev → staging → prod), so a promotion is one reviewed diff of `images:`.
 * A `dev-<sha12>` build becomes `rel-<sha12>`: the same image digest, retagged in ECR by the promote
 * workflow before this change is committed (docs/platform-contracts.md, "Image tags").
 */
import * as path from 'path';
import { cliMain, Command, CommandError, UsageError, writeAll } from './lib/command';
import { checkTag, imageName, nextEnvironment, parseEnvironment, parseService, parseTag, UNRELEASED_SHA12 } from './lib/names';
import { imageTags, readOverlay, render, setImageTag } from './lib/overlay';
import { ENVIRONMENT_NAMES } from '../config/settings';
import { REGISTRY } from '../config/environments';

export interface PromotedImage {
  readonly service: string;
  /** ECR repository (and logical image name). */
  readonly repository: string;
  readonly sourceTag: string;
  readonly targetTag: string;
  /** The tag the target overlay had before. */
  readonly previousTag: string | undefined;
  /** The target tag differs from the source tag: ECR must get it (same manifest) before the commit. */
  readonly retag: boolean;
  readonly changed: boolean;
}

export const promote: Command = {
  name: 'promote',
  synopsis: '<from-env> <to-env> [service…] [--plan]',
  description:
    'Copies the image tags of gitops/overlays/<from-env> into gitops/overlays/<to-env>, the next environment ' +
    `of the promotion order (${ENVIRONMENT_NAMES.join(' -> ')}), for every service or the ones named. ` +
    'dev-<sha12> becomes rel-<sha12> (the same image, retagged in ECR before the commit); rel-<sha12> is copied as is.',
  options: { plan: { type: 'boolean' } },
  help: [
    `[service…]  some of ${REGISTRY.services.join(', ')} (default: all)`,
    '--plan      write nothing; print the promotion as one line of JSON (what the promote workflow retags)',
  ],
  run(args, io) {
    const [fromArg, toArg, ...serviceArgs] = args.positionals;
    if (toArg === undefined) throw new UsageError('expected <from-env> <to-env>');
    const from = parseEnvironment(fromArg, '<from-env>');
    const to = parseEnvironment(toArg, '<to-env>');
    const next = nextEnvironment(from);
    if (to !== next) {
      throw new UsageError(`cannot promote ${from} -> ${to}: promotion goes ${ENVIRONMENT_NAMES.join(' -> ')}, so ${from} promotes ${next ? `to ${next} only` : 'nowhere (it is the last)'}`);
    }
    const services = serviceArgs.length > 0 ? serviceArgs.map(parseService) : [...REGISTRY.services];
    const duplicate = services.find((s, i) => services.indexOf(s) !== i);
    if (duplicate) throw new UsageError(`service ${duplicate} named twice`);

    const source = readOverlay(io.root, from);
    const target = readOverlay(io.root, to);
    const sourceTags = imageTags(source, io.root);
    const sourceFile = path.relative(io.root, source.file);
    const images: PromotedImage[] = services.map((service) => {
      const repository = imageName(service);
      const sourceTag = sourceTags.get(repository);
      if (sourceTag === undefined) throw new CommandError(`${sourceFile} pins no tag for ${repository}`);
      const parsed = parseTag(sourceTag);
      if (!parsed) throw new CommandError(`${repository} in ${from} is ${sourceTag}, which is not in the tag scheme (dev-<sha12> or rel-<sha12>): release it first`);
      if (parsed.sha12 === UNRELEASED_SHA12) throw new CommandError(`${repository} in ${from} is ${sourceTag}, the placeholder of an overlay that was never released: release ${service} to ${from} first`);
      const targetTag = `rel-${parsed.sha12}`;
      checkTag(to, targetTag, (message) => new CommandError(message));
      const previousTag = setImageTag(target, io.root, repository, targetTag);
      return { service, repository, sourceTag, targetTag, previousTag, retag: sourceTag !== targetTag, changed: previousTag !== targetTag };
    });

    if (args.values.plan) return JSON.stringify({ from, to, images });
    const changed = images.filter((i) => i.changed);
    if (changed.length > 0) writeAll(new Map([[target.file, render(target)]]));
    const list = changed.map((i) => `${i.repository} ${i.previousTag ?? '(none)'} -> ${i.targetTag}`).join(', ');
    const unchanged = images.length - changed.length;
    return `promote: ${from} -> ${to}: ${changed.length} changed${list ? ` (${list})` : ''}, ${unchanged} unchanged (${path.relative(io.root, target.file)})`;
  },
};

if (require.main === module) cliMain(promote);
