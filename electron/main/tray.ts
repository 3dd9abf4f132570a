import { clipboard, Menu, nativeImage, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import { paddockErrorData } from '../common/errors';
import type { MainSurface } from '../core/app-core';
import type { Logger } from '../core/logger';
import { repositoryUrlIn, type TrayAction, type TrayOverall, type TrayState } from '../core/tray';
import { trayMenu, trayTitle, type TrayMenuItem } from '../core/tray-menu';
import { trayIconPngs } from './tray-icons';

// The tray (PRODUCT D1, A5; GIT-AND-DESKTOP §5.1): exactly one icon, whose
// image says the overall state, and a menu built as a whole from the core's
// tray state (electron/core/tray-menu.ts) and set again on every change —
// Linux shows a changed item only then. The menu works with a plain click
// everywhere; on macOS a link or text dropped on the icon becomes an
// environment request the user confirms in the window.

export interface TrayOptions {
  core: { main: Pick<MainSurface, 'trayState' | 'onTrayStateChanged' | 'performTrayAction' | 'environmentFromTrayDrop'> };
  /** Shows (or creates) the main window and brings it forward. */
  showWindow: () => void;
  quit: () => void;
  logger: Logger;
  platform?: NodeJS.Platform;
  /**
   * Whether a tray can show on this desktop (on Linux, whether a
   * StatusNotifier host runs: vanilla GNOME has none). False: no tray is
   * made, and the caller keeps the window as the way in.
   */
  canShow?: boolean;
}

export interface TrayHandle {
  /** Builds the menu again from the current state, reading the clipboard again; resolves once it is set. */
  rebuild(): Promise<void>;
  destroy(): void;
}

/** The image for a state: colour on Windows and Linux, a template image (tinted by the menu bar) on macOS; 1× and 2×. */
export function trayImage(overall: TrayOverall, platform: NodeJS.Platform): NativeImage {
  const pngs = trayIconPngs[platform === 'darwin' ? (`${overall}Template` as const) : overall];
  const image = nativeImage.createFromBuffer(Buffer.from(pngs.x1, 'base64'), { scaleFactor: 1 });
  image.addRepresentation({ scaleFactor: 2, buffer: Buffer.from(pngs.x2, 'base64') });
  if (platform === 'darwin') image.setTemplateImage(true);
  return image;
}

/** The neutral menu as Electron's template: each item with an action gets a click that performs it. */
export function electronMenuTemplate(items: readonly TrayMenuItem[], perform: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if (item.type === 'separator') return { type: 'separator' };
    if (item.type === 'submenu') return { type: 'submenu', label: item.label, enabled: item.enabled, submenu: electronMenuTemplate(item.submenu, perform) };
    const action = item.action;
    return action && item.enabled ? { type: 'normal', label: item.label, enabled: true, click: () => perform(action) } : { type: 'normal', label: item.label, enabled: false };
  });
}

/**
 * Makes the one tray icon and keeps its image and menu in step with the
 * core. The clipboard is read only to decide whether "New environment from
 * clipboard" is offered — when the state changed, when the icon is clicked
 * on macOS or Windows (just before the menu opens), and when that item is
 * chosen — and it is never logged. Returns null when no tray can show.
 */
export function setupTray({ core, showWindow, quit, logger, platform = process.platform, canShow = true }: TrayOptions): TrayHandle | null {
  if (!canShow) {
    logger.info('no tray: this desktop shows none');
    return null;
  }
  let state: TrayState = core.main.trayState();
  let shownOverall: TrayOverall = state.overall;
  const tray = new Tray(trayImage(state.overall, platform));
  let destroyed = false;

  /** Electron's clipboard answers asynchronously; an unreadable one holds nothing. */
  const readClipboard = async (): Promise<string> => {
    try {
      return await clipboard.readText();
    } catch {
      return '';
    }
  };

  const perform = async (action: TrayAction) => {
    const clipboardText = action.type === 'new-environment-from-clipboard' ? await readClipboard() : null;
    await core.main.performTrayAction(action, { clipboardText }).then(
      (result) => {
        if (result === 'show-window') showWindow();
        else if (result === 'quit') quit();
      },
      (error: unknown) => {
        // The kind of action and the error's code only: a folder or host name says more than the log needs.
        logger.info('tray action not performed', { action: action.type, code: paddockErrorData(error)?.code ?? 'internal' });
        void rebuild();
      },
    );
  };

  /** Builds the menu once the clipboard has answered; a later rebuild wins over an earlier one still waiting. */
  let builds = 0;
  function rebuild(): Promise<void> {
    if (destroyed) return Promise.resolve();
    const build = (builds += 1);
    return readClipboard().then((text) => {
      if (destroyed || build !== builds) return;
      // Whether the clipboard holds a repository URL the parser accepts with the runners' hosts; the text goes no further.
      show(repositoryUrlIn(text, state));
    });
  }

  function show(clipboardUrl: string | null) {
    const menu = Menu.buildFromTemplate(electronMenuTemplate(trayMenu(state, { platform, clipboardUrl }), (action) => void perform(action)));
    tray.setContextMenu(menu);
    if (state.overall !== shownOverall) {
      shownOverall = state.overall;
      tray.setImage(trayImage(state.overall, platform));
    }
    tray.setToolTip(trayTitle(state));
  }

  const unsubscribe = core.main.onTrayStateChanged((next) => {
    state = next;
    void rebuild();
  });
  if (platform === 'darwin' || platform === 'win32') {
    // As the menu opens: the clipboard may hold a link copied since the last change.
    tray.on('right-click', () => void rebuild());
    tray.on('click', () => {
      // Windows opens the menu only on a right-click by itself; a left click opens it too, once it is built again.
      void rebuild().then(() => {
        if (platform === 'win32' && !destroyed) tray.popUpContextMenu();
      });
    });
  }
  if (platform === 'darwin') {
    // macOS only (Tray's drop events exist nowhere else): a link or text dropped on the icon.
    tray.on('drop-text', (_event: unknown, text: string) => {
      if (core.main.environmentFromTrayDrop(String(text))) showWindow();
    });
  }
  // At once without the clipboard (the menu is never missing), then again once it answered.
  show(null);
  void rebuild();

  return {
    rebuild,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      unsubscribe();
      tray.destroy();
    },
  };
}
