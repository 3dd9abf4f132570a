import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Conf from 'conf';
import { WebSocketServer, type WebSocket } from 'ws';
import { apiEvents, type ApiEventName } from '../../electron/common/api';
import { contentSecurityPolicy } from '../../electron/common/csp';
import type { PaddockCore } from '../../electron/core/app-core';
import { keychainCredentialStore } from '../../electron/core/credentials';
import { receiveDeepLink, type DeepLinkReceipt } from '../../electron/core/deep-links';
import { createLogger, logFileDestination, type Logger } from '../../electron/core/logger';
import type { DesktopIntegration } from '../../electron/core/desktop';
import { nodeRunnerLauncher } from '../../electron/core/runners/node-launcher';
import { wireApp } from '../../electron/core/wiring';
import { openStore, type AppStore } from '../../electron/core/store/store';
import { startProviderSimulators, type ProviderSimulators } from '../helpers/provider-simulators';
import { createSimulatedTray, type SimulatedTray } from './tray';
import {
  BRIDGE_PATH,
  BRIDGE_PROTOCOL_PREFIX,
  BRIDGE_SCRIPT_PATH,
  clientMessageSchema,
  TOKEN_META_NAME,
  type ServerMessage,
} from './protocol';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface WebHostOptions {
  /** The core's data directory; a fresh temporary one when not given. */
  dataDir?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  rendererDir?: string;
  bridgeFile?: string;
  logger?: Logger;
  /** Start a local runner (R1), as the app does. Default true. */
  localRunner?: boolean;
  heartbeatMs?: number;
  /** An admin policy file to load (the development-only override). */
  policyFile?: string;
  /** More flags and environment for the local runner (tests: provider simulators). */
  runnerArgs?: string[];
  runnerEnv?: Record<string, string>;
  /** Receives the local runner's log lines (JSON, secrets redacted). */
  onRunnerLog?: (line: string) => void;
  /**
   * Start the provider simulators of test/fakes, point the local runner at
   * them, and tell the page (AppInfo.simulation) what to enter to try them.
   */
  simulate?: boolean;
  /**
   * Whether paddock:// links opened by the browser come back to the app.
   * A browser tab cannot hand them back, so false by default (OAuth then
   * uses a loopback callback where the provider takes one); tests that
   * play the OS hand-off with openDeepLink set it true.
   */
  customSchemeHandled?: boolean;
  /** The code editor the stand-in desktop names (null: none, the system's default app); Visual Studio Code by default. */
  editor?: string | null;
  /** Hears each system notification the app shows, with its index for `clickNotification` (the command line prints them). */
  onNotification?: (notification: WebHostNotification, index: number) => void;
  /**
   * The editors and terminals the stand-in desktop says this computer has
   * (ids of electron/main/desktop-launch.ts's catalogues); by default VS Code
   * and VSCodium, GNOME Terminal and xterm (Cursor and Konsole are listed as
   * not installed).
   */
  installedTools?: readonly string[];
  /** The stand-in desktop refuses to start Paddock at login (as an OS may). */
  refuseStartAtLogin?: boolean;
}

/** A folder the app asked the desktop to open, and how. */
export interface WebHostOpening {
  readonly target: 'folder' | 'editor' | 'terminal';
  readonly path: string;
  /** The editor or terminal it opened in (its name), for 'editor' and 'terminal'. */
  readonly with?: string;
}

/** The web host's log files (as the desktop app's main.log and runner.log), in `<data dir>/logs`. */
export interface WebHostLogs {
  readonly folder: string;
  readonly main: string;
  readonly runner: string;
}
/** The stand-in desktop's catalogue: a few of the real one's editors and terminals (electron/main/desktop-launch.ts). */
const standInEditors = [
  { id: 'vscode', name: 'Visual Studio Code' },
  { id: 'vscodium', name: 'VSCodium' },
  { id: 'cursor', name: 'Cursor' },
] as const;
const standInTerminals = [
  { id: 'gnome-terminal', name: 'GNOME Terminal' },
  { id: 'konsole', name: 'Konsole' },
  { id: 'xterm', name: 'xterm' },
] as const;
const defaultInstalledTools = ['vscode', 'vscodium', 'gnome-terminal', 'xterm'];

/** A system notification the app showed. */
export interface WebHostNotification {
  readonly title: string;
  readonly body: string;
  /** Whether a click on it does something (`clickNotification`). */
  readonly clickable: boolean;
}

