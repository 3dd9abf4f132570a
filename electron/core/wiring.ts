import type { AppInfo } from '../common/api';
import { createApiDispatcher, type ApiDispatcher } from './api/dispatcher';
import { createCore, type PaddockCore } from './app-core';
import type { CredentialStore } from './credentials';
import type { Logger } from './logger';
import type { DesktopIntegration } from './desktop';
import type { DiagnosticsLogs } from './diagnostics';
import { loadPolicy, type LoadedPolicy, type LoadPolicyOptions } from './policy/load';
import type { RunnerLauncher } from './runners/local-runner';
import type { AppStore } from './store/store';

export interface AppWiringOptions {
  store: AppStore;
  logger: Logger;
  /** The OS keychain (remote runners' credentials). */
  credentials: CredentialStore;
  appInfo: Omit<AppInfo, 'apiVersion'>;
  /** Where and how the machine-wide admin policy is read. */
  policy: LoadPolicyOptions;
  /** The local runner: its data directory, how it is started, extra flags. Null: none. */
  localRunner: { dataDir: string; launch: RunnerLauncher; args?: string[] } | null;
  heartbeatMs?: number;
  workstationName?: string;
  /** The system browser, notifications and whether paddock:// links come back to this app. */
  desktop?: DesktopIntegration;
  /** The app's log files and their folder (About, "Collect diagnostics"). */
  logs?: DiagnosticsLogs;
}

export interface WiredApp {
  core: PaddockCore;
  /** The arrival side for every transport (IPC, the web bridge). */
  dispatcher: ApiDispatcher;
  policy: LoadedPolicy;
}

/**
 * The one wiring of the app: the admin policy, the core (runners, event hub,
 * hosts, jobs) and the API dispatcher, built the same way for the Electron
 * main process and for the web host. What differs between them — the store
 * backend, the keychain, how the local runner is launched, the transport —
 * comes in as options.
 */
export async function wireApp(options: AppWiringOptions): Promise<WiredApp> {
  const { logger } = options;
  const policy = await loadPolicy(options.policy);
  if (policy.found) logger.info('admin policy loaded', { path: policy.path, problems: policy.problems.length });
  if (options.store.recovery) logger.warn('store recovered', { message: options.store.recovery.message });
  const core = createCore({
    store: options.store,
    appInfo: options.appInfo,
    logger,
    credentials: options.credentials,
    policy,
    localRunner: options.localRunner,
    ...(options.desktop ? { desktop: options.desktop } : {}),
    ...(options.logs ? { logs: options.logs } : {}),
    ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
    ...(options.workstationName ? { workstationName: options.workstationName } : {}),
  });
  return { core, dispatcher: createApiDispatcher(core, logger), policy };
}
