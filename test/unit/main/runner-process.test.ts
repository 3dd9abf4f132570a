import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';

class FakeUtility extends EventEmitter {
  stderr = new PassThrough();
  posted: unknown[] = [];
  killed = false;
  postMessage(message: unknown) {
    this.posted.push(message);
  }
  kill() {
    this.killed = true;
    return true;
  }
}
const forked: { modulePath: string; args: string[]; options: Record<string, unknown>; child: FakeUtility }[] = [];

vi.mock('electron', () => ({
  utilityProcess: {
    fork: (modulePath: string, args: string[], options: Record<string, unknown>) => {
      const child = new FakeUtility();
      forked.push({ modulePath, args, options, child });
      return child;
    },
  },
}));

const { utilityRunnerLauncher } = await import('../../../electron/main/runner-process');

describe('utilityRunnerLauncher', () => {
  it('forks runner.cjs as a utility process, passes messages both ways, and forwards log lines', () => {
    const lines: string[] = [];
    const launch = utilityRunnerLauncher('/app/.vite/build/runner.cjs', (line) => lines.push(line));
    const proc = launch(['serve', '--data-dir', '/data/runner']);
    const { modulePath, args, options, child } = forked[0]!;
    expect(modulePath).toBe('/app/.vite/build/runner.cjs');
    expect(args).toEqual(['serve', '--data-dir', '/data/runner']);
    expect(JSON.stringify(args)).not.toMatch(/token/i);
    expect(options).toMatchObject({ serviceName: 'Paddock runner' });

    proc.postMessage({ type: 'token', token: 'x'.repeat(43) });
    expect(child.posted).toEqual([{ type: 'token', token: 'x'.repeat(43) }]);

    const received: unknown[] = [];
    proc.onMessage((m) => received.push(m));
    child.emit('message', { type: 'ready' });
    expect(received).toEqual([{ type: 'ready' }]);

    const exits: (number | null)[] = [];
    proc.onExit((code) => exits.push(code));
    child.emit('exit', 78);
    expect(exits).toEqual([78]);

    child.stderr.write('{"msg":"one"}\n{"msg":"tw');
    child.stderr.write('o"}\n');
    expect(lines).toEqual(['{"msg":"one"}', '{"msg":"two"}']);

    proc.kill();
    expect(child.killed).toBe(true);
  });
});
