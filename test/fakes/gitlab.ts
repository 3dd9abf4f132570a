import { acceptsToken, authorizationToken, header, prefixSegments, startSimulator } from './simulator';
import type { SimulatedAccount, Simulator } from './simulator';

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

export interface GitLabSimulatorOptions {
  /** GitLab's relative URL root, e.g. "/gitlab"; "" for none. */
  readonly relativeRoot?: string;
  /** The account whose personal access token the API accepts; without one, every token is refused. */
  readonly account?: SimulatedAccount;
  /** The token's scopes (default write_repository, read_user: what Paddock asks for, §3.1). */
  readonly scopes?: readonly string[];
}

export interface GitLabSimulator extends Simulator {
  /** The base URL an admin enters: origin plus relative root. */
  readonly baseUrl: string;
}

export async function startGitLabSimulator(options: GitLabSimulatorOptions = {}): Promise<GitLabSimulator> {
  const root = prefixSegments(options.relativeRoot ?? '');
  const rootPath = root.map((segment) => `/${segment}`).join('');
  let baseUrl = '';
  // A token made today that expires within GitLab's default limit of 365 days (§3.2).
  const createdAt = new Date();
  const expiresAt = new Date(createdAt.getTime() + 364 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  const simulator = await startSimulator([
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
      if (!acceptsToken(options.account, token)) return { status: 401, json: { message: '401 Unauthorized' } };
      const { user } = options.account;
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
  return { ...simulator, baseUrl };
}
