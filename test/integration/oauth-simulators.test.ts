import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callbackOptions, oauthEndpoints, oauthScopeParameter } from '../../electron/common/providers';
import type { ProviderKind } from '../../electron/common/provider-kind';
import { startAzureDevOpsSimulator } from '../fakes/azure-devops';
import type { AzureDevOpsSimulator } from '../fakes/azure-devops';
import { startBitbucketCloudSimulator } from '../fakes/bitbucket-cloud';
import type { BitbucketCloudSimulator } from '../fakes/bitbucket-cloud';
import { startBitbucketDcSimulator } from '../fakes/bitbucket-dc';
import type { BitbucketDcSimulator } from '../fakes/bitbucket-dc';
import { OTHER_ENTRA_TENANT, startEntraSimulator } from '../fakes/entra';
import { startGitHubSimulator } from '../fakes/github';
import type { GitHubSimulator } from '../fakes/github';
import { startGitLabSimulator } from '../fakes/gitlab';
import type { GitLabSimulator } from '../fakes/gitlab';
import type { EntraSimulator } from '../fakes/entra';
import { pkceChallenge } from '../fakes/oauth';
import type { AuthorizeOutcome } from '../fakes/oauth';
import type { SimulatedAccount, Simulator } from '../fakes/simulator';
import { SIMULATED_TENANT, startProviderSimulators } from '../helpers/provider-simulators';
import type { ProviderSimulators } from '../helpers/provider-simulators';

// The simulated OAuth authorization servers walk the code flow as a person
// does (the consent page's Authorize and Deny buttons, pressed by posting
// their forms) and enforce what spec/SCM-PROTOCOLS.md says each provider
// enforces. The endpoints, scopes and callback URLs are the catalogue's,
// moved onto the simulator's origin.

const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const account: SimulatedAccount = { user: { username: 'sam', displayName: 'Sam Example', email: 'sam@example.test' }, personalAccessToken: 'simulated-pat' };
const localRunner = { kind: 'local', url: null } as const;

const simulators: Simulator[] = [];
afterAll(async () => {
  await Promise.all(simulators.map((simulator) => simulator.close()));
});

async function track<T extends Simulator>(started: Promise<T>): Promise<T> {
  const simulator = await started;
  simulators.push(simulator);
  return simulator;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

function call(url: string, ca: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { ...options.headers, ...(options.body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(options.body)) }) };
    const request = https.request(url, { method: options.method ?? 'GET', ca, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

function postForm(url: string, ca: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> {
  return call(url, ca, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString() });
}

/** The catalogue's authorize and token URLs for a kind, moved from the real origin onto the simulator. */
function endpointsOn(kind: ProviderKind, baseUrl: string, simulatorOrigin: string, tenantId?: string): { authorize: string; token: string } {
  const endpoints = oauthEndpoints(kind, { baseUrl, ...(tenantId === undefined ? {} : { tenant: tenantId }) });
  if (!endpoints.ok) throw new Error(endpoints.message);
  const move = (url: string) => {
    const parsed = new URL(url);
    return `${simulatorOrigin}${parsed.pathname}${parsed.search}`;
  };
  return { authorize: move(endpoints.authorize), token: move(endpoints.token) };
}

/** The catalogue's callback URL of a kind for the local runner ("loopback" or "custom-scheme"). */
function callbackOf(kind: ProviderKind, callbackKind: 'loopback' | 'custom-scheme'): string {
  const option = callbackOptions(kind, localRunner).find((candidate) => candidate.kind === callbackKind);
  if (!option) throw new Error(`${kind} has no ${callbackKind} callback`);
  return option.url;
}

function withQuery(url: string, parameters: Record<string, string | null>): string {
  const parsed = new URL(url);
  for (const [name, value] of Object.entries(parameters)) if (value !== null) parsed.searchParams.set(name, value);
  return parsed.toString();
}

function redirected(outcome: AuthorizeOutcome): URL {
  if (outcome.kind !== 'redirect') throw new Error(`expected a redirect, got a page (${outcome.status}): ${outcome.text}`);
  return new URL(outcome.location);
}

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: pkceChallenge(verifier) };
}

const json = (answer: Answer) => JSON.parse(answer.text) as Record<string, unknown>;

