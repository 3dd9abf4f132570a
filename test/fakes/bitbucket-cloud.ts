import { acceptsToken, basicCredentials, startSimulator } from './simulator';
import type { SimulatedAccount, Simulator } from './simulator';

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
}

export async function startBitbucketCloudSimulator(options: BitbucketCloudSimulatorOptions = {}): Promise<Simulator> {
  return startSimulator([
    ({ method, url, headers }) => {
      if (method !== 'GET' || url.pathname !== '/2.0/user') return null;
      const credentials = basicCredentials(headers);
      if (!acceptsToken(options.account, credentials?.password ?? null) || credentials?.user !== options.account.user.email) return { status: 401, text: '' };
      const { user } = options.account;
      return {
        status: 200,
        json: { type: 'user', username: user.username, display_name: user.displayName, account_id: '557058:00000000-0000-4000-8000-000000000001', uuid: '{00000000-0000-4000-8000-000000000001}' },
      };
    },
  ]);
}
