// OAuth attempts (issue 9 points 1, 2, 6) through a real runner on a server (TLS, registered
// workstations) against the provider simulators: each provider's authorize → callback →
// exchange → token check → stored token, as the app drives it (the consent page's Authorize
// and Deny pressed, the redirect's code and state handed over with POST /v1/oauth/callback);
// callbacks that match nothing; cancel; and each switchable provider failure mapped to a
// sentence with the setting to change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealClientSecret, type ProviderInput } from '../../electron/common/provider-config';
import { OTHER_ENTRA_TENANT } from '../fakes/entra';
import type { AuthorizeOutcome } from '../fakes/oauth';
import { SIMULATED_OAUTH, SIMULATED_TENANT, SIMULATED_USER, startProviderSimulators, type ProviderSimulators } from '../helpers/provider-simulators';
import { registerWorkstation, runnerCall, startRemoteRunner, type RemoteRunnerHandle } from '../helpers/remote-runner';

const ADO = 'https://dev.azure.com';
const GITHUB = 'https://github.com';
const GITLAB = 'https://gitlab.com';
const BITBUCKET = 'https://bitbucket.org';
const BITBUCKET_DC = 'https://bitbucket.example.test';
const CUSTOM = 'paddock://oauth/callback';
const GITHUB_LOOPBACK = 'http://127.0.0.1:51234/oauth/callback';
const BITBUCKET_LOOPBACK = 'http://localhost:38271/oauth/callback';

let sims: ProviderSimulators;
let runner: RemoteRunnerHandle;
let admin: { clientId: string; apiToken: string };
let alice: { clientId: string; apiToken: string };
let bob: { clientId: string; apiToken: string };

interface JobView {
  id: string;
  state: string;
  progress: { seq: number; progress: { kind: string; step?: string; authorizeUrl?: string; expiresAt?: string } }[];
  outcome: null | { state: string; result?: { kind: string; token: Record<string, unknown> }; error?: { code: string; message: string; detail?: Record<string, string> } };
}

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const job = async (who: { apiToken: string }, id: string) => (await runnerCall(runner, who.apiToken, 'GET', `/v1/jobs/${id}`)).body.job as unknown as JobView;

/** Starts an attempt and waits for its authorize URL. */
async function begin(who: { apiToken: string }, host: string, redirectUri: string, organization: string | null = null) {
  const started = await runnerCall(runner, who.apiToken, 'POST', '/v1/jobs', { kind: 'oauth-connect', host, organization, redirectUri });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  const id = (started.body.job as { id: string }).id;
  const authorize = await until('the authorize URL', async () => {
    const view = await job(who, id);
    if (view.state !== 'running') throw new Error(`the attempt ended early: ${JSON.stringify(view.outcome)}`);
    return view.progress.find((p) => p.progress.step === 'authorize')?.progress;
  });
  return { id, authorizeUrl: authorize.authorizeUrl!, expiresAt: authorize.expiresAt! };
}

/** The redirect's parameters, as the app reads them from paddock://… or its loopback listener. */
function callbackOf(outcome: AuthorizeOutcome) {
  if (outcome.kind !== 'redirect') throw new Error(`expected a redirect, got the page: ${outcome.status} ${outcome.text.slice(0, 300)}`);
  const url = new URL(outcome.location);
  const q = url.searchParams;
  return { target: `${url.protocol}//${url.host}${url.pathname}`, body: { state: q.get('state') ?? '', code: q.get('code'), error: q.get('error'), errorDescription: q.get('error_description') } };
}

const deliver = (who: { apiToken: string }, body: unknown) => runnerCall(runner, who.apiToken, 'POST', '/v1/oauth/callback', body);
const ended = (who: { apiToken: string }, id: string) => until('the attempt’s end', async () => {
  const view = await job(who, id);
  return view.state !== 'running' && view;
});

async function connect(who: { apiToken: string }, host: string, redirectUri: string, press: (url: string) => Promise<AuthorizeOutcome>, organization: string | null = null) {
  const attempt = await begin(who, host, redirectUri, organization);
  const callback = callbackOf(await press(attempt.authorizeUrl));
  const answer = await deliver(who, callback.body);
  expect(answer.body).toEqual({ matched: true, jobId: attempt.id });
  return { attempt, callback, view: await ended(who, attempt.id) };
}

