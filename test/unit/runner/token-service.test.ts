import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PaddockError } from '../../../electron/common/errors';
import type { ProviderView } from '../../../electron/common/provider-config';
import type { RunnerLogger } from '../../../electron/runner/logger';
import type { PatIdentity } from '../../../electron/runner/pat';
import {
  STOP_WAIT_MS,
  TokenService,
  type OAuthRefresher,
  type OAuthTokenChecker,
  type PatTokenChecker,
  type RefreshedToken,
} from '../../../electron/runner/token-service';
import { tokenIdOf, TokenStore, type StoredToken } from '../../../electron/runner/tokens';
import { Vault } from '../../../electron/runner/vault';

const ADO = 'https://dev.azure.com';
const GITLAB = 'https://gitlab.example.test';
const entry = (kind: ProviderView['kind'], host: string, organizations: ProviderView['organizations'] = []): ProviderView => ({
  kind,
  host,
  organizations,
  collections: [],
  oauth: { enabled: true, clientId: 'client-id', tenant: null, secretSet: kind === 'gitlab' },
  pat: { enabled: true },
  managed: false,
  updatedAt: '2026-01-01T00:00:00.000Z',
});
const providers = [
  entry('azure-devops', ADO, [{ name: 'contoso', tenant: '72f988bf-86f1-41af-91ab-2d7cd011db47', tenantOrigin: 'entered' }]),
  entry('gitlab', GITLAB),
];

const START = new Date('2026-06-01T12:00:00.000Z');
const minutes = (n: number) => new Date(START.getTime() + n * 60_000).toISOString();

function oauthToken(over: Partial<StoredToken> = {}): StoredToken {
  return {
    host: GITLAB,
    organization: null,
    method: 'oauth',
    token: 'access-1',
    refreshToken: 'refresh-1',
    account: 'sam',
    obtainedAt: START.toISOString(),
    expiresAt: minutes(60),
    scopes: ['read_repository'],
    rejected: false,
    ...over,
  };
}

const adoToken = (over: Partial<StoredToken> = {}) => oauthToken({ host: ADO, organization: 'contoso', token: 'ado-access-1', refreshToken: 'ado-refresh-1', scopes: ['vso.code_write'], ...over });
const pat = (over: Partial<StoredToken> = {}) => oauthToken({ method: 'pat', token: 'glpat-secret', refreshToken: null, expiresAt: null, ...over });

/** A provider answer the test releases when it wants. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const refused = () => new PaddockError('reconnect-needed', 'The provider refused the refresh.', undefined, { host: GITLAB, providerCode: 'invalid_grant' });
const unreachable = () => new PaddockError('unreachable', 'GitLab cannot be reached.', undefined, { host: GITLAB });

let dir: string;
let store: TokenStore;
let now: Date;
let logLines: string[];
let refresh: ReturnType<typeof vi.fn<OAuthRefresher>>;
let checkOAuth: ReturnType<typeof vi.fn<OAuthTokenChecker>>;
let checkPat: ReturnType<typeof vi.fn<PatTokenChecker>>;
let service: TokenService;
let counter: number;

const logger: RunnerLogger = {
  info: (message, fields) => logLines.push(JSON.stringify({ level: 'info', message, ...fields })),
  warn: (message, fields) => logLines.push(JSON.stringify({ level: 'warn', message, ...fields })),
  error: (message, fields) => logLines.push(JSON.stringify({ level: 'error', message, ...fields })),
};

/** GitLab-like: each refresh gives a new access token and rotates the refresh token, one hour long. */
const rotating: OAuthRefresher = (_entry, stored) => {
  counter++;
  return Promise.resolve({ token: `access-${counter + 1}`, refreshToken: `refresh-${counter + 1}`, expiresAt: new Date(now.getTime() + 3600_000).toISOString(), scopes: stored.scopes });
};

