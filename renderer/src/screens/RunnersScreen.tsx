import { useEffect, useState, type RefObject } from 'react';
import type { PaddockApi, Runner } from '../../../electron/common/api';
import type { Navigate } from '../App';
import { ManagedBadge } from '../components/ManagedBadge';
import { StateBadge, TimeAgo } from '../components/RunnerHealth';
import { EmptyState, LoadError, Screen } from '../components/Screen';
import { providerCount } from '../format';
import { useNow, useRunners, type Loadable } from '../hooks';
import { hashOf } from '../routes';
import { SetUpLocalRunnerButton, useStateAnnouncement } from './runners/runner-actions';

const addHref = hashOf({ screen: 'runners', page: 'add' });

export function RunnersScreen({ api, headingRef, navigate }: { api: PaddockApi; headingRef: RefObject<HTMLHeadingElement | null>; navigate: Navigate }) {
  const runners = useRunners(api);
  const now = useNow();
  const announcement = useStateAnnouncement(runners);
  const providers = useProviderCounts(api, runners);
  const hasLocal = runners.state === 'ready' && runners.value.some((runner) => runner.kind === 'local');
  return (
    <Screen title="Runners" headingRef={headingRef}>
      <p className="lead">Runners hold your repository access and create environments, on this workstation or on a server.</p>
      {runners.state === 'loading' && <p aria-busy="true">Loading runners…</p>}
      {runners.state === 'failed' && <LoadError message={runners.message} />}
      {runners.state === 'ready' && runners.value.length === 0 && (
        <EmptyState title="No runners yet">
          <p>
            A runner keeps the keys and tokens for your repositories and makes your environments. Set one up on this workstation, or
            connect to one that an admin runs on a server.
          </p>
          <div className="actions">
            <SetUpLocalRunnerButton api={api} navigate={navigate} className="button-primary" />
            <a className="button" href={addHref}>
              Add a runner on a server
            </a>
          </div>
        </EmptyState>
      )}
      {runners.state === 'ready' && runners.value.length > 0 && (
        <>
          <div className="actions">
            <a className="button" href={addHref}>
              Add a runner on a server
            </a>
            {!hasLocal && <SetUpLocalRunnerButton api={api} navigate={navigate} />}
          </div>
          <ul className="runner-list" aria-label="Runners">
            {runners.value.map((runner) => (
              <RunnerItem key={runner.id} runner={runner} providers={providers[runner.id]} now={now} />
            ))}
          </ul>
        </>
      )}
      <p role="status" className="visually-hidden">
        {announcement}
      </p>
    </Screen>
  );
}

/**
 * How many repository access entries each runner that answers has; a runner
 * that does not answer keeps the count last read, or has none yet. Read
 * again when a runner comes online.
 */
function useProviderCounts(api: PaddockApi, runners: Loadable<Runner[]>): Record<string, number> {
  const [counts, setCounts] = useState<Record<string, number>>({});
  const answering =
    runners.state === 'ready'
      ? runners.value
          .filter((r) => r.health.state === 'online' || r.health.state === 'degraded')
          .map((r) => r.id)
          .join('\n')
      : '';
  useEffect(() => {
    let current = true;
    for (const id of answering.split('\n').filter(Boolean)) {
      api.listProviders({ id }).then(
        (providers) => current && setCounts((counts) => ({ ...counts, [id]: providers.length })),
        () => {},
      );
    }
    return () => {
      current = false;
    };
  }, [api, answering]);
  return counts;
}

/**
 * One card per runner: its name, state, where it runs, its repository
 * access and when it last answered. The whole card opens the runner: its
 * one link is the name, stretched over the card.
 */
function RunnerItem({ runner, providers, now }: { runner: Runner; providers: number | undefined; now: Date }) {
  const { health } = runner;
  const settingsHref = hashOf({ screen: 'runners', page: 'settings', runnerId: runner.id });
  return (
    <li className="runner-item">
      <div className="runner-item-head">
        <h2 className="runner-name">
          <a href={settingsHref} className="runner-link">
            {runner.name}
          </a>
        </h2>
        <span className="runner-badges">
          {runner.managed && <ManagedBadge />}
          <StateBadge state={health.state} />
        </span>
      </div>
      <p className="runner-where">{runner.kind === 'local' ? 'This workstation' : runner.url}</p>
      <dl className="runner-facts">
        <div>
          <dt>Repository access</dt>
          <dd>{providers === undefined ? 'Shown once the runner answers' : providerCount(providers)}</dd>
        </div>
        <div>
          <dt>Last seen</dt>
          <dd>
            <TimeAgo at={health.lastSeen} now={now} />
          </dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd>{health.version ?? 'Shown once the runner answers'}</dd>
        </div>
      </dl>
      {health.state !== 'online' && health.message && <p className={`runner-message runner-message-${health.state}`}>{health.message}</p>}
    </li>
  );
}
