import { useEffect, useRef, useState } from 'react';

type Outcome = { kind: 'copied' } | { kind: 'failed' } | null;

/**
 * A "Copy" button for `text`. `what` completes its accessible name ("Copy
 * the public key"). The outcome is said in a polite live region next to it.
 */
export function CopyButton({ text, what }: { text: string; what: string }) {
  const [outcome, setOutcome] = useState<Outcome>(null);
  const timer = useRef<number | undefined>(undefined);

  useEffect(() => () => window.clearTimeout(timer.current), []);

  const copy = async () => {
    window.clearTimeout(timer.current);
    let next: Outcome;
    try {
      await navigator.clipboard.writeText(text);
      next = { kind: 'copied' };
    } catch {
      next = { kind: 'failed' };
    }
    setOutcome(next);
    timer.current = window.setTimeout(() => setOutcome(null), next.kind === 'copied' ? 4000 : 10_000);
  };

  return (
    <span className="copy">
      <button type="button" onClick={() => void copy()}>
        Copy<span className="visually-hidden"> {what}</span>
      </button>
      <span role="status" className={outcome?.kind === 'failed' ? 'copy-status error' : 'copy-status'}>
        {outcome?.kind === 'copied' && 'Copied'}
        {outcome?.kind === 'failed' && 'Could not copy. Select the text and copy it with the keyboard.'}
      </span>
    </span>
  );
}
