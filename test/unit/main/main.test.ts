import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as Lifecycle from '../../../electron/main/lifecycle';

// main.ts is the table of contents: this checks it calls each feature's
// setup in order, and stops where it must (another instance runs, the store
// cannot be used). Every setup is a stand-in that records its call.

const state = vi.hoisted(() => ({
  order: [] as string[],
  lock: true,
  store: {} as object | null,
  argv: [] as string[],
  readyShows: [] as boolean[],
  traySupport: { available: false, reason: 'unknown-desktop' } as { available: boolean; reason: string },
  trayOptions: [] as { canShow?: boolean }[],
  lifecycleTrayShown: [] as boolean[],
}));

vi.mock('electron', () => import('./electron-mock'));
const record = (name: string, result?: unknown) =>
  vi.fn((..._args: unknown[]) => {
    state.order.push(name);
    return typeof result === 'function' ? (result as () => unknown)() : result;
  });
vi.mock('../../../electron/main/protocol-client', () => ({ setupDesktopName: record('setupDesktopName'), setupProtocolClient: record('setupProtocolClient', Promise.resolve(true)) }));
vi.mock('../../../electron/main/windows', () => ({
  setupWindows: record('setupWindows', () => ({
    show: () => state.order.push('windows.show'),
    isOpen: () => false,
    ready: (show: boolean) => {
      state.order.push('windows.ready');
      state.readyShows.push(show);
    },
  })),
}));
vi.mock('../../../electron/main/deep-links', () => ({
  setupDeepLinks: record('setupDeepLinks', () => ({ receiveArgv: () => undefined, deliverTo: () => state.order.push('deepLinks.deliverTo') })),
}));
vi.mock('../../../electron/main/single-instance', () => ({ setupSingleInstance: record('setupSingleInstance', () => state.lock) }));
vi.mock('../../../electron/main/app-protocol', () => ({ APP_ORIGIN: 'app://paddock', registerAppScheme: record('registerAppScheme'), setupAppProtocol: record('setupAppProtocol') }));
vi.mock('../../../electron/main/logging', () => ({
  setupLogging: record('setupLogging', () => ({ logger: { info: () => undefined, warn: () => undefined, error: () => undefined }, runnerLine: () => undefined, directory: '/logs', files: { folder: '/logs', files: [] } })),
}));
vi.mock('../../../electron/main/tray-support', () => ({ detectTraySupport: record('detectTraySupport', () => Promise.resolve(state.traySupport)) }));
vi.mock('../../../electron/main/notifications', () => ({ setupNotifications: record('setupNotifications') }));
vi.mock('../../../electron/main/tray', () => ({
  setupTray: vi.fn((options: { canShow?: boolean }) => {
    state.order.push('setupTray');
    state.trayOptions.push(options);
    return options.canShow ? { rebuild: () => Promise.resolve(), destroy: () => state.order.push('tray.destroy') } : null;
  }),
}));
vi.mock('../../../electron/main/security', () => ({ setupSecurity: record('setupSecurity') }));
vi.mock('../../../electron/main/store', () => ({ setupStore: record('setupStore', () => state.store) }));
vi.mock('../../../electron/main/app-core', () => ({ setupCore: record('setupCore', Promise.resolve({ core: {}, dispatcher: {} })) }));
vi.mock('../../../electron/main/desktop', () => ({ electronDesktop: () => ({}), machineLookup: () => ({}) }));
vi.mock('../../../electron/main/ipc', () => ({ setupIpc: record('setupIpc') }));
vi.mock('../../../electron/main/lifecycle', async (original) => ({
  ...(await original<typeof Lifecycle>()),
  setupLifecycle: vi.fn((options: { tray: { shown(): boolean } }) => {
    state.order.push('setupLifecycle');
    state.lifecycleTrayShown.push(options.tray.shown());
  }),
}));

Object.assign(globalThis, { MAIN_WINDOW_VITE_NAME: 'main_window', __PADDOCK_DEV__: false });
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

async function startMain(argv: string[] = ['/opt/Paddock/paddock']) {
  const saved = process.argv;
  process.argv = argv;
  try {
    await import('../../../electron/main/main');
    await settle();
  } finally {
    process.argv = saved;
  }
}

describe('main.ts', () => {
  beforeEach(() => {
    vi.resetModules();
    state.order.length = 0;
    state.readyShows.length = 0;
    state.lock = true;
    state.store = {};
    state.traySupport = { available: false, reason: 'unknown-desktop' };
    state.trayOptions.length = 0;
    state.lifecycleTrayShown.length = 0;
  });

  it('sets each feature up in order: links and the lock before ready, the core before the API, the window, then the waiting links', async () => {
    await startMain();
    expect(state.order).toEqual([
      'setupDesktopName',
      'setupWindows',
      'setupDeepLinks',
      'setupSingleInstance',
      'registerAppScheme',
      'setupLogging',
      'setupNotifications',
      'detectTraySupport',
      'setupProtocolClient',
      'setupSecurity',
      'setupAppProtocol',
      'setupStore',
      'setupCore',
      'setupIpc',
      'setupTray',
      'setupLifecycle',
      'windows.ready',
      'deepLinks.deliverTo',
    ]);
    expect(state.readyShows).toEqual([true]);
  });

  it('does nothing more when another Paddock holds the lock (its argv went there)', async () => {
    state.lock = false;
    await startMain();
    expect(state.order).toEqual(['setupDesktopName', 'setupWindows', 'setupDeepLinks', 'setupSingleInstance']);
  });

  it('stops when the store cannot be used (setupStore said why and ends the app)', async () => {
    state.store = null;
    await startMain();
    expect(state.order.at(-1)).toBe('setupStore');
  });

  it('shows the window at a start at login when no tray shows (never unreachable)', async () => {
    await startMain(['/opt/Paddock/paddock', '--background']);
    expect(state.trayOptions).toMatchObject([{ canShow: false }]);
    expect(state.lifecycleTrayShown).toEqual([false]);
    expect(state.readyShows).toEqual([true]);
  });

  it('where a tray can show: the tray is set up, the lifecycle knows it shows, and a start at login waits in it', async () => {
    state.traySupport = { available: true, reason: 'status-notifier-watcher' };
    await startMain(['/opt/Paddock/paddock', '--background']);
    expect(state.trayOptions).toMatchObject([{ canShow: true }]);
    expect(state.lifecycleTrayShown).toEqual([true]);
    expect(state.readyShows).toEqual([false]);
    // An ordinary launch shows the window even with a tray.
    vi.resetModules();
    state.readyShows.length = 0;
    await startMain();
    expect(state.readyShows).toEqual([true]);
  });
});
