import { createHash, timingSafeEqual } from 'node:crypto';
import fsp from 'node:fs/promises';
import type http from 'node:http';
import { paddockErrorData } from '../../electron/common/errors';
import type { PaddockCore } from '../../electron/core/app-core';
import type { Logger } from '../../electron/core/logger';
import { repositoryUrlIn, type TrayActionResult } from '../../electron/core/tray';
import { trayMenu, trayTitle, type TrayMenuItem } from '../../electron/core/tray-menu';
import { trayIconPngs } from '../../electron/main/tray-icons';
import {
  TRAY_API_PATH,
  TRAY_PAGE_PATH,
  TRAY_SCRIPT_PATH,
  TRAY_STYLE_PATH,
  TRAY_TOKEN_HEADER,
  TRAY_TOKEN_META_NAME,
  trayRequestSchema,
  type TrayAnswer,
  type TrayPlatform,
  type TrayRequest,
} from './tray-protocol';

// The web host's simulated tray (./tray-protocol.ts): the same menu as the
// Electron tray (electron/main/tray.ts), from the same pure function and
// the same core, with a simulated clipboard instead of the system's. A
// development and test tool: never part of the renderer bundle or the app.

export interface SimulatedTray {
  /** What the simulated clipboard holds. */
  readonly clipboard: string;
  setClipboard(text: string): void;
  /** The menu as the tray would show it now on `platform`. */
  menu(platform?: TrayPlatform): TrayMenuItem[];
  /** Performs an item's action as a click in the Electron tray does (with the simulated clipboard). */
  perform(action: unknown): Promise<TrayActionResult>;
  /** Text dropped on the icon (macOS): whether it became an environment request. */
  drop(text: string): boolean;
  /** How often an action asked for the window to be shown, and for the app to quit (the web host does neither). */
  readonly windowShown: number;
  readonly quitRequested: number;
}

const MAX_BODY = 64 * 1024;

