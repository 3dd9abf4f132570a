import { createOAuthServer, errorPage, formBody, pressAuthorize, redirectTo } from './oauth';
import type { AccessGrant, AuthorizeOutcome, OAuthClientRegistration, PendingAuthorization } from './oauth';
import { startSimulator, segmentsOf } from './simulator';
import type { SimulatedUser, SimulatorResponse, Simulator } from './simulator';

// Microsoft Entra ID simulator (login.microsoftonline.com), for Azure DevOps
// Services: the tenant's OpenID configuration document at
// /{tenant}/v2.0/.well-known/openid-configuration (Microsoft identity
// platform docs, v2-protocols-oidc.md) with the authorization and token
// endpoints of SCM-PROTOCOLS §1.3 for that tenant. Its host is this
// simulator's origin, so the endpoints point back here.
//
// Not from the spec: the issuer of the "organizations" and "common"
// documents carries the literal placeholder {tenantid} (as Entra's
// multi-tenant documents do), and an unknown tenant gets 400 with
// error "invalid_tenant" (a simulator choice; validation should treat any
// answer other than a well-formed document as "tenant not found").
//
// The authorization code flow of §1.3 (with GIT-AND-DESKTOP §3.1, §3.7,
// §4.3): GET /{tenant}/oauth2/v2.0/authorize shows a consent page with
// Authorize and Deny; POST /{tenant}/oauth2/v2.0/token (form body) redeems
// the code or a refresh token. Checks, and where each refusal is answered,
// are listed in README.md ("OAuth"); the AADSTS codes are the spec's where
// it names one (50011, 50194, 65001, 50020, 700082, 70011, 7000218,
// 700025, 501481) and the simulator's choice otherwise (marked below).

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The failures failOAuth switches on (README.md, "OAuth": where each is answered). */
export type EntraOAuthFailure = 'consent-required' | 'guest-account' | 'invalid-scope' | 'redirect-mismatch' | 'refresh-expired' | 'other-tenant';

/** The tenant of the ID token the 'other-tenant' failure issues (a directory the simulator does not otherwise know). */
export const OTHER_ENTRA_TENANT = 'b0b0b0b0-1c1c-4d2d-8e3e-4f4f4f4f4f4f';

export interface EntraSimulatorOptions {
  /** Tenant ids (GUIDs) that exist; "organizations" and "common" always do. */
  readonly tenants: readonly string[];
  /** App registrations (Entra: confidential when it has a secret; `tenant` is the app's home tenant). */
  readonly clients?: readonly OAuthClientRegistration[];
  /** The person who signs in on the authorize page (named in the ID token). */
  readonly user?: SimulatedUser;
  /** The user's home tenant: the ID token's `tid` on /organizations and /common (default: the first of `tenants`). */
  readonly userTenant?: string;
  /** Answer for these tenants with a document whose issuer names another tenant (a wrong answer validation must catch). */
  readonly wrongIssuerFor?: readonly string[];
}

export interface EntraSimulator extends Simulator {
  addTenant(tenant: string): void;
  removeTenant(tenant: string): void;
  /** The document this simulator serves for a tenant (what a test expects to read). */
  openidConfiguration(tenant: string): { issuer: string; authorization_endpoint: string; token_endpoint: string; jwks_uri: string };
  /** Opens an authorize URL and presses Authorize ("allow") or Deny: the redirect that follows, or the page. */
  authorize(url: string, choice: 'allow' | 'deny'): Promise<AuthorizeOutcome>;
  /** Switches one of Entra's failures on, or off with null. */
  failOAuth(failure: EntraOAuthFailure | null): void;
  /** Moves the simulator's clock on (codes live 10 minutes, access tokens an hour). */
  advance(ms: number): void;
  /** The grant of a valid access token this simulator issued, else null (for the Azure DevOps simulator). */
  accessGrant(token: string): AccessGrant | null;
}

