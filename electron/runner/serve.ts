import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  RUNNER_API_VERSION,
  runnerParentMessageSchema,
  type RunnerChildMessage,
} from '../common/runner-api';
import { PADDOCK_VERSION } from '../common/version';
import { createRunnerApi, type RunnerApiContext } from './api';
import { loadOrCreateIdentity, updateRunnerFile } from './identity';
import { managedProvidersFromPolicyFile } from './policy';
import { entryFingerprint, ProviderService } from './provider-service';
import { checkPat, PAT_CHECK_TIMEOUT_MS } from './pat';
import { discoverTenant } from './providers/discover';
import type { HttpClientOptions } from './providers/http';
import { validateProvider } from './providers/validate';
import { ProviderStore } from './provider-store';
import type { RunnerLogger } from './logger';
import { RegistrationBook } from './registrations';
import type { SecretStore } from './secret-store';
import { loadTlsMaterial } from './tls';
import { Vault } from './vault';
import { EnvironmentService } from './environments/service';
import { EnvironmentStore } from './environments/store';
import { defaultHelperCommand, startCredentialServer, type CredentialServer } from './git/credential-helper';
import { startEnvironmentCredentials, type EnvironmentCredentials } from './git/environment-credentials';
import { prepareGitNetwork } from './git/network';
import { JobManager, type JobRunner } from './jobs';
import { TokenStore } from './tokens';
import { TokenService } from './token-service';
import { refreshOAuthToken } from './oauth/exchange';
import { checkOAuthToken } from './oauth/identity';
import type { OAuthService } from './oauth';
import { createOAuthService } from './oauth/service';
import { PaddockError } from '../common/errors';

/** How the runner talks to the app that started it (local mode). */
export interface ParentChannel {
  /** Resolves with the first message, which must carry the API token. */
  firstMessage(): Promise<unknown>;
  onMessage(listener: (message: unknown) => void): void;
  send(message: RunnerChildMessage): void;
}

export interface ServeOptions {
  dataDir: string;
  secretStore: SecretStore;
  logger: RunnerLogger;
  /** Remote mode when set: host:port to listen on, with TLS. */
  listen?: { host: string; port: number };
  publicUrl?: string;
  tlsCertFile?: string;
  tlsKeyFile?: string;
  /** Local mode: the token, when not delivered over the parent channel (plain Node: env or file). */
  token?: string;
  parent?: ParentChannel;
  /** Outbound requests to providers: extra CA certificates and proxy (default: HTTPS_PROXY / NO_PROXY). */
  http?: HttpClientOptions;
  /** Remote mode: the admin policy file whose entries for this runner are managed here. */
  policyFile?: string;
  /** Development and test builds only: real provider origins moved onto simulators. */
  devEndpoints?: Readonly<Record<string, string>>;
  /** Development and test builds only: how long an OAuth attempt waits (instead of 5 minutes), so tests can see it expire. */
  devOAuthAttemptMs?: number;
  /** Development and test builds only: real git origins moved onto a local git server (given to git as url.insteadOf). */
  devGitEndpoints?: Readonly<Record<string, string>>;
  /**
   * Where working copies go: for the local runner the folder itself
   * (default ~/Paddock); for a server runner the folder in which each
   * workstation gets its own (default DATA_DIR/environments).
   */
  environmentsDir?: string;
  /**
   * A server runner serves working copies' `git push` (the environments'
   * credential endpoint) only when asked: its working copies all belong to
   * the runner's one OS account, so anyone logged in as it could read every
   * workstation's helper secrets. The local runner always does.
   */
  pushHelper?: boolean;
  /** Printed lines for the admin (remote mode start-up). */
  print?: (line: string) => void;
}

export interface RunningRunner {
  endpoint: string;
  spki: string | null;
  publicKey: string;
  runnerId: string;
  stop(): Promise<void>;
  /**
   * Remote mode: reads the TLS certificate and key again (the admin's files,
   * or a new self-signed certificate over the same key) and serves them to new
   * connections; registrations and open connections are kept. Resolves with
   * the fingerprint now served; rejects, keeping the old ones, when the files
   * cannot be used. Local mode: null.
   */
  reloadTls(): Promise<string | null>;
  /** Resolves when the runner has stopped (shutdown, purge). */
  stopped: Promise<void>;
}

