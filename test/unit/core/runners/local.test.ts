import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunnerUnreachableError } from '../../../../electron/core/runners/connection';
import { RunnerHealthMonitor } from '../../../../electron/core/runners/health';
import { LocalRunner, type Supervisor } from '../../../../electron/core/runners/local';
import type { LocalRunnerOptions as SupervisorOptions, LocalRunnerState } from '../../../../electron/core/runners/local-runner';
import type { StoredRunner } from '../../../../electron/core/store/schema';
import { fakeConnection, localRecord, publicKeyOf, recordingLogger, recordsWith, remoteRecord, status } from './fakes';

/** Stands in for LocalRunnerSupervisor: the test says which state it reports and whether it has a session. */
class FakeSupervisor implements Supervisor {
  readonly calls: string[] = [];
  session: Supervisor['session'] = null;
  constructor(readonly options: SupervisorOptions) {}
  report(change: Partial<LocalRunnerState>) {
    this.options.onChange({ phase: 'starting', message: null, publicKey: null, runnerUid: null, version: null, apiVersion: null, ...change });
  }
  start() {
    this.calls.push('start');
  }
  async stop() {
    this.calls.push('stop');
  }
  async restart() {
    this.calls.push('restart');
  }
  async purge() {
    this.calls.push('purge');
  }
  waitingToRestart = false;
}

function setup(runners: StoredRunner[], options: { removed?: boolean; config?: boolean; dataDir?: string } = {}) {
  const { records, store } = recordsWith(runners, { localRunnerRemoved: options.removed ?? false });
  const health = new RunnerHealthMonitor({
    records,
    logger: recordingLogger(),
    onChange: () => {},
    status: async () =>
      status({ mode: 'local', publicKey: publicKeyOf('local'), warnings: ['The clock is off.'] }),
  });
  const supervisors: FakeSupervisor[] = [];
  let ready = 0;
  const local = new LocalRunner({
    config: options.config === false ? null : { dataDir: options.dataDir ?? '/nonexistent/paddock-runner', launch: () => { throw new Error('not launched in this test'); } },
    records,
    health,
    logger: recordingLogger(),
    onReady: () => ready++,
    supervise: (supervisorOptions) => {
      const supervisor = new FakeSupervisor(supervisorOptions);
      supervisors.push(supervisor);
      return supervisor;
    },
  });
  return { local, records, store, health, supervisors, ready: () => ready };
}

