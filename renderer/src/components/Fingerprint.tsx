import { useId, useState } from 'react';
import { compareFingerprint } from '../fingerprint';
import { fingerprintGroups, textGroups } from '../format';

/**
 * A fingerprint in monospace, in groups of four for comparing by eye. The
 * groups are spaced by CSS, so selecting and copying gives the exact value,
 * and a narrow window breaks the line between groups, never inside one.
 */
export function Fingerprint({ spki, id }: { spki: string; id?: string }) {
  const { prefix, groups } = fingerprintGroups(spki);
  return (
    <code className="fingerprint" id={id}>
      <span className="fingerprint-prefix">{prefix}</span>
      {groups.map((group, index) => (
        <span key={index} className="fingerprint-group">
          {group}
        </span>
      ))}
    </code>
  );
}

/** A key (base64) in groups of eight, so that a narrow window wraps it between groups; copying gives it exactly. */
export function KeyText({ value }: { value: string }) {
  return (
    <code className="key">
      {textGroups(value, 8).map((group, index) => (
        <span key={index} className="key-group">
          {group}
        </span>
      ))}
    </code>
  );
}

/**
 * "Paste to compare": the fingerprint the runner printed, pasted, says at
 * once whether it is the one Paddock reached. Spaces, line breaks and the
 * "Fingerprint:" label do not matter; nor do colons and case in hex.
 */
export function FingerprintCompare({ spki }: { spki: string }) {
  const [pasted, setPasted] = useState('');
  const id = useId();
  const result = compareFingerprint(pasted, spki);
  return (
    <div className="field fingerprint-compare">
      <label htmlFor={id}>Paste the runner’s fingerprint to compare</label>
      <p className="field-hint" id={`${id}-hint`}>
        What the runner printed after “Fingerprint:”. Spaces and line breaks do not matter.
      </p>
      <input
        id={id}
        type="text"
        autoComplete="off"
        spellCheck={false}
        value={pasted}
        onChange={(event) => setPasted(event.target.value)}
        aria-describedby={`${id}-hint ${id}-result`}
      />
      <p id={`${id}-result`} role="status" className={`compare-result compare-${result}`}>
        {result === 'match' && (
          <>
            <span aria-hidden="true">✓ </span>Match: it is the fingerprint of the runner Paddock reached.
          </>
        )}
        {result === 'mismatch' && (
          <>
            <span aria-hidden="true">✕ </span>No match: do not add this runner. Check that you pasted the whole fingerprint, and the URL.
          </>
        )}
      </p>
    </div>
  );
}
