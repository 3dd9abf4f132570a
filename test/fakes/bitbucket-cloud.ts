import { createOAuthServer, errorPage, formBody, pressAuthorize, redirectTo } from './oauth';
import type { AuthorizeOutcome, OAuthClientRegistration } from './oauth';
import { acceptsToken, authorizationToken, basicCredentials, header, startSimulator } from './simulator';
import type { SimulatedAccount, SimulatorResponse, Simulator } from './simulator';

// OAuth (§4.1), on bitbucket.org (moved onto this simulator with
// api.bitbucket.org; the paths do not overlap): GET /site/oauth2/authorize
// with a consent page, POST /site/oauth2/access_token with the consumer's
// key and secret in Basic auth and a form body. One callback URL per
// consumer, matched exactly (no loopback port freedom: GIT-AND-DESKTOP
// §4.3); scopes are the consumer's (set on the registration); PKCE
// parameters are tolerated, not checked (§4.1: enforcement unverified).
// The access tokens reach GET /2.0/user as Bearer. See README.md.

export type BitbucketCloudOAuthFailure = 'redirect-mismatch' | 'invalid-scope' | 'refresh-revoked';

// Bitbucket Cloud simulator, standing in for api.bitbucket.org: the identity
// endpoint GET /2.0/user (SCM-PROTOCOLS §4.1, §4.2). With an API token it is
// called with Basic authentication, the Atlassian account email as the user
// and the token as the password (§4.2); then it answers the user. Anything
// else (no token, another token, the Bitbucket user name instead of the
// email) gets 401. That Bitbucket answers 401 without a valid token is the
// catalogue's unconfirmed expectation, not a fact from the spec; the
// fields (username, display_name, account_id, uuid) follow Bitbucket's REST
// docs.

export interface BitbucketCloudSimulatorOptions {
  /** The account whose API token GET /2.0/user accepts (with its email); without one, every token is refused. */
  readonly account?: SimulatedAccount;
  /** OAuth consumers: key, secret, the one callback URL, and the permissions ticked (`scopes`). */
  readonly clients?: readonly OAuthClientRegistration[];
}

/**
 * A pull request as `GET /2.0/repositories/{workspace}/{repo}/pullrequests/{id}`
 * answers it: the fields Gitpod's context parser reads (GIT-AND-DESKTOP §2:
 * source.branch.name, source.commit.hash, source.repository.full_name).
 * `sourceRepository` null plays a fork the user cannot see (the service then
 * leaves the repository out; the simulator's choice of how).
 */
export interface BitbucketCloudPullRequest {
  readonly branch: string;
  readonly commit: string;
  /** "workspace/repo" of the source; the base repository's own for a branch of it; null for a fork out of reach. */
  readonly sourceRepository: string | null;
}

export interface BitbucketCloudSimulator extends Simulator {
  /** Adds (or with null removes) pull request `id` of `workspace/repo`. */
  setPullRequest(repository: string, id: number, pull: BitbucketCloudPullRequest | null): void;
  authorize(url: string, choice: 'allow' | 'deny'): Promise<AuthorizeOutcome>;
  failOAuth(failure: BitbucketCloudOAuthFailure | null): void;
  advance(ms: number): void;
}

