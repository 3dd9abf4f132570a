import type { Runner } from '../../electron/common/api';
import { providerKinds, type ProviderKind } from '../../electron/common/provider-kind';
import type { ClientSecretChange, ProviderInput, ProviderView, SealedSecretEnvelope, ValidationCheck } from '../../electron/common/provider-config';
import {
  azureDevOpsOrganizationNameSchema,
  azureDevOpsServerCollectionSchema,
  callbackOptions,
  callbackRunnerOf,
  catalogueEntry,
  defaultEntraTenant,
  entraTenantSchema,
  normalizeHost,
  type TenantOrigin,
} from '../../electron/common/providers';

// The provider dialog's state and the pure rules around it: what the form
// starts with, what it sends, what must be fixed before it can be sent,
// when the client secret must be entered again, and which users' tokens a
// change deletes (S6).

export interface OrganizationRow {
  /** A stable key for React while rows are added and removed. */
  key: string;
  name: string;
  tenant: string;
  tenantOrigin: TenantOrigin;
}

export interface CollectionRow {
  key: string;
  name: string;
}

export interface ProviderForm {
  kind: ProviderKind;
  host: string;
  organizations: OrganizationRow[];
  collections: CollectionRow[];
  oauthEnabled: boolean;
  clientId: string;
  tenant: string;
  patEnabled: boolean;
}

let nextKey = 0;
export function rowKey(): string {
  nextKey += 1;
  return `row-${nextKey}`;
}

export function emptyOrganization(): OrganizationRow {
  return { key: rowKey(), name: '', tenant: '', tenantOrigin: 'default' };
}

export function emptyCollection(): CollectionRow {
  return { key: rowKey(), name: '' };
}

/**
 * A new entry of a kind: its default host, Personal Access Tokens on and
 * OAuth off — the quickest setup; turning OAuth on reveals its fields.
 */
export function newProviderForm(kind: ProviderKind): ProviderForm {
  const entry = catalogueEntry(kind);
  return {
    kind,
    host: entry.host.default ?? '',
    organizations: kind === 'azure-devops' ? [emptyOrganization()] : [],
    collections: kind === 'azure-devops-server' ? [emptyCollection()] : [],
    oauthEnabled: false,
    clientId: '',
    tenant: kind === 'azure-devops' ? defaultEntraTenant : '',
    patEnabled: true,
  };
}

/** Another kind chosen in "Provider": the host follows unless the admin typed one of their own. */
export function changeKind(form: ProviderForm, kind: ProviderKind): ProviderForm {
  const fresh = newProviderForm(kind);
  const previousDefault = catalogueEntry(form.kind).host.default ?? '';
  const keepHost = catalogueEntry(kind).host.changeable && form.host.trim() !== '' && form.host.trim() !== previousDefault;
  return {
    ...fresh,
    host: keepHost ? form.host : fresh.host,
    clientId: form.clientId,
    // The admin's choice of methods stays where the new kind has them; one without OAuth keeps PAT on.
    oauthEnabled: form.oauthEnabled && catalogueEntry(kind).oauth.supported,
    patEnabled: form.patEnabled || !catalogueEntry(kind).oauth.supported,
  };
}

/**
 * The kind "Add a new provider" opens on: the kind of the runner's latest
 * self-hosted entry (another server of the same product is the likely
 * next one), else the first kind of the list the runner has no entry for,
 * else the first of the list.
 */
export function suggestedKind(entries: readonly Pick<ProviderView, 'kind' | 'host' | 'updatedAt'>[]): ProviderKind {
  const selfHosted = entries
    .filter((entry) => catalogueEntry(entry.kind).host.default !== entry.host && catalogueEntry(entry.kind).host.changeable)
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  if (selfHosted[0]) return selfHosted[0].kind;
  const taken = new Set(entries.map((entry) => entry.kind));
  return providerKinds.find((kind) => !taken.has(kind)) ?? providerKinds[0];
}

