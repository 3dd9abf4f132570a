import { createHash } from 'node:crypto';
import type { OAuthAttempt, Runner } from '../common/api';
import { parseDeepLink, parseOAuthCallbackQuery, type DeepLinkAction, type DeepLinkResult } from '../common/deep-link';
import { PaddockError } from '../common/errors';
import type { ProviderView } from '../common/provider-config';
import { callbackOptions, catalogueEntry, normalizeHost, type CallbackOption, type CallbackRunner } from '../common/providers';
import type { JobOutcome, JobStart, JobView, OAuthCallbackRequest, OAuthCallbackResponse } from '../common/runner-api';
import type { DesktopIntegration } from './desktop';
import type { AppJobEvent } from './jobs';
import type { Logger } from './logger';
import { openLoopbackListener, type LoopbackListener, type LoopbackListenerOptions, type LoopbackPage } from './loopback';

// The app's side of an OAuth attempt (PRODUCT A1, issue 9): the runner
// builds the authorize URL and keeps the attempt as an `oauth-connect` job;
// this picks how the provider hands the answer back, opens the loopback
// listener when that is the way, opens the provider's page in the system
// browser, and carries whatever callback arrives (a paddock:// link, the
// loopback request, an address the user pasted) to the runner. Attempts
// are found by the SHA-256 of their state: the state itself is a secret
// and is neither kept in the clear nor logged.

// The desktop moved to ./desktop (it opens folders, editors and terminals too); kept here for older imports.
export { noDesktop, type DesktopIntegration } from './desktop';

/** See OAuthFlowsOptions.expiryGraceMs. */
export const DEFAULT_EXPIRY_GRACE_MS = 10_000;

export interface OAuthFlowsOptions {
  /** One runner of the registry (throws not-found for an unknown id). */
  runner(runnerId: string): Runner;
  listProviders(runnerId: string): Promise<ProviderView[]>;
  startJob(runnerId: string, start: JobStart): Promise<JobView>;
  getJob(runnerId: string, jobId: string): Promise<JobView>;
  cancelJob(runnerId: string, jobId: string): Promise<JobView>;
  /** The relayed job events (CoreJobs' `emit`): the attempt's authorize step and its end arrive here. */
  onJobEvent(listener: (event: AppJobEvent) => void): () => void;
  /** POST /v1/oauth/callback on the runner. */
  postCallback(runnerId: string, body: OAuthCallbackRequest): Promise<OAuthCallbackResponse>;
  /** Asks the runner again for the hosts model (its tokens changed). */
  refreshHosts(runnerId: string): Promise<unknown>;
  desktop: Pick<DesktopIntegration, 'openExternal' | 'customSchemeHandled'>;
  logger: Logger;
  /**
   * The runner as callbackOptions sees it. A remote runner's own https
   * callback may be shown to a browser only when the runner offers one (its
   * admin's publicly trusted certificate); a pinned self-signed runner never
   * is. The default offers none: the workstation receives every redirect.
   */
  callbackRunner?: (runner: Runner) => CallbackRunner;
  /** How long the runner may take to say where to send the browser. */
  authorizeWaitMs?: number;
  /**
   * How long after an attempt's expiry the core cancels it itself. The
   * runner ends an expired attempt on its own, with the error that says the
   * browser did not come back in time; the core's cancel is the backstop for
   * a runner that does not report, and must not win that race.
   */
  expiryGraceMs?: number;
  /** Tests: a fake listener. */
  openListener?: (options: LoopbackListenerOptions) => Promise<LoopbackListener>;
}

/** Where a callback came from, for the log line. */
export type CallbackSource = 'deep-link' | 'loopback' | 'pasted';

type CallbackAction = Extract<DeepLinkAction, { type: 'oauth-callback' | 'oauth-callback-error' }>;

interface Attempt {
  readonly runnerId: string;
  readonly jobId: string;
  readonly kind: ProviderView['kind'];
  readonly stateHash: string;
  readonly expiresAt: string;
  /** Where the provider sends the browser back: only that way (or a pasted address) completes the attempt. */
  readonly callback: CallbackOption['kind'];
  listener: LoopbackListener | null;
  /** Ends the attempt a grace period after its expiry, should the runner not have. */
  timer: NodeJS.Timeout | null;
  /** Closes the listener at the attempt's expiry. */
  closeTimer: NodeJS.Timeout | null;
  /** A callback reached the runner and it took it: later ones with the same state are not sent again. */
  delivered: boolean;
}

