import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { PaddockApi, Runner, SaveProviderResult } from '../../../../electron/common/api';
import { sealClientSecret, warningCodesOf, type ClientSecretChange, type ProviderView } from '../../../../electron/common/provider-config';
import { providerKinds, type ProviderKind } from '../../../../electron/common/provider-kind';
import { callbackOptions, callbackRunnerOf, catalogueEntry, normalizeHost } from '../../../../electron/common/providers';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { CopyButton } from '../../components/CopyButton';
import { Field } from '../../components/Field';
import { ListEditor, type ListColumn } from '../../components/ListEditor';
import {
  SealedSecretField,
  sameBinding,
  type SealedSecretFieldHandle,
  type SealedValue,
  type StoredSecretMode,
} from '../../components/SealedSecretField';
import { paddockErrorData } from '../../../../electron/common/errors';
import { errorView, type ErrorView } from '../../errors';
import { formErrors } from '../../form-errors';
import { noteText, tokenNameInSentence } from '../../format';
import { errorMessage, useFocusAfterRender } from '../../hooks';
import { holdNavigation } from '../../leave-guard';
import {
  changeKind,
  checkGroupLabels,
  emptyCollection,
  emptyOrganization,
  formChanged,
  formFromView,
  formProblems,
  issueField,
  newProviderForm,
  providerInput,
  secretBinding,
  secretChecks,
  secretNeededAgain,
  secretRequirement,
  tokenLossSentence,
  tokensLost,
  type CheckGroup,
  type FormField,
  type CollectionRow,
  type FormProblems,
  type OrganizationRow,
  type ProviderForm,
  type SecretBinding,
} from '../../provider-form';
import { LastCheck, SectionChecks } from './provider-checks';

type Phase = { step: 'editing' } | { step: 'confirm-loss' } | { step: 'saving' };

