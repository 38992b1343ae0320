import { CloudfrontCachePolicy } from '@cdktf/provider-aws/lib/cloudfront-cache-policy';
import { CloudfrontResponseHeadersPolicy } from '@cdktf/provider-aws/lib/cloudfront-response-headers-policy';
import { Construct } from 'constructs';

const ONE_YEAR = 31_536_000;
const TWO_YEARS = 63_072_000;

/** CloudFront's limit on the `Content-Security-Policy` value of a response headers policy. */
export const MAX_CSP_LENGTH = 1783;

export interface CspSources {
  /** The API the app calls, e.g. `https://api.tiketi.com` (in `connect-src`). */
  readonly apiOrigin: string;
  /**
   * Origins of the payment provider's scripts, frames and API (in `script-src`, `frame-src`, `connect-src`
   * and the `payment` permission). Each is an `https://host` origin, reviewed like code (PCI DSS v4 6.4.3).
   * @default - none
   */
  readonly paymentOrigins?: readonly string[];
}

/**
 * The baseline `Content-Security-Policy` of the frontend: only the site itself, the API and the payment
 * provider's origins may load scripts, frames or receive requests. For PCI DSS v4 6.4.3 (scripts on payment
 * pages authorised and inventoried), every script source is listed here, in code review; no `unsafe-inline`,
 * no `unsafe-eval`. `data:` images and fonts cover what Vite inlines (assets under 4 KB).
 */
export function contentSecurityPolicy(sources: CspSources): string {
  const payment = sources.paymentOrigins ?? [];
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'", ...payment]],
    ['style-src', ["'self'"]],
    ['img-src', ["'self'", 'data:']],
    ['font-src', ["'self'", 'data:']],
    ['connect-src', ["'self'", sources.apiOrigin, ...payment]],
    ['frame-src', payment.length > 0 ? [...payment] : ["'none'"]],
    ['frame-ancestors', ["'none'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'self'"]],
    ['form-action', ["'self'"]],
    ['manifest-src', ["'self'"]],
    ['worker-src', ["'self'"]],
    ['upgrade-insecure-requests', []],
  ];
  return directives.map(([name, values]) => [name, ...values].join(' ')).join('; ');
}

/**
 * The baseline `Permissions-Policy`: the powerful browser features a ticket shop does not use are off for the
 * page and every frame; the Payment Request API is left to the site and the payment provider.
 */
export function permissionsPolicy(paymentOrigins: readonly string[] = []): string {
  const off = ['accelerometer', 'camera', 'display-capture', 'geolocation', 'gyroscope', 'magnetometer', 'microphone', 'midi', 'usb'];
  const payment = ['self', ...paymentOrigins.map((origin) => JSON.stringify(origin))].join(' ');
  return [...off.map((feature) => `${feature}=()`), `payment=(${payment})`].join(', ');
}

export interface SitePoliciesProps {
  readonly namePrefix: string;
  /** Origins the baseline Content-Security-Policy and Permissions-Policy allow besides the site. */
  readonly sources: CspSources;
  /**
   * `Content-Security-Policy` sent with every response, replacing the baseline.
   * @default - `contentSecurityPolicy(sources)`
   */
  readonly contentSecurityPolicy?: string;
}

/**
 * CloudFront policies of a single-page app:
 * - `immutable`: content-hashed assets, cached a year at the edge even when the object has no Cache-Control;
 * - `revalidate`: `index.html` and everything else, TTL 0 unless the object says otherwise, so a deploy is
 *   visible at once (CloudFront revalidates with the origin by ETag instead of refetching);
 * - `security`: HSTS (2 years, subdomains), nosniff, frame DENY, strict-origin-when-cross-origin referrer,
 *   the baseline Content-Security-Policy and Permissions-Policy.
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
    const csp = props.contentSecurityPolicy ?? contentSecurityPolicy(props.sources);
    if (csp.length > MAX_CSP_LENGTH) {
      throw new Error(`SitePolicies ${this.node.path}: the Content-Security-Policy has ${csp.length} characters; CloudFront accepts at most ${MAX_CSP_LENGTH}`);
    }
    this.securityHeadersPolicyId = new CloudfrontResponseHeadersPolicy(this, 'security', {
      name: `${props.namePrefix}-frontend-security-headers`,
      comment: 'HSTS, nosniff, frame DENY, referrer policy, CSP, Permissions-Policy',
      securityHeadersConfig: {
        strictTransportSecurity: { accessControlMaxAgeSec: TWO_YEARS, includeSubdomains: true, preload: false, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: 'DENY', override: true },
        referrerPolicy: { referrerPolicy: 'strict-origin-when-cross-origin', override: true },
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
      },
      // Permissions-Policy has no field of its own in the security headers config: it is a custom header.
      customHeadersConfig: { items: [{ header: 'Permissions-Policy', value: permissionsPolicy(props.sources.paymentOrigins), override: true }] },
    }).id;
  }
}
