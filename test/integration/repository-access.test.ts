import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import Conf from 'conf';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sealClientSecret, type ProviderInput } from '../../electron/common/provider-config';
import { createApiDispatcher } from '../../electron/core/api/dispatcher';
import { createCore, type PaddockCore } from '../../electron/core/app-core';
import { memoryCredentialStore } from '../../electron/core/credentials';
import { createLogger } from '../../electron/core/logger';
import { nodeRunnerLauncher } from '../../electron/core/runners/node-launcher';
import { openStore } from '../../electron/core/store/store';
import { hostKey, tokenEntryName } from '../../electron/runner/provider-store';
import { startProviderSimulators } from '../helpers/provider-simulators';

const cores: PaddockCore[] = [];
let simulators: Awaited<ReturnType<typeof startProviderSimulators>>;
beforeAll(async () => {
  simulators = await startProviderSimulators();
});
afterAll(() => simulators?.close());
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.dispose()));
});

async function appWithLocalRunner() {
  const appDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-access-'));
  const logs: string[] = [];
  const runnerLogs: string[] = [];
  const logger = createLogger({
    name: 'test',
    destination: new Writable({
      write(chunk, _e, cb) {
        logs.push(String(chunk));
        cb();
      },
    }) as never,
  });
  const core = createCore({
    store: openStore({ directory: appDir, createBackend: (o) => new Conf(o) as never }),
    appInfo: { name: 'Paddock', version: 'test', shell: 'web', platform: process.platform },
    logger,
    credentials: memoryCredentialStore(),
    localRunner: {
      dataDir: path.join(appDir, 'runner'),
      launch: nodeRunnerLauncher({ onLog: (l) => runnerLogs.push(l), env: { ...process.env, ...simulators.runnerEnv } }),
      args: simulators.runnerArgs,
    },
    heartbeatMs: 200,
  });
  cores.push(core);
  // Everything that crosses the app API, as IPC or the WebSocket bridge would carry it.
  const messages: string[] = [];
  const dispatcher = createApiDispatcher(core, logger);
  const call = async (method: string, input: unknown) => {
    messages.push(JSON.stringify(input));
    const envelope = await dispatcher.call(method, input);
    messages.push(JSON.stringify(envelope));
    return envelope;
  };
  for (let i = 0; i < 200; i++) {
    const [local] = await core.listRunners();
    if (local?.health.state === 'online' && local.runnerUid) return { core, call, appDir, runnerDir: path.join(appDir, 'runner'), logs, runnerLogs, messages, local };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('The local runner did not come online.');
}

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

function azureDevOps(oauth: Partial<ProviderInput['oauth']> = {}): ProviderInput {
  return {
    kind: 'azure-devops',
    host: 'https://dev.azure.com',
    organizations: [{ name: 'contoso', tenant: TENANT, tenantOrigin: 'entered' }],
    collections: [],
    oauth: { enabled: true, clientId: '11111111-2222-3333-4444-555555555555', tenant: TENANT, clientSecret: { action: 'none' }, ...oauth },
    pat: { enabled: true },
  };
}

function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((f) => path.join(dir, f)).filter((f) => fs.statSync(f).isFile());
}

