import type { JobResult, OAuthCallbackRequest, OAuthCallbackResponse, OAuthConnectStart } from '../../common/runner-api';
import type { JobContext } from '../jobs';

/**
 * The runner's OAuth attempts (issue 9 points 1–2): `begin` runs one
 * `oauth-connect` job (authorize URL with state and PKCE, then wait for the
 * callback, exchange, check, store); `callback` hands a received redirect to
 * the attempt its state names.
 */
export interface OAuthService {
  begin(start: OAuthConnectStart, clientId: string, context: JobContext): Promise<Extract<JobResult, { kind: 'oauth-connect' }>>;
  callback(request: OAuthCallbackRequest, clientId: string): OAuthCallbackResponse;
  /**
   * A redirect that reached a remote runner's own https callback straight
   * from the browser: it matches only an attempt that asked for that
   * redirect, of whichever workstation (the state is what names it).
   */
  browserCallback(request: OAuthCallbackRequest): OAuthCallbackResponse;
}
