import { contextBridge, ipcRenderer } from 'electron';
import type { ApiEventName, ApiMethodName, Envelope, ipcChannels, PaddockApi } from '../common/api';

// The preload imports only types from common (ARCHITECTURE.md). These two
// tables must name exactly the contract's methods and events: `satisfies`
// makes a missing or extra name a compile error.
const methods = {
  getAppInfo: true,
  getPreferences: true,
  updatePreferences: true,
  listRunners: true,
  getRunner: true,
  probeRemoteRunner: true,
  addRemoteRunner: true,
  renameRunner: true,
  registerManagedRunner: true,
  removeRunner: true,
  restartRunner: true,
  setUpLocalRunner: true,
  listProviders: true,
  saveProvider: true,
  deleteProvider: true,
  discoverTenant: true,
  listHosts: true,
  connectWithPat: true,
  logOut: true,
  listTokens: true,
  useToken: true,
  connectOAuth: true,
  completeOAuth: true,
  startJob: true,
  getJob: true,
  cancelJob: true,
  listEnvironments: true,
  matchEnvironment: true,
  createEnvironment: true,
  retryEnvironment: true,
  environmentChanges: true,
  deleteEnvironment: true,
  listEnvironmentRequests: true,
  resolveEnvironmentRequest: true,
  openEnvironment: true,
  desktopEditor: true,
  getDesktopSettings: true,
  takeUiActions: true,
  getDiagnostics: true,
  collectDiagnostics: true,
  listNotices: true,
  dismissNotice: true,
} as const satisfies Record<ApiMethodName, true>;

const events = {
  preferencesChanged: 'onPreferencesChanged',
  runnersChanged: 'onRunnersChanged',
  noticesChanged: 'onNoticesChanged',
  hostsChanged: 'onHostsChanged',
  jobEvent: 'onJobEvent',
  environmentRequestsChanged: 'onEnvironmentRequestsChanged',
  uiActionsWaiting: 'onUiActionsWaiting',
} as const satisfies { [K in ApiEventName]: `on${Capitalize<K>}` };

const CALL: (typeof ipcChannels)['call'] = 'paddock:call';
const EVENT: (typeof ipcChannels)['event'] = 'paddock:event';

const listeners = new Map<string, Set<(payload: unknown) => void>>();

ipcRenderer.on(EVENT, (_event, name: unknown, payload: unknown) => {
  // The renderer never sees the IpcRendererEvent, only the payload.
  if (typeof name !== 'string') return;
  for (const listener of listeners.get(name) ?? []) listener(payload);
});

const api: Record<string, unknown> = {};

for (const name of Object.keys(methods)) {
  api[name] = async (input: unknown = null) => {
    const envelope = (await ipcRenderer.invoke(CALL, name, input)) as Envelope;
    if (envelope.ok) return envelope.value;
    // A plain object survives the context bridge with its code; an Error would not.
    throw { ...envelope.error };
  };
}

for (const [event, subscriber] of Object.entries(events)) {
  api[subscriber] = (listener: (payload: unknown) => void) => {
    if (typeof listener !== 'function') throw new TypeError(`${subscriber} needs a function.`);
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  };
}

contextBridge.exposeInMainWorld('paddock', api as PaddockApi);
