import { createHash } from 'node:crypto';
import { z } from 'zod';
import { tokenStateAt, type TokenSelector, type TokenView } from '../common/runner-api';
import { hostKey, RUNNER_VAULT_CLIENT } from './provider-store';
import type { Vault } from './vault';

/** The longest account name Paddock keeps for a new token (what tokenView has always shown). */
export const ACCOUNT_NAME_MAX = 200;
const unprintable = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/**
 * An account name a provider reports (a login, user name, email address or
 * display name), as Paddock keeps it, shows it and writes it to its log: 1 to
 * 200 characters, none of them a control or format character or a line or
 * paragraph separator.
 */
export const accountNameSchema = z
  .string()
  .min(1)
  .max(ACCOUNT_NAME_MAX)
  .refine((name) => !unprintable.test(name), 'An account name cannot hold control or format characters.');

/** A reported account name when Paddock may keep it, else null (for a provider's optional fields: read as not reported). */
export function accountNameOf(value: unknown): string | null {
  const parsed = accountNameSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/**
 * Users' tokens on the runner: one vault entry per workstation (client),
 * host, Azure DevOps organization (Services only) and method, encrypted with
 * the data key. The entry holds the token and what the app may see of it.
 *
 * A workstation may keep several accounts per host and organization; the
 * one chosen last is in use.
 */
const storedTokenSchema = z
  .object({
    host: z.string(),
    organization: z.string().nullable(),
    method: z.enum(['oauth', 'pat']),
    token: z.string().min(1),
    refreshToken: z.string().nullable(),
    /** Unbounded when read: tokens stored before ACCOUNT_NAME_MAX must still load (new ones are bounded by put). */
    account: z.string().nullable(),
    obtainedAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().nullable(),
    scopes: z.array(z.string()),
    /** A provider refused it, or its refresh failed (git's credential `erase`, a 401). */
    rejected: z.boolean(),
    /** When the user last chose it (connected with it, or picked it): the latest is the one in use. */
    chosenAt: z.number().int().nonnegative().optional(),
  })
  .strict();
export type StoredToken = z.infer<typeof storedTokenSchema>;

/**
 * A token as a new connection stores it: its account bounded. Reading (and
 * writing back what was read) keeps storedTokenSchema's unbounded account, so
 * a token stored before the bound still loads and keeps its id (tokenIdOf).
 */
const newTokenSchema = storedTokenSchema.extend({ account: accountNameSchema.nullable() });

/**
 * A token's id: stable for one workstation's host, organization, method and
 * account, so that connecting the same account again replaces its token and
 * another account is kept beside it (A2).
 */
export function tokenIdOf(token: Pick<StoredToken, 'host' | 'organization' | 'method' | 'account'>): string {
  const key = [token.host, token.organization?.toLowerCase() ?? '', token.method, token.account?.toLowerCase() ?? ''].join('\n');
  return `t_${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

/** The vault entry of a token: `token.<host key>.<id>.<method>` (the method last, as ProviderStore.purgeTokens reads it). */
export function tokenEntry(token: Pick<StoredToken, 'host' | 'organization' | 'method' | 'account'>): string {
  return `token.${hostKey(token.host)}.${tokenIdOf(token).slice(2)}.${token.method}`;
}

const sameOrganization = (a: string | null, b: string | null) => (a?.toLowerCase() ?? null) === (b?.toLowerCase() ?? null);

const matches = (token: StoredToken, selector: TokenSelector): boolean => {
  if (token.host !== selector.host) return false;
  if (selector.method && token.method !== selector.method) return false;
  if (selector.id && tokenIdOf(token) !== selector.id) return false;
  if (selector.organization === undefined) return true;
  return sameOrganization(token.organization, selector.organization);
};

export class TokenStore {
  constructor(
    private readonly vault: Vault,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Keeps a token (replacing the same account's); it becomes the one in use for its host and organization. */
  put(clientId: string, token: StoredToken): StoredToken {
    const checked = newTokenSchema.parse({ ...token, chosenAt: this.#chosenAt(clientId) });
    this.vault.write(clientId, tokenEntry(checked), new TextEncoder().encode(JSON.stringify(checked)));
    return checked;
  }

  /** Writes a token back as it is (after a refresh, or marked rejected) without making it the one in use. */
  update(clientId: string, token: StoredToken): void {
    const checked = storedTokenSchema.parse(token);
    this.vault.write(clientId, tokenEntry(checked), new TextEncoder().encode(JSON.stringify(checked)));
  }

  /** Later than every choice made so far, also when the clock goes back. */
  #chosenAt(clientId: string): number {
    const latest = Math.max(0, ...this.#all(clientId).map((t) => t.chosenAt ?? 0));
    return Math.max(this.now().getTime(), latest + 1);
  }

  #read(clientId: string, name: string): StoredToken | null {
    const bytes = this.vault.read(clientId, name);
    if (!bytes) return null;
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      return null;
    }
    const parsed = storedTokenSchema.safeParse(json);
    return parsed.success ? parsed.data : null;
  }

  #all(clientId: string): StoredToken[] {
    if (clientId === RUNNER_VAULT_CLIENT) return [];
    const tokens: StoredToken[] = [];
    for (const name of this.vault.list(clientId)) {
      if (!name.startsWith('token.')) continue;
      const stored = this.#read(clientId, name);
      if (stored) tokens.push(stored);
    }
    return tokens;
  }

  /** The workstations that keep tokens on this runner (for the background refresh). */
  clients(): string[] {
    return this.vault.clients().filter((client) => client !== RUNNER_VAULT_CLIENT && this.vault.list(client).some((name) => name.startsWith('token.')));
  }

  /** A client's tokens as stored (the runner's own use: they hold the token). */
  stored(clientId: string): StoredToken[] {
    return this.#all(clientId);
  }

  /** One of a client's tokens by its id. */
  get(clientId: string, id: string): StoredToken | null {
    return this.#all(clientId).find((token) => tokenIdOf(token) === id) ?? null;
  }

  /** The token in use for a host and organization (the latest chosen), or null. */
  inUse(clientId: string, host: string, organization: string | null): StoredToken | null {
    const candidates = this.#all(clientId).filter((t) => t.host === host && sameOrganization(t.organization, organization));
    return candidates.sort((a, b) => (b.chosenAt ?? 0) - (a.chosenAt ?? 0))[0] ?? null;
  }

  /** Makes a token the one in use for its host and organization; null when the client has no such token. */
  use(clientId: string, id: string): StoredToken | null {
    const token = this.get(clientId, id);
    if (!token) return null;
    const chosen = { ...token, chosenAt: this.#chosenAt(clientId) };
    this.update(clientId, chosen);
    return chosen;
  }

  /** What the app may see of a client's tokens: never the token itself. */
  list(clientId: string): TokenView[] {
    const all = this.#all(clientId);
    const used = new Set<StoredToken>();
    const groups = new Map<string, StoredToken[]>();
    for (const token of all) {
      const key = `${token.host}\n${token.organization?.toLowerCase() ?? ''}`;
      groups.set(key, [...(groups.get(key) ?? []), token]);
    }
    for (const group of groups.values()) used.add(group.sort((a, b) => (b.chosenAt ?? 0) - (a.chosenAt ?? 0))[0]!);
    return all
      .map((stored) => tokenView(stored, used.has(stored), this.now()))
      .sort((a, b) => `${a.host} ${a.organization ?? ''} ${a.method} ${a.account ?? ''}`.localeCompare(`${b.host} ${b.organization ?? ''} ${b.method} ${b.account ?? ''}`));
  }

  /** Deletes a client's tokens that match; returns how many. */
  delete(clientId: string, selector: TokenSelector): number {
    if (clientId === RUNNER_VAULT_CLIENT) return 0;
    let deleted = 0;
    for (const name of this.vault.list(clientId)) {
      if (!name.startsWith('token.')) continue;
      const stored = this.#read(clientId, name);
      if (stored && matches(stored, selector) && this.vault.delete(clientId, name)) deleted++;
    }
    return deleted;
  }
}

/** What the app may see of one token (never the token, the refresh token or the client it was made for). */
export function tokenView(stored: StoredToken, inUse: boolean, now: Date): TokenView {
  return {
    id: tokenIdOf(stored),
    host: stored.host,
    organization: stored.organization,
    method: stored.method,
    account: stored.account?.slice(0, 200) ?? null,
    obtainedAt: stored.obtainedAt,
    expiresAt: stored.expiresAt,
    renews: stored.method === 'oauth' && stored.refreshToken !== null,
    scopes: stored.scopes.slice(0, 50).map((scope) => scope.slice(0, 200)),
    // The runner refreshes an OAuth token with a refresh token before it ends: only a refused refresh (rejected) ends it.
    state: tokenStateAt(stored.method === 'oauth' && stored.refreshToken !== null ? { expiresAt: null, rejected: stored.rejected } : stored, now),
    inUse,
  };
}
