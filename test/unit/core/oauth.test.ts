import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Runner } from '../../../electron/common/api';
import { PaddockError } from '../../../electron/common/errors';
import type { ProviderView } from '../../../electron/common/provider-config';
import { callbackOptions, type CallbackOption } from '../../../electron/common/providers';
import type { JobOutcome, JobStart, JobView, OAuthCallbackRequest } from '../../../electron/common/runner-api';
import type { AppJobEvent } from '../../../electron/core/jobs';
import type { Logger } from '../../../electron/core/logger';
import type { LoopbackListener } from '../../../electron/core/loopback';
import { noDesktop, type DesktopIntegration } from '../../../electron/core/desktop';
import { chooseCallback, OAuthFlows, parsePastedCallback, pasteNeeded } from '../../../electron/core/oauth';

// OAuthFlows against a fake runner (jobs, the callback route, its providers)
// and a fake desktop: which callback an attempt uses, the loopback
// listener's life, where callbacks go, and what the user is told.

const STATE = 'S'.repeat(43);
const OTHER_STATE = 'T'.repeat(43);
const CODE = 'code-canary-7f3a';
const JOB = 'j_0123456789abcdefghij';

const provider = (kind: ProviderView['kind'], host: string): ProviderView =>
  ({
    kind,
    host,
    organizations: kind === 'azure-devops' ? [{ name: 'contoso', tenant: '72f988bf-86f1-41af-91ab-2d7cd011db47', tenantOrigin: 'entered' }] : [],
    collections: [],
    oauth: { enabled: true, clientId: 'client', tenant: null, secretSet: true },
    pat: { enabled: true },
    managed: false,
    updatedAt: '2026-12-01T00:00:00.000Z',
  }) as ProviderView;

const runner = (kind: 'local' | 'remote' = 'local'): Runner =>
  ({ id: kind === 'local' ? 'local' : 'r1', name: kind === 'local' ? 'This computer' : 'Build server', kind, url: kind === 'local' ? null : 'https://runner.example.test' }) as Runner;

const job = (state: JobView['state'], progress: JobView['progress'] = [], outcome: JobOutcome | null = null): JobView => ({
  id: JOB,
  kind: 'oauth-connect',
  state,
  startedAt: '2026-12-01T00:00:00.000Z',
  endedAt: state === 'running' ? null : '2026-12-01T00:00:01.000Z',
  progress,
  dropped: 0,
  outcome,
});

const authorize = (state = STATE, url = `https://github.com/login/oauth/authorize?client_id=client&redirect_uri=REDIRECT&state=${state}`, expiresAt = new Date(Date.now() + 300_000).toISOString()) => ({
  seq: 0,
  progress: { kind: 'oauth-connect' as const, step: 'authorize' as const, authorizeUrl: url, expiresAt },
});

const token = { id: 't_0123456789abcdef', host: 'https://github.com', organization: null, method: 'oauth' as const, account: 'sam', obtainedAt: '2026-12-01T00:00:00.000Z', expiresAt: null, scopes: ['repo'], state: 'connected' as const, inUse: true };

function recordingLogger() {
  const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const logger: Logger = {
    info: (message, fields = {}) => lines.push({ level: 'info', message, fields }),
    warn: (message, fields = {}) => lines.push({ level: 'warn', message, fields }),
    error: (message, fields = {}) => lines.push({ level: 'error', message, fields }),
  };
  return { logger, lines };
}

interface HarnessOptions {
  providers?: ProviderView[];
  runner?: Runner;
  customSchemeHandled?: boolean;
  /** The job the runner answers POST /v1/jobs with (default: running, with its authorize step). */
  started?: JobView;
  matched?: boolean;
  authorizeWaitMs?: number;
  offersRunnerHttps?: boolean;
  expiryGraceMs?: number;
  /** The job each start answers with, when they differ (several attempts). */
  startedFor?: () => JobView;
}

const flowsToDispose: OAuthFlows[] = [];
afterEach(async () => {
  await Promise.all(flowsToDispose.splice(0).map((flows) => flows.dispose()));
  vi.useRealTimers();
});

