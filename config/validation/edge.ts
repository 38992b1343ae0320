import { EnvironmentName, EnvironmentSettings, PRICE_CLASSES, RATE_LIMIT_ACTIONS, WafSettings } from '../settings';
import { LOG_RETENTION_DAYS, Problems } from './problems';
import { DNS_NAME, HTTPS_ORIGIN, s3BucketNameProblem } from './rules';

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

/** S3's bucket naming rules, kept here for the callers that import them with the bucket names. */
export { s3BucketNameProblem };

/** `domain` is the zone apex or a name inside it. */
export function isInZone(domain: string, zoneName: string): boolean {
  return domain === zoneName || domain.endsWith(`.${zoneName}`);
}

/**
 * WAFv2 rate-based rule limits (requests per aggregation key in the 5-minute window).
 * @see https://docs.aws.amazon.com/waf/latest/APIReference/API_RateBasedStatement.html
 */
export const WAF_RATE_LIMIT = { min: 10, max: 2_000_000_000 } as const;
/** Login paths: absolute, lower case (the rule lower-cases the path before matching), no trailing slash. */
const LOGIN_PATH = /^(\/[a-z0-9._~-]+)+$/;
/** A byte match search string holds at most 200 bytes; more paths cost WCUs for little. */
const MAX_LOGIN_PATHS = 5;

export function validateEdge(env: EnvironmentSettings, problems: Problems): void {
  const edge = env.edge;
  const at = `${env.name}.edge`;

  const zoneOk = problems.rule(`${at}.zoneName`, edge.zoneName, DNS_NAME);
  for (const field of ['frontendDomain', 'apiDomain'] as const) {
    const domain = edge[field];
    if (!problems.rule(`${at}.${field}`, domain, DNS_NAME)) continue;
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
  edge.paymentOrigins.forEach((origin, i) => problems.rule(`${at}.paymentOrigins[${i}]`, origin, HTTPS_ORIGIN));
  validateWaf(edge.waf, `${at}.waf`, problems);
  problems.checkInteger(`${at}.accessLogRetentionDays`, edge.accessLogRetentionDays, 1, 3650);
}

function validateWaf(waf: WafSettings, at: string, problems: Problems): void {
  const limits = (['frontendIpRateLimit', 'apiIpRateLimit', 'apiClientRateLimit', 'loginRateLimit'] as const).map((field) =>
    problems.checkInteger(`${at}.${field}`, waf[field], WAF_RATE_LIMIT.min, WAF_RATE_LIMIT.max),
  );
  if (limits.every(Boolean)) {
    // A narrower rule with a limit at or above the site-wide one never fires before the site-wide one does.
    problems.check(waf.loginRateLimit < waf.apiIpRateLimit, `${at}.loginRateLimit`, waf.loginRateLimit, `a limit below ${at}.apiIpRateLimit (${waf.apiIpRateLimit}): the login rule must be the stricter one`);
    problems.check(waf.apiClientRateLimit < waf.apiIpRateLimit, `${at}.apiClientRateLimit`, waf.apiClientRateLimit, `a limit below ${at}.apiIpRateLimit (${waf.apiIpRateLimit}): one client behind an address gets less than the address`);
  }
  problems.check(waf.loginPaths.length >= 1 && waf.loginPaths.length <= MAX_LOGIN_PATHS, `${at}.loginPaths`, waf.loginPaths, `1 to ${MAX_LOGIN_PATHS} paths`);
  waf.loginPaths.forEach((path, i) =>
    problems.check(LOGIN_PATH.test(path) && path.length <= 200, `${at}.loginPaths[${i}]`, path, 'an absolute lower-case path such as "/api/auth/login" (no trailing slash, no wildcard, at most 200 characters)'),
  );
  problems.check(new Set(waf.loginPaths).size === waf.loginPaths.length, `${at}.loginPaths`, waf.loginPaths, 'distinct paths');
  problems.oneOf(`${at}.rateLimitAction`, waf.rateLimitAction, RATE_LIMIT_ACTIONS);
  problems.oneOf(`${at}.logRetentionDays`, waf.logRetentionDays, LOG_RETENTION_DAYS);
}
