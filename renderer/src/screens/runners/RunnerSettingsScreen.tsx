import { useRef, useState, type FormEvent, type RefObject } from 'react';
import type { PaddockApi, Runner } from '../../../../electron/common/api';
import type { Navigate } from '../../App';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { CopyButton } from '../../components/CopyButton';
import { Field } from '../../components/Field';
import { Fingerprint, KeyText } from '../../components/Fingerprint';
import { ManagedBadge } from '../../components/ManagedBadge';
import { StateBadge, TimeAgo } from '../../components/RunnerHealth';
import { BackLink, LoadError, Screen } from '../../components/Screen';
import { paddockErrorData } from '../../../../electron/common/errors';
import { formErrors, noFormErrors, type FormErrors } from '../../form-errors';
import { useFocusAfterRender, useNow, useRunners, type Loadable } from '../../hooks';
import { hashOf } from '../../routes';
import { ProviderStates } from './ProviderStates';
import { RestartButton, useStateAnnouncement } from './runner-actions';

/** Runner settings (R3): name, kind, keys, health, repository access, remove. */
export function RunnerSettingsScreen({
  api,
  headingRef,
  navigate,
  runnerId,
}: {
  api: PaddockApi;
  headingRef: RefObject<HTMLHeadingElement | null>;
  navigate: Navigate;
  runnerId: string;
}) {
  const runners = useRunners(api);
  const now = useNow();
  const runner = runners.state === 'ready' ? runners.value.find((r) => r.id === runnerId) : undefined;
  const onlyThis: Loadable<Runner[]> = runners.state === 'ready' ? { state: 'ready', value: runner ? [runner] : [] } : runners;
  const announcement = useStateAnnouncement(onlyThis);
  const title = runner?.name ?? (runners.state === 'loading' ? 'Runner' : 'Runner not found');
  const statusHeading = useRef<HTMLHeadingElement>(null);
  const [registered, setRegistered] = useState('');

  return (
    <Screen title={title} headingRef={headingRef} before={<BackLink href={hashOf({ screen: 'runners', page: 'list' })}>Runners</BackLink>}>
      {runners.state === 'loading' && <p aria-busy="true">Loading the runner…</p>}
      {runners.state === 'failed' && <LoadError message={runners.message} />}
      {runners.state === 'ready' && !runner && <p>That runner no longer exists. It may have been removed in another window.</p>}
      {runner && (
        <>
          {runner.managed && (
            <p className="managed-note">
              <ManagedBadge />{' '}
              <span>
                Your admin’s policy set up this runner on this workstation, so it cannot be renamed or removed here.
                {runner.kind === 'remote' && ' Its URL, fingerprint and key come from the policy.'}
              </span>
            </p>
          )}
          {runner.health.state === 'unregistered' && (
            <RegisterManagedRunner
              api={api}
              runner={runner}
              onRegistered={(name) => {
                setRegistered(`This workstation is registered with ${name}.`);
                statusHeading.current?.focus();
              }}
            />
          )}
          <section className="panel" aria-labelledby="runner-details">
            <h2 id="runner-details">Details</h2>
            <dl className="facts">
              <dt>Name</dt>
              <dd>
                <NameEditor api={api} runner={runner} />
              </dd>
              <dt>Kind</dt>
              <dd>{runner.kind === 'local' ? 'Local runner on this workstation' : 'Runner on a server'}</dd>
              <dt>This workstation’s role</dt>
              <dd>{roleWords(runner)}</dd>
              {runner.kind === 'remote' && (
                <>
                  <dt>URL</dt>
                  <dd>{runner.url}</dd>
                </>
              )}
              <dt>Added</dt>
              <dd>
                <TimeAgo at={runner.createdAt} now={now} withExact />
              </dd>
              <dt>Public key</dt>
              <dd>
                {runner.publicKey ? (
                  <span className="with-copy">
                    <KeyText value={runner.publicKey} />
                    <CopyButton text={runner.publicKey} what="the public key" />
                  </span>
                ) : (
                  'Shown once the runner has started.'
                )}
                <span className="field-hint">Client secrets are sealed to this key, so that only this runner can read them.</span>
              </dd>
              {runner.kind === 'remote' && runner.spki && (
                <>
                  <dt>Pinned fingerprint</dt>
                  <dd>
                    <Fingerprint spki={runner.spki} />
                    <span className="field-hint">Paddock refuses this runner if its TLS key ever changes.</span>
                  </dd>
                </>
              )}
            </dl>
          </section>

          <section className="panel" aria-labelledby="runner-health">
            <h2 id="runner-health" ref={statusHeading} tabIndex={-1}>
              Status
            </h2>
            <p>
              <StateBadge state={runner.health.state} />
            </p>
            {runner.health.state !== 'online' && runner.health.message && (
              <p className={`runner-message runner-message-${runner.health.state}`}>{runner.health.message}</p>
            )}
            <dl className="facts">
              <dt>Version</dt>
              <dd>{runner.health.version ?? 'Shown once the runner answers'}</dd>
              <dt>API version</dt>
              <dd>{runner.health.apiVersion ?? 'Shown once the runner answers'}</dd>
              <dt>Last seen</dt>
              <dd>
                <TimeAgo at={runner.health.lastSeen} now={now} withExact />
              </dd>
            </dl>
            {runner.health.state !== 'unregistered' && <RestartButton api={api} runner={runner} />}
            <p role="status" className="visually-hidden">
              {announcement}
            </p>
          </section>

          <section className="panel" aria-labelledby="runner-access">
            <h2 id="runner-access">Repository access</h2>
            <p>
              Which source-control providers this runner can reach, and how users sign in to them.
              {runner.role === 'user' && ' The runner’s admins change them; this workstation can see and check them.'}
            </p>
            <ProviderStates api={api} runner={runner} />
            <div className="actions">
              <a className="button" href={hashOf({ screen: 'runners', page: 'access', runnerId: runner.id })}>
                {runner.role === 'user' ? 'See repository access' : 'Configure repository access'}
              </a>
            </div>
          </section>

          {!runner.managed && (
            <section className="panel" aria-labelledby="runner-remove">
              <h2 id="runner-remove">Remove</h2>
              <RemoveRunner api={api} runner={runner} navigate={navigate} />
            </section>
          )}
        </>
      )}
      <p role="status" className="visually-hidden">
        {registered}
      </p>
    </Screen>
  );
}

