import path from 'node:path';
import { app } from 'electron';
import { APP_ORIGIN, registerAppScheme, setupAppProtocol } from './app-protocol';
import { setupCore } from './app-core';
import { setupDeepLinks } from './deep-links';
import { electronDesktop, machineLookup } from './desktop';
import { setupIpc } from './ipc';
import { launchShowsWindow, noTray, openedAtLogin, setupLifecycle, type TrayPresence } from './lifecycle';
import { setupLogging } from './logging';
import { setupNotifications } from './notifications';
import { setupDesktopName, setupProtocolClient } from './protocol-client';
import { setupSecurity } from './security';
import { setupSingleInstance } from './single-instance';
import { setupStore } from './store';
import { setupTray, type TrayHandle } from './tray';
import { detectTraySupport } from './tray-support';
import { setupWindows } from './windows';

// The main process, as a table of contents: each feature is set up by its
// own file, in this order. docs/desktop.md tells the whole story.

// Defined by Electron Forge's Vite plugin.
declare const MAIN_WINDOW_VITE_DEV_SERVER_URL: string | undefined;
declare const MAIN_WINDOW_VITE_NAME: string;
// False in production bundles (vite.main.config.ts): the policy path override is for development only.
declare const __PADDOCK_DEV__: boolean;

const devServerUrl = typeof MAIN_WINDOW_VITE_DEV_SERVER_URL === 'string' ? MAIN_WINDOW_VITE_DEV_SERVER_URL : undefined;
const rendererUrl = devServerUrl ?? `${APP_ORIGIN}/index.html`;
const allowedOrigins = [devServerUrl ? new URL(devServerUrl).origin : APP_ORIGIN];

/** Whether a tray icon shows; the tray's setup replaces it (until then, and where none can show: none). */
let tray: TrayPresence = noTray;
/** Whether the OS says it started Paddock at login (macOS, which passes login items no arguments). */
const startedAtLogin = openedAtLogin();

// --- Before 'ready' ---

// Linux: Electron's desktop name is the .desktop file's, which the OS hands paddock:// links to.
setupDesktopName();
// The main window: made when first shown, once the API is there.
const windows = setupWindows({ preload: path.join(__dirname, 'preload.cjs'), url: rendererUrl });
// paddock:// links: macOS's 'open-url' must be registered now; links wait for the core.
const deepLinks = setupDeepLinks(process.argv, { onOpenUrl: () => windows.show() });

// One Paddock per user: a second launch hands its command line (a link, `open <url>`) to this one and quits.
const onSecondLaunch = (argv: string[]) => {
  if (launchShowsWindow(argv, tray)) windows.show();
};
if (setupSingleInstance(onSecondLaunch, deepLinks.receiveArgv)) {
  // app:// is a standard, secure scheme (only before 'ready').
  registerAppScheme();
  void app.whenReady().then(start);
}

// --- Once Electron is ready ---

async function start(): Promise<void> {
  // main.log and runner.log in the logs folder.
  const { logger, runnerLine, files: logs } = setupLogging();
  // Notifications carry the app's name and icon (Windows: its AppUserModelID).
  setupNotifications();
  // Whether a tray can show (Linux asks the session bus), asked while the rest starts.
  const traySupport = detectTraySupport();
  let trayAvailable: boolean | null = null;
  // The OS hands paddock:// links to Paddock (an AppImage writes its .desktop file first).
  void setupProtocolClient({ logger });
  // Permissions denied, navigation and new windows refused, in every web contents.
  setupSecurity();
  // The built renderer on app://paddock/ (the dev server serves it in development).
  if (!devServerUrl) setupAppProtocol(path.join(__dirname, '..', 'renderer', MAIN_WINDOW_VITE_NAME));
  // The settings file; when it cannot be used, an error box says why and the app ends.
  const store = setupStore();
  if (!store) return;
  // The core: runners (the local one as a utility process), hosts, jobs, the admin policy.
  const { core, dispatcher } = await setupCore({
    store,
    logger,
    desktop: electronDesktop(process, machineLookup(), {
      showWindow: () => windows.show(),
      trayAvailable: () => trayAvailable,
      trayShown: () => tray.shown(),
    }),
    logs,
    buildDirectory: __dirname,
    runnerLine,
    isDevelopmentBuild: __PADDOCK_DEV__,
  });
  // The API over IPC, for the app's own pages only.
  setupIpc({ dispatcher, allowedOrigins, logger });
  const support = await traySupport;
  trayAvailable = support.available;
  // One tray icon, where one can show: its image and menu follow the core's state.
  const trayHandle: TrayHandle | null = setupTray({ core, showWindow: () => windows.show(), quit: () => app.quit(), logger, canShow: support.available });
  tray = { shown: () => trayHandle !== null };
  app.once('quit', () => trayHandle?.destroy());
  logger.info('tray', { ...support, shown: tray.shown() });
  // Closing the last window (quit, or keep running in the tray), the Dock icon, focus, a clean quit.
  setupLifecycle({ core, windows, tray, logger });
  // The window, unless a start at login (--background) finds a tray to wait in.
  windows.ready(launchShowsWindow(process.argv, tray, process.platform, startedAtLogin));
  // Links that arrived meanwhile, in order; from now on each goes to the core at once.
  deepLinks.deliverTo(core, logger);
}
