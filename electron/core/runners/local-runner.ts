import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  helloResponseSchema,
  okResponseSchema,
  RUNNER_API_VERSION,
  RUNNER_EXIT,
  RUNNER_STOP_GRACE_MS,
  runnerChildMessageSchema,
  type RunnerParentMessage,
} from '../../common/runner-api';
import type { Logger } from '../logger';
import { localConnection, type RunnerConnection } from './connection';

/** A started runner process, whatever started it (Electron utilityProcess, Node fork). */
export interface RunnerProcess {
  postMessage(message: RunnerParentMessage): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export type RunnerLauncher = (args: string[]) => RunnerProcess;

export type LocalRunnerPhase = 'stopped' | 'starting' | 'running' | 'failed';

export interface LocalRunnerState {
  phase: LocalRunnerPhase;
  /** For 'failed' and restarts: what happened and what to do. */
  message: string | null;
  publicKey: string | null;
  runnerUid: string | null;
  version: string | null;
  apiVersion: number | null;
}

export interface LocalRunnerOptions {
  dataDir: string;
  launch: RunnerLauncher;
  /** More `serve` flags (--ca-file, --no-proxy …). */
  args?: string[];
  /** The proxy URL (the admin policy's): sent with the token, never argv, since it may hold credentials. */
  proxy?: string;
  /** The network settings as they are at each start (Settings and the admin policy): more flags, and a proxy URL that wins over `proxy`. */
  network?: () => { args: string[]; proxy?: string };
  logger: Logger;
  onChange: (state: LocalRunnerState) => void;
  backoff?: { initialMs: number; maxMs: number };
}

/**
 * Starts the local runner with a fresh token, checks that whatever answers
 * on its socket knows that token before sending it, restarts it with backoff
 * when it crashes, and does not restart it when it exits because the OS
 * keychain cannot be reached (the user has to fix that; restarting would loop).
 */
export class LocalRunnerSupervisor {
  #state: LocalRunnerState = { phase: 'stopped', message: null, publicKey: null, runnerUid: null, version: null, apiVersion: null };
  #process: RunnerProcess | null = null;
  #token: string | null = null;
  #connection: RunnerConnection | null = null;
  #endpoint: string | null = null;
  #stopping = false;
  /** How many times stop was called: a restart starts the runner again only if no other stop came meanwhile. */
  #stops = 0;
  /** Stopping to start again (restart): the runner is shown starting throughout, never stopped. */
  #restarting = false;
  #restartTimer: NodeJS.Timeout | null = null;
  #delay: number;
  #exited: Promise<void> = Promise.resolve();
  readonly #options: LocalRunnerOptions;

  constructor(options: LocalRunnerOptions) {
    this.#options = options;
    this.#delay = options.backoff?.initialMs ?? 1000;
  }

  get state(): LocalRunnerState {
    return this.#state;
  }

  /** The connection and token while the runner is running and proved itself. */
  /** Waiting out the backoff after the runner stopped unexpectedly (its state says "restarting in N s"). */
  get waitingToRestart(): boolean {
    return this.#restartTimer !== null;
  }

  get session(): { connection: RunnerConnection; token: string; endpoint: string } | null {
    return this.#state.phase === 'running' && this.#connection && this.#token && this.#endpoint
      ? { connection: this.#connection, token: this.#token, endpoint: this.#endpoint }
      : null;
  }

  #set(change: Partial<LocalRunnerState>) {
    this.#state = { ...this.#state, ...change };
    this.#options.onChange(this.#state);
  }

  start(): void {
    if (this.#process) return;
    this.#stopping = false;
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    this.#restartTimer = null;
    const token = randomBytes(32).toString('base64url');
    this.#token = token;
    this.#connection = null;
    this.#set({ phase: 'starting', message: this.#state.phase === 'failed' ? null : this.#state.message });
    let fatal: string | null = null;
    const network = this.#options.network?.();
    const proxy = network?.proxy ?? this.#options.proxy;
    const child = this.#options.launch(['serve', '--data-dir', this.#options.dataDir, ...(this.#options.args ?? []), ...(network?.args ?? [])]);
    this.#process = child;
    let resolveExit!: () => void;
    this.#exited = new Promise((resolve) => (resolveExit = resolve));
    // The token (and a proxy URL, which may hold credentials) travel over the process channel, never argv or the environment.
    child.postMessage({ type: 'token', token, ...(proxy ? { proxy } : {}) });

    child.onMessage((raw) => {
      const message = runnerChildMessageSchema.safeParse(raw);
      if (!message.success) {
        this.#options.logger.warn('ignored an unexpected message from the local runner');
        return;
      }
      if (message.data.type === 'fatal') {
        fatal = message.data.message;
        return;
      }
      const ready = message.data;
      void this.#verify(ready.endpoint, token).then(
        (connection) => {
          if (this.#process !== child) return;
          this.#connection = connection;
          this.#endpoint = ready.endpoint;
          this.#delay = this.#options.backoff?.initialMs ?? 1000;
          if (ready.apiVersion !== RUNNER_API_VERSION) {
            this.#set({
              phase: 'failed',
              message: `The local runner speaks runner API v${ready.apiVersion}; this app speaks v${RUNNER_API_VERSION}. Reinstall Paddock so both come from the same version.`,
            });
            return;
          }
          this.#set({ phase: 'running', message: null, publicKey: ready.publicKey, runnerUid: ready.runnerId, version: ready.version, apiVersion: ready.apiVersion });
        },
        (error: Error) => {
          this.#options.logger.error('local runner failed its proof', { error: error.message });
          this.#set({ phase: 'failed', message: error.message });
          child.kill();
        },
      );
    });