/** What this workstation may do on the runner, in words. */
function roleWords(runner: Runner): string {
  if (runner.kind === 'local') return 'Admin: it is this workstation’s own runner.';
  if (runner.role === 'admin') return 'Admin: it can change the runner’s repository access.';
  if (runner.role === 'user') return 'User: it uses the runner; the runner’s admins change its repository access.';
  return 'Shown once the runner answers.';
}

/** The name, with an inline form to rename it; the API's validation shows next to the field. */
function NameEditor({ api, runner }: { api: PaddockApi; runner: Runner }) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(runner.name);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors<'name'>>(noFormErrors);
  const [status, setStatus] = useState('');
  const renameButton = useRef<HTMLButtonElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const focusAfterRender = useFocusAfterRender();

  const start = () => {
    setValue(runner.name);
    setErrors(noFormErrors);
    setStatus('');
    setEditing(true);
    focusAfterRender(() => input.current);
  };

  const stop = () => {
    setEditing(false);
    setErrors(noFormErrors);
    focusAfterRender(() => renameButton.current);
  };

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setErrors(noFormErrors);
    api.renameRunner({ id: runner.id, name: value }).then(
      (renamed) => {
        setBusy(false);
        setEditing(false);
        setStatus(`Renamed to ${renamed.name}.`);
        focusAfterRender(() => renameButton.current);
      },
      (error: unknown) => {
        setBusy(false);
        const next = formErrors(error, ['name'] as const);
        setErrors(next);
        if (next.fields.name) focusAfterRender(() => input.current);
      },
    );
  };

  return (
    <>
      {editing ? (
        <form className="inline-form" onSubmit={save} noValidate aria-busy={busy || undefined}>
          <Field
            label="Name"
            hideLabel
            autoComplete="off"
            value={value}
            onChange={(event) => setValue(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') {
                event.preventDefault();
                stop();
              }
            }}
            error={errors.fields.name}
            inputRef={input}
          />
          <div className="actions">
            <button type="submit" className="button-primary" aria-disabled={busy || undefined}>
              {busy ? 'Saving…' : 'Save name'}
            </button>
            <button type="button" onClick={() => !busy && stop()} aria-disabled={busy || undefined}>
              Cancel
            </button>
          </div>
          {errors.general && (
            <p className="error" role="alert">
              {errors.general}
            </p>
          )}
        </form>
      ) : runner.managed ? (
        <span>{runner.name}</span>
      ) : (
        <span className="with-action">
          <span>{runner.name}</span>
          <button type="button" ref={renameButton} onClick={start}>
            Rename<span className="visually-hidden"> {runner.name}</span>
          </button>
        </span>
      )}
      <span role="status" className="muted rename-status">
        {status}
      </span>
    </>
  );
}

