// Personal access tokens (PRODUCT A3, issue 9 point 4) through a real runner on a server
// (TLS, registered workstations) against the provider simulators: each kind's token check,
// refusals that store nothing, a missing scope, an Azure DevOps PAT policy, log out, and a
// canary token that reaches nothing but the runner's vault.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealPat } from '../../electron/common/pat';
import type { ProviderInput, ProviderView } from '../../electron/common/provider-config';
import { createLogger } from '../../electron/core/logger';
import { checkPat } from '../../electron/runner/pat';
import { startAzureDevOpsSimulator, type AzureDevOpsSimulator } from '../fakes/azure-devops';
import { startAzureDevOpsServerSimulator } from '../fakes/azure-devops-server';
import { startBitbucketDcSimulator } from '../fakes/bitbucket-dc';
import { startEntraSimulator } from '../fakes/entra';
import { startGitHubSimulator, type GitHubSimulator } from '../fakes/github';
import { startGitLabSimulator, type GitLabSimulator } from '../fakes/gitlab';
import { startSimulator, type Simulator, type SimulatedUser } from '../fakes/simulator';
import { createTestCore } from '../helpers/core';
import { runnerCall, startRemoteRunner, type RemoteRunnerHandle } from '../helpers/remote-runner';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const user: SimulatedUser = { username: 'sam', displayName: 'Sam Example', email: 'sam@example.test' };
// The canary is the Azure DevOps simulator's one good token: it must be stored, and appear nowhere else.
const canary = `canary-pat-${randomUUID()}`;
const TOKENS = { ghes: 'ghp_simulated_ghes_pat', gitlab: 'glpat-simulated-self-managed' };
const ADO = 'https://dev.azure.com';
const GHES = 'https://ghe.example.test';
const GITLAB = 'https://gitlab.example.test';

let entra: Simulator;
let ado: AzureDevOpsSimulator;
let ghes: GitHubSimulator;
let gitlab: GitLabSimulator;
let runner: RemoteRunnerHandle;
let publicKey: string;
let runnerId: string;
let alice: { clientId: string; apiToken: string };
let test: ReturnType<typeof createTestCore>;
let coreRunnerId: string;
const appLogs: string[] = [];
const messages: string[] = [];

const providers: ProviderInput[] = [
  {
    kind: 'azure-devops',
    host: ADO,
    organizations: [{ name: 'contoso', tenant: TENANT, tenantOrigin: 'entered' }],
    collections: [],
    oauth: { enabled: true, clientId: '11111111-2222-3333-4444-555555555555', tenant: TENANT, clientSecret: { action: 'none' } },
    pat: { enabled: true },
  },
  { kind: 'github', host: GHES, organizations: [], collections: [], oauth: { enabled: false, clientId: null, tenant: null, clientSecret: { action: 'none' } }, pat: { enabled: true } },
  { kind: 'gitlab', host: GITLAB, organizations: [], collections: [], oauth: { enabled: false, clientId: null, tenant: null, clientSecret: { action: 'none' } }, pat: { enabled: true } },
];

const seal = (host: string, organization: string | null, token: string) => sealPat({ runnerId, host, organization }, token, publicKey);
const connect = (host: string, organization: string | null, token: string) => runnerCall(runner, alice.apiToken, 'PUT', '/v1/tokens/pat', { host, organization, sealed: seal(host, organization, token) });
const listed = async () => (await runnerCall(runner, alice.apiToken, 'GET', '/v1/tokens')).body.tokens as { host: string; organization: string | null; method: string; account: string | null; scopes: string[]; expiresAt: string | null; state: string }[];

/** An app API call as a transport carries it, with both directions kept for the canary check. */
async function app(method: string, input: unknown) {
  messages.push(JSON.stringify(input));
  const envelope = await test.dispatcher.call(method, input);
  messages.push(JSON.stringify(envelope));
  return envelope as { ok: true; value: never } | { ok: false; error: { code: string; message: string; detail?: Record<string, string> } };
}

function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((f) => path.join(dir, f)).filter((f) => fs.statSync(f).isFile());
}

