// A remote runner's own https callback (issue 9 point 1): offered only when the runner's
// certificate is its admin's own (--tls-cert), which browsers trust; the browser's redirect
// then reaches the runner straight at GET /oauth/callback, and the attempt ends there with
// the token. A self-signed runner never offers it, and its /oauth/callback is not there.
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderInput } from '../../electron/common/provider-config';
import { callbackOptions, callbackRunnerOf } from '../../electron/common/providers';
import { createTestCore } from '../helpers/core';
import { SIMULATED_OAUTH, SIMULATED_USER, startProviderSimulators, type ProviderSimulators } from '../helpers/provider-simulators';
import { registerWorkstation, runnerCall, startRemoteRunner, type RemoteRunnerHandle } from '../helpers/remote-runner';

const PUBLIC = 'https://runner.example.com:8443';
const CALLBACK = `${PUBLIC}/oauth/callback`;
const GITLAB = 'https://gitlab.com';

let sims: ProviderSimulators;
let trusted: RemoteRunnerHandle;
let selfSigned: RemoteRunnerHandle;
/** The trusted runner where it really listens (its public name does not resolve here). */
let direct: RemoteRunnerHandle;

/** A browser's GET of the redirect's address: the runner's page, reached at its real address with its public Host. */
function browserGet(target: string): Promise<{ status: number; text: string; headers: Record<string, unknown> }> {
  const url = new URL(target);
  const real = new URL(direct.url);
  return new Promise((resolve, reject) => {
    const request = https.request(
      { host: real.hostname, port: real.port, method: 'GET', path: `${url.pathname}${url.search}`, rejectUnauthorized: false, headers: { Host: url.host } },
      (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text, headers: response.headers }));
      },
    );
    request.on('error', reject);
    request.end();
  });
}

const gitlab: ProviderInput = {
  kind: 'gitlab',
  host: GITLAB,
  organizations: [],
  collections: [],
  oauth: { enabled: true, clientId: SIMULATED_OAUTH.gitlab.clientId, tenant: null, clientSecret: { action: 'none' } },
  pat: { enabled: true },
};

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

beforeAll(async () => {
  sims = await startProviderSimulators({ oauthRedirectUris: [CALLBACK] });
  const { loadOrCreateTlsKey, selfSignedCertificate } = await import('../../electron/runner/tls');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-admin-cert-'));
  const key = loadOrCreateTlsKey(dir);
  fs.writeFileSync(path.join(dir, 'cert.pem'), await selfSignedCertificate(key, ['runner.example.com', '127.0.0.1']));
  fs.writeFileSync(path.join(dir, 'key.pem'), key);
  // The admin's own certificate stands for a publicly trusted one: what matters is that the admin gave it.
  trusted = await startRemoteRunner({
    extraArgs: [...sims.runnerArgs, '--tls-cert', path.join(dir, 'cert.pem'), '--tls-key', path.join(dir, 'key.pem'), '--public-url', PUBLIC],
    env: { ...process.env, ...sims.runnerEnv },
  });
  const { listen } = JSON.parse(fs.readFileSync(path.join(trusted.dataDir, 'runner.json'), 'utf8')).remote;
  direct = { ...trusted, url: `https://${listen}` };
  selfSigned = await startRemoteRunner({ extraArgs: sims.runnerArgs, env: { ...process.env, ...sims.runnerEnv } });
}, 90_000);

afterAll(async () => {
  await Promise.all([trusted?.stop(), selfSigned?.stop(), sims?.close()]);
});

