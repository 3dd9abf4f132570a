import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type * as Keytar from '@github/keytar';
import { isPaddockError } from '../../electron/common/errors';
import { createCore, type PaddockCore } from '../../electron/core/app-core';
import { keychainCredentialStore } from '../../electron/core/credentials';
import { silentLogger } from '../../electron/core/logger';
import { openStore } from '../../electron/core/store/store';
import { registrationProof } from '../../electron/runner/registrations';
import { loadOrCreateTlsKey, selfSignedCertificate, spkiOfCertificate } from '../../electron/runner/tls';
import { startRemoteRunner, type RemoteRunnerHandle } from '../helpers/remote-runner';

const keytar = createRequire(import.meta.url)('@github/keytar') as typeof Keytar;
const inSession = process.env.PADDOCK_KEYRING_SESSION === '1';

const cores: PaddockCore[] = [];
const runners: RemoteRunnerHandle[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.dispose()));
});
afterAll(async () => {
  await Promise.all(runners.map((r) => r.stop()));
});

function appCore() {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-app-'));
  const store = openStore({ directory, createBackend: (o) => new Conf(o) as never });
  const core = createCore({
    store,
    appInfo: { name: 'Paddock', version: 'test', shell: 'web', platform: process.platform },
    logger: silentLogger,
    credentials: keychainCredentialStore(),
    localRunner: null,
    heartbeatMs: 200,
    workstationName: 'test-workstation',
  });
  cores.push(core);
  return { core, storeFile: path.join(directory, 'paddock.json') };
}

async function runner(options: Parameters<typeof startRemoteRunner>[0] = {}) {
  const handle = await startRemoteRunner(options);
  runners.push(handle);
  return handle;
}

async function rejection(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isPaddockError(error)).toBe(true);
  return error as { code: string; message: string; issues?: { path: string; message: string }[] };
}

