import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import type { z } from 'zod';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import type { RemoteRunnerProbe, Runner, RunnerHealth } from '../../common/api';
import { PaddockError } from '../../common/errors';
import {
  challengeResponseSchema,
  healthResponseSchema,
  okResponseSchema,
  REGISTRATION_TOKEN_PREFIX,
  registrationTokenExpiry,
  registrationResponseSchema,
  RUNNER_API_VERSION,
  runnerStatusSchema,
  type RunnerStatus,
} from '../../common/runner-api';
import type { CredentialStore } from '../credentials';
import type { Logger } from '../logger';
import type { PolicyRunner } from '../../common/policy';
import type { StoredRunner } from '../store/schema';
import type { AppStore } from '../store/store';
import {
  connectTls,
  parseRunnerUrl,
  pinnedConnection,
  requestOnSocket,
  RunnerRequestError,
  RunnerUnreachableError,
  SpkiMismatchError,
  type RunnerRequest,
} from './connection';
import { LocalRunnerSupervisor, type LocalRunnerState, type RunnerLauncher } from './local-runner';

export const LOCAL_RUNNER_ID = 'local';

export interface RunnerRegistryOptions {
  store: AppStore;
  credentials: CredentialStore;
  logger: Logger;
  /** The local runner, when this app runs one (the app and the web host do). */
  local: { dataDir: string; launch: RunnerLauncher; args?: string[]; backoff?: { initialMs: number; maxMs: number } } | null;
  heartbeatMs?: number;
  /** How this workstation names itself to remote runners. */
  workstationName?: string;
  onChange: (runners: Runner[]) => void;
  /** Called each time the local runner (re)starts and has proved itself (the admin policy is applied then). */
  onLocalReady?: () => void;
  /** Runners on servers that the admin policy provisions (S7). */
  policyRunners?: readonly PolicyRunner[];
}

const credentialAccount = (id: string) => `runner:${id}`;

const emptyHealth = (state: RunnerHealth['state'], message: string | null = null): RunnerHealth => ({
  state,
  message,
  version: null,
  apiVersion: null,
  lastSeen: null,
});

const fieldError = (path: string, message: string) => new PaddockError('invalid-argument', message, [{ path, message }]);

/**
 * The runners this app knows: their records in the store, their live health
 * from a heartbeat, the local runner's process, and registration with
 * runners on servers.
 */
export class RunnerRegistry {
  readonly #options: RunnerRegistryOptions;
  readonly #health = new Map<string, RunnerHealth>();
  readonly #checking = new Set<string>();
  #supervisor: LocalRunnerSupervisor | null = null;
  #timer: NodeJS.Timeout | null = null;
  #lastPublished = '';

  constructor(options: RunnerRegistryOptions) {
    this.#options = options;
  }