/** Whether the form differs from what it started as (row keys aside): closing it then asks first. */
export function formChanged(initial: ProviderForm, current: ProviderForm): boolean {
  if (initial === current) return false;
  const comparable = (form: ProviderForm) => ({
    ...form,
    host: form.host.trim(),
    clientId: form.clientId.trim(),
    tenant: form.tenant.trim(),
    organizations: form.organizations.map((row) => [row.name.trim(), row.tenant.trim()]).filter(([name, tenant]) => name !== '' || tenant !== ''),
    collections: form.collections.map((row) => row.name.trim()).filter((name) => name !== ''),
  });
  return JSON.stringify(comparable(initial)) !== JSON.stringify(comparable(current));
}

/** An existing entry, as the runner reports it. */
export function formFromView(view: ProviderView): ProviderForm {
  return {
    kind: view.kind,
    host: view.host,
    organizations: view.organizations.map((o) => ({ key: rowKey(), name: o.name, tenant: o.tenant, tenantOrigin: o.tenantOrigin })),
    collections: view.collections.map((c) => ({ key: rowKey(), name: c.name })),
    oauthEnabled: view.oauth.enabled,
    clientId: view.oauth.clientId ?? '',
    tenant: view.oauth.tenant ?? (view.kind === 'azure-devops' ? defaultEntraTenant : ''),
    patEnabled: view.pat.enabled,
  };
}

/** The host as it will be stored, or null while it is not valid. */
export function normalizedHost(form: Pick<ProviderForm, 'kind' | 'host'>): string | null {
  const result = normalizeHost(form.kind, form.host);
  return result.ok ? result.baseUrl : null;
}

/** What the sealed secret is bound to: the runner refuses it if any of these differ from the entry. */
export type SecretBinding = Omit<SealedSecretEnvelope, 'secret'>;

/** The binding for the form as it is, or null when it cannot be sealed yet (no runner id, host or client id). */
export function secretBinding(form: ProviderForm, runner: Pick<Runner, 'runnerUid'>): SecretBinding | null {
  const host = normalizedHost(form);
  const clientId = form.clientId.trim();
  if (!runner.runnerUid || !host || !clientId) return null;
  return { runnerId: runner.runnerUid, kind: form.kind, host, clientId, tenant: oauthTenant(form) };
}

function oauthTenant(form: ProviderForm): string | null {
  if (form.kind !== 'azure-devops') return null;
  return form.tenant.trim() || null;
}

/**
 * Why the secret the runner keeps no longer fits the entry (its host,
 * Client ID or tenant changed), or null when it still does or there is none.
 */
export function secretNeededAgain(view: ProviderView | null, form: ProviderForm): string | null {
  if (!view || !view.oauth.secretSet || !form.oauthEnabled) return null;
  const changed: string[] = [];
  if (view.kind !== form.kind || normalizedHost(form) !== view.host) changed.push('host');
  if ((view.oauth.clientId ?? '') !== form.clientId.trim()) changed.push('Client ID');
  if (view.kind === 'azure-devops' && (view.oauth.tenant ?? null) !== oauthTenant(form)) changed.push('tenant');
  if (changed.length === 0) return null;
  return `The ${joinWords(changed)} changed: enter the Client Secret again, so that it is sealed for this entry.`;
}

export type SecretRequirement = 'required' | 'optional';

/**
 * Whether the OAuth app needs a client secret with the callback this runner
 * uses (the first of callbackOptions): GitHub and Bitbucket always; Entra and
 * GitLab only for confidential apps, so a public client with PKCE is fine.
 */
export function secretRequirement(kind: ProviderKind, runner: Pick<Runner, 'kind' | 'oauthCallback'>): SecretRequirement {
  const [best] = callbackOptions(kind, callbackRunnerOf(runner));
  return best?.secret === 'required' ? 'required' : 'optional';
}

export type FormField = 'host' | 'clientId' | 'tenant' | 'clientSecret' | 'methods' | `organization-${string}` | `tenant-${string}` | `collection-${string}`;

export type FormProblems = Partial<Record<FormField, string>>;

