/**
 * The renderer's Content-Security-Policy, sent by both of its servers: Electron's app:// protocol and `lanyard serve`.
 * renderer/index.html carries the same policy in a meta tag for the first paint.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  // 'self' covers the same-origin WebSocket of `lanyard serve` (CSP 3).
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
