// OAuth attempts end to end through the web host's core and a real local runner against the
// provider simulators (PRODUCT A1, issue 9 points 1, 3, 8): GitHub through the loopback
// listener, Azure DevOps through the paddock:// hand-off, the pasted address, an unknown
// state, and Cancel. The consent page is opened the way the web host's tab opens it.
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { OAuthAttempt, SimulatedProvider } from '../../electron/common/api';
import type { AppJobEvent } from '../../electron/core/jobs';
import { sealClientSecret, type ProviderInput } from '../../electron/common/provider-config';
import { silentLogger } from '../../electron/core/logger';
import { BRIDGE_PATH, BRIDGE_PROTOCOL_PREFIX, serverMessageSchema } from '../web-host/protocol';
import { startWebHost, type WebHost } from '../web-host/server';

const GITHUB = 'https://github.com';
const ADO = 'https://dev.azure.com';

async function localRunner(host: WebHost) {
  for (let i = 0; i < 300; i++) {
    const [local] = await host.core.listRunners();
    if (local?.health.state === 'online' && local.runnerUid && local.publicKey) return { runnerUid: local.runnerUid, publicKey: local.publicKey };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('The local runner did not come online.');
}

/** The entry a person makes from the page's list of simulated providers (OAuth with the listed Client ID and secret). */
async function saveSimulatedEntry(host: WebHost, kind: 'github' | 'azure-devops') {
  const runner = await localRunner(host);
  const info = await host.core.getAppInfo();
  const provider = info.simulation!.providers.find((p: SimulatedProvider) => p.kind === kind && p.fields.some((f) => f.label === 'Host' && f.value === (kind === 'github' ? GITHUB : ADO)))!;
  const field = (label: string) => provider.fields.find((f) => f.label === label)?.value ?? null;
  const hostUrl = field('Host')!;
  const clientId = field('Client ID')!;
  const tenant = field('Tenant');
  const secret = field('Client Secret');
  const organization = field('Organization');
  const input: ProviderInput = {
    kind,
    host: hostUrl,
    organizations: organization ? [{ name: organization, tenant: field('Tenant of the organization')!, tenantOrigin: 'entered' }] : [],
    collections: [],
    oauth: {
      enabled: true,
      clientId,
      tenant,
      clientSecret: secret
        ? { action: 'replace', sealed: sealClientSecret({ runnerId: runner.runnerUid, kind, host: hostUrl, clientId, tenant, secret }, runner.publicKey) }
        : { action: 'none' },
    },
    pat: { enabled: true },
  };
  const result = await host.core.saveProvider({ runnerId: 'local', provider: input, previousHost: null, confirmWarnings: true });
  expect(result.saved, kind).toBe(true);
}

/** Every job event the core relays, to wait on an attempt's end. */
function jobEvents(host: WebHost) {
  const events: AppJobEvent[] = [];
  host.core.onJobEvent((event) => events.push(event as AppJobEvent));
  return {
    events,
    async ended(jobId: string) {
      for (let i = 0; i < 300; i++) {
        const end = events.find((e) => e.jobId === jobId && e.event.type === 'end');
        if (end?.event.type === 'end') return end.event.outcome;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`job ${jobId} did not end`);
    },
  };
}

function get(url: string): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: response.headers }));
      })
      .on('error', reject);
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

const until = async (check: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(await check()).toBe(true);
};

