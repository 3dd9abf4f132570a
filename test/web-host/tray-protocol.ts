import { z } from 'zod';

// The web host's simulated tray (development and tests only): a page at
// TRAY_PAGE_PATH shows the tray menu the Electron tray would show — built by
// the same function (electron/core/tray-menu.ts) from the same core — and
// posts the chosen item's action back, which the server performs with the
// core's own performer. The page also sets a simulated clipboard and plays
// a link dropped on the icon (macOS). Every request carries the page's
// per-launch token; every body is validated here on arrival.

export const TRAY_PAGE_PATH = '/tray';
export const TRAY_SCRIPT_PATH = '/__paddock/tray.js';
export const TRAY_STYLE_PATH = '/__paddock/tray.css';
export const TRAY_API_PATH = '/__paddock/tray';
export const TRAY_TOKEN_HEADER = 'x-paddock-tray-token';
export const TRAY_TOKEN_META_NAME = 'paddock-tray-token';

export const trayPlatformSchema = z.enum(['linux', 'win32', 'darwin']);
export type TrayPlatform = z.infer<typeof trayPlatformSchema>;

/** What the page posts, with the platform whose menu it shows. The action is checked again by the core's performer (electron/core/tray.ts). */
export const trayRequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('menu'), platform: trayPlatformSchema }).strict(),
  z.object({ type: z.literal('perform'), platform: trayPlatformSchema, action: z.unknown() }).strict(),
  z.object({ type: z.literal('clipboard'), platform: trayPlatformSchema, text: z.string().max(8192) }).strict(),
  z.object({ type: z.literal('drop'), platform: trayPlatformSchema, text: z.string().max(8192) }).strict(),
]);
export type TrayRequest = z.infer<typeof trayRequestSchema>;

const menuItemSchema: z.ZodType<TrayMenuItemJson> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('separator') }).strict(),
    z.object({ type: z.literal('normal'), label: z.string(), enabled: z.boolean(), action: z.unknown() }).strict(),
    z.object({ type: z.literal('submenu'), label: z.string(), enabled: z.boolean(), submenu: z.array(menuItemSchema) }).strict(),
  ]),
);
export type TrayMenuItemJson =
  | { type: 'separator' }
  | { type: 'normal'; label: string; enabled: boolean; action: unknown }
  | { type: 'submenu'; label: string; enabled: boolean; submenu: TrayMenuItemJson[] };

/** The server's answer to every request: the menu as it is now, and what the last request did. */
export const trayAnswerSchema = z
  .object({
    menu: z.array(menuItemSchema),
    /** The icon's words (its tooltip in Electron). */
    title: z.string(),
    /** The icon's image, as a data: URL of the PNG the Electron tray shows. */
    icon: z.string(),
    /** A change counter: the page redraws only when it moved. */
    version: z.number().int().nonnegative(),
    /** What the request did, in words, for the page's status line; null for a plain menu request. */
    outcome: z.string().nullable(),
  })
  .strict();
export type TrayAnswer = z.infer<typeof trayAnswerSchema>;
