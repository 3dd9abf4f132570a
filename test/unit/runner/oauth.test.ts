import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ProviderView } from '../../../electron/common/provider-config';
import type { JobProgress, OAuthCallbackRequest } from '../../../electron/common/runner-api';
import type { JobContext } from '../../../electron/runner/jobs';
import type { RunnerLogger } from '../../../electron/runner/logger';
import { pkceChallenge as simulatorChallenge } from '../../fakes/oauth';
import { acceptedRedirect, authorizeUrl, newPkce, newState, pkceChallengeOf, stateKey } from '../../../electron/runner/oauth/attempts';
import { gitHubRestricted, oauthErrorCode, oauthPolicyBlocked, oauthRefusal, type OAuthErrorContext } from '../../../electron/runner/oauth/errors';
import { entraTenantFor, scopeList, type GrantedToken } from '../../../electron/runner/oauth/exchange';
import { checkEntraIdToken, idTokenAccount, missingOAuthScopes } from '../../../electron/runner/oauth/identity';
import { createOAuthService, type OAuthServiceDeps } from '../../../electron/runner/oauth/service';
import type { StoredToken, TokenStore } from '../../../electron/runner/tokens';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER_TENANT = '11111111-2222-4333-8444-555555555555';
const local = { kind: 'local', url: null } as const;

function entry(kind: ProviderView['kind'], host: string, more: Partial<ProviderView> = {}): ProviderView {
  return {
    kind,
    host,
    organizations: [],
    collections: [],
    oauth: { enabled: true, clientId: `${kind}-client`, tenant: null, secretSet: false },
    pat: { enabled: true },
    managed: false,
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...more,
  };
}

const ado = entry('azure-devops', 'https://dev.azure.com', {
  organizations: [
    { name: 'contoso', tenant: TENANT, tenantOrigin: 'entered' },
    { name: 'fabrikam', tenant: 'organizations', tenantOrigin: 'default' },
  ],
  oauth: { enabled: true, clientId: 'ado-client', tenant: OTHER_TENANT, secretSet: false },
});
const github = entry('github', 'https://github.com', { oauth: { enabled: true, clientId: 'gh-client', tenant: null, secretSet: true } });
const gitlab = entry('gitlab', 'https://gitlab.com');
const bitbucket = entry('bitbucket-cloud', 'https://bitbucket.org', { oauth: { enabled: true, clientId: 'bb-client', tenant: null, secretSet: true } });

describe('state and PKCE', () => {
  it('makes a 43-character base64url state from 32 random bytes, a new one each time', () => {
    const states = new Set(Array.from({ length: 50 }, () => newState()));
    expect(states.size).toBe(50);
    for (const state of states) {
      expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(state, 'base64url')).toHaveLength(32);
    }
  });

  it('finds attempts by the state’s SHA-256', () => {
    expect(stateKey('abc')).toBe(createHash('sha256').update('abc').digest('hex'));
  });

  it('makes an RFC 7636 verifier (43–128 unreserved characters) and its S256 challenge', () => {
    const { verifier, challenge } = newPkce();
    expect(verifier).toMatch(/^[A-Za-z0-9._~-]{43,128}$/);
    expect(challenge).toBe(pkceChallengeOf(verifier));
    // BASE64URL(SHA256(ASCII(verifier))), as the simulators compute it on their own (and openssl dgst -sha256 | base64url).
    expect(pkceChallengeOf(verifier)).toBe(simulatorChallenge(verifier));
    expect(pkceChallengeOf('dBjftJeZ4CVP-mJ92K9QHq0vMQv0wX8fGk8ytI8YbkM')).toBe('P8zLfSKmVlsBG0hikvci49mxC9ovDvwmU-gtyZZcdr8');
  });
});

