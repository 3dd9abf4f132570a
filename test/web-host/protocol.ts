import { z } from 'zod';
import { envelopeSchema } from '../../electron/common/api';

/** Messages of the WebSocket bridge, validated on arrival at both ends. */
export const clientMessageSchema = z
  .object({
    type: z.literal('call'),
    id: z.number().int().nonnegative(),
    method: z.string().max(100),
    input: z.unknown(),
  })
  .strict();
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export const serverMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('result'), id: z.number().int().nonnegative(), envelope: envelopeSchema }).strict(),
  z.object({ type: z.literal('event'), event: z.string(), payload: z.unknown() }).strict(),
  /** "Open in the system browser": the page opens the address in a new tab of its own browser. */
  z.object({ type: z.literal('open-external'), url: z.url({ protocol: /^https?$/ }).max(8192) }).strict(),
  /** "Bring the window to the front" (a notification was clicked): the page focuses itself where the browser lets it. */
  z.object({ type: z.literal('show-window') }).strict(),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;

/** The subprotocol that carries the per-launch token: `paddock-bridge.<token>`. */
export const BRIDGE_PROTOCOL_PREFIX = 'paddock-bridge.';
export const BRIDGE_PATH = '/__paddock/bridge';
export const BRIDGE_SCRIPT_PATH = '/__paddock/bridge.js';
export const TOKEN_META_NAME = 'paddock-bridge-token';
