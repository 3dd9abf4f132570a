// The per-provider token exchange, refresh and token check (issue 9 point 2), in-process against
// the provider simulators: each provider's client authentication, rotating refresh tokens, and
// the refusals the token lifecycle acts on (reconnect-needed, unreachable).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderView } from '../../electron/common/provider-config';
import { authorizeUrl, newPkce, newState } from '../../electron/runner/oauth/attempts';
import { exchangeCode, refreshOAuthToken, type GrantedToken } from '../../electron/runner/oauth/exchange';
import { checkOAuthToken } from '../../electron/runner/oauth/identity';
import type { StoredToken } from '../../electron/runner/tokens';
import type { AuthorizeOutcome } from '../fakes/oauth';
import { startSimulator, type Simulator, type SimulatorResponse } from '../fakes/simulator';
import { SIMULATED_OAUTH, SIMULATED_TENANT, SIMULATED_USER, startProviderSimulators, type ProviderSimulators } from '../helpers/provider-simulators';

let sims: ProviderSimulators;
beforeAll(async () => {
  sims = await startProviderSimulators();
}, 60_000);
afterAll(async () => {
  await sims?.close();
});

const view = (kind: ProviderView['kind'], host: string, clientId: string, more: Partial<ProviderView> = {}): ProviderView => ({
  kind,
  host,
  organizations: [],
  collections: [],
  oauth: { enabled: true, clientId, tenant: null, secretSet: false },
  pat: { enabled: true },
  managed: false,
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...more,
});
const ado = view('azure-devops', 'https://dev.azure.com', SIMULATED_OAUTH.azureDevOps.clientId, {
  organizations: [{ name: 'contoso', tenant: SIMULATED_TENANT, tenantOrigin: 'entered' }],
  oauth: { enabled: true, clientId: SIMULATED_OAUTH.azureDevOps.clientId, tenant: SIMULATED_TENANT, secretSet: false },
});
const github = view('github', 'https://github.com', SIMULATED_OAUTH.github.clientId);
const gitlab = view('gitlab', 'https://gitlab.com', SIMULATED_OAUTH.gitlab.clientId);
const bitbucket = view('bitbucket-cloud', 'https://bitbucket.org', SIMULATED_OAUTH.bitbucketCloud.clientId);
const bitbucketDc = view('bitbucket-dc', 'https://bitbucket.example.test', SIMULATED_OAUTH.bitbucketDc.clientId);

const net = () => ({ http: { caFile: sims.caFile }, endpoints: sims.endpoints });

async function granted(entry: ProviderView, redirectUri: string, press: (url: string) => Promise<AuthorizeOutcome>, clientSecret: string | null, organization: string | null = null) {
  const pkce = newPkce();
  const state = newState();
  const outcome = await press(authorizeUrl(entry, organization, { state, redirectUri, challenge: pkce.challenge }, sims.endpoints));
  if (outcome.kind !== 'redirect') throw new Error(`expected a redirect: ${outcome.text.slice(0, 200)}`);
  const location = new URL(outcome.location);
  expect(location.searchParams.get('state')).toBe(state);
  const code = location.searchParams.get('code')!;
  const token = await exchangeCode(entry, organization, { code, redirectUri, verifier: pkce.verifier }, { clientSecret, ...net() });
  return { token, code, redirectUri, verifier: pkce.verifier };
}

const stored = (entry: ProviderView, token: GrantedToken, organization: string | null = null): StoredToken => ({
  host: entry.host,
  organization,
  method: 'oauth',
  token: token.token,
  refreshToken: token.refreshToken,
  account: 'sam',
  obtainedAt: new Date().toISOString(),
  expiresAt: token.expiresAt,
  scopes: token.scopes ?? [],
  rejected: false,
});