/** "Host", "Host and OAuth", "Host, OAuth and Personal Access Token". */
function groupNames(groups: readonly CheckGroup[]): string {
  const names = groups.map((group) => checkGroupLabels[group]);
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

const plural = (count: number, one: string, many: string) => (count === 1 ? `1 ${one}` : `${count} ${many}`);

/**
 * "Add a new provider" and editing an entry (S1–S6), in a modal <dialog>:
 * a header with the provider and a close button, a body that scrolls, and
 * a footer with Save and Cancel that stays in view. What the runner found
 * shows under the part it is about (Host, OAuth, Personal Access Token),
 * with a summary in the footer. Closing a changed dialog asks "Discard
 * changes?" first. The client secret is read from its field only when the
 * form is sent, sealed to the runner's key, and the field cleared
 * (SealedSecretField): the plaintext is never React state and never leaves
 * the page.
 */
export function ProviderDialog({
  api,
  runner,
  view,
  initialKind,
  onClose,
  onSaved,
  onError,
}: {
  api: PaddockApi;
  runner: Runner;
  /** The entry being edited; null to add one. */
  view: ProviderView | null;
  /** The provider a new entry starts on (suggestedKind); the first of the list when not given. */
  initialKind?: ProviderKind;
  onClose: () => void;
  onSaved: (result: SaveProviderResult, previous: ProviderView | null) => void;
  /** The save failed (its message shows in the dialog): for the screen to act on the code (a refusal, a list out of date). */
  onError?: (error: ErrorView) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const secretField = useRef<SealedSecretFieldHandle<SecretBinding>>(null);
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  const summaryRef = useRef<HTMLParagraphElement>(null);
  const generalError = useRef<HTMLParagraphElement>(null);
  /** Set just before the dialog is closed on purpose (saved, nothing changed, changes discarded). */
  const closingOnPurpose = useRef(false);
  /** Where to go once the changes are discarded, when navigation asked. */
  const leaveAfterDiscard = useRef<(() => void) | null>(null);
  const focusAfterRender = useFocusAfterRender();
  const titleId = useId();

  const [initial] = useState<ProviderForm>(() => (view ? formFromView(view) : newProviderForm(initialKind ?? providerKinds[0])));
  const [values, setValues] = useState<ProviderForm>(initial);
  /** What the save does with the secret the runner keeps, when it keeps one. */
  const [secretMode, setSecretMode] = useState<StoredSecretMode>('keep');
  /** The last sealed secret (ciphertext only) and what it is bound to, so "Save anyway" and a retry send the same box. */
  const [sealed, setSealed] = useState<SealedValue<SecretBinding> | null>(null);
  /** Whether the Client Secret field holds something (never what). */
  const [secretTyped, setSecretTyped] = useState(false);
  const [showProblems, setShowProblems] = useState(false);
  const [phase, setPhase] = useState<Phase>({ step: 'editing' });
  const [result, setResult] = useState<{ value: SaveProviderResult; form: ProviderForm } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [apiProblems, setApiProblems] = useState<{ fields: FormProblems; form: ProviderForm } | null>(null);
  const [tenantStatus, setTenantStatus] = useState<Record<string, string>>({});
  const [discarding, setDiscarding] = useState(false);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) {
      element.showModal();
      // The first field, not the close button the header starts with.
      element.querySelector<HTMLElement>('.dialog-body :is(select, input:not([readonly]):not([type="hidden"]), textarea)')?.focus();
    }
  }, []);

  const entry = catalogueEntry(values.kind);
  const canSeal = runner.publicKey !== null && runner.runnerUid !== null;
  const requirement = secretRequirement(values.kind, runner);
  const currentBinding = secretBinding(values, runner);
  /** A sealed secret that still fits the entry; one sealed for other values must be entered again. */
  const secretSealed = sealed !== null && currentBinding !== null && sameBinding(sealed.binding, currentBinding);
  const neededAgain = secretNeededAgain(view, values);
  /** The secret the runner keeps, while it still fits the entry; an empty field in "replace" keeps it too. */
  const storedSecret = view?.oauth.secretSet === true && neededAgain === null;
  const secretKept = storedSecret && secretMode !== 'remove';
  const problems = formProblems(values, { entered: secretSealed || secretTyped, kept: secretKept, requirement });
  /** The host is checked as it is typed, with the runner's own rules; the other fields once Save was pressed. */
  const liveProblems: FormProblems = values.host.trim() !== '' && problems.host ? { host: problems.host } : {};
  /** Problems found here, before those the API named (for the form as it was sent). */
  const shown: FormProblems = { ...(apiProblems?.form === values ? apiProblems.fields : {}), ...liveProblems, ...(showProblems ? problems : {}) };
  const busy = phase.step === 'saving';
  const lost = tokensLost(view, values);
  /** The runner's answer, while it is about the form as it is. */
  const answer = result && result.form === values ? result.value : null;
  const runnerSecretChecks = answer ? secretChecks(answer.validation.oauth) : [];
  const secretError = runnerSecretChecks.find((check) => check.level === 'error');
  const checksOf = (group: CheckGroup) => (answer ? answer.validation[group].filter((check) => check !== secretError) : []);
  const changed = formChanged(initial, values) || secretTyped || sealed !== null || secretMode !== 'keep';

  // Unsaved input holds navigation (the Back key, the tray asking for another screen) until the admin says.
  useEffect(() => {
    if (!changed) return undefined;
    return holdNavigation((leave) => {
      leaveAfterDiscard.current = leave;
      setDiscarding(true);
    });
  }, [changed]);

  const update = (change: (current: ProviderForm) => ProviderForm) => {
    setValues((current) => change(current));
    setPhase((current) => (current.step === 'confirm-loss' ? { step: 'editing' } : current));
  };

  const closeNow = () => {
    closingOnPurpose.current = true;
    dialog.current?.close();
  };

  /** Escape, Cancel, the close button: a changed dialog asks first. */
  const requestClose = () => {
    if (busy) return;
    if (changed) setDiscarding(true);
    else closeNow();
  };

  const closed = () => {
    // Closed by the browser without asking (a second Escape in a row skips the cancel event): open again and ask.
    if (!closingOnPurpose.current && changed && dialog.current) {
      dialog.current.showModal();
      setDiscarding(true);
      return;
    }
    onClose();
  };

  /** What the save does with the client secret: the field seals what it holds (and clears itself), or gives the box sealed before. */
  const secretChange = (): ClientSecretChange | null => {
    if (!values.oauthEnabled || !entry.oauth.supported) return { action: 'none' };
    const outcome = secretField.current?.seal() ?? { state: 'empty' };
    // The field says why next to itself.
    if (outcome.state === 'failed') return null;
    if (outcome.state === 'sealed') return { action: 'replace', sealed: outcome.value.box };
    if (view?.oauth.secretSet && secretMode === 'remove') return { action: 'none' };
    if (view?.oauth.secretSet) return { action: 'keep' };
    return { action: 'none' };
  };

  const focusField = (field: FormField) => {
    focusAfterRender(() => form.current?.querySelector<HTMLElement>(`[data-field="${field}"]`) ?? null);
  };

  const save = (confirmWarnings: boolean, lossConfirmed: boolean) => {
    if (busy) return;
    setError(null);
    setApiProblems(null);
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
    if (!secret) {
      focusField('clientSecret');
      return;
    }
    const sentForm = values;
    setPhase({ step: 'saving' });
    api
      .saveProvider({
        runnerId: runner.id,
        provider: providerInput(sentForm, secret),
        previousHost: view?.host ?? null,
        confirmWarnings,
        // What Save anyway accepts: the warnings shown; one the runner finds beyond them is asked about first.
        ...(confirmWarnings && answer ? { warningsSeen: warningCodesOf(answer.validation) } : {}),
      })
      .then(
        (saved) => {
          if (saved.saved) {
            setSealed(null);
            setPhase({ step: 'editing' });
            onSaved(saved, view);
            closeNow();
            return;
          }
          setPhase({ step: 'editing' });
          setResult({ value: saved, form: sentForm });
          // The footer says what stands in the way; the checks are under their parts of the form.
          focusAfterRender(() => summaryRef.current);
        },
        (e: unknown) => {
          setPhase({ step: 'editing' });
          // Issues the API names by path go next to their fields; the rest is said above the buttons.
          const data = paddockErrorData(e);
          const fields = (data?.issues ?? []).flatMap((issue) => issueField(issue.path, sentForm) ?? []);
          const issues = (data?.issues ?? []).map((issue) => ({ ...issue, path: issueField(issue.path, sentForm) ?? issue.path }));
          const placed = formErrors(data ? { ...data, issues } : e, fields);
          setApiProblems({ fields: placed.fields, form: sentForm });
          setError(placed.general);
          const first = Object.keys(placed.fields)[0] as FormField | undefined;
          if (first) focusField(first);
          else focusAfterRender(() => generalError.current);
          onError?.(errorView(e));
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
          // The runner's message says what was found, or what to enter instead.
          [key]: found.message,
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
  const callbacks = callbackOptions(values.kind, callbackRunnerOf(runner));
  const kindLabel = entry.displayName;
  /** Long guidance (callback URLs, scopes and why) is open for a new entry, folded away once the entry has been saved. */
  const guidanceOpen = view === null;
  const secretHint =
    requirement === 'required'
      ? `${kindLabel} needs it with this callback.`
      : runner.kind === 'local'
        ? 'Optional. Recommended for this runner: leave it empty and register a public client (PKCE, no secret).'
        : 'Optional: only for a confidential app.';

  // The footer's summary: what stands in the way of saving, or what is happening.
  const problemCount = showProblems ? Object.keys(problems).length : 0;
  const all = answer ? [...answer.validation.host, ...answer.validation.oauth, ...answer.validation.pat] : [];
  const groupsWith = (level: 'error' | 'warning') => (['host', 'oauth', 'pat'] as const).filter((group) => answer?.validation[group].some((check) => check.level === level));
  const runnerErrors = all.filter((check) => check.level === 'error').length;
  const runnerWarnings = all.filter((check) => check.level === 'warning').length;
  let summary: { tone: 'error' | 'warning' | 'busy'; text: string } | null = null;
  if (busy) summary = { tone: 'busy', text: 'Saving: the runner checks the entry…' };
  else if (problemCount > 0) summary = { tone: 'error', text: `Not saved: fix ${problemCount === 1 ? 'the field' : `the ${problemCount} fields`} marked above.` };
  else if (answer && runnerErrors > 0) summary = { tone: 'error', text: `Not saved: fix what is marked under ${groupNames(groupsWith('error'))}.` };
  else if (answer?.needsConfirmation) {
    summary = {
      tone: 'warning',
      text: `Not saved yet: the runner found ${plural(runnerWarnings, 'warning', 'warnings')}, under ${groupNames(groupsWith('warning'))}. Save anyway to keep the entry as it is and check it again later, or change it.`,
    };
  }
  const summaryId = `${titleId}-summary`;
  /** Under the title, on one line (a long host is cut, whole on hover and in the Host field). */
  const subtitle = view ? `${view.host} on ${runner.name}` : `${kindLabel} for ${runner.name}`;

  return (
    <>
      <dialog
        ref={dialog}
        className="dialog dialog-wide provider-dialog"
        aria-labelledby={titleId}
        onCancel={(event) => {
          // Escape: never while saving; with changes, ask first.
          event.preventDefault();
          requestClose();
        }}
        onClose={closed}
      >
        <form ref={form} className="dialog-form" onSubmit={submit} noValidate aria-busy={busy || undefined}>
          <header className="dialog-header">
            <div className="dialog-title">
              <h2 id={titleId}>{title}</h2>
              <p className="muted dialog-subtitle" title={subtitle}>
                {subtitle}
              </p>
            </div>
            <button type="button" className="dialog-close" onClick={requestClose} aria-disabled={busy || undefined} title="Close">
              <span aria-hidden="true">✕</span>
              <span className="visually-hidden">Close</span>
            </button>
          </header>

          <div className="dialog-body">
            {view ? (
              <>
                <dl className="facts">
                  <dt>Provider</dt>
                  <dd>{kindLabel}</dd>
                </dl>
                <LastCheck check={view.lastCheck} />
              </>
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
            <SectionChecks checks={checksOf('host').filter((check) => !hostResult.ok || !hostResult.warnings.some((w) => w.code === check.code))} label="Host" />

            {values.kind === 'azure-devops' && (
              <ListEditor<OrganizationRow>
                legend="Organizations"
                hint={
                  <>
                    Each organization, as in https://dev.azure.com/<var>organization</var>, with the Microsoft Entra tenant it belongs to. Find it
                    through the runner, or enter it.
                  </>
                }
                items={values.organizations}
                onChange={(change) => update((current) => ({ ...current, organizations: change(current.organizations) }))}
                create={emptyOrganization}
                columns={organizationColumns}
                errors={shown}
                noun="organization"
                addLabel="Add an organization"
                actions={(row, position) => (
                  <button type="button" onClick={() => findTenant(row.key, row.name)}>
                    Find tenant<span className="visually-hidden"> of organization {position}</span>
                  </button>
                )}
                status={(row) => (
                  <span role="status" className="muted">
                    {tenantStatus[row.key]}
                  </span>
                )}
              />
            )}

            {values.kind === 'azure-devops-server' && (
              <ListEditor<CollectionRow>
                legend="Collections"
                hint="The collections users work in, for example DefaultCollection."
                items={values.collections}
                onChange={(change) => update((current) => ({ ...current, collections: change(current.collections) }))}
                create={emptyCollection}
                columns={collectionColumns}
                errors={shown}
                noun="collection"
                addLabel="Add a collection"
              />
            )}

            <fieldset className="methods">
              <legend>How users connect</legend>

              <Switch label="Enable Personal Access Token" checked={values.patEnabled} onChange={(checked) => update((current) => ({ ...current, patEnabled: checked }))} />
              {values.patEnabled && (
                <div className="method-details">
                  <details className="guidance" open={guidanceOpen}>
                    <summary>What users create: {tokenNameInSentence(entry.pat.name, { article: true })} and its scopes</summary>
                    <p>Users create {tokenNameInSentence(entry.pat.name, { article: true })} on {kindLabel}, which this runner keeps for them, with the scopes:</p>
                    <ul className="scope-list">
                      {entry.pat.scopes.map((scope) => (
                        <li key={scope.scope}>
                          <code>{scope.scope}</code> — {scope.reason}
                        </li>
                      ))}
                    </ul>
                    {entry.pat.notes.map((note) => (
                      <p key={note.text} className="field-hint">
                        {noteText(note, new Date())}
                      </p>
                    ))}
                  </details>
                </div>
              )}
              <SectionChecks checks={checksOf('pat')} label="Personal Access Token" />

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
                  {callbacks.length === 0 && <p className="error">This runner has no callback URL that {kindLabel} accepts.</p>}
                  <details className="guidance" open={guidanceOpen}>
                    <summary>Setting up the {entry.oauth.registration.name}: callback URL and scopes</summary>
                    <p>
                      Create {/^[AEIOU]/i.test(entry.oauth.registration.name) ? 'an' : 'a'} {entry.oauth.registration.name} ({entry.oauth.registration.where})
                      with the callback URL and scopes below, then enter its details here.
                    </p>
                    {callbacks.length > 0 && (
                      <>
                        <h3 className="small-heading">Callback URL</h3>
                        <ul className="callback-list">
                          {callbacks.map((option, index) => (
                            <li key={option.url}>
                              <span className="with-copy">
                                <code title={option.url}>{option.url}</code>
                                <CopyButton text={option.url} what={`the callback URL ${option.url}`} />
                              </span>
                              <span className="field-hint">
                                {index === 0 ? 'Register this one. ' : 'Also accepted. '}
                                {option.secret === 'not-used'
                                  ? 'With it the app is a public client: PKCE, no client secret.'
                                  : option.secret === 'optional'
                                    ? 'A client secret is optional with it.'
                                    : 'The client secret is then required.'}
                              </span>
                            </li>
                          ))}
                        </ul>
                      </>
                    )}
                    <h3 className="small-heading">Scopes to grant</h3>
                    <ul className="scope-list">
                      {entry.oauth.scopes.map((scope) => (
                        <li key={scope.scope}>
                          <code>{scope.scope}</code> — {scope.reason}
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
                  </details>

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
                  <SealedSecretField
                    ref={secretField}
                    label="Client Secret"
                    field="clientSecret"
                    publicKey={canSeal ? runner.publicKey : null}
                    binding={currentBinding}
                    bindingLabels={{ host: 'host', clientId: 'Client ID', tenant: 'tenant' }}
                    seal={(secret, binding, publicKey) => sealClientSecret({ ...binding, secret }, publicKey)}
                    value={sealed}
                    onChange={setSealed}
                    onTyped={setSecretTyped}
                    unboundMessage="Enter the host and Client ID first: the secret is sealed for them."
                    staleHint="The host, Client ID or tenant changed since the secret was sealed: enter it again."
                    hint={neededAgain ?? secretHint}
                    stored={
                      storedSecret
                        ? {
                            mode: secretMode,
                            onModeChange: (mode) => {
                              setSecretMode(mode);
                              // Keeping or removing the runner's secret drops one entered meanwhile.
                              if (mode !== 'replace') setSealed(null);
                            },
                            removable: requirement === 'optional',
                            removedNote: 'Removed when you save: the app is then a public client.',
                          }
                        : null
                    }
                    error={shown.clientSecret ?? secretError?.message}
                  />
                </div>
              )}
              <SectionChecks checks={checksOf('oauth')} label="OAuth" />
              {!values.oauthEnabled && !values.patEnabled && (
                <p className="field-error" data-field="methods" tabIndex={-1}>
                  <span aria-hidden="true">✕ </span>
                  {problems.methods}
                </p>
              )}
            </fieldset>

            <DocsLinks kind={values.kind} />
          </div>

          <footer className="dialog-footer">
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
            {summary && phase.step !== 'confirm-loss' && (
              <p id={summaryId} className={`save-summary save-summary-${summary.tone}`} ref={summaryRef} tabIndex={-1}>
                {summary.tone !== 'busy' && <span aria-hidden="true">{summary.tone === 'error' ? '✕ ' : '▲ '}</span>}
                {summary.text}
              </p>
            )}
            {error && (
              <p className="error" role="alert" ref={generalError} tabIndex={-1}>
                {error}
              </p>
            )}
            {phase.step !== 'confirm-loss' && (
              <div className="actions">
                {answer?.needsConfirmation && runnerErrors === 0 && problemCount === 0 && (
                  <button type="button" className="button-warning" onClick={() => save(true, true)} aria-disabled={busy || undefined} aria-describedby={summaryId}>
                    Save anyway
                  </button>
                )}
                <button type="submit" className="button-primary" aria-disabled={busy || undefined}>
                  {busy ? 'Saving…' : 'Save'}
                </button>
                <button type="button" onClick={requestClose} aria-disabled={busy || undefined}>
                  Cancel
                </button>
              </div>
            )}
          </footer>
        </form>
      </dialog>
      {discarding && (
        <ConfirmDialog
          title="Discard changes?"
          cancelLabel="Keep editing"
          confirm={{ label: 'Discard changes', busyLabel: 'Discarding…', run: () => Promise.resolve() }}
          onClose={(discard) => {
            setDiscarding(false);
            const leave = leaveAfterDiscard.current;
            leaveAfterDiscard.current = null;
            if (!discard) return;
            closeNow();
            leave?.();
          }}
        >
          <p>
            What you entered for this provider is not saved.
            {(secretTyped || sealed !== null) && ' The Client Secret you entered is cleared too.'}
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** An organization's fields; data-field names as formProblems reports them (`organization-…`, `tenant-…`). */
const organizationColumns: [ListColumn<OrganizationRow>, ...ListColumn<OrganizationRow>[]] = [
  { id: 'organization', label: (n) => `Organization ${n}`, value: (row) => row.name, set: (row, name) => ({ ...row, name }) },
  {
    id: 'tenant',
    label: (n) => `Tenant of organization ${n}`,
    value: (row) => row.tenant,
    set: (row, tenant) => ({ ...row, tenant, tenantOrigin: 'entered' }),
    placeholder: 'organizations',
    hint: (row) => (row.tenantOrigin === 'discovered' ? 'Found by the runner.' : 'A tenant ID, or “organizations” (the default when left empty).'),
  },
];

const collectionColumns: [ListColumn<CollectionRow>] = [
  { id: 'collection', label: (n) => `Collection ${n}`, value: (row) => row.name, set: (row, name) => ({ ...row, name }) },
];

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