beforeAll(async () => {
  entra = await startEntraSimulator({ tenants: [TENANT] });
  ado = await startAzureDevOpsSimulator({ authority: entra.origin, organizations: { contoso: { tenant: TENANT } }, account: { user, personalAccessToken: canary } });
  ghes = await startGitHubSimulator({ layout: 'enterprise-server', account: { user, personalAccessToken: TOKENS.ghes } });
  gitlab = await startGitLabSimulator({ account: { user, personalAccessToken: TOKENS.gitlab } });
  const caFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-pat-')), 'ca.pem');
  fs.writeFileSync(caFile, entra.ca);
  const endpoints = { [ADO]: ado.origin, 'https://login.microsoftonline.com': entra.origin, [GHES]: ghes.origin, [GITLAB]: gitlab.origin };
  runner = await startRemoteRunner({ extraArgs: ['--ca-file', caFile], env: { ...process.env, PADDOCK_DEV_PROVIDER_ENDPOINTS: JSON.stringify(endpoints) } });
  publicKey = runner.publicKey;

  // The app: a core registered as the runner's admin saves the three entries.
  const logger = createLogger({
    name: 'test',
    destination: new Writable({
      write(chunk, _e, cb) {
        appLogs.push(String(chunk));
        cb();
      },
    }) as never,
  });
  test = createTestCore({ logger });
  const added = await test.core.addRemoteRunner({ url: runner.url, token: await runner.createToken('1h', 'admin'), name: 'Build server', spki: runner.spki });
  coreRunnerId = added.id;
  runnerId = added.runnerUid!;
  for (let i = 0; i < 100 && (await test.core.getRunner({ id: coreRunnerId })).health.state !== 'online'; i++) await new Promise((r) => setTimeout(r, 100));
  for (const provider of providers) {
    const saved = await test.core.saveProvider({ runnerId: coreRunnerId, provider, previousHost: null, confirmWarnings: true });
    expect(saved.saved, JSON.stringify(saved.validation)).toBe(true);
  }

  // A workstation registered as a user, calling the runner API itself.
  const registration = await runnerCall(runner, null, 'POST', '/v1/registration', { token: await runner.createToken('1h', 'user'), name: 'alice-ws' });
  alice = registration.body as unknown as { clientId: string; apiToken: string };
}, 60_000);

afterAll(async () => {
  await test?.core.dispose();
  await Promise.all([runner?.stop(), entra?.close(), ado?.close(), ghes?.close(), gitlab?.close()]);
});

