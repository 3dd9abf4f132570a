import { useCallback, useEffect, useState } from 'react';
import type { PaddockApi, Runner } from '../../../../electron/common/api';
import type { ProviderView } from '../../../../electron/common/provider-config';
import { catalogueEntry } from '../../../../electron/common/providers';
import { errorMessage } from '../../hooks';
import { ProviderCheck } from './ProviderCheck';

type Entries = { state: 'loading' } | { state: 'ready'; value: ProviderView[] } | { state: 'failed'; message: string };

/**
 * The runner's repository-access entries in its settings, each with its
 * last check ("Not checked yet", "Last check failed: …") and "Check again",
 * as on the repository-access screen.
 */
export function ProviderStates({ api, runner }: { api: PaddockApi; runner: Runner }) {
  const [entries, setEntries] = useState<Entries>({ state: 'loading' });
  const online = runner.health.state === 'online';
  const load = useCallback(
    () =>
      api.listProviders({ id: runner.id }).then(
        (value) => setEntries({ state: 'ready', value }),
        (e: unknown) => setEntries({ state: 'failed', message: errorMessage(e) }),
      ),
    [api, runner.id],
  );
  // Again when the runner comes online: it answers only then.
  useEffect(() => {
    void load();
  }, [load, online]);

  if (entries.state === 'loading') return null;
  if (entries.state === 'failed') return <p className="muted">Could not read this runner’s providers: {entries.message}</p>;
  if (entries.value.length === 0) return <p className="muted">No providers yet.</p>;
  return (
    <ul className="provider-states" aria-label="Providers and their last check">
      {entries.value.map((view) => {
        const name = catalogueEntry(view.kind).displayName;
        const label = `${name} ${view.host}`;
        return (
          <li key={view.host} className="provider-state">
            <p className="provider-state-name">
              <strong>{name}</strong> <span className="provider-host">{view.host}</span>
            </p>
            <ProviderCheck
              api={api}
              runnerId={runner.id}
              host={view.host}
              label={label}
              idPrefix={`settings-${view.host.replace(/[^a-zA-Z0-9]/g, '-')}-check`}
              lastCheck={view.lastCheck ?? null}
              onEnded={() => void load()}
            />
          </li>
        );
      })}
    </ul>
  );
}
