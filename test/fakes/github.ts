import { createOAuthServer, errorPage, formBody, pressAuthorize, redirectTo } from './oauth';
import type { AuthorizeOutcome, OAuthClientRegistration } from './oauth';
import { acceptsToken, authorizationToken, header, startSimulator } from './simulator';
import type { SimulatedAccount, SimulatorResponse, Simulator } from './simulator';

// GitHub simulator, for the host probe the catalogue names: `GET {apiBase}/meta`,
// where apiBase is https://api.github.com for github.com and
// https://HOSTNAME/api/v3 for GitHub Enterprise Server (SCM-PROTOCOLS §2.2).
// The endpoint itself is not in the spec (GitHub's REST docs, "Get GitHub
// meta information"); the fields are the ones those docs show for an
// Enterprise Server. `privateMode` answers 401 without a token, the case
// the catalogue marks unconfirmed.
//
// The token check of §2.2: `GET {apiBase}/user` with `Authorization: Bearer
// <token>` or `Authorization: token <token>` answers the account's login
// and the granted scopes in X-OAuth-Scopes; any other token, or none, gets
// 401 (§2.2: "401 invalid creds"). The bodies ({ login, id, name } and the
// "Bad credentials" message) follow GitHub's REST docs, not the spec.
//
// The OAuth app flow of §2.1 (GitHub.com and Enterprise Server alike, on
// the host, not under /api/v3): GET /login/oauth/authorize with a consent
// page, POST /login/oauth/access_token (form or JSON body; form-encoded
// answer unless Accept: application/json); tokens without expiry or
// refresh token, which GET {apiBase}/user accepts with the granted scopes
// in X-OAuth-Scopes. See README.md ("OAuth") for each check's source.

/** The failures failOAuth switches on. */
export type GitHubOAuthFailure = 'redirect-mismatch' | 'application-suspended';

// Scopes GitHub documents for OAuth apps that the simulator knows; others are left out of the grant (the simulator's choice).
const knownScopes = new Set(['repo', 'repo:status', 'repo_deployment', 'public_repo', 'workflow', 'gist', 'read:user', 'user', 'user:email', 'read:org', 'write:org', 'admin:org']);

// §2.1: "host (excl. subdomains) and port must match the registered callback; path must be a subdirectory";
// a loopback URL may use another port. Custom schemes: the same scheme and host, the path a subdirectory.
function githubRedirectMatches(registered: string, presented: string): boolean {
  try {
    const a = new URL(registered);
    const b = new URL(presented);
    const loopback = a.protocol === 'http:' && (a.hostname === '127.0.0.1' || a.hostname === 'localhost');
    if (a.protocol !== b.protocol || a.hostname !== b.hostname || (!loopback && a.port !== b.port)) return false;
    const base = a.pathname.endsWith('/') ? a.pathname : `${a.pathname}/`;
    return b.pathname === a.pathname || b.pathname.startsWith(base);
  } catch {
    return false;
  }
}

export interface GitHubSimulatorOptions {
  /** "enterprise-server": the API under /api/v3 on the host; "api": at the root, like api.github.com. */
  readonly layout: 'enterprise-server' | 'api';
  /** An Enterprise Server version to report (default 3.17.0). */
  readonly version?: string;
  /** Refuse unauthenticated calls, as a private-mode instance might. */
  readonly privateMode?: boolean;
  /** The account whose personal access token GET /user accepts; without one, every token is refused. */
  readonly account?: SimulatedAccount;
  /** The scopes X-OAuth-Scopes reports for that token (default repo, workflow: what Paddock asks for, §2.1). */
  readonly scopes?: readonly string[];
  /** OAuth apps registered here (§2.1: the secret is required at the token endpoint, so each has one). */
  readonly clients?: readonly OAuthClientRegistration[];
}

