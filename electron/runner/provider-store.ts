import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { providerViewSchema, type ProviderView } from '../common/provider-config';
import { readJsonFile, withFileLock, writeJsonFile } from './files';
import type { Vault } from './vault';

/** The vault folder for the runner's own secrets (opened client secrets), apart from every workstation's. */
export const RUNNER_VAULT_CLIENT = '_runner';

export type TokenMethod = 'oauth' | 'pat';

/** A short, stable key for a provider host, used in vault entry names. */
export const hostKey = (host: string) => createHash('sha256').update(host).digest('hex').slice(0, 16);

/** The vault entry name of a user's token for a host, obtained one way (users' tokens are kept per workstation). */
export const tokenEntryName = (host: string, method: TokenMethod) => `token.${hostKey(host)}.${method}`;

const clientSecretEntry = (host: string) => `client-secret.${hostKey(host)}`;

const providersFileSchema = z.object({ providers: z.array(providerViewSchema) }).strict();

/**
 * The runner's repository-access entries (providers.json, no secrets), the
 * opened client secrets (vault, encrypted with the data key), and the purge
 * of users' tokens when a method or an entry goes away (S6).
 */
export class ProviderStore {
  private readonly file: string;

  constructor(
    dataDir: string,
    private readonly vault: Vault,
    private readonly vaultRoot: string,
  ) {
    this.file = path.join(dataDir, 'providers.json');
  }

  list(): ProviderView[] {
    return readJsonFile(this.file, providersFileSchema, { providers: [] }).providers;
  }

  get(host: string): ProviderView | undefined {
    return this.list().find((p) => p.host === host);
  }

  /** Writes an entry, replacing the one at `previousHost` (an edit that changes the host) or at its own host. */
  put(entry: ProviderView, previousHost: string | null): void {
    // Checked before it is written: an entry the schema refuses would make the whole file unreadable.
    providerViewSchema.parse(entry);
    withFileLock(this.file, () => {
      const providers = this.list().filter((p) => p.host !== entry.host && p.host !== previousHost);
      providers.push(entry);
      providers.sort((a, b) => a.host.localeCompare(b.host));
      writeJsonFile(this.file, { providers });
    });
  }

  remove(host: string): void {
    withFileLock(this.file, () => writeJsonFile(this.file, { providers: this.list().filter((p) => p.host !== host) }));
    this.vault.delete(RUNNER_VAULT_CLIENT, clientSecretEntry(host));
  }

  setClientSecret(host: string, secret: string): void {
    this.vault.write(RUNNER_VAULT_CLIENT, clientSecretEntry(host), new TextEncoder().encode(secret));
  }

  /** The entry's opened client secret (confidential OAuth apps), or null when none is kept. */
  clientSecret(host: string): string | null {
    const bytes = this.vault.read(RUNNER_VAULT_CLIENT, clientSecretEntry(host));
    return bytes ? new TextDecoder().decode(bytes) : null;
  }

  deleteClientSecret(host: string): void {
    this.vault.delete(RUNNER_VAULT_CLIENT, clientSecretEntry(host));
  }

  hasClientSecret(host: string): boolean {
    return this.vault.list(RUNNER_VAULT_CLIENT).includes(clientSecretEntry(host));
  }

  /** Deletes every workstation's tokens for `host` obtained by `methods`; returns how many. */
  purgeTokens(host: string, methods: readonly TokenMethod[]): number {
    let deleted = 0;
    let clients: string[];
    try {
      clients = fs.readdirSync(this.vaultRoot).filter((name) => name !== RUNNER_VAULT_CLIENT);
    } catch {
      return 0;
    }
    for (const client of clients) {
      // Per host and, for Azure DevOps organizations, per organization: `token.<host key>[.<org key>].<method>`.
      for (const name of this.vault.list(client)) {
        const parts = name.split('.');
        if (parts[0] === 'token' && parts[1] === hostKey(host) && methods.includes(parts.at(-1) as TokenMethod) && this.vault.delete(client, name)) deleted++;
      }
    }
    return deleted;
  }
}
