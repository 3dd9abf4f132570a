import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { errorStatusOf, PaddockError, type ErrorCode, type ErrorDetail } from '../common/errors';
import {
  JOB_PING_MS,
  matchRoutePath,
  RUNNER_API_VERSION,
  RUNNER_API_VERSION_HEADER,
  RUNNER_MAX_BODY_BYTES,
  runnerRoutes,
  type ClientRole,
  type JobEvent,
  type RouteAccess,
  type RunnerRouteName,
  type RunnerRoutes,
  type RunnerStatus,
} from '../common/runner-api';
import { PADDOCK_VERSION } from '../common/version';
import type { z } from 'zod';
import type { RunnerIdentity } from './identity';
import type { EnvironmentService } from './environments/service';
import type { JobManager } from './jobs';
import { connectPat, type PatChecker } from './pat';
import type { ProviderService } from './provider-service';
import type { RunnerLogger } from './logger';
import { registrationProof, type RegistrationBook } from './registrations';
import type { SecretStore } from './secret-store';
import { callbackPageCsp, callbackPageHtml, type CallbackPage } from '../common/callback-page';
import { parseOAuthCallbackQuery } from '../common/deep-link';
import { callbackPath } from '../common/providers/constants';
import type { OAuthService } from './oauth';
import type { TokenStore } from './tokens';
import type { Vault } from './vault';

export interface RunnerApiContext {
  mode: 'local' | 'remote';
  identity: RunnerIdentity;
  secretStore: SecretStore;
  vault: Vault;
  logger: RunnerLogger;
  startedAt: Date;
  warnings: string[];
  /** Remote mode: TLS fingerprint, registrations and clients. */
  spki: string | null;
  registrations: RegistrationBook | null;
  /** Local mode: SHA-256 of the app's token (the token itself is only in memory for the hello proof). */
  localToken: { token: string; hash: Buffer } | null;
  /** Host header values (without port) this runner answers to, besides IP literals. */
  hostNames: string[];
  /** Repository access entries (issue 4). */
  providers: ProviderService;
  /** Users' tokens, per workstation. */
  tokens: TokenStore;
  jobs: JobManager;
  discoverTenant: (organization: string) => Promise<{ tenant: string | null; message: string }>;
  /** Checks a pasted personal access token against its provider (pat.ts checkPat with the runner's network settings). */
  checkPat: PatChecker;
  /** This runner's environments (working copies); their clones run as jobs. */
  environments: EnvironmentService;
  /** OAuth attempts: their callbacks arrive here (the attempts themselves run as jobs). */
  oauth: OAuthService;
  /** A remote runner's own https callback URL, when browsers trust its certificate (the admin's own); null otherwise. */
  oauthCallback: () => string | null;
  /** Local mode: deletes the runner's keys and data (throws if it cannot). */
  purge?: () => Promise<void>;
  /** Stops the server (after the answer is sent). */
  stop?: () => Promise<void>;
}

/** Who is calling: the local app (the runner's admin) or a registered workstation with its role. */
export interface Caller {
  clientId: string;
  role: ClientRole;
}

type Json = Record<string, unknown>;
interface Reply {
  status?: number;
  body: Json;
  after?: () => void;
}
/** A streamed answer: NDJSON lines until `end` is called or the client goes away. */
interface StreamReply {
  stream: (write: (event: JobEvent) => void, end: () => void, closed: AbortSignal) => (() => void) | void;
}

type Input<K extends RunnerRouteName> = {
  body: RunnerRoutes[K] extends { body: infer B extends z.ZodType } ? z.output<B> : undefined;
  params: RunnerRoutes[K] extends { params: infer P extends z.ZodType } ? z.output<P> : undefined;
};
type Handler<K extends RunnerRouteName> = (
  input: Input<K>,
  // Public routes have no caller; every other route is reached only with one.
  caller: RunnerRoutes[K]['access'] extends 'public' ? null : Caller,
  ctx: RunnerApiContext,
) => Promise<Reply | StreamReply> | Reply | StreamReply;

class HttpError extends PaddockError {
  readonly status: number;
  constructor(code: ErrorCode, message: string, detail?: ErrorDetail, status?: number) {
    super(code, message, undefined, detail);
    this.status = status ?? errorStatusOf(code);
  }
}

const localOnly = (ctx: RunnerApiContext) => ctx.registrations!;

