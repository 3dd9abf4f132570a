import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import { createApiDispatcher } from '../../electron/core/api/dispatcher';
import { createCore, type CoreOptions } from '../../electron/core/app-core';
import { memoryCredentialStore } from '../../electron/core/credentials';
import { silentLogger, type Logger } from '../../electron/core/logger';
import { openStore } from '../../electron/core/store/store';

/** A real core over a conf store in a fresh temporary directory. */
export function createTestCore(
  options: { directory?: string; logger?: Logger; localRunner?: CoreOptions['localRunner']; desktop?: CoreOptions['desktop']; heartbeatMs?: number } = {},
) {
  const directory = options.directory ?? fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-core-'));
  const store = openStore({ directory, createBackend: (storeOptions) => new Conf(storeOptions) as never });
  const logger = options.logger ?? silentLogger;
  const credentials = memoryCredentialStore();
  const core = createCore({
    store,
    appInfo: { name: 'Paddock', version: '0.0.0-test', shell: 'web', platform: process.platform },
    logger,
    credentials,
    localRunner: options.localRunner ?? null,
    ...(options.desktop ? { desktop: options.desktop } : {}),
    ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
  });
  const dispatcher = createApiDispatcher(core, logger);
  return { directory, store, core, dispatcher, credentials };
}