export interface WebHost {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly store: AppStore;
  readonly core: PaddockCore;
  /** The provider simulators, in simulate mode; null otherwise. */
  readonly simulators: ProviderSimulators | null;
  /**
   * The operating system's hand-off of a paddock:// link (macOS 'open-url'),
   * or of a second launch's command line (Windows, Linux), at the function
   * the Electron main process calls with it (electron/core/deep-links.ts).
   */
  openDeepLink(link: string): Promise<DeepLinkReceipt>;
  openDeepLinkArgv(argv: readonly string[]): Promise<DeepLinkReceipt>;
  /** The system notifications the app showed, oldest first (tests read them here; they are logged too). */
  readonly notifications: readonly WebHostNotification[];
  /**
   * The user clicks notification `index` of `notifications`: what the app
   * does on a click (a UI action for the window, the window shown). Throws
   * for one that is not there or not clickable.
   */
  clickNotification(index: number): void;
  /**
   * Whether the app's window has focus, as the desktop tells the core (it
   * decides which notifications to show by it). False until set: the window
   * is in the background, as when the user is in the browser's consent tab.
   */
  setWindowFocused(focused: boolean): void;
  /** How many times the app asked the desktop to bring its window to the front (a notification clicked). */
  readonly windowShown: number;
  /** The addresses "opened in the system browser", as the page's tab got them (a simulator's https origin moved to its http twin). */
  readonly openedExternally: readonly string[];
  /** The folders the app asked to open in the file manager, the editor or a terminal, oldest first (nothing is started; they are logged too). */
  readonly opened: readonly WebHostOpening[];
  /** Its log files: what the app logs goes there too (JSON lines, secrets redacted), and the local runner's lines. */
  readonly logs: WebHostLogs;
  /** The diagnostics zips "Collect diagnostics" saved (in `<data dir>/diagnostics`), oldest first. */
  readonly diagnosticsSaved: readonly string[];
  /** Plays the user cancelling the next save dialog of "Collect diagnostics": nothing is saved. */
  cancelNextDiagnosticsSave(): void;
  /** The simulated tray (its page is at /tray): the same menu as the app's tray, with a simulated clipboard. */
  readonly tray: SimulatedTray;
  /** Whether the stand-in desktop was asked to start Paddock at login (as the OS would keep it). */
  readonly startsAtLogin: boolean;
  close(): Promise<void>;
}

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * The web host: serves the built renderer on 127.0.0.1 with `window.paddock`
 * bridged over a WebSocket to a real core. For UI work and end-to-end tests
 * only; it is never part of a packaged app.
 */