function harness(options: HarnessOptions = {}) {
  const listeners = new Set<(event: AppJobEvent) => void>();
  /** Like the runner: the authorize URL names the redirect URI the job was started with (REDIRECT in the fixtures). */
  const fill = <T,>(value: T): T => {
    const last = starts.at(-1);
    const uri = last && last.kind === 'oauth-connect' ? last.redirectUri : '';
    return JSON.parse(JSON.stringify(value).replaceAll('REDIRECT', encodeURIComponent(uri))) as T;
  };
  const emit = (event: AppJobEvent['event']) => {
    event = fill(event);
    for (const listener of listeners) listener({ runnerId: options.runner?.id ?? 'local', jobId: JOB, event });
  };
  const starts: JobStart[] = [];
  const callbacks: OAuthCallbackRequest[] = [];
  const cancels: string[] = [];
  const refreshes: string[] = [];
  const opened: string[] = [];
  const notifications: { title: string; body: string }[] = [];
  const listenersOpened: LoopbackListener[] = [];
  const { logger, lines } = recordingLogger();
  const desktop: DesktopIntegration = {
    ...noDesktop,
    openExternal: async (url) => {
      opened.push(url);
    },
    notify: (n) => notifications.push(n),
    customSchemeHandled: () => options.customSchemeHandled ?? false,
  };
  const flows = new OAuthFlows({
    runner: () => options.runner ?? runner(),
    listProviders: async () => options.providers ?? [provider('github', 'https://github.com')],
    startJob: async (_id, start) => {
      starts.push(start);
      return fill(options.startedFor?.() ?? options.started ?? job('running', [authorize()]));
    },
    getJob: async () => fill(options.started ?? job('running')),
    cancelJob: async (_id, jobId) => {
      cancels.push(jobId);
      return job('cancelled', [], { state: 'cancelled' });
    },
    onJobEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    postCallback: async (_id, body) => {
      callbacks.push(body);
      return { matched: options.matched ?? true, jobId: options.matched === false ? null : JOB };
    },
    refreshHosts: async (id) => {
      refreshes.push(id);
    },
    desktop,
    logger,
    ...(options.authorizeWaitMs ? { authorizeWaitMs: options.authorizeWaitMs } : {}),
    expiryGraceMs: options.expiryGraceMs ?? 0,
    ...(options.offersRunnerHttps ? { callbackRunner: (r: Runner) => ({ kind: r.kind, url: r.url }) } : {}),
    openListener: async (listenOptions) => {
      const { openLoopbackListener } = await import('../../../electron/core/loopback');
      const listener = await openLoopbackListener(listenOptions);
      listenersOpened.push(listener);
      return listener;
    },
  });
  flowsToDispose.push(flows);
  return { flows, emit, fill, starts, callbacks, cancels, refreshes, opened, notifications, listenersOpened, lines };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      })
      .on('error', reject);
  });
}

const until2 = async (check: () => Promise<boolean>) => {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 5));
  expect(await check()).toBe(true);
};

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

const githubOptions = callbackOptions('github', { kind: 'local', url: null });

