import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./electron-mock'));

const { openAppStore } = await import('../../../electron/main/store');
const { defaultPreferences } = await import('../../../electron/core/store/schema');

describe('openAppStore (electron-store)', () => {
  it('keeps paddock.json in the given user data folder, with defaults and schema', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-estore-'));
    const store = openAppStore(directory);
    expect(store.path).toBe(path.join(directory, 'paddock.json'));
    expect(store.get('preferences')).toEqual(defaultPreferences);
    store.set('preferences', { ...defaultPreferences, theme: 'light' });
    expect(JSON.parse(fs.readFileSync(store.path, 'utf8')).preferences).toEqual({ ...defaultPreferences, theme: 'light' });
    expect(() => store.set('preferences', { theme: 'plaid' } as never)).toThrow();
  });

  it('moves an unreadable file aside with a notice', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-estore-'));
    fs.writeFileSync(path.join(directory, 'paddock.json'), 'not json');
    const store = openAppStore(directory);
    expect(store.recovery?.message).toMatch(/could not read its settings file/);
    const aside = fs.readdirSync(directory).find((name) => name.startsWith('paddock.unreadable-'));
    expect(aside && fs.readFileSync(path.join(directory, aside), 'utf8')).toBe('not json');
  });
});

describe('setupStore', () => {
  it('opens the store in the given folder', async () => {
    const { setupStore } = await import('../../../electron/main/store');
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-estore-'));
    expect(setupStore(directory)?.path).toBe(path.join(directory, 'paddock.json'));
  });

  it('says why it cannot start in an error box and ends the app when the store cannot be used', async () => {
    const electron = await import('./electron-mock');
    const { setupStore } = await import('../../../electron/main/store');
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-estore-'));
    // The user data folder would be inside a file: the store cannot even be created.
    fs.writeFileSync(path.join(parent, 'a-file'), '');
    const directory = path.join(parent, 'a-file', 'Paddock');
    electron.dialog.showErrorBox.mockClear();
    electron.app.exit.mockClear();
    expect(setupStore(directory)).toBeNull();
    expect(electron.dialog.showErrorBox).toHaveBeenCalledExactlyOnceWith('Paddock cannot start', expect.any(String));
    expect(electron.app.exit).toHaveBeenCalledExactlyOnceWith(1);
  });
});
