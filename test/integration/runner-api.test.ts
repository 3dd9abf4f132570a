import { createHash, createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Keytar from '@github/keytar';
import { RUNNER_MAX_BODY_BYTES } from '../../electron/common/runner-api';
import { runnerCli, startRemoteRunner, type RemoteRunnerHandle } from '../helpers/remote-runner';

interface Raw {
  status: number;
  body: { error?: { code: string; message: string } } & Record<string, unknown>;
}

function raw(runner: RemoteRunnerHandle, options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<Raw> {
  const url = new URL(runner.url);
  return new Promise((resolve, reject) => {
    const request = https.request(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? 'GET',
        path: options.path,
        rejectUnauthorized: false,
        headers: { Host: url.host, ...(options.body ? { 'Content-Type': 'application/json' } : {}), ...options.headers },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : {} }));
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

const json = (value: unknown) => JSON.stringify(value);
const tokenIdOf = (token: string) => createHash('sha256').update(token).digest('hex').slice(0, 16);
const nonce = () => randomBytes(32).toString('base64');

async function register(runner: RemoteRunnerHandle, name = 'ws-1') {
  const token = await runner.createToken();
  const result = await raw(runner, { method: 'POST', path: '/v1/registration', body: json({ token, name }) });
  expect(result.status).toBe(201);
  return { token, ...(result.body as { clientId: string; apiToken: string; publicKey: string }) };
}

let runner: RemoteRunnerHandle;
let other: RemoteRunnerHandle;

beforeAll(async () => {
  [runner, other] = await Promise.all([startRemoteRunner(), startRemoteRunner()]);
});
afterAll(async () => {
  await Promise.all([runner?.stop(), other?.stop()]);
});

describe('runner API rules (remote mode, file secret store)', () => {
  it('answers a bare GET /v1/health without a token', async () => {
    expect(await raw(runner, { path: '/v1/health' })).toEqual({ status: 200, body: { status: 'ok', version: expect.any(String), apiVersion: 1 } });
  });

  it.each([
    ['no Authorization header', {}],
    ['a wrong token', { Authorization: `Bearer prk_${'A'.repeat(43)}` }],
    ['a token of another length', { Authorization: 'Bearer x' }],
    ['another scheme', { Authorization: 'Basic dXNlcjpwYXNz' }],
  ])('refuses /v1/status with %s (401)', async (_name, headers) => {
    const result = await raw(runner, { path: '/v1/status', headers });
    expect(result.status).toBe(401);
    expect(result.body.error?.code).toBe('unauthorized');
  });

  it('accepts a registered client’s token on /v1/status', async () => {
    const { apiToken, publicKey } = await register(runner);
    const result = await raw(runner, { path: '/v1/status', headers: { Authorization: `Bearer ${apiToken}` } });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ mode: 'remote', publicKey, spki: runner.spki, secretStore: 'file', apiVersion: 1 });
  });

  it('refuses a Host header that is not its own name or an IP address (DNS rebinding)', async () => {
    const refused = await raw(runner, { path: '/v1/health', headers: { Host: 'attacker.example' } });
    expect(refused.status).toBe(403);
    expect(refused.body.error?.message).toContain('attacker.example');
    expect((await raw(runner, { path: '/v1/health', headers: { Host: '127.0.0.1' } })).status).toBe(200);
    expect((await raw(runner, { path: '/v1/health', headers: { Host: 'localhost:1234' } })).status).toBe(200);
  });

  it('refuses any request that carries an Origin header (a web page)', async () => {
    const result = await raw(runner, { path: '/v1/health', headers: { Origin: 'https://evil.example' } });
    expect(result.status).toBe(403);
    expect(result.body.error?.code).toBe('forbidden');
  });

  it('answers 413 to a body over the limit, and keeps serving', async () => {
    const big = json({ nonce: 'x'.repeat(RUNNER_MAX_BODY_BYTES), tokenId: '0'.repeat(16) });
    const result = await raw(runner, { method: 'POST', path: '/v1/registration/challenge', body: big });
    expect(result.status).toBe(413);
    expect(result.body.error?.code).toBe('payload-too-large');
    expect((await raw(runner, { path: '/v1/health' })).status).toBe(200);
  });

  it('answers 400 to invalid JSON and to a body that fails its schema, naming the field', async () => {
    const invalid = await raw(runner, { method: 'POST', path: '/v1/registration', body: '{"token": ' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error?.message).toMatch(/not valid JSON/);
    const missing = await raw(runner, { method: 'POST', path: '/v1/registration', body: json({ token: 'prt1_xxxxxxxxxxxx' }) });
    expect(missing.status).toBe(400);
    expect(missing.body.error?.message).toMatch(/name/);
    const extra = await raw(runner, { method: 'POST', path: '/v1/registration/challenge', body: json({ nonce: nonce(), tokenId: 'zz' }) });
    expect(extra.status).toBe(400);
    expect(extra.body.error?.message).toMatch(/tokenId/);
  });

  it('answers 401 to every route without a token, known or not, so unauthenticated callers learn nothing about routes', async () => {
    for (const [method, path] of [
      ['GET', '/v2/health'],
      ['GET', '/v1/no-such-route'],
      ['POST', '/v1/hello'], // local mode only
      ['DELETE', '/v1/health'], // a public route, another method
      ['GET', '/v1/providers'],
      ['DELETE', '/v1/jobs/j_0123456789abcdef0123'],
      ['GET', '/v1/clients'],
    ] as const) {
      const answer = await raw(runner, { method, path });
      expect({ method, path, status: answer.status, code: answer.body.error?.code }).toEqual({ method, path, status: 401, code: 'unauthorized' });
    }
  });

  it('answers 404 and 405 for unknown routes and methods once authenticated, and refuses a mismatched API version', async () => {
    const { apiToken } = await register(runner, 'router');
    const headers = { Authorization: `Bearer ${apiToken}` };
    expect((await raw(runner, { path: '/v2/health', headers })).status).toBe(404);
    expect((await raw(runner, { path: '/v1/hello', method: 'POST', headers, body: json({ nonce: nonce() }) })).status).toBe(404); // local mode only
    const wrongMethod = await raw(runner, { method: 'DELETE', path: '/v1/health', headers });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.body.error?.code).toBe('method-not-allowed');
    const version = await raw(runner, { path: '/v1/health', headers: { 'Paddock-Api-Version': '2' } });
    expect(version.status).toBe(400);
    expect(version.body.error).toMatchObject({ code: 'incompatible-api', message: expect.stringMatching(/v1.*v2|v2.*v1/) });
  });

  it('does not let a workstation set what is managed on a shared runner (PUT /v1/policy is local-only)', async () => {
    const { apiToken } = await register(runner, 'sneaky');
    const result = await raw(runner, { method: 'PUT', path: '/v1/policy', headers: { Authorization: `Bearer ${apiToken}` }, body: json({ providers: [] }) });
    expect(result.status).toBe(404);
  });

  it('keeps serving after a burst of bad requests', async () => {
    const bad = [
      raw(runner, { method: 'POST', path: '/v1/registration', body: '\u0000\u0001' }),
      raw(runner, { path: '/v1/status', headers: { Authorization: 'Bearer ' + 'x'.repeat(300) } }),
      raw(runner, { path: '/%%%' }),
      raw(runner, { method: 'POST', path: '/v1/registration/challenge', body: '[]' }),
    ];
    await Promise.all(bad);
    expect((await raw(runner, { path: '/v1/health' })).status).toBe(200);
  });
});

describe('registration', () => {
  it('proves the token and binds the key: proof = HMAC(SHA-256(token), nonce ‖ spki ‖ publicKey)', async () => {
    const token = await runner.createToken();
    const n = nonce();
    const result = await raw(runner, { method: 'POST', path: '/v1/registration/challenge', body: json({ nonce: n, tokenId: tokenIdOf(token) }) });
    expect(result.status).toBe(200);
    const { proof, publicKey, spki } = result.body as { proof: string; publicKey: string; spki: string };
    expect(spki).toBe(runner.spki);
    expect(publicKey).toBe(runner.publicKey);
    const key = createHash('sha256').update(token).digest();
    expect(proof).toBe(createHmac('sha256', key).update(`${n}\n${spki}\n${publicKey}`).digest('base64'));
  });

  it('a runner with another key cannot produce the proof for a token it did not make', async () => {
    const token = await runner.createToken();
    const result = await raw(other, { method: 'POST', path: '/v1/registration/challenge', body: json({ nonce: nonce(), tokenId: tokenIdOf(token) }) });
    expect(result.status).toBe(401);
    // Even a proof it could compute binds its own key, not the one the app expects.
    expect(other.spki).not.toBe(runner.spki);
  });

  it('gives each workstation its own client and token, once per registration token', async () => {
    const a = await register(runner, 'alice-laptop');
    const b = await register(runner, 'bob-desktop');
    expect(a.clientId).not.toBe(b.clientId);
    expect(a.apiToken).not.toBe(b.apiToken);
    const reused = await raw(runner, { method: 'POST', path: '/v1/registration', body: json({ token: a.token, name: 'mallory' }) });
    expect(reused.status).toBe(401);
    expect(reused.body.error).toMatchObject({ code: 'token-used', message: expect.stringMatching(/already used/) });
  });

  it('refuses an expired token and says so', async () => {
    const token = await runner.createToken('1m');
    const file = path.join(runner.dataDir, 'registrations.json');
    const data = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const r of data.registrations) r.expiresAt = new Date(Date.now() - 1000).toISOString();
    fs.writeFileSync(file, JSON.stringify(data));
    const result = await raw(runner, { method: 'POST', path: '/v1/registration', body: json({ token, name: 'late' }) });
    expect(result.status).toBe(401);
    expect(result.body.error).toMatchObject({ code: 'token-expired', message: expect.stringMatching(/expired/) });
  });

  it('keeps what it stores per client, and a client deleting itself deletes only its own', async () => {
    const a = await register(runner, 'a');
    const b = await register(runner, 'b');
    const vault = path.join(runner.dataDir, 'vault');
    for (const client of [a.clientId, b.clientId]) {
      fs.mkdirSync(path.join(vault, client), { recursive: true });
      fs.writeFileSync(path.join(vault, client, 'token.sealed'), 'x');
    }
    const deleted = await raw(runner, { method: 'DELETE', path: '/v1/clients/self', headers: { Authorization: `Bearer ${a.apiToken}` } });
    expect(deleted).toEqual({ status: 200, body: { ok: true } });
    expect(fs.existsSync(path.join(vault, a.clientId))).toBe(false);
    expect(fs.existsSync(path.join(vault, b.clientId, 'token.sealed'))).toBe(true);
    expect((await raw(runner, { path: '/v1/status', headers: { Authorization: `Bearer ${a.apiToken}` } })).status).toBe(401);
    expect((await raw(runner, { path: '/v1/status', headers: { Authorization: `Bearer ${b.apiToken}` } })).status).toBe(200);
  });

  it('logs none of the secrets it handled', async () => {
    const { token, apiToken } = await register(runner, 'canary-ws');
    await raw(runner, { path: '/v1/status', headers: { Authorization: `Bearer ${apiToken}` } });
    const output = runner.output();
    expect(output).toContain('workstation registered');
    expect(output).not.toContain(token);
    expect(output).not.toContain(apiToken);
    expect(output).not.toContain(token.slice(5, 30));
  });
});

