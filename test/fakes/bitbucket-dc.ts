import { createOAuthServer, errorPage, formBody, pressAuthorize, redirectTo } from './oauth';
import type { AuthorizeOutcome, OAuthClientRegistration } from './oauth';
import { acceptsToken, authorizationToken, prefixSegments, startSimulator } from './simulator';
import type { SimulatedAccount, SimulatorResponse, Simulator } from './simulator';

// OAuth 2.0 provider (§4.3, an incoming application link):
// GET {baseUrl}/rest/oauth2/latest/authorize with a consent page and
// POST {baseUrl}/rest/oauth2/latest/token (form body), "Authorization code
// with PKCE" and "Authorization code". The access tokens reach
// application-properties as Bearer (X-AUSERNAME). Most details (error
// bodies, lifetimes, rotation) are not in the spec: see README.md.

export type BitbucketDcOAuthFailure = 'redirect-mismatch' | 'invalid-scope' | 'refresh-revoked';

// §4.3 (GCM) names PUBLIC_REPOS, REPO_READ, REPO_WRITE; the admin scopes are Bitbucket's docs.
const dcScopes = ['PUBLIC_REPOS', 'ACCOUNT_WRITE', 'REPO_READ', 'REPO_WRITE', 'REPO_ADMIN', 'PROJECT_ADMIN', 'ADMIN_WRITE', 'SYSTEM_ADMIN'];

// Bitbucket Data Center simulator: GET {baseUrl}/rest/api/1.0/application-properties
// (SCM-PROTOCOLS §4.3). The spec names the endpoint (with a token, for the
// X-AUSERNAME header); answering it without a token, and the fields
// version / buildNumber / buildDate / displayName, follow third-party
// clients, which the catalogue marks unconfirmed. A context path ("/bitbucket")
// prefixes every path.
//
// With `Authorization: Bearer <HTTP access token>` (§4.3) the same endpoint
// names the user in the X-AUSERNAME header, which is how Paddock learns who
// the token belongs to. Another token gets 401 (the simulator's choice: the
// spec does not say what Bitbucket answers for a bad token).

export interface BitbucketDcSimulatorOptions {
  /** Bitbucket's context path, e.g. "/bitbucket"; "" for none. */
  readonly contextPath?: string;
  readonly version?: string;
  /** The account whose HTTP access token is accepted; without one, every token is refused. */
  readonly account?: SimulatedAccount;
  /** Incoming application links: client id, secret, redirect URL(s). */
  readonly clients?: readonly OAuthClientRegistration[];
}

export interface BitbucketDcSimulator extends Simulator {
  readonly baseUrl: string;
  authorize(url: string, choice: 'allow' | 'deny'): Promise<AuthorizeOutcome>;
  failOAuth(failure: BitbucketDcOAuthFailure | null): void;
  advance(ms: number): void;
}

