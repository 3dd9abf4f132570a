import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../../electron/core/logger';

vi.mock('electron', () => import('./electron-mock'));

const electron = await import('./electron-mock');
const { app } = await import('electron');
const { lastWindowClosed, launchShowsWindow, noTray, openedAtLogin, setupLifecycle, windowAtStart } = await import('../../../electron/main/lifecycle');

const silent: Logger = { info() {}, warn() {}, error() {} };
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('lastWindowClosed', () => {
  it.each<[NodeJS.Platform, boolean, boolean, 'quit' | 'keep-running']>([
    ['linux', true, true, 'keep-running'],
    ['win32', true, true, 'keep-running'],
    // The user turned "keep running in the tray" off.
    ['linux', true, false, 'quit'],
    ['win32', true, false, 'quit'],
    // No tray shows (GNOME without its extension): quitting is the only way not to leave Paddock unreachable.
    ['linux', false, true, 'quit'],
    ['win32', false, true, 'quit'],
    // macOS: the app stays in the Dock, as macOS apps do.
    ['darwin', true, false, 'keep-running'],
    ['darwin', false, false, 'keep-running'],
  ])('%s, tray shown %s, keepInTray %s: %s', (platform, trayShown, keepInTray, expected) => {
    expect(lastWindowClosed({ platform, trayShown, keepInTray })).toBe(expected);
  });
});

describe('windowAtStart and launchShowsWindow', () => {
  it('shows no window for a start at login when a tray shows, and the window otherwise', () => {
    expect(windowAtStart({ background: true, trayShown: true, carriesAction: false })).toBe(false);
    expect(windowAtStart({ background: true, trayShown: false, carriesAction: false })).toBe(true);
    expect(windowAtStart({ background: false, trayShown: true, carriesAction: false })).toBe(true);
    expect(windowAtStart({ background: true, trayShown: true, carriesAction: true })).toBe(true);
  });

  it('reads the command line', () => {
    const tray = { shown: () => true };
    expect(launchShowsWindow(['/opt/Paddock/paddock', '--background'], tray, 'linux')).toBe(false);
    expect(launchShowsWindow(['/opt/Paddock/paddock', '--background'], noTray, 'linux')).toBe(true);
    expect(launchShowsWindow(['/opt/Paddock/paddock'], tray, 'linux')).toBe(true);
    expect(launchShowsWindow(['/opt/Paddock/paddock', '--background', 'paddock://open?url=x'], tray, 'linux')).toBe(true);
  });

  it('macOS: a login item is told by the OS (no arguments arrive), and shows no window where the tray shows', () => {
    const tray = { shown: () => true };
    expect(launchShowsWindow(['/Applications/Paddock.app/Contents/MacOS/Paddock'], tray, 'darwin', true)).toBe(false);
    expect(launchShowsWindow(['/Applications/Paddock.app/Contents/MacOS/Paddock'], tray, 'darwin', false)).toBe(true);
    const settings = vi.mocked(app.getLoginItemSettings);
    settings.mockReturnValueOnce({ openAtLogin: true, wasOpenedAtLogin: true } as ReturnType<typeof app.getLoginItemSettings>);
    expect(openedAtLogin('darwin')).toBe(true);
    expect(openedAtLogin('darwin')).toBe(false);
    settings.mockImplementationOnce(() => {
      throw new Error('not available');
    });
    expect(openedAtLogin('darwin')).toBe(false);
    // Elsewhere the OS is not asked: --background says it.
    settings.mockClear();
    expect(openedAtLogin('linux')).toBe(false);
    expect(settings).not.toHaveBeenCalled();
  });
});

function fakeCore(keepInTray: boolean | Error = true) {
  const order: string[] = [];
  let finishDispose: () => void = () => {};
  const core = {
    getPreferences: vi.fn(async () => {
      if (keepInTray instanceof Error) throw keepInTray;
      return { keepInTray };
    }),
    main: {
      refreshHosts: vi.fn(async () => undefined),
      dispose: vi.fn(
        () =>
          new Promise<void>((resolve) => {
            order.push('dispose');
            finishDispose = () => resolve();
          }),
      ),
    },
  };
  return { core, order, finishDispose: () => finishDispose() };
}

