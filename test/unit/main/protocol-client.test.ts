import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { vi } from 'vitest';
import type { Logger } from '../../../electron/core/logger';

vi.mock('electron', () => import('./electron-mock'));

const electron = await import('./electron-mock');
const { applicationDirectories, isProtocolClient, protocolClientArgs, protocolHandlerState, registerProtocolClient, setupDesktopName, setupProtocolClient } = await import(
  '../../../electron/main/protocol-client'
);
const { desktopFileName } = await import('../../../electron/main/linux-desktop-entry');

const windowsPackaged = { platform: 'win32' as const, execPath: 'C:\\Users\\sam\\AppData\\Local\\Programs\\Paddock\\Paddock.exe', argv: ['C:\\Users\\sam\\AppData\\Local\\Programs\\Paddock\\Paddock.exe'] };
const windowsDevelopment = {
  platform: 'win32' as const,
  defaultApp: true,
  execPath: 'C:\\dev\\node_modules\\electron\\dist\\electron.exe',
  argv: ['C:\\dev\\node_modules\\electron\\dist\\electron.exe', 'C:\\dev\\.vite\\build\\main.cjs'],
};
const linuxPackage = { platform: 'linux' as const, execPath: '/opt/Paddock/paddock', argv: ['/opt/Paddock/paddock'] };
const macPackaged = { platform: 'darwin' as const, execPath: '/Applications/Paddock.app/Contents/MacOS/Paddock', argv: ['/Applications/Paddock.app/Contents/MacOS/Paddock'] };

function recordingLogger() {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const logger: Logger = {
    info: (message, fields) => lines.push({ level: 'info', message, fields }),
    warn: (message, fields) => lines.push({ level: 'warn', message, fields }),
    error: (message, fields) => lines.push({ level: 'error', message, fields }),
  };
  return { logger, lines };
}

beforeEach(() => {
  electron.app.protocolClients.clear();
  electron.app.setAsDefaultProtocolClient.mockClear();
});

describe('protocolClientArgs', () => {
  it('on Windows registers the executable with --protocol-launcher --, so the link is the one argument after the switches', () => {
    expect(protocolClientArgs(windowsPackaged)).toEqual({ path: windowsPackaged.execPath, args: ['--protocol-launcher', '--'] });
    expect(protocolClientArgs(windowsDevelopment)).toEqual({ path: windowsDevelopment.execPath, args: ['C:\\dev\\.vite\\build\\main.cjs', '--protocol-launcher', '--'] });
  });

  it('elsewhere a packaged app is itself the handler (Info.plist, the .desktop file)', () => {
    expect(protocolClientArgs(linuxPackage)).toEqual({});
    expect(protocolClientArgs(macPackaged)).toEqual({});
  });
});

describe('registerProtocolClient and isProtocolClient', () => {
  it('registers and recognises the same command on Windows', () => {
    expect(isProtocolClient(windowsPackaged)).toBe(false);
    expect(registerProtocolClient(windowsPackaged)).toBe(true);
    expect(electron.app.setAsDefaultProtocolClient).toHaveBeenLastCalledWith('paddock', windowsPackaged.execPath, ['--protocol-launcher', '--']);
    expect(isProtocolClient(windowsPackaged)).toBe(true);
    // Another registration (an older one without the switch) is not this one.
    expect(isProtocolClient({ ...windowsPackaged, platform: 'linux' })).toBe(false);
  });
});

describe('setupDesktopName', () => {
  it('sets the .desktop file’s name on Linux only', () => {
    electron.app.setDesktopName.mockClear();
    setupDesktopName('win32');
    expect(electron.app.setDesktopName).not.toHaveBeenCalled();
    setupDesktopName('linux');
    expect(electron.app.setDesktopName).toHaveBeenCalledExactlyOnceWith(desktopFileName);
  });
});

