import type { ApiEventName, EventPayload, Unsubscribe } from '../common/api';

type Listener<K extends ApiEventName> = (payload: EventPayload<K>) => void;

/** A typed event hub for the app API's events. */
export class ApiEventHub {
  readonly #listeners = new Map<ApiEventName, Set<(payload: never) => void>>();

  on<K extends ApiEventName>(event: K, listener: Listener<K>): Unsubscribe {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as (payload: never) => void);
    return () => {
      set.delete(listener as (payload: never) => void);
    };
  }

  emit<K extends ApiEventName>(event: K, payload: EventPayload<K>): void {
    for (const listener of this.#listeners.get(event) ?? []) {
      try {
        (listener as Listener<K>)(payload);
      } catch {
        // One failing listener (say, a closed window) must not starve the others.
      }
    }
  }
}
