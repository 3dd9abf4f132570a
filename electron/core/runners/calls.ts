import type { z } from 'zod';
import { PaddockError } from '../../common/errors';
import type { StoredRunner } from '../store/schema';
import {
  pinnedConnection,
  RunnerRequestError,
  RunnerUnreachableError,
  SpkiMismatchError,
  type RunnerConnection,
  type RunnerRequest,
} from './connection';
import type { RunnerRecords } from './records';

/** The local runner has no session: it is starting, stopped or failed (its supervisor says which). */
export class LocalNotRunning extends RunnerUnreachableError {}

/** The OS keychain has no credential for a remote runner this workstation registered with. */
export class MissingCredential extends Error {}

export interface RunnerCallsOptions {
  records: RunnerRecords;
  /** The local runner's connection and token while it runs and has proved itself. */
  localSession: () => { connection: RunnerConnection; token: string } | null;
  /** Resolves once a starting local runner is done starting (or after a while); at once otherwise. */
  localStarted?: (signal?: AbortSignal) => Promise<void>;
  /** What the runner's health says is wrong, for "is not running: …". */
  healthMessage: (id: string) => string | null;
  /** How a remote runner is reached; pinned TLS unless a test says otherwise. */
  remote?: (url: URL, spki: string) => RunnerConnection;
}

/** Requests to a runner with this workstation's credential for it: the local session, or the remote credential over the pinned connection. */
export class RunnerCalls {
  readonly #options: RunnerCallsOptions;
  /** One kept-alive connection per remote runner, for the URL and fingerprint it was made for. */
  readonly #remotes = new Map<string, { pin: string; connection: RunnerConnection }>();

  constructor(options: RunnerCallsOptions) {
    this.#options = options;
  }

  /** One request, failing as the connection does (LocalNotRunning, MissingCredential, the connection's errors). */
  async request<T>(runner: StoredRunner, request: RunnerRequest, schema: z.ZodType<T>): Promise<T> {
    if (runner.kind === 'local') {
      const session = this.#options.localSession();
      if (!session) throw new LocalNotRunning(`${runner.name} is not running: ${this.#options.healthMessage(runner.id) ?? 'it is starting.'}`);
      return session.connection.request({ ...request, bearer: session.token }, schema);
    }
    const token = await this.#options.records.credential(runner.id);
    if (!token) throw new MissingCredential("this workstation's credential for it is missing from the OS keychain.");
    return this.#remote(runner).request({ ...request, bearer: token }, schema);
  }

  /** An app call to the local runner while it starts waits for it, rather than failing with "it is starting". */
  async #started(runner: StoredRunner, signal?: AbortSignal): Promise<void> {
    if (runner.kind === 'local' && !this.#options.localSession()) await this.#options.localStarted?.(signal);
  }

  #remote(runner: StoredRunner & { kind: 'remote' }): RunnerConnection {
    const pin = `${runner.url} ${runner.spki}`;
    const kept = this.#remotes.get(runner.id);
    if (kept?.pin === pin) return kept.connection;
    // The admin policy can move a runner or change its key: the old connection must not carry another request.
    kept?.connection.close();
    const connection = (this.#options.remote ?? pinnedConnection)(new URL(runner.url), runner.spki);
    this.#remotes.set(runner.id, { pin, connection });
    return connection;
  }

  /** Closes the kept-alive connection to one runner (it was removed), or to all (the app quits). */
  close(id?: string): void {
    for (const [runnerId, { connection }] of this.#remotes) {
      if (id !== undefined && runnerId !== id) continue;
      connection.close();
      this.#remotes.delete(runnerId);
    }
  }

  /** One runner API call on behalf of the app API, with the runner's answer mapped to app errors. */
  async call<T>(id: string, request: RunnerRequest, schema: z.ZodType<T>): Promise<T> {
    const runner = this.#options.records.get(id);
    try {
      await this.#started(runner, request.signal);
      return await this.request(runner, request, schema);
    } catch (error) {
      throw toAppError(runner, error);
    }
  }

  /** A streamed runner API answer (a job's events) on behalf of the app, failing as `call` does. */
  async stream<T>(id: string, request: RunnerRequest, schema: z.ZodType<T>, onLine: (line: T) => void): Promise<void> {
    const runner = this.#options.records.get(id);
    try {
      await this.#started(runner, request.signal);
      if (runner.kind === 'local') {
        const session = this.#options.localSession();
        if (!session) throw new LocalNotRunning(`${runner.name} is not running: ${this.#options.healthMessage(runner.id) ?? 'it is starting.'}`);
        return await session.connection.stream({ ...request, bearer: session.token }, schema, onLine);
      }
      const token = await this.#options.records.credential(runner.id);
      if (!token) throw new MissingCredential("this workstation's credential for it is missing from the OS keychain.");
      return await this.#remote(runner).stream({ ...request, bearer: token }, schema, onLine);
    } catch (error) {
      throw toAppError(runner, error);
    }
  }
}

/**
 * What the app API reports for a failed runner call. The runner's own code
 * (from the one catalogue) is kept with its message and detail; only a
 * refused credential, which is about this workstation and not the request,
 * becomes 'runner-unavailable'. Anything else is passed on as it is.
 */
export function toAppError(runner: Pick<StoredRunner, 'id' | 'name'>, error: unknown): unknown {
  if (error instanceof RunnerRequestError) {
    if (error.code === 'unauthorized') {
      return new PaddockError(
        'runner-unavailable',
        `${runner.name} no longer accepts this workstation (it may have been reset, or this workstation removed on it). Remove the runner and add it again with a new registration token.`,
        undefined,
        { runnerId: runner.id },
      );
    }
    return new PaddockError(error.code, error.message, error.data.issues, { ...error.data.detail, runnerId: runner.id });
  }
  // Its message already names the runner and says why ("… is not running: …").
  if (error instanceof LocalNotRunning) return new PaddockError('runner-unavailable', error.message, undefined, { runnerId: runner.id });
  if (error instanceof RunnerUnreachableError) {
    return new PaddockError(error.reason === 'timeout' ? 'timeout' : 'runner-unavailable', `${runner.name} cannot be reached: ${error.message}`, undefined, { runnerId: runner.id });
  }
  if (error instanceof SpkiMismatchError || error instanceof MissingCredential) {
    return new PaddockError('runner-unavailable', `${runner.name} cannot be reached: ${error.message}`, undefined, { runnerId: runner.id });
  }
  return error;
}
