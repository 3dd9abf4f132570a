import fs from 'node:fs';
import path from 'node:path';
import { deepLinkScheme } from '../common/deep-link';
import { runProgram, type RunProgram } from './tray-support';

// Linux hands paddock:// links to the application whose .desktop file says
// `MimeType=x-scheme-handler/paddock;` and is the scheme's default
// (GIT-AND-DESKTOP.md §4.1). deb and rpm packages install one
// (electron-builder, build/electron-builder.json); an AppImage installs
// nothing, so on its first run Paddock writes one into the user's
// applications folder, for the AppImage's own path ($APPIMAGE: the running
// executable is a temporary mount), and makes it the default with
// `xdg-mime default`. Electron's desktop name (package.json `desktopName`)
// is the file's name, so `app.isDefaultProtocolClient` recognises it.

/** package.json's desktopName: the .desktop file's name, Wayland's app_id and X11's WM_CLASS. */
export const desktopFileName = 'dev.paddock.Paddock.desktop';

/** Marks a file Paddock wrote: only such a file is ever replaced. */
export const generatedMarker = 'X-Paddock-Generated=AppImage';

const reserved = /[\s"'\\><~|&;$*?#()`]/;

/**
 * One argument of an Exec line, as the Desktop Entry spec reads it: quoted
 * when it has a reserved character (with `"`, `` ` ``, `$` and `\` escaped
 * inside the quotes), `%` doubled (field codes), then the string value's own
 * escape (`\` written `\\`). Control characters cannot be written: refused.
 */
export function execArgument(argument: string): string {
  if ([...argument].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) throw new Error('An Exec argument cannot hold control characters.');
  const percent = argument.replaceAll('%', '%%');
  const quoted = argument === '' || reserved.test(argument) ? `"${percent.replace(/["`$\\]/g, (c) => `\\${c}`)}"` : percent;
  return quoted.replaceAll('\\', '\\\\');
}

/** A string value of a .desktop file (spec: `\\`, `\n`, `\t`, `\r` escapes). */
function stringValue(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('\t', '\\t').replaceAll('\r', '\\r');
}

/** The user-level .desktop file for an AppImage at `appImage` (an absolute path). */
export function desktopEntryText(appImage: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Paddock',
    'Comment=Runners, repository access and environments from repository URLs',
    `TryExec=${stringValue(appImage)}`,
    `Exec=${execArgument(appImage)} %U`,
    'Terminal=false',
    `StartupWMClass=${desktopFileName.replace(/\.desktop$/, '')}`,
    `MimeType=x-scheme-handler/${deepLinkScheme};`,
    'Categories=Development;',
    generatedMarker,
    '',
  ].join('\n');
}

/** $XDG_DATA_HOME/applications/<desktopName> (~/.local/share when unset); null without a home. */
export function appImageDesktopFile(env: Readonly<Record<string, string | undefined>>): string | null {
  const dataHome = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : env.HOME ? path.join(env.HOME, '.local', 'share') : null;
  return dataHome ? path.join(dataHome, 'applications', desktopFileName) : null;
}

export type AppImageRegistration =
  | { status: 'not-appimage' }
  /** The file is there as Paddock would write it: nothing done (the user may have chosen another handler since). */
  | { status: 'unchanged'; file: string }
  | { status: 'registered'; file: string }
  /** Written, but xdg-mime could not make it the default (not installed, failed). */
  | { status: 'written'; file: string }
  /** Another file of that name, not Paddock's, is there: left alone. */
  | { status: 'foreign-file'; file: string }
  | { status: 'failed'; reason: 'no-home' | 'unwritable' | 'bad-path' };

/** How long xdg-mime may take. */
const xdgMimeTimeoutMs = 10_000;

/**
 * Writes (or rewrites, when the AppImage moved) the user-level .desktop file
 * and makes it the default handler of paddock:// with `xdg-mime default`,
 * started without a shell. Does nothing unless $APPIMAGE is set.
 */
export async function setupAppImageDesktopEntry(env: NodeJS.ProcessEnv = process.env, run: RunProgram = runProgram): Promise<AppImageRegistration> {
  const appImage = env.APPIMAGE;
  if (!appImage) return { status: 'not-appimage' };
  if (!path.isAbsolute(appImage)) return { status: 'failed', reason: 'bad-path' };
  const file = appImageDesktopFile(env);
  if (file === null) return { status: 'failed', reason: 'no-home' };
  let text: string;
  try {
    text = desktopEntryText(appImage);
  } catch {
    return { status: 'failed', reason: 'bad-path' };
  }
  let existing: string | null;
  try {
    existing = fs.readFileSync(file, 'utf8');
  } catch {
    existing = null;
  }
  if (existing === text) return { status: 'unchanged', file };
  if (existing !== null && !existing.split('\n').includes(generatedMarker)) return { status: 'foreign-file', file };
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, text, { mode: 0o644 });
    fs.renameSync(temporary, file);
  } catch {
    return { status: 'failed', reason: 'unwritable' };
  }
  const answer = await run('xdg-mime', ['default', desktopFileName, `x-scheme-handler/${deepLinkScheme}`], xdgMimeTimeoutMs, env);
  return answer === null ? { status: 'written', file } : { status: 'registered', file };
}
