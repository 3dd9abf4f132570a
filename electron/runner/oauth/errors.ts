import { PaddockError, type ErrorDetail } from '../../common/errors';
import type { ProviderView } from '../../common/provider-config';
import { catalogueEntry, expandUrl, oauthScopes, tokenNameInSentence, type PolicyHint } from '../../common/providers';

// OAuth refusals as sentences for the user (PRODUCT S8, issue 9 point 4):
// what is true, which setting refuses and where it is, and the other method
// when the entry allows it. The facts (settings, where they are) come from
// the catalogue's policyHints; only the wording is here. Provider
// descriptions are never echoed whole: they may be long and change without
// notice (GIT-AND-DESKTOP §3.7), and codes are what we match on.

export interface OAuthErrorContext {
  readonly entry: ProviderView;
  /** Azure DevOps Services: the organization of the attempt; null elsewhere. */
  readonly organization: string | null;
  /** The redirect URI the attempt used (what a mismatch must name). */
  readonly redirectUri: string | null;
}

/** RFC 6749 §5.2's characters for `error`: %x20-21 / %x23-5B / %x5D-7E (printable ASCII without `"` and `\`). */
const errorCodePattern = /^[\x20\x21\x23-\x5B\x5D-\x7E]{1,200}$/;

/**
 * A provider's `error` (callback or token endpoint) as Paddock may repeat it
 * in messages, `detail.providerCode` and logs: itself when it keeps to
 * RFC 6749 §5.2's characters and 200 of them, else "unknown_error".
 */
export function oauthErrorCode(value: unknown): string {
  return typeof value === 'string' && errorCodePattern.test(value) ? value : 'unknown_error';
}

/** The AADSTS code at the start of (or anywhere in) an Entra error description. */
export function aadstsCode(text: string | null | undefined): string | null {
  return text ? (/\b(AADSTS\d+)\b/.exec(text)?.[1] ?? null) : null;
}

const displayName = (entry: ProviderView) => catalogueEntry(entry.kind).displayName;
/** "a personal access token", "an API token": the provider's name for its tokens. */
const patName = (entry: ProviderView) => tokenNameInSentence(catalogueEntry(entry.kind).pat.name, { article: true, short: true });

/** The other method, when the entry allows personal access tokens. */
export function offerPat(entry: ProviderView): string {
  return entry.pat.enabled ? ` Or provide ${patName(entry)} instead.` : '';
}

/** The catalogue's hint for one of these provider codes, OAuth only. */
export function oauthHint(entry: ProviderView, codes: readonly string[], options: { withSetting?: boolean } = {}): PolicyHint | null {
  const wanted = codes.map((code) => code.toLowerCase());
  const hints = catalogueEntry(entry.kind).policyHints.filter((hint) => hint.method === 'oauth' && hint.match.errors.some((e) => wanted.includes(e.toLowerCase())));
  return (options.withSetting ? hints.find((hint) => hint.setting !== null && hint.where !== null) : hints[0]) ?? null;
}

function hintUrl(hint: PolicyHint, organization: string | null): string | undefined {
  if (hint.whereUrl === null) return undefined;
  if (hint.whereUrl.includes('{organization}') && organization === null) return undefined;
  return expandUrl(hint.whereUrl, organization === null ? {} : { organization });
}

function detailOf(context: OAuthErrorContext, providerCode: string, more: Partial<ErrorDetail> = {}): ErrorDetail {
  return {
    host: context.entry.host,
    ...(context.organization ? { organization: context.organization } : {}),
    providerCode: providerCode.slice(0, 200),
    ...more,
  };
}

const where = (context: OAuthErrorContext) => (context.organization ? `the organization ${context.organization}` : displayName(context.entry));

/** The user pressed Deny (or cancelled) on the provider's page. */
export function declined(context: OAuthErrorContext, providerCode = 'access_denied'): PaddockError {
  return new PaddockError(
    'cancelled',
    `You declined the request on ${displayName(context.entry)}’s page, so nothing was connected. Connect again when you want Paddock to use your account.`,
    undefined,
    detailOf(context, providerCode),
  );
}

