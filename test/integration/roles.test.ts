// Roles on a shared runner (issue 8 point 3), over real TLS with registered workstations:
// admins change repository access and manage other workstations' tokens; users read
// providers and manage only their own tokens; clients from before roles stay admins.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateIdentity } from '../../electron/runner/identity';
import { fileStore } from '../../electron/runner/secret-store';
import { TokenStore, type StoredToken } from '../../electron/runner/tokens';
import { Vault } from '../../electron/runner/vault';
import { startGitHubSimulator } from '../fakes/github';
import type { Simulator } from '../fakes/simulator';
import { registerWorkstation, runnerCall, runnerCli, startRemoteRunner, type RemoteRunnerHandle } from '../helpers/remote-runner';

const host = 'https://dev.azure.com';
const token = (organization: string | null, method: 'oauth' | 'pat', secret: string): StoredToken => ({
  host,
  organization,
  method,
  token: secret,
  refreshToken: null,
  account: 'mona@contoso.example',
  obtainedAt: new Date().toISOString(),
  expiresAt: new Date(Date.now() + 30 * 24 * 3600_000).toISOString(),
  scopes: ['vso.code'],
  rejected: false,
});

let runner: RemoteRunnerHandle;
let admin: { clientId: string; apiToken: string; role: string };
let alice: { clientId: string; apiToken: string; role: string };
let bob: { clientId: string; apiToken: string; role: string };
let tokens: TokenStore;
let ghes: Simulator;
const ghesHost = 'https://ghe.example.test';

beforeAll(async () => {
  // A GitHub Enterprise Server simulator, so that an admin can save an entry that validates.
  ghes = await startGitHubSimulator({ layout: 'enterprise-server' });
  const caFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-roles-')), 'ca.pem');
  fs.writeFileSync(caFile, ghes.ca);
  runner = await startRemoteRunner({
    extraArgs: ['--ca-file', caFile],
    env: { ...process.env, PADDOCK_DEV_PROVIDER_ENDPOINTS: JSON.stringify({ [ghesHost]: ghes.origin }) },
  });
  admin = await registerWorkstation(runner, 'admin', 'admin-ws');
  alice = await registerWorkstation(runner, 'user', 'alice-ws');
  bob = await registerWorkstation(runner, 'user', 'bob-ws');
  // Seed tokens the way the runner keeps them: encrypted with its data key, per client, host and organization.
  const identity = await loadOrCreateIdentity(runner.dataDir, fileStore(runner.dataDir));
  tokens = new TokenStore(new Vault(path.join(runner.dataDir, 'vault'), identity.dataKey));
  tokens.put(alice.clientId, token('contoso', 'oauth', 'CANARY-alice-contoso'));
  tokens.put(alice.clientId, token('fabrikam', 'pat', 'CANARY-alice-fabrikam'));
  tokens.put(bob.clientId, token('contoso', 'oauth', 'CANARY-bob-contoso'));
});
afterAll(async () => {
  await Promise.all([runner?.stop(), ghes?.close()]);
});

