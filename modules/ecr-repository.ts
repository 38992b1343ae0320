import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository as EcrRepositoryResource } from '@cdktf/provider-aws/lib/ecr-repository';
import { Construct } from 'constructs';

export interface EcrRepositoryProps {
  readonly repositoryName: string;
  /** Customer-managed KMS key that encrypts the images. */
  readonly kmsKeyArn: string;
  /**
   * Images kept; older ones expire.
   * @default 10 - the seed's lifecycle policy
   */
  readonly keepImages?: number;
  /**
   * Days an untagged image (a superseded build layer set) is kept.
   * @default 3
   */
  readonly untaggedExpiryDays?: number;
}

/**
 * A private ECR repository: immutable tags (a tag always names the same image, so a rollback by tag is
 * exact), scan on push, KMS encryption with the given key, a lifecycle policy, and `prevent_destroy` so
 * a `terraform destroy` cannot delete the images running in production.
 */
export class EcrRepository extends Construct {
  public readonly repositoryArn: string;
  public readonly repositoryName: string;
  public readonly repositoryUrl: string;

  constructor(scope: Construct, id: string, props: EcrRepositoryProps) {
    super(scope, id);
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
      policy: JSON.stringify(lifecyclePolicy(props.keepImages ?? 10, props.untaggedExpiryDays ?? 3)),
    });
    this.repositoryArn = repository.arn;
    this.repositoryName = repository.name;
    this.repositoryUrl = repository.repositoryUrl;
  }
}

/** Untagged images expire first (rule 1); of the rest, only the newest `keepImages` stay (rule 2, `any` must rank last). */
export function lifecyclePolicy(keepImages: number, untaggedExpiryDays: number) {
  return {
    rules: [
      {
        rulePriority: 1,
        description: `Expire untagged images after ${untaggedExpiryDays} days`,
        selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: untaggedExpiryDays },
        action: { type: 'expire' },
      },
      {
        rulePriority: 2,
        description: `Keep the last ${keepImages} images`,
        selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: keepImages },
        action: { type: 'expire' },
      },
    ],
  };
}
