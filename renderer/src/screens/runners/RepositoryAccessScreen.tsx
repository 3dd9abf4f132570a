import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { PaddockApi, Runner, SaveProviderResult } from '../../../../electron/common/api';
import type { ProviderValidation, ProviderView } from '../../../../electron/common/provider-config';
import { catalogueEntry } from '../../../../electron/common/providers';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { BackLink, EmptyState, LoadError, Screen } from '../../components/Screen';
import { errorView, type ErrorView } from '../../errors';
import { useFocusAfterRender, useRunners } from '../../hooks';
import { deletedTokensSentence, suggestedKind } from '../../provider-form';
import { hashOf } from '../../routes';
import { ValidationGroups } from './provider-checks';
import { ProviderCheck } from './ProviderCheck';
import { ProviderDialog } from './ProviderDialog';

/** What the last save or removal did, shown above the list until the next one. */
interface Outcome {
  message: string;
  validation: ProviderValidation | null;
  host: string;
}

type Editing = { mode: 'add' } | { mode: 'edit'; view: ProviderView } | null;

type ProviderList = { state: 'loading' } | { state: 'ready'; value: ProviderView[] } | { state: 'failed'; error: ErrorView };

/**
 * Whether this workstation may change the runner's repository access: only
 * as its admin. While the role is not known yet (the runner has not
 * answered since the app started), the entries show without Add, Edit and
 * Remove: a button that might vanish a moment later, or fail with
 * "forbidden" when pressed, is worse than one that appears once the runner
 * has said (a heartbeat, usually within seconds; and a runner that has not
 * answered cannot list its entries either).
 */
export function canChangeAccess(runner: Runner): boolean {
  return runner.role === 'admin';
}

/** The screen's title: a workstation that cannot change the access only sees it. */
export function repositoryAccessTitle(runner: Runner | undefined): string {
  return runner?.role === 'user' ? 'Repository access' : 'Configure repository access';
}

/**
 * "Configure repository access" for one runner (S1–S7): its provider
 * entries, "Add a new provider", editing and removing entries, and "Check
 * again" on each. Where both the create-runner flows and runner settings
 * lead (R3, R4). A workstation that uses the runner as a user sees the
 * entries read-only, and can check them.
 */
export function RepositoryAccessScreen({ api, headingRef, runnerId }: { api: PaddockApi; headingRef: RefObject<HTMLHeadingElement | null>; runnerId: string }) {
  const runners = useRunners(api);
  const runner = runners.state === 'ready' ? runners.value.find((r) => r.id === runnerId) : undefined;
  const settingsHref = hashOf({ screen: 'runners', page: 'settings', runnerId });
  const listHref = hashOf({ screen: 'runners', page: 'list' });
  return (
    <Screen
      title={repositoryAccessTitle(runner)}
      headingRef={headingRef}
      before={runner ? <BackLink href={settingsHref}>{runner.name}</BackLink> : <BackLink href={listHref}>Runners</BackLink>}
    >
      {runners.state === 'loading' && <p aria-busy="true">Loading the runner…</p>}
      {runners.state === 'failed' && <LoadError message={runners.message} />}
      {runners.state === 'ready' && !runner && <LoadError message="That runner no longer exists." />}
      {runner && (
        <>
          <p className="lead">
            Which source-control providers {runner.name} can reach, and how users connect to them: OAuth, a Personal Access Token, or
            both.
          </p>
          <Providers api={api} runner={runner} headingRef={headingRef} />
          <p className="muted">
            Each user connects their own account to these providers, under <a href={hashOf({ screen: 'accounts' })}>Accounts</a>.
          </p>
        </>
      )}
    </Screen>
  );
}

