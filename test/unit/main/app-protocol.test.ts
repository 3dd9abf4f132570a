import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./electron-mock'));

const electron = await import('./electron-mock');
const { APP_ORIGIN, registerAppScheme, resolveAppAsset, setupAppProtocol } = await import('../../../electron/main/app-protocol');

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-protocol-'));
fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Paddock</title>');
fs.mkdirSync(path.join(root, 'assets'));
fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
fs.writeFileSync(path.join(os.tmpdir(), 'paddock-protocol-outside.txt'), 'secret');

describe('app:// scheme', () => {
  it('is registered as a privileged standard, secure scheme before ready', () => {
    registerAppScheme();
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }),
    ]);
  });

  it('serves the renderer with a strict Content-Security-Policy header', async () => {
    setupAppProtocol(root);
    expect(electron.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    const handler = electron.protocol.handlers.get('app')!;
    const response = await handler(new Request(`${APP_ORIGIN}/index.html`));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = response.headers.get('content-security-policy') ?? '';
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);

    const script = await handler(new Request(`${APP_ORIGIN}/assets/app.js`));
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('content-security-policy')).toBe(csp);
  });

  it('answers 404 for missing files, other hosts and path traversal', async () => {
    const handler = electron.protocol.handlers.get('app')!;
    expect((await handler(new Request(`${APP_ORIGIN}/nope.js`))).status).toBe(404);
    expect((await handler(new Request('app://elsewhere/index.html'))).status).toBe(404);
    expect((await handler(new Request(`${APP_ORIGIN}/%2e%2e/paddock-protocol-outside.txt`))).status).toBe(404);
  });

  it('resolves only paths inside the root', () => {
    expect(resolveAppAsset(`${APP_ORIGIN}/`, root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppAsset(`${APP_ORIGIN}/assets/app.js`, root)).toBe(path.join(root, 'assets', 'app.js'));
    expect(resolveAppAsset(`${APP_ORIGIN}/..%2f..%2fetc/passwd`, root)).toBeNull();
    expect(resolveAppAsset(`${APP_ORIGIN}/%00`, root)).toBeNull();
    expect(resolveAppAsset('file:///etc/passwd', root)).toBeNull();
  });
});
