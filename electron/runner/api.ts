import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import type { z } from 'zod';
import {
  challengeRequestSchema,
  helloRequestSchema,
  registrationRequestSchema,
  RUNNER_API_VERSION,
  RUNNER_API_VERSION_HEADER,
  RUNNER_MAX_BODY_BYTES,
  type RunnerErrorBody,
  type RunnerStatus,
} from '../common/runner-api';
import { PADDOCK_VERSION } from '../common/version';
import { applyPolicyRequestSchema } from '../common/provider-config';
import type { RunnerIdentity } from './identity';
import { discoverTenantRequestSchema } from './providers/discover';
import { deleteProviderRequestSchema, ProviderServiceError, saveProviderRequestSchema, type ProviderService } from './provider-service';
import type { RunnerLogger } from './logger';
import { RegistrationError, registrationProof, type RegistrationBook } from './registrations';
import type { SecretStore } from './secret-store';
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
  discoverTenant: (organization: string) => Promise<{ tenant: string | null; message: string }>;
  /** Local mode: deletes the runner's keys and data (throws if it cannot). */
  purge?: () => Promise<void>;
  /** Stops the server (after the answer is sent). */
  stop?: () => Promise<void>;
}

type Json = Record<string, unknown>;
interface Reply {
  status: number;
  body: Json;
  after?: () => void;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: RunnerErrorBody['error']['code'],
    message: string,
  ) {
    super(message);
  }
}

interface Caller {
  clientId: string;
}

interface Route<S extends z.ZodType | undefined> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  auth: boolean;
  modes: readonly ('local' | 'remote')[];
  body?: S;
  handle(input: S extends z.ZodType ? z.output<S> : undefined, caller: Caller | null, ctx: RunnerApiContext): Promise<Reply> | Reply;
}

const route = <S extends z.ZodType | undefined = undefined>(r: Route<S>) => r as unknown as Route<z.ZodType | undefined>;

const routes: Route<z.ZodType | undefined>[] = [
  route({
    method: 'GET',
    path: '/v1/health',
    auth: false,
    modes: ['local', 'remote'],
    handle: () => ({ status: 200, body: { status: 'ok', version: PADDOCK_VERSION, apiVersion: RUNNER_API_VERSION } }),
  }),
  route({
    method: 'POST',
    path: '/v1/hello',
    auth: false,
    modes: ['local'],
    body: helloRequestSchema,
    handle: ({ nonce }, _caller, ctx) => ({
      status: 200,
      body: { proof: createHmac('sha256', ctx.localToken!.token).update(`paddock-hello-v1\n${nonce}`).digest('base64') },
    }),
  }),
  route({
    method: 'POST',
    path: '/v1/registration/challenge',
    auth: false,
    modes: ['remote'],
    body: challengeRequestSchema,
    handle: ({ nonce, tokenId }, _caller, ctx) => {
      const hash = registrationCall(() => ctx.registrations!.hashForChallenge(tokenId));
      const publicKey = ctx.identity.file.publicKey;
      return { status: 200, body: { proof: registrationProof(hash, nonce, ctx.spki!, publicKey), publicKey, spki: ctx.spki } };
    },
  }),
  route({
    method: 'POST',
    path: '/v1/registration',
    auth: false,
    modes: ['remote'],
    body: registrationRequestSchema,
    handle: ({ token, name }, _caller, ctx) => {
      const { clientId, apiToken } = registrationCall(() => ctx.registrations!.register(token, name));
      ctx.logger.info('workstation registered', { clientId, name });
      return { status: 201, body: { clientId, apiToken, publicKey: ctx.identity.file.publicKey } };
    },
  }),
  route({
    method: 'GET',
    path: '/v1/status',
    auth: true,
    modes: ['local', 'remote'],
    handle: (_input, _caller, ctx) => {
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
      };
      return { status: 200, body: status };
    },
  }),
  route({
    method: 'GET',
    path: '/v1/providers',
    auth: true,
    modes: ['local', 'remote'],
    handle: (_input, _caller, ctx) => ({ status: 200, body: { providers: ctx.providers.list() } }),
  }),
  route({
    method: 'PUT',
    path: '/v1/providers',
    auth: true,
    modes: ['local', 'remote'],
    body: saveProviderRequestSchema,
    handle: async (input, _caller, ctx) => {
      const result = await providerCall(() => ctx.providers.save(input));
      if (result.saved) ctx.logger.info('provider saved', { kind: input.provider.kind, deletedTokens: result.deletedTokens });
      return { status: 200, body: result as unknown as Json };
    },
  }),
  route({
    method: 'PUT',
    path: '/v1/policy',
    auth: true,
    // Only the workstation's own runner takes the policy from the app. A runner on a server
    // is shared by many workstations: its managed entries come from its own admin (serve --policy).
    modes: ['local'],
    body: applyPolicyRequestSchema,
    handle: async ({ providers }, _caller, ctx) => {
      const result = await ctx.providers.applyPolicy(providers);
      ctx.logger.info('admin policy applied', { applied: result.applied, problems: result.problems.length });
      return { status: 200, body: result };
    },
  }),
  route({
    method: 'POST',
    path: '/v1/providers/discover-tenant',
    auth: true,
    modes: ['local', 'remote'],
    body: discoverTenantRequestSchema,
    handle: async ({ organization }, _caller, ctx) => ({ status: 200, body: await ctx.discoverTenant(organization) }),
  }),
  route({
    method: 'DELETE',
    path: '/v1/providers',
    auth: true,
    modes: ['local', 'remote'],
    body: deleteProviderRequestSchema,
    handle: async ({ host }, _caller, ctx) => {
      const { deletedTokens } = await providerCall(() => ctx.providers.delete(host));
      ctx.logger.info('provider deleted', { deletedTokens });
      return { status: 200, body: { ok: true, deletedTokens } };
    },
  }),
  route({
    method: 'DELETE',
    path: '/v1/clients/self',
    auth: true,
    modes: ['remote'],
    handle: (_input, caller, ctx) => {
      ctx.vault.deleteClient(caller!.clientId);
      ctx.registrations!.removeClient(caller!.clientId);
      ctx.logger.info('workstation removed itself', { clientId: caller!.clientId });
      return { status: 200, body: { ok: true } };
    },
  }),
  route({
    method: 'POST',
    path: '/v1/purge',
    auth: true,
    modes: ['local'],
    handle: async (_input, _caller, ctx) => {
      // Delete first: the app is told "ok" only when the keys and data are gone.
      await ctx.purge!();
      return { status: 200, body: { ok: true }, after: () => void ctx.stop?.() };
    },
  }),
];

