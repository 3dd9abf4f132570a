import fs from 'node:fs';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateTlsKey, selfSignedCertificate } from '../../electron/runner/tls';

// The shared half of the provider simulators: an HTTPS server on 127.0.0.1
// with a self-signed certificate made in the test process, a log of the
// requests it saw, and switches for the failures validation must survive.
// Each provider's file adds only the endpoints spec/SCM-PROTOCOLS.md
// documents (see README.md).

export interface SimulatorRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

/** What a route answers; a JSON body is serialised with Content-Type application/json. */
export interface SimulatorResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly json?: unknown;
  readonly text?: string;
}

/** A route: the answer for a request, or null when the path is not its. `body` is the request body as text ("" for none). */
export type SimulatorRoute = (request: { method: string; url: URL; headers: IncomingHttpHeaders; body: string }) => SimulatorResponse | null;

export type SimulatorFailure =
  /** Every connection is reset during the TLS handshake (a server that is down or a broken proxy). */
  | { readonly type: 'reset' }
  /** Every request gets this status and a short text body (a server error, a maintenance page). */
  | { readonly type: 'status'; readonly status: number }
  /** Every request gets 200 and an HTML page (a proxy's login page, a wrong host): the wrong content. */
  | { readonly type: 'html' }
  /** Every request is held open and never answered (a stuck server): for cancelling work in flight. */
  | { readonly type: 'hang' };

export interface Simulator {
  /** https://127.0.0.1:{port} */
  readonly origin: string;
  /** The certificate to trust (PEM): it is self-signed, for 127.0.0.1 and localhost. */
  readonly ca: string;
  /** Every request received, oldest first. */
  readonly requests: SimulatorRequest[];
  /**
   * Every request's body and the body of the answer, as text: what a secrets
   * test collects (the codes, tokens, refresh tokens and PKCE verifiers that
   * went over the wire) to check they appear nowhere else.
   */
  readonly traffic: { readonly path: string; readonly requestBody: string; readonly responseBody: string }[];
  /** Switches a failure on, or off with null. */
  fail(failure: SimulatorFailure | null): void;
  /** Requests held open by the 'hang' failure whose connection the client has not closed yet. */
  held(): number;
  /**
   * Also serves the same routes over plain http on 127.0.0.1 (started on
   * the first call) and answers with that origin: for a browser that does
   * not trust the simulators' CA, such as the web host's tab, to show the
   * consent pages (their forms post to the same origin). The runner's own
   * traffic stays on https.
   */
  serveHttp(): Promise<string>;
  /** Stops listening: connections are then refused. */
  close(): Promise<void>;
}

let material: Promise<{ key: string; cert: string }> | null = null;

/** One key and certificate per test process, shared by every simulator. */
export function simulatorCertificate(): Promise<{ key: string; cert: string }> {
  material ??= (async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-simulator-'));
    const key = loadOrCreateTlsKey(directory);
    const cert = await selfSignedCertificate(key, ['127.0.0.1', 'localhost']);
    fs.rmSync(directory, { recursive: true, force: true });
    return { key, cert };
  })();
  return material;
}

const htmlPage = '<!doctype html><html><head><title>Sign in</title></head><body><form action="/login"></form></body></html>';

function send(response: ServerResponse, answer: SimulatorResponse, method: string): void {
  const headers: Record<string, string> = { ...answer.headers };
  let body = '';
  if (answer.json !== undefined) {
    body = JSON.stringify(answer.json);
    headers['Content-Type'] ??= 'application/json; charset=utf-8';
  } else if (answer.text !== undefined) {
    body = answer.text;
    headers['Content-Type'] ??= 'text/plain; charset=utf-8';
  }
  headers['Content-Length'] = String(Buffer.byteLength(body));
  response.writeHead(answer.status, headers);
  response.end(method === 'HEAD' ? undefined : body);
}

