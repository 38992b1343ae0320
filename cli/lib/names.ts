/**
 * Arguments every delivery command shares: an environment and a service, checked against the one list of
 * each (`config/`), and the image tag scheme of `docs/platform-contracts.md`.
 */
import * as path from 'path';
import { ENVIRONMENTS, REGISTRY } from '../../config/environments';
import { ENVIRONMENT_NAMES, EnvironmentName } from '../../config/settings';
import { IMAGE_TAG } from '../../config/validation/rules';
import { UsageError } from './command';

/**
 * An environment argument (`what`: `<env>`, `--env`, ...), in the one form every environment name is refused
 * in, `TIKETI_ENV` included: `<what>: got "qa", expected one of dev, staging, prod`.
 */
export function parseEnvironment(value: string | undefined, what = '<env>'): EnvironmentName {
  if (value === undefined) throw new UsageError(`missing ${what}: expected one of ${ENVIRONMENT_NAMES.join(', ')}`);
  if (!(ENVIRONMENT_NAMES as readonly string[]).includes(value)) {
    throw new UsageError(`${what}: got ${JSON.stringify(value)}, expected one of ${ENVIRONMENT_NAMES.join(', ')}`);
  }
  return value as EnvironmentName;
}

/** A service argument, one of `registry.services`. */
export function parseService(value: string | undefined): string {
  if (value === undefined) throw new UsageError(`missing <service>: expected one of ${REGISTRY.services.join(', ')}`);
  if (!REGISTRY.services.includes(value)) {
    throw new UsageError(`<service>: got ${JSON.stringify(value)}, expected one of ${REGISTRY.services.join(', ')}`);
  }
  return value;
}

/** The logical image name of a service in the bases and overlays, which is also its ECR repository. */
export const imageName = (service: string): string => `tiketi-${service}`;

export const namespaceOf = (env: EnvironmentName): string => ENVIRONMENTS[env].gitops.namespace;

export const overlayDir = (root: string, env: EnvironmentName): string => path.join(root, 'gitops', 'overlays', env);

/** The environment after `env` in the promotion order (dev → staging → prod), if any. */
export function nextEnvironment(env: EnvironmentName): EnvironmentName | undefined {
  return ENVIRONMENT_NAMES[ENVIRONMENT_NAMES.indexOf(env) + 1];
}

// ---- Tag scheme -------------------------------------------------------------------------------------

const SCHEME_TAG = /^(dev|rel)-([0-9a-f]{12})$/;

export type TagKind = 'dev' | 'rel';
export interface SchemeTag {
  readonly kind: TagKind;
  /** The first 12 lower-case hex digits of the commit the image was built from. */
  readonly sha12: string;
}

/**
 * The overlays' tags before anything was released: scheme-valid, but built from no commit, so no image
 * carries them (`docs/delivery.md`, "First release"). `promote` refuses them.
 */
export const UNRELEASED_SHA12 = '000000000000';

export function parseTag(tag: string): SchemeTag | undefined {
  const match = SCHEME_TAG.exec(tag);
  return match ? { kind: match[1] as TagKind, sha12: match[2] } : undefined;
}

/** The first environment of the promotion order takes the builds of `develop`; every other one only releases. */
export function acceptedTagKinds(env: EnvironmentName): readonly TagKind[] {
  return env === ENVIRONMENT_NAMES[0] ? ['dev', 'rel'] : ['rel'];
}

export function describeAcceptedTags(env: EnvironmentName): string {
  return acceptedTagKinds(env).map((kind) => `${kind}-<sha12>`).join(' or ');
}

/** Checks `tag` for `env`: a malformed tag is a usage error, a well-formed one outside the scheme a refusal. */
const SHA12_NOTE = '<sha12> = the first 12 lower-case hex digits of the commit the image was built from';

export function checkTag(env: EnvironmentName, tag: string | undefined, refuse: (message: string) => Error): SchemeTag {
  if (tag === undefined) throw new UsageError(`missing tag: ${env} accepts ${describeAcceptedTags(env)} (${SHA12_NOTE})`);
  const malformed = IMAGE_TAG.problem(tag);
  if (malformed) {
    throw new UsageError(`malformed tag ${JSON.stringify(tag)}: a tag is ${malformed}; ${env} accepts ${describeAcceptedTags(env)} (${SHA12_NOTE})`);
  }
  const parsed = parseTag(tag);
  if (!parsed || !acceptedTagKinds(env).includes(parsed.kind)) {
    throw refuse(`tag ${JSON.stringify(tag)} does not follow the tag scheme for ${env}: ${env} accepts ${describeAcceptedTags(env)} (${SHA12_NOTE})`);
  }
  return parsed;
}