describe('GitLab', () => {
  it('exchanges with PKCE as a public client, refreshes with rotation: the old refresh and access tokens are then refused', async () => {
    const { token } = await granted(gitlab, 'paddock://oauth/callback', (url) => sims.oauth.gitlab.authorize(url, 'allow'), null);
    expect(token.refreshToken).not.toBeNull();
    expect(await checkOAuthToken(gitlab, null, token.token, net())).toEqual({ account: SIMULATED_USER.username, scopes: expect.arrayContaining(['write_repository', 'read_user']) });

    const refreshed = await refreshOAuthToken(gitlab, stored(gitlab, token), { clientSecret: null, ...net() });
    expect(refreshed.token).not.toBe(token.token);
    expect(refreshed.refreshToken).not.toBe(token.refreshToken);
    expect(new Date(refreshed.expiresAt!).getTime()).toBeGreaterThan(Date.now() + 100 * 60_000);
    expect(await checkOAuthToken(gitlab, null, refreshed.token, net())).toMatchObject({ account: SIMULATED_USER.username });

    await expect(refreshOAuthToken(gitlab, stored(gitlab, token), { clientSecret: null, ...net() })).rejects.toMatchObject({ code: 'reconnect-needed', detail: { host: gitlab.host, providerCode: 'invalid_grant' } });
    await expect(checkOAuthToken(gitlab, null, token.token, net())).rejects.toMatchObject({ code: 'reconnect-needed', detail: { host: gitlab.host, providerCode: '401' } });
  });

  it('a code used twice is refused: connect again', async () => {
    const first = await granted(gitlab, 'paddock://oauth/callback', (url) => sims.oauth.gitlab.authorize(url, 'allow'), null);
    await expect(exchangeCode(gitlab, null, { code: first.code, redirectUri: first.redirectUri, verifier: first.verifier }, { clientSecret: null, ...net() })).rejects.toMatchObject({ code: 'reconnect-needed' });
  });

  it('a revoked refresh token: reconnect-needed', async () => {
    const { token } = await granted(gitlab, 'paddock://oauth/callback', (url) => sims.oauth.gitlab.authorize(url, 'allow'), null);
    sims.oauth.gitlab.failOAuth('refresh-revoked');
    try {
      await expect(refreshOAuthToken(gitlab, stored(gitlab, token), { clientSecret: null, ...net() })).rejects.toMatchObject({ code: 'reconnect-needed', detail: { providerCode: 'invalid_grant' } });
    } finally {
      sims.oauth.gitlab.failOAuth(null);
    }
  });

  it('a provider that cannot be reached: unreachable, naming the host', async () => {
    const { token } = await granted(gitlab, 'paddock://oauth/callback', (url) => sims.oauth.gitlab.authorize(url, 'allow'), null);
    await expect(
      refreshOAuthToken(gitlab, stored(gitlab, token), { clientSecret: null, http: { caFile: sims.caFile }, endpoints: { 'https://gitlab.com': 'https://127.0.0.1:1' } }),
    ).rejects.toMatchObject({ code: 'unreachable', detail: { host: gitlab.host } });
  });
});

describe('Entra ID (Azure DevOps)', () => {
  it('exchanges as a public client on the tenant’s authority, with a refresh token (offline_access) and an ID token', async () => {
    const { token } = await granted(ado, 'paddock://oauth/callback', (url) => sims.oauth.entra.authorize(url, 'allow'), null, 'contoso');
    expect(token.refreshToken).not.toBeNull();
    expect(token.idToken).not.toBeNull();
    expect(await checkOAuthToken(ado, 'contoso', token.token, net())).toEqual({ account: SIMULATED_USER.email, scopes: null });
    const refreshed = await refreshOAuthToken(ado, stored(ado, token, 'contoso'), { clientSecret: null, ...net() });
    expect(refreshed.token).not.toBe(token.token);
    expect(refreshed.refreshToken).not.toBeNull();
  });

  it('an expired refresh token (AADSTS700082): reconnect-needed with the organization', async () => {
    const { token } = await granted(ado, 'paddock://oauth/callback', (url) => sims.oauth.entra.authorize(url, 'allow'), null, 'contoso');
    sims.oauth.entra.failOAuth('refresh-expired');
    try {
      await expect(refreshOAuthToken(ado, stored(ado, token, 'contoso'), { clientSecret: null, ...net() })).rejects.toMatchObject({
        code: 'reconnect-needed',
        detail: { host: ado.host, organization: 'contoso', providerCode: 'AADSTS700082' },
      });
    } finally {
      sims.oauth.entra.failOAuth(null);
    }
  });

  it('a secret sent for a public client is refused with what to change', async () => {
    const pkce = newPkce();
    const outcome = await sims.oauth.entra.authorize(authorizeUrl(ado, 'contoso', { state: newState(), redirectUri: 'paddock://oauth/callback', challenge: pkce.challenge }, sims.endpoints), 'allow');
    const code = outcome.kind === 'redirect' ? new URL(outcome.location).searchParams.get('code')! : '';
    await expect(exchangeCode(ado, 'contoso', { code, redirectUri: 'paddock://oauth/callback', verifier: pkce.verifier }, { clientSecret: 'not-for-a-public-client', ...net() })).rejects.toMatchObject({
      code: 'policy-blocked',
      detail: { providerCode: 'AADSTS700025', setting: 'Client Secret' },
    });
  });
});

