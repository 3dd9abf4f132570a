import {
  APP_API_VERSION,
  type AppInfo,
  type Notice,
  type PaddockApi,
  type PreferencesPatch,
} from '../common/api';
import { PaddockError } from '../common/errors';
import { ApiEventHub } from './events';
import type { AppStore } from './store/store';

export interface CoreOptions {
  store: AppStore;
  appInfo: Omit<AppInfo, 'apiVersion'>;
}

/** The core: the app's management logic, and the one implementation of `PaddockApi`. */
export interface PaddockCore extends PaddockApi {
  /** Stops timers and child processes; the core is unusable afterwards. */
  dispose(): Promise<void>;
}

export function createCore({ store, appInfo }: CoreOptions): PaddockCore {
  const events = new ApiEventHub();
  let notices: Notice[] = store.recovery ? [store.recovery] : [];

  return {
    getAppInfo: async () => ({ ...appInfo, apiVersion: APP_API_VERSION }),

    getPreferences: async () => store.get('preferences'),

    updatePreferences: async (patch: PreferencesPatch) => {
      const preferences = { ...store.get('preferences'), ...patch };
      store.set('preferences', preferences);
      events.emit('preferencesChanged', preferences);
      return preferences;
    },

    listRunners: async () => store.get('runners'),

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
    onNoticesChanged: (listener) => events.on('noticesChanged', listener),

    dispose: async () => {},
  };
}