async function providerCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ProviderServiceError) throw new HttpError(error.status, error.code, error.message);
    throw error;
  }
}

function registrationCall<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof RegistrationError) throw new HttpError(401, error.code, error.message);
    throw error;
  }
}

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

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > RUNNER_MAX_BODY_BYTES) throw new HttpError(413, 'payload-too-large', `Request bodies are limited to ${RUNNER_MAX_BODY_BYTES} bytes.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > RUNNER_MAX_BODY_BYTES) throw new HttpError(413, 'payload-too-large', `Request bodies are limited to ${RUNNER_MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(response: ServerResponse, status: number, body: Json) {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
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
    return ctx.localToken && timingSafeEqual(presented, ctx.localToken.hash) ? { clientId: 'local' } : null;
  }
  const client = ctx.registrations?.authenticate(token);
  return client ? { clientId: client.clientId } : null;
}

/** The runner API as an HTTP request listener: the same rules in local and remote mode. */
export function createRunnerApi(ctx: RunnerApiContext): RequestListener {
  return (request, response) => {
    const started = Date.now();
    const pathname = (request.url ?? '/').split('?')[0] ?? '/';
    const finish = (status: number, body: Json) => {
      send(response, status, body);
      ctx.logger.info('request', { method: request.method, path: pathname.slice(0, 100), status, ms: Date.now() - started });
    };
    const fail = (error: HttpError) => {
      // An unread body (too large, refused early) is not drained: close the connection.
      if (!request.readableEnded) response.setHeader('Connection', 'close');
      finish(error.status, { error: { code: error.code, message: error.message } });
    };

    void (async () => {
      try {
        // A web page (CSRF, DNS rebinding) always sends Origin; the app never does.
        if (request.headers.origin !== undefined) throw new HttpError(403, 'forbidden', 'Requests from web pages are refused.');
        if (!isAllowedHost(request.headers.host, ctx.hostNames)) {
          throw new HttpError(403, 'forbidden', `This runner does not answer to the host name ${JSON.stringify(String(request.headers.host ?? '')).slice(0, 120)}.`);
        }
        const wanted = request.headers[RUNNER_API_VERSION_HEADER];
        if (wanted !== undefined && wanted !== String(RUNNER_API_VERSION)) {
          throw new HttpError(
            400,
            'incompatible-api',
            `This runner speaks runner API v${RUNNER_API_VERSION} (Paddock ${PADDOCK_VERSION}); the app asked for v${String(wanted).slice(0, 10)}. Update the older of the two so they match.`,
          );
        }
        const candidates = routes.filter((r) => r.path === pathname && r.modes.includes(ctx.mode));
        if (candidates.length === 0) throw new HttpError(404, 'not-found', `No such route: ${pathname.slice(0, 100)}.`);
        const matched = candidates.find((r) => r.method === request.method);
        if (!matched) {
          response.setHeader('Allow', candidates.map((r) => r.method).join(', '));
          throw new HttpError(405, 'method-not-allowed', `${pathname} does not take ${request.method}.`);
        }
        const caller = matched.auth ? authenticate(request, ctx) : null;
        if (matched.auth && !caller) throw new HttpError(401, 'unauthorized', 'Missing or wrong API token.');

        let input: unknown;
        const raw = await readBody(request);
        if (matched.body) {
          let json: unknown;
          try {
            json = JSON.parse(raw.toString('utf8'));
          } catch {
            throw new HttpError(400, 'bad-request', 'The request body is not valid JSON.');
          }
          const parsed = matched.body.safeParse(json);
          if (!parsed.success) {
            const issue = parsed.error.issues[0];
            const field = issue?.path.length ? issue.path.join('.') : '(body)';
            throw new HttpError(400, 'bad-request', `Invalid request body: ${field}: ${issue?.message ?? 'invalid'}.`);
          }
          input = parsed.data;
        } else if (raw.length > 0) {
          throw new HttpError(400, 'bad-request', `${pathname} takes no request body.`);
        }
        const reply = await matched.handle(input as never, caller, ctx);
        finish(reply.status, reply.body);
        reply.after?.();
      } catch (error) {
        if (error instanceof HttpError) return fail(error);
        if (request.destroyed || (error as NodeJS.ErrnoException).code === 'ECONNRESET') {
          ctx.logger.info('request aborted by the client', { path: pathname.slice(0, 100) });
          return;
        }
        ctx.logger.error('request failed', { path: pathname.slice(0, 100), error });
        fail(new HttpError(500, 'internal', 'The runner could not complete this request; details are in its log.'));
      }
    })();
  };
}