const windows = () => ({ show: vi.fn(), isOpen: vi.fn(() => false), ready: vi.fn() });

describe('setupLifecycle', () => {
  beforeEach(() => {
    for (const name of ['window-all-closed', 'activate', 'browser-window-focus', 'will-quit']) electron.app.removeAllListeners(name);
    electron.app.quit.mockReset();
    electron.BrowserWindow.created.length = 0;
  });

  it('keeps running when the last window closes while a tray shows and keepInTray is on', async () => {
    const { core } = fakeCore(true);
    setupLifecycle({ core, windows: windows(), tray: { shown: () => true }, logger: silent, platform: 'linux' });
    electron.app.emit('window-all-closed');
    await settle();
    expect(core.getPreferences).toHaveBeenCalled();
    expect(electron.app.quit).not.toHaveBeenCalled();
  });

  it('quits when keepInTray is off, and when no tray shows', async () => {
    const off = fakeCore(false);
    setupLifecycle({ core: off.core, windows: windows(), tray: { shown: () => true }, logger: silent, platform: 'win32' });
    electron.app.emit('window-all-closed');
    await settle();
    expect(electron.app.quit).toHaveBeenCalledOnce();

    electron.app.removeAllListeners('window-all-closed');
    electron.app.quit.mockReset();
    setupLifecycle({ core: fakeCore(true).core, windows: windows(), tray: noTray, logger: silent, platform: 'linux' });
    electron.app.emit('window-all-closed');
    await settle();
    expect(electron.app.quit).toHaveBeenCalledOnce();
  });

  it('asks the tray at the moment the window closes (the icon may have gone since the start)', async () => {
    let shown = true;
    setupLifecycle({ core: fakeCore(true).core, windows: windows(), tray: { shown: () => shown }, logger: silent, platform: 'linux' });
    shown = false;
    electron.app.emit('window-all-closed');
    await settle();
    expect(electron.app.quit).toHaveBeenCalledOnce();
  });

  it('keeps running with a tray when the preferences cannot be read (keepInTray’s default)', async () => {
    setupLifecycle({ core: fakeCore(new Error('store')).core, windows: windows(), tray: { shown: () => true }, logger: silent, platform: 'linux' });
    electron.app.emit('window-all-closed');
    await settle();
    expect(electron.app.quit).not.toHaveBeenCalled();
  });

  it('opens the window from macOS’s Dock icon when there is none', () => {
    const w = windows();
    setupLifecycle({ core: fakeCore().core, windows: w, tray: noTray, logger: silent, platform: 'darwin' });
    electron.app.emit('activate');
    expect(w.show).toHaveBeenCalledOnce();
    new electron.BrowserWindow({});
    electron.app.emit('activate');
    expect(w.show).toHaveBeenCalledOnce();
  });

  it('asks the runners again when a window comes to the front', () => {
    const { core } = fakeCore();
    setupLifecycle({ core, windows: windows(), tray: noTray, logger: silent, platform: 'linux' });
    electron.app.emit('browser-window-focus');
    expect(core.main.refreshHosts).toHaveBeenCalledOnce();
  });

  it('stops the core before quitting, once', async () => {
    const { core, order, finishDispose } = fakeCore();
    setupLifecycle({ core, windows: windows(), tray: noTray, logger: silent, platform: 'linux' });
    let prevented = false;
    electron.app.emit('will-quit', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    expect(order).toEqual(['dispose']);
    expect(electron.app.quit).not.toHaveBeenCalled();
    finishDispose();
    await settle();
    expect(electron.app.quit).toHaveBeenCalledOnce();
    // The quit it asked for goes through.
    let again = false;
    electron.app.emit('will-quit', { preventDefault: () => (again = true) });
    expect(again).toBe(false);
    expect(core.main.dispose).toHaveBeenCalledOnce();
  });
});