describe('roles on a shared runner', () => {
  it('gives each workstation the role of its registration token, and says which in /v1/status', async () => {
    expect([admin.role, alice.role, bob.role]).toEqual(['admin', 'user', 'user']);
    const status = await runnerCall(runner, alice.apiToken, 'GET', '/v1/status');
    expect(status.body.client).toEqual({ id: alice.clientId, role: 'user' });
  });

  it('refuses repository-access changes, the client list and registration tokens to a user, with a sentence that says who can', async () => {
    const refusals = await Promise.all([
      runnerCall(runner, alice.apiToken, 'DELETE', '/v1/providers', { host }),
      runnerCall(runner, alice.apiToken, 'POST', '/v1/providers/discover-tenant', { organization: 'contoso' }),
      runnerCall(runner, alice.apiToken, 'GET', '/v1/clients'),
      runnerCall(runner, alice.apiToken, 'POST', '/v1/registrations', { role: 'admin', expiresInMinutes: 60 }),
      runnerCall(runner, alice.apiToken, 'DELETE', `/v1/clients/${bob.clientId}/tokens`, { host }),
    ]);
    for (const refusal of refusals) {
      expect(refusal.status).toBe(403);
      expect(refusal.body.error).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/admins of this runner/) });
    }
    // A user still reads the entries.
    const list = await runnerCall(runner, alice.apiToken, 'GET', '/v1/providers');
    expect(list.status).toBe(200);
  });

  it('lets a user see and delete only its own tokens, per organization, never the token itself', async () => {
    const seen = await runnerCall(runner, alice.apiToken, 'GET', '/v1/tokens');
    expect(seen.status).toBe(200);
    const views = seen.body.tokens as { organization: string; method: string; state: string; account: string }[];
    expect(views.map((t) => `${t.organization}/${t.method}/${t.state}`)).toEqual(['contoso/oauth/connected', 'fabrikam/pat/connected']);
    expect(JSON.stringify(seen.body)).not.toContain('CANARY');

    const one = await runnerCall(runner, alice.apiToken, 'DELETE', '/v1/tokens', { host, organization: 'fabrikam' });
    expect(one.body).toEqual({ deleted: 1 });
    expect(tokens.list(alice.clientId).map((t) => t.organization)).toEqual(['contoso']);
    // Bob's token for the same host and organization is untouched.
    expect(tokens.list(bob.clientId).map((t) => t.organization)).toEqual(['contoso']);
  });

  it('lets an admin list the workstations, delete another workstation’s tokens and make registration tokens', async () => {
    const clients = await runnerCall(runner, admin.apiToken, 'GET', '/v1/clients');
    expect(clients.status).toBe(200);
    expect((clients.body.clients as { name: string; role: string; self: boolean }[]).map((c) => `${c.name}:${c.role}:${c.self}`)).toEqual([
      'admin-ws:admin:true',
      'alice-ws:user:false',
      'bob-ws:user:false',
    ]);
    const deleted = await runnerCall(runner, admin.apiToken, 'DELETE', `/v1/clients/${bob.clientId}/tokens`, { host });
    expect(deleted.body).toEqual({ deleted: 1 });
    expect(tokens.list(bob.clientId)).toEqual([]);
    const unknown = await runnerCall(runner, admin.apiToken, 'DELETE', '/v1/clients/c_nobody000000000000/tokens', { host });
    expect(unknown.body.error?.code).toBe('not-found');

    // At most 24 hours, as `registration create` allows.
    const tooLong = await runnerCall(runner, admin.apiToken, 'POST', '/v1/registrations', { role: 'admin', expiresInMinutes: 24 * 60 + 1 });
    expect(tooLong.body.error).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/expiresInMinutes/) });
    const made = await runnerCall(runner, admin.apiToken, 'POST', '/v1/registrations', { role: 'user', expiresInMinutes: 30 });
    expect(made.status).toBe(201);
    const registered = await runnerCall(runner, null, 'POST', '/v1/registration', { token: made.body.token, name: 'carol-ws' });
    expect(registered.body.role).toBe('user');
  });

  it('lets an admin add and delete a provider entry that a user can neither add nor delete; deleting it deletes every workstation’s tokens for it', async () => {
    const entry = {
      provider: { kind: 'github', host: ghesHost, organizations: [], collections: [], oauth: { enabled: false, clientId: null, tenant: null, clientSecret: { action: 'none' } }, pat: { enabled: true } },
      previousHost: null,
      confirmWarnings: true,
    };
    const refusedSave = await runnerCall(runner, bob.apiToken, 'PUT', '/v1/providers', entry);
    expect(refusedSave.status).toBe(403);
    const saved = await runnerCall(runner, admin.apiToken, 'PUT', '/v1/providers', entry);
    expect(saved.body).toMatchObject({ saved: true, provider: { host: ghesHost } });
    tokens.put(alice.clientId, { ...token(null, 'pat', 'CANARY-alice-ghes'), host: ghesHost });
    tokens.put(bob.clientId, { ...token(null, 'pat', 'CANARY-bob-ghes'), host: ghesHost });

    const refused = await runnerCall(runner, bob.apiToken, 'DELETE', '/v1/providers', { host: ghesHost });
    expect(refused.body.error?.code).toBe('forbidden');
    expect((await runnerCall(runner, bob.apiToken, 'GET', '/v1/providers')).body.providers).toEqual([expect.objectContaining({ host: ghesHost })]);

    const deleted = await runnerCall(runner, admin.apiToken, 'DELETE', '/v1/providers', { host: ghesHost });
    expect(deleted.body).toEqual({ ok: true, deletedTokens: 2 });
    expect((await runnerCall(runner, bob.apiToken, 'GET', '/v1/providers')).body.providers).toEqual([]);
    expect(tokens.list(alice.clientId).some((t) => t.host === ghesHost)).toBe(false);
  });

  it('shows roles in `status` and refuses an unknown --role with a usage error', async () => {
    const { stdout } = await runnerCli(['status', '--data-dir', runner.dataDir, '--json']);
    const status = JSON.parse(stdout) as { workstations: { name: string; role: string }[] };
    expect(status.workstations.find((w) => w.name === 'alice-ws')?.role).toBe('user');
    expect(status.workstations.find((w) => w.name === 'admin-ws')?.role).toBe('admin');
    const human = (await runnerCli(['status', '--data-dir', runner.dataDir])).stdout;
    expect(human).toMatch(/alice-ws \(c_[^,]+, user\)/);
    const bad = await runnerCli(['registration', 'create', '--data-dir', runner.dataDir, '--role', 'root']).catch((error: { code: number; stderr: string }) => error);
    expect(bad).toMatchObject({ code: 64, stderr: expect.stringMatching(/--role must be user or admin/) });
  });
});

describe('workstations registered before roles existed', () => {
  it('stay admins, so nothing that worked before breaks', async () => {
    const old = await startRemoteRunner();
    try {
      const ws = await registerWorkstation(old, 'user', 'legacy');
      await old.stop();
      // Rewrite clients.json as an older runner wrote it: no role.
      const file = path.join(old.dataDir, 'clients.json');
      const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { clients: Record<string, unknown>[] };
      for (const client of data.clients) delete client.role;
      fs.writeFileSync(file, JSON.stringify(data));
      const again = await startRemoteRunner({ dataDir: old.dataDir, listen: new URL(old.url).host });
      try {
        const status = await runnerCall(again, ws.apiToken, 'GET', '/v1/status');
        expect(status.body.client).toEqual({ id: ws.clientId, role: 'admin' });
        const clients = await runnerCall(again, ws.apiToken, 'GET', '/v1/clients');
        expect(clients.status).toBe(200);
      } finally {
        await again.stop();
      }
    } finally {
      await old.stop();
    }
  });
});