const until = async (what: string, probe: () => Promise<boolean>, timeoutMs = 15_000) => {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.runIf(inSession)('adding a remote runner from the app', () => {
  it('probes, shows the fingerprint the runner printed, registers, pins, and keeps the credential in the keychain only', async () => {
    const remote = await runner();
    const { core, storeFile } = appCore();
    const token = await remote.createToken();
    const probe = await core.probeRemoteRunner({ url: remote.url, token });
    expect(probe).toMatchObject({ url: remote.url, spki: remote.spki, publicKey: remote.publicKey, apiVersion: 1 });
    // Probing registers nothing: the token still works.
    const added = await core.addRemoteRunner({ url: remote.url, token, name: 'Build server', spki: probe.spki });
    expect(added).toMatchObject({ name: 'Build server', kind: 'remote', url: remote.url, spki: remote.spki, publicKey: remote.publicKey });
    await until('online', async () => (await core.getRunner({ id: added.id })).health.state === 'online');

    const credential = await keytar.getPassword('dev.paddock.app', `runner:${added.id}`);
    expect(credential).toMatch(/^prk_/);
    const storeText = fs.readFileSync(storeFile, 'utf8');
    expect(storeText).not.toContain(credential);
    expect(JSON.parse(storeText).runners[0]).toMatchObject({ spki: remote.spki, url: remote.url });
    expect(remote.output()).not.toContain(credential!);

    const clients = JSON.parse(fs.readFileSync(path.join(remote.dataDir, 'clients.json'), 'utf8')).clients;
    expect(clients.map((c: { name: string }) => c.name)).toContain('test-workstation');

    // Removing it deletes this workstation's client on the runner and the credential here.
    expect(await core.removeRunner({ id: added.id })).toEqual([]);
    expect(await keytar.getPassword('dev.paddock.app', `runner:${added.id}`)).toBeNull();
    const after = JSON.parse(fs.readFileSync(path.join(remote.dataDir, 'clients.json'), 'utf8')).clients;
    expect(after.find((c: { name: string }) => c.name === 'test-workstation')).toBeUndefined();
  });

  it('gives each workstation its own credential', async () => {
    const remote = await runner();
    const first = appCore().core;
    const second = appCore().core;
    const a = await first.addRemoteRunner({ url: remote.url, token: await remote.createToken(), name: 'R', spki: remote.spki });
    const b = await second.addRemoteRunner({ url: remote.url, token: await remote.createToken(), name: 'R', spki: remote.spki });
    const ta = await keytar.getPassword('dev.paddock.app', `runner:${a.id}`);
    const tb = await keytar.getPassword('dev.paddock.app', `runner:${b.id}`);
    expect(ta).not.toBe(tb);
    expect(JSON.parse(fs.readFileSync(path.join(remote.dataDir, 'clients.json'), 'utf8')).clients).toHaveLength(2);
  });

  it('says which: a used token, a token of another runner, an expired or malformed token, a non-https URL', async () => {
    const remote = await runner();
    const other = await runner();
    const { core } = appCore();
    const token = await remote.createToken();
    await core.addRemoteRunner({ url: remote.url, token, name: 'one', spki: remote.spki });

    const second = appCore().core;
    const used = await rejection(second.probeRemoteRunner({ url: remote.url, token }));
    expect(used.issues?.[0]).toMatchObject({ path: 'token', message: expect.stringMatching(/already used/) });

    const foreign = await rejection(second.probeRemoteRunner({ url: other.url, token: await remote.createToken() }));
    expect(foreign.issues?.[0]).toMatchObject({ path: 'token', message: expect.stringMatching(/does not know/) });

    const malformed = await rejection(second.probeRemoteRunner({ url: remote.url, token: 'hello' }));
    expect(malformed.issues?.[0]?.path).toBe('token');

    const expiredToken = `prt1_${Buffer.concat([Buffer.alloc(8), Buffer.alloc(32, 1)]).toString('base64url')}`;
    const expired = await rejection(second.probeRemoteRunner({ url: remote.url, token: expiredToken }));
    expect(expired.issues?.[0]).toMatchObject({ path: 'token', message: expect.stringMatching(/expired/) });

    const plain = await rejection(second.probeRemoteRunner({ url: remote.url.replace('https:', 'http:'), token }));
    expect(plain.issues?.[0]).toMatchObject({ path: 'url', message: expect.stringMatching(/https/) });

    const nothing = await rejection(second.probeRemoteRunner({ url: `https://127.0.0.1:${await freePort()}`, token: await remote.createToken() }));
    expect(nothing.issues?.[0]).toMatchObject({ path: 'url', message: expect.stringMatching(/Cannot reach/) });
  });

  it('refuses a runner whose key changed: at registration, and in the heartbeat with a clear message', async () => {
    const pinned = await runner();
    const { core } = appCore();
    const added = await core.addRemoteRunner({ url: pinned.url, token: await pinned.createToken(), name: 'Pinned', spki: pinned.spki });
    await until('online', async () => (await core.getRunner({ id: added.id })).health.state === 'online');
    // Reinstall with a new key on the same address.
    const address = new URL(pinned.url);
    await pinned.stop();
    fs.rmSync(path.join(pinned.dataDir, 'tls'), { recursive: true });
    const reinstalled = await runner({ dataDir: pinned.dataDir, listen: `127.0.0.1:${address.port}` });
    expect(reinstalled.spki).not.toBe(pinned.spki);
    await until('failed', async () => (await core.getRunner({ id: added.id })).health.state === 'failed');
    const health = (await core.getRunner({ id: added.id })).health;
    expect(health.message).toMatch(/different key/);
    expect(health.message).toContain(reinstalled.spki);

    const stale = await rejection(appCore().core.addRemoteRunner({ url: reinstalled.url, token: await reinstalled.createToken(), name: 'x', spki: pinned.spki }));
    expect(stale.code).toBe('forbidden');
    expect(stale.message).toMatch(/different key/);
  });

  it('shows a runner that stops answering as offline, keeping when it was last seen', async () => {
    const remote = await runner();
    const { core } = appCore();
    const added = await core.addRemoteRunner({ url: remote.url, token: await remote.createToken(), name: 'Flaky', spki: remote.spki });
    await until('online', async () => (await core.getRunner({ id: added.id })).health.state === 'online');
    await remote.stop();
    await until('offline', async () => (await core.getRunner({ id: added.id })).health.state === 'offline');
    const health = (await core.getRunner({ id: added.id })).health;
    expect(health.lastSeen).not.toBeNull();
    expect(health.message).toMatch(/Cannot reach|not answering|ECONNREFUSED/);
    const refused = await rejection(core.removeRunner({ id: added.id }));
    expect(refused.code).toBe('runner-unavailable');
    expect(await core.removeRunner({ id: added.id, force: true })).toEqual([]);
  });

  it('refuses a runner that speaks another API version, with a clear message', async () => {
    // A stand-in for a future runner: it passes the registration proof (the test made the token) but speaks API v2.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-future-'));
    const key = loadOrCreateTlsKey(dir);
    const cert = await selfSignedCertificate(key, ['127.0.0.1']);
    const spki = spkiOfCertificate(cert);
    const publicKey = Buffer.alloc(32, 9).toString('base64');
    const token = `prt1_${Buffer.concat([Buffer.from((Date.now() + 3600_000).toString(16).padStart(16, '0'), 'hex'), Buffer.alloc(32, 3)]).toString('base64url')}`;
    const tokenHash = createHash('sha256').update(token).digest('hex');
    const future = https.createServer({ key, cert }, (req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        if (req.url === '/v1/registration/challenge') {
          const { nonce } = JSON.parse(body);
          res.end(JSON.stringify({ proof: registrationProof(tokenHash, nonce, spki, publicKey), publicKey, spki }));
        } else {
          res.end(JSON.stringify({ status: 'ok', version: '9.0.0', apiVersion: 2 }));
        }
      });
    });
    await new Promise<void>((resolve) => future.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(future.address() as net.AddressInfo).port}`;
    const { core } = appCore();
    const error = await rejection(core.probeRemoteRunner({ url, token }));
    expect(error.code).toBe('incompatible-api');
    expect(error.message).toMatch(/speaks runner API v2; this app speaks v1/);
    future.close();
  });
});

describe.runIf(inSession)('a man in the middle', () => {
  it('a TLS relay with its own key between the app and a real runner cannot pass the registration proof', async () => {
    const tls = await import('node:tls');
    const remote = await runner();
    const target = new URL(remote.url);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-relay-'));
    const key = loadOrCreateTlsKey(dir);
    const cert = await selfSignedCertificate(key, ['127.0.0.1']);
    const relay = tls.createServer({ key, cert }, (client) => {
      const upstream = tls.connect({ host: target.hostname, port: Number(target.port), rejectUnauthorized: false });
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const relayUrl = `https://127.0.0.1:${(relay.address() as net.AddressInfo).port}`;
    const { core } = appCore();
    const token = await remote.createToken();
    const error = await rejection(core.probeRemoteRunner({ url: relayUrl, token }));
    expect(error.code).toBe('forbidden');
    expect(error.message).toMatch(/could not prove/);
    // Even with the relay's fingerprint "confirmed", registration fails the same way, and the token stays unused.
    const forced = await rejection(core.addRemoteRunner({ url: relayUrl, token, name: 'relay', spki: spkiOfCertificate(cert) }));
    expect(forced.code).toBe('forbidden');
    const added = await core.addRemoteRunner({ url: remote.url, token, name: 'direct', spki: remote.spki });
    expect(added.spki).toBe(remote.spki);
    relay.close();
  });
});
