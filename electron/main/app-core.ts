import fs from 'node:fs';
import path from 'node:path';
import { app } from 'electron';
import { keychainCredentialStore } from '../core/credentials';
import type { DesktopIntegration } from '../core/desktop';
import type { DiagnosticsLogs } from '../core/diagnostics';
import type { Logger } from '../core/logger';
import type { AppStore } from '../core/store/store';
import { wireApp, type WiredApp } from '../core/wiring';
import { utilityRunnerLauncher } from './runner-process';

export interface CoreSetupOptions {
  store: AppStore;
  logger: Logger;
  desktop: DesktopIntegration;
  /** The folder of the bundled main.cjs: runner.cjs is next to it. */
  buildDirectory: string;
  /** Where the local runner's log lines go (runner.log). */
  runnerLine(line: string): void;
  /** Development builds only: the admin policy's path may be overridden (PADDOCK_POLICY_FILE). */
  isDevelopmentBuild: boolean;
  /** main.log and runner.log, for About and "Collect diagnostics". */
  logs?: DiagnosticsLogs;
}

/**
 * The core with Electron's parts: the keychain, the admin policy read from
 * this machine, the local runner started as a utility process (its data in
 * the user data folder), and the desktop.
 */
export function setupCore({ store, logger, desktop, buildDirectory, runnerLine, isDevelopmentBuild, logs }: CoreSetupOptions): Promise<WiredApp> {
  return wireApp({
    store,
    logger,
    credentials: keychainCredentialStore(),
    appInfo: { name: app.getName(), version: app.getVersion(), shell: 'electron', platform: process.platform, simulation: null },
    policy: {
      platform: process.platform,
      env: process.env,
      isDevelopmentBuild,
      readFile: (file) => fs.promises.readFile(file, 'utf8'),
    },
    localRunner: {
      dataDir: path.join(app.getPath('userData'), 'runner'),
      // The runner logs JSON lines with secrets already redacted.
      launch: utilityRunnerLauncher(path.join(buildDirectory, 'runner.cjs'), runnerLine),
    },
    desktop,
    ...(logs ? { logs } : {}),
  });
}
