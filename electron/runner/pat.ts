import { z } from 'zod';
import { PaddockError, type ErrorDetail } from '../common/errors';
import { openPat } from '../common/pat';
import type { ProviderView } from '../common/provider-config';
import { catalogueEntry, expandUrl, hostValues, tokenNameInSentence } from '../common/providers';
import type { ConnectPatRequest, TokenView } from '../common/runner-api';
import { rewriteEndpoint } from './providers/endpoints';
import { createHttpClient, HttpClientConfigError, probe, type HttpAnswer, type HttpClientOptions, type ProbeOutcome } from './providers/http';
import { ACCOUNT_NAME_MAX, accountNameOf, tokenView, type TokenStore } from './tokens';

// Personal access tokens pasted by users (PRODUCT A3, issue 9 point 4): the
// runner opens the sealed token, checks it against the provider's token
// check (the catalogue's `tokenCheck.pat`: identity; scopes and expiry where
// the provider reports them) and keeps it only if it passes. Errors name the
// field or the organization setting that refuses, never the token.

/** What a token check learnt about a token that passed. */
export interface PatIdentity {
  account: string | null;
  /** The scopes the provider reports; empty where it reports none. */
  scopes: string[];
  expiresAt: string | null;
}

export interface PatCheckOptions {
  readonly http?: HttpClientOptions;
  /** Development builds only: real origins moved onto simulators (as validate.ts). */
  readonly endpoints?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

/**
 * How long a token check may take: less than the app's 10 s for a runner's
 * answer, so that the user hears `timeout` naming the provider (and no token
 * is stored after the app gave up) rather than that the runner did not answer.
 */
export const PAT_CHECK_TIMEOUT_MS = 8_000;

export type PatChecker = (entry: ProviderView, organization: string | null, token: string) => Promise<PatIdentity>;

const refusedToken = (message: string) => new PaddockError('invalid-input', message, [{ path: 'token', message }]);

/**
 * Azure DevOps PAT policies (GIT-AND-DESKTOP.md §3.5–3.7: the
 * `*PolicyViolation` codes of GCM#2344 and the generated clients). The
 * restrict-creation policy is an organization policy (§3.6); the other
 * three are the tenant policies §1.4 of SCM-PROTOCOLS.md names, which
 * Microsoft's "manage PATs with policies" page puts under Microsoft Entra.
 */
const patPolicies: Record<string, { setting: string; where: string; url: boolean }> = {
  disablepatcreationpolicyviolation: { setting: 'Restrict personal access token (PAT) creation', where: 'Organization settings → Security → Policies', url: true },
  globalpatpolicyviolation: { setting: 'Restrict global personal access token creation', where: 'Organization settings → Microsoft Entra → Policies', url: false },
  fullscopepatpolicyviolation: { setting: 'Restrict full-scoped personal access token creation', where: 'Organization settings → Microsoft Entra → Policies', url: false },
  patlifespanpolicyviolation: { setting: 'Enforce maximum personal access token lifespan', where: 'Organization settings → Microsoft Entra → Policies', url: false },
};

/** The `*PolicyViolation` code in an Azure DevOps refusal, wherever the body carries it (typeKey, patTokenError or the message). */
export function policyViolationCode(text: string): string | null {
  return /\b([A-Za-z]+PolicyViolation)\b/.exec(text)?.[1] ?? null;
}

function policyBlocked(entry: ProviderView, organization: string | null, code: string): PaddockError {
  const known = patPolicies[code.toLowerCase()];
  const setting = known?.setting ?? 'a personal access token policy';
  const where = known?.where ?? 'Organization settings → Security → Policies';
  const scope = organization ? `The organization ${organization}` : `${entry.host}`;
  const other = entry.oauth.enabled ? ' Or connect with OAuth, which this runner also offers.' : '';
  const detail: ErrorDetail = {
    host: entry.host,
    providerCode: code,
    setting: `${where} → ${setting}`,
    ...(organization ? { organization } : {}),
    ...(known?.url && organization ? { settingUrl: `https://dev.azure.com/${encodeURIComponent(organization)}/_settings/organizationPolicy` } : {}),
  };
  return new PaddockError(
    'policy-blocked',
    `${scope} does not accept this personal access token: its policy “${setting}” refuses it (${code}). An administrator of the organization changes it in ${where}, or allows you there.${other}`,
    undefined,
    detail,
  );
}

// Account names (accountNameSchema: at most 200 characters, no control or
// format characters). GitHub's login and Bitbucket DC's X-AUSERNAME are the
// check's proof of whom the token is for: a name Paddock cannot keep refuses
// the token (unusableAccount; no real provider sends one). GitLab's username
// and Azure DevOps' names only label a token the check has already accepted:
// such a name is read as not reported (the next one, or none).
const connectionDataSchema = z.looseObject({
  authenticatedUser: z.looseObject({
    id: z.string().optional(),
    descriptor: z.string().optional(),
    /** Its presence says the identity is not anonymous; as the account it is bounded by accountNameOf. */
    providerDisplayName: z.string().optional(),
    isContainer: z.boolean().optional(),
    properties: z.looseObject({ Account: z.looseObject({ $value: z.string() }).optional() }).optional(),
  }),
});
const gitHubUserSchema = z.looseObject({ login: z.string().min(1) });
const gitLabSelfSchema = z.looseObject({
  scopes: z.array(z.string()),
  expires_at: z.string().nullable().optional(),
  active: z.boolean().optional(),
  revoked: z.boolean().optional(),
});
const gitLabUserSchema = z.looseObject({ username: z.string().min(1) });

/** GitHub's GitHub-Authentication-Token-Expiration ("2024-06-01 00:00:00 UTC", or with "+0900"), as ISO; null when unreadable. */
export function gitHubExpiry(value: string | null): string | null {
  const match = value ? /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) (UTC|[+-]\d{4})$/.exec(value.trim()) : null;
  if (!match) return null;
  const zone = match[3] === 'UTC' ? 'Z' : `${match[3]!.slice(0, 3)}:${match[3]!.slice(3)}`;
  const time = new Date(`${match[1]}T${match[2]}${zone}`);
  return Number.isNaN(time.getTime()) ? null : time.toISOString();
}

