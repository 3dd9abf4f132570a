import type { RefObject } from 'react';
import type { PaddockApi } from '../../../electron/common/api';
import { EmptyState, LoadError, Screen } from '../components/Screen';
import { useApiValue } from '../hooks';

const stateLabels = { creating: 'Creating', ready: 'Ready', failed: 'Failed' } as const;

export function EnvironmentsScreen({ api, headingRef }: { api: PaddockApi; headingRef: RefObject<HTMLHeadingElement | null> }) {
  const environments = useApiValue(() => api.listEnvironments());
  return (
    <Screen title="Environments" headingRef={headingRef}>
      <p className="lead">An environment is a working copy of a repository, made by a runner from a repository URL.</p>
      {environments.state === 'loading' && <p aria-busy="true">Loading environments…</p>}
      {environments.state === 'failed' && <LoadError message={environments.message} />}
      {environments.state === 'ready' && environments.value.length === 0 && (
        <EmptyState title="No environments yet">
          <p>Environments you create from repository, branch or pull request URLs will be listed here.</p>
        </EmptyState>
      )}
      {environments.state === 'ready' && environments.value.length > 0 && (
        <ul className="list" aria-label="Environments">
          {environments.value.map((environment) => (
            <li key={environment.id}>
              <span className="item-title">{environment.contextUrl}</span>
              <span className="item-meta">{stateLabels[environment.state]}</span>
            </li>
          ))}
        </ul>
      )}
    </Screen>
  );
}
