import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { PaddockError } from '../../../electron/common/errors';
import type { ToolLookup } from '../../../electron/main/desktop-launch';

vi.mock('electron', () => import('./electron-mock'));

/** What spawn was asked, and how the fake child answers: it starts, or fails as a missing program does. */
const spawned: { command: string; args: string[]; options: Record<string, unknown>; unref: ReturnType<typeof vi.fn> }[] = [];
let spawnFails: string | null = null;
vi.mock('node:child_process', () => ({
  spawn: vi.fn((command: string, args: string[], options: Record<string, unknown>) => {
    const child = Object.assign(new EventEmitter(), { unref: vi.fn() });
    spawned.push({ command, args, options, unref: child.unref });
    const failure = spawnFails;
    setImmediate(() => (failure ? child.emit('error', Object.assign(new Error(failure), { code: 'ENOENT' })) : child.emit('spawn')));
    return child;
  }),
}));

const electron = await import('./electron-mock');
const { electronDesktop, protocolClientArgs, registerProtocolClient } = await import('../../../electron/main/desktop');

const packaged = { defaultApp: undefined, execPath: '/Applications/Paddock.app/Contents/MacOS/Paddock', argv: ['/Applications/Paddock.app/Contents/MacOS/Paddock'] };
const development = { defaultApp: true, execPath: 'C:\\dev\\node_modules\\electron\\dist\\electron.exe', argv: ['C:\\dev\\node_modules\\electron\\dist\\electron.exe', '.vite/build/main.cjs'] };

beforeEach(() => {
  electron.shell.openExternal.mockClear();
  electron.shell.openPath.mockReset();
  electron.shell.openPath.mockImplementation(async () => '');
  electron.shell.showItemInFolder.mockClear();
  spawned.length = 0;
  spawnFails = null;
  electron.app.protocolClients.clear();
  electron.Notification.shown = [];
  electron.Notification.supported = true;
});

