import { z } from 'zod';
import { PaddockError } from '../../common/errors';
import type { ProviderView } from '../../common/provider-config';
import { catalogueEntry, entraAuthority, expandUrl, hostValues, isGuid, oauthScopes, tokenNameInSentence } from '../../common/providers';
import { rewriteEndpoint } from '../providers/endpoints';
import { probe, type HttpAnswer, type HttpClientOptions } from '../providers/http';
import { gitHubRestricted, idTokenRefused, oauthPolicyBlocked, otherEntraTenant, type OAuthErrorContext } from './errors';
import { entraTenantFor, httpClient, networkError } from './exchange';
import { ACCOUNT_NAME_MAX, accountNameOf } from '../tokens';

// The OAuth token check (the catalogue's tokenCheck.oauth; PRODUCT A1):
// who the token belongs to and, where the provider reports it, which scopes
// it carries. A 401/403 to the token is `reconnect-needed` with
// providerCode '401', so the token lifecycle can refresh and retry.

export interface OAuthCheckOptions {
  readonly http?: HttpClientOptions;
  readonly endpoints?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

export interface OAuthIdentity {
  account: string | null;
  /** The scopes the provider reports for the token; null where it reports none. */
  scopes: string[] | null;
}

// Account names (accountNameSchema: at most 200 characters, no control or
// format characters). Where the check's answer must name the user — GitHub's
// login, GitLab's username, Bitbucket DC's X-AUSERNAME — a name Paddock cannot
// keep refuses the connection (unusableAccount): a real provider never sends
// one, and the name is the token's identity (tokenIdOf). Where the name is
// optional — Bitbucket Cloud's, Azure DevOps' profile, the ID token's claims —
// such a name is read as not reported, and the next one (or none) is used.
const gitHubUserSchema = z.looseObject({ login: z.string().min(1) });
const gitLabInfoSchema = z.looseObject({ scope: z.union([z.array(z.string().max(200)).max(100), z.string().max(4000)]) });
const gitLabUserSchema = z.looseObject({ username: z.string().min(1) });
const optionalName = z.unknown().optional().transform(accountNameOf);
const bitbucketUserSchema = z.looseObject({ username: optionalName, display_name: optionalName });
const profileSchema = z.looseObject({ emailAddress: optionalName, displayName: optionalName, publicAlias: optionalName });
const idTokenClaimsSchema = z.looseObject({ preferred_username: optionalName, email: optionalName, name: optionalName });

/** The payload of an Entra ID token (read, not verified: it came straight from the token endpoint over TLS); null when it is no JWT. */
function idTokenPayload(idToken: string | null): unknown {
  const payload = idToken?.split('.')[1];
  if (!payload) return null;
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

/** The account an Entra ID token names (preferred_username, else email, else name). */
export function idTokenAccount(idToken: string | null): string | null {
  const claims = idTokenClaimsSchema.safeParse(idTokenPayload(idToken));
  return claims.success ? (claims.data.preferred_username ?? claims.data.email ?? claims.data.name) : null;
}

const idTokenTenantSchema = z.looseObject({ aud: z.unknown().optional(), iss: z.unknown().optional(), tid: z.unknown().optional() });

/**
 * Checks that an Entra ID token (Azure DevOps; the catalogue asks for
 * `openid`, so Entra returns one) was issued for this app and tenant:
 * `aud` the entry's Client ID, `tid` a tenant ID — the sign-in's own tenant
 * when that is known (the organization's, else the entry's: entraTenantFor),
 * compared without case — and `iss` that tenant's v2.0 issuer
 * (https://login.microsoftonline.com/{tid}/v2.0, moved like the endpoints
 * under test). Throws policy-blocked naming both tenants, before anything is
 * stored. The signature is not checked: the token came straight from the
 * token endpoint over TLS; this guards against an answer for another
 * directory (a proxy, a wrong authority), not against Entra itself.
 *
 * Without an ID token there is nothing to read: the authority is then the
 * tenant's own (or "organizations"), so Entra signs in only that tenant's
 * members and guests (AADSTS50020 otherwise), and the Profile API check that
 * follows proves the token works for Azure DevOps.
 */
export function checkEntraIdToken(entry: ProviderView, organization: string | null, idToken: string | null, endpoints: Readonly<Record<string, string>> = {}): void {
  if (entry.kind !== 'azure-devops' || idToken === null) return;
  const context: OAuthErrorContext = { entry, organization, redirectUri: null };
  const claims = idTokenTenantSchema.safeParse(idTokenPayload(idToken));
  if (!claims.success) throw idTokenRefused(context, 'tid');
  const { aud, iss, tid } = claims.data;
  if (typeof aud !== 'string' || aud.toLowerCase() !== (entry.oauth.clientId ?? '').toLowerCase()) throw idTokenRefused(context, 'aud');
  if (typeof tid !== 'string' || !isGuid(tid)) throw idTokenRefused(context, 'tid');
  const signedIn = tid.toLowerCase();
  const expected = entraTenantFor(entry, organization);
  if (isGuid(expected) && signedIn !== expected) throw otherEntraTenant(context, signedIn, expected);
  const issuer = `${rewriteEndpoint(entraAuthority, endpoints)}/${signedIn}/v2.0`;
  if (typeof iss !== 'string' || iss.toLowerCase() !== issuer.toLowerCase()) throw idTokenRefused(context, 'iss');
}

/** A required account name (the check's proof of whom the token is for) that Paddock cannot keep. */
function unusableAccount(entry: ProviderView, organization: string | null): PaddockError {
  const name = catalogueEntry(entry.kind).displayName;
  return new PaddockError(
    'unreachable',
    `${name} at ${entry.host} reported an account name Paddock cannot keep (longer than ${ACCOUNT_NAME_MAX} characters, or with control characters), so the connection was not kept. Try again later; if it keeps happening, the runner’s admin checks that ${entry.host} is the provider’s own address, not a proxy’s.`,
    undefined,
    { host: entry.host, ...(organization ? { organization } : {}), providerCode: 'account-name' },
  );
}

const splitScopes = (value: string) => value.split(/[\s,]+/).map((s) => s.trim()).filter((s) => s !== '');

/** OpenID Connect scopes: Entra does not list them among a token's scopes. */
const oidcScopes = new Set(['openid', 'profile', 'email', 'offline_access']);

/**
 * The scopes the catalogue asks for that a token lacks. Azure DevOps' scopes
 * are compared by name without the resource (Entra may report either form).
 */
export function missingOAuthScopes(entry: ProviderView, granted: readonly string[]): string[] {
  const short = (scope: string) => (entry.kind === 'azure-devops' ? (scope.split('/').pop() ?? scope) : scope).toLowerCase();
  const have = new Set(granted.map(short));
  return oauthScopes(entry.kind)
    .map((scope) => scope.scope)
    .filter((scope) => !(entry.kind === 'azure-devops' && oidcScopes.has(scope)))
    .filter((scope) => !have.has(short(scope)));
}

/** A failure naming the scopes a granted token lacks (nothing is then stored). */
export function missingScopesError(entry: ProviderView, missing: readonly string[]): PaddockError {
  const rules = catalogueEntry(entry.kind);
  const reasons = oauthScopes(entry.kind).filter((scope) => missing.includes(scope.scope));
  const list = reasons.map((scope) => `${scope.scope} (${scope.reason.replace(/\.$/, '')})`).join(', ');
  const registration = rules.oauth.supported ? `the ${rules.oauth.registration.name}` : 'the OAuth registration';
  const s = missing.length === 1 ? '' : 's';
  return new PaddockError(
    'policy-blocked',
    `${rules.displayName} granted this connection without the scope${s} ${list}, so it was not kept. An administrator of ${registration} allows ${missing.length === 1 ? 'it' : 'them'}, then you connect again.`,
    [{ path: 'scopes', message: `missing: ${missing.join(', ')}` }],
    { host: entry.host, providerCode: 'missing-scope', setting: `Scopes of ${registration}: ${missing.join(', ')}` },
  );
}

/** Checks an OAuth access token against the provider: the account, and the scopes where reported. */
export async function checkOAuthToken(entry: ProviderView, organization: string | null, accessToken: string, options: OAuthCheckOptions = {}): Promise<OAuthIdentity> {
  const rules = catalogueEntry(entry.kind);
  const check = rules.tokenCheck.oauth;
  if (!check) throw new PaddockError('forbidden', `${rules.displayName} does not offer OAuth: connect with ${tokenNameInSentence(rules.pat.name, { article: true, short: true })}.`, undefined, { host: entry.host });
  const context: OAuthErrorContext = { entry, organization, redirectUri: null };
  const url = (template: string) => rewriteEndpoint(expandUrl(template, hostValues(entry.kind, entry.host)), options.endpoints ?? {});
  const credential = { header: 'authorization', value: `Bearer ${accessToken}` };
  const client = httpClient(options.http);
  const get = async (target: string): Promise<HttpAnswer> => {
    const outcome = await probe(client, { method: 'GET', url: target, credential, ...(options.signal ? { signal: options.signal } : {}) });
    if (!outcome.ok) throw networkError(entry, outcome, 'the new connection could not be checked');
    if (outcome.status >= 400) {
      if (entry.kind === 'azure-devops' && /TF400813/.test(outcome.text)) throw oauthPolicyBlocked(context);
      if (entry.kind === 'github' && /OAuth App access restrictions/i.test(outcome.text)) throw gitHubRestricted(context);
      if (outcome.status === 401 || outcome.status === 403) {
        throw new PaddockError('reconnect-needed', `${rules.displayName} refused the token (${outcome.status}): it was revoked or has expired. Connect again.`, undefined, {
          host: entry.host,
          ...(organization ? { organization } : {}),
          providerCode: '401',
        });
      }
    }
    if (outcome.status !== 200) {
      throw new PaddockError(
        'unreachable',
        outcome.status >= 500
          ? `${rules.displayName} at ${entry.host} answered the token check with a server error (${outcome.status}). Try again later.`
          : `${rules.displayName} at ${entry.host} gave an answer the token check cannot read (${outcome.status}). Check the host, or try again later.`,
        undefined,
        { host: entry.host },
      );
    }
    return outcome;
  };
  const unreadable = () => new PaddockError('unreachable', `${rules.displayName} at ${entry.host} gave an answer the token check cannot read. Try again later.`, undefined, { host: entry.host });
  const required = (account: string): string => {
    if (accountNameOf(account) === null) throw unusableAccount(entry, organization);
    return account;
  };
  try {
    switch (entry.kind) {
      case 'github': {
        const answer = await get(url(check.url));
        const user = gitHubUserSchema.safeParse(answer.json);
        if (!user.success) throw unreadable();
        const header = answer.header('x-oauth-scopes');
        return { account: required(user.data.login), scopes: header === null ? null : splitScopes(header) };
      }
      case 'gitlab': {
        const info = gitLabInfoSchema.safeParse((await get(url(check.url))).json);
        if (!info.success) throw unreadable();
        const user = gitLabUserSchema.safeParse((await get(url('{apiBase}/user'))).json);
        if (!user.success) throw unreadable();
        return { account: required(user.data.username), scopes: typeof info.data.scope === 'string' ? splitScopes(info.data.scope) : info.data.scope };
      }
      case 'bitbucket-cloud': {
        const answer = await get(url(check.url));
        const user = bitbucketUserSchema.safeParse(answer.json);
        if (!user.success) throw unreadable();
        const header = answer.header('x-oauth-scopes');
        return { account: user.data.username ?? user.data.display_name ?? null, scopes: header === null ? null : splitScopes(header) };
      }
      case 'bitbucket-dc': {
        const answer = await get(url(check.url));
        const user = answer.header('x-ausername');
        if (!user) throw new PaddockError('reconnect-needed', `${rules.displayName} answered as for an anonymous user: it did not take the token. Connect again.`, undefined, { host: entry.host, providerCode: '401' });
        return { account: required(user), scopes: null };
      }
      case 'azure-devops': {
        const profile = profileSchema.safeParse((await get(url(check.url))).json);
        if (!profile.success) throw unreadable();
        return { account: profile.data.emailAddress ?? profile.data.displayName, scopes: null };
      }
      case 'azure-devops-server':
        throw unreadable();
    }
  } finally {
    void client.close();
  }
}
