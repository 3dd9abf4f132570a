import fs from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog } from 'electron';
import { keychainCredentialStore } from '../core/credentials';
import { createLogger } from '../core/logger';
import { StoreUnavailableError } from '../core/store/store';
import { wireApp } from '../core/wiring';
import { APP_ORIGIN, registerAppScheme, setupAppProtocol } from './app-protocol';
import { setupDeepLinks } from './deep-links';
import { electronDesktop, registerProtocolClient } from './desktop';
import { setupIpc } from './ipc';
import { utilityRunnerLauncher } from './runner-process';
import { setupSecurity } from './security';
import { setupSingleInstance } from './single-instance';
import { openAppStore } from './store';
import { createMainWindow } from './windows';

// Defined by Electron Forge's Vite plugin.
declare const MAIN_WINDOW_VITE_DEV_SERVER_URL: string | undefined;
declare const MAIN_WINDOW_VITE_NAME: string;
// False in production bundles (vite.main.config.ts): the policy path override is for development only.
declare const __PADDOCK_DEV__: boolean;

const devServerUrl = typeof MAIN_WINDOW_VITE_DEV_SERVER_URL === 'string' ? MAIN_WINDOW_VITE_DEV_SERVER_URL : undefined;
const rendererUrl = devServerUrl ?? `${APP_ORIGIN}/index.html`;
const allowedOrigins = [devServerUrl ? new URL(devServerUrl).origin : APP_ORIGIN];

let mainWindow: BrowserWindow | undefined;

function showMainWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) {
    mainWindow = createMainWindow({ preload: path.join(__dirname, 'preload.cjs'), url: rendererUrl });
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

// Before 'ready': macOS sends the link that launched the app as 'open-url' right away.
const deepLinks = setupDeepLinks(process.argv);

if (setupSingleInstance(() => showMainWindow(), deepLinks.receiveArgv)) {
  registerAppScheme();
  // paddock:// (OAuth callbacks) comes back to this app; where the OS refuses, sign-in uses a loopback address or the pasted one.
  const protocolClient = registerProtocolClient();

  void app.whenReady().then(async () => {
    const logDir = app.getPath('logs');
    fs.mkdirSync(logDir, { recursive: true });
    const logger = createLogger({
      name: 'paddock-main',
      destination: fs.createWriteStream(path.join(logDir, 'main.log'), { flags: 'a', mode: 0o600 }),
    });

    if (!protocolClient) logger.warn('paddock:// links could not be registered with the operating system');
    setupSecurity();
    if (!devServerUrl) setupAppProtocol(path.join(__dirname, '..', 'renderer', MAIN_WINDOW_VITE_NAME));

    let store;
    try {
      store = openAppStore(app.getPath('userData'));
    } catch (error) {
      if (error instanceof StoreUnavailableError) {
        dialog.showErrorBox('Paddock cannot start', error.message);
        app.exit(1);
        return;
      }
      throw error;
    }
    const runnerLog = fs.createWriteStream(path.join(logDir, 'runner.log'), { flags: 'a', mode: 0o600 });
    const { core, dispatcher } = await wireApp({
      store,
      logger,
      credentials: keychainCredentialStore(),
      appInfo: { name: app.getName(), version: app.getVersion(), shell: 'electron', platform: process.platform, simulation: null },
      policy: {
        platform: process.platform,
        env: process.env,
        isDevelopmentBuild: __PADDOCK_DEV__,
        readFile: (file) => fs.promises.readFile(file, 'utf8'),
      },
      localRunner: {
        dataDir: path.join(app.getPath('userData'), 'runner'),
        // The runner logs JSON lines with secrets already redacted.
        launch: utilityRunnerLauncher(path.join(__dirname, 'runner.cjs'), (line) => runnerLog.write(`${line}\n`)),
      },
      desktop: electronDesktop(),
    });
    setupIpc({ dispatcher, allowedOrigins, logger });
    showMainWindow();
    deepLinks.deliverTo(core, logger);

    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) showMainWindow();
    });
    // Back at the window: ask the runners again, so a token that expired meanwhile shows as such.
    app.on('browser-window-focus', () => void core.main.refreshHosts());
    app.on('window-all-closed', () => {
      if (process.platform !== 'darwin') app.quit();
    });
    // Stop the local runner before quitting (it removes its socket and closes cleanly).
    let disposed = false;
    app.on('will-quit', (event) => {
      if (disposed) return;
      event.preventDefault();
      disposed = true;
      void core.main.dispose().finally(() => app.quit());
    });
  });
}
