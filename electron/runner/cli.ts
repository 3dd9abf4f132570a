// paddock-runner: the runner program. Installed from its package (`npm run build:runner`), or in the checkout: `npm run runner -- <command>`.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { parseArgs } from 'node:util';
import { clientRoleSchema, healthResponseSchema, RUNNER_API_VERSION, RUNNER_EXIT, runnerParentMessageSchema, type RunnerChildMessage } from '../common/runner-api';
import { z } from 'zod';
import { PADDOCK_VERSION } from '../common/version';
import { IdentityError, readRunnerFile } from './identity';
import { createRunnerLogger, type RunnerLogger } from './logger';
import { RegistrationBook } from './registrations';
import { fileStore, keychainStore, KeychainUnavailableError, type SecretStore } from './secret-store';
import { serve, type ParentChannel } from './serve';
import { loadOrCreateTlsKey, spkiOfCertificate, spkiOfPrivateKey } from './tls';

const HELP = `paddock-runner ${PADDOCK_VERSION} (runner API v${RUNNER_API_VERSION})

Usage: paddock-runner <command> [options]      (in the checkout: npm run runner -- <command> [options])

Commands:
  serve --data-dir DIR
      Local mode, as the app starts it: listens on a Unix socket with a random
      name in a fresh 0700 directory (Windows: a random named pipe). The API
      token arrives as the first message from the app (utility process or
      forked child), or from PADDOCK_RUNNER_TOKEN / PADDOCK_RUNNER_TOKEN_FILE
      when started by hand; never on the command line.

  serve --data-dir DIR --listen HOST:PORT [--public-url URL]
        [--tls-cert FILE --tls-key FILE] [--secret-store keychain|file]
        [--policy FILE] [--log-format text|json]
      Remote mode, on a server: HTTPS always. Without --tls-cert/--tls-key a
      key and a self-signed certificate are made on first start. Prints the
      SHA-256 fingerprint of the certificate's public key (SPKI) to compare in
      the app. --public-url is the https URL workstations use (default from
      --listen); the runner answers only to that name and IP addresses.
      --policy FILE: the admin policy (docs/policy.md); its provider entries
      for the runner whose runnerUid is this runner's id become managed here
      (secrets pre-sealed with "paddock seal"). Read at start.
      SIGHUP reads --tls-cert/--tls-key again (a renewed certificate) without
      dropping registrations or open connections; a new key changes the
      fingerprint, which every workstation has pinned.
      --log-format json (for systemd and containers): everything, the start-up
      lines too, as JSON lines on stdout; text (default): lines for a person
      on stdout and JSON log lines on stderr. Never colours or prompts.

  registration create --data-dir DIR [--role user|admin] [--expires 24h] [--json]
      Makes a one-time registration token for one workstation (256 random
      bits, expiry inside; at most 24h, default 24h; units m, h) and prints it
      with the runner's URL and fingerprint. --role: what the workstation may
      do (default user: connect its own accounts and create its own
      environments; admin: also change repository access, see the other
      workstations and make registration tokens). --json prints
      {"token", "expiresAt", "spki", "role"}. The runner keeps only the
      token's hash.

  Both modes also take:
      --ca-file FILE     extra CA certificates (PEM) for self-hosted providers,
                         added to the built-in roots (NODE_EXTRA_CA_CERTS is not
                         read by the app; configure certificates here); git
                         gets them with the system's roots (DIR/git-ca-bundle.pem)
      --proxy URL        an HTTPS proxy for provider requests and git; without
                         it, HTTPS_PROXY / HTTP_PROXY / NO_PROXY are honoured
                         (a user:password in URL shows in this command line:
                         for such a proxy prefer HTTPS_PROXY in the environment)
      --no-proxy LIST    with --proxy: hosts that bypass it (as NO_PROXY)
      --environments-dir DIR
                         where working copies are cloned (local runner: the
                         folder itself, default ~/Paddock; server: each
                         workstation gets its own folder in it, default
                         DATA_DIR/environments)
      --push-helper      server runner: let git push in working copies on this
                         server get tokens from the runner (off by default:
                         everyone who logs in as the runner's account could
                         get every workstation's tokens; turn it on only for
                         a server one person uses). Always on for the local
                         runner.

  status --data-dir DIR [--json]
      The runner's identity, fingerprint, registrations, registered
      workstations, and whether its server answers.

  health --data-dir DIR
      For probes (systemd, a container's HEALTHCHECK): exits 0 when the
      runner that serves from DIR answers GET /v1/health at its listen address
      with its own key, 1 otherwise; prints one line saying which.

  registration create and status may run as root on a service's data
  directory: files they write keep the directory owner's user and group.

Options:
  --data-dir DIR        where the runner keeps its state (required)
  --secret-store KIND   keychain (default: the OS keychain) or file (a 0600
                        file in DIR, for headless servers; warned at every start)
  -h, --help            this text
  --version             the version (and the runner API's)

Exit codes: 0 ok, 64 usage, 73 data directory or keys unusable,
78 the OS keychain cannot be reached (the message says how to fix it);
64, 73 and 78 are configuration errors a restart does not mend. health: 0/1.
`;