function Providers({ api, runner, headingRef }: { api: PaddockApi; runner: Runner; headingRef: RefObject<HTMLHeadingElement | null> }) {
  const [providers, setProviders] = useState<ProviderList>({ state: 'loading' });
  const [retrying, setRetrying] = useState(false);
  const [editing, setEditing] = useState<Editing>(null);
  const [removing, setRemoving] = useState<ProviderView | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  /** The last "ask your admin" refusal of a change, shown on the page once the screen has turned read-only. */
  const [refusal, setRefusal] = useState<ErrorView | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const outcomeHeading = useRef<HTMLHeadingElement>(null);
  /** Where focus goes back to when the provider dialog closes without a change. */
  const opener = useRef<HTMLElement | null>(null);
  const focusAfterRender = useFocusAfterRender();
  const canChange = canChangeAccess(runner);

  /** Reads the entries; resolves to whether that worked. */
  const load = useCallback(
    () =>
      api.listProviders({ id: runner.id }).then(
        (value) => {
          setProviders({ state: 'ready', value });
          return true;
        },
        (e: unknown) => {
          const error = errorView(e);
          setProviders({ state: 'failed', error: { ...error, message: `Could not read this runner’s repository access: ${error.message}` } });
          return false;
        },
      ),
    [api, runner.id],
  );

  // Again when the runner comes online: it answers only then.
  const online = runner.health.state === 'online';
  useEffect(() => {
    void load();
  }, [load, online]);

  /** "Try again" after a failed load: the list comes back in place, and focus goes to the page's heading above it. */
  const retry = () => {
    if (retrying) return;
    setRetrying(true);
    void load().then((loaded) => {
      setRetrying(false);
      if (loaded) focusAfterRender(() => headingRef.current);
    });
  };

  // The role changed under an open dialog (the runner refused a change): the dialog goes, and focus to the sentence that says why.
  // Adjusted while rendering, as React documents for "storing information from previous renders".
  const [couldChange, setCouldChange] = useState(canChange);
  if (couldChange !== canChange) {
    setCouldChange(canChange);
    if (!canChange && (editing !== null || removing !== null)) {
      setEditing(null);
      setRemoving(null);
      // By id: a ref is not to be read while rendering, even in a callback made then.
      focusAfterRender(() => document.getElementById('role-note'));
    }
  }

  /** A change the runner refused or that found the list out of date: act on the error's code. */
  const changeFailed = (error: ErrorView) => {
    if (error.action === 'refresh') void load();
    if (error.action === 'ask-admin') {
      setRefusal(error);
      // The runner may say this workstation is only a user now: ask it again, so the page follows (the local runner's workstation is always its admin).
      if (runner.kind === 'remote') api.restartRunner({ id: runner.id }).catch(() => {});
    }
  };

  const openDialog = (next: Editing) => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setEditing(next);
  };

  const saved = (result: SaveProviderResult, previous: ProviderView | null) => {
    const view = result.provider;
    const name = view ? catalogueEntry(view.kind).displayName : 'The provider';
    const host = view?.host ?? previous?.host ?? '';
    setOutcome({
      message: `${previous ? 'Saved' : 'Added'} ${name} (${host}).${previous ? ` ${deletedTokensSentence(result.deletedTokens)}` : ''}`,
      validation: result.validation,
      host,
    });
    opener.current = null;
    focusAfterRender(() => outcomeHeading.current);
    void load();
  };

  const removed = (view: ProviderView, deletedTokens: number, rest: ProviderView[]) => {
    setProviders({ state: 'ready', value: rest });
    setOutcome({
      message: `Removed ${catalogueEntry(view.kind).displayName} (${view.host}). ${deletedTokensSentence(deletedTokens)}`,
      validation: null,
      host: view.host,
    });
    focusAfterRender(() => outcomeHeading.current);
  };

  const dialogClosed = () => {
    setEditing(null);
    const back = opener.current;
    if (back) focusAfterRender(() => (back.isConnected ? back : addButton.current));
  };

  return (
    <>
      {runner.role === 'user' && (
        <div className="role-note">
          {refusal && <ErrorNotice error={refusal} />}
          <p id="role-note" tabIndex={-1}>
            This workstation uses {runner.name} as a user: you can see and check its repository access, and the runner’s admins change it.
          </p>
        </div>
      )}

      {canChange && outcome && (
          <section className="panel outcome" aria-labelledby="provider-outcome">
            <h2 id="provider-outcome" ref={outcomeHeading} tabIndex={-1}>
              {outcome.message}
            </h2>
            {outcome.validation && (
              <>
                <p className="muted">What the runner checked when it saved {outcome.host}:</p>
                <ValidationGroups validation={outcome.validation} idPrefix="outcome-checks" />
              </>
            )}
          </section>
      )}

      {providers.state === 'loading' && <p aria-busy="true">Loading this runner’s providers…</p>}
      {providers.state === 'failed' && (
        <div className="panel">
          <ErrorNotice error={providers.error} retry={retry} refresh={retry} busy={retrying} />
        </div>
      )}
      {providers.state === 'ready' && providers.value.length === 0 && (
        <EmptyState title="No providers yet">
          {canChange || runner.role === null ? (
            <p>Add GitHub, GitLab, Bitbucket or Azure DevOps — in the cloud or on your own servers — so that users can work on their repositories.</p>
          ) : (
            <p>The runner’s admins have not added any source-control providers to it yet.</p>
          )}
        </EmptyState>
      )}
      {providers.state === 'ready' && providers.value.length > 0 && (
        <ul className="provider-list" aria-label="Providers">
          {providers.value.map((view) => (
            <ProviderItem
              key={view.host}
              api={api}
              runner={runner}
              view={view}
              canChange={canChange}
              onEdit={() => openDialog({ mode: 'edit', view })}
              onRemove={() => setRemoving(view)}
              onChecked={() => void load()}
            />
          ))}
        </ul>
      )}
      {providers.state === 'ready' && canChange && (
        <div className="actions">
          <button type="button" className="button-primary" ref={addButton} onClick={() => openDialog({ mode: 'add' })}>
            Add a new provider
          </button>
        </div>
      )}

      {canChange && editing && (
        <ProviderDialog
          api={api}
          runner={runner}
          view={editing.mode === 'edit' ? editing.view : null}
          initialKind={suggestedKind(providers.state === 'ready' ? providers.value : [])}
          onClose={dialogClosed}
          onSaved={saved}
          onError={changeFailed}
        />
      )}
      {canChange && removing && (
        <RemoveProviderDialog
          api={api}
          runner={runner}
          view={removing}
          onClose={() => setRemoving(null)}
          onRemoved={removed}
          onError={changeFailed}
          fallbackFocus={() => addButton.current}
        />
      )}
    </>
  );
}