describe.runIf(process.env.PADDOCK_KEYRING_SESSION === '1')('OAuth through the web host (GitHub, loopback)', () => {
  let host: WebHost;
  let watch: ReturnType<typeof jobEvents>;

  beforeAll(async () => {
    host = await startWebHost({ logger: silentLogger, simulate: true, heartbeatMs: 200 });
    watch = jobEvents(host);
    await saveSimulatedEntry(host, 'github');
  }, 60_000);
  afterAll(async () => {
    await host?.close();
  });

  const connect = () => host.core.connectOAuth({ runnerId: 'local', host: GITHUB, organization: null });
  const loopbackPort = (attempt: OAuthAttempt) => Number(new URL(attempt.redirectUri).port);

  it('opens the consent page in a tab, takes the redirect at the loopback listener and ends connected, with a notification', async () => {
    const attempt = await connect();
    expect(attempt.callback).toBe('loopback');
    expect(attempt.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);
    expect(attempt.job.state).toBe('running');

    // The tab got the consent page at the simulator's plain-http twin (a tab does not trust the simulators' CA).
    const opened = host.openedExternally.at(-1)!;
    expect(opened).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/login\/oauth\/authorize\?/);
    expect(new URL(opened).search).toBe(new URL(attempt.authorizeUrl).search);
    const page = await get(opened);
    expect(page.status).toBe(200);
    expect(page.body).toContain('value="allow"');

    const outcome = await host.simulators!.oauth.github.authorize(attempt.authorizeUrl, 'allow');
    expect(outcome.kind).toBe('redirect');
    const location = (outcome as { location: string }).location;
    expect(location.startsWith(`${attempt.redirectUri}?`)).toBe(true);

    const answer = await get(location);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    expect(answer.body).toContain('You can close this tab and return to Paddock.');

    const end = await watch.ended(attempt.job.id);
    expect(end).toMatchObject({ state: 'succeeded', result: { kind: 'oauth-connect', token: { host: GITHUB, method: 'oauth', account: 'sam' } } });
    await until(async () => (await host.core.listHosts()).find((h) => h.host === GITHUB)?.connections[0]?.account === 'sam');
    expect((await host.core.listHosts()).find((h) => h.host === GITHUB)?.connections[0]).toMatchObject({ state: 'connected', source: 'oauth', account: 'sam' });
    await until(() => host.notifications.length > 0);
    expect(host.notifications.at(-1)).toEqual({ title: 'GitHub is now connected', body: 'Signed in as sam. You can now create environments from its repositories.', clickable: true });
    // The listener existed only during the attempt.
    await until(() => refused(loopbackPort(attempt)));
  }, 30_000);

  it('asks the connected page to open the consent page in a new tab', async () => {
    const page = await (await fetch(host.url)).text();
    const token = /name="paddock-bridge-token" content="([^"]+)"/.exec(page)?.[1] ?? '';
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}${BRIDGE_PATH}`, [`${BRIDGE_PROTOCOL_PREFIX}${token}`], { headers: { Origin: `http://127.0.0.1:${host.port}` } });
    const messages: unknown[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(data.toString())));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    try {
      const attempt = await connect();
      await until(() => messages.some((m) => (m as { type: string }).type === 'open-external'));
      const message = serverMessageSchema.parse(messages.find((m) => (m as { type: string }).type === 'open-external'));
      expect(message).toEqual({ type: 'open-external', url: host.openedExternally.at(-1) });
      await host.core.cancelJob({ runnerId: 'local', jobId: attempt.job.id });
    } finally {
      ws.close();
    }
  }, 30_000);

  it('finishes with the address the user pasted', async () => {
    const attempt = await connect();
    const outcome = await host.simulators!.oauth.github.authorize(attempt.authorizeUrl, 'allow');
    const location = (outcome as { location: string }).location;
    expect(await host.core.completeOAuth({ url: `  ${location}\n` })).toEqual({ matched: true });
    expect(await watch.ended(attempt.job.id)).toMatchObject({ state: 'succeeded' });
    await until(() => refused(loopbackPort(attempt)));
    // The same address again belongs to no attempt any more.
    expect(await host.core.completeOAuth({ url: location })).toEqual({ matched: false });
  }, 30_000);

  it('ignores a callback whose state is no attempt’s, and the attempt goes on', async () => {
    const attempt = await connect();
    const page = await get(`${attempt.redirectUri}?code=someone-elses-code&state=${'x'.repeat(43)}`);
    expect(page.status).toBe(400);
    expect(await host.core.completeOAuth({ url: `paddock://oauth/callback?code=c&state=${'y'.repeat(43)}` })).toEqual({ matched: false });
    expect((await host.core.getJob({ runnerId: 'local', jobId: attempt.job.id })).state).toBe('running');
    expect(await refused(loopbackPort(attempt))).toBe(false);
    await host.core.cancelJob({ runnerId: 'local', jobId: attempt.job.id });
  }, 30_000);

  it('says what to paste when the address is not a callback', async () => {
    await expect(host.core.completeOAuth({ url: 'https://github.com/settings' })).rejects.toMatchObject({ code: 'invalid-input' });
  });

  it('ends on Cancel: the job is cancelled on the runner and the listener is gone', async () => {
    const attempt = await connect();
    expect(await refused(loopbackPort(attempt))).toBe(false);
    const cancelled = await host.core.cancelJob({ runnerId: 'local', jobId: attempt.job.id });
    expect(cancelled.state).toBe('cancelled');
    await until(() => refused(loopbackPort(attempt)));
    // The consent page pressed after Cancel leads nowhere.
    const outcome = await host.simulators!.oauth.github.authorize(attempt.authorizeUrl, 'allow');
    const location = (outcome as { location: string }).location;
    expect(await host.core.completeOAuth({ url: location })).toEqual({ matched: false });
  }, 30_000);
});