    child.onExit((code) => {
      resolveExit();
      if (this.#process !== child) return;
      this.#process = null;
      this.#connection = null;
      if (this.#stopping) {
        this.#set({ phase: this.#restarting ? 'starting' : 'stopped', message: null });
        return;
      }
      if (code === RUNNER_EXIT.keychainUnavailable || code === RUNNER_EXIT.dataDir) {
        this.#set({ phase: 'failed', message: fatal ?? `The local runner could not start (exit code ${code}).` });
        return;
      }
      if (this.#state.phase === 'failed') return;
      const delay = this.#delay;
      this.#delay = Math.min(delay * 2, this.#options.backoff?.maxMs ?? 30_000);
      this.#options.logger.warn('local runner exited; restarting', { code, delay });
      this.#set({
        phase: 'starting',
        message: `The local runner stopped unexpectedly (${fatal ?? `exit code ${code}`}); restarting in ${Math.round(delay / 1000)} s.`,
      });
      this.#restartTimer = setTimeout(() => {
        this.#restartTimer = null;
        this.start();
      }, delay);
      this.#restartTimer.unref?.();
    });
  }

  /** The runner must prove it knows the token (HMAC of our nonce) before we send the token. */
  async #verify(endpoint: string, token: string): Promise<RunnerConnection> {
    const connection = localConnection(endpoint);
    const nonce = randomBytes(32).toString('base64');
    const { proof } = await connection.request({ method: 'POST', path: '/v1/hello', body: { nonce } }, helloResponseSchema);
    const expected = createHmac('sha256', token).update(`paddock-hello-v1\n${nonce}`).digest();
    const presented = Buffer.from(proof, 'base64');
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      throw new Error('Something answered on the local runner’s socket without knowing its token, so Paddock stopped it. Restart Paddock; if this happens again, another program may be interfering.');
    }
    return connection;
  }

  async stop(): Promise<void> {
    this.#stops++;
    this.#stopping = true;
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    this.#restartTimer = null;
    const child = this.#process;
    if (!child) {
      if (this.#state.phase !== 'failed' && !this.#restarting) this.#set({ phase: 'stopped' });
      return;
    }
    child.postMessage({ type: 'shutdown' });
    // A stopping runner may wait for a token refresh in flight (RUNNER_STOP_WAIT_MS): kill it only after that.
    const timer = setTimeout(() => child.kill(), RUNNER_STOP_GRACE_MS);
    await this.#exited;
    clearTimeout(timer);
  }

  /**
   * Stops the runner (its jobs under way are cancelled) and starts it again.
   * From the first moment it is 'starting', and stays so until it runs or
   * fails: a restart is never shown as a stopped runner.
   */
  async restart(): Promise<void> {
    this.#restarting = true;
    this.#set({ phase: 'starting', message: null });
    const stops = this.#stops + 1;
    try {
      await this.stop();
    } finally {
      this.#restarting = false;
    }
    // Another stop meanwhile (the app quits, the local runner is removed) wins: no process is started behind it.
    if (this.#stops !== stops) {
      if (this.#state.phase === 'starting') this.#set({ phase: 'stopped', message: null });
      return;
    }
    this.#delay = this.#options.backoff?.initialMs ?? 1000;
    this.start();
  }

  /** Asks the runner to delete its keys and data, then waits for it to stop. */
  async purge(): Promise<void> {
    const session = this.session;
    if (!session) throw new Error('The local runner is not running, so it cannot delete its keys.');
    // Only once the runner says its keys and data are gone is its exit expected.
    await session.connection.request({ method: 'POST', path: '/v1/purge', bearer: session.token }, okResponseSchema);
    this.#stopping = true;
    const child = this.#process;
    // After a purge the runner stops as on shutdown, with the same wait.
    const timer = setTimeout(() => child?.kill(), RUNNER_STOP_GRACE_MS);
    await this.#exited;
    clearTimeout(timer);
  }
}
