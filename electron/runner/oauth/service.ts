import { PaddockError } from '../../common/errors';
import type { ProviderView } from '../../common/provider-config';
import { callbackOptions, catalogueEntry, tokenNameInSentence, type CallbackRunner } from '../../common/providers';
import { OAUTH_ATTEMPT_LIFETIME_MS, type OAuthCallbackRequest, type OAuthCallbackResponse } from '../../common/runner-api';
import type { RunnerLogger } from '../logger';
import type { HttpClientOptions } from '../providers/http';
import { tokenView, type TokenStore } from '../tokens';
import { acceptedRedirect, authorizeUrl, newPkce, newState, stateKey, usesPkce } from './attempts';
import { declined, oauthErrorCode, oauthRefusal, offerPat, type OAuthErrorContext } from './errors';
import { exchangeCode, type CodeExchange, type ExchangeDeps, type GrantedToken } from './exchange';
import { checkEntraIdToken, checkOAuthToken, idTokenAccount, missingOAuthScopes, missingScopesError, type OAuthCheckOptions, type OAuthIdentity } from './identity';
import type { OAuthService } from './index';

// The runner's OAuth attempts (issue 9 points 1–2). Each attempt is an
// `oauth-connect` job that waits for its callback: the state names it
// (found by the state's SHA-256, single use, 5-minute life, one
// workstation's), the PKCE verifier stays here, and nothing logs the state,
// the code, the verifier or a token (lengths at most).

export interface OAuthServiceDeps {
  readonly providers: () => ProviderView[];
  /** The entry's opened client secret, or null (a public client). */
  readonly clientSecret: (host: string) => string | null;
  readonly tokens: TokenStore;
  readonly logger: RunnerLogger;
  /** This runner, for the redirect URIs it may use (a remote runner's public https URL). */
  readonly runner: () => CallbackRunner;
  readonly http?: HttpClientOptions;
  /** Development and test builds only: real origins moved onto simulators. */
  readonly endpoints?: Readonly<Record<string, string>>;
  readonly now?: () => Date;
  /** How long an attempt waits (default OAUTH_ATTEMPT_LIFETIME_MS; tests shorten it). */
  readonly lifetimeMs?: number;
  /** The token endpoint and the token check (tests replace them). */
  readonly exchange?: (entry: ProviderView, organization: string | null, exchange: CodeExchange, deps: ExchangeDeps) => Promise<GrantedToken>;
  readonly check?: (entry: ProviderView, organization: string | null, accessToken: string, options: OAuthCheckOptions) => Promise<OAuthIdentity>;
}

interface Attempt {
  readonly jobId: string;
  readonly clientId: string;
  /** The redirect goes to this runner's own https callback (not through the workstation). */
  readonly viaRunner: boolean;
  readonly expiresAt: number;
  used: boolean;
  deliver(request: OAuthCallbackRequest): void;
}

/** Spent states (used or ended) are remembered until they would have expired, so a replay is logged as such. */
const MAX_SPENT = 1000;

