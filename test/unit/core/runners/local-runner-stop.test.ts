import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RUNNER_STOP_GRACE_MS, RUNNER_STOP_WAIT_MS, type RunnerParentMessage } from '../../../../electron/common/runner-api';
import { LocalRunnerSupervisor, type RunnerProcess } from '../../../../electron/core/runners/local-runner';
import { REFRESH_TIMEOUT_MS, STOP_WAIT_MS } from '../../../../electron/runner/token-service';

/** A runner process that records what the supervisor does to it, and exits when told. */
function fakeRunner(events: string[]) {
  const exits: ((code: number | null) => void)[] = [];
  const child: RunnerProcess = {
    postMessage: (message: RunnerParentMessage) => events.push(`message:${message.type}`),
    onMessage: () => {},
    onExit: (listener) => exits.push(listener),
    kill: () => {
      events.push('kill');
      exits.forEach((l) => l(null));
    },
  };
  return { child, exit: (code: number) => exits.forEach((l) => l(code)) };
}

const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };

describe('LocalRunnerSupervisor.stop', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('the grace is derived from the runner’s own wait for refreshes in flight', () => {
    expect(STOP_WAIT_MS).toBe(RUNNER_STOP_WAIT_MS);
    expect(REFRESH_TIMEOUT_MS).toBe(RUNNER_STOP_WAIT_MS);
    expect(RUNNER_STOP_GRACE_MS).toBeGreaterThan(RUNNER_STOP_WAIT_MS);
  });

  it('a runner still waiting for a token refresh is not killed: it exits by itself once the refresh ends', async () => {
    const events: string[] = [];
    const runner = fakeRunner(events);
    const supervisor = new LocalRunnerSupervisor({ dataDir: '/tmp/x', launch: () => runner.child, logger: logger as never, onChange: () => {} });
    supervisor.start();
    let stopped = false;
    const stopping = supervisor.stop().then(() => (stopped = true));
    // The runner waits its full refresh wait (its refresh ends at the last moment), then exits.
    await vi.advanceTimersByTimeAsync(RUNNER_STOP_WAIT_MS);
    expect(stopped).toBe(false);
    events.push('runner exits');
    runner.exit(0);
    await stopping;
    // Long after: the kill timer was cleared.
    await vi.advanceTimersByTimeAsync(RUNNER_STOP_GRACE_MS * 2);
    expect(events).toEqual(['message:token', 'message:shutdown', 'runner exits']);
    expect(supervisor.state.phase).toBe('stopped');
  });

  it('a runner that does not exit is killed, only after its refresh wait has passed', async () => {
    const events: string[] = [];
    const runner = fakeRunner(events);
    const supervisor = new LocalRunnerSupervisor({ dataDir: '/tmp/x', launch: () => runner.child, logger: logger as never, onChange: () => {} });
    supervisor.start();
    const stopping = supervisor.stop();
    await vi.advanceTimersByTimeAsync(RUNNER_STOP_WAIT_MS);
    events.push('refresh wait over');
    await vi.advanceTimersByTimeAsync(RUNNER_STOP_GRACE_MS - RUNNER_STOP_WAIT_MS);
    await stopping;
    expect(events).toEqual(['message:token', 'message:shutdown', 'refresh wait over', 'kill']);
    expect(supervisor.state.phase).toBe('stopped');
  });

  it('a restart shows the runner starting from the first moment to the next start, never stopped in between', async () => {
    const events: string[] = [];
    const runners = [fakeRunner(events), fakeRunner(events)];
    let launched = 0;
    const phases: string[] = [];
    const supervisor = new LocalRunnerSupervisor({
      dataDir: '/tmp/x',
      launch: () => runners[launched++]!.child,
      logger: logger as never,
      onChange: (state) => phases.push(state.phase),
    });
    supervisor.start();
    phases.length = 0;
    const restarting = supervisor.restart();
    expect(supervisor.state.phase).toBe('starting');
    runners[0]!.exit(0);
    await restarting;
    expect(launched).toBe(2);
    expect(phases.length).toBeGreaterThan(0);
    expect(new Set(phases)).toEqual(new Set(['starting']));
    expect(supervisor.state).toMatchObject({ phase: 'starting', message: null });
  });

  it('a stop during a restart (the app quits, the runner is removed) wins: no runner is started behind it', async () => {
    const events: string[] = [];
    const runners = [fakeRunner(events), fakeRunner(events)];
    let launched = 0;
    const supervisor = new LocalRunnerSupervisor({ dataDir: '/tmp/x', launch: () => runners[launched++]!.child, logger: logger as never, onChange: () => {} });
    supervisor.start();
    const restarting = supervisor.restart();
    const stopping = supervisor.stop();
    runners[0]!.exit(0);
    await Promise.all([restarting, stopping]);
    expect(launched).toBe(1);
    expect(supervisor.state.phase).toBe('stopped');
  });
});
