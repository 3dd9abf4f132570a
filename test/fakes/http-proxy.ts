import http, { type IncomingMessage } from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';

// An HTTP proxy for tests, on 127.0.0.1: CONNECT tunnels (what curl and
// undici use for https://) and absolute-form requests forwarded (plain
// http:// through a proxy). With `credentials` it wants Basic
// Proxy-Authorization and answers 407 with the challenge otherwise, as
// corporate proxies do. `refuse` makes it answer 403 to targets it names.
// It records what it saw, never the password.

export interface ProxyRequestRecord {
  /** CONNECT, or the forwarded request's method. */
  readonly method: string;
  /** host:port for CONNECT; the absolute URL otherwise. */
  readonly target: string;
  /** The Basic user name sent, or null without Proxy-Authorization. */
  readonly user: string | null;
  /** What the proxy answered: 200 (tunnel open or forwarded), 407, 403, 502. */
  readonly status: number;
}

export interface HttpProxyOptions {
  /** Wanted in Proxy-Authorization (Basic); absent: anyone may use the proxy. */
  readonly credentials?: { readonly user: string; readonly password: string };
  /** Called for every request before it is answered (a test looks at the processes talking to it then). */
  readonly onRequest?: (record: Omit<ProxyRequestRecord, 'status'>) => void;
}

export interface HttpProxy {
  /** http://127.0.0.1:{port}, without credentials. */
  readonly origin: string;
  readonly port: number;
  readonly requests: readonly ProxyRequestRecord[];
  /** Targets (host:port) answered 403 from now on; empty: none. */
  refuse(targets: readonly string[]): void;
  close(): Promise<void>;
}

function basic(request: IncomingMessage): { user: string; password: string } | null {
  const header = request.headers['proxy-authorization'];
  const match = typeof header === 'string' ? /^Basic\s+(\S+)$/i.exec(header) : null;
  if (!match) return null;
  const text = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? { user: text, password: '' } : { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

export async function startHttpProxy(options: HttpProxyOptions = {}): Promise<HttpProxy> {
  const requests: ProxyRequestRecord[] = [];
  let refused = new Set<string>();
  const sockets = new Set<Socket>();

  /** 0 when the request may go on, else the status to answer. */
  const check = (request: IncomingMessage, target: string, hostPort: string): { status: number; user: string | null } => {
    const sent = basic(request);
    const user = sent?.user ?? null;
    options.onRequest?.({ method: request.method ?? '', target, user });
    const wanted = options.credentials;
    if (wanted && (sent === null || sent.user !== wanted.user || sent.password !== wanted.password)) return { status: 407, user };
    if (refused.has(hostPort)) return { status: 403, user };
    return { status: 0, user };
  };

  const server = http.createServer((request, response) => {
    const target = request.url ?? '';
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      response.writeHead(400).end('absolute-form requests only');
      return;
    }
    const { status, user } = check(request, target, url.host);
    if (status !== 0) {
      requests.push({ method: request.method ?? '', target, user, status });
      response.writeHead(status, status === 407 ? { 'proxy-authenticate': 'Basic realm="Paddock test proxy"' } : {}).end();
      return;
    }
    const headers = { ...request.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = http.request({ host: url.hostname, port: Number(url.port) || 80, method: request.method, path: `${url.pathname}${url.search}`, headers }, (answer) => {
      requests.push({ method: request.method ?? '', target, user, status: answer.statusCode ?? 0 });
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => {
      requests.push({ method: request.method ?? '', target, user, status: 502 });
      if (!response.headersSent) response.writeHead(502);
      response.end();
    });
    request.pipe(upstream);
  });

  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    const target = request.url ?? '';
    const { status, user } = check(request, target, target);
    client.on('error', () => {});
    if (status !== 0) {
      requests.push({ method: 'CONNECT', target, user, status });
      // The connection is not kept (Node hands the socket over once it has parsed a CONNECT): say so, and curl asks again on a new one.
      client.end(`HTTP/1.1 ${status} ${status === 407 ? 'Proxy Authentication Required' : 'Forbidden'}\r\n${status === 407 ? 'Proxy-Authenticate: Basic realm="Paddock test proxy"\r\n' : ''}Connection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const colon = target.lastIndexOf(':');
    const upstream = net.connect({ host: target.slice(0, colon).replace(/^\[|\]$/g, ''), port: Number(target.slice(colon + 1)) });
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    let opened = false;
    upstream.on('error', () => {
      if (!opened) requests.push({ method: 'CONNECT', target, user, status: 502 });
      if (!client.destroyed) client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
    });
    upstream.once('connect', () => {
      opened = true;
      requests.push({ method: 'CONNECT', target, user, status: 200 });
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    refuse: (targets) => (refused = new Set(targets)),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