export async function startWebHost(options: WebHostOptions = {}): Promise<WebHost> {
  const rendererDir = options.rendererDir ?? path.join(projectRoot, 'dist/web');
  const bridgeFile = options.bridgeFile ?? path.join(projectRoot, 'dist/web-bridge/bridge.js');
  for (const file of [path.join(rendererDir, 'index.html'), bridgeFile, path.join(path.dirname(bridgeFile), 'tray.js')]) {
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run build:web\` first.`);
  }
  const dataDir = options.dataDir ?? (await fsp.mkdtemp(path.join(os.tmpdir(), 'paddock-web-')));
  await fsp.mkdir(dataDir, { recursive: true, mode: 0o700 });
  // Log files as the desktop app keeps them, which About shows and "Collect diagnostics" reads; the given logger (stderr by default) gets every line too.
  const logsDir = path.join(dataDir, 'logs');
  await fsp.mkdir(logsDir, { recursive: true, mode: 0o700 });
  const logs: WebHostLogs = { folder: logsDir, main: path.join(logsDir, 'main.log'), runner: path.join(logsDir, 'runner.log') };
  const mainLogFile = logFileDestination(logs.main);
  const fileLogger = createLogger({ name: 'paddock-web-host', destination: mainLogFile });
  const outerLogger = options.logger ?? createLogger({ name: 'paddock-web-host' });
  const both =
    (level: keyof Logger): Logger[keyof Logger] =>
    (message, fields) => {
      fileLogger[level](message, fields);
      outerLogger[level](message, fields);
    };
  const logger: Logger = { info: both('info'), warn: both('warn'), error: both('error') };
  const onRunnerLog = (line: string) => {
    // The runner's lines are JSON with secrets already redacted, as the desktop app's runner.log has them.
    fs.appendFileSync(logs.runner, `${line}\n`, { mode: 0o600 });
    options.onRunnerLog?.(line);
  };
  const simulators = options.simulate ? await startProviderSimulators() : null;
  if (simulators) {
    options = {
      ...options,
      runnerArgs: [...simulators.runnerArgs, ...(options.runnerArgs ?? [])],
      runnerEnv: { ...simulators.runnerEnv, ...options.runnerEnv },
    };
  }

  // The simulated providers' consent pages, for a browser tab that does not trust their CA: each https origin's plain-http twin.
  const browserOrigins = new Map<string, string>();
  if (simulators) {
    for (const simulator of new Set(Object.values(simulators.oauth))) browserOrigins.set(simulator.origin, await simulator.serveHttp());
  }
  const notifications: WebHostNotification[] = [];
  /** The click of each notification, by its index (null: none). */
  const notificationClicks: ((() => void) | null)[] = [];
  let windowFocused = false;
  let windowShown = 0;
  const openedExternally: string[] = [];
  const opened: WebHostOpening[] = [];
  const diagnosticsSaved: string[] = [];
  let cancelNextSave = false;
  const diagnosticsDir = path.join(dataDir, 'diagnostics');
  const editorName = options.editor === undefined ? 'Visual Studio Code' : options.editor;
  const installed = new Set(options.installedTools ?? defaultInstalledTools);
  let startsAtLogin = false;
  const systemApp = "the system's default app for folders";
  /** The editor or terminal a choice opens here, as the real desktop chooses (a missing one: the automatic choice, named). */
  const choose = (target: 'editor' | 'terminal', choice: string | undefined): { opened: string; missing: string | null } => {
    const catalogue: readonly { id: string; name: string }[] = target === 'editor' ? standInEditors : standInTerminals;
    const automatic = target === 'editor' ? (editorName ?? systemApp) : (catalogue.find((t) => installed.has(t.id))?.name ?? 'xterm');
    if (choice === undefined || choice === 'auto') return { opened: automatic, missing: null };
    if (target === 'editor' && choice === 'system') return { opened: systemApp, missing: null };
    const tool = catalogue.find((t) => t.id === choice);
    return tool && installed.has(tool.id) ? { opened: tool.name, missing: null } : { opened: automatic, missing: tool?.name ?? choice };
  };
  /** Records an opening instead of starting a program: a test machine has no desktop to show it on. */
  const open =
    (target: WebHostOpening['target']) =>
    async (folder: string, choice?: string): Promise<{ opened: string; missing: string | null } | void> => {
      const stat = await fsp.stat(folder).catch(() => null);
      if (!stat?.isDirectory()) throw new Error(`The web host was asked to open ${folder}, which is not a folder.`);
      const chosen = target === 'folder' ? undefined : choose(target, choice);
      opened.push({ target, path: folder, ...(chosen ? { with: chosen.opened } : {}) });
      logger.info('web host: opening a folder', { target, path: folder, ...(chosen ? { with: chosen.opened } : {}) });
      return chosen;
    };
  const desktop: DesktopIntegration = {
    async openExternal(url) {
      const parsed = new URL(url);
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('The web host opens only http(s) addresses.');
      const twin = browserOrigins.get(parsed.origin);
      const target = twin ? `${twin}${parsed.pathname}${parsed.search}${parsed.hash}` : parsed.toString();
      openedExternally.push(target);
      // The origin only: the address may carry an OAuth state.
      logger.info('web host: opening in a new tab', { origin: new URL(target).origin, pages: sockets.size });
      for (const ws of sockets) sendMessage(ws, { type: 'open-external', url: target });
    },
    notify(notification) {
      notifications.push({ title: notification.title, body: notification.body, clickable: notification.onClick !== undefined });
      notificationClicks.push(notification.onClick ?? null);
      logger.info('web host: notification', { title: notification.title, body: notification.body, index: notifications.length - 1 });
      options.onNotification?.(notifications.at(-1)!, notifications.length - 1);
    },
    windowFocused: () => windowFocused,
    showWindow() {
      windowShown++;
      logger.info('web host: bringing the window to the front');
      for (const ws of sockets) sendMessage(ws, { type: 'show-window' });
    },
    customSchemeHandled: () => options.customSchemeHandled ?? false,
    // The web host plays the OS's hand-off (customSchemeHandled); nothing is registered with the OS.
    protocolHandler: () => ({ isDefault: options.customSchemeHandled ?? false, registration: 'none', desktopFile: null }),
    openFolder: async (folder) => {
      await open('folder')(folder);
    },
    openInEditor: open('editor'),
    openTerminal: open('terminal'),
    editor: async (choice) => {
      const { opened: name } = choose('editor', choice);
      return name === systemApp ? null : { name };
    },
    tools: async () => ({
      editors: [...standInEditors.map((t) => ({ ...t, installed: installed.has(t.id) })), { id: 'system', name: "The system's default app for folders", installed: true }],
      terminals: standInTerminals.map((t) => ({ ...t, installed: installed.has(t.id) })),
      automaticEditor: editorName,
      automaticTerminal: standInTerminals.find((t) => installed.has(t.id))?.name ?? null,
    }),
    setStartAtLogin: async (enabled) => {
      if (options.refuseStartAtLogin) throw new Error('Your computer did not let Paddock start at login: the system did not take the change.');
      startsAtLogin = enabled;
      logger.info('web host: start at login', { enabled });
    },
    startAtLogin: async () => startsAtLogin,
    // A browser tab has no tray; the simulated one (helper "tray") stands in for it.
    trayAvailable: () => true,
    // No save dialog in a browser tab: the zip goes into the data folder (a new name when one is there), and the path is recorded.
    async saveDiagnostics({ suggestedName, data }) {
      if (cancelNextSave) {
        cancelNextSave = false;
        logger.info('web host: diagnostics save cancelled');
        return { saved: false };
      }
      await fsp.mkdir(diagnosticsDir, { recursive: true, mode: 0o700 });
      const base = path.basename(suggestedName, '.zip');
      let file = path.join(diagnosticsDir, `${base}.zip`);
      for (let n = 2; fs.existsSync(file); n++) file = path.join(diagnosticsDir, `${base}-${n}.zip`);
      await fsp.writeFile(file, data, { mode: 0o600, flag: 'wx' });
      diagnosticsSaved.push(file);
      logger.info('web host: diagnostics saved', { path: file });
      return { saved: true, path: file };
    },
    runtimeVersions: () => ({ electron: null, chrome: null, node: process.versions.node }),
  };

  const store = openStore({
    directory: dataDir,
    createBackend: (storeOptions) => new Conf(storeOptions) as never,
  });
  const { core, dispatcher } = await wireApp({
    store,
    logger,
    credentials: keychainCredentialStore(),
    appInfo: { name: 'Paddock', version: packageVersion(), shell: 'web', platform: process.platform, simulation: simulators?.simulation ?? null },
    policy: {
      platform: process.platform,
      env: { ...process.env, ...(options.policyFile ? { PADDOCK_POLICY_FILE: options.policyFile } : {}) },
      isDevelopmentBuild: true,
      readFile: (file) => fsp.readFile(file, 'utf8'),
    },
    localRunner:
      options.localRunner === false
        ? null
        : {
            dataDir: path.join(dataDir, 'runner'),
            launch: nodeRunnerLauncher({ onLog: onRunnerLog, env: { ...process.env, ...options.runnerEnv } }),
            // Working copies stay inside the host's data folder, never the user's ~/Paddock (a later --environments-dir wins).
            args: ['--environments-dir', path.join(dataDir, 'environments'), ...(options.runnerArgs ?? [])],
          },
    ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
    desktop,
    logs: { folder: logs.folder, files: [{ name: 'main.log', path: logs.main }, { name: 'runner.log', path: logs.runner }] },
  });

  const token = randomBytes(32).toString('base64url');
  const tokenHash = createHash('sha256').update(token).digest();
  let port = 0;
  const origin = () => `http://127.0.0.1:${port}`;
  // The simulated tray's page has a token of its own: the app's page cannot act as the tray.
  const simulatedTray = createSimulatedTray({ core, logger, token: randomBytes(32).toString('base64url'), scriptFile: path.join(path.dirname(bridgeFile), 'tray.js') });

  const server = http.createServer((request, response) => {
    serve(request, response).catch((error: unknown) => {
      logger.warn('web host request failed', { error });
      if (!response.headersSent) send(response, 400, 'Bad request');
      else response.destroy();
    });
  });

  async function serve(request: http.IncomingMessage, response: http.ServerResponse) {
    // Only our own address: a page on another name (DNS rebinding) gets nothing.
    if (request.headers.host !== `127.0.0.1:${port}`) return send(response, 421, 'Misdirected request');
    // The request target is a path; never let it be read as a URL of its own (`//host`).
    const pathname = new URL(`${origin()}${(request.url ?? '/').split(/[?#]/)[0]!.replace(/^\/*/, '/')}`).pathname;
    const headers = {
      'Content-Security-Policy': contentSecurityPolicy([`ws://127.0.0.1:${port}`]),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    };
    if (await simulatedTray.serve(request, response, pathname, origin(), headers)) return;
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'Method not allowed');
    if (pathname === BRIDGE_SCRIPT_PATH) {
      const body = await fsp.readFile(bridgeFile);
      response.writeHead(200, { ...headers, 'Content-Type': MIME_TYPES['.js'] });
      return response.end(body);
    }
    const file = resolveStatic(rendererDir, pathname);
    if (!file) return send(response, 404, 'Not found');
    let body: Buffer;
    try {
      body = await fsp.readFile(file);
    } catch {
      return send(response, 404, 'Not found');
    }
    if (file.endsWith('index.html')) {
      body = Buffer.from(
        body
          .toString('utf8')
          .replace('<head>', `<head>\n    <meta name="${TOKEN_META_NAME}" content="${token}" />\n    <script type="module" src="${BRIDGE_SCRIPT_PATH}"></script>`),
      );
    }
    response.writeHead(200, { ...headers, 'Content-Type': MIME_TYPES[path.extname(file)] ?? 'application/octet-stream' });
    response.end(body);
  }

  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  server.on('upgrade', (request, socket, head) => {
    const offered = String(request.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((value) => value.trim());
    const presented = offered.find((value) => value.startsWith(BRIDGE_PROTOCOL_PREFIX))?.slice(BRIDGE_PROTOCOL_PREFIX.length) ?? '';
    const refuse = (status: number, reason: string) => {
      logger.warn('web host refused a bridge connection', { reason });
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (new URL(request.url ?? '/', origin()).pathname !== BRIDGE_PATH) return refuse(404, 'Not Found');
    if (request.headers.host !== `127.0.0.1:${port}`) return refuse(421, 'Misdirected Request');
    if (request.headers.origin !== origin()) return refuse(403, 'Forbidden');
    // Compare hashes: equal length, constant time, whatever was presented.
    if (!timingSafeEqual(createHash('sha256').update(presented).digest(), tokenHash)) return refuse(401, 'Unauthorized');
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => void onMessage(ws, data.toString()));
    });
  });
  wss.on('headers', () => undefined);

  async function onMessage(ws: WebSocket, raw: string) {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return ws.close(1007, 'Messages must be JSON.');
    }
    const message = clientMessageSchema.safeParse(json);
    if (!message.success) return ws.close(1008, 'Not a bridge message.');
    const envelope = await dispatcher.call(message.data.method, message.data.input);
    sendMessage(ws, { type: 'result', id: message.data.id, envelope });
  }

  const unsubscribers = (Object.keys(apiEvents) as ApiEventName[]).map((event) =>
    dispatcher.subscribe(event, (payload) => {
      for (const ws of sockets) sendMessage(ws, { type: 'event', event, payload });
    }),
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('The web host has no TCP address.');
  port = address.port;

  return {
    url: `${origin()}/`,
    port,
    dataDir,
    store,
    core,
    simulators,
    openDeepLink: (link) => receiveDeepLink(core, logger, { link }, 'web-host'),
    openDeepLinkArgv: (argv) => receiveDeepLink(core, logger, { argv }, 'web-host'),
    notifications,
    clickNotification(index) {
      const click = notificationClicks[index];
      if (click === undefined) throw new Error(`There is no notification ${index}: the app showed ${notifications.length}.`);
      if (click === null) throw new Error(`Notification ${index} (${notifications[index]!.title}) does nothing when clicked.`);
      click();
    },
    setWindowFocused(focused) {
      windowFocused = focused;
    },
    get windowShown() {
      return windowShown;
    },
    openedExternally,
    opened,
    logs,
    diagnosticsSaved,
    cancelNextDiagnosticsSave: () => {
      cancelNextSave = true;
    },
    tray: simulatedTray.tray,
    get startsAtLogin() {
      return startsAtLogin;
    },
    async close() {
      simulatedTray.dispose();
      for (const unsubscribe of unsubscribers) unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await core.dispose();
      await simulators?.close();
      mainLogFile.end();
    },
  };
}

function sendMessage(ws: WebSocket, message: ServerMessage) {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
}

function send(response: http.ServerResponse, status: number, text: string) {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(text);
}

/** A file under `root` for a URL path, or null if it would leave `root`. */
export function resolveStatic(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = path.resolve(root);
  const file = path.resolve(base, relative);
  return file.startsWith(base + path.sep) ? file : null;
}

function packageVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