/** Checks a token against the entry's provider; throws a PaddockError when it does not pass. */
export async function checkPat(entry: ProviderView, organization: string | null, token: string, options: PatCheckOptions = {}): Promise<PatIdentity> {
  const rules = catalogueEntry(entry.kind);
  const check = rules.tokenCheck.pat;
  const name = rules.displayName;
  const unit = entry.kind === 'azure-devops' ? { organization: organization ?? '' } : entry.kind === 'azure-devops-server' ? { collection: entry.collections[0]?.name ?? '' } : {};
  const values = hostValues(entry.kind, entry.host, unit);
  const url = (template: string) => rewriteEndpoint(expandUrl(template, values), options.endpoints ?? {});

  let credential: { header: string; value: string };
  switch (check.auth) {
    case 'bearer':
    case 'bearer-or-basic':
      credential = { header: 'authorization', value: `Bearer ${token}` };
      break;
    case 'basic-empty-user':
      credential = { header: 'authorization', value: `Basic ${Buffer.from(`:${token}`, 'utf8').toString('base64')}` };
      break;
    case 'basic-email':
      // Bitbucket Cloud's API tokens authenticate with the account's email (§4.2), which this route does not take yet.
      throw new PaddockError('invalid-input', `${name} tokens are checked with the account’s email, which Paddock cannot take yet: connect with OAuth instead.`);
  }

  let client;
  try {
    client = createHttpClient(options.http);
  } catch (error) {
    if (error instanceof HttpClientConfigError) throw new PaddockError('internal', `The runner’s network settings are wrong: ${error.message}`);
    throw error;
  }
  const get = (target: string): Promise<ProbeOutcome> => probe(client, { method: 'GET', url: target, credential, ...(options.signal ? { signal: options.signal } : {}) });
  try {
    const answer = await get(url(check.url));
    const ok = passed(entry, organization, answer);
    switch (entry.kind) {
      case 'github':
        return gitHub(entry, ok);
      case 'gitlab': {
        const self = gitLabSelfSchema.safeParse(ok.json);
        if (!self.success) throw unexpected(entry, ok);
        if (self.data.active === false || self.data.revoked === true) throw refusedToken(`${name} says this token is no longer active (revoked or expired). Make a new one and paste it.`);
        missingScopes(entry, self.data.scopes);
        // personal_access_tokens/self has no user name: /user (the read_user scope, checked above) gives it.
        const user = await get(url('{apiBase}/user'));
        const parsedUser = user.ok && user.status === 200 ? gitLabUserSchema.safeParse(user.json) : null;
        const expires = self.data.expires_at ? new Date(`${self.data.expires_at.slice(0, 10)}T00:00:00Z`) : null;
        return {
          account: parsedUser?.success ? accountNameOf(parsedUser.data.username) : null,
          scopes: self.data.scopes,
          expiresAt: expires && !Number.isNaN(expires.getTime()) ? expires.toISOString() : null,
        };
      }
      case 'bitbucket-dc': {
        // The properties also answer without a token: only X-AUSERNAME says the token was taken (§4.3).
        const user = ok.header('x-ausername');
        if (!user) throw refusedToken(`${name} did not accept this token (it answered as for an anonymous user). Check that you copied all of it.`);
        if (accountNameOf(user) === null) throw unusableAccount(entry);
        return { account: user, scopes: [], expiresAt: null };
      }
      case 'azure-devops':
      case 'azure-devops-server': {
        const data = connectionDataSchema.safeParse(ok.json);
        const user = data.success ? data.data.authenticatedUser : null;
        // An anonymous or container identity means the token was not taken (third-party usage, §1.4).
        if (!user || user.isContainer || /anonymous/i.test(user.descriptor ?? '') || !user.providerDisplayName) {
          throw refusedToken(`${name} did not accept this token (it answered as for an anonymous user). Check that you copied all of it${organization ? ` and that it was made for ${organization}` : ''}.`);
        }
        // A personal access token cannot read its own scopes or expiry (§1.4).
        return { account: accountNameOf(user.properties?.Account?.$value) ?? accountNameOf(user.providerDisplayName), scopes: [], expiresAt: null };
      }
      case 'bitbucket-cloud':
        throw unexpected(entry, ok);
    }
  } finally {
    void client.close();
  }
}

