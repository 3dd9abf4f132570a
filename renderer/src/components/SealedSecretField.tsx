import { useId, useImperativeHandle, useRef, useState, type ReactNode, type Ref } from 'react';
import { z } from 'zod';
import { paddockErrorData } from '../../../electron/common/errors';
import { Field } from './Field';

/** What a secret is sealed for: the runner refuses the box if any of these differ from where it is used. */
export type SecretBinding = Readonly<Record<string, string | null>>;

/** A sealed secret (ciphertext only) and the values it was sealed for. */
export interface SealedValue<B extends SecretBinding> {
  box: string;
  binding: B;
}

export type SealOutcome<B extends SecretBinding> =
  | { state: 'empty' }
  | { state: 'sealed'; value: SealedValue<B> }
  | { state: 'failed'; message: string };

export interface SealedSecretFieldHandle<B extends SecretBinding> {
  /**
   * Seals what the field holds to the runner's key and clears the field, or
   * returns the box sealed before when it still fits the binding. Called when
   * the form is sent, so the plaintext is read once, at the last moment.
   */
  seal(): SealOutcome<B>;
}

/** What the runner already keeps, and what the user chose to do with it. */
export type StoredSecretMode = 'keep' | 'replace' | 'remove';

export interface StoredSecret {
  mode: StoredSecretMode;
  onModeChange: (mode: StoredSecretMode) => void;
  /** Whether "Remove" is offered (the secret is optional). */
  removable: boolean;
  /** What removing it means, said while "remove" is chosen. */
  removedNote: string;
}

export function sameBinding(a: SecretBinding, b: SecretBinding): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => a[key] === b[key]);
}

/**
 * A secret typed or pasted into the page and sealed there to a runner's
 * public key (a client secret; a personal access token): the plaintext lives
 * only in the password input, never in React state, and is cleared from it
 * the moment it is sealed (`seal()`, through the ref), whether sealing
 * succeeds or not. The box is bound to `binding`; a box sealed for other
 * values is asked for again, never dropped or sent.
 *
 * When the runner already keeps a secret (`stored`), the field shows that it
 * is set, never its value, with Replace (and Remove when `removable`).
 */
