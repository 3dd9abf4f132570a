import { createHash } from 'node:crypto';
import { PaddockError } from '../common/errors';
import type { SaveProviderRequest } from '../common/runner-api';
import {
  checkStateOf,
  clipMessage,
  warningCodesOf,
  openClientSecret,
  type AcceptedWarnings,
  type ManagedProvider,
  type ProviderCheckState,
  type ProviderValidation,
  type ProviderView,
  type ValidationCheck,
} from '../common/provider-config';
import { catalogueEntry, entraTenantSchema, normalizeHost } from '../common/providers';
import type { RunnerLogger } from './logger';
import { missingClientSecret } from './providers/validate';
import type { ProviderStore, TokenMethod } from './provider-store';

export type { SaveProviderRequest } from '../common/runner-api';

/** Network checks (S5), supplied by the runner's validation module. */
export type ProviderNetworkCheck = (entry: ProviderView) => Promise<ProviderValidation>;

const error = (code: string, message: string): ValidationCheck => ({ level: 'error', code, message: clipMessage(message) });

/**
 * Network findings that are about the form itself, not about the network:
 * they refuse a save like the static checks. Every other network finding —
 * a host that cannot be reached, a provider that answers unexpectedly, a
 * check that cannot run — only warns: the admin may save ahead of the
 * network (a proxy not set up yet, a server still being installed) and
 * "Check again" later.
 */
const formFindings = new Set(['client-secret-required', 'organization-tenant-mismatch']);

/** A network check's results as a save judges them: errors of the network become warnings. */
export function asSaveFindings(validation: ProviderValidation): ProviderValidation {
  const judge = (check: ValidationCheck): ValidationCheck => (check.level === 'error' && !formFindings.has(check.code) ? { ...check, level: 'warning' } : check);
  return { host: validation.host.map(judge), oauth: validation.oauth.map(judge), pat: validation.pat.map(judge) };
}

/**
 * The values a check's findings depend on (not the secret, not the times):
 * the same fingerprint means the same entry to check.
 */
export function entryFingerprint(entry: Pick<ProviderView, 'kind' | 'host' | 'organizations' | 'collections' | 'oauth' | 'pat'>): string {
  const values = [
    entry.kind,
    entry.host,
    entry.organizations.map((o) => [o.name.toLowerCase(), o.tenant.toLowerCase()]),
    entry.collections.map((c) => c.name.toLowerCase()),
    [entry.oauth.enabled, entry.oauth.clientId, entry.oauth.tenant?.toLowerCase() ?? null, entry.oauth.secretSet],
    entry.pat.enabled,
  ];
  return createHash('sha256').update(JSON.stringify(values)).digest('hex');
}

export interface ProviderServiceOptions {
  runnerId: string;
  keys: { publicKey: Uint8Array; secretKey: Uint8Array };
  store: ProviderStore;
  networkCheck?: ProviderNetworkCheck;
  now?: () => Date;
  /** Where a check that could not run says why (the entry only says that it did not). */
  logger?: Pick<RunnerLogger, 'warn'>;
}

/**
 * Saving and deleting repository-access entries on the runner: the rules
 * of the catalogue, the sealed secret's binding, validation, managed
 * entries, and the purge of users' tokens that a change makes invalid.
 */
/**
 * The same server, however its URL is spelled: host and port without the
 * scheme (an http entry must not shadow an https one), and the path compared
 * without case or percent-encoding (IIS and Bitbucket paths ignore case).
 */
export function serverIdentity(baseUrl: string): string {
  const url = new URL(baseUrl);
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    path = url.pathname;
  }
  return `${url.host}${path.replace(/\/+$/, '')}`.toLowerCase();
}

/** Tenant ids are GUIDs, the same in any case: an entry stored before tenants were lowercased keeps its secret and tokens. */
const sameTenant = (a: string | null, b: string | null) => (a?.toLowerCase() ?? null) === (b?.toLowerCase() ?? null);

/** Why a managed entry's OAuth tenant cannot be used (the rules of the policy file), or null. */
function policyTenantProblem(provider: ManagedProvider): string | null {
  const tenant = provider.oauth?.tenant ?? null;
  if (tenant === null) return null;
  if (provider.kind !== 'azure-devops') return `Only Azure DevOps (Microsoft Entra ID) has a tenant; the policy gives one for this ${catalogueEntry(provider.kind).displayName} entry, which is not applied.`;
  const parsed = entraTenantSchema.safeParse(tenant);
  return parsed.success ? null : `The policy’s OAuth tenant for this entry cannot be used, so it is not applied. ${parsed.error.issues[0]?.message ?? ''}`.trim();
}

