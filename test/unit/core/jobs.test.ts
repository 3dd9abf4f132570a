import { describe, expect, it, vi } from 'vitest';
import { PaddockError } from '../../../electron/common/errors';
import type { JobEvent, JobView } from '../../../electron/common/runner-api';
import { CoreJobs, type AppJobEvent } from '../../../electron/core/jobs';
import { silentLogger } from '../../../electron/core/logger';
import type { RunnerRequest } from '../../../electron/core/runners/connection';

const view = (state: JobView['state'], outcome: JobView['outcome'] = null): JobView => ({
  id: 'j_0123456789abcdefghij',
  kind: 'provider-check',
  state,
  startedAt: '2026-12-01T00:00:00.000Z',
  endedAt: state === 'running' ? null : '2026-12-01T00:00:01.000Z',
  progress: [],
  dropped: 0,
  outcome,
});
const id = view('running').id;
const check = { kind: 'provider-check' as const, group: 'host' as const, check: { level: 'ok' as const, code: 'reachable', message: 'Reached.' } };

function harness(streams: ((onLine: (e: JobEvent) => void, signal: AbortSignal | undefined) => Promise<void>)[]) {
  const emitted: AppJobEvent[] = [];
  const requests: RunnerRequest[] = [];
  let streamCalls = 0;
  const jobs = new CoreJobs({
    call: async (_runnerId, request, schema) => {
      requests.push(request);
      return schema.parse({ job: request.method === 'DELETE' ? view('cancelled', { state: 'cancelled' }) : view('running') });
    },
    stream: async (_runnerId, request, schema, onLine) => {
      requests.push(request);
      const next = streams[streamCalls++];
      if (!next) return new Promise<void>(() => {});
      return next((event) => onLine(schema.parse(event)), request.signal);
    },
    emit: (event) => emitted.push(event),
    logger: silentLogger,
    backoff: { initialMs: 1, maxMs: 4 },
  });
  return { jobs, emitted, requests, streamCalls: () => streamCalls };
}

const until = async (what: string, probe: () => boolean) => {
  for (let i = 0; i < 200 && !probe(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!probe()) throw new Error(`timed out: ${what}`);
};

describe('CoreJobs', () => {
  it('relays one job’s events, without pings, and reconnects when the stream breaks (the runner sends the state first)', async () => {
    const { jobs, emitted, streamCalls } = harness([
      async (onLine) => {
        onLine({ type: 'state', job: view('running') });
        onLine({ type: 'ping' });
        onLine({ type: 'progress', jobId: id, seq: 0, progress: check });
        throw new PaddockError('runner-unavailable', 'connection lost');
      },
      async (onLine) => {
        onLine({ type: 'state', job: { ...view('running'), progress: [{ seq: 0, progress: check }] } });
        onLine({ type: 'end', jobId: id, outcome: { state: 'succeeded', result: { kind: 'provider-check', validation: { host: [], oauth: [], pat: [] } } } });
      },
    ]);
    const started = await jobs.start('local', { kind: 'provider-check', host: 'https://ghe.example.test' });
    expect(started.id).toBe(id);
    await until('the end', () => emitted.some((e) => e.event.type === 'end'));
    expect(emitted.map((e) => e.event.type)).toEqual(['state', 'progress', 'state', 'end']);
    expect(emitted.every((e) => e.runnerId === 'local' && e.jobId === id)).toBe(true);
    expect(streamCalls()).toBe(2);
  });

  it('reports a job the runner no longer knows as failed, and stops watching', async () => {
    const { jobs, emitted, streamCalls } = harness([async () => Promise.reject(new PaddockError('not-found', 'This runner has no such job.'))]);
    await jobs.start('local', { kind: 'provider-check', host: 'https://ghe.example.test' });
    await until('the end', () => emitted.length === 1);
    expect(emitted[0]!.event).toEqual({ type: 'end', jobId: id, outcome: { state: 'failed', error: { code: 'not-found', message: 'This runner has no such job.' } } });
    await new Promise((r) => setTimeout(r, 20));
    expect(streamCalls()).toBe(1);
  });

  it('cancels through DELETE on the job, and dispose aborts the watcher’s stream', async () => {
    let aborted = false;
    const { jobs, requests } = harness([
      (_onLine, signal) =>
        new Promise<void>((_resolve, reject) => {
          signal?.addEventListener('abort', () => {
            aborted = true;
            reject(new PaddockError('cancelled', 'Cancelled.'));
          });
        }),
    ]);
    await jobs.start('remote-1', { kind: 'provider-check', host: 'https://ghe.example.test' });
    const cancelled = await jobs.cancel('remote-1', id);
    expect(cancelled.state).toBe('cancelled');
    expect(requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([`/v1/jobs/${id}`]);
    jobs.dispose('remote-1');
    await until('the abort', () => aborted);
  });

  it('waits before asking again when a stream ends without the job’s end (a proxy closing it cleanly)', async () => {
    const calls: number[] = [];
    const jobs = new CoreJobs({
      call: async (_r, _request, schema) => schema.parse({ job: view('running') }),
      stream: async (_r, _request, schema, onLine) => {
        calls.push(Date.now());
        onLine(schema.parse({ type: 'state', job: view('running') }));
      },
      emit: () => {},
      logger: silentLogger,
      backoff: { initialMs: 20, maxMs: 40 },
    });
    await jobs.start('local', { kind: 'provider-check', host: 'https://ghe.example.test' });
    await until('a second attempt', () => calls.length >= 3);
    jobs.dispose();
    // Without the backoff the next attempt follows at once (thousands in these milliseconds); with it,
    // each waits at least its delay (a busy machine only makes the gaps longer).
    expect(calls[1]! - calls[0]!).toBeGreaterThanOrEqual(15);
    expect(calls[2]! - calls[1]!).toBeGreaterThanOrEqual(15);
  });

  it('passes a failed start on as it is', async () => {
    const jobs = new CoreJobs({
      call: vi.fn(async () => Promise.reject(new PaddockError('forbidden', 'Only admins.'))),
      stream: vi.fn(),
      emit: vi.fn(),
      logger: silentLogger,
    });
    await expect(jobs.start('r', { kind: 'provider-check', host: 'https://x.example' })).rejects.toMatchObject({ code: 'forbidden' });
  });
});
