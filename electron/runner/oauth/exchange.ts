import { z } from 'zod';
import { PaddockError } from '../../common/errors';
import type { ProviderView } from '../../common/provider-config';
import { catalogueEntry, defaultEntraTenant, entraTenantSchema, isGuid, oauthEndpoints, oauthScopeParameter } from '../../common/providers';
import { rewriteEndpoint } from '../providers/endpoints';
import { createHttpClient, HttpClientConfigError, probe, type HttpAnswer, type HttpClient, type HttpClientOptions, type ProbeOutcome } from '../providers/http';
import type { StoredToken } from '../tokens';
import { clientRefused, oauthErrorCode, oauthRefusal, redirectMismatch, type OAuthErrorContext } from './errors';

// The token endpoint of each provider (issue 9 point 2; SCM-PROTOCOLS §1.3,
// §2.1, §3.1, §4.1, §4.3): a form body with Accept: application/json, the
// client authenticated as the provider wants it, every answer validated.
// Codes, verifiers, secrets and tokens go only into the request body or
// the Authorization header; nothing here logs, and no message names them.

export interface ExchangeDeps {
  /** The entry's opened client secret, or null for a public client. */
  readonly clientSecret: string | null;
  readonly http?: HttpClientOptions;
  /** Development and test builds only: real origins moved onto simulators. */
  readonly endpoints?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  readonly now?: () => Date;
}

/** What a token endpoint granted. */
export interface GrantedToken {
  token: string;
  refreshToken: string | null;
  expiresAt: string | null;
  /** The scopes the answer reports; null when it reports none. */
  scopes: string[] | null;
  /** Entra with `openid`: the ID token (its claims name the user; not verified, only read). */
  idToken: string | null;
}

export interface RefreshedToken {
  token: string;
  refreshToken: string | null;
  expiresAt: string | null;
  scopes: string[];
}

/**
 * A stored tenant that may name an authority: a tenant id (GUID, lowercased)
 * that entraTenantSchema accepts, else null. "organizations", "common",
 * "consumers" — in any case — and anything else never do: entries saved
 * before the runner validated the tenant may hold such a value.
 */
function tenantIdOf(tenant: string | null | undefined): string | null {
  if (!tenant) return null;
  const parsed = entraTenantSchema.safeParse(tenant);
  return parsed.success && isGuid(parsed.data) ? parsed.data : null;
}

/**
 * The Entra tenant that signs a user in for an Azure DevOps organization:
 * the organization's own tenant, else the entry's, else "organizations" —
 * never a blind /common (SCM-PROTOCOLS decisions).
 */
export function entraTenantFor(entry: ProviderView, organization: string | null): string {
  const listed = organization === null ? undefined : entry.organizations.find((o) => o.name.toLowerCase() === organization.toLowerCase());
  const own = listed && listed.tenantOrigin !== 'default' ? tenantIdOf(listed.tenant) : null;
  return own ?? tenantIdOf(entry.oauth.tenant) ?? defaultEntraTenant;
}

/** The authorize and token URLs for an entry (and organization), moved onto simulators under test. */
export function oauthUrls(entry: ProviderView, organization: string | null, endpoints: Readonly<Record<string, string>> = {}): { authorize: string; token: string } {
  const found = oauthEndpoints(entry.kind, { baseUrl: entry.host, ...(entry.kind === 'azure-devops' ? { tenant: entraTenantFor(entry, organization) } : {}) });
  if (!found.ok) throw new PaddockError('forbidden', found.message, undefined, { host: entry.host });
  return { authorize: rewriteEndpoint(found.authorize, endpoints), token: rewriteEndpoint(found.token, endpoints) };
}

/** Makes the runner's HTTP client; its configuration errors are the admin's to fix. */
export function httpClient(options: HttpClientOptions | undefined): HttpClient {
  try {
    return createHttpClient(options);
  } catch (error) {
    if (error instanceof HttpClientConfigError) throw new PaddockError('internal', `The runner’s network settings are wrong: ${error.message}`);
    throw error;
  }
}

