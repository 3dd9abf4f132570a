// The per-run git credential helper's runner side (spec GIT-AND-DESKTOP.md
// §1.4): a server on a Unix socket in a fresh 0700 directory (a named pipe
// on Windows) that answers paddock-credential-helper.cjs — or, where there
// is no Node, the native trampoline (trampoline-frame.ts) — which git runs as
// its only credential helper. Each git run is registered with a random
// one-time capability that only its environment holds; the provider's token
// goes from the resolver straight to the helper's stdout, which git reads —
// never into argv, an environment variable, a config file or a log.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getCallSites } from 'node:util';
import { z } from 'zod';
import type { RunnerLogger } from '../logger';
import { shellQuote, type GitConfigEntry } from './process';
import { isTrampolineFrame, MAX_FRAME_BYTES, parseTrampolineFrame, trampolineFrameEnd, trampolineReply } from './trampoline-frame';

export type CredentialAction = 'get' | 'store' | 'erase';

/** What git asked, as the helper forwarded it (git's `path` only where useHttpPath is on). */
export interface CredentialRequest {
  readonly action: CredentialAction;
  readonly protocol: string;
  readonly host: string;
  readonly path: string | null;
  readonly username: string | null;
  /** `erase`: the SHA-256 (hex) of the password git says was refused, so a refusal of someone else's password marks nothing. */
  readonly passwordSha256: string | null;
}

export interface Credential {
  readonly username: string;
  readonly password: string;
}

export interface CredentialRunOptions {
  /**
   * Where this run's credential may go. A request for another protocol or
   * host (a redirect, a submodule elsewhere, an insteadOf rewrite) is answered
   * with nothing and the resolver is not asked. `host` as in the URL, with
   * its port if it has one; compared without case.
   */
  readonly origin: { readonly protocol: 'https' | 'http'; readonly host: string };
  /** The credential for a `get`; null gives git nothing (it then fails with its own message). */
  resolve(request: CredentialRequest): Promise<Credential | null>;
  /** git reports the credential refused (HTTP 401 after it sent it): mark the token rejected. */
  onErase?(request: CredentialRequest): void;
  /** git reports the credential worked. */
  onStore?(request: CredentialRequest): void;
}

export interface CredentialRun {
  /** A short id for log lines (not the capability). */
  readonly id: string;
  /** For runGit's `env`: the socket and this run's capability. */
  readonly env: Readonly<Record<string, string>>;
  /** For runGit's `config`: the helper reset, this helper, useHttpPath for Azure DevOps. */
  readonly config: readonly GitConfigEntry[];
  /** Whether git reported the credential refused during this run. */
  readonly erased: boolean;
  /** Ends the run: its capability is forgotten, and a helper using it gets nothing. */
  end(): void;
}

export interface CredentialServer {
  /** The socket path (Unix) or pipe name (Windows). */
  readonly endpoint: string;
  register(options: CredentialRunOptions): CredentialRun;
  /** Stops answering, ends every run and removes the socket's directory. */
  close(): Promise<void>;
}

/** How git starts the helper: the Node script, or the native trampoline. */
export type HelperCommand = NodeHelperCommand | TrampolineHelperCommand;

export interface NodeHelperCommand {
  /** A Node (or Electron, with `electronRunAsNode`) binary. */
  readonly execPath: string;
  readonly script: string;
  /** Runs `execPath` with ELECTRON_RUN_AS_NODE=1, set for the helper alone (not for git or hooks). */
  readonly electronRunAsNode: boolean;
}

/** The native helper (trampoline/paddock-git-helper.c), for where there is no Node: the packaged app. */
export interface TrampolineHelperCommand {
  readonly trampoline: string;
}

export interface CredentialServerOptions {
  readonly helper: HelperCommand;
  /** Where the socket's fresh directory is made; default the OS temp folder (socket paths are short: ~104 bytes). */
  readonly parentDir?: string;
  readonly logger?: RunnerLogger;
  /** URL prefixes whose path git sends to helpers; default Azure DevOps Services (the organization is in the path). */
  readonly useHttpPathFor?: readonly string[];
  readonly platform?: NodeJS.Platform;
}