describe('runner CLI', () => {
  it('registration create --json prints token, expiry and the fingerprint the server prints', async () => {
    const { stdout } = await runnerCli(['registration', 'create', '--data-dir', runner.dataDir, '--expires', '2h', '--json']);
    const created = JSON.parse(stdout);
    expect(created).toEqual({ role: 'user', token: expect.stringMatching(/^prt1_[A-Za-z0-9_-]{54}$/), expiresAt: expect.any(String), spki: runner.spki });
    const hours = (new Date(created.expiresAt).getTime() - Date.now()) / 3600_000;
    expect(hours).toBeGreaterThan(1.9);
    expect(hours).toBeLessThanOrEqual(2);
    // Only the hash is stored.
    expect(fs.readFileSync(path.join(runner.dataDir, 'registrations.json'), 'utf8')).not.toContain(created.token);
  });

  it('rejects bad usage with exit code 64 and a message', async () => {
    await expect(runnerCli(['registration', 'create', '--data-dir', runner.dataDir, '--expires', '3d'])).rejects.toMatchObject({
      code: 64,
      stderr: expect.stringMatching(/--expires/),
    });
    await expect(runnerCli(['serve'])).rejects.toMatchObject({ code: 64, stderr: expect.stringMatching(/--data-dir/) });
  });

  it('--help documents every command and flag', async () => {
    const { stdout } = await runnerCli(['--help']);
    for (const word of ['serve', 'registration create', 'status', '--data-dir', '--listen', '--public-url', '--tls-cert', '--tls-key', '--secret-store', '--expires', '--json']) {
      expect(stdout).toContain(word);
    }
  });

  it('status reports identity, fingerprint, workstations and that the server answers', async () => {
    const { stdout } = await runnerCli(['status', '--data-dir', runner.dataDir, '--json']);
    const status = JSON.parse(stdout);
    expect(status).toMatchObject({ publicKey: runner.publicKey, spki: runner.spki, secretStore: 'file', url: runner.url });
    expect(status.server).toMatch(/^answering/);
    expect(status.workstations.length).toBeGreaterThan(0);
  });

  it('keeps the file secret store at 0600 and warns about it at every start', async () => {
    const mode = fs.statSync(path.join(runner.dataDir, 'secret-store.json')).mode & 0o777;
    expect(mode).toBe(0o600);
    expect(runner.output()).toMatch(/Keys are kept in a plain file/);
  });
});