function makeService(extra: { sweepIntervalMs?: number } = {}) {
  return new TokenService({
    tokens: store,
    providers: () => providers,
    clientSecret: (host) => (host === GITLAB ? 'gitlab-client-secret' : null),
    refresh,
    checkOAuth,
    checkPat,
    logger,
    now: () => now,
    ...extra,
  });
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-token-service-'));
  now = START;
  store = new TokenStore(new Vault(path.join(dir, 'vault'), new Uint8Array(32).fill(5)), () => now);
  logLines = [];
  counter = 0;
  refresh = vi.fn<OAuthRefresher>(rotating);
  checkOAuth = vi.fn<OAuthTokenChecker>(() => Promise.resolve({ account: 'sam', scopes: ['read_repository', 'write_repository'] }));
  checkPat = vi.fn<PatTokenChecker>(() => Promise.resolve<PatIdentity>({ account: 'sam', scopes: ['read_repository', 'read_user'], expiresAt: '2026-07-01T00:00:00.000Z' }));
  service = makeService();
});

afterEach(async () => {
  await service.stop();
  vi.useRealTimers();
  fs.rmSync(dir, { recursive: true, force: true });
  // No line of any test's log holds a token or refresh token.
  for (const line of logLines) expect(line).not.toMatch(/access-\d|refresh-\d|glpat-secret|gitlab-client-secret/);
});

describe('usable', () => {
  it('gives the token in use as it is while it is far from its expiry', async () => {
    const stored = store.put('c_alice', oauthToken());
    const usable = await service.usable('c_alice', GITLAB, null);
    expect(usable).toEqual({ id: tokenIdOf(stored), host: GITLAB, organization: null, method: 'oauth', account: 'sam', token: 'access-1', expiresAt: minutes(60) });
    expect(refresh).not.toHaveBeenCalled();
  });

  it('refreshes an OAuth token ending within 5 minutes first, keeping the rotated refresh token (GitLab)', async () => {
    store.put('c_alice', oauthToken({ expiresAt: minutes(4) }));
    const usable = await service.usable('c_alice', GITLAB, null);
    expect(usable.token).toBe('access-2');
    expect(refresh).toHaveBeenCalledOnce();
    const [entryArg, storedArg, deps] = refresh.mock.calls[0]!;
    expect(entryArg.host).toBe(GITLAB);
    expect(storedArg.refreshToken).toBe('refresh-1');
    expect(deps.clientSecret).toBe('gitlab-client-secret');
    const kept = store.inUse('c_alice', GITLAB, null)!;
    expect(kept).toMatchObject({ token: 'access-2', refreshToken: 'refresh-2', expiresAt: new Date(START.getTime() + 3600_000).toISOString(), rejected: false });
    expect(logLines.some((line) => line.includes('token refreshed') && line.includes(usable.id))).toBe(true);
    // The app is told it renews: the hour left is its access's, not the connection's.
    expect(store.list('c_alice')[0]).toMatchObject({ method: 'oauth', renews: true });
  });

  it('keeps the old refresh token when the provider did not rotate it, and takes the new scopes and expiry', async () => {
    store.put('c_alice', adoToken({ expiresAt: minutes(-1) }));
    refresh.mockImplementationOnce(() => Promise.resolve<RefreshedToken>({ token: 'ado-access-2', refreshToken: null, expiresAt: minutes(90), scopes: ['vso.code_write', 'offline_access'] }));
    const usable = await service.usable('c_alice', ADO, 'contoso');
    expect(usable.token).toBe('ado-access-2');
    expect(store.inUse('c_alice', ADO, 'contoso')).toMatchObject({ token: 'ado-access-2', refreshToken: 'ado-refresh-1', expiresAt: minutes(90), scopes: ['vso.code_write', 'offline_access'] });
  });

  it('marks the token rejected when its refresh is refused, and then refuses it at once without asking the provider again', async () => {
    store.put('c_alice', adoToken({ expiresAt: minutes(2) }));
    refresh.mockImplementation(() => Promise.reject(refused()));
    const first = await service.usable('c_alice', ADO, 'contoso').catch((error: unknown) => error);
    expect(first).toBeInstanceOf(PaddockError);
    expect(first).toMatchObject({ code: 'reconnect-needed', detail: { host: ADO, organization: 'contoso', providerCode: 'invalid_grant' } });
    expect((first as PaddockError).message).toMatch(/contoso/);
    expect((first as PaddockError).message).toMatch(/Reconnect/);
    expect(store.list('c_alice')[0]!.state).toBe('reconnect-needed');
    await expect(service.usable('c_alice', ADO, 'contoso')).rejects.toMatchObject({ code: 'reconnect-needed', detail: { host: ADO, organization: 'contoso' } });
    expect(refresh).toHaveBeenCalledOnce();
    expect(logLines.some((line) => line.includes('token rejected') && line.includes('contoso'))).toBe(true);
  });

  it('says auth-required for a host and organization without a token', async () => {
    store.put('c_alice', adoToken());
    await expect(service.usable('c_alice', ADO, 'fabrikam')).rejects.toMatchObject({ code: 'auth-required', detail: { host: ADO, organization: 'fabrikam' } });
    await expect(service.usable('c_bob', GITLAB, null)).rejects.toMatchObject({ code: 'auth-required', detail: { host: GITLAB } });
  });

  it('gives a chosen account by its id, refreshed like the one in use, and says auth-required once it is gone', async () => {
    const id = tokenIdOf(store.put('c_alice', oauthToken({ expiresAt: minutes(4) })));
    const usable = await service.usableById('c_alice', id, GITLAB, null);
    expect(usable).toMatchObject({ id, token: 'access-2' });
    expect(refresh).toHaveBeenCalledOnce();
    await expect(service.usableById('c_alice', 't_ffffffffffffffff', GITLAB, null)).rejects.toMatchObject({ code: 'auth-required', detail: { host: GITLAB } });
    await expect(service.usableById('c_bob', id, GITLAB, null)).rejects.toMatchObject({ code: 'auth-required' });
  });

  it('says reconnect-needed for an expired token that cannot be refreshed', async () => {
    store.put('c_alice', pat({ expiresAt: minutes(-5) }));
    await expect(service.usable('c_alice', GITLAB, null)).rejects.toMatchObject({ code: 'reconnect-needed', detail: { host: GITLAB } });
    expect(refresh).not.toHaveBeenCalled();
  });

  it('leaves the token as it was when the refresh cannot reach the provider', async () => {
    store.put('c_alice', oauthToken({ expiresAt: minutes(3) }));
    refresh.mockImplementationOnce(() => Promise.reject(unreachable()));
    await expect(service.usable('c_alice', GITLAB, null)).rejects.toMatchObject({ code: 'unreachable' });
    expect(store.inUse('c_alice', GITLAB, null)).toMatchObject({ token: 'access-1', refreshToken: 'refresh-1', rejected: false });
    expect((await service.usable('c_alice', GITLAB, null)).token).toBe('access-2');
  });
});

