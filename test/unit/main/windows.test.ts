import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./electron-mock'));

const { createMainWindow } = await import('../../../electron/main/windows');

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
});
