import { app, BrowserWindow } from 'electron';
import type { Preferences } from '../common/api';
import type { Logger } from '../core/logger';
import { carriesAction, startsInBackground } from './launch-args';
import type { MainWindows } from './windows';

// The app's life: what closing the last window does, what macOS's Dock icon
// and coming back to the window do, and stopping the core (the local runner)
// before quitting. Closing the last window keeps Paddock running only where
// a tray icon shows it and the user keeps it there (preferences.keepInTray);
// elsewhere it quits, so Paddock is never running with no way back to it
// (Linux without a tray: ./tray-support.ts). macOS keeps its own habit: the
// app stays in the Dock and its icon opens the window again.

/** What the lifecycle needs of the tray (the tray helper's setupTray answers it). */
export interface TrayPresence {
  /** Whether a tray icon shows now (one was made where the desktop can show it). */
  shown(): boolean;
}

/** No tray icon (until the tray is set up, or where none can show). */
export const noTray: TrayPresence = { shown: () => false };

export type LastWindowClosed = 'quit' | 'keep-running';

/** What closing the last window does (pure). */
export function lastWindowClosed(facts: { platform: NodeJS.Platform; trayShown: boolean; keepInTray: boolean }): LastWindowClosed {
  if (facts.platform === 'darwin') return 'keep-running';
  return facts.trayShown && facts.keepInTray ? 'keep-running' : 'quit';
}

/**
 * Whether the window shows at start (pure). A start at login (`--background`)
 * shows none when a tray icon shows, as the app is reachable there; without
 * a tray it shows the window as usual. A command line that carries a link
 * or `open <url>` always shows it: the window is where the user answers.
 */
export function windowAtStart(facts: { background: boolean; trayShown: boolean; carriesAction: boolean }): boolean {
  return !(facts.background && facts.trayShown) || facts.carriesAction;
}

/** What of the core the lifecycle uses. */
export interface LifecycleCore {
  getPreferences(): Promise<Pick<Preferences, 'keepInTray'>>;
  main: { refreshHosts(): Promise<void>; dispose(): Promise<void> };
}

export interface LifecycleOptions {
  core: LifecycleCore;
  windows: MainWindows;
  tray: TrayPresence;
  logger: Logger;
  platform?: NodeJS.Platform;
}

/**
 * Registers the app-wide events: 'window-all-closed' (quit or keep running),
 * 'activate' (macOS's Dock icon opens the window), 'browser-window-focus'
 * (ask the runners again: a token may have expired meanwhile) and
 * 'will-quit' (the core stops first: the local runner removes its socket and
 * closes cleanly, then the app quits).
 */
export function setupLifecycle({ core, windows, tray, logger, platform = process.platform }: LifecycleOptions): void {
  app.on('window-all-closed', () => {
    void core
      .getPreferences()
      .then((preferences) => preferences.keepInTray)
      // The default (keep in the tray) when the preferences cannot be read: the tray, if shown, still reaches the app.
      .catch(() => true)
      .then((keepInTray) => {
        const decision = lastWindowClosed({ platform, trayShown: tray.shown(), keepInTray });
        logger.info('last window closed', { decision });
        if (decision === 'quit') app.quit();
      });
  });

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) windows.show();
  });

  app.on('browser-window-focus', () => void core.main.refreshHosts().catch(() => undefined));

  let disposed = false;
  app.on('will-quit', (event) => {
    if (disposed) return;
    event.preventDefault();
    disposed = true;
    void core.main
      .dispose()
      .catch((error: unknown) => logger.error('Paddock did not stop cleanly', { error: error instanceof Error ? error.name : typeof error }))
      .finally(() => app.quit());
  });
}

/**
 * Whether a launch (the cold start, or a second one handed over) shows the
 * window: windowAtStart over its command line. `openedAtLogin`: the OS says
 * it started this process at login (macOS passes login items no arguments,
 * so `--background` never arrives there).
 */
export function launchShowsWindow(argv: readonly string[], tray: TrayPresence, platform: NodeJS.Platform = process.platform, openedAtLogin = false): boolean {
  return windowAtStart({ background: openedAtLogin || startsInBackground(argv), trayShown: tray.shown(), carriesAction: carriesAction(argv, platform) });
}

/** macOS: whether the OS started this process as a login item (elsewhere a start at login carries `--background`). */
export function openedAtLogin(platform: NodeJS.Platform = process.platform): boolean {
  if (platform !== 'darwin') return false;
  try {
    return app.getLoginItemSettings().wasOpenedAtLogin === true;
  } catch {
    return false;
  }
}