function provider(kind: ProviderInput['kind'], host: string, clientId: string, secret: string | null, extra: Partial<ProviderInput> = {}): ProviderInput {
  const runnerId = /Runner ID: (\S+)/.exec(runner.output())![1]!;
  const tenant = kind === 'azure-devops' ? SIMULATED_TENANT : null;
  return {
    kind,
    host,
    organizations: [],
    collections: [],
    oauth: {
      enabled: true,
      clientId,
      tenant,
      clientSecret: secret === null ? { action: 'none' } : { action: 'replace', sealed: sealClientSecret({ runnerId, kind, host, clientId, tenant, secret }, runner.publicKey) },
    },
    pat: { enabled: true },
    ...extra,
  };
}

beforeAll(async () => {
  sims = await startProviderSimulators();
  runner = await startRemoteRunner({ extraArgs: sims.runnerArgs, env: { ...process.env, ...sims.runnerEnv } });
  admin = await registerWorkstation(runner, 'admin', 'admin-ws');
  alice = await registerWorkstation(runner, 'user', 'alice-ws');
  bob = await registerWorkstation(runner, 'user', 'bob-ws');
  const entries = [
    provider('azure-devops', ADO, SIMULATED_OAUTH.azureDevOps.clientId, null, { organizations: [{ name: 'contoso', tenant: SIMULATED_TENANT, tenantOrigin: 'entered' }] }),
    provider('github', GITHUB, SIMULATED_OAUTH.github.clientId, SIMULATED_OAUTH.github.clientSecret),
    provider('gitlab', GITLAB, SIMULATED_OAUTH.gitlab.clientId, null),
    provider('bitbucket-cloud', BITBUCKET, SIMULATED_OAUTH.bitbucketCloud.clientId, SIMULATED_OAUTH.bitbucketCloud.clientSecret),
    provider('bitbucket-dc', BITBUCKET_DC, SIMULATED_OAUTH.bitbucketDc.clientId, SIMULATED_OAUTH.bitbucketDc.clientSecret),
  ];
  for (const entry of entries) {
    const saved = await runnerCall(runner, admin.apiToken, 'PUT', '/v1/providers', { provider: entry, previousHost: null, confirmWarnings: true });
    expect(saved.body.saved, JSON.stringify(saved.body)).toBe(true);
  }
}, 90_000);

afterAll(async () => {
  await Promise.all([runner?.stop(), sims?.close()]);
});

