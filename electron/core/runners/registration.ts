import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import os from 'node:os';
import type { z } from 'zod';
import type { RemoteRunnerProbe } from '../../common/api';
import { PaddockError } from '../../common/errors';
import {
  challengeResponseSchema,
  healthResponseSchema,
  REGISTRATION_TOKEN_PREFIX,
  registrationResponseSchema,
  registrationTokenExpiry,
  RUNNER_API_VERSION,
} from '../../common/runner-api';
import type { Logger } from '../logger';
import {
  connectTls,
  parseRunnerUrl,
  requestOnSocket,
  RunnerRequestError,
  RunnerUnreachableError,
  SpkiMismatchError,
  type RunnerRequest,
} from './connection';

/**
 * Who reads what goes wrong: the runner's admin adding it ("Add a runner";
 * the runner's own hints, such as its `registration create` command, are
 * written for them), or a workstation user registering with a runner the
 * admin policy set up (who asks the admin instead).
 */
export type Audience = 'runner-admin' | 'workstation-user';

/** One TLS connection to a runner, for one request, and the key it showed. */
export interface RegistrationConnection {
  readonly spki: string;
  request<T>(request: RunnerRequest, schema: z.ZodType<T>): Promise<T>;
}

/** Opens a connection pinned to a fingerprint, or an explicit probe that reports whatever key the server shows. */
export type RegistrationTransport = (url: URL, pin: { spki: string } | 'probe') => Promise<RegistrationConnection>;

export const tlsTransport: RegistrationTransport = async (url, pin) => {
  const { socket, spki } = await connectTls(url, pin);
  return { spki, request: (request, schema) => requestOnSocket(socket, url, request, schema) };
};

export const fieldError = (path: string, message: string) => new PaddockError('invalid-input', message, [{ path, message }]);

/** The runner's URL as typed, or an error on the URL field. */
export function checkRunnerUrl(raw: string): URL {
  try {
    return parseRunnerUrl(raw);
  } catch (error) {
    throw fieldError('url', (error as Error).message);
  }
}

/** A registration token as typed, checked for its form and expiry before any of it is sent. */
export function checkToken(raw: string, audience: Audience): string {
  const token = raw.trim();
  const expiry = registrationTokenExpiry(token);
  if (!expiry) throw fieldError('token', `That is not a registration token: tokens start with ${REGISTRATION_TOKEN_PREFIX} and come from “paddock-runner registration create” on the runner.`);
  if (expiry.getTime() <= Date.now()) {
    const next = audience === 'runner-admin' ? 'Create a new one on the runner.' : 'Ask your admin for a new one.';
    throw fieldError('token', `This registration token expired at ${expiry.toISOString()}. ${next}`);
  }
  return token;
}

/** The runner's refusals of a registration token, by the code it sends, as a workstation user reads them. */
const tokenRefusalsForUser = new Map<string, string>([
  ['token-used', 'This registration token was already used'],
  ['token-expired', 'This registration token has expired'],
  ['unauthorized', 'The runner does not know this registration token'],
]);

export interface RegistrationOptions {
  logger: Logger;
  /** How this workstation names itself to runners; user@host when not given. */
  workstationName?: string;
  transport?: RegistrationTransport;
}

export interface RegisterRequest {
  url: URL;
  /** Checked with checkToken. */
  token: string;
  /** The fingerprint to pin: the one the admin confirmed, or the one the admin policy names. */
  spki: string;
  /** The public key the admin policy names; null when the runner's proof shows it (Add a runner). */
  publicKey: string | null;
  audience: Audience;
}

/**
 * The registration protocol with a runner on a server (docs/runners.md, R2):
 * the runner first proves that it made the token and that the key on this
 * TLS connection is its own, before the token is revealed; then the token is
 * exchanged for this workstation's client id and API token. Probing, adding
 * a runner and registering with a managed one all go through it.
 */
export class RunnerRegistration {
  readonly #options: RegistrationOptions;

  constructor(options: RegistrationOptions) {
    this.#options = options;
  }

