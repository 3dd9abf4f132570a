import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { errorMessage } from '../hooks';

/** One way to confirm: what the button says, what it says while it works, and the work. */
export interface ConfirmAction {
  label: string;
  /** The button's text while `run` is in progress ("Removing…"). */
  busyLabel: string;
  /**
   * Does what was confirmed and whatever follows a success (an outcome
   * shown, focus moved, another page). The dialog closes once it resolves;
   * when it rejects, its message is shown and the dialog stays open.
   */
  run: () => Promise<void>;
}

/**
 * A modal confirmation (a native <dialog>) for a step that cannot be undone:
 * a title, what happens, the confirming button and Cancel, which has focus
 * first because it is the safe choice. While the action runs, the buttons
 * are disabled and Escape does not close the dialog. Closed without a
 * success (Cancel, Escape), focus goes back to the element that opened it,
 * or to `fallbackFocus` when that element has left the page; after a
 * success the caller decides where focus goes.
 *
 * Render it only while it is open: it opens when it mounts, and calls
 * `onClose` once it has closed.
 */
export function ConfirmDialog({
  title,
  children,
  confirm,
  fallback,
  cancelLabel = 'Cancel',
  onClose,
  fallbackFocus,
}: {
  title: ReactNode;
  /** What confirming does: the dialog's accessible description. */
  children: ReactNode;
  confirm: ConfirmAction;
  /**
   * A second, stronger way to confirm, offered only after `confirm` failed in
   * a way it gets past (for example: remove a runner that cannot be reached
   * from Paddock alone). `offerAfter` decides from the error.
   */
  fallback?: ConfirmAction & { offerAfter: (error: unknown) => boolean };
  /** What the safe choice says ("Keep editing"); Cancel by default. */
  cancelLabel?: string;
  /** Called after the dialog has closed; `confirmed` is true when an action succeeded. */
  onClose: (confirmed: boolean) => void;
  /** Where focus goes when the element that opened the dialog is no longer on the page. */
  fallbackFocus?: () => HTMLElement | null;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const opener = useRef<Element | null>(null);
  const confirmed = useRef(false);
  const live = useRef(true);
  const [running, setRunning] = useState<'confirm' | 'fallback' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [offerFallback, setOfferFallback] = useState(false);
  const titleId = useId();
  const descriptionId = useId();
  const busy = running !== null;

  useEffect(() => {
    live.current = true;
    const element = dialog.current;
    if (element && !element.open) {
      // Read before showModal moves focus; under StrictMode the effect runs twice, the dialog opens once.
      opener.current = document.activeElement;
      element.showModal();
      // Start on Cancel, the safe choice.
      cancel.current?.focus();
    }
    return () => {
      live.current = false;
    };
  }, []);

  const run = (which: 'confirm' | 'fallback') => {
    const action = which === 'confirm' ? confirm : fallback;
    if (busy || !action) return;
    setRunning(which);
    setError(null);
    action.run().then(
      () => {
        confirmed.current = true;
        // The caller may have left the page already (navigated away).
        if (live.current) setRunning(null);
        dialog.current?.close();
      },
      (e: unknown) => {
        if (!live.current) return;
        setRunning(null);
        setError(errorMessage(e));
        setOfferFallback(fallback?.offerAfter(e) ?? false);
      },
    );
  };

  const closed = () => {
    if (!confirmed.current) {
      const back = opener.current;
      const target = back instanceof HTMLElement && back.isConnected ? back : (fallbackFocus?.() ?? null);
      target?.focus();
    }
    onClose(confirmed.current);
  };

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      onCancel={(event) => {
        // Escape cancels, but not while the action runs.
        if (busy) event.preventDefault();
      }}
      onClose={closed}
    >
      <h2 id={titleId}>{title}</h2>
      <div id={descriptionId}>{children}</div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="button" className="button-danger" onClick={() => run('confirm')} aria-disabled={busy || undefined}>
          {running === 'confirm' ? confirm.busyLabel : confirm.label}
        </button>
        {fallback && offerFallback && (
          <button type="button" onClick={() => run('fallback')} aria-disabled={busy || undefined}>
            {running === 'fallback' ? fallback.busyLabel : fallback.label}
          </button>
        )}
        <button type="button" ref={cancel} onClick={() => !busy && dialog.current?.close()} aria-disabled={busy || undefined}>
          {cancelLabel}
        </button>
      </div>
    </dialog>
  );
}
