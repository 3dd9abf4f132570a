import fs from 'node:fs';
import path from 'node:path';
import { PaddockError } from '../../common/errors';
import type { Logger } from '../logger';
import { RunnerUnreachableError, type RunnerConnection } from './connection';
import type { RunnerHealthMonitor } from './health';
import { LocalRunnerSupervisor, type LocalRunnerOptions as SupervisorOptions, type LocalRunnerState, type RunnerLauncher } from './local-runner';
import { LOCAL_RUNNER_ID, type RunnerRecords } from './records';

/** How long a call waits for a starting local runner before it says that the runner is not running. */
export const LOCAL_START_WAIT_MS = 20_000;

/** How this app runs its local runner. */
export interface LocalRunnerConfig {
  dataDir: string;
  launch: RunnerLauncher;
  args?: string[];
  /** The proxy URL, given with the token (it may hold credentials). */
  proxy?: string;
  /** The network settings as they are at each start (they change in Settings): flags, and a proxy URL that wins over `proxy`. */
  network?: () => { args: string[]; proxy?: string };
  backoff?: { initialMs: number; maxMs: number };
}

/** The part of LocalRunnerSupervisor this file uses (a test gives a fake). */
export type Supervisor = Pick<LocalRunnerSupervisor, 'session' | 'start' | 'stop' | 'restart' | 'purge'> & Partial<Pick<LocalRunnerSupervisor, 'waitingToRestart'>>;

export interface LocalRunnerOptions {
  /** Null when this app runs no local runner (unit tests of other parts). */
  config: LocalRunnerConfig | null;
  records: RunnerRecords;
  health: RunnerHealthMonitor;
  logger: Logger;
  /** Called each time the local runner (re)starts and has proved itself (the admin policy is applied then). */
  onReady?: () => void;
  supervise?: (options: SupervisorOptions) => Supervisor;
}

/**
 * The local runner as the app keeps it: its record (made on first start,
 * R1), its process (LocalRunnerSupervisor) and the health its process state
 * gives, and what removing it deletes.
 */
export class LocalRunner {
  readonly #options: LocalRunnerOptions;
  #supervisor: Supervisor | null = null;
  /** Calls waiting for the runner to be done starting (whenStarted). */
  readonly #waiting = new Set<() => void>();

  constructor(options: LocalRunnerOptions) {
    this.#options = options;
  }

  /** The connection and token while it runs and has proved itself. */
  get session(): { connection: RunnerConnection; token: string } | null {
    return this.#supervisor?.session ?? null;
  }

  /** At app start: makes its record unless the user removed it, and starts it. */
  start(): void {
    const { config, records } = this.#options;
    if (!config) return;
    if (!records.localRemoved && !records.hasLocal()) records.addLocal();
    if (records.hasLocal()) this.#run(config);
  }

  /** Sets it up again after the user removed it (or starts it if it stopped). */
  setUp(): void {
    const { config, records, health } = this.#options;
    if (!config) throw new PaddockError('runner-unavailable', 'This app has no local runner.');
    records.localRemoved = false;
    if (!records.hasLocal()) records.addLocal();
    health.reset(LOCAL_RUNNER_ID);
    this.#run(config);
  }

  /**
   * Resolves once a starting runner runs, stopped or failed, or after
   * `timeoutMs`; at once when it is not starting. A call made while it
   * starts (the app just opened, a restart) waits for it instead of failing.
   */
  whenStarted(timeoutMs = LOCAL_START_WAIT_MS, signal?: AbortSignal): Promise<void> {
    // A crash's backoff is not waited out: the call says at once what the runner's state says.
    if (!this.#supervisor || this.session || this.#supervisor.waitingToRestart === true || this.#options.health.get(LOCAL_RUNNER_ID).state !== 'starting') return Promise.resolve();
    if (signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiting.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      timer.unref?.();
      this.#waiting.add(done);
      // A cancelled call stops waiting; the request then ends as cancelled.
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  async restart(): Promise<void> {
    const { config } = this.#options;
    if (!config) throw new PaddockError('runner-unavailable', 'This app has no local runner.');
    if (!this.#supervisor) this.#run(config);
    else await this.#supervisor.restart();
  }

  /** Asks it to delete its keys and data; without `force` it must be running to do so. */
  async purge(force: boolean): Promise<void> {
    if (this.#supervisor?.session) await this.#supervisor.purge();
    else if (!force) throw new RunnerUnreachableError('The local runner is not running, so it cannot delete its keys and data.');
  }

  /** After its record goes: stops it, and is not made again at the next start. */
  async removed(force: boolean): Promise<void> {
    await this.#supervisor?.stop();
    this.#supervisor = null;
    // Forced while it could not purge itself: its files (encrypted, or public) go too,
    // so setting it up again starts clean. A keychain entry it could not reach may remain.
    const dataDir = this.#options.config?.dataDir;
    if (force && dataDir && fs.existsSync(dataDir)) {
      for (const entry of fs.readdirSync(dataDir)) fs.rmSync(path.join(dataDir, entry), { recursive: true, force: true });
    }
    this.#options.records.localRemoved = true;
  }

  async dispose(): Promise<void> {
    await this.#supervisor?.stop();
  }

  #run(config: LocalRunnerConfig) {
    const supervise = this.#options.supervise ?? ((options) => new LocalRunnerSupervisor(options));
    this.#supervisor ??= supervise({
      dataDir: config.dataDir,
      launch: config.launch,
      ...(config.args ? { args: config.args } : {}),
      ...(config.proxy ? { proxy: config.proxy } : {}),
      ...(config.network ? { network: config.network } : {}),
      logger: this.#options.logger,
      ...(config.backoff ? { backoff: config.backoff } : {}),
      onChange: (state) => this.#onState(state),
    });
    this.#supervisor.start();
  }

  #onState(state: LocalRunnerState) {
    const { records, health } = this.#options;
    if (state.phase !== 'starting') queueMicrotask(() => [...this.#waiting].forEach((done) => done()));
    if (!records.hasLocal()) return;
    if (state.publicKey) records.remember(LOCAL_RUNNER_ID, state.publicKey, state.runnerUid);
    if (state.phase === 'running') {
      health.set(LOCAL_RUNNER_ID, {
        state: 'online',
        message: null,
        version: state.version,
        apiVersion: state.apiVersion,
        lastSeen: new Date().toISOString(),
      });
      void health.check(LOCAL_RUNNER_ID);
      this.#options.onReady?.();
    } else {
      const previous = health.get(LOCAL_RUNNER_ID);
      health.set(LOCAL_RUNNER_ID, {
        state: state.phase === 'failed' ? 'failed' : state.phase === 'starting' ? 'starting' : 'offline',
        message: state.message,
        version: previous.version,
        apiVersion: previous.apiVersion,
        lastSeen: previous.lastSeen,
      });
    }
  }
}
