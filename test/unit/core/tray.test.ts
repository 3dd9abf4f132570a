import { describe, expect, it, vi } from 'vitest';
import type { Environment, HostAccess, Runner } from '../../../electron/common/api';
import { silentLogger } from '../../../electron/core/logger';
import { performTrayAction, repositoryUrlIn, TrayModel, type TrayActionTarget, type TrayState } from '../../../electron/core/tray';
import { createTestCore } from '../../helpers/core';
import { jobView, localRunner, remoteRunner } from '../renderer/components/fixtures';

const GITHUB = 'https://github.com';
const GHES = 'https://ghe.example.test';

function access(overrides: Partial<HostAccess> = {}): HostAccess {
  return {
    host: GITHUB,
    kind: 'github',
    runnerId: 'local',
    runnerName: 'Local runner',
    methods: { oauth: true, pat: true },
    managed: false,
    connections: [{ organization: null, state: 'none', source: null, account: null, expiresAt: null, tokenId: null, accounts: [] }],
    ...overrides,
  };
}

function connected(account: string, state: 'connected' | 'expiring' | 'reconnect-needed' = 'connected'): HostAccess['connections'][number] {
  return {
    organization: null,
    state,
    source: 'oauth',
    account,
    expiresAt: null,
    tokenId: 't_0123456789abcdef',
    accounts: [{ tokenId: 't_0123456789abcdef', account, source: 'oauth', state, expiresAt: null, renews: true, inUse: true }],
  };
}

let counter = 0;
function environment(overrides: Partial<Environment> = {}): Environment {
  counter += 1;
  return {
    id: `e_${String(counter).padStart(16, '0')}`,
    url: 'https://github.com/octo/hello',
    kind: 'github',
    host: GITHUB,
    organization: null,
    repository: 'octo/hello',
    cloneUrl: 'https://github.com/octo/hello.git',
    ref: null,
    resolved: null,
    subPath: null,
    depth: 'full',
    tokenId: null,
    path: `/home/me/Paddock/hello-${counter}`,
    state: 'ready',
    jobId: null,
    error: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    runnerId: 'local',
    runnerName: 'Local runner',
    ...overrides,
  };
}

function model(setup: { runners?: Runner[]; hosts?: HostAccess[]; environments?: Environment[] } = {}) {
  const world = { runners: setup.runners ?? [localRunner('key')], hosts: setup.hosts ?? [], environments: setup.environments ?? [] };
  const listEnvironments = vi.fn(async () => world.environments);
  const tray = new TrayModel({ runners: () => world.runners, hosts: () => world.hosts, listEnvironments, logger: silentLogger });
  const changes: TrayState[] = [];
  tray.onChange((state) => changes.push(state));
  return { tray, world, changes, listEnvironments };
}

const jobId = 'j_0123456789abcdefgh';