const style = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { margin: 0; background: light-dark(#f6f7f9, #16181d); color: light-dark(#1b1f24, #e8eaed); }
main { max-width: 40rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.5rem; margin: 0 0 0.5rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 0.5rem; }
.icon-line { display: flex; gap: 0.75rem; align-items: center; }
.icon-line img { image-rendering: pixelated; background: light-dark(#fff, #2a2d34); border-radius: 4px; padding: 4px; }
form, .platform { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
input[type=text] { flex: 1 1 20rem; font: inherit; padding: 0.35rem 0.5rem; }
button, select { font: inherit; padding: 0.3rem 0.7rem; }
.tray-menu { list-style: none; margin: 0.5rem 0 0; padding: 0.25rem; background: light-dark(#fff, #22252b); border: 1px solid light-dark(#c9ced6, #444a55); border-radius: 6px; }
.tray-menu .tray-menu { margin: 0.25rem 0 0.25rem 1.25rem; }
.tray-menu li { margin: 0.1rem 0; }
.tray-menu button { width: 100%; text-align: left; background: none; border: 1px solid transparent; border-radius: 4px; color: inherit; }
.tray-menu button:enabled:hover { background: light-dark(#e7efff, #2d3a55); }
.tray-menu button:disabled { color: light-dark(#4d5560, #b3b9c2); }
.tray-menu hr { border: 0; border-top: 1px solid light-dark(#c9ced6, #444a55); margin: 0.3rem 0; }
.submenu-label { display: block; padding: 0.3rem 0.7rem; font-weight: 600; }
:focus-visible { outline: 3px solid light-dark(#2563eb, #93b4ff); outline-offset: 1px; }
#outcome:empty { display: none; }
#outcome { padding: 0.5rem 0.75rem; border-radius: 4px; background: light-dark(#e9f5ec, #1d3325); }
`;

function page(token: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="${TRAY_TOKEN_META_NAME}" content="${token}" />
    <title>Simulated tray · Paddock</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${TRAY_STYLE_PATH}" />
    <script type="module" src="${TRAY_SCRIPT_PATH}"></script>
  </head>
  <body>
    <main>
      <h1>Simulated tray</h1>
      <p>The menu of Paddock’s tray icon, for trying it in the web host. Choosing an item does what it does in the app; the app’s window is the other tab.</p>
      <section aria-labelledby="icon-heading">
        <h2 id="icon-heading">Icon</h2>
        <p class="icon-line"><img id="tray-icon" alt="" width="32" height="32" /> <span id="tray-title">Loading…</span></p>
      </section>
      <section aria-labelledby="clipboard-heading">
        <h2 id="clipboard-heading">Clipboard</h2>
        <form id="clipboard-form">
          <label for="clipboard">Simulated clipboard</label>
          <input id="clipboard" type="text" autocomplete="off" spellcheck="false" />
          <button type="submit">Copy</button>
          <button type="button" id="drop">Drop on the icon (macOS)</button>
        </form>
      </section>
      <section aria-labelledby="menu-heading">
        <h2 id="menu-heading">Menu</h2>
        <p class="platform">
          <label for="platform">Show it as on</label>
          <select id="platform">
            <option value="linux">Linux</option>
            <option value="win32">Windows</option>
            <option value="darwin">macOS</option>
          </select>
        </p>
        <p id="outcome" role="status"></p>
        <div id="menu"></div>
      </section>
    </main>
  </body>
</html>
`;
}

export function createSimulatedTray({ core, logger, token, scriptFile }: { core: PaddockCore; logger: Logger; token: string; scriptFile: string }) {
  let clipboard = '';
  let version = 0;
  let windowShown = 0;
  let quitRequested = 0;
  const unsubscribe = core.main.onTrayStateChanged(() => {
    version += 1;
  });
  const tokenHash = createHash('sha256').update(token).digest();

  const menu = (platform: TrayPlatform = 'linux') => {
    const state = core.main.trayState();
    return trayMenu(state, { platform, clipboardUrl: repositoryUrlIn(clipboard, state) });
  };

  const perform = async (action: unknown): Promise<TrayActionResult> => {
    const result = await core.main.performTrayAction(action, { clipboardText: clipboard });
    if (result === 'show-window') windowShown += 1;
    if (result === 'quit') quitRequested += 1;
    version += 1;
    return result;
  };

  const drop = (text: string) => {
    version += 1;
    const taken = core.main.environmentFromTrayDrop(text);
    if (taken) windowShown += 1;
    return taken;
  };

  const outcomeOf = async (request: TrayRequest): Promise<string | null> => {
    switch (request.type) {
      case 'menu':
        return null;
      case 'clipboard':
        clipboard = request.text;
        version += 1;
        return 'The simulated clipboard holds this text now.';
      case 'drop':
        return drop(request.text)
          ? 'Dropped: the link waits for your confirmation in Paddock’s window.'
          : 'Dropped, but it is not a repository link Paddock can use: nothing happened.';
      case 'perform':
        try {
          const result = await perform(request.action);
          return result === 'show-window'
            ? 'Done: it goes on in Paddock’s window.'
            : result === 'quit'
              ? 'Paddock would quit now (the web host keeps running).'
              : 'Done.';
        } catch (error) {
          return paddockErrorData(error)?.message ?? 'That did not work.';
        }
    }
  };

  const answer = async (request: TrayRequest): Promise<TrayAnswer> => {
    const outcome = await outcomeOf(request);
    const state = core.main.trayState();
    return {
      menu: menu(request.platform),
      title: trayTitle(state),
      icon: `data:image/png;base64,${trayIconPngs[state.overall].x2}`,
      version,
      outcome,
    };
  };

  const send = (response: http.ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string>) => {
    response.writeHead(status, { ...headers, 'Content-Type': type });
    response.end(body);
  };

  /** Serves the page, its script and style, and its requests; false for any other path. */
  const serve = async (request: http.IncomingMessage, response: http.ServerResponse, pathname: string, origin: string, headers: Record<string, string>): Promise<boolean> => {
    const get = request.method === 'GET' || request.method === 'HEAD';
    if (pathname === TRAY_PAGE_PATH && get) {
      send(response, 200, 'text/html; charset=utf-8', page(token), headers);
      return true;
    }
    if (pathname === TRAY_SCRIPT_PATH && get) {
      send(response, 200, 'text/javascript; charset=utf-8', await fsp.readFile(scriptFile), headers);
      return true;
    }
    if (pathname === TRAY_STYLE_PATH && get) {
      send(response, 200, 'text/css; charset=utf-8', style, headers);
      return true;
    }
    if (pathname !== TRAY_API_PATH) return false;
    if (request.method !== 'POST') {
      send(response, 405, 'text/plain; charset=utf-8', 'Method not allowed', headers);
      return true;
    }
    // Only the page itself: its origin, and the token it was served with.
    const presented = String(request.headers[TRAY_TOKEN_HEADER] ?? '');
    if (request.headers.origin !== origin || !timingSafeEqual(createHash('sha256').update(presented).digest(), tokenHash)) {
      logger.warn('web host refused a simulated tray request', { reason: 'origin or token' });
      send(response, 403, 'text/plain; charset=utf-8', 'Forbidden', headers);
      return true;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) {
        send(response, 413, 'text/plain; charset=utf-8', 'Too large', headers);
        return true;
      }
      chunks.push(chunk as Buffer);
    }
    let json: unknown;
    try {
      json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      json = undefined;
    }
    const parsed = trayRequestSchema.safeParse(json);
    if (!parsed.success) {
      send(response, 400, 'text/plain; charset=utf-8', 'Not a simulated tray request', headers);
      return true;
    }
    send(response, 200, 'application/json; charset=utf-8', JSON.stringify(await answer(parsed.data)), headers);
    return true;
  };

  const tray: SimulatedTray = {
    get clipboard() {
      return clipboard;
    },
    setClipboard(text) {
      clipboard = text;
      version += 1;
    },
    menu,
    perform,
    drop,
    get windowShown() {
      return windowShown;
    },
    get quitRequested() {
      return quitRequested;
    },
  };
  return { tray, serve, dispose: unsubscribe };
}
