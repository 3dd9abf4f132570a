import { useEffect, useRef } from 'react';
import type { PaddockApi } from '../../../../electron/common/api';

/**
 * Calls `onNew` when a request to create an environment (a paddock://open
 * link, the command line's `open <url>`) is waiting that this window has not
 * seen yet: those waiting when the window starts, and each that arrives
 * later. The Environments screen then shows it for the user to answer.
 */
export function useRequestArrivals(api: PaddockApi, onNew: () => void): void {
  const seen = useRef(new Set<string>());
  const callback = useRef(onNew);
  useEffect(() => {
    callback.current = onNew;
  });
  useEffect(() => {
    let live = true;
    const take = (list: { id: string }[]) => {
      if (!live) return;
      const fresh = list.filter((request) => !seen.current.has(request.id));
      for (const request of fresh) seen.current.add(request.id);
      if (fresh.length > 0) callback.current();
    };
    const unsubscribe = api.onEnvironmentRequestsChanged(take);
    api.listEnvironmentRequests().then(take, () => {});
    return () => {
      live = false;
      unsubscribe();
    };
  }, [api]);
}
