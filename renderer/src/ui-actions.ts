import { useEffect, useRef } from 'react';
import type { PaddockApi, UiAction } from '../../electron/common/api';

/**
 * Takes what the main process asked the window to show (a tray item or a
 * notification was clicked: `takeUiActions`) once the app has loaded, and
 * again whenever `uiActionsWaiting` says more arrived, and hands each to
 * `onAction` once, oldest first. One take at a time: a signal that comes
 * while one is under way takes again after it.
 */
export function useUiActions(api: PaddockApi, onAction: (action: UiAction) => void): void {
  const callback = useRef(onAction);
  useEffect(() => {
    callback.current = onAction;
  });
  useEffect(() => {
    let live = true;
    let taking = false;
    let again = false;
    const take = () => {
      if (taking) {
        again = true;
        return;
      }
      taking = true;
      api.takeUiActions().then(
        // Taken is taken: delivered even if the effect was just set up again (StrictMode), never dropped.
        (actions) => {
          for (const action of actions) callback.current(action);
        },
        () => {},
      ).finally(() => {
        taking = false;
        if (again && live) {
          again = false;
          take();
        }
      });
    };
    const unsubscribe = api.onUiActionsWaiting(() => take());
    take();
    return () => {
      live = false;
      unsubscribe();
    };
  }, [api]);
}