/** What a job being set up said: its authorize step (with the view, when a state line brought it), or its end. */
type WaitSignal = { step: { authorizeUrl: string; expiresAt: string }; job: JobView | null } | { ended: JobOutcome | null };

const DEFAULT_AUTHORIZE_WAIT_MS = 10_000;

const hashOf = (state: string) => createHash('sha256').update(state).digest('hex');
const keyOf = (runnerId: string, jobId: string) => `${runnerId} ${jobId}`;

/** The authorize step's URL and expiry in a job view, if it got that far. */
function authorizeStep(job: JobView): { authorizeUrl: string; expiresAt: string } | null {
  for (const { progress } of job.progress) {
    if (progress.kind === 'oauth-connect' && progress.step === 'authorize') return { authorizeUrl: progress.authorizeUrl, expiresAt: progress.expiresAt };
  }
  return null;
}

/** The callback kind for an attempt: the best the provider accepts, unless that is the scheme and this machine would not hand it back. */
export function chooseCallback(options: readonly CallbackOption[], customSchemeHandled: boolean): CallbackOption | null {
  const [first] = options;
  if (!first) return null;
  if (first.kind === 'custom-scheme' && !customSchemeHandled) return options.find((option) => option.kind === 'loopback') ?? first;
  return first;
}

/** Whether only a pasted address can finish an attempt: its callback is paddock:// and this machine does not hand such links to Paddock. */
export function pasteNeeded(choice: CallbackOption, customSchemeHandled: boolean): boolean {
  return choice.kind === 'custom-scheme' && !customSchemeHandled;
}

const pastedHelp =
  'Paste the whole address the browser showed after you allowed access: it starts with paddock://oauth/callback? or http://127.0.0.1: (or http://localhost:) and ends in /oauth/callback?… with the rest of the address.';

