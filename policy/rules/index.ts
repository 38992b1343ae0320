/** Every rule the policy enforces, one file per service family. */
import { AnyRule } from '../types';
import { EC2_RULES } from './ec2';
import { TIKETI_RULES } from './tiketi';

export const ALL_RULES: readonly AnyRule[] = [...EC2_RULES, ...TIKETI_RULES];