describe('oauth-connect', () => {
  it('connects Azure DevOps as a public client with PKCE through the custom scheme, in the organization’s tenant', async () => {
    const { attempt, callback, view } = await connect(alice, ADO, CUSTOM, (url) => sims.oauth.entra.authorize(url, 'allow'), 'contoso');
    const url = new URL(attempt.authorizeUrl);
    // Tenant-specific authority, never /common; PKCE S256; the scopes asked.
    expect(url.pathname).toBe(`/${SIMULATED_TENANT}/oauth2/v2.0/authorize`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('scope')).toContain('vso.code_write');
    expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(callback.target).toBe(CUSTOM);
    expect(new Date(attempt.expiresAt).getTime()).toBeGreaterThan(Date.now() + 4 * 60_000);

    expect(view.outcome?.state, JSON.stringify(view.outcome)).toBe('succeeded');
    expect(view.progress.map((p) => p.progress.step)).toEqual(['authorize', 'exchanging', 'checking']);
    const token = view.outcome!.result!.token;
    expect(token).toMatchObject({ host: ADO, organization: 'contoso', method: 'oauth', account: SIMULATED_USER.email, state: 'connected', inUse: true });
    expect(token.scopes).toEqual(expect.arrayContaining([expect.stringContaining('vso.code_write')]));
    // An hour (§1.3).
    const expires = new Date(String(token.expiresAt)).getTime();
    expect(expires).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect(expires).toBeLessThan(Date.now() + 61 * 60_000);
    // The public client sent no secret, and the verifier the challenge was made from.
    const exchange = sims.oauth.entra.requests.find((r) => r.method === 'POST' && r.path === `/${SIMULATED_TENANT}/oauth2/v2.0/token`);
    expect(exchange).toBeDefined();
    const tokens = (await runnerCall(runner, alice.apiToken, 'GET', '/v1/tokens')).body.tokens as Record<string, unknown>[];
    expect(tokens).toContainEqual(expect.objectContaining({ id: token.id, host: ADO, method: 'oauth' }));
    expect(JSON.stringify(tokens)).not.toMatch(/sim_|refresh/);
  });

  it('connects GitHub through a loopback redirect on any port, with the secret and no expiry', async () => {
    const { callback, view } = await connect(alice, GITHUB, GITHUB_LOOPBACK, (url) => sims.oauth.github.authorize(url, 'allow'));
    expect(callback.target).toBe(GITHUB_LOOPBACK);
    expect(view.outcome?.state, JSON.stringify(view.outcome)).toBe('succeeded');
    expect(view.outcome!.result!.token).toMatchObject({ host: GITHUB, organization: null, method: 'oauth', account: SIMULATED_USER.username, expiresAt: null, state: 'connected' });
    expect(view.outcome!.result!.token.scopes).toEqual(expect.arrayContaining(['repo', 'workflow']));
  });

  it('connects GitLab as a public client (PKCE) through the custom scheme, with expiry and the granted scopes', async () => {
    const { view } = await connect(alice, GITLAB, CUSTOM, (url) => sims.oauth.gitlab.authorize(url, 'allow'));
    expect(view.outcome?.state, JSON.stringify(view.outcome)).toBe('succeeded');
    const token = view.outcome!.result!.token;
    expect(token).toMatchObject({ host: GITLAB, method: 'oauth', account: SIMULATED_USER.username, state: 'connected' });
    expect(token.scopes).toEqual(expect.arrayContaining(['write_repository', 'read_user']));
    expect(new Date(String(token.expiresAt)).getTime()).toBeGreaterThan(Date.now() + 100 * 60_000);
  });

  it('connects Bitbucket Cloud on its fixed loopback port, the consumer’s credentials in Basic authentication', async () => {
    const { attempt, view } = await connect(alice, BITBUCKET, BITBUCKET_LOOPBACK, (url) => sims.oauth.bitbucketCloud.authorize(url, 'allow'));
    // Scopes are the consumer's (§4.1): the request sets none.
    expect(new URL(attempt.authorizeUrl).searchParams.has('scope')).toBe(false);
    expect(view.outcome?.state, JSON.stringify(view.outcome)).toBe('succeeded');
    expect(view.outcome!.result!.token).toMatchObject({ host: BITBUCKET, method: 'oauth', account: SIMULATED_USER.username, scopes: ['repository:write', 'account'] });
    const basic = `Basic ${Buffer.from(`${SIMULATED_OAUTH.bitbucketCloud.clientId}:${SIMULATED_OAUTH.bitbucketCloud.clientSecret}`).toString('base64')}`;
    expect(sims.oauth.bitbucketCloud.requests.some((r) => r.method === 'POST' && r.path === '/site/oauth2/access_token' && r.headers.authorization === basic)).toBe(true);
  });

  it('refuses a loopback redirect on another port where the provider fixes it', async () => {
    const answer = await runnerCall(runner, alice.apiToken, 'POST', '/v1/jobs', { kind: 'oauth-connect', host: BITBUCKET, organization: null, redirectUri: 'http://localhost:40000/oauth/callback' });
    const view = answer.status === 202 ? await ended(alice, (answer.body.job as { id: string }).id) : null;
    expect(view?.outcome).toMatchObject({ state: 'failed', error: { code: 'invalid-input' } });
    expect(view?.outcome?.error?.message).toContain(BITBUCKET_LOOPBACK);
  });

  it('connects Bitbucket Data Center with PKCE and the secret', async () => {
    const { attempt, view } = await connect(alice, BITBUCKET_DC, BITBUCKET_LOOPBACK, (url) => sims.oauth.bitbucketDc.authorize(url, 'allow'));
    expect(new URL(attempt.authorizeUrl).searchParams.get('code_challenge_method')).toBe('S256');
    expect(view.outcome?.state, JSON.stringify(view.outcome)).toBe('succeeded');
    expect(view.outcome!.result!.token).toMatchObject({ host: BITBUCKET_DC, method: 'oauth', account: SIMULATED_USER.username, state: 'connected' });
  });
});