describe('TrayModel', () => {
  it('is all good with an online runner and nothing to do', () => {
    const { tray } = model();
    expect(tray.state()).toEqual({
      overall: 'ok',
      runners: [{ id: 'local', name: 'Local runner', state: 'online' }],
      connections: [],
      jobs: [],
      environments: [],
      failedEnvironments: 0,
    });
  });

  it('lists every host and organization with its connection, and needs the user when one must be reconnected', () => {
    const ado = access({
      host: 'https://dev.azure.com',
      kind: 'azure-devops',
      connections: [
        { ...connected('ada@contoso.com'), organization: 'contoso' },
        { organization: 'fabrikam', state: 'none', source: null, account: null, expiresAt: null, tokenId: null, accounts: [] },
      ],
    });
    const { tray, world, changes } = model({ hosts: [access({ connections: [connected('octocat')] }), ado] });
    expect(tray.state().connections.map((c) => [c.host, c.organization, c.state, c.account, c.accounts])).toEqual([
      [GITHUB, null, 'connected', 'octocat', 1],
      ['https://dev.azure.com', 'contoso', 'connected', 'ada@contoso.com', 1],
      ['https://dev.azure.com', 'fabrikam', 'none', null, 0],
    ]);
    expect(tray.state().overall).toBe('ok');
    world.hosts = [access({ connections: [connected('octocat', 'reconnect-needed')] })];
    tray.update();
    expect(changes.at(-1)?.overall).toBe('attention');
  });

  it('needs the user when a runner failed', () => {
    const failed = { ...remoteRunner('user'), health: { ...remoteRunner('user').health, state: 'failed' as const } };
    const { tray } = model({ runners: [localRunner('key'), failed] });
    expect(tray.state().overall).toBe('attention');
  });

  it('tells its listeners only when the state changed', () => {
    const { tray, world, changes } = model();
    tray.update();
    tray.update();
    expect(changes).toHaveLength(0);
    world.runners = [{ ...localRunner('key'), health: { ...localRunner('key').health, state: 'degraded' } }];
    tray.update();
    expect(changes.map((c) => c.runners[0]?.state)).toEqual(['degraded']);
  });

  it('lists the five most recently changed environments, newest first, and counts every failed one', async () => {
    const environments = [
      environment({ repository: 'a/one', updatedAt: '2026-01-01T00:00:00.000Z' }),
      environment({ repository: 'a/two', updatedAt: '2026-01-06T00:00:00.000Z', state: 'failed' }),
      environment({ repository: 'a/three', updatedAt: '2026-01-03T00:00:00.000Z' }),
      environment({ repository: 'a/four', updatedAt: '2026-01-04T00:00:00.000Z', ref: { type: 'pull', number: 7 } }),
      environment({ repository: 'a/five', updatedAt: '2026-01-05T00:00:00.000Z', runnerId: 'remote-1', runnerName: 'Build server' }),
      environment({ repository: 'a/six', updatedAt: '2026-01-02T00:00:00.000Z', ref: { type: 'branch', name: 'feature/x' } }),
    ];
    const { tray, changes } = model({ runners: [localRunner('key'), remoteRunner('user')], environments });
    await tray.refreshEnvironments();
    const state = changes.at(-1)!;
    expect(state.environments.map((e) => [e.repository, e.ref, e.local])).toEqual([
      ['a/two', 'default branch', true],
      ['a/five', 'default branch', false],
      ['a/four', 'pull request 7', true],
      ['a/three', 'default branch', true],
      ['a/six', 'feature/x', true],
    ]);
    expect(state.failedEnvironments).toBe(1);
    expect(state.overall).toBe('attention');
  });

  it('follows a clone with its progress in whole percent until it ends, then asks for the environments again', async () => {
    const cloning = environment({ repository: 'octo/hello', state: 'creating', jobId });
    const { tray, world, changes, listEnvironments } = model({ environments: [cloning] });
    await tray.refreshEnvironments();
    const progress = (overall: number) => ({
      kind: 'environment-clone' as const,
      environmentId: cloning.id,
      phase: 'receiving' as const,
      title: 'Receiving objects',
      percent: null,
      processed: null,
      total: null,
      bytes: null,
      throughput: null,
      overall,
    });
    tray.jobEvent({ runnerId: 'local', jobId, event: { type: 'state', job: jobView(jobId, { kind: 'environment-clone' }) } });
    expect(tray.state().jobs).toEqual([{ runnerId: 'local', jobId, kind: 'environment-clone', subject: 'octo/hello', percent: null }]);
    expect(tray.state().overall).toBe('busy');
    tray.jobEvent({ runnerId: 'local', jobId, event: { type: 'progress', jobId, seq: 1, progress: progress(0.421) } });
    const before = changes.length;
    tray.jobEvent({ runnerId: 'local', jobId, event: { type: 'progress', jobId, seq: 2, progress: progress(0.428) } });
    expect(changes.length).toBe(before);
    expect(tray.state().jobs[0]?.percent).toBe(42);
    world.environments = [{ ...cloning, state: 'ready', jobId }];
    listEnvironments.mockClear();
    tray.jobEvent({ runnerId: 'local', jobId, event: { type: 'end', jobId, outcome: { state: 'cancelled' } } });
    expect(listEnvironments).toHaveBeenCalledTimes(1);
    await tray.refreshEnvironments();
    expect(tray.state().jobs).toEqual([]);
    expect(tray.state().overall).toBe('ok');
  });

  it('does not show a clone whose end arrived while its runner still records it as being made, and asks again shortly', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      const cloning = environment({ state: 'creating', jobId });
      const { tray, world, listEnvironments } = model({ environments: [cloning] });
      tray.jobEvent({ runnerId: 'local', jobId, event: { type: 'state', job: jobView(jobId, { kind: 'environment-clone' }) } });
      tray.jobEvent({ runnerId: 'local', jobId, event: { type: 'end', jobId, outcome: { state: 'cancelled' } } });
      await tray.refreshEnvironments();
      expect(tray.state().jobs).toEqual([]);
      expect(tray.state().overall).toBe('ok');
      world.environments = [{ ...cloning, state: 'cancelled' }];
      const calls = listEnvironments.mock.calls.length;
      await vi.advanceTimersByTimeAsync(1000);
      expect(listEnvironments.mock.calls.length).toBe(calls + 1);
      expect(tray.state().environments[0]?.state).toBe('cancelled');
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows a clone the runner reports under way even when this app did not start it', async () => {
    const { tray } = model({ environments: [environment({ state: 'creating', jobId })] });
    await tray.refreshEnvironments();
    expect(tray.state().jobs).toEqual([{ runnerId: 'local', jobId, kind: 'environment-clone', subject: 'octo/hello', percent: null }]);
  });

  it('names what a sign-in signs in to, and ignores short jobs such as checks', () => {
    const { tray } = model();
    tray.jobEvent({ runnerId: 'local', jobId: 'j_checkcheckcheck0000', event: { type: 'state', job: jobView('j_checkcheckcheck0000', { kind: 'token-check' }) } });
    expect(tray.state().jobs).toEqual([]);
    tray.jobEvent({ runnerId: 'local', jobId, event: { type: 'state', job: jobView(jobId, { kind: 'oauth-connect' }) } });
    tray.noteSignIn('local', jobId, 'azure-devops', 'https://dev.azure.com', 'contoso');
    expect(tray.state().jobs).toEqual([{ runnerId: 'local', jobId, kind: 'oauth-connect', subject: 'Azure DevOps (dev.azure.com), contoso', percent: null }]);
  });

  it('asks for the environments one request at a time, and once more when asked meanwhile', async () => {
    const { tray, listEnvironments } = model();
    let release: () => void = () => undefined;
    listEnvironments.mockImplementationOnce(() => new Promise((resolve) => (release = () => resolve([]))));
    const first = tray.refreshEnvironments();
    void tray.refreshEnvironments();
    void tray.refreshEnvironments();
    expect(listEnvironments).toHaveBeenCalledTimes(1);
    release();
    await first;
    expect(listEnvironments).toHaveBeenCalledTimes(2);
  });
});

