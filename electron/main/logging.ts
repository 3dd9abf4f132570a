import fs from 'node:fs';
import path from 'node:path';
import { app } from 'electron';
import type { DiagnosticsLogs } from '../core/diagnostics';
import { createLogger, type Logger } from '../core/logger';

export interface MainLogs {
  /** The main process's log (main.log): JSON lines, secret-looking fields redacted. */
  logger: Logger;
  /** Writes one line of the local runner's log (runner.log); the runner redacts its own lines. */
  runnerLine(line: string): void;
  /** The folder both logs are in (Electron's `logs` path). */
  directory: string;
  /** The folder and both files, as About and "Collect diagnostics" read them. */
  files: DiagnosticsLogs;
}

/** Opens main.log and runner.log in Electron's logs folder (created when missing), readable by the user only. */
export function setupLogging(directory: string = app.getPath('logs')): MainLogs {
  fs.mkdirSync(directory, { recursive: true });
  const mainFile = path.join(directory, 'main.log');
  const runnerFile = path.join(directory, 'runner.log');
  const logger = createLogger({
    name: 'paddock-main',
    destination: fs.createWriteStream(mainFile, { flags: 'a', mode: 0o600 }),
  });
  const runnerLog = fs.createWriteStream(runnerFile, { flags: 'a', mode: 0o600 });
  const files: DiagnosticsLogs = { folder: directory, files: [{ name: 'main.log', path: mainFile }, { name: 'runner.log', path: runnerFile }] };
  return { logger, runnerLine: (line) => void runnerLog.write(`${line}\n`), directory, files };
}
