import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./electron-mock'));

const electron = await import('./electron-mock');
const { hardenWebContents, parseExternalUrl, setupSecurity } = await import('../../../electron/main/security');

describe('parseExternalUrl', () => {
  it.each([
    ['https://dev.azure.com/org', 'https://dev.azure.com/org'],
    ['http://tfs.example.com/tfs', 'http://tfs.example.com/tfs'],
  ])('opens %s', (raw, expected) => {
    expect(parseExternalUrl(raw)?.toString()).toBe(expected);
  });

  it.each(['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'paddock://open?url=x', 'not a url', 'https://user:pw@example.com/'])(
    'refuses %s',
    (raw) => {
      expect(parseExternalUrl(raw)).toBeNull();
    },
  );
});

describe('hardenWebContents', () => {
  let contents: InstanceType<typeof electron.FakeWebContents>;
  const openExternal = vi.fn();

  beforeEach(() => {
    contents = new electron.FakeWebContents();
    openExternal.mockReset();
    hardenWebContents(contents as never, openExternal);
  });

  it('prevents every navigation, redirect and webview', () => {
    expect(contents.emitPreventable('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.emitPreventable('will-navigate', 'app://paddock/index.html')).toBe(true);
    expect(contents.emitPreventable('will-redirect', 'https://evil.example/')).toBe(true);
    expect(contents.emitPreventable('will-attach-webview', {}, {})).toBe(true);
  });

  it('denies every new window and opens only parsed http(s) URLs externally', () => {
    expect(contents.windowOpenHandler?.({ url: 'https://github.com/org/repo' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('https://github.com/org/repo');
    openExternal.mockReset();
    expect(contents.windowOpenHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(openExternal).not.toHaveBeenCalled();
  });
});

describe('setupSecurity', () => {
  it('denies every permission request and check but writing text to the clipboard, and hardens every new web contents', () => {
    setupSecurity();
    const requestHandler = electron.session.defaultSession.setPermissionRequestHandler.mock.calls[0]?.[0] as unknown as (
      contents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
    ) => void;
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fileSystem', 'hid', 'serial', 'usb']) {
      const callback = vi.fn();
      requestHandler({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    const write = vi.fn();
    requestHandler({}, 'clipboard-sanitized-write', write);
    expect(write).toHaveBeenCalledWith(true);
    const checkHandler = electron.session.defaultSession.setPermissionCheckHandler.mock.calls[0]?.[0] as unknown as (
      contents: unknown,
      permission: string,
    ) => boolean;
    expect(checkHandler({}, 'clipboard-read')).toBe(false);
    expect(checkHandler({}, 'media')).toBe(false);
    expect(checkHandler({}, 'clipboard-sanitized-write')).toBe(true);

    const contents = new electron.FakeWebContents();
    electron.app.emit('web-contents-created', {}, contents);
    expect(contents.emitPreventable('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  });
});
