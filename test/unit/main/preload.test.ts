import { beforeEach, describe, expect, it, vi } from 'vitest';
import { apiEvents, apiMethods, eventSubscriberName } from '../../../electron/common/api';

vi.mock('electron', () => import('./electron-mock'));

const electron = await import('./electron-mock');
await import('../../../electron/preload/preload');
const api = electron.contextBridge.exposed.get('paddock') as Record<string, (...args: unknown[]) => unknown>;

describe('preload', () => {
  beforeEach(() => electron.ipcRenderer.invoke.mockReset());

  it('exposes window.paddock only, with exactly the contract’s methods and subscribers', () => {
    expect([...electron.contextBridge.exposed.keys()]).toEqual(['paddock']);
    const expected = [...Object.keys(apiMethods), ...Object.keys(apiEvents).map((e) => eventSubscriberName(e as never))].sort();
    expect(Object.keys(api).sort()).toEqual(expected);
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect(Object.values(api)).not.toContain(electron.ipcRenderer);
  });

  it('sends null for methods without input and unwraps results', async () => {
    electron.ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: { theme: 'dark' } });
    await expect(api.getPreferences!()).resolves.toEqual({ theme: 'dark' });
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith('paddock:call', 'getPreferences', null);
  });

  it('rejects with a plain error object that keeps its code across the context bridge', async () => {
    const error = { code: 'invalid-input', message: 'Invalid argument to updatePreferences. theme: Invalid option' };
    electron.ipcRenderer.invoke.mockResolvedValueOnce({ ok: false, error });
    await expect(api.updatePreferences!({ theme: 'purple' })).rejects.toEqual(error);
  });

  it('delivers event payloads without the IpcRendererEvent, and unsubscribes', () => {
    const listener = vi.fn();
    const unsubscribe = api.onPreferencesChanged!(listener) as () => void;
    electron.ipcRenderer.emit('paddock:event', { sender: 'ipc internals' }, 'preferencesChanged', { theme: 'light' });
    expect(listener).toHaveBeenCalledExactlyOnceWith({ theme: 'light' });
    unsubscribe();
    electron.ipcRenderer.emit('paddock:event', {}, 'preferencesChanged', { theme: 'dark' });
    expect(listener).toHaveBeenCalledTimes(1);
  });
});