describe('the Electron desktop', () => {
  it('opens http(s) addresses in the system browser', async () => {
    const desktop = electronDesktop(packaged);
    await desktop.openExternal('https://github.com/login/oauth/authorize?client_id=x&state=y');
    await desktop.openExternal('http://127.0.0.1:8080/consent');
    expect(electron.shell.openExternal.mock.calls.map((call) => call[0])).toEqual([
      'https://github.com/login/oauth/authorize?client_id=x&state=y',
      'http://127.0.0.1:8080/consent',
    ]);
  });

  it('refuses every other address, opening nothing', async () => {
    const desktop = electronDesktop(packaged);
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'paddock://oauth/callback?code=a&state=b', 'ms-settings:', 'not a url', '\\\\server\\share', 'https://user:secret@example.com/']) {
      await expect(desktop.openExternal(url), url).rejects.toBeInstanceOf(PaddockError);
    }
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
  });

  it('shows a notification when the system has them, and nothing otherwise', () => {
    const desktop = electronDesktop(packaged);
    desktop.notify({ title: 'GitHub connected', body: 'GitHub is now connected as sam.' });
    electron.Notification.supported = false;
    desktop.notify({ title: 'GitLab connected', body: 'GitLab is now connected as sam.' });
    expect(electron.Notification.shown).toEqual([{ title: 'GitHub connected', body: 'GitHub is now connected as sam.' }]);
  });

  it('passes a notification’s click through', () => {
    electron.Notification.instances = [];
    const onClick = vi.fn();
    electronDesktop(packaged).notify({ title: 'GitHub is now connected', body: 'Signed in as sam.', onClick });
    electron.Notification.instances.at(-1)!.emit('click');
    expect(onClick).toHaveBeenCalledTimes(1);
  });

  it('says whether one of the app’s windows has focus', () => {
    const desktop = electronDesktop(packaged);
    electron.BrowserWindow.focused = null;
    expect(desktop.windowFocused()).toBe(false);
    electron.BrowserWindow.focused = new electron.BrowserWindow({});
    expect(desktop.windowFocused()).toBe(true);
    electron.BrowserWindow.focused = null;
    electron.BrowserWindow.created.length = 0;
  });

  it('brings the window forward with the main process’s function, or else restores and focuses the open one', () => {
    const showMainWindow = vi.fn();
    electronDesktop(packaged, undefined, { showWindow: showMainWindow }).showWindow();
    expect(showMainWindow).toHaveBeenCalledTimes(1);

    electron.BrowserWindow.created.length = 0;
    expect(() => electronDesktop(packaged).showWindow()).not.toThrow();
    const window = new electron.BrowserWindow({});
    window.minimized = true;
    electronDesktop(packaged).showWindow();
    expect(window.asked).toEqual(['restore', 'show', 'focus']);
    expect(electron.BrowserWindow.getFocusedWindow()).toBe(window);
    electron.BrowserWindow.focused = null;
    electron.BrowserWindow.created.length = 0;
  });

  it('says paddock:// comes back only once Paddock is the scheme’s handler', () => {
    const desktop = electronDesktop(packaged);
    expect(desktop.customSchemeHandled()).toBe(false);
    expect(registerProtocolClient(packaged)).toBe(true);
    expect(electron.app.setAsDefaultProtocolClient).toHaveBeenLastCalledWith('paddock');
    expect(desktop.customSchemeHandled()).toBe(true);
  });

  it('tells diagnostics whether Paddock is the scheme’s handler and how it registered', () => {
    const desktop = electronDesktop({ ...packaged, platform: 'darwin' });
    expect(desktop.protocolHandler?.()).toEqual({ isDefault: false, registration: 'macos-info-plist', desktopFile: null });
    registerProtocolClient({ ...packaged, platform: 'darwin' });
    expect(desktop.protocolHandler?.()).toEqual({ isDefault: true, registration: 'macos-info-plist', desktopFile: null });
    expect(electronDesktop(development).protocolHandler?.().registration).toBe('development');
  });

  it('registers Electron with the app’s entry script in development, as Windows needs', () => {
    expect(protocolClientArgs(packaged)).toEqual({});
    expect(protocolClientArgs(development)).toEqual({ path: development.execPath, args: [expect.stringMatching(/main\.cjs$/)] });
    registerProtocolClient(development);
    expect(electron.app.setAsDefaultProtocolClient).toHaveBeenLastCalledWith('paddock', development.execPath, [expect.stringMatching(/main\.cjs$/)]);
    expect(electronDesktop(development).customSchemeHandled()).toBe(true);
    expect(electronDesktop(packaged).customSchemeHandled()).toBe(false);
  });
});

/** A real folder to open, and a machine (Linux unless told) whose executables are `files`. */
const made: string[] = [];
function setupFolder() {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-open-'));
  made.push(folder);
  return folder;
}
afterAll(() => {
  for (const folder of made) fs.rmSync(folder, { recursive: true, force: true });
});
const machine = (files: string[], platform: NodeJS.Platform = 'linux', env: Record<string, string> = { PATH: '/usr/bin', HOME: '/home/alice', ELECTRON_RUN_AS_NODE: '1' }): ToolLookup => ({
  platform,
  env,
  isExecutable: (file) => files.includes(file),
});

