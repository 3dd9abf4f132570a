import { prefixSegments, startSimulator } from './simulator';
import type { Simulator } from './simulator';

// GitLab simulator: the OpenID Connect discovery document GitLab documents
// for GitLab.com and self-managed instances ("GitLab as OpenID Connect
// identity provider", Settings discovery), at
// {baseUrl}/.well-known/openid-configuration, with the authorize and token
// endpoints of SCM-PROTOCOLS §3.1 under the same base URL. A relative URL
// root ("/gitlab") prefixes every path; the issuer is the base URL.

export interface GitLabSimulatorOptions {
  /** GitLab's relative URL root, e.g. "/gitlab"; "" for none. */
  readonly relativeRoot?: string;
}

export interface GitLabSimulator extends Simulator {
  /** The base URL an admin enters: origin plus relative root. */
  readonly baseUrl: string;
}

export async function startGitLabSimulator(options: GitLabSimulatorOptions = {}): Promise<GitLabSimulator> {
  const root = prefixSegments(options.relativeRoot ?? '');
  const rootPath = root.map((segment) => `/${segment}`).join('');
  let baseUrl = '';
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
  ]);
  baseUrl = `${simulator.origin}${rootPath}`;
  return { ...simulator, baseUrl };
}
