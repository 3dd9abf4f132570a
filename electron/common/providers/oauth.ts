import type { ProviderKind } from '../provider-kind';
import { providerCatalogue } from './catalogue';
import { defaultEntraTenant } from './constants';
import type { Scope } from './schema';
import { expandUrl, hostValues } from './templates';

/** The scopes to grant, each with why Paddock needs it; empty for a kind without OAuth. */
export function oauthScopes(kind: ProviderKind): readonly Scope[] {
  const oauth = providerCatalogue[kind].oauth;
  return oauth.supported ? oauth.scopes : [];
}

/** The scope parameter of the authorize request: the scopes, space-separated. */
export function oauthScopeParameter(kind: ProviderKind): string {
  return oauthScopes(kind)
    .map((scope) => scope.scope)
    .join(' ');
}

export type OAuthEndpointsResult =
  | { readonly ok: true; readonly authorize: string; readonly token: string }
  | { readonly ok: false; readonly message: string };

/**
 * The authorize and token URLs for a host and, for Azure DevOps, the
 * organisation's tenant ("organizations" when none is given). Tests that
 * need Entra's endpoints on the simulator use entraEndpoints(tenant, authority).
 */
export function oauthEndpoints(kind: ProviderKind, options: { baseUrl: string; tenant?: string }): OAuthEndpointsResult {
  const oauth = providerCatalogue[kind].oauth;
  if (!oauth.supported) return { ok: false, message: oauth.reason };
  const values = hostValues(kind, options.baseUrl, { tenant: options.tenant ?? defaultEntraTenant });
  return { ok: true, authorize: expandUrl(oauth.authorize.url, values), token: expandUrl(oauth.token.url, values) };
}
