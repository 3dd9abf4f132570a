import { createHash, randomBytes } from 'node:crypto';
import https from 'node:https';
import type { SimulatorResponse, SimulatorRoute } from './simulator';

// The shared half of the simulated OAuth authorization servers: registered
// clients, the consent page with its Authorize and Deny buttons (plain
// forms, no script), authorization codes (single use, short-lived, bound
// to client, redirect URI and PKCE challenge), access and refresh tokens,
// a clock tests can move, and a switch for the provider's failures. What
// each provider checks, and how it answers a refusal, lives in its own
// file (entra.ts, github.ts, …), following spec/SCM-PROTOCOLS.md; see
// README.md for which parts are the spec's and which are the simulator's.

/** An OAuth app registered with the simulated provider. */
export interface OAuthClientRegistration {
  readonly clientId: string;
  /** The client secret; none for a public client. */
  readonly clientSecret?: string;
  /** The registered redirect (callback) URIs, as an admin entered them. */
  readonly redirectUris: readonly string[];
  /** The app's name, shown on the consent page. */
  readonly name: string;
  /** For providers whose scopes are set on the registration (Bitbucket Cloud): the scopes every token gets. */
  readonly scopes?: readonly string[];
  /** Entra: the tenant the app is registered in. */
  readonly tenant?: string;
  /** Entra: whether accounts of other tenants may sign in ("organizations"/"common" allowed). */
  readonly multiTenant?: boolean;
}

/** What the consent page is asked to grant, once the provider's checks passed. */
export interface PendingAuthorization {
  readonly client: OAuthClientRegistration;
  /** Where the answer goes (the presented redirect_uri, or the registered one when none was sent). */
  readonly redirectUri: string;
  /** The redirect_uri parameter as sent (null when absent): the token request must repeat it. */
  readonly redirectUriParameter: string | null;
  readonly scopes: readonly string[];
  readonly state: string | null;
  readonly codeChallenge: string | null;
  readonly codeChallengeMethod: 'S256' | 'plain' | null;
  /** Anything the provider wants back at the token endpoint (Entra: the tenant). */
  readonly extra?: Readonly<Record<string, string>>;
}

export interface AccessGrant {
  readonly clientId: string;
  readonly scopes: readonly string[];
  /** Expiry on the simulator's clock (ms), or null for a token without one (GitHub OAuth apps). */
  readonly expiresAt: number | null;
  readonly extra?: Readonly<Record<string, string>>;
}

export type CodeRedemption =
  | { readonly ok: true; readonly pending: PendingAuthorization }
  | { readonly ok: false; readonly reason: 'unknown' | 'used' | 'expired' | 'client' | 'redirect' | 'verifier-missing' | 'verifier' };

export type RefreshRedemption =
  | { readonly ok: true; readonly grant: AccessGrant }
  | { readonly ok: false; readonly reason: 'unknown' | 'used' | 'client' | 'revoked' };

export interface IssuedTokens {
  readonly accessToken: string;
  readonly refreshToken: string | null;
  /** Seconds, or null without expiry. */
  readonly expiresIn: number | null;
}

/** What pressing a button (or the GET alone) led to. */
export type AuthorizeOutcome =
  /** A redirect: to the app's redirect URI (with code or error and state), or wherever the provider sent it. */
  | { readonly kind: 'redirect'; readonly location: string }
  /** An answer on the page itself (an error the provider does not send to the app). */
  | { readonly kind: 'page'; readonly status: number; readonly text: string };

/** The path the consent page's buttons post to (the simulator's choice; real providers each have their own). */
export const decisionPath = '/_simulator/oauth/decision';

const codeLifetimeMs = 10 * 60 * 1000; // GitHub §2.1 "Code expires after 10 min"; Entra §1.3 "Auth codes ~10 min".

/** The S256 code_challenge for a verifier (RFC 7636 §4.2). */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** An HTML page with a status: how providers show errors they do not redirect. */
export function errorPage(status: number, title: string, message: string): SimulatorResponse {
  return {
    status,
    headers: { 'Content-Type': 'text/html; charset=utf-8' },
    text: `<!doctype html><html><head><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`,
  };
}

/** A 302 to `uri` with these query parameters added (null values left out). */
export function redirectTo(uri: string, parameters: Readonly<Record<string, string | null>>): SimulatorResponse {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(parameters)) if (value !== null) url.searchParams.set(name, value);
  return { status: 302, headers: { Location: url.toString() }, text: '' };
}

