import { REGISTRY } from '../../config/environments';
import { resourcesOf, synthApp } from '../support/synth';

/**
 * A model of ECR lifecycle policy evaluation ("Lifecycle policy evaluation rules", Amazon ECR user guide):
 * - rules apply in `rulePriority` order, lowest first;
 * - a `tagged` rule selects an image when every pattern of its `tagPatternList` (or prefix of its
 *   `tagPrefixList`) matches one of the image's tags; `untagged` selects images without tags, `any` all;
 * - `imageCountMoreThan` keeps the newest `countNumber` selected images (by push time) and marks the rest;
 *   `sinceImagePushed` marks selected images older than `countNumber` days;
 * - an image selected by a higher-priority rule is never expired by a lower one, but still counts in the
 *   lower rule's count ("rules can never mark images that are marked by higher priority rules, but can
 *   still identify them as if they haven't been expired").
 */
interface Image {
  readonly digest: string;
  readonly pushedAtDay: number;
  readonly tags: string[];
}
interface Rule {
  rulePriority: number;
  selection: { tagStatus: 'tagged' | 'untagged' | 'any'; tagPatternList?: string[]; tagPrefixList?: string[]; countType: string; countUnit?: string; countNumber: number };
  action: { type: 'expire' };
}

const patternMatches = (pattern: string, tag: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\?]/g, '\\$&').replace(/\*/g, '.*')}$`).test(tag);

function selects(rule: Rule, image: Image): boolean {
  const { tagStatus, tagPatternList, tagPrefixList } = rule.selection;
  if (tagStatus === 'any') return true;
  if (tagStatus === 'untagged') return image.tags.length === 0;
  if (image.tags.length === 0) return false;
  if (tagPatternList) return tagPatternList.every((p) => image.tags.some((t) => patternMatches(p, t)));
  if (tagPrefixList) return tagPrefixList.every((p) => image.tags.some((t) => t.startsWith(p)));
  throw new Error('a tagged rule needs tagPatternList or tagPrefixList');
}

/** Digests the policy expires on `today`. */
function evaluate(rules: Rule[], images: Image[], today: number): Set<string> {
  const claimed = new Set<string>();
  const expired = new Set<string>();
  for (const rule of [...rules].sort((a, b) => a.rulePriority - b.rulePriority)) {
    const selected = images.filter((image) => selects(rule, image));
    const newestFirst = [...selected].sort((a, b) => b.pushedAtDay - a.pushedAtDay);
    const marked =
      rule.selection.countType === 'imageCountMoreThan'
        ? newestFirst.slice(rule.selection.countNumber)
        : selected.filter((image) => today - image.pushedAtDay > rule.selection.countNumber);
    for (const image of marked) if (!claimed.has(image.digest)) expired.add(image.digest);
    for (const image of selected) claimed.add(image.digest);
  }
  return expired;
}

/**
 * A repository's life under the tag scheme: one develop build a day (`dev-<sha>`), every 7th promoted the
 * next day by retagging the same digest `rel-<sha>`, and a superseded untagged manifest a day. ECR runs the
 * policy daily. Returns every image ever expired and what is left at the end.
 */
function simulate(rules: Rule[], days: number) {
  let images: Image[] = [];
  const expired: Image[] = [];
  for (let day = 0; day < days; day++) {
    const sha = day.toString(16).padStart(12, '0');
    images.push({ digest: `sha256:${sha}`, pushedAtDay: day, tags: [`dev-${sha}`] });
    images.push({ digest: `sha256:untagged-${sha}`, pushedAtDay: day, tags: [] });
    const promote = images.find((image) => image.digest === `sha256:${(day - 1).toString(16).padStart(12, '0')}`);
    if (promote && (day - 1) % 7 === 0) promote.tags.push(`rel-${(day - 1).toString(16).padStart(12, '0')}`);
    const gone = evaluate(rules, images, day);
    expired.push(...images.filter((image) => gone.has(image.digest)));
    images = images.filter((image) => !gone.has(image.digest));
  }
  return { expired, left: images };
}

const synthesizedPolicies = (): Rule[][] => Object.values<any>(resourcesOf(synthApp('prod').json('registry'), 'aws_ecr_lifecycle_policy')).map((p) => JSON.parse(p.policy).rules);

describe('ECR lifecycle policy of every repository, under the tag scheme', () => {
  const DAYS = 50;

  test('every repository has the same three rules, in this order', () => {
    const policies = synthesizedPolicies();
    expect(policies).toHaveLength(REGISTRY.services.length);
    for (const rules of policies) {
      expect(rules.map((r) => [r.rulePriority, r.selection.tagStatus, r.selection.tagPatternList ?? null])).toEqual([
        [1, 'tagged', ['rel-*']],
        [2, 'tagged', ['dev-*']],
        [3, 'untagged', null],
      ]);
    }
  });

  test(`${DAYS} days of develop builds and promotions: no rel-* image is ever expired`, () => {
    for (const rules of synthesizedPolicies()) {
      const { expired, left } = simulate(rules, DAYS);
      expect(expired.filter((image) => image.tags.some((t) => t.startsWith('rel-')))).toEqual([]);
      expect(left.filter((image) => image.tags.some((t) => t.startsWith('rel-')))).toHaveLength(Math.ceil((DAYS - 1) / 7));
    }
  });

  test('dev images stay bounded by keepDevImages; untagged ones go after untaggedExpiryDays', () => {
    for (const rules of synthesizedPolicies()) {
      const { expired, left } = simulate(rules, DAYS);
      const devTagged = left.filter((image) => image.tags.some((t) => t.startsWith('dev-')));
      const unpromoted = devTagged.filter((image) => !image.tags.some((t) => t.startsWith('rel-')));
      // Promoted images count towards the dev rule (ECR still identifies them) but are never expired by it.
      expect(unpromoted.length).toBeLessThanOrEqual(REGISTRY.keepDevImages);
      expect(expired.some((image) => image.tags.some((t) => t.startsWith('dev-')))).toBe(DAYS > REGISTRY.keepDevImages);
      const untagged = left.filter((image) => image.tags.length === 0);
      expect(untagged.every((image) => DAYS - 1 - image.pushedAtDay <= REGISTRY.untaggedExpiryDays)).toBe(true);
      expect(untagged.length).toBeGreaterThan(0);
    }
  });

  test('the model catches the policy this replaces: "any tag, more than 10 images" expires release images', () => {
    const previous: Rule[] = [
      { rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 3 }, action: { type: 'expire' } },
      { rulePriority: 2, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10 }, action: { type: 'expire' } },
    ];
    const { expired } = simulate(previous, DAYS);
    expect(expired.some((image) => image.tags.some((t) => t.startsWith('rel-')))).toBe(true);
  });

  test('the model honours priority: a dev rule ahead of the release rule would expire promoted images', () => {
    const [release, dev, untagged] = synthesizedPolicies()[0];
    const reordered: Rule[] = [{ ...dev, rulePriority: 1 }, { ...release, rulePriority: 2 }, untagged];
    const { expired } = simulate(reordered, DAYS);
    expect(expired.some((image) => image.tags.some((t) => t.startsWith('rel-')))).toBe(true);
  });
});
