import path from 'node:path';
import { BrowserWindow, nativeTheme } from 'electron';

export interface MainWindowOptions {
  preload: string;
  /** app://paddock/ in a packaged app, the Vite dev server in development. */
  url: string;
}

/** The secure webPreferences every Paddock window uses. */
export function secureWebPreferences(preload: string): Electron.WebPreferences {
  return {
    preload: path.resolve(preload),
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
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
    webPreferences: secureWebPreferences(preload),
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(url);
  return window;
}