describe('GitHub', () => {
  it('exchanges with the secret in the body for a JSON answer; there is nothing to refresh', async () => {
    const { token } = await granted(github, 'http://127.0.0.1:50000/oauth/callback', (url) => sims.oauth.github.authorize(url, 'allow'), SIMULATED_OAUTH.github.clientSecret);
    expect(token).toMatchObject({ refreshToken: null, expiresAt: null });
    expect(token.scopes).toEqual(expect.arrayContaining(['repo', 'workflow']));
    await expect(refreshOAuthToken(github, stored(github, token), { clientSecret: SIMULATED_OAUTH.github.clientSecret, ...net() })).rejects.toMatchObject({ code: 'reconnect-needed' });
  });

  it('a wrong client secret: the runner’s admin enters the current one', async () => {
    const pkce = newPkce();
    const redirectUri = 'http://127.0.0.1:50000/oauth/callback';
    const outcome = await sims.oauth.github.authorize(authorizeUrl(github, null, { state: newState(), redirectUri, challenge: pkce.challenge }, sims.endpoints), 'allow');
    const code = outcome.kind === 'redirect' ? new URL(outcome.location).searchParams.get('code')! : '';
    await expect(exchangeCode({ ...github, oauth: { ...github.oauth, secretSet: true } }, null, { code, redirectUri, verifier: pkce.verifier }, { clientSecret: 'wrong', ...net() })).rejects.toMatchObject({
      code: 'policy-blocked',
      detail: { providerCode: 'incorrect_client_credentials', setting: 'Client Secret' },
      message: expect.stringContaining('enters the current one'),
    });
  });
});

describe('Bitbucket', () => {
  it('Cloud: Basic client authentication for the exchange and the refresh; a revoked refresh token is reconnect-needed', async () => {
    const { token } = await granted(bitbucket, 'http://localhost:38271/oauth/callback', (url) => sims.oauth.bitbucketCloud.authorize(url, 'allow'), SIMULATED_OAUTH.bitbucketCloud.clientSecret);
    expect(token.scopes).toEqual(['repository:write', 'account']);
    const refreshed = await refreshOAuthToken(bitbucket, stored(bitbucket, token), { clientSecret: SIMULATED_OAUTH.bitbucketCloud.clientSecret, ...net() });
    expect(refreshed.token).not.toBe(token.token);
    expect(await checkOAuthToken(bitbucket, null, refreshed.token, net())).toMatchObject({ account: SIMULATED_USER.username });
    sims.oauth.bitbucketCloud.failOAuth('refresh-revoked');
    try {
      await expect(refreshOAuthToken(bitbucket, stored(bitbucket, token), { clientSecret: SIMULATED_OAUTH.bitbucketCloud.clientSecret, ...net() })).rejects.toMatchObject({ code: 'reconnect-needed' });
    } finally {
      sims.oauth.bitbucketCloud.failOAuth(null);
    }
  });

  it('Data Center: PKCE and the secret; refresh rotates', async () => {
    const { token } = await granted(bitbucketDc, 'http://localhost:38271/oauth/callback', (url) => sims.oauth.bitbucketDc.authorize(url, 'allow'), SIMULATED_OAUTH.bitbucketDc.clientSecret);
    expect(await checkOAuthToken(bitbucketDc, null, token.token, net())).toEqual({ account: SIMULATED_USER.username, scopes: null });
    const deps = { clientSecret: SIMULATED_OAUTH.bitbucketDc.clientSecret, ...net() };
    const refreshed = await refreshOAuthToken(bitbucketDc, stored(bitbucketDc, token), deps);
    expect(refreshed.refreshToken).not.toBe(token.refreshToken);
    await expect(refreshOAuthToken(bitbucketDc, stored(bitbucketDc, token), deps)).rejects.toMatchObject({ code: 'reconnect-needed' });
  });
});

