import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RunnerParentMessage } from '../../common/runner-api';
import type { RunnerLauncher } from './local-runner';
import { forwardLines } from './log-lines';

/** The runner's source entry, run with tsx (development, tests, web host). */
export const runnerSourceEntry = fileURLToPath(new URL('../../runner/runner.ts', import.meta.url));

/**
 * Starts the runner as a plain Node child process with an IPC channel (the
 * Electron app uses utilityProcess instead; see electron/main/runner-process.ts).
 * Its log lines (stderr) go to `onLog`.
 */
export function nodeRunnerLauncher(options: { entry?: string; execArgv?: string[]; onLog?: (line: string) => void; env?: NodeJS.ProcessEnv } = {}): RunnerLauncher {
  const entry = options.entry ?? runnerSourceEntry;
  const execArgv = options.execArgv ?? (entry.endsWith('.ts') ? ['--import', 'tsx'] : []);
  return (args) => {
    const child = fork(entry, args, { execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: options.env ?? process.env, serialization: 'json' });
    forwardLines(child.stderr, (line) => options.onLog?.(line));
    return {
      postMessage: (message: RunnerParentMessage) => {
        if (child.connected) child.send(message);
      },
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.on('exit', (code) => listener(code)),
      kill: () => child.kill('SIGKILL'),
    };
  };
}
