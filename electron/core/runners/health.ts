import type { Runner, RunnerHealth } from '../../common/api';
import { RUNNER_API_VERSION, type RunnerStatus } from '../../common/runner-api';
import type { Logger } from '../logger';
import type { StoredRunner } from '../store/schema';
import { LocalNotRunning, MissingCredential } from './calls';
import { RunnerRequestError, RunnerUnreachableError, SpkiMismatchError } from './connection';
import { CredentialStoreError, runnerView, type RunnerRecords } from './records';

export const emptyHealth = (state: RunnerHealth['state'], message: string | null = null): RunnerHealth => ({
  state,
  message,
  version: null,
  apiVersion: null,
  lastSeen: null,
});

export interface RunnerHealthOptions {
  records: RunnerRecords;
  /** `GET /v1/status` on a runner with this workstation's credential (RunnerCalls.request). */
  status: (runner: StoredRunner) => Promise<RunnerStatus>;
  logger: Logger;
  heartbeatMs?: number;
  /** The runner list, each time it differs from the one last published. */
  onChange: (runners: Runner[]) => void;
}

/**
 * Each runner's live health: a heartbeat checks every runner, and the runner
 * list (records with health) is published when, and only when, it changed.
 */
export class RunnerHealthMonitor {
  readonly #options: RunnerHealthOptions;
  readonly #health = new Map<string, RunnerHealth>();
  /** This workstation's role on each runner, from the runner's last status answer. */
  readonly #roles = new Map<string, Runner['role']>();
  /** A remote runner's own https callback, from its last status answer (only with its admin's certificate). */
  readonly #callbacks = new Map<string, string>();
  readonly #checking = new Set<string>();
  #timer: NodeJS.Timeout | null = null;
  #lastPublished = '';

  constructor(options: RunnerHealthOptions) {
    this.#options = options;
  }

  /** A runner's health; "starting" until something is known. */
  get(id: string): RunnerHealth {
    return this.#health.get(id) ?? emptyHealth('starting');
  }

  /** The runners as the app API lists them. */
  list(): Runner[] {
    return this.#options.records.all().map((r) => runnerView(r, this.get(r.id), this.#roles.get(r.id) ?? null, this.#callbacks.get(r.id) ?? null));
  }

  view(id: string): Runner {
    return runnerView(this.#options.records.get(id), this.get(id), this.#roles.get(id) ?? null, this.#callbacks.get(id) ?? null);
  }

  publish(): void {
    const runners = this.list();
    const text = JSON.stringify(runners);
    if (text === this.#lastPublished) return;
    this.#lastPublished = text;
    this.#options.onChange(runners);
  }

  set(id: string, health: RunnerHealth): void {
    this.#health.set(id, health);
    this.publish();
  }

  /** Back to "starting" (a runner just added, registered or set up), published with the next change. */
  reset(id: string): void {
    this.#health.set(id, emptyHealth('starting'));
  }

  /** Forgets a removed runner's health, published with the next change. */
  forget(id: string): void {
    this.#health.delete(id);
    this.#roles.delete(id);
    this.#callbacks.delete(id);
  }

  /** Starts the heartbeat, with a first check of every runner now. */
  start(): void {
    this.stop();
    this.#timer = setInterval(() => void this.checkAll(), this.#options.heartbeatMs ?? 5000);
    this.#timer.unref?.();
    void this.checkAll();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  async checkAll(): Promise<void> {
    await Promise.all(this.#options.records.all().map((r) => this.check(r.id)));
  }

  /** One heartbeat for one runner; a check already under way for it is not doubled. */
  async check(id: string): Promise<void> {
    if (this.#checking.has(id)) return;
    const runner = this.#options.records.find(id);
    if (!runner) return;
    this.#checking.add(id);
    try {
      const previous = this.#health.get(id);
      const keep = { version: previous?.version ?? null, apiVersion: previous?.apiVersion ?? null, lastSeen: previous?.lastSeen ?? null };
      if (runner.kind === 'remote' && runner.clientId === null) {
        this.set(id, {
          ...keep,
          state: 'unregistered',
          message: 'Your admin set up this runner for everyone. Enter a registration token for this workstation (your admin creates it on the runner) to start using it.',
        });
        return;
      }
      let status: RunnerStatus;
      try {
        status = await this.#options.status(runner);
      } catch (error) {
        if (error instanceof LocalNotRunning) return; // the supervisor reports the local runner's state
        this.set(id, { ...keep, ...this.#healthOfError(runner, error) });
        return;
      }
      const seen = { version: status.version, apiVersion: status.apiVersion, lastSeen: new Date().toISOString() };
      this.#roles.set(id, status.client.role);
      if (status.oauthCallback) this.#callbacks.set(id, status.oauthCallback);
      else this.#callbacks.delete(id);
      const { records } = this.#options;
      if (runner.kind === 'local') records.remember(id, status.publicKey, status.runnerId);
      else if (runner.publicKey === status.publicKey && runner.runnerUid !== status.runnerId) records.remember(id, status.publicKey, status.runnerId);
      if (status.apiVersion !== RUNNER_API_VERSION) {
        this.set(id, {
          ...seen,
          state: 'failed',
          message: `This runner speaks runner API v${status.apiVersion}; this app speaks v${RUNNER_API_VERSION}. Update the older of the two.`,
        });
      } else if (status.warnings.length > 0) {
        this.set(id, { ...seen, state: 'degraded', message: status.warnings.join(' ') });
      } else {
        this.set(id, { ...seen, state: 'online', message: null });
      }
    } finally {
      this.#checking.delete(id);
    }
  }

  #healthOfError(runner: StoredRunner, error: unknown): Pick<RunnerHealth, 'state' | 'message'> {
    if (error instanceof SpkiMismatchError) return { state: 'failed', message: error.message };
    if (error instanceof MissingCredential) {
      return { state: 'failed', message: "This workstation's credential for the runner is missing from the OS keychain. Remove the runner and add it again with a new registration token." };
    }
    if (error instanceof RunnerRequestError) {
      if (error.code === 'unauthorized') {
        return {
          state: 'failed',
          message: 'The runner no longer accepts this workstation (it may have been reset, or this workstation removed on it). Remove the runner and add it again with a new registration token.',
        };
      }
      return { state: 'failed', message: error.message };
    }
    if (error instanceof RunnerUnreachableError) return { state: 'offline', message: error.message };
    if (error instanceof CredentialStoreError) return { state: 'failed', message: error.message };
    this.#options.logger.error('runner check failed', { runner: runner.id, error });
    return { state: 'offline', message: `Paddock could not check ${runner.name}; details are in the log.` };
  }
}