  #stored(): StoredRunner[] {
    return this.#options.store.get('runners');
  }

  #save(runners: StoredRunner[]) {
    this.#options.store.set('runners', runners);
  }

  #find(id: string): StoredRunner {
    const runner = this.#stored().find((r) => r.id === id);
    if (!runner) throw new PaddockError('not-found', 'That runner no longer exists.');
    return runner;
  }

  #view(runner: StoredRunner): Runner {
    const { clientId: _clientId, policyId, ...rest } = runner;
    return { ...rest, managed: policyId !== null, health: this.#health.get(runner.id) ?? emptyHealth('starting') };
  }

  list(): Runner[] {
    return this.#stored().map((r) => this.#view(r));
  }

  get(id: string): Runner {
    return this.#view(this.#find(id));
  }

  #publish() {
    const runners = this.list();
    const text = JSON.stringify(runners);
    if (text === this.#lastPublished) return;
    this.#lastPublished = text;
    this.#options.onChange(runners);
  }

  #setHealth(id: string, health: RunnerHealth) {
    this.#health.set(id, health);
    this.#publish();
  }

  /**
   * The admin policy's runners: added as managed (waiting for this
   * workstation's registration token), kept in step with the policy, and
   * released (no longer managed) when the policy stops naming them.
   */
  #syncPolicyRunners() {
    const policy = this.#options.policyRunners ?? [];
    const runners = this.#stored();
    const next: StoredRunner[] = [];
    for (const runner of runners) {
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
        if (changedKey) void this.#options.credentials.delete(credentialAccount(runner.id));
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
  }

  /** At app start: make the local runner on first start (R1), start it, start the heartbeat. */
  start(): void {
    this.#syncPolicyRunners();
    const { local, store } = this.#options;
    if (local && !store.get('localRunnerRemoved') && !this.#stored().some((r) => r.id === LOCAL_RUNNER_ID)) {
      this.#createLocalRecord();
    }
    if (local && this.#stored().some((r) => r.id === LOCAL_RUNNER_ID)) this.#startLocal();
    this.#timer = setInterval(() => void this.checkAll(), this.#options.heartbeatMs ?? 5000);
    this.#timer.unref?.();
    void this.checkAll();
  }

  #createLocalRecord() {
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
      ...this.#stored(),
    ]);
  }

  #startLocal() {
    const local = this.#options.local!;
    this.#supervisor ??= new LocalRunnerSupervisor({
      dataDir: local.dataDir,
      launch: local.launch,
      ...(local.args ? { args: local.args } : {}),
      logger: this.#options.logger,
      ...(local.backoff ? { backoff: local.backoff } : {}),
      onChange: (state) => this.#onLocalState(state),
    });
    this.#supervisor.start();
  }

  #onLocalState(state: LocalRunnerState) {
    if (!this.#stored().some((r) => r.id === LOCAL_RUNNER_ID)) return;
    if (state.publicKey) this.#remember(LOCAL_RUNNER_ID, state.publicKey, state.runnerUid);
    const previous = this.#health.get(LOCAL_RUNNER_ID);
    if (state.phase === 'running') {
      this.#setHealth(LOCAL_RUNNER_ID, {
        state: 'online',
        message: null,
        version: state.version,
        apiVersion: state.apiVersion,
        lastSeen: new Date().toISOString(),
      });
      void this.check(LOCAL_RUNNER_ID);
      this.#options.onLocalReady?.();
    } else {
      this.#setHealth(LOCAL_RUNNER_ID, {
        state: state.phase === 'failed' ? 'failed' : state.phase === 'starting' ? 'starting' : 'offline',
        message: state.message,
        version: previous?.version ?? null,
        apiVersion: previous?.apiVersion ?? null,
        lastSeen: previous?.lastSeen ?? null,
      });
    }
  }

  /** Keeps the runner's public key and own id as it reports them (a new local runner has new ones). */
  #remember(id: string, publicKey: string, runnerUid: string | null) {
    const runners = this.#stored();
    const record = runners.find((r) => r.id === id);
    if (record && (record.publicKey !== publicKey || record.runnerUid !== runnerUid)) {
      record.publicKey = publicKey;
      record.runnerUid = runnerUid;
      this.#save(runners);
    }
  }

  async checkAll(): Promise<void> {
    await Promise.all(this.#stored().map((r) => this.check(r.id)));
  }

  /** One heartbeat for one runner. */
  async check(id: string): Promise<void> {
    if (this.#checking.has(id)) return;
    const runner = this.#stored().find((r) => r.id === id);
    if (!runner) return;
    this.#checking.add(id);
    try {
      const previous = this.#health.get(id);
      const keep = { version: previous?.version ?? null, apiVersion: previous?.apiVersion ?? null, lastSeen: previous?.lastSeen ?? null };
      let status: RunnerStatus;
      try {
        status = await this.#status(runner);
      } catch (error) {
        if (error instanceof LocalNotRunning) return; // the supervisor reports the local runner's state
        this.#setHealth(id, { ...keep, ...this.#healthOfError(runner, error) });
        return;
      }
      const seen = { version: status.version, apiVersion: status.apiVersion, lastSeen: new Date().toISOString() };
      if (runner.kind === 'local') this.#remember(id, status.publicKey, status.runnerId);
      else if (runner.publicKey === status.publicKey && runner.runnerUid !== status.runnerId) this.#remember(id, status.publicKey, status.runnerId);
      if (status.apiVersion !== RUNNER_API_VERSION) {
        this.#setHealth(id, {
          ...seen,
          state: 'failed',
          message: `This runner speaks runner API v${status.apiVersion}; this app speaks v${RUNNER_API_VERSION}. Update the older of the two.`,
        });
      } else if (status.warnings.length > 0) {
        this.#setHealth(id, { ...seen, state: 'degraded', message: status.warnings.join(' ') });
      } else {
        this.#setHealth(id, { ...seen, state: 'online', message: null });
      }
    } finally {
      this.#checking.delete(id);
    }
  }

  async #status(runner: StoredRunner): Promise<RunnerStatus> {
    const request = { method: 'GET' as const, path: '/v1/status' };
    if (runner.kind === 'remote' && runner.clientId === null) throw new Unregistered();
    if (runner.kind === 'local') {
      const session = this.#supervisor?.session;
      if (!session) throw new LocalNotRunning();
      return session.connection.request({ ...request, bearer: session.token }, runnerStatusSchema);
    }
    const token = await this.#options.credentials.get(credentialAccount(runner.id));
    if (!token) throw new MissingCredential();
    return pinnedConnection(new URL(runner.url!), runner.spki!).request({ ...request, bearer: token }, runnerStatusSchema);
  }

  #healthOfError(runner: StoredRunner, error: unknown): Pick<RunnerHealth, 'state' | 'message'> {
    if (error instanceof Unregistered) {
      return {
        state: 'unregistered',
        message: 'Your admin set up this runner for everyone. Enter a registration token for this workstation (your admin creates it on the runner) to start using it.',
      };
    }
    if (error instanceof SpkiMismatchError) return { state: 'failed', message: error.message };
    if (error instanceof MissingCredential) {
      return { state: 'failed', message: "This workstation's credential for the runner is missing from the OS keychain. Remove the runner and add it again with a new registration token." };
    }
    if (error instanceof RunnerRequestError) {
      if (error.status === 401) {
        return {
          state: 'failed',
          message: 'The runner no longer accepts this workstation (it may have been reset, or this workstation removed on it). Remove the runner and add it again with a new registration token.',
        };
      }
      return { state: 'failed', message: error.message };
    }
    if (error instanceof RunnerUnreachableError) return { state: 'offline', message: error.message };
    if (error instanceof Error && /keychain/i.test(error.message)) return { state: 'failed', message: error.message };
    this.#options.logger.error('runner check failed', { runner: runner.id, error });
    return { state: 'offline', message: `Paddock could not check ${runner.name}; details are in the log.` };
  }

  /** Connects, checks the runner's proof for this token and its key, and returns what it saw. Registers nothing. */
  async probeRemote(input: { url: string; token: string }): Promise<RemoteRunnerProbe> {
    const { url, token } = this.#checkInput(input);
    const { socket, spki } = await this.#connect(url, 'probe');
    const seen = await this.#challenge(socket, url, token, spki);
    const { socket: again } = await this.#connect(url, { spki });
    const health = await requestOnSocket(again, url, { method: 'GET', path: '/v1/health' }, healthResponseSchema).catch((e) => {
      throw this.#apiError(e, url);
    });
    if (health.apiVersion !== RUNNER_API_VERSION) {
      throw new PaddockError(
        'unavailable',
        `The runner at ${url.origin} speaks runner API v${health.apiVersion}; this app speaks v${RUNNER_API_VERSION}. Update the older of the two, then try again.`,
      );
    }
    return { url: url.origin, spki, publicKey: seen.publicKey, version: health.version, apiVersion: health.apiVersion, tokenExpiresAt: registrationTokenExpiry(token)!.toISOString() };
  }

  /** Registers this workstation with a runner whose fingerprint the admin confirmed, and pins it. */
  async addRemote(input: { url: string; token: string; name: string; spki: string }): Promise<Runner> {
    const { url, token } = this.#checkInput(input);
    // Pinned to what the admin confirmed: a different key now fails here.
    const { socket } = await this.#connect(url, { spki: input.spki });
    const seen = await this.#challenge(socket, url, token, input.spki);
    const { socket: again } = await this.#connect(url, { spki: input.spki });
    const registration = await requestOnSocket(
      again,
      url,
      { method: 'POST', path: '/v1/registration', body: { token, name: this.#options.workstationName ?? `${os.userInfo().username}@${os.hostname()}` } },
      registrationResponseSchema,
    ).catch((e) => {
      throw this.#apiError(e, url);
    });
    if (registration.publicKey !== seen.publicKey) {
      throw new PaddockError('forbidden', `The runner at ${url.origin} changed its public key during registration. Paddock did not add it; try again.`);
    }
    const id = `remote-${randomUUID()}`;
    await this.#options.credentials.set(credentialAccount(id), registration.apiToken);
    const record: StoredRunner = {
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
    };
    this.#save([...this.#stored(), record]);
    this.#health.set(id, emptyHealth('starting'));
    this.#publish();
    await this.check(id);
    return this.get(id);
  }

  #checkInput(input: { url: string; token: string }): { url: URL; token: string } {
    let url: URL;
    try {
      url = parseRunnerUrl(input.url);
    } catch (error) {
      throw fieldError('url', (error as Error).message);
    }
    const token = input.token.trim();
    const expiry = registrationTokenExpiry(token);
    if (!expiry) throw fieldError('token', `That is not a registration token: tokens start with ${REGISTRATION_TOKEN_PREFIX} and come from \`registration create\` on the runner.`);
    if (expiry.getTime() <= Date.now()) {
      throw fieldError('token', `This registration token expired at ${expiry.toISOString()}. Create a new one on the runner.`);
    }
    const duplicate = this.#stored().find((r) => r.url === url.origin);
    if (duplicate) throw fieldError('url', `This runner is already added as “${duplicate.name}”.`);
    return { url, token };
  }

  async #connect(url: URL, pin: { spki: string } | 'probe') {
    try {
      return await connectTls(url, pin);
    } catch (error) {
      throw this.#apiError(error, url);
    }
  }

  async #challenge(socket: TLSSocket, url: URL, token: string, spki: string) {
    const nonce = randomBytes(32).toString('base64');
    const tokenHash = createHash('sha256').update(token).digest('hex');
    const answer = await requestOnSocket(
      socket,
      url,
      { method: 'POST', path: '/v1/registration/challenge', body: { nonce, tokenId: tokenHash.slice(0, 16) } },
      challengeResponseSchema,
    ).catch((e) => {
      throw this.#apiError(e, url);
    });
    const expected = createHmac('sha256', Buffer.from(tokenHash, 'hex')).update(`${nonce}\n${spki}\n${answer.publicKey}`).digest();
    const proof = Buffer.from(answer.proof, 'base64');
    // The proof binds the key seen on this TLS connection: a relay with another key cannot pass it.
    if (answer.spki !== spki || proof.length !== expected.length || !timingSafeEqual(proof, expected)) {
      throw new PaddockError(
        'forbidden',
        `The server at ${url.origin} could not prove that it is the runner that made this registration token. Check the URL and the token; if both are right, someone may be intercepting the connection.`,
      );
    }
    return answer;
  }

  #apiError(error: unknown, url: URL): PaddockError {
    if (error instanceof PaddockError) return error;
    if (error instanceof RunnerRequestError) {
      if (error.code === 'token-expired' || error.code === 'token-used' || error.code === 'unauthorized') return fieldError('token', error.message);
      if (error.code === 'incompatible-api') return new PaddockError('unavailable', error.message);
      return new PaddockError('unavailable', `The runner at ${url.origin} refused: ${error.message}`);
    }
    if (error instanceof SpkiMismatchError) return new PaddockError('forbidden', error.message);
    if (error instanceof RunnerUnreachableError) return fieldError('url', error.message);
    this.#options.logger.error('remote runner request failed', { url: url.origin, error });
    return new PaddockError('internal', `Paddock could not talk to the runner at ${url.origin}; details are in the log.`);
  }

  /** Registers this workstation with a managed runner: its key and fingerprint come from the policy, so there is nothing to confirm. */
  async registerManaged(id: string, tokenInput: string): Promise<Runner> {
    const runner = this.#find(id);
    if (runner.kind !== 'remote' || runner.policyId === null) throw new PaddockError('invalid-argument', 'Only runners set up by the admin policy are registered this way.');
    if (runner.clientId !== null) throw new PaddockError('invalid-argument', 'This workstation is already registered with that runner.');
    const url = new URL(runner.url);
    const token = tokenInput.trim();
    const expiry = registrationTokenExpiry(token);
    if (!expiry) throw fieldError('token', `That is not a registration token: tokens start with ${REGISTRATION_TOKEN_PREFIX} and come from \`registration create\` on the runner.`);
    if (expiry.getTime() <= Date.now()) throw fieldError('token', `This registration token expired at ${expiry.toISOString()}. Ask your admin for a new one.`);
    const { socket } = await this.#connect(url, { spki: runner.spki });
    // The runner's hints about tokens are written for its admin; a workstation user asks the admin instead.
    const forUser = (error: unknown): never => {
      if (error instanceof PaddockError && error.issues?.[0]?.path === 'token') {
        const reason = /already used/.test(error.message) ? 'This registration token was already used' : /expired/.test(error.message) ? 'This registration token has expired' : 'The runner does not know this registration token';
        throw fieldError('token', `${reason}. Ask your admin for a new one for this workstation.`);
      }
      throw error;
    };
    const seen = await this.#challenge(socket, url, token, runner.spki).catch(forUser);
    if (runner.publicKey && seen.publicKey !== runner.publicKey) {
      throw new PaddockError('forbidden', `The runner at ${url.origin} shows another public key than the admin policy names. Paddock did not register; tell your admin.`);
    }
    const { socket: again } = await this.#connect(url, { spki: runner.spki });
    const registration = await requestOnSocket(
      again,
      url,
      { method: 'POST', path: '/v1/registration', body: { token, name: this.#options.workstationName ?? `${os.userInfo().username}@${os.hostname()}` } },
      registrationResponseSchema,
    ).catch((e) => forUser(this.#apiError(e, url)));
    if (runner.publicKey && registration.publicKey !== runner.publicKey) {
      throw new PaddockError('forbidden', `The runner at ${url.origin} answered the registration with another public key than the admin policy names. Tell your admin.`);
    }
    await this.#options.credentials.set(credentialAccount(id), registration.apiToken);
    this.#save(this.#stored().map((r) => (r.id === id && r.kind === 'remote' ? { ...r, clientId: registration.clientId } : r)));
    this.#health.set(id, emptyHealth('starting'));
    this.#publish();
    await this.check(id);
    return this.get(id);
  }

  /** The admin policy's id for a runner: "local" for the local runner, its policy id for a managed remote one, else null. */
  policyRef(id: string): string | null {
    const runner = this.#stored().find((r) => r.id === id);
    if (!runner) return null;
    return runner.kind === 'local' ? 'local' : runner.policyId;
  }

  #refuseManaged(runner: StoredRunner, what: string) {
    if (runner.policyId !== null) throw new PaddockError('forbidden', `${runner.name} is set up by the admin policy; it cannot be ${what} here.`);
  }

  rename(id: string, name: string): Runner {
    const runners = this.#stored();
    const runner = runners.find((r) => r.id === id);
    if (!runner) throw new PaddockError('not-found', 'That runner no longer exists.');
    this.#refuseManaged(runner, 'renamed');
    runner.name = name.trim();
    this.#save(runners);
    this.#publish();
    return this.get(id);
  }

  /**
   * Removes a runner and deletes what it keeps for this workstation: a remote
   * runner deletes this client's data; the local runner deletes its keys and
   * data and stops. Without `force`, a runner that cannot be reached is not
   * removed (its data would stay behind); with it, it is removed from the app anyway.
   */
  async remove(id: string, force = false): Promise<Runner[]> {
    const runner = this.#find(id);
    this.#refuseManaged(runner, 'removed');
    try {
      if (runner.kind === 'remote') {
        const token = await this.#options.credentials.get(credentialAccount(id));
        if (!token) throw new MissingCredential("this workstation's credential for it is missing from the OS keychain.");
        await pinnedConnection(new URL(runner.url!), runner.spki!).request({ method: 'DELETE', path: '/v1/clients/self', bearer: token }, okResponseSchema);
      } else if (this.#supervisor?.session) {
        await this.#supervisor.purge();
      } else if (!force) {
        throw new RunnerUnreachableError('The local runner is not running, so it cannot delete its keys and data.');
      }
    } catch (error) {
      if (!force) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new PaddockError(
          'unavailable',
          `${runner.name} could not delete what it stores for this workstation: ${reason} Try again when it is reachable, or remove it from Paddock anyway (its data then stays on the runner).`,
        );
      }
      this.#options.logger.warn('runner removed without reaching it', { runner: id });
    }
    if (runner.kind === 'local') {
      await this.#supervisor?.stop();
      this.#supervisor = null;
      // Forced while it could not purge itself: its files (encrypted, or public) go too,
      // so setting it up again starts clean. A keychain entry it could not reach may remain.
      const dataDir = this.#options.local?.dataDir;
      if (force && dataDir && fs.existsSync(dataDir)) {
        for (const entry of fs.readdirSync(dataDir)) fs.rmSync(path.join(dataDir, entry), { recursive: true, force: true });
      }
      this.#options.store.set('localRunnerRemoved', true);
    } else {
      await this.#options.credentials.delete(credentialAccount(id));
    }
    this.#save(this.#stored().filter((r) => r.id !== id));
    this.#health.delete(id);
    this.#publish();
    return this.list();
  }

  async restart(id: string): Promise<Runner> {
    const runner = this.#find(id);
    if (runner.kind === 'local') {
      if (!this.#supervisor) this.#startLocal();
      else await this.#supervisor.restart();
    } else {
      await this.check(id);
    }
    return this.get(id);
  }

  /** One runner API call on behalf of the app API, with the runner's answer mapped to app errors. */
  async call<T>(id: string, request: RunnerRequest, schema: z.ZodType<T>): Promise<T> {
    const runner = this.#find(id);
    try {
      if (runner.kind === 'local') {
        const session = this.#supervisor?.session;
        if (!session) throw new RunnerUnreachableError(`${runner.name} is not running: ${this.#health.get(id)?.message ?? 'it is starting.'}`);
        return await session.connection.request({ ...request, bearer: session.token }, schema);
      }
      const token = await this.#options.credentials.get(credentialAccount(id));
      if (!token) throw new MissingCredential("this workstation's credential for it is missing from the OS keychain.");
      return await pinnedConnection(new URL(runner.url!), runner.spki!).request({ ...request, bearer: token }, schema);
    } catch (error) {
      if (error instanceof RunnerRequestError) {
        const code = error.status === 403 ? 'forbidden' : error.status === 404 ? 'not-found' : error.status === 400 ? 'invalid-argument' : 'unavailable';
        throw new PaddockError(code, error.message);
      }
      if (error instanceof RunnerUnreachableError || error instanceof SpkiMismatchError || error instanceof MissingCredential) {
        throw new PaddockError('unavailable', `${runner.name} cannot be reached: ${error.message}`);
      }
      throw error;
    }
  }

  setUpLocal(): Runner {
    if (!this.#options.local) throw new PaddockError('unavailable', 'This app has no local runner.');
    this.#options.store.set('localRunnerRemoved', false);
    if (!this.#stored().some((r) => r.id === LOCAL_RUNNER_ID)) this.#createLocalRecord();
    this.#health.set(LOCAL_RUNNER_ID, emptyHealth('starting'));
    this.#startLocal();
    this.#publish();
    return this.get(LOCAL_RUNNER_ID);
  }

  async dispose(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#supervisor?.stop();
  }
}

class LocalNotRunning extends Error {}
class Unregistered extends Error {}
class MissingCredential extends Error {}