export function createOAuthService(deps: OAuthServiceDeps): OAuthService {
  const now = deps.now ?? (() => new Date());
  const lifetime = deps.lifetimeMs ?? OAUTH_ATTEMPT_LIFETIME_MS;
  const attempts = new Map<string, Attempt>();
  const spent = new Map<string, number>();
  const exchange = deps.exchange ?? exchangeCode;
  const check = deps.check ?? checkOAuthToken;

  const forget = (key: string, expiresAt: number) => {
    attempts.delete(key);
    spent.set(key, expiresAt);
    const at = now().getTime();
    for (const [k, until] of spent) if (until < at || spent.size > MAX_SPENT) spent.delete(k);
  };

  /** Hands a callback to the attempt its state names, if `accept` (who may deliver it) agrees; otherwise ignores it with a log line. */
  const receive = (request: OAuthCallbackRequest, accept: (attempt: Attempt) => string | null): OAuthCallbackResponse => {
    const key = stateKey(request.state);
    const attempt = attempts.get(key);
    const at = now().getTime();
    const reason = !attempt ? (spent.has(key) ? 'used' : 'unknown') : attempt.used ? 'used' : at > attempt.expiresAt ? 'expired' : accept(attempt);
    if (reason !== null || !attempt) {
      // Never the state or the code: their lengths say enough to tell a truncated paste.
      deps.logger.warn('oauth callback ignored', { reason, stateLength: request.state.length, withCode: request.code !== null, error: request.error === null ? null : oauthErrorCode(request.error).slice(0, 100) });
      return { matched: false, jobId: null };
    }
    attempt.used = true;
    spent.set(key, attempt.expiresAt);
    deps.logger.info('oauth callback received', { jobId: attempt.jobId, withCode: request.code !== null });
    attempt.deliver(request);
    return { matched: true, jobId: attempt.jobId };
  };

  return {
    async begin(start, clientId, context) {
      const entry = deps.providers().find((p) => p.host === start.host);
      if (!entry) throw new PaddockError('not-found', `This runner has no repository access for ${start.host}.`, undefined, { host: start.host });
      const rules = catalogueEntry(entry.kind);
      const name = rules.displayName;
      if (!rules.oauth.supported) throw new PaddockError('forbidden', `${rules.oauth.reason}`, undefined, { host: entry.host });
      if (!entry.oauth.enabled || !entry.oauth.clientId) {
        throw new PaddockError(
          'forbidden',
          `This runner’s admin has not set up OAuth for ${entry.host}.${entry.pat.enabled ? ` Provide ${tokenNameInSentence(rules.pat.name, { article: true, short: true })} instead.` : ' Ask the runner’s admin.'}`,
          undefined,
          { host: entry.host },
        );
      }
      let organization: string | null = null;
      if (entry.kind === 'azure-devops') {
        const names = entry.organizations.map((o) => o.name).join(', ');
        if (start.organization === null) {
          const message = `Azure DevOps signs you in for one organization: name it (${names}).`;
          throw new PaddockError('invalid-input', message, [{ path: 'organization', message }], { host: entry.host });
        }
        const listed = entry.organizations.find((o) => o.name.toLowerCase() === start.organization!.toLowerCase());
        if (!listed) {
          const message = `This runner’s access to Azure DevOps does not include the organization ${start.organization}. Pick one of ${names}, or ask the runner’s admin to add it.`;
          throw new PaddockError('invalid-input', message, [{ path: 'organization', message }], { host: entry.host });
        }
        organization = listed.name;
      } else if (start.organization !== null) {
        const message = `${name} connections are not per organization: leave the organization empty.`;
        throw new PaddockError('invalid-input', message, [{ path: 'organization', message }]);
      }

      const runner = deps.runner();
      const option = acceptedRedirect(entry.kind, start.redirectUri, runner);
      if (!option) {
        const accepted = callbackOptions(entry.kind, runner).map((o) => o.url).join(', ');
        const message = `${name} does not take the redirect ${start.redirectUri} from this runner; it takes ${accepted}.`;
        throw new PaddockError('invalid-input', message, [{ path: 'redirectUri', message }], { host: entry.host });
      }
      const secret = deps.clientSecret(entry.host);
      if (option.secret === 'required' && secret === null) {
        throw new PaddockError(
          'policy-blocked',
          `${name} needs this runner’s OAuth Client Secret for ${entry.host}, which the runner’s admin has not entered.${offerPat(entry)}`,
          undefined,
          { host: entry.host, setting: 'Client Secret' },
        );
      }

      const state = newState();
      const pkce = usesPkce(entry.kind) ? newPkce() : null;
      const url = authorizeUrl(entry, organization, { state, redirectUri: start.redirectUri, challenge: pkce?.challenge ?? null }, deps.endpoints);
      const key = stateKey(state);
      const expiresAt = now().getTime() + lifetime;
      const errorContext: OAuthErrorContext = { entry, organization, redirectUri: start.redirectUri };

      const received = await new Promise<OAuthCallbackRequest>((resolve, reject) => {
        const finish = () => {
          clearTimeout(timer);
          context.signal.removeEventListener('abort', onAbort);
        };
        const onAbort = () => {
          finish();
          forget(key, expiresAt);
          reject(new PaddockError('cancelled', 'The connection was cancelled.', undefined, { host: entry.host }));
        };
        const timer = setTimeout(() => {
          finish();
          forget(key, expiresAt);
          deps.logger.info('oauth attempt expired', { jobId: context.jobId, host: entry.host });
          reject(
            new PaddockError(
              'timeout',
              `The browser did not come back from ${name} within ${minutes(lifetime)}, so the connection was not made. Start again, and finish signing in on the page that opens.`,
              undefined,
              { host: entry.host, ...(organization ? { organization } : {}) },
            ),
          );
        }, lifetime);
        timer.unref?.();
        if (context.signal.aborted) return onAbort();
        context.signal.addEventListener('abort', onAbort, { once: true });
        attempts.set(key, {
          jobId: context.jobId,
          clientId,
          viaRunner: option.kind === 'runner-https',
          expiresAt,
          used: false,
          deliver: (request) => {
            finish();
            resolve(request);
          },
        });
        deps.logger.info('oauth attempt started', { jobId: context.jobId, host: entry.host, callback: option.kind, pkce: pkce !== null });
        context.progress({ kind: 'oauth-connect', step: 'authorize', authorizeUrl: url, expiresAt: new Date(expiresAt).toISOString() });
      });

      try {
        if (received.error !== null) {
          throw received.error === 'access_denied' && !/AADSTS/.test(received.errorDescription ?? '') ? declined(errorContext) : oauthRefusal(errorContext, received.error, received.errorDescription);
        }
        context.progress({ kind: 'oauth-connect', step: 'exchanging' });
        const granted = await exchange(
          entry,
          organization,
          { code: received.code!, redirectUri: start.redirectUri, verifier: pkce?.verifier ?? null },
          { clientSecret: secret, ...(deps.http ? { http: deps.http } : {}), ...(deps.endpoints ? { endpoints: deps.endpoints } : {}), signal: context.signal, now },
        );
        context.progress({ kind: 'oauth-connect', step: 'checking' });
        // Entra: the ID token must be this app's and the sign-in's tenant's, before the token goes anywhere.
        checkEntraIdToken(entry, organization, granted.idToken, deps.endpoints);
        const identity = await check(entry, organization, granted.token, { ...(deps.http ? { http: deps.http } : {}), ...(deps.endpoints ? { endpoints: deps.endpoints } : {}), signal: context.signal });
        const scopes = identity.scopes ?? granted.scopes;
        if (scopes !== null) {
          const missing = missingOAuthScopes(entry, scopes);
          if (missing.length > 0) throw missingScopesError(entry, missing);
        }
        const at = now();
        const stored = deps.tokens.put(clientId, {
          host: entry.host,
          organization,
          method: 'oauth',
          token: granted.token,
          refreshToken: granted.refreshToken,
          account: identity.account ?? idTokenAccount(granted.idToken),
          obtainedAt: at.toISOString(),
          expiresAt: granted.expiresAt,
          scopes: scopes ?? [],
          rejected: false,
        });
        deps.logger.info('oauth attempt connected', { jobId: context.jobId, host: entry.host });
        return { kind: 'oauth-connect', token: tokenView(stored, true, at) };
      } catch (error) {
        if (error instanceof PaddockError) deps.logger.info('oauth attempt failed', { jobId: context.jobId, host: entry.host, reason: error.code, providerCode: error.detail?.providerCode });
        throw error;
      } finally {
        attempts.delete(key);
      }
    },

    callback: (request, clientId) => receive(request, (attempt) => (attempt.clientId === clientId ? null : 'other-workstation')),
    browserCallback: (request) => receive(request, (attempt) => (attempt.viaRunner ? null : 'not-via-runner')),
  };
}

/** "5 minutes", "1 minute" (a shortened development attempt rounds up to one). */
function minutes(ms: number): string {
  const count = Math.round(ms / 60_000) || 1;
  return `${count} ${count === 1 ? 'minute' : 'minutes'}`;
}
