import { fingerprintGroups } from '../format';

/**
 * A fingerprint in monospace, in groups of four for comparing by eye. The
 * groups are spaced by CSS, so selecting and copying gives the exact value.
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
