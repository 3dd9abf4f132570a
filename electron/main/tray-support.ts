import { execFile } from 'node:child_process';

// Whether a tray icon can show on this desktop (GIT-AND-DESKTOP.md §5.1).
// Windows and macOS always have one. On Linux Electron (23 and later) shows
// its tray icon as a StatusNotifierItem when the session bus has a
// StatusNotifierWatcher (KDE, and GNOME with the AppIndicator extension —
// Ubuntu's default), else as a GtkStatusIcon, which needs an X11 system
// tray: none under Wayland, and none in vanilla GNOME since 3.26. The tray
// and the lifecycle (closing the last window keeps Paddock running only
// where a tray shows) both ask here, so the app is never left unreachable.

/** The D-Bus name a StatusNotifierItem host owns. */
export const statusNotifierWatcher = 'org.kde.StatusNotifierWatcher';

/** How long the session bus may take to answer. */
export const probeTimeoutMs = 2000;

/** What of the machine the decision looks at. */
export interface TrayFacts {
  platform: NodeJS.Platform;
  /** Whether `org.kde.StatusNotifierWatcher` has an owner on the session bus; null when that could not be asked (no bus, no gdbus or dbus-send). */
  statusNotifierWatcher: boolean | null;
  /** XDG_CURRENT_DESKTOP: a colon-separated list ("ubuntu:GNOME", "XFCE", "KDE", "X-Cinnamon"). */
  currentDesktop: string | undefined;
  /** XDG_SESSION_TYPE: "x11", "wayland", "tty". */
  sessionType: string | undefined;
}

export type TrayVia =
  /** Windows' notification area, macOS's menu bar. */
  | 'system'
  /** Linux: a StatusNotifierItem, shown by the session's watcher. */
  | 'status-notifier'
  /** Linux: a GtkStatusIcon in the X11 desktop's system tray. */
  | 'x11-tray';

export type TraySupport = { available: true; via: TrayVia } | { available: false; reason: 'no-status-notifier-watcher' | 'gnome-without-extension' | 'wayland-without-watcher' | 'unknown-desktop' };

/**
 * X11 desktops whose panel has a system tray (XEmbed) by default. Elsewhere
 * (an unknown desktop, a bare window manager) Paddock does not count on one:
 * wrongly counting on a tray would leave the app running with no way back to it.
 */
const x11TrayDesktops = new Set(['XFCE', 'MATE', 'X-CINNAMON', 'CINNAMON', 'LXDE', 'BUDGIE', 'PANTHEON', 'DEEPIN', 'UKUI']);

/** Whether a tray icon can show, from the facts (pure). */
export function decideTraySupport(facts: TrayFacts): TraySupport {
  if (facts.platform !== 'linux') return { available: true, via: 'system' };
  if (facts.statusNotifierWatcher === true) return { available: true, via: 'status-notifier' };
  const desktops = (facts.currentDesktop ?? '')
    .split(':')
    .map((name) => name.trim().toUpperCase())
    .filter((name) => name !== '');
  const session = (facts.sessionType ?? '').trim().toLowerCase();
  // GNOME Shell has had no legacy tray since 3.26; only its AppIndicator extension (a watcher, asked above) shows icons.
  if (desktops.includes('GNOME')) return { available: false, reason: 'gnome-without-extension' };
  // GtkStatusIcon is X11's XEmbed tray: a Wayland session has none.
  if (session === 'wayland') return { available: false, reason: 'wayland-without-watcher' };
  if (session === 'x11' && desktops.some((name) => x11TrayDesktops.has(name))) return { available: true, via: 'x11-tray' };
  return { available: false, reason: desktops.length === 0 ? 'unknown-desktop' : 'no-status-notifier-watcher' };
}

/** Runs a program without a shell and answers its standard output, or null when it failed, was not there or took too long. */
export type RunProgram = (command: string, args: readonly string[], timeoutMs: number, env?: NodeJS.ProcessEnv) => Promise<string | null>;

export const runProgram: RunProgram = (command, args, timeoutMs, env) =>
  new Promise((resolve) => {
    try {
      execFile(
        command,
        [...args],
        { timeout: timeoutMs, killSignal: 'SIGKILL', shell: false, windowsHide: true, encoding: 'utf8', maxBuffer: 64 * 1024, ...(env ? { env } : {}) },
        (error, stdout) => resolve(error ? null : stdout),
      );
    } catch {
      resolve(null);
    }
  });

/** `NameHasOwner` through gdbus (GLib), then dbus-send (D-Bus's own tools): the first that answers decides. */
function askers(name: string): { command: string; args: string[]; read(output: string): boolean | null }[] {
  return [
    {
      command: 'gdbus',
      args: ['call', '--session', '--dest', 'org.freedesktop.DBus', '--object-path', '/org/freedesktop/DBus', '--method', 'org.freedesktop.DBus.NameHasOwner', name],
      // "(true,)" or "(false,)"
      read: (output) => (/^\s*\(\s*true\s*,?\s*\)\s*$/.test(output) ? true : /^\s*\(\s*false\s*,?\s*\)\s*$/.test(output) ? false : null),
    },
    {
      command: 'dbus-send',
      args: ['--session', '--print-reply=literal', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', `string:${name}`],
      // "   boolean true"
      read: (output) => (/^\s*boolean\s+true\s*$/.test(output) ? true : /^\s*boolean\s+false\s*$/.test(output) ? false : null),
    },
  ];
}

/** Asks the session bus whether a name has an owner; null when it could not be asked (no bus, neither program, no answer in time). */
export async function sessionBusNameHasOwner(name: string, run: RunProgram = runProgram, timeoutMs = probeTimeoutMs): Promise<boolean | null> {
  for (const asker of askers(name)) {
    const output = await run(asker.command, asker.args, timeoutMs);
    if (output === null) continue;
    const answer = asker.read(output);
    if (answer !== null) return answer;
  }
  return null;
}

/** Asks the session bus whether a StatusNotifierWatcher is there; null when it could not be asked. */
export const probeStatusNotifierWatcher = (run: RunProgram = runProgram, timeoutMs = probeTimeoutMs) => sessionBusNameHasOwner(statusNotifierWatcher, run, timeoutMs);

/** Whether a tray icon can show on this machine now (Linux asks the session bus; elsewhere it always can). */
export async function detectTraySupport(
  platform: NodeJS.Platform = process.platform,
  env: Readonly<Record<string, string | undefined>> = process.env,
  run: RunProgram = runProgram,
): Promise<TraySupport> {
  const watcher = platform === 'linux' ? await probeStatusNotifierWatcher(run) : null;
  return decideTraySupport({ platform, statusNotifierWatcher: watcher, currentDesktop: env.XDG_CURRENT_DESKTOP, sessionType: env.XDG_SESSION_TYPE });
}