/** A required account name (GitHub's login, Bitbucket DC's X-AUSERNAME) that Paddock cannot keep: the token is not kept. */
function unusableAccount(entry: ProviderView): PaddockError {
  return new PaddockError(
    'unreachable',
    `${catalogueEntry(entry.kind).displayName} at ${entry.host} reported an account name Paddock cannot keep (longer than ${ACCOUNT_NAME_MAX} characters, or with control characters), so the token was not kept. Try again later; if it keeps happening, the runner’s admin checks that ${entry.host} is the provider’s own address, not a proxy’s.`,
    undefined,
    { host: entry.host, providerCode: 'account-name' },
  );
}

function unexpected(entry: ProviderView, answer: HttpAnswer): PaddockError {
  return new PaddockError(
    'unreachable',
    `${catalogueEntry(entry.kind).displayName} at ${entry.host} gave an answer the token check cannot read (${answer.status}${answer.html ? ', a web page' : ''}). Check the host, or try again later.`,
    undefined,
    { host: entry.host },
  );
}

/** The answer when the provider took the token; a PaddockError for a network problem, a refusal or a policy. */
function passed(entry: ProviderView, organization: string | null, answer: ProbeOutcome): HttpAnswer {
  const name = catalogueEntry(entry.kind).displayName;
  if (!answer.ok) {
    const code = answer.kind === 'timeout' ? 'timeout' : 'unreachable';
    throw new PaddockError(code, `${name} at ${entry.host} cannot be reached from this runner, so the token was not checked: ${answer.message}`, undefined, { host: entry.host });
  }
  if (entry.kind === 'azure-devops' || entry.kind === 'azure-devops-server') {
    const code = answer.status >= 400 ? policyViolationCode(answer.text) : null;
    if (code) throw policyBlocked(entry, organization, code);
  }
  if (answer.status === 401 || answer.status === 403) {
    const made = organization ? `, that it was made for the organization ${organization}` : '';
    throw refusedToken(`${name} refused this token (${answer.status}). Check that you copied all of it${made}, and that it has not expired or been revoked.`);
  }
  if (answer.status === 404 && entry.kind === 'azure-devops' && organization) {
    const message = `Azure DevOps has no organization ${organization} (404). Check its name, as in https://dev.azure.com/{organization}.`;
    throw new PaddockError('invalid-input', message, [{ path: 'organization', message }]);
  }
  if (answer.status !== 200 || (answer.json === undefined && entry.kind !== 'bitbucket-dc')) {
    if (answer.status >= 500) {
      throw new PaddockError('unreachable', `${name} at ${entry.host} answered the token check with a server error (${answer.status}). Try again later.`, undefined, { host: entry.host });
    }
    throw unexpected(entry, answer);
  }
  return answer;
}

