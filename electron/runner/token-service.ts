import { PaddockError, type ErrorDetail } from '../common/errors';
import type { ProviderView } from '../common/provider-config';
import { catalogueEntry, tokenNameInSentence } from '../common/providers';
import { RUNNER_STOP_WAIT_MS, type JobResult, type TokenMethod } from '../common/runner-api';
import type { JobContext } from './jobs';
import type { RunnerLogger } from './logger';
import type { PatIdentity } from './pat';
import { tokenIdOf, tokenView, type StoredToken, type TokenStore } from './tokens';

// The runner's token lifecycle (PRODUCT A4, issue 9 point 5): OAuth tokens
// are refreshed before they expire (when used, and by a background sweep)
// and once when a provider refuses them; a refused refresh or a refused
// token is marked rejected, which the hosts model shows as reconnect-needed,
// and a rejected token is never offered to a provider again: the user
// reconnects. Log lines name the host, organization, token id and reason,
// never a token.

/** What a provider's token endpoint gave for a refresh (oauth/exchange.ts). */
export interface RefreshedToken {
  token: string;
  /** The new refresh token when the provider rotated it (GitLab), else null: the old one stays. */
  refreshToken: string | null;
  expiresAt: string | null;
  scopes: string[];
}

/** oauth/exchange.ts refreshOAuthToken, with the runner's network settings bound. Throws PaddockError('reconnect-needed') when the provider refuses. */
export type OAuthRefresher = (entry: ProviderView, stored: StoredToken, deps: { clientSecret: string | null; signal?: AbortSignal }) => Promise<RefreshedToken>;

/** oauth/identity.ts checkOAuthToken, with the runner's network settings bound. Throws PaddockError('reconnect-needed') on 401/403. */
export type OAuthTokenChecker = (
  entry: ProviderView,
  organization: string | null,
  accessToken: string,
  options: { signal?: AbortSignal },
) => Promise<{ account: string | null; scopes: string[] | null }>;

/** pat.ts checkPat, with the runner's network settings bound. */
export type PatTokenChecker = (entry: ProviderView, organization: string | null, token: string, options: { signal?: AbortSignal }) => Promise<PatIdentity>;

export interface TokenServiceOptions {
  tokens: TokenStore;
  /** The runner's repository-access entries (ProviderService.list). */
  providers: () => ProviderView[];
  /** An entry's opened client secret, null for public clients (ProviderService.clientSecret). */
  clientSecret: (host: string) => string | null;
  refresh: OAuthRefresher;
  checkOAuth: OAuthTokenChecker;
  checkPat: PatTokenChecker;
  logger: RunnerLogger;
  now?: () => Date;
  /** How often the background sweep runs (default SWEEP_INTERVAL_MS). */
  sweepIntervalMs?: number;
}

/** A token handed to a consumer (clone, API calls): what it needs to authenticate, never the refresh token. */
export interface UsableToken {
  id: string;
  host: string;
  organization: string | null;
  method: TokenMethod;
  account: string | null;
  token: string;
  expiresAt: string | null;
}

/** A token used within this much of its expiry is refreshed first, so a clone does not start with one about to end. */
export const REFRESH_WHEN_USED_WITHIN_MS = 5 * 60 * 1000;
/** The sweep refreshes tokens ending within this much: twice its interval and more, so one failed sweep still leaves time. */
export const SWEEP_REFRESH_WITHIN_MS = 10 * 60 * 1000;
export const SWEEP_INTERVAL_MS = 60 * 1000;
/**
 * One refresh may take this long; it is not cut short by the caller who
 * started it (others may be waiting on it). The shared RUNNER_STOP_WAIT_MS,
 * from which the app derives how long it lets a stopping runner take.
 */
export const REFRESH_TIMEOUT_MS = RUNNER_STOP_WAIT_MS;
/** One token check (a job) may take this long per request. */
export const TOKEN_CHECK_TIMEOUT_MS = 15_000;
/**
 * How long stop() waits for refreshes in flight: as long as one may take.
 * A provider that rotates refresh tokens (GitLab, Bitbucket DC) has spent the
 * old one once it answers, so an aborted refresh would lose the new pair.
 */
export const STOP_WAIT_MS = REFRESH_TIMEOUT_MS;

