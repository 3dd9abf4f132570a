import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedProvider } from '../../electron/common/api';
import { sealClientSecret, type ProviderInput } from '../../electron/common/provider-config';
import { catalogueEntry, expandUrl, hostValues } from '../../electron/common/providers';
import { createApiDispatcher } from '../../electron/core/api/dispatcher';
import { silentLogger } from '../../electron/core/logger';
import { startWebHost, type WebHost } from '../web-host/server';

// `npm run dev:web -- --simulate`: the web host starts the provider
// simulators, points its local runner at them and tells the page what to
// enter. What the page lists must work: every provider entry it describes
// saves with a passing validation, and every token it lists is accepted.

describe('web host without --simulate', () => {
  it('starts no simulators and tells the page so', async () => {
    const host = await startWebHost({ logger: silentLogger, localRunner: false });
    try {
      expect(host.simulators).toBeNull();
      expect(await createApiDispatcher(host.core, silentLogger).call('getAppInfo', null)).toMatchObject({ ok: true, value: { shell: 'web', simulation: null } });
    } finally {
      await host.close();
    }
  });
});

describe.runIf(process.env.PADDOCK_KEYRING_SESSION === '1')('web host with --simulate', () => {
  let host: WebHost;
  let call: (method: string, input: unknown) => Promise<unknown>;
  let providers: SimulatedProvider[];

  beforeAll(async () => {
    host = await startWebHost({ logger: silentLogger, simulate: true, heartbeatMs: 200 });
    const dispatcher = createApiDispatcher(host.core, silentLogger);
    call = (method, input) => dispatcher.call(method, input);
    // Through the dispatcher, so the answer is checked against the AppInfo schema as the page receives it.
    const info = (await call('getAppInfo', null)) as { ok: true; value: { simulation: { providers: SimulatedProvider[] } | null } };
    expect(info.ok).toBe(true);
    providers = info.value.simulation?.providers ?? [];
  });
  let closed = false;
  afterAll(async () => {
    if (!closed) await host?.close();
  });

  async function localRunner() {
    for (let i = 0; i < 200; i++) {
      const [local] = await host.core.listRunners();
      if (local?.health.state === 'online' && local.runnerUid && local.publicKey) return { runnerUid: local.runnerUid, publicKey: local.publicKey };
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('The local runner did not come online.');
  }

  const field = (provider: SimulatedProvider, label: string) => provider.fields.find((f) => f.label === label)?.value ?? null;

  /** The entry a person makes from the page's list: every field as listed, OAuth where a Client ID is given, PAT on. */
  function entryFor(provider: SimulatedProvider, runner: { runnerUid: string; publicKey: string }): ProviderInput {
    const host = field(provider, 'Host')!;
    const clientId = field(provider, 'Client ID');
    const tenant = field(provider, 'Tenant');
    const secret = field(provider, 'Client Secret');
    const organization = field(provider, 'Organization');
    const collection = field(provider, 'Collection');
    return {
      kind: provider.kind,
      host,
      organizations: organization ? [{ name: organization, tenant: field(provider, 'Tenant of the organization')!, tenantOrigin: 'entered' }] : [],
      collections: collection ? [{ name: collection }] : [],
      oauth: {
        enabled: clientId !== null,
        clientId,
        tenant,
        clientSecret:
          clientId && secret
            ? { action: 'replace', sealed: sealClientSecret({ runnerId: runner.runnerUid, kind: provider.kind, host, clientId, tenant, secret }, runner.publicKey) }
            : { action: 'none' },
      },
      pat: { enabled: true },
    };
  }

  it('describes all six provider kinds, each with a host, an account and a token', () => {
    expect(new Set(providers.map((p) => p.kind))).toEqual(new Set(['github', 'gitlab', 'bitbucket-cloud', 'bitbucket-dc', 'azure-devops', 'azure-devops-server']));
    for (const provider of providers) {
      expect(field(provider, 'Host')).toMatch(/^https:\/\//);
      expect(provider.account).not.toBe('');
      expect(provider.personalAccessToken).not.toBe('');
    }
    expect(new Set(providers.map((p) => p.personalAccessToken)).size).toBe(providers.length);
  });

  it('saves every entry the page describes on the local runner, with every check passing', async () => {
    const runner = await localRunner();
    const azure = providers.find((p) => p.kind === 'azure-devops')!;
    // Azure DevOps first, as a person would: the runner finds the organization's tenant on the simulated dev.azure.com.
    expect(await call('discoverTenant', { runnerId: 'local', organization: field(azure, 'Organization') })).toMatchObject({
      ok: true,
      value: { tenant: field(azure, 'Tenant of the organization') },
    });
    for (const provider of [azure, ...providers.filter((p) => p !== azure)]) {
      const result = (await call('saveProvider', { runnerId: 'local', provider: entryFor(provider, runner), previousHost: null, confirmWarnings: false })) as {
        ok: boolean;
        value: { saved: boolean; validation: Record<'host' | 'oauth' | 'pat', { level: string; code: string; message: string }[]> };
      };
      expect(result.ok, provider.name).toBe(true);
      const checks = [...result.value.validation.host, ...result.value.validation.oauth, ...result.value.validation.pat];
      expect(checks.filter((c) => c.level !== 'ok'), provider.name).toEqual([]);
      expect(result.value.saved, provider.name).toBe(true);
      // The runner really asked the simulator: a host check passed.
      expect(result.value.validation.host.length, provider.name).toBeGreaterThan(0);
    }
    expect((await host.core.listProviders({ id: 'local' })).map((p) => p.host).sort()).toEqual(providers.map((p) => field(p, 'Host')).sort());
  });

  /** The catalogue's PAT check for a described provider, sent to its simulator with `token`. */
  function checkToken(provider: SimulatedProvider, token: string): Promise<number> {
    const check = catalogueEntry(provider.kind).tokenCheck.pat;
    const organization = field(provider, 'Organization');
    const collection = field(provider, 'Collection');
    const real = new URL(expandUrl(check.url, hostValues(provider.kind, field(provider, 'Host')!, { ...(organization ? { organization } : {}), ...(collection ? { collection } : {}) })));
    const simulator = (host.simulators!.endpoints as Record<string, string>)[real.origin];
    if (!simulator) throw new Error(`${real.origin} is not simulated`);
    const authorization = {
      bearer: `Bearer ${token}`,
      'bearer-or-basic': `Bearer ${token}`,
      'basic-empty-user': `Basic ${Buffer.from(`:${token}`).toString('base64')}`,
      'basic-email': `Basic ${Buffer.from(`${provider.account}:${token}`).toString('base64')}`,
    }[check.auth];
    return new Promise((resolve, reject) => {
      const ca = fs.readFileSync(host.simulators!.caFile, 'utf8');
      https
        .get(`${simulator}${real.pathname}`, { ca, agent: false, headers: { Authorization: authorization } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on('error', reject);
    });
  }

  it('lists for each provider a personal access token its simulator accepts at the catalogue’s token check, and refuses another provider’s', async () => {
    for (const [index, provider] of providers.entries()) {
      expect(await checkToken(provider, provider.personalAccessToken), provider.name).toBe(200);
      const other = providers[(index + 1) % providers.length]!;
      expect(await checkToken(provider, other.personalAccessToken), provider.name).toBe(401);
    }
  });

  it('stops the simulators when it closes', async () => {
    const ports = Object.values(host.simulators!.endpoints).map((origin) => Number(new URL(origin).port));
    closed = true;
    await host.close();
    for (const port of ports) {
      const refused = await new Promise<string>((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      expect(refused).toBe('ECONNREFUSED');
    }
  });
});