describe('Entra ID (Azure DevOps)', () => {
  const publicApp = { clientId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', name: 'Paddock', tenant };
  const webApp = { clientId: '1b2c3d4e-5f60-4b7c-9d8e-0f1a2b3c4d5e', clientSecret: 'web-app-secret', name: 'Paddock (runner)', tenant };
  const runnerCallback = 'https://runner.example.test/oauth/callback';
  let entra: EntraSimulator;
  let ado: AzureDevOpsSimulator;
  let endpoints: { authorize: string; token: string };
  const scope = oauthScopeParameter('azure-devops');
  const loopback = callbackOf('azure-devops', 'loopback'); // http://localhost/oauth/callback

  beforeAll(async () => {
    entra = await track(
      startEntraSimulator({
        tenants: [tenant],
        user: account.user,
        clients: [
          { ...publicApp, redirectUris: [loopback, callbackOf('azure-devops', 'custom-scheme')] },
          { ...webApp, redirectUris: [runnerCallback] },
        ],
      }),
    );
    ado = await track(startAzureDevOpsSimulator({ authority: entra.origin, organizations: { contoso: { tenant } }, account, entra }));
    endpoints = endpointsOn('azure-devops', 'https://dev.azure.com', entra.origin, tenant);
  });
  beforeEach(() => {
    entra.failOAuth(null);
    ado.failOAuthPolicy(false);
  });

  const authorizeUrl = (overrides: Record<string, string | null> = {}, challenge: string | null = null) =>
    withQuery(endpoints.authorize, {
      client_id: publicApp.clientId,
      response_type: 'code',
      redirect_uri: 'http://localhost:53682/oauth/callback',
      response_mode: 'query',
      scope,
      state: 'state-1',
      code_challenge: challenge,
      code_challenge_method: challenge === null ? null : 'S256',
      ...overrides,
    });

  async function codeFor(challenge: string, overrides: Record<string, string | null> = {}): Promise<string> {
    const url = redirected(await entra.authorize(authorizeUrl(overrides, challenge), 'allow'));
    return url.searchParams.get('code')!;
  }

  const redeem = (code: string, verifier: string, extra: Record<string, string> = {}) =>
    postForm(endpoints.token, entra.ca, {
      client_id: publicApp.clientId,
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'http://localhost:53682/oauth/callback',
      code_verifier: verifier,
      scope,
      ...extra,
    });

  it('other-tenant: the ID token names another directory (tid and iss), for a client that must check the tenant', async () => {
    entra.failOAuth('other-tenant');
    const { verifier, challenge } = pkce();
    const tokens = json(await redeem(await codeFor(challenge), verifier));
    const claims = JSON.parse(Buffer.from(String(tokens.id_token).split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(claims).toMatchObject({ aud: publicApp.clientId, tid: OTHER_ENTRA_TENANT, iss: `${entra.origin}/${OTHER_ENTRA_TENANT}/v2.0` });
  });

  it('shows a consent page naming the app and the scopes, with Authorize and Deny buttons', async () => {
    const page = await call(authorizeUrl({}, pkce().challenge), entra.ca);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('Paddock');
    expect(page.text).toContain('499b84ac-1321-427f-aa17-267ca6975798/vso.code_write');
    expect(page.text).toMatch(/<button[^>]*value="allow">Authorize<\/button>/);
    expect(page.text).toMatch(/<button[^>]*value="deny">Deny<\/button>/);
    expect(page.text).not.toContain('<script');
  });

  it('walks the code flow with PKCE on the loopback callback (any port): the access token reaches Azure DevOps, the refresh token refreshes', async () => {
    const { verifier, challenge } = pkce();
    const location = redirected(await entra.authorize(authorizeUrl({}, challenge), 'allow'));
    expect(`${location.origin}${location.pathname}`).toBe('http://localhost:53682/oauth/callback');
    expect(location.searchParams.get('state')).toBe('state-1');
    const answer = await redeem(location.searchParams.get('code')!, verifier);
    expect(answer.status).toBe(200);
    const tokens = json(answer);
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope });
    expect(typeof tokens.refresh_token).toBe('string'); // offline_access
    const claims = JSON.parse(Buffer.from(String(tokens.id_token).split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(claims).toMatchObject({ aud: publicApp.clientId, tid: tenant, iss: `${entra.origin}/${tenant}/v2.0`, name: 'Sam Example', preferred_username: 'sam@example.test' });
    expect(claims.iss).toBe(entra.openidConfiguration(tenant).issuer);

    const bearer = { Authorization: `Bearer ${String(tokens.access_token)}` };
    const connection = await call(`${ado.origin}/contoso/_apis/connectionData`, ado.ca, { headers: bearer });
    expect(connection.status).toBe(200);
    expect(json(connection)).toMatchObject({ authenticatedUser: { providerDisplayName: 'Sam Example' } });
    const basic = { Authorization: `Basic ${Buffer.from(`sam@example.test:${String(tokens.access_token)}`).toString('base64')}` };
    expect((await call(`${ado.origin}/contoso/_apis/connectionData`, ado.ca, { headers: basic })).status).toBe(200);
    const profile = await call(`${ado.origin}/_apis/profile/profiles/me`, ado.ca, { headers: bearer });
    expect(json(profile)).toMatchObject({ displayName: 'Sam Example', emailAddress: 'sam@example.test' });

    const refreshed = await postForm(endpoints.token, entra.ca, { client_id: publicApp.clientId, grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token), scope });
    expect(refreshed.status).toBe(200);
    const next = json(refreshed);
    expect(next.access_token).not.toBe(tokens.access_token);
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    // §1.3: "Refresh tokens aren't revoked when used".
    const again = await postForm(endpoints.token, entra.ca, { client_id: publicApp.clientId, grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token), scope });
    expect(again.status).toBe(200);
  });

  it('sends Deny back to the app as access_denied with the state', async () => {
    const location = redirected(await entra.authorize(authorizeUrl({}, pkce().challenge), 'deny'));
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('state-1');
    expect(location.searchParams.get('code')).toBeNull();
  });

  it('shows AADSTS50011 on the page for a redirect URI the registration does not list (an https host, or 127.0.0.1 not registered)', async () => {
    for (const redirectUri of ['https://evil.example.test/oauth/callback', 'http://127.0.0.1:53682/oauth/callback', 'http://localhost:53682/other']) {
      const outcome = await entra.authorize(authorizeUrl({ redirect_uri: redirectUri }), 'allow');
      expect(outcome.kind).toBe('page');
      if (outcome.kind === 'page') expect(outcome.text).toContain('AADSTS50011');
    }
  });

  it('refuses a wrong or missing code_verifier (AADSTS501481), a reused code, an expired code, and another redirect_uri', async () => {
    const { verifier, challenge } = pkce();
    const wrong = await redeem(await codeFor(challenge), pkce().verifier);
    expect(wrong.status).toBe(400);
    expect(json(wrong)).toMatchObject({ error: 'invalid_grant' });
    expect(String(json(wrong).error_description)).toMatch(/^AADSTS501481:/);
    const missing = await postForm(endpoints.token, entra.ca, { client_id: publicApp.clientId, grant_type: 'authorization_code', code: await codeFor(challenge), redirect_uri: 'http://localhost:53682/oauth/callback', scope });
    expect(String(json(missing).error_description)).toMatch(/^AADSTS501481:/);

    const code = await codeFor(challenge);
    expect((await redeem(code, verifier)).status).toBe(200);
    const reused = await redeem(code, verifier);
    expect(reused.status).toBe(400);
    expect(json(reused).error).toBe('invalid_grant');

    const late = await codeFor(challenge);
    entra.advance(11 * 60 * 1000);
    expect(json(await redeem(late, verifier)).error).toBe('invalid_grant');

    const elsewhere = await redeem(await codeFor(challenge), verifier, { redirect_uri: 'http://localhost:1234/oauth/callback' });
    expect(json(elsewhere).error).toBe('invalid_grant');
  });

  it('binds a code to the app it was issued to, and shows an unknown app on the page (AADSTS700016)', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge, { redirect_uri: runnerCallback, client_id: webApp.clientId });
    const stolen = await redeem(code, verifier, { redirect_uri: runnerCallback });
    expect(stolen.status).toBe(400);
    expect(json(stolen).error).toBe('invalid_grant');
    const unknown = await entra.authorize(authorizeUrl({ client_id: 'ffffffff-ffff-4fff-8fff-ffffffffffff' }), 'allow');
    expect(unknown.kind === 'page' && unknown.text.includes('AADSTS700016')).toBe(true);
  });

  it('takes a client secret only from a confidential app: AADSTS700025 for a public one that sends it, AADSTS7000218 / 7000215 for a web app without or with the wrong one', async () => {
    const { verifier, challenge } = pkce();
    const publicWithSecret = await redeem(await codeFor(challenge), verifier, { client_secret: 'anything' });
    expect(publicWithSecret.status).toBe(401);
    expect(json(publicWithSecret).error).toBe('invalid_client');
    expect(String(json(publicWithSecret).error_description)).toMatch(/^AADSTS700025:/);

    const webCode = async () =>
      redirected(await entra.authorize(authorizeUrl({ client_id: webApp.clientId, redirect_uri: runnerCallback }, challenge), 'allow')).searchParams.get('code')!;
    const webRedeem = async (extra: Record<string, string>) =>
      postForm(endpoints.token, entra.ca, { client_id: webApp.clientId, grant_type: 'authorization_code', code: await webCode(), redirect_uri: runnerCallback, code_verifier: verifier, scope, ...extra });
    expect(String(json(await webRedeem({})).error_description)).toMatch(/^AADSTS7000218:/);
    const wrongSecret = await webRedeem({ client_secret: 'wrong' });
    expect(wrongSecret.status).toBe(401);
    expect(String(json(wrongSecret).error_description)).toMatch(/^AADSTS7000215:/);
    expect((await webRedeem({ client_secret: webApp.clientSecret })).status).toBe(200);
  });

  it('refuses a request without state on the page, and a single-tenant app on /common or /organizations (AADSTS50194)', async () => {
    const noState = await entra.authorize(authorizeUrl({ state: null }), 'allow');
    expect(noState.kind).toBe('page');
    for (const path of ['common', 'organizations']) {
      const onCommon = endpointsOn('azure-devops', 'https://dev.azure.com', entra.origin, path);
      const outcome = await entra.authorize(withQuery(onCommon.authorize, { client_id: publicApp.clientId, response_type: 'code', redirect_uri: loopback, scope, state: 's' }), 'allow');
      expect(outcome.kind).toBe('page');
      if (outcome.kind === 'page') expect(outcome.text).toContain('AADSTS50194');
      const token = await postForm(onCommon.token, entra.ca, { client_id: publicApp.clientId, grant_type: 'authorization_code', code: 'x', redirect_uri: loopback });
      expect(String(json(token).error_description)).toMatch(/^AADSTS50194:/);
    }
  });

  it('refuses a scope that does not exist (bare vso.code_full) by redirect with invalid_scope and the state', async () => {
    const location = redirected(await entra.authorize(authorizeUrl({ scope: 'vso.code_full offline_access' }), 'allow'));
    expect(location.searchParams.get('error')).toBe('invalid_scope');
    expect(location.searchParams.get('error_description')).toMatch(/^AADSTS70011:.*vso\.code_full/);
    expect(location.searchParams.get('state')).toBe('state-1');
  });

  it('switches failures on: consent required, guest account, invalid scope, redirect mismatch, an expired refresh token, and the organisation refusing the token (TF400813)', async () => {
    const cases = [
      ['consent-required', 'consent_required', 'AADSTS65001'],
      ['guest-account', 'access_denied', 'AADSTS50020'],
      ['invalid-scope', 'invalid_scope', 'AADSTS70011'],
    ] as const;
    for (const [failure, error, code] of cases) {
      entra.failOAuth(failure);
      const location = redirected(await entra.authorize(authorizeUrl({}, pkce().challenge), 'allow'));
      expect(location.searchParams.get('error')).toBe(error);
      expect(location.searchParams.get('error_description')).toMatch(new RegExp(`^${code}:`));
      expect(location.searchParams.get('state')).toBe('state-1');
    }
    entra.failOAuth('redirect-mismatch');
    const page = await entra.authorize(authorizeUrl({}, pkce().challenge), 'allow');
    expect(page.kind === 'page' && page.text.includes('AADSTS50011')).toBe(true);

    entra.failOAuth(null);
    const { verifier, challenge } = pkce();
    const tokens = json(await redeem(await codeFor(challenge), verifier));
    entra.failOAuth('refresh-expired');
    const refreshed = await postForm(endpoints.token, entra.ca, { client_id: publicApp.clientId, grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token), scope });
    expect(refreshed.status).toBe(400);
    expect(json(refreshed).error).toBe('invalid_grant');
    expect(String(json(refreshed).error_description)).toMatch(/^AADSTS700082:/);

    ado.failOAuthPolicy(true);
    const refused = await call(`${ado.origin}/contoso/_apis/connectionData`, ado.ca, { headers: { Authorization: `Bearer ${String(tokens.access_token)}` } });
    expect(refused.status).toBe(401);
    expect(String(json(refused).message)).toMatch(/^TF400813:/);
    // The organisation's PAT stays accepted: the policy concerns OAuth tokens.
    const pat = await call(`${ado.origin}/contoso/_apis/connectionData`, ado.ca, { headers: { Authorization: `Basic ${Buffer.from(':simulated-pat').toString('base64')}` } });
    expect(pat.status).toBe(200);
  });

  it('stops accepting an access token after its hour, and one without an Azure DevOps scope', async () => {
    const { verifier, challenge } = pkce();
    const tokens = json(await redeem(await codeFor(challenge), verifier));
    const openIdOnly = json(await redeem(await codeFor(challenge, { scope: 'openid profile' }), verifier, { scope: 'openid profile' }));
    const check = (token: unknown) => call(`${ado.origin}/contoso/_apis/connectionData`, ado.ca, { headers: { Authorization: `Bearer ${String(token)}` } });
    expect((await check(openIdOnly.access_token)).status).toBe(401);
    expect((await check(tokens.access_token)).status).toBe(200);
    entra.advance(61 * 60 * 1000);
    expect((await check(tokens.access_token)).status).toBe(401);
  });
});