/** What each route does; which routes exist, who may call them and what they take is in the contract (electron/common/runner-api/routes.ts). */
const handlers: { [K in RunnerRouteName]: Handler<K> } = {
  health: () => ({ body: { status: 'ok', version: PADDOCK_VERSION, apiVersion: RUNNER_API_VERSION } }),
  hello: ({ body: { nonce } }, _caller, ctx) => ({
    body: { proof: createHmac('sha256', ctx.localToken!.token).update(`paddock-hello-v1\n${nonce}`).digest('base64') },
  }),
  registrationChallenge: ({ body: { nonce, tokenId } }, _caller, ctx) => {
    const hash = localOnly(ctx).hashForChallenge(tokenId);
    const publicKey = ctx.identity.file.publicKey;
    return { body: { proof: registrationProof(hash, nonce, ctx.spki!, publicKey), publicKey, spki: ctx.spki } };
  },
  register: ({ body: { token, name } }, _caller, ctx) => {
    const { clientId, apiToken, role } = localOnly(ctx).register(token, name);
    ctx.logger.info('workstation registered', { clientId, name, role });
    return { body: { clientId, apiToken, publicKey: ctx.identity.file.publicKey, role } };
  },
  status: (_input, caller, ctx) => {
    const status: RunnerStatus = {
      runnerId: ctx.identity.file.runnerId,
      version: PADDOCK_VERSION,
      apiVersion: RUNNER_API_VERSION,
      mode: ctx.mode,
      publicKey: ctx.identity.file.publicKey,
      spki: ctx.spki,
      secretStore: ctx.secretStore.kind,
      startedAt: ctx.startedAt.toISOString(),
      warnings: ctx.warnings,
      client: { id: caller.clientId, role: caller.role },
      oauthCallback: ctx.oauthCallback(),
    };
    return { body: status };
  },
  deleteSelf: async (_input, caller, ctx) => {
    await ctx.jobs.forget(caller.clientId);
    ctx.vault.deleteClient(caller.clientId);
    localOnly(ctx).removeClient(caller.clientId);
    ctx.logger.info('workstation removed itself', { clientId: caller.clientId });
    return { body: { ok: true } };
  },
  listClients: (_input, caller, ctx) => ({
    body: {
      clients: localOnly(ctx)
        .clients()
        .map((c) => ({ id: c.clientId, name: c.name, role: c.role, createdAt: c.createdAt, self: c.clientId === caller.clientId })),
    },
  }),
  createRegistration: ({ body: { role, expiresInMinutes } }, caller, ctx) => {
    const { token, expiresAt } = localOnly(ctx).create(expiresInMinutes * 60_000, role);
    ctx.logger.info('registration token created through the API', { by: caller.clientId, role, expiresAt: expiresAt.toISOString() });
    return { status: 201, body: { token, expiresAt: expiresAt.toISOString(), role } };
  },
  deleteClientTokens: ({ params: { clientId }, body }, caller, ctx) => {
    if (!localOnly(ctx).clients().some((c) => c.clientId === clientId)) {
      throw new HttpError('not-found', 'No workstation with that id is registered with this runner.');
    }
    const deleted = ctx.tokens.delete(clientId, body);
    ctx.logger.info('tokens deleted for another workstation', { by: caller.clientId, clientId, deleted });
    return { body: { deleted } };
  },
  listProviders: (_input, _caller, ctx) => ({ body: { providers: ctx.providers.list() } }),
  saveProvider: async ({ body }, _caller, ctx) => {
    const result = await ctx.providers.save(body);
    if (result.saved) ctx.logger.info('provider saved', { kind: body.provider.kind, deletedTokens: result.deletedTokens });
    return { body: result as unknown as Json };
  },
  deleteProvider: async ({ body: { host } }, _caller, ctx) => {
    const { deletedTokens } = await ctx.providers.delete(host);
    ctx.logger.info('provider deleted', { deletedTokens });
    return { body: { ok: true, deletedTokens } };
  },
  discoverTenant: async ({ body: { organization } }, _caller, ctx) => ({ body: await ctx.discoverTenant(organization) }),
  applyPolicy: async ({ body: { providers } }, _caller, ctx) => {
    const result = await ctx.providers.applyPolicy(providers);
    ctx.logger.info('admin policy applied', { applied: result.applied, problems: result.problems.length });
    return { body: result };
  },
  listTokens: (_input, caller, ctx) => ({ body: { tokens: ctx.tokens.list(caller.clientId) } }),
  deleteTokens: ({ body }, caller, ctx) => {
    const deleted = ctx.tokens.delete(caller.clientId, body);
    ctx.logger.info('tokens deleted', { clientId: caller.clientId, deleted });
    return { body: { deleted } };
  },
  useToken: ({ body: { id } }, caller, ctx) => {
    if (!ctx.tokens.use(caller.clientId, id)) throw new HttpError('not-found', 'This account is no longer connected on this runner.');
    return { body: { tokens: ctx.tokens.list(caller.clientId) } };
  },
  oauthCallback: ({ body }, caller, ctx) => ({ body: ctx.oauth.callback(body, caller.clientId) }),
  connectPat: async ({ body }, caller, ctx) => {
    const token = await connectPat(body, caller.clientId, {
      runnerId: ctx.identity.file.runnerId,
      keys: { publicKey: ctx.identity.keyPair.publicKey, secretKey: ctx.identity.keyPair.secretKey },
      providers: () => ctx.providers.list(),
      tokens: ctx.tokens,
      check: ctx.checkPat,
    });
    ctx.logger.info('personal access token checked and stored', { clientId: caller.clientId, host: token.host, organization: token.organization, account: token.account });
    return { body: token };
  },
  listEnvironments: (_input, caller, ctx) => ({ body: { environments: ctx.environments.list(caller.clientId) } }),
  createEnvironment: ({ body }, caller, ctx) => ({ status: 201, body: ctx.environments.create(caller.clientId, body) }),
  retryEnvironment: ({ params: { id } }, caller, ctx) => ({ status: 202, body: ctx.environments.retry(caller.clientId, id) }),
  environmentChanges: async ({ params: { id } }, caller, ctx) => ({ body: await ctx.environments.changes(caller.clientId, id) }),
  deleteEnvironment: async ({ params: { id } }, caller, ctx) => {
    // One being cloned is cancelled first: its clone stops and its half-made folder goes, then the record.
    const environment = ctx.environments.list(caller.clientId).find((e) => e.id === id);
    if (environment?.state === 'creating' && environment.jobId) {
      await ctx.jobs.cancel(environment.jobId, caller.clientId).catch(() => undefined);
    }
    ctx.environments.delete(caller.clientId, id);
    return { body: { ok: true } };
  },
  startJob: ({ body }, caller, ctx) => ({ status: 202, body: { job: ctx.jobs.start(body, caller.clientId) } }),
  getJob: ({ params: { id } }, caller, ctx) => ({ body: { job: ctx.jobs.get(id, caller.clientId) } }),
  jobEvents: ({ params: { id } }, caller, ctx) => {
    // Not found, or too many watchers, is answered as an error before the stream starts.
    ctx.jobs.admit(id, caller.clientId);
    return {
      stream: (write, end) =>
        ctx.jobs.watch(id, caller.clientId, (event) => {
          write(event);
          if (event.type === 'end' || (event.type === 'state' && event.job.state !== 'running')) end();
        }),
    };
  },
  cancelJob: async ({ params: { id } }, caller, ctx) => ({ body: { job: await ctx.jobs.cancel(id, caller.clientId) } }),
  purge: async (_input, _caller, ctx) => {
    // Delete first: the app is told "ok" only when the keys and data are gone.
    await ctx.jobs.dispose();
    await ctx.purge!();
    return { body: { ok: true }, after: () => void ctx.stop?.() };
  },
};