describe('applicationDirectories', () => {
  it('is $XDG_DATA_HOME then $XDG_DATA_DIRS, each with applications/, with the spec’s defaults', () => {
    expect(applicationDirectories({ HOME: '/home/sam' })).toEqual(['/home/sam/.local/share/applications', '/usr/local/share/applications', '/usr/share/applications']);
    expect(applicationDirectories({ HOME: '/home/sam', XDG_DATA_HOME: '/data', XDG_DATA_DIRS: '/var/lib/flatpak/exports/share:relative:/usr/share' })).toEqual([
      '/data/applications',
      '/var/lib/flatpak/exports/share/applications',
      '/usr/share/applications',
    ]);
  });
});

describe('protocolHandlerState (diagnostics)', () => {
  const files = (present: string[]) => ({ isFile: (file: string) => present.includes(file) });

  it('says how each OS registers, and whether Paddock is the default', () => {
    expect(protocolHandlerState(windowsPackaged, { env: {}, ...files([]) })).toEqual({ isDefault: false, registration: 'windows-registry', desktopFile: null });
    registerProtocolClient(windowsPackaged);
    expect(protocolHandlerState(windowsPackaged, { env: {}, ...files([]) })).toEqual({ isDefault: true, registration: 'windows-registry', desktopFile: null });
    expect(protocolHandlerState(macPackaged, { env: {}, ...files([]) }).registration).toBe('macos-info-plist');
    expect(protocolHandlerState(windowsDevelopment, { env: {}, ...files([]) }).registration).toBe('development');
  });

  it('on Linux names the package’s .desktop file, the AppImage’s own, or none', () => {
    const installed = `/usr/share/applications/${desktopFileName}`;
    expect(protocolHandlerState(linuxPackage, { env: { HOME: '/home/sam' }, ...files([installed]) })).toEqual({ isDefault: false, registration: 'linux-desktop-file', desktopFile: installed });
    expect(protocolHandlerState(linuxPackage, { env: { HOME: '/home/sam' }, ...files([]) })).toEqual({ isDefault: false, registration: 'none', desktopFile: null });
    const user = `/home/sam/.local/share/applications/${desktopFileName}`;
    const appImage = { HOME: '/home/sam', APPIMAGE: '/home/sam/Paddock.AppImage' };
    expect(protocolHandlerState(linuxPackage, { env: appImage, ...files([user]) })).toEqual({ isDefault: false, registration: 'appimage-user-file', desktopFile: user });
    expect(protocolHandlerState(linuxPackage, { env: appImage, ...files([]) })).toEqual({ isDefault: false, registration: 'appimage-user-file', desktopFile: null });
    registerProtocolClient(linuxPackage);
    expect(protocolHandlerState(linuxPackage, { env: appImage, ...files([user]) }).isDefault).toBe(true);
  });
});

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

describe('setupProtocolClient', () => {
  it('in an AppImage writes the user-level file first, then registers, and logs both', async () => {
    const dataHome = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-proto-'));
    made.push(dataHome);
    const { logger, lines } = recordingLogger();
    const run = vi.fn(async () => '');
    const registered = await setupProtocolClient({ logger, proc: linuxPackage, env: { XDG_DATA_HOME: dataHome, APPIMAGE: '/opt/Paddock.AppImage' }, run });
    expect(registered).toBe(true);
    expect(fs.existsSync(path.join(dataHome, 'applications', desktopFileName))).toBe(true);
    expect(run).toHaveBeenCalledOnce();
    expect(electron.app.setAsDefaultProtocolClient).toHaveBeenCalledExactlyOnceWith('paddock');
    expect(lines).toEqual([{ level: 'info', message: 'AppImage desktop entry', fields: { status: 'registered', file: path.join(dataHome, 'applications', desktopFileName) } }]);
  });

  it('says in the log when the OS refused', async () => {
    electron.app.setAsDefaultProtocolClient.mockReturnValueOnce(false);
    const { logger, lines } = recordingLogger();
    expect(await setupProtocolClient({ logger, proc: windowsPackaged, env: {} })).toBe(false);
    expect(lines).toEqual([{ level: 'warn', message: 'paddock:// links could not be registered with the operating system', fields: undefined }]);
  });
});
