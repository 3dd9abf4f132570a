import path from 'node:path';
import { BrowserWindow, nativeTheme } from 'electron';

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
  void window.loadURL(url);
  return window;
}
