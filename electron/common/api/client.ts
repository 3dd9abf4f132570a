import { PaddockError } from '../errors';
import {
  apiEvents,
  apiMethods,
  envelopeSchema,
  eventSubscriberName,
  type ApiEventName,
  type ApiMethodName,
  type Envelope,
  type PaddockApi,
  type Unsubscribe,
} from './contract';

/** What a transport must offer to carry the app API (renderer side). */
export interface ClientTransport {
  call(method: ApiMethodName, input: unknown): Promise<Envelope>;
  subscribe(event: ApiEventName, listener: (payload: unknown) => void): Unsubscribe;
}

/**
 * Builds a typed `PaddockApi` over any transport. Used by the WebSocket
 * bridge; the Electron preload builds the same shape without runtime imports
 * from common (ARCHITECTURE.md: preload imports types only).
 */
export function createApiClient(transport: ClientTransport): PaddockApi {
  const api: Record<string, unknown> = {};
  for (const name of Object.keys(apiMethods) as ApiMethodName[]) {
    api[name] = async (input: unknown = null) => {
      const envelope = envelopeSchema.parse(await transport.call(name, input));
      if (!envelope.ok) throw PaddockError.fromData(envelope.error);
      return envelope.value;
    };
  }
  for (const event of Object.keys(apiEvents) as ApiEventName[]) {
    api[eventSubscriberName(event)] = (listener: (payload: unknown) => void) => transport.subscribe(event, listener);
  }
  return api as PaddockApi;
}
