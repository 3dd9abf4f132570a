import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode, type RefObject } from 'react';
import type { PaddockApi, Runner, SaveProviderResult } from '../../../../electron/common/api';
import { sealClientSecret, type ClientSecretChange, type ProviderView } from '../../../../electron/common/provider-config';
import { providerKinds, type ProviderKind } from '../../../../electron/common/provider-kind';
import { callbackOptions, catalogueEntry, normalizeHost } from '../../../../electron/common/providers';
import { CopyButton } from '../../components/CopyButton';
import { Field } from '../../components/Field';
import { errorMessage, useFocusAfterRender } from '../../hooks';
import {
  changeKind,
  emptyCollection,
  emptyOrganization,
  formFromView,
  formProblems,
  newProviderForm,
  providerInput,
  sameBinding,
  secretBinding,
  secretChecks,
  secretNeededAgain,
  secretRequirement,
  tokenLossSentence,
  tokensLost,
  type FormField,
  type FormProblems,
  type ProviderForm,
  type SecretBinding,
} from '../../provider-form';
import { ValidationGroups } from './provider-checks';

/** How the save treats the secret the runner keeps: keep it, type a new one, or remove it. */
type SecretMode = 'keep' | 'enter' | 'none';

type Phase = { step: 'editing' } | { step: 'confirm-loss' } | { step: 'saving' };

/**
 * "Add a new provider" and editing an entry (S1–S6), in a modal <dialog>.
 * The client secret is read from its field only when the form is sent,
 * sealed to the runner's key, and the field cleared: the plaintext is never
 * React state and never leaves the page.
 */
