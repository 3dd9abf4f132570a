// @vitest-environment happy-dom
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { PaddockApi } from '../../../../electron/common/api';
import { PaddockError } from '../../../../electron/common/errors';
import type { JobProgress, JobView } from '../../../../electron/common/runner-api';
import { ProviderCheck } from '../../../../renderer/src/screens/runners/ProviderCheck';
import { deferred } from './dom';
import { eventHub, fakeApi, jobView } from './fixtures';

// "Check again" on a repository-access entry (issue 8 point 2): a job whose
// checks show as they arrive, once each, in their groups; Cancel while it
// runs; how it ended. The app API is faked, with events sent by the test.

const jobId = 'j_check0123456789abcdef';
const host = 'https://github.com';
const label = `GitHub ${host}`;

const progressOf = (group: 'host' | 'oauth' | 'pat', code: string, level: 'ok' | 'warning' | 'error' = 'ok', message = code): JobProgress => ({
  kind: 'provider-check',
  group,
  check: { level, code, message },
});

function setup(methods: Partial<PaddockApi> = {}) {
  const hub = eventHub();
  const startJob = vi.fn(async () => jobView(jobId));
  const getJob = deferred<JobView>();
  const api = fakeApi({ onJobEvent: hub.onJobEvent, startJob, getJob: vi.fn(() => getJob.promise), ...methods });
  const view = render(<ProviderCheck api={api} runnerId="local" host={host} label={label} idPrefix="check" />);
  const send = (event: Parameters<typeof hub.emitJob>[0]['event'], target = jobId) => hub.emitJob({ runnerId: 'local', jobId: target, event });
  const progress = (seq: number, p: JobProgress) => send({ type: 'progress', jobId, seq, progress: p });
  const group = (name: string) => screen.getByRole('region', { name });
  const checksIn = (name: string) => within(group(name)).queryAllByRole('listitem').map((li) => li.textContent);
  const status = () => screen.getByRole('status').textContent;
  return { hub, api, view, startJob, getJob, send, progress, checksIn, status, user: userEvent.setup() };
}