describe('PUT /v1/tokens/pat', () => {
  it('keeps the simulated PAT of Azure DevOps (one organization), GitHub Enterprise Server and GitLab self-managed, with the account', async () => {
    const answers = [await connect(ADO, 'contoso', canary), await connect(GHES, null, TOKENS.ghes), await connect(GITLAB, null, TOKENS.gitlab)];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers[0]!.body).toMatchObject({ host: ADO, organization: 'contoso', method: 'pat', account: user.email, expiresAt: null, state: 'connected' });
    expect(answers[1]!.body).toMatchObject({ host: GHES, organization: null, method: 'pat', account: 'sam', scopes: ['repo', 'workflow'], state: 'connected' });
    // GitLab reports the token's scopes and its expiry (in 364 days, so not yet "expiring").
    expect(answers[2]!.body).toMatchObject({ host: GITLAB, account: 'sam', scopes: ['write_repository', 'read_user'], state: 'connected' });
    expect(new Date(String(answers[2]!.body.expiresAt)).getTime()).toBeGreaterThan(Date.now() + 300 * 24 * 3600_000);

    const tokens = await listed();
    expect(tokens.map((t) => [t.host, t.organization, t.method, t.account])).toEqual([
      [ADO, 'contoso', 'pat', user.email],
      [GHES, null, 'pat', 'sam'],
      [GITLAB, null, 'pat', 'sam'],
    ]);
    // The check sent each token as its provider expects (Basic with an empty user name for Azure DevOps, Bearer for the others).
    expect(ado.requests.some((r) => r.path === '/contoso/_apis/connectionData' && r.headers.authorization === `Basic ${Buffer.from(`:${canary}`).toString('base64')}`)).toBe(true);
    expect(ghes.requests.some((r) => r.path === '/api/v3/user' && r.headers.authorization === `Bearer ${TOKENS.ghes}`)).toBe(true);
    await runnerCall(runner, alice.apiToken, 'DELETE', '/v1/tokens', { host: GHES });
    await runnerCall(runner, alice.apiToken, 'DELETE', '/v1/tokens', { host: GITLAB });
  });

  it('reads GitHub’s token expiry when it reports one', async () => {
    ghes.setTokenExpiration('2099-06-01 09:00:00 +0900');
    try {
      const answer = await connect(GHES, null, TOKENS.ghes);
      expect(answer.body).toMatchObject({ account: 'sam', expiresAt: '2099-06-01T00:00:00.000Z', state: 'connected' });
    } finally {
      ghes.setTokenExpiration(null);
      await runnerCall(runner, alice.apiToken, 'DELETE', '/v1/tokens', { host: GHES });
    }
  });

  it('refuses a wrong token as refused by the provider, on the field token, and stores nothing', async () => {
    const before = await listed();
    for (const [host, organization] of [
      [GHES, null],
      [GITLAB, null],
      [ADO, 'contoso'],
    ] as const) {
      const wrong = `wrong-token-${randomUUID()}`;
      const answer = await connect(host, organization, wrong);
      expect(answer.status, host).toBe(400);
      expect(answer.body.error).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/refused this token \(401\)/), issues: [{ path: 'token' }] });
      expect(JSON.stringify(answer.body)).not.toContain(wrong);
      expect(runner.output()).not.toContain(wrong);
    }
    expect(await listed()).toEqual(before);
  });

  it('names the scope a GitHub token lacks, and stores nothing', async () => {
    ghes.setScopes(['repo']);
    try {
      const answer = await connect(GHES, null, TOKENS.ghes);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/lacks the scope workflow/), issues: [{ path: 'token' }] });
      expect((await listed()).filter((t) => t.host === GHES)).toEqual([]);
    } finally {
      ghes.setScopes(['repo', 'workflow']);
    }
  });

  it('says which Azure DevOps policy refuses the token and where it is set (policy-blocked), and stores nothing', async () => {
    await runnerCall(runner, alice.apiToken, 'DELETE', '/v1/tokens', { host: ADO });
    ado.failPatPolicy('DisablePatCreationPolicyViolation');
    try {
      const answer = await connect(ADO, 'contoso', canary);
      expect(answer.status).toBe(403);
      expect(answer.body.error).toMatchObject({
        code: 'policy-blocked',
        message: expect.stringMatching(/contoso.*Restrict personal access token \(PAT\) creation.*Organization settings → Security → Policies.*OAuth/),
        detail: {
          host: ADO,
          organization: 'contoso',
          providerCode: 'DisablePatCreationPolicyViolation',
          setting: 'Organization settings → Security → Policies → Restrict personal access token (PAT) creation',
          settingUrl: 'https://dev.azure.com/contoso/_settings/organizationPolicy',
        },
      });
      ado.failPatPolicy('patLifespanPolicyViolation');
      const lifespan = await connect(ADO, 'contoso', canary);
      expect(lifespan.body.error).toMatchObject({ code: 'policy-blocked', detail: { providerCode: 'patLifespanPolicyViolation', setting: expect.stringMatching(/Enforce maximum personal access token lifespan/) } });
      expect((await listed()).filter((t) => t.host === ADO)).toEqual([]);
    } finally {
      ado.failPatPolicy(null);
    }
  });

  it('says a provider that cannot be reached is unreachable, naming the host', async () => {
    ghes.fail({ type: 'reset' });
    try {
      const answer = await connect(GHES, null, TOKENS.ghes);
      expect(answer.status).toBe(502);
      expect(answer.body.error).toMatchObject({ code: 'unreachable', detail: { host: GHES } });
    } finally {
      ghes.fail(null);
    }
  });

  it('gives up on a provider that does not answer before the app would, as timeout naming the host, and stores nothing', async () => {
    ghes.fail({ type: 'hang' });
    const started = Date.now();
    try {
      const answer = await connect(GHES, null, TOKENS.ghes);
      expect(answer.status).toBe(504);
      expect(answer.body.error).toMatchObject({ code: 'timeout', detail: { host: GHES } });
      // Within the app's 10 s for a runner's answer.
      expect(Date.now() - started).toBeLessThan(10_000);
      expect((await listed()).filter((t) => t.host === GHES)).toEqual([]);
    } finally {
      ghes.fail(null);
    }
  }, 20_000);

  it('refuses a box sealed for another host or organization, an organization the entry lacks, and an unknown host', async () => {
    const forGhes = seal(GHES, null, TOKENS.ghes);
    const replayed = await runnerCall(runner, alice.apiToken, 'PUT', '/v1/tokens/pat', { host: GITLAB, organization: null, sealed: forGhes });
    expect(replayed.body.error).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/sealed for another host/), issues: [{ path: 'sealed' }] });
    const otherOrg = await runnerCall(runner, alice.apiToken, 'PUT', '/v1/tokens/pat', { host: ADO, organization: 'contoso', sealed: seal(ADO, 'fabrikam', canary) });
    expect(otherOrg.body.error).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/another organization/) });
    expect((await connect(ADO, 'fabrikam', canary)).body.error).toMatchObject({ code: 'invalid-input', issues: [{ path: 'organization' }] });
    expect((await connect(ADO, null, canary)).body.error).toMatchObject({ code: 'invalid-input', issues: [{ path: 'organization' }] });
    expect((await connect('https://nowhere.example.test', null, 'x')).body.error).toMatchObject({ code: 'not-found' });
    expect(JSON.stringify([replayed.body, otherOrg.body])).not.toContain(canary);
    expect(await listed()).toEqual([]);
  });
});

