import { useId, useState, type ReactNode } from 'react';
import type { PaddockApi, Preferences, PreferencesPatch } from '../../../../electron/common/api';
import { formErrors } from '../../form-errors';

/** What a section's status line says: saving, saved, or nothing yet. */
type SaveState = { kind: 'saving' | 'saved'; text: string } | null;

/**
 * Saves preferences as they change, for one section of Settings: a status
 * line ("Saving…", "Saved.") and, when the save was refused, the messages
 * for the fields the error names (`fields`: the preference paths the section
 * shows, such as 'startAtLogin' or 'network.proxy') and one for the rest.
 */
export function usePreferenceSaver<F extends string>(api: PaddockApi, fields: readonly F[]) {
  const [state, setState] = useState<SaveState>(null);
  const [errors, setErrors] = useState<{ fields: Partial<Record<F, string>>; general: string | null }>({ fields: {}, general: null });
  const save = async (patch: PreferencesPatch, done: string): Promise<Preferences | null> => {
    setState({ kind: 'saving', text: 'Saving…' });
    setErrors({ fields: {}, general: null });
    try {
      const saved = await api.updatePreferences(patch);
      setState({ kind: 'saved', text: done });
      return saved;
    } catch (error) {
      setState(null);
      setErrors(formErrors(error, fields));
      return null;
    }
  };
  return { state, errors, save, clearError: (field: F) => setErrors((e) => ({ ...e, fields: { ...e.fields, [field]: undefined } })) };
}

/** The section's status line: always on the page, so screen readers hear each change. */
export function SaveStatus({ state, general }: { state: SaveState; general: string | null }) {
  return (
    <>
      <p role="status" className="save-status">
        {state?.text}
      </p>
      {general && (
        <p className="error" role="alert">
          {general}
        </p>
      )}
    </>
  );
}

/** A checkbox with its label, a hint and an error, both tied to it. */
export function CheckField({
  label,
  hint,
  error,
  checked,
  disabled,
  onChange,
}: {
  label: string;
  hint: ReactNode;
  error?: string | undefined;
  checked: boolean;
  disabled?: boolean;
  onChange: (checked: boolean) => void;
}) {
  const id = useId();
  const described = [error ? `${id}-error` : null, `${id}-hint`].filter(Boolean).join(' ');
  return (
    <div className="setting">
      {/* The label is the name only; the hint is the description (not read twice). */}
      <div className="choice">
        <input
          type="checkbox"
          id={id}
          checked={checked}
          disabled={disabled}
          onChange={(event) => onChange(event.target.checked)}
          aria-describedby={described}
          aria-invalid={error ? true : undefined}
        />
        <span>
          <label htmlFor={id} className="choice-label">
            {label}
          </label>
          <span className="choice-hint" id={`${id}-hint`}>
            {hint}
          </span>
        </span>
      </div>
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          <span aria-hidden="true">✕ </span>
          {error}
        </p>
      )}
    </div>
  );
}
