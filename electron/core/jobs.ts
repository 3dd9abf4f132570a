import type { z } from 'zod';
import { PaddockError } from '../common/errors';
import { jobAnswerSchema, jobEventSchema, type JobEvent, type JobStart, type JobView } from '../common/runner-api';
import type { RunnerRequest } from './runners/connection';
import type { Logger } from './logger';

/** One job event as the app API carries it: for one job on one runner (never a snapshot of all jobs). */
export interface AppJobEvent {
  runnerId: string;
  jobId: string;
  event: Exclude<JobEvent, { type: 'ping' }>;
}

export interface CoreJobsOptions {
  call<T>(runnerId: string, request: RunnerRequest, schema: z.ZodType<T>): Promise<T>;
  stream<T>(runnerId: string, request: RunnerRequest, schema: z.ZodType<T>, onLine: (line: T) => void): Promise<void>;
  emit(event: AppJobEvent): void;
  logger: Logger;
  /** Waits before a watcher reconnects after its stream broke (doubling, at most maxMs). */
  backoff?: { initialMs: number; maxMs: number };
}

/**
 * The app's side of runner jobs: starts them, relays each job's events to
 * the app API while it runs (reconnecting when the stream breaks: the runner
 * sends the current state first), and cancels them.
 */
export class CoreJobs {
  readonly #watching = new Map<string, AbortController>();

  constructor(private readonly options: CoreJobsOptions) {}

  async start(runnerId: string, start: JobStart): Promise<JobView> {
    const { job } = await this.options.call(runnerId, { method: 'POST', path: '/v1/jobs', body: start }, jobAnswerSchema);
    this.#watch(runnerId, job.id);
    return job;
  }

  /** Relays the events of a job the runner started itself (an environment's clone) as jobEvent. */
  follow(runnerId: string, job: JobView): void {
    if (job.state === 'running') this.#watch(runnerId, job.id);
  }

  async get(runnerId: string, jobId: string): Promise<JobView> {
    return (await this.options.call(runnerId, { method: 'GET', path: `/v1/jobs/${encodeURIComponent(jobId)}` }, jobAnswerSchema)).job;
  }

  /** Cancels a job; resolves once the runner has stopped its work. */
  async cancel(runnerId: string, jobId: string): Promise<JobView> {
    const { job } = await this.options.call(runnerId, { method: 'DELETE', path: `/v1/jobs/${encodeURIComponent(jobId)}` }, jobAnswerSchema);
    return job;
  }

  #watch(runnerId: string, jobId: string) {
    const key = `${runnerId} ${jobId}`;
    if (this.#watching.has(key)) return;
    const controller = new AbortController();
    this.#watching.set(key, controller);
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 500, maxMs: 10_000 };
    void (async () => {
      let delay = initialMs;
      let ended = false;
      while (!ended && !controller.signal.aborted) {
        try {
          await this.options.stream(
            runnerId,
            { method: 'GET', path: `/v1/jobs/${encodeURIComponent(jobId)}/events`, signal: controller.signal },
            jobEventSchema,
            (event) => {
              if (event.type === 'ping') return;
              delay = initialMs;
              if (event.type === 'end' || (event.type === 'state' && event.job.state !== 'running')) ended = true;
              this.options.emit({ runnerId, jobId, event });
            },
          );
          // The runner ends the stream only after the job's end: a stream that ended without it
          // (a proxy closing it cleanly) is broken, and waits like any other before asking again.
          if (!ended) throw new Error('The event stream ended before the job did.');
        } catch (error) {
          if (controller.signal.aborted) break;
          if (error instanceof PaddockError && (error.code === 'not-found' || error.code === 'forbidden')) {
            // The runner forgot the job (it restarted): say how it ended for the screen that shows it.
            this.options.emit({
              runnerId,
              jobId,
              event: { type: 'end', jobId, outcome: { state: 'failed', error: { code: error.code, message: error.message } } },
            });
            break;
          }
          this.options.logger.info('job stream broke; reconnecting', { runnerId, jobId, error: error instanceof Error ? error.message : String(error) });
          await new Promise((resolve) => setTimeout(resolve, delay).unref());
          delay = Math.min(delay * 2, maxMs);
        }
      }
      this.#watching.delete(key);
    })();
  }

  /** Stops watching (the app quits, or the runner was removed). */
  dispose(runnerId?: string): void {
    for (const [key, controller] of this.#watching) {
      if (runnerId === undefined || key.startsWith(`${runnerId} `)) {
        controller.abort();
        this.#watching.delete(key);
      }
    }
  }
}