describe('the app: connectWithPat and logOut', () => {
  it('connects through the core, shows the account in the hosts model, and logs out', async () => {
    const sealed = seal(ADO, 'contoso', canary);
    const connected = await app('connectWithPat', { runnerId: coreRunnerId, host: ADO, organization: 'contoso', sealed });
    expect(connected).toEqual({ ok: true, value: expect.objectContaining({ host: ADO, organization: 'contoso', method: 'pat', account: user.email, state: 'connected' }) });
    const hosts = (await app('listHosts', null)) as { ok: true; value: { host: string; connections: unknown[] }[] };
    expect(hosts.value.find((h) => h.host === ADO)?.connections).toMatchObject([{ organization: 'contoso', state: 'connected', source: 'pat', account: user.email, expiresAt: null, accounts: [{ source: 'pat', inUse: true }] }]);

    const refused = await app('connectWithPat', { runnerId: coreRunnerId, host: GHES, organization: null, sealed: seal(GHES, null, 'not-the-token') });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-input' } });

    // The canary reached the runner's vault, encrypted, and nothing else: no runner file in plaintext, no log
    // line (runner or app), no app store, no app-API message but the sealed box.
    const vaultFiles = filesUnder(path.join(runner.dataDir, 'vault')).filter((f) => path.basename(f).startsWith('token.'));
    expect(vaultFiles).toHaveLength(1);
    const haystacks: Record<string, string> = {
      'runner log': runner.output(),
      'app log': appLogs.join(''),
      'API messages': messages.join('\n'),
      ...Object.fromEntries(filesUnder(runner.dataDir).map((f) => [f, fs.readFileSync(f).toString('latin1')])),
      ...Object.fromEntries(filesUnder(test.directory).map((f) => [f, fs.readFileSync(f).toString('latin1')])),
    };
    expect(messages.join('\n')).toContain(sealed);
    for (const [where, text] of Object.entries(haystacks)) {
      expect(text.includes(canary), `the canary token is in ${where}`).toBe(false);
      expect(text.includes(canary.slice(11)), `part of the canary token is in ${where}`).toBe(false);
    }

    const out = await app('logOut', { runnerId: coreRunnerId, host: ADO, organization: 'contoso' });
    expect(out).toEqual({ ok: true, value: { deleted: 1 } });
    const after = (await app('listHosts', null)) as { ok: true; value: { host: string; connections: { state: string }[] }[] };
    expect(after.value.find((h) => h.host === ADO)?.connections).toEqual([{ organization: 'contoso', state: 'none', source: null, account: null, expiresAt: null, tokenId: null, accounts: [] }]);
    expect(filesUnder(path.join(runner.dataDir, 'vault')).filter((f) => path.basename(f).startsWith('token.'))).toEqual([]);
  });
});

