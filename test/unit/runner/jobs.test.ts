import { describe, expect, it } from 'vitest';
import { PaddockError } from '../../../electron/common/errors';
import { JOB_PROGRESS_KEPT, type JobEvent } from '../../../electron/common/runner-api';
import { JobManager, MAX_STREAMS_PER_OWNER, MAX_WATCHERS_PER_JOB, type JobRunner } from '../../../electron/runner/jobs';
import type { RunnerLogger } from '../../../electron/runner/logger';

const logger = { info: () => {}, warn: () => {}, error: () => {} } as unknown as RunnerLogger;
const start = { kind: 'provider-check' as const, host: 'https://ghe.example.test' };
const progress = (code: string) => ({ kind: 'provider-check' as const, group: 'host' as const, check: { level: 'ok' as const, code, message: code } });
const result = { kind: 'provider-check' as const, validation: { host: [], oauth: [], pat: [] } };

/** A job that runs until released or aborted, reporting what it is told to. */
function controllable() {
  const jobs: { release: () => void; report: (code: string) => void; signal: AbortSignal }[] = [];
  const run: JobRunner = (_start, _owner, context) =>
    new Promise((resolve, reject) => {
      jobs.push({ release: () => resolve(result), report: (code) => context.progress(progress(code)), signal: context.signal });
      context.signal.addEventListener('abort', () => reject(new PaddockError('cancelled', 'Cancelled.')));
    });
  return { run, jobs };
}
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('JobManager', () => {
  it('sends a watcher the state first, then progress and the end; a late watcher gets the state with what it missed', async () => {
    const { run, jobs } = controllable();
    const manager = new JobManager(run, logger);
    const { id } = manager.start(start, 'c_a');
    await tick();
    const early: JobEvent[] = [];
    manager.watch(id, 'c_a', (e) => early.push(e));
    jobs[0]!.report('one');
    const late: JobEvent[] = [];
    manager.watch(id, 'c_a', (e) => late.push(e));
    jobs[0]!.release();
    await tick();
    expect(early.map((e) => e.type)).toEqual(['state', 'progress', 'end']);
    expect(late[0]).toMatchObject({ type: 'state', job: { progress: [{ seq: 0, progress: progress('one') }] } });
    expect(late.at(-1)).toMatchObject({ type: 'end', outcome: { state: 'succeeded' } });
    expect(manager.get(id, 'c_a').state).toBe('succeeded');
  });

  it('keeps a job from other workstations: get, watch and cancel say not found', async () => {
    const manager = new JobManager(controllable().run, logger);
    const { id } = manager.start(start, 'c_a');
    expect(() => manager.get(id, 'c_b')).toThrow(expect.objectContaining({ code: 'not-found' }));
    expect(() => manager.watch(id, 'c_b', () => {})).toThrow(expect.objectContaining({ code: 'not-found' }));
    await expect(manager.cancel(id, 'c_b')).rejects.toMatchObject({ code: 'not-found' });
    await manager.dispose();
  });

  it('cancels by aborting the work, and answers once it has stopped', async () => {
    const { run, jobs } = controllable();
    const manager = new JobManager(run, logger);
    const { id } = manager.start(start, 'c_a');
    await tick();
    const view = await manager.cancel(id, 'c_a');
    expect(jobs[0]!.signal.aborted).toBe(true);
    expect(view).toMatchObject({ state: 'cancelled', outcome: { state: 'cancelled' } });
  });

  it('keeps at most the latest progress events, counting those dropped', async () => {
    const { run, jobs } = controllable();
    const manager = new JobManager(run, logger);
    const { id } = manager.start(start, 'c_a');
    await tick();
    for (let i = 0; i < JOB_PROGRESS_KEPT + 5; i++) jobs[0]!.report(`c${i}`);
    const view = manager.get(id, 'c_a');
    expect(view.progress).toHaveLength(JOB_PROGRESS_KEPT);
    expect(view.dropped).toBe(5);
    expect(view.progress[0]!.seq).toBe(5);
    await manager.dispose();
  });

  it('limits one workstation: running jobs, jobs kept (oldest finished forgotten first), watchers per job and streams', async () => {
    const failing: JobRunner = async () => Promise.reject(new PaddockError('not-found', 'No such entry.'));
    const manager = new JobManager(failing, logger);
    const first = manager.start(start, 'c_a').id;
    await tick();
    for (let i = 0; i < 150; i++) {
      manager.start(start, 'c_a');
      await tick();
    }
    expect(() => manager.get(first, 'c_a')).toThrow(expect.objectContaining({ code: 'not-found' }));
    // Another workstation is not affected.
    expect(manager.start(start, 'c_b').state).toBe('running');

    const { run } = controllable();
    const busy = new JobManager(run, logger);
    const ids = Array.from({ length: 16 }, () => busy.start(start, 'c_a').id);
    expect(() => busy.start(start, 'c_a')).toThrow(expect.objectContaining({ code: 'conflict' }));
    for (let i = 0; i < MAX_WATCHERS_PER_JOB; i++) busy.watch(ids[0]!, 'c_a', () => {});
    expect(() => busy.watch(ids[0]!, 'c_a', () => {})).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(() => busy.admit(ids[0]!, 'c_a')).toThrow(expect.objectContaining({ code: 'conflict' }));
    const stops: (() => void)[] = [];
    for (let i = 0; MAX_WATCHERS_PER_JOB + stops.length < MAX_STREAMS_PER_OWNER; i++) stops.push(busy.watch(ids[1 + (i % 8)]!, 'c_a', () => {}));
    expect(() => busy.watch(ids[15]!, 'c_a', () => {})).toThrow(expect.objectContaining({ code: 'conflict' }));
    stops[0]!();
    stops[0]!(); // a second stop does not count twice
    expect(() => busy.watch(ids[15]!, 'c_a', () => {})).not.toThrow();
    expect(() => busy.watch(ids[14]!, 'c_a', () => {})).toThrow(expect.objectContaining({ code: 'conflict' }));
    await busy.dispose();
  });
});