export const HELPER_SCRIPT_NAME = 'paddock-credential-helper.cjs';
export const CREDENTIAL_SOCKET_ENV = 'PADDOCK_CRED_SOCKET';
export const CREDENTIAL_TOKEN_ENV = 'PADDOCK_CRED_TOKEN';
/** One message from the helper, at most. */
export const MAX_MESSAGE_BYTES = 16 * 1024;
/** Helpers talking at once; more are turned away (one git asks one at a time). */
const MAX_CONNECTIONS = 64;
/** A helper that connects must have sent its message within this. */
const MESSAGE_TIMEOUT_MS = 10_000;
/** The resolver's answer must come within this (the helper gives up at 30 s). */
const RESOLVE_TIMEOUT_MS = 25_000;
const MAX_SOCKET_PATH = 100;

// What the helper sends: git's values are lines of text (no line breaks, no NUL).
const gitValue = (max: number) => z.string().max(max).regex(/^[^\r\n\0]*$/);
export const helperMessageSchema = z
  .object({
    v: z.literal(1),
    capability: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
    action: z.enum(['get', 'store', 'erase']),
    protocol: z.string().regex(/^[a-z][a-z0-9+.-]{0,31}$/),
    host: gitValue(300).min(1),
    path: gitValue(4096).optional(),
    username: gitValue(1024).optional(),
    /** With `erase` only: the SHA-256 (hex) of the password git says was refused — never the password itself. */
    passwordSha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
  })
  .strict();

const answerValue = (value: string) => value !== '' && value.length <= 16384 && !/[\r\n\0]/.test(value);

/**
 * The folder this module is in: the bundle's when bundled as CommonJS
 * (runner.cjs), and under vitest, both of which give `__dirname`; from
 * source as an ES module (tsx) this function's own file, read from the call
 * stack — `import.meta.url` would not survive the CommonJS bundle.
 */
function moduleDir(): string {
  if (typeof __dirname === 'string') return __dirname;
  const here = getCallSites()[0]?.scriptName;
  if (!here) throw new Error('The runner cannot tell where its files are.');
  return path.dirname(here.startsWith('file:') ? fileURLToPath(here) : here);
}

/**
 * Where the helper script is: next to this module — `electron/runner/git/`
 * from source, next to runner.cjs in a build (it is a second output of the
 * runner's build). Inside an asar archive, the unpacked copy is used, since
 * only Electron can read into the archive.
 */
export function helperScriptPath(dir: string = moduleDir()): string {
  const file = path.join(dir, HELPER_SCRIPT_NAME);
  const asar = `.asar${path.sep}`;
  const unpacked = file.includes(asar) ? file.replace(asar, `.asar.unpacked${path.sep}`) : null;
  if (unpacked && fs.existsSync(unpacked)) return unpacked;
  if (fs.existsSync(file)) return file;
  throw new Error(`The git credential helper ${HELPER_SCRIPT_NAME} is missing next to the runner (${dir}). Reinstall Paddock, or rebuild the runner.`);
}

/** Names the native helper to use instead of the Node script (an absolute path to an existing file). */
export const GIT_HELPER_ENV = 'PADDOCK_GIT_HELPER';
export const trampolineName = (platform: NodeJS.Platform = process.platform) => (platform === 'win32' ? 'paddock-git-helper.exe' : 'paddock-git-helper');

/**
 * The native helper, when this runner has one: the file PADDOCK_GIT_HELPER
 * names, else the one shipped next to the packaged app (its resources
 * folder). Null: use the Node script.
 */
export function trampolinePath(
  env: NodeJS.ProcessEnv = process.env,
  resourcesPath: string | undefined = (process as { resourcesPath?: string }).resourcesPath,
  platform: NodeJS.Platform = process.platform,
): string | null {
  const named = env[GIT_HELPER_ENV];
  if (named) {
    if (!path.isAbsolute(named) || !fs.existsSync(named)) throw new Error(`${GIT_HELPER_ENV} names no git credential helper (${named}); give the absolute path of a built paddock-git-helper, or unset it.`);
    return named;
  }
  if (resourcesPath) {
    const shipped = path.join(resourcesPath, trampolineName(platform));
    if (fs.existsSync(shipped)) return shipped;
  }
  return null;
}

/**
 * The helper as this runner would start it: the native trampoline where
 * there is one (the packaged app, whose Electron cannot run as Node), else
 * its own Node, or Electron's as Node in a development build of the app.
 */
export function defaultHelperCommand(): HelperCommand {
  const trampoline = trampolinePath();
  if (trampoline) return { trampoline };
  return { execPath: process.execPath, script: helperScriptPath(), electronRunAsNode: process.versions.electron !== undefined };
}

