import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog, shell } from 'electron';
import { PaddockError } from '../common/errors';
import { processRuntimeVersions, type DesktopIntegration } from '../core/desktop';
import { showNotification } from './notifications';
import { isProtocolClient, protocolHandlerState, type LaunchedAs } from './protocol-client';
import {
  AUTO_TOOL_ID,
  automaticTerminalName,
  childEnvironment,
  chooseEditor,
  chooseTerminal,
  editorLaunch,
  listEditors,
  listTerminals,
  opensAsProgram,
  type Launch,
  type ToolLookup,
} from './desktop-launch';
import { loginItem as systemLoginItem, type LoginItem } from './login-item';

// The desktop the core asks for (electron/core/desktop.ts): the system
// browser, notifications (./notifications.ts), the window's focus and
// bringing it to the front, whether paddock:// links come back here, and a
// local environment's folder opened in the file manager, the editor or a
// terminal (which program: ./desktop-launch.ts).

// How paddock:// is registered per OS moved to ./protocol-client; kept here for older imports.
export { protocolClientArgs, registerProtocolClient, type LaunchedAs } from './protocol-client';

/** Only web pages go to the browser: anything else could start another program. */
function webAddress(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PaddockError('invalid-input', 'Paddock opens only web addresses in the browser, and this is not one.');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new PaddockError('invalid-input', 'Paddock opens only web addresses (https:// or http://) in the browser.');
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new PaddockError('invalid-input', 'Paddock does not open web addresses that carry a user name or password.');
  }
  return parsed.toString();
}

