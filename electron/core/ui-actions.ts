import type { UiAction } from '../common/api';

/** How many actions wait at most; the oldest goes when more arrive (nobody clicks twenty tray items before the window loads). */
export const MAX_WAITING_UI_ACTIONS = 20;

/**
 * What the main process asked the window to show (a tray item, a
 * notification was clicked) and the window has not taken yet. The window
 * takes them when it has loaded and whenever `onWaiting` tells it more
 * arrived; each is given once, in order. The same action twice in a row
 * counts once (a double click on a tray item).
 */
export class UiActionQueue {
  #waiting: UiAction[] = [];
  readonly #onWaiting: (count: number) => void;
  readonly #max: number;

  constructor(onWaiting: (count: number) => void, max = MAX_WAITING_UI_ACTIONS) {
    this.#onWaiting = onWaiting;
    this.#max = max;
  }

  push(action: UiAction): void {
    const last = this.#waiting.at(-1);
    if (last && JSON.stringify(last) === JSON.stringify(action)) return;
    this.#waiting = [...this.#waiting, action].slice(-this.#max);
    this.#onWaiting(this.#waiting.length);
  }

  /** The waiting actions, oldest first; the queue is empty afterwards. */
  take(): UiAction[] {
    const taken = this.#waiting;
    this.#waiting = [];
    return taken;
  }
}
