import type { ProviderValidation, ValidationCheck } from '../../../../electron/common/provider-config';
import { checkGroupLabels, type CheckGroup } from '../../provider-form';

const levelGlyphs: Record<ValidationCheck['level'], string> = { ok: '✓', warning: '▲', error: '✕' };
const levelWords: Record<ValidationCheck['level'], string> = { ok: 'Passed', warning: 'Warning', error: 'Error' };

/** One check: a glyph and a word as well as a colour, so the level never rests on colour. */
export function CheckItem({ check }: { check: ValidationCheck }) {
  return (
    <li className={`check check-${check.level}`}>
      <span className="check-level">
        <span aria-hidden="true">{levelGlyphs[check.level]} </span>
        {levelWords[check.level]}:
      </span>{' '}
      {check.message}
    </li>
  );
}

/**
 * The runner's validation in three groups (S5): Host, OAuth, Personal
 * Access Token, each a region of its own so problems are never mixed.
 * `empty` is what a group without checks says ("Not checked yet." while a
 * check is still running).
 */
export function ValidationGroups({
  validation,
  idPrefix,
  empty = 'Nothing to report.',
}: {
  validation: ProviderValidation;
  idPrefix: string;
  empty?: string;
}) {
  return (
    <div className="check-groups">
      {(['host', 'oauth', 'pat'] as const satisfies readonly CheckGroup[]).map((group) => {
        const checks = validation[group];
        const id = `${idPrefix}-${group}`;
        return (
          <section key={group} className="check-group" aria-labelledby={id}>
            <h4 id={id}>{checkGroupLabels[group]}</h4>
            {checks.length === 0 ? (
              <p className="muted">{empty}</p>
            ) : (
              <ul className="check-list">
                {checks.map((check, index) => (
                  <CheckItem key={index} check={check} />
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </div>
  );
}
