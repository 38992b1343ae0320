/** Every rule the policy enforces, one file per service family. */
import { AnyRule } from '../types';
import { EC2_RULES } from './ec2';
import { EKS_RULES } from './eks';
import { ELASTICACHE_RULES } from './elasticache';
import { RDS_RULES } from './rds';
import { TIKETI_RULES } from './tiketi';

export const ALL_RULES: readonly AnyRule[] = [...EC2_RULES, ...RDS_RULES, ...ELASTICACHE_RULES, ...EKS_RULES, ...TIKETI_RULES];