/** The provider refuses the redirect URI: the registration lacks it. */
export function redirectMismatch(context: OAuthErrorContext, providerCode: string): PaddockError {
  const rules = catalogueEntry(context.entry.kind).oauth;
  const registration = rules.supported ? `the ${rules.registration.name} (${rules.registration.where})` : 'the OAuth registration';
  const uri = context.redirectUri ?? 'the callback URL this runner shows';
  return new PaddockError(
    'policy-blocked',
    `${displayName(context.entry)} refused the redirect to ${uri} (${providerCode}): ${registration} does not list it. An administrator of the registration adds exactly ${uri} as a redirect URI, then you connect again.${offerPat(context.entry)}`,
    undefined,
    detailOf(context, providerCode, { setting: `Redirect URI: ${uri}` }),
  );
}

/** Admin consent required (AADSTS65001). */
function adminConsent(context: OAuthErrorContext, providerCode: string): PaddockError {
  const hint = oauthHint(context.entry, ['AADSTS65001']);
  const setting = hint?.setting ?? 'Admin consent for the app registration';
  const place = hint?.where ?? 'the tenant’s Microsoft Entra admin center';
  return new PaddockError(
    'policy-blocked',
    `Your organization’s Microsoft Entra tenant requires an administrator to consent to Paddock’s access to Azure DevOps first (${providerCode}). Ask a tenant administrator to grant it in ${place}, then connect again.${offerPat(context.entry)}`,
    undefined,
    detailOf(context, providerCode, { setting: `${place} (${setting})` }),
  );
}

/** Personal Microsoft accounts cannot use Azure DevOps through Entra apps (§1.3). */
function personalAccount(context: OAuthErrorContext, providerCode: string): PaddockError {
  const other = context.entry.pat.enabled ? ` Sign in with your work or school account, or provide ${patName(context.entry)} instead.` : ' Sign in with your work or school account.';
  return new PaddockError(
    'forbidden',
    `You signed in with a personal Microsoft account, which cannot connect to Azure DevOps through Microsoft Entra ID (${providerCode}); only work or school accounts can.${other}`,
    undefined,
    detailOf(context, providerCode),
  );
}

/** A guest account not in the app's tenant (AADSTS50020). */
function guestAccount(context: OAuthErrorContext, providerCode: string): PaddockError {
  const hint = oauthHint(context.entry, ['AADSTS50020']);
  const place = hint?.where ?? 'the tenant’s Microsoft Entra admin center';
  return new PaddockError(
    'policy-blocked',
    `The account you signed in with is not a member or guest of the Microsoft Entra tenant of ${where(context)} (${providerCode}). Sign in with an account of that tenant, or ask a tenant administrator to invite yours as an external user (${place}).${offerPat(context.entry)}`,
    undefined,
    detailOf(context, providerCode, { setting: hint?.setting ? `${place} (${hint.setting})` : place }),
  );
}

/**
 * The ID token names another Entra tenant than the one the sign-in was for
 * (the organization's, else the entry's): the runner's own check, as the
 * guest refusal (AADSTS50020) reads.
 */
export function otherEntraTenant(context: OAuthErrorContext, signedIn: string, expected: string): PaddockError {
  const hint = oauthHint(context.entry, ['AADSTS50020']);
  const place = hint?.where ?? 'the tenant’s Microsoft Entra admin center';
  const whose = context.organization ? `${context.organization}’s` : 'the one this runner uses for Azure DevOps';
  const account = context.organization ? `your ${context.organization} work account` : 'a work account of that tenant';
  return new PaddockError(
    'policy-blocked',
    `You signed in with an account of another Microsoft Entra tenant (${signedIn}) than ${whose} (${expected}), so nothing was connected. Sign in with ${account}, or ask a tenant administrator to invite yours as an external user (${place}).${offerPat(context.entry)}`,
    undefined,
    detailOf(context, 'tenant-mismatch', { setting: hint?.setting ? `${place} (${hint.setting})` : place }),
  );
}

