import { createOAuthServer, errorPage, formBody, pressAuthorize, redirectTo, sameExceptPort } from './oauth';
import type { AuthorizeOutcome, OAuthClientRegistration } from './oauth';
import { acceptsToken, authorizationToken, basicCredentials, header, prefixSegments, startSimulator } from './simulator';
import type { SimulatedAccount, SimulatorResponse, Simulator } from './simulator';

// GitLab simulator: the OpenID Connect discovery document GitLab documents
// for GitLab.com and self-managed instances ("GitLab as OpenID Connect
// identity provider", Settings discovery), at
// {baseUrl}/.well-known/openid-configuration, with the authorize and token
// endpoints of SCM-PROTOCOLS §3.1 under the same base URL. A relative URL
// root ("/gitlab") prefixes every path; the issuer is the base URL.
//
// Token checks of §3.2, with the token in `PRIVATE-TOKEN` or `Authorization:
// Bearer`: `GET {baseUrl}/api/v4/personal_access_tokens/self` (scopes,
// expires_at, active, revoked, user_id) and `GET {baseUrl}/api/v4/user`.
// Any other token, or none, gets 401 with GitLab's { message: "401
// Unauthorized" } (GitLab's REST docs; the spec gives no status).
//
// OAuth (§3.1, Doorkeeper): GET {baseUrl}/oauth/authorize with a consent
// page, POST {baseUrl}/oauth/token (form body; client_secret for
// confidential apps, PKCE without one), refresh tokens that rotate ("a
// used refresh token is refused"), GET {baseUrl}/oauth/token/info; the
// access tokens also reach GET /api/v4/user. See README.md ("OAuth").

export type GitLabOAuthFailure = 'invalid-scope' | 'redirect-mismatch' | 'refresh-revoked';

// GitLab's OAuth scopes the simulator knows (GitLab docs; §3.1 names write_repository, read_repository, read_user, api, read_api).
const gitlabScopes = ['api', 'read_api', 'read_user', 'read_repository', 'write_repository', 'openid', 'profile', 'email'];

// GIT-AND-DESKTOP §4.3 (Doorkeeper's URIChecker): exact match, except that the ports of a loopback IP literal
// are ignored; "localhost" matches exactly.
function gitlabRedirectMatches(registered: string, presented: string): boolean {
  if (registered === presented) return true;
  try {
    const host = new URL(registered).hostname;
    const loopbackIp = /^127\.\d+\.\d+\.\d+$/.test(host) || host === '[::1]';
    return loopbackIp && sameExceptPort(registered, presented);
  } catch {
    return false;
  }
}

const invalidGrant = {
  error: 'invalid_grant',
  error_description:
    'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
};
const invalidClient = {
  error: 'invalid_client',
  error_description: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
};

export interface GitLabSimulatorOptions {
  /** GitLab's relative URL root, e.g. "/gitlab"; "" for none. */
  readonly relativeRoot?: string;
  /** The account whose personal access token the API accepts; without one, every token is refused. */
  readonly account?: SimulatedAccount;
  /** The token's scopes (default write_repository, read_user: what Paddock asks for, §3.1). */
  readonly scopes?: readonly string[];
  /** OAuth applications (confidential when they have a secret; `scopes` the ones ticked on the application, default all known). */
  readonly clients?: readonly OAuthClientRegistration[];
}

export interface GitLabSimulator extends Simulator {
  /** The base URL an admin enters: origin plus relative root. */
  readonly baseUrl: string;
  /** Opens an authorize URL and presses Authorize ("allow") or Deny: the redirect that follows, or the page. */
  authorize(url: string, choice: 'allow' | 'deny'): Promise<AuthorizeOutcome>;
  failOAuth(failure: GitLabOAuthFailure | null): void;
  advance(ms: number): void;
}