/** A network problem as a PaddockError naming the provider. */
export function networkError(entry: ProviderView, outcome: Exclude<ProbeOutcome, HttpAnswer>, doing: string): PaddockError {
  const name = catalogueEntry(entry.kind).displayName;
  return new PaddockError(outcome.kind === 'timeout' ? 'timeout' : 'unreachable', `${name} at ${entry.host} cannot be reached from this runner, so ${doing}: ${outcome.message}`, undefined, { host: entry.host });
}

/** The longest lifetime read from `expires_in`: 10 years. Beyond it (or below 1 s) the answer is read as reporting none. */
export const MAX_EXPIRES_IN_SECONDS = 10 * 365 * 24 * 3600;

const tokenAnswerSchema = z.looseObject({
  access_token: z.string().min(1).max(16_384),
  /** RFC 6749 §7.1: checked to be "bearer" (any case) before the token is kept; see isBearer. */
  token_type: z.string().max(100).optional(),
  // Read by expiresInSeconds, never refused: an answer refused for its expires_in would lose a refresh token the provider already rotated.
  expires_in: z.unknown().optional(),
  refresh_token: z.string().min(1).max(16_384).optional(),
  scope: z.union([z.string().max(4000), z.array(z.string().max(200)).max(100)]).optional(),
  /** Bitbucket Cloud's non-standard field (§4.1). */
  scopes: z.string().max(4000).optional(),
  id_token: z.string().max(16_384).optional(),
});
// RFC 6749 §5.2: an `error` outside its character set, or too long, is read as unknown_error (it goes into messages and logs).
const tokenErrorSchema = z.looseObject({
  error: z.unknown().refine((value) => value !== undefined && value !== null && value !== '').transform(oauthErrorCode),
  error_description: z.string().max(4000).optional().catch(undefined),
});

/** RFC 6749 §7.1: the token type, compared without case (Entra and GitLab say "Bearer", GitHub and Bitbucket "bearer"). */
export function isBearer(tokenType: string | undefined): boolean {
  return tokenType?.toLowerCase() === 'bearer';
}

/** `expires_in` as seconds within 1 s – 10 years (a number, or digits in a string); null when it is missing or out of bounds. */
export function expiresInSeconds(value: unknown): number | null {
  const seconds = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,12}$/.test(value) ? Number(value) : Number.NaN;
  return Number.isFinite(seconds) && seconds >= 1 && seconds <= MAX_EXPIRES_IN_SECONDS ? seconds : null;
}

/** Scopes as one string (space- or comma-separated, GitHub uses commas) or a list. */
export function scopeList(value: string | readonly string[] | undefined): string[] | null {
  if (value === undefined) return null;
  const items = typeof value === 'string' ? value.split(/[\s,]+/) : [...value];
  return items.map((scope) => scope.trim()).filter((scope) => scope !== '');
}

interface TokenRequest {
  readonly form: Record<string, string>;
  readonly credential?: { header: string; value: string };
}

/** How each provider authenticates the client at its token endpoint. */
function withClient(entry: ProviderView, clientSecret: string | null, form: Record<string, string>): TokenRequest {
  const clientId = entry.oauth.clientId ?? '';
  if (entry.kind === 'bitbucket-cloud') {
    // §4.1: the consumer's key and secret in Basic authentication, not in the body.
    return { form, credential: { header: 'authorization', value: `Basic ${Buffer.from(`${clientId}:${clientSecret ?? ''}`, 'utf8').toString('base64')}` } };
  }
  // Entra and GitLab: the secret only for a confidential client (a public one must not send it); GitHub and Bitbucket DC always.
  return { form: { ...form, client_id: clientId, ...(clientSecret === null ? {} : { client_secret: clientSecret }) } };
}

