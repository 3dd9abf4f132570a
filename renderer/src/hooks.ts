import { useCallback, useEffect, useState } from 'react';
import type { PaddockApi, Runner } from '../../electron/common/api';
import { paddockErrorData } from '../../electron/common/errors';

export type Loadable<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'failed'; message: string };

/** Loads a value from the app API once, and again whenever `subscribe` reports a change. */
export function useApiValue<T>(load: () => Promise<T>, subscribe?: (listener: (value: T) => void) => () => void): Loadable<T> {
  const [value, setValue] = useState<Loadable<T>>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    // An event that arrives before the first load answers is newer than that answer.
    let changed = false;
    load().then(
      (result) => live && !changed && setValue({ state: 'ready', value: result }),
      (error: unknown) => live && !changed && setValue({ state: 'failed', message: errorMessage(error) }),
    );
    const unsubscribe = subscribe?.((next) => {
      changed = true;
      if (live) setValue({ state: 'ready', value: next });
    });
    return () => {
      live = false;
      unsubscribe?.();
    };
    // The API object is stable for the page's life.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return value;
}

/** The runners with their live health. */
export function useRunners(api: PaddockApi): Loadable<Runner[]> {
  return useApiValue(
    () => api.listRunners(),
    (listener) => api.onRunnersChanged(listener),
  );
}

/** The current time, again every `intervalMs`, so relative times ("2 minutes ago") stay true. */
export function useNow(intervalMs = 15_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function errorMessage(error: unknown): string {
  const data = paddockErrorData(error);
  if (data) return data.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

/**
 * Returns `focusAfterRender(target)`: focuses what `target()` returns once
 * the state updates made together with the call are on the page (an error
 * message and its field, a new step's heading). Kept in state rather than a
 * ref, so that an effect of an earlier render cannot use it up too soon.
 */
export function useFocusAfterRender(): (target: () => HTMLElement | null) => void {
  const [request, setRequest] = useState<{ target: () => HTMLElement | null } | null>(null);
  useEffect(() => {
    request?.target()?.focus();
  }, [request]);
  return useCallback((target: () => HTMLElement | null) => setRequest({ target }), []);
}
