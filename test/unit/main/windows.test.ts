import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./electron-mock'));

const { createMainWindow, setupWindows } = await import('../../../electron/main/windows');
const electron = await import('./electron-mock');

describe('createMainWindow', () => {
  it('isolates the renderer: contextIsolation and sandbox on, Node integration off', () => {
    const window = createMainWindow({ preload: '/app/.vite/build/preload.cjs', url: 'app://paddock/index.html' }) as unknown as {
      options: Record<string, unknown>;
      loadedUrl: string;
    };
    const prefs = window.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/app/.vite/build/preload.cjs',
    });
    expect(window.loadedUrl).toBe('app://paddock/index.html');
  });

  it('asks "Discard changes?" when the page refuses to unload, and lets it close only when the user discards', () => {
    const window = createMainWindow({ preload: '/app/.vite/build/preload.cjs', url: 'app://paddock/index.html' }) as unknown as InstanceType<typeof electron.BrowserWindow>;
    electron.dialog.showMessageBoxSync.mockClear();
    electron.dialog.showMessageBoxSync.mockReturnValueOnce(1);
    expect(window.webContents.emitPreventable('will-prevent-unload')).toBe(false);
    electron.dialog.showMessageBoxSync.mockReturnValueOnce(0);
    expect(window.webContents.emitPreventable('will-prevent-unload')).toBe(true);
    expect(electron.dialog.showMessageBoxSync).toHaveBeenCalledTimes(2);
    const [parent, box] = electron.dialog.showMessageBoxSync.mock.calls[0] as [unknown, { buttons: string[]; cancelId: number; defaultId: number; message: string }];
    expect(parent).toBe(window);
    expect(box.message).toBe('Discard changes?');
    expect(box.buttons).toEqual(['Discard changes', 'Keep editing']);
    // Escape and Enter keep what was typed.
    expect([box.cancelId, box.defaultId]).toEqual([1, 1]);
  });
});

describe('setupWindows', () => {
  const options = { preload: '/app/.vite/build/preload.cjs', url: 'app://paddock/index.html' };

  it('makes no window before the API is ready; one asked for meanwhile shows then', () => {
    electron.BrowserWindow.created.length = 0;
    const windows = setupWindows(options);
    windows.show();
    expect(electron.BrowserWindow.created).toHaveLength(0);
    windows.ready(false);
    expect(electron.BrowserWindow.created).toHaveLength(1);
    expect(windows.isOpen()).toBe(true);
  });

  it('shows nothing at a background start until asked', () => {
    electron.BrowserWindow.created.length = 0;
    const windows = setupWindows(options);
    windows.ready(false);
    expect(electron.BrowserWindow.created).toHaveLength(0);
    expect(windows.isOpen()).toBe(false);
    windows.show();
    expect(electron.BrowserWindow.created).toHaveLength(1);
  });

  it('brings the one window back (restored, shown, focused) instead of making another, and a new one after it closed', () => {
    electron.BrowserWindow.created.length = 0;
    const windows = setupWindows(options);
    windows.ready(true);
    const [first] = electron.BrowserWindow.created as [InstanceType<typeof electron.BrowserWindow>];
    first.minimized = true;
    windows.show();
    expect(first.calls).toEqual(['restore', 'show', 'focus']);
    windows.show();
    expect(first.calls).toEqual(['restore', 'show', 'focus', 'focus']);
    expect(electron.BrowserWindow.created).toHaveLength(1);
    first.close();
    expect(windows.isOpen()).toBe(false);
    windows.show();
    expect(electron.BrowserWindow.created).toHaveLength(1);
    expect(electron.BrowserWindow.created[0]).not.toBe(first);
  });
});
