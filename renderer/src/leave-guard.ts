// "Discard changes?" before the page moves on: a form with unsaved input
// (the provider dialog) holds navigation — the Back key, a link, the tray
// or a notification asking for another screen — until the user has said
// whether to discard. One guard at a time: the form that is open. Closing
// or reloading the window while a guard holds is refused by the page
// (beforeunload); the main process then asks "Discard changes?" in a native
// box (electron/main/windows.ts), a browser with its own question.

/** Asks the user; calls `leave` once they chose to discard. */
export type LeaveGuard = (leave: () => void) => void;

let current: LeaveGuard | null = null;

/** Holds navigation while `guard` is set; returns the function that releases it. */
export function holdNavigation(guard: LeaveGuard): () => void {
  current = guard;
  return () => {
    if (current === guard) current = null;
  };
}

/**
 * For the router's hashchange: when a guard holds, puts the page's address
 * back, asks, and goes on to `newUrl` only once the user discarded. Returns
 * whether the change was held (the router then stays where it is).
 */
export function heldNavigation(oldUrl: string, newUrl: string): boolean {
  const guard = current;
  if (!guard || oldUrl === newUrl) return false;
  window.history.replaceState(window.history.state, '', oldUrl);
  guard(() => {
    if (current === guard) current = null;
    window.location.href = newUrl;
  });
  return true;
}

/** Whether a form holds unsaved input now. */
export function navigationHeld(): boolean {
  return current !== null;
}

/**
 * Keeps the window from closing or reloading without a question while a
 * form holds unsaved input. Returns the function that removes the listener.
 */
export function guardUnload(target: Pick<Window, 'addEventListener' | 'removeEventListener'> = window): () => void {
  const listener = (event: BeforeUnloadEvent) => {
    if (current === null) return;
    event.preventDefault();
    // Older Chromium asks only when returnValue is set.
    event.returnValue = '';
  };
  target.addEventListener('beforeunload', listener);
  return () => target.removeEventListener('beforeunload', listener);
}
