import { createHash } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import type { z } from 'zod';
import { RUNNER_API_VERSION, RUNNER_API_VERSION_HEADER, runnerErrorSchema, spkiSchema } from '../../common/runner-api';

/** The runner answered with an error body. */
export class RunnerRequestError extends Error {
  override readonly name = 'RunnerRequestError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The runner could not be reached (no socket, refused, timed out, TLS failed). */
export class RunnerUnreachableError extends Error {
  override readonly name = 'RunnerUnreachableError';
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
}

/** One way to reach a runner: a local socket, or TLS pinned to a key. */
export interface RunnerConnection {
  readonly description: string;
  request<T>(request: RunnerRequest, schema: z.ZodType<T>): Promise<T>;
}

/** SHA-256 of the peer certificate's SubjectPublicKeyInfo (DER), as `sha256/<base64>`. */
const spkiOfSocket = (socket: tls.TLSSocket): string | null => {
  const certificate = socket.getPeerX509Certificate();
  if (!certificate) return null;
  return `sha256/${createHash('sha256').update(certificate.publicKey.export({ type: 'spki', format: 'der' })).digest('base64')}`;
};

const TIMEOUT_MS = 10_000;

function exchange<T>(
  socket: net.Socket,
  host: string,
  request: RunnerRequest,
  schema: z.ZodType<T>,
  description: string,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers: http.OutgoingHttpHeaders = { Host: host, Accept: 'application/json', [RUNNER_API_VERSION_HEADER]: String(RUNNER_API_VERSION) };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = Buffer.byteLength(body);
    }
    if (request.bearer) headers.Authorization = `Bearer ${request.bearer}`;
    const req = http.request({ createConnection: () => socket, method: request.method, path: request.path, headers, timeout: TIMEOUT_MS }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > 1024 * 1024) req.destroy(new RunnerUnreachableError(`${description} sent an oversized answer.`));
        else chunks.push(chunk);
      });
      response.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return reject(new RunnerUnreachableError(`${description} did not answer with JSON (HTTP ${response.statusCode}); is it a Paddock runner?`));
        }
        const status = response.statusCode ?? 0;
        if (status >= 400) {
          const error = runnerErrorSchema.safeParse(json);
          return reject(
            error.success
              ? new RunnerRequestError(status, error.data.error.code, error.data.error.message)
              : new RunnerRequestError(status, 'internal', `${description} answered HTTP ${status}.`),
          );
        }
        const parsed = schema.safeParse(json);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          return reject(new RunnerUnreachableError(`${description} sent an answer Paddock does not understand (${issue?.path.join('.')}: ${issue?.message}).`));
        }
        resolve(parsed.data);
      });
      response.on('error', (error) => reject(new RunnerUnreachableError(`${description}: ${error.message}`)));
    });
    req.on('timeout', () => req.destroy(new RunnerUnreachableError(`${description} did not answer within ${TIMEOUT_MS / 1000} seconds.`)));
    // An overall deadline too: a runner that trickles bytes must not hang a check or a removal.
    const deadline = setTimeout(() => req.destroy(new RunnerUnreachableError(`${description} took longer than ${(3 * TIMEOUT_MS) / 1000} seconds to answer.`)), 3 * TIMEOUT_MS);
    req.on('close', () => clearTimeout(deadline));
    req.on('error', (error) => reject(error instanceof RunnerUnreachableError ? error : new RunnerUnreachableError(`${description}: ${error.message}`)));
    req.end(body);
  });
}

/** The local runner: HTTP over its Unix socket (Windows: named pipe). */
export function localConnection(endpoint: string): RunnerConnection {
  const description = 'The local runner';
  return {
    description,
    request: (request, schema) =>
      new Promise((resolve, reject) => {
        const socket = net.connect(endpoint);
        socket.once('connect', () => exchange(socket, 'localhost', request, schema, description).then(resolve, reject));
        socket.once('error', (error) => reject(new RunnerUnreachableError(`${description} is not answering (${error.message}).`)));
      }),
  };
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
    socket.once('secureConnect', () => {
      const spki = spkiOfSocket(socket);
      if (!spki) {
        socket.destroy();
        return reject(new RunnerUnreachableError(`The runner at ${url.origin} presented no certificate.`));
      }
      if (pinned && spki !== pinned) {
        socket.destroy();
        return reject(new SpkiMismatchError(url.origin, spki, pinned));
      }
      resolve({ socket, spki });
    });
    socket.once('timeout', () => socket.destroy(new Error('timed out')));
    socket.once('error', (error) => reject(new RunnerUnreachableError(`Cannot reach the runner at ${url.origin} (${error.message}).`)));
  });
}

/** A remote runner over TLS, pinned to `spki`. */
export function pinnedConnection(url: URL, spki: string): RunnerConnection {
  const description = `The runner at ${url.origin}`;
  return {
    description,
    request: async (request, schema) => {
      const { socket } = await connectTls(url, { spki });
      return exchange(socket, url.host, request, schema, description);
    },
  };
}

/** Sends one request on an already-open TLS socket (registration, where the key is checked by proof). */
export function requestOnSocket<T>(socket: tls.TLSSocket, url: URL, request: RunnerRequest, schema: z.ZodType<T>): Promise<T> {
  return exchange(socket, url.host, request, schema, `The runner at ${url.origin}`);
}