describe.runIf(process.env.PADDOCK_KEYRING_SESSION === '1')('OAuth through the web host (Azure DevOps, paddock://)', () => {
  let host: WebHost;
  let watch: ReturnType<typeof jobEvents>;

  beforeAll(async () => {
    host = await startWebHost({ logger: silentLogger, simulate: true, heartbeatMs: 200, customSchemeHandled: true });
    watch = jobEvents(host);
    await saveSimulatedEntry(host, 'azure-devops');
  }, 60_000);
  afterAll(async () => {
    await host?.close();
  });

  it('hands the provider’s paddock:// redirect to the attempt and ends connected for the organization', async () => {
    const attempt = await host.core.connectOAuth({ runnerId: 'local', host: ADO, organization: 'contoso' });
    expect(attempt).toMatchObject({ callback: 'custom-scheme', redirectUri: 'paddock://oauth/callback' });
    const outcome = await host.simulators!.oauth.entra.authorize(attempt.authorizeUrl, 'allow');
    expect(outcome.kind).toBe('redirect');
    const location = (outcome as { location: string }).location;
    expect(location.startsWith('paddock://oauth/callback?')).toBe(true);
    expect(await host.openDeepLink(location)).toEqual({ status: 'handed', outcome: { handled: true } });
    const end = await watch.ended(attempt.job.id);
    expect(end).toMatchObject({ state: 'succeeded', result: { kind: 'oauth-connect', token: { host: ADO, organization: 'contoso', method: 'oauth' } } });
    const account = end.state === 'succeeded' && end.result.kind === 'oauth-connect' ? end.result.token.account : null;
    await until(async () => (await host.core.listHosts()).find((h) => h.host === ADO)?.connections.find((c) => c.organization === 'contoso')?.state === 'connected');
    await until(() => host.notifications.length > 0);
    expect(host.notifications.at(-1)).toEqual({ title: 'Azure DevOps (contoso) is now connected', body: `Signed in as ${account}. You can now create environments from its repositories.`, clickable: true });
    // The link once more is nobody's.
    expect(await host.openDeepLink(location)).toEqual({ status: 'handed', outcome: { handled: false, reason: 'unknown-state' } });
  }, 30_000);

  it('carries a refusal on the consent page to the attempt, which ends without a token', async () => {
    const attempt = await host.core.connectOAuth({ runnerId: 'local', host: ADO, organization: 'contoso' });
    const outcome = await host.simulators!.oauth.entra.authorize(attempt.authorizeUrl, 'deny');
    const location = (outcome as { location: string }).location;
    const before = host.notifications.length;
    expect(await host.openDeepLink(location)).toEqual({ status: 'handed', outcome: { handled: true } });
    expect(await watch.ended(attempt.job.id)).toMatchObject({ state: 'failed' });
    expect(host.notifications.length).toBe(before);
  }, 30_000);
});
