import { createHash } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { z } from 'zod';
import { PaddockError, type ErrorCode, type PaddockErrorData } from '../../common/errors';
import { RUNNER_API_VERSION, RUNNER_API_VERSION_HEADER, runnerErrorSchema, spkiSchema } from '../../common/runner-api';

/** The runner answered with an error body: its code comes from the one catalogue (electron/common/errors.ts). */
export class RunnerRequestError extends Error {
  override readonly name = 'RunnerRequestError';
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly data: PaddockErrorData = { code, message },
  ) {
    super(message);
  }
}

/** The runner could not be reached (no socket, refused, timed out, TLS failed). */
export class RunnerUnreachableError extends Error {
  override readonly name = 'RunnerUnreachableError';
  constructor(
    message: string,
    readonly reason: 'unreachable' | 'timeout' = 'unreachable',
  ) {
    super(message);
  }
}

/** The remote runner presented a key other than the pinned one. */
export class SpkiMismatchError extends Error {
  override readonly name = 'SpkiMismatchError';
  constructor(
    readonly url: string,
    readonly seen: string,
    readonly pinned: string,
  ) {
    super(
      `The runner at ${url} now presents a different key (fingerprint ${seen}; this app pinned ${pinned}). Someone may be intercepting the connection, or the runner was reinstalled with a new key. Paddock will not talk to it. If an admin reinstalled it, remove the runner and add it again with a new registration token.`,
    );
  }
}

export interface RunnerRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
  bearer?: string;
  /** Aborts the call: the request is destroyed and the promise rejects with a 'cancelled' PaddockError. */
  signal?: AbortSignal;
}

/** One way to reach a runner: a local socket, or TLS pinned to a key. Connections are kept alive between calls. */
export interface RunnerConnection {
  readonly description: string;
  request<T>(request: RunnerRequest, schema: z.ZodType<T>): Promise<T>;
  /**
   * A streamed answer (NDJSON): each line, validated, goes to `onLine`;
   * resolves when the runner ends the stream, rejects on an error answer,
   * a broken or silent connection, or the signal.
   */
  stream<T>(request: RunnerRequest, lineSchema: z.ZodType<T>, onLine: (line: T) => void): Promise<void>;
  /** Closes the kept-alive connections. */
  close(): void;
}

/** SHA-256 of the peer certificate's SubjectPublicKeyInfo (DER), as `sha256/<base64>`. */
const spkiOfSocket = (socket: tls.TLSSocket): string | null => {
  const certificate = socket.getPeerX509Certificate();
  if (!certificate) return null;
  return `sha256/${createHash('sha256').update(certificate.publicKey.export({ type: 'spki', format: 'der' })).digest('base64')}`;
};

const TIMEOUT_MS = 10_000;
/** A stream with no line (the runner pings every 15 s) for this long is taken as broken. */
const STREAM_IDLE_MS = 45_000;
const MAX_ANSWER_BYTES = 1024 * 1024;
const MAX_LINE_BYTES = 256 * 1024;

const cancelled = (description: string) => new PaddockError('cancelled', `The request to ${description.charAt(0).toLowerCase()}${description.slice(1)} was cancelled.`);

function headersFor(host: string, request: RunnerRequest, accept: string): { headers: http.OutgoingHttpHeaders; body: string | undefined } {
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);
  const headers: http.OutgoingHttpHeaders = { Host: host, Accept: accept, [RUNNER_API_VERSION_HEADER]: String(RUNNER_API_VERSION) };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = Buffer.byteLength(body);
  }
  if (request.bearer) headers.Authorization = `Bearer ${request.bearer}`;
  return { headers, body };
}

function errorFromAnswer(status: number, text: string, description: string): Error {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return new RunnerUnreachableError(`${description} did not answer with JSON (HTTP ${status}); is it a Paddock runner?`);
  }
  const error = runnerErrorSchema.safeParse(json);
  return error.success
    ? new RunnerRequestError(status, error.data.error.code, error.data.error.message, error.data.error)
    : new RunnerRequestError(status, 'internal', `${description} answered HTTP ${status}.`);
}

const networkError = (error: Error, description: string, signal: AbortSignal | undefined): Error => {
  // A deadline (AbortSignal.timeout) is the runner not answering in time; any other abort is the caller's cancel.
  if (signal?.aborted) {
    return (signal.reason as Error | undefined)?.name === 'TimeoutError'
      ? new RunnerUnreachableError(`${description} did not answer in time.`, 'timeout')
      : cancelled(description);
  }
  if (error instanceof RunnerUnreachableError || error instanceof SpkiMismatchError || error instanceof PaddockError) return error;
  return new RunnerUnreachableError(`${description}: ${error.message}`);
};

interface Transport {
  readonly description: string;
  readonly host: string;
  /** Options for http.request: an agent and, locally, the socket path. */
  readonly options: http.RequestOptions;
}