describe('which callback an attempt uses', () => {
  it('is the provider’s first, the custom scheme, when this machine hands paddock:// back', () => {
    expect(chooseCallback(githubOptions, true)?.kind).toBe('custom-scheme');
  });

  it('is the first loopback one when paddock:// would not come back', () => {
    expect(chooseCallback(githubOptions, false)).toMatchObject({ kind: 'loopback', listen: { host: '127.0.0.1', port: null } });
    const bitbucket = callbackOptions('bitbucket-cloud', { kind: 'local', url: null });
    expect(chooseCallback(bitbucket, false)).toMatchObject({ kind: 'loopback', listen: { host: 'localhost', port: 38271 } });
  });

  it('stays the custom scheme when the provider takes no loopback (the pasted address finishes it)', () => {
    const schemeOnly: CallbackOption[] = githubOptions.filter((o) => o.kind === 'custom-scheme');
    expect(chooseCallback(schemeOnly, false)?.kind).toBe('custom-scheme');
    expect(chooseCallback([], true)).toBeNull();
  });

  it('says the pasted address is needed only for paddock:// while Paddock is not its handler', () => {
    const [scheme] = githubOptions.filter((o) => o.kind === 'custom-scheme') as [CallbackOption];
    const [loopback] = githubOptions.filter((o) => o.kind === 'loopback') as [CallbackOption];
    expect(pasteNeeded(scheme, false)).toBe(true);
    expect(pasteNeeded(scheme, true)).toBe(false);
    expect(pasteNeeded(loopback, false)).toBe(false);
  });

  it('tells the dialog whether to offer the paste at once', async () => {
    const handled = harness({ customSchemeHandled: true });
    expect(await handled.flows.connect({ runnerId: 'r1', host: 'https://github.com', organization: null })).toMatchObject({ callback: 'custom-scheme', pasteNeeded: false });
    const notHandled = harness({ customSchemeHandled: false });
    expect(await notHandled.flows.connect({ runnerId: 'r1', host: 'https://github.com', organization: null })).toMatchObject({ callback: 'loopback', pasteNeeded: false });
  });

  it('uses a remote runner’s https callback only when it is offered', async () => {
    const remote = runner('remote');
    const offered = harness({ runner: remote, offersRunnerHttps: true });
    expect((await offered.flows.connect({ runnerId: 'r1', host: 'https://github.com', organization: null })).callback).toBe('runner-https');
    expect(offered.starts[0]).toMatchObject({ redirectUri: 'https://runner.example.test/oauth/callback' });
    const notOffered = harness({ runner: remote, customSchemeHandled: true });
    const attempt = await notOffered.flows.connect({ runnerId: 'r1', host: 'https://github.com', organization: null });
    expect(attempt).toMatchObject({ callback: 'custom-scheme', redirectUri: 'paddock://oauth/callback' });
  });
});

