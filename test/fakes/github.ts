import { acceptsToken, authorizationToken, startSimulator } from './simulator';
import type { SimulatedAccount, Simulator } from './simulator';

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
}

export async function startGitHubSimulator(options: GitHubSimulatorOptions): Promise<GitHubSimulator> {
  const apiBase = options.layout === 'enterprise-server' ? '/api/v3' : '';
  let scopes: readonly string[] | null = options.scopes ?? ['repo', 'workflow'];
  let expiration: string | null = null;
  const simulator = await startSimulator([
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
      if (!acceptsToken(options.account, token)) return { status: 401, json: { message: 'Bad credentials' } };
      const { user } = options.account;
      return {
        status: 200,
        headers: {
          ...(scopes === null ? {} : { 'X-OAuth-Scopes': scopes.join(', ') }),
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
  };
}
