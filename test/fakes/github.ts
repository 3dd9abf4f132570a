import { startSimulator } from './simulator';
import type { Simulator } from './simulator';

// GitHub simulator, for the host probe the catalogue names: `GET {apiBase}/meta`,
// where apiBase is https://api.github.com for github.com and
// https://HOSTNAME/api/v3 for GitHub Enterprise Server (SCM-PROTOCOLS §2.2).
// The endpoint itself is not in the spec (GitHub's REST docs, "Get GitHub
// meta information"); the fields are the ones those docs show for an
// Enterprise Server. `privateMode` answers 401 without a token, the case
// the catalogue marks unconfirmed.

export interface GitHubSimulatorOptions {
  /** "enterprise-server": the API under /api/v3 on the host; "api": at the root, like api.github.com. */
  readonly layout: 'enterprise-server' | 'api';
  /** An Enterprise Server version to report (default 3.17.0). */
  readonly version?: string;
  /** Refuse unauthenticated calls, as a private-mode instance might. */
  readonly privateMode?: boolean;
}

export async function startGitHubSimulator(options: GitHubSimulatorOptions): Promise<Simulator> {
  const metaPath = options.layout === 'enterprise-server' ? '/api/v3/meta' : '/meta';
  return startSimulator([
    ({ method, url, headers }) => {
      if (method !== 'GET' || url.pathname !== metaPath) return null;
      if (options.privateMode && !headers.authorization) return { status: 401, json: { message: 'Requires authentication' } };
      return {
        status: 200,
        json:
          options.layout === 'enterprise-server'
            ? { verifiable_password_authentication: true, installed_version: options.version ?? '3.17.0' }
            : { verifiable_password_authentication: false },
      };
    },
  ]);
}
