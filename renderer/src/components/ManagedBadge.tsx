/** Why something is managed, for the badge's tooltip and screen readers. */
export const managedExplanation = 'Set up by your admin’s policy';

/** "Managed": provisioned by the admin policy (S7). The explanation is in its title and, for screen readers, in the text. */
export function ManagedBadge() {
  return (
    <span className="badge badge-managed" title={managedExplanation}>
      Managed<span className="visually-hidden"> ({managedExplanation.toLowerCase()})</span>
    </span>
  );
}
