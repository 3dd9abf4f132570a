/**
 * The main process's OS keychain entries: the credential (API token) this
 * workstation got from each remote runner. Nothing here is a runner secret.
 */
export interface CredentialStore {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<void>;
}

export const APP_KEYCHAIN_SERVICE = 'dev.paddock.app';

type Keytar = {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
};

export function keychainCredentialStore(service = APP_KEYCHAIN_SERVICE): CredentialStore {
  // A dynamic import, not createRequire(import.meta.url): main is bundled as CommonJS.
  let loaded: Promise<Keytar> | undefined;
  const load = async () => {
    const module = (await (loaded ??= import('@github/keytar') as Promise<Keytar & { default?: Keytar }>)) as Keytar & { default?: Keytar };
    return module.default ?? module;
  };
  const explain = (error: unknown) =>
    new Error(
      `The OS keychain cannot be reached (${(error as Error).message.split('\n')[0]}). Paddock keeps each runner's credential there; unlock your keychain and try again.`,
    );
  const guard = async <T>(run: (keytar: Keytar) => Promise<T>) => {
    try {
      return await run(await load());
    } catch (error) {
      throw explain(error);
    }
  };
  return {
    get: (account) => guard((keytar) => keytar.getPassword(service, account)),
    set: (account, secret) => guard((keytar) => keytar.setPassword(service, account, secret)),
    delete: async (account) => {
      await guard((keytar) => keytar.deletePassword(service, account));
    },
  };
}

/** For unit tests only. */
export function memoryCredentialStore(): CredentialStore & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    get: async (account) => entries.get(account) ?? null,
    set: async (account, secret) => void entries.set(account, secret),
    delete: async (account) => void entries.delete(account),
  };
}
