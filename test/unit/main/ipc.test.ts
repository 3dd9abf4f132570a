import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestCore } from '../../helpers/core';

vi.mock('electron', () => import('./electron-mock'));

const electron = await import('./electron-mock');
const { isTrustedSender, setupIpc } = await import('../../../electron/main/ipc');
const { silentLogger } = await import('../../../electron/core/logger');
const { defaultPreferences } = await import('../../../electron/core/store/schema');

const APP = 'app://paddock';
const topFrame = (url: string) => ({ url, parent: null });

describe('isTrustedSender', () => {
  it('accepts only the top frame of the app origin', () => {
    expect(isTrustedSender(topFrame('app://paddock/index.html'), [APP])).toBe(true);
    expect(isTrustedSender(topFrame('app://paddock/'), [APP])).toBe(true);
    expect(isTrustedSender(topFrame('http://localhost:5173/'), ['http://localhost:5173'])).toBe(true);
  });

  it('refuses sub-frames, other origins, missing frames and garbage', () => {
    expect(isTrustedSender({ url: 'app://paddock/index.html', parent: topFrame('app://paddock/') } as never, [APP])).toBe(false);
    expect(isTrustedSender(topFrame('https://evil.example/'), [APP])).toBe(false);
    expect(isTrustedSender(topFrame('app://evil/index.html'), [APP])).toBe(false);
    expect(isTrustedSender(topFrame('file:///app/index.html'), [APP])).toBe(false);
    expect(isTrustedSender(topFrame('http://localhost:5174/'), ['http://localhost:5173'])).toBe(false);
    expect(isTrustedSender(null, [APP])).toBe(false);
    expect(isTrustedSender(undefined, [APP])).toBe(false);
    expect(isTrustedSender(topFrame('not a url'), [APP])).toBe(false);
  });
});

describe('setupIpc', () => {
  const { core, dispatcher } = createTestCore();
  let teardown: () => void;
  const call = (frame: unknown, method: unknown, input?: unknown) =>
    electron.ipcMain.handlers.get('paddock:call')!({ senderFrame: frame }, method, input) as Promise<unknown>;

  beforeEach(() => {
    teardown?.();
    electron.allWebContents.length = 0;
    teardown = setupIpc({ dispatcher, allowedOrigins: [APP], logger: silentLogger });
  });

  it('answers calls from the app page', async () => {
    await expect(call(topFrame('app://paddock/index.html'), 'getPreferences', null)).resolves.toEqual({ ok: true, value: defaultPreferences });
  });

  it('refuses calls from a sub-frame or another origin before the core sees them', async () => {
    const spy = vi.spyOn(core, 'updatePreferences');
    const subFrame = { url: 'app://paddock/index.html', parent: topFrame('app://paddock/') };
    for (const frame of [subFrame, topFrame('https://evil.example/'), null]) {
      await expect(call(frame, 'updatePreferences', { theme: 'dark' })).resolves.toEqual({
        ok: false,
        error: { code: 'forbidden', message: 'This page may not use the Paddock API.' },
      });
    }
    expect(spy).not.toHaveBeenCalled();
  });

  it('rejects an invalid argument at arrival with a typed error naming the field', async () => {
    const spy = vi.spyOn(core, 'updatePreferences');
    const result = (await call(topFrame('app://paddock/'), 'updatePreferences', { theme: 'purple' })) as {
      ok: false;
      error: { code: string; message: string; issues: { path: string }[] };
    };
    expect(result.ok).toBe(false);
    expect(result.error.code).toBe('invalid-input');
    expect(result.error.issues[0]?.path).toBe('theme');
    expect(result.error.message).toContain('theme');
    expect(spy).not.toHaveBeenCalled();
  });

  it('pushes events only to trusted pages', async () => {
    const trusted = new electron.FakeWebContents();
    const stranger = new electron.FakeWebContents();
    stranger.mainFrame = { url: 'https://evil.example/', parent: null };
    electron.allWebContents.push(trusted, stranger);
    await call(topFrame('app://paddock/'), 'updatePreferences', { theme: 'dark' });
    expect(trusted.sent).toEqual([['paddock:event', 'preferencesChanged', { ...defaultPreferences, theme: 'dark' }]]);
    expect(stranger.sent).toEqual([]);
  });
});