/** Sends one request and reads one JSON answer. A GET on a reused keep-alive socket that the runner had just closed is sent again once. */
function exchange<T>(transport: Transport, request: RunnerRequest, schema: z.ZodType<T>, retried = false): Promise<T> {
  const { description } = transport;
  if (request.signal?.aborted) return Promise.reject(networkError(new Error('aborted'), description, request.signal));
  return new Promise<T>((resolve, reject) => {
    const { headers, body } = headersFor(transport.host, request, 'application/json');
    const req = http.request({ ...transport.options, method: request.method, path: request.path, headers, timeout: TIMEOUT_MS, ...(request.signal ? { signal: request.signal } : {}) }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) req.destroy(new RunnerUnreachableError(`${description} sent an oversized answer.`));
        else chunks.push(chunk);
      });
      response.on('end', () => {
        const status = response.statusCode ?? 0;
        const text = Buffer.concat(chunks).toString('utf8');
        if (status >= 400) return reject(errorFromAnswer(status, text, description));
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          return reject(new RunnerUnreachableError(`${description} did not answer with JSON (HTTP ${status}); is it a Paddock runner?`));
        }
        const parsed = schema.safeParse(json);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          return reject(new RunnerUnreachableError(`${description} sent an answer Paddock does not understand (${issue?.path.join('.')}: ${issue?.message}).`));
        }
        resolve(parsed.data);
      });
      response.on('error', (error) => reject(networkError(error, description, request.signal)));
    });
    req.on('timeout', () => req.destroy(new RunnerUnreachableError(`${description} did not answer within ${TIMEOUT_MS / 1000} seconds.`, 'timeout')));
    // An overall deadline too: a runner that trickles bytes must not hang a check or a removal.
    const deadline = setTimeout(
      () => req.destroy(new RunnerUnreachableError(`${description} took longer than ${(3 * TIMEOUT_MS) / 1000} seconds to answer.`, 'timeout')),
      3 * TIMEOUT_MS,
    );
    req.on('close', () => clearTimeout(deadline));
    req.on('error', (error) => {
      if (!retried && req.reusedSocket && request.method === 'GET' && (error as NodeJS.ErrnoException).code === 'ECONNRESET') {
        exchange(transport, request, schema, true).then(resolve, reject);
        return;
      }
      reject(networkError(error, description, request.signal));
    });
    req.end(body);
  });
}

function streamExchange<T>(transport: Transport, request: RunnerRequest, lineSchema: z.ZodType<T>, onLine: (line: T) => void): Promise<void> {
  const { description } = transport;
  if (request.signal?.aborted) return Promise.reject(cancelled(description));
  return new Promise<void>((resolve, reject) => {
    const { headers, body } = headersFor(transport.host, request, 'application/x-ndjson');
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else resolve();
    };
    const req = http.request({ ...transport.options, method: request.method, path: request.path, headers, timeout: STREAM_IDLE_MS, ...(request.signal ? { signal: request.signal } : {}) }, (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 400) {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.length < 64 && chunks.push(chunk));
        response.on('end', () => settle(errorFromAnswer(status, Buffer.concat(chunks).toString('utf8'), description)));
        return;
      }
      let pending = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        pending += chunk;
        if (pending.length > MAX_LINE_BYTES) return req.destroy(new RunnerUnreachableError(`${description} sent an oversized event.`));
        let newline: number;
        while ((newline = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, newline).trim();
          pending = pending.slice(newline + 1);
          if (!line) continue;
          let json: unknown;
          try {
            json = JSON.parse(line);
          } catch {
            return req.destroy(new RunnerUnreachableError(`${description} sent an event that is not JSON.`));
          }
          const parsed = lineSchema.safeParse(json);
          if (!parsed.success) {
            const issue = parsed.error.issues[0];
            return req.destroy(new RunnerUnreachableError(`${description} sent an event Paddock does not understand (${issue?.path.join('.')}: ${issue?.message}).`));
          }
          try {
            onLine(parsed.data);
          } catch (error) {
            return req.destroy(error as Error);
          }
        }
      });
      response.on('end', () => settle());
      response.on('aborted', () => settle(new RunnerUnreachableError(`${description} closed the event stream before it ended.`)));
      response.on('error', (error) => settle(networkError(error, description, request.signal)));
    });
    req.on('timeout', () => req.destroy(new RunnerUnreachableError(`${description} sent nothing for ${STREAM_IDLE_MS / 1000} seconds.`, 'timeout')));
    req.on('error', (error) => settle(networkError(error, description, request.signal)));
    req.on('close', () => settle(request.signal?.aborted ? cancelled(description) : new RunnerUnreachableError(`${description} closed the event stream before it ended.`)));
    req.end(body);
  });
}

