import { startSimulator } from './simulator';
import type { Simulator } from './simulator';

// Bitbucket Cloud simulator, standing in for api.bitbucket.org: the identity
// endpoint GET /2.0/user (SCM-PROTOCOLS §4.1, §4.2). Token checks are a later
// issue; for now every call is unauthenticated as far as this simulator is
// concerned and gets 401. That Bitbucket answers 401 without a token is the
// catalogue's unconfirmed expectation, not a fact from the spec.

export async function startBitbucketCloudSimulator(): Promise<Simulator> {
  return startSimulator([({ method, url }) => (method === 'GET' && url.pathname === '/2.0/user' ? { status: 401, text: '' } : null)]);
}