async function postToken(entry: ProviderView, organization: string | null, request: TokenRequest, deps: ExchangeDeps, doing: string): Promise<{ answer: HttpAnswer; granted: z.infer<typeof tokenAnswerSchema> | null; refusal: z.infer<typeof tokenErrorSchema> | null }> {
  const url = oauthUrls(entry, organization, deps.endpoints).token;
  const client = httpClient(deps.http);
  try {
    const outcome = await probe(client, {
      method: 'POST',
      url,
      accept: 'application/json',
      form: request.form,
      ...(request.credential ? { credential: request.credential } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    if (!outcome.ok) throw networkError(entry, outcome, doing);
    // GitHub answers refusals with 200 and an `error` field (§2.1): look for it first.
    const refusal = tokenErrorSchema.safeParse(outcome.json);
    if (refusal.success) return { answer: outcome, granted: null, refusal: refusal.data };
    const granted = outcome.status === 200 ? tokenAnswerSchema.safeParse(outcome.json) : null;
    return { answer: outcome, granted: granted?.success ? granted.data : null, refusal: null };
  } finally {
    void client.close();
  }
}

function unreadable(entry: ProviderView, answer: HttpAnswer): PaddockError {
  const name = catalogueEntry(entry.kind).displayName;
  if (answer.status >= 500) return new PaddockError('unreachable', `${name} at ${entry.host} answered with a server error (${answer.status}). Try again later.`, undefined, { host: entry.host });
  return new PaddockError(
    'unreachable',
    `${name} at ${entry.host} gave an answer Paddock cannot read at its token endpoint (${answer.status}${answer.html ? ', a web page' : ''}). Check the host, or try again later.`,
    undefined,
    { host: entry.host },
  );
}

/** A token answer whose token_type is not bearer: Paddock sends tokens only as `Authorization: Bearer`, so it keeps none. */
function notBearer(entry: ProviderView, organization: string | null, doing: string): PaddockError {
  const name = catalogueEntry(entry.kind).displayName;
  return new PaddockError(
    'forbidden',
    `${name} at ${entry.host} answered with a token that is not a bearer token, which Paddock cannot use, so ${doing}. Try again; if it keeps failing, the runner’s admin checks the OAuth registration for ${entry.host}.`,
    undefined,
    { host: entry.host, ...(organization ? { organization } : {}), providerCode: 'token_type' },
  );
}

function grantedToken(granted: z.infer<typeof tokenAnswerSchema>, now: Date): GrantedToken {
  const seconds = expiresInSeconds(granted.expires_in);
  return {
    token: granted.access_token,
    refreshToken: granted.refresh_token ?? null,
    expiresAt: seconds === null ? null : new Date(now.getTime() + seconds * 1000).toISOString(),
    scopes: scopeList(granted.scopes ?? granted.scope),
    idToken: granted.id_token ?? null,
  };
}

export interface CodeExchange {
  readonly code: string;
  readonly redirectUri: string;
  /** The attempt's PKCE verifier, or null when the provider takes none. */
  readonly verifier: string | null;
}

/** Exchanges an authorization code for tokens (point 2). */
export async function exchangeCode(entry: ProviderView, organization: string | null, exchange: CodeExchange, deps: ExchangeDeps): Promise<GrantedToken> {
  const form: Record<string, string> = { grant_type: 'authorization_code', code: exchange.code };
  // Bitbucket Cloud's token request has no redirect_uri (§4.1); every other one repeats it exactly (RFC 6749 §4.1.3).
  if (entry.kind !== 'bitbucket-cloud') form.redirect_uri = exchange.redirectUri;
  if (exchange.verifier !== null) form.code_verifier = exchange.verifier;
  // Entra's v2 endpoint takes the scopes again (§1.3).
  if (entry.kind === 'azure-devops') form.scope = oauthScopeParameter(entry.kind);
  const context: OAuthErrorContext = { entry, organization, redirectUri: exchange.redirectUri };
  const { answer, granted, refusal } = await postToken(entry, organization, withClient(entry, deps.clientSecret, form), deps, 'the sign-in could not be completed');
  if (refusal) throw exchangeRefusal(context, refusal.error, refusal.error_description ?? null);
  if (!granted) throw unreadable(entry, answer);
  if (!isBearer(granted.token_type)) throw notBearer(entry, organization, 'nothing was connected');
  return grantedToken(granted, deps.now?.() ?? new Date());
}

function exchangeRefusal(context: OAuthErrorContext, error: string, description: string | null): PaddockError {
  const name = catalogueEntry(context.entry.kind).displayName;
  if (error === 'invalid_client' || error === 'incorrect_client_credentials' || error === 'unauthorized_client') return clientRefused(context, error, description);
  if (error === 'redirect_uri_mismatch' || /AADSTS50011/.test(description ?? '')) return redirectMismatch(context, /AADSTS50011/.test(description ?? '') ? 'AADSTS50011' : error);
  if (error === 'invalid_grant' || error === 'bad_verification_code') {
    return new PaddockError(
      'reconnect-needed',
      `${name} did not accept the sign-in code (${/AADSTS\d+/.exec(description ?? '')?.[0] ?? error}): it had expired or was already used. Connect again.`,
      undefined,
      { host: context.entry.host, ...(context.organization ? { organization: context.organization } : {}), providerCode: error },
    );
  }
  return oauthRefusal(context, error, description);
}

/** Codes that mean the refresh token is gone for good: the user connects again. */
const refreshGone = /AADSTS(700082|70043|50173|70008|700084|50078)\b/;

/**
 * Uses a stored OAuth token's refresh token (PRODUCT A4). Throws
 * PaddockError('reconnect-needed') when the provider refuses the refresh,
 * 'unreachable' / 'timeout' for network problems.
 */
export async function refreshOAuthToken(
  entry: ProviderView,
  stored: StoredToken,
  deps: { clientSecret: string | null; http?: HttpClientOptions; endpoints?: Readonly<Record<string, string>>; signal?: AbortSignal; now?: () => Date },
): Promise<RefreshedToken> {
  const name = catalogueEntry(entry.kind).displayName;
  const reconnect = (providerCode: string, why: string) =>
    new PaddockError('reconnect-needed', `${name} no longer accepts this connection for ${stored.organization ? `the organization ${stored.organization}` : entry.host} (${providerCode}): ${why} Connect again.`, undefined, {
      host: entry.host,
      ...(stored.organization ? { organization: stored.organization } : {}),
      providerCode,
    });
  if (stored.method !== 'oauth' || stored.refreshToken === null) throw reconnect('no-refresh-token', 'the token cannot be renewed.');
  const form: Record<string, string> = { grant_type: 'refresh_token', refresh_token: stored.refreshToken };
  if (entry.kind === 'azure-devops') form.scope = oauthScopeParameter(entry.kind);
  const context: OAuthErrorContext = { entry, organization: stored.organization, redirectUri: null };
  const { answer, granted, refusal } = await postToken(entry, stored.organization, withClient(entry, deps.clientSecret, form), deps, 'the token could not be renewed');
  if (refusal) {
    const code = /AADSTS\d+/.exec(refusal.error_description ?? '')?.[0] ?? refusal.error;
    if (refusal.error === 'invalid_client' || refusal.error === 'unauthorized_client') throw clientRefused(context, refusal.error, refusal.error_description ?? null);
    if (refusal.error === 'invalid_grant' || refreshGone.test(refusal.error_description ?? '')) {
      throw reconnect(code, /700082|70043|50173/.test(code) ? 'the sign-in has expired (inactivity or your organization’s sign-in frequency).' : 'the renewal was refused (revoked, expired or already used).');
    }
    throw reconnect(code, 'the renewal was refused.');
  }
  if (!granted) {
    if (answer.status === 400 || answer.status === 401) throw reconnect(String(answer.status), 'the renewal was refused.');
    throw unreadable(entry, answer);
  }
  if (!isBearer(granted.token_type)) throw notBearer(entry, stored.organization, 'the token was not renewed');
  const fresh = grantedToken(granted, deps.now?.() ?? new Date());
  return {
    token: fresh.token,
    // GitLab and Bitbucket DC rotate (the old one is then refused); Entra may return a new one; otherwise keep the old.
    refreshToken: fresh.refreshToken ?? stored.refreshToken,
    expiresAt: fresh.expiresAt,
    scopes: fresh.scopes ?? stored.scopes,
  };
}
