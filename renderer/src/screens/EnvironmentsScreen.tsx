import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { Environment, EnvironmentRequest, PaddockApi } from '../../../electron/common/api';
import type { JobView } from '../../../electron/common/runner-api';
import { EmptyState, LoadError, Screen } from '../components/Screen';
import { exactTime, relativeTime } from '../format';
import { errorMessage, useApiValue, useNow, useRunners } from '../hooks';
import { CloneProgress } from './environments/CloneProgress';
import { CreateEnvironment } from './environments/CreateEnvironment';
import { EnvironmentActions } from './environments/EnvironmentActions';
import type { Arrival } from './environments/WindowIntake';

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

const keyOf = (environment: { runnerId: string; id: string }) => `${environment.runnerId} ${environment.id}`;

/** An environment to show (the tray's Show in Paddock): scrolled to and focused once the list has it. */
export interface EnvironmentFocus {
  runnerId: string;
  id: string;
  /** Tells one request from the next for the same environment. */
  nonce: number;
}

type EnvironmentListResult = Awaited<ReturnType<PaddockApi['listEnvironments']>>;

type Listed = { state: 'loading' } | { state: 'failed'; message: string } | { state: 'ready'; value: EnvironmentListResult };

/**
 * Environments (PRODUCT E2–E4): every runner's working copies of this user,
 * as their runners report them, and the intake that makes one from a
 * repository URL. A clone under way is followed live; when it ends the list
 * is asked again (the runner's record is the truth).
 */
