import type { DesktopTool } from '../common/api';
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
  /** Shows a system notification. */
  notify(notification: { title: string; body: string }): void;
  /** Whether a paddock:// link opened by the browser comes back to this app (it is the scheme's registered handler). */
  customSchemeHandled(): boolean;
  /** Shows a folder in the system's file manager. */
  openFolder(path: string): Promise<void>;
  /**
   * Opens a folder in the code editor `editor(choice)` names, or with the
   * system's default app for folders when there is none. `choice` is the
   * Settings preference ('auto' when not given); a chosen editor that is no
   * longer installed is replaced by the automatic choice, and the answer says so.
   */
  openInEditor(path: string, choice?: string): Promise<DesktopOpened | void>;
  /** Opens a terminal window whose working directory is the folder: the one `choice` names ('auto' when not given), as openInEditor. */
  openTerminal(path: string, choice?: string): Promise<DesktopOpened | void>;
  /** The code editor `openInEditor(path, choice)` uses (automatically Visual Studio Code when it is installed); null: the system's default app for folders. */
  editor(choice?: string): Promise<DesktopEditor | null>;
  /** The editors and terminals Settings offers on this computer (installed or not), and what the automatic choices open. */
  tools?(): Promise<DesktopTools>;
  /**
   * Makes the operating system start Paddock when the user logs in (in the
   * background: no window), or stop doing so. Rejects with a sentence when
   * the system refused.
   */
  setStartAtLogin?(enabled: boolean): Promise<void>;
  /** Whether the operating system starts Paddock at login now (the user can change it in the system's settings); null: it cannot tell. */
  startAtLogin?(): Promise<boolean | null>;
  /** Whether a tray icon can show on this desktop; null: it cannot tell. */
  trayAvailable?(): boolean | null;
}

/** What openInEditor or openTerminal opened, when it was not the chosen one. */
export interface DesktopOpened {
  /** The name of what opened ("Visual Studio Code", "the system's default app for folders"). */
  opened: string;
  /** The chosen editor or terminal that is not installed any more; null when the chosen one opened. */
  missing: string | null;
}

/** The editors and terminals this computer offers (DesktopSettings in the app API). */
export interface DesktopTools {
  editors: DesktopTool[];
  terminals: DesktopTool[];
  /** What 'auto' opens: an editor's name, null for the system's default app for folders. */
  automaticEditor: string | null;
  /** What 'auto' opens: a terminal's name, null when none is installed. */
  automaticTerminal: string | null;
}

export interface DesktopEditor {
  /** The editor's name as people know it: "Visual Studio Code". */
  name: string;
}

/** A desktop without a browser, notifications or folders to open (tests of other parts, headless use). */
export const noDesktop: DesktopIntegration = {
  openExternal: () => Promise.reject(new PaddockError('internal', 'There is no browser to open here.')),
  notify: () => undefined,
  customSchemeHandled: () => false,
  openFolder: () => Promise.reject(new PaddockError('internal', 'Paddock cannot open folders here: it runs without a desktop.')),
  openInEditor: () => Promise.reject(new PaddockError('internal', 'Paddock cannot open an editor here: it runs without a desktop.')),
  openTerminal: () => Promise.reject(new PaddockError('internal', 'Paddock cannot open a terminal here: it runs without a desktop.')),
  editor: async () => null,
  tools: async () => ({ editors: [], terminals: [], automaticEditor: null, automaticTerminal: null }),
  setStartAtLogin: () => Promise.reject(new PaddockError('internal', 'Paddock cannot start at login here: it runs without a desktop.')),
  startAtLogin: async () => null,
  trayAvailable: () => false,
};
