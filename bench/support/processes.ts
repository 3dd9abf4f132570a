import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';

export interface Server {
  pid: number;
  /** What it printed on stdout so far. */
  output(): string;
  /** Null while it runs; then how it ended ("exit code 1", "signal SIGKILL"). */
  ended(): string | null;
  /** The last lines of its log (stderr). */
  logTail(): string;
  /** SIGTERM, then SIGKILL if it has not exited after 5 s. */
  stop(): Promise<void>;
}

/**
 * Starts `node args…` and waits (up to 20 s) until its stdout matches `ready`.
 * stderr goes to `logFile`: the runner logs every request, and a file is
 * where a server's log goes in production (not a pipe this process must read).
 */
export async function startServer(args: string[], options: { cwd: string; ready: RegExp; logFile: string }): Promise<Server> {
  const log = fs.openSync(options.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', log] });
  } finally {
    fs.closeSync(log);
  }
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${args.join(' ')} did not start in 20 s.`)), 20_000);
      child.stdout!.on('data', () => {
        if (!options.ready.test(output)) return;
        clearTimeout(timer);
        resolve();
      });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`${args.join(' ')} exited before it was ready:\n${output}\n${tail(options.logFile)}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    pid: child.pid!,
    output: () => output,
    ended: () => (child.signalCode !== null ? `signal ${child.signalCode}` : child.exitCode !== null ? `exit code ${child.exitCode}` : null),
    logTail: () => tail(options.logFile),
    stop,
  };
}

/** Runs `node args…` to completion; its stdout. */
export async function runNode(args: string[], cwd: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/** The last lines of a log file, for an error message. */
export function tail(file: string, lines = 20): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