describe('one refresh in flight per token', () => {
  it('makes usable, check, rejected and the sweep share one refresh, so a rotating refresh token is redeemed once', async () => {
    const stored = store.put('c_alice', oauthToken({ expiresAt: minutes(1) }));
    const id = tokenIdOf(stored);
    const answer = deferred<RefreshedToken>();
    refresh.mockImplementationOnce(() => answer.promise);
    const waiting = [
      service.usable('c_alice', GITLAB, null),
      service.usable('c_alice', GITLAB, null),
      service.check('c_alice', id, { signal: new AbortController().signal }),
      service.rejected('c_alice', id, 'git push answered 401'),
      service.sweep(),
    ];
    answer.resolve({ token: 'access-2', refreshToken: 'refresh-2', expiresAt: minutes(61), scopes: ['read_repository'] });
    const [a, b, checked, retried, swept] = await Promise.all(waiting);
    expect(refresh).toHaveBeenCalledOnce();
    expect(a).toMatchObject({ token: 'access-2' });
    expect(b).toMatchObject({ token: 'access-2' });
    expect(checked).toMatchObject({ kind: 'token-check', refreshed: true, token: { id, state: 'connected' } });
    expect(retried).toMatchObject({ token: 'access-2' });
    expect(swept).toEqual({ refreshed: 1, rejected: 0, failed: 0 });
    expect(store.get('c_alice', id)).toMatchObject({ token: 'access-2', refreshToken: 'refresh-2' });
  });

  it('does not write a refresh back over a token logged out or connected again meanwhile', async () => {
    const stored = store.put('c_alice', oauthToken({ expiresAt: minutes(1) }));
    const answer = deferred<RefreshedToken>();
    refresh.mockImplementationOnce(() => answer.promise);
    const using = service.usable('c_alice', GITLAB, null);
    store.put('c_alice', oauthToken({ token: 'access-new', refreshToken: 'refresh-new', expiresAt: minutes(120) }));
    answer.resolve({ token: 'access-2', refreshToken: 'refresh-2', expiresAt: minutes(61), scopes: [] });
    expect((await using).token).toBe('access-new');
    expect(store.get('c_alice', tokenIdOf(stored))).toMatchObject({ token: 'access-new', refreshToken: 'refresh-new' });

    const again = deferred<RefreshedToken>();
    refresh.mockImplementationOnce(() => again.promise);
    now = new Date(START.getTime() + 119 * 60_000);
    const second = service.usable('c_alice', GITLAB, null);
    store.delete('c_alice', { host: GITLAB });
    again.resolve({ token: 'access-3', refreshToken: 'refresh-3', expiresAt: minutes(180), scopes: [] });
    await expect(second).rejects.toMatchObject({ code: 'not-found' });
    expect(store.list('c_alice')).toEqual([]);
  });
});