/** Starts a simulator that answers with the first route that claims the request, else 404. */
export async function startSimulator(routes: readonly SimulatorRoute[]): Promise<Simulator> {
  const { key, cert } = await simulatorCertificate();
  const requests: SimulatorRequest[] = [];
  const traffic: { path: string; requestBody: string; responseBody: string }[] = [];
  let failure: SimulatorFailure | null = null;
  const sockets = new Set<Socket>();
  const held = new Set<ServerResponse>();

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const method = request.method ?? 'GET';
    requests.push({ method, path: request.url ?? '/', headers: request.headers });
    if (failure?.type === 'hang') {
      request.resume();
      held.add(response);
      response.on('close', () => held.delete(response));
      return;
    }
    // The body (OAuth token requests and form posts) is read whole before routing.
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (failure?.type === 'status') return send(response, { status: failure.status, text: 'Service Unavailable' }, method);
      if (failure?.type === 'html') return send(response, { status: 200, text: htmlPage, headers: { 'Content-Type': 'text/html; charset=utf-8' } }, method);
      const url = new URL(request.url ?? '/', 'https://127.0.0.1');
      const body = Buffer.concat(chunks).toString('utf8');
      for (const route of routes) {
        const answer = route({ method, url, headers: request.headers, body });
        if (answer) {
          traffic.push({ path: request.url ?? '/', requestBody: body, responseBody: answer.json !== undefined ? JSON.stringify(answer.json) : (answer.text ?? '') });
          return send(response, answer, method);
        }
      }
      send(response, { status: 404, text: 'Not Found' }, method);
    });
  };
  const track = (socket: Socket) => {
    if (failure?.type === 'reset') {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const server = https.createServer({ key, cert }, handle);
  server.on('connection', track);
  let plain: Promise<{ server: http.Server; origin: string }> | null = null;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    origin: `https://127.0.0.1:${port}`,
    ca: cert,
    requests,
    traffic,
    held: () => held.size,
    fail(next) {
      failure = next;
      if (next?.type === 'reset') for (const socket of sockets) socket.destroy();
    },
    serveHttp() {
      plain ??= new Promise((resolve, reject) => {
        const twin = http.createServer(handle);
        twin.on('connection', track);
        twin.once('error', reject);
        twin.listen(0, '127.0.0.1', () => resolve({ server: twin, origin: `http://127.0.0.1:${(twin.address() as AddressInfo).port}` }));
      });
      return plain.then(({ origin }) => origin);
    },
    async close() {
      const twin = plain ? (await plain).server : null;
      await new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        if (!server.listening) return resolve();
        server.close(() => resolve());
      });
      if (twin?.listening) await new Promise<void>((resolve) => twin.close(() => resolve()));
    },
  };
}

/** The path's segments, percent-decoded; null when the encoding is malformed. */
export function segmentsOf(url: URL): string[] | null {
  try {
    return url.pathname
      .split('/')
      .filter((segment) => segment !== '')
      .map((segment) => decodeURIComponent(segment));
  } catch {
    return null;
  }
}

/** Splits a configured path prefix ("/tfs", "/gitlab/", "") into segments. */
export function prefixSegments(prefix: string): string[] {
  return prefix.split('/').filter((segment) => segment !== '');
}

/** Whether `segments` start with `prefix`; IIS paths (Azure DevOps Server) compare without case. */
export function startsWith(segments: readonly string[], prefix: readonly string[], ignoreCase = false): boolean {
  const same = (a: string | undefined, b: string) => (ignoreCase ? a?.toLowerCase() === b.toLowerCase() : a === b);
  return prefix.length <= segments.length && prefix.every((segment, index) => same(segments[index], segment));
}

/** The one person a simulator knows. */
export interface SimulatedUser {
  /** The provider's user name (GitHub login, GitLab and Bitbucket user name). */
  readonly username: string;
  readonly displayName: string;
  /** The account's email (Bitbucket Cloud's REST calls, Azure DevOps' account name). */
  readonly email: string;
}

/** That person and the one personal access token the simulator accepts for them; any other token is refused. */
export interface SimulatedAccount {
  readonly user: SimulatedUser;
  readonly personalAccessToken: string;
  /** Tokens a test issues or revokes while the simulator runs (the account's own one too); absent: only `personalAccessToken`. */
  readonly tokens?: AccountTokens;
}

/**
 * Personal access tokens issued and revoked at a provider while a test
 * runs: a revoked token is refused from the next request on (the
 * account's own `personalAccessToken` too), an issued one is accepted
 * like the account's own.
 */
export class AccountTokens {
  private readonly issued = new Set<string>();
  private readonly revoked = new Set<string>();

  /** Accepts one more token for the account (also takes back its revocation). */
  issue(token: string): void {
    this.issued.add(token);
    this.revoked.delete(token);
  }

  /** Refuses the token from now on. */
  revoke(token: string): void {
    this.revoked.add(token);
    this.issued.delete(token);
  }

  isRevoked(token: string): boolean {
    return this.revoked.has(token);
  }

  isIssued(token: string): boolean {
    return this.issued.has(token);
  }
}

/** A request header as one string, or null when absent. */
export function header(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name.toLowerCase()];
  return typeof value === 'string' ? value : null;
}

/** The token of `Authorization: <scheme> <token>` for one of `schemes` (compared without case), else null. */
export function authorizationToken(headers: IncomingHttpHeaders, schemes: readonly string[]): string | null {
  const match = /^(\S+) +(\S+)$/.exec(header(headers, 'authorization') ?? '');
  if (!match || !schemes.some((scheme) => scheme.toLowerCase() === match[1]!.toLowerCase())) return null;
  return match[2]!;
}

/** User and password of `Authorization: Basic base64(user:password)`, else null. */
export function basicCredentials(headers: IncomingHttpHeaders): { user: string; password: string } | null {
  const encoded = authorizationToken(headers, ['Basic']);
  if (encoded === null) return null;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Whether `presented` is the account's token (no account: no token is),
 * or, with `oauth`, an access token that authorization server issued and
 * that is still valid (the real APIs take both).
 */
export function acceptsToken(
  account: SimulatedAccount | undefined,
  presented: string | null,
  oauth?: { accessGrant(token: string): unknown },
): account is SimulatedAccount {
  if (account === undefined || presented === null) return false;
  if (account.tokens?.isRevoked(presented)) return false;
  return presented === account.personalAccessToken || (account.tokens?.isIssued(presented) ?? false) || (oauth !== undefined && oauth.accessGrant(presented) !== null);
}