/** The helper's command line in a `!` helper's shell (before its own arguments): quoted, forward slashes on Windows. */
export function helperShellCommand(helper: HelperCommand, platform: NodeJS.Platform = process.platform): string {
  const slash = (p: string) => (platform === 'win32' ? p.replaceAll('\\', '/') : p);
  if ('trampoline' in helper) return shellQuote(slash(helper.trampoline));
  return `${helper.electronRunAsNode ? 'ELECTRON_RUN_AS_NODE=1 ' : ''}${shellQuote(slash(helper.execPath))} ${shellQuote(slash(helper.script))}`;
}

/**
 * The `credential.helper` value: `!` makes git run it through the shell
 * (its bundled sh on Windows), with the action appended. Single quotes keep
 * spaces, quotes and `$` in paths literal; forward slashes on Windows, which
 * Node takes and sh leaves alone.
 */
export function helperConfigValue(helper: HelperCommand, platform: NodeJS.Platform = process.platform): string {
  // git tells every helper `store` after a credential worked; Paddock keeps nothing git gives back, so the shell
  // answers it without starting the helper (a Node start is most of a small clone's overhead: docs/performance.md).
  return `!f() { test "$1" = store && exit 0; ${helperShellCommand(helper, platform)} "$@"; }; f`;
}

/** The configuration of a run: the documented reset (an empty value empties the helper list), then this helper. */
export function credentialConfig(helper: HelperCommand, useHttpPathFor: readonly string[] = ['https://dev.azure.com'], platform: NodeJS.Platform = process.platform): GitConfigEntry[] {
  return [
    { key: 'credential.helper', value: '' },
    { key: 'credential.helper', value: helperConfigValue(helper, platform) },
    ...useHttpPathFor.map((prefix) => ({ key: `credential.${prefix}.useHttpPath`, value: 'true' })),
  ];
}

const hash = (capability: string) => createHash('sha256').update(capability).digest('hex');

interface RunEntry {
  readonly id: string;
  readonly options: CredentialRunOptions;
  ended: boolean;
  erased: boolean;
}

/** Makes a fresh 0700 directory for the socket (Unix), or picks a random pipe name (Windows). */
function makeEndpoint(platform: NodeJS.Platform, parentDir: string): { endpoint: string; dir: string | null } {
  if (platform === 'win32') return { endpoint: `\\\\.\\pipe\\paddock-cred-${randomBytes(16).toString('hex')}`, dir: null };
  const dir = fs.mkdtempSync(path.join(parentDir, 'pdk-cred-'));
  fs.chmodSync(dir, 0o700);
  const endpoint = path.join(dir, 's');
  if (Buffer.byteLength(endpoint) > MAX_SOCKET_PATH) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`The folder for the git credential socket has too long a path (${endpoint}); choose a shorter one.`);
  }
  return { endpoint, dir };
}

/**
 * The helper's framing, shared by the per-run server and the environments'
 * one (environment-credentials.ts): one JSON line in (at most
 * MAX_MESSAGE_BYTES, within MESSAGE_TIMEOUT_MS), one JSON line out, then the
 * connection ends. `sockets` collects the open connections (for close()).
 */