describe('token endpoint answers read with care (RFC 6749 §5.2, §7.1)', () => {
  // A token endpoint for gitlab.com that answers what each case sets: the shapes no real provider sends.
  let endpoint: Simulator;
  let answer: SimulatorResponse = { status: 500 };
  beforeAll(async () => {
    endpoint = await startSimulator([({ method, url }) => (method === 'POST' && url.pathname === '/oauth/token' ? answer : null)]);
  });
  afterAll(async () => {
    await endpoint?.close();
  });
  const odd = () => ({ http: { caFile: sims.caFile }, endpoints: { 'https://gitlab.com': endpoint.origin } });
  const exchange = () => exchangeCode(gitlab, null, { code: 'a-code', redirectUri: 'paddock://oauth/callback', verifier: null }, { clientSecret: null, ...odd() });
  const old: StoredToken = { host: gitlab.host, organization: null, method: 'oauth', token: 'old-access', refreshToken: 'old-refresh', account: 'sam', obtainedAt: new Date().toISOString(), expiresAt: null, scopes: [], rejected: false };
  const refresh = () => refreshOAuthToken(gitlab, old, { clientSecret: null, ...odd() });
  const tokens = (more: Record<string, unknown>) => ({ status: 200, json: { access_token: 'new-access', refresh_token: 'new-refresh', expires_in: 7200, scope: 'write_repository read_user', ...more } });

  it('a token that is not a bearer token (token_type missing or another type) is refused with what to do, and not kept', async () => {
    for (const type of [undefined, 'mac', 'DPoP', 'bearer ', '']) {
      answer = tokens({ token_type: type });
      const expected = { code: 'forbidden', detail: { host: gitlab.host, providerCode: 'token_type' }, message: expect.stringMatching(/not a bearer token.*the runner’s admin checks the OAuth registration/) };
      await expect(exchange(), String(type)).rejects.toMatchObject(expected);
      await expect(refresh(), String(type)).rejects.toMatchObject(expected);
    }
    for (const type of ['bearer', 'Bearer', 'BEARER']) {
      answer = tokens({ token_type: type });
      expect(await exchange()).toMatchObject({ token: 'new-access', refreshToken: 'new-refresh' });
    }
  });

  it('an expires_in beyond 10 years or below 1 s is read as none, so a rotated refresh token is not lost to a RangeError', async () => {
    for (const expiresIn of [1e300, 8.64e15, 10 * 365 * 24 * 3600 + 1, '99999999999999999999', 0, -5, 0.5, 'soon', null]) {
      answer = tokens({ token_type: 'Bearer', expires_in: expiresIn });
      expect(await exchange(), String(expiresIn)).toMatchObject({ token: 'new-access', expiresAt: null });
      expect(await refresh(), String(expiresIn)).toEqual({ token: 'new-access', refreshToken: 'new-refresh', expiresAt: null, scopes: ['write_repository', 'read_user'] });
    }
    answer = tokens({ token_type: 'Bearer', expires_in: 10 * 365 * 24 * 3600 });
    expect(new Date((await exchange()).expiresAt!).getTime()).toBeGreaterThan(Date.now() + 9 * 365 * 24 * 3600_000);
    answer = tokens({ token_type: 'Bearer', expires_in: '3600' });
    expect(new Date((await refresh()).expiresAt!).getTime()).toBeLessThan(Date.now() + 3601_000);
  });

  it('an error outside RFC 6749 §5.2’s characters (or too long, or not text) is read as unknown_error, never repeated', async () => {
    for (const error of ['bad\u001b[31mcode', 'quote"d', 'back\\slash', 'ünïcode', 'x'.repeat(201), 42, { code: 'x' }]) {
      answer = { status: 400, json: { error, error_description: 'whatever' } };
      const refused = await exchange().then(
        () => null,
        (e: unknown) => e as { code: string; message: string; detail: { providerCode: string } },
      );
      expect(refused, JSON.stringify(error)).toMatchObject({ code: 'forbidden', detail: { providerCode: 'unknown_error' } });
      expect(refused!.message).toContain('(unknown_error)');
      await expect(refresh()).rejects.toMatchObject({ code: 'reconnect-needed', detail: { providerCode: 'unknown_error' } });
    }
    // Within the characters: repeated as the provider's code.
    answer = { status: 400, json: { error: 'temporarily_unavailable' } };
    await expect(exchange()).rejects.toMatchObject({ detail: { providerCode: 'temporarily_unavailable' } });
  });
});