describe.runIf(process.env.PADDOCK_KEYRING_SESSION === '1')('repository access: the sealed client secret (S3)', () => {
  it('reaches only the runner: no plaintext in the store, logs, API messages, runner-API traffic, or any runner file', async () => {
    const app = await appWithLocalRunner();
    // Every byte the core sends to and receives from the runner API: its connections are kept alive
    // (one may exist already), so every socket of this process is watched, not only new ones.
    const runnerTraffic: Buffer[] = [];
    const { write, push } = net.Socket.prototype;
    net.Socket.prototype.write = function (this: net.Socket, chunk: unknown, ...rest: unknown[]) {
      if (typeof chunk === 'string' || chunk instanceof Uint8Array) runnerTraffic.push(Buffer.from(chunk as string));
      return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof write;
    net.Socket.prototype.push = function (this: net.Socket, chunk: unknown, ...rest: unknown[]) {
      if (chunk instanceof Uint8Array) runnerTraffic.push(Buffer.from(chunk));
      return (push as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof push;
    const restore = () => {
      net.Socket.prototype.write = write;
      net.Socket.prototype.push = push;
    };
    const canary = `canary-client-secret-${randomUUID()}`;
    const sealed = sealClientSecret(
      { runnerId: app.local.runnerUid!, kind: 'azure-devops', host: 'https://dev.azure.com', clientId: '11111111-2222-3333-4444-555555555555', tenant: TENANT, secret: canary },
      app.local.publicKey!,
    );
    const result = await app.call('saveProvider', {
      runnerId: 'local',
      provider: azureDevOps({ clientSecret: { action: 'replace', sealed } }),
      previousHost: null,
      confirmWarnings: true,
    });
    restore();
    expect(result).toMatchObject({ ok: true, value: { saved: true, provider: { host: 'https://dev.azure.com', oauth: { secretSet: true } } } });
    const traffic = Buffer.concat(runnerTraffic).toString('latin1');
    expect(traffic).toContain('PUT /v1/providers');
    expect(traffic).toContain(sealed.slice(0, 40));
    // The runner validated the entry against the (simulated) provider: its tenant and the Entra configuration.
    const validation = (result as { value: { validation: { host: { level: string; message: string }[]; oauth: { level: string; code: string }[] } } }).value.validation;
    expect(validation.host.filter((c) => c.level === 'ok').map((c) => c.message).join('\n')).toMatch(/contoso/);
    expect(validation.oauth).toContainEqual(expect.objectContaining({ level: 'ok', code: 'sealed-secret' }));
    expect((await app.call('listProviders', { id: 'local' })) as unknown).toMatchObject({ ok: true, value: [{ kind: 'azure-devops', managed: false }] });

    const vaultEntry = path.join(app.runnerDir, 'vault', '_runner', `client-secret.${hostKey('https://dev.azure.com')}.sealed`);
    expect(fs.existsSync(vaultEntry)).toBe(true);
    const haystacks = {
      'app store': fs.readFileSync(path.join(app.appDir, 'paddock.json'), 'utf8'),
      'app log': app.logs.join(''),
      'runner log': app.runnerLogs.join('\n'),
      'API messages': app.messages.join('\n'),
      'runner-API traffic': Buffer.concat(runnerTraffic).toString('latin1'),
      ...Object.fromEntries(filesUnder(app.runnerDir).map((f) => [f, fs.readFileSync(f).toString('latin1')])),
    };
    for (const [where, text] of Object.entries(haystacks)) {
      expect(text.includes(canary), `the canary secret is in ${where}`).toBe(false);
      expect(text.includes(canary.slice(21)), `part of the canary secret is in ${where}`).toBe(false);
    }
  });

  it('refuses a secret sealed for another entry, and asks for it again when the host or client id changes', async () => {
    const app = await appWithLocalRunner();
    const base = { runnerId: app.local.runnerUid!, kind: 'azure-devops' as const, clientId: '11111111-2222-3333-4444-555555555555', tenant: TENANT, secret: 's3cret-value' };
    const otherHost = sealClientSecret({ ...base, host: 'https://dev.azure.com:8443' }, app.local.publicKey!);
    const refused = (await app.call('saveProvider', {
      runnerId: 'local',
      provider: azureDevOps({ clientSecret: { action: 'replace', sealed: otherHost } }),
      previousHost: null,
      confirmWarnings: true,
    })) as { ok: true; value: { saved: boolean; validation: { oauth: { code: string; message: string }[] } } };
    expect(refused.value.saved).toBe(false);
    expect(refused.value.validation.oauth[0]).toMatchObject({ code: 'sealed-secret', message: expect.stringMatching(/host differs/) });

    const good = sealClientSecret({ ...base, host: 'https://dev.azure.com' }, app.local.publicKey!);
    await app.call('saveProvider', { runnerId: 'local', provider: azureDevOps({ clientSecret: { action: 'replace', sealed: good } }), previousHost: null, confirmWarnings: true });
    const changed = (await app.call('saveProvider', {
      runnerId: 'local',
      provider: azureDevOps({ clientId: '99999999-2222-3333-4444-555555555555', clientSecret: { action: 'keep' } }),
      previousHost: 'https://dev.azure.com',
      confirmWarnings: true,
    })) as { ok: true; value: { saved: boolean; validation: { oauth: { code: string }[] } } };
    expect(changed.value.saved).toBe(false);
    expect(changed.value.validation.oauth.map((c) => c.code)).toContain('secret-needed-again');

    const duplicate = (await app.call('saveProvider', { runnerId: 'local', provider: azureDevOps(), previousHost: null, confirmWarnings: true })) as {
      ok: true;
      value: { saved: boolean; validation: { host: { code: string }[] } };
    };
    expect(duplicate.value.saved).toBe(false);
    expect(duplicate.value.validation.host.map((c) => c.code)).toContain('duplicate-host');
  });
});

describe.runIf(process.env.PADDOCK_KEYRING_SESSION === '1')('repository access: disabling or deleting deletes users’ tokens (S6)', () => {
  it('purges the tokens obtained the way that was disabled, then all of them when the entry goes', async () => {
    const app = await appWithLocalRunner();
    await app.call('saveProvider', { runnerId: 'local', provider: azureDevOps(), previousHost: null, confirmWarnings: true });
    const host = 'https://dev.azure.com';
    // Seed two workstations' tokens of each kind (the vault entries the authorization issues will write).
    const vault = path.join(app.runnerDir, 'vault');
    for (const client of ['c_workstationA1234567', 'c_workstationB1234567']) {
      fs.mkdirSync(path.join(vault, client), { recursive: true });
      for (const method of ['oauth', 'pat'] as const) fs.writeFileSync(path.join(vault, client, `${tokenEntryName(host, method)}.sealed`), 'x');
    }
    const tokens = () => filesUnder(vault).filter((f) => f.includes('token.')).map((f) => path.relative(vault, f)).sort();
    expect(tokens()).toHaveLength(4);

    const disabled = (await app.call('saveProvider', {
      runnerId: 'local',
      provider: azureDevOps({ enabled: false, clientId: null, tenant: null }),
      previousHost: host,
      confirmWarnings: true,
    })) as { ok: true; value: { saved: boolean; deletedTokens: number } };
    expect(disabled.value).toMatchObject({ saved: true, deletedTokens: 2 });
    expect(tokens().every((f) => f.endsWith('.pat.sealed'))).toBe(true);

    const deleted = (await app.call('deleteProvider', { runnerId: 'local', host })) as { ok: true; value: { deletedTokens: number; providers: unknown[] } };
    expect(deleted.value).toEqual({ deletedTokens: 2, providers: [] });
    expect(tokens()).toEqual([]);
  });
});

describe.runIf(process.env.PADDOCK_KEYRING_SESSION === '1')('repository access: saving ahead of the network', () => {
  it('saves a host that cannot be reached once the admin accepts the warning, shows the failed check on the entry, and records “Check again”', async () => {
    const app = await appWithLocalRunner();
    // A port nothing listens on: the runner's check is refused at once.
    const closed = await new Promise<number>((resolve) => {
      const server = net.createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const host = `https://127.0.0.1:${closed}`;
    const provider: ProviderInput = {
      kind: 'gitlab',
      host,
      organizations: [],
      collections: [],
      oauth: { enabled: false, clientId: null, tenant: null, clientSecret: { action: 'none' } },
      pat: { enabled: true },
    };
    type Saved = { ok: true; value: { saved: boolean; needsConfirmation: boolean; validation: { host: { level: string; code: string }[] }; provider: { lastCheck?: unknown } | null } };
    const asked = (await app.call('saveProvider', { runnerId: 'local', provider, previousHost: null, confirmWarnings: false })) as Saved;
    expect(asked.value).toMatchObject({ saved: false, needsConfirmation: true });
    expect(asked.value.validation.host).toContainEqual(expect.objectContaining({ level: 'warning', code: 'host-refused' }));
    expect(asked.value.validation.host.filter((c) => c.level === 'error')).toEqual([]);

    const saved = (await app.call('saveProvider', { runnerId: 'local', provider, previousHost: null, confirmWarnings: true })) as Saved;
    expect(saved.value).toMatchObject({ saved: true, provider: { lastCheck: { outcome: 'failed', message: expect.stringMatching(/cannot be reached/) } } });
    // Saved again unchanged: the warning accepted before is not asked again.
    const again = (await app.call('saveProvider', { runnerId: 'local', provider, previousHost: host, confirmWarnings: false })) as Saved;
    expect(again.value).toMatchObject({ saved: true, needsConfirmation: false });

    type Listed = { ok: true; value: { host: string; lastCheck?: { at: string; outcome: string } | null }[] };
    const before = ((await app.call('listProviders', { id: 'local' })) as Listed).value.find((p) => p.host === host)?.lastCheck;
    expect(before).toMatchObject({ outcome: 'failed' });
    await new Promise((r) => setTimeout(r, 20));
    const started = (await app.call('startJob', { runnerId: 'local', job: { kind: 'provider-check', host } })) as { ok: true; value: { id: string } };
    expect(started.ok).toBe(true);
    let after: { at: string; outcome: string } | null | undefined;
    for (let i = 0; i < 100; i++) {
      after = ((await app.call('listProviders', { id: 'local' })) as Listed).value.find((p) => p.host === host)?.lastCheck;
      if (after && after.at !== before?.at) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(after).toMatchObject({ outcome: 'failed' });
    expect(after?.at).not.toBe(before?.at);
  });
});
