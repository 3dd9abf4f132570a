import { spawn, type ChildProcessByStdio } from 'node:child_process';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { z } from 'zod';
import type { ProviderKind } from '../../electron/common/provider-kind';
import { isAzureDevOpsScope } from './entra';
import type { AccessGrant } from './oauth';
import { basicCredentials, simulatorCertificate } from './simulator';

// A smart-HTTP git server for tests: a small Node HTTP server on 127.0.0.1
// in front of `git http-backend` (CGI, one child per request), serving the
// bare repositories of git-repos.ts under the URL paths each provider uses.
// Every request needs HTTP Basic credentials, checked by an `authorize`
// callback; `providerAuthorizer` gives one that follows each provider's
// username rules (spec/SCM-PROTOCOLS.md, cited below) against a token set a
// test changes at any time. See README.md, "Git server".
//
// Only the smart protocol is served (`info/refs?service=…`,
// `git-upload-pack`, `git-receive-pack`); the dumb protocol's paths get 404,
// so a client that fell back to it would fail loudly.

export type GitService = 'upload-pack' | 'receive-pack';

/** What `authorize` is asked. The password is there to be checked, never to be logged. */
export interface GitAuthRequest {
  /** The repository's URL path, percent-decoded, without the git suffix: `/octo/hello.git`, `/contoso/Fabrikam/_git/hello`. */
  readonly path: string;
  /** The Basic user name ("" when git sent none before the colon). */
  readonly user: string;
  readonly password: string;
  /** upload-pack for clone and fetch (ls-remote too), receive-pack for push. */
  readonly service: GitService;
}

/**
 * allowed: served. refused: 401 with the Basic challenge again, so git
 * tells its credential helper `erase` and fails with "Authentication
 * failed". forbidden: 403 (git fails; no `erase`).
 */
export type GitAuthDecision = 'allowed' | 'refused' | 'forbidden';

export type GitAuthorizer = (request: GitAuthRequest) => GitAuthDecision | Promise<GitAuthDecision>;

/** A URL path (percent-decoded, as in GitAuthRequest.path) → the bare repository's folder, or null for none. */
export type RepositoryResolver = (urlPath: string) => string | null;

export interface GitServerOptions {
  /**
   * URL path → bare repository folder, e.g. `{ '/octo/hello.git': repo.dir }`;
   * a key ending in `.git` also answers without it (`/octo/hello`), as
   * GitHub, GitLab and Bitbucket URLs may leave it out (SCM-PROTOCOLS
   * §2.4, §3.4, §4.4). Or a resolver function. Paths are compared as given
   * (case matters).
   */
  readonly repositories: Readonly<Record<string, string>> | RepositoryResolver;
  readonly authorize: GitAuthorizer;
  /** The Basic challenge's realm (default "Paddock simulated git"; not any provider's real one). */
  readonly realm?: string;
  /** Bytes per second for each upload-pack answer (the pack of a clone or fetch); null or absent: unthrottled. */
  readonly throttle?: number | null;
  /** Serve https with the provider simulators' self-signed certificate (simulator.ts) instead of plain http. */
  readonly tls?: boolean;
}

/** One request, as the server saw it. Never holds the password. */
export interface GitRequestRecord {
  readonly method: string;
  /** The URL path as sent (percent-encoded), without the query. */
  readonly path: string;
  /** The repository's URL path (decoded) when the path was a smart-HTTP one, else null. */
  readonly repository: string | null;
  readonly service: GitService | null;
  /** The Basic user name sent, or null without credentials. */
  readonly user: string | null;
  /** The status answered (0 while the answer has not started). */
  readonly status: number;
  /** Bytes of the answer's body written so far (http-backend's output, after the CGI headers). */
  readonly bytes: number;
  /** What http-backend wrote to stderr (e.g. why it refused), trimmed; "" for nothing. */
  readonly stderr: string;
}