describe('acceptedRedirect', () => {
  it('takes the custom scheme where the catalogue lists it', () => {
    expect(acceptedRedirect('azure-devops', 'paddock://oauth/callback', local)?.kind).toBe('custom-scheme');
    expect(acceptedRedirect('gitlab', 'paddock://oauth/callback', local)?.kind).toBe('custom-scheme');
  });

  it('compares a loopback redirect without its port, unless the option fixes one', () => {
    expect(acceptedRedirect('github', 'http://127.0.0.1:50123/oauth/callback', local)?.kind).toBe('loopback');
    expect(acceptedRedirect('github', 'http://127.0.0.1/oauth/callback', local)?.kind).toBe('loopback');
    expect(acceptedRedirect('azure-devops', 'http://localhost:61000/oauth/callback', local)?.kind).toBe('loopback');
    // Another host name than the registered one.
    expect(acceptedRedirect('github', 'http://localhost:50123/oauth/callback', local)).toBeNull();
    expect(acceptedRedirect('azure-devops', 'http://127.0.0.1:61000/oauth/callback', local)).toBeNull();
    // Bitbucket: the fixed port only.
    expect(acceptedRedirect('bitbucket-cloud', 'http://localhost:38271/oauth/callback', local)?.kind).toBe('loopback');
    expect(acceptedRedirect('bitbucket-cloud', 'http://localhost:38272/oauth/callback', local)).toBeNull();
    expect(acceptedRedirect('bitbucket-cloud', 'http://localhost/oauth/callback', local)).toBeNull();
    // Another path.
    expect(acceptedRedirect('github', 'http://127.0.0.1:50123/other', local)).toBeNull();
  });

  it('takes runner-https only for a remote runner whose public URL it names', () => {
    const remote = { kind: 'remote', url: 'https://runner.example.com:8443' } as const;
    expect(acceptedRedirect('github', 'https://runner.example.com:8443/oauth/callback', remote)?.kind).toBe('runner-https');
    expect(acceptedRedirect('github', 'https://evil.example.com/oauth/callback', remote)).toBeNull();
    expect(acceptedRedirect('github', 'https://runner.example.com:8443/oauth/callback', local)).toBeNull();
  });

  it('refuses every redirect for a kind without OAuth', () => {
    expect(acceptedRedirect('azure-devops-server', 'paddock://oauth/callback', local)).toBeNull();
  });
});

describe('the Entra tenant of an attempt', () => {
  it('is the organization’s tenant, else the entry’s, else “organizations”; never /common', () => {
    expect(entraTenantFor(ado, 'contoso')).toBe(TENANT);
    expect(entraTenantFor(ado, 'Contoso')).toBe(TENANT);
    expect(entraTenantFor(ado, 'fabrikam')).toBe(OTHER_TENANT);
    expect(entraTenantFor({ ...ado, oauth: { ...ado.oauth, tenant: null } }, 'fabrikam')).toBe('organizations');
    expect(entraTenantFor({ ...ado, oauth: { ...ado.oauth, tenant: 'common' } }, 'fabrikam')).toBe('organizations');
  });

  it('takes only a tenant ID as the authority, in any case: Common, consumers or a name are never one', () => {
    const withTenants = (own: string, entryTenant: string | null): ProviderView => ({
      ...ado,
      organizations: [{ name: 'contoso', tenant: own, tenantOrigin: 'entered' }],
      oauth: { ...ado.oauth, tenant: entryTenant },
    });
    for (const odd of ['Common', 'COMMON', 'common', 'consumers', 'Consumers', 'Organizations', 'contoso.onmicrosoft.com', '00000000-0000-0000-0000-000000000000']) {
      expect(entraTenantFor(withTenants(odd, odd), 'contoso'), odd).toBe('organizations');
      expect(entraTenantFor(withTenants(odd, OTHER_TENANT), 'contoso'), odd).toBe(OTHER_TENANT);
    }
    expect(entraTenantFor(withTenants(TENANT.toUpperCase(), null), 'contoso')).toBe(TENANT);
    expect(entraTenantFor(withTenants('organizations', OTHER_TENANT.toUpperCase()), 'contoso')).toBe(OTHER_TENANT);
  });
});

