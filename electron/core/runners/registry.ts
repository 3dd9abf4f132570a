import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { RemoteRunnerProbe, Runner } from '../../common/api';
import { PaddockError } from '../../common/errors';
import type { PolicyRunner } from '../../common/policy';
import { okResponseSchema, runnerStatusSchema, type RouteResponse, type RunnerRouteName } from '../../common/runner-api';
import { routeRequest, type RouteInput } from './routes';
import type { CredentialStore } from '../credentials';
import type { Logger } from '../logger';
import type { StoredRunner } from '../store/schema';
import type { AppStore } from '../store/store';
import { RunnerCalls } from './calls';
import type { RunnerConnection, RunnerRequest } from './connection';
import { RunnerHealthMonitor } from './health';
import { LocalRunner, type LocalRunnerConfig, type Supervisor } from './local';
import type { LocalRunnerOptions as SupervisorOptions } from './local-runner';
import { LOCAL_RUNNER_ID, RunnerRecords } from './records';
import { checkRunnerUrl, checkToken, fieldError, RunnerRegistration, type RegistrationTransport } from './registration';

/** How long one heartbeat waits for a runner's status. */
const HEARTBEAT_DEADLINE_MS = 5_000;

export interface RunnerRegistryOptions {
  store: AppStore;
  credentials: CredentialStore;
  logger: Logger;
  /** The local runner, when this app runs one (the app and the web host do). */
  local: LocalRunnerConfig | null;
  heartbeatMs?: number;
  /** How this workstation names itself to remote runners. */
  workstationName?: string;
  onChange: (runners: Runner[]) => void;
  /** Called each time the local runner (re)starts and has proved itself (the admin policy is applied then). */
  onLocalReady?: () => void;
  /** Runners on servers that the admin policy provisions (S7). */
  policyRunners?: readonly PolicyRunner[];
  /** For tests: how runners are reached instead of the real local process and TLS. */
  reach?: {
    supervise?: (options: SupervisorOptions) => Supervisor;
    registration?: RegistrationTransport;
    remote?: (url: URL, spki: string) => RunnerConnection;
  };
}

/**
 * The runners this app knows, as the rest of the core uses them. Each job is
 * its own file: the records in the store (records.ts), live health and the
 * heartbeat (health.ts), the local runner's process (local.ts), registration
 * with runners on servers (registration.ts) and runner API calls (calls.ts).
 */
export class RunnerRegistry {
  readonly #options: RunnerRegistryOptions;
  readonly #records: RunnerRecords;
  readonly #health: RunnerHealthMonitor;
  readonly #calls: RunnerCalls;
  readonly #local: LocalRunner;
  readonly #registration: RunnerRegistration;