/** The Azure DevOps resource (§1.3) and the scopes of its two spellings that the simulator knows. */
export const azureDevOpsResource = '499b84ac-1321-427f-aa17-267ca6975798';
const resourcePrefixes = [`${azureDevOpsResource}/`, 'https://app.vssps.visualstudio.com/'];
const openIdScopes = new Set(['openid', 'profile', 'email', 'offline_access']);
// §1.2 names the vso.* scopes; which of them exist is the simulator's list (the common ones and .default).
const resourceScopes = new Set(['.default', 'vso.code', 'vso.code_write', 'vso.code_manage', 'vso.code_full', 'vso.profile', 'vso.project', 'vso.work']);

/** Whether a scope names the Azure DevOps resource (what its APIs accept a token for). */
export function isAzureDevOpsScope(scope: string): boolean {
  return resourcePrefixes.some((prefix) => scope.startsWith(prefix));
}

function knownScope(scope: string): boolean {
  if (openIdScopes.has(scope)) return true;
  const prefix = resourcePrefixes.find((candidate) => scope.startsWith(candidate));
  return prefix !== undefined && resourceScopes.has(scope.slice(prefix.length));
}

/** Entra's error body: error, and error_description starting with the AADSTS code (§1.3). */
function tokenError(status: number, error: string, code: string, text: string): SimulatorResponse {
  return {
    status,
    json: { error, error_description: `${code}: ${text}`, error_codes: [Number(code.slice(6))], timestamp: new Date().toISOString(), trace_id: '00000000-0000-0000-0000-000000000000' },
  };
}

// Entra's redirect URI matching (GIT-AND-DESKTOP §3.1, reply-url.md): for
// http://localhost (and http://127.0.0.1, registered through the manifest)
// "the port component … is ignored"; every other URI matches exactly.
function entraRedirectMatches(registered: string, presented: string): boolean {
  if (registered === presented) return true;
  try {
    const a = new URL(registered);
    const b = new URL(presented);
    if (a.protocol !== 'http:' || b.protocol !== 'http:' || a.hostname !== b.hostname || (a.hostname !== 'localhost' && a.hostname !== '127.0.0.1')) return false;
    a.port = '';
    b.port = '';
    return a.toString() === b.toString();
  } catch {
    return false;
  }
}

