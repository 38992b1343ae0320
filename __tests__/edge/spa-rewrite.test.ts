import * as vm from 'vm';
import { SPA_REWRITE_FUNCTION_CODE } from '../../modules/private/spa-rewrite';
import { contentSecurityPolicy } from '../../modules/private/site-policies';

/**
 * The CloudFront Function's code, run as CloudFront runs it: the source evaluated on its own (no module
 * system, no Node globals), then `handler(event)` on viewer-request events of the `cloudfront-js-2.0` shape.
 */
function loadHandler(): (event: any) => any {
  const sandbox: Record<string, unknown> = {};
  vm.runInNewContext(`${SPA_REWRITE_FUNCTION_CODE}\nthis.handler = handler;`, sandbox, { filename: 'spa-rewrite.js' });
  return sandbox.handler as (event: any) => any;
}

function viewerRequest(uri: string) {
  return {
    version: '1.0',
    context: { eventType: 'viewer-request', distributionId: 'EMOCK', requestId: 'r-1' },
    viewer: { ip: '203.0.113.7' },
    request: { method: 'GET', uri, querystring: { v: { value: '1' } }, headers: { host: { value: 'tiketi.com' } }, cookies: {} },
  };
}

describe('SPA rewrite CloudFront Function', () => {
  const handler = loadHandler();
  const uriAfter = (uri: string) => handler(viewerRequest(uri)).uri;

  test.each([
    ['/', '/index.html'],
    ['/events/42', '/index.html'],
    ['/my/tickets/', '/index.html'],
    ['/login', '/index.html'],
  ])('a client-side route %s is served by %s', (uri, expected) => {
    expect(uriAfter(uri)).toBe(expected);
  });

  test.each(['/assets/app.3f9c.js', '/favicon.ico', '/index.html', '/robots.txt', '/assets/fonts/inter.woff2'])('a file %s is left alone (a missing one stays a 404)', (uri) => {
    expect(uriAfter(uri)).toBe(uri);
  });

  test.each(['/.well-known/x', '/.well-known/apple-app-site-association', '/.well-known/security.txt'])('%s goes to the bucket as asked, even without an extension', (uri) => {
    expect(uriAfter(uri)).toBe(uri);
  });

  test('returns the request itself: method, headers and query string untouched', () => {
    const event = viewerRequest('/events/42');
    const result = handler(event);
    expect(result).toBe(event.request);
    expect(result).toMatchObject({ method: 'GET', querystring: { v: { value: '1' } }, headers: { host: { value: 'tiketi.com' } } });
  });

  test('fits the CloudFront Functions limits: under 10 KB, no require/import, a top-level handler', () => {
    expect(Buffer.byteLength(SPA_REWRITE_FUNCTION_CODE, 'utf8')).toBeLessThan(10 * 1024);
    expect(SPA_REWRITE_FUNCTION_CODE).not.toMatch(/\brequire\s*\(|\bimport\b/);
    expect(typeof handler).toBe('function');
  });
});

describe('baseline Content-Security-Policy', () => {
  const directives = (csp: string): Record<string, string[]> =>
    Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
  const csp = directives(contentSecurityPolicy({ apiOrigin: 'https://api.tiketi.com' }));

  test('scripts, styles and everything else only from the site itself: no inline script, no eval', () => {
    expect(csp['default-src']).toEqual(["'self'"]);
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['style-src']).toEqual(["'self'"]);
    const all = Object.values(csp).flat();
    expect(all).not.toContain("'unsafe-inline'");
    expect(all).not.toContain("'unsafe-eval'");
    expect(all.some((v) => v.includes('*'))).toBe(false);
  });

  test('the app may call the environment API and nothing else besides itself', () => {
    expect(csp['connect-src']).toEqual(["'self'", 'https://api.tiketi.com']);
  });

  test('no framing either way, no plugins, no base or form hijacking, HTTPS only', () => {
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(csp['frame-src']).toEqual(["'none'"]);
    expect(csp['object-src']).toEqual(["'none'"]);
    expect(csp['base-uri']).toEqual(["'self'"]);
    expect(csp['form-action']).toEqual(["'self'"]);
    expect(csp['upgrade-insecure-requests']).toEqual([]);
  });

  test('images and fonts may be data: URIs (what Vite inlines), nothing else external', () => {
    expect(csp['img-src']).toEqual(["'self'", 'data:']);
    expect(csp['font-src']).toEqual(["'self'", 'data:']);
  });

  test('a payment provider is allowed to script, frame and be called, and only it', () => {
    const withPg = directives(contentSecurityPolicy({ apiOrigin: 'https://api.tiketi.com', paymentOrigins: ['https://js.pg.example'] }));
    expect(withPg['script-src']).toEqual(["'self'", 'https://js.pg.example']);
    expect(withPg['frame-src']).toEqual(['https://js.pg.example']);
    expect(withPg['connect-src']).toEqual(["'self'", 'https://api.tiketi.com', 'https://js.pg.example']);
    expect(withPg['style-src']).toEqual(["'self'"]);
  });
});
