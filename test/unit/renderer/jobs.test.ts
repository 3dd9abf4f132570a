import { describe, expect, it } from 'vitest';
import type { JobView } from '../../../electron/common/runner-api';
import { applyJobEvent, applyJobView, unknownJob, type JobEventOf, type JobWatch } from '../../../renderer/src/jobs';

const id = 'j_0123456789abcdefABCD';
const check = (code: string, level: 'ok' | 'warning' | 'error' = 'ok') => ({ kind: 'provider-check' as const, group: 'host' as const, check: { level, code, message: code } });
const view = (overrides: Partial<JobView> = {}): JobView => ({
  id,
  kind: 'provider-check',
  state: 'running',
  startedAt: '2025-01-01T00:00:00.000Z',
  endedAt: null,
  progress: [],
  dropped: 0,
  outcome: null,
  ...overrides,
});
const progress = (seq: number, code = `c${seq}`): JobEventOf => ({ type: 'progress', jobId: id, seq, progress: check(code) });
const apply = (events: JobEventOf[], from: JobWatch = unknownJob) =>
  events.reduce((watch, event) => applyJobEvent(watch, event, () => new Date('2025-01-01T00:01:00.000Z')), from);
const codes = (watch: JobWatch) => watch.progress.map((p) => (p.progress.kind === 'provider-check' ? p.progress.check.code : ''));

describe('applyJobEvent', () => {
  it('applies the state, then progress in order, each sequence number once', () => {
    const watch = apply([{ type: 'state', job: view({ progress: [{ seq: 0, progress: check('c0') }] }) }, progress(1), progress(1, 'again'), progress(0, 'again'), progress(2)]);
    expect(watch.state).toBe('running');
    expect(codes(watch)).toEqual(['c0', 'c1', 'c2']);
  });

  it('merges a state that arrives after progress (a reconnected stream) without losing or doubling any', () => {
    const watch = apply([progress(2), progress(0), { type: 'state', job: view({ progress: [0, 1, 2].map((seq) => ({ seq, progress: check(`c${seq}`) })) }) }, progress(3)]);
    expect(codes(watch)).toEqual(['c0', 'c1', 'c2', 'c3']);
    expect(watch.startedAt).toBe('2025-01-01T00:00:00.000Z');
  });

  it('keeps the end: a late state that still says running does not undo it', () => {
    const ended = apply([{ type: 'state', job: view() }, progress(0), { type: 'end', jobId: id, outcome: { state: 'cancelled' } }]);
    expect(ended).toMatchObject({ state: 'cancelled', outcome: { state: 'cancelled' }, endedAt: '2025-01-01T00:01:00.000Z' });
    const late = apply([{ type: 'state', job: view({ progress: [{ seq: 1, progress: check('c1') }] }) }], ended);
    expect(late).toMatchObject({ state: 'cancelled', outcome: { state: 'cancelled' } });
    expect(codes(late)).toEqual(['c0', 'c1']);
    // A second end changes nothing either.
    expect(apply([{ type: 'end', jobId: id, outcome: { state: 'failed', error: { code: 'internal', message: 'x' } } }], ended)).toBe(ended);
  });

  it('takes the end from a state that says the job ended, with its time', () => {
    const watch = applyJobView(unknownJob, view({ state: 'succeeded', endedAt: '2025-01-01T00:00:05.000Z', outcome: { state: 'succeeded', result: { kind: 'provider-check', validation: { host: [], oauth: [], pat: [] } } } }));
    expect(watch).toMatchObject({ state: 'succeeded', endedAt: '2025-01-01T00:00:05.000Z', outcome: { state: 'succeeded' } });
  });
});