/** What must be fixed before the form can be sent, by field (in form order). */
export function formProblems(
  form: ProviderForm,
  secret: { entered: boolean; kept: boolean; requirement: SecretRequirement },
): FormProblems {
  const problems: FormProblems = {};
  const host = normalizeHost(form.kind, form.host);
  if (!host.ok) problems.host = host.error.message;
  if (form.kind === 'azure-devops') {
    const seen = new Set<string>();
    for (const row of form.organizations) {
      if (row.name.trim() === '' && row.tenant.trim() === '' && form.organizations.length > 1) continue;
      const name = azureDevOpsOrganizationNameSchema.safeParse(row.name);
      if (!name.success) problems[`organization-${row.key}`] = name.error.issues[0]?.message ?? 'Enter the organization’s name.';
      else if (seen.has(name.data.toLowerCase())) problems[`organization-${row.key}`] = `The organization ${name.data} is listed twice.`;
      else seen.add(name.data.toLowerCase());
      if (row.tenant.trim() !== '') {
        const tenant = entraTenantSchema.safeParse(row.tenant);
        if (!tenant.success) problems[`tenant-${row.key}`] = tenant.error.issues[0]?.message ?? 'Enter the tenant.';
      }
    }
  }
  if (form.kind === 'azure-devops-server') {
    const seen = new Set<string>();
    for (const row of form.collections) {
      if (row.name.trim() === '' && form.collections.length > 1) continue;
      const parsed = azureDevOpsServerCollectionSchema.safeParse({ name: row.name });
      if (!parsed.success) problems[`collection-${row.key}`] = parsed.error.issues[0]?.message ?? 'Enter the collection’s name.';
      else if (seen.has(parsed.data.name.toLowerCase())) problems[`collection-${row.key}`] = `The collection ${parsed.data.name} is listed twice.`;
      else seen.add(parsed.data.name.toLowerCase());
    }
  }
  if (!form.oauthEnabled && !form.patEnabled) {
    problems.methods = 'Enable OAuth, a Personal Access Token, or both: users need at least one way to connect.';
  }
  if (form.oauthEnabled && catalogueEntry(form.kind).oauth.supported) {
    if (form.clientId.trim() === '') problems.clientId = 'Enter the Client ID of the OAuth app.';
    if (form.kind === 'azure-devops') {
      const tenant = entraTenantSchema.safeParse(form.tenant.trim() === '' ? defaultEntraTenant : form.tenant);
      if (!tenant.success) problems.tenant = tenant.error.issues[0]?.message ?? 'Enter the tenant.';
    }
    if (secret.requirement === 'required' && !secret.entered && !secret.kept) {
      problems.clientSecret = `${catalogueEntry(form.kind).displayName} needs the client secret of the OAuth app.`;
    }
  }
  return problems;
}

/** What the dialog sends: rows left empty are dropped; an organisation without a tenant gets the default. */
export function providerInput(form: ProviderForm, clientSecret: ClientSecretChange): ProviderInput {
  const oauthSupported = catalogueEntry(form.kind).oauth.supported;
  const oauthEnabled = form.oauthEnabled && oauthSupported;
  return {
    kind: form.kind,
    host: form.host.trim(),
    organizations:
      form.kind === 'azure-devops'
        ? form.organizations
            .filter((row) => row.name.trim() !== '')
            .map((row) =>
              row.tenant.trim() === ''
                ? { name: row.name.trim(), tenant: defaultEntraTenant, tenantOrigin: 'default' as const }
                : { name: row.name.trim(), tenant: row.tenant.trim(), tenantOrigin: row.tenantOrigin === 'default' ? ('entered' as const) : row.tenantOrigin },
            )
        : [],
    collections: form.kind === 'azure-devops-server' ? form.collections.filter((row) => row.name.trim() !== '').map((row) => ({ name: row.name.trim() })) : [],
    oauth: {
      enabled: oauthEnabled,
      clientId: oauthEnabled ? form.clientId.trim() || null : null,
      tenant: oauthEnabled ? oauthTenant(form) : null,
      clientSecret: oauthEnabled ? clientSecret : { action: 'none' },
    },
    pat: { enabled: form.patEnabled },
  };
}

