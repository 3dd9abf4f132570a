import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { HostAccess, PaddockApi, Runner } from '../../../../electron/common/api';
import type { TokenView } from '../../../../electron/common/runner-api';
import { catalogueEntry, patNewTokenUrl, suggestedPatDays } from '../../../../electron/common/providers';
import { sealPat, type PatBinding } from '../../../../electron/common/pat';
import { CopyButton } from '../../components/CopyButton';
import { ErrorNotice } from '../../components/ErrorNotice';
import { SealedSecretField, type SealedSecretFieldHandle, type SealedValue } from '../../components/SealedSecretField';
import { errorView, type ErrorView } from '../../errors';
import { noteText, shortTokenName, tokenNameInSentence } from '../../format';

type Binding = PatBinding;

/** Only an https page becomes a link (the host comes from a runner). */
function safePage(url: string): string | null {
  try {
    return new URL(url).protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/** The runner's problem with the token itself (refused, a scope missing), shown next to the field. */
function tokenIssue(view: ErrorView): string | null {
  if (view.code !== 'invalid-input') return null;
  return view.issues.find((issue) => issue.path === 'token' || issue.path === 'sealed')?.message ?? null;
}

/**
 * The personal access token form (PRODUCT A3) for one host on one runner
 * (and, for Azure DevOps, one organization): what the token is for, the
 * provider's new-token page (name and scopes pre-set where the catalogue
 * has a pre-fill), what to choose there (each with Copy), then the token,
 * sealed in the page to the runner's key (SealedSecretField) and checked by
 * the runner with the provider. The runner keeps it only when the check
 * passes; a box is sent once, so a failed check asks for the token again.
 * Used by PatDialog and, in the same dialog, by ConnectDialog.
 */
export function PatForm({
  api,
  access,
  organization,
  runner,
  onConnected,
  onCancel,
  onBusyChange,
  cancelLabel = 'Cancel',
}: {
  api: PaddockApi;
  access: HostAccess;
  /** Azure DevOps: the organization the token is for; null for every other kind. */
  organization: string | null;
  /** The runner that keeps the token, for its key; null while it is not known. */
  runner: Runner | null;
  onConnected: (token: TokenView) => void;
  onCancel: () => void;
  /** Told when the runner starts and stops checking a token (the dialog then keeps Escape from closing it). */
  onBusyChange?: (busy: boolean) => void;
  cancelLabel?: string;
}) {
  const field = useRef<SealedSecretFieldHandle<Binding>>(null);
  const live = useRef(true);
  const [sealed, setSealed] = useState<SealedValue<Binding> | null>(null);
  const [busy, setBusyState] = useState(false);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [failure, setFailure] = useState<ErrorView | null>(null);

  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  const setBusy = (next: boolean) => {
    setBusyState(next);
    onBusyChange?.(next);
  };

  const entry = catalogueEntry(access.kind);
  const provider = entry.displayName;
  const where = organization ? `${organization} on ${access.host}` : access.host;
  const tokenName = `Paddock (${access.runnerName})`;
  const link = patNewTokenUrl(access.kind, access.host, { name: tokenName, ...(organization ? { organization } : {}) });
  const page = link.ok ? safePage(link.url) : null;
  const scopes = entry.pat.scopes;
  const days = link.ok ? link.choose.days : suggestedPatDays;
  const binding: Binding | null = runner?.runnerUid ? { runnerId: runner.runnerUid, host: access.host, organization } : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setFailure(null);
    setFieldError(null);
    const outcome = field.current?.seal() ?? { state: 'empty' };
    if (outcome.state === 'failed') return;
    if (outcome.state === 'empty') {
      setFieldError('Paste the token from the provider’s page first.');
      return;
    }
    setBusy(true);
    api.connectWithPat({ runnerId: access.runnerId, host: access.host, organization, sealed: outcome.value.box }).then(
      (token) => {
        if (!live.current) return;
        setBusy(false);
        setSealed(null);
        onConnected(token);
      },
      (error: unknown) => {
        if (!live.current) return;
        setBusy(false);
        // The runner kept nothing: the same box would be refused the same way, so the token is asked for again.
        setSealed(null);
        const view = errorView(error);
        const issue = tokenIssue(view);
        if (issue) setFieldError(issue);
        else setFailure(view);
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-busy={busy || undefined}>
      <p>
        Paddock uses this token to clone, pull and push your repositories at {where}. {access.runnerName} keeps it, and it is not shown
        again.
      </p>
      <h3 className="small-heading">1. Create the token</h3>
      {page ? (
        <p>
          <a href={page} target="_blank" rel="noreferrer noopener">
            Open {provider}’s new-token page<span className="visually-hidden"> (opens in your browser)</span>
          </a>
          {link.ok && link.prefilled.name && link.prefilled.scopes && ' — it fills in the name and scopes; check them against this list.'}
        </p>
      ) : (
        // No page to link to (Azure DevOps Server keeps it in each collection's settings, which this list does not name).
        <p>On {access.host}, open your user settings, then Personal access tokens, and create a new token.</p>
      )}
      <p>Choose on that page:</p>
      <dl className="facts pat-choices">
        <dt>Name</dt>
        <dd>
          <code>{tokenName}</code> <CopyButton text={tokenName} what="the name" />
        </dd>
        {organization && (
          <>
            <dt>Organization</dt>
            <dd>
              <code>{organization}</code> <CopyButton text={organization} what="the organization" />
              <p className="field-hint">Choose this one organization, not “All accessible organizations”.</p>
            </dd>
          </>
        )}
        <dt>Expiration</dt>
        <dd>
          {days} days <CopyButton text={String(days)} what="the number of days" />
        </dd>
        <dt>{scopes.length === 1 ? 'Scope' : 'Scopes'}</dt>
        <dd>
          <ul className="pat-scopes">
            {scopes.map((scope) => (
              <li key={scope.scope}>
                <code>{scope.scope}</code> <CopyButton text={scope.scope} what={`the scope ${scope.scope}`} />
                <span className="field-hint"> {scope.reason}</span>
              </li>
            ))}
          </ul>
        </dd>
      </dl>
      {link.ok &&
        link.notes.map((note) => (
          <p key={note.text} className="field-hint">
            {noteText(note, new Date())}
          </p>
        ))}
      <h3 className="small-heading">2. Paste it here</h3>
      <SealedSecretField<Binding>
        ref={field}
        label={shortTokenName(entry.pat.name)}
        field="token"
        hint={`Sealed in this window to ${access.runnerName}’s key before it is sent.`}
        error={fieldError ?? undefined}
        value={sealed}
        onChange={setSealed}
        onTyped={(typed) => typed && setFieldError(null)}
        publicKey={runner?.publicKey ?? null}
        binding={binding}
        seal={(secret, values, publicKey) => sealPat(values, secret, publicKey)}
        unboundMessage="The runner has not been reached yet, so the token cannot be sealed to it."
        staleHint="Paste the token again: it was sealed for another host."
      />
      {failure && <ErrorNotice error={failure} />}
      <div className="actions">
        <button type="submit" className="button-primary" aria-disabled={busy || undefined}>
          {busy ? 'Checking the token…' : 'Connect'}
        </button>
        <button type="button" onClick={() => !busy && onCancel()} aria-disabled={busy || undefined}>
          {cancelLabel}
        </button>
      </div>
    </form>
  );
}

/**
 * "Provide a personal access token" (PRODUCT A3) in a modal <dialog>: the
 * PatForm, then what was connected.
 *
 * Render it only while it is open; `onClose` is called once it has closed,
 * with the token when one was connected.
 */
export function PatDialog({
  api,
  access,
  organization,
  runner,
  onClose,
  fallbackFocus,
  title,
}: {
  api: PaddockApi;
  access: HostAccess;
  /** Azure DevOps: the organization the token is for; null for every other kind. */
  organization: string | null;
  /** The runner that keeps the token, for its key; null while it is not known. */
  runner: Runner | null;
  onClose: (connected: TokenView | null) => void;
  /** Where focus goes when the button that opened the dialog has left the page (it changes once connected). */
  fallbackFocus?: () => HTMLElement | null;
  /** "Replace the token" when one exists; by default "Provide" and the provider’s token name. */
  title?: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const [busy, setBusy] = useState(false);
  const [connected, setConnected] = useState<TokenView | null>(null);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) {
      opener.current = document.activeElement;
      element.showModal();
    }
  }, []);

  useEffect(() => {
    if (connected) closeButton.current?.focus();
  }, [connected]);

  const provider = catalogueEntry(access.kind).displayName;
  const heading = title ?? `Provide ${tokenNameInSentence(catalogueEntry(access.kind).pat.name, { article: true, short: true })}`;

  const close = () => {
    if (!busy) dialog.current?.close();
  };

  const closed = () => {
    // After a connection the screen's list changes under the opener; focus goes back to it while it is there.
    const back = opener.current;
    const target = back instanceof HTMLElement && back.isConnected ? back : (fallbackFocus?.() ?? null);
    target?.focus();
    onClose(connected);
  };

  return (
    <dialog
      ref={dialog}
      className="dialog dialog-wide"
      aria-labelledby={titleId}
      onCancel={(event) => {
        if (busy) event.preventDefault();
      }}
      onClose={closed}
    >
      <h2 id={titleId}>{heading}</h2>
      {connected ? (
        <>
          <p role="status">
            {provider} is now connected{connected.account ? ` as ${connected.account}` : ''}
            {organization ? ` for ${organization}` : ''}.
          </p>
          <div className="actions">
            <button type="button" ref={closeButton} onClick={close}>
              Close
            </button>
          </div>
        </>
      ) : (
        <PatForm api={api} access={access} organization={organization} runner={runner} onConnected={setConnected} onCancel={close} onBusyChange={setBusy} />
      )}
    </dialog>
  );
}