export class ProviderService {
  /** Saves, deletes and policy updates run one at a time: each reads, checks and writes without another in between. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ProviderServiceOptions) {}

  #exclusive<T>(run: () => Promise<T> | T): Promise<T> {
    const next = this.#queue.then(run, run);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  list(): ProviderView[] {
    return this.options.store.list();
  }

  /** The entry's opened client secret, for the token exchange and refresh of a confidential app; null when it has none. */
  clientSecret(host: string): string | null {
    return this.options.store.clientSecret(host);
  }

  save(request: SaveProviderRequest) {
    return this.#exclusive(() => this.#save(request));
  }

  async #save(request: SaveProviderRequest) {
    const { store } = this.options;
    const input = request.provider;
    const validation: ProviderValidation = { host: [], oauth: [], pat: [] };
    const entry = catalogueEntry(input.kind);
    const refuse = () => ({ saved: false, needsConfirmation: false, provider: null, validation, deletedTokens: 0 });

    const normalized = normalizeHost(input.kind, input.host);
    if (!normalized.ok) {
      validation.host.push(error(normalized.error.code, normalized.error.message));
      return refuse();
    }
    for (const warning of normalized.warnings) validation.host.push({ level: 'warning', code: warning.code, message: warning.message });
    const host = normalized.baseUrl;

    const previous = request.previousHost === null ? undefined : store.get(request.previousHost);
    if (request.previousHost !== null && !previous) {
      throw new PaddockError('not-found', `This runner has no entry for ${request.previousHost}; it may have been removed.`);
    }
    if (previous?.managed) throw new PaddockError('forbidden', `${previous.host} is managed by the admin policy; it cannot be changed here.`);
    const identity = serverIdentity(host);
    const existing = store.list().find((p) => serverIdentity(p.host) === identity && p.host !== previous?.host);
    if (existing) {
      if (existing.managed) throw new PaddockError('forbidden', `${existing.host} is managed by the admin policy; it cannot be changed here, and no other entry may stand for the same server.`);
      validation.host.push(
        error('duplicate-host', existing.host === host ? `This runner already has an entry for ${host}. Edit that one instead.` : `This runner already has an entry for the same server (${existing.host}). Edit that one instead.`),
      );
      return refuse();
    }

    if (!input.oauth.enabled && !input.pat.enabled) {
      validation.oauth.push(error('no-method', 'Enable OAuth, a Personal Access Token, or both: users need at least one way to connect.'));
    }
    if (input.kind === 'azure-devops' && input.organizations.length === 0) {
      validation.host.push(error('no-organization', 'Add at least one organization, as in https://dev.azure.com/{organization}.'));
    }
    if (input.kind === 'azure-devops-server' && input.collections.length === 0) {
      validation.host.push(error('no-collection', 'Add at least one collection, for example DefaultCollection.'));
    }

    const clientId = input.oauth.clientId?.trim() || null;
    // The tenant as the client sent (and sealed) it; stored as entraTenantSchema reads it (a GUID lowercased).
    const typedTenant = input.oauth.tenant?.trim() || null;
    let tenant = typedTenant;
    if (typedTenant !== null && input.oauth.enabled) {
      if (input.kind !== 'azure-devops') {
        validation.oauth.push(error('tenant', `Only Azure DevOps (Microsoft Entra ID) has a tenant: leave the tenant empty for this ${entry.displayName} entry.`));
      } else {
        // The same rules as an organization's tenant (and the policy file's): a tenant ID, "organizations" or "common";
        // never "consumers" or a name Entra would read as another authority.
        const parsed = entraTenantSchema.safeParse(typedTenant);
        if (parsed.success) tenant = parsed.data;
        else validation.oauth.push(error('tenant', `The tenant of the OAuth app cannot be used. ${parsed.error.issues[0]?.message ?? 'Enter the tenant ID (a GUID), or “organizations”.'}`));
      }
    }
    let secretToStore: string | null | undefined; // undefined: keep as is
    let secretSet = previous ? store.hasClientSecret(previous.host) : false;
    if (input.oauth.enabled) {
      if (!entry.oauth.supported) validation.oauth.push(error('oauth-unsupported', `${entry.displayName} supports personal access tokens only.`));
      if (!clientId) validation.oauth.push(error('client-id', 'Enter the Client ID of the OAuth app.'));
      const change = input.oauth.clientSecret;
      const bindingChanged =
        !previous || previous.host !== host || previous.oauth.clientId !== clientId || !sameTenant(previous.oauth.tenant, tenant) || previous.kind !== input.kind;
      if (change.action === 'replace' && clientId) {
        const opened = openClientSecret(change.sealed, this.options.keys, { runnerId: this.options.runnerId, kind: input.kind, host, clientId, tenant: typedTenant });
        if (!opened.ok) validation.oauth.push(error('sealed-secret', opened.message));
        else {
          secretToStore = opened.envelope.secret;
          secretSet = true;
          validation.oauth.push({ level: 'ok', code: 'sealed-secret', message: 'The Client Secret opens with this runner’s key and was sealed for this entry.' });
        }
      } else if (change.action === 'keep') {
        if (secretSet && bindingChanged) {
          validation.oauth.push(error('secret-needed-again', 'The host, Client ID or tenant changed: enter the Client Secret again, so it is sealed for this entry.'));
        }
      } else {
        secretToStore = null;
        secretSet = false;
      }
    } else {
      secretToStore = null;
      secretSet = false;
    }

