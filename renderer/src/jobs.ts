import { useEffect, useState } from 'react';
import { jobEventsFor, type EventPayload, type PaddockApi } from '../../electron/common/api';
import type { JobOutcome, JobProgress, JobState, JobView } from '../../electron/common/runner-api';

/** One job's event as the app API delivers it (state, progress or end). */
export type JobEventOf = EventPayload<'jobEvent'>['event'];

/** What the page knows of one job: what the runner said, in order, each progress event once. */
export interface JobWatch {
  /** Null until the job's state has arrived. */
  state: JobState | null;
  /** Progress events by sequence number, oldest first, none twice. */
  progress: readonly { seq: number; progress: JobProgress }[];
  outcome: JobOutcome | null;
  startedAt: string | null;
  /** When it ended, as the runner said, or when its end arrived here. */
  endedAt: string | null;
}

export const unknownJob: JobWatch = { state: null, progress: [], outcome: null, startedAt: null, endedAt: null };

function withProgress(progress: JobWatch['progress'], more: JobWatch['progress']): JobWatch['progress'] {
  const seen = new Set(progress.map((p) => p.seq));
  const added = more.filter((p) => !seen.has(p.seq));
  if (added.length === 0) return progress;
  return [...progress, ...added].sort((a, b) => a.seq - b.seq);
}

/**
 * Applies one event. A `state` (the first event of every stream, and again
 * after the core reconnected one) carries the progress so far, merged by
 * sequence number with what arrived already; a progress event already seen
 * is dropped; an end is final, so a late `state` that still says running
 * does not undo it.
 */
export function applyJobEvent(current: JobWatch, event: JobEventOf, now: () => Date = () => new Date()): JobWatch {
  switch (event.type) {
    case 'state':
      return applyJobView(current, event.job);
    case 'progress': {
      const progress = withProgress(current.progress, [{ seq: event.seq, progress: event.progress }]);
      return progress === current.progress ? current : { ...current, state: current.state ?? 'running', progress };
    }
    case 'end':
      if (current.outcome) return current;
      return { ...current, state: event.outcome.state, outcome: event.outcome, endedAt: current.endedAt ?? now().toISOString() };
  }
}

/** A whole view of the job (a `state` event, or the answer of startJob, getJob or cancelJob), merged as `applyJobEvent` does. */
export function applyJobView(current: JobWatch, job: JobView): JobWatch {
  const progress = withProgress(current.progress, job.progress);
  if (current.outcome) return { ...current, progress, endedAt: job.endedAt ?? current.endedAt };
  return { state: job.state, progress, outcome: job.outcome, startedAt: job.startedAt, endedAt: job.endedAt };
}

/**
 * One job's events, live: for a screen that shows a job it started (a
 * provider check; later a clone). It subscribes to that job's events only,
 * then asks for the job's state once, so that nothing sent before it
 * subscribed is missed (the first answer, `initial`, may be older than the
 * first events). Unsubscribes when the job or the screen changes. Returns
 * null without a job.
 */
export function useJob(api: PaddockApi, runnerId: string, jobId: string | null, initial?: JobView | null): JobWatch | null {
  const key = jobId === null ? null : `${runnerId} ${jobId}`;
  const [watched, setWatched] = useState<{ key: string; watch: JobWatch } | null>(null);

  useEffect(() => {
    if (jobId === null) return;
    const ownKey = `${runnerId} ${jobId}`;
    let live = true;
    const update = (change: (watch: JobWatch) => JobWatch) => {
      if (!live) return;
      setWatched((current) => ({ key: ownKey, watch: change(current?.key === ownKey ? current.watch : unknownJob) }));
    };
    if (initial) update((watch) => applyJobView(watch, initial));
    const unsubscribe = api.onJobEvent(jobEventsFor(runnerId, jobId, (event) => update((watch) => applyJobEvent(watch, event))));
    api.getJob({ runnerId, jobId }).then(
      (job) => update((watch) => applyJobView(watch, job)),
      // Only a catch-up: the job's events, and its end, still come through the subscription.
      () => {},
    );
    return () => {
      live = false;
      unsubscribe();
    };
  }, [api, runnerId, jobId, initial]);

  if (key === null) return null;
  if (watched?.key === key) return watched.watch;
  return initial ? applyJobView(unknownJob, initial) : unknownJob;
}