/** A short socket name in a fresh 0700 directory (Windows: a random pipe name). */
function localEndpoint(): { endpoint: string; cleanup: () => void } {
  if (process.platform === 'win32') {
    return { endpoint: `\\\\.\\pipe\\paddock-runner-${randomBytes(12).toString('hex')}`, cleanup: () => {} };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pdk-'));
  fs.chmodSync(dir, 0o700);
  const endpoint = path.join(dir, `${randomBytes(6).toString('hex')}.sock`);
  return { endpoint, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export async function serve(options: ServeOptions): Promise<RunningRunner> {
  const { dataDir, secretStore, logger } = options;
  // Listen for the app's shutdown from the start: quitting while the runner starts must not be lost.
  let shutdownRequested = false;
  let onShutdown = () => {
    shutdownRequested = true;
  };
  options.parent?.onMessage((message) => {
    const parsed = runnerParentMessageSchema.safeParse(message);
    if (parsed.success && parsed.data.type === 'shutdown') onShutdown();
  });
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dataDir, 0o700);
  const warnings: string[] = [];
  if (secretStore.kind === 'file') {
    // Said at every start; not a health warning, since it was chosen explicitly.
    const warning = `Keys are kept in a plain file (${secretStore.location}), protected only by its permissions (0600): anyone who can read it can read every secret this runner holds. Use the OS keychain where one exists.`;
    logger.warn(warning);
    options.print?.(`WARNING: ${warning}`);
  }
  const identity = await loadOrCreateIdentity(dataDir, secretStore);
  const vault = new Vault(path.join(dataDir, 'vault'), identity.dataKey);
  const providers = new ProviderService({
    runnerId: identity.file.runnerId,
    keys: { publicKey: identity.keyPair.publicKey, secretKey: identity.keyPair.secretKey },
    store: new ProviderStore(dataDir, vault, path.join(dataDir, 'vault')),
    networkCheck: (entry) => validateProvider(entry, { http: options.http ?? { proxy: 'env' }, endpoints: options.devEndpoints ?? {} }),
    logger: options.logger,
  });
  if (options.policyFile) {
    const { providers: managed, problems } = managedProvidersFromPolicyFile(options.policyFile, identity.file.runnerId);
    const result = await providers.applyPolicy(managed);
    for (const problem of [...problems, ...result.problems.map((p) => `${p.host}: ${p.message}`)]) {
      logger.warn('admin policy problem', { problem });
      options.print?.(`Policy: ${problem}`);
    }
    logger.info('admin policy applied', { managedEntries: result.applied, policyFile: options.policyFile });
    options.print?.(`Policy: ${result.applied} managed provider entr${result.applied === 1 ? 'y' : 'ies'} from ${options.policyFile}.`);
  }
  const tokens = new TokenStore(vault);
  // A remote runner's public URL, once it listens: the runner-https redirect must name it. Only with the
  // admin's own (publicly trusted) certificate: a self-signed runner is never shown to a browser.
  let callbackRunnerUrl: string | null = options.publicUrl ?? null;
  const oauth: OAuthService = createOAuthService({
    providers: () => providers.list(),
    clientSecret: (host) => providers.clientSecret(host),
    tokens,
    logger,
    runner: () => ({ kind: options.listen !== undefined ? 'remote' : 'local', url: options.listen !== undefined && options.tlsCertFile ? callbackRunnerUrl : null }),
    http: options.http ?? { proxy: 'env' },
    endpoints: options.devEndpoints ?? {},
    ...(options.devOAuthAttemptMs ? { lifetimeMs: options.devOAuthAttemptMs } : {}),
  });
  const network = () => ({ http: options.http ?? { proxy: 'env' as const }, endpoints: options.devEndpoints ?? {} });
  const tokenService = new TokenService({
    tokens,
    providers: () => providers.list(),
    clientSecret: (host) => providers.clientSecret(host),
    refresh: (entry, stored, deps) => refreshOAuthToken(entry, stored, { ...deps, ...network() }),
    checkOAuth: (entry, organization, token, check) => checkOAuthToken(entry, organization, token, { ...check, ...network() }),
    checkPat: (entry, organization, token, check) => checkPat(entry, organization, token, { ...check, ...network() }),
    logger,
  });
  let credentialServer: Promise<CredentialServer> | null = null;
  const credentials = () => (credentialServer ??= startCredentialServer({ helper: defaultHelperCommand(), logger }));
  const remoteMode = options.listen !== undefined;
  let environmentCredentials: EnvironmentCredentials | null = null;
  // git gets the same proxy and CA certificates as the provider requests (a combined CA bundle in the data folder).
  const gitNetwork = prepareGitNetwork(dataDir, options.http ?? { proxy: 'env' });
  if (gitNetwork.problem) logger.warn('git cannot use the runner’s CA file', { problem: gitNetwork.problem });
  const environments = new EnvironmentService({
    store: new EnvironmentStore(dataDir),
    providers: () => providers.list(),
    tokens: tokenService,
    startJob: (start, owner) => jobs.start(start, owner),
    credentials,
    environmentCredentials: () => environmentCredentials,
    root: (clientId) =>
      remoteMode ? path.join(options.environmentsDir ?? path.join(dataDir, 'environments'), clientId) : (options.environmentsDir ?? path.join(os.homedir(), 'Paddock')),
    logger,
    http: options.http ?? { proxy: 'env' },
    gitNetwork: gitNetwork.network,
    endpoints: options.devEndpoints ?? {},
    gitEndpoints: options.devGitEndpoints ?? {},
  });
  environments.recover();
  if (!remoteMode || options.pushHelper) {
    try {
      environmentCredentials = await startEnvironmentCredentials({
        dataDir,
        helper: defaultHelperCommand(),
        handler: { get: (id, request) => environments.credentialFor(id, request), erase: (id, request) => environments.credentialRefused(id, request) },
        logger,
      });
      // Environments made before they had a helper, or whose helper's Node moved: in the background.
      void environments.installHelpers().catch((error: unknown) => logger.warn('environment credential helpers not checked', { error: error instanceof Error ? error.message : String(error) }));
    } catch (error) {
      warnings.push(`git push in your environments cannot get a token from this runner (${error instanceof Error ? error.message : String(error)}). Restart the runner; if this stays, its log says more.`);
      logger.warn('environment credential endpoint not started', { error: error instanceof Error ? error.message : String(error) });
    }
  }
  const runJob: JobRunner = async (start, owner, context) => {
    const { signal, progress } = context;
    switch (start.kind) {
      case 'provider-check': {
        const entry = providers.list().find((p) => p.host === start.host);
        if (!entry) throw new PaddockError('not-found', `This runner has no entry for ${start.host}.`, undefined, { host: start.host });
        // From the very entry checked: a save meanwhile has another fingerprint, and recordCheck then keeps nothing.
        const fingerprint = entryFingerprint(entry);
        const validation = await validateProvider(entry, {
          http: options.http ?? { proxy: 'env' },
          endpoints: options.devEndpoints ?? {},
          signal,
          onCheck: (group, check) => progress({ kind: 'provider-check', group, check }),
        });
        // The entry shows it ("Last check failed: …") until the next check or save.
        if (fingerprint !== null) await providers.recordCheck(entry.host, fingerprint, validation);
        return { kind: 'provider-check', validation };
      }
      case 'oauth-connect':
        return oauth.begin(start, owner, context);
      case 'token-check':
        return tokenService.check(owner, start.id, context);
      case 'environment-clone':
        return environments.clone(owner, start.environmentId, context);
    }
  };
  const jobs = new JobManager(runJob, logger);
  const discover = (organization: string) => discoverTenant(organization, { http: options.http ?? { proxy: 'env' }, endpoints: options.devEndpoints ?? {} });
  const startedAt = new Date();
  const remote = options.listen !== undefined;

  let localToken: RunnerApiContext['localToken'] = null;
  if (!remote) {
    const token = options.token ?? (await tokenFromParent(options.parent));
    localToken = { token, hash: createHash('sha256').update(token).digest() };
  }

  let server: http.Server;
  let spki: string | null = null;
  let endpoint: string;
  let cleanup = () => {};
  const hostNames = ['localhost'];
  let reloadTls: () => Promise<string | null> = async () => null;
  let stopResolve!: () => void;
  const stopped = new Promise<void>((resolve) => (stopResolve = resolve));

  const context: RunnerApiContext = {
    mode: remote ? 'remote' : 'local',
    identity,
    secretStore,
    vault,
    providers,
    tokens,
    oauth,
    environments,
    oauthCallback: () => (options.listen !== undefined && options.tlsCertFile && callbackRunnerUrl ? `${new URL(callbackRunnerUrl).origin}/oauth/callback` : null),
    jobs,
    discoverTenant: discover,
    checkPat: (entry, organization, token) =>
      checkPat(entry, organization, token, { http: options.http ?? { proxy: 'env' }, endpoints: options.devEndpoints ?? {}, signal: AbortSignal.timeout(PAT_CHECK_TIMEOUT_MS) }),
    logger,
    startedAt,
    warnings,
    spki: null,
    registrations: remote ? new RegistrationBook(dataDir) : null,
    localToken,
    hostNames,
    purge: async () => {
      logger.info('purging runner: deleting its keys and data');
      await secretStore.delete(identity.file.runnerId);
      for (const entry of fs.readdirSync(dataDir)) fs.rmSync(path.join(dataDir, entry), { recursive: true, force: true });
    },
    stop: () => stop(),
  };

  if (remote) {
    const { host, port } = options.listen!;
    const publicUrl = options.publicUrl ?? `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
    const publicHost = new URL(publicUrl).hostname.replace(/^\[|\]$/g, '');
    const names = [publicHost, ...(host === '0.0.0.0' || host === '::' ? [] : [host]), 'localhost', '127.0.0.1'];
    hostNames.push(publicHost);
    if (host !== '0.0.0.0' && host !== '::') hostNames.push(host);
    const tlsOptions = { dataDir, certFile: options.tlsCertFile, keyFile: options.tlsKeyFile, names };
    const tls = await loadTlsMaterial(tlsOptions);
    spki = tls.spki;
    context.spki = spki;
    const httpsServer = https.createServer(
      { cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2', handshakeTimeout: 10_000, connectionsCheckingInterval: 5_000 },
      createRunnerApi(context),
    );
    server = httpsServer;
    reloadTls = async () => {
      const next = await loadTlsMaterial(tlsOptions);
      // Throws when the key does not match the certificate: the old ones stay.
      httpsServer.setSecureContext({ cert: next.cert, key: next.key, minVersion: 'TLSv1.2' });
      if (next.spki !== spki) {
        logger.warn('TLS key changed: workstations pinned to the old key refuse this runner until they add it again', { previousSpki: spki, spki: next.spki });
      }
      spki = next.spki;
      context.spki = next.spki;
      logger.info('TLS certificate reloaded', { spki: next.spki, certFile: options.tlsCertFile ?? null });
      return next.spki;
    };
    server.maxConnections = 256;
    await listen(server, () => server.listen(port, host));
    const address = server.address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    endpoint = options.publicUrl ?? `https://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
    callbackRunnerUrl = endpoint;
    updateRunnerFile(dataDir, { remote: { listen: `${host}:${actualPort}`, publicUrl: endpoint, certFile: options.tlsCertFile ?? null } });
    logger.info('runner listening', {
      mode: 'remote',
      url: endpoint,
      spki,
      runnerId: identity.file.runnerId,
      publicKey: identity.file.publicKey,
      version: PADDOCK_VERSION,
      apiVersion: RUNNER_API_VERSION,
    });
    options.print?.(`Paddock runner ${PADDOCK_VERSION} (runner API v${RUNNER_API_VERSION}) listening on ${endpoint}`);
    options.print?.(`Runner ID: ${identity.file.runnerId}`);
    options.print?.(`Public key: ${identity.file.publicKey}`);
    options.print?.(`TLS public key fingerprint (SPKI SHA-256), compare it in the app: ${spki}`);
  } else {
    const local = localEndpoint();
    endpoint = local.endpoint;
    cleanup = local.cleanup;
    // Also when the process ends some other way (an uncaught error, process.exit).
    process.once('exit', () => local.cleanup());
    server = http.createServer(createRunnerApi(context));
    await listen(server, () => server.listen(endpoint));
    if (process.platform !== 'win32') fs.chmodSync(endpoint, 0o600);
    logger.info('runner listening', { mode: 'local' });
  }
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= Promise.all([tokenService.stop(), jobs.dispose().then(async () => (await credentialServer)?.close()), environmentCredentials?.close()])
      .then(
        () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
            // Also connections still in their TLS handshake, which the HTTP server does not track yet:
            // without this, stopping waits for their handshake timeout.
            for (const socket of sockets) socket.destroy();
          }),
      )
      .then(() => {
      cleanup();
      logger.info('runner stopped');
      stopResolve();
    }));

  onShutdown = () => void stop();
  tokenService.start();
  if (shutdownRequested) void stop();
  options.parent?.send({
    type: 'ready',
    endpoint,
    publicKey: identity.file.publicKey,
    runnerId: identity.file.runnerId,
    version: PADDOCK_VERSION,
    apiVersion: RUNNER_API_VERSION,
  });

  return { endpoint, spki, publicKey: identity.file.publicKey, runnerId: identity.file.runnerId, stop, reloadTls: () => reloadTls(), stopped };
}

async function tokenFromParent(parent: ParentChannel | undefined): Promise<string> {
  if (!parent) {
    throw new Error('Local mode needs the API token: from the app (first message), or PADDOCK_RUNNER_TOKEN / PADDOCK_RUNNER_TOKEN_FILE.');
  }
  const message = runnerParentMessageSchema.safeParse(await parent.firstMessage());
  if (!message.success || message.data.type !== 'token') throw new Error('The first message from the app must carry the API token.');
  return message.data.token;
}

function listen(server: http.Server, start: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      resolve();
    });
    start();
  });
}
