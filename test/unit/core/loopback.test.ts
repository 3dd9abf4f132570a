import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PaddockError } from '../../../electron/common/errors';
import { loopbackPageCsp, loopbackPageHtml, openLoopbackListener, type LoopbackListener } from '../../../electron/core/loopback';

function get(
  port: number,
  target: string,
  options: { method?: string; host?: string; address?: string } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: options.address ?? '127.0.0.1', port, path: target, method: options.method ?? 'GET', headers: { Host: options.host ?? `127.0.0.1:${port}` }, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    request.on('error', reject);
    request.end();
  });
}

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

/** Whether this computer has an IPv6 loopback address. */
const ipv6 = await new Promise<boolean>((resolve) => {
  const probe = net.createServer();
  probe.once('error', () => resolve(false));
  probe.listen(0, '::1', () => probe.close(() => resolve(true)));
});

const open: LoopbackListener[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((listener) => listener.close()));
});

describe('the loopback listener', () => {
  it('takes a free port, hands the query of GET /oauth/callback over and answers with a self-contained page', async () => {
    const queries: (string | null)[] = [];
    const listener = await openLoopbackListener({
      host: '127.0.0.1',
      port: null,
      path: '/oauth/callback',
      onCallback: async (query) => {
        queries.push(query);
        return { status: 200, title: 'Signed in', message: 'You can close this tab and return to Paddock.' };
      },
    });
    open.push(listener);
    expect(listener.port).toBeGreaterThan(0);
    const answer = await get(listener.port, '/oauth/callback?code=abc&state=xyz');
    expect(queries).toEqual(['code=abc&state=xyz']);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.body).toContain('You can close this tab and return to Paddock.');
    // Nothing is loaded from elsewhere: no script, no link, no src.
    expect(answer.body).not.toMatch(/<script|<link|src=|href=/i);
  });

  it('answers only GET of the callback path, addressed to itself', async () => {
    let calls = 0;
    const listener = await openLoopbackListener({
      host: 'localhost',
      port: null,
      path: '/oauth/callback',
      onCallback: async () => {
        calls += 1;
        return { status: 200, title: 't', message: 'm' };
      },
    });
    open.push(listener);
    expect((await get(listener.port, '/oauth/callback?code=a&state=b', { method: 'POST' })).status).toBe(405);
    expect((await get(listener.port, '/other?code=a&state=b')).status).toBe(404);
    expect((await get(listener.port, '/oauth/callback/x?code=a')).status).toBe(404);
    // DNS rebinding: a page on another name gets nothing.
    expect((await get(listener.port, '/oauth/callback?code=a&state=b', { host: `evil.example:${listener.port}` })).status).toBe(421);
    expect(calls).toBe(0);
    // Both names of the callback work.
    expect((await get(listener.port, '/oauth/callback?code=a&state=b', { host: `localhost:${listener.port}` })).status).toBe(200);
    expect((await get(listener.port, '/oauth/callback')).status).toBe(200);
    expect(calls).toBe(2);
  });

  it('refuses connections once closed', async () => {
    const listener = await openLoopbackListener({ host: '127.0.0.1', port: null, path: '/oauth/callback', onCallback: async () => ({ status: 200, title: 't', message: 'm' }) });
    expect(await refused(listener.port)).toBe(false);
    await listener.close();
    expect(listener.closed).toBe(true);
    expect(await refused(listener.port)).toBe(true);
    await listener.close();
  });

  it('still answers the request being handled when it closes meanwhile', async () => {
    const holder: { listener?: LoopbackListener } = {};
    const listener = await openLoopbackListener({
      host: '127.0.0.1',
      port: null,
      path: '/oauth/callback',
      onCallback: async () => {
        void holder.listener!.close();
        return { status: 200, title: 'Signed in', message: 'You can close this tab and return to Paddock.' };
      },
    });
    holder.listener = listener;
    const answer = await get(listener.port, '/oauth/callback?code=a&state=b');
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('return to Paddock');
    expect(await refused(listener.port)).toBe(true);
  });

  it('says clearly when a fixed port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const error = await openLoopbackListener({ host: 'localhost', port, path: '/oauth/callback', onCallback: async () => ({ status: 200, title: 't', message: 'm' }) }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PaddockError);
      expect((error as PaddockError).code).toBe('conflict');
      expect((error as PaddockError).message).toContain(`Port ${port}`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  // Browsers resolve "localhost" to ::1 first on most systems: another program must not be able to take that address.
  it.skipIf(!ipv6)('for a callback to localhost holds the port on ::1 too, and answers there (skipped on a computer without IPv6)', async () => {
    const queries: (string | null)[] = [];
    const listener = await openLoopbackListener({
      host: 'localhost',
      port: null,
      path: '/oauth/callback',
      onCallback: async (query) => {
        queries.push(query);
        return { status: 200, title: 't', message: 'm' };
      },
    });
    open.push(listener);
    const answer = await get(listener.port, '/oauth/callback?code=c&state=s', { address: '::1', host: `localhost:${listener.port}` });
    expect(answer.status).toBe(200);
    expect(queries).toEqual(['code=c&state=s']);
    // Nobody else can listen there meanwhile.
    const squatter = net.createServer();
    const taken = await new Promise<string | null>((resolve) => {
      squatter.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      squatter.listen({ port: listener.port, host: '::1', exclusive: true }, () => squatter.close(() => resolve(null)));
    });
    expect(taken).toBe('EADDRINUSE');
    await listener.close();
    expect(await refused(listener.port)).toBe(true);
  });

  it.skipIf(!ipv6)('refuses a fixed port another program holds on ::1 only (skipped on a computer without IPv6)', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '::1', () => resolve()));
    const port = (squatter.address() as net.AddressInfo).port;
    try {
      const error = await openLoopbackListener({ host: 'localhost', port, path: '/oauth/callback', onCallback: async () => ({ status: 200, title: 't', message: 'm' }) }).catch(
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'conflict' });
      // And 127.0.0.1 is free again afterwards.
      expect(await refused(port)).toBe(true);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it.skipIf(!ipv6)('for a callback to 127.0.0.1 holds 127.0.0.1 only (skipped on a computer without IPv6)', async () => {
    const listener = await openLoopbackListener({ host: '127.0.0.1', port: null, path: '/oauth/callback', onCallback: async () => ({ status: 200, title: 't', message: 'm' }) });
    open.push(listener);
    const other = net.createServer();
    await new Promise<void>((resolve, reject) => {
      other.once('error', reject);
      other.listen({ port: listener.port, host: '::1', exclusive: true }, () => resolve());
    });
    await new Promise((resolve) => other.close(resolve));
  });

  it('uses the fixed port it is given', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const listener = await openLoopbackListener({ host: 'localhost', port, path: '/oauth/callback', onCallback: async () => ({ status: 200, title: 't', message: 'm' }) });
    open.push(listener);
    expect(listener.port).toBe(port);
  });

  it('escapes what it writes into the page', () => {
    const html = loopbackPageHtml({ status: 200, title: '<b>GitHub</b>', message: 'a & "b"' });
    expect(html).toContain('&lt;b&gt;GitHub&lt;/b&gt;');
    expect(html).toContain('a &amp; &quot;b&quot;');
    expect(loopbackPageCsp).toBe("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
  });
});
