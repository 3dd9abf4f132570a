import { acceptsToken, authorizationToken, prefixSegments, startSimulator } from './simulator';
import type { SimulatedAccount, Simulator } from './simulator';

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
    ({ method, url, headers }) => {
      if (method !== 'GET' || url.pathname !== `${rootPath}/rest/api/1.0/application-properties`) return null;
      // Without a token: the properties alone; with the account's token: also who it belongs to.
      let user: Record<string, string> = {};
      if (headers.authorization !== undefined) {
        const token = authorizationToken(headers, ['Bearer']);
        if (!acceptsToken(options.account, token)) return { status: 401, text: '' };
        user = { 'X-AUSERNAME': options.account.user.username };
      }
      return {
        status: 200,
        headers: user,
        json: { version, buildNumber: String(Number(version.split('.').map((part) => part.padStart(3, '0')).join(''))), buildDate: '1767225600000', displayName: 'Bitbucket' },
      };
    },
  ]);
  return { ...simulator, baseUrl: `${simulator.origin}${rootPath}` };
}
