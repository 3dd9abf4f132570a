import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { app } from 'electron';
import { PaddockError } from '../common/errors';
import { desktopFileName } from './linux-desktop-entry';

// Start at login (Settings, issue 11): macOS and Windows keep a login item
// through Electron (`app.setLoginItemSettings`); Linux desktops start what
// an XDG autostart entry names ($XDG_CONFIG_HOME/autostart/<name>.desktop,
// the Desktop Application Autostart Specification). Either way Paddock is
// started with `--background`: no window at start where a tray shows (on
// macOS, which passes no arguments to login items, the main process asks
// `app.getLoginItemSettings().wasOpenedAtLogin` instead).

/** The argument a start at login carries. */
export const BACKGROUND_ARG = '--background';

/** The autostart entry's file name without `.desktop`: the app's desktop name (package.json desktopName), as desktops' own "start at login" switches name it. */
export const LINUX_DESKTOP_NAME = desktopFileName.replace(/\.desktop$/, '');

/** What of `process` says how this app was started. */
export interface StartedAs {
  readonly platform: NodeJS.Platform;
  readonly execPath: string;
  readonly argv: readonly string[];
  /** True when run as `electron .` (development): the entry script is part of the command. */
  readonly defaultApp?: boolean | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * The command a start at login runs: the AppImage itself when Paddock runs
 * from one (its mounted execPath changes at every start), else the
 * executable — with the entry script in development — and `--background`.
 */
export function loginCommand(proc: StartedAs): string[] {
  const api = proc.platform === 'win32' ? path.win32 : path.posix;
  const appImage = proc.platform === 'linux' ? proc.env.APPIMAGE : undefined;
  const program = appImage && api.isAbsolute(appImage) ? appImage : proc.execPath;
  const entry = proc.defaultApp ? proc.argv[1] : undefined;
  return [program, ...(entry ? [api.resolve(entry)] : []), BACKGROUND_ARG];
}

/**
 * One argument of a desktop entry's Exec key (Desktop Entry Specification,
 * "The Exec key"): quoted when it has a reserved character, with `"`, `` ` ``,
 * `$` and `\` escaped inside the quotes, `%` doubled (a field code
 * otherwise), and every backslash doubled again for the string escapes that
 * are applied first. A newline cannot be written at all.
 */
export function execArgument(arg: string): string {
  if (/[\r\n\t]/.test(arg) || arg === '') throw new PaddockError('internal', 'Paddock’s own path has a character a login entry cannot hold, so it cannot start at login from here.');
  const quoted = /^[A-Za-z0-9_\-./+,:=@]+$/.test(arg) ? arg : `"${arg.replace(/["`$\\]/g, (c) => `\\${c}`)}"`;
  return quoted.replace(/%/g, '%%').replace(/\\/g, '\\\\');
}

/** The autostart entry's text. */
export function autostartEntry(command: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    'Name=Paddock',
    'Comment=Starts Paddock in the background when you log in',
    `Exec=${command.map(execArgument).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Where the autostart entry goes: $XDG_CONFIG_HOME/autostart (an absolute XDG_CONFIG_HOME only, as the spec says), else ~/.config/autostart. */
export function autostartFile(env: Readonly<Record<string, string | undefined>>, home: string = os.homedir(), name: string = LINUX_DESKTOP_NAME): string {
  const configHome = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config');
  return path.join(configHome, 'autostart', `${name}.desktop`);
}

/** Whether an autostart entry's text starts Paddock (the desktop's own settings can turn one off without deleting it). */
export function autostartEnabled(text: string): boolean {
  return !/^Hidden\s*=\s*true\s*$/m.test(text) && !/^X-GNOME-Autostart-enabled\s*=\s*false\s*$/m.test(text);
}

/** Writes (or removes) the Linux autostart entry. */
export function writeAutostart(enabled: boolean, proc: StartedAs, home: string = os.homedir()): void {
  const file = autostartFile(proc.env, home);
  if (!enabled) {
    fs.rmSync(file, { force: true });
    return;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, autostartEntry(loginCommand(proc)), { mode: 0o644 });
  fs.renameSync(temporary, file);
}

/** Windows: the executable and arguments of the Run entry (the same must be given to read it back). */
function windowsItem(proc: StartedAs): { path: string; args: string[] } {
  const [program, ...rest] = loginCommand(proc);
  // Windows joins the arguments into one command line: a path in them is quoted.
  return { path: program!, args: rest.map((arg) => (arg === BACKGROUND_ARG ? arg : `"${arg}"`)) };
}

const refused = (what: string, why: string) => new PaddockError('internal', `Your computer did not let Paddock ${what}: ${why}`);

/** The desktop's start at login (DesktopIntegration.setStartAtLogin / startAtLogin). */
export interface LoginItem {
  set(enabled: boolean): Promise<void>;
  get(): Promise<boolean | null>;
}

export function loginItem(proc: StartedAs = { platform: process.platform, execPath: process.execPath, argv: process.argv, defaultApp: process.defaultApp, env: process.env }, home: string = os.homedir()): LoginItem {
  const what = (enabled: boolean) => (enabled ? 'start at login' : 'stop starting at login');
  if (proc.platform === 'darwin' || proc.platform === 'win32') {
    const item = proc.platform === 'win32' ? windowsItem(proc) : null;
    const read = () => app.getLoginItemSettings(item ?? undefined);
    return {
      set: async (enabled) => {
        try {
          app.setLoginItemSettings({ openAtLogin: enabled, ...(item ?? {}) });
        } catch (error) {
          throw refused(what(enabled), error instanceof Error ? error.message : String(error));
        }
        const now = read();
        if (enabled && now.status === 'requires-approval') {
          throw refused(what(enabled), 'macOS asks you to allow it first. Open System Settings › General › Login Items, allow Paddock, then turn this on again.');
        }
        if (now.openAtLogin !== enabled) throw refused(what(enabled), 'the system did not take the change. Try again, or change it in the system’s settings for apps that start at login.');
      },
      get: async () => read().openAtLogin,
    };
  }
  if (proc.platform === 'linux') {
    const file = autostartFile(proc.env, home);
    return {
      set: async (enabled) => {
        try {
          writeAutostart(enabled, proc, home);
        } catch (error) {
          if (error instanceof PaddockError) throw error;
          throw refused(what(enabled), `${file} could not be ${enabled ? 'written' : 'removed'} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
        }
      },
      get: async () => {
        try {
          return autostartEnabled(fs.readFileSync(file, 'utf8'));
        } catch {
          return false;
        }
      },
    };
  }
  return {
    set: () => Promise.reject(new PaddockError('internal', 'Paddock cannot start at login on this system.')),
    get: async () => null,
  };
}