function usage(message: string): never {
  process.stderr.write(`paddock-runner: ${message}\nRun with --help for usage.\n`);
  process.exit(RUNNER_EXIT.usage);
}

function parseListen(value: string): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(value);
  const port = Number(match?.[2]);
  if (!match || port > 65535) usage(`--listen must be HOST:PORT (for example 0.0.0.0:8443), not ${JSON.stringify(value)}.`);
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
}

export function parseLifetime(value: string): number {
  const match = /^(\d+)(m|h)$/.exec(value);
  if (!match) throw new Error(`--expires takes minutes or hours, like 30m or 24h; not ${JSON.stringify(value)}.`);
  const ms = Number(match[1]) * (match[2] === 'h' ? 3600_000 : 60_000);
  if (ms < 60_000 || ms > 24 * 3600_000) throw new Error('--expires must be between 1m and 24h.');
  return ms;
}

function secretStoreFor(kind: string | undefined, dataDir: string): SecretStore {
  if (kind === undefined || kind === 'keychain') return keychainStore();
  if (kind === 'file') return fileStore(dataDir);
  usage(`--secret-store must be keychain or file, not ${JSON.stringify(kind)}.`);
}

/** The channel to the app: Electron's parentPort (utility process) or Node's IPC (fork). */
function parentChannel(): ParentChannel | undefined {
  const parentPort = (process as unknown as { parentPort?: { on(e: 'message', l: (m: { data: unknown }) => void): void; postMessage(m: unknown): void } })
    .parentPort;
  if (parentPort) {
    const listeners: ((m: unknown) => void)[] = [];
    const first = new Promise<unknown>((resolve) => listeners.push(resolve));
    parentPort.on('message', (event) => {
      const listener = listeners.shift();
      if (listener) listener(event.data);
      else rest.forEach((l) => l(event.data));
    });
    const rest: ((m: unknown) => void)[] = [];
    return { firstMessage: () => first, onMessage: (l) => rest.push(l), send: (m) => parentPort.postMessage(m) };
  }
  if (process.send) {
    let resolveFirst!: (m: unknown) => void;
    const first = new Promise<unknown>((resolve) => (resolveFirst = resolve));
    let gotFirst = false;
    const rest: ((m: unknown) => void)[] = [];
    process.on('message', (message) => {
      if (!gotFirst) {
        gotFirst = true;
        resolveFirst(message);
      } else rest.forEach((l) => l(message));
    });
    process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
    return { firstMessage: () => first, onMessage: (l) => rest.push(l), send: (m) => process.send?.(m) };
  }
  return undefined;
}

// Replaced with false in the app's production bundles (vite.main.config.ts); undefined under tsx.
declare const __PADDOCK_DEV__: boolean | undefined;
const isDevelopmentBuild = typeof __PADDOCK_DEV__ === 'undefined' || __PADDOCK_DEV__;

