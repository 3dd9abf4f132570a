import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./electron-mock'));

const electron = await import('./electron-mock');
const { autostartEnabled, autostartEntry, autostartFile, execArgument, loginCommand, loginItem } = await import('../../../electron/main/login-item');

type FakeApp = typeof electron.app & {
  loginItems: Map<string, { openAtLogin: boolean }>;
  loginItemStatus: string;
  loginItemsRefused: boolean;
  setLoginItemSettings: ReturnType<typeof vi.fn>;
};
const fakeApp = electron.app as FakeApp;

const made: string[] = [];
const tempHome = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-login-'));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  fakeApp.loginItems.clear();
  fakeApp.loginItemStatus = 'enabled';
  fakeApp.loginItemsRefused = false;
  fakeApp.setLoginItemSettings.mockClear();
});

describe('the command a start at login runs', () => {
  it('is the executable with --background; the AppImage itself when Paddock runs from one; the entry script in development', () => {
    expect(loginCommand({ platform: 'linux', execPath: '/opt/Paddock/paddock', argv: ['/opt/Paddock/paddock'], env: {} })).toEqual(['/opt/Paddock/paddock', '--background']);
    expect(loginCommand({ platform: 'linux', execPath: '/tmp/.mount_Pad1/paddock', argv: [], env: { APPIMAGE: '/home/a/Apps/Paddock.AppImage' } })).toEqual([
      '/home/a/Apps/Paddock.AppImage',
      '--background',
    ]);
    expect(loginCommand({ platform: 'linux', execPath: '/w/node_modules/electron/dist/electron', argv: ['/w/node_modules/electron/dist/electron', '/w/.vite/build/main.cjs'], defaultApp: true, env: {} })).toEqual([
      '/w/node_modules/electron/dist/electron',
      '/w/.vite/build/main.cjs',
      '--background',
    ]);
  });
});

describe('the Exec key of the autostart entry', () => {
  it('leaves plain arguments as they are and quotes the rest as the Desktop Entry spec says', () => {
    expect(execArgument('/opt/Paddock/paddock')).toBe('/opt/Paddock/paddock');
    expect(execArgument('--background')).toBe('--background');
    expect(execArgument('/home/a/My Apps/Paddock.AppImage')).toBe('"/home/a/My Apps/Paddock.AppImage"');
    // Inside quotes ", `, $ and \ take a backslash; then every backslash is doubled (string escapes come first); % is doubled.
    expect(execArgument('/h/a "b" `c` $d \\e 100%')).toBe('"/h/a \\\\"b\\\\" \\\\`c\\\\` \\\\$d \\\\\\\\e 100%%"');
    expect(() => execArgument('/h/a\nExec=evil')).toThrow(/cannot start at login/);
  });

  it('is a whole entry a desktop reads', () => {
    const text = autostartEntry(['/home/a/My Apps/Paddock.AppImage', '--background']);
    expect(text).toContain('[Desktop Entry]\nType=Application\n');
    expect(text).toContain('\nExec="/home/a/My Apps/Paddock.AppImage" --background\n');
    expect(autostartEnabled(text)).toBe(true);
    expect(autostartEnabled(`${text}Hidden=true\n`)).toBe(false);
    expect(autostartEnabled(text.replace('X-GNOME-Autostart-enabled=true', 'X-GNOME-Autostart-enabled=false'))).toBe(false);
  });

  it('goes into $XDG_CONFIG_HOME/autostart, or ~/.config/autostart when it is unset or relative', () => {
    expect(autostartFile({ XDG_CONFIG_HOME: '/x/config' }, '/home/a')).toBe('/x/config/autostart/dev.paddock.Paddock.desktop');
    expect(autostartFile({ XDG_CONFIG_HOME: 'config' }, '/home/a')).toBe('/home/a/.config/autostart/dev.paddock.Paddock.desktop');
    expect(autostartFile({}, '/home/a')).toBe('/home/a/.config/autostart/dev.paddock.Paddock.desktop');
  });
});

