import { ENVIRONMENTS } from '../../config/environments';
import { EdgeSettings, EnvironmentSettings, WafSettings } from '../../config/settings';
import { problemsOf } from '../support/settings';
import { s3BucketNameProblem } from '../../config/validation/edge';

function withEdge(edge: Partial<EdgeSettings>, base: EnvironmentSettings = ENVIRONMENTS.staging): EnvironmentSettings {
  return { ...base, edge: { ...base.edge, ...edge } };
}

function withWaf(waf: Partial<WafSettings>, base: EnvironmentSettings = ENVIRONMENTS.staging): EnvironmentSettings {
  return withEdge({ waf: { ...base.edge.waf, ...waf } }, base);
}


describe('edge settings', () => {
  test.each(['dev', 'staging', 'prod'] as const)('%s is valid', (name) => {
    expect(problemsOf(ENVIRONMENTS[name])).toEqual([]);
  });

  test('fails when the frontend domain is not inside the zone', () => {
    expect(problemsOf(withEdge({ frontendDomain: 'staging.tiketi.net' }))).toEqual([expect.stringMatching(/^staging\.edge\.frontendDomain: got "staging\.tiketi\.net", expected .*"\.tiketi\.com"/)]);
  });

  test('fails when the API domain only ends with the zone name as text (not a subdomain)', () => {
    expect(problemsOf(withEdge({ apiDomain: 'api-stagingtiketi.com' }))).toEqual([expect.stringMatching(/^staging\.edge\.apiDomain: got "api-stagingtiketi\.com"/)]);
  });

  test('fails when a domain is not a DNS name', () => {
    expect(problemsOf(withEdge({ apiDomain: 'API.tiketi.com.' }))).toEqual([expect.stringMatching(/^staging\.edge\.apiDomain: got "API\.tiketi\.com\.", expected a DNS name/)]);
  });

  test('fails when the zone name is not a DNS name', () => {
    expect(problemsOf(withEdge({ zoneName: 'tiketi' }))[0]).toMatch(/^staging\.edge\.zoneName: got "tiketi"/);
  });

  test('fails when the frontend and API share one domain', () => {
    expect(problemsOf(withEdge({ apiDomain: 'staging.tiketi.com' }))).toEqual([expect.stringMatching(/^staging\.edge\.apiDomain: .*a name other than staging\.edge\.frontendDomain/)]);
  });

  test('fails when the price class is not a CloudFront price class', () => {
    expect(problemsOf(withEdge({ priceClass: 'PriceClass_300' as EdgeSettings['priceClass'] }))).toEqual([
      'staging.edge.priceClass: got "PriceClass_300", expected one of "PriceClass_100", "PriceClass_200", "PriceClass_All"',
    ]);
  });

  test('fails when the bucket suffix has characters S3 refuses', () => {
    const problems = problemsOf(withEdge({ bucketSuffix: 'Acme_Corp' }));
    expect(problems[0]).toMatch(/^staging\.edge\.bucketSuffix: got "Acme_Corp", expected an empty string or lower-case letters/);
    expect(problems.some((p) => p.includes('"tiketi-frontend-staging-Acme_Corp"') && p.includes('only lower-case letters'))).toBe(true);
  });

  test('fails when the suffix makes a bucket name longer than 63 characters', () => {
    const problems = problemsOf(withEdge({ bucketSuffix: 'a'.repeat(36) }));
    expect(problems).toEqual([expect.stringMatching(/^staging\.edge\.bucketSuffix: got "a{36}", which makes the bucket name "tiketi-frontend-staging-a{36}-logs"; S3 requires 3 to 63 characters/)]);
  });

  test('fails when the suffix ends a name with a reserved suffix', () => {
    // "-s3alias" is reserved for access point aliases; the log bucket adds "-logs", so only the frontend name breaks.
    expect(problemsOf(withEdge({ bucketSuffix: 'x-s3alias' }))).toEqual([expect.stringMatching(/bucketSuffix: .*"tiketi-frontend-staging-x-s3alias"; S3 requires no reserved suffix "-s3alias"/)]);
  });

  test.each(['frontendIpRateLimit', 'apiIpRateLimit', 'apiClientRateLimit', 'loginRateLimit'] as const)('fails when waf.%s is below what WAF accepts (10)', (field) => {
    expect(problemsOf(withWaf({ [field]: 5 }))).toContain(`staging.edge.waf.${field}: got 5, expected an integer from 10 to 2000000000`);
  });

  test('fails when a WAF rate limit is above what WAF accepts or not an integer', () => {
    expect(problemsOf(withWaf({ frontendIpRateLimit: 2_000_000_001 }))).toEqual(['staging.edge.waf.frontendIpRateLimit: got 2000000001, expected an integer from 10 to 2000000000']);
    expect(problemsOf(withWaf({ frontendIpRateLimit: 150.5 }))).toEqual(['staging.edge.waf.frontendIpRateLimit: got 150.5, expected an integer from 10 to 2000000000']);
  });

  test('fails when the login limit is not stricter than the site-wide API limit', () => {
    expect(problemsOf(withWaf({ apiIpRateLimit: 2000, loginRateLimit: 2000 }))).toEqual([
      'staging.edge.waf.loginRateLimit: got 2000, expected a limit below staging.edge.waf.apiIpRateLimit (2000): the login rule must be the stricter one',
    ]);
  });

  test('fails when one client may send as much as its whole address', () => {
    expect(problemsOf(withWaf({ apiIpRateLimit: 2000, apiClientRateLimit: 2500 }))).toEqual([expect.stringMatching(/^staging\.edge\.waf\.apiClientRateLimit: got 2500, expected a limit below staging\.edge\.waf\.apiIpRateLimit \(2000\)/)]);
  });

  test.each([
    ['relative', 'api/auth/login'],
    ['upper case (the rule lower-cases the path)', '/api/Auth/Login'],
    ['with a trailing slash', '/api/auth/login/'],
    ['with a wildcard', '/api/auth/*'],
    ['with a query string', '/api/auth/login?x=1'],
    ['empty', ''],
  ])('fails when a login path is %s', (_case, path) => {
    expect(problemsOf(withWaf({ loginPaths: [path] }))).toEqual([expect.stringMatching(/^staging\.edge\.waf\.loginPaths\[0\]: got .*, expected an absolute lower-case path/)]);
  });

  test('fails when there is no login path, or one repeats', () => {
    expect(problemsOf(withWaf({ loginPaths: [] }))).toEqual(['staging.edge.waf.loginPaths: got [], expected 1 to 5 paths']);
    expect(problemsOf(withWaf({ loginPaths: ['/auth/login', '/auth/login'] }))).toEqual([expect.stringMatching(/^staging\.edge\.waf\.loginPaths: .*distinct paths/)]);
  });

  test('fails when the rate limit action is neither block nor count', () => {
    expect(problemsOf(withWaf({ rateLimitAction: 'captcha' as WafSettings['rateLimitAction'] }))).toEqual(['staging.edge.waf.rateLimitAction: got "captcha", expected one of "block", "count"']);
  });

  test('fails when the WAF log retention is not one CloudWatch accepts', () => {
    expect(problemsOf(withWaf({ logRetentionDays: 100 }))).toEqual([expect.stringMatching(/^staging\.edge\.waf\.logRetentionDays: got 100, expected one of 1, 3/)]);
  });

  test('the shipped limits: per-IP limits high enough for an on-sale crowd behind one NAT address in prod, login stricter everywhere', () => {
    const prod = ENVIRONMENTS.prod.edge.waf;
    expect(prod.apiIpRateLimit).toBeGreaterThanOrEqual(10_000);
    expect(prod.frontendIpRateLimit).toBeGreaterThanOrEqual(10_000);
    for (const name of ['dev', 'staging', 'prod'] as const) {
      const waf = ENVIRONMENTS[name].edge.waf;
      expect(waf.loginRateLimit).toBeLessThan(waf.apiIpRateLimit);
      expect(waf.loginPaths).toContain('/api/auth/login');
    }
  });

  test.each(['http://js.pg.example', 'https://*.pg.example', 'https://js.pg.example/sdk.js', 'js.pg.example', "'unsafe-inline'"])('fails when a payment origin is %s (not one https origin)', (origin) => {
    expect(problemsOf(withEdge({ paymentOrigins: [origin] }))).toEqual([expect.stringMatching(/^staging\.edge\.paymentOrigins\[0\]: got .*, expected an https origin/)]);
  });

  test('accepts an https payment origin', () => {
    expect(problemsOf(withEdge({ paymentOrigins: ['https://js.tosspayments.com'] }))).toEqual([]);
  });

  test('fails when the access log retention is not a positive number of days', () => {
    expect(problemsOf(withEdge({ accessLogRetentionDays: 0 }))).toEqual(['staging.edge.accessLogRetentionDays: got 0, expected an integer from 1 to 3650']);
  });

  test('reports every problem at once, before any stack is built', () => {
    expect(problemsOf(withEdge({ priceClass: 'cheap' as EdgeSettings['priceClass'], frontendDomain: 'example.org', waf: { ...ENVIRONMENTS.staging.edge.waf, loginRateLimit: 1.5 } }))).toHaveLength(3);
  });
});

describe('s3BucketNameProblem', () => {
  test.each([
    ['ab', /3 to 63/],
    ['a'.repeat(64), /3 to 63/],
    ['Tiketi', /lower-case/],
    ['tiketi_frontend', /lower-case/],
    ['-tiketi', /start and at the end/],
    ['tiketi.', /start and at the end/],
    ['tiketi..frontend', /adjacent dots/],
    ['192.168.1.10', /IP address/],
    ['xn--tiketi', /prefix "xn--"/],
    ['tiketi-s3alias', /suffix "-s3alias"/],
  ])('refuses %s', (name, reason) => {
    expect(s3BucketNameProblem(name)).toMatch(reason);
  });

  test.each(['tiketi-frontend-prod', 'tiketi-frontend-dev-123456789012', 'a.b.c'])('accepts %s', (name) => {
    expect(s3BucketNameProblem(name)).toBeUndefined();
  });
});