/** A development build's origin → origin map from the environment (JSON); undefined when unset or in a production build. */
function devOriginMap(name: 'PADDOCK_DEV_PROVIDER_ENDPOINTS' | 'PADDOCK_DEV_GIT_ENDPOINTS'): Record<string, string> | undefined {
  const raw = process.env[name];
  if (!raw || !isDevelopmentBuild) return undefined;
  const parsed = z.record(z.string().url(), z.string().url()).safeParse(JSON.parse(raw));
  if (!parsed.success) usage(`${name} must be a JSON object of origin → origin.`);
  return parsed.data;
}

/** Tests point the runner at provider simulators; only development builds listen to this. */
function devEndpoints(): { devEndpoints?: Record<string, string> } {
  const map = devOriginMap('PADDOCK_DEV_PROVIDER_ENDPOINTS');
  return map ? { devEndpoints: map } : {};
}

/** Tests clone from a local git server instead of the real hosts; only development builds listen to this. */
function devGitEndpoints(): { devGitEndpoints?: Record<string, string> } {
  const map = devOriginMap('PADDOCK_DEV_GIT_ENDPOINTS');
  return map ? { devGitEndpoints: map } : {};
}

/** Tests shorten the OAuth attempt's 5 minutes to see it expire; only development builds listen to this. */
function devOAuthAttempt(): { devOAuthAttemptMs?: number } {
  const raw = process.env.PADDOCK_DEV_OAUTH_ATTEMPT_MS;
  if (!raw || !isDevelopmentBuild) return {};
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 1000 || ms > 3_600_000) usage('PADDOCK_DEV_OAUTH_ATTEMPT_MS must be whole milliseconds from 1000 to 3600000.');
  return { devOAuthAttemptMs: ms };
}

function tokenFromEnvironment(): string | undefined {
  const direct = process.env.PADDOCK_RUNNER_TOKEN;
  const file = process.env.PADDOCK_RUNNER_TOKEN_FILE;
  delete process.env.PADDOCK_RUNNER_TOKEN;
  delete process.env.PADDOCK_RUNNER_TOKEN_FILE;
  const token = direct || (file ? fs.readFileSync(file, 'utf8').trim() : undefined);
  if (token !== undefined && token.length < 32) usage('the API token must be at least 32 characters (256 bits of base64url, for example).');
  return token;
}

function logFormat(value: string | boolean | undefined): 'text' | 'json' {
  if (value === undefined || value === 'text') return 'text';
  if (value === 'json') return 'json';
  usage(`--log-format must be text or json, not ${JSON.stringify(value).slice(0, 40)}.`);
}

