/**
 * Source of the CloudFront Function (runtime `cloudfront-js-2.0`, viewer request) that serves the app shell
 * for client-side routes. Plain JavaScript in a string, so it ships as written; `__tests__/edge/` runs it.
 *
 * A path whose last segment has no dot (`/`, `/events/42`, `/my/tickets/`) is a route of the single-page app:
 * it is rewritten to `/index.html`. Everything else goes to the bucket unchanged: real files (`/favicon.ico`,
 * `/assets/app.3f9c.js`) and `/.well-known/*` (files such as `apple-app-site-association` have no extension).
 * A missing file therefore answers 404 and a WAF block 403, instead of `index.html` with 200. Routes must not
 * end in a segment with a dot (`/users/jane.doe` would be looked up as a file).
 */
export const SPA_REWRITE_FUNCTION_CODE = `// Managed by the tiketi edge stack (modules/private/spa-rewrite.ts).
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.indexOf('/.well-known/') === 0) {
    return request;
  }
  var lastSegment = uri.substring(uri.lastIndexOf('/') + 1);
  if (lastSegment.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}
`;

/** The JavaScript runtime of the function (ES 5.1 plus selected later features; no `require`). */
export const SPA_REWRITE_RUNTIME = 'cloudfront-js-2.0';
