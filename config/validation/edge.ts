import { EnvironmentName, EnvironmentSettings, PRICE_CLASSES } from '../settings';
import { Problems, isDomainName } from './problems';

/**
 * Names of the edge stack's buckets. S3 names are global, so `bucketSuffix` (e.g. the account alias)
 * makes them unique where the seed's plain names are taken.
 */
export function frontendBucketName(envName: EnvironmentName, bucketSuffix: string): string {
  return `tiketi-frontend-${envName}${bucketSuffix === '' ? '' : `-${bucketSuffix}`}`;
}

/** The CloudFront access log bucket: the frontend bucket's name plus `-logs`. */
export function accessLogBucketName(envName: EnvironmentName, bucketSuffix: string): string {
  return `${frontendBucketName(envName, bucketSuffix)}-logs`;
}

/**
 * Why `name` breaks S3's general purpose bucket naming rules, or undefined when it follows them.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export function s3BucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `3 to 63 characters (got ${name.length})`;
  if (!/^[a-z0-9.-]+$/.test(name)) return 'only lower-case letters, digits, dots and hyphens';
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return 'a letter or digit at the start and at the end';
  if (name.includes('..')) return 'no two adjacent dots';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return 'a name that is not shaped like an IP address';
  for (const prefix of ['xn--', 'sthree-', 'amzn-s3-demo-']) if (name.startsWith(prefix)) return `no reserved prefix "${prefix}"`;
  for (const suffix of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3']) if (name.endsWith(suffix)) return `no reserved suffix "${suffix}"`;
  return undefined;
}

/** `domain` is the zone apex or a name inside it. */
export function isInZone(domain: string, zoneName: string): boolean {
  return domain === zoneName || domain.endsWith(`.${zoneName}`);
}

/** WAFv2 rate-based rule limits (requests per 5-minute window). */
const WAF_RATE_LIMIT = { min: 10, max: 2_000_000_000 } as const;

export function validateEdge(env: EnvironmentSettings, problems: Problems): void {
  const edge = env.edge;
  const at = `${env.name}.edge`;

  const zoneOk = problems.check(isDomainName(edge.zoneName), `${at}.zoneName`, edge.zoneName, 'a DNS name such as "tiketi.com" (lower case, no trailing dot)');
  for (const field of ['frontendDomain', 'apiDomain'] as const) {
    const domain = edge[field];
    if (!problems.check(isDomainName(domain), `${at}.${field}`, domain, 'a DNS name such as "dev.tiketi.com" (lower case, no trailing dot)')) continue;
    if (zoneOk) problems.check(isInZone(domain, edge.zoneName), `${at}.${field}`, domain, `"${edge.zoneName}" or a name ending in ".${edge.zoneName}" (inside ${at}.zoneName)`);
  }
  problems.check(edge.frontendDomain !== edge.apiDomain, `${at}.apiDomain`, edge.apiDomain, `a name other than ${at}.frontendDomain (the ALB and CloudFront cannot share one record)`);

  // The suffix is checked through the names it builds, so the message shows the name S3 would refuse.
  problems.check(edge.bucketSuffix === '' || /^[a-z0-9-]+$/.test(edge.bucketSuffix), `${at}.bucketSuffix`, edge.bucketSuffix, 'an empty string or lower-case letters, digits and hyphens');
  for (const name of [frontendBucketName(env.name, edge.bucketSuffix), accessLogBucketName(env.name, edge.bucketSuffix)]) {
    const problem = s3BucketNameProblem(name);
    if (problem) problems.addMessage(`${at}.bucketSuffix: got ${JSON.stringify(edge.bucketSuffix)}, which makes the bucket name ${JSON.stringify(name)}; S3 requires ${problem}`);
  }

  problems.oneOf(`${at}.priceClass`, edge.priceClass, PRICE_CLASSES);
  problems.checkInteger(`${at}.wafRateLimit`, edge.wafRateLimit, WAF_RATE_LIMIT.min, WAF_RATE_LIMIT.max);
  problems.checkInteger(`${at}.accessLogRetentionDays`, edge.accessLogRetentionDays, 1, 3650);
}
