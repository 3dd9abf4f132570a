import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { silentLogger } from '../../electron/core/logger';
import { defaultPreferences } from '../../electron/core/store/schema';
import { BRIDGE_PATH, BRIDGE_PROTOCOL_PREFIX } from '../web-host/protocol';
import { startWebHost, type WebHost } from '../web-host/server';

let host: WebHost;
let token: string;

beforeAll(async () => {
  host = await startWebHost({ logger: silentLogger });
  const page = await (await fetch(host.url)).text();
  token = /name="paddock-bridge-token" content="([^"]+)"/.exec(page)?.[1] ?? '';
});
afterAll(() => host?.close());

function connect(options: { origin?: string; token?: string; host?: string } = {}) {
  const headers: Record<string, string> = {};
  if (options.origin !== undefined) headers.Origin = options.origin;
  if (options.host !== undefined) headers.Host = options.host;
  return new WebSocket(`ws://127.0.0.1:${host.port}${BRIDGE_PATH}`, [`${BRIDGE_PROTOCOL_PREFIX}${options.token ?? token}`], { headers });
}

function outcome(ws: WebSocket): Promise<{ open: true } | { open: false; status: number }> {
  return new Promise((resolve) => {
    ws.once('open', () => resolve({ open: true }));
    ws.once('unexpected-response', (_req, res) => resolve({ open: false, status: res.statusCode ?? 0 }));
    ws.once('error', () => resolve({ open: false, status: 0 }));
  });
}

function call(ws: WebSocket, id: number, method: string, input: unknown) {
  return new Promise<unknown>((resolve) => {
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString());
      if (message.type === 'result' && message.id === id) resolve(message.envelope);
    });
    ws.send(JSON.stringify({ type: 'call', id, method, input }));
  });
}

describe('web host', () => {
  it('listens on loopback only and serves the page with a strict CSP and a per-launch token', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const response = await fetch(host.url);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('serves a path with doubled slashes as the same path, and stays up', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      request({ host: '127.0.0.1', port: host.port, path: '//', headers: { Host: `127.0.0.1:${host.port}` } }, (res) => resolve(res.statusCode ?? 0)).end();
    });
    expect(status).toBe(200);
    expect((await fetch(host.url)).status).toBe(200);
  });

  it('refuses a page served under another host name (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      request({ host: '127.0.0.1', port: host.port, path: '/', headers: { Host: `attacker.example:${host.port}` } }, (res) => resolve(res.statusCode ?? 0)).end();
    });
    expect(status).toBe(421);
  });

  it('carries calls for the page’s own origin with the token', async () => {
    const ws = connect({ origin: `http://127.0.0.1:${host.port}` });
    expect(await outcome(ws)).toEqual({ open: true });
    expect(await call(ws, 1, 'getPreferences', null)).toEqual({ ok: true, value: defaultPreferences });
    ws.close();
  });

  it('rejects an invalid argument at arrival with a typed error', async () => {
    const ws = connect({ origin: `http://127.0.0.1:${host.port}` });
    await outcome(ws);
    const envelope = (await call(ws, 2, 'updatePreferences', { theme: 'purple' })) as { ok: boolean; error: { code: string; issues: { path: string }[] } };
    expect(envelope.ok).toBe(false);
    expect(envelope.error.code).toBe('invalid-input');
    expect(envelope.error.issues[0]?.path).toBe('theme');
    expect(host.store.get('preferences')).toEqual(defaultPreferences);
    ws.close();
  });

  it('refuses the main process’s own surface: the core has it, the bridge cannot reach it', async () => {
    expect(typeof host.core.main.refreshHosts).toBe('function');
    expect(typeof host.core.main.dispose).toBe('function');
    expect(typeof host.core.main.handleDeepLink).toBe('function');
    const ws = connect({ origin: `http://127.0.0.1:${host.port}` });
    await outcome(ws);
    let id = 10;
    for (const method of ['main', 'refreshHosts', 'dispose', 'handleDeepLink', 'constructor', '__proto__', 'toString']) {
      const envelope = (await call(ws, id++, method, null)) as { ok: boolean; error: { code: string } };
      expect({ method, ok: envelope.ok, code: envelope.error.code }).toEqual({ method, ok: false, code: 'unknown-method' });
    }
    // The page still works, and the core was not stopped.
    expect(await call(ws, id, 'getPreferences', null)).toEqual({ ok: true, value: defaultPreferences });
    ws.close();
  });

  it.each<[string, { origin?: string; token?: string; host?: string }, number]>([
    ['another origin', { origin: 'http://evil.example' }, 403],
    ['no origin (not a browser page)', {}, 403],
    ['localhost instead of 127.0.0.1', { origin: 'http://localhost:1' }, 403],
    ['a wrong token', { origin: 'self', token: 'x'.repeat(43) }, 401],
    ['an empty token', { origin: 'self', token: '' }, 401],
    ['a rebinding host name', { origin: 'self', host: 'attacker.example' }, 421],
  ])('refuses a bridge connection from %s', async (_name, options, status) => {
    const resolved = { ...options, origin: options.origin === 'self' ? `http://127.0.0.1:${host.port}` : options.origin };
    expect(await outcome(connect(resolved))).toEqual({ open: false, status });
  });

  it('closes a connection that sends something other than a bridge message', async () => {
    const ws = connect({ origin: `http://127.0.0.1:${host.port}` });
    await outcome(ws);
    const code = await new Promise<number>((resolve) => {
      ws.once('close', (closeCode) => resolve(closeCode));
      ws.send('{"type":"evil"}');
    });
    expect(code).toBe(1008);
  });
});