describe('the Electron desktop opens folders', () => {
  it('shows a folder in the file manager', async () => {
    const folder = setupFolder();
    await electronDesktop(packaged, machine([])).openFolder(folder);
    expect(electron.shell.openPath.mock.calls).toEqual([[folder]]);
  });

  it('turns the system’s refusal into a sentence', async () => {
    const folder = setupFolder();
    electron.shell.openPath.mockImplementation(async () => 'Failed to open path');
    const error = await electronDesktop(packaged, machine([])).openFolder(folder).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaddockError);
    expect((error as PaddockError).message).toBe(`The system could not open ${folder}: Failed to open path`);
  });

  it('refuses a folder that is not there, or not given by its full path, opening nothing', async () => {
    const desktop = electronDesktop(packaged, machine(['/usr/bin/code', '/usr/bin/xterm']));
    const gone = path.join(setupFolder(), 'gone');
    for (const open of [desktop.openFolder, desktop.openInEditor, desktop.openTerminal]) {
      await expect(open(gone)).rejects.toMatchObject({ code: 'not-found' });
      await expect(open('relative/folder')).rejects.toMatchObject({ code: 'invalid-input' });
    }
    expect(electron.shell.openPath).not.toHaveBeenCalled();
    expect(spawned).toEqual([]);
  });

  it('opens VS Code in the folder, detached, without a shell or output, and says so', async () => {
    const folder = setupFolder();
    const desktop = electronDesktop(packaged, machine(['/usr/bin/code']));
    expect(await desktop.editor()).toEqual({ name: 'Visual Studio Code' });
    await desktop.openInEditor(folder);
    expect(spawned).toHaveLength(1);
    const [{ command, args, options, unref }] = spawned as [(typeof spawned)[number]];
    expect([command, args]).toEqual(['/usr/bin/code', [folder]]);
    expect(options).toMatchObject({ cwd: folder, detached: true, stdio: 'ignore', shell: false });
    // VS Code is an Electron program too: it must not start as Node.
    expect(options.env).toMatchObject({ PATH: '/usr/bin', HOME: '/home/alice' });
    expect(options.env).not.toHaveProperty('ELECTRON_RUN_AS_NODE');
    expect(unref).toHaveBeenCalled();
    expect(electron.shell.openPath).not.toHaveBeenCalled();
  });

  it('without VS Code opens the folder with the system’s default app', async () => {
    const folder = setupFolder();
    const desktop = electronDesktop(packaged, machine([]));
    expect(await desktop.editor()).toBeNull();
    await desktop.openInEditor(folder);
    expect(spawned).toEqual([]);
    expect(electron.shell.openPath.mock.calls).toEqual([[folder]]);
  });

  it('on macOS shows a folder that is a bundle in Finder instead of starting it, for the file manager and the editor fallback', async () => {
    const root = setupFolder();
    const named = path.join(root, 'tool.app');
    const plist = path.join(root, 'docs');
    const plain = path.join(root, 'plain');
    fs.mkdirSync(named);
    fs.mkdirSync(path.join(plist, 'Contents'), { recursive: true });
    fs.writeFileSync(path.join(plist, 'Contents', 'Info.plist'), '<plist/>');
    fs.mkdirSync(plain);
    const mac = electronDesktop(packaged, machine([], 'darwin', { PATH: '/usr/bin', HOME: '/Users/alice' }));
    for (const folder of [named, plist]) {
      await mac.openFolder(folder);
      await mac.openInEditor(folder);
    }
    await mac.openFolder(plain);
    expect(electron.shell.showItemInFolder.mock.calls).toEqual([[named], [named], [plist], [plist]]);
    expect(electron.shell.openPath.mock.calls).toEqual([[plain]]);
    expect(spawned).toEqual([]);
    // Elsewhere an .app folder is only a folder.
    await electronDesktop(packaged, machine([])).openFolder(named);
    expect(electron.shell.openPath.mock.calls).toEqual([[plain], [named]]);
  });

  it('opens a terminal in the folder', async () => {
    const folder = setupFolder();
    await electronDesktop(packaged, machine(['/usr/bin/gnome-terminal'])).openTerminal(folder);
    expect(spawned.map(({ command, args, options }) => [command, args, options.cwd, options.shell])).toEqual([['/usr/bin/gnome-terminal', [`--working-directory=${folder}`], folder, false]]);
  });

  it('on Windows starts the terminal and the editor finding programs on PATH only, not a repository’s git.bat', async () => {
    const folder = setupFolder();
    const env = { Path: 'C:\\Windows\\System32', ComSpec: 'C:\\Windows\\system32\\cmd.exe', LOCALAPPDATA: 'C:\\Users\\alice\\AppData\\Local' };
    const cmd = 'C:\\Users\\alice\\AppData\\Local\\Programs\\Microsoft VS Code\\bin\\code.cmd';
    const desktop = electronDesktop(packaged, machine([cmd], 'win32', env));
    await desktop.openTerminal(folder);
    await desktop.openInEditor(folder);
    expect(spawned.map(({ command }) => command)).toEqual(['C:\\Windows\\system32\\cmd.exe', 'C:\\Windows\\system32\\cmd.exe']);
    for (const { options } of spawned) expect(options.env).toEqual({ ...env, NoDefaultCurrentDirectoryInExePath: '1' });
  });

  it('says what to do when there is no terminal, or it could not start', async () => {
    const folder = setupFolder();
    await expect(electronDesktop(packaged, machine([])).openTerminal(folder)).rejects.toMatchObject({ code: 'not-found', message: expect.stringContaining('Install one') });
    spawnFails = 'spawn /usr/bin/xterm ENOENT';
    const error = await electronDesktop(packaged, machine(['/usr/bin/xterm'])).openTerminal(folder).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaddockError);
    expect((error as PaddockError).message).toBe('xterm could not be started: spawn /usr/bin/xterm ENOENT');
  });
});