describe('remote mode variants', () => {
  it('uses the admin’s certificate and key when given, and prints that certificate’s fingerprint', async () => {
    const { loadOrCreateTlsKey, selfSignedCertificate, spkiOfCertificate } = await import('../../electron/runner/tls');
    const dir = fs.mkdtempSync(path.join((await import('node:os')).tmpdir(), 'paddock-admin-cert-'));
    const key = loadOrCreateTlsKey(dir);
    const cert = await selfSignedCertificate(key, ['runner.example.com', '127.0.0.1']);
    fs.writeFileSync(path.join(dir, 'cert.pem'), cert);
    fs.writeFileSync(path.join(dir, 'key.pem'), key);
    const admin = await startRemoteRunner({ extraArgs: ['--tls-cert', path.join(dir, 'cert.pem'), '--tls-key', path.join(dir, 'key.pem'), '--public-url', 'https://runner.example.com:8443'] });
    try {
      expect(admin.spki).toBe(spkiOfCertificate(cert));
      expect(admin.output()).toContain('listening on https://runner.example.com:8443');
      // Reach it where it really listens; it answers to its public name and IP addresses, not to other names.
      const { listen } = JSON.parse(fs.readFileSync(path.join(admin.dataDir, 'runner.json'), 'utf8')).remote;
      const direct = { ...admin, url: `https://${listen}` };
      expect((await raw(direct, { path: '/v1/health', headers: { Host: 'runner.example.com:8443' } })).status).toBe(200);
      expect((await raw(direct, { path: '/v1/health' })).status).toBe(200);
      expect((await raw(direct, { path: '/v1/health', headers: { Host: 'other.example.com' } })).status).toBe(403);
      const { stdout } = await runnerCli(['registration', 'create', '--data-dir', admin.dataDir, '--json']);
      expect(JSON.parse(stdout).spki).toBe(admin.spki);
    } finally {
      expect(await admin.stop()).toBe(0);
    }
  });

  it.runIf(process.env.PADDOCK_KEYRING_SESSION === '1')('keeps its keys in the OS keychain by default, and stops cleanly on SIGTERM', async () => {
    const keychained = await startRemoteRunner({ secretStore: 'keychain' });
    expect(fs.existsSync(path.join(keychained.dataDir, 'secret-store.json'))).toBe(false);
    expect(keychained.output()).not.toMatch(/plain file/);
    const { runnerId } = JSON.parse(fs.readFileSync(path.join(keychained.dataDir, 'runner.json'), 'utf8'));
    const keytar = (await import('node:module')).createRequire(import.meta.url)('@github/keytar') as typeof Keytar;
    expect(await keytar.getPassword('dev.paddock.runner', runnerId)).toMatch(/privateKey/);
    expect(await keychained.stop()).toBe(0);
    expect(keychained.output()).toMatch(/runner stopped/);
  });

  it('refuses registration create for a directory that holds no runner (a mistyped --data-dir)', async () => {
    const empty = fs.mkdtempSync(path.join((await import('node:os')).tmpdir(), 'paddock-empty-'));
    await expect(runnerCli(['registration', 'create', '--data-dir', empty])).rejects.toMatchObject({ code: 73, stderr: expect.stringMatching(/holds no runner/) });
    expect(fs.readdirSync(empty)).toEqual([]);
  });
});
