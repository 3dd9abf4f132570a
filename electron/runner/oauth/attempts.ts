import { createHash, randomBytes } from 'node:crypto';
import type { ProviderView } from '../../common/provider-config';
import { callbackOptions, callbackPath, catalogueEntry, oauthScopeParameter, type CallbackOption, type CallbackRunner } from '../../common/providers';
import { oauthUrls } from './exchange';

// The pure parts of an OAuth attempt (issue 9 point 1): its state, its PKCE
// pair (RFC 7636), the redirect URIs a provider accepts for this runner, and
// the authorize URL.

/** 32 random bytes, base64url: 43 characters (oauthStateSchema). */
export function newState(): string {
  return randomBytes(32).toString('base64url');
}

/** The key an attempt is found by: the state's SHA-256, so the lookup never compares the state itself. */
export function stateKey(state: string): string {
  return createHash('sha256').update(state, 'utf8').digest('hex');
}

export interface PkcePair {
  /** 43 characters of the unreserved set (RFC 7636 §4.1: 43–128). Never leaves the runner. */
  readonly verifier: string;
  /** BASE64URL(SHA256(verifier)) (RFC 7636 §4.2, S256). */
  readonly challenge: string;
}

export function newPkce(): PkcePair {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: pkceChallengeOf(verifier) };
}

export function pkceChallengeOf(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** Whether the catalogue says to send PKCE to this kind ('supported' or 'tolerated'). */
export function usesPkce(kind: ProviderView['kind']): boolean {
  const oauth = catalogueEntry(kind).oauth;
  return oauth.supported && oauth.pkce.support !== 'unsupported';
}

/**
 * The callback option a redirect URI is, when the provider accepts it for
 * this runner: the custom scheme and a remote runner's own https URL
 * exactly; a loopback URL by scheme, host and path, and by port only where
 * the option has a fixed one (the app's listener takes any free port
 * otherwise). Null when none fits.
 */
export function acceptedRedirect(kind: ProviderView['kind'], redirectUri: string, runner: CallbackRunner): CallbackOption | null {
  for (const option of callbackOptions(kind, runner)) {
    if (option.kind !== 'loopback') {
      if (option.url === redirectUri) return option;
      continue;
    }
    let url: URL;
    try {
      url = new URL(redirectUri);
    } catch {
      continue;
    }
    if (url.protocol !== 'http:' || url.hostname !== option.listen?.host || url.pathname !== callbackPath || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') continue;
    if (option.listen.port !== null && url.port !== String(option.listen.port)) continue;
    return option;
  }
  return null;
}

export interface AuthorizeParameters {
  readonly state: string;
  readonly redirectUri: string;
  /** The S256 challenge, or null for a provider that takes no PKCE. */
  readonly challenge: string | null;
}

/**
 * The authorize URL: client_id, redirect_uri, response_type=code, the
 * scopes where the request sets them (Bitbucket Cloud's are the consumer's),
 * state and the PKCE challenge; moved onto simulators under test.
 */
export function authorizeUrl(entry: ProviderView, organization: string | null, parameters: AuthorizeParameters, endpoints: Readonly<Record<string, string>> = {}): string {
  const oauth = catalogueEntry(entry.kind).oauth;
  const url = new URL(oauthUrls(entry, organization, endpoints).authorize);
  url.searchParams.set('client_id', entry.oauth.clientId ?? '');
  url.searchParams.set('redirect_uri', parameters.redirectUri);
  url.searchParams.set('response_type', 'code');
  if (oauth.supported && oauth.scopesSetAt === 'request') url.searchParams.set('scope', oauthScopeParameter(entry.kind));
  url.searchParams.set('state', parameters.state);
  if (parameters.challenge !== null) {
    url.searchParams.set('code_challenge', parameters.challenge);
    url.searchParams.set('code_challenge_method', 'S256');
  }
  return url.toString();
}