function ProviderItem({
  api,
  runner,
  view,
  canChange,
  onEdit,
  onRemove,
  onChecked,
}: {
  api: PaddockApi;
  runner: Runner;
  view: ProviderView;
  canChange: boolean;
  onEdit: () => void;
  onRemove: () => void;
  /** A "Check again" ended: the runner has kept its outcome on the entry. */
  onChecked: () => void;
}) {
  const entry = catalogueEntry(view.kind);
  const headingId = `provider-${view.host.replace(/[^a-zA-Z0-9]/g, '-')}`;
  const label = `${entry.displayName} ${view.host}`;
  return (
    <li className="provider-item" aria-labelledby={headingId}>
      <div className="provider-item-head">
        <h3 id={headingId} className="provider-name">
          {entry.displayName} <span className="provider-host">{view.host}</span>
        </h3>
        {view.managed && <span className="badge badge-managed">Managed</span>}
      </div>
      <dl className="provider-facts">
        {view.kind === 'azure-devops' && (
          <div>
            <dt>Organizations</dt>
            <dd>{view.organizations.length ? view.organizations.map((o) => `${o.name} (tenant ${o.tenant})`).join(', ') : 'None'}</dd>
          </div>
        )}
        {view.kind === 'azure-devops-server' && (
          <div>
            <dt>Collections</dt>
            <dd>{view.collections.length ? view.collections.map((c) => c.name).join(', ') : 'None'}</dd>
          </div>
        )}
        <div>
          <dt>OAuth</dt>
          <dd>
            {view.oauth.enabled ? (
              <>
                On — Client ID <code>{view.oauth.clientId}</code>
                {view.oauth.tenant && (
                  <>
                    , tenant <code>{view.oauth.tenant}</code>
                  </>
                )}
                , Client Secret: {view.oauth.secretSet ? 'set' : 'none (public client)'}
              </>
            ) : (
              'Off'
            )}
          </dd>
        </div>
        <div>
          <dt>Personal Access Token</dt>
          <dd>{view.pat.enabled ? 'On' : 'Off'}</dd>
        </div>
      </dl>
      {canChange && view.managed && (
        <p className="field-hint" id={`${headingId}-managed`}>
          Set by the admin policy on this workstation: it cannot be changed or removed here.
        </p>
      )}
      <ProviderCheck
        api={api}
        runnerId={runner.id}
        host={view.host}
        label={label}
        idPrefix={`${headingId}-check`}
        lastCheck={view.lastCheck ?? null}
        onEnded={onChecked}
        actions={
          canChange &&
          (view.managed ? (
            <>
              <button type="button" disabled aria-describedby={`${headingId}-managed`}>
                Edit<span className="visually-hidden"> {label}</span>
              </button>
              <button type="button" disabled aria-describedby={`${headingId}-managed`}>
                Remove<span className="visually-hidden"> {label}</span>
              </button>
            </>
          ) : (
            <>
              <button type="button" onClick={onEdit}>
                Edit<span className="visually-hidden"> {label}</span>
              </button>
              <button type="button" onClick={onRemove}>
                Remove<span className="visually-hidden"> {label}</span>
              </button>
            </>
          ))
        }
      />
    </li>
  );
}

/** Removing an entry: says first that users' tokens for it are deleted (S6). */
function RemoveProviderDialog({
  api,
  runner,
  view,
  onClose,
  onRemoved,
  onError,
  fallbackFocus,
}: {
  api: PaddockApi;
  runner: Runner;
  view: ProviderView;
  onClose: () => void;
  onRemoved: (view: ProviderView, deletedTokens: number, rest: ProviderView[]) => void;
  /** The removal failed (its message shows in the dialog): for the screen to act on the code. */
  onError: (error: ErrorView) => void;
  fallbackFocus: () => HTMLElement | null;
}) {
  const entry = catalogueEntry(view.kind);
  const ways = [view.oauth.enabled ? 'OAuth' : null, view.pat.enabled ? 'a Personal Access Token' : null].filter(Boolean).join(' or ');
  return (
    <ConfirmDialog
      title={`Remove ${entry.displayName} (${view.host})?`}
      confirm={{
        label: 'Remove provider',
        busyLabel: 'Removing…',
        run: () =>
          api.deleteProvider({ runnerId: runner.id, host: view.host }).then(
            (result) => onRemoved(view, result.deletedTokens, result.providers),
            (error: unknown) => {
              onError(errorView(error));
              throw error;
            },
          ),
      }}
      onClose={onClose}
      fallbackFocus={fallbackFocus}
    >
      <p>
        <strong>The tokens users obtained {ways ? `with ${ways} ` : ''}for {view.host} will be deleted from this runner.</strong> Users will not
        reach these repositories through {runner.name} until the provider is added again and they connect again.
      </p>
      {view.oauth.secretSet && <p>The OAuth app’s client secret is deleted too.</p>}
    </ConfirmDialog>
  );
}
