/**
 * The seed's cost estimate (`shared/seed/ARGOCD_IMPLEMENTATION_ROADMAP.md`, "Cost Estimation", "Monthly
 * AWS Costs (Approximate)"), line by line, with the report categories each line covers. The report
 * puts it beside its own figures and lists what the seed left out.
 */
import { Category } from './model';

export interface SeedLine {
  readonly item: string;
  readonly usd: number;
  readonly covers: readonly Category[];
  /** Nodes, DB instances or cache nodes the seed counted, where it says. */
  readonly count?: number;
}

export interface SeedEstimate {
  readonly total: number;
  readonly lines: readonly SeedLine[];
}

export const SEED_SOURCE = 'shared/seed/ARGOCD_IMPLEMENTATION_ROADMAP.md, "Cost Estimation"';

const eks: SeedLine = { item: 'EKS cluster (control plane)', usd: 73, covers: ['EKS control plane'] };
const alb: SeedLine = { item: 'ALB', usd: 20, covers: ['Load balancers'] };

export const SEED_ESTIMATES: Readonly<Record<string, SeedEstimate>> = {
  dev: {
    total: 233,
    lines: [
      eks,
      { item: '2x t3.medium nodes', usd: 60, covers: ['EC2 nodes'], count: 2 },
      { item: 'RDS db.t3.small', usd: 50, covers: ['RDS'], count: 1 },
      { item: 'ElastiCache t3.micro', usd: 20, covers: ['ElastiCache'], count: 1 },
      alb,
      { item: 'S3 + CloudFront', usd: 10, covers: ['S3', 'CloudFront'] },
    ],
  },
  staging: {
    total: 333,
    lines: [
      eks,
      { item: '3x t3.medium nodes', usd: 90, covers: ['EC2 nodes'], count: 3 },
      { item: 'RDS db.t3.medium', usd: 100, covers: ['RDS'], count: 1 },
      { item: 'ElastiCache t3.small', usd: 40, covers: ['ElastiCache'], count: 1 },
      alb,
      { item: 'S3 + CloudFront', usd: 10, covers: ['S3', 'CloudFront'] },
    ],
  },
  prod: {
    total: 1118,
    lines: [
      eks,
      { item: '5x t3.large nodes', usd: 375, covers: ['EC2 nodes'], count: 5 },
      { item: 'RDS db.t3.large Multi-AZ', usd: 400, covers: ['RDS'], count: 1 },
      { item: 'ElastiCache r6g.large', usd: 200, covers: ['ElastiCache'], count: 1 },
      alb,
      { item: 'S3 + CloudFront', usd: 50, covers: ['S3', 'CloudFront'] },
    ],
  },
};
