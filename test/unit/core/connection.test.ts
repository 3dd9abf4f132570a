import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateTlsKey, selfSignedCertificate, spkiOfPrivateKey } from '../../../electron/runner/tls';
import { connectTls, parseRunnerUrl, pinnedConnection, SpkiMismatchError } from '../../../electron/core/runners/connection';
import { okResponseSchema } from '../../../electron/common/runner-api';

describe('pinning cannot be switched off by a missing fingerprint', () => {
  it.each(['', 'sha256/short', 'null'])('refuses the pin %j before connecting', async (spki) => {
    await expect(connectTls(new URL('https://127.0.0.1:1'), { spki })).rejects.toBeInstanceOf(SpkiMismatchError);
    await expect(pinnedConnection(new URL('https://127.0.0.1:1'), spki).request({ method: 'GET', path: '/v1/status' }, okResponseSchema)).rejects.toBeInstanceOf(
      SpkiMismatchError,
    );
  });
});

describe('parseRunnerUrl', () => {
  it.each(['https://runner.example.com:8443', 'https://10.0.0.5', 'https://[::1]:8443/'])('accepts %s', (url) => expect(parseRunnerUrl(url).protocol).toBe('https:'));
  it.each([
    ['http://runner.example.com', /https/],
    ['https://user:pw@runner.example.com', /user name or password/],
    ['https://runner.example.com/path', /without a path/],
    ['runner.example.com', /Enter the runner/],
  ])('refuses %s', (url, message) => expect(() => parseRunnerUrl(url)).toThrow(message));
});

describe('kept-alive pinned connections', () => {
  async function tlsServer(port = 0) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-pin-'));
    const key = loadOrCreateTlsKey(dir);
    const cert = await selfSignedCertificate(key, ['127.0.0.1', 'localhost']);
    const seen = { handshakes: 0, requests: 0 };
    const server = https.createServer({ key, cert }, (request, response) => {
      seen.requests++;
      request.resume();
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ ok: true }));
    });
    server.on('secureConnection', () => seen.handshakes++);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    const address = server.address() as AddressInfo;
    const close = () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    return { url: new URL(`https://127.0.0.1:${address.port}`), port: address.port, spki: spkiOfPrivateKey(key), seen, close };
  }

  it('reuses one TLS connection for calls in a row, and checks the pin on every new one before a byte of a request is sent', async () => {
    const first = await tlsServer();
    const connection = pinnedConnection(first.url, first.spki);
    try {
      for (let i = 0; i < 5; i++) await expect(connection.request({ method: 'GET', path: '/v1/status' }, okResponseSchema)).resolves.toEqual({ ok: true });
      expect(first.seen).toEqual({ handshakes: 1, requests: 5 });
      // Another server with another key takes the address: the next (new) connection is refused before any request.
      await first.close();
      const impostor = await tlsServer(first.port);
      try {
        // The mismatch names the impostor's key: the client did reach it, and sent it no request.
        await expect(connection.request({ method: 'GET', path: '/v1/status' }, okResponseSchema)).rejects.toMatchObject({
          name: 'SpkiMismatchError',
          seen: impostor.spki,
          pinned: first.spki,
        });
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(impostor.seen.requests).toBe(0);
      } finally {
        await impostor.close();
      }
    } finally {
      connection.close();
    }
  });

  it('reports a deadline (AbortSignal.timeout) that passes as the runner not answering in time, not as a cancel', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-pin-'));
    const key = loadOrCreateTlsKey(dir);
    const cert = await selfSignedCertificate(key, ['127.0.0.1']);
    // Answers the TLS handshake, never the request.
    const server = https.createServer({ key, cert }, () => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const connection = pinnedConnection(new URL(`https://127.0.0.1:${(server.address() as AddressInfo).port}`), spkiOfPrivateKey(key));
    try {
      await expect(connection.request({ method: 'GET', path: '/v1/status', signal: AbortSignal.timeout(200) }, okResponseSchema)).rejects.toMatchObject({
        name: 'RunnerUnreachableError',
        reason: 'timeout',
      });
    } finally {
      connection.close();
      server.closeAllConnections();
      server.close();
    }
  });

  it('rejects a call whose signal is aborted with a cancelled error, and one already aborted without connecting', async () => {
    const server = await tlsServer();
    const connection = pinnedConnection(server.url, server.spki);
    try {
      const controller = new AbortController();
      controller.abort();
      await expect(connection.request({ method: 'GET', path: '/v1/status', signal: controller.signal }, okResponseSchema)).rejects.toMatchObject({ code: 'cancelled' });
      expect(server.seen.handshakes).toBe(0);
    } finally {
      connection.close();
      await server.close();
    }
  });
});