    // Decided from the catalogue here, not only by the network check: a check that cannot run must not let
    // an entry be saved anyway without the secret its provider needs for every callback.
    if (input.oauth.enabled) {
      const missing = missingClientSecret(entry, secretSet);
      if (missing?.level === 'error') validation.oauth.push(missing);
    }

    const view: ProviderView = {
      kind: input.kind,
      host,
      organizations: input.kind === 'azure-devops' ? input.organizations : [],
      collections: input.kind === 'azure-devops-server' ? input.collections : [],
      oauth: { enabled: input.oauth.enabled, clientId: input.oauth.enabled ? clientId : null, tenant: input.oauth.enabled ? tenant : null, secretSet },
      pat: { enabled: input.pat.enabled },
      managed: false,
      updatedAt: this.now().toISOString(),
    };

    const hasErrors = () => [...validation.host, ...validation.oauth, ...validation.pat].some((c) => c.level === 'error');
    /** What the network said of these values, for the entry: null when nothing was checked. */
    let lastCheck: ProviderCheckState | null = null;
    if (!hasErrors() && this.options.networkCheck) {
      let network: ProviderValidation;
      try {
        network = await this.options.networkCheck(view);
      } catch (e) {
        // Validation never throws for network problems; anything else must not keep the admin from saving either.
        // The exception's text is for the log, not for the entry (it is stored and shown).
        this.options.logger?.warn('provider check did not run', { host: view.host, error: e instanceof Error ? e.message : String(e) });
        network = { host: [{ level: 'error', code: 'check-not-run', message: 'The runner could not check this entry. Check again later; the runner’s log says why.' }], oauth: [], pat: [] };
      }
      lastCheck = checkStateOf(network, this.now());
      const findings = asSaveFindings(network);
      // The network check repeats some static findings (an http host): keep one of each.
      const add = (group: ValidationCheck[], checks: ValidationCheck[]) => {
        for (const check of checks) if (!group.some((c) => c.code === check.code && c.level === check.level)) group.push(check);
      };
      add(validation.host, findings.host);
      add(validation.oauth, findings.oauth);
      add(validation.pat, findings.pat);
    }
    if (hasErrors()) return refuse();
    const warningCodes = warningCodesOf(validation);
    const fingerprint = entryFingerprint(view);
    const accepted = previous?.acceptedWarnings?.fingerprint === fingerprint ? previous.acceptedWarnings : null;
    // Warnings accepted before for these very values are not asked again; a new one is.
    // Save anyway accepts the warnings the admin saw; one this save found beyond those is asked about first.
    const confirmed = request.confirmWarnings ? (request.warningsSeen ?? warningCodes) : [];
    const unaccepted = warningCodes.filter((code) => !confirmed.includes(code) && !(accepted?.codes.includes(code) ?? false));
    if (unaccepted.length > 0) return { ...refuse(), needsConfirmation: true };
    view.lastCheck = lastCheck;
    if (warningCodes.length > 0) {
      const acceptedNow: AcceptedWarnings = { fingerprint, codes: [...new Set([...(accepted?.codes ?? []), ...warningCodes])].slice(0, 200) };
      view.acceptedWarnings = acceptedNow;
    }

