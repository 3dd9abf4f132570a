import {
  apiEvents,
  apiMethods,
  eventSubscriberName,
  isApiEventName,
  isApiMethodName,
  type ApiEventName,
  type Envelope,
  type PaddockApi,
  type Unsubscribe,
} from '../../common/api';
import { invalidArgument, isPaddockError, PaddockError } from '../../common/errors';
import type { Logger } from '../logger';

/**
 * The arrival side of every transport (Electron IPC, the WebSocket bridge):
 * it checks the method name and validates the argument against the
 * contract's schema before the core sees it, and the result before the
 * renderer sees it. Transports carry calls; they decide nothing else.
 */
export interface ApiDispatcher {
  call(method: unknown, input: unknown): Promise<Envelope>;
  /** Throws a PaddockError ('unknown-method') for an event the contract does not have. */
  subscribe(event: unknown, listener: (payload: unknown) => void): Unsubscribe;
}

export function createApiDispatcher(api: PaddockApi, logger: Logger): ApiDispatcher {
  return {
    async call(method, input) {
      try {
        if (!isApiMethodName(method)) {
          throw new PaddockError('unknown-method', `Paddock has no method called ${JSON.stringify(String(method)).slice(0, 80)}.`);
        }
        const spec = apiMethods[method];
        // JSON has no undefined: a method without input may arrive with none.
        const parsed = spec.input.safeParse(input === undefined ? null : input);
        if (!parsed.success) throw invalidArgument(`argument to ${method}`, parsed.error);
        const fn = api[method] as (input: unknown) => Promise<unknown>;
        const result = await fn(parsed.data);
        const checked = spec.output.safeParse(result);
        if (!checked.success) {
          logger.error('api result failed its schema', { method, issues: checked.error.issues.map((i) => i.path.join('.')) });
          throw new PaddockError('internal', `Paddock produced an invalid answer to ${method}. This is a bug; details are in the log.`);
        }
        return { ok: true, value: checked.data };
      } catch (error) {
        if (error instanceof PaddockError || isPaddockError(error)) {
          const data = error instanceof PaddockError ? error.toData() : error;
          return { ok: false, error: data };
        }
        // Unknown errors may carry anything: log them, send a generic sentence.
        logger.error('api method failed', { method: String(method), error });
        return {
          ok: false,
          error: { code: 'internal', message: `Paddock could not complete ${String(method)}. Details are in the log.` },
        };
      }
    },

    subscribe(event, listener) {
      if (!isApiEventName(event)) {
        throw new PaddockError('unknown-method', `Paddock has no event called ${JSON.stringify(String(event)).slice(0, 80)}.`);
      }
      const name: ApiEventName = event;
      const subscribe = api[eventSubscriberName(name)] as (listener: (payload: unknown) => void) => Unsubscribe;
      return subscribe((payload) => {
        const checked = apiEvents[name].safeParse(payload);
        if (!checked.success) {
          logger.error('api event failed its schema', { event: name });
          return;
        }
        listener(checked.data);
      });
    },
  };
}
