import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  appImageDesktopFile,
  desktopEntryText,
  desktopFileName,
  execArgument,
  generatedMarker,
  setupAppImageDesktopEntry,
} from '../../../electron/main/linux-desktop-entry';
import type { RunProgram } from '../../../electron/main/tray-support';

const root = path.resolve(import.meta.dirname, '../../..');

describe('the desktop name', () => {
  it('is package.json’s desktopName, reverse-DNS, and electron-builder names the installed .desktop file after it with the scheme', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { desktopName: string };
    expect(pkg.desktopName).toBe(desktopFileName);
    expect(desktopFileName).toMatch(/^[a-z]+(\.[A-Za-z][A-Za-z0-9]*){2,}\.desktop$/);
    const builder = JSON.parse(fs.readFileSync(path.join(root, 'build/electron-builder.json'), 'utf8')) as {
      protocols: { schemes: string[] }[];
      linux: { syncDesktopName: boolean };
    };
    // MimeType=x-scheme-handler/paddock; comes from `protocols`, Exec=… %U is electron-builder's default.
    expect(builder.protocols.flatMap((p) => p.schemes)).toContain('paddock');
    expect(builder.linux.syncDesktopName).toBe(true);
  });
});

describe('execArgument (Desktop Entry spec, Exec quoting)', () => {
  it.each([
    ['/home/sam/Apps/Paddock.AppImage', '/home/sam/Apps/Paddock.AppImage'],
    ['/home/sam/My Apps/Paddock.AppImage', '"/home/sam/My Apps/Paddock.AppImage"'],
    // Inside quotes ", `, $ and \ are escaped with a backslash; then the string value doubles every backslash.
    ['/home/sam/a"b', '"/home/sam/a\\\\"b"'],
    ['/home/sam/$HOME/x', '"/home/sam/\\\\$HOME/x"'],
    ['/home/sam/`id`', '"/home/sam/\\\\`id\\\\`"'],
    ['/home/sam/back\\slash', '"/home/sam/back\\\\\\\\slash"'],
    ["/home/sam/it's", '"/home/sam/it\'s"'],
    // Field codes: a literal % is written %%.
    ['/home/sam/100%/Paddock', '/home/sam/100%%/Paddock'],
    ['/home/sam/a;b&c|d', '"/home/sam/a;b&c|d"'],
    ['/home/sam/Paddöck', '/home/sam/Paddöck'],
  ])('%s → %s', (argument, expected) => {
    expect(execArgument(argument)).toBe(expected);
  });

  it('refuses control characters (a line break would start a new key)', () => {
    expect(() => execArgument('/home/sam/a\nExec=evil')).toThrow();
    expect(() => execArgument('/home/sam/a\tb')).toThrow();
  });
});

describe('desktopEntryText', () => {
  it('starts the AppImage for paddock:// links with %U, named like the desktop name', () => {
    const text = desktopEntryText('/home/sam/My Apps/Paddock.AppImage');
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('[Desktop Entry]');
    expect(lines).toContain('Type=Application');
    expect(lines).toContain('Exec="/home/sam/My Apps/Paddock.AppImage" %U');
    expect(lines).toContain('MimeType=x-scheme-handler/paddock;');
    expect(lines).toContain('StartupWMClass=dev.paddock.Paddock');
    expect(lines).toContain(generatedMarker);
    expect(text.endsWith('\n')).toBe(true);
  });
});

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});
function home() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-xdg-'));
  made.push(dir);
  return dir;
}
function xdgMime(answer: string | null = '') {
  const calls: { command: string; args: readonly string[]; env: NodeJS.ProcessEnv | undefined }[] = [];
  const run: RunProgram = async (command, args, _timeout, env) => {
    calls.push({ command, args, env });
    return answer;
  };
  return { run, calls };
}

describe('setupAppImageDesktopEntry', () => {
  it('does nothing outside an AppImage', async () => {
    const { run, calls } = xdgMime();
    expect(await setupAppImageDesktopEntry({ HOME: home() }, run)).toEqual({ status: 'not-appimage' });
    expect(calls).toEqual([]);
  });

  it('writes the user-level file into $XDG_DATA_HOME/applications and makes it the default with xdg-mime, once', async () => {
    const dataHome = path.join(home(), 'data');
    const env = { HOME: home(), XDG_DATA_HOME: dataHome, APPIMAGE: '/home/sam/Apps/Paddock-0.1.0.AppImage' };
    const { run, calls } = xdgMime();
    const file = path.join(dataHome, 'applications', desktopFileName);
    expect(await setupAppImageDesktopEntry(env, run)).toEqual({ status: 'registered', file });
    expect(fs.readFileSync(file, 'utf8')).toBe(desktopEntryText(env.APPIMAGE));
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('644');
    expect(calls).toEqual([{ command: 'xdg-mime', args: ['default', desktopFileName, 'x-scheme-handler/paddock'], env }]);
    // The next start finds it as written and leaves the user's choice of handler alone.
    expect(await setupAppImageDesktopEntry(env, run)).toEqual({ status: 'unchanged', file });
    expect(calls).toHaveLength(1);
    // The AppImage moved: the file follows it and is registered again.
    const moved = { ...env, APPIMAGE: '/home/sam/Downloads/Paddock.AppImage' };
    expect(await setupAppImageDesktopEntry(moved, run)).toEqual({ status: 'registered', file });
    expect(fs.readFileSync(file, 'utf8')).toContain('Exec=/home/sam/Downloads/Paddock.AppImage %U');
    expect(calls).toHaveLength(2);
  });

  it('uses ~/.local/share without XDG_DATA_HOME, and says when xdg-mime could not register', async () => {
    const dir = home();
    const { run } = xdgMime(null);
    const file = path.join(dir, '.local', 'share', 'applications', desktopFileName);
    expect(appImageDesktopFile({ HOME: dir })).toBe(file);
    expect(await setupAppImageDesktopEntry({ HOME: dir, APPIMAGE: '/opt/Paddock.AppImage' }, run)).toEqual({ status: 'written', file });
  });

  it('leaves a file of that name it did not write alone', async () => {
    const dir = home();
    const file = path.join(dir, 'applications', desktopFileName);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '[Desktop Entry]\nName=Mine\n');
    const { run, calls } = xdgMime();
    expect(await setupAppImageDesktopEntry({ XDG_DATA_HOME: dir, APPIMAGE: '/opt/Paddock.AppImage' }, run)).toEqual({ status: 'foreign-file', file });
    expect(fs.readFileSync(file, 'utf8')).toBe('[Desktop Entry]\nName=Mine\n');
    expect(calls).toEqual([]);
  });

  it('refuses an AppImage path it cannot write into an Exec line, and a relative one', async () => {
    const { run, calls } = xdgMime();
    expect(await setupAppImageDesktopEntry({ HOME: home(), APPIMAGE: '/opt/a\nb.AppImage' }, run)).toEqual({ status: 'failed', reason: 'bad-path' });
    expect(await setupAppImageDesktopEntry({ HOME: home(), APPIMAGE: 'Paddock.AppImage' }, run)).toEqual({ status: 'failed', reason: 'bad-path' });
    expect(await setupAppImageDesktopEntry({ APPIMAGE: '/opt/Paddock.AppImage' }, run)).toEqual({ status: 'failed', reason: 'no-home' });
    expect(calls).toEqual([]);
  });
});