export interface GitServer {
  /** http://127.0.0.1:{port} (https:// with `tls`). */
  readonly origin: string;
  /** With `tls`: the certificate git must trust (PEM; write it to a file for GIT_SSL_CAINFO). Else null. */
  readonly ca: string | null;
  /** The clone URL of a repository path: origin + the path, each segment percent-encoded. */
  url(repositoryPath: string): string;
  /** Every request, oldest first (live: status and bytes change while an answer streams). */
  readonly requests: readonly GitRequestRecord[];
  /** Bytes of upload-pack answers (packs) written so far, over all requests. */
  uploadPackBytes(): number;
  /** Changes the throttle (bytes per second of each upload-pack answer) for answers in flight too; null: unthrottled. */
  setThrottle(bytesPerSecond: number | null): void;
  /** Serves one more repository (checked before the `repositories` option). */
  addRepository(urlPath: string, dir: string): void;
  /** Process ids of the http-backend children still running; each leads its own process group (upload-pack and pack-objects under it). */
  backends(): readonly number[];
  /**
   * The request handler, for mounting the git server behind another server
   * (e.g. a provider simulator's origin): give it the request before its
   * body is read. `isGitPath` says which requests are the git server's.
   */
  handle(request: IncomingMessage, response: ServerResponse): void;
  /** Ends running http-backend children (their process groups) and stops listening. */
  close(): Promise<void>;
}

const smartPath = /^(.*)\/(info\/refs|git-upload-pack|git-receive-pack)$/;

/** Whether a request path (with or without query) is one the git server answers: a smart-HTTP git path. */
export function isGitPath(requestPath: string): boolean {
  return smartPath.test(new URL(requestPath, 'http://127.0.0.1').pathname);
}

/** The decoded repository path and service of a smart-HTTP request, else null. */
function parseGitPath(url: URL): { repository: string; suffix: string; service: GitService } | null {
  let decoded: string;
  try {
    decoded = url.pathname
      .split('/')
      .map((segment) => decodeURIComponent(segment))
      .join('/');
  } catch {
    return null;
  }
  const match = smartPath.exec(decoded);
  if (!match || match[1] === '') return null;
  const suffix = match[2]!;
  const named = suffix === 'info/refs' ? url.searchParams.get('service') : suffix;
  if (named !== 'git-upload-pack' && named !== 'git-receive-pack') return null; // the dumb protocol's info/refs
  return { repository: match[1]!, suffix, service: named === 'git-upload-pack' ? 'upload-pack' : 'receive-pack' };
}

// http-backend's answer starts with CGI headers ("Status: 403 Forbidden",
// "Content-Type: …"), each validated before it reaches the client.
const cgiHeader = z.string().regex(/^([A-Za-z0-9-]+):[ \t]*(.*)$/);
const cgiStatus = z.string().regex(/^([1-5][0-9]{2})(?: .*)?$/);

/** Splits off the CGI header block; null while it is incomplete. */
function cgiHead(buffer: Buffer): { status: number; headers: [string, string][]; rest: Buffer } | null {
  let end = buffer.indexOf('\r\n\r\n');
  let skip = 4;
  const lf = buffer.indexOf('\n\n');
  if (lf >= 0 && (end < 0 || lf < end)) {
    end = lf;
    skip = 2;
  }
  if (end < 0) return null;
  let status = 200;
  const headers: [string, string][] = [];
  for (const line of buffer.subarray(0, end).toString('latin1').split(/\r?\n/)) {
    const [, name, value] = /^([^:]+):[ \t]*(.*)$/.exec(cgiHeader.parse(line))!;
    if (name!.toLowerCase() === 'status') status = Number(/^\d+/.exec(cgiStatus.parse(value))![0]);
    else headers.push([name!, value!]);
  }
  return { status, headers, rest: buffer.subarray(end + skip) };
}

const sliceSeconds = 0.05; // the throttle writes at most bytesPerSecond × 50 ms, then waits

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** An environment for http-backend that no user or system git configuration reaches. */
function backendEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.tmpdir(), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: os.devNull, LC_ALL: 'C' };
}

/**
 * Starts the git server on 127.0.0.1 on a free port. Repositories are
 * served with `GIT_HTTP_EXPORT_ALL`; a push needs the repository's
 * `http.receivepack` true (git-repos.ts: `copyRepository`), else
 * http-backend answers 403.
 */
