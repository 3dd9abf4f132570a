import type { RefObject } from 'react';
import type { Environment, PaddockApi } from '../../../electron/common/api';
import { EmptyState, LoadError, Screen } from '../components/Screen';
import { exactTime, relativeTime } from '../format';
import { useApiValue, useNow } from '../hooks';

const stateLabels: Record<Environment['state'], string> = { creating: 'Creating', ready: 'Ready', failed: 'Failed', cancelled: 'Cancelled' };
const badgeClass: Record<Environment['state'], string> = { creating: 'badge-degraded', ready: 'badge-online', failed: 'badge-failed', cancelled: 'badge-offline' };

/** The ref in words: "main", "tag v1.0", "pull request 7", "commit 0123abcd". */
function refLabel(environment: Environment): string {
  const resolved = environment.resolved;
  if (resolved) {
    if (resolved.type === 'pull') return `pull request ${resolved.number}`;
    if (resolved.type === 'commit') return `commit ${resolved.commit.slice(0, 8)}`;
    return resolved.type === 'tag' ? `tag ${resolved.name}` : (resolved.name ?? 'default branch');
  }
  const ref = environment.ref;
  if (!ref) return 'default branch';
  if (ref.type === 'pull') return `pull request ${ref.number}`;
  if (ref.type === 'commit') return `commit ${ref.sha.slice(0, 8)}`;
  return ref.type === 'tag' ? `tag ${ref.name}` : ref.name;
}

/**
 * Environments (PRODUCT E4): every runner's working copies of this user,
 * as their runners report them. Creating them from a URL (paste, drop,
 * link) comes with the intake.
 */
export function EnvironmentsScreen({ api, headingRef }: { api: PaddockApi; headingRef: RefObject<HTMLHeadingElement | null> }) {
  const listed = useApiValue(() => api.listEnvironments());
  const now = useNow(60_000);
  return (
    <Screen title="Environments" headingRef={headingRef}>
      <p className="lead">An environment is a working copy of a repository, made by a runner from a repository URL.</p>
      {listed.state === 'loading' && <p aria-busy="true">Loading environments…</p>}
      {listed.state === 'failed' && <LoadError message={listed.message} />}
      {listed.state === 'ready' &&
        listed.value.unavailable.map((away) => (
          <p key={away.runnerId} className="inline-warning">
            {away.message}
          </p>
        ))}
      {listed.state === 'ready' && listed.value.environments.length === 0 && (
        <EmptyState title="No environments yet">
          <p>Environments you create from repository, branch or pull request URLs will be listed here.</p>
        </EmptyState>
      )}
      {listed.state === 'ready' && listed.value.environments.length > 0 && (
        <ul className="list" aria-label="Environments">
          {listed.value.environments.map((environment) => {
            const created = new Date(environment.createdAt);
            return (
              <li key={`${environment.runnerId} ${environment.id}`}>
                <span className="item-title">{environment.repository}</span>
                <span className="item-meta">
                  <span className={`badge ${badgeClass[environment.state]}`}>{stateLabels[environment.state]}</span> {refLabel(environment)} · {environment.runnerName} ·{' '}
                  <time dateTime={environment.createdAt} title={exactTime(created)}>
                    {relativeTime(created, now)}
                  </time>
                </span>
                {environment.state === 'failed' && environment.error && <p className="field-error">{environment.error.message}</p>}
              </li>
            );
          })}
        </ul>
      )}
    </Screen>
  );
}
