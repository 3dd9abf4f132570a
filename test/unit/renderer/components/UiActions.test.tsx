// @vitest-environment happy-dom
import { act, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Environment, HostAccess, PaddockApi, UiAction } from '../../../../electron/common/api';
import type { JobView } from '../../../../electron/common/runner-api';
import { App } from '../../../../renderer/src/App';
import { expectNoAxeViolations } from './axe';
import { deferred } from './dom';
import { eventHub, fakeApi, localRunner, runnerKeys } from './fixtures';

const runner = localRunner(runnerKeys().publicKey);

const github: HostAccess = {
  host: 'https://github.com',
  kind: 'github',
  runnerId: 'local',
  runnerName: 'Local runner',
  methods: { oauth: false, pat: true },
  managed: false,
  connections: [{ organization: null, state: 'none', source: null, account: null, expiresAt: null, tokenId: null, accounts: [] }],
};

const azure: HostAccess = {
  ...github,
  host: 'https://dev.azure.com',
  kind: 'azure-devops',
  connections: [
    { organization: 'contoso', state: 'none', source: null, account: null, expiresAt: null, tokenId: null, accounts: [] },
    {
      organization: 'fabrikam',
      state: 'reconnect-needed',
      source: 'pat',
      account: 'alice',
      expiresAt: null,
      tokenId: 't_00000000000000f1',
      accounts: [{ tokenId: 't_00000000000000f1', account: 'alice', source: 'pat', state: 'reconnect-needed', expiresAt: null, renews: false, inUse: true }],
    },
  ],
};

const environment = (n: number, overrides: Partial<Environment> = {}): Environment => ({
  id: `e_${String(n).padStart(16, '0')}`,
  url: `https://github.com/octo/repo-${n}`,
  kind: 'github',
  host: 'https://github.com',
  organization: null,
  repository: `octo/repo-${n}`,
  cloneUrl: `https://github.com/octo/repo-${n}.git`,
  ref: null,
  resolved: null,
  subPath: null,
  depth: 'full',
  tokenId: null,
  path: `/home/alice/Paddock/repo-${n}`,
  state: 'ready',
  jobId: null,
  error: null,
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
  runnerId: 'local',
  runnerName: 'Local runner',
  ...overrides,
});

/** The whole app on a fake API whose UI-action queue the test fills, as the core's is filled by the tray. */
function setup({ hosts = [github, azure], environments = [environment(1), environment(2), environment(3)] }: { hosts?: HostAccess[]; environments?: Environment[] } = {}) {
  const hub = eventHub();
  let waiting: UiAction[] = [];
  const signals = new Set<(payload: { count: number }) => void>();
  const takeUiActions = vi.fn(async () => {
    const taken = waiting;
    waiting = [];
    return taken;
  });
  const api = fakeApi({
    getPreferences: async () => ({
      theme: 'system',
      startAtLogin: false,
      keepInTray: true,
      notifications: true,
      editor: 'auto',
      terminal: 'auto',
      network: { proxy: null, noProxy: null, caFile: null },
    }),
    onPreferencesChanged: () => () => {},
    getAppInfo: async () => ({ name: 'Paddock', version: '0.0.0', apiVersion: 1, shell: 'web', platform: 'linux', simulation: null }),
    listNotices: async () => [],
    onNoticesChanged: () => () => {},
    listEnvironmentRequests: async () => [],
    onEnvironmentRequestsChanged: () => () => {},
    listRunners: async () => [runner],
    listProviders: async () => [],
    onRunnersChanged: hub.onRunnersChanged,
    onJobEvent: hub.onJobEvent,
    getJob: vi.fn(() => deferred<JobView>().promise),
    listHosts: async () => hosts,
    onHostsChanged: () => () => {},
    listEnvironments: async () => ({ environments, unavailable: [] }),
    desktopEditor: async () => null,
    takeUiActions,
    onUiActionsWaiting: (listener) => {
      signals.add(listener);
      return () => void signals.delete(listener);
    },
  } satisfies Partial<PaddockApi>);
  /** The main process asks for something (a tray item was clicked): queued, then signalled, as the core does. */
  const request = (...actions: UiAction[]) => {
    waiting = [...waiting, ...actions];
    act(() => {
      for (const signal of [...signals]) signal({ count: waiting.length });
    });
  };
  render(<App api={api} />);
  return { request, takeUiActions, queue: (...actions: UiAction[]) => (waiting = [...waiting, ...actions]) };
}

afterEach(() => {
  window.location.hash = '';
});

