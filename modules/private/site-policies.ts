import { CloudfrontCachePolicy } from '@cdktf/provider-aws/lib/cloudfront-cache-policy';
import { CloudfrontResponseHeadersPolicy } from '@cdktf/provider-aws/lib/cloudfront-response-headers-policy';
import { Construct } from 'constructs';

const ONE_YEAR = 31_536_000;
const TWO_YEARS = 63_072_000;

export interface SitePoliciesProps {
  readonly namePrefix: string;
  /**
   * `Content-Security-Policy` sent with every response.
   * @default - none: the right policy depends on the app's scripts and API origin, so the frontend team owns it
   */
  readonly contentSecurityPolicy?: string;
}

/**
 * CloudFront policies of a single-page app:
 * - `immutable`: content-hashed assets, cached a year at the edge even when the object has no Cache-Control;
 * - `revalidate`: `index.html` and everything else, TTL 0 unless the object says otherwise, so a deploy is
 *   visible at once (CloudFront revalidates with the origin by ETag instead of refetching);
 * - `security`: HSTS (2 years, subdomains), nosniff, frame DENY, strict-origin-when-cross-origin referrer.
 * Neither cache policy forwards cookies, headers or query strings: the origin is a static bucket.
 */
export class SitePolicies extends Construct {
  public readonly immutableCachePolicyId: string;
  public readonly revalidateCachePolicyId: string;
  public readonly securityHeadersPolicyId: string;

  constructor(scope: Construct, id: string, props: SitePoliciesProps) {
    super(scope, id);
    const staticKey = {
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
      cookiesConfig: { cookieBehavior: 'none' },
      headersConfig: { headerBehavior: 'none' },
      queryStringsConfig: { queryStringBehavior: 'none' },
    };
    this.immutableCachePolicyId = new CloudfrontCachePolicy(this, 'immutable', {
      name: `${props.namePrefix}-frontend-immutable`,
      comment: 'Content-hashed assets: cached for a year',
      minTtl: ONE_YEAR,
      defaultTtl: ONE_YEAR,
      maxTtl: ONE_YEAR,
      parametersInCacheKeyAndForwardedToOrigin: staticKey,
    }).id;
    this.revalidateCachePolicyId = new CloudfrontCachePolicy(this, 'revalidate', {
      name: `${props.namePrefix}-frontend-revalidate`,
      comment: 'index.html and routes: revalidated on every request unless the object sets max-age',
      minTtl: 0,
      defaultTtl: 0,
      // Above zero so compression stays allowed; the object's own Cache-Control still decides.
      maxTtl: ONE_YEAR,
      parametersInCacheKeyAndForwardedToOrigin: staticKey,
    }).id;
    this.securityHeadersPolicyId = new CloudfrontResponseHeadersPolicy(this, 'security', {
      name: `${props.namePrefix}-frontend-security-headers`,
      comment: 'HSTS, nosniff, frame DENY, referrer policy',
      securityHeadersConfig: {
        strictTransportSecurity: { accessControlMaxAgeSec: TWO_YEARS, includeSubdomains: true, preload: false, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: 'DENY', override: true },
        referrerPolicy: { referrerPolicy: 'strict-origin-when-cross-origin', override: true },
        ...(props.contentSecurityPolicy ? { contentSecurityPolicy: { contentSecurityPolicy: props.contentSecurityPolicy, override: true } } : {}),
      },
    }).id;
  }
}