export function lineServer(answer: (line: string) => Promise<object>, sockets: Set<net.Socket>, logger?: RunnerLogger): net.Server {
  const server = net.createServer((socket) => {
    if (sockets.size >= MAX_CONNECTIONS) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.setTimeout(MESSAGE_TIMEOUT_MS, () => socket.destroy());
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (isTrampolineFrame(received)) {
        onFrame();
        return;
      }
      const newline = received.indexOf(0x0a);
      if (newline < 0 && received.length >= MAX_MESSAGE_BYTES) {
        logger?.warn('git credential helper sent a message over the size limit', { bytes: received.length });
        socket.destroy();
        return;
      }
      if (newline < 0) return;
      socket.off('data', onData);
      socket.setTimeout(0);
      const line = received.subarray(0, newline);
      if (line.length > MAX_MESSAGE_BYTES) {
        socket.destroy();
        return;
      }
      answer(line.toString('utf8'))
        .catch((error: unknown) => {
          logger?.error('git credential request failed', { error: error instanceof Error ? error.message : String(error) });
          return {};
        })
        .then((reply) => {
          if (!socket.destroyed) socket.end(`${JSON.stringify(reply)}\n`);
        });
    };
    // The native helper's NUL-framed request (trampoline-frame.ts): turned into the Node helper's message, answered alike.
    const onFrame = () => {
      let end: number | null;
      try {
        end = trampolineFrameEnd(received);
      } catch {
        end = -1;
      }
      if (end === null && received.length < MAX_FRAME_BYTES) return;
      socket.off('data', onData);
      socket.setTimeout(0);
      const request = end !== null && end > 0 && end === received.length ? parseTrampolineFrame(received) : null;
      if (!request) {
        logger?.warn('git credential helper (native) sent a frame that is not right or over the size limit', { bytes: received.length });
        socket.destroy();
        return;
      }
      received = Buffer.alloc(0);
      answer(JSON.stringify(request.message))
        .catch((error: unknown) => {
          logger?.error('git credential request failed', { error: error instanceof Error ? error.message : String(error) });
          return {};
        })
        .then((reply) => {
          if (!socket.destroyed) socket.end(trampolineReply(request, reply));
        });
    };
    socket.on('data', onData);
  });
  server.maxConnections = MAX_CONNECTIONS;
  return server;
}

export async function startCredentialServer(options: CredentialServerOptions): Promise<CredentialServer> {
  const platform = options.platform ?? process.platform;
  const logger = options.logger;
  const { endpoint, dir } = makeEndpoint(platform, options.parentDir ?? os.tmpdir());
  const runs = new Map<string, RunEntry>();
  const config = credentialConfig(options.helper, options.useHttpPathFor, platform);
  const sockets = new Set<net.Socket>();

  async function answer(line: string): Promise<Credential | Record<string, never>> {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      logger?.warn('git credential helper sent a message that is not JSON');
      return {};
    }
    const parsed = helperMessageSchema.safeParse(json);
    if (!parsed.success) {
      logger?.warn('git credential helper sent an invalid message', { fields: parsed.error.issues.map((i) => i.path.join('.')) });
      return {};
    }
    const message = parsed.data;
    const run = runs.get(hash(message.capability));
    if (!run || run.ended) {
      logger?.warn('git credential request for no running git (an unknown or ended capability)', { action: message.action });
      return {};
    }
    const request: CredentialRequest = { action: message.action, protocol: message.protocol, host: message.host, path: message.path ?? null, username: message.username ?? null, passwordSha256: message.passwordSha256 ?? null };
    const { origin } = run.options;
    if (request.protocol !== origin.protocol || request.host.toLowerCase() !== origin.host.toLowerCase()) {
      logger?.warn('git asked for a credential for another host than its run’s: nothing given', { run: run.id, action: request.action, protocol: request.protocol, host: request.host });
      return {};
    }
    logger?.info('git credential request', { run: run.id, action: request.action, host: request.host });
    if (request.action === 'erase') {
      run.erased = true;
      run.options.onErase?.(request);
      return {};
    }
    if (request.action === 'store') {
      run.options.onStore?.(request);
      return {};
    }
    let timer: NodeJS.Timeout | undefined;
    const credential = await Promise.race([
      run.options.resolve(request),
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), RESOLVE_TIMEOUT_MS);
      }),
    ]).finally(() => clearTimeout(timer));
    if (run.ended || !credential) return {};
    if (!answerValue(credential.username) || !answerValue(credential.password)) {
      logger?.warn('the credential for git was not given: its username or password is empty, too long or holds a line break', { run: run.id });
      return {};
    }
    return { username: credential.username, password: credential.password };
  }

  const server = lineServer(answer, sockets, logger);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(endpoint, () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (dir) fs.chmodSync(endpoint, 0o600);

  return {
    endpoint,
    register(runOptions) {
      const capability = randomBytes(32).toString('base64url');
      const entry: RunEntry = { id: `cr_${randomBytes(6).toString('hex')}`, options: runOptions, ended: false, erased: false };
      const key = hash(capability);
      runs.set(key, entry);
      return {
        id: entry.id,
        env: { [CREDENTIAL_SOCKET_ENV]: endpoint, [CREDENTIAL_TOKEN_ENV]: capability },
        config,
        get erased() {
          return entry.erased;
        },
        end() {
          entry.ended = true;
          runs.delete(key);
        },
      };
    },
    async close() {
      for (const entry of runs.values()) entry.ended = true;
      runs.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
