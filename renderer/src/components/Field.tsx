import { useId, type InputHTMLAttributes, type ReactNode, type Ref } from 'react';

/**
 * A labelled text field with an optional hint and an error, both tied to the
 * input (aria-describedby), and aria-invalid while it has an error.
 */
export function Field({
  label,
  hint,
  error,
  inputRef,
  hideLabel = false,
  errorIsAlert = false,
  ...input
}: {
  label: string;
  /** For a field whose label is already on screen next to it (a form inside a list of facts). */
  hideLabel?: boolean;
  hint?: ReactNode;
  error?: string | undefined;
  /** Announce the error as it appears (a field saved on its own, with no form to submit and no summary). */
  errorIsAlert?: boolean;
  inputRef?: Ref<HTMLInputElement>;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'aria-describedby' | 'aria-invalid'>) {
  const id = useId();
  const described = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : undefined}>
        {label}
      </label>
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <input
        type="text"
        {...input}
        id={id}
        ref={inputRef}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
      />
      {error && (
        <p className="field-error" id={`${id}-error`} role={errorIsAlert ? 'alert' : undefined}>
          <span aria-hidden="true">✕ </span>
          {error}
        </p>
      )}
    </div>
  );
}