/** The ID token is not one Entra issued for this app and tenant: its audience, issuer or tenant do not fit (or it cannot be read). */
export function idTokenRefused(context: OAuthErrorContext, claim: 'aud' | 'iss' | 'tid'): PaddockError {
  const clientId = context.entry.oauth.clientId ?? '';
  const why =
    claim === 'aud'
      ? `it is for another app than this runner’s (Client ID ${clientId})`
      : claim === 'iss'
        ? 'it names another issuer than its tenant’s on Microsoft Entra ID'
        : 'it names no tenant Paddock can read';
  return new PaddockError(
    'policy-blocked',
    `Microsoft Entra ID answered with a sign-in Paddock cannot trust (${why}), so nothing was connected. Try connecting again; if it keeps failing, the runner’s admin checks the Client ID and tenant of ${context.entry.host} and that sign-ins reach login.microsoftonline.com directly.${offerPat(context.entry)}`,
    undefined,
    detailOf(context, `id-token-${claim}`, claim === 'aud' ? { setting: 'Client ID' } : {}),
  );
}

/** invalid_scope: on Azure DevOps the OAuth-access policy, or scopes differing from the registration. */
function invalidScope(context: OAuthErrorContext, providerCode: string): PaddockError {
  const name = displayName(context.entry);
  const scopes = oauthScopes(context.entry.kind).map((scope) => scope.scope).join(', ');
  const rules = catalogueEntry(context.entry.kind).oauth;
  const registration = rules.supported ? `the ${rules.registration.name}` : 'the OAuth registration';
  if (context.entry.kind === 'azure-devops') {
    const policy = oauthHint(context.entry, ['invalid_scope'], { withSetting: true });
    const setting = policy?.setting ?? 'the OAuth access policy';
    const place = policy?.where ?? 'Organization settings';
    const url = policy ? hintUrl(policy, context.organization) : undefined;
    return new PaddockError(
      'policy-blocked',
      `Azure DevOps refused the permissions Paddock asks for (${providerCode}). Either ${where(context)} has “${setting}” turned off — an organization administrator turns it on in ${place} — or ${registration} grants other scopes than ${scopes}: an administrator of the registration adds exactly those.${offerPat(context.entry)}`,
      undefined,
      detailOf(context, providerCode, { setting: `${place} → ${setting}`, ...(url ? { settingUrl: url } : {}) }),
    );
  }
  return new PaddockError(
    'policy-blocked',
    `${name} refused the permissions Paddock asks for (${providerCode}): ${registration} must allow the scopes ${scopes}. An administrator of the registration ticks them, then you connect again.${offerPat(context.entry)}`,
    undefined,
    detailOf(context, providerCode, { setting: `Scopes of ${registration}: ${scopes}` }),
  );
}

/** TF400813 from Azure DevOps' API for an Entra token: the OAuth-access policy, a wrong tenant, or a user not in the organization. */
export function oauthPolicyBlocked(context: OAuthErrorContext, providerCode = 'TF400813'): PaddockError {
  const hint = oauthHint(context.entry, ['TF400813'], { withSetting: true });
  const setting = hint?.setting ?? 'the OAuth access policy';
  const place = hint?.where ?? 'Organization settings';
  const url = hint ? hintUrl(hint, context.organization) : undefined;
  return new PaddockError(
    'policy-blocked',
    `Azure DevOps signed you in but ${where(context)} does not let this connection use its API (${providerCode}). An organization administrator checks “${setting}” in ${place}, and that your account is a member of the organization.${offerPat(context.entry)}`,
    undefined,
    detailOf(context, providerCode, { setting: `${place} → ${setting}`, ...(url ? { settingUrl: url } : {}) }),
  );
}

