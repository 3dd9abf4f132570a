import path from 'node:path';
import { BrowserWindow, dialog, nativeTheme, type MessageBoxSyncOptions } from 'electron';

export interface MainWindowOptions {
  preload: string;
  /** app://paddock/ in a packaged app, the Vite dev server in development. */
  url: string;
}

export function createMainWindow({ preload, url }: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1100,
    height: 720,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Paddock',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#16181d' : '#ffffff',
    // Written out here, not built by a helper, so static checks (electronegativity) see them.
    webPreferences: {
      preload: path.resolve(preload),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  // The page refuses to unload while a form holds unsaved input
  // (renderer/src/leave-guard.ts); Electron then closes nothing and asks
  // nothing, so the question is asked here. Discarding lets it unload.
  window.webContents.on('will-prevent-unload', (event) => {
    // Quit from the tray may come while the window is hidden or minimized: the question shows with it.
    if (!window.isVisible() || window.isMinimized()) window.show();
    if (dialog.showMessageBoxSync(window, discardChangesBox) === 0) event.preventDefault();
  });
  void window.loadURL(url);
  return window;
}

/** The question a window with unsaved input asks before it closes or reloads: Discard changes (0) or Keep editing (1, also Escape). */
export const discardChangesBox: MessageBoxSyncOptions = {
  type: 'question',
  title: 'Discard changes?',
  message: 'Discard changes?',
  detail: 'What you entered in the open dialog is not saved. Discard it, or keep editing and save it first.',
  buttons: ['Discard changes', 'Keep editing'],
  defaultId: 1,
  cancelId: 1,
  noLink: true,
};

/** The one main window, made when it is first asked for and again after it was closed. */
export interface MainWindows {
  /**
   * Brings the window to the front: made when there is none, shown when
   * hidden, restored when minimized, then focused. Asked before `ready`, it
   * waits for it (the window's page needs the API).
   */
  show(): void;
  /** Whether the window is open (not closed). */
  isOpen(): boolean;
  /** The API is there: from now on `show` acts; `showNow` shows the window at once (and one asked for meanwhile shows anyway). */
  ready(showNow: boolean): void;
}

/**
 * Manages the main window (the start, the tray, a second launch, a link and
 * macOS's Dock icon all ask for it through `show`). Makes no window until
 * asked: call it before 'ready'.
 */
export function setupWindows(options: MainWindowOptions): MainWindows {
  let current: BrowserWindow | undefined;
  let isReady = false;
  let asked = false;
  const isOpen = () => current !== undefined && !current.isDestroyed();
  const show = () => {
    if (!isReady) {
      asked = true;
      return;
    }
    if (!current || current.isDestroyed()) {
      current = createMainWindow(options);
      return;
    }
    if (current.isMinimized()) current.restore();
    if (!current.isVisible()) current.show();
    current.focus();
  };
  return {
    isOpen,
    show,
    ready(showNow) {
      isReady = true;
      if (showNow || asked) show();
      asked = false;
    },
  };
}