export function SealedSecretField<B extends SecretBinding>({
  ref,
  label,
  field,
  hint,
  error,
  value,
  onChange,
  onTyped,
  publicKey,
  binding,
  bindingLabels = {},
  seal,
  unboundMessage,
  staleHint,
  stored = null,
}: {
  ref?: Ref<SealedSecretFieldHandle<B>>;
  label: string;
  /** data-field of the input (or of the "set" group), for focusing it from a list of problems. */
  field?: string;
  hint?: ReactNode;
  /** A problem found by the form or the runner, shown unless sealing just failed with its own. */
  error?: string | undefined;
  /** The last sealed secret; null while there is none. */
  value: SealedValue<B> | null;
  onChange: (value: SealedValue<B> | null) => void;
  /** Whether the input holds something (never what), for "required" checks. */
  onTyped?: (typed: boolean) => void;
  /** The runner's public key (base64); null while it is not known, and then nothing can be entered. */
  publicKey: string | null;
  /** What the secret is sealed for; null while the form lacks some of it. */
  binding: B | null;
  /** Names of the binding's values, for messages ("Client ID"). */
  bindingLabels?: Partial<Record<keyof B & string, string>>;
  /** Seals `secret` for `binding` to `publicKey` and returns the box; throws what its schema or the key refuses. */
  seal: (secret: string, binding: B, publicKey: string) => string;
  /** Said when there is a secret to seal but `binding` is null: what to enter first. */
  unboundMessage: string;
  /** The hint while `value` was sealed for other values than `binding`. */
  staleHint: string;
  stored?: StoredSecret | null;
}) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [typed, setTyped] = useState(false);
  const [sealError, setSealError] = useState<string | null>(null);
  const current = value !== null && binding !== null && sameBinding(value.binding, binding);
  const stale = value !== null && !current;

  const typedChanged = (next: boolean) => {
    setTyped(next);
    onTyped?.(next);
  };

  useImperativeHandle(
    ref,
    () => ({
      seal(): SealOutcome<B> {
        const secret = input.current?.value ?? '';
        if (secret !== '') {
          const fail = (message: string): SealOutcome<B> => {
            setSealError(message);
            return { state: 'failed', message };
          };
          if (publicKey === null) return fail(`The runner has not sent its key yet, so the ${label} cannot be sealed to it. Start the runner, then save again.`);
          // Kept in the field: once the missing values are entered, the next save seals it.
          if (binding === null) return fail(unboundMessage);
          let box: string;
          try {
            box = seal(secret, binding, publicKey);
          } catch (e) {
            return fail(sealFailure(e, label, binding, bindingLabels));
          } finally {
            // The plaintext leaves the page only sealed: clear the field at once.
            if (input.current) input.current.value = '';
            typedChanged(false);
          }
          const sealed = { box, binding };
          setSealError(null);
          onChange(sealed);
          return { state: 'sealed', value: sealed };
        }
        if (value !== null && current) return { state: 'sealed', value };
        if (stale) {
          // Sealed for other values: the runner would refuse it, and dropping it silently would lose the secret.
          const message = `Enter the ${label} again: it was sealed for other values.`;
          setSealError(message);
          return { state: 'failed', message };
        }
        return { state: 'empty' };
      },
    }),
    // No dependency list: a new handle each render always sees the current props, and costs nothing.
  );

  if (publicKey === null) {
    return (
      <div className="field">
        <span className="label-like">{label}</span>
        <p className="field-hint">
          {stored ? `${label}: set. ` : ''}
          The runner has not been reached yet, so a secret cannot be sealed to its key. Start the runner, then come back.
        </p>
      </div>
    );
  }

  if (stored && stored.mode === 'keep') {
    return (
      <div className="field" data-field={field} tabIndex={-1}>
        <span className="label-like" id={`${id}-label`}>
          {label}
        </span>
        <span className="with-action">
          <span>
            <span aria-hidden="true">●●●● </span>set — replace
          </span>
          <button type="button" onClick={() => stored.onModeChange('replace')} aria-describedby={`${id}-label`}>
            Replace<span className="visually-hidden"> the {label.toLowerCase()}</span>
          </button>
          {stored.removable && (
            <button type="button" onClick={() => stored.onModeChange('remove')}>
              Remove<span className="visually-hidden"> the {label.toLowerCase()}</span>
            </button>
          )}
        </span>
        <p className="field-hint">The secret is kept by the runner, sealed; it is never shown.</p>
        {error && (
          <p className="field-error">
            <span aria-hidden="true">✕ </span>
            {error}
          </p>
        )}
      </div>
    );
  }

  if (stored && stored.mode === 'remove') {
    return (
      <div className="field" data-field={field} tabIndex={-1}>
        <span className="label-like">{label}</span>
        <span className="with-action">
          <span>{stored.removedNote}</span>
          <button type="button" onClick={() => stored.onModeChange('keep')}>
            Keep the {label.toLowerCase()}
          </button>
        </span>
      </div>
    );
  }

  return (
    <>
      <Field
        label={label}
        data-field={field}
        type="password"
        autoComplete="off"
        spellCheck={false}
        inputRef={input}
        onChange={(event) => {
          const next = event.target.value !== '';
          if (next !== typed) typedChanged(next);
          setSealError(null);
          // Something new typed replaces the box sealed before.
          if (next && value !== null) onChange(null);
        }}
        hint={
          <>
            {stale ? staleHint : hint}
            {current && ' Entered and sealed to this runner’s key; it is sent again when you save.'}
            {stored && ' Leave it empty to keep the current secret.'}
          </>
        }
        error={sealError ?? error}
      />
      {stored && (
        <div className="actions">
          <button type="button" onClick={() => stored.onModeChange('keep')}>
            Keep the current secret
          </button>
        </div>
      )}
    </>
  );
}

const count = new Intl.NumberFormat('en-US');

/**
 * Why sealing failed, in words for the user. Built from the error's kind and
 * the schema's limits only: an error's own text could quote the secret.
 */
function sealFailure<B extends SecretBinding>(error: unknown, label: string, binding: B, bindingLabels: Partial<Record<string, string>>): string {
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    const key = typeof issue?.path[0] === 'string' ? issue.path[0] : undefined;
    if (key !== undefined && key in binding) {
      const name = bindingLabels[key] ?? key;
      return issue?.code === 'too_big'
        ? `The ${label} cannot be sealed for this entry: its ${name} is longer than ${count.format(issue.maximum)} characters.`
        : `The ${label} cannot be sealed for this entry: its ${name} is not valid.`;
    }
    if (issue?.code === 'too_big') return `This ${label.toLowerCase()} cannot be sealed: it is longer than ${count.format(issue.maximum)} characters.`;
    return `This ${label.toLowerCase()} cannot be sealed: it is not valid.`;
  }
  // sealBox and publicKeyFromBase64 refuse only the key with a PaddockError: its length or a point of small order.
  if (paddockErrorData(error)) {
    return `The ${label} could not be sealed: the runner’s public key is not a usable key. Nothing was sent. Check the public key in the runner’s settings.`;
  }
  return `The ${label} could not be sealed, so nothing was sent. Enter it again.`;
}