describe('start at login on Linux', () => {
  it('writes the autostart entry in a fresh XDG_CONFIG_HOME, reads it back, and removes it when turned off', async () => {
    const home = tempHome();
    const config = path.join(home, 'xdg config');
    const item = loginItem({ platform: 'linux', execPath: '/opt/Paddock/paddock', argv: ['/opt/Paddock/paddock'], env: { XDG_CONFIG_HOME: config, APPIMAGE: path.join(home, 'Paddock $1.AppImage') } }, home);
    expect(await item.get()).toBe(false);
    await item.set(true);
    const file = path.join(config, 'autostart', 'dev.paddock.Paddock.desktop');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain(`Exec="${home}/Paddock \\\\$1.AppImage" --background\n`);
    expect(await item.get()).toBe(true);
    // The desktop's own settings turned it off without deleting it.
    fs.writeFileSync(file, `${text}Hidden=true\n`);
    expect(await item.get()).toBe(false);
    await item.set(false);
    expect(fs.existsSync(file)).toBe(false);
    expect(await item.get()).toBe(false);
    // Turning it off again is no error.
    await item.set(false);
  });

  it('says so when the entry cannot be written', async () => {
    const home = tempHome();
    const blocked = path.join(home, 'not-a-folder');
    fs.writeFileSync(blocked, '');
    const item = loginItem({ platform: 'linux', execPath: '/opt/Paddock/paddock', argv: [], env: { XDG_CONFIG_HOME: blocked } }, home);
    await expect(item.set(true)).rejects.toMatchObject({ code: 'internal', message: expect.stringMatching(/^Your computer did not let Paddock start at login: .*not-a-folder\/autostart\/dev\.paddock\.Paddock\.desktop could not be written/) });
  });
});

describe('start at login on macOS and Windows', () => {
  it('Windows: a Run entry for the executable with --background, read back with the same path and arguments', async () => {
    const item = loginItem({ platform: 'win32', execPath: 'C:\\Program Files\\Paddock\\Paddock.exe', argv: ['C:\\Program Files\\Paddock\\Paddock.exe'], env: {} });
    await item.set(true);
    expect(fakeApp.setLoginItemSettings).toHaveBeenCalledWith({ openAtLogin: true, path: 'C:\\Program Files\\Paddock\\Paddock.exe', args: ['--background'] });
    expect(await item.get()).toBe(true);
    await item.set(false);
    expect(await item.get()).toBe(false);
  });

  it('Windows in development: the entry script, quoted, before --background', async () => {
    const item = loginItem({ platform: 'win32', execPath: 'C:\\dev\\electron.exe', argv: ['C:\\dev\\electron.exe', 'C:\\dev\\my app\\main.cjs'], defaultApp: true, env: {} });
    await item.set(true);
    expect(fakeApp.setLoginItemSettings).toHaveBeenCalledWith({ openAtLogin: true, path: 'C:\\dev\\electron.exe', args: ['"C:\\dev\\my app\\main.cjs"', '--background'] });
  });

  it('macOS: a login item for the app (macOS passes no arguments)', async () => {
    const item = loginItem({ platform: 'darwin', execPath: '/Applications/Paddock.app/Contents/MacOS/Paddock', argv: [], env: {} });
    await item.set(true);
    expect(fakeApp.setLoginItemSettings).toHaveBeenCalledWith({ openAtLogin: true });
    expect(await item.get()).toBe(true);
  });

  it('reports a refusal: the change did not take, or macOS wants the user’s approval first', async () => {
    const item = loginItem({ platform: 'win32', execPath: 'C:\\P\\Paddock.exe', argv: [], env: {} });
    fakeApp.loginItemsRefused = true;
    await expect(item.set(true)).rejects.toMatchObject({ message: expect.stringMatching(/^Your computer did not let Paddock start at login: the system did not take the change/) });
    fakeApp.loginItemsRefused = false;
    fakeApp.loginItemStatus = 'requires-approval';
    const mac = loginItem({ platform: 'darwin', execPath: '/Applications/Paddock.app/Contents/MacOS/Paddock', argv: [], env: {} });
    await expect(mac.set(true)).rejects.toMatchObject({ message: expect.stringContaining('System Settings › General › Login Items') });
  });
});