export function ProviderDialog({
  api,
  runner,
  view,
  onClose,
  onSaved,
}: {
  api: PaddockApi;
  runner: Runner;
  /** The entry being edited; null to add one. */
  view: ProviderView | null;
  onClose: () => void;
  onSaved: (result: SaveProviderResult, previous: ProviderView | null) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const secretInput = useRef<HTMLInputElement>(null);
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  const resultHeading = useRef<HTMLHeadingElement>(null);
  const generalError = useRef<HTMLParagraphElement>(null);
  /** The last sealed secret and what it is bound to, so "Save anyway" and a retry send the same box. */
  const focusAfterRender = useFocusAfterRender();
  const titleId = useId();

  const [values, setValues] = useState<ProviderForm>(() => (view ? formFromView(view) : newProviderForm('azure-devops')));
  const [secretMode, setSecretMode] = useState<SecretMode>(view?.oauth.secretSet ? 'keep' : 'enter');
  /** The last sealed secret (ciphertext only) and what it is bound to, so "Save anyway" and a retry send the same box. */
  const [sealed, setSealed] = useState<{ box: string; binding: SecretBinding } | null>(null);
  /** Whether the Client Secret field holds something (never what). */
  const [secretTyped, setSecretTyped] = useState(false);
  const [showProblems, setShowProblems] = useState(false);
  const [phase, setPhase] = useState<Phase>({ step: 'editing' });
  const [result, setResult] = useState<{ value: SaveProviderResult; form: ProviderForm } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tenantStatus, setTenantStatus] = useState<Record<string, string>>({});

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  const entry = catalogueEntry(values.kind);
  const canSeal = runner.publicKey !== null && runner.runnerUid !== null;
  const requirement = secretRequirement(values.kind, runner);
  const currentBinding = secretBinding(values, runner);
  /** A sealed secret that still fits the entry; one sealed for other values must be entered again. */
  const secretSealed = sealed !== null && currentBinding !== null && sameBinding(sealed.binding, currentBinding);
  const sealedStale = sealed !== null && !secretSealed;
  const neededAgain = secretNeededAgain(view, values);
  const secretKept = secretMode === 'keep' && view?.oauth.secretSet === true && neededAgain === null;
  const problems = formProblems(values, { entered: secretSealed || secretTyped, kept: secretKept, requirement });
  const shown: FormProblems = showProblems ? problems : {};
  const busy = phase.step === 'saving';
  const lost = tokensLost(view, values);
  const runnerSecretChecks = result && result.form === values ? secretChecks(result.value.validation.oauth) : [];

  const update = (change: (current: ProviderForm) => ProviderForm) => {
    setValues((current) => change(current));
    setPhase((current) => (current.step === 'confirm-loss' ? { step: 'editing' } : current));
  };

  const close = () => {
    if (busy) return;
    dialog.current?.close();
  };

  /** Seals what the Client Secret field holds, then clears the field. */
  const secretChange = (): { ok: true; change: ClientSecretChange } | { ok: false; message: string } => {
    if (!values.oauthEnabled || !entry.oauth.supported) return { ok: true, change: { action: 'none' } };
    const typed = secretInput.current?.value ?? '';
    const binding = secretBinding(values, runner);
    if (typed !== '') {
      if (!canSeal || !runner.publicKey) return { ok: false, message: 'The runner’s key is not known yet, so the secret cannot be sealed to it.' };
      if (!binding) return { ok: false, message: 'Enter the host and Client ID first: the secret is sealed for them.' };
      let box: string;
      try {
        box = sealClientSecret({ ...binding, secret: typed }, runner.publicKey);
      } catch {
        return { ok: false, message: 'This secret cannot be sealed: it is longer than 4,096 characters.' };
      } finally {
        // The plaintext leaves the page only sealed: clear the field at once.
        if (secretInput.current) secretInput.current.value = '';
        setSecretTyped(false);
      }
      setSealed({ box, binding });
      return { ok: true, change: { action: 'replace', sealed: box } };
    }
    if (sealed && secretSealed) return { ok: true, change: { action: 'replace', sealed: sealed.box } };
    if (sealedStale) {
      // Sealed for other values: the runner would refuse it, and dropping it silently would lose the secret.
      return { ok: false, message: 'The host, Client ID or tenant changed since the secret was sealed: enter the Client Secret again.' };
    }
    if (secretMode === 'none') return { ok: true, change: { action: 'none' } };
    if (view?.oauth.secretSet) return { ok: true, change: { action: 'keep' } };
    return { ok: true, change: { action: 'none' } };
  };

  const focusField = (field: FormField) => {
    focusAfterRender(() => form.current?.querySelector<HTMLElement>(`[data-field="${field}"]`) ?? null);
  };

  const save = (confirmWarnings: boolean, lossConfirmed: boolean) => {
    if (busy) return;
    setError(null);
    setShowProblems(true);
    const order = Object.keys(problems) as FormField[];
    const first = order[0];
    if (first) {
      focusField(first);
      return;
    }
    if (lost.length > 0 && !lossConfirmed) {
      setPhase({ step: 'confirm-loss' });
      focusAfterRender(() => confirmHeading.current);
      return;
    }
    const secret = secretChange();
    if (!secret.ok) {
      setError(secret.message);
      focusField('clientSecret');
      return;
    }
    const sentForm = values;
    setPhase({ step: 'saving' });
    api
      .saveProvider({ runnerId: runner.id, provider: providerInput(sentForm, secret.change), previousHost: view?.host ?? null, confirmWarnings })
      .then(
        (saved) => {
          if (saved.saved) {
            setSealed(null);
            setPhase({ step: 'editing' });
            onSaved(saved, view);
            dialog.current?.close();
            return;
          }
          setPhase({ step: 'editing' });
          setResult({ value: saved, form: sentForm });
          focusAfterRender(() => resultHeading.current);
        },
        (e: unknown) => {
          setPhase({ step: 'editing' });
          setError(errorMessage(e));
          focusAfterRender(() => generalError.current);
        },
      );
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save(false, false);
  };

  const findTenant = (key: string, name: string) => {
    const organization = name.trim();
    if (organization === '') {
      setTenantStatus((current) => ({ ...current, [key]: 'Enter the organization’s name first.' }));
      return;
    }
    setTenantStatus((current) => ({ ...current, [key]: `Looking up the tenant of ${organization}…` }));
    api.discoverTenant({ runnerId: runner.id, organization }).then(
      (found) => {
        if (found.tenant) {
          const tenant = found.tenant;
          update((current) => ({
            ...current,
            organizations: current.organizations.map((row) => (row.key === key ? { ...row, tenant, tenantOrigin: 'discovered' } : row)),
          }));
        }
        setTenantStatus((current) => ({
          ...current,
          [key]: found.tenant ? `Found: ${found.message}` : `${found.message} Enter the tenant ID, or “organizations”.`,
        }));
      },
      (e: unknown) => {
        setTenantStatus((current) => ({
          ...current,
          [key]: `The runner could not look up the tenant: ${errorMessage(e)} Enter the tenant ID, or “organizations”.`,
        }));
      },
    );
  };

  const title = view ? `Edit ${entry.displayName}` : 'Add a new provider';
  const hostResult = normalizeHost(values.kind, values.host);
  const callbacks = callbackOptions(values.kind, runner);
  const kindLabel = entry.displayName;

  return (
    <dialog
      ref={dialog}
      className="dialog dialog-wide"
      aria-labelledby={titleId}
      onCancel={(event) => {
        if (busy) event.preventDefault();
      }}
      onClose={onClose}
    >
      <form ref={form} onSubmit={submit} noValidate aria-busy={busy || undefined}>
        <h2 id={titleId}>{title}</h2>
        <p className="muted">For {runner.name}.</p>

        {view ? (
          <dl className="facts">
            <dt>Provider</dt>
            <dd>{kindLabel}</dd>
          </dl>
        ) : (
          <KindChoice
            kind={values.kind}
            onChange={(kind) => {
              setSealed(null);
              update((current) => changeKind(current, kind));
            }}
          />
        )}

        <Field
          label="Host"
          data-field="host"
          value={values.host}
          readOnly={!entry.host.changeable}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => update((current) => ({ ...current, host: event.target.value }))}
          hint={
            entry.host.changeable
              ? entry.host.default
                ? `${entry.host.default}, or the address of your own server, for example ${entry.host.example}.`
                : `The address of your server, for example ${entry.host.example}.`
              : `${kindLabel} is only at ${entry.host.default ?? ''}.`
          }
          error={shown.host}
        />
        {hostResult.ok && (
          <div className="host-result">
            {hostResult.baseUrl !== values.host.trim() && (
              <p className="field-hint">
                Saved as <code>{hostResult.baseUrl}</code>
              </p>
            )}
            {hostResult.warnings.map((warning) => (
              <p key={warning.code} className="inline-warning">
                <span aria-hidden="true">▲ </span>
                <span className="visually-hidden">Warning: </span>
                {warning.message}
              </p>
            ))}
          </div>
        )}

        {values.kind === 'azure-devops' && (
          <fieldset className="units">
            <legend>Organizations</legend>
            <p className="field-hint">
              Each organization, as in https://dev.azure.com/<var>organization</var>, with the Microsoft Entra tenant it belongs to. Find it
              through the runner, or enter it.
            </p>
            <ul className="unit-list">
              {values.organizations.map((row, index) => (
                <li key={row.key} className="unit-row">
                  <Field
                    label={`Organization ${index + 1}`}
                    data-field={`organization-${row.key}`}
                    value={row.name}
                    autoComplete="off"
                    spellCheck={false}
                    onChange={(event) =>
                      update((current) => ({
                        ...current,
                        organizations: current.organizations.map((r) => (r.key === row.key ? { ...r, name: event.target.value } : r)),
                      }))
                    }
                    error={shown[`organization-${row.key}`]}
                  />
                  <Field
                    label={`Tenant of organization ${index + 1}`}
                    data-field={`tenant-${row.key}`}
                    value={row.tenant}
                    placeholder="organizations"
                    autoComplete="off"
                    spellCheck={false}
                    hint={row.tenantOrigin === 'discovered' ? 'Found by the runner.' : 'A tenant ID, or “organizations” (the default when left empty).'}
                    onChange={(event) =>
                      update((current) => ({
                        ...current,
                        organizations: current.organizations.map((r) => (r.key === row.key ? { ...r, tenant: event.target.value, tenantOrigin: 'entered' } : r)),
                      }))
                    }
                    error={shown[`tenant-${row.key}`]}
                  />
                  <div className="actions unit-actions">
                    <button type="button" onClick={() => findTenant(row.key, row.name)}>
                      Find tenant<span className="visually-hidden"> of organization {index + 1}</span>
                    </button>
                    {values.organizations.length > 1 && (
                      <button
                        type="button"
                        onClick={() => update((current) => ({ ...current, organizations: current.organizations.filter((r) => r.key !== row.key) }))}
                      >
                        Remove<span className="visually-hidden"> organization {index + 1}</span>
                      </button>
                    )}
                    <span role="status" className="muted">
                      {tenantStatus[row.key]}
                    </span>
                  </div>
                </li>
              ))}
            </ul>
            <button
              type="button"
              onClick={() => {
                const row = emptyOrganization();
                update((current) => ({ ...current, organizations: [...current.organizations, row] }));
                focusField(`organization-${row.key}`);
              }}
            >
              Add an organization
            </button>
          </fieldset>
        )}

        {values.kind === 'azure-devops-server' && (
          <fieldset className="units">
            <legend>Collections</legend>
            <p className="field-hint">The collections users work in, for example DefaultCollection.</p>
            <ul className="unit-list">
              {values.collections.map((row, index) => (
                <li key={row.key} className="unit-row">
                  <Field
                    label={`Collection ${index + 1}`}
                    data-field={`collection-${row.key}`}
                    value={row.name}
                    autoComplete="off"
                    spellCheck={false}
                    onChange={(event) =>
                      update((current) => ({
                        ...current,
                        collections: current.collections.map((r) => (r.key === row.key ? { ...r, name: event.target.value } : r)),
                      }))
                    }
                    error={shown[`collection-${row.key}`]}
                  />
                  {values.collections.length > 1 && (
                    <div className="actions unit-actions">
                      <button
                        type="button"
                        onClick={() => update((current) => ({ ...current, collections: current.collections.filter((r) => r.key !== row.key) }))}
                      >
                        Remove<span className="visually-hidden"> collection {index + 1}</span>
                      </button>
                    </div>
                  )}
                </li>
              ))}
            </ul>
            <button
              type="button"
              onClick={() => {
                const row = emptyCollection();
                update((current) => ({ ...current, collections: [...current.collections, row] }));
                focusField(`collection-${row.key}`);
              }}
            >
              Add a collection
            </button>
          </fieldset>
        )}

        <fieldset className="methods">
          <legend>How users connect</legend>

          <Switch
            label="Enable OAuth"
            checked={values.oauthEnabled && entry.oauth.supported}
            disabled={!entry.oauth.supported}
            describedBy={entry.oauth.supported ? undefined : `${titleId}-no-oauth`}
            onChange={(checked) => update((current) => ({ ...current, oauthEnabled: checked }))}
          />
          {!entry.oauth.supported && (
            <p className="field-hint" id={`${titleId}-no-oauth`}>
              {entry.oauth.reason}
            </p>
          )}

          {entry.oauth.supported && values.oauthEnabled && (
            <div className="method-details">
              <p>
                Create {/^[AEIOU]/i.test(entry.oauth.registration.name) ? 'an' : 'a'} {entry.oauth.registration.name} ({entry.oauth.registration.where})
                with the callback URL and scopes below, then enter its details here.
              </p>
              <h3 className="small-heading">Callback URL</h3>
              {callbacks.length === 0 ? (
                <p className="error">This runner has no callback URL that {kindLabel} accepts.</p>
              ) : (
                <ul className="callback-list">
                  {callbacks.map((option, index) => (
                    <li key={option.url}>
                      <span className="with-copy">
                        <code>{option.url}</code>
                        <CopyButton text={option.url} what={`the callback URL ${option.url}`} />
                      </span>
                      <span className="field-hint">
                        {index === 0 ? 'Register this one. ' : 'Also accepted. '}
                        {option.secret === 'not-used'
                          ? 'With it the app is a public client: PKCE, no client secret.'
                          : option.secret === 'optional'
                            ? 'A client secret is optional with it.'
                            : 'The client secret is then required.'}
                        {!option.confirmed && ' Not confirmed by the provider’s documentation.'}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
              <h3 className="small-heading">Scopes to grant</h3>
              <ul className="scope-list">
                {entry.oauth.scopes.map((scope) => (
                  <li key={scope.scope}>
                    <code>{scope.scope}</code> — {scope.reason}
                    {!scope.confirmed && <span className="muted"> (Not confirmed: {scope.note})</span>}
                  </li>
                ))}
              </ul>
              {entry.oauth.setup.length > 0 && (
                <>
                  <h3 className="small-heading">Also on the {entry.oauth.registration.name}</h3>
                  <ul className="scope-list">
                    {entry.oauth.setup.map((note) => (
                      <li key={note.text}>{note.text}</li>
                    ))}
                  </ul>
                </>
              )}

              <Field
                label="Client ID"
                data-field="clientId"
                value={values.clientId}
                autoComplete="off"
                spellCheck={false}
                hint={values.kind === 'azure-devops' ? 'The Application (client) ID of the app registration.' : undefined}
                onChange={(event) => update((current) => ({ ...current, clientId: event.target.value }))}
                error={shown.clientId}
              />
              {values.kind === 'azure-devops' && (
                <Field
                  label="Tenant"
                  data-field="tenant"
                  value={values.tenant}
                  autoComplete="off"
                  spellCheck={false}
                  hint="The Directory (tenant) ID the app is registered in, or “organizations” for a multi-tenant app (any work or school account)."
                  onChange={(event) => update((current) => ({ ...current, tenant: event.target.value }))}
                  error={shown.tenant}
                />
              )}
              <ClientSecret
                view={view}
                mode={secretMode}
                setMode={setSecretMode}
                canSeal={canSeal}
                requirement={requirement}
                kindLabel={kindLabel}
                local={runner.kind === 'local'}
                neededAgain={neededAgain}
                sealedNow={secretSealed}
                sealedStale={sealedStale}
                inputRef={secretInput}
                error={shown.clientSecret ?? runnerSecretChecks.find((check) => check.level === 'error')?.message}
                onTyped={(hasValue) => {
                  setSecretTyped(hasValue);
                  if (hasValue) setSealed(null);
                }}
              />
            </div>
          )}

          <Switch label="Enable Personal Access Token" checked={values.patEnabled} onChange={(checked) => update((current) => ({ ...current, patEnabled: checked }))} />
          {values.patEnabled && (
            <div className="method-details">
              <p>Users create a {entry.pat.name.toLowerCase()} on {kindLabel}, which this runner keeps for them, with the scopes:</p>
              <ul className="scope-list">
                {entry.pat.scopes.map((scope) => (
                  <li key={scope.scope}>
                    <code>{scope.scope}</code> — {scope.reason}
                  </li>
                ))}
              </ul>
              {entry.pat.notes.map((note) => (
                <p key={note.text} className="field-hint">
                  {note.text}
                </p>
              ))}
            </div>
          )}
          {!values.oauthEnabled && !values.patEnabled && (
            <p className="field-error" data-field="methods" tabIndex={-1}>
              <span aria-hidden="true">✕ </span>
              {problems.methods}
            </p>
          )}
        </fieldset>

        <DocsLinks kind={values.kind} />

        {result && (
          <section className="save-result" aria-labelledby={`${titleId}-result`}>
            <h3 id={`${titleId}-result`} ref={resultHeading} tabIndex={-1}>
              {result.value.needsConfirmation ? 'Not saved yet: confirm the warnings' : 'Not saved: fix the errors'}
            </h3>
            <ValidationGroups validation={result.value.validation} idPrefix={`${titleId}-checks`} />
          </section>
        )}

        {phase.step === 'confirm-loss' && view && (
          <section className="confirm-loss" aria-labelledby={`${titleId}-loss`}>
            <h3 id={`${titleId}-loss`} ref={confirmHeading} tabIndex={-1}>
              Users’ tokens will be deleted
            </h3>
            <p>{tokenLossSentence(view, values, lost)}</p>
            <div className="actions">
              <button type="button" className="button-danger" onClick={() => save(false, true)}>
                Delete tokens and save
              </button>
              <button type="button" onClick={() => setPhase({ step: 'editing' })}>
                Go back
              </button>
            </div>
          </section>
        )}

        {error && (
          <p className="error" role="alert" ref={generalError} tabIndex={-1}>
            {error}
          </p>
        )}

        <div className="actions">
          {result?.value.needsConfirmation && result.form === values && phase.step !== 'confirm-loss' && (
            <button type="button" className="button-warning" onClick={() => save(true, true)} aria-disabled={busy || undefined}>
              Save anyway
            </button>
          )}
          {phase.step !== 'confirm-loss' && (
            <button type="submit" className="button-primary" aria-disabled={busy || undefined}>
              {busy ? 'Saving…' : 'Save'}
            </button>
          )}
          <button type="button" onClick={close} aria-disabled={busy || undefined}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}

function KindChoice({ kind, onChange }: { kind: ProviderKind; onChange: (kind: ProviderKind) => void }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Provider</label>
      <select id={id} value={kind} aria-describedby={`${id}-hint`} onChange={(event) => onChange(event.target.value as ProviderKind)}>
        {providerKinds.map((k) => (
          <option key={k} value={k}>
            {catalogueEntry(k).displayName}
          </option>
        ))}
      </select>
      <p className="field-hint" id={`${id}-hint`}>
        {catalogueEntry(kind).covers}.
      </p>
    </div>
  );
}

function Switch({
  label,
  checked,
  disabled = false,
  describedBy,
  onChange,
}: {
  label: string;
  checked: boolean;
  disabled?: boolean;
  describedBy?: string | undefined;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label className="switch">
      <input type="checkbox" role="switch" checked={checked} disabled={disabled} aria-describedby={describedBy} onChange={(event) => onChange(event.target.checked)} />
      <span className="switch-track" aria-hidden="true" />
      <span>{label}</span>
    </label>
  );
}

function ClientSecret({
  view,
  mode,
  setMode,
  canSeal,
  requirement,
  kindLabel,
  local,
  neededAgain,
  sealedNow,
  sealedStale,
  inputRef,
  error,
  onTyped,
}: {
  view: ProviderView | null;
  mode: SecretMode;
  setMode: (mode: SecretMode) => void;
  canSeal: boolean;
  requirement: 'required' | 'optional';
  kindLabel: string;
  local: boolean;
  neededAgain: string | null;
  sealedNow: boolean;
  sealedStale: boolean;
  inputRef: RefObject<HTMLInputElement | null>;
  error: string | undefined;
  onTyped: (hasValue: boolean) => void;
}) {
  const id = useId();
  const secretSet = view?.oauth.secretSet === true;
  const hint: ReactNode =
    requirement === 'required'
      ? `${kindLabel} needs it with this callback.`
      : local
        ? 'Optional. Recommended for this runner: leave it empty and register a public client (PKCE, no secret).'
        : 'Optional: only for a confidential app.';

  if (!canSeal) {
    return (
      <div className="field">
        <span className="label-like">Client Secret</span>
        <p className="field-hint">
          {secretSet ? 'Client Secret: set. ' : ''}
          The runner has not been reached yet, so its key is not known and a secret cannot be sealed to it. Start the runner, then come back.
        </p>
      </div>
    );
  }

  if (secretSet && mode === 'keep' && neededAgain === null) {
    return (
      <div className="field" data-field="clientSecret" tabIndex={-1}>
        <span className="label-like" id={`${id}-label`}>
          Client Secret
        </span>
        <span className="with-action">
          <span>
            <span aria-hidden="true">●●●● </span>set — replace
          </span>
          <button type="button" onClick={() => setMode('enter')} aria-describedby={`${id}-label`}>
            Replace<span className="visually-hidden"> the client secret</span>
          </button>
          {requirement === 'optional' && (
            <button type="button" onClick={() => setMode('none')}>
              Remove<span className="visually-hidden"> the client secret</span>
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

  if (secretSet && mode === 'none' && neededAgain === null) {
    return (
      <div className="field" data-field="clientSecret" tabIndex={-1}>
        <span className="label-like">Client Secret</span>
        <span className="with-action">
          <span>Removed when you save: the app is then a public client.</span>
          <button type="button" onClick={() => setMode('keep')}>
            Keep the client secret
          </button>
        </span>
      </div>
    );
  }

  return (
    <>
      <Field
        label="Client Secret"
        data-field="clientSecret"
        type="password"
        autoComplete="off"
        spellCheck={false}
        inputRef={inputRef}
        onChange={(event) => onTyped(event.target.value !== '')}
        hint={
          <>
            {sealedStale ? 'The host, Client ID or tenant changed since the secret was sealed: enter it again.' : (neededAgain ?? hint)}
            {sealedNow && ' Entered and sealed to this runner’s key; it is sent again when you save.'}
            {!neededAgain && secretSet && ' Leave it empty to keep the current secret.'}
          </>
        }
        error={error}
      />
      {secretSet && mode === 'enter' && !neededAgain && (
        <div className="actions">
          <button type="button" onClick={() => setMode('keep')}>
            Keep the current secret
          </button>
        </div>
      )}
    </>
  );
}

function DocsLinks({ kind }: { kind: ProviderKind }) {
  const entry = catalogueEntry(kind);
  return (
    <section className="docs-links" aria-label={`${entry.displayName} documentation`}>
      <h3 className="small-heading">Documentation</h3>
      <ul>
        {entry.docs.map((doc) => (
          <li key={doc.url}>
            <a href={doc.url} target="_blank" rel="noreferrer noopener">
              {doc.title}
              <span className="visually-hidden"> (opens in your browser)</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
