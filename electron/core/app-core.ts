import {
  APP_API_VERSION,
  type AppInfo,
  type Notice,
  type PaddockApi,
  type PreferencesPatch,
} from '../common/api';
import { discoverTenantResultSchema, saveProviderResultSchema } from '../common/api/schemas';
import { PaddockError } from '../common/errors';
import { providerViewSchema } from '../common/provider-config';
import { z } from 'zod';
import type { CredentialStore } from './credentials';
import { ApiEventHub } from './events';
import type { Logger } from './logger';
import { RunnerRegistry, type RunnerRegistryOptions } from './runners/registry';
import type { AppStore } from './store/store';

const providerListSchema = z.object({ providers: z.array(providerViewSchema) }).strict();
const providerDeleteSchema = z.object({ ok: z.literal(true), deletedTokens: z.number().int().nonnegative() }).strict();

export interface CoreOptions {
  store: AppStore;
  appInfo: Omit<AppInfo, 'apiVersion'>;
  logger: Logger;
  /** The main process's keychain entries (remote runners' credentials). */
  credentials: CredentialStore;
  /** The local runner, when this app runs one; null in unit tests of other parts. */
  localRunner: RunnerRegistryOptions['local'];
  heartbeatMs?: number;
  workstationName?: string;
}

/** The core: the app's management logic, and the one implementation of `PaddockApi`. */
export interface PaddockCore extends PaddockApi {
  /** Stops timers and child processes; the core is unusable afterwards. */
  dispose(): Promise<void>;
}

export function createCore({ store, appInfo, logger, credentials, localRunner, heartbeatMs, workstationName }: CoreOptions): PaddockCore {
  const events = new ApiEventHub();
  let notices: Notice[] = store.recovery ? [store.recovery] : [];
  const runners = new RunnerRegistry({
    store,
    credentials,
    logger,
    local: localRunner,
    ...(heartbeatMs ? { heartbeatMs } : {}),
    ...(workstationName ? { workstationName } : {}),
    onChange: (list) => events.emit('runnersChanged', list),
  });
  runners.start();

  return {
    getAppInfo: async () => ({ ...appInfo, apiVersion: APP_API_VERSION }),

    getPreferences: async () => store.get('preferences'),

    updatePreferences: async (patch: PreferencesPatch) => {
      const preferences = { ...store.get('preferences'), ...patch };
      store.set('preferences', preferences);
      events.emit('preferencesChanged', preferences);
      return preferences;
    },

    listRunners: async () => runners.list(),
    getRunner: async ({ id }) => runners.get(id),
    probeRemoteRunner: (input) => runners.probeRemote(input),
    addRemoteRunner: (input) => runners.addRemote(input),
    renameRunner: async ({ id, name }) => runners.rename(id, name),
    removeRunner: ({ id, force }) => runners.remove(id, force ?? false),
    restartRunner: ({ id }) => runners.restart(id),
    setUpLocalRunner: async () => runners.setUpLocal(),
    listProviders: async ({ id }) => (await runners.call(id, { method: 'GET', path: '/v1/providers' }, providerListSchema)).providers,
    saveProvider: ({ runnerId, ...body }) => runners.call(runnerId, { method: 'PUT', path: '/v1/providers', body }, saveProviderResultSchema),
    discoverTenant: ({ runnerId, organization }) =>
      runners.call(runnerId, { method: 'POST', path: '/v1/providers/discover-tenant', body: { organization } }, discoverTenantResultSchema),
    deleteProvider: async ({ runnerId, host }) => {
      const { deletedTokens } = await runners.call(runnerId, { method: 'DELETE', path: '/v1/providers', body: { host } }, providerDeleteSchema);
      const { providers } = await runners.call(runnerId, { method: 'GET', path: '/v1/providers' }, providerListSchema);
      return { deletedTokens, providers };
    },

    listEnvironments: async () => store.get('environments'),

    listNotices: async () => notices,

    dismissNotice: async ({ id }) => {
      if (!notices.some((notice) => notice.id === id)) {
        throw new PaddockError('not-found', 'That notice was already dismissed.');
      }
      notices = notices.filter((notice) => notice.id !== id);
      events.emit('noticesChanged', notices);
      return notices;
    },

    onPreferencesChanged: (listener) => events.on('preferencesChanged', listener),
    onRunnersChanged: (listener) => events.on('runnersChanged', listener),
    onNoticesChanged: (listener) => events.on('noticesChanged', listener),

    dispose: () => runners.dispose(),
  };
}