const routeNames = Object.keys(runnerRoutes) as RunnerRouteName[];

const ROLE_RANK: Record<ClientRole, number> = { user: 0, admin: 1 };
const allowed = (access: RouteAccess, role: ClientRole) => access !== 'admin' || ROLE_RANK[role] >= ROLE_RANK.admin;

/** Host header check against DNS rebinding: our own names, or an IP literal (which no rebinding can produce). */
export function isAllowedHost(hostHeader: string | undefined, names: readonly string[]): boolean {
  // Only host[:port]: no userinfo, path or other URL parts smuggled in.
  if (!hostHeader || !/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(hostHeader)) return false;
  let host: string;
  try {
    host = new URL(`http://${hostHeader}`).hostname;
  } catch {
    return false;
  }
  const bare = host.startsWith('[') ? host.slice(1, -1) : host;
  if (isIP(bare)) return true;
  return names.some((name) => name.toLowerCase() === bare.toLowerCase());
}

const tooLarge = () => new HttpError('payload-too-large', `Request bodies are limited to ${RUNNER_MAX_BODY_BYTES} bytes.`);

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > RUNNER_MAX_BODY_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > RUNNER_MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const HEADERS = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };

function send(response: ServerResponse, status: number, body: Json) {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

function authenticate(request: IncomingMessage, ctx: RunnerApiContext): Caller | null {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer ([A-Za-z0-9_\-.~+/=]{1,400})$/.exec(header);
  if (!match) return null;
  const token = match[1]!;
  if (ctx.mode === 'local') {
    // Hash first: equal lengths for timingSafeEqual whatever was presented.
    const presented = createHash('sha256').update(token).digest();
    // The local runner's workstation is its admin (policy-managed entries stay locked by the provider service).
    return ctx.localToken && timingSafeEqual(presented, ctx.localToken.hash) ? { clientId: 'local', role: 'admin' } : null;
  }
  const client = ctx.registrations?.authenticate(token);
  return client ? { clientId: client.clientId, role: client.role } : null;
}

const fieldOf = (issue: z.core.$ZodIssue | undefined, fallback: string) => (issue?.path.length ? issue.path.join('.') : fallback);

/** The runner API as an HTTP request listener: the same rules in local and remote mode. */
export function createRunnerApi(ctx: RunnerApiContext): RequestListener {
  return (request, response) => {
    const started = Date.now();
    const pathname = (request.url ?? '/').split('?')[0] ?? '/';
    const log = (status: number) => ctx.logger.info('request', { method: request.method, path: pathname.slice(0, 100), status, ms: Date.now() - started });
    const finish = (status: number, body: Json) => {
      send(response, status, body);
      log(status);
    };
    const fail = (error: HttpError | PaddockError) => {
      // An unread body (too large, refused early) is not drained: close the connection.
      if (!request.readableEnded) response.setHeader('Connection', 'close');
      finish(error instanceof HttpError ? error.status : errorStatusOf(error.code), { error: error.toData() });
    };

    void (async () => {
      try {
        if (pathname === callbackPath && ctx.mode === 'remote') return await browserCallback(request, response, ctx, log);
        // A web page (CSRF, DNS rebinding) always sends Origin; the app never does.
        if (request.headers.origin !== undefined) throw new HttpError('forbidden', 'Requests from web pages are refused.');
        if (!isAllowedHost(request.headers.host, ctx.hostNames)) {
          throw new HttpError('forbidden', `This runner does not answer to the host name ${JSON.stringify(String(request.headers.host ?? '')).slice(0, 120)}.`);
        }
        const wanted = request.headers[RUNNER_API_VERSION_HEADER];
        if (wanted !== undefined && wanted !== String(RUNNER_API_VERSION)) {
          throw new HttpError(
            'incompatible-api',
            `This runner speaks runner API v${RUNNER_API_VERSION} (Paddock ${PADDOCK_VERSION}); the app asked for v${String(wanted).slice(0, 10)}. Update the older of the two so they match.`,
          );
        }
        const candidates: { name: RunnerRouteName; params: Record<string, string> }[] = [];
        for (const name of routeNames) {
          const route = runnerRoutes[name];
          if (!(route.modes as readonly string[]).includes(ctx.mode)) continue;
          const params = matchRoutePath(route.path, pathname);
          if (params) candidates.push({ name, params });
        }
        const matched = candidates.find((c) => runnerRoutes[c.name].method === request.method);
        const publicRoute = matched !== undefined && runnerRoutes[matched.name].access === 'public';
        // Without a valid token, every route but the public ones answers 401, whether it exists or not:
        // unauthenticated callers learn nothing about routes.
        const caller = publicRoute ? null : authenticate(request, ctx);
        if (!publicRoute && !caller) throw new HttpError('unauthorized', 'Missing or wrong API token.');
        if (candidates.length === 0) throw new HttpError('not-found', `No such route: ${pathname.slice(0, 100)}.`);
        if (!matched) {
          response.setHeader('Allow', [...new Set(candidates.map((c) => runnerRoutes[c.name].method))].join(', '));
          throw new HttpError('method-not-allowed', `${pathname.slice(0, 100)} does not take ${request.method}.`);
        }
        const route: (typeof runnerRoutes)[RunnerRouteName] = runnerRoutes[matched.name];
        if (caller && !allowed(route.access, caller.role)) {
          throw new HttpError(
            'forbidden',
            'Only workstations registered as admins of this runner can do this. Ask the runner’s admin, or register this workstation with an admin registration token.',
          );
        }

        let params: unknown;
        if ('params' in route) {
          const parsed = route.params.safeParse(matched.params);
          if (!parsed.success) {
            throw new HttpError('invalid-input', `Invalid path: ${fieldOf(parsed.error.issues[0], '(path)')}: ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
          }
          params = parsed.data;
        }
        let body: unknown;
        const raw = await readBody(request);
        if ('body' in route) {
          let json: unknown;
          try {
            json = JSON.parse(raw.toString('utf8'));
          } catch {
            throw new HttpError('invalid-input', 'The request body is not valid JSON.');
          }
          const parsed = (route.body as z.ZodType).safeParse(json);
          if (!parsed.success) {
            const issue = parsed.error.issues[0];
            throw new HttpError('invalid-input', `Invalid request body: ${fieldOf(issue, '(body)')}: ${issue?.message ?? 'invalid'}.`);
          }
          body = parsed.data;
        } else if (raw.length > 0) {
          throw new HttpError('invalid-input', `${pathname.slice(0, 100)} takes no request body.`);
        }
        const handle = handlers[matched.name] as Handler<RunnerRouteName>;
        const reply = await handle({ body, params } as never, caller as never, ctx);
        if ('stream' in reply) return streamAnswer(reply, response, () => log(200));
        finish(reply.status ?? route.status, reply.body);
        reply.after?.();
      } catch (error) {
        if (error instanceof PaddockError) return fail(error);
        // The client went away (a request that was read completely is destroyed too, so ask the socket).
        if (response.destroyed || request.socket.destroyed || (error as NodeJS.ErrnoException).code === 'ECONNRESET') {
          ctx.logger.info('request aborted by the client', { path: pathname.slice(0, 100) });
          return;
        }
        ctx.logger.error('request failed', { path: pathname.slice(0, 100), error });
        fail(new HttpError('internal', 'The runner could not complete this request; details are in its log.'));
      }
    })();
  };
}

/** Writes NDJSON lines, with a keep-alive line when quiet, until the stream ends or the client goes away. */
function streamAnswer(reply: StreamReply, response: ServerResponse, logged: () => void) {
  response.writeHead(200, { ...HEADERS, 'Content-Type': 'application/x-ndjson; charset=utf-8' });
  response.flushHeaders();
  const closed = new AbortController();
  let stop: (() => void) | void = undefined;
  let ended = false;
  const ping = setInterval(() => write({ type: 'ping' }), JOB_PING_MS);
  ping.unref();
  function write(event: JobEvent) {
    if (!ended) response.write(`${JSON.stringify(event)}\n`);
  }
  function end() {
    if (ended) return;
    ended = true;
    clearInterval(ping);
    stop?.();
    response.end();
    logged();
  }
  response.on('close', () => {
    closed.abort();
    if (!ended) {
      ended = true;
      clearInterval(ping);
      stop?.();
      logged();
    }
  });
  stop = reply.stream(write, end, closed.signal);
  // The stream may have ended during the first (state) event, before `stop` was known.
  if (ended) stop?.();
}

/**
 * GET /oauth/callback on a remote runner: a provider's redirect straight from
 * the browser, for an attempt that asked for the runner's own https
 * redirect. Served only when browsers trust the runner's certificate (the
 * admin's own); not part of the runner API (no token: the state names the
 * attempt, as on the workstation's loopback listener). Read by the rules of
 * paddock://oauth/callback; the page never repeats a value.
 */
async function browserCallback(request: IncomingMessage, response: ServerResponse, ctx: RunnerApiContext, log: (status: number) => void): Promise<void> {
  const page = (status: number, title: string, message: string): CallbackPage => ({ status, title, message });
  let answer: CallbackPage;
  if (ctx.oauthCallback() === null || !isAllowedHost(request.headers.host, ctx.hostNames)) {
    answer = page(404, 'Not found', 'This runner does not receive sign-in callbacks.');
  } else if (request.method !== 'GET') {
    answer = page(405, 'Not allowed', 'Sign-in callbacks arrive as GET requests.');
  } else {
    const query = request.url?.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : null;
    const parsed = parseOAuthCallbackQuery(query);
    if (!parsed.ok || (parsed.action.type !== 'oauth-callback' && parsed.action.type !== 'oauth-callback-error')) {
      ctx.logger.warn('oauth callback refused', { reason: parsed.ok ? 'not-a-callback' : parsed.error.code });
      answer = page(400, 'This is not a sign-in callback', 'Start connecting again from Paddock.');
    } else {
      const action = parsed.action;
      const result = ctx.oauth.browserCallback({
        state: action.state,
        code: action.type === 'oauth-callback' ? action.code : null,
        error: action.type === 'oauth-callback-error' ? action.error : null,
        errorDescription: action.type === 'oauth-callback-error' ? action.description : null,
      });
      answer = !result.matched
        ? page(400, 'This sign-in is not in progress', 'It was finished, cancelled or has expired. Start connecting again from Paddock.')
        : action.type === 'oauth-callback-error'
          ? page(200, 'Access was not given', 'Return to Paddock to see why, and what to do.')
          : page(200, 'Signed in', 'You can close this tab and return to Paddock.');
    }
  }
  const html = callbackPageHtml(answer);
  response.writeHead(answer.status, {
    ...HEADERS,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Content-Security-Policy': callbackPageCsp,
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
  });
  response.end(request.method === 'HEAD' ? undefined : html);
  log(answer.status);
}