describe('checkPat for the other self-hosted kinds', () => {
  const view = (kind: ProviderView['kind'], host: string, collections: ProviderView['collections'] = []): ProviderView => ({
    kind,
    host,
    organizations: [],
    collections,
    oauth: { enabled: false, clientId: null, tenant: null, secretSet: false },
    pat: { enabled: true },
    managed: false,
    updatedAt: new Date().toISOString(),
  });

  it('reads the account from Bitbucket Data Center’s X-AUSERNAME and Azure DevOps Server’s connectionData, and refuses other tokens', async () => {
    const bitbucket = await startBitbucketDcSimulator({ account: { user, personalAccessToken: 'bbdc-good' } });
    const tfs = await startAzureDevOpsServerSimulator({ virtualDirectory: '/tfs', collections: ['DefaultCollection'], account: { user, personalAccessToken: 'tfs-good' } });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-pat-check-'));
    const caFile = path.join(dir, 'ca.pem');
    fs.writeFileSync(caFile, bitbucket.ca);
    try {
      const options = { http: { caFile }, endpoints: { 'https://bitbucket.example.test': bitbucket.origin, 'https://tfs.example.test': tfs.origin } };
      const bbdc = view('bitbucket-dc', 'https://bitbucket.example.test');
      const server = view('azure-devops-server', 'https://tfs.example.test/tfs', [{ name: 'DefaultCollection' }]);
      expect(await checkPat(bbdc, null, 'bbdc-good', options)).toEqual({ account: 'sam', scopes: [], expiresAt: null });
      expect(await checkPat(server, null, 'tfs-good', options)).toEqual({ account: user.email, scopes: [], expiresAt: null });
      // Bitbucket answers the properties without a valid token too: only the missing X-AUSERNAME tells.
      await expect(checkPat(bbdc, null, 'bbdc-wrong', options)).rejects.toMatchObject({ code: 'invalid-input', issues: [{ path: 'token' }] });
      await expect(checkPat(server, null, 'tfs-wrong', options)).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/refused this token \(401\)/) });
    } finally {
      await Promise.all([bitbucket.close(), tfs.close()]);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('checkPat: account names (at most 200 characters, no control or format characters)', () => {
  // Answers every provider's token check with the account name each case sets.
  let name = 'sam';
  const view = (kind: ProviderView['kind'], host: string): ProviderView => ({
    kind,
    host,
    organizations: kind === 'azure-devops' ? [{ name: 'contoso', tenant: TENANT, tenantOrigin: 'entered' }] : [],
    collections: [],
    oauth: { enabled: false, clientId: null, tenant: null, secretSet: false },
    pat: { enabled: true },
    managed: false,
    updatedAt: new Date().toISOString(),
  });
  const bad = ['x'.repeat(201), 'sam\u0007', 'sam\u0085', 'sam\u202eevil', 'sam\u200b', 'sam\u2028x', 'sam\u00ad'];
  const headerSafe = (value: string) => !/[^\t\u0020-\u007e\u0080-\u00ff]/.test(value);

  it('a name the check must carry (GitHub’s login, Bitbucket DC’s X-AUSERNAME) refuses the token; an optional one (GitLab, Azure DevOps) is read as not reported', async () => {
    const checker = await startSimulator([
      ({ url }) => {
        const path = url.pathname;
        if (path.endsWith('/personal_access_tokens/self')) return { status: 200, json: { scopes: ['write_repository', 'read_user'], active: true, revoked: false } };
        if (path.endsWith('/user')) return { status: 200, json: { login: name, username: name } };
        if (path.endsWith('/application-properties')) return { status: 200, headers: { 'X-AUSERNAME': name }, json: { version: '9.0.0' } };
        if (path.endsWith('/_apis/connectionData')) return { status: 200, json: { authenticatedUser: { id: 'u1', descriptor: 'aad.x', providerDisplayName: name, properties: { Account: { $value: name } } } } };
        return null;
      },
    ]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-pat-names-'));
    const caFile = path.join(dir, 'ca.pem');
    fs.writeFileSync(caFile, checker.ca);
    const origins = [GHES, GITLAB, ADO, 'https://bitbucket.example.test'];
    const options = { http: { caFile }, endpoints: Object.fromEntries(origins.map((origin) => [origin, checker.origin])) };
    const ghe = view('github', GHES);
    const bbdc = view('bitbucket-dc', 'https://bitbucket.example.test');
    const lab = view('gitlab', GITLAB);
    const azure = view('azure-devops', ADO);
    try {
      name = 'x'.repeat(200);
      for (const entry of [ghe, bbdc, lab]) expect((await checkPat(entry, null, 'a-token', options)).account, entry.kind).toBe(name);
      expect((await checkPat(azure, 'contoso', 'a-token', options)).account).toBe(name);
      for (const odd of bad) {
        name = odd;
        for (const entry of headerSafe(odd) ? [ghe, bbdc] : [ghe]) {
          await expect(checkPat(entry, null, 'a-token', options), `${entry.kind} ${JSON.stringify(odd)}`).rejects.toMatchObject({
            code: 'unreachable',
            detail: { host: entry.host, providerCode: 'account-name' },
            message: expect.stringMatching(/account name Paddock cannot keep .* so the token was not kept/),
          });
        }
        expect(await checkPat(lab, null, 'a-token', options), JSON.stringify(odd)).toMatchObject({ account: null, scopes: ['write_repository', 'read_user'] });
        // Not anonymous (it has a display name): the token passes, without a name.
        expect(await checkPat(azure, 'contoso', 'a-token', options), JSON.stringify(odd)).toEqual({ account: null, scopes: [], expiresAt: null });
      }
    } finally {
      await checker.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