/** The parameters of a form-encoded body. */
export function formBody(body: string): URLSearchParams {
  return new URLSearchParams(body);
}

/** Whether two URIs are the same but for the port (for loopback redirects, whose port RFC 8252 §7.3 lets vary). */
export function sameExceptPort(registered: string, presented: string): boolean {
  try {
    const a = new URL(registered);
    const b = new URL(presented);
    a.port = '';
    b.port = '';
    return a.toString() === b.toString();
  } catch {
    return false;
  }
}

export interface OAuthServer<Failure extends string> {
  readonly clients: Map<string, OAuthClientRegistration>;
  /** Milliseconds on the simulator's clock (real time plus what advance() added). */
  now(): number;
  /** Moves the clock on: codes and access tokens expire as if that much time had passed. */
  advance(ms: number): void;
  failure(): Failure | null;
  setFailure(failure: Failure | null): void;
  /** The consent page for a checked request: the app, the scopes, an Authorize and a Deny button. */
  consentPage(provider: string, pending: PendingAuthorization): SimulatorResponse;
  /** The route that answers the page's buttons. */
  readonly decisionRoute: SimulatorRoute;
  redeemCode(code: string, check: { clientId: string; redirectUri: string | null; verifier: string | null }): CodeRedemption;
  issue(grant: Omit<AccessGrant, 'expiresAt'>, options: { lifetimeSeconds: number | null; refresh: boolean; tokenPrefix: string }): IssuedTokens;
  /** Redeems a refresh token: "rotate" makes it (and its access token) unusable afterwards; "keep" leaves it valid. */
  redeemRefresh(token: string, clientId: string, mode: 'rotate' | 'keep'): RefreshRedemption;
  /** Revokes every refresh token issued so far (an expired or revoked grant). */
  revokeRefreshTokens(): void;
  /** The grant of a valid access token, else null. */
  accessGrant(token: string): AccessGrant | null;
}