/**
 * A managed runner this workstation has not registered with yet: one field
 * for the token the admin hands out. The policy pins the runner's
 * fingerprint and key, so there is nothing to compare; once registered the
 * runner's state changes (onRunnersChanged) and this form goes away.
 */
function RegisterManagedRunner({ api, runner, onRegistered }: { api: PaddockApi; runner: Runner; onRegistered: (name: string) => void }) {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors<'token'>>(noFormErrors);
  const input = useRef<HTMLInputElement>(null);
  const general = useRef<HTMLParagraphElement>(null);
  const focusAfterRender = useFocusAfterRender();

  const register = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setErrors(noFormErrors);
    api.registerManagedRunner({ id: runner.id, token }).then(
      (registered) => {
        setBusy(false);
        setToken('');
        onRegistered(registered.name);
      },
      (error: unknown) => {
        setBusy(false);
        const next = formErrors(error, ['token'] as const);
        setErrors(next);
        focusAfterRender(() => (next.fields.token ? input.current : general.current));
      },
    );
  };

  return (
    <section className="panel panel-attention" aria-labelledby="runner-register">
      <h2 id="runner-register">Register this workstation</h2>
      <p>
        Before this workstation can use {runner.name}, it needs a one-time registration token from your admin. There is no fingerprint to
        compare: your admin’s policy pins the runner’s key.
      </p>
      <form onSubmit={register} noValidate aria-busy={busy || undefined}>
        <Field
          label="Registration token"
          hint={
            <>
              Ask your admin for a token for this workstation. It starts with <code>prt1_</code> and works once.
            </>
          }
          autoComplete="off"
          spellCheck={false}
          value={token}
          onChange={(event) => setToken(event.target.value)}
          error={errors.fields.token}
          inputRef={input}
        />
        {errors.general && (
          <p className="error" role="alert" tabIndex={-1} ref={general}>
            {errors.general}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="button-primary" aria-disabled={busy || undefined}>
            {busy ? 'Registering…' : 'Register'}
          </button>
        </div>
      </form>
    </section>
  );
}

/**
 * "Remove runner…" and its confirmation, which says what is deleted. A
 * runner that cannot be reached can still be removed from Paddock, after
 * the user is told what stays behind.
 */
function RemoveRunner({ api, runner, navigate }: { api: PaddockApi; runner: Runner; navigate: Navigate }) {
  const [confirming, setConfirming] = useState(false);

  const remove = (force: boolean) =>
    api.removeRunner(force ? { id: runner.id, force: true } : { id: runner.id }).then(() => {
      navigate(
        { screen: 'runners', page: 'list' },
        !force
          ? `${runner.name} was removed, with the tokens and keys it stored for this workstation.`
          : runner.kind === 'local'
            ? `${runner.name} was removed and its files deleted. It was not running, so its keys may remain in the OS keychain.`
            : `${runner.name} was removed from Paddock. The runner could not be reached, so what it keeps for this workstation is still on the server.`,
      );
    });

  const description =
    runner.kind === 'local'
      ? 'The local runner stops and deletes its key pair, its data key and every token it keeps. You can set up a new local runner later; it gets new keys.'
      : `The runner at ${runner.url ?? 'its server'} deletes everything it keeps for this workstation, and Paddock deletes this workstation’s credential for it. To add the runner again, you need a new registration token.`;

  return (
    <>
      <p>Removing a runner deletes the tokens and keys it stores for this workstation.</p>
      <div className="actions">
        <button type="button" className="button-danger" onClick={() => setConfirming(true)}>
          Remove runner…
        </button>
      </div>
      {confirming && (
        <ConfirmDialog
          title={`Remove ${runner.name}?`}
          confirm={{ label: 'Remove runner', busyLabel: 'Removing…', run: () => remove(false) }}
          fallback={{
            label: 'Remove from Paddock anyway',
            busyLabel: 'Removing…',
            run: () => remove(true),
            // Only a runner that could not be reached: anything else would fail the same way.
            offerAfter: (error) => paddockErrorData(error)?.code === 'runner-unavailable',
          }}
          onClose={() => setConfirming(false)}
        >
          <p>
            <strong>The runner’s stored tokens and keys for this workstation will be deleted.</strong> {description}
          </p>
          <p>This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