describe('repositoryUrlIn', () => {
  const state = { connections: [] };
  it('accepts what the context-URL parser accepts, with the configured hosts', () => {
    expect(repositoryUrlIn('  https://github.com/octo/hello/pull/8 \n', state)).toBe('https://github.com/octo/hello/pull/8');
    expect(repositoryUrlIn(`${GHES}/octo/hello`, state)).toBeNull();
    const withGhes = { connections: model({ hosts: [access({ host: GHES })] }).tray.state().connections };
    expect(repositoryUrlIn(`${GHES}/octo/hello`, withGhes)).toBe(`${GHES}/octo/hello`);
  });

  it('refuses text that is not one repository URL, and an address with a password', () => {
    for (const text of [null, '', 'hello world', 'https://example.com/a/b', 'https://github.com/octo/hello https://github.com/a/b', 'https://github.com/octo/\u202Ehello']) {
      expect(repositoryUrlIn(text, state)).toBeNull();
    }
    expect(repositoryUrlIn('https://me:ghp_CANARY0123456789@github.com/octo/hello', state)).toBeNull();
  });
});

describe('performTrayAction', () => {
  function target(): TrayActionTarget & { calls: unknown[] } {
    const calls: unknown[] = [];
    return {
      calls,
      logOut: async (input) => calls.push(['logOut', input]),
      cancelJob: async (input) => calls.push(['cancelJob', input]),
      openEnvironment: async (input) => calls.push(['openEnvironment', input]),
      requestUi: (action) => calls.push(['requestUi', action]),
      requestEnvironment: (url) => calls.push(['requestEnvironment', url]),
    };
  }

  async function stateWith() {
    const ready = environment({ repository: 'octo/ready' });
    const remote = environment({ repository: 'octo/remote', runnerId: 'remote-1', runnerName: 'Build server' });
    const { tray } = model({
      runners: [localRunner('key'), remoteRunner('user')],
      hosts: [access({ connections: [connected('octocat')] }), access({ host: GHES, methods: { oauth: false, pat: false } })],
      environments: [ready, remote],
    });
    await tray.refreshEnvironments();
    tray.jobEvent({ runnerId: 'local', jobId, event: { type: 'state', job: jobView(jobId, { kind: 'environment-clone' }) } });
    return { state: tray.state(), ready, remote };
  }

  it('does what an item of the current menu says', async () => {
    const { state, ready } = await stateWith();
    const t = target();
    expect(await performTrayAction({ type: 'connect', runnerId: 'local', host: GITHUB, organization: null }, state, t)).toBe('show-window');
    expect(await performTrayAction({ type: 'log-out', runnerId: 'local', host: GITHUB, organization: null }, state, t)).toBe('done');
    expect(await performTrayAction({ type: 'cancel-job', runnerId: 'local', jobId }, state, t)).toBe('done');
    expect(await performTrayAction({ type: 'open-environment', runnerId: 'local', id: ready.id, target: 'editor' }, state, t)).toBe('done');
    expect(await performTrayAction({ type: 'show-environment', runnerId: 'local', id: ready.id }, state, t)).toBe('show-window');
    expect(await performTrayAction({ type: 'open-window' }, state, t)).toBe('show-window');
    expect(await performTrayAction({ type: 'quit' }, state, t)).toBe('quit');
    expect(t.calls).toEqual([
      ['requestUi', { type: 'connect', runnerId: 'local', host: GITHUB, organization: null }],
      ['logOut', { runnerId: 'local', host: GITHUB, organization: null }],
      ['cancelJob', { runnerId: 'local', jobId }],
      ['openEnvironment', { runnerId: 'local', id: ready.id, target: 'editor' }],
      ['requestUi', { type: 'show-environment', runnerId: 'local', id: ready.id }],
    ]);
  });

  it('refuses what the current state no longer offers, and anything that is not an action', async () => {
    const { state, remote } = await stateWith();
    const t = target();
    const refused = [
      { type: 'connect', runnerId: 'local', host: 'https://gitlab.com', organization: null },
      // No way to connect there.
      { type: 'connect', runnerId: 'local', host: GHES, organization: null },
      // Nothing to log out of.
      { type: 'log-out', runnerId: 'local', host: GHES, organization: null },
      { type: 'cancel-job', runnerId: 'local', jobId: 'j_notrunningnotrunning' },
      // On a server: nothing to open here.
      { type: 'open-environment', runnerId: 'remote-1', id: remote.id, target: 'folder' },
      { type: 'show-environment', runnerId: 'local', id: 'e_0000000000000000gone' },
    ];
    for (const action of refused) await expect(performTrayAction(action, state, t)).rejects.toMatchObject({ code: 'not-found' });
    for (const action of [{ type: 'format-disk' }, { type: 'quit', now: true }, 'quit', null]) {
      await expect(performTrayAction(action, state, t)).rejects.toMatchObject({ code: 'invalid-input' });
    }
    expect(t.calls).toEqual([]);
  });

  it('makes a waiting request from the clipboard read when chosen, or opens Environments when it holds no repository URL', async () => {
    const { state } = await stateWith();
    const t = target();
    const clipboard = { type: 'new-environment-from-clipboard' } as const;
    expect(await performTrayAction(clipboard, state, t, { clipboardText: 'https://github.com/octo/hello/pull/8' })).toBe('show-window');
    expect(await performTrayAction(clipboard, state, t, { clipboardText: 'shopping list' })).toBe('show-window');
    expect(t.calls).toEqual([
      ['requestEnvironment', 'https://github.com/octo/hello/pull/8'],
      ['requestUi', { type: 'show-screen', screen: 'environments' }],
    ]);
  });
});

