import { act, cleanup, waitFor } from '@testing-library/react';
import { afterEach, expect } from 'vitest';

// Shared by the renderer's component tests, which run under happy-dom
// (`// @vitest-environment happy-dom` at the top of each file).

// Vitest runs without globals, so Testing Library cannot register its own cleanup.
afterEach(() => cleanup());

/**
 * What a browser does when Escape is pressed in a modal <dialog>, which
 * happy-dom does not: a cancelable `cancel` event, then the dialog closes
 * unless a listener cancelled it. (The real key press is covered by the e2e
 * tests in Chromium.)
 */
export function pressEscapeIn(dialog: HTMLDialogElement): void {
  act(() => {
    const event = new Event('cancel', { cancelable: true });
    dialog.dispatchEvent(event);
    if (!event.defaultPrevented) dialog.close();
  });
}

/** A promise the test settles when it wants: an API call still in flight. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** The text of the elements an element's aria-describedby names: what a screen reader reads after its name. */
export function descriptionOf(element: Element): string {
  const ids = element.getAttribute('aria-describedby')?.split(/\s+/).filter(Boolean) ?? [];
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
}

/**
 * A confirmation's confirm button once it can be pressed: it stays disabled
 * for a moment after the confirmation's content changed (CreateEnvironment's
 * confirmSettleMs). The tests of that wait use fake timers; the others wait here.
 */
export async function whenEnabled(button: HTMLElement): Promise<HTMLElement> {
  await waitFor(() => expect((button as HTMLButtonElement).disabled).toBe(false), { timeout: 3000 });
  return button;
}