  constructor(options: RunnerRegistryOptions) {
    this.#options = options;
    const { store, credentials, logger, reach } = options;
    const records = new RunnerRecords(store, credentials);
    this.#records = records;
    this.#calls = new RunnerCalls({
      records,
      localSession: () => this.#local.session,
      localStarted: (signal) => this.#local.whenStarted(undefined, signal),
      healthMessage: (id) => this.#health.get(id).message,
      ...(reach?.remote ? { remote: reach.remote } : {}),
    });
    this.#health = new RunnerHealthMonitor({
      records,
      // A heartbeat never waits longer than its deadline: a runner that hangs shows as offline, not as online long after.
      status: (runner) => this.#calls.request(runner, { method: 'GET', path: '/v1/status', signal: AbortSignal.timeout(HEARTBEAT_DEADLINE_MS) }, runnerStatusSchema),
      logger,
      ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
      onChange: options.onChange,
    });
    this.#local = new LocalRunner({
      config: options.local,
      records,
      health: this.#health,
      logger,
      ...(options.onLocalReady ? { onReady: options.onLocalReady } : {}),
      ...(reach?.supervise ? { supervise: reach.supervise } : {}),
    });
    this.#registration = new RunnerRegistration({
      logger,
      ...(options.workstationName ? { workstationName: options.workstationName } : {}),
      ...(reach?.registration ? { transport: reach.registration } : {}),
    });
  }

  list(): Runner[] {
    return this.#health.list();
  }

  get(id: string): Runner {
    return this.#health.view(id);
  }

  /** At app start: the policy's runners, the local runner (made on first start, R1), the heartbeat. */
  start(): void {
    void this.#records.syncPolicy(this.#options.policyRunners ?? []).catch((error: unknown) => {
      this.#options.logger.warn('a credential the admin policy made useless could not be deleted', { error: error instanceof Error ? error.message : String(error) });
    });
    this.#local.start();
    this.#health.start();
  }

  /** Connects, checks the runner's proof for this token and its key, and returns what it saw. Registers nothing. */
  async probeRemote(input: { url: string; token: string }): Promise<RemoteRunnerProbe> {
    const { url, token } = this.#checkNewRunner(input);
    return this.#registration.probe(url, token);
  }

  /** Registers this workstation with a runner whose fingerprint the admin confirmed, and pins it. */
  async addRemote(input: { url: string; token: string; name: string; spki: string }): Promise<Runner> {
    const { url, token } = this.#checkNewRunner(input);
    const registration = await this.#registration.register({ url, token, spki: input.spki, publicKey: null, audience: 'runner-admin' });
    const id = `remote-${randomUUID()}`;
    return this.#registered(id, registration.apiToken, () =>
      this.#records.add({
        id,
        name: input.name.trim(),
        kind: 'remote',
        url: url.origin,
        publicKey: registration.publicKey,
        runnerUid: null,
        spki: input.spki,
        clientId: registration.clientId,
        createdAt: new Date().toISOString(),
        policyId: null,
      }),
    );
  }

  /** Registers this workstation with a managed runner: its key and fingerprint come from the policy, so there is nothing to confirm. */
  async registerManaged(id: string, tokenInput: string): Promise<Runner> {
    const runner = this.#records.get(id);
    if (runner.kind !== 'remote' || runner.policyId === null) throw new PaddockError('invalid-input', 'Only runners set up by the admin policy are registered this way.');
    if (runner.clientId !== null) throw new PaddockError('invalid-input', 'This workstation is already registered with that runner.');
    const token = checkToken(tokenInput, 'workstation-user');
    const registration = await this.#registration.register({
      url: new URL(runner.url),
      token,
      spki: runner.spki,
      publicKey: runner.publicKey,
      audience: 'workstation-user',
    });
    return this.#registered(id, registration.apiToken, () => this.#records.setClientId(id, registration.clientId));
  }

  #checkNewRunner(input: { url: string; token: string }): { url: URL; token: string } {
    const url = checkRunnerUrl(input.url);
    const token = checkToken(input.token, 'runner-admin');
    const duplicate = this.#records.atOrigin(url.origin);
    if (duplicate) throw fieldError('url', `This runner is already added as “${duplicate.name}”.`);
    return { url, token };
  }

  /** After registration: the credential goes to the keychain before the record that needs it, then a first check. */
  async #registered(id: string, apiToken: string, save: () => void): Promise<Runner> {
    await this.#records.setCredential(id, apiToken);
    save();
    this.#health.reset(id);
    this.#health.publish();
    await this.#health.check(id);
    return this.get(id);
  }

  /** The admin policy's id for a runner: "local" for the local runner, its policy id for a managed remote one, else null. */
  policyRef(id: string): string | null {
    return this.#records.policyRef(id);
  }

  #refuseManaged(runner: StoredRunner, what: string) {
    if (runner.policyId !== null) throw new PaddockError('forbidden', `${runner.name} is set up by the admin policy; it cannot be ${what} here.`);
  }

  rename(id: string, name: string): Runner {
    this.#refuseManaged(this.#records.get(id), 'renamed');
    this.#records.rename(id, name);
    this.#health.publish();
    return this.get(id);
  }

  /**
   * Removes a runner and deletes what it keeps for this workstation: a remote
   * runner deletes this client's data; the local runner deletes its keys and
   * data and stops. Without `force`, a runner that cannot be reached is not
   * removed (its data would stay behind); with it, it is removed from the app anyway.
   */
  async remove(id: string, force = false): Promise<Runner[]> {
    const runner = this.#records.get(id);
    this.#refuseManaged(runner, 'removed');
    try {
      if (runner.kind === 'remote') await this.#calls.request(runner, { method: 'DELETE', path: '/v1/clients/self' }, okResponseSchema);
      else await this.#local.purge(force);
    } catch (error) {
      if (!force) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new PaddockError(
          'runner-unavailable',
          `${runner.name} could not delete what it stores for this workstation: ${reason} Try again when it is reachable, or remove it from Paddock anyway (its data then stays on the runner).`,
        );
      }
      this.#options.logger.warn('runner removed without reaching it', { runner: id });
    }
    if (runner.kind === 'local') await this.#local.removed(force);
    else await this.#records.deleteCredential(id);
    this.#records.delete(id);
    this.#calls.close(id);
    this.#health.forget(id);
    this.#health.publish();
    return this.list();
  }

  async restart(id: string): Promise<Runner> {
    const runner = this.#records.get(id);
    if (runner.kind === 'local') await this.#local.restart();
    else await this.#health.check(id);
    return this.get(id);
  }

  /** One runner API call on behalf of the app API, with the runner's answer mapped to app errors. */
  call<T>(id: string, request: RunnerRequest, schema: z.ZodType<T>): Promise<T> {
    return this.#calls.call(id, request, schema);
  }

  /** One call of a route of the runner API contract, its answer checked against the route's schema. */
  route<K extends RunnerRouteName>(id: string, name: K, ...input: Record<never, never> extends RouteInput<K> ? [RouteInput<K>?] : [RouteInput<K>]): Promise<RouteResponse<K>> {
    const { request, schema } = routeRequest(name, (input[0] ?? {}) as RouteInput<K>);
    return this.#calls.call(id, request, schema);
  }

  /** A streamed answer (a job's events), failing as `call` does. */
  stream<T>(id: string, request: RunnerRequest, schema: z.ZodType<T>, onLine: (line: T) => void): Promise<void> {
    return this.#calls.stream(id, request, schema, onLine);
  }

  setUpLocal(): Runner {
    this.#local.setUp();
    this.#health.publish();
    return this.get(LOCAL_RUNNER_ID);
  }

  async dispose(): Promise<void> {
    this.#health.stop();
    this.#calls.close();
    await this.#local.dispose();
  }
}