describe('an attempt', () => {
  it('starts the runner’s job with the listener’s address, opens the browser and answers with the attempt', async () => {
    const h = harness();
    const attempt = await h.flows.connect({ runnerId: 'local', host: 'https://github.com', organization: null });
    const port = h.listenersOpened[0]!.port;
    expect(h.starts).toEqual([{ kind: 'oauth-connect', host: 'https://github.com', organization: null, redirectUri: `http://127.0.0.1:${port}/oauth/callback` }]);
    expect(attempt).toMatchObject({ runnerId: 'local', callback: 'loopback', redirectUri: `http://127.0.0.1:${port}/oauth/callback`, authorizeUrl: h.fill(authorize().progress.authorizeUrl) });
    expect(attempt.job.id).toBe(JOB);
    expect(h.opened).toEqual([h.fill(authorize().progress.authorizeUrl)]);
    expect(h.flows.openAttempts).toBe(1);
  });

  it('finds the entry by its normalised host and uses the entry’s host', async () => {
    const h = harness({ customSchemeHandled: true });
    await h.flows.connect({ runnerId: 'local', host: 'https://GitHub.com/', organization: null });
    expect(h.starts[0]).toMatchObject({ host: 'https://github.com', redirectUri: 'paddock://oauth/callback' });
    expect(h.listenersOpened).toEqual([]);
  });

  it('refuses a host the runner has no entry for, or one without OAuth', async () => {
    const h = harness();
    await expect(h.flows.connect({ runnerId: 'local', host: 'https://gitlab.com', organization: null })).rejects.toMatchObject({ code: 'not-found' });
    const noOauth = provider('github', 'https://github.com');
    const h2 = harness({ providers: [{ ...noOauth, oauth: { ...noOauth.oauth, enabled: false } }] });
    await expect(h2.flows.connect({ runnerId: 'local', host: 'https://github.com', organization: null })).rejects.toMatchObject({ code: 'invalid-input' });
    expect([...h.starts, ...h2.starts]).toEqual([]);
  });

  it('waits for the authorize step on the job’s events', async () => {
    const h = harness({ started: job('running') });
    const connecting = h.flows.connect({ runnerId: 'local', host: 'https://github.com', organization: null });
    await until(() => h.starts.length === 1);
    await new Promise((r) => setTimeout(r, 10));
    h.emit({ type: 'progress', jobId: JOB, ...authorize() });
    const attempt = await connecting;
    expect(attempt.authorizeUrl).toBe(h.fill(authorize().progress.authorizeUrl));
    expect(h.opened).toHaveLength(1);
  });

  it('gives up when the runner does not say where to send the browser, cancels the job and closes the listener', async () => {
    const h = harness({ started: job('running'), authorizeWaitMs: 50 });
    const error = await h.flows.connect({ runnerId: 'local', host: 'https://github.com', organization: null }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaddockError);
    expect((error as PaddockError).code).toBe('timeout');
    expect((error as PaddockError).message).toBe('The runner did not prepare the sign-in in time. Try connecting again.');
    expect(h.cancels).toEqual([JOB]);
    expect(h.listenersOpened[0]!.closed).toBe(true);
    expect(h.opened).toEqual([]);
    expect(h.flows.openAttempts).toBe(0);
  });

  it('passes on the runner’s refusal when the job fails before its authorize step', async () => {
    const h = harness({ started: job('running') });
    const connecting = h.flows.connect({ runnerId: 'local', host: 'https://github.com', organization: null });
    await until(() => h.starts.length === 1);
    await new Promise((r) => setTimeout(r, 10));
    h.emit({ type: 'end', jobId: JOB, outcome: { state: 'failed', error: { code: 'invalid-input', message: 'No client secret is set.' } } });
    await expect(connecting).rejects.toMatchObject({ code: 'invalid-input', message: 'No client secret is set.' });
    expect(h.listenersOpened[0]!.closed).toBe(true);
  });

  it('never opens an address that is not http(s)', async () => {
    const h = harness({ started: job('running', [authorize(STATE, `javascript:alert(1)//?state=${STATE}`)]) });
    await expect(h.flows.connect({ runnerId: 'local', host: 'https://github.com', organization: null })).rejects.toBeInstanceOf(PaddockError);
    expect(h.opened).toEqual([]);
    expect(h.cancels).toEqual([JOB]);
  });

  it('ends when its job ends: listener closed, hosts asked again (the hosts model then tells of the connection)', async () => {
    const h = harness();
    await h.flows.connect({ runnerId: 'local', host: 'https://github.com', organization: null });
    const listener = h.listenersOpened[0]!;
    h.emit({ type: 'end', jobId: JOB, outcome: { state: 'succeeded', result: { kind: 'oauth-connect', token } } });
    await until(() => h.refreshes.length === 1);
    expect(h.refreshes).toEqual(['local']);
    // Not here: electron/core/notifications.ts tells "GitHub is now connected" from the hosts model, once, by the focus rule.
    expect(h.notifications).toEqual([]);
    expect(listener.closed).toBe(true);
    expect(await refused(listener.port)).toBe(true);
    expect(h.flows.openAttempts).toBe(0);
  });

  it('closes its listener when the job fails or is cancelled, without a notification', async () => {
    for (const outcome of [{ state: 'failed', error: { code: 'policy-blocked', message: 'Refused.' } }, { state: 'cancelled' }] as JobOutcome[]) {
      const h = harness();
      await h.flows.connect({ runnerId: 'local', host: 'https://github.com', organization: null });
      h.emit({ type: 'state', job: job(outcome.state, [authorize()], outcome) });
      await until(() => h.listenersOpened[0]!.closed);
      await until(() => h.refreshes.length === 1);
      expect(h.notifications).toEqual([]);
    }
  });

  it('closes its listener at once when cancelJob’s answer says it ended', async () => {
    const h = harness();
    await h.flows.connect({ runnerId: 'local', host: 'https://github.com', organization: null });
    h.flows.observe('local', job('cancelled', [], { state: 'cancelled' }));
    await until(() => h.listenersOpened[0]!.closed);
    expect(h.flows.openAttempts).toBe(0);
  });

  it('is cancelled on the runner at its expiry, and its listener closed', async () => {
    const h = harness({ started: job('running', [authorize(STATE, undefined, new Date(Date.now() + 60).toISOString())]) });
    await h.flows.connect({ runnerId: 'local', host: 'https://github.com', organization: null });
    await until(() => h.cancels.length === 1);
    expect(h.cancels).toEqual([JOB]);
    await until(() => h.listenersOpened[0]!.closed);
    expect(h.flows.openAttempts).toBe(0);
    expect(h.lines.some((l) => l.message === 'OAuth attempt expired; cancelling it')).toBe(true);
  });

  it('closes its listener at its expiry, before the grace period ends', async () => {
    const h = harness({ started: job('running', [authorize(STATE, undefined, new Date(Date.now() + 60).toISOString())]), expiryGraceMs: 60_000 });
    await h.flows.connect({ runnerId: 'local', host: 'https://github.com', organization: null });
    await until(() => h.listenersOpened[0]!.closed);
    expect(h.cancels).toEqual([]);
    expect(h.flows.openAttempts).toBe(1);
  });

  it('refuses an authorize address that would not come back to the attempt’s callback, and cancels the job', async () => {
    const h = harness({ started: job('running', [authorize(STATE, `https://github.com/login/oauth/authorize?client_id=client&redirect_uri=${encodeURIComponent('https://elsewhere.example/cb')}&state=${STATE}`)]) });
    await expect(h.flows.connect({ runnerId: 'local', host: 'https://github.com', organization: null })).rejects.toMatchObject({ code: 'internal' });
    expect(h.opened).toEqual([]);
    expect(h.cancels).toEqual([JOB]);
    expect(h.listenersOpened[0]!.closed).toBe(true);
  });

  it('leaves an expired attempt to the runner for the grace period: the runner’s own end (its timeout error) is what the user sees', async () => {
    const expiresAt = new Date(Date.now() + 60).toISOString();
    const h = harness({ started: job('running', [authorize(STATE, undefined, expiresAt)]), expiryGraceMs: 400 });
    await h.flows.connect({ runnerId: 'local', host: 'https://github.com', organization: null });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(h.cancels).toEqual([]);
    h.emit({ type: 'end', jobId: JOB, outcome: { state: 'failed', error: { code: 'timeout', message: 'The browser did not come back.' } } });
    await until(() => h.listenersOpened[0]!.closed);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(h.cancels).toEqual([]);
    expect(h.flows.openAttempts).toBe(0);
  });

  it('is cancelled and its listener closed when the app quits', async () => {
    const h = harness();
    await h.flows.connect({ runnerId: 'local', host: 'https://github.com', organization: null });
    await h.flows.dispose();
    expect(h.cancels).toEqual([JOB]);
    expect(h.listenersOpened[0]!.closed).toBe(true);
    await expect(h.flows.connect({ runnerId: 'local', host: 'https://github.com', organization: null })).rejects.toBeInstanceOf(PaddockError);
  });
});

