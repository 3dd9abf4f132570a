import fs from 'node:fs';
import path from 'node:path';
import { app } from 'electron';
import { deepLinkScheme } from '../common/deep-link';
import type { ProtocolHandlerState } from '../core/desktop';
import type { Logger } from '../core/logger';
import { protocolLauncherArg } from './launch-args';
import { appImageDesktopFile, desktopFileName, setupAppImageDesktopEntry } from './linux-desktop-entry';
import type { RunProgram } from './tray-support';

// paddock:// links (OAuth callbacks, shared "open" links) come back to this
// app (GIT-AND-DESKTOP.md §4): each OS is told at start that Paddock handles
// the scheme, and diagnostics say whether it does.
//
// * macOS: the scheme is in Info.plist (electron-builder's `protocols`);
//   links arrive as 'open-url' (./deep-links.ts).
// * Windows: the registry (HKCU\Software\Classes\paddock), written at every
//   start with `"Paddock.exe" --protocol-launcher -- "%1"`.
// * Linux: the package's .desktop file (`MimeType=x-scheme-handler/paddock;`,
//   `Exec=… %U`) named like package.json's desktopName; an AppImage writes
//   its own into the user's applications folder (./linux-desktop-entry.ts).

/** What of `process` says how this app was started. */
export interface LaunchedAs {
  readonly defaultApp?: boolean | undefined;
  readonly execPath: string;
  readonly argv: readonly string[];
  /** The OS (process.platform when not given). */
  readonly platform?: NodeJS.Platform;
}

/**
 * The executable and arguments the OS starts for a paddock:// link. A
 * packaged app is itself the handler; in development (`electron .`,
 * process.defaultApp) the OS must start Electron with the app's entry
 * script, as Electron's deep-link tutorial does it (Windows needs both).
 * Windows also gets `--protocol-launcher --`: Electron writes the command as
 * `"<path>" <args joined by spaces> "%1"`, so the link is the one argument
 * after `--`, and only such a command line carries a link (./launch-args.ts).
 * (Electron joins the arguments with spaces, in the versions read without
 * quoting them: a development checkout whose path has a space may not
 * register on Windows.)
 */
export function protocolClientArgs(proc: LaunchedAs): { path?: string; args?: string[] } {
  const platform = proc.platform ?? process.platform;
  const entry = proc.defaultApp ? proc.argv[1] : undefined;
  if (platform === 'win32') {
    return { path: proc.execPath, args: [...(entry ? [path.win32.resolve(entry)] : []), protocolLauncherArg, '--'] };
  }
  return entry ? { path: proc.execPath, args: [path.resolve(entry)] } : {};
}

/** Makes Paddock the handler of paddock:// links (at start; the OS keeps it). False when the OS refused. */
export function registerProtocolClient(proc: LaunchedAs = process): boolean {
  const { path: executable, args } = protocolClientArgs(proc);
  return executable === undefined ? app.setAsDefaultProtocolClient(deepLinkScheme) : app.setAsDefaultProtocolClient(deepLinkScheme, executable, args);
}

/** Whether the OS hands paddock:// links to this app (as registered by registerProtocolClient). */
export function isProtocolClient(proc: LaunchedAs = process): boolean {
  const { path: executable, args } = protocolClientArgs(proc);
  return executable === undefined ? app.isDefaultProtocolClient(deepLinkScheme) : app.isDefaultProtocolClient(deepLinkScheme, executable, args);
}

/** Where Linux looks for applications' .desktop files: $XDG_DATA_HOME, then $XDG_DATA_DIRS (Desktop Entry and Base Directory specs). */
export function applicationDirectories(env: Readonly<Record<string, string | undefined>>): string[] {
  const home = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : env.HOME ? path.join(env.HOME, '.local', 'share') : null;
  const dirs = (env.XDG_DATA_DIRS || '/usr/local/share:/usr/share').split(':').filter((dir) => path.isAbsolute(dir));
  return [...(home ? [home] : []), ...dirs].map((dir) => path.join(dir, 'applications'));
}

/** What diagnostics need to know of the machine (tests pass another). */
export interface ProtocolHandlerLookup {
  env: Readonly<Record<string, string | undefined>>;
  isFile(file: string): boolean;
}

const machine: ProtocolHandlerLookup = {
  env: process.env,
  isFile: (file) => {
    try {
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  },
};

/**
 * Whether Paddock is the scheme's default handler, and how this installation
 * registers as it (diagnostics; the connect dialog offers pasting the
 * callback address at once when it is not).
 */
export function protocolHandlerState(proc: LaunchedAs = process, lookup: ProtocolHandlerLookup = machine): ProtocolHandlerState {
  const platform = proc.platform ?? process.platform;
  const isDefault = isProtocolClient(proc);
  if (proc.defaultApp) return { isDefault, registration: 'development', desktopFile: null };
  if (platform === 'win32') return { isDefault, registration: 'windows-registry', desktopFile: null };
  if (platform === 'darwin') return { isDefault, registration: 'macos-info-plist', desktopFile: null };
  if (platform !== 'linux') return { isDefault, registration: 'none', desktopFile: null };
  if (lookup.env.APPIMAGE) {
    const file = appImageDesktopFile(lookup.env);
    return { isDefault, registration: 'appimage-user-file', desktopFile: file !== null && lookup.isFile(file) ? file : null };
  }
  const installed = applicationDirectories(lookup.env)
    .map((dir) => path.join(dir, desktopFileName))
    .find((file) => lookup.isFile(file));
  return installed ? { isDefault, registration: 'linux-desktop-file', desktopFile: installed } : { isDefault, registration: 'none', desktopFile: null };
}

/** Linux, before 'ready': Electron's desktop name is the .desktop file's (package.json's desktopName says the same; this makes sure). */
export function setupDesktopName(platform: NodeJS.Platform = process.platform): void {
  if (platform === 'linux') app.setDesktopName(desktopFileName);
}

export interface ProtocolClientSetup {
  logger: Logger;
  proc?: LaunchedAs;
  env?: NodeJS.ProcessEnv;
  run?: RunProgram;
}

/**
 * Tells the OS that Paddock handles paddock:// (at every start; the OS keeps
 * it): an AppImage first writes its user-level .desktop file and makes it the
 * default. False when the OS refused: sign-in then uses a loopback address
 * or the pasted one, and diagnostics say so.
 */
export async function setupProtocolClient({ logger, proc = process, env = process.env, run }: ProtocolClientSetup): Promise<boolean> {
  if ((proc.platform ?? process.platform) === 'linux') {
    const appImage = await setupAppImageDesktopEntry(env, run);
    if (appImage.status !== 'not-appimage') logger.info('AppImage desktop entry', { ...appImage });
  }
  const registered = registerProtocolClient(proc);
  if (!registered) logger.warn('paddock:// links could not be registered with the operating system');
  return registered;
}