describe.each([
  { layout: 'api', baseUrl: 'https://github.com', apiBase: '' },
  { layout: 'enterprise-server', baseUrl: 'https://ghe.example.test', apiBase: '/api/v3' },
] as const)('GitHub OAuth app ($layout)', ({ layout, baseUrl, apiBase }) => {
  const app = { clientId: 'Iv1.simulated', clientSecret: 'github-app-secret', name: 'Paddock' };
  const loopback = callbackOf('github', 'loopback'); // http://127.0.0.1/oauth/callback
  const presented = 'http://127.0.0.1:49152/oauth/callback';
  let github: GitHubSimulator;
  let endpoints: { authorize: string; token: string };

  beforeAll(async () => {
    github = await track(startGitHubSimulator({ layout, account, clients: [{ ...app, redirectUris: [loopback] }] }));
    endpoints = endpointsOn('github', baseUrl, github.origin);
  });
  beforeEach(() => github.failOAuth(null));

  const authorizeUrl = (overrides: Record<string, string | null> = {}, challenge: string | null = null) =>
    withQuery(endpoints.authorize, {
      client_id: app.clientId,
      redirect_uri: presented,
      scope: oauthScopeParameter('github'),
      state: 'gh-state',
      code_challenge: challenge,
      code_challenge_method: challenge === null ? null : 'S256',
      ...overrides,
    });
  const codeFor = async (challenge: string) => redirected(await github.authorize(authorizeUrl({}, challenge), 'allow')).searchParams.get('code')!;
  const exchange = (fields: Record<string, string>, headers: Record<string, string> = { Accept: 'application/json' }) =>
    postForm(endpoints.token, github.ca, { client_id: app.clientId, client_secret: app.clientSecret, redirect_uri: presented, ...fields }, headers);

  it('walks the code flow with PKCE: a token without expiry or refresh token that GET /user accepts with the granted scopes', async () => {
    const page = await call(authorizeUrl({}, pkce().challenge), github.ca);
    expect(page.text).toContain('Paddock');
    expect(page.text).toContain('<li>workflow</li>');
    const { verifier, challenge } = pkce();
    const location = redirected(await github.authorize(authorizeUrl({}, challenge), 'allow'));
    expect(`${location.origin}${location.pathname}`).toBe(presented); // another loopback port than the registered URL's
    expect(location.searchParams.get('state')).toBe('gh-state');
    const answer = await exchange({ code: location.searchParams.get('code')!, code_verifier: verifier });
    const tokens = json(answer);
    expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'repo,workflow' });
    expect(String(tokens.access_token)).toMatch(/^gho_/);
    expect(tokens).not.toHaveProperty('refresh_token');
    expect(tokens).not.toHaveProperty('expires_in');
    const user = await call(`${github.origin}${apiBase}/user`, github.ca, { headers: { Authorization: `Bearer ${String(tokens.access_token)}` } });
    expect(user.status).toBe(200);
    expect(json(user)).toMatchObject({ login: 'sam' });
    expect(user.headers['x-oauth-scopes']).toBe('repo, workflow');
    expect((await call(`${github.origin}${apiBase}/user`, github.ca, { headers: { Authorization: 'Bearer gho_not_issued' } })).status).toBe(401);
  });

  it('answers form-encoded without Accept: application/json, and takes a JSON body', async () => {
    const { verifier, challenge } = pkce();
    const form = await exchange({ code: await codeFor(challenge), code_verifier: verifier }, {});
    expect(form.headers['content-type']).toContain('application/x-www-form-urlencoded');
    const parsed = new URLSearchParams(form.text);
    expect(parsed.get('access_token')).toMatch(/^gho_/);
    expect(parsed.get('scope')).toBe('repo,workflow');
    const body = JSON.stringify({ client_id: app.clientId, client_secret: app.clientSecret, code: await codeFor(challenge), redirect_uri: presented, code_verifier: verifier });
    const viaJson = await call(endpoints.token, github.ca, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body });
    expect(String(json(viaJson).access_token)).toMatch(/^gho_/);
  });

  it('shows an unknown client_id on the page, without redirecting', async () => {
    const outcome = await github.authorize(authorizeUrl({ client_id: 'unknown' }), 'allow');
    expect(outcome.kind === 'page' && outcome.status === 404).toBe(true);
  });

  it('sends Deny back as access_denied with the state', async () => {
    const location = redirected(await github.authorize(authorizeUrl({}, pkce().challenge), 'deny'));
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('gh-state');
  });

  it('sends a redirect_uri on another host or outside the callback path to the registered callback with redirect_uri_mismatch', async () => {
    for (const wrong of ['http://localhost:49152/oauth/callback', 'http://127.0.0.1:49152/elsewhere', 'https://evil.example.test/oauth/callback']) {
      const location = redirected(await github.authorize(authorizeUrl({ redirect_uri: wrong }), 'allow'));
      expect(`${location.origin}${location.pathname}`).toBe(loopback);
      expect(location.searchParams.get('error')).toBe('redirect_uri_mismatch');
      expect(location.searchParams.get('state')).toBe('gh-state');
    }
  });

  it('refuses a wrong client secret, a wrong verifier, a reused code, another redirect_uri, a missing state, and a refresh grant', async () => {
    const { verifier, challenge } = pkce();
    expect(json(await exchange({ code: await codeFor(challenge), code_verifier: verifier, client_secret: 'wrong' })).error).toBe('incorrect_client_credentials');
    expect(json(await exchange({ code: await codeFor(challenge), code_verifier: pkce().verifier })).error).toBe('bad_verification_code');
    const code = await codeFor(challenge);
    expect(json(await exchange({ code, code_verifier: verifier })).access_token).toBeDefined();
    expect(json(await exchange({ code, code_verifier: verifier })).error).toBe('bad_verification_code');
    expect(json(await exchange({ code: await codeFor(challenge), code_verifier: verifier, redirect_uri: 'http://127.0.0.1:1/oauth/callback' })).error).toBe('redirect_uri_mismatch');
    expect((await github.authorize(authorizeUrl({ state: null }), 'allow')).kind).toBe('page');
    expect(json(await exchange({ grant_type: 'refresh_token', refresh_token: 'x' })).error).toBe('unsupported_grant_type');
    const plain = redirected(await github.authorize(authorizeUrl({ code_challenge: 'abc', code_challenge_method: 'plain' }), 'allow'));
    expect(plain.searchParams.get('error')).toBe('invalid_request');
  });

  it('switches failures on: redirect mismatch and a suspended application, both sent to the callback with the state', async () => {
    for (const [failure, error] of [
      ['redirect-mismatch', 'redirect_uri_mismatch'],
      ['application-suspended', 'application_suspended'],
    ] as const) {
      github.failOAuth(failure);
      const location = redirected(await github.authorize(authorizeUrl({}, pkce().challenge), 'allow'));
      expect(location.searchParams.get('error')).toBe(error);
      expect(location.searchParams.get('state')).toBe('gh-state');
    }
  });
});