describe('the local runner', () => {
  it('is made on first start, first in the list, and started', () => {
    const { local, records, supervisors } = setup([remoteRecord()]);
    local.start();
    expect(records.all().map((r) => r.id)).toEqual(['local', 'remote-1']);
    expect(supervisors).toHaveLength(1);
    expect(supervisors[0]!.calls).toEqual(['start']);
    expect(supervisors[0]!.options.dataDir).toBe('/nonexistent/paddock-runner');
  });

  it('is not made again after the user removed it, nor run by an app without one', () => {
    const removed = setup([], { removed: true });
    removed.local.start();
    expect(removed.records.all()).toEqual([]);
    expect(removed.supervisors).toEqual([]);

    const without = setup([]);
    const app = new LocalRunner({ config: null, records: without.records, health: without.health, logger: recordingLogger() });
    app.start();
    expect(without.records.all()).toEqual([]);
    expect(() => app.setUp()).toThrow(expect.objectContaining({ code: 'runner-unavailable', message: 'This app has no local runner.' }));
  });

  it('shows its process state as its health, and once running is checked, remembered and reported ready', async () => {
    const { local, health, records, supervisors, ready } = setup([localRecord()]);
    local.start();
    const supervisor = supervisors[0]!;
    supervisor.report({ phase: 'starting', message: 'The local runner stopped unexpectedly (exit code 1); restarting in 1 s.' });
    expect(health.get('local')).toMatchObject({ state: 'starting', message: 'The local runner stopped unexpectedly (exit code 1); restarting in 1 s.' });
    expect(ready()).toBe(0);

    supervisor.session = { connection: fakeConnection(() => ({})), token: 't', endpoint: '/tmp/x.sock' };
    supervisor.report({ phase: 'running', publicKey: publicKeyOf('local'), runnerUid: 'r_00000000-0000-4000-8000-00000000000a', version: '1.2.3', apiVersion: 1 });
    expect(health.get('local')).toMatchObject({ state: 'online', version: '1.2.3', apiVersion: 1 });
    expect(records.get('local')).toMatchObject({ publicKey: publicKeyOf('local'), runnerUid: 'r_00000000-0000-4000-8000-00000000000a' });
    expect(ready()).toBe(1);
    // The check it starts then sees the warnings the runner reports.
    await new Promise((resolve) => setImmediate(resolve));
    expect(health.get('local')).toMatchObject({ state: 'degraded', message: 'The clock is off.' });

    // Failed keeps what it last knew of the runner.
    supervisor.report({ phase: 'failed', message: 'The OS keychain cannot be reached.' });
    expect(health.get('local')).toMatchObject({ state: 'failed', message: 'The OS keychain cannot be reached.', version: '1.2.3', apiVersion: 1 });
    supervisor.report({ phase: 'stopped' });
    expect(health.get('local').state).toBe('offline');
  });

  it('a call made while it starts waits until it runs, stopped or failed, or for a while; at once otherwise', async () => {
    const { local, supervisors } = setup([localRecord()]);
    local.start();
    const supervisor = supervisors[0]!;
    supervisor.report({ phase: 'starting' });
    let started = false;
    const waiting = local.whenStarted(60_000).then(() => (started = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toBe(false);
    supervisor.session = { connection: fakeConnection(() => ({})), token: 't', endpoint: '/tmp/x.sock' };
    supervisor.report({ phase: 'running', publicKey: publicKeyOf('local'), runnerUid: 'r_00000000-0000-4000-8000-00000000000a', version: '1.2.3', apiVersion: 1 });
    await waiting;
    expect(started).toBe(true);

    // Running: no wait. Starting again and failing: the wait ends too. Starting for too long: it ends after the time given.
    await local.whenStarted(60_000);
    supervisor.session = null;
    supervisor.report({ phase: 'starting' });
    const failing = local.whenStarted(60_000);
    supervisor.report({ phase: 'failed', message: 'The OS keychain cannot be reached.' });
    await failing;
    supervisor.report({ phase: 'starting' });
    const before = Date.now();
    await local.whenStarted(50);
    expect(Date.now() - before).toBeGreaterThanOrEqual(40);

    // A cancelled call stops waiting at once; so does one made while a crash's backoff runs.
    const controller = new AbortController();
    const cancelled = local.whenStarted(60_000, controller.signal);
    controller.abort();
    await cancelled;
    supervisor.waitingToRestart = true;
    const during = Date.now();
    await local.whenStarted(60_000);
    expect(Date.now() - during).toBeLessThan(1_000);
  });

  it('ignores its process once its record is gone', () => {
    const { local, health, records, supervisors } = setup([localRecord()]);
    local.start();
    records.delete('local');
    supervisors[0]!.report({ phase: 'failed', message: 'Late news.' });
    expect(health.get('local').state).toBe('starting');
  });

  it('restarts its process, or starts one if there is none', async () => {
    const { local, supervisors } = setup([localRecord()]);
    await local.restart();
    expect(supervisors).toHaveLength(1);
    expect(supervisors[0]!.calls).toEqual(['start']);
    await local.restart();
    expect(supervisors[0]!.calls).toEqual(['start', 'restart']);
  });

  it('is set up again after it was removed: record back, health starting, process started', () => {
    const { local, records, health, supervisors } = setup([], { removed: true });
    health.set('local', { state: 'failed', message: 'old', version: null, apiVersion: null, lastSeen: null });
    local.setUp();
    expect(records.localRemoved).toBe(false);
    expect(records.hasLocal()).toBe(true);
    expect(health.get('local').state).toBe('starting');
    expect(supervisors[0]!.calls).toEqual(['start']);
  });

  it('purges its keys and data only while it runs, unless forced', async () => {
    const { local, supervisors } = setup([localRecord()]);
    local.start();
    const supervisor = supervisors[0]!;
    const error = await local.purge(false).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunnerUnreachableError);
    expect((error as Error).message).toBe('The local runner is not running, so it cannot delete its keys and data.');
    await local.purge(true);
    expect(supervisor.calls).toEqual(['start']);
    supervisor.session = { connection: fakeConnection(() => ({})), token: 't', endpoint: '/tmp/x.sock' };
    await local.purge(false);
    expect(supervisor.calls).toEqual(['start', 'purge']);
  });

  it('once removed: stopped, not made again, and when forced its data directory emptied', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-local-test-'));
    fs.mkdirSync(path.join(dataDir, 'vault'));
    fs.writeFileSync(path.join(dataDir, 'vault', 'entry'), 'sealed');
    fs.writeFileSync(path.join(dataDir, 'runner.json'), '{}');

    const kept = setup([localRecord()], { dataDir });
    kept.local.start();
    await kept.local.removed(false);
    expect(kept.supervisors[0]!.calls).toEqual(['start', 'stop']);
    expect(kept.records.localRemoved).toBe(true);
    expect(fs.readdirSync(dataDir).sort()).toEqual(['runner.json', 'vault']);

    const forced = setup([localRecord()], { dataDir });
    forced.local.start();
    await forced.local.removed(true);
    expect(fs.existsSync(dataDir)).toBe(true);
    expect(fs.readdirSync(dataDir)).toEqual([]);
    // A new process after removal: setting it up again makes a new supervisor.
    forced.local.setUp();
    expect(forced.supervisors).toHaveLength(2);
  });
});