function missingScopes(entry: ProviderView, granted: readonly string[]): void {
  const rules = catalogueEntry(entry.kind).pat;
  const have = new Set(granted.map((scope) => scope.trim().toLowerCase()));
  const missing = rules.scopes.filter((scope) => !have.has(scope.scope.toLowerCase()));
  if (missing.length === 0) return;
  const list = missing.map((scope) => `${scope.scope} (${scope.reason.replace(/\.$/, '')})`).join(', ');
  const message = `This token lacks the scope${missing.length === 1 ? '' : 's'} ${list}. Make a token with ${missing.length === 1 ? 'it' : 'them'} ticked, and paste it.`;
  throw new PaddockError('invalid-input', message, [{ path: 'token', message }]);
}

function gitHub(entry: ProviderView, answer: HttpAnswer): PatIdentity {
  const user = gitHubUserSchema.safeParse(answer.json);
  if (!user.success) throw unexpected(entry, answer);
  const header = answer.header('x-oauth-scopes');
  // Fine-grained tokens report no X-OAuth-Scopes (§2.2, unverified): nothing to check then.
  const scopes = header === null ? [] : header.split(',').map((scope) => scope.trim()).filter((scope) => scope !== '');
  if (header !== null) missingScopes(entry, scopes);
  if (accountNameOf(user.data.login) === null) throw unusableAccount(entry);
  return { account: user.data.login, scopes, expiresAt: gitHubExpiry(answer.header('github-authentication-token-expiration')) };
}

export interface ConnectPatDeps {
  runnerId: string;
  keys: { publicKey: Uint8Array; secretKey: Uint8Array };
  providers: () => ProviderView[];
  tokens: TokenStore;
  check: PatChecker;
  now?: () => Date;
}

/** PUT /v1/tokens/pat: opens, checks and keeps a pasted token for one workstation. */
export async function connectPat(request: ConnectPatRequest, clientId: string, deps: ConnectPatDeps): Promise<TokenView> {
  const entry = deps.providers().find((p) => p.host === request.host);
  if (!entry) throw new PaddockError('not-found', `This runner has no repository access for ${request.host}.`, undefined, { host: request.host });
  const name = catalogueEntry(entry.kind).displayName;
  if (!entry.pat.enabled) {
    throw new PaddockError(
      'forbidden',
      `This runner’s admin has not allowed ${tokenNameInSentence(catalogueEntry(entry.kind).pat.name, { short: true })}s for ${entry.host}.${entry.oauth.enabled ? ' Connect with OAuth instead.' : ' Ask the runner’s admin.'}`,
      undefined,
      { host: entry.host },
    );
  }
  let organization: string | null = null;
  if (entry.kind === 'azure-devops') {
    if (request.organization === null) {
      const message = 'Azure DevOps personal access tokens are made for one organization: name it.';
      throw new PaddockError('invalid-input', message, [{ path: 'organization', message }]);
    }
    const listed = entry.organizations.find((o) => o.name.toLowerCase() === request.organization!.toLowerCase());
    if (!listed) {
      const message = `This runner’s access to Azure DevOps does not include the organization ${request.organization}. Pick one of ${entry.organizations.map((o) => o.name).join(', ')}, or ask the runner’s admin to add it.`;
      throw new PaddockError('invalid-input', message, [{ path: 'organization', message }], { host: entry.host });
    }
    organization = listed.name;
  } else if (request.organization !== null) {
    const message = `${name} tokens are not per organization: leave the organization empty.`;
    throw new PaddockError('invalid-input', message, [{ path: 'organization', message }]);
  }

  const opened = openPat(request.sealed, deps.keys, { runnerId: deps.runnerId, host: entry.host, organization });
  if (!opened.ok) throw new PaddockError('invalid-input', opened.message, [{ path: 'sealed', message: opened.message }]);

  const identity = await deps.check(entry, organization, opened.token);
  const now = deps.now?.() ?? new Date();
  const stored = {
    host: entry.host,
    organization,
    method: 'pat' as const,
    token: opened.token,
    refreshToken: null,
    account: identity.account,
    obtainedAt: now.toISOString(),
    expiresAt: identity.expiresAt,
    scopes: identity.scopes,
    rejected: false,
  };
  return tokenView(deps.tokens.put(clientId, stored), true, now);
}
