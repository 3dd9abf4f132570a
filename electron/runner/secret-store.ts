import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonFile } from './files';

/** Where the runner keeps its private key and data key. */
export type SecretStoreKind = 'keychain' | 'file';

export interface SecretStore {
  readonly kind: SecretStoreKind;
  /** Where the secrets are, for messages ("the OS keychain", a file path). */
  readonly location: string;
  get(account: string): Promise<string | null>;
  set(account: string, value: string): Promise<void>;
  delete(account: string): Promise<void>;
}

/** The OS keychain could not be reached: the runner exits with RUNNER_EXIT.keychainUnavailable. */
export class KeychainUnavailableError extends Error {
  override readonly name = 'KeychainUnavailableError';
}

export const KEYCHAIN_SERVICE = 'dev.paddock.runner';

const keychainFix =
  process.platform === 'linux'
    ? 'Start and unlock a Secret Service keyring in this session (GNOME Keyring or KWallet; on a desktop, log in again), or on a headless server start the runner with --secret-store file.'
    : process.platform === 'darwin'
      ? 'Unlock the login keychain (Keychain Access), or on a headless server start the runner with --secret-store file.'
      : 'Make sure Windows Credential Manager is available for this user, or on a headless server start the runner with --secret-store file.';

type Keytar = {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
};

/**
 * Loads keytar lazily, so that a missing native library (libsecret) becomes a
 * KeychainUnavailableError with a fix, not a crash at start. A dynamic import,
 * not createRequire(import.meta.url): the app bundles the runner as CommonJS.
 */
async function loadKeytar(): Promise<Keytar> {
  try {
    const module = (await import('@github/keytar')) as Keytar & { default?: Keytar };
    return module.default ?? module;
  } catch (error) {
    throw new KeychainUnavailableError(`The OS keychain module could not be loaded (${(error as Error).message.split('\n')[0]}). ${keychainFix}`);
  }
}

/** The OS keychain through keytar (@github/keytar, prebuilt native module). */
export function keychainStore(service = KEYCHAIN_SERVICE): SecretStore {
  let loaded: Promise<Keytar> | undefined;
  const guard = async <T>(what: string, run: (keytar: Keytar) => Promise<T>): Promise<T> => {
    const keytar = await (loaded ??= loadKeytar());
    try {
      return await run(keytar);
    } catch (error) {
      throw new KeychainUnavailableError(`The OS keychain cannot be reached (${what}: ${(error as Error).message.split('\n')[0]}). ${keychainFix}`);
    }
  };
  return {
    kind: 'keychain',
    location: 'the OS keychain',
    get: (account) => guard('read', (keytar) => keytar.getPassword(service, account)),
    set: (account, value) => guard('write', (keytar) => keytar.setPassword(service, account, value)),
    delete: async (account) => {
      await guard('delete', (keytar) => keytar.deletePassword(service, account));
    },
  };
}

const fileStoreSchema = z.object({ entries: z.record(z.string(), z.string()) }).strict();

/**
 * A 0600 file in the data directory, for headless servers without a
 * keychain. Chosen explicitly (--secret-store file); the runner warns at every
 * start that anyone who can read the file can read the keys.
 */
export function fileStore(dataDir: string): SecretStore {
  const file = path.join(dataDir, 'secret-store.json');
  const read = () => readJsonFile(file, fileStoreSchema, { entries: {} });
  return {
    kind: 'file',
    location: file,
    get: async (account) => read().entries[account] ?? null,
    set: async (account, value) => {
      const data = read();
      data.entries[account] = value;
      writeJsonFile(file, data);
      fs.chmodSync(file, 0o600);
    },
    delete: async (account) => {
      const data = read();
      delete data.entries[account];
      writeJsonFile(file, data);
    },
  };
}