describe('rejected', () => {
  it('refreshes an OAuth token once and gives the new one to retry with', async () => {
    const id = tokenIdOf(store.put('c_alice', oauthToken()));
    const retry = await service.rejected('c_alice', id, 'git fetch answered 401');
    expect(retry).toMatchObject({ id, token: 'access-2' });
    expect(refresh).toHaveBeenCalledOnce();
    expect(store.get('c_alice', id)!.rejected).toBe(false);
  });

  it('marks the token rejected when the token from that refresh is refused too, without a second refresh', async () => {
    const id = tokenIdOf(store.put('c_alice', oauthToken()));
    expect(await service.rejected('c_alice', id, 'git fetch answered 401')).toMatchObject({ token: 'access-2' });
    expect(await service.rejected('c_alice', id, 'git fetch answered 401')).toBeNull();
    expect(refresh).toHaveBeenCalledOnce();
    expect(store.get('c_alice', id)).toMatchObject({ token: 'access-2', rejected: true });
    await expect(service.usable('c_alice', GITLAB, null)).rejects.toMatchObject({ code: 'reconnect-needed' });
  });

  it('marks a personal access token rejected at once, and gives nothing to retry with', async () => {
    const id = tokenIdOf(store.put('c_alice', pat()));
    expect(await service.rejected('c_alice', id, 'git fetch answered 401')).toBeNull();
    expect(store.list('c_alice')[0]).toMatchObject({ id, state: 'reconnect-needed' });
    expect(refresh).not.toHaveBeenCalled();
    expect(logLines.some((line) => line.includes('token rejected') && line.includes('git fetch answered 401') && line.includes(id))).toBe(true);
    await expect(service.usable('c_alice', GITLAB, null)).rejects.toMatchObject({ code: 'reconnect-needed' });
  });

  it('marks an OAuth token rejected when its one refresh is refused, and never tries again', async () => {
    const id = tokenIdOf(store.put('c_alice', oauthToken()));
    refresh.mockImplementation(() => Promise.reject(refused()));
    expect(await service.rejected('c_alice', id, 'API answered 401')).toBeNull();
    expect(await service.rejected('c_alice', id, 'API answered 401')).toBeNull();
    expect(refresh).toHaveBeenCalledOnce();
    expect(store.get('c_alice', id)!.rejected).toBe(true);
  });

  it('marks an OAuth token without a refresh token rejected (GitHub)', async () => {
    const id = tokenIdOf(store.put('c_alice', oauthToken({ refreshToken: null, expiresAt: null })));
    expect(await service.rejected('c_alice', id, 'API answered 401')).toBeNull();
    expect(store.get('c_alice', id)!.rejected).toBe(true);
    expect(refresh).not.toHaveBeenCalled();
  });

  it('passes a network failure of the refresh on and marks nothing', async () => {
    const id = tokenIdOf(store.put('c_alice', oauthToken()));
    refresh.mockImplementationOnce(() => Promise.reject(unreachable()));
    await expect(service.rejected('c_alice', id, 'API answered 401')).rejects.toMatchObject({ code: 'unreachable' });
    expect(store.get('c_alice', id)).toMatchObject({ token: 'access-1', rejected: false });
  });
});