export async function startGitLabSimulator(options: GitLabSimulatorOptions = {}): Promise<GitLabSimulator> {
  const root = prefixSegments(options.relativeRoot ?? '');
  const rootPath = root.map((segment) => `/${segment}`).join('');
  let baseUrl = '';
  // A token made today that expires within GitLab's default limit of 365 days (§3.2).
  const createdAt = new Date();
  const expiresAt = new Date(createdAt.getTime() + 364 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  const oauth = createOAuthServer<GitLabOAuthFailure>(options.clients ?? []);
  const createdAtOf = new Map<string, number>();

  const authorize = (url: URL): SimulatorResponse => {
    const query = url.searchParams;
    const client = oauth.clients.get(query.get('client_id') ?? '');
    // Doorkeeper shows these two on the page: the answer cannot go to a redirect URI it does not trust.
    if (!client) return errorPage(401, 'An error has occurred', 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.');
    const redirectUri = query.get('redirect_uri');
    if (oauth.failure() === 'redirect-mismatch' || redirectUri === null || !client.redirectUris.some((uri) => gitlabRedirectMatches(uri, redirectUri))) {
      return errorPage(400, 'An error has occurred', 'The redirect URI included is not valid.');
    }
    const state = query.get('state');
    if (state === null || state === '') return errorPage(400, 'An error has occurred', 'The request has no state parameter. (simulator: GitLab does not require it; Paddock always sends one)');
    const fail = (error: string, description: string) => redirectTo(redirectUri, { error, error_description: description, state });
    if (query.get('response_type') !== 'code') return fail('unsupported_response_type', 'The authorization server does not support this response type.');
    const allowed = client.scopes ?? gitlabScopes;
    const scopes = (query.get('scope') ?? '').split(' ').filter((scope) => scope !== '');
    if (oauth.failure() === 'invalid-scope' || scopes.length === 0 || scopes.some((scope) => !allowed.includes(scope))) {
      return fail('invalid_scope', 'The requested scope is invalid, unknown, or malformed.');
    }
    const challenge = query.get('code_challenge');
    const method = query.get('code_challenge_method') ?? (challenge === null ? null : 'plain');
    if (method !== null && method !== 'S256' && method !== 'plain') return fail('invalid_request', 'The code challenge method is not supported.');
    // §3.1: PKCE is how a non-confidential app proves itself; the simulator requires it of one.
    if (client.clientSecret === undefined && challenge === null) return fail('invalid_request', 'The request is missing a required parameter: code_challenge.');
    return oauth.consentPage('GitLab', {
      client,
      redirectUri,
      redirectUriParameter: redirectUri,
      scopes,
      state,
      codeChallenge: challenge,
      codeChallengeMethod: method as 'S256' | 'plain' | null,
    });
  };

  const tokenAnswer = (clientId: string, scopes: readonly string[]): SimulatorResponse => {
    // §3.1: access tokens live 2 hours ("expires_in: 7200"), with created_at.
    const tokens = oauth.issue({ clientId, scopes }, { lifetimeSeconds: 7200, refresh: true, tokenPrefix: 'glsim-oauth-' });
    const created = Math.floor(oauth.now() / 1000);
    createdAtOf.set(tokens.accessToken, created);
    return {
      status: 200,
      headers: { 'Cache-Control': 'no-store' },
      json: { access_token: tokens.accessToken, token_type: 'Bearer', expires_in: tokens.expiresIn, refresh_token: tokens.refreshToken, scope: scopes.join(' '), created_at: created },
    };
  };

  const token = (headers: Record<string, string | string[] | undefined>, body: string): SimulatorResponse => {
    const form = formBody(body);
    // Doorkeeper takes the client's credentials from the body or from Basic auth.
    const basic = basicCredentials(headers);
    const clientId = basic?.user ?? form.get('client_id');
    const secret = basic?.password ?? form.get('client_secret');
    const client = oauth.clients.get(clientId ?? '');
    if (!client || (client.clientSecret !== undefined && secret !== client.clientSecret)) return { status: 401, json: invalidClient };
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const redemption = oauth.redeemCode(form.get('code') ?? '', { clientId: client.clientId, redirectUri: form.get('redirect_uri'), verifier: form.get('code_verifier') });
      if (!redemption.ok) return { status: 400, json: invalidGrant };
      return tokenAnswer(client.clientId, redemption.pending.scopes);
    }
    if (grantType === 'refresh_token') {
      if (oauth.failure() === 'refresh-revoked') oauth.revokeRefreshTokens();
      // §3.1: refreshing "invalidates the existing access_token and refresh_token".
      const redemption = oauth.redeemRefresh(form.get('refresh_token') ?? '', client.clientId, 'rotate');
      if (!redemption.ok) return { status: 400, json: invalidGrant };
      return tokenAnswer(client.clientId, redemption.grant.scopes);
    }
    return { status: 400, json: { error: 'unsupported_grant_type', error_description: 'The authorization grant type is not supported by the authorization server.' } };
  };

  const simulator = await startSimulator([
    oauth.decisionRoute,
    ({ method, url }) => (method === 'GET' && url.pathname === `${rootPath}/oauth/authorize` ? authorize(url) : null),
    ({ method, url, headers, body }) => (method === 'POST' && url.pathname === `${rootPath}/oauth/token` ? token(headers, body) : null),
    ({ method, url, headers }) => {
      if (method !== 'GET' || url.pathname !== `${rootPath}/oauth/token/info`) return null;
      const presented = authorizationToken(headers, ['Bearer']);
      const grant = presented === null ? null : oauth.accessGrant(presented);
      // §3.1 gives the fields; the 401 and its body for another token are the simulator's (Doorkeeper's usual answer).
      if (presented === null || grant === null) return { status: 401, json: { error: 'invalid_token', error_description: 'The access token is invalid' } };
      return {
        status: 200,
        json: {
          resource_owner_id: 1,
          scope: grant.scopes,
          expires_in: grant.expiresAt === null ? null : Math.max(0, Math.floor((grant.expiresAt - oauth.now()) / 1000)),
          application: { uid: grant.clientId },
          created_at: createdAtOf.get(presented) ?? null,
        },
      };
    },
    ({ method, url }) => {
      if (method !== 'GET' || url.pathname !== `${rootPath}/.well-known/openid-configuration`) return null;
      return {
        status: 200,
        json: {
          issuer: baseUrl,
          authorization_endpoint: `${baseUrl}/oauth/authorize`,
          token_endpoint: `${baseUrl}/oauth/token`,
          // Also in GitLab's document; not used by validation.
          userinfo_endpoint: `${baseUrl}/oauth/userinfo`,
          jwks_uri: `${baseUrl}/oauth/discovery/keys`,
        },
      };
    },
    ({ method, url, headers }) => {
      const path = url.pathname.slice(rootPath.length);
      if (method !== 'GET' || !url.pathname.startsWith(rootPath) || (path !== '/api/v4/personal_access_tokens/self' && path !== '/api/v4/user')) return null;
      const token = header(headers, 'private-token') ?? authorizationToken(headers, ['Bearer']);
      // OAuth access tokens reach /api/v4/user; personal_access_tokens/self is about PATs (the simulator's choice).
      if (!acceptsToken(options.account, token, path === '/api/v4/user' ? oauth : undefined)) return { status: 401, json: { message: '401 Unauthorized' } };
      const { user } = options.account;
      const granted = token === null ? null : oauth.accessGrant(token);
      if (granted !== null && !granted.scopes.some((scope) => scope === 'read_user' || scope === 'read_api' || scope === 'api')) {
        // §3.1: the insufficient-scope answer (its 403 status is GitLab's docs, not the spec).
        return { status: 403, json: { error: 'insufficient_scope', error_description: 'The request requires higher privileges than provided by the access token.', scope: 'read_user' } };
      }
      if (path === '/api/v4/user') return { status: 200, json: { id: 1, username: user.username, name: user.displayName, email: user.email, state: 'active' } };
      return {
        status: 200,
        json: {
          id: 1,
          name: 'Paddock',
          revoked: false,
          created_at: createdAt.toISOString(),
          scopes: options.scopes ?? ['write_repository', 'read_user'],
          user_id: 1,
          active: true,
          expires_at: expiresAt,
        },
      };
    },
  ]);
  baseUrl = `${simulator.origin}${rootPath}`;
  return {
    ...simulator,
    baseUrl,
    authorize: (url, choice) => pressAuthorize(url, simulator.ca, choice),
    failOAuth: (failure) => oauth.setFailure(failure),
    advance: (ms) => oauth.advance(ms),
  };
}
