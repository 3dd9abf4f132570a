import type { Runner, RunnerHealth } from '../../common/api';
import { PaddockError } from '../../common/errors';
import type { PolicyRunner } from '../../common/policy';
import type { CredentialStore } from '../credentials';
import type { StoredRunner } from '../store/schema';
import type { AppStore } from '../store/store';

export const LOCAL_RUNNER_ID = 'local';

/** The OS keychain could not give or take a runner's credential (locked, no keychain service). */
export class CredentialStoreError extends Error {
  override readonly name = 'CredentialStoreError';
}

/** A runner as the app API shows it: without the runner's id for this workstation or the policy's id. */
/** The app API's view of a runner; `role` is this workstation's role there as the runner last said (the local runner's workstation is its admin). */
export function runnerView(runner: StoredRunner, health: RunnerHealth, role: Runner['role'] = null, oauthCallback: string | null = null): Runner {
  const { clientId: _clientId, policyId, ...rest } = runner;
  return {
    ...rest,
    managed: policyId !== null,
    health,
    role: runner.kind === 'local' ? 'admin' : role,
    ...(runner.kind === 'remote' && oauthCallback ? { oauthCallback } : {}),
  };
}

/**
 * The runners this app knows, as the store keeps them, and this
 * workstation's credential for each remote one in the OS keychain (account
 * `runner:<id>`). Nothing here talks to a runner.
 */
export class RunnerRecords {
  readonly #store: AppStore;
  readonly #credentials: CredentialStore;

  constructor(store: AppStore, credentials: CredentialStore) {
    this.#store = store;
    this.#credentials = credentials;
  }

  all(): StoredRunner[] {
    return this.#store.get('runners');
  }

  find(id: string): StoredRunner | undefined {
    return this.all().find((r) => r.id === id);
  }

  /** The runner, or a not-found error the UI shows as it is. */
  get(id: string): StoredRunner {
    const runner = this.find(id);
    if (!runner) throw new PaddockError('not-found', 'That runner no longer exists.');
    return runner;
  }

  #save(runners: StoredRunner[]) {
    this.#store.set('runners', runners);
  }

  #update(id: string, change: (runner: StoredRunner) => StoredRunner) {
    this.#save(this.all().map((r) => (r.id === id ? change(r) : r)));
  }

  add(runner: StoredRunner): void {
    this.#save([...this.all(), runner]);
  }

  /** The runner already added at this origin (https://host:port), if any. */
  atOrigin(origin: string): StoredRunner | undefined {
    return this.all().find((r) => r.url === origin);
  }

  hasLocal(): boolean {
    return this.find(LOCAL_RUNNER_ID) !== undefined;
  }

  /** Puts the local runner first, as the app made it: no key or id until it first starts. */
  addLocal(): void {
    this.#save([
      {
        id: LOCAL_RUNNER_ID,
        name: 'Local runner',
        kind: 'local',
        url: null,
        publicKey: null,
        runnerUid: null,
        spki: null,
        clientId: null,
        createdAt: new Date().toISOString(),
        policyId: null,
      },
      ...this.all(),
    ]);
  }

  /** Set when the user removed the local runner, so it is not made again at the next start. */
  get localRemoved(): boolean {
    return this.#store.get('localRunnerRemoved');
  }

  set localRemoved(removed: boolean) {
    this.#store.set('localRunnerRemoved', removed);
  }

  rename(id: string, name: string): void {
    this.#update(id, (r) => ({ ...r, name: name.trim() }));
  }

  /** The id a remote runner gave this workstation when it registered. */
  setClientId(id: string, clientId: string): void {
    this.#update(id, (r) => (r.kind === 'remote' ? { ...r, clientId } : r));
  }

  /** Keeps the runner's public key and own id as it reports them (a new local runner has new ones); writes only a change. */
  remember(id: string, publicKey: string, runnerUid: string | null): void {
    const runner = this.find(id);
    if (runner && (runner.publicKey !== publicKey || runner.runnerUid !== runnerUid)) this.#update(id, (r) => ({ ...r, publicKey, runnerUid }));
  }

  delete(id: string): void {
    this.#save(this.all().filter((r) => r.id !== id));
  }

  /** The admin policy's id for a runner: "local" for the local runner, its policy id for a managed remote one, else null. */
  policyRef(id: string): string | null {
    const runner = this.find(id);
    if (!runner) return null;
    return runner.kind === 'local' ? 'local' : runner.policyId;
  }

  /**
   * The admin policy's runners: added as managed (waiting for this
   * workstation's registration token), kept in step with the policy, and
   * released (no longer managed) when the policy stops naming them. The
   * records change at once; the promise settles when the credentials that a
   * changed key made useless are deleted.
   */
  syncPolicy(policy: readonly PolicyRunner[]): Promise<void> {
    const next: StoredRunner[] = [];
    const stale: string[] = [];
    for (const runner of this.all()) {
      if (runner.policyId === null) {
        next.push(runner);
        continue;
      }
      const entry = policy.find((p) => p.id === runner.policyId);
      if (!entry) {
        next.push({ ...runner, policyId: null });
        continue;
      }
      if (runner.kind === 'remote') {
        const changedKey = runner.spki !== entry.spki || runner.url !== entry.url || runner.publicKey !== entry.publicKey;
        // A different key or address in the policy needs a new registration with the runner it names.
        next.push({ ...runner, name: entry.name, url: entry.url, spki: entry.spki, publicKey: entry.publicKey, runnerUid: entry.runnerUid, clientId: changedKey ? null : runner.clientId });
        if (changedKey) stale.push(runner.id);
      } else next.push(runner);
    }
    for (const entry of policy) {
      if (next.some((r) => r.policyId === entry.id)) continue;
      next.push({
        id: `managed-${entry.id}`,
        name: entry.name,
        kind: 'remote',
        url: entry.url,
        publicKey: entry.publicKey,
        runnerUid: entry.runnerUid,
        spki: entry.spki,
        clientId: null,
        createdAt: new Date().toISOString(),
        policyId: entry.id,
      });
    }
    this.#save(next);
    return Promise.all(stale.map((id) => this.deleteCredential(id))).then(() => undefined);
  }

  /** This workstation's credential (API token) for a remote runner, null when the keychain has none. */
  credential(id: string): Promise<string | null> {
    return this.#keychain(() => this.#credentials.get(credentialAccount(id)));
  }

  setCredential(id: string, apiToken: string): Promise<void> {
    return this.#keychain(() => this.#credentials.set(credentialAccount(id), apiToken));
  }

  deleteCredential(id: string): Promise<void> {
    return this.#keychain(() => this.#credentials.delete(credentialAccount(id)));
  }

  async #keychain<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      // The credential store's message says what is wrong with the keychain and what to do.
      throw new CredentialStoreError(error instanceof Error ? error.message : String(error), { cause: error });
    }
  }
}

const credentialAccount = (id: string) => `runner:${id}`;