describe('account names from the token check (at most 200 characters, no control or format characters)', () => {
  // Answers every provider's token check with the account name each case sets.
  let checker: Simulator;
  let name = 'sam';
  beforeAll(async () => {
    checker = await startSimulator([
      ({ url }) => {
        const path = url.pathname;
        if (path.endsWith('/oauth/token/info')) return { status: 200, json: { scope: ['write_repository', 'read_user'] } };
        if (path.endsWith('/user')) return { status: 200, json: { login: name, username: name, display_name: name } };
        if (path.endsWith('/application-properties')) return { status: 200, headers: { 'X-AUSERNAME': name }, json: { version: '9.0.0' } };
        if (path.endsWith('/_apis/profile/profiles/me')) return { status: 200, json: { emailAddress: name, displayName: 'Sam Example' } };
        return null;
      },
    ]);
  });
  afterAll(async () => {
    await checker?.close();
  });
  const origins = ['https://api.github.com', 'https://gitlab.com', 'https://api.bitbucket.org', 'https://bitbucket.example.test', 'https://app.vssps.visualstudio.com'];
  const options = () => ({ http: { caFile: sims.caFile }, endpoints: Object.fromEntries(origins.map((origin) => [origin, checker.origin])) });
  const unusable = { code: 'unreachable', detail: { providerCode: 'account-name' }, message: expect.stringMatching(/account name Paddock cannot keep \(longer than 200 characters, or with control characters\), so the connection was not kept/) };
  // Latin-1 only where the name travels in a header (Bitbucket DC's X-AUSERNAME).
  const bad = ['x'.repeat(201), 'sam\u0007', 'sam\u0085', 'sam\u202eevil', 'sam\u200b', 'sam\u2028x', 'sam\u2029x', 'sam\u00ad'];

  it('a name the check’s answer must carry (GitHub, GitLab, Bitbucket DC) refuses the connection; a good one is kept', async () => {
    for (const entry of [github, gitlab, bitbucketDc]) {
      name = 'x'.repeat(200);
      expect((await checkOAuthToken(entry, null, 'a-token', options())).account, entry.kind).toBe(name);
      for (const odd of bad) {
        if (entry.kind === 'bitbucket-dc' && /[^\t\u0020-\u007e\u0080-\u00ff]/.test(odd)) continue;
        name = odd;
        await expect(checkOAuthToken(entry, null, 'a-token', options()), `${entry.kind} ${JSON.stringify(odd)}`).rejects.toMatchObject({ ...unusable, detail: { ...unusable.detail, host: entry.host } });
      }
    }
  });

  it('an optional name (Bitbucket Cloud, Azure DevOps’ profile) is read as not reported: the next one, or none', async () => {
    for (const odd of bad) {
      name = odd;
      expect(await checkOAuthToken(bitbucket, null, 'a-token', options()), JSON.stringify(odd)).toMatchObject({ account: null });
      expect(await checkOAuthToken(ado, 'contoso', 'a-token', options()), JSON.stringify(odd)).toEqual({ account: 'Sam Example', scopes: null });
    }
  });
});
