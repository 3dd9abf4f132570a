// The environments' git credential helper, runner side (issue 10 point 5):
// a `git push` (or fetch, pull) the user runs in a working copy, long after
// its clone, asks the runner for a token through the same helper (script, or
// native trampoline) as the per-run helper (credential-helper.ts), over one long-lived endpoint —
// a Unix socket `s` in a 0700 folder, a named pipe on Windows.
//
// The working copy's `.git/config` names only the helper, scoped to the
// repository's URL, with the environment's id; never a token or a secret.
// The helper proves which environment it speaks for with a per-environment
// secret kept in a 0600 file of a 0700 folder of the runner's data
// directory (not in the working copy). Deleting the environment deletes the
// file, and with it the helper's access. Threat model: docs/security.md.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
// An environment id names a file here, so nothing but one is let through (no dots, no separators).
import { environmentIdSchema } from '../../common/runner-api';
import type { RunnerLogger } from '../logger';
import { helperMessageSchema, helperShellCommand, lineServer, type Credential, type CredentialRequest, type HelperCommand } from './credential-helper';
import { shellQuote, type GitConfigEntry } from './process';

export const environmentHelperMessageSchema = helperMessageSchema
  .omit({ capability: true })
  .extend({ environment: environmentIdSchema, secret: z.string().regex(/^[A-Za-z0-9_-]{43}$/) })
  .strict();

/** What the runner answers the environment helper: a credential, nothing, or a sentence for the user (the helper prints it and tells git to stop). */
export type EnvironmentAnswer = { readonly credential: Credential } | { readonly message: string } | null;

export interface EnvironmentCredentialHandler {
  /** git's `get` for this environment: a credential only when the request is for its repository. */
  get(environmentId: string, request: CredentialRequest): Promise<EnvironmentAnswer>;
  /** git's `erase`: the credential it was given was refused. */
  erase(environmentId: string, request: CredentialRequest): Promise<void>;
}

export interface EnvironmentCredentials {
  /** The socket path (Unix) or pipe name (Windows). */
  readonly endpoint: string;
  /** Makes the environment's secret file (kept when there is one) and answers the config entries that name the helper for `repositoryUrl`. */
  install(environmentId: string, repositoryUrl: string, options?: { useHttpPath?: boolean }): GitConfigEntry[];
  /** The `credential.<url>.helper` values `install` writes, in order (to see whether a working copy has them). */
  helperValues(environmentId: string): string[];
  /** Deletes the environment's secret: its helper gets nothing from then on. */
  revoke(environmentId: string): void;
  close(): Promise<void>;
}

export interface EnvironmentCredentialOptions {
  readonly dataDir: string;
  readonly helper: HelperCommand;
  readonly handler: EnvironmentCredentialHandler;
  readonly logger?: RunnerLogger;
  readonly platform?: NodeJS.Platform;
}

const MAX_SOCKET_PATH = 100;
/** The answer must come within this (the helper gives up at 30 s). */
const ANSWER_TIMEOUT_MS = 25_000;

/** A 0700 folder that is this user's own (refuses one another user made, or a link). */
function ownDirectory(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = fs.lstatSync(dir);
  if (!stat.isDirectory() || (typeof process.getuid === 'function' && stat.uid !== process.getuid())) {
    throw new Error(`The folder for git credentials ${dir} is not this user’s own folder; remove it, then start Paddock again.`);
  }
  fs.chmodSync(dir, 0o700);
}

/**
 * Where the endpoint is, the same on every start (the working copies' config
 * names it): `DATA_DIR/git-credentials/s`, or, when that path is too long
 * for a socket (~104 bytes), a folder in the OS temp folder named for the
 * user and the data directory. Windows: a pipe named for the data directory.
 */
export function environmentEndpoint(dataDir: string, platform: NodeJS.Platform = process.platform): { endpoint: string; dir: string | null } {
  const tag = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16);
  if (platform === 'win32') return { endpoint: `\\\\.\\pipe\\paddock-git-${tag}`, dir: null };
  const dir = path.join(dataDir, 'git-credentials');
  if (Buffer.byteLength(path.join(dir, 's')) <= MAX_SOCKET_PATH) return { endpoint: path.join(dir, 's'), dir };
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const short = path.join(os.tmpdir(), `paddock-git-${uid}-${tag}`);
  return { endpoint: path.join(short, 's'), dir: short };
}

