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
  /**
   * Diagnostics ("about"): whether Paddock is the default handler of
   * paddock:// links and how this installation registers as it. Optional:
   * hosts without an OS registration may leave it out (read it as
   * `{ isDefault: customSchemeHandled(), registration: 'none', desktopFile: null }`).
   */
  protocolHandler?(): ProtocolHandlerState;
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
  /**
   * Saves a diagnostics zip (About, "Collect diagnostics") where the user
   * chooses: Electron asks with a save dialog that opens in the Downloads
   * folder with `suggestedName`, then shows the file in its folder; the web
   * host writes it into its data folder. `saved: false` when the user
   * cancelled (nothing was written). Absent: Paddock cannot save files here.
   */
  saveDiagnostics?(zip: { suggestedName: string; data: Uint8Array }): Promise<{ saved: true; path: string } | { saved: false }>;
  /** The versions of what runs Paddock: Electron and Chromium (null outside Electron) and Node.js. Absent: the core reads `process.versions`. */
  runtimeVersions?(): RuntimeVersions;
  /**
   * Whether the tray icon shows ('shown') or this desktop shows none ('none'),
   * for About and the diagnostics. Absent: not known ('unknown').
   */
  trayState?(): 'shown' | 'none';
}

/** What runs Paddock, as About shows it. */
export interface RuntimeVersions {
  electron: string | null;
  chrome: string | null;
  node: string;
}

/** The versions in `process.versions` (Electron's main process has electron and chrome there; Node.js has neither). */
export function processRuntimeVersions(versions: NodeJS.ProcessVersions = process.versions): RuntimeVersions {
  const extra = versions as NodeJS.ProcessVersions & { electron?: string; chrome?: string };
  return { electron: extra.electron ?? null, chrome: extra.chrome ?? null, node: versions.node };
}

/** A system notification: text only (no secrets, no addresses with credentials), and what a click does. */
export interface DesktopNotification {
  title: string;
  body: string;
  /** Runs when the user clicks the notification; none: a click only dismisses it. */
  onClick?: () => void;
}

/** How an installation registers as the handler of paddock:// links (GIT-AND-DESKTOP.md §4). */
export type ProtocolRegistration =
  /** Linux deb/rpm: the package's .desktop file (MimeType=x-scheme-handler/paddock), found in an applications folder. */
  | 'linux-desktop-file'
  /** Linux AppImage: the .desktop file Paddock wrote into the user's applications folder, set as default with xdg-mime. */
  | 'appimage-user-file'
  /** Windows: HKCU\\Software\\Classes\\paddock, written at every start. */
  | 'windows-registry'
  /** macOS: the app's Info.plist (CFBundleURLTypes). */
  | 'macos-info-plist'
  /** A development build (`electron .`): Electron registered with the app's entry script. */
  | 'development'
  /** Nothing registers the scheme here (a Linux build without an installed .desktop file, the web host). */
  | 'none';

export interface ProtocolHandlerState {
  /** Whether a paddock:// link the browser opens comes to this app. */
  isDefault: boolean;
  registration: ProtocolRegistration;
  /** Linux: the .desktop file that registers the scheme, when it is there; null elsewhere. */
  desktopFile: string | null;
}

/**
 * What About says under the paddock:// line: how this installation registers
 * as the scheme's handler (null when nothing registers it, or nothing more is
 * worth saying).
 */
export function protocolHandlerNote(state: ProtocolHandlerState): string | null {
  switch (state.registration) {
    case 'linux-desktop-file':
      return state.desktopFile ? `Registered by ${state.desktopFile}.` : null;
    case 'appimage-user-file':
      return state.desktopFile
        ? `Registered by ${state.desktopFile}, which Paddock writes for this AppImage at every start.`
        : 'This AppImage has no entry in your applications folder yet: Paddock writes it at its next start.';
    case 'windows-registry':
      return 'Registered for your Windows account at every start.';
    case 'macos-info-plist':
      return state.isDefault ? null : 'Another app is set to open paddock:// links. Moving Paddock to Applications and starting it from there usually fixes it.';
    case 'development':
      return 'This is a development build: paddock:// links start the Electron that runs it.';
    case 'none':
      return null;
  }
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
  windowFocused: () => false,
  showWindow: () => undefined,
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