/** This machine, for the choice of editor and terminal. */
export function machineLookup(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): ToolLookup {
  return {
    platform,
    env,
    isExecutable: (file) => {
      try {
        if (!fs.statSync(file).isFile()) return false;
        if (platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** A folder that is there, or a PaddockError that says it is not. */
function existingFolder(folder: string): string {
  if (!path.isAbsolute(folder)) throw new PaddockError('invalid-input', 'Paddock opens only folders given by their full path.');
  let stat: fs.Stats;
  try {
    stat = fs.statSync(folder);
  } catch {
    throw new PaddockError('not-found', `The folder ${folder} is not there any more. It was moved or deleted outside Paddock.`);
  }
  if (!stat.isDirectory()) throw new PaddockError('not-found', `${folder} is not a folder.`);
  return folder;
}

/** Starts a program on its own (detached, no shell, no output kept) and answers once it started, or with why not. */
export function startDetached(launch: Launch, env: NodeJS.ProcessEnv, platform: NodeJS.Platform, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawn(launch.command, launch.args, {
        cwd: launch.cwd,
        detached: true,
        stdio: 'ignore',
        shell: false,
        windowsHide: false,
        windowsVerbatimArguments: launch.windowsVerbatim ?? false,
        env: childEnvironment(env, platform),
      });
    } catch (error) {
      reject(new PaddockError('internal', `${what} could not be started: ${error instanceof Error ? error.message : String(error)}`));
      return;
    }
    child.once('error', (error) => reject(new PaddockError('internal', `${what} could not be started: ${error.message}`)));
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}

/** Whether a file (not a folder) is at this path. */
function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Opens the folder in the file manager. On macOS a folder that is a bundle
 * (`tool.app`, or one with `Contents/Info.plist`) would be started by
 * `shell.openPath`, so Finder shows it in its parent folder instead.
 */
async function openWithSystem(folder: string, platform: NodeJS.Platform): Promise<void> {
  if (opensAsProgram(folder, platform, isFile)) {
    shell.showItemInFolder(folder);
    return;
  }
  // Electron answers with an error message, or '' when the folder opened.
  const problem = await shell.openPath(folder);
  if (problem) throw new PaddockError('internal', `The system could not open ${folder}: ${problem}`);
}

/** What the main process gives the desktop of its own (tests give their own too). */
export interface ElectronDesktopOptions {
  /**
   * Brings the main window to the front, making it again when it was closed
   * (main.ts's showMainWindow). Without it, the first open window is
   * restored and focused, and nothing happens when none is open.
   */
  showWindow?: () => void;
  /** Start at login (./login-item.ts). */
  loginItem?: LoginItem;
  /** Whether a tray icon can show (the main process's detection); null: unknown. */
  trayAvailable?: () => boolean | null;
  /** Whether the tray icon shows now (./tray.ts); absent: the tray's state is not known. */
  trayShown?: () => boolean;
}

/** The first open window, restored and focused (when main.ts gives no show-window function). */
function focusFirstWindow(): void {
  const window = BrowserWindow.getAllWindows().find((w) => !w.isDestroyed());
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

const systemDefaultApp = "the system's default app for folders";

export function electronDesktop(proc: LaunchedAs = process, lookup: ToolLookup = machineLookup(), options: ElectronDesktopOptions = {}): DesktopIntegration {
  const env = lookup.env as NodeJS.ProcessEnv;
  let login: LoginItem | undefined = options.loginItem;
  const logins = () => (login ??= systemLoginItem());
  return {
    openExternal: async (url) => {
      await shell.openExternal(webAddress(url));
    },
    notify: (notification) => showNotification(notification),
    windowFocused: () => BrowserWindow.getFocusedWindow() !== null,
    showWindow: () => (options.showWindow ?? focusFirstWindow)(),
    customSchemeHandled: () => isProtocolClient(proc),
    protocolHandler: () => protocolHandlerState(proc, { env, isFile }),
    openFolder: async (folder) => openWithSystem(existingFolder(folder), lookup.platform),
    openInEditor: async (folder, choice = AUTO_TOOL_ID) => {
      existingFolder(folder);
      const { editor, missing } = chooseEditor(choice, lookup);
      if (editor === null) {
        await openWithSystem(folder, lookup.platform);
        return { opened: systemDefaultApp, missing };
      }
      await startDetached(editorLaunch(editor.command, folder, lookup, editor.spec), env, lookup.platform, editor.spec.name);
      return { opened: editor.spec.name, missing };
    },
    openTerminal: async (folder, choice = AUTO_TOOL_ID) => {
      existingFolder(folder);
      const { terminal, missing } = chooseTerminal(choice, folder, lookup);
      if (terminal === null) {
        throw new PaddockError(
          'not-found',
          `${missing ? `${missing} is not installed any more, and ` : ''}Paddock found no terminal program to open. Install one (GNOME Terminal, Konsole, Xfce Terminal or xterm), or open the folder and start a terminal there.`,
        );
      }
      await startDetached(terminal.launch, env, lookup.platform, terminal.name);
      return { opened: terminal.name, missing };
    },
    editor: async (choice = AUTO_TOOL_ID) => {
      const { editor } = chooseEditor(choice, lookup);
      return editor === null ? null : { name: editor.spec.name };
    },
    tools: async () => ({
      editors: listEditors(lookup),
      terminals: listTerminals(lookup),
      automaticEditor: chooseEditor(AUTO_TOOL_ID, lookup).editor?.spec.name ?? null,
      automaticTerminal: automaticTerminalName(lookup),
    }),
    setStartAtLogin: (enabled) => logins().set(enabled),
    startAtLogin: () => logins().get(),
    trayAvailable: () => (options.trayAvailable ? options.trayAvailable() : lookup.platform === 'linux' ? null : true),
    saveDiagnostics: (zip) => saveDiagnosticsZip(zip),
    runtimeVersions: () => processRuntimeVersions(),
    ...(options.trayShown ? { trayState: () => (options.trayShown!() ? ('shown' as const) : ('none' as const)) } : {}),
  };
}

/**
 * "Collect diagnostics": asks where to save the zip (a save dialog on the
 * focused window, opening in Downloads with the suggested name), writes it
 * readable by this user only, and shows it in its folder. Cancelled: nothing
 * is written.
 */
export async function saveDiagnosticsZip({ suggestedName, data }: { suggestedName: string; data: Uint8Array }): Promise<{ saved: true; path: string } | { saved: false }> {
  const options: Electron.SaveDialogOptions = {
    title: 'Save diagnostics',
    buttonLabel: 'Save',
    defaultPath: path.join(app.getPath('downloads'), suggestedName),
    filters: [{ name: 'Zip archive', extensions: ['zip'] }],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
  const parent = BrowserWindow.getFocusedWindow();
  const answer = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
  if (answer.canceled || !answer.filePath) return { saved: false };
  const file = path.extname(answer.filePath) === '' ? `${answer.filePath}.zip` : answer.filePath;
  try {
    await fs.promises.writeFile(file, data, { mode: 0o600 });
  } catch (error) {
    throw new PaddockError('internal', `Paddock could not save the diagnostics to ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}. Choose another folder.`);
  }
  shell.showItemInFolder(file);
  return { saved: true, path: file };
}
