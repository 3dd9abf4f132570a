/**
 * The Content-Security-Policy every renderer page is served with: only the
 * app's own scripts, styles, images and fonts; no inline script, no eval, no
 * plugins, no frames, no network beyond the page's own origin (plus
 * `extraConnectSources`, which only the web host uses for its WebSocket).
 */
export function contentSecurityPolicy(extraConnectSources: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${["'self'", ...extraConnectSources].join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "object-src 'none'",
    "worker-src 'none'",
  ].join('; ');
}
