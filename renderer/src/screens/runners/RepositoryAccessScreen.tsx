import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { PaddockApi, Runner, SaveProviderResult } from '../../../../electron/common/api';
import type { ProviderValidation, ProviderView } from '../../../../electron/common/provider-config';
import { catalogueEntry } from '../../../../electron/common/providers';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { BackLink, EmptyState, LoadError, Screen } from '../../components/Screen';
import { errorMessage, useFocusAfterRender, useRunners, type Loadable } from '../../hooks';
import { deletedTokensSentence } from '../../provider-form';
import { hashOf } from '../../routes';
import { ValidationGroups } from './provider-checks';
import { ProviderDialog } from './ProviderDialog';

/** What the last save or removal did, shown above the list until the next one. */
interface Outcome {
  message: string;
  validation: ProviderValidation | null;
  host: string;
}

type Editing = { mode: 'add' } | { mode: 'edit'; view: ProviderView } | null;

/**
 * "Configure repository access" for one runner (S1–S7): its provider
 * entries, "Add a new provider", editing and removing entries. Where both
 * the create-runner flows and runner settings lead (R3, R4).
 */
export function RepositoryAccessScreen({ api, headingRef, runnerId }: { api: PaddockApi; headingRef: RefObject<HTMLHeadingElement | null>; runnerId: string }) {
  const runners = useRunners(api);
  const runner = runners.state === 'ready' ? runners.value.find((r) => r.id === runnerId) : undefined;
  const settingsHref = hashOf({ screen: 'runners', page: 'settings', runnerId });
  const listHref = hashOf({ screen: 'runners', page: 'list' });
  return (
    <Screen
      title="Configure repository access"
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
          <Providers api={api} runner={runner} />
          <p className="muted">
            Users connect their own accounts to these providers when they use an environment; that comes in the next release of Paddock.
          </p>
          <div className="actions">
            <a className="button" href={settingsHref}>
              Go to the runner’s settings
            </a>
          </div>
        </>
      )}
    </Screen>
  );
}

function Providers({ api, runner }: { api: PaddockApi; runner: Runner }) {
  const [providers, setProviders] = useState<Loadable<ProviderView[]>>({ state: 'loading' });
  const [editing, setEditing] = useState<Editing>(null);
  const [removing, setRemoving] = useState<ProviderView | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const outcomeHeading = useRef<HTMLHeadingElement>(null);
  /** Where focus goes back to when the provider dialog closes without a change. */
  const opener = useRef<HTMLElement | null>(null);
  const focusAfterRender = useFocusAfterRender();

  const load = useCallback(() => {
    api.listProviders({ id: runner.id }).then(
      (value) => setProviders({ state: 'ready', value }),
      (e: unknown) => setProviders({ state: 'failed', message: `Could not read this runner’s repository access: ${errorMessage(e)}` }),
    );
  }, [api, runner.id]);

  // Again when the runner comes online: it answers only then.
  const online = runner.health.state === 'online';
  useEffect(() => {
    load();
  }, [load, online]);

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
    load();
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
      {outcome && (
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
          <LoadError message={providers.message} />
          <div className="actions">
            <button type="button" onClick={load}>
              Try again
            </button>
          </div>
        </div>
      )}
      {providers.state === 'ready' && providers.value.length === 0 && (
        <EmptyState title="No providers yet">
          <p>Add GitHub, GitLab, Bitbucket or Azure DevOps — in the cloud or on your own servers — so that users can work on their repositories.</p>
        </EmptyState>
      )}
      {providers.state === 'ready' && providers.value.length > 0 && (
        <ul className="provider-list" aria-label="Providers">
          {providers.value.map((view) => (
            <ProviderItem
              key={view.host}
              view={view}
              onEdit={() => openDialog({ mode: 'edit', view })}
              onRemove={() => setRemoving(view)}
            />
          ))}
        </ul>
      )}
      {providers.state === 'ready' && (
        <div className="actions">
          <button type="button" className="button-primary" ref={addButton} onClick={() => openDialog({ mode: 'add' })}>
            Add a new provider
          </button>
        </div>
      )}

      {editing && (
        <ProviderDialog api={api} runner={runner} view={editing.mode === 'edit' ? editing.view : null} onClose={dialogClosed} onSaved={saved} />
      )}
      {removing && (
        <RemoveProviderDialog
          api={api}
          runner={runner}
          view={removing}
          onClose={() => setRemoving(null)}
          onRemoved={removed}
          fallbackFocus={() => addButton.current}
        />
      )}
    </>
  );
}

function ProviderItem({ view, onEdit, onRemove }: { view: ProviderView; onEdit: () => void; onRemove: () => void }) {
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
      {view.managed ? (
        <>
          <p className="field-hint" id={`${headingId}-managed`}>
            Set by the admin policy on this workstation: it cannot be changed or removed here.
          </p>
          <div className="actions">
            <button type="button" disabled aria-describedby={`${headingId}-managed`}>
              Edit<span className="visually-hidden"> {label}</span>
            </button>
            <button type="button" disabled aria-describedby={`${headingId}-managed`}>
              Remove<span className="visually-hidden"> {label}</span>
            </button>
          </div>
        </>
      ) : (
        <div className="actions">
          <button type="button" onClick={onEdit}>
            Edit<span className="visually-hidden"> {label}</span>
          </button>
          <button type="button" onClick={onRemove}>
            Remove<span className="visually-hidden"> {label}</span>
          </button>
        </div>
      )}
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
  fallbackFocus,
}: {
  api: PaddockApi;
  runner: Runner;
  view: ProviderView;
  onClose: () => void;
  onRemoved: (view: ProviderView, deletedTokens: number, rest: ProviderView[]) => void;
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
        run: () => api.deleteProvider({ runnerId: runner.id, host: view.host }).then((result) => onRemoved(view, result.deletedTokens, result.providers)),
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
