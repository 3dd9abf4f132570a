import { utilityProcess } from 'electron';
import type { RunnerLauncher } from '../core/runners/local-runner';
import { forwardLines } from '../core/runners/log-lines';

/**
 * Starts the bundled runner (runner.cjs) as an Electron utility process. The
 * API token goes over its parentPort (utility processes have no stdin); its
 * log lines (stderr) go to `onLog`.
 */
export function utilityRunnerLauncher(modulePath: string, onLog: (line: string) => void): RunnerLauncher {
  return (args) => {
    const child = utilityProcess.fork(modulePath, args, { serviceName: 'Paddock runner', stdio: ['ignore', 'ignore', 'pipe'] });
    forwardLines(child.stderr, onLog);
    return {
      postMessage: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.on('exit', (code) => listener(code)),
      kill: () => void child.kill(),
    };
  };
}
