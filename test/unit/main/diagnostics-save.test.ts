import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./electron-mock'));

const electron = await import('./electron-mock');
const { electronDesktop, saveDiagnosticsZip } = await import('../../../electron/main/desktop');

// "Collect diagnostics" in the desktop app: a save dialog that opens in
// Downloads, the zip written where the user chose, shown in its folder.

let dir: string;
const data = new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]);

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-save-'));
  electron.dialog.showSaveDialog.mockReset();
  electron.shell.showItemInFolder.mockClear();
  electron.BrowserWindow.focused = null;
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('saveDiagnosticsZip', () => {
  it('offers the suggested name in Downloads on the focused window, writes the zip for this user only and shows it', async () => {
    const window = new electron.BrowserWindow({});
    electron.BrowserWindow.focused = window;
    const chosen = path.join(dir, 'support.zip');
    electron.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: chosen });
    expect(await saveDiagnosticsZip({ suggestedName: 'paddock-diagnostics-2026-12-03.zip', data })).toEqual({ saved: true, path: chosen });
    const [parent, options] = electron.dialog.showSaveDialog.mock.calls[0]! as [unknown, { defaultPath: string; filters: unknown[] }];
    expect(parent).toBe(window);
    expect(options.defaultPath).toBe(path.join('/tmp/paddock-mock/downloads', 'paddock-diagnostics-2026-12-03.zip'));
    expect(options.filters).toEqual([{ name: 'Zip archive', extensions: ['zip'] }]);
    expect(new Uint8Array(fs.readFileSync(chosen))).toEqual(data);
    if (process.platform !== 'win32') expect(fs.statSync(chosen).mode & 0o777).toBe(0o600);
    expect(electron.shell.showItemInFolder).toHaveBeenCalledWith(chosen);
  });

  it('adds .zip to a name chosen without an extension', async () => {
    electron.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: path.join(dir, 'support') });
    expect(await saveDiagnosticsZip({ suggestedName: 'x.zip', data })).toEqual({ saved: true, path: path.join(dir, 'support.zip') });
    expect(fs.existsSync(path.join(dir, 'support.zip'))).toBe(true);
  });

  it('writes nothing and shows nothing when the user cancels', async () => {
    electron.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: true });
    expect(await saveDiagnosticsZip({ suggestedName: 'x.zip', data })).toEqual({ saved: false });
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(electron.shell.showItemInFolder).not.toHaveBeenCalled();
  });

  it('says where it could not write', async () => {
    electron.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: path.join(dir, 'missing-folder', 'x.zip') });
    await expect(saveDiagnosticsZip({ suggestedName: 'x.zip', data })).rejects.toMatchObject({ code: 'internal', message: expect.stringMatching(/could not save the diagnostics to .*missing-folder.*ENOENT/) });
  });
});

describe('electronDesktop', () => {
  it('saves diagnostics and reports the versions of what runs it', () => {
    const desktop = electronDesktop();
    expect(desktop.saveDiagnostics).toBeTypeOf('function');
    expect(desktop.runtimeVersions?.()).toEqual({ electron: null, chrome: null, node: process.versions.node });
  });
});
