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

/** The index stamped on the history entry the page is at (noteHistoryEntry). */
let position = 0;
/** The address our own undo of a held move returns to: its hashchange is ours, not the user's. */
let undoing: string | null = null;

function indexOf(state: unknown): number | null {
  if (typeof state !== 'object' || state === null) return null;
  const index = (state as { paddockIndex?: unknown }).paddockIndex;
  return typeof index === 'number' ? index : null;
}

/**
 * For the router, at start and after every hash change it takes: stamps
 * the history entry with its index, so a held move can be undone exactly
 * (a new entry, or Back and Forward over several).
 */
export function noteHistoryEntry(): void {
  const stamped = indexOf(window.history.state);
  if (stamped !== null) {
    position = stamped;
    return;
  }
  position += 1;
  window.history.replaceState({ ...((window.history.state as object | null) ?? {}), paddockIndex: position }, '');
}

/**
 * For the router's hashchange: when a guard holds, moves the history back
 * to the entry the page was at (no entry added), asks, and goes on to
 * `newUrl` only once the user discarded. Returns whether the change was
 * held (the router then stays where it is).
 */
export function heldNavigation(oldUrl: string, newUrl: string): boolean {
  if (undoing !== null) {
    const back = undoing;
    undoing = null;
    if (newUrl === back) return true;
  }
  const guard = current;
  if (!guard || oldUrl === newUrl) return false;
  const arrived = indexOf(window.history.state);
  // A link or the tray pushed a new entry just past the page's (not stamped yet); Back or Forward moved to a stamped one.
  const delta = arrived === null ? -1 : position - arrived;
  if (delta === 0) window.history.replaceState(window.history.state, '', oldUrl);
  else {
    undoing = oldUrl;
    window.history.go(delta);
  }
  guard(() => {
    if (current === guard) current = null;
    undoing = null;
    if (arrived === null || delta === 0) window.location.href = newUrl;
    else window.history.go(-delta);
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
