import type { ProviderCheckState, ProviderValidation, ValidationCheck } from '../../../../electron/common/provider-config';
import { exactTime, relativeTime } from '../../format';
import { useNow } from '../../hooks';
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
 * What the runner found about one part of the form (Host, OAuth, Personal
 * Access Token), shown under that part: nothing while there is nothing.
 */
export function SectionChecks({ checks, label }: { checks: readonly ValidationCheck[]; label: string }) {
  if (checks.length === 0) return null;
  return (
    <ul className="check-list section-checks" aria-label={`What the runner found: ${label}`}>
      {checks.map((check, index) => (
        <CheckItem key={`${check.code}-${index}`} check={check} />
      ))}
    </ul>
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

/** What an entry's last check came to, in a sentence: "Not checked yet.", "Last check failed: …". */
export function lastCheckSentence(check: ProviderCheckState | null | undefined): { level: ValidationCheck['level'] | 'none'; text: string } {
  if (!check) return { level: 'none', text: 'Not checked yet.' };
  if (check.outcome === 'passed') return { level: 'ok', text: 'Last check passed.' };
  if (check.outcome === 'failed') return { level: 'error', text: check.message ? `Last check failed: ${check.message}` : 'Last check failed. Check again to see why.' };
  const count = check.warnings === 1 ? '1 warning' : `${check.warnings} warnings`;
  return { level: 'warning', text: `Last check found ${count}: ${check.message ?? ''}`.trim() };
}

/** An entry's last check, with when it was (relative to now; the exact time on hover). */
export function LastCheck({ check }: { check: ProviderCheckState | null | undefined }) {
  const now = useNow();
  const { level, text } = lastCheckSentence(check);
  return (
    <p className={`last-check last-check-${level}`}>
      {level !== 'none' && <span aria-hidden="true">{levelGlyphs[level]} </span>}
      {text}
      {check && (
        <span className="muted">
          {' '}
          Checked{' '}
          <time dateTime={check.at} title={exactTime(new Date(check.at))}>
            {relativeTime(new Date(check.at), now)}
          </time>
          .
        </span>
      )}
    </p>
  );
}