export interface GitHubSimulator extends Simulator {
  /**
   * Changes the scopes X-OAuth-Scopes reports for the account's token (a
   * classic token made without one of Paddock's scopes); null drops the
   * header, as for a fine-grained token (§2.2, unverified).
   */
  setScopes(scopes: readonly string[] | null): void;
  /** Sends GitHub-Authentication-Token-Expiration with this value (§2.2, e.g. "2024-06-01 00:00:00 UTC"); null for a token without expiry. */
  setTokenExpiration(value: string | null): void;
  /** Opens an authorize URL and presses Authorize ("allow") or Deny: the redirect that follows, or the page. */
  authorize(url: string, choice: 'allow' | 'deny'): Promise<AuthorizeOutcome>;
  failOAuth(failure: GitHubOAuthFailure | null): void;
  advance(ms: number): void;
}

export async function startGitHubSimulator(options: GitHubSimulatorOptions): Promise<GitHubSimulator> {
  const apiBase = options.layout === 'enterprise-server' ? '/api/v3' : '';
  let scopes: readonly string[] | null = options.scopes ?? ['repo', 'workflow'];
  let expiration: string | null = null;
  const oauth = createOAuthServer<GitHubOAuthFailure>(options.clients ?? []);

  const authorize = (url: URL): SimulatorResponse => {
    const query = url.searchParams;
    const client = oauth.clients.get(query.get('client_id') ?? '');
    // An unknown client_id: GitHub's 404 page (the simulator's reading; not in the spec).
    if (!client) return errorPage(404, 'Not Found', 'The application you are trying to authorize could not be found.');
    const registered = client.redirectUris[0]!;
    const state = query.get('state');
    const presented = query.get('redirect_uri');
    // §2.1: callback errors go to the app's registered callback URL with error, error_description, error_uri and state.
    const fail = (error: string, description: string, to = presented ?? registered) =>
      redirectTo(to, { error, error_description: description, error_uri: 'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors', state });
    if (oauth.failure() === 'redirect-mismatch' || (presented !== null && !client.redirectUris.some((uri) => githubRedirectMatches(uri, presented)))) {
      return fail('redirect_uri_mismatch', 'The redirect_uri MUST match the registered callback URL for this application.', registered);
    }
    const redirectUri = presented ?? registered;
    if (state === null || state === '') return errorPage(400, 'Bad request', 'The request has no state parameter. (simulator: GitHub does not require it; Paddock always sends one)');
    if (oauth.failure() === 'application-suspended') return fail('application_suspended', 'This application has been suspended.');
    const challenge = query.get('code_challenge');
    const method = query.get('code_challenge_method');
    // §2.1: PKCE "only S256", not required. How GitHub refuses plain is not in the spec: the simulator redirects invalid_request.
    if (challenge !== null && method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256.');
    const scopes = (query.get('scope') ?? '').split(/[ ,]+/).filter((scope) => knownScopes.has(scope));
    return oauth.consentPage('GitHub', {
      client,
      redirectUri,
      redirectUriParameter: presented,
      scopes,
      state,
      codeChallenge: challenge,
      codeChallengeMethod: challenge === null ? null : 'S256',
    });
  };

  const token = (headers: Record<string, string | string[] | undefined>, body: string): SimulatorResponse => {
    // §2.1: the answer is form-encoded unless the client sends Accept: application/json.
    const asJson = (header(headers, 'accept') ?? '').includes('application/json');
    const answer = (fields: Record<string, string>): SimulatorResponse =>
      asJson ? { status: 200, json: fields } : { status: 200, headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' }, text: new URLSearchParams(fields).toString() };
    // Errors come with status 200 and an error field, as GitHub's docs show (the status is not in the spec).
    const error = (code: string, description: string) => answer({ error: code, error_description: description, error_uri: 'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors' });
    let fields: Record<string, string>;
    if ((header(headers, 'content-type') ?? '').startsWith('application/json')) {
      try {
        const parsed = JSON.parse(body) as unknown;
        fields = typeof parsed === 'object' && parsed !== null ? Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)])) : {};
      } catch {
        return { status: 400, json: { message: 'Problems parsing JSON' } };
      }
    } else {
      fields = Object.fromEntries(formBody(body));
    }
    const client = oauth.clients.get(fields.client_id ?? '');
    // §2.1: client_secret is required.
    if (!client || client.clientSecret === undefined || fields.client_secret !== client.clientSecret) {
      return error('incorrect_client_credentials', 'The client_id and/or client_secret passed are incorrect.');
    }
    // OAuth apps have no refresh tokens (§2.1: tokens do not expire); the refusal is the simulator's choice.
    if (fields.grant_type !== undefined && fields.grant_type !== 'authorization_code') return error('unsupported_grant_type', 'Only the authorization code is accepted for an OAuth app.');
    const redemption = oauth.redeemCode(fields.code ?? '', { clientId: client.clientId, redirectUri: fields.redirect_uri ?? null, verifier: fields.code_verifier ?? null });
    if (!redemption.ok) {
      if (redemption.reason === 'redirect') return error('redirect_uri_mismatch', 'The redirect_uri MUST match the registered callback URL for this application.');
      // Reused, expired, unknown codes (§2.1 bad_verification_code); a wrong PKCE verifier gets the same (the simulator's choice).
      return error('bad_verification_code', 'The code passed is incorrect or expired.');
    }
    const tokens = oauth.issue({ clientId: client.clientId, scopes: redemption.pending.scopes }, { lifetimeSeconds: null, refresh: false, tokenPrefix: 'gho_' });
    // §2.1: access_token=gho_…&scope=repo%2Cgist&token_type=bearer (scopes comma-separated).
    return answer({ access_token: tokens.accessToken, scope: redemption.pending.scopes.join(','), token_type: 'bearer' });
  };

  const simulator = await startSimulator([
    oauth.decisionRoute,
    ({ method, url }) => (method === 'GET' && url.pathname === '/login/oauth/authorize' ? authorize(url) : null),
    ({ method, url, headers, body }) => (method === 'POST' && url.pathname === '/login/oauth/access_token' ? token(headers, body) : null),
    ({ method, url, headers }) => {
      if (method !== 'GET' || url.pathname !== `${apiBase}/meta`) return null;
      if (options.privateMode && !headers.authorization) return { status: 401, json: { message: 'Requires authentication' } };
      return {
        status: 200,
        json:
          options.layout === 'enterprise-server'
            ? { verifiable_password_authentication: true, installed_version: options.version ?? '3.17.0' }
            : { verifiable_password_authentication: false },
      };
    },
    ({ method, url, headers }) => {
      if (method !== 'GET' || url.pathname !== `${apiBase}/user`) return null;
      const token = authorizationToken(headers, ['Bearer', 'token']);
      if (token === null) return { status: 401, json: { message: 'Requires authentication' } };
      if (!acceptsToken(options.account, token, oauth)) return { status: 401, json: { message: 'Bad credentials' } };
      const { user } = options.account;
      // An OAuth token reports the scopes it was granted.
      const granted = oauth.accessGrant(token)?.scopes ?? scopes;
      return {
        status: 200,
        headers: {
          ...(granted === null ? {} : { 'X-OAuth-Scopes': granted.join(', ') }),
          ...(expiration === null ? {} : { 'GitHub-Authentication-Token-Expiration': expiration }),
        },
        json: { login: user.username, id: 1, type: 'User', name: user.displayName, email: user.email },
      };
    },
  ]);
  return {
    ...simulator,
    setScopes(next) {
      scopes = next;
    },
    setTokenExpiration(value) {
      expiration = value;
    },
    authorize: (url, choice) => pressAuthorize(url, simulator.ca, choice),
    failOAuth: (failure) => oauth.setFailure(failure),
    advance: (ms) => oauth.advance(ms),
  };
}
