import type { RefObject } from 'react';
import type { PaddockApi, Runner } from '../../../electron/common/api';
import type { Navigate } from '../App';
import { ManagedBadge } from '../components/ManagedBadge';
import { LastSeen, StateBadge } from '../components/RunnerHealth';
import { EmptyState, LoadError, Screen } from '../components/Screen';
import { useNow, useRunners } from '../hooks';
import { hashOf } from '../routes';
import { RestartButton, SetUpLocalRunnerButton, useStateAnnouncement } from './runners/runner-actions';

const addHref = hashOf({ screen: 'runners', page: 'add' });

export function RunnersScreen({ api, headingRef, navigate }: { api: PaddockApi; headingRef: RefObject<HTMLHeadingElement | null>; navigate: Navigate }) {
  const runners = useRunners(api);
  const now = useNow();
  const announcement = useStateAnnouncement(runners);
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
              <RunnerItem key={runner.id} api={api} runner={runner} now={now} />
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

function RunnerItem({ api, runner, now }: { api: PaddockApi; runner: Runner; now: Date }) {
  const { health } = runner;
  const troubled = health.state === 'failed' || health.state === 'offline' || health.state === 'degraded';
  const settingsHref = hashOf({ screen: 'runners', page: 'settings', runnerId: runner.id });
  return (
    <li className="runner-item">
      <div className="runner-item-head">
        <h2 className="runner-name">
          <a href={settingsHref}>{runner.name}</a>
        </h2>
        <span className="runner-badges">
          {runner.managed && <ManagedBadge />}
          <StateBadge state={health.state} />
        </span>
      </div>
      <p className="runner-where">{runner.kind === 'local' ? 'This workstation' : runner.url}</p>
      <dl className="runner-facts">
        <div>
          <dt>Version</dt>
          <dd>{health.version ?? 'Shown once the runner answers'}</dd>
        </div>
        <div>
          <dt>Last seen</dt>
          <dd>
            <LastSeen lastSeen={health.lastSeen} now={now} />
          </dd>
        </div>
      </dl>
      {health.state !== 'online' && health.message && <p className={`runner-message runner-message-${health.state}`}>{health.message}</p>}
      {health.state === 'unregistered' && (
        <div className="actions">
          <a className="button button-primary" href={settingsHref}>
            Register this workstation<span className="visually-hidden"> with {runner.name}</span>
          </a>
        </div>
      )}
      {troubled && (
        <div className="actions">
          <RestartButton api={api} runner={runner} named />
        </div>
      )}
    </li>
  );
}
