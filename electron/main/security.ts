import { app, session, shell, type WebContents } from 'electron';

/**
 * Parses a URL the renderer asked to open in a new window. Only http(s) URLs
 * without credentials go to the system browser; everything else is dropped.
 */
export function parseExternalUrl(raw: string): URL | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password) return null;
  return url;
}

/** Locks down one web contents: no navigation, no new windows, no webviews. */
export function hardenWebContents(contents: WebContents, openExternal: (url: string) => unknown = shell.openExternal): void {
  contents.on('will-navigate', (event) => {
    event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    const external = parseExternalUrl(url);
    if (external) void openExternal(external.toString());
    return { action: 'deny' };
  });
}

/**
 * The only permission the app's pages get: writing plain text to the
 * clipboard (the Copy buttons for commands, keys and fingerprints). Reading
 * the clipboard, media, notifications, geolocation… are all denied.
 */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

/**
 * App-wide defaults: every permission request and check is denied but
 * ALLOWED_PERMISSIONS, and every web contents ever created is hardened.
 */
export function setupSecurity(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => {
    callback(ALLOWED_PERMISSIONS.has(permission));
  });
  session.defaultSession.setPermissionCheckHandler((_contents, permission) => ALLOWED_PERMISSIONS.has(permission));
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents);
  });
}
