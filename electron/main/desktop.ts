import path from 'node:path';
import { app, Notification, shell } from 'electron';
import { PaddockError } from '../common/errors';
import { deepLinkScheme } from '../common/deep-link';
import type { DesktopIntegration } from '../core/oauth';

// The desktop the core asks for (electron/core/oauth.ts): the system
// browser, notifications, and whether paddock:// links come back here.

/**
 * The executable and arguments the OS starts for a paddock:// link. A
 * packaged app is itself the handler; in development (`electron .`,
 * process.defaultApp) the OS must start Electron with the app's entry
 * script, as Electron's deep-link tutorial does it (Windows needs both).
 */
export function protocolClientArgs(proc: LaunchedAs): { path?: string; args?: string[] } {
  if (!proc.defaultApp) return {};
  const entry = proc.argv[1];
  return entry ? { path: proc.execPath, args: [path.resolve(entry)] } : {};
}

/** What of `process` says how this app was started. */
export interface LaunchedAs {
  readonly defaultApp?: boolean | undefined;
  readonly execPath: string;
  readonly argv: readonly string[];
}

/** Makes Paddock the handler of paddock:// links (at start; the OS keeps it). False when the OS refused. */
export function registerProtocolClient(proc: LaunchedAs = process): boolean {
  const { path: executable, args } = protocolClientArgs(proc);
  return executable === undefined ? app.setAsDefaultProtocolClient(deepLinkScheme) : app.setAsDefaultProtocolClient(deepLinkScheme, executable, args);
}

/** Only web pages go to the browser: anything else could start another program. */
function webAddress(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PaddockError('invalid-input', 'Paddock opens only web addresses in the browser, and this is not one.');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new PaddockError('invalid-input', 'Paddock opens only web addresses (https:// or http://) in the browser.');
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new PaddockError('invalid-input', 'Paddock does not open web addresses that carry a user name or password.');
  }
  return parsed.toString();
}

export function electronDesktop(proc: LaunchedAs = process): DesktopIntegration {
  return {
    openExternal: async (url) => {
      await shell.openExternal(webAddress(url));
    },
    notify: ({ title, body }) => {
      if (!Notification.isSupported()) return;
      new Notification({ title, body }).show();
    },
    customSchemeHandled: () => {
      const { path: executable, args } = protocolClientArgs(proc);
      return executable === undefined ? app.isDefaultProtocolClient(deepLinkScheme) : app.isDefaultProtocolClient(deepLinkScheme, executable, args);
    },
  };
}
