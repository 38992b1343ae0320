/** Every rule the policy enforces, one file per service family. */
import { AnyRule } from '../types';
import { EC2_RULES } from './ec2';
import { ECR_RULES } from './ecr';
import { EDGE_RULES } from './edge';
import { EKS_RULES } from './eks';
import { ELASTICACHE_RULES } from './elasticache';
import { KMS_IAM_RULES } from './kms-iam';
import { RDS_RULES } from './rds';
import { S3_ACCOUNT_RULES, S3_RULES } from './s3';
import { TIKETI_RULES } from './tiketi';

export const ALL_RULES: readonly AnyRule[] = [
  ...EC2_RULES,
  ...RDS_RULES,
  ...ELASTICACHE_RULES,
  ...EKS_RULES,
  ...S3_ACCOUNT_RULES,
  ...S3_RULES,
  ...EDGE_RULES,
  ...ECR_RULES,
  ...KMS_IAM_RULES,
  ...TIKETI_RULES,
];