  /** Connects, checks the runner's proof for this token and its key, and returns what it saw. Registers nothing. */
  async probe(url: URL, token: string): Promise<RemoteRunnerProbe> {
    const audience = 'runner-admin';
    const first = await this.#open(url, 'probe', audience);
    const seen = await this.#prove(first, url, token, audience);
    const again = await this.#open(url, { spki: first.spki }, audience);
    const health = await again.request({ method: 'GET', path: '/v1/health' }, healthResponseSchema).catch((e: unknown) => {
      throw this.#refusal(e, url, audience);
    });
    if (health.apiVersion !== RUNNER_API_VERSION) {
      throw new PaddockError(
        'incompatible-api',
        `The runner at ${url.origin} speaks runner API v${health.apiVersion}; this app speaks v${RUNNER_API_VERSION}. Update the older of the two, then try again.`,
      );
    }
    return {
      url: url.origin,
      spki: first.spki,
      publicKey: seen.publicKey,
      version: health.version,
      apiVersion: health.apiVersion,
      tokenExpiresAt: registrationTokenExpiry(token)!.toISOString(),
    };
  }

  /** Registers this workstation, pinned to `spki` throughout, and returns what the runner gave it. Stores nothing. */
  async register({ url, token, spki, publicKey, audience }: RegisterRequest): Promise<{ clientId: string; apiToken: string; publicKey: string }> {
    // Pinned from the first byte: a different key now fails here.
    const first = await this.#open(url, { spki }, audience);
    const seen = await this.#prove(first, url, token, audience);
    if (publicKey !== null && seen.publicKey !== publicKey) {
      throw new PaddockError('forbidden', `The runner at ${url.origin} shows another public key than the admin policy names. Paddock did not register; tell your admin.`);
    }
    const again = await this.#open(url, { spki }, audience);
    const name = this.#options.workstationName ?? `${os.userInfo().username}@${os.hostname()}`;
    const registration = await again
      .request({ method: 'POST', path: '/v1/registration', body: { token, name } }, registrationResponseSchema)
      .catch((e: unknown) => {
        throw this.#refusal(e, url, audience);
      });
    if (publicKey !== null && registration.publicKey !== publicKey) {
      throw new PaddockError('forbidden', `The runner at ${url.origin} answered the registration with another public key than the admin policy names. Tell your admin.`);
    }
    if (registration.publicKey !== seen.publicKey) {
      throw new PaddockError('forbidden', `The runner at ${url.origin} changed its public key during registration. Paddock did not add it; try again.`);
    }
    return registration;
  }

  async #open(url: URL, pin: { spki: string } | 'probe', audience: Audience): Promise<RegistrationConnection> {
    try {
      return await (this.#options.transport ?? tlsTransport)(url, pin);
    } catch (error) {
      throw this.#refusal(error, url, audience);
    }
  }

  /** The runner proves it made the token, bound to the key on this connection; the token itself is not sent. */
  async #prove(connection: RegistrationConnection, url: URL, token: string, audience: Audience) {
    const nonce = randomBytes(32).toString('base64');
    const tokenHash = createHash('sha256').update(token).digest('hex');
    const answer = await connection
      .request({ method: 'POST', path: '/v1/registration/challenge', body: { nonce, tokenId: tokenHash.slice(0, 16) } }, challengeResponseSchema)
      .catch((e: unknown) => {
        throw this.#refusal(e, url, audience);
      });
    const expected = createHmac('sha256', Buffer.from(tokenHash, 'hex')).update(`${nonce}\n${connection.spki}\n${answer.publicKey}`).digest();
    const proof = Buffer.from(answer.proof, 'base64');
    // The proof binds the key seen on this TLS connection: a relay with another key cannot pass it.
    if (answer.spki !== connection.spki || proof.length !== expected.length || !timingSafeEqual(proof, expected)) {
      throw new PaddockError(
        'forbidden',
        `The server at ${url.origin} could not prove that it is the runner that made this registration token. Check the URL and the token; if both are right, someone may be intercepting the connection.`,
      );
    }
    return answer;
  }

  /** What the person in front of the dialog is told when the runner, or the way to it, refuses. */
  #refusal(error: unknown, url: URL, audience: Audience): PaddockError {
    if (error instanceof PaddockError) return error;
    if (error instanceof RunnerRequestError) {
      const forUser = tokenRefusalsForUser.get(error.code);
      if (forUser !== undefined) {
        return fieldError('token', audience === 'runner-admin' ? error.message : `${forUser}. Ask your admin for a new one for this workstation.`);
      }
      if (error.code === 'incompatible-api') return new PaddockError('incompatible-api', error.message);
      return new PaddockError('runner-unavailable', `The runner at ${url.origin} refused: ${error.message}`);
    }
    if (error instanceof SpkiMismatchError) return new PaddockError('forbidden', error.message);
    if (error instanceof RunnerUnreachableError) return fieldError('url', error.message);
    this.#options.logger.error('remote runner request failed', { url: url.origin, error });
    return new PaddockError('internal', `Paddock could not talk to the runner at ${url.origin}; details are in the log.`);
  }
}
