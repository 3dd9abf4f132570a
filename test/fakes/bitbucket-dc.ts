import { prefixSegments, startSimulator } from './simulator';
import type { Simulator } from './simulator';

// Bitbucket Data Center simulator: GET {baseUrl}/rest/api/1.0/application-properties
// (SCM-PROTOCOLS §4.3). The spec names the endpoint (with a token, for the
// X-AUSERNAME header); answering it without a token, and the fields
// version / buildNumber / buildDate / displayName, follow third-party
// clients, which the catalogue marks unconfirmed. A context path ("/bitbucket")
// prefixes every path.

export interface BitbucketDcSimulatorOptions {
  /** Bitbucket's context path, e.g. "/bitbucket"; "" for none. */
  readonly contextPath?: string;
  readonly version?: string;
}

export interface BitbucketDcSimulator extends Simulator {
  readonly baseUrl: string;
}

export async function startBitbucketDcSimulator(options: BitbucketDcSimulatorOptions = {}): Promise<BitbucketDcSimulator> {
  const rootPath = prefixSegments(options.contextPath ?? '')
    .map((segment) => `/${segment}`)
    .join('');
  const version = options.version ?? '8.19.0';
  const simulator = await startSimulator([
    ({ method, url }) => {
      if (method !== 'GET' || url.pathname !== `${rootPath}/rest/api/1.0/application-properties`) return null;
      return {
        status: 200,
        json: { version, buildNumber: String(Number(version.split('.').map((part) => part.padStart(3, '0')).join(''))), buildDate: '1767225600000', displayName: 'Bitbucket' },
      };
    },
  ]);
  return { ...simulator, baseUrl: `${simulator.origin}${rootPath}` };
}
