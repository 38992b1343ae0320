import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository as EcrRepositoryResource } from '@cdktf/provider-aws/lib/ecr-repository';
import { Construct } from 'constructs';

/**
 * Tag patterns of the image tag scheme (docs/platform-contracts.md, "Image tags"): `rel-<sha12>` is the
 * only tag staging and prod overlays reference, `dev-<sha12>` is a develop build.
 */
export const RELEASE_TAG_PATTERN = 'rel-*';
export const DEV_TAG_PATTERN = 'dev-*';

/**
 * ECR's default quota of images per repository (Amazon ECR service quotas, "Images per repository":
 * 100,000). A count rule with this number cannot fire while the quota holds, since pushes past the quota
 * fail: the release rule only claims images.
 */
export const ECR_IMAGES_PER_REPOSITORY = 100_000;

export interface EcrRepositoryProps {
  readonly repositoryName: string;
  /** Customer-managed KMS key that encrypts the images. */
  readonly kmsKeyArn: string;
  /**
   * `dev-*` images kept, newest first; older ones expire (promoted images are never expired).
   * @default 30
   */
  readonly keepDevImages?: number;
  /**
   * Days an untagged image (a superseded manifest, build cache) is kept.
   * @default 3
   */
  readonly untaggedExpiryDays?: number;
}

/**
 * A private ECR repository: immutable tags (a tag always names the same image, so a rollback by tag is
 * exact), scan on push, KMS encryption with the given key, the tag scheme's lifecycle policy, and
 * `prevent_destroy` so a `terraform destroy` cannot delete the images running in production.
 */
export class EcrRepository extends Construct {
  public readonly repositoryArn: string;
  public readonly repositoryName: string;
  public readonly repositoryUrl: string;

  constructor(scope: Construct, id: string, props: EcrRepositoryProps) {
    super(scope, id);
    const keepDevImages = props.keepDevImages ?? 30;
    const untaggedExpiryDays = props.untaggedExpiryDays ?? 3;
    if (!Number.isInteger(keepDevImages) || keepDevImages < 1 || keepDevImages >= ECR_IMAGES_PER_REPOSITORY) {
      throw new Error(`EcrRepository ${props.repositoryName}: keepDevImages got ${keepDevImages}, expected an integer from 1 to ${ECR_IMAGES_PER_REPOSITORY - 1}`);
    }
    if (!Number.isInteger(untaggedExpiryDays) || untaggedExpiryDays < 1) {
      throw new Error(`EcrRepository ${props.repositoryName}: untaggedExpiryDays got ${untaggedExpiryDays}, expected a positive integer`);
    }
    const repository = new EcrRepositoryResource(this, 'repository', {
      name: props.repositoryName,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: props.kmsKeyArn }],
      forceDelete: false,
      lifecycle: { preventDestroy: true },
    });
    new EcrLifecyclePolicy(this, 'lifecycle', {
      repository: repository.name,
      policy: JSON.stringify(lifecyclePolicy(keepDevImages, untaggedExpiryDays)),
    });
    this.repositoryArn = repository.arn;
    this.repositoryName = repository.name;
    this.repositoryUrl = repository.repositoryUrl;
  }
}

/**
 * The tag scheme's rules. ECR evaluates them in priority order, and an image that matches the selection of
 * a higher-priority rule cannot be expired by a lower one ("Lifecycle policy evaluation rules", Amazon ECR
 * user guide). So rule 1 selects every `rel-*` image (whatever other tags it carries, e.g. the `dev-*` tag
 * of the build it was promoted from) with a count it cannot reach: those images are claimed, never expired.
 * Rule 2 keeps the newest `keepDevImages` `dev-*` images, rule 3 expires untagged ones. No rule selects
 * `any`: an image whose tags match no rule is never expired.
 */
export function lifecyclePolicy(keepDevImages: number, untaggedExpiryDays: number) {
  return {
    rules: [
      {
        rulePriority: 1,
        description: 'Release images (rel-*) are never expired: this rule claims them before any other',
        selection: { tagStatus: 'tagged', tagPatternList: [RELEASE_TAG_PATTERN], countType: 'imageCountMoreThan', countNumber: ECR_IMAGES_PER_REPOSITORY },
        action: { type: 'expire' },
      },
      {
        rulePriority: 2,
        description: `Keep the newest ${keepDevImages} dev-* images`,
        selection: { tagStatus: 'tagged', tagPatternList: [DEV_TAG_PATTERN], countType: 'imageCountMoreThan', countNumber: keepDevImages },
        action: { type: 'expire' },
      },
      {
        rulePriority: 3,
        description: `Expire untagged images after ${untaggedExpiryDays} days`,
        selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: untaggedExpiryDays },
        action: { type: 'expire' },
      },
    ],
  };
}