/** A pasted callback address, read by the same rules as a paddock:// link. */
export function parsePastedCallback(input: string): DeepLinkResult {
  const text = input.trim();
  if (/^paddock:/i.test(text)) return parseDeepLink(text);
  const match = /^http:\/\/(?:127\.0\.0\.1|localhost)(?::\d{1,5})?\/oauth\/callback(?:\?([^#]*))?(?:#)?$/i.exec(text);
  // The path is compared exactly (RFC 3986 §6.2.2.1), as it is for paddock:// links.
  if (!match || !text.includes('/oauth/callback')) {
    return { ok: false, error: { code: 'not-a-deep-link', message: 'This is not the address of a sign-in callback.' } };
  }
  return parseOAuthCallbackQuery(match[1] ?? null);
}

export class OAuthFlows {
  readonly #byState = new Map<string, Attempt>();
  readonly #byJob = new Map<string, Attempt>();
  /** Jobs still being set up (before their attempt is kept), and who waits for their authorize step. */
  readonly #waiting = new Map<string, (signal: WaitSignal) => void>();
  readonly #unsubscribe: () => void;
  #disposed = false;

  constructor(private readonly options: OAuthFlowsOptions) {
    this.#unsubscribe = options.onJobEvent((event) => this.#onJobEvent(event));
  }

  /** Starts an attempt: the runner's job, the listener when the callback is loopback, the browser. */
  async connect({ runnerId, host, organization }: { runnerId: string; host: string; organization: string | null }): Promise<OAuthAttempt> {
    if (this.#disposed) throw new PaddockError('internal', 'Paddock is closing.');
    const { logger, desktop } = this.options;
    const runner = this.options.runner(runnerId);
    const providers = await this.options.listProviders(runnerId);
    const provider = providers.find((p) => {
      if (p.host === host) return true;
      const normalized = normalizeHost(p.kind, host);
      return normalized.ok && normalized.baseUrl === p.host;
    });
    if (!provider) throw new PaddockError('not-found', `${runner.name} has no repository access for ${host}. Ask your admin to add it, then connect again.`, undefined, { host, runnerId });
    const entry = catalogueEntry(provider.kind);
    if (!provider.oauth.enabled) {
      throw new PaddockError('invalid-input', `Signing in to ${entry.displayName} through the browser is not set up for ${provider.host} on ${runner.name}.`, undefined, {
        host: provider.host,
      });
    }
    const callbackRunner = this.options.callbackRunner?.(runner) ?? { kind: runner.kind, url: null };
    const schemeHandled = desktop.customSchemeHandled();
    const choice = chooseCallback(callbackOptions(provider.kind, callbackRunner), schemeHandled);
    if (!choice) throw new PaddockError('invalid-input', `${entry.displayName} accepts no sign-in callback that Paddock can receive here.`, undefined, { host: provider.host });

    let listener: LoopbackListener | null = null;
    let redirectUri = choice.url;
    // Set once the attempt is kept; callbacks before then (none can come: the browser is not open yet) find nothing.
    let attempt: Attempt | null = null;
    if (choice.kind === 'loopback' && choice.listen) {
      const listen = choice.listen;
      listener = await (this.options.openListener ?? openLoopbackListener)({
        host: listen.host,
        port: listen.port,
        path: '/oauth/callback',
        // Only this attempt's own callback is taken here; it is null until the attempt is kept.
        onCallback: (query) => this.#onLoopback(query, provider.kind, () => attempt),
      });
      // The registered URL names the host (and the fixed port); a provider that ignores the port gets the one the listener has.
      redirectUri = `http://${listen.host}:${listener.port}/oauth/callback`;
    }

    let job: JobView;
    try {
      job = await this.options.startJob(runnerId, { kind: 'oauth-connect', host: provider.host, organization, redirectUri });
    } catch (error) {
      await listener?.close();
      throw error;
    }
    const key = keyOf(runnerId, job.id);
    try {
      const step = await this.#authorizeStepOf(runnerId, job);
      job = step.job;
      const authorizeUrl = new URL(step.authorizeUrl);
      if (authorizeUrl.protocol !== 'https:' && authorizeUrl.protocol !== 'http:') {
        throw new PaddockError('internal', 'The runner gave a sign-in address that is not a web page.');
      }
      const state = authorizeUrl.searchParams.get('state');
      if (!state) throw new PaddockError('internal', 'The runner gave a sign-in address without a state.');
      // The browser is sent only where the provider will send it back to this attempt's callback.
      if (authorizeUrl.searchParams.get('redirect_uri') !== redirectUri) {
        throw new PaddockError('internal', 'The runner gave a sign-in address that does not come back to Paddock.');
      }
      attempt = {
        runnerId,
        jobId: job.id,
        kind: provider.kind,
        stateHash: hashOf(state),
        expiresAt: step.expiresAt,
        callback: choice.kind,
        listener,
        timer: null,
        closeTimer: null,
        delivered: false,
      };
      this.#byState.set(attempt.stateHash, attempt);
      this.#byJob.set(key, attempt);
      const kept = attempt;
      // At the attempt's expiry its listener closes; shortly after, the core ends the attempt too, should the runner not have said it ended.
      const left = Math.max(0, Date.parse(step.expiresAt) - Date.now());
      if (listener) {
        kept.closeTimer = setTimeout(() => void listener.close(), left);
        kept.closeTimer.unref();
      }
      kept.timer = setTimeout(() => void this.#expire(kept), left + (this.options.expiryGraceMs ?? DEFAULT_EXPIRY_GRACE_MS));
      kept.timer.unref();
      try {
        await desktop.openExternal(step.authorizeUrl);
      } catch (error) {
        // The attempt stays: the dialog shows the address to open by hand.
        logger.warn('the system browser could not be opened for sign-in', { runnerId, jobId: job.id, error: error instanceof Error ? error.name : typeof error });
      }
      const paste = pasteNeeded(choice, schemeHandled);
      logger.info('OAuth attempt started', { runnerId, jobId: job.id, kind: provider.kind, callback: choice.kind, pasteNeeded: paste });
      return { runnerId, job, authorizeUrl: step.authorizeUrl, expiresAt: step.expiresAt, callback: choice.kind, redirectUri, pasteNeeded: paste };
    } catch (error) {
      if (attempt) this.#forget(attempt);
      await listener?.close();
      // The runner keeps nothing for an attempt the browser was never sent to.
      await this.options.cancelJob(runnerId, job.id).catch(() => undefined);
      throw error;
    }
  }

  /** Waits for the job's first progress (the authorize step), at most authorizeWaitMs. */
  async #authorizeStepOf(runnerId: string, started: JobView): Promise<{ job: JobView; authorizeUrl: string; expiresAt: string }> {
    const key = keyOf(runnerId, started.id);
    const endedWith = (outcome: JobOutcome | null): never => {
      if (outcome?.state === 'failed') throw new PaddockError(outcome.error.code, outcome.error.message, outcome.error.issues, outcome.error.detail);
      throw new PaddockError('cancelled', 'The sign-in was cancelled before the browser opened.');
    };
    const immediate = authorizeStep(started);
    if (immediate) return { job: started, ...immediate };
    if (started.state !== 'running') endedWith(started.outcome);
    let latest = started;
    const signal = await new Promise<WaitSignal | null>((resolve) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(key);
        resolve(null);
      }, this.options.authorizeWaitMs ?? DEFAULT_AUTHORIZE_WAIT_MS);
      this.#waiting.set(key, (next) => {
        clearTimeout(timer);
        this.#waiting.delete(key);
        resolve(next);
      });
    });
    if (signal === null) {
      // The stream may have missed it: one last look before giving up.
      const job = await this.options.getJob(runnerId, started.id).catch(() => latest);
      const step = authorizeStep(job);
      if (step) return { job, ...step };
      throw new PaddockError('timeout', 'The runner did not prepare the sign-in in time. Try connecting again.', undefined, { runnerId, jobId: started.id });
    }
    if ('ended' in signal) return endedWith(signal.ended);
    latest = signal.job ?? latest;
    return { job: latest, authorizeUrl: signal.step.authorizeUrl, expiresAt: signal.step.expiresAt };
  }

  #onJobEvent({ runnerId, jobId, event }: AppJobEvent) {
    const key = keyOf(runnerId, jobId);
    const waiter = this.#waiting.get(key);
    if (waiter) {
      if (event.type === 'state') {
        const step = authorizeStep(event.job);
        if (step) waiter({ step, job: event.job });
        else if (event.job.state !== 'running') waiter({ ended: event.job.outcome });
      } else if (event.type === 'progress' && event.progress.kind === 'oauth-connect' && event.progress.step === 'authorize') {
        waiter({ step: { authorizeUrl: event.progress.authorizeUrl, expiresAt: event.progress.expiresAt }, job: null });
      } else if (event.type === 'end') waiter({ ended: event.outcome });
      return;
    }
    const attempt = this.#byJob.get(key);
    if (!attempt) return;
    if (event.type === 'end') void this.#ended(attempt, event.outcome);
    else if (event.type === 'state' && event.job.state !== 'running') void this.#ended(attempt, event.job.outcome);
  }

  /** A job view the core got otherwise (cancelJob's answer): an attempt that ended is closed now. */
  observe(runnerId: string, job: JobView): void {
    const attempt = this.#byJob.get(keyOf(runnerId, job.id));
    if (attempt && job.state !== 'running') void this.#ended(attempt, job.outcome);
  }

  async #ended(attempt: Attempt, outcome: JobOutcome | null) {
    if (!this.#forget(attempt)) return;
    await attempt.listener?.close();
    const { logger } = this.options;
    logger.info('OAuth attempt ended', { runnerId: attempt.runnerId, jobId: attempt.jobId, state: outcome?.state ?? 'unknown' });
    // The hosts model then shows the host connected; "<Provider> is now connected" comes from there (./notifications.ts).
    await this.options.refreshHosts(attempt.runnerId).catch(() => undefined);
  }

  /** Removes the attempt from both maps; false when it was already gone. */
  #forget(attempt: Attempt): boolean {
    const key = keyOf(attempt.runnerId, attempt.jobId);
    if (this.#byJob.get(key) !== attempt) return false;
    this.#byJob.delete(key);
    this.#byState.delete(attempt.stateHash);
    if (attempt.timer) clearTimeout(attempt.timer);
    if (attempt.closeTimer) clearTimeout(attempt.closeTimer);
    return true;
  }

  async #expire(attempt: Attempt) {
    if (this.#byJob.get(keyOf(attempt.runnerId, attempt.jobId)) !== attempt) return;
    this.options.logger.info('OAuth attempt expired; cancelling it', { runnerId: attempt.runnerId, jobId: attempt.jobId });
    // Closed at once: no callback can arrive for an attempt that is over, whatever the runner answers.
    await attempt.listener?.close();
    try {
      this.observe(attempt.runnerId, await this.options.cancelJob(attempt.runnerId, attempt.jobId));
    } catch (error) {
      this.options.logger.warn('an expired OAuth attempt could not be cancelled on the runner', {
        runnerId: attempt.runnerId,
        jobId: attempt.jobId,
        error: error instanceof Error ? error.message : String(error),
      });
      await this.#ended(attempt, { state: 'cancelled' });
    }
  }

  /**
   * A callback from any source: to the runner when its state is an
   * attempt of this app, else ignored with a log line (never its values).
   */
  async deliver(
    action: CallbackAction,
    source: CallbackSource,
    listenerOf: Attempt | null = null,
  ): Promise<{ matched: boolean; attempt: { runnerId: string; jobId: string } | null }> {
    const { logger } = this.options;
    const found = this.#byState.get(hashOf(action.state));
    // A callback counts only where its attempt waits for it: a listener takes its own attempt's, a paddock:// link one
    // that chose the scheme; a pasted address any (the browser could not bring it back by itself).
    const elsewhere =
      found !== undefined &&
      ((source === 'loopback' && found !== listenerOf) || (source === 'deep-link' && found.callback !== 'custom-scheme'));
    const attempt = elsewhere ? undefined : found;
    if (!attempt || attempt.delivered) {
      // The state's value is a secret; its length says enough to tell callbacks apart.
      // (Links are the usual way in and carry no source field; the listener's and pasted ones say theirs.)
      logger.warn('OAuth callback ignored', {
        reason: elsewhere ? 'other-callback' : attempt ? 'used-state' : 'unknown-state',
        ...(source === 'deep-link' ? {} : { source }),
        action: action.type,
        stateLength: action.state.length,
      });
      return { matched: false, attempt: null };
    }
    const body: OAuthCallbackRequest =
      action.type === 'oauth-callback'
        ? { state: action.state, code: action.code, error: null, errorDescription: null }
        : { state: action.state, code: null, error: action.error, errorDescription: action.description };
    const answer = await this.options.postCallback(attempt.runnerId, body);
    if (!answer.matched) {
      logger.warn('OAuth callback ignored by the runner', { reason: 'unknown-state', source, runnerId: attempt.runnerId, jobId: attempt.jobId });
      return { matched: false, attempt: null };
    }
    attempt.delivered = true;
    logger.info('OAuth callback handed to the runner', { source, runnerId: attempt.runnerId, jobId: attempt.jobId, action: action.type });
    return { matched: true, attempt: { runnerId: attempt.runnerId, jobId: attempt.jobId } };
  }

  /** completeOAuth: the address the user pasted. */
  async complete(url: string): Promise<{ matched: boolean }> {
    const parsed = parsePastedCallback(url);
    if (!parsed.ok || (parsed.action.type !== 'oauth-callback' && parsed.action.type !== 'oauth-callback-error')) {
      const why = parsed.ok ? 'This is a Paddock link, but not a sign-in callback.' : parsed.error.message;
      throw new PaddockError('invalid-input', `That is not the address Paddock needs. ${pastedHelp}`, [{ path: 'url', message: why }]);
    }
    const { matched } = await this.deliver(parsed.action, 'pasted');
    return { matched };
  }

  async #onLoopback(query: string | null, kind: ProviderView['kind'], attemptOf: () => Attempt | null): Promise<LoopbackPage> {
    const parsed = parseOAuthCallbackQuery(query);
    if (!parsed.ok || (parsed.action.type !== 'oauth-callback' && parsed.action.type !== 'oauth-callback-error')) {
      this.options.logger.warn('OAuth callback refused', { source: 'loopback', reason: parsed.ok ? 'invalid-action' : parsed.error.code });
      return notForAttempt;
    }
    const own = attemptOf();
    const { matched } = await this.deliver(parsed.action, 'loopback', own);
    if (!matched) return notForAttempt;
    // One callback per attempt: the listener closes once this page is answered (closing waits for it).
    void own?.listener?.close();
    if (parsed.action.type === 'oauth-callback-error') {
      return {
        status: 200,
        title: `${catalogueEntry(kind).displayName} did not give access`,
        message: 'Return to Paddock to see why and what to do. You can close this tab.',
      };
    }
    return { status: 200, title: 'Signed in', message: 'You can close this tab and return to Paddock.' };
  }

  /** Closes every listener and cancels the attempts still open on their runners. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    this.#unsubscribe();
    const open = [...this.#byJob.values()];
    for (const attempt of open) this.#forget(attempt);
    await Promise.all(
      open.map(async (attempt) => {
        await attempt.listener?.close();
        await this.options.cancelJob(attempt.runnerId, attempt.jobId).catch(() => undefined);
      }),
    );
  }

  /** How many attempts are open (tests, diagnostics). */
  get openAttempts(): number {
    return this.#byJob.size;
  }
}

const notForAttempt: LoopbackPage = {
  status: 400,
  title: 'This sign-in is not in progress',
  message: 'Paddock is not waiting for this sign-in: it may have ended or timed out. Return to Paddock and connect again.',
};