export function EnvironmentsScreen({ api, headingRef, arrival = null, onArrivalTaken, focusRequest = null, onFocusRequestTaken }: {
  api: PaddockApi;
  headingRef: RefObject<HTMLHeadingElement | null>;
  /** A URL pasted outside a field or dropped on the window (App's WindowIntake). */
  arrival?: Arrival | null;
  onArrivalTaken?: () => void;
  /** An environment to bring into view and focus (the tray asked). */
  focusRequest?: EnvironmentFocus | null;
  onFocusRequestTaken?: () => void;
}) {
  const [listed, setListed] = useState<Listed>({ state: 'loading' });
  const [version, setVersion] = useState(0);
  /** Environments created here that the last list did not have yet, newest first, with the job that clones them. */
  const [created, setCreated] = useState<{ environment: Environment; job: JobView }[]>([]);
  const now = useNow(60_000);
  // Which runner holds each environment (the local one opens folders here; a server's shows ssh), and the editor that opens them.
  const runners = useRunners(api);
  const editor = useApiValue(() => api.desktopEditor());
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  /** URLs from paddock://open links and the command line, waiting for the user's answer (kept by the core, so none is lost before this screen shows). */
  const [requests, setRequests] = useState<EnvironmentRequest[]>([]);

  useEffect(() => {
    let live = true;
    let changed = false;
    const unsubscribe = api.onEnvironmentRequestsChanged((list) => {
      changed = true;
      setRequests(list);
    });
    api.listEnvironmentRequests().then(
      // An event that came meanwhile is newer than this answer.
      (list) => live && !changed && setRequests(list),
      () => {},
    );
    return () => {
      live = false;
      unsubscribe();
    };
  }, [api]);
  const resolveRequest = useCallback(
    (id: string) => {
      setRequests((current) => current.filter((request) => request.id !== id));
      api.resolveEnvironmentRequest({ id }).then(setRequests, () => {});
    },
    [api],
  );

  useEffect(() => {
    let live = true;
    api.listEnvironments().then(
      (value) => {
        if (!live) return;
        setListed({ state: 'ready', value });
        const known = new Set(value.environments.map(keyOf));
        setCreated((current) => current.filter((c) => !known.has(keyOf(c.environment))));
      },
      (error: unknown) => live && setListed({ state: 'failed', message: errorMessage(error) }),
    );
    return () => {
      live = false;
    };
  }, [api, version]);

  const initialJobs = new Map(created.map((c) => [keyOf(c.environment), c.job]));
  const listedEnvironments = listed.state === 'ready' ? listed.value.environments : [];
  const listedKeys = new Set(listedEnvironments.map(keyOf));
  // What this page started (a create, a retry) stands in for the list's older record until the list is asked again.
  const started = new Map(created.map((c) => [keyOf(c.environment), c.environment]));
  const environments = [...created.map((c) => c.environment).filter((e) => !listedKeys.has(keyOf(e))), ...listedEnvironments.map((e) => started.get(keyOf(e)) ?? e)];
  // The tray's Show in Paddock: once the list is here, its item is scrolled to and focused; one not listed is said so.
  const items = useRef(new Map<string, HTMLLIElement>());
  const [missing, setMissing] = useState<string | null>(null);
  useEffect(() => {
    if (!focusRequest || listed.state === 'loading') return;
    onFocusRequestTaken?.();
    const element = items.current.get(keyOf(focusRequest));
    if (!element) {
      setMissing('That environment is not listed any more: it was deleted, or its runner cannot be reached now.');
      return;
    }
    setMissing(null);
    element.scrollIntoView?.({ block: 'center' });
    element.focus();
    // Taken once: later list changes do not move focus again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusRequest, listed.state]);

  const follow = (environment: Environment, job: JobView) =>
    setCreated((current) => [{ environment, job }, ...current.filter((c) => keyOf(c.environment) !== keyOf(environment))]);

  return (
    <Screen title="Environments" headingRef={headingRef}>
      <p className="lead">An environment is a working copy of a repository, made by a runner from a repository URL.</p>
      <CreateEnvironment
        api={api}
        onCreated={follow}
        arrival={arrival}
        {...(onArrivalTaken ? { onArrivalTaken } : {})}
        requests={requests}
        onResolve={resolveRequest}
      />
      {missing && (
        <p role="status" className="flash flash-problem">
          {missing}
        </p>
      )}
      {listed.state === 'loading' && <p aria-busy="true">Loading environments…</p>}
      {listed.state === 'failed' && <LoadError message={listed.message} />}
      {listed.state === 'ready' &&
        listed.value.unavailable.map((away) => (
          <p key={away.runnerId} className="inline-warning">
            {away.message}
          </p>
        ))}
      {listed.state === 'ready' && environments.length === 0 && (
        <EmptyState title="No environments yet">
          <p>Paste a repository, branch or pull request URL above, or drop a link anywhere on the window, to create one. Your environments will be listed here.</p>
        </EmptyState>
      )}
      {environments.length > 0 && (
        <ul className="list" aria-label="Environments">
          {environments.map((environment) => {
            const createdAt = new Date(environment.createdAt);
            const key = keyOf(environment);
            return (
              <li
                key={key}
                className="environment"
                tabIndex={-1}
                ref={(element) => {
                  if (element) items.current.set(key, element);
                  else items.current.delete(key);
                }}
              >
                <span className="item-title">{environment.repository}</span>
                <span className="item-meta">
                  <span className={`badge ${badgeClass[environment.state]}`}>{stateLabels[environment.state]}</span> {refLabel(environment)} · {environment.runnerName} ·{' '}
                  <time dateTime={environment.createdAt} title={exactTime(createdAt)}>
                    {relativeTime(createdAt, now)}
                  </time>
                </span>
                {environment.state === 'creating' && environment.jobId && (
                  <CloneProgress
                    api={api}
                    runnerId={environment.runnerId}
                    jobId={environment.jobId}
                    initial={initialJobs.get(key) ?? null}
                    label={environment.repository}
                    onEnd={reload}
                  />
                )}
                {environment.state === 'failed' && environment.error && <p className="field-error">{environment.error.message}</p>}
                {environment.state === 'cancelled' && <p className="item-meta">The clone was cancelled and its folder removed. Retry clones it again.</p>}
                <EnvironmentActions
                  api={api}
                  environment={environment}
                  runner={runners.state === 'ready' ? (runners.value.find((r) => r.id === environment.runnerId) ?? null) : null}
                  editor={editor.state === 'ready' ? editor.value : null}
                  onRetried={follow}
                  onDeleted={() => {
                    setCreated((current) => current.filter((c) => keyOf(c.environment) !== key));
                    headingRef.current?.focus();
                    reload();
                  }}
                  fallbackFocus={() => headingRef.current}
                />
              </li>
            );
          })}
        </ul>
      )}
    </Screen>
  );
}