describe('a remote runner’s own https callback', () => {
  it('is offered by a runner with its admin’s certificate, and ends the attempt when the browser comes back to it', async () => {
    const admin = await registerWorkstation(direct, 'admin', 'admin-ws');
    const status = await runnerCall(direct, admin.apiToken, 'GET', '/v1/status');
    expect(status.body.oauthCallback).toBe(CALLBACK);
    const saved = await runnerCall(direct, admin.apiToken, 'PUT', '/v1/providers', { provider: gitlab, previousHost: null, confirmWarnings: true });
    expect(saved.body.saved, JSON.stringify(saved.body)).toBe(true);

    const started = await runnerCall(direct, admin.apiToken, 'POST', '/v1/jobs', { kind: 'oauth-connect', host: GITLAB, organization: null, redirectUri: CALLBACK });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const id = (started.body.job as { id: string }).id;
    const job = async () => (await runnerCall(direct, admin.apiToken, 'GET', `/v1/jobs/${id}`)).body.job as { state: string; progress: { progress: { step?: string; authorizeUrl?: string } }[]; outcome: { state: string; result?: { token: { account: string } } } | null };
    const authorizeUrl = await until('the authorize URL', async () => (await job()).progress.find((p) => p.progress.step === 'authorize')?.progress.authorizeUrl);
    expect(new URL(authorizeUrl).searchParams.get('redirect_uri')).toBe(CALLBACK);

    const outcome = await sims.oauth.gitlab.authorize(authorizeUrl, 'allow');
    if (outcome.kind !== 'redirect') throw new Error(`expected a redirect, got ${outcome.status}`);
    expect(outcome.location.startsWith(`${CALLBACK}?`)).toBe(true);
    const page = await browserGet(outcome.location);
    expect(page.status).toBe(200);
    expect(page.text).toContain('You can close this tab and return to Paddock.');
    expect(page.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    // The page never repeats the code or the state.
    const query = new URL(outcome.location).searchParams;
    expect(page.text).not.toContain(query.get('code')!);
    expect(page.text).not.toContain(query.get('state')!);

    const ended = await until('the attempt’s end', async () => {
      const view = await job();
      return view.state !== 'running' && view;
    });
    expect(ended.outcome, JSON.stringify(ended.outcome)).toMatchObject({ state: 'succeeded', result: { token: { account: SIMULATED_USER.username } } });

    // The same address again: the state was used; the page says so and nothing changes.
    const replay = await browserGet(outcome.location);
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('This sign-in is not in progress');
    // Not a callback at all.
    expect((await browserGet(`${CALLBACK}?foo=bar`)).status).toBe(400);
  });

  it('reaches the app: its runner view carries the callback only for the runner that offers one', async () => {
    const app = createTestCore();
    try {
      const added = await app.core.addRemoteRunner({ url: direct.url, token: await trusted.createToken('1h', 'user'), name: 'Trusted', spki: trusted.spki });
      const plain = await app.core.addRemoteRunner({ url: selfSigned.url, token: await selfSigned.createToken('1h', 'user'), name: 'Self-signed', spki: selfSigned.spki });
      const view = await until('the trusted runner online', async () => {
        const runner = await app.core.getRunner({ id: added.id });
        return runner.health.state === 'online' && runner;
      });
      expect(view.oauthCallback).toBe(CALLBACK);
      expect(callbackOptions('gitlab', callbackRunnerOf(view))[0]).toMatchObject({ kind: 'runner-https', url: CALLBACK });
      const other = await until('the self-signed runner online', async () => {
        const runner = await app.core.getRunner({ id: plain.id });
        return runner.health.state === 'online' && runner;
      });
      expect(other.oauthCallback).toBeUndefined();
      expect(callbackOptions('gitlab', callbackRunnerOf(other)).map((o) => o.kind)).toEqual(['custom-scheme', 'loopback']);
    } finally {
      await app.core.dispose();
    }
  });

  it('is not offered by a self-signed runner, whose /oauth/callback is not there', async () => {
    const admin = await registerWorkstation(selfSigned, 'admin', 'admin-ws');
    expect((await runnerCall(selfSigned, admin.apiToken, 'GET', '/v1/status')).body.oauthCallback).toBeNull();
    const saved = await runnerCall(selfSigned, admin.apiToken, 'PUT', '/v1/providers', { provider: gitlab, previousHost: null, confirmWarnings: true });
    expect(saved.body.saved).toBe(true);
    const refused = await runnerCall(selfSigned, admin.apiToken, 'POST', '/v1/jobs', { kind: 'oauth-connect', host: GITLAB, organization: null, redirectUri: `${selfSigned.url}/oauth/callback` });
    const id = (refused.body.job as { id: string }).id;
    const view = await until('the refusal', async () => {
      const job = (await runnerCall(selfSigned, admin.apiToken, 'GET', `/v1/jobs/${id}`)).body.job as { state: string; outcome: { error?: { code: string } } | null };
      return job.state !== 'running' && job;
    });
    expect(view.outcome?.error?.code).toBe('invalid-input');
    const url = new URL(selfSigned.url);
    const page = await new Promise<number>((resolve, reject) => {
      https.get({ host: url.hostname, port: url.port, path: '/oauth/callback?code=x&state=y', rejectUnauthorized: false, headers: { Host: url.host } }, (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      }).on('error', reject);
    });
    expect(page).toBe(404);
  });
});