describe('the Electron desktop opens the editor and terminal chosen in Settings', () => {
  it('starts the chosen editor and terminal, and says it opened them', async () => {
    const folder = setupFolder();
    const desktop = electronDesktop(packaged, machine(['/usr/bin/code', '/usr/bin/codium', '/usr/bin/xterm', '/usr/bin/kitty']));
    expect(await desktop.editor('vscodium')).toEqual({ name: 'VSCodium' });
    expect(await desktop.openInEditor(folder, 'vscodium')).toEqual({ opened: 'VSCodium', missing: null });
    expect(await desktop.openTerminal(folder, 'kitty')).toEqual({ opened: 'kitty', missing: null });
    expect(spawned.map(({ command, args }) => [command, args])).toEqual([
      ['/usr/bin/codium', [folder]],
      ['/usr/bin/kitty', ['--directory', folder]],
    ]);
  });

  it('falls back to the automatic choice when the chosen one is gone, and names both', async () => {
    const folder = setupFolder();
    const desktop = electronDesktop(packaged, machine(['/usr/bin/code', '/usr/bin/xterm']));
    expect(await desktop.openInEditor(folder, 'cursor')).toEqual({ opened: 'Visual Studio Code', missing: 'Cursor' });
    expect(await desktop.openTerminal(folder, 'alacritty')).toEqual({ opened: 'xterm', missing: 'Alacritty' });
    expect(spawned.map(({ command }) => command)).toEqual(['/usr/bin/code', '/usr/bin/xterm']);
  });

  it('opens the system’s default app when that is the choice, even with VS Code installed', async () => {
    const folder = setupFolder();
    const desktop = electronDesktop(packaged, machine(['/usr/bin/code']));
    expect(await desktop.editor('system')).toBeNull();
    expect(await desktop.openInEditor(folder, 'system')).toEqual({ opened: "the system's default app for folders", missing: null });
    expect(spawned).toEqual([]);
    expect(electron.shell.openPath.mock.calls).toEqual([[folder]]);
  });

  it('lists what this machine has, and what the automatic choices open', async () => {
    const tools = await electronDesktop(packaged, machine(['/usr/bin/codium', '/usr/bin/konsole'])).tools!();
    expect(tools.automaticEditor).toBeNull();
    expect(tools.automaticTerminal).toBe('Konsole');
    expect(tools.editors.filter((e) => e.installed).map((e) => e.id)).toEqual(['vscodium', 'system']);
    expect(tools.terminals.filter((t) => t.installed).map((t) => t.id)).toEqual(['konsole']);
    expect(tools.terminals.map((t) => t.id)).toEqual(['x-terminal-emulator', 'gnome-terminal', 'konsole', 'xfce4-terminal', 'xterm', 'kitty', 'alacritty']);
  });

  it('asks the login item to start at login, and reads it back', async () => {
    const calls: boolean[] = [];
    let state = false;
    const desktop = electronDesktop(packaged, machine([]), {
      loginItem: { set: async (enabled) => void calls.push((state = enabled)), get: async () => state },
    });
    await desktop.setStartAtLogin!(true);
    expect(await desktop.startAtLogin!()).toBe(true);
    expect(calls).toEqual([true]);
  });
});
