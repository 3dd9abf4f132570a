import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./electron-mock'));

const electron = await import('./electron-mock');
const { appUserModelId, keptNotifications, setupNotifications, showNotification, WINDOWS_APP_USER_MODEL_ID } = await import('../../../electron/main/notifications');

beforeEach(() => {
  electron.Notification.shown = [];
  electron.Notification.instances = [];
  electron.Notification.supported = true;
  electron.app.setAppUserModelId.mockClear();
  electron.app.isPackaged = false;
});

describe('system notifications', () => {
  it('shows the title and body, and runs the click handler once when it is clicked', () => {
    const onClick = vi.fn();
    showNotification({ title: 'Environment ready: octo/hello', body: 'Branch main is checked out on Local runner.', onClick });
    expect(electron.Notification.shown).toEqual([{ title: 'Environment ready: octo/hello', body: 'Branch main is checked out on Local runner.' }]);
    const [notification] = electron.Notification.instances;
    notification!.emit('click');
    expect(onClick).toHaveBeenCalledTimes(1);
  });

  it('keeps each notification referenced until it is clicked, closed or failed, so that its click arrives', () => {
    const before = keptNotifications();
    showNotification({ title: 'a', body: 'a', onClick: () => undefined });
    showNotification({ title: 'b', body: 'b' });
    showNotification({ title: 'c', body: 'c' });
    expect(keptNotifications()).toBe(before + 3);
    const [a, b, c] = electron.Notification.instances;
    a!.emit('click');
    b!.close();
    c!.emit('failed', {}, 'no notification server');
    expect(keptNotifications()).toBe(before);
  });

  it('a click on one without a handler only lets it go', () => {
    showNotification({ title: 'Runner failed: Local runner', body: 'It stopped.' });
    expect(() => electron.Notification.instances[0]!.emit('click')).not.toThrow();
  });

  it('shows nothing, and keeps nothing, where the system has no notifications', () => {
    electron.Notification.supported = false;
    const before = keptNotifications();
    showNotification({ title: 'x', body: 'y', onClick: () => undefined });
    expect(electron.Notification.shown).toEqual([]);
    expect(electron.Notification.instances).toEqual([]);
    expect(keptNotifications()).toBe(before);
  });
});

describe('the Windows AppUserModelID', () => {
  it('is the installer’s app id when packaged, the Electron executable in development', () => {
    expect(appUserModelId(true, 'C:\\Program Files\\Paddock\\Paddock.exe')).toBe(WINDOWS_APP_USER_MODEL_ID);
    expect(appUserModelId(false, 'C:\\dev\\node_modules\\electron\\dist\\electron.exe')).toBe('C:\\dev\\node_modules\\electron\\dist\\electron.exe');
  });

  it('is set on Windows only', () => {
    setupNotifications('linux', '/opt/Paddock/paddock');
    setupNotifications('darwin', '/Applications/Paddock.app/Contents/MacOS/Paddock');
    expect(electron.app.setAppUserModelId).not.toHaveBeenCalled();
    electron.app.isPackaged = true;
    setupNotifications('win32', 'C:\\Program Files\\Paddock\\Paddock.exe');
    expect(electron.app.setAppUserModelId).toHaveBeenCalledWith(WINDOWS_APP_USER_MODEL_ID);
  });

  it('matches the app id electron-builder gives the Start-menu shortcut', async () => {
    const { readFile } = await import('node:fs/promises');
    const config = JSON.parse(await readFile(new URL('../../../build/electron-builder.json', import.meta.url), 'utf8')) as { appId: string };
    expect(config.appId).toBe(WINDOWS_APP_USER_MODEL_ID);
  });
});