describe('callbacks that match no attempt', () => {
  it('ignores an unknown state, a used one and another workstation’s, and the real attempt still completes', async () => {
    const attempt = await begin(alice, GITLAB, CUSTOM);
    const callback = callbackOf(await sims.oauth.gitlab.authorize(attempt.authorizeUrl, 'allow'));
    const unknown = await deliver(alice, { ...callback.body, state: 'A'.repeat(43) });
    expect(unknown.body).toEqual({ matched: false, jobId: null });
    // Bob's workstation holds Alice's redirect: it is not his attempt.
    expect((await deliver(bob, callback.body)).body).toEqual({ matched: false, jobId: null });
    expect((await job(alice, attempt.id)).state).toBe('running');

    expect((await deliver(alice, callback.body)).body).toEqual({ matched: true, jobId: attempt.id });
    // Single use: the same state again matches nothing.
    expect((await deliver(alice, callback.body)).body).toEqual({ matched: false, jobId: null });
    const view = await ended(alice, attempt.id);
    expect(view.outcome?.state, JSON.stringify(view.outcome)).toBe('succeeded');
    // Logged with a reason and lengths, never the state or the code.
    expect(runner.output()).toMatch(/oauth callback ignored/);
    expect(runner.output()).not.toContain(callback.body.state);
    expect(runner.output()).not.toContain(callback.body.code!);
  });

  it('ends the attempt as cancelled when the workstation cancels it during the wait', async () => {
    const attempt = await begin(alice, GITLAB, CUSTOM);
    const cancelled = await runnerCall(runner, alice.apiToken, 'DELETE', `/v1/jobs/${attempt.id}`);
    expect(cancelled.body.job).toMatchObject({ id: attempt.id, state: 'cancelled' });
    const callback = callbackOf(await sims.oauth.gitlab.authorize(attempt.authorizeUrl, 'allow'));
    expect((await deliver(alice, callback.body)).body).toEqual({ matched: false, jobId: null });
  });
});

