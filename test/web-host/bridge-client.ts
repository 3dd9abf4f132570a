// Runs in the page served by the web host, before the app: it plays the
// preload's part and puts `window.paddock` on the page, over a WebSocket.
import { createApiClient, type ApiEventName, type Envelope } from '../../electron/common/api';
import { BRIDGE_PATH, BRIDGE_PROTOCOL_PREFIX, serverMessageSchema, TOKEN_META_NAME } from './protocol';

const token = document.querySelector<HTMLMetaElement>(`meta[name="${TOKEN_META_NAME}"]`)?.content ?? '';
const socket = new WebSocket(`ws://${location.host}${BRIDGE_PATH}`, [`${BRIDGE_PROTOCOL_PREFIX}${token}`]);
const opened = new Promise<void>((resolve, reject) => {
  socket.addEventListener('open', () => resolve(), { once: true });
  socket.addEventListener('error', () => reject(new Error('The web host refused the bridge connection.')), { once: true });
});

let nextId = 0;
const pending = new Map<number, (envelope: Envelope) => void>();
const listeners = new Map<string, Set<(payload: unknown) => void>>();

socket.addEventListener('message', (message) => {
  const parsed = serverMessageSchema.safeParse(JSON.parse(String(message.data)));
  if (!parsed.success) return;
  const data = parsed.data;
  if (data.type === 'result') {
    pending.get(data.id)?.(data.envelope);
    pending.delete(data.id);
  } else if (data.type === 'open-external') {
    // The schema let through http(s) only; the new tab gets neither this page nor its address.
    window.open(data.url, '_blank', 'noopener,noreferrer');
  } else if (data.type === 'show-window') {
    window.focus();
  } else {
    for (const listener of listeners.get(data.event) ?? []) listener(data.payload);
  }
});

socket.addEventListener('close', () => {
  for (const resolve of pending.values()) {
    resolve({ ok: false, error: { code: 'runner-unavailable', message: 'The connection to the web host was closed.' } });
  }
  pending.clear();
});

const paddock = createApiClient({
  async call(method, input) {
    await opened;
    const id = nextId++;
    return new Promise<Envelope>((resolve) => {
      pending.set(id, resolve);
      // JSON.stringify drops undefined, as Electron's structured clone would not:
      // both transports send null for "no input".
      socket.send(JSON.stringify({ type: 'call', id, method, input: input === undefined ? null : input }));
    });
  },
  subscribe(event: ApiEventName, listener) {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  },
});

Object.defineProperty(window, 'paddock', { value: Object.freeze(paddock), enumerable: true });