describe('core: the tray surface', () => {
  it('gives the tray state, and makes a waiting request from the tray that the window confirms', async () => {
    const { core } = createTestCore();
    expect(core.main.trayState()).toMatchObject({ overall: 'ok', runners: [], connections: [], jobs: [], environments: [] });
    const waiting = vi.fn();
    core.onEnvironmentRequestsChanged(waiting);
    expect(await core.main.performTrayAction({ type: 'new-environment-from-clipboard' }, { clipboardText: 'https://github.com/octo/hello' })).toBe('show-window');
    expect(core.main.environmentFromTrayDrop('not a link')).toBe(false);
    expect(core.main.environmentFromTrayDrop('https://gitlab.com/group/project')).toBe(true);
    expect((await core.listEnvironmentRequests()).map((r) => [r.url, r.source])).toEqual([
      ['https://github.com/octo/hello', 'tray'],
      ['https://gitlab.com/group/project', 'tray drop'],
    ]);
    expect(await core.takeUiActions()).toEqual([]);
    await core.dispose();
  });

  it('is not part of the app API the window can call', async () => {
    const { dispatcher, core } = createTestCore();
    for (const name of ['trayState', 'performTrayAction', 'onTrayStateChanged', 'environmentFromTrayDrop']) {
      expect(await dispatcher.call(name, null)).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    }
    await core.dispose();
  });
});