/**
 * The field an API error's issue belongs to, from its path: relative to the
 * entry ("host", "organizations.0.name") or to the saveProvider call
 * ("provider.host"). Rows are counted as providerInput sends them (empty
 * rows dropped). Null for an issue no field shows.
 */
export function issueField(path: string, form: ProviderForm): FormField | null {
  const parts = path.split('.');
  if (parts[0] === 'provider') parts.shift();
  const [first, second, third] = parts;
  const row = <R extends { key: string; name: string }>(rows: readonly R[]) =>
    second !== undefined && /^\d+$/.test(second) ? rows.filter((r) => r.name.trim() !== '')[Number(second)] : undefined;
  if (first === 'host' && second === undefined) return 'host';
  if (first === 'organizations') {
    const found = row(form.organizations);
    if (!found) return null;
    return third === 'tenant' || third === 'tenantOrigin' ? `tenant-${found.key}` : `organization-${found.key}`;
  }
  if (first === 'collections') {
    const found = row(form.collections);
    return found ? `collection-${found.key}` : null;
  }
  if (first === 'oauth') {
    if (second === 'clientId') return 'clientId';
    if (second === 'tenant') return 'tenant';
    if (second === 'clientSecret') return 'clientSecret';
  }
  return null;
}

export type TokenLoss = 'oauth' | 'pat';

/**
 * Which users' tokens saving this form deletes (S6), as the runner purges
 * them: all of them when the host changes; OAuth tokens when OAuth is turned
 * off or its app (Client ID, tenant) changes; PAT tokens when PAT is turned off.
 */
export function tokensLost(view: ProviderView | null, form: ProviderForm): TokenLoss[] {
  if (!view) return [];
  const host = normalizedHost(form);
  if (host !== null && (host !== view.host || form.kind !== view.kind)) {
    return [...(view.oauth.enabled ? (['oauth'] as const) : []), ...(view.pat.enabled ? (['pat'] as const) : [])];
  }
  const lost: TokenLoss[] = [];
  const oauthEnabled = form.oauthEnabled && catalogueEntry(form.kind).oauth.supported;
  if (view.oauth.enabled) {
    const appChanged =
      oauthEnabled && ((view.oauth.clientId ?? '') !== form.clientId.trim() || (view.oauth.tenant ?? null) !== oauthTenant(form));
    if (!oauthEnabled || appChanged) lost.push('oauth');
  }
  if (view.pat.enabled && !form.patEnabled) lost.push('pat');
  return lost;
}

/** The sentence said before a save that deletes users' tokens. */
export function tokenLossSentence(view: ProviderView, form: ProviderForm, lost: readonly TokenLoss[]): string {
  const how = lost.length === 2 ? 'with OAuth or a Personal Access Token' : lost[0] === 'oauth' ? 'with OAuth' : 'with a Personal Access Token';
  const host = normalizedHost(form);
  const why =
    host !== null && host !== view.host
      ? `the host changes from ${view.host} to ${host}`
      : lost.includes('oauth') && form.oauthEnabled
        ? 'the OAuth app changes'
        : lost.length === 2
          ? 'OAuth and Personal Access Tokens are turned off'
          : lost[0] === 'oauth'
            ? 'OAuth is turned off'
            : 'Personal Access Tokens are turned off';
  return `Because ${why}, the tokens users obtained ${how} for ${view.host} will be deleted from this runner. They will have to connect again.`;
}

/** "No users’ tokens were deleted." / "3 users’ tokens were deleted." */
export function deletedTokensSentence(count: number): string {
  if (count === 0) return 'No user tokens were deleted.';
  return count === 1 ? '1 user token was deleted.' : `${count} user tokens were deleted.`;
}

export type CheckGroup = 'host' | 'oauth' | 'pat';

export const checkGroupLabels: Record<CheckGroup, string> = { host: 'Host', oauth: 'OAuth', pat: 'Personal Access Token' };

/** The checks the runner made that belong next to the Client Secret field. */
export function secretChecks(checks: readonly ValidationCheck[]): ValidationCheck[] {
  return checks.filter((check) => check.code === 'sealed-secret' || check.code === 'secret-needed-again');
}

function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