/** GitHub: the OAuth app is suspended. */
function suspended(context: OAuthErrorContext, providerCode: string): PaddockError {
  const place = oauthHint(context.entry, ['application_suspended'])?.where ?? 'the app’s settings';
  return new PaddockError(
    'policy-blocked',
    `The OAuth app this runner uses for ${context.entry.host} has been suspended on GitHub (${providerCode}), so it cannot sign anyone in. Its owner lifts the suspension in ${place}, or the runner’s admin enters another app.${offerPat(context.entry)}`,
    undefined,
    detailOf(context, providerCode, { setting: place }),
  );
}

/** GitHub: an organisation restricts OAuth apps and has not approved this one (§2.1). */
export function gitHubRestricted(context: OAuthErrorContext, providerCode = 'oauth-app-restrictions'): PaddockError {
  const hint = oauthHint(context.entry, ['OAuth App access restrictions']);
  const setting = hint?.setting ?? 'OAuth app access restrictions';
  const place = hint?.where ?? 'the organization’s settings for third-party access';
  return new PaddockError(
    'policy-blocked',
    `A GitHub organization restricts OAuth apps (“${setting}”) and has not approved the one this runner uses, so its repositories are out of reach. An organization owner approves the app in ${place}, or you request approval on the app’s authorization page.${offerPat(context.entry)}`,
    undefined,
    detailOf(context, providerCode, { setting: `${place} (${setting})` }),
  );
}

/** The user's sign-in was refused: the provider's `error` (and description) in the callback, or from its token endpoint. */
export function oauthRefusal(context: OAuthErrorContext, providerError: string, description: string | null): PaddockError {
  const error = oauthErrorCode(providerError);
  const aadsts = aadstsCode(description) ?? aadstsCode(error);
  const code = aadsts ?? error;
  switch (aadsts) {
    case 'AADSTS65001':
      return adminConsent(context, aadsts);
    case 'AADSTS65004':
      return declined(context, aadsts);
    case 'AADSTS50020':
      // The identity provider live.com is a personal Microsoft account; another tenant's (sts.windows.net) is a guest.
      return /'live\.com'|live\.com|personal microsoft account|\bMSA\b/i.test(description ?? '') ? personalAccount(context, aadsts) : guestAccount(context, aadsts);
    case 'AADSTS50011':
      return redirectMismatch(context, aadsts);
    case 'AADSTS70011':
      return invalidScope(context, aadsts);
    case 'AADSTS9002331':
    case 'AADSTS500200':
      return personalAccount(context, aadsts);
  }
  switch (error) {
    case 'access_denied':
      return declined(context);
    case 'consent_required':
    case 'interaction_required':
      return adminConsent(context, code);
    case 'redirect_uri_mismatch':
      return redirectMismatch(context, code);
    case 'invalid_scope':
      return invalidScope(context, code);
    case 'application_suspended':
      return suspended(context, code);
  }
  const name = displayName(context.entry);
  return new PaddockError(
    'forbidden',
    `${name} refused the sign-in (${code.slice(0, 100)}). Try connecting again; if it keeps failing, the runner’s admin checks the OAuth registration for ${context.entry.host}.${offerPat(context.entry)}`,
    undefined,
    detailOf(context, code),
  );
}

/** The token endpoint refused the client's credentials (secret wrong, missing, or sent to a public client). */
export function clientRefused(context: OAuthErrorContext, providerCode: string, description: string | null): PaddockError {
  const name = displayName(context.entry);
  const code = aadstsCode(description) ?? providerCode;
  let why: string;
  if (code === 'AADSTS700025') why = 'the registration is a public client, which must not send a client secret: the runner’s admin removes the Client Secret from the entry';
  else if (code === 'AADSTS7000218') why = 'the registration is a confidential client: the runner’s admin enables “Allow public client flows” on it, or enters its Client Secret';
  else if (context.entry.oauth.secretSet) why = 'the Client Secret this runner holds is wrong or has expired: the runner’s admin enters the current one';
  else why = 'it needs a Client Secret, which this runner’s entry does not have: the runner’s admin enters it';
  return new PaddockError('policy-blocked', `${name} refused this runner’s OAuth client for ${context.entry.host} (${code}): ${why}.${offerPat(context.entry)}`, undefined, detailOf(context, code, { setting: 'Client Secret' }));
}