describe('GitLab', () => {
  const publicApp = { clientId: 'gitlab-public-app', name: 'Paddock' };
  const confidentialApp = { clientId: 'gitlab-confidential-app', clientSecret: 'gitlab-secret', name: 'Paddock (runner)' };
  const loopback = callbackOf('gitlab', 'loopback'); // http://127.0.0.1/oauth/callback
  const presented = 'http://127.0.0.1:50123/oauth/callback';
  const runnerCallback = 'https://runner.example.test/oauth/callback';
  let gitlab: GitLabSimulator;
  let endpoints: { authorize: string; token: string };

  beforeAll(async () => {
    gitlab = await track(
      startGitLabSimulator({
        relativeRoot: '/gitlab',
        account,
        clients: [
          { ...publicApp, redirectUris: [loopback, 'http://localhost/oauth/callback', callbackOf('gitlab', 'custom-scheme')] },
          { ...confidentialApp, redirectUris: [runnerCallback] },
        ],
      }),
    );
    // A self-managed instance: the base URL an admin enters is the simulator's.
    endpoints = endpointsOn('gitlab', gitlab.baseUrl, gitlab.origin);
  });
  beforeEach(() => gitlab.failOAuth(null));

  const authorizeUrl = (overrides: Record<string, string | null> = {}, challenge: string | null = null) =>
    withQuery(endpoints.authorize, {
      client_id: publicApp.clientId,
      redirect_uri: presented,
      response_type: 'code',
      scope: oauthScopeParameter('gitlab'),
      state: 'gl-state',
      code_challenge: challenge,
      code_challenge_method: challenge === null ? null : 'S256',
      ...overrides,
    });
  const codeFor = async (challenge: string | null, overrides: Record<string, string | null> = {}) =>
    redirected(await gitlab.authorize(authorizeUrl(overrides, challenge), 'allow')).searchParams.get('code')!;
  const exchange = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    postForm(endpoints.token, gitlab.ca, { client_id: publicApp.clientId, grant_type: 'authorization_code', redirect_uri: presented, ...fields }, headers);

  it('walks the code flow with PKCE and no secret; the token reaches /oauth/token/info and /api/v4/user; refresh rotates', async () => {
    const { verifier, challenge } = pkce();
    const location = redirected(await gitlab.authorize(authorizeUrl({}, challenge), 'allow'));
    expect(location.searchParams.get('state')).toBe('gl-state');
    const answer = await exchange({ code: location.searchParams.get('code')!, code_verifier: verifier });
    expect(answer.status).toBe(200);
    const tokens = json(answer);
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 7200, scope: 'write_repository read_user' });
    expect(typeof tokens.created_at).toBe('number');
    const bearer = (token: unknown) => ({ headers: { Authorization: `Bearer ${String(token)}` } });
    const info = await call(`${gitlab.baseUrl}/oauth/token/info`, gitlab.ca, bearer(tokens.access_token));
    expect(json(info)).toMatchObject({ scope: ['write_repository', 'read_user'], application: { uid: publicApp.clientId } });
    expect(json(info).expires_in).toBeGreaterThan(7100); // seconds left of the two hours
    expect(json(await call(`${gitlab.baseUrl}/api/v4/user`, gitlab.ca, bearer(tokens.access_token)))).toMatchObject({ username: 'sam' });

    const refresh = (token: unknown) => postForm(endpoints.token, gitlab.ca, { client_id: publicApp.clientId, grant_type: 'refresh_token', refresh_token: String(token), redirect_uri: presented });
    const rotated = await refresh(tokens.refresh_token);
    expect(rotated.status).toBe(200);
    const next = json(rotated);
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    // §3.1: refreshing "invalidates the existing access_token and refresh_token".
    const reused = await refresh(tokens.refresh_token);
    expect(reused.status).toBe(400);
    expect(json(reused).error).toBe('invalid_grant');
    expect((await call(`${gitlab.baseUrl}/oauth/token/info`, gitlab.ca, bearer(tokens.access_token))).status).toBe(401);
    expect((await call(`${gitlab.baseUrl}/api/v4/user`, gitlab.ca, bearer(next.access_token))).status).toBe(200);
    expect((await refresh(next.refresh_token)).status).toBe(200);
  });

  it('expires access tokens after two hours', async () => {
    const { verifier, challenge } = pkce();
    const tokens = json(await exchange({ code: await codeFor(challenge), code_verifier: verifier }));
    gitlab.advance(2 * 3600 * 1000 + 1000);
    expect((await call(`${gitlab.baseUrl}/api/v4/user`, gitlab.ca, { headers: { Authorization: `Bearer ${String(tokens.access_token)}` } })).status).toBe(401);
  });

  it('refuses a token without read_user on /api/v4/user with insufficient_scope', async () => {
    const { verifier, challenge } = pkce();
    const tokens = json(await exchange({ code: await codeFor(challenge, { scope: 'write_repository' }), code_verifier: verifier }));
    const answer = await call(`${gitlab.baseUrl}/api/v4/user`, gitlab.ca, { headers: { Authorization: `Bearer ${String(tokens.access_token)}` } });
    expect(answer.status).toBe(403);
    expect(json(answer).error).toBe('insufficient_scope');
  });

  it('takes a confidential app with its secret (body or Basic) and refuses a wrong one with invalid_client', async () => {
    const code = async () => codeFor(null, { client_id: confidentialApp.clientId, redirect_uri: runnerCallback });
    const redeem = async (fields: Record<string, string>, headers: Record<string, string> = {}) =>
      exchange({ client_id: confidentialApp.clientId, redirect_uri: runnerCallback, code: await code(), ...fields }, headers);
    const wrong = await redeem({ client_secret: 'wrong' });
    expect(wrong.status).toBe(401);
    expect(json(wrong).error).toBe('invalid_client');
    expect((await redeem({})).status).toBe(401);
    expect((await redeem({ client_secret: confidentialApp.clientSecret })).status).toBe(200);
    const basic = `Basic ${Buffer.from(`${confidentialApp.clientId}:${confidentialApp.clientSecret}`).toString('base64')}`;
    expect((await redeem({}, { Authorization: basic })).status).toBe(200);
  });

  it('sends Deny back as access_denied with the state', async () => {
    const location = redirected(await gitlab.authorize(authorizeUrl({}, pkce().challenge), 'deny'));
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('gl-state');
  });

  it('matches loopback IP literals on any port but localhost and other URIs exactly; shows a mismatch on the page', async () => {
    expect(redirected(await gitlab.authorize(authorizeUrl({ redirect_uri: 'http://127.0.0.1:1234/oauth/callback' }, pkce().challenge), 'allow')).port).toBe('1234');
    for (const wrong of ['http://localhost:1234/oauth/callback', 'http://127.0.0.1:1234/other', 'https://evil.example.test/oauth/callback']) {
      const outcome = await gitlab.authorize(authorizeUrl({ redirect_uri: wrong }, pkce().challenge), 'allow');
      expect(outcome.kind === 'page' && outcome.text.includes('The redirect URI included is not valid.')).toBe(true);
    }
  });

  it('refuses a wrong verifier, a reused code, another redirect_uri, a public app without PKCE, a missing state, and an unknown scope', async () => {
    const { verifier, challenge } = pkce();
    expect(json(await exchange({ code: await codeFor(challenge), code_verifier: pkce().verifier })).error).toBe('invalid_grant');
    expect(json(await exchange({ code: await codeFor(challenge) })).error).toBe('invalid_grant');
    const code = await codeFor(challenge);
    expect((await exchange({ code, code_verifier: verifier })).status).toBe(200);
    expect(json(await exchange({ code, code_verifier: verifier })).error).toBe('invalid_grant');
    expect(json(await exchange({ code: await codeFor(challenge), code_verifier: verifier, redirect_uri: 'http://127.0.0.1:9/oauth/callback' })).error).toBe('invalid_grant');
    expect(redirected(await gitlab.authorize(authorizeUrl(), 'allow')).searchParams.get('error')).toBe('invalid_request');
    expect((await gitlab.authorize(authorizeUrl({ state: null }, challenge), 'allow')).kind).toBe('page');
    const scope = redirected(await gitlab.authorize(authorizeUrl({ scope: 'write_repository sudo' }, challenge), 'allow'));
    expect(scope.searchParams.get('error')).toBe('invalid_scope');
    expect(scope.searchParams.get('state')).toBe('gl-state');
  });

  it('switches failures on: invalid scope (redirect), redirect mismatch (page), a revoked refresh token (invalid_grant)', async () => {
    const { verifier, challenge } = pkce();
    const tokens = json(await exchange({ code: await codeFor(challenge), code_verifier: verifier }));
    gitlab.failOAuth('invalid-scope');
    expect(redirected(await gitlab.authorize(authorizeUrl({}, challenge), 'allow')).searchParams.get('error')).toBe('invalid_scope');
    gitlab.failOAuth('redirect-mismatch');
    expect((await gitlab.authorize(authorizeUrl({}, challenge), 'allow')).kind).toBe('page');
    gitlab.failOAuth('refresh-revoked');
    const refreshed = await postForm(endpoints.token, gitlab.ca, { client_id: publicApp.clientId, grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token) });
    expect(refreshed.status).toBe(400);
    expect(json(refreshed).error).toBe('invalid_grant');
  });
});