function fakeIdToken(claims: Record<string, unknown>): string {
  // Shaped as a JWT so a client can read the claims; the signature is not a real one (the simulator publishes no keys).
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ typ: 'JWT', alg: 'RS256', kid: 'simulator' })}.${part(claims)}.${Buffer.from('simulated-signature').toString('base64url')}`;
}

export async function startEntraSimulator(options: EntraSimulatorOptions): Promise<EntraSimulator> {
  const tenants = new Set(options.tenants.map((tenant) => tenant.toLowerCase()));
  const wrongIssuer = new Set((options.wrongIssuerFor ?? []).map((tenant) => tenant.toLowerCase()));
  let origin = '';

  const documentFor = (tenant: string) => {
    const issuerTenant = tenant === 'organizations' || tenant === 'common' ? '{tenantid}' : tenant;
    const base = `${origin}/${tenant}`;
    return {
      issuer: wrongIssuer.has(tenant) ? `${origin}/00000000-0000-0000-0000-00000000beef/v2.0` : `${origin}/${issuerTenant}/v2.0`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      token_endpoint: `${base}/oauth2/v2.0/token`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
    };
  };

  const oauth = createOAuthServer<EntraOAuthFailure>(options.clients ?? []);
  const user = options.user ?? { username: 'sam', displayName: 'Sam Example', email: 'sam@example.test' };
  const tenantOf = (raw: string) => (guidPattern.test(raw) ? raw.toLowerCase() : raw);
  const tenantExists = (tenant: string) => tenant === 'organizations' || tenant === 'common' || tenant === 'consumers' || tenants.has(tenant);

  /** The app for a client_id on this tenant path, or Entra's refusal (an AADSTS code and its text). */
  const appFor = (clientId: string | null, tenant: string): OAuthClientRegistration | { code: string; text: string } => {
    const client = clientId === null ? undefined : oauth.clients.get(clientId);
    // AADSTS700016 (application not found in the directory) is not in the spec: the simulator's code.
    if (!client) return { code: 'AADSTS700016', text: `Application with identifier '${clientId ?? ''}' was not found in the directory.` };
    const multiTenantPath = tenant === 'organizations' || tenant === 'common';
    // GIT-AND-DESKTOP §3.7: AADSTS50194, a single-tenant app used with /common (and, the simulator's reading, /organizations).
    if (multiTenantPath && !client.multiTenant) return { code: 'AADSTS50194', text: `Application '${client.clientId}' is not configured as a multi-tenant application. Use a tenant-specific endpoint.` };
    if (!multiTenantPath && !client.multiTenant && client.tenant !== undefined && client.tenant.toLowerCase() !== tenant) {
      return { code: 'AADSTS700016', text: `Application with identifier '${client.clientId}' was not found in the directory '${tenant}'.` };
    }
    return client;
  };
  const signInError = (code: string, text: string) => errorPage(400, 'Sorry, but we’re having trouble signing you in.', `${code}: ${text}`);

  const authorize = (url: URL, rawTenant: string): SimulatorResponse => {
    const tenant = tenantOf(rawTenant);
    if (!tenantExists(tenant)) return signInError('AADSTS90002', `Tenant '${rawTenant}' not found. (simulator)`);
    const query = url.searchParams;
    const app = appFor(query.get('client_id'), tenant);
    if (!('clientId' in app)) return signInError(app.code, app.text);
    const redirectUri = query.get('redirect_uri');
    // A redirect URI the registration does not list is shown on the page (Entra cannot send the answer to it): AADSTS50011.
    if (oauth.failure() === 'redirect-mismatch' || redirectUri === null || !app.redirectUris.some((registered) => entraRedirectMatches(registered, redirectUri))) {
      return signInError('AADSTS50011', `The redirect URI '${redirectUri ?? ''}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'.`);
    }
    const state = query.get('state');
    const fail = (error: string, code: string, text: string) => redirectTo(redirectUri, { error, error_description: `${code}: ${text}`, state });
    if (query.get('response_type') !== 'code') return fail('unsupported_response_type', 'AADSTS70005', "The response_type 'code' is required. (simulator)");
    // Paddock always sends state (decisions); Entra does not require it, the simulator does, to catch a client that forgets it.
    if (state === null || state === '') return signInError('AADSTS900144', "The request body must contain the following parameter: 'state'. (simulator: Entra does not require it; Paddock always sends one)");
    const scopes = (query.get('scope') ?? '').split(' ').filter((scope) => scope !== '');
    const unknown = scopes.find((scope) => !knownScope(scope));
    if (oauth.failure() === 'invalid-scope' || scopes.length === 0 || unknown !== undefined) {
      return fail('invalid_scope', 'AADSTS70011', `The provided value for the input parameter 'scope' is not valid. The scope '${unknown ?? scopes.join(' ')}' does not exist.`);
    }
    const challenge = query.get('code_challenge');
    const method = query.get('code_challenge_method') ?? (challenge === null ? null : 'plain');
    if (method !== null && method !== 'S256' && method !== 'plain') return fail('invalid_request', 'AADSTS501491', 'Invalid code_challenge_method. (simulator code)');
    if (oauth.failure() === 'consent-required') {
      // GIT-AND-DESKTOP §3.7 AADSTS65001; sending it back by redirect with error consent_required is the simulator's choice.
      return fail('consent_required', 'AADSTS65001', "The user or administrator hasn't consented to use the application. Send an interactive authorization request for this user and resource.");
    }
    if (oauth.failure() === 'guest-account') {
      // GIT-AND-DESKTOP §3.7 AADSTS50020; the redirect and error value are the simulator's choice.
      return fail('access_denied', 'AADSTS50020', `User account '${user.email}' from identity provider 'live.com' does not exist in tenant '${tenant}' and cannot access the application '${app.clientId}' in that tenant. This account needs to be added as an external user in the tenant first.`);
    }
    const pending: PendingAuthorization = {
      client: app,
      redirectUri,
      redirectUriParameter: redirectUri,
      scopes,
      state,
      codeChallenge: challenge,
      codeChallengeMethod: method as 'S256' | 'plain' | null,
      extra: { tenant },
    };
    return oauth.consentPage('Microsoft', pending);
  };

  const userTenant = (options.userTenant ?? options.tenants[0] ?? OTHER_ENTRA_TENANT).toLowerCase();
  const issue = (client: OAuthClientRegistration, scopes: readonly string[], tenant: string): SimulatorResponse => {
    const tokens = oauth.issue({ clientId: client.clientId, scopes, extra: { tenant } }, { lifetimeSeconds: 3600, refresh: scopes.includes('offline_access'), tokenPrefix: 'eyJ0eXAiOiJKV1Qi.sim_' });
    // As Entra's v2 ID tokens: `tid` the tenant the user signed in to (the path's; a member's home tenant on
    // /organizations and /common), `iss` that tenant's issuer (this simulator's origin stands for
    // login.microsoftonline.com, as in its OpenID configuration), `aud` the app's client id. The
    // 'other-tenant' failure names another directory, as an answer the runner must not trust would.
    const signedInTenant = oauth.failure() === 'other-tenant' ? OTHER_ENTRA_TENANT : guidPattern.test(tenant) ? tenant : userTenant;
    return {
      status: 200,
      headers: { 'Cache-Control': 'no-store' },
      json: {
        token_type: 'Bearer',
        scope: scopes.join(' '),
        expires_in: tokens.expiresIn,
        ext_expires_in: tokens.expiresIn,
        access_token: tokens.accessToken,
        ...(tokens.refreshToken === null ? {} : { refresh_token: tokens.refreshToken }),
        ...(scopes.includes('openid')
          ? { id_token: fakeIdToken({ aud: client.clientId, iss: `${origin}/${signedInTenant}/v2.0`, tid: signedInTenant, name: user.displayName, preferred_username: user.email, oid: '6a1f7c9e-2b4d-4e8f-9a0b-1c2d3e4f5a6b' }) }
          : {}),
      },
    };
  };

  const token = (rawTenant: string, headers: Record<string, unknown>, body: string): SimulatorResponse => {
    const tenant = tenantOf(rawTenant);
    if (!tenantExists(tenant)) return tokenError(400, 'invalid_request', 'AADSTS90002', `Tenant '${rawTenant}' not found. (simulator)`);
    // §1.3: a form body. Anything else has no parameters Entra can read (the code is the simulator's).
    if (!String(headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return tokenError(400, 'invalid_request', 'AADSTS900144', "The request body must contain the following parameter: 'grant_type'.");
    }
    const form = formBody(body);
    const app = appFor(form.get('client_id'), tenant);
    if (!('clientId' in app)) return tokenError(app.code === 'AADSTS50194' ? 400 : 401, app.code === 'AADSTS50194' ? 'invalid_request' : 'invalid_client', app.code, app.text);
    // §1.3 / GIT-AND-DESKTOP §3.1: client_secret only for confidential apps; a public client must not send one.
    const secret = form.get('client_secret');
    if (app.clientSecret === undefined && secret !== null) return tokenError(401, 'invalid_client', 'AADSTS700025', "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.");
    if (app.clientSecret !== undefined && secret === null) return tokenError(401, 'invalid_client', 'AADSTS7000218', "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    // AADSTS7000215 (invalid secret) is not in the spec: the simulator's code.
    if (app.clientSecret !== undefined && secret !== app.clientSecret) return tokenError(401, 'invalid_client', 'AADSTS7000215', 'Invalid client secret provided.');
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const redemption = oauth.redeemCode(form.get('code') ?? '', { clientId: app.clientId, redirectUri: form.get('redirect_uri'), verifier: form.get('code_verifier') });
      if (!redemption.ok) {
        switch (redemption.reason) {
          case 'verifier':
          case 'verifier-missing':
            return tokenError(400, 'invalid_grant', 'AADSTS501481', 'The Code_Verifier does not match the code_challenge supplied in the authorization request.');
          case 'redirect':
            return tokenError(400, 'invalid_grant', 'AADSTS50011', 'The redirect URI does not match the one the authorization code was issued for. (simulator)');
          default:
            // Reused, expired, unknown, or another client's code; AADSTS70008 is the simulator's code for all of them.
            return tokenError(400, 'invalid_grant', 'AADSTS70008', 'The provided authorization code or refresh token has expired due to inactivity, was already redeemed, or was not issued to this client.');
        }
      }
      // A code answers only on the tenant path it was issued under (the simulator's choice).
      if (redemption.pending.extra?.tenant !== tenant) return tokenError(400, 'invalid_grant', 'AADSTS70008', 'The authorization code was issued for another tenant endpoint. (simulator)');
      return issue(app, redemption.pending.scopes, tenant);
    }
    if (grantType === 'refresh_token') {
      if (oauth.failure() === 'refresh-expired') oauth.revokeRefreshTokens();
      // §1.3: "Refresh tokens aren't revoked when used": the old one stays valid, a new one is issued.
      const redemption = oauth.redeemRefresh(form.get('refresh_token') ?? '', app.clientId, 'keep');
      if (!redemption.ok) {
        return tokenError(400, 'invalid_grant', 'AADSTS700082', 'The refresh token has expired due to inactivity. The token was issued and was inactive for a long time.');
      }
      const asked = (form.get('scope') ?? '').split(' ').filter((scope) => scope !== '');
      const scopes = asked.length === 0 ? redemption.grant.scopes : asked;
      if (scopes.some((scope) => !knownScope(scope))) return tokenError(400, 'invalid_scope', 'AADSTS70011', "The provided value for the input parameter 'scope' is not valid.");
      return issue(app, scopes, tenant);
    }
    return tokenError(400, 'unsupported_grant_type', 'AADSTS70003', `The app requested an unsupported grant type '${grantType ?? ''}'. (simulator code)`);
  };

  const simulator = await startSimulator([
    oauth.decisionRoute,
    ({ method, url, headers, body }) => {
      const segments = segmentsOf(url);
      if (!segments || segments.length !== 4 || segments[1] !== 'oauth2' || segments[2] !== 'v2.0') return null;
      if (method === 'GET' && segments[3] === 'authorize') return authorize(url, segments[0]!);
      if (method === 'POST' && segments[3] === 'token') return token(segments[0]!, headers, body);
      return null;
    },
    ({ method, url }) => {
      const segments = segmentsOf(url);
      if (method !== 'GET' || !segments || segments.length !== 4) return null;
      const [rawTenant, version, wellKnown, document] = segments as [string, string, string, string];
      if (version !== 'v2.0' || wellKnown !== '.well-known' || document !== 'openid-configuration') return null;
      const tenant = guidPattern.test(rawTenant) ? rawTenant.toLowerCase() : rawTenant;
      if (tenant !== 'organizations' && tenant !== 'common' && !tenants.has(tenant)) {
        return {
          status: 400,
          json: { error: 'invalid_tenant', error_description: `Tenant '${rawTenant}' not found. (simulator)` },
        };
      }
      return { status: 200, json: documentFor(tenant) };
    },
  ]);
  origin = simulator.origin;

  return {
    ...simulator,
    addTenant(tenant) {
      tenants.add(tenant.toLowerCase());
    },
    removeTenant(tenant) {
      tenants.delete(tenant.toLowerCase());
    },
    openidConfiguration: (tenant) => documentFor(guidPattern.test(tenant) ? tenant.toLowerCase() : tenant),
    authorize: (url, choice) => pressAuthorize(url, simulator.ca, choice),
    failOAuth: (failure) => oauth.setFailure(failure),
    advance: (ms) => oauth.advance(ms),
    accessGrant: (token) => oauth.accessGrant(token),
  };
}