describe('App: what the tray asks the window to show', () => {
  it('takes the actions that waited before the window loaded, once', async () => {
    window.location.hash = '#/runners';
    const { takeUiActions } = setupWithQueued([{ type: 'show-screen', screen: 'settings' }]);
    await screen.findByRole('heading', { level: 1, name: 'Settings' });
    expect(takeUiActions).toHaveBeenCalledTimes(1);
  });

  it('show-screen goes to that screen', async () => {
    const { request } = setup();
    await screen.findByRole('heading', { level: 1, name: 'Runners' });
    request({ type: 'show-screen', screen: 'accounts' });
    await screen.findByRole('heading', { level: 1, name: 'Accounts' });
    request({ type: 'show-screen', screen: 'runners' });
    await screen.findByRole('heading', { level: 1, name: 'Runners' });
  });

  it('connect opens the Accounts screen’s connect dialog for that host, with focus inside it', async () => {
    const { request } = setup();
    await screen.findByRole('heading', { level: 1, name: 'Runners' });
    request({ type: 'connect', runnerId: 'local', host: 'https://github.com', organization: null });
    const dialog = await screen.findByRole('dialog', { name: 'Connect GitHub' });
    expect(window.location.hash).toBe('#/accounts');
    await waitFor(() => expect(dialog.contains(document.activeElement)).toBe(true));
    expect(within(dialog).getByLabelText('Personal access token')).toBeTruthy();
    await expectNoAxeViolations(document.body);
  });

  it('connect for an Azure DevOps organization that needs reconnecting opens Reconnect for it', async () => {
    const { request } = setup();
    await screen.findByRole('heading', { level: 1, name: 'Runners' });
    request({ type: 'connect', runnerId: 'local', host: 'https://dev.azure.com', organization: 'Fabrikam' });
    const dialog = await screen.findByRole('dialog', { name: 'Reconnect Azure DevOps' });
    expect(dialog.textContent).toContain('Organization: fabrikam');
  });

  it('connect for a host that is no longer there says so, and opens no dialog', async () => {
    const { request } = setup({ hosts: [github] });
    await screen.findByRole('heading', { level: 1, name: 'Runners' });
    request({ type: 'connect', runnerId: 'local', host: 'https://gitlab.com', organization: null });
    await screen.findByText(/That host is no longer set up for connecting/);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('show-environment shows the Environments screen with that environment focused', async () => {
    const { request } = setup();
    await screen.findByRole('heading', { level: 1, name: 'Runners' });
    request({ type: 'show-environment', runnerId: 'local', id: environment(2).id });
    await screen.findByRole('heading', { level: 1, name: 'Environments' });
    await waitFor(() => expect(document.activeElement?.textContent).toContain('octo/repo-2'));
    expect(document.activeElement?.tagName).toBe('LI');
    // Asked again for the same one after the user moved on: focused again.
    act(() => (document.activeElement as HTMLElement).blur());
    request({ type: 'show-environment', runnerId: 'local', id: environment(2).id });
    await waitFor(() => expect(document.activeElement?.textContent).toContain('octo/repo-2'));
    await expectNoAxeViolations(document.body);
  });

  it('show-environment for one that is not listed says so', async () => {
    const { request } = setup();
    await screen.findByRole('heading', { level: 1, name: 'Runners' });
    request({ type: 'show-environment', runnerId: 'local', id: 'e_0000000000000gone' });
    await screen.findByText(/That environment is not listed any more/);
  });

  it('takes one at a time, again when more arrived meanwhile, and loses none', async () => {
    const { request, takeUiActions, queue } = setup();
    await screen.findByRole('heading', { level: 1, name: 'Runners' });
    const slow = deferred<UiAction[]>();
    let inFlight = 0;
    let most = 0;
    const original = takeUiActions.getMockImplementation()!;
    takeUiActions.mockImplementationOnce(async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      const taken = await slow.promise;
      inFlight -= 1;
      return taken;
    });
    request({ type: 'show-screen', screen: 'settings' });
    // Two more signals while the first take is under way.
    queue({ type: 'show-screen', screen: 'environments' });
    request({ type: 'show-screen', screen: 'accounts' });
    const calls = takeUiActions.mock.calls.length;
    await act(async () => slow.resolve(await original()));
    await screen.findByRole('heading', { level: 1, name: 'Accounts' });
    expect(takeUiActions.mock.calls.length).toBe(calls + 1);
    expect(most).toBe(1);
  });
});

/** `setup` with actions already waiting when the app first renders. */
function setupWithQueued(actions: UiAction[]) {
  const spy = vi.fn();
  const result = { takeUiActions: spy };
  let first = true;
  const api = fakeApi({
    getPreferences: async () => ({
      theme: 'system',
      startAtLogin: false,
      keepInTray: true,
      notifications: true,
      editor: 'auto',
      terminal: 'auto',
      network: { proxy: null, noProxy: null, caFile: null },
    }),
    onPreferencesChanged: () => () => {},
    getAppInfo: async () => ({ name: 'Paddock', version: '0.0.0', apiVersion: 1, shell: 'web', platform: 'linux', simulation: null }),
    listNotices: async () => [],
    onNoticesChanged: () => () => {},
    listEnvironmentRequests: async () => [],
    onEnvironmentRequestsChanged: () => () => {},
    listRunners: async () => [runner],
    listProviders: async () => [],
    onRunnersChanged: () => () => {},
    takeUiActions: async () => {
      spy();
      const taken = first ? actions : [];
      first = false;
      return taken;
    },
    onUiActionsWaiting: () => () => {},
  });
  render(<App api={api} />);
  return result;
}
