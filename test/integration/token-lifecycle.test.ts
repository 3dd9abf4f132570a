// The token lifecycle (issue 9 point 5) through a real runner on a server against the provider
// simulators: a pasted GitLab PAT that the provider stops accepting, an Azure DevOps OAuth token
// whose refresh Entra refuses (AADSTS700082), and a GitLab OAuth token refreshed once (rotating
// refresh token) when the provider refuses the expired access token. Each ends in the state the
// hosts model shows, and a rejected token is not offered to the provider again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealPat } from '../../electron/common/pat';
import type { ProviderInput } from '../../electron/common/provider-config';
import type { AuthorizeOutcome } from '../fakes/oauth';
import { startGitLabSimulator, type GitLabSimulator } from '../fakes/gitlab';
import type { SimulatedUser } from '../fakes/simulator';
import { SIMULATED_OAUTH, SIMULATED_TENANT, SIMULATED_USER, startProviderSimulators, type ProviderSimulators } from '../helpers/provider-simulators';
import { registerWorkstation, runnerCall, startRemoteRunner, type RemoteRunnerHandle } from '../helpers/remote-runner';

const ADO = 'https://dev.azure.com';
const GITLAB = 'https://gitlab.com';
// A self-managed GitLab of this test's own, whose accepted PAT the test can take back.
const GITLAB_PAT = 'https://gitlab.lifecycle.test';
const CUSTOM = 'paddock://oauth/callback';
const PAT = 'glpat-simulated-lifecycle-token';

let sims: ProviderSimulators;
let patGitLab: GitLabSimulator;
const patAccount: { user: SimulatedUser; personalAccessToken: string } = { user: SIMULATED_USER, personalAccessToken: PAT };
let runner: RemoteRunnerHandle;
let runnerId: string;
let admin: { clientId: string; apiToken: string };
let alice: { clientId: string; apiToken: string };

