import { randomBytes } from 'node:crypto';
import {
  JOB_PROGRESS_KEPT,
  type JobEvent,
  type JobOutcome,
  type JobProgress,
  type JobResult,
  type JobStart,
  type JobView,
} from '../common/runner-api';
import { PaddockError, type PaddockErrorData } from '../common/errors';
import type { RunnerLogger } from './logger';

/** What a job's work gets: its cancel signal and a way to report progress. */
export interface JobContext {
  /** The job's id (an OAuth attempt answers its callback with it). */
  readonly jobId: string;
  readonly signal: AbortSignal;
  progress(progress: JobProgress): void;
}

/**
 * Jobs the runner starts itself, not through `POST /v1/jobs`: an
 * environment's clone starts with the environment (`POST /v1/environments`).
 */
export type InternalJobStart = { readonly kind: 'environment-clone'; readonly environmentId: string };

/** Runs one kind of job; resolves with its result, or throws a PaddockError. */
export type JobRunner = (start: JobStart | InternalJobStart, owner: string, context: JobContext) => Promise<JobResult>;

type Watcher = (event: JobEvent) => void;

interface Job {
  view: JobView;
  owner: string;
  seq: number;
  controller: AbortController;
  watchers: Set<Watcher>;
  done: Promise<void>;
}

/** How long a finished job stays readable (a watcher that reconnects late still learns how it ended). */
const KEEP_FINISHED_MS = 10 * 60 * 1000;
/** Running jobs per workstation, so a runaway client cannot exhaust the runner. */
const MAX_RUNNING_PER_OWNER = 16;
/** Jobs kept per workstation, finished ones included: past this, its oldest finished job is forgotten first. */
const MAX_KEPT_PER_OWNER = 100;
/** Watchers of one job, and event streams of one workstation (each holds a connection). */
export const MAX_WATCHERS_PER_JOB = 8;
export const MAX_STREAMS_PER_OWNER = 16;

/**
 * The runner's jobs: started by a workstation, watched by any number of its
 * connections, cancelled by it. Each job's work gets an AbortSignal that a
 * cancel fires, so cancelling stops the work itself (network requests,
 * child processes), not only the reporting.
 */
export class JobManager {
  readonly #jobs = new Map<string, Job>();
  /** Each workstation's jobs in the order they started (running and finished). */
  readonly #byOwner = new Map<string, Job[]>();
  readonly #streams = new Map<string, number>();
  #timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly run: JobRunner,
    private readonly logger: RunnerLogger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  start(start: JobStart | InternalJobStart, owner: string): JobView {
    const owned = this.#byOwner.get(owner) ?? [];
    const running = owned.filter((j) => j.view.state === 'running').length;
    if (running >= MAX_RUNNING_PER_OWNER) {
      throw new PaddockError('conflict', `This workstation already has ${running} jobs running on this runner. Wait for one to end, or cancel one.`);
    }
    // Forget the oldest finished jobs first, so one workstation cannot fill the runner's memory.
    while (owned.length >= MAX_KEPT_PER_OWNER) {
      const oldest = owned.findIndex((j) => j.view.state !== 'running');
      if (oldest < 0) break;
      this.#jobs.delete(owned[oldest]!.view.id);
      owned.splice(oldest, 1);
    }
    const id = `j_${randomBytes(16).toString('base64url')}`;
    const controller = new AbortController();
    const job: Job = {
      view: { id, kind: start.kind, state: 'running', startedAt: this.now().toISOString(), endedAt: null, progress: [], dropped: 0, outcome: null },
      owner,
      seq: 0,
      controller,
      watchers: new Set(),
      done: Promise.resolve(),
    };
    this.#jobs.set(id, job);
    owned.push(job);
    this.#byOwner.set(owner, owned);
    this.logger.info('job started', { jobId: id, kind: start.kind });
    const context: JobContext = {
      jobId: id,
      signal: controller.signal,
      progress: (progress) => {
        if (job.view.state !== 'running') return;
        const seq = job.seq++;
        job.view.progress.push({ seq, progress });
        if (job.view.progress.length > JOB_PROGRESS_KEPT) {
          job.view.progress.shift();
          job.view.dropped++;
        }
        this.#emit(job, { type: 'progress', jobId: id, seq, progress });
      },
    };
    job.done = (async () => {
      let outcome: JobOutcome;
      try {
        const result = await this.run(start, owner, context);
        outcome = controller.signal.aborted ? { state: 'cancelled' } : { state: 'succeeded', result };
      } catch (error) {
        if (controller.signal.aborted) outcome = { state: 'cancelled' };
        else outcome = { state: 'failed', error: this.#errorData(error, id) };
      }
      this.#end(job, outcome);
    })();
    return structuredClone(job.view);
  }

  #errorData(error: unknown, jobId: string): PaddockErrorData {
    if (error instanceof PaddockError) return error.toData();
    this.logger.error('job failed', { jobId, error });
    return { code: 'internal', message: 'The runner could not complete this job; details are in its log.' };
  }