describe('refusals, each a sentence with what to do', () => {
  it('Deny: “You declined…”, nothing stored', async () => {
    const before = ((await runnerCall(runner, bob.apiToken, 'GET', '/v1/tokens')).body.tokens as unknown[]).length;
    const attempt = await begin(bob, GITHUB, GITHUB_LOOPBACK);
    const callback = callbackOf(await sims.oauth.github.authorize(attempt.authorizeUrl, 'deny'));
    expect(callback.body.error).toBe('access_denied');
    await deliver(bob, callback.body);
    const view = await ended(bob, attempt.id);
    expect(view.outcome).toMatchObject({ state: 'failed', error: { code: 'cancelled' } });
    expect(view.outcome!.error!.message).toMatch(/^You declined/);
    expect(((await runnerCall(runner, bob.apiToken, 'GET', '/v1/tokens')).body.tokens as unknown[]).length).toBe(before);
  });

  async function refused(host: string, redirectUri: string, press: (url: string) => Promise<AuthorizeOutcome>, organization: string | null = null) {
    const attempt = await begin(bob, host, redirectUri, organization);
    const callback = callbackOf(await press(attempt.authorizeUrl));
    expect((await deliver(bob, callback.body)).body).toMatchObject({ matched: true });
    const view = await ended(bob, attempt.id);
    expect(view.outcome?.state, JSON.stringify(view.outcome)).toBe('failed');
    return view.outcome!.error!;
  }
  const entra = (url: string) => sims.oauth.entra.authorize(url, 'allow');

  it('Entra admin consent required (AADSTS65001): policy-blocked, the setting, and the PAT offered', async () => {
    sims.oauth.entra.failOAuth('consent-required');
    try {
      const error = await refused(ADO, CUSTOM, entra, 'contoso');
      expect(error).toMatchObject({ code: 'policy-blocked', detail: { host: ADO, organization: 'contoso', providerCode: 'AADSTS65001' } });
      expect(error.detail!.setting).toMatch(/admin consent/i);
      expect(error.message).toContain('Or provide a personal access token instead');
    } finally {
      sims.oauth.entra.failOAuth(null);
    }
  });

  // The simulator's account comes from the identity provider live.com, a personal Microsoft account: Azure DevOps
  // through Entra takes work or school accounts only (§1.3). A guest of another tenant is in the unit tests.
  it('Entra AADSTS50020 for a personal Microsoft account: work or school accounts only, or a PAT; not mistaken for a Deny', async () => {
    sims.oauth.entra.failOAuth('guest-account');
    try {
      const error = await refused(ADO, CUSTOM, entra, 'contoso');
      expect(error).toMatchObject({ code: 'forbidden', detail: { host: ADO, providerCode: 'AADSTS50020' } });
      expect(error.message).toMatch(/personal Microsoft account/);
      expect(error.message).toContain('provide a personal access token instead');
      expect(error.message).not.toMatch(/declined/);
    } finally {
      sims.oauth.entra.failOAuth(null);
    }
  });

  it('an Entra sign-in whose ID token names another tenant than the organization’s: policy-blocked naming both, nothing stored', async () => {
    sims.oauth.entra.failOAuth('other-tenant');
    try {
      const error = await refused(ADO, CUSTOM, entra, 'contoso');
      expect(error).toMatchObject({ code: 'policy-blocked', detail: { host: ADO, organization: 'contoso', providerCode: 'tenant-mismatch' } });
      expect(error.message).toMatch(new RegExp(`^You signed in with an account of another Microsoft Entra tenant \\(${OTHER_ENTRA_TENANT}\\) than contoso’s \\(${SIMULATED_TENANT}\\), so nothing was connected\\. Sign in with your contoso work account`));
      expect(error.message).toContain('Or provide a personal access token instead');
      expect(((await runnerCall(runner, bob.apiToken, 'GET', '/v1/tokens')).body.tokens as { host: string }[]).filter((t) => t.host === ADO)).toEqual([]);
    } finally {
      sims.oauth.entra.failOAuth(null);
    }
  });

  it('Azure DevOps invalid scope (AADSTS70011): the OAuth policy and where it is, or the registration’s scopes', async () => {
    sims.oauth.entra.failOAuth('invalid-scope');
    try {
      const error = await refused(ADO, CUSTOM, entra, 'contoso');
      expect(error).toMatchObject({
        code: 'policy-blocked',
        detail: { providerCode: 'AADSTS70011', settingUrl: 'https://dev.azure.com/contoso/_settings/organizationPolicy' },
      });
      expect(error.detail!.setting).toBe('Organization settings → Security → Policies → Third-party application access via OAuth');
      expect(error.message).toContain('vso.code_write');
    } finally {
      sims.oauth.entra.failOAuth(null);
    }
  });

  it('Azure DevOps TF400813 from the API check: policy-blocked, nothing stored', async () => {
    sims.oauth.azureDevOps.failOAuthPolicy(true);
    try {
      const error = await refused(ADO, CUSTOM, entra, 'contoso');
      expect(error).toMatchObject({ code: 'policy-blocked', detail: { providerCode: 'TF400813', settingUrl: 'https://dev.azure.com/contoso/_settings/organizationPolicy' } });
      expect(error.message).toContain('Third-party application access via OAuth');
      expect(((await runnerCall(runner, bob.apiToken, 'GET', '/v1/tokens')).body.tokens as { host: string }[]).filter((t) => t.host === ADO)).toEqual([]);
    } finally {
      sims.oauth.azureDevOps.failOAuthPolicy(false);
    }
  });

  it('GitHub redirect_uri_mismatch: the redirect URI to register', async () => {
    sims.oauth.github.failOAuth('redirect-mismatch');
    try {
      const error = await refused(GITHUB, GITHUB_LOOPBACK, (url) => sims.oauth.github.authorize(url, 'allow'));
      expect(error).toMatchObject({ code: 'policy-blocked', detail: { providerCode: 'redirect_uri_mismatch', setting: `Redirect URI: ${GITHUB_LOOPBACK}` } });
      expect(error.message).toContain(GITHUB_LOOPBACK);
    } finally {
      sims.oauth.github.failOAuth(null);
    }
  });

  it('GitHub suspended OAuth app', async () => {
    sims.oauth.github.failOAuth('application-suspended');
    try {
      const error = await refused(GITHUB, GITHUB_LOOPBACK, (url) => sims.oauth.github.authorize(url, 'allow'));
      expect(error).toMatchObject({ code: 'policy-blocked', detail: { providerCode: 'application_suspended' } });
      expect(error.message).toMatch(/suspended/);
    } finally {
      sims.oauth.github.failOAuth(null);
    }
  });

  it('GitLab invalid scope: the scopes the application must allow', async () => {
    sims.oauth.gitlab.failOAuth('invalid-scope');
    try {
      const error = await refused(GITLAB, CUSTOM, (url) => sims.oauth.gitlab.authorize(url, 'allow'));
      expect(error).toMatchObject({ code: 'policy-blocked', detail: { providerCode: 'invalid_scope' } });
      expect(error.message).toContain('write_repository');
    } finally {
      sims.oauth.gitlab.failOAuth(null);
    }
  });
});

describe('secrets', () => {
  it('no access token the runner received appears in its output, its token list or its jobs', async () => {
    const { view } = await connect(alice, GITLAB, CUSTOM, (url) => sims.oauth.gitlab.authorize(url, 'allow'));
    // The runner's token checks sent each access token to its provider: that is where to learn them.
    const bearers = Object.values(sims.oauth)
      .flatMap((sim) => sim.requests)
      .map((r) => /^Bearer (.+)$/.exec(String(r.headers.authorization ?? ''))?.[1])
      .filter((token): token is string => token !== undefined && token.length > 8);
    expect(bearers.length).toBeGreaterThan(5);
    const listed = JSON.stringify((await runnerCall(runner, alice.apiToken, 'GET', '/v1/tokens')).body);
    const seen = `${runner.output()}\n${listed}\n${JSON.stringify(view)}`;
    for (const token of bearers) expect(seen).not.toContain(token);
  });
});