describe('Bitbucket Cloud', () => {
  const consumer = { clientId: 'bitbucket-consumer-key', clientSecret: 'bitbucket-consumer-secret', name: 'Paddock', scopes: ['repository:write', 'account'] };
  const callback = callbackOf('bitbucket-cloud', 'loopback'); // http://localhost:38271/oauth/callback, the fixed port
  let bitbucket: BitbucketCloudSimulator;
  let endpoints: { authorize: string; token: string };
  const basic = (id: string, secret: string) => ({ Authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` });

  beforeAll(async () => {
    bitbucket = await track(startBitbucketCloudSimulator({ account, clients: [{ ...consumer, redirectUris: [callback] }] }));
    endpoints = endpointsOn('bitbucket-cloud', 'https://bitbucket.org', bitbucket.origin);
  });
  beforeEach(() => bitbucket.failOAuth(null));

  const authorizeUrl = (overrides: Record<string, string | null> = {}) =>
    withQuery(endpoints.authorize, {
      client_id: consumer.clientId,
      response_type: 'code',
      redirect_uri: callback,
      state: 'bb-state',
      // §4.1: tolerated, not enforced.
      code_challenge: pkce().challenge,
      code_challenge_method: 'S256',
      ...overrides,
    });
  const codeFor = async () => redirected(await bitbucket.authorize(authorizeUrl(), 'allow')).searchParams.get('code')!;
  const exchange = (fields: Record<string, string>, credentials = basic(consumer.clientId, consumer.clientSecret)) =>
    postForm(endpoints.token, bitbucket.ca, { grant_type: 'authorization_code', ...fields }, credentials);

  it('walks the code flow with the consumer in Basic auth: the token (non-standard "scopes") reaches /2.0/user as Bearer; refresh keeps working', async () => {
    const page = await call(authorizeUrl(), bitbucket.ca);
    expect(page.text).toContain('<li>repository:write</li>');
    const location = redirected(await bitbucket.authorize(authorizeUrl(), 'allow'));
    expect(`${location.origin}${location.pathname}`).toBe(callback);
    expect(location.searchParams.get('state')).toBe('bb-state');
    const answer = await exchange({ code: location.searchParams.get('code')! });
    expect(answer.status).toBe(200);
    const tokens = json(answer);
    expect(tokens).toMatchObject({ scopes: 'repository:write account', token_type: 'bearer', expires_in: 7200 });
    expect(tokens).not.toHaveProperty('scope');
    const user = await call(`${bitbucket.origin}/2.0/user`, bitbucket.ca, { headers: { Authorization: `Bearer ${String(tokens.access_token)}` } });
    expect(user.status).toBe(200);
    expect(json(user)).toMatchObject({ username: 'sam' });
    const refresh = () => postForm(endpoints.token, bitbucket.ca, { grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token) }, basic(consumer.clientId, consumer.clientSecret));
    const refreshed = json(await refresh());
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect((await refresh()).status).toBe(200);
  });

  it('sends Deny back as access_denied with the state', async () => {
    const location = redirected(await bitbucket.authorize(authorizeUrl(), 'deny'));
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('bb-state');
  });

  it('matches the callback exactly (another loopback port is refused on the page)', async () => {
    for (const wrong of ['http://localhost:38272/oauth/callback', 'http://127.0.0.1:38271/oauth/callback']) {
      const outcome = await bitbucket.authorize(authorizeUrl({ redirect_uri: wrong }), 'allow');
      expect(outcome.kind === 'page' && outcome.text.includes('Invalid redirect_uri')).toBe(true);
    }
    // Without redirect_uri the consumer's callback is used.
    expect(`${redirected(await bitbucket.authorize(authorizeUrl({ redirect_uri: null }), 'allow')).origin}`).toBe('http://localhost:38271');
  });

  it('refuses the consumer in the body instead of Basic, a wrong secret, a JSON body, a reused code, and a missing state', async () => {
    const inBody = await postForm(endpoints.token, bitbucket.ca, { grant_type: 'authorization_code', code: await codeFor(), client_id: consumer.clientId, client_secret: consumer.clientSecret });
    expect(json(inBody).error).toBe('invalid_client');
    expect(json(await exchange({ code: await codeFor() }, basic(consumer.clientId, 'wrong'))).error).toBe('invalid_client');
    const asJson = await call(endpoints.token, bitbucket.ca, { method: 'POST', headers: { 'Content-Type': 'application/json', ...basic(consumer.clientId, consumer.clientSecret) }, body: JSON.stringify({ grant_type: 'authorization_code', code: await codeFor() }) });
    expect(json(asJson).error_description).toBe('Unsupported grant type: None');
    const code = await codeFor();
    expect((await exchange({ code })).status).toBe(200);
    expect(json(await exchange({ code })).error).toBe('invalid_grant');
    expect((await bitbucket.authorize(authorizeUrl({ state: null }), 'allow')).kind).toBe('page');
  });

  it('switches failures on: redirect mismatch (page), invalid scope (redirect), a revoked refresh token (invalid_grant)', async () => {
    const tokens = json(await exchange({ code: await codeFor() }));
    bitbucket.failOAuth('redirect-mismatch');
    expect((await bitbucket.authorize(authorizeUrl(), 'allow')).kind).toBe('page');
    bitbucket.failOAuth('invalid-scope');
    const scope = redirected(await bitbucket.authorize(authorizeUrl(), 'allow'));
    expect(scope.searchParams.get('error')).toBe('invalid_scope');
    expect(scope.searchParams.get('state')).toBe('bb-state');
    bitbucket.failOAuth('refresh-revoked');
    const refreshed = await postForm(endpoints.token, bitbucket.ca, { grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token) }, basic(consumer.clientId, consumer.clientSecret));
    expect(refreshed.status).toBe(400);
    expect(json(refreshed).error).toBe('invalid_grant');
  });
});

describe('Bitbucket Data Center', () => {
  const link = { clientId: 'bbdc-client-id', clientSecret: 'bbdc-client-secret', name: 'Paddock' };
  const callback = callbackOf('bitbucket-dc', 'loopback'); // http://localhost:38271/oauth/callback
  let dc: BitbucketDcSimulator;
  let endpoints: { authorize: string; token: string };

  beforeAll(async () => {
    dc = await track(startBitbucketDcSimulator({ contextPath: '/bitbucket', account, clients: [{ ...link, redirectUris: [callback] }] }));
    endpoints = endpointsOn('bitbucket-dc', dc.baseUrl, dc.origin);
  });
  beforeEach(() => dc.failOAuth(null));

  const authorizeUrl = (overrides: Record<string, string | null> = {}, challenge: string | null = null) =>
    withQuery(endpoints.authorize, {
      client_id: link.clientId,
      response_type: 'code',
      redirect_uri: callback,
      scope: oauthScopeParameter('bitbucket-dc'),
      state: 'dc-state',
      code_challenge: challenge,
      code_challenge_method: challenge === null ? null : 'S256',
      ...overrides,
    });
  const codeFor = async (challenge: string) => redirected(await dc.authorize(authorizeUrl({}, challenge), 'allow')).searchParams.get('code')!;
  const exchange = (fields: Record<string, string>) =>
    postForm(endpoints.token, dc.ca, { client_id: link.clientId, client_secret: link.clientSecret, grant_type: 'authorization_code', redirect_uri: callback, ...fields });

  it('walks the code flow with PKCE; the token reaches application-properties (X-AUSERNAME); refresh rotates', async () => {
    const { verifier, challenge } = pkce();
    const location = redirected(await dc.authorize(authorizeUrl({}, challenge), 'allow'));
    expect(location.searchParams.get('state')).toBe('dc-state');
    const tokens = json(await exchange({ code: location.searchParams.get('code')!, code_verifier: verifier }));
    expect(tokens).toMatchObject({ token_type: 'bearer', scope: oauthScopeParameter('bitbucket-dc') });
    const properties = await call(`${dc.baseUrl}/rest/api/1.0/application-properties`, dc.ca, { headers: { Authorization: `Bearer ${String(tokens.access_token)}` } });
    expect(properties.status).toBe(200);
    expect(properties.headers['x-ausername']).toBe('sam');
    const refresh = (token: unknown) => postForm(endpoints.token, dc.ca, { client_id: link.clientId, client_secret: link.clientSecret, grant_type: 'refresh_token', refresh_token: String(token) });
    const next = json(await refresh(tokens.refresh_token));
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect(json(await refresh(tokens.refresh_token)).error).toBe('invalid_grant');
    expect((await refresh(next.refresh_token)).status).toBe(200);
  });

  it('sends Deny back as access_denied with the state', async () => {
    const location = redirected(await dc.authorize(authorizeUrl({}, pkce().challenge), 'deny'));
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('dc-state');
  });

  it('refuses another redirect_uri (page), a wrong verifier, a wrong secret, a reused code, a missing state, and an unknown scope', async () => {
    const { verifier, challenge } = pkce();
    expect((await dc.authorize(authorizeUrl({ redirect_uri: 'http://localhost:1/oauth/callback' }, challenge), 'allow')).kind).toBe('page');
    expect(json(await exchange({ code: await codeFor(challenge), code_verifier: pkce().verifier })).error).toBe('invalid_grant');
    const wrongSecret = await exchange({ code: await codeFor(challenge), code_verifier: verifier, client_secret: 'wrong' });
    expect(wrongSecret.status).toBe(401);
    expect(json(wrongSecret).error).toBe('invalid_client');
    const code = await codeFor(challenge);
    expect((await exchange({ code, code_verifier: verifier })).status).toBe(200);
    expect(json(await exchange({ code, code_verifier: verifier })).error).toBe('invalid_grant');
    expect((await dc.authorize(authorizeUrl({ state: null }, challenge), 'allow')).kind).toBe('page');
    expect(redirected(await dc.authorize(authorizeUrl({ scope: 'REPO_WRITE repo' }, challenge), 'allow')).searchParams.get('error')).toBe('invalid_scope');
  });

  it('switches failures on: redirect mismatch (page), invalid scope (redirect), a revoked refresh token (invalid_grant)', async () => {
    const { verifier, challenge } = pkce();
    const tokens = json(await exchange({ code: await codeFor(challenge), code_verifier: verifier }));
    dc.failOAuth('redirect-mismatch');
    expect((await dc.authorize(authorizeUrl({}, challenge), 'allow')).kind).toBe('page');
    dc.failOAuth('invalid-scope');
    expect(redirected(await dc.authorize(authorizeUrl({}, challenge), 'allow')).searchParams.get('error')).toBe('invalid_scope');
    dc.failOAuth('refresh-revoked');
    const refreshed = await postForm(endpoints.token, dc.ca, { client_id: link.clientId, client_secret: link.clientSecret, grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token) });
    expect(json(refreshed).error).toBe('invalid_grant');
  });
});

describe('the provider set (tests and --simulate)', () => {
  let set: ProviderSimulators;
  beforeAll(async () => {
    set = await startProviderSimulators();
  });
  afterAll(async () => {
    await set.close();
  });

  /** The catalogue's URL with its real origin replaced through the set's endpoint map, as the development runner does. */
  const mapped = (url: string) => {
    const parsed = new URL(url);
    const origin = (set.endpoints as Record<string, string>)[parsed.origin];
    if (!origin) throw new Error(`${parsed.origin} is not simulated`);
    return `${origin}${parsed.pathname}${parsed.search}`;
  };

  const cases = [
    { kind: 'github', baseUrl: 'https://github.com', sim: () => set.oauth.github, client: () => set.oauthClients.github },
    { kind: 'github', baseUrl: 'https://ghe.example.test', sim: () => set.oauth.githubEnterpriseServer, client: () => set.oauthClients.github },
    { kind: 'gitlab', baseUrl: 'https://gitlab.com', sim: () => set.oauth.gitlab, client: () => set.oauthClients.gitlab },
    { kind: 'bitbucket-cloud', baseUrl: 'https://bitbucket.org', sim: () => set.oauth.bitbucketCloud, client: () => set.oauthClients.bitbucketCloud },
    { kind: 'bitbucket-dc', baseUrl: 'https://bitbucket.example.test', sim: () => set.oauth.bitbucketDc, client: () => set.oauthClients.bitbucketDc },
    { kind: 'azure-devops', baseUrl: 'https://dev.azure.com', sim: () => set.oauth.entra, client: () => set.oauthClients.azureDevOps },
  ] as const;

  it.each(cases)('registers an app on $kind ($baseUrl) whose code the token endpoint redeems, with the catalogue’s URLs, scopes and first callback', async ({ kind, baseUrl, sim, client }) => {
    const endpoints = oauthEndpoints(kind, { baseUrl, tenant: SIMULATED_TENANT });
    if (!endpoints.ok) throw new Error(endpoints.message);
    const app = client();
    const redirectUri = callbackOptions(kind, localRunner)[0]!.url;
    expect(app.redirectUris).toContain(redirectUri);
    const { verifier, challenge } = pkce();
    const outcome = await sim().authorize(
      withQuery(mapped(endpoints.authorize), { client_id: app.clientId, response_type: 'code', redirect_uri: redirectUri, scope: oauthScopeParameter(kind), state: 'set-state', code_challenge: challenge, code_challenge_method: 'S256' }),
      'allow',
    );
    const location = redirected(outcome);
    expect(location.searchParams.get('state')).toBe('set-state');
    const code = location.searchParams.get('code')!;
    const secret = 'clientSecret' in app ? app.clientSecret : undefined;
    const fields: Record<string, string> = { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier, scope: oauthScopeParameter(kind) };
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (kind === 'bitbucket-cloud') headers.Authorization = `Basic ${Buffer.from(`${app.clientId}:${secret}`).toString('base64')}`;
    else {
      fields.client_id = app.clientId;
      if (secret !== undefined) fields.client_secret = secret;
    }
    const answer = await postForm(mapped(endpoints.token), set.oauth.entra.ca, fields, headers);
    expect(answer.status, answer.text).toBe(200);
    expect(typeof json(answer).access_token).toBe('string');
  });
});
