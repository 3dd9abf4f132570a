import { useEffect, useState } from 'react';
import { isPaddockError } from '../../electron/common/errors';

export type Loadable<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'failed'; message: string };

/** Loads a value from the app API once, and again whenever `subscribe` reports a change. */
export function useApiValue<T>(load: () => Promise<T>, subscribe?: (listener: (value: T) => void) => () => void): Loadable<T> {
  const [value, setValue] = useState<Loadable<T>>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    load().then(
      (result) => live && setValue({ state: 'ready', value: result }),
      (error: unknown) => live && setValue({ state: 'failed', message: errorMessage(error) }),
    );
    const unsubscribe = subscribe?.((next) => live && setValue({ state: 'ready', value: next }));
    return () => {
      live = false;
      unsubscribe?.();
    };
    // The API object is stable for the page's life.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return value;
}

export function errorMessage(error: unknown): string {
  if (isPaddockError(error)) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
