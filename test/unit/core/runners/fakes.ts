import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { REGISTRATION_TOKEN_PREFIX, type RunnerStatus } from '../../../../electron/common/runner-api';
import { memoryCredentialStore } from '../../../../electron/core/credentials';
import type { Logger } from '../../../../electron/core/logger';
import { RunnerRequestError, SpkiMismatchError, type RunnerConnection, type RunnerRequest } from '../../../../electron/core/runners/connection';
import { RunnerRecords } from '../../../../electron/core/runners/records';
import type { RegistrationTransport } from '../../../../electron/core/runners/registration';
import { storeDataSchema, storeDefaults, type StoreData, type StoredRunner } from '../../../../electron/core/store/schema';
import type { AppStore } from '../../../../electron/core/store/store';

/** An app store in memory that refuses what the real one refuses (every write is checked against the store's schema). */
export function memoryStore(initial: Partial<StoreData> = {}): AppStore & { writes: number } {
  let data: StoreData = storeDataSchema.parse({ ...structuredClone(storeDefaults), ...structuredClone(initial) });
  const store = {
    writes: 0,
    path: '(memory)',
    recovery: undefined,
    get: <K extends keyof StoreData>(key: K) => structuredClone(data[key]),
    set: <K extends keyof StoreData>(key: K, value: StoreData[K]) => {
      data = storeDataSchema.parse({ ...data, [key]: structuredClone(value) });
      store.writes++;
    },
  };
  return store;
}

export function recordsWith(runners: StoredRunner[] = [], extra: Partial<StoreData> = {}) {
  const store = memoryStore({ runners, ...extra });
  const credentials = memoryCredentialStore();
  return { store, credentials, records: new RunnerRecords(store, credentials) };
}

export const spkiOf = (seed: string) => `sha256/${createHash('sha256').update(seed).digest('base64')}`;
export const publicKeyOf = (seed: string) => createHash('sha256').update(`key:${seed}`).digest('base64');

export const remoteRecord = (change: Partial<Extract<StoredRunner, { kind: 'remote' }>> = {}): StoredRunner => ({
  id: 'remote-1',
  name: 'Build server',
  kind: 'remote',
  url: 'https://runner.example.test:8443',
  publicKey: publicKeyOf('runner'),
  runnerUid: null,
  spki: spkiOf('runner'),
  clientId: 'c_abcdefghijklmnop',
  createdAt: '2026-01-01T00:00:00.000Z',
  policyId: null,
  ...change,
});

export const localRecord = (change: Partial<Extract<StoredRunner, { kind: 'local' }>> = {}): StoredRunner => ({
  id: 'local',
  name: 'Local runner',
  kind: 'local',
  url: null,
  publicKey: null,
  runnerUid: null,
  spki: null,
  clientId: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  policyId: null,
  ...change,
});

export const status = (change: Partial<RunnerStatus> = {}): RunnerStatus => ({
  runnerId: 'r_00000000-0000-4000-8000-000000000001',
  version: '1.2.3',
  apiVersion: 1,
  mode: 'remote',
  publicKey: publicKeyOf('runner'),
  spki: spkiOf('runner'),
  secretStore: 'file',
  startedAt: '2026-01-01T00:00:00.000Z',
  warnings: [],
  client: { id: 'c_abcdefghijklmnop', role: 'admin' },
  ...change,
});

/** A registration token that expires at `expiresAt`, in the runner's format. */
export function registrationToken(expiresAt: Date): string {
  const bytes = Buffer.alloc(40);
  bytes.writeBigUInt64BE(BigInt(expiresAt.getTime()), 0);
  randomBytes(32).copy(bytes, 8);
  return `${REGISTRATION_TOKEN_PREFIX}${bytes.toString('base64url')}`;
}

/** A logger that keeps what it was told. */
export function recordingLogger(): Logger & { lines: { level: string; message: string; fields?: Record<string, unknown> }[] } {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const keep = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push({ level, message, ...(fields ? { fields } : {}) });
  return { lines, info: keep('info'), warn: keep('warn'), error: keep('error') };
}

type TokenState = 'usable' | 'used' | 'expired';

/**
 * A runner on a server, at the level of the registration protocol: it shows
 * a TLS key, answers the challenge with the proof the real runner computes
 * (electron/runner/registrations.ts), and refuses tokens with the real
 * runner's codes. Each knob makes it misbehave in one way.
 */