describe('check (the token-check job)', () => {
  const signal = () => new AbortController().signal;

  it('checks a personal access token with the PAT check and takes the scopes and expiry it reports', async () => {
    const id = tokenIdOf(store.put('c_alice', pat({ scopes: [] })));
    const result = await service.check('c_alice', id, { signal: signal() });
    expect(checkPat).toHaveBeenCalledOnce();
    expect(checkPat.mock.calls[0]![2]).toBe('glpat-secret');
    expect(result).toEqual({
      kind: 'token-check',
      refreshed: false,
      token: expect.objectContaining({ id, method: 'pat', account: 'sam', scopes: ['read_repository', 'read_user'], expiresAt: '2026-07-01T00:00:00.000Z', state: 'connected', renews: false, inUse: true }),
    });
    expect(store.get('c_alice', id)).toMatchObject({ token: 'glpat-secret', scopes: ['read_repository', 'read_user'], rejected: false });
  });

  it('marks a personal access token the provider refuses rejected, and fails with reconnect-needed', async () => {
    const id = tokenIdOf(store.put('c_alice', pat()));
    checkPat.mockImplementationOnce(() => Promise.reject(new PaddockError('invalid-input', 'GitLab refused this token (401).', [{ path: 'token', message: 'GitLab refused this token (401).' }])));
    await expect(service.check('c_alice', id, { signal: signal() })).rejects.toMatchObject({ code: 'reconnect-needed', detail: { host: GITLAB } });
    expect(store.list('c_alice')[0]!.state).toBe('reconnect-needed');
    await expect(service.check('c_alice', id, { signal: signal() })).rejects.toMatchObject({ code: 'reconnect-needed' });
    expect(checkPat).toHaveBeenCalledOnce();
  });

  it('checks an OAuth token with the identity check and keeps its expiry', async () => {
    const id = tokenIdOf(store.put('c_alice', oauthToken()));
    const result = await service.check('c_alice', id, { signal: signal() });
    expect(checkOAuth.mock.calls[0]![2]).toBe('access-1');
    expect(result).toMatchObject({ refreshed: false, token: { id, scopes: ['read_repository', 'write_repository'], expiresAt: minutes(60), state: 'connected' } });
    expect(refresh).not.toHaveBeenCalled();
  });

  it('refreshes once an OAuth token the provider refuses, and checks the new one', async () => {
    const id = tokenIdOf(store.put('c_alice', oauthToken()));
    checkOAuth.mockImplementationOnce(() => Promise.reject(new PaddockError('reconnect-needed', 'refused', undefined, { host: GITLAB, providerCode: '401' })));
    const result = await service.check('c_alice', id, { signal: signal() });
    expect(result).toMatchObject({ refreshed: true, token: { id, state: 'connected' } });
    expect(checkOAuth.mock.calls.map((call) => call[2])).toEqual(['access-1', 'access-2']);
    expect(refresh).toHaveBeenCalledOnce();
  });

  it('marks the token rejected when the refreshed token is refused too, without a second refresh', async () => {
    const id = tokenIdOf(store.put('c_alice', oauthToken()));
    checkOAuth.mockImplementation(() => Promise.reject(new PaddockError('reconnect-needed', 'refused', undefined, { host: GITLAB, providerCode: '401' })));
    await expect(service.check('c_alice', id, { signal: signal() })).rejects.toMatchObject({ code: 'reconnect-needed', detail: { host: GITLAB } });
    expect(refresh).toHaveBeenCalledOnce();
    expect(checkOAuth).toHaveBeenCalledTimes(2);
    expect(store.get('c_alice', id)!.rejected).toBe(true);
  });

  it('marks the token rejected when the refresh after a refusal is refused', async () => {
    const id = tokenIdOf(store.put('c_alice', adoToken()));
    checkOAuth.mockImplementation(() => Promise.reject(new PaddockError('reconnect-needed', 'refused', undefined, { host: ADO, providerCode: '401' })));
    refresh.mockImplementation(() => Promise.reject(new PaddockError('reconnect-needed', 'AADSTS700082', undefined, { host: ADO, providerCode: 'AADSTS700082' })));
    await expect(service.check('c_alice', id, { signal: signal() })).rejects.toMatchObject({ code: 'reconnect-needed', detail: { host: ADO, organization: 'contoso', providerCode: 'AADSTS700082' } });
    expect(store.list('c_alice')[0]!.state).toBe('reconnect-needed');
  });

  it('refreshes an OAuth token ending soon before checking it', async () => {
    const id = tokenIdOf(store.put('c_alice', oauthToken({ expiresAt: minutes(2) })));
    const result = await service.check('c_alice', id, { signal: signal() });
    expect(result).toMatchObject({ refreshed: true, token: { expiresAt: new Date(START.getTime() + 3600_000).toISOString() } });
    expect(checkOAuth.mock.calls[0]![2]).toBe('access-2');
  });

  it('leaves the token as it was when the provider cannot be reached', async () => {
    const id = tokenIdOf(store.put('c_alice', oauthToken()));
    checkOAuth.mockImplementationOnce(() => Promise.reject(unreachable()));
    await expect(service.check('c_alice', id, { signal: signal() })).rejects.toMatchObject({ code: 'unreachable' });
    expect(store.get('c_alice', id)).toMatchObject({ token: 'access-1', scopes: ['read_repository'], rejected: false });
  });

  it('says not-found for a token this workstation does not have', async () => {
    const id = tokenIdOf(store.put('c_alice', oauthToken()));
    await expect(service.check('c_bob', id, { signal: signal() })).rejects.toMatchObject({ code: 'not-found' });
    await expect(service.check('c_alice', 't_0000000000000000', { signal: signal() })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('aborts the provider request when the job is cancelled', async () => {
    const id = tokenIdOf(store.put('c_alice', oauthToken()));
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    checkOAuth.mockImplementationOnce((_entry, _organization, _token, options) => {
      seen = options.signal;
      return new Promise((_resolve, reject) => options.signal!.addEventListener('abort', () => reject(new PaddockError('cancelled', 'aborted'))));
    });
    const checking = service.check('c_alice', id, { signal: controller.signal });
    await vi.waitFor(() => expect(seen).toBeDefined());
    controller.abort();
    await expect(checking).rejects.toMatchObject({ code: 'cancelled' });
    expect(seen!.aborted).toBe(true);
    expect(store.get('c_alice', id)).toMatchObject({ token: 'access-1', rejected: false });
  });
});

describe('the background sweep', () => {
  it('refreshes every workstation’s OAuth tokens ending within 10 minutes, and leaves the others', async () => {
    const soon = tokenIdOf(store.put('c_alice', oauthToken({ expiresAt: minutes(9) })));
    const far = tokenIdOf(store.put('c_alice', adoToken({ expiresAt: minutes(30) })));
    const bobs = tokenIdOf(store.put('c_bob', adoToken({ expiresAt: minutes(-10) })));
    store.put('c_bob', pat({ expiresAt: minutes(5) }));
    store.put('c_carol', oauthToken({ expiresAt: minutes(1), rejected: true }));
    store.put('c_carol', adoToken({ expiresAt: minutes(1), refreshToken: null }));
    expect(await service.sweep()).toEqual({ refreshed: 2, rejected: 0, failed: 0 });
    expect(refresh.mock.calls.map((call) => call[1].refreshToken).sort()).toEqual(['ado-refresh-1', 'refresh-1']);
    expect(store.get('c_alice', soon)!.token).toBe('access-2');
    expect(store.get('c_alice', far)!.token).toBe('ado-access-1');
    expect(store.get('c_bob', bobs)!.refreshToken).not.toBe('ado-refresh-1');
  });

  it('marks a token whose refresh is refused rejected, and leaves one it could not reach for the next sweep', async () => {
    const gone = tokenIdOf(store.put('c_alice', adoToken({ expiresAt: minutes(5) })));
    const later = tokenIdOf(store.put('c_alice', oauthToken({ expiresAt: minutes(5) })));
    refresh.mockImplementation((entryArg) => Promise.reject(entryArg.host === ADO ? refused() : unreachable()));
    expect(await service.sweep()).toEqual({ refreshed: 0, rejected: 1, failed: 1 });
    expect(store.list('c_alice').map((view) => [view.id, view.state])).toEqual(
      expect.arrayContaining([
        [gone, 'reconnect-needed'],
        [later, 'connected'],
      ]),
    );
    refresh.mockImplementation(rotating);
    expect(await service.sweep()).toEqual({ refreshed: 1, rejected: 0, failed: 0 });
    expect(store.get('c_alice', later)!.token).toBe('access-2');
    expect(refresh).toHaveBeenCalledTimes(3);
  });

  it('refreshes one token at a time', async () => {
    store.put('c_alice', oauthToken({ expiresAt: minutes(5) }));
    store.put('c_bob', oauthToken({ expiresAt: minutes(5) }));
    const first = deferred<RefreshedToken>();
    refresh.mockImplementationOnce(() => first.promise);
    const sweeping = service.sweep();
    await vi.waitFor(() => expect(refresh).toHaveBeenCalledOnce());
    await new Promise((resolve) => setImmediate(resolve));
    expect(refresh).toHaveBeenCalledOnce();
    first.resolve({ token: 'access-9', refreshToken: null, expiresAt: minutes(65), scopes: [] });
    expect(await sweeping).toEqual({ refreshed: 2, rejected: 0, failed: 0 });
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('on stop, waits for a refresh in flight instead of aborting it: the rotated pair is stored, then nothing new starts', async () => {
    const id = tokenIdOf(store.put('c_alice', oauthToken({ expiresAt: minutes(5) })));
    const answer = deferred<RefreshedToken>();
    let signal: AbortSignal | undefined;
    refresh.mockImplementationOnce((_entry, _stored, deps) => {
      signal = deps.signal;
      // As the HTTP client does: an aborted request never delivers the provider's answer.
      signal?.addEventListener('abort', () => answer.reject(new PaddockError('cancelled', 'Aborted.')));
      return answer.promise;
    });
    const sweeping = service.sweep();
    await vi.waitFor(() => expect(refresh).toHaveBeenCalledOnce());
    let stopped = false;
    const stopping = service.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    // The provider has processed the refresh (GitLab rotated the refresh token): its answer arrives after stop().
    expect(stopped).toBe(false);
    expect(signal?.aborted).toBe(false);
    answer.resolve({ token: 'access-2', refreshToken: 'refresh-2', expiresAt: minutes(65), scopes: [] });
    await stopping;
    expect(await sweeping).toEqual({ refreshed: 1, rejected: 0, failed: 0 });
    expect(store.get('c_alice', id)).toMatchObject({ token: 'access-2', refreshToken: 'refresh-2', expiresAt: minutes(65) });
    expect(logLines.some((line) => line.includes('waiting for token refreshes before stopping'))).toBe(true);
    // Stopped: a token ending soon is not refreshed any more.
    await expect(service.usable('c_alice', GITLAB, null)).resolves.toMatchObject({ token: 'access-2' });
    now = new Date(START.getTime() + 62 * 60_000);
    await expect(service.usable('c_alice', GITLAB, null)).rejects.toMatchObject({ code: 'cancelled' });
    expect(refresh).toHaveBeenCalledOnce();
  });

  it('on stop, waits for refreshes in flight at most STOP_WAIT_MS', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const id = tokenIdOf(store.put('c_alice', oauthToken({ expiresAt: minutes(1) })));
    const answer = deferred<RefreshedToken>();
    refresh.mockImplementationOnce(() => answer.promise);
    const using = service.usable('c_alice', GITLAB, null);
    await vi.waitFor(() => expect(refresh).toHaveBeenCalledOnce());
    let stopped = false;
    const stopping = service.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(STOP_WAIT_MS - 1);
    expect(stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await stopping;
    expect(logLines.some((line) => line.includes('token refreshes still running when the runner stopped'))).toBe(true);
    // Should it still end, it is stored all the same.
    answer.resolve({ token: 'access-2', refreshToken: 'refresh-2', expiresAt: minutes(61), scopes: [] });
    expect(await using).toMatchObject({ token: 'access-2' });
    expect(store.get('c_alice', id)).toMatchObject({ refreshToken: 'refresh-2' });
  });

  it('runs on its interval once started, and no more once stopped', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    service = makeService({ sweepIntervalMs: 1000 });
    const id = tokenIdOf(store.put('c_alice', oauthToken({ expiresAt: minutes(8) })));
    service.start();
    await vi.advanceTimersByTimeAsync(1000);
    await vi.waitFor(() => expect(store.get('c_alice', id)!.token).toBe('access-2'));
    now = new Date(START.getTime() + 60 * 60_000);
    await service.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(refresh).toHaveBeenCalledOnce();
  });
});