  #end(job: Job, outcome: JobOutcome) {
    if (job.view.state !== 'running') return;
    job.view.state = outcome.state;
    job.view.outcome = outcome;
    job.view.endedAt = this.now().toISOString();
    this.logger.info('job ended', { jobId: job.view.id, kind: job.view.kind, state: outcome.state });
    this.#emit(job, { type: 'end', jobId: job.view.id, outcome });
    job.watchers.clear();
    const timer = setTimeout(() => {
      this.#remove(job);
      this.#timers.delete(timer);
    }, KEEP_FINISHED_MS);
    timer.unref();
    this.#timers.add(timer);
  }

  #remove(job: Job) {
    this.#jobs.delete(job.view.id);
    const owned = this.#byOwner.get(job.owner);
    if (!owned) return;
    const at = owned.indexOf(job);
    if (at >= 0) owned.splice(at, 1);
    if (owned.length === 0) this.#byOwner.delete(job.owner);
  }

  #emit(job: Job, event: JobEvent) {
    for (const watcher of job.watchers) {
      try {
        watcher(event);
      } catch {
        job.watchers.delete(watcher);
      }
    }
  }

  /** A workstation's own job; others' jobs are reported as not found, so their ids learn nothing. */
  #own(id: string, owner: string): Job {
    const job = this.#jobs.get(id);
    if (!job || job.owner !== owner) throw new PaddockError('not-found', 'This runner has no such job (it ended more than 10 minutes ago, or the runner restarted).', undefined, { jobId: id });
    return job;
  }

  get(id: string, owner: string): JobView {
    return structuredClone(this.#own(id, owner).view);
  }

  /**
   * Watches a job: `listener` gets its current state at once, then each
   * event, until it ends (the end is the last event) or `unwatch` is called.
   */
  /** Throws what `watch` would (not found, too many watchers), so a stream can be refused before it starts. */
  admit(id: string, owner: string): void {
    this.#admit(this.#own(id, owner), owner);
  }

  #admit(job: Job, owner: string) {
    if (job.view.state === 'running') {
      // Each watcher holds a connection: a workstation may not take all of the runner's.
      if (job.watchers.size >= MAX_WATCHERS_PER_JOB) throw new PaddockError('conflict', `This job already has ${MAX_WATCHERS_PER_JOB} watchers. Close one of them first.`);
      if ((this.#streams.get(owner) ?? 0) >= MAX_STREAMS_PER_OWNER) {
        throw new PaddockError('conflict', `This workstation already watches ${MAX_STREAMS_PER_OWNER} jobs on this runner. Close one of them first.`);
      }
    }
  }

  watch(id: string, owner: string, listener: Watcher): () => void {
    const job = this.#own(id, owner);
    this.#admit(job, owner);
    listener({ type: 'state', job: structuredClone(job.view) });
    if (job.view.state !== 'running') return () => {};
    job.watchers.add(listener);
    this.#streams.set(owner, (this.#streams.get(owner) ?? 0) + 1);
    let watching = true;
    return () => {
      if (!watching) return;
      watching = false;
      job.watchers.delete(listener);
      const left = (this.#streams.get(owner) ?? 1) - 1;
      if (left > 0) this.#streams.set(owner, left);
      else this.#streams.delete(owner);
    };
  }

  /** Cancels a running job and waits until its work has stopped; a job that already ended is returned as it is. */
  async cancel(id: string, owner: string): Promise<JobView> {
    const job = this.#own(id, owner);
    if (job.view.state === 'running') {
      this.logger.info('job cancel requested', { jobId: id });
      job.controller.abort(new PaddockError('cancelled', 'Cancelled.'));
      await job.done;
    }
    return structuredClone(job.view);
  }

  /** Deletes every job of a workstation that is removed (its work is cancelled). */
  async forget(owner: string): Promise<void> {
    const jobs = [...this.#jobs.values()].filter((j) => j.owner === owner);
    for (const job of jobs) job.controller.abort();
    await Promise.all(jobs.map((j) => j.done));
    for (const job of jobs) this.#remove(job);
  }

  /** Cancels all running jobs (the runner is stopping). */
  async dispose(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    const running = [...this.#jobs.values()].filter((j) => j.view.state === 'running');
    for (const job of running) job.controller.abort();
    await Promise.all(running.map((j) => j.done));
  }
}
