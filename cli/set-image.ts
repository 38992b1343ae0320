/**
 * `npm run set-image -- <env> <service> <tag>`: pins one service's image tag in an environment's overlay,
 * as `kustomize edit set image tiketi-<service>=*:<tag>` would, keeping the file's comments and layout.
 * Used by the release and rollback workflows (one commit each) and by people.
 */
import * as path from 'path';
import { cliMain, Command, CommandError, UsageError, writeAll } from './lib/command';
import { checkTag, describeAcceptedTags, imageName, parseEnvironment, parseService } from './lib/names';
import { readOverlay, render, setImageTag } from './lib/overlay';
import { ENVIRONMENT_NAMES } from '../config/settings';
import { REGISTRY } from '../config/environments';

export const setImage: Command = {
  name: 'set-image',
  synopsis: '<env> <service> <tag>',
  description:
    'Sets the image tag of one service in gitops/overlays/<env>/kustomization.yaml (images:), as ' +
    '`kustomize edit set image tiketi-<service>=*:<tag>` does, keeping comments and formatting. ' +
    'Nothing is written when any argument is refused.',
  help: [
    `<env>      one of ${ENVIRONMENT_NAMES.join(', ')}`,
    `<service>  one of ${REGISTRY.services.join(', ')}`,
    `<tag>      ${ENVIRONMENT_NAMES.map((env) => `${env} accepts ${describeAcceptedTags(env)}`).join('; ')}`,
    '           (<sha12> = the first 12 lower-case hex digits of the commit the image was built from)',
  ],
  run(args, io) {
    if (args.positionals.length !== 3) throw new UsageError(`expected 3 arguments (<env> <service> <tag>), got ${args.positionals.length}`);
    const [envArg, serviceArg, tag] = args.positionals;
    const env = parseEnvironment(envArg);
    const service = parseService(serviceArg);
    checkTag(env, tag, (message) => new CommandError(message));
    const overlay = readOverlay(io.root, env);
    const name = imageName(service);
    const previous = setImageTag(overlay, io.root, name, tag);
    const file = path.relative(io.root, overlay.file);
    if (previous === tag) return `set-image: ${env} ${name} already at ${tag}, nothing changed (${file})`;
    writeAll(new Map([[overlay.file, render(overlay)]]));
    return `set-image: ${env} ${name} ${previous ?? '(none)'} -> ${tag} (${file})`;
  },
};

if (require.main === module) cliMain(setImage);