async function commandServe(values: Record<string, string | boolean | undefined>) {
  const dataDir = path.resolve(String(values['data-dir']));
  const json = logFormat(values['log-format']) === 'json';
  // JSON: one stream a service manager keeps (stdout), and the start-up lines are log fields, not prose.
  const logger = json ? createRunnerLogger(pinoStdout()) : createRunnerLogger();
  const parent = values.listen ? undefined : parentChannel();
  const fatal = (message: RunnerChildMessage & { type: 'fatal' }, exitCode: number) => {
    parent?.send(message);
    if (json) logger.error(message.message, { code: message.code, exitCode });
    else process.stderr.write(`paddock-runner: ${message.message}\n`);
    // Give the message time to reach the app before exiting.
    setTimeout(() => process.exit(exitCode), 100);
  };
  // From the start: a stop asked for while the runner starts must not be lost (nor kill it uncleanly). Node as a
  // container's PID 1 gets no default action for these signals: handled here, they stop it cleanly.
  let running: Awaited<ReturnType<typeof serve>> | undefined;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => (running ? void running.stop() : process.exit(RUNNER_EXIT.ok)));
  // Remote mode: reload the TLS certificate (nothing to do while starting: it is being read).
  if (values.listen) process.on('SIGHUP', () => void (running && reloadTls(running.reloadTls, logger, json)));
  try {
    // Local mode: the app sends the admin policy's proxy URL with the token (never argv: it may hold credentials).
    const envToken = values.listen ? undefined : tokenFromEnvironment();
    const first = parent && !values.proxy && envToken === undefined ? runnerParentMessageSchema.safeParse(await parent.firstMessage()) : null;
    const proxyUrl = values.proxy ? String(values.proxy) : first?.success && first.data.type === 'token' ? first.data.proxy : undefined;
    const runner = await serve({
      dataDir,
      secretStore: secretStoreFor(values['secret-store'] as string | undefined, dataDir),
      logger,
      ...(values.listen ? { listen: parseListen(String(values.listen)) } : {}),
      ...(values['public-url'] ? { publicUrl: String(values['public-url']) } : {}),
      ...(values['tls-cert'] ? { tlsCertFile: String(values['tls-cert']) } : {}),
      ...(values['tls-key'] ? { tlsKeyFile: String(values['tls-key']) } : {}),
      ...(values.listen ? {} : { token: envToken }),
      ...(parent ? { parent } : {}),
      http: {
        ...(values['ca-file'] ? { caFile: path.resolve(String(values['ca-file'])) } : {}),
        proxy: proxyUrl ? { url: proxyUrl, ...(values['no-proxy'] ? { noProxy: String(values['no-proxy']) } : {}) } : 'env',
      },
      ...(values.policy ? { policyFile: path.resolve(String(values.policy)) } : {}),
      ...devEndpoints(),
      ...devOAuthAttempt(),
      ...devGitEndpoints(),
      ...(values['environments-dir'] ? { environmentsDir: path.resolve(String(values['environments-dir'])) } : {}),
      ...(values['push-helper'] ? { pushHelper: true } : {}),
      ...(json ? {} : { print: (line: string) => process.stdout.write(`${line}\n`) }),
    });
    running = runner;
    await runner.stopped;
    process.exit(RUNNER_EXIT.ok);
  } catch (error) {
    if (error instanceof KeychainUnavailableError) {
      return fatal({ type: 'fatal', code: 'keychain-unavailable', message: error.message }, RUNNER_EXIT.keychainUnavailable);
    }
    if (error instanceof IdentityError) return fatal({ type: 'fatal', code: 'data-dir', message: error.message }, RUNNER_EXIT.dataDir);
    logger.error('runner failed to start', { error });
    return fatal({ type: 'fatal', code: 'internal', message: `The runner failed to start: ${(error as Error).message}` }, 1);
  }
}

function pinoStdout() {
  return { write: (line: string) => void process.stdout.write(line) };
}

async function reloadTls(reload: () => Promise<string | null>, logger: RunnerLogger, json: boolean) {
  try {
    const spki = await reload();
    if (!json && spki) process.stdout.write(`TLS certificate reloaded; fingerprint: ${spki}\n`);
  } catch (error) {
    logger.error('TLS certificate not reloaded; the previous one is still served', { error: (error as Error).message });
    if (!json) process.stderr.write(`paddock-runner: the TLS certificate was not reloaded (${(error as Error).message}); the previous one is still served.\n`);
  }
}

/**
 * Run as root on a data directory that belongs to another user (a service's):
 * files written by this command get the directory owner's user and group, so
 * the service can still read and replace them.
 */
function keepOwnership(dataDir: string, files: string[]) {
  if (process.platform === 'win32' || process.getuid?.() !== 0) return;
  const owner = fs.statSync(dataDir);
  if (owner.uid === 0) return;
  for (const file of files) if (fs.existsSync(file)) fs.chownSync(file, owner.uid, owner.gid);
}

function runnerSpki(dataDir: string): string {
  const remote = readRunnerFile(dataDir)?.remote;
  if (remote?.certFile) return spkiOfCertificate(fs.readFileSync(remote.certFile, 'utf8'));
  return spkiOfPrivateKey(loadOrCreateTlsKey(dataDir));
}

