import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { callbackPageCsp, callbackPageHtml, type CallbackPage } from '../common/callback-page';

export { callbackPageCsp as loopbackPageCsp, callbackPageHtml as loopbackPageHtml };
import { PaddockError } from '../common/errors';

// The loopback listener of one OAuth attempt (RFC 8252 §7.3): a plain-http
// server on 127.0.0.1 (and ::1 for a callback to "localhost") that exists
// only while the attempt runs and answers
// only GET <path>. The browser's request carries the provider's redirect;
// the page it gets back is self-contained (no external resources, no
// script) so nothing else is loaded from it.

/** The page the browser gets back (shared with a remote runner's own https callback). */
export type LoopbackPage = CallbackPage;

export interface LoopbackListenerOptions {
  /** The name in the provider's callback: 127.0.0.1, or localhost (then held on 127.0.0.1 and ::1 alike). */
  readonly host: '127.0.0.1' | 'localhost';
  /** A fixed port (the provider registers it), or null for any free port. */
  readonly port: number | null;
  /** The callback's path (/oauth/callback). */
  readonly path: string;
  /** Handles the query of a request to `path` (the raw part after "?", null without one) and says what page to show. */
  readonly onCallback: (query: string | null) => Promise<LoopbackPage>;
}

export interface LoopbackListener {
  /** The port it listens on (the fixed one, or the one the system chose). */
  readonly port: number;
  readonly closed: boolean;
  close(): Promise<void>;
}

function answer(response: http.ServerResponse, status: number, body: string, type = 'text/html; charset=utf-8', extra: Record<string, string> = {}): Promise<void> {
  const finished = new Promise<void>((resolve) => response.once('close', () => resolve()));
  response.writeHead(status, {
    'Content-Type': type,
    'Content-Length': String(Buffer.byteLength(body)),
    'Content-Security-Policy': callbackPageCsp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    ...extra,
  });
  response.end(body);
  return finished;
}

/**
 * Opens the listener. A fixed port that is taken is a clear error (the
 * provider accepts no other); any other failure to bind too.
 */
export async function openLoopbackListener(options: LoopbackListenerOptions): Promise<LoopbackListener> {
  const sockets = new Set<Socket>();
  /** Pages being made: closing waits for them, so the browser that brought the callback still gets its answer. */
  const inFlight = new Set<Promise<unknown>>();
  let closed = false;
  let port = 0;
  const handle = (request: http.IncomingMessage, response: http.ServerResponse) => {
    // Only what a browser sends after the redirect: GET of the callback path, addressed to this listener by the callback's own name.
    const hostHeader = request.headers.host ?? '';
    if (hostHeader !== `${options.host}:${port}` && hostHeader !== `127.0.0.1:${port}` && !(options.host === 'localhost' && hostHeader === `[::1]:${port}`)) {
      return void answer(response, 421, 'Misdirected request', 'text/plain; charset=utf-8');
    }
    const target = request.url ?? '';
    const queryAt = target.indexOf('?');
    const path = queryAt < 0 ? target : target.slice(0, queryAt);
    if (path !== options.path) return void answer(response, 404, 'Not found', 'text/plain; charset=utf-8');
    if (request.method !== 'GET') return void answer(response, 405, 'Method not allowed', 'text/plain; charset=utf-8', { Allow: 'GET' });
    request.resume();
    const query = queryAt < 0 ? null : target.slice(queryAt + 1).replace(/#.*$/, '');
    const handled = options.onCallback(query).then(
      (page) => answer(response, page.status, callbackPageHtml(page)),
      () =>
        answer(
          response,
          500,
          callbackPageHtml({ status: 500, title: 'Something went wrong', message: 'Paddock could not finish signing in. Return to Paddock and try again.' }),
        ),
    );
    inFlight.add(handled);
    void handled.finally(() => inFlight.delete(handled));
  };
  const serve = (): http.Server => {
    const server = http.createServer(handle);
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    // One browser, a few requests: nothing needs a connection kept open after the page.
    server.keepAliveTimeout = 1000;
    server.headersTimeout = 10_000;
    server.requestTimeout = 30_000;
    return server;
  };
  const conflict = (taken: number) =>
    new PaddockError(
      'conflict',
      `Port ${taken} on this computer is in use by another program, and the provider sends the sign-in back only to that port. Close the program that uses it (or finish the sign-in it is waiting for) and connect again.`,
    );

  // "localhost" is resolved by browsers to ::1 first on most systems: the listener holds the port on both
  // loopback addresses, so that no other program can take the IPv6 one and receive the callback (RFC 8252 §8.3).
  const servers: http.Server[] = [];
  for (let tries = 0; ; tries++) {
    const v4 = serve();
    try {
      await listen(v4, '127.0.0.1', options.port ?? 0);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code;
      if (reason === 'EADDRINUSE' && options.port !== null) throw conflict(options.port);
      throw new PaddockError('internal', `Paddock could not listen on 127.0.0.1 for the sign-in callback (${reason ?? 'unknown error'}).`);
    }
    const bound = (v4.address() as AddressInfo).port;
    if (options.host !== 'localhost') {
      servers.push(v4);
      break;
    }
    const v6 = serve();
    try {
      await listen(v6, '::1', bound);
      servers.push(v4, v6);
      break;
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code;
      // No IPv6 on this computer: localhost can only be 127.0.0.1.
      if (reason === 'EADDRNOTAVAIL' || reason === 'EAFNOSUPPORT') {
        servers.push(v4);
        break;
      }
      await new Promise<void>((resolve) => v4.close(() => resolve()));
      if (reason === 'EADDRINUSE' && options.port !== null) throw conflict(options.port);
      // Another program holds this port on ::1 only: a free port is tried again, a few times.
      if (reason !== 'EADDRINUSE' || tries >= 4) {
        throw new PaddockError('internal', `Paddock could not listen on ::1 for the sign-in callback (${reason ?? 'unknown error'}).`);
      }
    }
  }
  port = (servers[0]!.address() as AddressInfo).port;
  for (const server of servers) server.unref();
  return {
    port,
    get closed() {
      return closed;
    },
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      const stopped = Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())))).then(() => undefined);
      // Pages being answered finish (at most a few seconds); then whatever is left (keep-alive connections) is dropped.
      const answered = Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
      return answered.then(() => {
        for (const socket of sockets) socket.destroy();
        return stopped;
      });
    },
  };
}

function listen(server: http.Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
