import { app, Notification } from 'electron';
import type { DesktopNotification } from '../core/desktop';

// System notifications, shown with Electron's Notification (the core decides
// which: electron/core/notifications.ts). Each one shown is kept referenced
// until it is clicked, closed or failed: a Notification object that is
// garbage-collected takes its click handler with it, and on Windows and
// macOS a click on it in the notification centre would then do nothing.

/** The app's id on Windows, as the installer's Start-menu shortcut carries it (build/electron-builder.json `appId`). */
export const WINDOWS_APP_USER_MODEL_ID = 'dev.paddock.app';

/**
 * The AppUserModelID Windows shows notifications under: the packaged app's
 * id, and in development (`electron .`) the Electron executable's path, as
 * Electron's notification guide does it. Without one Windows shows none.
 */
export function appUserModelId(packaged: boolean, execPath: string): string {
  return packaged ? WINDOWS_APP_USER_MODEL_ID : execPath;
}

/**
 * At start, before the first notification: on Windows, the AppUserModelID
 * notifications need (elsewhere nothing is needed). main.ts calls it right
 * after 'ready'.
 */
export function setupNotifications(platform: NodeJS.Platform = process.platform, execPath: string = process.execPath): void {
  if (platform === 'win32') app.setAppUserModelId(appUserModelId(app.isPackaged, execPath));
}

/** The notifications on screen now (see above): kept so that their clicks arrive. */
const shown = new Set<Notification>();

/** How many notifications are kept for their clicks (tests). */
export const keptNotifications = (): number => shown.size;

/** Shows a notification where the system has them (nothing otherwise); a click runs `onClick`, once. */
export function showNotification({ title, body, onClick }: DesktopNotification): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({ title, body });
  const release = () => {
    shown.delete(notification);
  };
  notification.on('click', () => {
    release();
    onClick?.();
  });
  notification.on('close', release);
  notification.on('failed', release);
  shown.add(notification);
  notification.show();
}