interface TokenView {
  id: string;
  host: string;
  organization: string | null;
  method: string;
  state: string;
  expiresAt: string | null;
}
interface JobView {
  id: string;
  state: string;
  progress: { seq: number; progress: { kind: string; step?: string; authorizeUrl?: string } }[];
  outcome: null | { state: string; result?: { kind: string; token: TokenView; refreshed?: boolean }; error?: { code: string; message: string; detail?: Record<string, string> } };
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

const job = async (id: string) => (await runnerCall(runner, alice.apiToken, 'GET', `/v1/jobs/${id}`)).body.job as unknown as JobView;
const ended = (id: string) => until('the job’s end', async () => {
  const view = await job(id);
  return view.state !== 'running' && view;
});
const tokens = async () => (await runnerCall(runner, alice.apiToken, 'GET', '/v1/tokens')).body.tokens as unknown as TokenView[];

async function startJob(body: unknown): Promise<string> {
  const started = await runnerCall(runner, alice.apiToken, 'POST', '/v1/jobs', body);
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  return (started.body.job as { id: string }).id;
}

const tokenCheck = async (id: string) => ended(await startJob({ kind: 'token-check', id }));

/** An OAuth connect as the app drives it: the job, the consent page's Authorize, the redirect handed back. */
async function connectOAuth(host: string, press: (url: string) => Promise<AuthorizeOutcome>, organization: string | null = null): Promise<TokenView> {
  const id = await startJob({ kind: 'oauth-connect', host, organization, redirectUri: CUSTOM });
  const authorizeUrl = await until('the authorize URL', async () => (await job(id)).progress.find((p) => p.progress.step === 'authorize')?.progress.authorizeUrl);
  const outcome = await press(authorizeUrl);
  if (outcome.kind !== 'redirect') throw new Error(`expected a redirect, got the page: ${outcome.status}`);
  const q = new URL(outcome.location).searchParams;
  const delivered = await runnerCall(runner, alice.apiToken, 'POST', '/v1/oauth/callback', { state: q.get('state') ?? '', code: q.get('code'), error: q.get('error'), errorDescription: q.get('error_description') });
  expect(delivered.body).toEqual({ matched: true, jobId: id });
  const view = await ended(id);
  expect(view.outcome?.state, JSON.stringify(view.outcome)).toBe('succeeded');
  return view.outcome!.result!.token;
}

const tokenRequests = (sim: { requests: { method: string; path: string; body?: string }[] }, path: RegExp) => sim.requests.filter((r) => r.method === 'POST' && path.test(r.path)).length;

function entry(kind: ProviderInput['kind'], host: string, oauth: { clientId: string } | null, extra: Partial<ProviderInput> = {}): ProviderInput {
  return {
    kind,
    host,
    organizations: [],
    collections: [],
    oauth: oauth
      ? { enabled: true, clientId: oauth.clientId, tenant: kind === 'azure-devops' ? SIMULATED_TENANT : null, clientSecret: { action: 'none' } }
      : { enabled: false, clientId: null, tenant: null, clientSecret: { action: 'none' } },
    pat: { enabled: true },
    ...extra,
  };
}

beforeAll(async () => {
  sims = await startProviderSimulators();
  patGitLab = await startGitLabSimulator({ account: patAccount });
  const endpoints = { ...sims.endpoints, [GITLAB_PAT]: patGitLab.origin };
  runner = await startRemoteRunner({ extraArgs: sims.runnerArgs, env: { ...process.env, PADDOCK_DEV_PROVIDER_ENDPOINTS: JSON.stringify(endpoints) } });
  runnerId = /Runner ID: (\S+)/.exec(runner.output())![1]!;
  admin = await registerWorkstation(runner, 'admin', 'admin-ws');
  alice = await registerWorkstation(runner, 'user', 'alice-ws');
  const entries = [
    entry('azure-devops', ADO, SIMULATED_OAUTH.azureDevOps, { organizations: [{ name: 'contoso', tenant: SIMULATED_TENANT, tenantOrigin: 'entered' }] }),
    entry('gitlab', GITLAB, SIMULATED_OAUTH.gitlab),
    entry('gitlab', GITLAB_PAT, null),
  ];
  for (const provider of entries) {
    const saved = await runnerCall(runner, admin.apiToken, 'PUT', '/v1/providers', { provider, previousHost: null, confirmWarnings: true });
    expect(saved.body.saved, JSON.stringify(saved.body)).toBe(true);
  }
}, 90_000);

afterAll(async () => {
  await Promise.all([runner?.stop(), sims?.close(), patGitLab?.close()]);
});

describe('token lifecycle', () => {
  it('checks a pasted GitLab PAT, and marks it reconnect-needed once GitLab stops accepting it, without asking GitLab again', async () => {
    const sealed = sealPat({ runnerId, host: GITLAB_PAT, organization: null }, PAT, runner.publicKey);
    const pasted = await runnerCall(runner, alice.apiToken, 'PUT', '/v1/tokens/pat', { host: GITLAB_PAT, organization: null, sealed });
    expect(pasted.status, JSON.stringify(pasted.body)).toBe(200);
    const id = pasted.body.id as string;

    const passing = await tokenCheck(id);
    expect(passing.outcome).toMatchObject({ state: 'succeeded', result: { kind: 'token-check', refreshed: false, token: { id, method: 'pat', state: 'connected' } } });

    // Revoked on GitLab: the simulator now accepts another token only.
    patAccount.personalAccessToken = 'glpat-simulated-another-token';
    const refused = await tokenCheck(id);
    expect(refused.outcome).toMatchObject({ state: 'failed', error: { code: 'reconnect-needed', detail: { host: GITLAB_PAT } } });
    expect(refused.outcome!.error!.message).toContain(GITLAB_PAT);
    expect((await tokens()).find((t) => t.id === id)).toMatchObject({ state: 'reconnect-needed' });

    const asked = patGitLab.requests.length;
    const again = await tokenCheck(id);
    expect(again.outcome).toMatchObject({ state: 'failed', error: { code: 'reconnect-needed' } });
    expect(patGitLab.requests.length).toBe(asked);
    expect(runner.output()).not.toContain(PAT);
  });

  it('refreshes an expired GitLab OAuth token once when GitLab refuses it, redeeming the rotating refresh token once', async () => {
    const connected = await connectOAuth(GITLAB, (url) => sims.oauth.gitlab.authorize(url, 'allow'));
    const refreshesBefore = tokenRequests(sims.oauth.gitlab, /\/oauth\/token$/);
    // Past the access token's two hours on GitLab's clock: /api/v4/user answers 401.
    sims.oauth.gitlab.advance(3 * 3600_000);
    const checked = await tokenCheck(connected.id);
    expect(checked.outcome, JSON.stringify(checked.outcome)).toMatchObject({ state: 'succeeded', result: { kind: 'token-check', refreshed: true, token: { id: connected.id, state: 'connected' } } });
    expect(tokenRequests(sims.oauth.gitlab, /\/oauth\/token$/)).toBe(refreshesBefore + 1);
    // The new access token works: the next check needs no refresh.
    const next = await tokenCheck(connected.id);
    expect(next.outcome).toMatchObject({ state: 'succeeded', result: { refreshed: false } });
    expect(tokenRequests(sims.oauth.gitlab, /\/oauth\/token$/)).toBe(refreshesBefore + 1);
  });

  it('moves an Azure DevOps OAuth token to reconnect-needed when Entra refuses its refresh, and does not try again', async () => {
    const connected = await connectOAuth(ADO, (url) => sims.oauth.entra.authorize(url, 'allow'), 'contoso');
    expect(connected).toMatchObject({ host: ADO, organization: 'contoso', method: 'oauth', state: 'connected' });
    sims.oauth.entra.failOAuth('refresh-expired');
    sims.oauth.entra.advance(2 * 3600_000);
    try {
      const checked = await tokenCheck(connected.id);
      expect(checked.outcome, JSON.stringify(checked.outcome)).toMatchObject({
        state: 'failed',
        error: { code: 'reconnect-needed', detail: { host: ADO, organization: 'contoso', providerCode: 'AADSTS700082' } },
      });
      expect(checked.outcome!.error!.message).toContain('contoso');
      expect((await tokens()).find((t) => t.id === connected.id)).toMatchObject({ state: 'reconnect-needed' });

      const asked = tokenRequests(sims.oauth.entra, /\/oauth2\/v2\.0\/token$/);
      const again = await tokenCheck(connected.id);
      expect(again.outcome).toMatchObject({ state: 'failed', error: { code: 'reconnect-needed' } });
      expect(tokenRequests(sims.oauth.entra, /\/oauth2\/v2\.0\/token$/)).toBe(asked);
      expect(runner.output()).toMatch(/token rejected/);
    } finally {
      sims.oauth.entra.failOAuth(null);
    }
  });

  it('says not-found for a token id this workstation does not have', async () => {
    const view = await tokenCheck('t_0000000000000000');
    expect(view.outcome).toMatchObject({ state: 'failed', error: { code: 'not-found' } });
  });
});
