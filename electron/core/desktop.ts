import { PaddockError } from '../common/errors';

/**
 * What the app needs of the desktop it runs on: the system browser,
 * notifications, the paddock:// hand-off, and opening a local
 * environment's folder in the file manager, the code editor or a terminal
 * (PRODUCT E4). Electron's implementation is electron/main/desktop.ts; the
 * web host has stand-ins that record what they were asked.
 */
export interface DesktopIntegration {
  /** Opens an http(s) address in the system browser. */
  openExternal(url: string): Promise<void>;
  /**
   * Shows a system notification; `onClick` runs when the user clicks it
   * (the core's notifications, electron/core/notifications.ts, decide what
   * is shown and what a click opens).
   */
  notify(notification: DesktopNotification): void;
  /** Whether one of Paddock's windows has the keyboard focus now: the user is looking at it. */
  windowFocused(): boolean;
  /** Brings Paddock's window to the front, opening it again when it was closed (a notification or tray click). */
  showWindow(): void;
  /** Whether a paddock:// link opened by the browser comes back to this app (it is the scheme's registered handler). */
  customSchemeHandled(): boolean;
  /** Shows a folder in the system's file manager. */
  openFolder(path: string): Promise<void>;
  /** Opens a folder in the code editor `editor()` names, or with the system's default app for folders when there is none. */
  openInEditor(path: string): Promise<void>;
  /** Opens a terminal window whose working directory is the folder. */
  openTerminal(path: string): Promise<void>;
  /** The code editor `openInEditor` uses (Visual Studio Code when it is installed); null: the system's default app for folders. */
  editor(): Promise<DesktopEditor | null>;
}

/** A system notification: text only (no secrets, no addresses with credentials), and what a click does. */
export interface DesktopNotification {
  title: string;
  body: string;
  /** Runs when the user clicks the notification; none: a click only dismisses it. */
  onClick?: () => void;
}

export interface DesktopEditor {
  /** The editor's name as people know it: "Visual Studio Code". */
  name: string;
}

/** A desktop without a browser, notifications or folders to open (tests of other parts, headless use). */
export const noDesktop: DesktopIntegration = {
  openExternal: () => Promise.reject(new PaddockError('internal', 'There is no browser to open here.')),
  notify: () => undefined,
  windowFocused: () => false,
  showWindow: () => undefined,
  customSchemeHandled: () => false,
  openFolder: () => Promise.reject(new PaddockError('internal', 'Paddock cannot open folders here: it runs without a desktop.')),
  openInEditor: () => Promise.reject(new PaddockError('internal', 'Paddock cannot open an editor here: it runs without a desktop.')),
  openTerminal: () => Promise.reject(new PaddockError('internal', 'Paddock cannot open a terminal here: it runs without a desktop.')),
  editor: async () => null,
};
