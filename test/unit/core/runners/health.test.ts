import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Runner } from '../../../../electron/common/api';
import type { RunnerStatus } from '../../../../electron/common/runner-api';
import { LocalNotRunning, MissingCredential } from '../../../../electron/core/runners/calls';
import { RunnerRequestError, RunnerUnreachableError, SpkiMismatchError } from '../../../../electron/core/runners/connection';
import { RunnerHealthMonitor } from '../../../../electron/core/runners/health';
import { CredentialStoreError } from '../../../../electron/core/runners/records';
import type { StoredRunner } from '../../../../electron/core/store/schema';
import { localRecord, publicKeyOf, recordingLogger, recordsWith, remoteRecord, status } from './fakes';

/** A monitor whose status calls answer from a queue of results (a status or an error) per runner id. */
function monitor(runners: StoredRunner[], heartbeatMs = 1000) {
  const { records } = recordsWith(runners);
  const answers = new Map<string, (RunnerStatus | Error)[]>();
  const calls: string[] = [];
  const published: Runner[][] = [];
  const logger = recordingLogger();
  const answer = (id: string, ...results: (RunnerStatus | Error)[]) => answers.set(id, results);
  const health = new RunnerHealthMonitor({
    records,
    logger,
    heartbeatMs,
    onChange: (list) => published.push(list),
    status: async (runner) => {
      calls.push(runner.id);
      const queue = answers.get(runner.id) ?? [];
      const next = queue.length > 1 ? queue.shift()! : queue[0];
      if (!next) throw new Error(`no answer for ${runner.id}`);
      if (next instanceof Error) throw next;
      return next;
    },
  });
  return { health, records, answer, calls, published, logger };
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-03-01T10:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('runner health', () => {
  it('is "starting" until a check says otherwise', () => {
    const { health } = monitor([remoteRecord()]);
    expect(health.get('remote-1')).toEqual({ state: 'starting', message: null, version: null, apiVersion: null, lastSeen: null });
    expect(health.list()).toEqual([expect.objectContaining({ id: 'remote-1', health: expect.objectContaining({ state: 'starting' }) })]);
  });

  it('checks every runner at start and at each heartbeat, and stops when told', async () => {
    const { health, answer, calls } = monitor([remoteRecord(), remoteRecord({ id: 'remote-2', url: 'https://two.example.test' })], 1000);
    answer('remote-1', status());
    answer('remote-2', status());
    health.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.sort()).toEqual(['remote-1', 'remote-2']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(4);
    await vi.advanceTimersByTimeAsync(2000);
    expect(calls).toHaveLength(8);
    health.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toHaveLength(8);
  });

  it('goes online → degraded → offline → failed as the runner answers, keeping what it last saw', async () => {
    const { health, answer } = monitor([remoteRecord()]);
    answer(
      'remote-1',
      status({ version: '1.2.3' }),
      status({ version: '1.2.3', warnings: ['The OS keychain is locked.', 'The clock is off.'] }),
      new RunnerUnreachableError('Cannot reach the runner at https://runner.example.test:8443 (ECONNREFUSED).'),
      status({ apiVersion: 2, version: '2.0.0' }),
    );
    await health.check('remote-1');
    expect(health.get('remote-1')).toEqual({ state: 'online', message: null, version: '1.2.3', apiVersion: 1, lastSeen: '2026-03-01T10:00:00.000Z' });

    vi.setSystemTime(new Date('2026-03-01T10:00:05Z'));
    await health.check('remote-1');
    expect(health.get('remote-1')).toMatchObject({ state: 'degraded', message: 'The OS keychain is locked. The clock is off.', lastSeen: '2026-03-01T10:00:05.000Z' });

    vi.setSystemTime(new Date('2026-03-01T10:00:10Z'));
    await health.check('remote-1');
    // Offline keeps when it was last seen and what it ran.
    expect(health.get('remote-1')).toEqual({
      state: 'offline',
      message: 'Cannot reach the runner at https://runner.example.test:8443 (ECONNREFUSED).',
      version: '1.2.3',
      apiVersion: 1,
      lastSeen: '2026-03-01T10:00:05.000Z',
    });

    await health.check('remote-1');
    expect(health.get('remote-1')).toMatchObject({
      state: 'failed',
      message: 'This runner speaks runner API v2; this app speaks v1. Update the older of the two.',
      version: '2.0.0',
      apiVersion: 2,
    });
  });

  it.each([
    [
      'a key other than the pinned one',
      new SpkiMismatchError('https://runner.example.test:8443', 'sha256/seen', 'sha256/pinned'),
      /now presents a different key \(fingerprint sha256\/seen; this app pinned sha256\/pinned\)/,
    ],
    ['a missing credential', new MissingCredential('gone'), /credential for the runner is missing from the OS keychain\. Remove the runner and add it again/],
    ['a refused credential', new RunnerRequestError(401, 'unauthorized', 'Missing or wrong API token.'), /no longer accepts this workstation/],
    ['another refusal', new RunnerRequestError(500, 'internal', 'The runner failed; details are in its log.'), /^The runner failed; details are in its log\.$/],
    ['a keychain that cannot be reached', new CredentialStoreError('The OS keychain cannot be reached (locked).'), /^The OS keychain cannot be reached \(locked\)\.$/],
  ])('fails with a message that says what to do for %s', async (_what, error, message) => {
    const { health, answer, logger } = monitor([remoteRecord()]);
    answer('remote-1', error);
    await health.check('remote-1');
    expect(health.get('remote-1')).toMatchObject({ state: 'failed', message: expect.stringMatching(message) });
    expect(logger.lines).toEqual([]);
  });

  it('logs what it does not know and shows the runner offline with a pointer to the log', async () => {
    const { health, answer, logger } = monitor([remoteRecord()]);
    answer('remote-1', new TypeError('x is not a function'));
    await health.check('remote-1');
    expect(health.get('remote-1')).toMatchObject({ state: 'offline', message: 'Paddock could not check Build server; details are in the log.' });
    expect(logger.lines).toEqual([expect.objectContaining({ level: 'error', message: 'runner check failed', fields: expect.objectContaining({ runner: 'remote-1' }) })]);
  });

  it('shows a managed runner this workstation has not registered with as unregistered, without calling it', async () => {
    const { health, calls } = monitor([remoteRecord({ clientId: null, policyId: 'build' })]);
    await health.check('remote-1');
    expect(calls).toEqual([]);
    expect(health.get('remote-1')).toMatchObject({ state: 'unregistered', message: expect.stringMatching(/Enter a registration token for this workstation/) });
  });

  it('leaves the local runner’s health to its supervisor while it is not running', async () => {
    const { health, answer, published } = monitor([localRecord()]);
    answer('local', new LocalNotRunning('Local runner is not running: it is starting.'));
    health.set('local', { state: 'failed', message: 'The keychain is locked.', version: null, apiVersion: null, lastSeen: null });
    const before = published.length;
    await health.check('local');
    expect(health.get('local')).toMatchObject({ state: 'failed', message: 'The keychain is locked.' });
    expect(published).toHaveLength(before);
  });

  it('publishes the runner list when, and only when, it changed', async () => {
    const { health, answer, published, records } = monitor([remoteRecord()]);
    answer('remote-1', status());
    await health.check('remote-1');
    expect(published).toHaveLength(1);
    expect(published[0]).toEqual([expect.objectContaining({ id: 'remote-1', health: expect.objectContaining({ state: 'online' }) })]);
    // Same answer, same second: nothing new to say.
    await health.check('remote-1');
    await health.check('remote-1');
    expect(published).toHaveLength(1);
    health.publish();
    expect(published).toHaveLength(1);
    // A record change is news too.
    records.rename('remote-1', 'Renamed');
    health.publish();
    expect(published).toHaveLength(2);
    expect(published[1]![0]!.name).toBe('Renamed');
    // The next second changes lastSeen, which is published.
    vi.setSystemTime(new Date('2026-03-01T10:00:01Z'));
    await health.check('remote-1');
    expect(published).toHaveLength(3);
  });

  it('reset and forget wait for the next publish', () => {
    const { health, published } = monitor([remoteRecord()]);
    health.set('remote-1', { state: 'online', message: null, version: '1', apiVersion: 1, lastSeen: null });
    expect(published).toHaveLength(1);
    health.reset('remote-1');
    expect(published).toHaveLength(1);
    expect(health.get('remote-1').state).toBe('starting');
    health.publish();
    expect(published).toHaveLength(2);
    health.forget('remote-1');
    expect(health.get('remote-1').state).toBe('starting');
  });

  it('does not start a second check of a runner while one is under way', async () => {
    const { records } = recordsWith([remoteRecord()]);
    let release!: (value: RunnerStatus) => void;
    const statusCall = vi.fn(() => new Promise<RunnerStatus>((resolve) => (release = resolve)));
    const health = new RunnerHealthMonitor({ records, logger: recordingLogger(), onChange: () => {}, status: statusCall });
    const first = health.check('remote-1');
    await health.check('remote-1');
    expect(statusCall).toHaveBeenCalledTimes(1);
    release(status());
    await first;
    expect(health.get('remote-1').state).toBe('online');
    const again = health.check('remote-1');
    expect(statusCall).toHaveBeenCalledTimes(2);
    release(status());
    await again;
  });

  it('does not check a runner that is gone', async () => {
    const { health, calls } = monitor([]);
    await health.check('remote-1');
    expect(calls).toEqual([]);
  });

  it('learns the local runner’s key and id from its status, and a remote runner’s id only while its key is the pinned one', async () => {
    const { health, answer, records } = monitor([localRecord(), remoteRecord({ runnerUid: null })]);
    answer('local', status({ mode: 'local', publicKey: publicKeyOf('new local'), runnerId: 'r_00000000-0000-4000-8000-0000000000aa' }));
    answer(
      'remote-1',
      status({ publicKey: publicKeyOf('runner'), runnerId: 'r_00000000-0000-4000-8000-0000000000bb' }),
      status({ publicKey: publicKeyOf('someone else'), runnerId: 'r_00000000-0000-4000-8000-0000000000cc' }),
    );
    await health.checkAll();
    expect(records.get('local')).toMatchObject({ publicKey: publicKeyOf('new local'), runnerUid: 'r_00000000-0000-4000-8000-0000000000aa' });
    expect(records.get('remote-1')).toMatchObject({ publicKey: publicKeyOf('runner'), runnerUid: 'r_00000000-0000-4000-8000-0000000000bb' });
    await health.check('remote-1');
    // A runner answering with another key does not rewrite what was pinned at registration.
    expect(records.get('remote-1')).toMatchObject({ publicKey: publicKeyOf('runner'), runnerUid: 'r_00000000-0000-4000-8000-0000000000bb' });
  });
});