    // Save, then delete the tokens the change made invalid (S6).
    if (previous && previous.host !== host) store.deleteClientSecret(previous.host);
    if (secretToStore === null) store.deleteClientSecret(host);
    else if (secretToStore !== undefined) store.setClientSecret(host, secretToStore);
    store.put(view, previous?.host ?? null);
    const deletedTokens = previous ? this.purgeFor(previous, view) : 0;
    return { saved: true, needsConfirmation: false, provider: view, validation, deletedTokens };
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /**
   * Keeps a check's outcome ("Check again") on the entry it checked, unless
   * the entry was changed or removed meanwhile (its result would describe
   * other values). Returns whether it was kept.
   */
  recordCheck(host: string, fingerprint: string, validation: ProviderValidation): Promise<boolean> {
    return this.#exclusive(() => {
      const entry = this.options.store.get(host);
      if (!entry || entryFingerprint(entry) !== fingerprint) return false;
      this.options.store.put({ ...entry, lastCheck: checkStateOf(validation, this.now()) }, null);
      return true;
    });
  }

  private purgeFor(previous: ProviderView, next: ProviderView): number {
    const { store } = this.options;
    if (previous.host !== next.host || previous.kind !== next.kind) return store.purgeTokens(previous.host, ['oauth', 'pat']);
    const methods: TokenMethod[] = [];
    const oauthApp = (v: ProviderView) => `${v.oauth.clientId}\n${v.oauth.tenant?.toLowerCase() ?? null}`;
    if (previous.oauth.enabled && (!next.oauth.enabled || oauthApp(previous) !== oauthApp(next))) methods.push('oauth');
    if (previous.pat.enabled && !next.pat.enabled) methods.push('pat');
    return methods.length ? store.purgeTokens(previous.host, methods) : 0;
  }

  /**
   * Applies the admin policy's entries for this runner: each becomes (or
   * stays) managed, with its client secret opened and checked (sealed) or
   * sealed into the runner's own store (plain, local runner only). Entries
   * the policy no longer names stop being managed. Invalid entries are
   * reported and skipped; the rest apply.
   */
  applyPolicy(providers: readonly ManagedProvider[]): Promise<{ applied: number; problems: { host: string; message: string }[] }> {
    return this.#exclusive(() => this.#applyPolicy(providers));
  }

  #applyPolicy(providers: readonly ManagedProvider[]): { applied: number; problems: { host: string; message: string }[] } {
    const { store } = this.options;
    const problems: { host: string; message: string }[] = [];
    const managedHosts = new Set<string>();
    let applied = 0;
    for (const provider of providers) {
      const normalized = normalizeHost(provider.kind, provider.host);
      if (!normalized.ok) {
        problems.push({ host: provider.host, message: normalized.error.message });
        continue;
      }
      const host = normalized.baseUrl;
      // The core parsed the policy file with entraTenantSchema already; PUT /v1/policy takes any string, so check again.
      const tenantProblem = policyTenantProblem(provider);
      if (tenantProblem !== null) {
        problems.push({ host, message: tenantProblem });
        // As a refused secret: the managed entry stays as it was, still managed.
        managedHosts.add(host);
        continue;
      }
      let secret: string | null | undefined;
      if (provider.oauth?.clientSecret.type === 'sealed') {
        const opened = openClientSecret(provider.oauth.clientSecret.sealed, this.options.keys, {
          runnerId: this.options.runnerId,
          kind: provider.kind,
          host,
          clientId: provider.oauth.clientId,
          tenant: provider.oauth.tenant,
        });
        if (!opened.ok) {
          problems.push({ host, message: opened.message });
          // A refused update leaves the managed entry as it was, still managed.
          managedHosts.add(host);
          continue;
        }
        secret = opened.envelope.secret;
      } else if (provider.oauth?.clientSecret.type === 'plain') {
        secret = provider.oauth.clientSecret.secret;
      } else {
        secret = null;
      }
      const previous = store.get(host);
      const view: ProviderView = {
        kind: provider.kind,
        host,
        organizations: provider.kind === 'azure-devops' ? [...provider.organizations] : [],
        collections: provider.kind === 'azure-devops-server' ? [...provider.collections] : [],
        oauth: provider.oauth
          ? { enabled: true, clientId: provider.oauth.clientId, tenant: provider.oauth.tenant, secretSet: secret !== null }
          : { enabled: false, clientId: null, tenant: null, secretSet: false },
        pat: { enabled: provider.pat.enabled },
        managed: true,
        updatedAt: this.now().toISOString(),
      };
      // The policy applies again with the same values (every start): the last check still describes them.
      if (previous?.lastCheck && entryFingerprint(previous) === entryFingerprint(view)) view.lastCheck = previous.lastCheck;
      if (secret === null) store.deleteClientSecret(host);
      else store.setClientSecret(host, secret);
      store.put(view, null);
      if (previous) this.purgeFor(previous, view);
      managedHosts.add(host);
      applied++;
    }
    for (const entry of store.list()) {
      if (entry.managed && !managedHosts.has(entry.host)) store.put({ ...entry, managed: false }, null);
    }
    return { applied, problems };
  }

  delete(host: string): Promise<{ deletedTokens: number }> {
    return this.#exclusive(() => this.#delete(host));
  }

  #delete(host: string): { deletedTokens: number } {
    const { store } = this.options;
    const existing = store.get(host);
    if (!existing) throw new PaddockError('not-found', `This runner has no entry for ${host}.`);
    if (existing.managed) throw new PaddockError('forbidden', `${host} is managed by the admin policy; it cannot be removed here.`);
    const deletedTokens = store.purgeTokens(host, ['oauth', 'pat']);
    store.remove(host);
    return { deletedTokens };
  }
}