function commandRegistrationCreate(values: Record<string, string | boolean | undefined>) {
  const dataDir = path.resolve(String(values['data-dir']));
  // A mistyped --data-dir must not make a new, unrelated runner identity.
  if (!readRunnerFile(dataDir)?.remote) {
    process.stderr.write(`paddock-runner: ${dataDir} holds no runner that has served in remote mode; start it there first with \`serve --data-dir ${dataDir} --listen HOST:PORT\`.\n`);
    process.exit(RUNNER_EXIT.dataDir);
  }
  let lifetime: number;
  try {
    lifetime = parseLifetime(String(values.expires ?? '24h'));
  } catch (error) {
    usage((error as Error).message);
  }
  const roleValue = String(values.role ?? 'user');
  const parsedRole = clientRoleSchema.safeParse(roleValue);
  if (!parsedRole.success) usage(`--role must be user or admin, not ${JSON.stringify(roleValue).slice(0, 40)}.`);
  const { token, expiresAt, role } = new RegistrationBook(dataDir).create(lifetime, parsedRole.data);
  keepOwnership(dataDir, [path.join(dataDir, 'registrations.json')]);
  const spki = runnerSpki(dataDir);
  keepOwnership(dataDir, [path.join(dataDir, 'tls'), path.join(dataDir, 'tls', 'key.pem')]);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ token, expiresAt: expiresAt.toISOString(), spki, role })}\n`);
    return;
  }
  const url = readRunnerFile(dataDir)?.remote?.publicUrl ?? '(start the runner with `serve --listen` to give it a URL)';
  process.stdout.write(
    [
      'One-time registration token for one workstation (keep it secret; it is shown once):',
      '',
      `  ${token}`,
      '',
      `Role:        ${role}${role === 'admin' ? ' (may change repository access for every workstation)' : ''}`,
      `Expires:     ${expiresAt.toISOString()}`,
      `Runner URL:  ${url}`,
      `Fingerprint: ${spki}`,
      '',
      'In Paddock: Runners → Add a runner on a server → enter the URL and this token, and check that the app shows the same fingerprint.',
      '',
    ].join('\n'),
  );
}

async function commandStatus(values: Record<string, string | boolean | undefined>) {
  const dataDir = path.resolve(String(values['data-dir']));
  const file = readRunnerFile(dataDir);
  if (!file) {
    process.stderr.write(`paddock-runner: ${dataDir} holds no runner yet; \`serve\` makes one.\n`);
    process.exit(RUNNER_EXIT.dataDir);
  }
  const book = new RegistrationBook(dataDir);
  const spki = file.remote ? runnerSpki(dataDir) : null;
  keepOwnership(dataDir, [path.join(dataDir, 'tls'), path.join(dataDir, 'tls', 'key.pem')]);
  let server = 'not running in remote mode';
  if (file.remote) server = (await probeHealth(file.remote.listen, spki!)).text;
  const status = {
    runnerId: file.runnerId,
    version: PADDOCK_VERSION,
    apiVersion: RUNNER_API_VERSION,
    publicKey: file.publicKey,
    secretStore: file.secretStore,
    url: file.remote?.publicUrl ?? null,
    spki,
    registrationsOutstanding: book.outstanding(),
    registrationsOutstandingByRole: book.outstandingByRole(),
    workstations: book.clients().map((c) => ({ clientId: c.clientId, name: c.name, role: c.role, createdAt: c.createdAt })),
    server,
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(status)}\n`);
    return;
  }
  process.stdout.write(
    [
      `Runner ${status.runnerId} (Paddock ${status.version}, runner API v${status.apiVersion})`,
      `Public key:    ${status.publicKey}`,
      `Secret store:  ${status.secretStore}`,
      `URL:           ${status.url ?? '-'}`,
      `Fingerprint:   ${status.spki ?? '-'}`,
      `Server:        ${status.server}`,
      `Unused registration tokens: ${status.registrationsOutstanding} (admin ${status.registrationsOutstandingByRole.admin}, user ${status.registrationsOutstandingByRole.user})`,
      `Workstations:  ${status.workstations.length ? status.workstations.map((w) => `${printable(w.name)} (${w.clientId}, ${w.role})`).join(', ') : 'none'}`,
      '',
    ].join('\n'),
  );
}

/** Names come from workstations: never let one send escape sequences to the admin's terminal. */
function printable(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '\uFFFD');
}

/** `health`: 0 when the runner serving from the data directory answers with its own key, 1 otherwise. */
async function commandHealth(values: Record<string, string | boolean | undefined>) {
  const dataDir = path.resolve(String(values['data-dir']));
  const remote = readRunnerFile(dataDir)?.remote;
  if (!remote) {
    process.stdout.write(`unhealthy: ${dataDir} holds no runner that has served in remote mode\n`);
    process.exit(1);
  }
  const result = await probeHealth(remote.listen, runnerSpki(dataDir));
  process.stdout.write(`${result.healthy ? 'healthy' : 'unhealthy'}: ${result.text}\n`);
  process.exit(result.healthy ? 0 : 1);
}

function probeHealth(listen: string, spki: string): Promise<{ healthy: boolean; text: string }> {
  const [host, port] = [listen.slice(0, listen.lastIndexOf(':')), Number(listen.slice(listen.lastIndexOf(':') + 1))];
  const target = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return new Promise((resolve) => {
    const request = https.request(
      { host: target, port, path: '/v1/health', method: 'GET', rejectUnauthorized: false, timeout: 3000, headers: { Host: target.includes(':') ? `[${target}]` : target } },
      (response) => {
        const socket = response.socket as TLSSocket;
        const certificate = socket.getPeerX509Certificate();
        const seen = certificate ? `sha256/${createHash('sha256').update(certificate.publicKey.export({ type: 'spki', format: 'der' })).digest('base64')}` : null;
        if (seen !== spki) {
          response.resume();
          return resolve({ healthy: false, text: `something else answers at ${listen} (fingerprint ${seen})` });
        }
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body = (body + chunk).slice(0, 4096)));
        response.on('end', () => {
          let answer: unknown;
          try {
            answer = JSON.parse(body);
          } catch {
            answer = undefined;
          }
          const ok = response.statusCode === 200 && healthResponseSchema.safeParse(answer).success;
          resolve({ healthy: ok, text: `answering at ${listen} (HTTP ${response.statusCode}${ok ? '' : ', not a runner health answer'})` });
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', (error) => resolve({ healthy: false, text: `not answering at ${listen} (${error.message})` }));
    request.end();
  });
}

export async function main(argv: string[]): Promise<void> {
  const { values, positionals } = (() => {
    try {
      return parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          'data-dir': { type: 'string' },
          listen: { type: 'string' },
          'public-url': { type: 'string' },
          'tls-cert': { type: 'string' },
          'tls-key': { type: 'string' },
          'secret-store': { type: 'string' },
          'ca-file': { type: 'string' },
          'environments-dir': { type: 'string' },
          'push-helper': { type: 'boolean' },
          policy: { type: 'string' },
          proxy: { type: 'string' },
          'no-proxy': { type: 'string' },
          expires: { type: 'string' },
          role: { type: 'string' },
          json: { type: 'boolean' },
          'log-format': { type: 'string' },
          help: { type: 'boolean', short: 'h' },
          version: { type: 'boolean' },
        },
      });
    } catch (error) {
      usage((error as Error).message);
    }
  })();
  const command = positionals.join(' ');
  if (values.version) {
    process.stdout.write(`paddock-runner ${PADDOCK_VERSION} (runner API v${RUNNER_API_VERSION})\n`);
    return;
  }
  if (values.help || command === '' || command === 'help') {
    process.stdout.write(HELP);
    return;
  }
  if (!values['data-dir']) usage(`${command} needs --data-dir DIR.`);
  if (values['public-url'] !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(values['public-url']);
    } catch {
      url = undefined;
    }
    if (url?.protocol !== 'https:') usage('--public-url must be an https:// URL.');
  }
  switch (command) {
    case 'serve':
      return commandServe(values);
    case 'registration create':
      return commandRegistrationCreate(values);
    case 'status':
      return commandStatus(values);
    case 'health':
      return commandHealth(values);
    default:
      usage(`unknown command ${JSON.stringify(command)}.`);
  }
}

