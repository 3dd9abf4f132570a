import { createHash } from 'node:crypto';
import { z } from 'zod';
import { tokenStateAt, type TokenMethod, type TokenSelector, type TokenView } from '../common/runner-api';
import { hostKey, RUNNER_VAULT_CLIENT } from './provider-store';
import type { Vault } from './vault';

/**
 * Users' tokens on the runner: one vault entry per workstation (client),
 * host, Azure DevOps organization (Services only) and method, encrypted with
 * the data key. The entry holds the token and what the app may see of it.
 *
 * Entry names: `token.<host key>.<method>`, or
 * `token.<host key>.<organization key>.<method>` for an organization.
 */
const storedTokenSchema = z
  .object({
    host: z.string(),
    organization: z.string().nullable(),
    method: z.enum(['oauth', 'pat']),
    token: z.string().min(1),
    refreshToken: z.string().nullable(),
    account: z.string().nullable(),
    obtainedAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().nullable(),
    scopes: z.array(z.string()),
    /** A provider refused it, or its refresh failed (git's credential `erase`, a 401). */
    rejected: z.boolean(),
  })
  .strict();
export type StoredToken = z.infer<typeof storedTokenSchema>;

const organizationKey = (organization: string) => createHash('sha256').update(organization.toLowerCase()).digest('hex').slice(0, 12);

export function tokenEntry(host: string, organization: string | null, method: TokenMethod): string {
  return organization === null ? `token.${hostKey(host)}.${method}` : `token.${hostKey(host)}.${organizationKey(organization)}.${method}`;
}

const matches = (name: string, selector: TokenSelector): boolean => {
  const parts = name.split('.');
  if (parts[0] !== 'token' || parts[1] !== hostKey(selector.host)) return false;
  const method = parts.at(-1);
  if (selector.method && method !== selector.method) return false;
  if (selector.organization === undefined) return true;
  const org = parts.length === 4 ? parts[2] : null;
  return selector.organization === null ? org === null : org === organizationKey(selector.organization);
};

export class TokenStore {
  constructor(
    private readonly vault: Vault,
    private readonly now: () => Date = () => new Date(),
  ) {}

  put(clientId: string, token: StoredToken): void {
    const checked = storedTokenSchema.parse(token);
    this.vault.write(clientId, tokenEntry(checked.host, checked.organization, checked.method), new TextEncoder().encode(JSON.stringify(checked)));
  }

  #read(clientId: string, name: string): StoredToken | null {
    const bytes = this.vault.read(clientId, name);
    if (!bytes) return null;
    const parsed = storedTokenSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
    return parsed.success ? parsed.data : null;
  }

  get(clientId: string, host: string, organization: string | null, method: TokenMethod): StoredToken | null {
    return this.#read(clientId, tokenEntry(host, organization, method));
  }

  /** What the app may see of a client's tokens: never the token itself. */
  list(clientId: string): TokenView[] {
    if (clientId === RUNNER_VAULT_CLIENT) return [];
    const views: TokenView[] = [];
    for (const name of this.vault.list(clientId)) {
      if (!name.startsWith('token.')) continue;
      const stored = this.#read(clientId, name);
      if (!stored) continue;
      views.push({
        host: stored.host,
        organization: stored.organization,
        method: stored.method,
        account: stored.account,
        obtainedAt: stored.obtainedAt,
        expiresAt: stored.expiresAt,
        scopes: stored.scopes,
        state: tokenStateAt(stored, this.now()),
      });
    }
    return views.sort((a, b) => `${a.host} ${a.organization ?? ''} ${a.method}`.localeCompare(`${b.host} ${b.organization ?? ''} ${b.method}`));
  }

  /** Deletes a client's tokens that match; returns how many. */
  delete(clientId: string, selector: TokenSelector): number {
    if (clientId === RUNNER_VAULT_CLIENT) return 0;
    let deleted = 0;
    for (const name of this.vault.list(clientId)) {
      if (matches(name, selector) && this.vault.delete(clientId, name)) deleted++;
    }
    return deleted;
  }
}