describe('authorizeUrl', () => {
  const params = (url: string) => Object.fromEntries(new URL(url).searchParams);

  it('Azure DevOps: the tenant-specific authority, the scopes, state and S256 challenge; moved onto a simulator by the dev endpoints', () => {
    const url = authorizeUrl(ado, 'contoso', { state: 's'.repeat(43), redirectUri: 'paddock://oauth/callback', challenge: 'c'.repeat(43) }, { 'https://login.microsoftonline.com': 'https://127.0.0.1:9999' });
    expect(url.startsWith(`https://127.0.0.1:9999/${TENANT}/oauth2/v2.0/authorize?`)).toBe(true);
    expect(params(url)).toEqual({
      client_id: 'ado-client',
      redirect_uri: 'paddock://oauth/callback',
      response_type: 'code',
      scope: '499b84ac-1321-427f-aa17-267ca6975798/vso.code_write offline_access openid profile',
      state: 's'.repeat(43),
      code_challenge: 'c'.repeat(43),
      code_challenge_method: 'S256',
    });
  });

  it('GitHub and GitLab on their hosts, with the scopes asked', () => {
    const gh = authorizeUrl(github, null, { state: 'x', redirectUri: 'http://127.0.0.1:5000/oauth/callback', challenge: 'c' });
    expect(gh.startsWith('https://github.com/login/oauth/authorize?')).toBe(true);
    expect(params(gh).scope).toBe('repo workflow');
    const gl = authorizeUrl(gitlab, null, { state: 'x', redirectUri: 'paddock://oauth/callback', challenge: null });
    expect(gl.startsWith('https://gitlab.com/oauth/authorize?')).toBe(true);
    expect(params(gl).scope).toBe('write_repository read_user');
    expect(params(gl).code_challenge).toBeUndefined();
  });

  it('Bitbucket Cloud: no scope parameter (they are set on the consumer)', () => {
    const url = authorizeUrl(bitbucket, null, { state: 'x', redirectUri: 'http://localhost:38271/oauth/callback', challenge: 'c' });
    expect(url.startsWith('https://bitbucket.org/site/oauth2/authorize?')).toBe(true);
    expect(params(url).scope).toBeUndefined();
  });
});