function connectionOf(transport: Transport, agent: http.Agent): RunnerConnection {
  return {
    description: transport.description,
    request: (request, schema) => exchange(transport, request, schema),
    stream: (request, lineSchema, onLine) => streamExchange(transport, request, lineSchema, onLine),
    close: () => agent.destroy(),
  };
}

const agentOptions: http.AgentOptions = { keepAlive: true, maxSockets: 8, maxFreeSockets: 4, scheduling: 'lifo' };

/** The local runner: HTTP over its Unix socket (Windows: named pipe), kept alive. */
export function localConnection(endpoint: string): RunnerConnection {
  const agent = new http.Agent(agentOptions);
  const description = 'The local runner';
  return connectionOf({ description, host: 'localhost', options: { agent, socketPath: endpoint } }, agent);
}

/** A parsed https runner URL. */
export function parseRunnerUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error('Enter the runner’s URL, like https://runner.example.com:8443.');
  }
  if (url.protocol !== 'https:') throw new Error('A runner on a server is reached over https:// only.');
  if (url.username || url.password) throw new Error('The runner URL must not contain a user name or password.');
  if (url.pathname !== '/' || url.search || url.hash) throw new Error('Enter only the runner’s address (https://host:port), without a path.');
  return url;
}

/**
 * Opens a TLS connection to a remote runner and reports the key it shows.
 * The certificate is not checked against CAs: the runner's key is pinned
 * instead (self-signed certificates are the norm), so `pinned`, when given,
 * must match before a single byte of the request is sent.
 */
export function connectTls(url: URL, pin: { spki: string } | 'probe'): Promise<{ socket: tls.TLSSocket; spki: string }> {
  // No falsy pin can turn pinning off: a pin must be a well-formed fingerprint, or this is an explicit probe.
  if (pin !== 'probe' && !spkiSchema.safeParse(pin.spki).success) {
    return Promise.reject(new SpkiMismatchError(url.origin, '(not checked)', String(pin.spki || '(none)')));
  }
  const pinned = pin === 'probe' ? null : pin.spki;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host,
      port,
      ...(net.isIP(host) ? {} : { servername: host }),
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
      timeout: TIMEOUT_MS,
    });
    // Handshake-only handlers: removed once it is done, so a kept-alive connection's later
    // timeout or error is reported by the request it belongs to.
    const onTimeout = () => socket.destroy(new RunnerUnreachableError(`The runner at ${url.origin} did not complete the TLS handshake in time.`, 'timeout'));
    const onError = (error: Error) => reject(error instanceof RunnerUnreachableError ? error : new RunnerUnreachableError(`Cannot reach the runner at ${url.origin} (${error.message}).`));
    socket.once('timeout', onTimeout);
    socket.once('error', onError);
    socket.once('secureConnect', () => {
      socket.off('timeout', onTimeout);
      socket.off('error', onError);
      // Until a request takes the socket (and between requests) an error must not go unheard; the
      // request's own listener still gets it.
      socket.on('error', () => {});
      const spki = spkiOfSocket(socket);
      if (!spki) {
        socket.destroy();
        return reject(new RunnerUnreachableError(`The runner at ${url.origin} presented no certificate.`));
      }
      if (pinned && spki !== pinned) {
        socket.destroy();
        return reject(new SpkiMismatchError(url.origin, spki, pinned));
      }
      socket.setTimeout(0);
      resolve({ socket, spki });
    });
  });
}

/**
 * Keep-alive connections to a remote runner, each checked against the
 * pinned key before it carries a request: the agent asks for a connection,
 * and gets one only after its handshake showed the pinned SPKI.
 */
class PinnedAgent extends http.Agent {
  constructor(
    private readonly url: URL,
    private readonly spki: string,
  ) {
    super(agentOptions);
  }

  override createConnection(_options: http.ClientRequestArgs, callback?: (error: Error | null, socket: Duplex) => void): Duplex | null | undefined {
    connectTls(this.url, { spki: this.spki }).then(
      ({ socket }) => callback?.(null, socket),
      (error: Error) => callback?.(error, undefined as unknown as Duplex),
    );
    return undefined;
  }
}

/** A remote runner over TLS, pinned to `spki`, with keep-alive connections. */
export function pinnedConnection(url: URL, spki: string): RunnerConnection {
  const agent = new PinnedAgent(url, spki);
  return connectionOf({ description: `The runner at ${url.origin}`, host: url.host, options: { agent } }, agent);
}

/** Sends one request on an already-open TLS socket (registration, where the key is checked by proof). */
export function requestOnSocket<T>(socket: tls.TLSSocket, url: URL, request: RunnerRequest, schema: z.ZodType<T>): Promise<T> {
  return exchange({ description: `The runner at ${url.origin}`, host: url.host, options: { createConnection: () => socket } }, request, schema);
}
