import { beforeEach, describe, expect, it, vi } from 'vitest';
import { PaddockError } from '../../../electron/common/errors';

vi.mock('electron', () => import('./electron-mock'));

const electron = await import('./electron-mock');
const { electronDesktop, protocolClientArgs, registerProtocolClient } = await import('../../../electron/main/desktop');

const packaged = { defaultApp: undefined, execPath: '/Applications/Paddock.app/Contents/MacOS/Paddock', argv: ['/Applications/Paddock.app/Contents/MacOS/Paddock'] };
const development = { defaultApp: true, execPath: 'C:\\dev\\node_modules\\electron\\dist\\electron.exe', argv: ['C:\\dev\\node_modules\\electron\\dist\\electron.exe', '.vite/build/main.cjs'] };

beforeEach(() => {
  electron.shell.openExternal.mockClear();
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

  it('says paddock:// comes back only once Paddock is the scheme’s handler', () => {
    const desktop = electronDesktop(packaged);
    expect(desktop.customSchemeHandled()).toBe(false);
    expect(registerProtocolClient(packaged)).toBe(true);
    expect(electron.app.setAsDefaultProtocolClient).toHaveBeenLastCalledWith('paddock');
    expect(desktop.customSchemeHandled()).toBe(true);
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