export function createOAuthServer<Failure extends string>(clients: readonly OAuthClientRegistration[]): OAuthServer<Failure> {
  const registered = new Map(clients.map((client) => [client.clientId, client]));
  let offset = 0;
  let failure: Failure | null = null;
  const now = () => Date.now() + offset;
  const pendings = new Map<string, PendingAuthorization>();
  const codes = new Map<string, { pending: PendingAuthorization; expiresAt: number; used: boolean }>();
  const accessTokens = new Map<string, AccessGrant>();
  const refreshTokens = new Map<string, { grant: Omit<AccessGrant, 'expiresAt'>; lifetimeSeconds: number | null; tokenPrefix: string; accessToken: string; used: boolean; revoked: boolean }>();
  const secret = (prefix: string) => `${prefix}${randomBytes(18).toString('base64url')}`;

  const server: OAuthServer<Failure> = {
    clients: registered,
    now,
    advance(ms) {
      offset += ms;
    },
    failure: () => failure,
    setFailure(next) {
      failure = next;
    },
    consentPage(provider, pending) {
      const id = secret('');
      pendings.set(id, pending);
      const scopes = pending.scopes.map((scope) => `<li>${escapeHtml(scope)}</li>`).join('');
      const hidden = `<input type="hidden" name="request" value="${id}">`;
      return {
        status: 200,
        headers: { 'Content-Type': 'text/html; charset=utf-8' },
        text:
          `<!doctype html><html><head><title>Authorize ${escapeHtml(pending.client.name)} – ${escapeHtml(provider)}</title></head><body>` +
          `<h1>${escapeHtml(pending.client.name)} wants to access your ${escapeHtml(provider)} account</h1>` +
          `<p>It asks for:</p><ul>${scopes}</ul>` +
          `<form method="post" action="${decisionPath}">${hidden}<button type="submit" name="decision" value="allow">Authorize</button></form>` +
          `<form method="post" action="${decisionPath}">${hidden}<button type="submit" name="decision" value="deny">Deny</button></form>` +
          `</body></html>`,
      };
    },
    decisionRoute: ({ method, url, body }) => {
      if (method !== 'POST' || url.pathname !== decisionPath) return null;
      const form = formBody(body);
      const pending = pendings.get(form.get('request') ?? '');
      if (!pending) return errorPage(400, 'Request expired', 'This authorization request is no longer valid. Start again from the app.');
      pendings.delete(form.get('request') ?? '');
      if (form.get('decision') !== 'allow') return redirectTo(pending.redirectUri, { error: 'access_denied', state: pending.state });
      const code = secret('');
      codes.set(code, { pending, expiresAt: now() + codeLifetimeMs, used: false });
      return redirectTo(pending.redirectUri, { code, state: pending.state });
    },
    redeemCode(code, check) {
      const entry = codes.get(code);
      if (!entry) return { ok: false, reason: 'unknown' };
      if (entry.used) return { ok: false, reason: 'used' };
      entry.used = true; // single use, whatever the outcome
      if (now() > entry.expiresAt) return { ok: false, reason: 'expired' };
      const { pending } = entry;
      if (pending.client.clientId !== check.clientId) return { ok: false, reason: 'client' };
      if (pending.redirectUriParameter !== null && check.redirectUri !== pending.redirectUriParameter) return { ok: false, reason: 'redirect' };
      if (pending.codeChallenge !== null) {
        if (check.verifier === null) return { ok: false, reason: 'verifier-missing' };
        const computed = pending.codeChallengeMethod === 'plain' ? check.verifier : pkceChallenge(check.verifier);
        if (computed !== pending.codeChallenge) return { ok: false, reason: 'verifier' };
      }
      return { ok: true, pending };
    },
    issue(grant, options) {
      const accessToken = secret(options.tokenPrefix);
      accessTokens.set(accessToken, { ...grant, expiresAt: options.lifetimeSeconds === null ? null : now() + options.lifetimeSeconds * 1000 });
      let refreshToken: string | null = null;
      if (options.refresh) {
        refreshToken = secret(`${options.tokenPrefix}r_`);
        refreshTokens.set(refreshToken, { grant, lifetimeSeconds: options.lifetimeSeconds, tokenPrefix: options.tokenPrefix, accessToken, used: false, revoked: false });
      }
      return { accessToken, refreshToken, expiresIn: options.lifetimeSeconds };
    },
    redeemRefresh(token, clientId, mode) {
      const entry = refreshTokens.get(token);
      if (!entry) return { ok: false, reason: 'unknown' };
      if (entry.revoked) return { ok: false, reason: 'revoked' };
      if (entry.used) return { ok: false, reason: 'used' };
      if (entry.grant.clientId !== clientId) return { ok: false, reason: 'client' };
      if (mode === 'rotate') {
        // GitLab §3.1: refreshing "invalidates the existing access_token and refresh_token".
        entry.used = true;
        accessTokens.delete(entry.accessToken);
      }
      return { ok: true, grant: { ...entry.grant, expiresAt: null } };
    },
    revokeRefreshTokens() {
      for (const entry of refreshTokens.values()) entry.revoked = true;
    },
    accessGrant(token) {
      const grant = accessTokens.get(token);
      if (!grant) return null;
      if (grant.expiresAt !== null && now() > grant.expiresAt) return null;
      return grant;
    },
  };
  return server;
}

function request(url: string, ca: string, options: { method: string; body?: string }): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = options.body === undefined ? {} : { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(Buffer.byteLength(options.body)) };
    const req = https.request(url, { method: options.method, ca, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * Opens an authorize URL as a browser would and presses Authorize or Deny
 * on the consent page by posting that button's form, as the page's HTML
 * gives it: the redirect that follows, or the page when there is no form
 * (an error shown to the person) or no redirect.
 */
export async function pressAuthorize(authorizeUrl: string, ca: string, choice: 'allow' | 'deny'): Promise<AuthorizeOutcome> {
  const page = await request(authorizeUrl, ca, { method: 'GET' });
  const location = page.headers.location;
  if (page.status >= 300 && page.status < 400 && typeof location === 'string') return { kind: 'redirect', location };
  const forms = [...page.text.matchAll(/<form method="post" action="([^"]+)">(.*?)<\/form>/g)];
  const form = forms.find((match) => match[2]!.includes(`value="${choice}"`));
  if (!form) return { kind: 'page', status: page.status, text: page.text };
  const fields = new URLSearchParams();
  for (const input of form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields.set(input[1]!, input[2]!);
  fields.set('decision', choice);
  const answer = await request(new URL(form[1]!, authorizeUrl).toString(), ca, { method: 'POST', body: fields.toString() });
  const next = answer.headers.location;
  if (answer.status >= 300 && answer.status < 400 && typeof next === 'string') return { kind: 'redirect', location: next };
  return { kind: 'page', status: answer.status, text: answer.text };
}