export async function startEnvironmentCredentials(options: EnvironmentCredentialOptions): Promise<EnvironmentCredentials> {
  const platform = options.platform ?? process.platform;
  const { logger, handler } = options;
  const secretsDir = path.join(options.dataDir, 'git-credentials', 'secrets');
  ownDirectory(path.dirname(secretsDir));
  ownDirectory(secretsDir);
  const { endpoint, dir } = environmentEndpoint(options.dataDir, platform);
  if (dir) {
    ownDirectory(dir);
    // A socket left by a runner that did not stop cleanly.
    fs.rmSync(endpoint, { force: true });
  }
  const secretFile = (id: string) => path.join(secretsDir, environmentIdSchema.parse(id));

  function secretMatches(id: string, secret: string): boolean {
    let stored: string;
    try {
      stored = fs.readFileSync(secretFile(id), 'utf8').trim();
    } catch {
      return false;
    }
    const a = createHash('sha256').update(stored).digest();
    const b = createHash('sha256').update(secret).digest();
    return timingSafeEqual(a, b);
  }

  async function answer(line: string): Promise<object> {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      logger?.warn('environment git credential helper sent a message that is not JSON');
      return {};
    }
    const parsed = environmentHelperMessageSchema.safeParse(json);
    if (!parsed.success) {
      logger?.warn('environment git credential helper sent an invalid message', { fields: parsed.error.issues.map((i) => i.path.join('.')) });
      return {};
    }
    const message = parsed.data;
    if (!secretMatches(message.environment, message.secret)) {
      logger?.warn('git credential request for an environment this runner does not know (deleted, or its secret is wrong)', { environmentId: message.environment, action: message.action });
      return { message: 'Paddock no longer has this environment, so it gives no credentials for it. Create the environment again in Paddock.' };
    }
    const request: CredentialRequest = { action: message.action, protocol: message.protocol, host: message.host, path: message.path ?? null, username: message.username ?? null, passwordSha256: message.passwordSha256 ?? null };
    logger?.info('environment git credential request', { environmentId: message.environment, action: request.action, host: request.host });
    if (request.action === 'store') return {};
    if (request.action === 'erase') {
      await handler.erase(message.environment, request);
      return {};
    }
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      handler.get(message.environment, request),
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), ANSWER_TIMEOUT_MS);
      }),
    ]).finally(() => clearTimeout(timer));
    if (!result) return {};
    if ('message' in result) return { message: result.message };
    return { username: result.credential.username, password: result.credential.password };
  }

  const sockets = new Set<net.Socket>();
  const server = lineServer(answer, sockets, logger);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(endpoint, () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (dir) fs.chmodSync(endpoint, 0o600);

  const slash = (p: string) => (platform === 'win32' ? p.replaceAll('\\', '/') : p);
  const helperValue = (id: string) => {
    const { helper } = options;
    const args = ['--environment', id, '--endpoint', endpoint, '--secret-file', secretFile(id)].map((a) => shellQuote(slash(a))).join(' ');
    // As the per-run helper: `store` is answered by the shell (Paddock keeps nothing git hands back).
    return `!f() { test "$1" = store && exit 0; ${helperShellCommand(helper, platform)} ${args} "$@"; }; f`;
  };

  return {
    endpoint,
    install(id, repositoryUrl, installOptions = {}) {
      const file = secretFile(id);
      if (!fs.existsSync(file)) {
        // `wx`: never over a file that appeared meanwhile; 0600 from the start.
        fs.writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
      }
      fs.chmodSync(file, 0o600);
      const scope = `credential.${repositoryUrl}`;
      return [
        { key: `${scope}.helper`, value: '' },
        { key: `${scope}.helper`, value: helperValue(id) },
        ...(installOptions.useHttpPath ? [{ key: `${scope}.useHttpPath`, value: 'true' }] : []),
      ];
    },
    helperValues: (id) => ['', helperValue(id)],
    revoke(id) {
      fs.rmSync(secretFile(id), { force: true });
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (dir) fs.rmSync(endpoint, { force: true });
    },
  };
}