export async function startBitbucketDcSimulator(options: BitbucketDcSimulatorOptions = {}): Promise<BitbucketDcSimulator> {
  const rootPath = prefixSegments(options.contextPath ?? '')
    .map((segment) => `/${segment}`)
    .join('');
  const version = options.version ?? '8.19.0';
  const oauth = createOAuthServer<BitbucketDcOAuthFailure>(options.clients ?? []);

  const authorize = (url: URL): SimulatorResponse => {
    const query = url.searchParams;
    const client = oauth.clients.get(query.get('client_id') ?? '');
    if (!client) return errorPage(400, 'Invalid client', 'No application link with this client ID exists. (simulator text)');
    const redirectUri = query.get('redirect_uri');
    // Exact match (the spec gives no rule for DC; the simulator's choice), on the page.
    if (oauth.failure() === 'redirect-mismatch' || redirectUri === null || !client.redirectUris.includes(redirectUri)) {
      return errorPage(400, 'Invalid redirect URI', 'The redirect URI does not match the application link’s. (simulator text)');
    }
    const state = query.get('state');
    if (state === null || state === '') return errorPage(400, 'Bad request', 'The request has no state parameter. (simulator: Paddock always sends one)');
    const fail = (error: string, description: string) => redirectTo(redirectUri, { error, error_description: description, state });
    if (query.get('response_type') !== 'code') return fail('unsupported_response_type', 'response_type must be code.');
    const scopes = (query.get('scope') ?? '').split(/[ +]+/).filter((scope) => scope !== '');
    if (oauth.failure() === 'invalid-scope' || scopes.length === 0 || scopes.some((scope) => !dcScopes.includes(scope))) return fail('invalid_scope', 'The requested scope is invalid.');
    const challenge = query.get('code_challenge');
    const method = query.get('code_challenge_method') ?? (challenge === null ? null : 'plain');
    if (method !== null && method !== 'S256' && method !== 'plain') return fail('invalid_request', 'Unsupported code_challenge_method.');
    // A link without a secret can only use "Authorization code with PKCE" (§4.3): the simulator then requires the challenge.
    if (client.clientSecret === undefined && challenge === null) return fail('invalid_request', 'code_challenge is required.');
    return oauth.consentPage('Bitbucket', {
      client,
      redirectUri,
      redirectUriParameter: redirectUri,
      scopes,
      state,
      codeChallenge: challenge,
      codeChallengeMethod: method as 'S256' | 'plain' | null,
    });
  };

  const token = (body: string): SimulatorResponse => {
    const form = formBody(body);
    const client = oauth.clients.get(form.get('client_id') ?? '');
    if (!client || (client.clientSecret !== undefined && form.get('client_secret') !== client.clientSecret)) {
      return { status: 401, json: { error: 'invalid_client', error_description: 'Client authentication failed. (simulator text)' } };
    }
    const issue = (scopes: readonly string[]): SimulatorResponse => {
      // Lifetimes are [UNVERIFIED] (§4.3): the simulator's two hours.
      const tokens = oauth.issue({ clientId: client.clientId, scopes }, { lifetimeSeconds: 7200, refresh: true, tokenPrefix: 'bbdcsim_' });
      return { status: 200, json: { access_token: tokens.accessToken, token_type: 'bearer', expires_in: tokens.expiresIn, refresh_token: tokens.refreshToken, scope: scopes.join(' ') } };
    };
    const invalidGrant = { status: 400, json: { error: 'invalid_grant', error_description: 'The grant is invalid, expired, or was issued to another client. (simulator text)' } };
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const redemption = oauth.redeemCode(form.get('code') ?? '', { clientId: client.clientId, redirectUri: form.get('redirect_uri'), verifier: form.get('code_verifier') });
      return redemption.ok ? issue(redemption.pending.scopes) : invalidGrant;
    }
    if (grantType === 'refresh_token') {
      if (oauth.failure() === 'refresh-revoked') oauth.revokeRefreshTokens();
      // Rotation is not in the spec: the simulator rotates (a client that keeps the new one works either way).
      const redemption = oauth.redeemRefresh(form.get('refresh_token') ?? '', client.clientId, 'rotate');
      return redemption.ok ? issue(redemption.grant.scopes) : invalidGrant;
    }
    return { status: 400, json: { error: 'unsupported_grant_type', error_description: `Unsupported grant type: ${grantType ?? ''}` } };
  };

  const simulator = await startSimulator([
    oauth.decisionRoute,
    ({ method, url }) => (method === 'GET' && url.pathname === `${rootPath}/rest/oauth2/latest/authorize` ? authorize(url) : null),
    ({ method, url, body }) => (method === 'POST' && url.pathname === `${rootPath}/rest/oauth2/latest/token` ? token(body) : null),
    ({ method, url, headers }) => {
      if (method !== 'GET' || url.pathname !== `${rootPath}/rest/api/1.0/application-properties`) return null;
      // Without a token: the properties alone; with the account's token: also who it belongs to.
      let user: Record<string, string> = {};
      if (headers.authorization !== undefined) {
        const token = authorizationToken(headers, ['Bearer']);
        if (!acceptsToken(options.account, token, oauth)) return { status: 401, text: '' };
        user = { 'X-AUSERNAME': options.account.user.username };
      }
      return {
        status: 200,
        headers: user,
        json: { version, buildNumber: String(Number(version.split('.').map((part) => part.padStart(3, '0')).join(''))), buildDate: '1767225600000', displayName: 'Bitbucket' },
      };
    },
  ]);
  return {
    ...simulator,
    baseUrl: `${simulator.origin}${rootPath}`,
    authorize: (url, choice) => pressAuthorize(url, simulator.ca, choice),
    failOAuth: (failure) => oauth.setFailure(failure),
    advance: (ms) => oauth.advance(ms),
  };
}