describe('ProviderCheck', () => {
  it('starts a provider check and shows each check as it arrives, once, through a late state, to its result', async () => {
    const { user, startJob, progress, send, checksIn, status, getJob } = setup();
    expect(screen.queryByRole('region')).toBeNull();
    expect(status()).toBe('');

    await user.click(screen.getByRole('button', { name: `Check again ${label}` }));
    expect(startJob).toHaveBeenCalledWith({ runnerId: 'local', job: { kind: 'provider-check', host } });
    expect(status()).toBe(`Checking ${label}…`);
    expect(within(screen.getByRole('region', { name: 'Host' })).getByText('Not checked yet.')).toBeTruthy();
    expect(screen.getByRole('button', { name: `Checking… ${label}` }).getAttribute('aria-disabled')).toBe('true');

    progress(0, progressOf('host', 'reachable', 'ok', 'GitHub answered.'));
    expect(checksIn('Host')).toEqual(['✓ Passed: GitHub answered.']);
    // Another job's events are not this one's.
    send({ type: 'progress', jobId: 'j_other0123456789abcdef', seq: 1, progress: progressOf('host', 'x', 'error', 'Not mine.') }, 'j_other0123456789abcdef');
    // The same check again (a reconnected stream), then the state that stream sends first, with what came before.
    progress(0, progressOf('host', 'reachable', 'ok', 'GitHub answered.'));
    send({
      type: 'state',
      job: jobView(jobId, {
        progress: [
          { seq: 0, progress: progressOf('host', 'reachable', 'ok', 'GitHub answered.') },
          { seq: 1, progress: progressOf('pat', 'pat-on', 'warning', 'Tokens need repo.') },
        ],
      }),
    });
    expect(checksIn('Host')).toEqual(['✓ Passed: GitHub answered.']);
    expect(checksIn('Personal Access Token')).toEqual(['▲ Warning: Tokens need repo.']);
    // The catch-up answer, older than what arrived: nothing doubles, nothing goes back.
    await act(async () => getJob.resolve(jobView(jobId)));
    expect(checksIn('Host')).toHaveLength(1);
    expect(checksIn('Personal Access Token')).toHaveLength(1);

    send({
      type: 'end',
      jobId,
      outcome: {
        state: 'succeeded',
        result: {
          kind: 'provider-check',
          validation: { host: [{ level: 'ok', code: 'reachable', message: 'GitHub answered.' }], oauth: [], pat: [{ level: 'warning', code: 'pat-on', message: 'Tokens need repo.' }] },
        },
      },
    });
    expect(status()).toBe('Found 1 warning.');
    expect(screen.getByText(/Checked/).textContent).toMatch(/Checked just now\./);
    expect(within(screen.getByRole('region', { name: 'OAuth' })).getByText('Nothing to report.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Cancel/ })).toBeNull();
    expect(screen.getByRole('button', { name: `Check again ${label}` }).getAttribute('aria-disabled')).toBeNull();
  });

  it('catches up with checks sent before it subscribed, from the job’s state', async () => {
    const { user, getJob, checksIn } = setup();
    await user.click(screen.getByRole('button', { name: `Check again ${label}` }));
    getJob.resolve(jobView(jobId, { progress: [{ seq: 0, progress: progressOf('oauth', 'off', 'ok', 'OAuth is off.') }] }));
    await waitFor(() => expect(checksIn('OAuth')).toEqual(['✓ Passed: OAuth is off.']));
  });

  it('cancels while it runs; says Cancelled when the end says so; focus back on Check again', async () => {
    const cancelled = deferred<JobView>();
    const cancelJob = vi.fn(() => cancelled.promise);
    const { user, send, progress, status, checksIn } = setup({ cancelJob });
    await user.click(screen.getByRole('button', { name: `Check again ${label}` }));
    progress(0, progressOf('host', 'reachable', 'ok', 'Reached.'));
    const cancel = screen.getByRole('button', { name: `Cancel the check of ${label}` });
    await user.click(cancel);
    expect(cancelJob).toHaveBeenCalledWith({ runnerId: 'local', jobId });
    expect(cancel.textContent).toBe('Cancelling… the check of GitHub https://github.com');
    await user.click(cancel);
    expect(cancelJob).toHaveBeenCalledTimes(1);
    expect(status()).toBe('Cancelling the check…');
    cancelled.resolve(jobView(jobId, { state: 'cancelled', outcome: { state: 'cancelled' } }));

    send({ type: 'end', jobId, outcome: { state: 'cancelled' } });
    expect(status()).toBe('Cancelled.');
    expect(screen.getByText(/Stopped/).textContent).toMatch(/Stopped just now\./);
    // What was checked before it stopped stays; the rest was not checked (rather than found fine).
    expect(checksIn('Host')).toEqual(['✓ Passed: Reached.']);
    expect(within(screen.getByRole('region', { name: 'OAuth' })).getByText('Not checked.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Cancel/ })).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: `Check again ${label}` })));
  });

  it('shows why a check could not start or finish, in the runner’s words', async () => {
    const startJob = vi.fn().mockRejectedValueOnce(new PaddockError('runner-unavailable', 'Local runner is not running: it is starting.').toData()).mockResolvedValue(jobView(jobId));
    const { user, send, status } = setup({ startJob });
    await user.click(screen.getByRole('button', { name: `Check again ${label}` }));
    expect(status()).toBe('The check could not start.');
    expect(screen.getByRole('alert').textContent).toBe('Local runner is not running: it is starting.');

    await user.click(screen.getByRole('button', { name: `Check again ${label}` }));
    expect(screen.queryByRole('alert')).toBeNull();
    send({ type: 'end', jobId, outcome: { state: 'failed', error: { code: 'not-found', message: 'The runner restarted and no longer knows this check.' } } });
    expect(status()).toBe('The check could not finish.');
    expect(screen.getByRole('alert').textContent).toBe('The runner restarted and no longer knows this check.');
    // Nothing was checked: no groups that would read as if all were fine.
    expect(screen.queryByRole('region')).toBeNull();
  });

  it('stops listening when it leaves the page', async () => {
    const { user, hub, view } = setup();
    expect(hub.jobListeners()).toBe(0);
    await user.click(screen.getByRole('button', { name: `Check again ${label}` }));
    expect(hub.jobListeners()).toBe(1);
    view.unmount();
    expect(hub.jobListeners()).toBe(0);
  });
});
