import type { RefObject } from 'react';
import type { PaddockApi } from '../../../electron/common/api';
import { EmptyState, LoadError, Screen } from '../components/Screen';
import { useApiValue } from '../hooks';

export function RunnersScreen({ api, headingRef }: { api: PaddockApi; headingRef: RefObject<HTMLHeadingElement | null> }) {
  const runners = useApiValue(() => api.listRunners());
  return (
    <Screen title="Runners" headingRef={headingRef}>
      <p className="lead">Runners hold your repository access and create environments, on this workstation or on a server.</p>
      {runners.state === 'loading' && <p aria-busy="true">Loading runners…</p>}
      {runners.state === 'failed' && <LoadError message={runners.message} />}
      {runners.state === 'ready' && runners.value.length === 0 && (
        <EmptyState title="No runners yet">
          <p>
            Paddock sets up a local runner on this workstation the first time it starts with runner support. An admin can also add
            a runner that runs on a server.
          </p>
        </EmptyState>
      )}
      {runners.state === 'ready' && runners.value.length > 0 && (
        <ul className="list" aria-label="Runners">
          {runners.value.map((runner) => (
            <li key={runner.id}>
              <span className="item-title">{runner.name}</span>
              <span className="item-meta">{runner.kind === 'local' ? 'This workstation' : 'Server'}</span>
            </li>
          ))}
        </ul>
      )}
    </Screen>
  );
}
