/** FSBP controls for Amazon ECR private repositories. */
import { blocks, isTrue } from '../document';
import { Rule } from '../types';

const ALL = 'all';
const REPOSITORIES = ['aws_ecr_repository'];

export const ECR_RULES: readonly Rule[] = [
  {
    control: 'ECR.1',
    source: 'FSBP',
    title: 'ECR private repositories should have image scanning configured',
    checks: 'image_scanning_configuration.scan_on_push is true, or an aws_ecr_registry_scanning_configuration of the stack scans every repository (filter "*") on push or continuously',
    targets: REPOSITORIES,
    environments: ALL,
    fix: 'set image_scanning_configuration { scan_on_push = true } (the EcrRepository module does)',
    evaluate(repository, { doc }) {
      if (blocks(repository.config.image_scanning_configuration).some((c) => isTrue(c.scan_on_push))) return undefined;
      const registryWide = doc
        .resources('aws_ecr_registry_scanning_configuration')
        .some((c) => blocks(c.config.rule).some((r) => ['SCAN_ON_PUSH', 'CONTINUOUS_SCAN'].includes(r.scan_frequency) && blocks(r.repository_filter).some((f) => f.filter === '*')));
      return registryWide ? undefined : 'scan_on_push is not true and no registry scanning configuration covers the repository';
    },
  },
  {
    control: 'ECR.2',
    source: 'FSBP',
    title: 'ECR private repositories should have tag immutability configured',
    checks: 'image_tag_mutability is IMMUTABLE (or IMMUTABLE_WITH_EXCLUSION); the default is MUTABLE',
    targets: REPOSITORIES,
    environments: ALL,
    fix: 'set image_tag_mutability = "IMMUTABLE"; releases are new tags, never moved ones',
    evaluate: (repository) =>
      String(repository.config.image_tag_mutability ?? 'MUTABLE').startsWith('IMMUTABLE') ? undefined : `image_tag_mutability is ${repository.config.image_tag_mutability ?? 'unset (MUTABLE)'}`,
  },
  {
    control: 'ECR.3',
    source: 'FSBP',
    title: 'ECR repositories should have at least one lifecycle policy configured',
    checks: 'an aws_ecr_lifecycle_policy names the repository (by reference or by its name)',
    targets: REPOSITORIES,
    environments: ALL,
    fix: 'add an aws_ecr_lifecycle_policy (the EcrRepository module does, per the image tag contract in docs/platform-contracts.md)',
    evaluate: (repository, { doc }) => (doc.referencing('aws_ecr_lifecycle_policy', 'repository', repository, repository.config.name).length > 0 ? undefined : 'no aws_ecr_lifecycle_policy for the repository'),
  },
];