describe('callbacks', () => {
  it('go to the runner of the attempt their state belongs to, from the loopback listener, with a page for the browser', async () => {
    const h = harness();
    const attempt = await h.flows.connect({ runnerId: 'local', host: 'https://github.com', organization: null });
    const page = await get(`${attempt.redirectUri}?code=${CODE}&state=${STATE}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('You can close this tab and return to Paddock.');
    expect(h.callbacks).toEqual([{ state: STATE, code: CODE, error: null, errorDescription: null }]);
  });

  it('carry a provider’s refusal, and the page says so', async () => {
    const h = harness();
    const attempt = await h.flows.connect({ runnerId: 'local', host: 'https://github.com', organization: null });
    const page = await get(`${attempt.redirectUri}?error=access_denied&error_description=The+user+denied.&state=${STATE}`);
    expect(page.body).toContain('GitHub did not give access');
    expect(h.callbacks).toEqual([{ state: STATE, code: null, error: 'access_denied', errorDescription: 'The user denied.' }]);
  });

  it('with an unknown state are ignored with a log line that carries neither state nor code, and end nothing', async () => {
    const h = harness();
    const attempt = await h.flows.connect({ runnerId: 'local', host: 'https://github.com', organization: null });
    const page = await get(`${attempt.redirectUri}?code=${CODE}&state=${OTHER_STATE}`);
    expect(page.status).toBe(400);
    expect(page.body).toContain('Paddock is not waiting for this sign-in');
    expect(await h.flows.deliver({ type: 'oauth-callback', state: OTHER_STATE, code: CODE }, 'deep-link')).toEqual({ matched: false, attempt: null });
    expect(h.callbacks).toEqual([]);
    expect(h.flows.openAttempts).toBe(1);
    expect(h.listenersOpened[0]!.closed).toBe(false);
    const ignored = h.lines.filter((l) => l.message === 'OAuth callback ignored');
    expect(ignored.map((l) => l.fields)).toEqual([
      { reason: 'unknown-state', source: 'loopback', action: 'oauth-callback', stateLength: 43 },
      { reason: 'unknown-state', action: 'oauth-callback', stateLength: 43 },
    ]);
    const text = JSON.stringify(h.lines);
    expect(text).not.toContain(CODE);
    expect(text).not.toContain(OTHER_STATE);
    expect(text).not.toContain(STATE);
  });

  it('that the loopback listener cannot read are refused with the parser’s rules', async () => {
    const h = harness();
    const attempt = await h.flows.connect({ runnerId: 'local', host: 'https://github.com', organization: null });
    for (const query of [`code=${CODE}&code=${CODE}&state=${STATE}`, `code=${CODE}`, `code=${CODE}&state=${STATE}&extra=1`, `code=${CODE}&error=x&state=${STATE}`]) {
      expect((await get(`${attempt.redirectUri}?${query}`)).status).toBe(400);
    }
    expect(h.callbacks).toEqual([]);
    expect(JSON.stringify(h.lines)).not.toContain(CODE);
  });

  it('are sent once: the same state again is not the attempt’s any more', async () => {
    const h = harness();
    await h.flows.connect({ runnerId: 'local', host: 'https://github.com', organization: null });
    expect((await h.flows.deliver({ type: 'oauth-callback', state: STATE, code: CODE }, 'pasted')).matched).toBe(true);
    expect((await h.flows.deliver({ type: 'oauth-callback', state: STATE, code: CODE }, 'pasted')).matched).toBe(false);
    expect(h.callbacks).toHaveLength(1);
  });

  it('count only the way their attempt waits: a paddock:// link for a loopback attempt is ignored, a pasted address taken', async () => {
    const h = harness();
    await h.flows.connect({ runnerId: 'local', host: 'https://github.com', organization: null });
    expect(await h.flows.deliver({ type: 'oauth-callback', state: STATE, code: CODE }, 'deep-link')).toEqual({ matched: false, attempt: null });
    expect(h.callbacks).toEqual([]);
    expect(h.lines.find((l) => l.message === 'OAuth callback ignored')?.fields).toMatchObject({ reason: 'other-callback' });
    expect((await h.flows.deliver({ type: 'oauth-callback', state: STATE, code: CODE }, 'pasted')).matched).toBe(true);
  });

  it('reaching one attempt’s listener with another attempt’s state are refused there and leave the other attempt alone', async () => {
    let n = 0;
    const h = harness({ startedFor: () => ({ ...job('running', [authorize(n === 0 ? STATE : OTHER_STATE)]), id: n++ === 0 ? JOB : 'j_1123456789abcdefghij' }) });
    const first = await h.flows.connect({ runnerId: 'local', host: 'https://github.com', organization: null });
    await h.flows.connect({ runnerId: 'local', host: 'https://github.com', organization: null });
    expect(h.flows.openAttempts).toBe(2);
    const page = await get(`${first.redirectUri}?code=${CODE}&state=${OTHER_STATE}`);
    expect(page.status).toBe(400);
    expect(h.callbacks).toEqual([]);
    expect(h.lines.find((l) => l.message === 'OAuth callback ignored')?.fields).toMatchObject({ reason: 'other-callback', source: 'loopback' });
    // The second attempt's own listener still takes it.
    const second = h.listenersOpened[1]!;
    expect((await get(`http://127.0.0.1:${second.port}/oauth/callback?code=${CODE}&state=${OTHER_STATE}`)).status).toBe(200);
    expect(h.callbacks).toEqual([{ state: OTHER_STATE, code: CODE, error: null, errorDescription: null }]);
  });

  it('close the listener once the attempt’s callback is answered', async () => {
    const h = harness();
    const attempt = await h.flows.connect({ runnerId: 'local', host: 'https://github.com', organization: null });
    expect((await get(`${attempt.redirectUri}?code=${CODE}&state=${STATE}`)).status).toBe(200);
    await until(() => h.listenersOpened[0]!.closed);
    await until2(() => refused(h.listenersOpened[0]!.port));
    // The attempt itself goes on: the runner is exchanging the code.
    expect(h.flows.openAttempts).toBe(1);
  });

  it('that the runner does not match say so', async () => {
    const h = harness({ matched: false });
    await h.flows.connect({ runnerId: 'local', host: 'https://github.com', organization: null });
    expect(await h.flows.complete(`paddock://oauth/callback?code=${CODE}&state=${STATE}`)).toEqual({ matched: false });
  });
});

describe('completeOAuth: the pasted address', () => {
  it('takes the paddock:// link or the loopback address, whitespace around it trimmed', async () => {
    const h = harness();
    await h.flows.connect({ runnerId: 'local', host: 'https://github.com', organization: null });
    expect(await h.flows.complete(`  paddock://oauth/callback?code=${CODE}&state=${STATE}\n`)).toEqual({ matched: true });
    const h2 = harness();
    await h2.flows.connect({ runnerId: 'local', host: 'https://github.com', organization: null });
    expect(await h2.flows.complete(`http://localhost:38271/oauth/callback?code=${CODE}&state=${STATE}`)).toEqual({ matched: true });
    expect(h2.callbacks).toEqual([{ state: STATE, code: CODE, error: null, errorDescription: null }]);
  });

  it('refuses anything else with a sentence saying what to paste, never repeating the values', async () => {
    const h = harness();
    for (const url of [
      CODE,
      `https://127.0.0.1:1234/oauth/callback?code=${CODE}&state=${STATE}`,
      `http://example.test/oauth/callback?code=${CODE}&state=${STATE}`,
      `http://127.0.0.1:1234/oauth/other?code=${CODE}&state=${STATE}`,
      `http://127.0.0.1:1234/oauth/callback?code=${CODE}`,
      `paddock://open?url=${CODE}`,
      `paddock://oauth/callback?code=${CODE}&state=${STATE}&code=${CODE}`,
    ]) {
      const error = await h.flows.complete(url).catch((e: unknown) => e);
      expect(error, url).toBeInstanceOf(PaddockError);
      expect((error as PaddockError).code).toBe('invalid-input');
      expect((error as PaddockError).message).toContain('Paste the whole address the browser showed after you allowed access');
      expect(JSON.stringify({ message: (error as PaddockError).message, issues: (error as PaddockError).issues })).not.toContain(CODE);
    }
  });

  it('reads the loopback address by the same rules as the link', () => {
    expect(parsePastedCallback(`http://127.0.0.1:5000/oauth/callback?code=${CODE}&state=${STATE}&session_state=x`)).toEqual({
      ok: true,
      action: { type: 'oauth-callback', state: STATE, code: CODE },
    });
    expect(parsePastedCallback(`HTTP://LOCALHOST/oauth/callback?error=access_denied&state=${STATE}`)).toEqual({
      ok: true,
      action: { type: 'oauth-callback-error', state: STATE, error: 'access_denied', description: null },
    });
    expect(parsePastedCallback(`http://127.0.0.1:5000/oauth/Callback?code=${CODE}&state=${STATE}`).ok).toBe(false);
  });
});