export async function startBitbucketCloudSimulator(options: BitbucketCloudSimulatorOptions = {}): Promise<BitbucketCloudSimulator> {
  const oauth = createOAuthServer<BitbucketCloudOAuthFailure>(options.clients ?? []);
  const pulls = new Map<string, BitbucketCloudPullRequest>();
  /** An API call's user: an OAuth access token (Bearer), or the account's API token with its email (Basic, §4.2). */
  const signedIn = (headers: Record<string, string | string[] | undefined>): boolean => {
    const bearer = authorizationToken(headers, ['Bearer']);
    if (bearer !== null && oauth.accessGrant(bearer) !== null && options.account !== undefined) return true;
    const credentials = basicCredentials(headers);
    return acceptsToken(options.account, credentials?.password ?? null) && credentials?.user === options.account.user.email;
  };

  const authorize = (url: URL): SimulatorResponse => {
    const query = url.searchParams;
    const client = oauth.clients.get(query.get('client_id') ?? '');
    // On the page: an unknown consumer, and a redirect_uri other than its callback ("Invalid redirect_uri", GIT-AND-DESKTOP §4.3).
    if (!client) return errorPage(400, 'Invalid client_id', 'No consumer with this key exists. (simulator text)');
    const callback = client.redirectUris[0]!;
    const presented = query.get('redirect_uri');
    if (oauth.failure() === 'redirect-mismatch' || (presented !== null && presented !== callback)) return errorPage(400, 'Invalid redirect_uri', 'Invalid redirect_uri: it must be the consumer’s callback URL.');
    const state = query.get('state');
    if (state === null || state === '') return errorPage(400, 'Bad request', 'The request has no state parameter. (simulator: Bitbucket does not require it; Paddock always sends one)');
    if (query.get('response_type') !== 'code') return redirectTo(callback, { error: 'unsupported_response_type', error_description: 'response_type must be code. (simulator)', state });
    if (oauth.failure() === 'invalid-scope') return redirectTo(callback, { error: 'invalid_scope', error_description: 'The requested scope is invalid. (simulator)', state });
    // Scopes are the consumer's; a scope parameter does not change them (§4.1). PKCE parameters are accepted and not checked.
    return oauth.consentPage('Bitbucket', {
      client,
      redirectUri: callback,
      redirectUriParameter: null,
      scopes: client.scopes ?? [],
      state,
      codeChallenge: null,
      codeChallengeMethod: null,
    });
  };

  const token = (headers: Record<string, string | string[] | undefined>, body: string): SimulatorResponse => {
    // §4.1: form-encoded; a JSON body → "Unsupported grant type: None".
    if (!(header(headers, 'content-type') ?? '').startsWith('application/x-www-form-urlencoded')) {
      return { status: 400, json: { error: 'invalid_grant', error_description: 'Unsupported grant type: None' } };
    }
    // §4.1: the consumer's key and secret in Basic auth (curl -u "client_id:secret"); the refusal's shape is the simulator's.
    const credentials = basicCredentials(headers);
    const client = oauth.clients.get(credentials?.user ?? '');
    if (!client || client.clientSecret === undefined || credentials?.password !== client.clientSecret) {
      return { status: 400, json: { error: 'invalid_client', error_description: 'Invalid OAuth client credentials' } };
    }
    const form = formBody(body);
    const issue = (scopes: readonly string[], refreshToken: string | null) => {
      const tokens = oauth.issue({ clientId: client.clientId, scopes }, { lifetimeSeconds: 7200, refresh: refreshToken === null, tokenPrefix: 'bbsim_' });
      // GCM: "the non-standard 'scopes' property" (§4.1); 2 hours is one of §4.1's two reported lifetimes.
      return {
        status: 200,
        json: { access_token: tokens.accessToken, scopes: scopes.join(' '), expires_in: tokens.expiresIn, refresh_token: refreshToken ?? tokens.refreshToken, token_type: 'bearer' },
      };
    };
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const redemption = oauth.redeemCode(form.get('code') ?? '', { clientId: client.clientId, redirectUri: null, verifier: null });
      if (!redemption.ok) return { status: 400, json: { error: 'invalid_grant', error_description: 'The authorization code is invalid or expired. (simulator text)' } };
      return issue(redemption.pending.scopes, null);
    }
    if (grantType === 'refresh_token') {
      if (oauth.failure() === 'refresh-revoked') oauth.revokeRefreshTokens();
      // Whether Bitbucket rotates refresh tokens is not in the spec: the simulator keeps the same one valid.
      const presented = form.get('refresh_token') ?? '';
      const redemption = oauth.redeemRefresh(presented, client.clientId, 'keep');
      if (!redemption.ok) return { status: 400, json: { error: 'invalid_grant', error_description: 'Invalid refresh_token' } };
      return issue(redemption.grant.scopes, presented);
    }
    return { status: 400, json: { error: 'unsupported_grant_type', error_description: `Unsupported grant type: ${grantType ?? 'None'}` } };
  };

  const simulator = await startSimulator([
    oauth.decisionRoute,
    ({ method, url }) => (method === 'GET' && url.pathname === '/site/oauth2/authorize' ? authorize(url) : null),
    ({ method, url, headers, body }) => (method === 'POST' && url.pathname === '/site/oauth2/access_token' ? token(headers, body) : null),
    ({ method, url, headers }) => {
      const match = method === 'GET' ? /^\/2\.0\/repositories\/([^/]+)\/([^/]+)\/pullrequests\/(\d+)$/.exec(url.pathname) : null;
      if (!match) return null;
      if (!signedIn(headers)) return { status: 401, text: '' };
      const repository = `${decodeURIComponent(match[1]!)}/${decodeURIComponent(match[2]!)}`;
      const pull = pulls.get(`${repository.toLowerCase()}#${match[3]}`);
      if (!pull) return { status: 404, json: { type: 'error', error: { message: 'Not found' } } };
      return {
        status: 200,
        json: {
          type: 'pullrequest',
          id: Number(match[3]),
          source: { branch: { name: pull.branch }, commit: { hash: pull.commit }, repository: pull.sourceRepository === null ? null : { full_name: pull.sourceRepository } },
          destination: { branch: { name: 'main' }, repository: { full_name: repository } },
        },
      };
    },
    ({ method, url, headers }) => {
      if (method !== 'GET' || url.pathname !== '/2.0/user') return null;
      // An OAuth access token as Bearer (§4.1: GCM reads the user this way), when the consumer has the account permission.
      const bearer = authorizationToken(headers, ['Bearer']);
      const grant = bearer === null ? null : oauth.accessGrant(bearer);
      const credentials = basicCredentials(headers);
      const byOAuth = grant !== null && grant.scopes.includes('account') && options.account !== undefined;
      if (!byOAuth && (!acceptsToken(options.account, credentials?.password ?? null) || credentials?.user !== options.account.user.email)) return { status: 401, text: '' };
      if (options.account === undefined) return { status: 401, text: '' };
      const { user } = options.account;
      return {
        status: 200,
        json: { type: 'user', username: user.username, display_name: user.displayName, account_id: '557058:00000000-0000-4000-8000-000000000001', uuid: '{00000000-0000-4000-8000-000000000001}' },
      };
    },
  ]);
  return {
    ...simulator,
    authorize: (url, choice) => pressAuthorize(url, simulator.ca, choice),
    failOAuth: (failure) => oauth.setFailure(failure),
    setPullRequest(repository, id, pull) {
      if (pull) pulls.set(`${repository.toLowerCase()}#${id}`, pull);
      else pulls.delete(`${repository.toLowerCase()}#${id}`);
    },
    advance: (ms) => oauth.advance(ms),
  };
}