export class FakeRegistrationRunner {
  /** The key its TLS connections show. */
  tlsSpki = spkiOf('runner');
  /** The key the proof binds (a relay shows its own TLS key but can only pass on the runner's proof). */
  provedSpki: string | null = null;
  publicKey = publicKeyOf('runner');
  /** The public key it answers registration with. */
  registeredPublicKey: string | null = null;
  apiVersion = 1;
  /** A wrong proof (it does not know the token's hash). */
  forgeProof = false;
  /** What it sends for each token, by the token's hash. */
  readonly tokens = new Map<string, TokenState>();
  /** The message it sends with a refusal, whatever the code (its messages are for its admin; codes are for the app). */
  refusalMessage: ((code: string) => string) | null = null;
  /** Fails the next request on this path with this error. */
  readonly failures = new Map<string, Error>();
  readonly requests: { path: string; pin: { spki: string } | 'probe'; body?: unknown }[] = [];
  readonly registered: { name: string; clientId: string }[] = [];

  issue(state: TokenState = 'usable', expiresAt = new Date(Date.now() + 3600_000)): string {
    const token = registrationToken(expiresAt);
    this.tokens.set(hash(token), state);
    return token;
  }

  readonly transport: RegistrationTransport = async (_url, pin) => {
    const failure = this.failures.get('connect');
    if (failure) {
      this.failures.delete('connect');
      throw failure;
    }
    if (pin !== 'probe' && pin.spki !== this.tlsSpki) throw new SpkiMismatchError('https://runner.example.test:8443', this.tlsSpki, pin.spki);
    let used = false;
    return {
      spki: this.tlsSpki,
      request: async <T>(request: RunnerRequest, schema: z.ZodType<T>): Promise<T> => {
        if (used) throw new Error('the fake runner got a second request on one connection');
        used = true;
        this.requests.push({ path: request.path, pin, ...(request.body === undefined ? {} : { body: request.body }) });
        const failed = this.failures.get(request.path);
        if (failed) {
          this.failures.delete(request.path);
          throw failed;
        }
        return schema.parse(this.#answer(request));
      },
    };
  };

  #answer(request: RunnerRequest): unknown {
    const body = request.body as Record<string, string>;
    if (request.path === '/v1/health') return { status: 'ok', version: '1.2.3', apiVersion: this.apiVersion };
    if (request.path === '/v1/registration/challenge') {
      const tokenHash = [...this.tokens.keys()].find((h) => h.startsWith(body.tokenId!));
      this.#refuse(tokenHash);
      const key = this.forgeProof ? createHash('sha256').update('not the token').digest() : Buffer.from(tokenHash!, 'hex');
      const spki = this.provedSpki ?? this.tlsSpki;
      const proof = createHmac('sha256', key).update(`${body.nonce}\n${spki}\n${this.publicKey}`).digest('base64');
      return { proof, publicKey: this.publicKey, spki };
    }
    if (request.path === '/v1/registration') {
      const tokenHash = hash(body.token!);
      this.#refuse(this.tokens.has(tokenHash) ? tokenHash : undefined);
      this.tokens.set(tokenHash, 'used');
      const clientId = `c_${randomBytes(12).toString('base64url')}`;
      this.registered.push({ name: body.name!, clientId });
      return { clientId, apiToken: `prk_${randomBytes(32).toString('base64url')}`, publicKey: this.registeredPublicKey ?? this.publicKey, role: 'admin' };
    }
    throw new RunnerRequestError(404, 'not-found', `No route ${request.path}.`);
  }

  #refuse(tokenHash: string | undefined) {
    const state = tokenHash === undefined ? undefined : this.tokens.get(tokenHash);
    const refusal = (code: 'unauthorized' | 'token-used' | 'token-expired', message: string) =>
      new RunnerRequestError(401, code, this.refusalMessage?.(code) ?? `${message} Create a new one on the runner: paddock-runner registration create --data-dir <dir>.`);
    if (state === undefined) throw refusal('unauthorized', 'This runner does not know that registration token.');
    if (state === 'used') throw refusal('token-used', 'This registration token was already used (2026-01-01T00:00:00.000Z); each workstation needs its own.');
    if (state === 'expired') throw refusal('token-expired', 'This registration token expired at 2026-01-01T00:00:00.000Z.');
  }
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/** A connection that answers from a function and remembers what it was asked. */
export function fakeConnection(answer: (request: RunnerRequest) => unknown, description = 'The fake runner') {
  const requests: RunnerRequest[] = [];
  let closed = false;
  const connection: RunnerConnection & { requests: RunnerRequest[]; readonly closed: boolean } = {
    description,
    requests,
    get closed() {
      return closed;
    },
    request: async <T>(request: RunnerRequest, schema: z.ZodType<T>) => {
      requests.push(request);
      return schema.parse(await answer(request));
    },
    stream: async () => {
      throw new Error('not used here');
    },
    close: () => {
      closed = true;
    },
  };
  return connection;
}