export async function startGitServer(options: GitServerOptions): Promise<GitServer> {
  const realm = options.realm ?? 'Paddock simulated git';
  const added = new Map<string, string>();
  const configured = options.repositories;
  const resolve = (urlPath: string): string | null => {
    const lookup = (key: string) => added.get(key) ?? (typeof configured === 'function' ? configured(key) : (Object.hasOwn(configured, key) ? configured[key]! : null));
    return lookup(urlPath) ?? (urlPath.endsWith('.git') ? null : lookup(`${urlPath}.git`));
  };
  let throttle = options.throttle ?? null;
  let packBytes = 0;
  const requests: (GitRequestRecord & { status: number; bytes: number; stderr: string })[] = [];
  const children = new Set<ChildProcessByStdio<Writable, Readable, Readable>>();
  const sockets = new Set<Socket>();

  const killGroup = (child: { pid?: number | undefined }) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };

  const answer = (response: ServerResponse, record: { status: number }, status: number, text: string, headers: Record<string, string> = {}) => {
    record.status = status;
    response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)), ...headers });
    response.end(text);
  };

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const parsed = parseGitPath(url);
    const credentials = basicCredentials(request.headers);
    const record = { method, path: url.pathname, repository: parsed?.repository ?? null, service: parsed?.service ?? null, user: credentials?.user ?? null, status: 0, bytes: 0, stderr: '' };
    requests.push(record);
    if (parsed === null) return answer(response, record, 404, 'Not Found (this server speaks only the smart HTTP protocol)\n');
    const challenge = { 'WWW-Authenticate': `Basic realm="${realm}"` };
    if (credentials === null) return answer(response, record, 401, 'Authentication required\n', challenge);

    void (async () => {
      let decision: GitAuthDecision;
      try {
        decision = await options.authorize({ path: parsed.repository, user: credentials.user, password: credentials.password, service: parsed.service });
      } catch {
        return answer(response, record, 500, 'The authorizer failed\n');
      }
      if (decision === 'refused') return answer(response, record, 401, 'Invalid username or token\n', challenge);
      if (decision === 'forbidden') return answer(response, record, 403, 'Forbidden: this token may not do that\n');
      const dir = resolve(parsed.repository);
      if (dir === null) return answer(response, record, 404, 'Repository not found\n');
      runBackend(request, response, record, { dir, suffix: parsed.suffix, service: parsed.service, user: credentials.user, query: url.search.slice(1) });
    })();
  };

  const runBackend = (
    request: IncomingMessage,
    response: ServerResponse,
    record: { status: number; bytes: number; stderr: string },
    target: { dir: string; suffix: string; service: GitService; user: string; query: string },
  ) => {
    const env: Record<string, string> = {
      ...backendEnv(),
      GATEWAY_INTERFACE: 'CGI/1.1',
      SERVER_PROTOCOL: `HTTP/${request.httpVersion}`,
      REQUEST_METHOD: request.method ?? 'GET',
      GIT_PROJECT_ROOT: path.dirname(target.dir),
      PATH_INFO: `/${path.basename(target.dir)}/${target.suffix}`,
      QUERY_STRING: target.query,
      GIT_HTTP_EXPORT_ALL: '1',
      // The authenticated user: http-backend enables receive-pack for it unless http.receivepack is false.
      REMOTE_USER: target.user,
      REMOTE_ADDR: request.socket.remoteAddress ?? '127.0.0.1',
    };
    const passed: [string, string][] = [
      ['content-type', 'CONTENT_TYPE'],
      ['content-length', 'CONTENT_LENGTH'],
      // Protocol v2 is asked for with this header; http-backend reads it only as HTTP_GIT_PROTOCOL.
      ['git-protocol', 'HTTP_GIT_PROTOCOL'],
      // git gzips large request bodies; http-backend inflates them itself.
      ['content-encoding', 'HTTP_CONTENT_ENCODING'],
    ];
    for (const [headerName, variable] of passed) {
      const value = request.headers[headerName];
      if (typeof value === 'string') env[variable] = value;
    }
    // Its own process group, so that ending it ends upload-pack and pack-objects too.
    const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    children.add(child);
    const stderr: Buffer[] = [];
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stdin.on('error', () => undefined); // http-backend may answer (and exit) before reading the whole body
    request.pipe(child.stdin);
    let finished = false;
    child.on('close', () => {
      children.delete(child);
      record.stderr = Buffer.concat(stderr).toString('utf8').trim();
    });
    child.on('error', () => {
      children.delete(child);
      if (!response.headersSent) answer(response, record, 500, 'git http-backend could not be started\n');
    });
    // The client went away (a cancelled clone): end the backend and everything it started.
    response.on('close', () => {
      if (!finished) killGroup(child);
    });

    const throttled = target.service === 'upload-pack' && target.suffix === 'git-upload-pack';
    void (async () => {
      let head: Buffer = Buffer.alloc(0);
      let started = false;
      try {
        for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
          let body = chunk;
          if (!started) {
            head = Buffer.concat([head, chunk]);
            const split = cgiHead(head);
            if (split === null) continue;
            started = true;
            record.status = split.status;
            response.writeHead(split.status, split.headers);
            body = split.rest;
          }
          if (!(await write(response, body, throttled, record))) return;
        }
        if (!started) {
          // http-backend died without an answer.
          await new Promise((done) => (child.exitCode === null ? child.once('close', done) : done(null)));
          if (!response.headersSent) answer(response, record, 502, 'git http-backend gave no answer\n');
          return;
        }
        finished = true;
        response.end();
      } catch {
        // A malformed CGI answer (rejected by the schema) or a broken pipe.
        killGroup(child);
        if (!response.headersSent) answer(response, record, 502, 'git http-backend gave a malformed answer\n');
        else response.destroy();
      }
    })();
  };

  /** Writes `body`, throttled for upload-pack answers; false when the client is gone. */
  const write = async (response: ServerResponse, body: Buffer, throttled: boolean, record: { bytes: number }): Promise<boolean> => {
    let offset = 0;
    while (offset < body.length) {
      if (response.destroyed) return false;
      const rate = throttled ? throttle : null;
      const size = rate === null ? body.length - offset : Math.max(1, Math.min(body.length - offset, Math.floor(rate * sliceSeconds)));
      const piece = body.subarray(offset, offset + size);
      offset += size;
      record.bytes += size;
      if (throttled) packBytes += size;
      if (!response.write(piece)) {
        const drained = await new Promise<boolean>((done) => {
          const onDrain = () => {
            response.off('close', onClose);
            done(true);
          };
          const onClose = () => {
            response.off('drain', onDrain);
            done(false);
          };
          response.once('drain', onDrain);
          response.once('close', onClose);
        });
        if (!drained) return false;
      }
      if (rate !== null) await sleep((size / rate) * 1000);
    }
    return true;
  };

  const tls = options.tls === true ? await simulatorCertificate() : null;
  const server = tls === null ? http.createServer(handle) : https.createServer({ key: tls.key, cert: tls.cert }, handle);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  const origin = `${tls === null ? 'http' : 'https'}://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    ca: tls?.cert ?? null,
    url: (repositoryPath) =>
      origin +
      repositoryPath
        .split('/')
        .map((segment) => encodeURIComponent(segment))
        .join('/'),
    requests,
    uploadPackBytes: () => packBytes,
    setThrottle(bytesPerSecond) {
      throttle = bytesPerSecond;
    },
    addRepository(urlPath, dir) {
      added.set(urlPath, dir);
    },
    backends: () => [...children].map((child) => child.pid).filter((pid): pid is number => pid !== undefined),
    handle,
    async close() {
      for (const child of children) killGroup(child);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((done) => (server.listening ? server.close(() => done()) : done()));
      await Promise.all([...children].map((child) => new Promise((done) => (child.exitCode === null && child.signalCode === null ? child.once('close', done) : done(null)))));
    },
  };
}

// ---------------------------------------------------------------------------
// Tokens and each provider's rules

/** A personal access token (or API / HTTP access token), or an OAuth access token (Entra's for Azure DevOps). */
export type GitTokenKind = 'pat' | 'oauth';

export interface GitTokenGrant {
  readonly kind: GitTokenKind;
  /** read: clone and fetch only (a push is forbidden, 403); write: push too. */
  readonly access: 'read' | 'write';
}

/** Finds a token the set does not hold (e.g. an access token an OAuth simulator issued); null when unknown. */
export type GitTokenLookup = (token: string) => GitTokenGrant | null | Promise<GitTokenGrant | null>;

/**
 * The tokens a git server accepts, changed by a test at any time (a token
 * revoked while a clone runs is refused from the next request on; an answer
 * already streaming goes on, as on a real server).
 */
export class GitTokens {
  private readonly known = new Map<string, GitTokenGrant>();
  private readonly revoked = new Set<string>();

  /** Tokens given as strings are write PATs. */
  constructor(tokens: Iterable<string | readonly [string, Partial<GitTokenGrant>]> = []) {
    for (const entry of tokens) {
      if (typeof entry === 'string') this.add(entry);
      else this.add(entry[0], entry[1]);
    }
  }

  /** Accepts a token (default: a write PAT); also takes back a revocation. */
  add(token: string, grant: Partial<GitTokenGrant> = {}): this {
    this.known.set(token, { kind: grant.kind ?? 'pat', access: grant.access ?? 'write' });
    this.revoked.delete(token);
    return this;
  }

  /** Refuses the token from now on, also when a lookup would find it (an OAuth token revoked at the provider). */
  revoke(token: string): void {
    this.revoked.add(token);
  }

  isRevoked(token: string): boolean {
    return this.revoked.has(token);
  }

  /** The grant of a token the set accepts, else null. */
  grantOf(token: string): GitTokenGrant | null {
    return this.revoked.has(token) ? null : (this.known.get(token) ?? null);
  }
}

/** Bitbucket Cloud's fixed git user name for OAuth access tokens (SCM-PROTOCOLS §4.1). */
export const BITBUCKET_OAUTH_USERNAME = 'x-token-auth';
/** Bitbucket Cloud's fixed git user name for API tokens (SCM-PROTOCOLS §4.2). */
export const BITBUCKET_API_TOKEN_USERNAME = 'x-bitbucket-api-token-auth';

/**
 * Whether a provider takes this Basic user name with a token of this kind
 * for git over HTTPS; `account` is the token owner's user name on the
 * provider. An empty user name is refused everywhere: Azure DevOps says so
 * (§1.4 "anything except the empty string"), GitLab requires one (§3.2
 * "Though required, … ignored"), and for the others it is the simulator's
 * choice (git itself never sends an empty one from a helper's answer).
 */
export function gitUsernameAccepted(kind: ProviderKind, token: GitTokenKind, username: string, account: string): boolean {
  if (username === '') return false;
  switch (kind) {
    case 'github':
      // §2.3: the docs give the account's login (GCM sends it) and x-access-token (installation tokens);
      // that GitHub ignores the name for PATs and OAuth tokens is the simulator's choice, not in the spec.
      return true;
    case 'gitlab':
      // §3.2: PAT: "usernames are ignored"; §3.3: OAuth token: "any string value. You should use oauth2".
      return true;
    case 'bitbucket-cloud':
      // §4.1: OAuth: "The literal string x-token-auth as a substitute for username is required" (GCM sends the
      // user name instead; the simulator follows Atlassian's text). §4.2: API token: the Bitbucket user name or
      // x-bitbucket-api-token-auth (the account email is for REST only).
      return token === 'oauth' ? username === BITBUCKET_OAUTH_USERNAME : username === account || username === BITBUCKET_API_TOKEN_USERNAME;
    case 'bitbucket-dc':
      // §4.3: HTTP access tokens are used "in place of passwords": with the owner's user name (the simulator's
      // reading); OAuth: GCM looks the user name up (§4.3, unverified), the simulator takes the owner's too.
      return username === account;
    case 'azure-devops':
      // §1.4/§1.5: PAT: "can be anything except the empty string"; Entra token: any (GIT-AND-DESKTOP §3.4, an inference).
      return true;
    case 'azure-devops-server':
      // §1.4, decisions: PAT-only, any user name as for Azure DevOps.
      return token === 'pat';
  }
}

export interface ProviderAuthorizerOptions {
  readonly kind: ProviderKind;
  /** The token owner's user name on the provider (SIMULATED_USER.username): Bitbucket's rules need it. */
  readonly username: string;
  readonly tokens: GitTokens;
  /** Asked for a token the set does not hold (and has not revoked): e.g. `simulatorOAuthTokens(…)`. */
  readonly lookup?: GitTokenLookup;
}

/**
 * An authorizer with a provider's rules: the password must be a token the
 * set (or the lookup) accepts and not revoked, sent with a user name the
 * provider takes for that kind of token (`gitUsernameAccepted`); else
 * refused (401). A read token pushing is forbidden (403, the simulator's
 * choice of status). Compose it for more, e.g. a private fork the token
 * cannot reach:
 * `(request) => request.path === '/sam/hello.git' ? 'forbidden' : base(request)`.
 */
export function providerAuthorizer(options: ProviderAuthorizerOptions): GitAuthorizer {
  return async ({ user, password, service }) => {
    if (options.tokens.isRevoked(password)) return 'refused';
    const grant = options.tokens.grantOf(password) ?? (options.lookup === undefined ? null : await options.lookup(password));
    if (grant === null) return 'refused';
    if (!gitUsernameAccepted(options.kind, grant.kind, user, options.username)) return 'refused';
    if (service === 'receive-pack' && grant.access === 'read') return 'forbidden';
    return 'allowed';
  };
}

/** A simulator's origin and the certificate to trust (what every provider simulator has). */
export interface SimulatorEndpoint {
  readonly origin: string;
  readonly ca: string;
}

function statusWithBearer(url: string, ca: string, token: string): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
  return new Promise((done, fail) => {
    const request = https.request(url, { method: 'GET', ca, headers: { Authorization: `Bearer ${token}` } }, (response) => {
      response.resume();
      response.on('end', () => done({ status: response.statusCode ?? 0, headers: response.headers }));
    });
    request.on('error', fail);
    request.end();
  });
}

/**
 * A lookup that accepts the OAuth access tokens a provider simulator issued
 * and still holds valid, by asking that simulator's API as the token's
 * bearer (so expiry, refresh rotation and the simulator's clock apply):
 * GitHub `GET {apiBase}/user`; GitLab `GET /oauth/token/info`; Bitbucket
 * Cloud `GET /2.0/user` (the consumer needs the account permission);
 * Bitbucket Data Center `GET /rest/api/1.0/application-properties` naming
 * a user (X-AUSERNAME); Azure DevOps: an Entra simulator's token with an
 * Azure DevOps scope. Azure DevOps Server takes no OAuth tokens.
 * Tokens found are write OAuth tokens (scopes are not mapped to access).
 */
export function simulatorOAuthTokens(
  target:
    | { readonly kind: 'github'; readonly simulator: SimulatorEndpoint; readonly apiBase?: '' | '/api/v3' }
    | { readonly kind: 'gitlab' | 'bitbucket-cloud' | 'bitbucket-dc'; readonly simulator: SimulatorEndpoint; readonly basePath?: string }
    | { readonly kind: 'azure-devops'; readonly entra: { accessGrant(token: string): AccessGrant | null } },
): GitTokenLookup {
  const found: GitTokenGrant = { kind: 'oauth', access: 'write' };
  if (target.kind === 'azure-devops') {
    return (token) => (target.entra.accessGrant(token)?.scopes.some(isAzureDevOpsScope) ? found : null);
  }
  const { origin, ca } = target.simulator;
  const base = target.kind === 'github' ? (target.apiBase ?? '') : (target.basePath ?? '');
  const endpoint = {
    github: '/user',
    gitlab: '/oauth/token/info',
    'bitbucket-cloud': '/2.0/user',
    'bitbucket-dc': '/rest/api/1.0/application-properties',
  }[target.kind];
  return async (token) => {
    const { status, headers } = await statusWithBearer(`${origin}${base}${endpoint}`, ca, token);
    if (status !== 200) return null;
    if (target.kind === 'bitbucket-dc' && typeof headers['x-ausername'] !== 'string') return null;
    return found;
  };
}