describe('token answers', () => {
  it('reads scopes space- or comma-separated, or as a list', () => {
    expect(scopeList('repo,workflow')).toEqual(['repo', 'workflow']);
    expect(scopeList('a b  c')).toEqual(['a', 'b', 'c']);
    expect(scopeList(['x', 'y'])).toEqual(['x', 'y']);
    expect(scopeList(undefined)).toBeNull();
  });

  it('reads the account from an Entra ID token’s claims', () => {
    const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
    expect(idTokenAccount(jwt({ preferred_username: 'sam@example.test', name: 'Sam' }))).toBe('sam@example.test');
    // A name Paddock cannot keep (over 200 characters, control or format characters) is read as not reported: the next claim.
    expect(idTokenAccount(jwt({ preferred_username: 'x'.repeat(201), email: 'sam@example.test' }))).toBe('sam@example.test');
    expect(idTokenAccount(jwt({ preferred_username: 'sam\u202e', email: 'sam\u0000', name: 'Sam' }))).toBe('Sam');
    expect(idTokenAccount(jwt({ preferred_username: 42, name: 'sam\u2028' }))).toBeNull();
    expect(idTokenAccount('not-a-jwt')).toBeNull();
    expect(idTokenAccount(null)).toBeNull();
  });

  it('checks an Entra ID token’s aud, tid (the sign-in’s tenant, when known, in any case) and iss before anything is kept', () => {
    const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
    const token = (tid: string, more: object = {}) => jwt({ aud: 'ado-client', tid, iss: `https://login.microsoftonline.com/${tid}/v2.0`, preferred_username: 'sam@contoso.test', ...more });
    // contoso's own tenant; fabrikam's is unknown, so the entry's (OTHER_TENANT) signs in.
    expect(() => checkEntraIdToken(ado, 'contoso', token(TENANT))).not.toThrow();
    expect(() => checkEntraIdToken(ado, 'contoso', token(TENANT.toUpperCase(), { aud: 'ADO-CLIENT' }))).not.toThrow();
    expect(() => checkEntraIdToken(ado, 'fabrikam', token(OTHER_TENANT))).not.toThrow();
    // Moved onto a simulator under test, as the endpoints are.
    expect(() => checkEntraIdToken(ado, 'contoso', token(TENANT, { iss: `https://127.0.0.1:9999/${TENANT}/v2.0` }), { 'https://login.microsoftonline.com': 'https://127.0.0.1:9999' })).not.toThrow();

    let refused: unknown;
    try {
      checkEntraIdToken(ado, 'contoso', token(OTHER_TENANT));
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({ code: 'policy-blocked', detail: { host: ado.host, organization: 'contoso', providerCode: 'tenant-mismatch' } });
    expect((refused as Error).message).toBe(
      `You signed in with an account of another Microsoft Entra tenant (${OTHER_TENANT}) than contoso’s (${TENANT}), so nothing was connected. Sign in with your contoso work account, or ask a tenant administrator to invite yours as an external user (Microsoft Entra admin center → Users → Invite external user). Or provide a personal access token instead.`,
    );
    expect(() => checkEntraIdToken(ado, 'fabrikam', token(TENANT))).toThrow(expect.objectContaining({ detail: expect.objectContaining({ providerCode: 'tenant-mismatch' }) }));

    for (const [claims, code] of [
      [{ aud: 'another-app' }, 'id-token-aud'],
      [{ aud: undefined }, 'id-token-aud'],
      [{ iss: `https://sts.windows.net/${TENANT}/` }, 'id-token-iss'],
      [{ iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0` }, 'id-token-iss'],
      [{ iss: undefined }, 'id-token-iss'],
      [{ tid: 'contoso.onmicrosoft.com' }, 'id-token-tid'],
      [{ tid: 42 }, 'id-token-tid'],
    ] as const) {
      expect(() => checkEntraIdToken(ado, 'contoso', token(TENANT, claims)), JSON.stringify(claims)).toThrow(expect.objectContaining({ code: 'policy-blocked', detail: expect.objectContaining({ providerCode: code }) }));
    }
    expect(() => checkEntraIdToken(ado, 'contoso', 'not-a-jwt')).toThrow(expect.objectContaining({ detail: expect.objectContaining({ providerCode: 'id-token-tid' }) }));
    // On /organizations (no tenant known) any tenant may sign in, but aud and iss must still fit it.
    const open = { ...ado, organizations: [{ name: 'contoso', tenant: 'organizations', tenantOrigin: 'default' as const }], oauth: { ...ado.oauth, tenant: null } };
    expect(() => checkEntraIdToken(open, 'contoso', token(OTHER_TENANT))).not.toThrow();
    expect(() => checkEntraIdToken(open, 'contoso', token(OTHER_TENANT, { iss: `https://login.microsoftonline.com/${TENANT}/v2.0` }))).toThrow(expect.objectContaining({ detail: expect.objectContaining({ providerCode: 'id-token-iss' }) }));
    // Without an ID token there is nothing to read (see checkEntraIdToken); other providers have none.
    expect(() => checkEntraIdToken(ado, 'contoso', null)).not.toThrow();
    expect(() => checkEntraIdToken(gitlab, null, token(OTHER_TENANT))).not.toThrow();
  });

  it('names the scopes a token lacks; Azure DevOps compares without the resource and ignores OpenID scopes', () => {
    expect(missingOAuthScopes(github, ['repo'])).toEqual(['workflow']);
    expect(missingOAuthScopes(github, ['repo', 'workflow', 'gist'])).toEqual([]);
    expect(missingOAuthScopes(ado, ['https://app.vssps.visualstudio.com/vso.code_write'])).toEqual([]);
    expect(missingOAuthScopes(ado, ['openid', 'profile'])).toEqual(['499b84ac-1321-427f-aa17-267ca6975798/vso.code_write']);
  });
});

describe('oauthRefusal', () => {
  const ctx = (e: ProviderView, organization: string | null = null): OAuthErrorContext => ({ entry: e, organization, redirectUri: 'paddock://oauth/callback' });

  it('access_denied is the user declining', () => {
    const error = oauthRefusal(ctx(github), 'access_denied', null);
    expect(error.code).toBe('cancelled');
    expect(error.message).toMatch(/^You declined/);
  });

  it('AADSTS65001: admin consent, the setting and where, with the PAT offered', () => {
    const error = oauthRefusal(ctx(ado, 'contoso'), 'consent_required', 'AADSTS65001: The user or administrator has not consented');
    expect(error).toMatchObject({ code: 'policy-blocked', detail: { host: ado.host, organization: 'contoso', providerCode: 'AADSTS65001' } });
    expect(error.detail?.setting).toMatch(/Grant admin consent/);
    expect(error.message).toContain('Or provide a personal access token instead.');
    const noPat = oauthRefusal(ctx({ ...ado, pat: { enabled: false } }, 'contoso'), 'consent_required', 'AADSTS65001');
    expect(noPat.message).not.toContain('personal access token');
  });

  it('AADSTS50020: a guest of another tenant, or a personal Microsoft account (PAT only)', () => {
    const guest = oauthRefusal(ctx(ado, 'contoso'), 'access_denied', `AADSTS50020: User account 'sam@other.test' from identity provider 'https://sts.windows.net/${OTHER_TENANT}/' does not exist in tenant 'Contoso'.`);
    expect(guest).toMatchObject({ code: 'policy-blocked', detail: { providerCode: 'AADSTS50020' } });
    expect(guest.message).toMatch(/not a member or guest of the Microsoft Entra tenant of the organization contoso/);
    const personal = oauthRefusal(ctx(ado, 'contoso'), 'access_denied', "AADSTS50020: User account 'sam@outlook.com' from identity provider 'live.com' does not exist in tenant 'Contoso'.");
    expect(personal).toMatchObject({ code: 'forbidden', detail: { providerCode: 'AADSTS50020' } });
    expect(personal.message).toMatch(/personal Microsoft account.*work or school/);
  });

  it('AADSTS50011 and redirect_uri_mismatch: the redirect URI to register', () => {
    for (const [error, description, code] of [
      ['invalid_request', 'AADSTS50011: The redirect URI does not match', 'AADSTS50011'],
      ['redirect_uri_mismatch', 'The redirect_uri MUST match the registered callback URL', 'redirect_uri_mismatch'],
    ] as const) {
      const refused = oauthRefusal(ctx(error === 'redirect_uri_mismatch' ? github : ado), error, description);
      expect(refused).toMatchObject({ code: 'policy-blocked', detail: { providerCode: code, setting: 'Redirect URI: paddock://oauth/callback' } });
      expect(refused.message).toContain('adds exactly paddock://oauth/callback');
    }
  });

  it('invalid_scope on Azure DevOps: the OAuth policy with its page, or the registration’s scopes', () => {
    const error = oauthRefusal(ctx(ado, 'contoso'), 'invalid_scope', 'AADSTS70011: The provided value for scope is not valid.');
    expect(error).toMatchObject({
      code: 'policy-blocked',
      detail: { providerCode: 'AADSTS70011', setting: 'Organization settings → Security → Policies → Third-party application access via OAuth', settingUrl: 'https://dev.azure.com/contoso/_settings/organizationPolicy' },
    });
    expect(error.message).toContain('vso.code_write');
  });

  it('GitHub: a suspended app, and an unknown error still a sentence with its code', () => {
    expect(oauthRefusal(ctx(github), 'application_suspended', 'This application has been suspended.')).toMatchObject({ code: 'policy-blocked', detail: { providerCode: 'application_suspended' } });
    const other = oauthRefusal(ctx(github), 'temporarily_unavailable', null);
    expect(other).toMatchObject({ code: 'forbidden', detail: { providerCode: 'temporarily_unavailable' } });
    expect(other.message).toContain('temporarily_unavailable');
  });

  it('reads an error outside RFC 6749 §5.2’s characters as unknown_error, in the message and the detail', () => {
    for (const error of ['bad\u001b[2Jcode', 'line\nbreak', 'quote"d', 'back\\slash', 'tab\tbed', 'ünïcode', '\u202eevil', 'x'.repeat(201)]) {
      const refused = oauthRefusal(ctx(github), error, null);
      expect(refused, JSON.stringify(error)).toMatchObject({ code: 'forbidden', detail: { providerCode: 'unknown_error' } });
      expect(refused.message).toContain('(unknown_error)');
      expect(refused.message).not.toContain(error);
    }
    for (const error of [' ', '!#$%&\'()*+,-./09:;<=>?@AZ[]^_`az{|}~', 'x'.repeat(200)]) expect(oauthErrorCode(error)).toBe(error);
    for (const error of ['', null, undefined, 42]) expect(oauthErrorCode(error)).toBe('unknown_error');
  });
});

// The service with the provider calls replaced: the attempt's life and its callbacks.
describe('createOAuthService', () => {
  const logs: { message: string; fields: Record<string, unknown> | undefined }[] = [];
  const logger: RunnerLogger = {
    info: (message, fields) => logs.push({ message, fields }),
    warn: (message, fields) => logs.push({ message, fields }),
    error: (message, fields) => logs.push({ message, fields }),
  } as RunnerLogger;
  const stored: { clientId: string; token: StoredToken }[] = [];
  const tokens = { put: (clientId: string, token: StoredToken) => (stored.push({ clientId, token }), { ...token, chosenAt: 1 }) } as unknown as TokenStore;
  const granted: GrantedToken = { token: 'access-secret', refreshToken: 'refresh-secret', expiresAt: '2026-01-01T02:00:00.000Z', scopes: ['write_repository', 'read_user'], idToken: null };
  let clock = new Date('2026-01-01T00:00:00.000Z');

  function service(more: Partial<OAuthServiceDeps> = {}) {
    const exchanges: { code: string; verifier: string | null; redirectUri: string; secret: string | null }[] = [];
    const oauth = createOAuthService({
      providers: () => [ado, github, gitlab, bitbucket, entry('gitlab', 'https://nooauth.example', { oauth: { enabled: false, clientId: null, tenant: null, secretSet: false } })],
      clientSecret: (host) => (host === github.host || host === bitbucket.host ? 'client-secret' : null),
      tokens,
      logger,
      runner: () => local,
      now: () => clock,
      exchange: async (_e, _o, exchange, deps) => {
        exchanges.push({ ...exchange, secret: deps.clientSecret });
        return granted;
      },
      check: async () => ({ account: 'sam', scopes: null }),
      ...more,
    });
    return { oauth, exchanges };
  }

  function job(jobId = `j_${Math.random().toString(36).slice(2)}`) {
    const controller = new AbortController();
    const progress: JobProgress[] = [];
    const context: JobContext = { jobId, signal: controller.signal, progress: (p) => progress.push(p) };
    const authorize = async () => {
      for (let i = 0; i < 100 && !progress.some((p) => p.kind === 'oauth-connect' && p.step === 'authorize'); i++) await new Promise((r) => setTimeout(r, 1));
      const step = progress.find((p) => p.kind === 'oauth-connect' && p.step === 'authorize');
      if (!step || step.kind !== 'oauth-connect' || step.step !== 'authorize') throw new Error('no authorize step');
      return { url: new URL(step.authorizeUrl), state: new URL(step.authorizeUrl).searchParams.get('state')!, expiresAt: step.expiresAt };
    };
    return { context, controller, progress, authorize, jobId };
  }

  const start = (host: string, redirectUri = 'paddock://oauth/callback', organization: string | null = null) => ({ kind: 'oauth-connect' as const, host, organization, redirectUri });
  const code = (state: string): OAuthCallbackRequest => ({ state, code: 'the-code', error: null, errorDescription: null });

  it('runs an attempt: authorize URL, callback, exchange with the verifier, check, store; the job’s result is the token’s view', async () => {
    clock = new Date('2026-01-01T00:00:00.000Z');
    const { oauth, exchanges } = service();
    const j = job();
    const running = oauth.begin(start(gitlab.host), 'alice', j.context);
    const { url, state, expiresAt } = await j.authorize();
    expect(expiresAt).toBe('2026-01-01T00:05:00.000Z');
    expect(oauth.callback(code(state), 'alice')).toEqual({ matched: true, jobId: j.jobId });
    const result = await running;
    expect(j.progress.map((p) => (p.kind === 'oauth-connect' ? p.step : p.kind))).toEqual(['authorize', 'exchanging', 'checking']);
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]!.code).toBe('the-code');
    expect(pkceChallengeOf(exchanges[0]!.verifier!)).toBe(url.searchParams.get('code_challenge'));
    expect(exchanges[0]!.secret).toBeNull();
    expect(stored.at(-1)).toMatchObject({ clientId: 'alice', token: { host: gitlab.host, method: 'oauth', token: 'access-secret', refreshToken: 'refresh-secret', account: 'sam', scopes: ['write_repository', 'read_user'], expiresAt: granted.expiresAt } });
    expect(result).toMatchObject({ kind: 'oauth-connect', token: { host: gitlab.host, method: 'oauth', account: 'sam', inUse: true } });
    expect(JSON.stringify(result)).not.toContain('secret');
    // Never the state, the code or the verifier in the log.
    const logged = JSON.stringify(logs);
    expect(logged).not.toContain(state);
    expect(logged).not.toContain('the-code');
    expect(logged).not.toContain(exchanges[0]!.verifier!);
  });

  it('ignores callbacks for an unknown state, another workstation, a used or an expired state, and never ends the attempt for them', async () => {
    clock = new Date('2026-01-01T00:00:00.000Z');
    const { oauth } = service();
    const j = job();
    const running = oauth.begin(start(gitlab.host), 'alice', j.context);
    const { state } = await j.authorize();
    logs.length = 0;
    expect(oauth.callback(code('B'.repeat(43)), 'alice')).toEqual({ matched: false, jobId: null });
    expect(oauth.callback(code(state), 'bob')).toEqual({ matched: false, jobId: null });
    clock = new Date('2026-01-01T00:05:01.000Z');
    expect(oauth.callback(code(state), 'alice')).toEqual({ matched: false, jobId: null });
    expect(logs.map((l) => l.fields?.reason)).toEqual(['unknown', 'other-workstation', 'expired']);
    expect(logs.every((l) => l.fields?.stateLength === 43)).toBe(true);
    clock = new Date('2026-01-01T00:01:00.000Z');
    expect(oauth.callback(code(state), 'alice')).toEqual({ matched: true, jobId: j.jobId });
    expect(oauth.callback(code(state), 'alice')).toEqual({ matched: false, jobId: null });
    await running;
    expect(oauth.callback(code(state), 'alice')).toEqual({ matched: false, jobId: null });
    expect(logs.filter((l) => l.message === 'oauth callback ignored').map((l) => l.fields?.reason).slice(-2)).toEqual(['used', 'used']);
  });

  it('sends the client secret where the entry has one', async () => {
    const { oauth, exchanges } = service({ check: async () => ({ account: 'sam', scopes: ['repo', 'workflow'] }) });
    const j = job();
    const running = oauth.begin(start(github.host, 'http://127.0.0.1:4000/oauth/callback'), 'alice', j.context);
    oauth.callback(code((await j.authorize()).state), 'alice');
    await running;
    expect(exchanges[0]!.secret).toBe('client-secret');
  });

  it('ends with timeout when the browser does not come back in time, saying to start again', async () => {
    const { oauth } = service({ lifetimeMs: 20 });
    const j = job();
    await expect(oauth.begin(start(gitlab.host), 'alice', j.context)).rejects.toMatchObject({ code: 'timeout', message: expect.stringMatching(/did not come back.*Start again/) });
  });

  it('ends when the job is cancelled during the wait, and its state then matches nothing', async () => {
    const { oauth } = service();
    const j = job();
    const running = oauth.begin(start(gitlab.host), 'alice', j.context);
    const { state } = await j.authorize();
    j.controller.abort();
    await expect(running).rejects.toMatchObject({ code: 'cancelled' });
    expect(oauth.callback(code(state), 'alice')).toEqual({ matched: false, jobId: null });
  });

  it('maps an error callback, and stores nothing', async () => {
    const { oauth, exchanges } = service();
    const j = job();
    const before = stored.length;
    const running = oauth.begin(start(ado.host, 'paddock://oauth/callback', 'contoso'), 'alice', j.context);
    const { state } = await j.authorize();
    oauth.callback({ state, code: null, error: 'consent_required', errorDescription: 'AADSTS65001: consent' }, 'alice');
    await expect(running).rejects.toMatchObject({ code: 'policy-blocked', detail: { providerCode: 'AADSTS65001', organization: 'contoso' } });
    expect(exchanges).toHaveLength(0);
    expect(stored.length).toBe(before);
  });

  it('never repeats an error callback’s error outside RFC 6749 §5.2’s characters, in the refusal or the log', async () => {
    const { oauth } = service();
    const j = job();
    const running = oauth.begin(start(gitlab.host), 'alice', j.context);
    const { state } = await j.authorize();
    const error = 'x\u001b]8;;https://evil.test\u0007click';
    // Ignored (another workstation's): logged as unknown_error.
    expect(oauth.callback({ state, code: null, error, errorDescription: null }, 'bob')).toEqual({ matched: false, jobId: null });
    oauth.callback({ state, code: null, error, errorDescription: null }, 'alice');
    const refused = await running.then(
      () => null,
      (e: unknown) => e as { message: string; detail: { providerCode: string } },
    );
    expect(refused).toMatchObject({ detail: { providerCode: 'unknown_error' } });
    expect(refused!.message).not.toContain('\u001b');
    expect(JSON.stringify(logs)).not.toContain('evil.test');
  });

  it('refuses an Entra sign-in whose ID token names another tenant than the organization’s, and stores nothing', async () => {
    const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
    const idToken = jwt({ aud: 'ado-client', tid: OTHER_TENANT, iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0` });
    let checked = 0;
    const { oauth } = service({
      exchange: async () => ({ ...granted, idToken }),
      check: async () => {
        checked++;
        return { account: 'sam', scopes: null };
      },
    });
    const j = job();
    const before = stored.length;
    const running = oauth.begin(start(ado.host, 'paddock://oauth/callback', 'contoso'), 'alice', j.context);
    const { state } = await j.authorize();
    oauth.callback(code(state), 'alice');
    await expect(running).rejects.toMatchObject({ code: 'policy-blocked', detail: { organization: 'contoso', providerCode: 'tenant-mismatch' } });
    expect(stored.length).toBe(before);
    // The token never went to Azure DevOps' check.
    expect(checked).toBe(0);
    expect(JSON.stringify(logs)).not.toContain(idToken);
  });

  it('refuses a token that lacks a scope it asked for, naming it, and stores nothing', async () => {
    const { oauth } = service({ check: async () => ({ account: 'sam', scopes: ['repo'] }) });
    const j = job();
    const before = stored.length;
    const running = oauth.begin(start(github.host, 'http://127.0.0.1:4000/oauth/callback'), 'alice', j.context);
    oauth.callback(code((await j.authorize()).state), 'alice');
    await expect(running).rejects.toMatchObject({ code: 'policy-blocked', message: expect.stringContaining('workflow') });
    expect(stored.length).toBe(before);
  });

  it('checks the start: the entry, OAuth enabled, the Azure DevOps organization, the redirect, the secret', async () => {
    const { oauth } = service();
    const begin = (s: ReturnType<typeof start>) => oauth.begin(s, 'alice', job().context);
    await expect(begin(start('https://unknown.example'))).rejects.toMatchObject({ code: 'not-found' });
    await expect(begin(start('https://nooauth.example'))).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('Provide a personal access token instead') });
    await expect(begin(start(ado.host))).rejects.toMatchObject({ code: 'invalid-input', issues: [{ path: 'organization' }] });
    await expect(begin(start(ado.host, 'paddock://oauth/callback', 'northwind'))).rejects.toMatchObject({ code: 'invalid-input', issues: [{ path: 'organization' }] });
    await expect(begin(start(gitlab.host, 'paddock://oauth/callback', 'contoso'))).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(begin(start(bitbucket.host, 'http://localhost:1234/oauth/callback'))).rejects.toMatchObject({ code: 'invalid-input', issues: [{ path: 'redirectUri' }] });
    const noSecret = createOAuthService({ ...{ providers: () => [github], clientSecret: () => null, tokens, logger, runner: () => local } });
    await expect(noSecret.begin(start(github.host, 'http://127.0.0.1:4000/oauth/callback'), 'alice', job().context)).rejects.toMatchObject({ code: 'policy-blocked', detail: { setting: 'Client Secret' } });
  });
});

describe('refusals read from the API check', () => {
  const ctx = (e: ProviderView, organization: string | null = null): OAuthErrorContext => ({ entry: e, organization, redirectUri: null });

  it('TF400813: the OAuth-access policy with its page, and the PAT offered', () => {
    const error = oauthPolicyBlocked(ctx(ado, 'contoso'));
    expect(error).toMatchObject({
      code: 'policy-blocked',
      detail: { host: ado.host, organization: 'contoso', providerCode: 'TF400813', settingUrl: 'https://dev.azure.com/contoso/_settings/organizationPolicy' },
    });
    expect(error.message).toContain('“Third-party application access via OAuth” in Organization settings → Security → Policies');
    expect(error.message).toContain('Or provide a personal access token instead.');
  });

  it('GitHub organisations restricting OAuth apps: an owner approves the app, or a PAT', () => {
    const error = gitHubRestricted(ctx(github));
    expect(error).toMatchObject({ code: 'policy-blocked', detail: { host: github.host } });
    expect(error.message).toMatch(/restricts OAuth apps \(“OAuth app access restrictions”\).*approves the app/);
    expect(error.message).toContain('Or provide a personal access token instead.');
  });
});
