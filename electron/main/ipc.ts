import { ipcMain, webContents, type IpcMainInvokeEvent, type WebFrameMain } from 'electron';
import { apiEvents, ipcChannels, type ApiEventName, type Envelope, type Unsubscribe } from '../common/api';
import type { ApiDispatcher } from '../core/api/dispatcher';
import type { Logger } from '../core/logger';

/**
 * True only for the top frame of a page from one of the app's own origins.
 * Sub-frames and any other origin are refused, whatever they send.
 */
export function isTrustedSender(frame: Pick<WebFrameMain, 'url' | 'parent'> | null | undefined, allowedOrigins: readonly string[]): boolean {
  if (!frame || frame.parent) return false;
  let origin: string;
  try {
    origin = new URL(frame.url).origin;
  } catch {
    return false;
  }
  // Custom schemes report an opaque origin ("null"); compare scheme://host then.
  if (origin === 'null') {
    const url = new URL(frame.url);
    origin = `${url.protocol}//${url.host}`;
  }
  return allowedOrigins.includes(origin);
}

export interface IpcOptions {
  dispatcher: ApiDispatcher;
  allowedOrigins: readonly string[];
  logger: Logger;
}

/**
 * Carries the app API over Electron IPC: one invoke channel for calls, one
 * channel that pushes events to every trusted page. Validation happens in the
 * dispatcher; this file only checks who is calling.
 */
export function setupIpc({ dispatcher, allowedOrigins, logger }: IpcOptions): Unsubscribe {
  ipcMain.handle(ipcChannels.call, async (event: IpcMainInvokeEvent, method: unknown, input: unknown): Promise<Envelope> => {
    if (!isTrustedSender(event.senderFrame, allowedOrigins)) {
      logger.warn('ipc call refused from an untrusted frame', { method: String(method).slice(0, 80) });
      return { ok: false, error: { code: 'forbidden', message: 'This page may not use the Paddock API.' } };
    }
    return dispatcher.call(method, input);
  });

  const unsubscribers = (Object.keys(apiEvents) as ApiEventName[]).map((name) =>
    dispatcher.subscribe(name, (payload) => {
      for (const contents of webContents.getAllWebContents()) {
        if (!contents.isDestroyed() && isTrustedSender(contents.mainFrame, allowedOrigins)) {
          contents.send(ipcChannels.event, name, payload);
        }
      }
    }),
  );

  return () => {
    ipcMain.removeHandler(ipcChannels.call);
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}