const where = (host: string, organization: string | null) => (organization ? `the organization ${organization} on ${host}` : host);

const detailOf = (host: string, organization: string | null, providerCode?: string): ErrorDetail => ({
  host,
  ...(organization ? { organization } : {}),
  ...(providerCode ? { providerCode } : {}),
});

/** What one pass of the sweep did. */
export interface SweepCounts {
  refreshed: number;
  rejected: number;
  failed: number;
}

const keyOf = (clientId: string, id: string) => `${clientId}\n${id}`;

const expiresWithin = (token: StoredToken, ms: number, now: Date) => token.expiresAt !== null && new Date(token.expiresAt).getTime() - now.getTime() <= ms;

const refreshable = (token: StoredToken) => token.method === 'oauth' && token.refreshToken !== null;

/** Waits for `promise`, or rejects when `signal` aborts first (the work itself goes on). */
function raced<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new PaddockError('cancelled', 'Cancelled.'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new PaddockError('cancelled', 'Cancelled.'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

export class TokenService {
  /** One refresh in flight per token: a rotating refresh token must never be redeemed twice. */
  readonly #refreshing = new Map<string, Promise<StoredToken>>();
  /** Set by stop(): no sweep and no new refresh starts; those in flight finish (and are stored). */
  #stopped = false;
  /** The access token each token got from a refresh after a refusal: refused again, it is rejected, not refreshed again. */
  readonly #refreshedOnRefusal = new Map<string, string>();
  #timer: NodeJS.Timeout | null = null;
  #sweep: Promise<SweepCounts> | null = null;

  constructor(private readonly options: TokenServiceOptions) {}

  #now(): Date {
    return this.options.now?.() ?? new Date();
  }

  #entry(host: string): ProviderView {
    const entry = this.options.providers().find((p) => p.host === host);
    if (!entry) throw new PaddockError('not-found', `This runner no longer has repository access for ${host}.`, undefined, { host });
    return entry;
  }

  #reconnect(token: Pick<StoredToken, 'host' | 'organization' | 'method'>, providerCode?: string): PaddockError {
    const entry = this.options.providers().find((p) => p.host === token.host);
    const name = entry ? catalogueEntry(entry.kind).displayName : token.host;
    const message =
      token.method === 'pat'
        ? `${name} no longer accepts your ${entry ? tokenNameInSentence(catalogueEntry(entry.kind).pat.name, { short: true }) : 'personal access token'} for ${where(token.host, token.organization)}. Reconnect with a new token to go on.`
        : `${name} no longer accepts your connection to ${where(token.host, token.organization)}. Reconnect to go on.`;
    return new PaddockError('reconnect-needed', message, undefined, detailOf(token.host, token.organization, providerCode));
  }

  /** Marks a token rejected (the hosts model shows reconnect-needed), unless it changed or went away meanwhile. */
  #markRejected(clientId: string, used: StoredToken, reason: string): void {
    const id = tokenIdOf(used);
    const latest = this.options.tokens.get(clientId, id);
    if (!latest || latest.token !== used.token || latest.rejected) return;
    this.options.tokens.update(clientId, { ...latest, rejected: true });
    this.options.logger.warn('token rejected', { host: used.host, organization: used.organization, tokenId: id, reason });
  }

  /**
   * Refreshes one token, or joins the refresh already running for it. The
   * refresh reads the stored token when it starts, so it redeems the latest
   * refresh token; `needed` says, on that fresh copy, whether a refresh is
   * still wanted (another may have just done it).
   */
  #refresh(clientId: string, id: string, reason: string, needed: (latest: StoredToken) => boolean): Promise<StoredToken> {
    const key = keyOf(clientId, id);
    const running = this.#refreshing.get(key);
    if (running) return running;
    if (this.#stopped) return Promise.reject(new PaddockError('cancelled', 'The runner is stopping, so the token was not renewed. Try again once it runs.'));
    const work = (async () => {
      const stored = this.options.tokens.get(clientId, id);
      if (!stored) throw new PaddockError('not-found', 'This token no longer exists on the runner.');
      if (stored.rejected) throw this.#reconnect(stored);
      if (!needed(stored)) return stored;
      if (!refreshable(stored)) throw new PaddockError('internal', 'This token cannot be refreshed.');
      const entry = this.#entry(stored.host);
      const log = { host: stored.host, organization: stored.organization, tokenId: id, reason };
      let refreshed: RefreshedToken;
      try {
        // Only its own timeout ends a refresh: not its caller, not stop() (a rotated refresh token must be stored).
        refreshed = await this.options.refresh(entry, stored, {
          clientSecret: this.options.clientSecret(entry.host),
          signal: AbortSignal.timeout(REFRESH_TIMEOUT_MS),
        });
      } catch (error) {
        if (error instanceof PaddockError && error.code === 'reconnect-needed') {
          this.#markRejected(clientId, stored, `refresh refused${error.detail?.providerCode ? ` (${error.detail.providerCode})` : ''} after ${reason}`);
          throw this.#reconnect(stored, error.detail?.providerCode);
        }
        this.options.logger.warn('token refresh failed', { ...log, error: error instanceof PaddockError ? error.code : 'internal' });
        throw error;
      }
      const latest = this.options.tokens.get(clientId, id);
      // Logged out, or connected again meanwhile: the newer state wins.
      if (!latest || latest.refreshToken !== stored.refreshToken) {
        this.options.logger.info('token refresh discarded: the token changed meanwhile', log);
        if (!latest) throw new PaddockError('not-found', 'This token no longer exists on the runner.');
        return latest;
      }
      const next: StoredToken = {
        ...latest,
        token: refreshed.token,
        refreshToken: refreshed.refreshToken ?? latest.refreshToken,
        expiresAt: refreshed.expiresAt,
        scopes: refreshed.scopes.length > 0 ? refreshed.scopes : latest.scopes,
        rejected: false,
      };
      this.options.tokens.update(clientId, next);
      this.options.logger.info('token refreshed', { ...log, rotated: refreshed.refreshToken !== null, expiresAt: next.expiresAt });
      return next;
    })();
    this.#refreshing.set(key, work);
    const forget = () => {
      if (this.#refreshing.get(key) === work) this.#refreshing.delete(key);
    };
    work.then(forget, forget);
    return work;
  }

  /**
   * The token in use for a host and organization, for a clone or an API
   * call: refreshed first when it is an OAuth token ending within
   * REFRESH_WHEN_USED_WITHIN_MS. Throws auth-required when there is none,
   * reconnect-needed when it was rejected (at once), its refresh was refused
   * or it has expired.
   */
  async usable(clientId: string, host: string, organization: string | null, signal?: AbortSignal): Promise<UsableToken> {
    const stored = this.options.tokens.inUse(clientId, host, organization);
    if (!stored) {
      throw new PaddockError('auth-required', `You have not connected to ${where(host, organization)} yet. Connect to go on.`, undefined, detailOf(host, organization));
    }
    return this.#usable(clientId, stored, signal);
  }

  /**
   * One chosen token (an environment made with another account than the one
   * in use), as `usable` gives it. Throws auth-required when it is gone (it
   * was logged out), so the user connects again.
   */
  async usableById(clientId: string, id: string, host: string, organization: string | null, signal?: AbortSignal): Promise<UsableToken> {
    const stored = this.options.tokens.get(clientId, id);
    if (!stored) {
      throw new PaddockError(
        'auth-required',
        `The account this was made with is no longer connected to ${where(host, organization)}. Connect it again, or choose another account.`,
        undefined,
        detailOf(host, organization),
      );
    }
    return this.#usable(clientId, stored, signal);
  }

  async #usable(clientId: string, found: StoredToken, signal?: AbortSignal): Promise<UsableToken> {
    let stored = found;
    if (stored.rejected) throw this.#reconnect(stored);
    if (refreshable(stored) && expiresWithin(stored, REFRESH_WHEN_USED_WITHIN_MS, this.#now())) {
      stored = await raced(
        this.#refresh(clientId, tokenIdOf(stored), 'expiring', (latest) => expiresWithin(latest, REFRESH_WHEN_USED_WITHIN_MS, this.#now())),
        signal,
      );
    }
    if (expiresWithin(stored, 0, this.#now())) throw this.#reconnect(stored);
    return {
      id: tokenIdOf(stored),
      host: stored.host,
      organization: stored.organization,
      method: stored.method,
      account: stored.account,
      token: stored.token,
      expiresAt: stored.expiresAt,
    };
  }

  /**
   * A consumer's report that git or an API refused a token (401). An OAuth
   * token with a refresh token gets one refresh: its result, to retry with
   * once. Otherwise the token is marked rejected and null comes back; so
   * does a refused refresh. A network failure of the refresh is thrown and
   * marks nothing. Never loops.
   */
  async rejected(clientId: string, id: string, reason: string, signal?: AbortSignal): Promise<UsableToken | null> {
    const stored = this.options.tokens.get(clientId, id);
    if (!stored || stored.rejected) return null;
    if (!refreshable(stored) || this.#refreshedOnRefusal.get(keyOf(clientId, id)) === stored.token) {
      this.#markRejected(clientId, stored, refreshable(stored) ? `${reason}, after a refresh` : reason);
      return null;
    }
    let refreshed: StoredToken;
    try {
      // A refresh someone else finished after this token was refused already replaced it: use that one.
      refreshed = await raced(this.#refresh(clientId, id, reason, (latest) => latest.token === stored.token), signal);
    } catch (error) {
      if (error instanceof PaddockError && (error.code === 'reconnect-needed' || error.code === 'not-found')) return null;
      throw error;
    }
    this.#refreshedOnRefusal.set(keyOf(clientId, id), refreshed.token);
    return { id, host: refreshed.host, organization: refreshed.organization, method: refreshed.method, account: refreshed.account, token: refreshed.token, expiresAt: refreshed.expiresAt };
  }

  /**
   * The `token-check` job: checks one token against its provider. An OAuth
   * token ending soon is refreshed first; one the provider refuses is
   * refreshed once and checked again. A refused token or refresh marks it
   * rejected and fails with reconnect-needed. Success updates what the
   * provider reports (account, scopes, expiry).
   */
  async check(clientId: string, id: string, context: Pick<JobContext, 'signal'>): Promise<Extract<JobResult, { kind: 'token-check' }>> {
    const { signal } = context;
    let stored = this.options.tokens.get(clientId, id);
    if (!stored) throw new PaddockError('not-found', 'This token no longer exists on the runner: it was logged out, or replaced.');
    if (stored.rejected) throw this.#reconnect(stored);
    const entry = this.#entry(stored.host);
    let refreshed = false;
    const refresh = async (reason: string, needed: (latest: StoredToken) => boolean) => {
      stored = await raced(this.#refresh(clientId, id, reason, needed), signal);
      refreshed = true;
    };
    if (refreshable(stored) && expiresWithin(stored, REFRESH_WHEN_USED_WITHIN_MS, this.#now())) {
      await refresh('expiring', (latest) => expiresWithin(latest, REFRESH_WHEN_USED_WITHIN_MS, this.#now()));
    }
    const requestSignal = () => AbortSignal.any([signal, AbortSignal.timeout(TOKEN_CHECK_TIMEOUT_MS)]);

    let found: { account: string | null; scopes: string[] | null; expiresAt: string | null };
    if (stored.method === 'pat') {
      try {
        found = await this.options.checkPat(entry, stored.organization, stored.token, { signal: requestSignal() });
      } catch (error) {
        // checkPat names a refused, revoked or under-scoped token as an invalid `token` field.
        if (error instanceof PaddockError && error.code === 'invalid-input' && error.issues?.some((issue) => issue.path === 'token')) {
          this.#markRejected(clientId, stored, 'token check refused the personal access token');
          throw this.#reconnect(stored);
        }
        throw error;
      }
    } else {
      const checkOAuth = () => this.options.checkOAuth(entry, stored!.organization, stored!.token, { signal: requestSignal() });
      let identity: { account: string | null; scopes: string[] | null };
      try {
        identity = await checkOAuth();
      } catch (error) {
        if (!(error instanceof PaddockError) || error.code !== 'reconnect-needed') throw error;
        if (!refreshable(stored)) {
          this.#markRejected(clientId, stored, `token check refused the token${error.detail?.providerCode ? ` (${error.detail.providerCode})` : ''}`);
          throw this.#reconnect(stored, error.detail?.providerCode);
        }
        const refused = stored.token;
        await refresh('token check refused the token', (latest) => latest.token === refused);
        this.#refreshedOnRefusal.set(keyOf(clientId, id), stored.token);
        try {
          identity = await checkOAuth();
        } catch (again) {
          if (again instanceof PaddockError && again.code === 'reconnect-needed') {
            this.#markRejected(clientId, stored, 'token check refused the refreshed token');
            throw this.#reconnect(stored, again.detail?.providerCode);
          }
          throw again;
        }
      }
      found = { ...identity, expiresAt: null };
    }
    if (signal.aborted) throw new PaddockError('cancelled', 'Cancelled.');

    const latest = this.options.tokens.get(clientId, id);
    if (!latest) throw new PaddockError('not-found', 'This token no longer exists on the runner: it was logged out, or replaced.');
    // The account names the token's id: a change of case only, or it would become another token.
    const account = found.account !== null && found.account.toLowerCase() === latest.account?.toLowerCase() ? found.account : latest.account;
    const next: StoredToken = {
      ...latest,
      account,
      scopes: found.scopes && found.scopes.length > 0 ? found.scopes : latest.scopes,
      expiresAt: found.expiresAt ?? latest.expiresAt,
    };
    this.options.tokens.update(clientId, next);
    const inUse = this.options.tokens.list(clientId).find((view) => view.id === id)?.inUse ?? false;
    return { kind: 'token-check', token: tokenView(next, inUse, this.#now()), refreshed };
  }

  /**
   * One pass of the background refresh: every workstation's OAuth tokens
   * with a refresh token that end within SWEEP_REFRESH_WITHIN_MS, one at a
   * time. A refused refresh marks the token rejected; a network failure
   * leaves it for the next pass. Resolves with what it did.
   */
  sweep(): Promise<SweepCounts> {
    // One pass at a time: a call during a pass joins it.
    if (this.#sweep) return this.#sweep;
    const run = this.#sweepOnce();
    this.#sweep = run;
    // Registered before any caller's await, so a pass that ended never answers the next call.
    const clear = () => {
      if (this.#sweep === run) this.#sweep = null;
    };
    run.then(clear, clear);
    return run;
  }

  async #sweepOnce(): Promise<SweepCounts> {
    const counts = { refreshed: 0, rejected: 0, failed: 0 };
    for (const clientId of this.options.tokens.clients()) {
      for (const stored of this.options.tokens.stored(clientId)) {
        if (this.#stopped) return counts;
        if (stored.rejected || !refreshable(stored) || !expiresWithin(stored, SWEEP_REFRESH_WITHIN_MS, this.#now())) continue;
        if (!this.options.providers().some((p) => p.host === stored.host)) continue;
        try {
          await this.#refresh(clientId, tokenIdOf(stored), 'expiring (background)', (latest) => expiresWithin(latest, SWEEP_REFRESH_WITHIN_MS, this.#now()));
          counts.refreshed++;
        } catch (error) {
          if (error instanceof PaddockError && error.code === 'reconnect-needed') counts.rejected++;
          else counts.failed++;
        }
      }
    }
    return counts;
  }

  /** Starts the background refresh (every sweepIntervalMs; it does not keep the process alive). */
  start(): void {
    if (this.#timer || this.#stopped) return;
    this.#timer = setInterval(() => {
      this.sweep().catch((error: unknown) => this.options.logger.error('token sweep failed', { error }));
    }, this.options.sweepIntervalMs ?? SWEEP_INTERVAL_MS);
    this.#timer.unref();
  }

  /**
   * Stops the background refresh and starts no new refresh; resolves once
   * the refreshes in flight and the sweep have ended — each is stored as it
   * ends — or after STOP_WAIT_MS, whichever is first. Refreshes are not
   * aborted: the provider may already have rotated the refresh token.
   */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#stopped = true;
    const inFlight = [...this.#refreshing.values(), ...(this.#sweep ? [this.#sweep] : [])];
    if (inFlight.length === 0) return;
    const refreshes = this.#refreshing.size;
    if (refreshes > 0) this.options.logger.info('waiting for token refreshes before stopping', { refreshes });
    let timer: NodeJS.Timeout | undefined;
    const waited = await Promise.race([
      Promise.allSettled(inFlight).then(() => 'ended' as const),
      new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), STOP_WAIT_MS))),
    ]);
    clearTimeout(timer);
    if (waited === 'timeout') this.options.logger.warn('token refreshes still running when the runner stopped', { refreshes: this.#refreshing.size });
  }
}
