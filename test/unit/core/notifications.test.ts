import { describe, expect, it } from 'vitest';
import type { HostAccess, HostAccount, HostConnection, Runner, UiAction } from '../../../electron/common/api';
import type { EnvironmentView, JobView } from '../../../electron/common/runner-api';
import type { DesktopNotification } from '../../../electron/core/desktop';
import { silentLogger } from '../../../electron/core/logger';
import {
  cloneNotification,
  hostNotifications,
  NotificationCenter,
  notificationText,
  providerName,
  relativeToNow,
  runnerNotifications,
  type StartedClone,
} from '../../../electron/core/notifications';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const inDays = (days: number) => new Date(NOW.getTime() + days * 24 * 3600 * 1000).toISOString();

const account = (tokenId: string, overrides: Partial<HostAccount> = {}): HostAccount => ({
  tokenId,
  account: 'sam',
  source: 'oauth',
  state: 'connected',
  expiresAt: null,
  renews: false,
  inUse: true,
  ...overrides,
});
const connection = (state: HostConnection['state'], accounts: HostAccount[] = [], organization: string | null = null): HostConnection => ({
  organization,
  state,
  source: accounts[0]?.source ?? null,
  account: accounts[0]?.account ?? null,
  expiresAt: accounts[0]?.expiresAt ?? null,
  tokenId: accounts[0]?.tokenId ?? null,
  accounts,
});
const host = (connections: HostConnection[], overrides: Partial<HostAccess> = {}): HostAccess => ({
  host: 'https://github.com',
  kind: 'github',
  runnerId: 'local',
  runnerName: 'Local runner',
  methods: { oauth: true, pat: true },
  managed: false,
  connections,
  ...overrides,
});
const T1 = 't_0000000000000001';
const T2 = 't_0000000000000002';

const runner = (id: string, state: Runner['health']['state'], message: string | null = null): Runner =>
  ({ id, name: id === 'local' ? 'Local runner' : 'Build server', kind: id === 'local' ? 'local' : 'remote', health: { state, message, version: null, apiVersion: null, lastSeen: null } }) as Runner;

const environment: EnvironmentView = {
  id: 'e_0123456789abcdef0123',
  url: 'https://github.com/octo/hello/tree/main',
  kind: 'github',
  host: 'https://github.com',
  organization: null,
  repository: 'octo/hello',
  cloneUrl: 'https://github.com/octo/hello.git',
  ref: null,
  resolved: null,
  subPath: null,
  depth: 'full',
  tokenId: null,
  path: '/home/sam/Paddock/hello',
  state: 'creating',
  jobId: 'j_0123456789abcdef0123',
  error: null,
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
};
const clone: StartedClone = { runnerId: 'local', runnerName: 'Local runner', environment };
const cloneJob = (state: JobView['state'], outcome: JobView['outcome'] = null): JobView => ({
  id: 'j_0123456789abcdef0123',
  kind: 'environment-clone',
  state,
  startedAt: NOW.toISOString(),
  endedAt: state === 'running' ? null : NOW.toISOString(),
  progress: [],
  dropped: 0,
  outcome,
});
const ready = { ...environment, state: 'ready' as const, resolved: { type: 'branch' as const, name: 'main', number: null, commit: 'a'.repeat(40) } };

describe('a host that became connected', () => {
  it('is told when its connection goes from none or reconnect-needed to usable, in the provider’s own name', () => {
    for (const before of ['none', 'reconnect-needed'] as const) {
      const told = hostNotifications([host([connection(before)])], [host([connection('connected', [account(T1)])])], NOW);
      expect(told).toEqual([
        {
          about: 'host connected: local https://github.com',
          title: 'GitHub is now connected',
          body: 'Signed in as sam. You can now create environments from its repositories.',
          action: { type: 'show-screen', screen: 'accounts' },
          byUser: true,
        },
      ]);
    }
  });

  it('is not told for a connection first seen connected (at start, or a runner that came online), nor for one that stays connected', () => {
    const connected = host([connection('connected', [account(T1)])]);
    expect(hostNotifications(null, [connected], NOW)).toEqual([]);
    expect(hostNotifications([], [connected], NOW)).toEqual([]);
    expect(hostNotifications([connected], [connected], NOW)).toEqual([]);
    // A second account for a connected host, a token renewed: still connected.
    expect(hostNotifications([connected], [host([connection('connected', [account(T2), account(T1, { inUse: false })])])], NOW)).toEqual([]);
    // Logging out is the user's doing and says nothing.
    expect(hostNotifications([connected], [host([connection('none')])], NOW)).toEqual([]);
  });

  it('names the Azure DevOps organization and a host that is not the public service', () => {
    const ado = (state: HostConnection['state']) =>
      host([connection(state, state === 'none' ? [] : [account(T1, { account: 'sam@example.test' })], 'contoso'), connection('none', [], 'fabrikam')], { kind: 'azure-devops', host: 'https://dev.azure.com' });
    expect(hostNotifications([ado('none')], [ado('connected')], NOW).map((n) => n.title)).toEqual(['Azure DevOps (contoso) is now connected']);
    expect(providerName({ kind: 'github', host: 'https://ghe.example.test' }, null)).toBe('GitHub (ghe.example.test)');
    expect(providerName({ kind: 'gitlab', host: 'https://gitlab.com' }, null)).toBe('GitLab');
    expect(providerName({ kind: 'gitlab', host: 'https://example.test/gitlab/' }, null)).toBe('GitLab (example.test/gitlab)');
    // No public service: always with its host.
    expect(providerName({ kind: 'bitbucket-dc', host: 'https://bitbucket.example.test:7990' }, null)).toMatch(/ \(bitbucket\.example\.test:7990\)$/);
  });

  it('keeps each runner’s hosts apart', () => {
    const on = (runnerId: string, state: HostConnection['state']) => host([connection(state, state === 'none' ? [] : [account(T1)])], { runnerId });
    const told = hostNotifications([on('local', 'connected'), on('remote-1', 'none')], [on('local', 'connected'), on('remote-1', 'connected')], NOW);
    expect(told.map((n) => n.about)).toEqual(['host connected: remote-1 https://github.com']);
  });
});

describe('a token entering “expiring”', () => {
  const expiring = (tokenId = T1, days = 3, overrides: Partial<HostAccount> = {}) => account(tokenId, { state: 'expiring', expiresAt: inDays(days), ...overrides });

  it('is told once, with the date relative to now and the connect dialog on click', () => {
    // Time alone: the same expiry, now within the runner's "expiring" window.
    const before = [host([connection('connected', [account(T1, { expiresAt: inDays(3) })])])];
    const after = [host([connection('expiring', [expiring(T1, 3, { source: 'pat' })])])];
    const told = hostNotifications(before, after, NOW);
    expect(told).toEqual([
      {
        about: `token expiring: local https://github.com ${T1}`,
        title: 'GitHub: access expires in 3 days',
        body: 'The personal access token for sam expires in 3 days. Replace it to keep cloning and pushing without interruption.',
        action: { type: 'connect', runnerId: 'local', host: 'https://github.com', organization: null },
        byUser: false,
      },
    ]);
    // Still expiring (and a day closer) next time: nothing more.
    expect(hostNotifications(after, after, new Date(NOW.getTime() + 24 * 3600 * 1000))).toEqual([]);
  });

  it('is told again only after the token was renewed or replaced (a new expiry)', () => {
    const first = [host([connection('expiring', [expiring(T1, 3)])])];
    const replaced = [host([connection('expiring', [expiring(T1, 5)])])];
    const told = hostNotifications(first, replaced, NOW);
    expect(told.map((n) => n.title)).toEqual(['GitHub: access expires in 5 days']);
    // The user replaced it (it is new to a connection already known): theirs to see in the window.
    expect(told[0]!.byUser).toBe(true);
    // Renewed (connected, a later expiry), then that expiry comes near with time: told again, as nobody's doing.
    const renewed = [host([connection('connected', [account(T1, { expiresAt: inDays(30) })])])];
    expect(hostNotifications(first, renewed, NOW)).toEqual([]);
    const later = new Date(NOW.getTime() + 25 * 24 * 3600 * 1000);
    const nearing = [host([connection('expiring', [expiring(T1, 30)])])];
    expect(hostNotifications(renewed, nearing, later).map((n) => [n.title, n.byUser])).toEqual([['GitHub: access expires in 5 days', false]]);
  });

  it('tells of tokens already expiring at start (once per run), not as the user’s doing', () => {
    const told = hostNotifications(null, [host([connection('expiring', [expiring(T1, 2)], 'contoso')], { kind: 'azure-devops', host: 'https://dev.azure.com' })], NOW);
    expect(told.map((n) => [n.title, n.byUser, n.action])).toEqual([
      ['Azure DevOps (contoso): access expires in 2 days', false, { type: 'connect', runnerId: 'local', host: 'https://dev.azure.com', organization: 'contoso' }],
    ]);
    expect(told[0]!.body).toBe('The sign-in for sam ends in 2 days. Reconnect to keep cloning and pushing without interruption.');
  });

  it('says nothing of tokens the runner renews by itself, and tells of each other account separately', () => {
    const renewing = [host([connection('expiring', [expiring(T1, 0.1, { renews: true })])])];
    expect(hostNotifications(null, renewing, NOW)).toEqual([]);
    const two = [host([connection('connected', [account(T1), expiring(T2, 1, { account: 'sam-work', inUse: false })])])];
    expect(hostNotifications(null, two, NOW).map((n) => n.body)).toEqual([
      'The sign-in for sam-work ends in 1 day. Reconnect to keep cloning and pushing without interruption.',
    ]);
  });

  it('a connection and its expiring token made by the user: both theirs (hidden while the window has focus)', () => {
    const told = hostNotifications([host([connection('none')])], [host([connection('expiring', [expiring(T1, 4, { source: 'pat' })])])], NOW);
    expect(told.map((n) => [n.title, n.byUser])).toEqual([
      ['GitHub is now connected', true],
      ['GitHub: access expires in 4 days', true],
    ]);
  });
});

describe('a runner entering failed', () => {
  it('is told once per failure episode: until it works again (online or degraded)', () => {
    const failed = runner('local', 'failed', 'The OS keychain is locked. Unlock it and restart the runner.');
    let step = runnerNotifications([failed], new Set());
    expect(step.notifications).toEqual([
      {
        about: 'runner failed: local',
        title: 'Runner failed: Local runner',
        body: 'The OS keychain is locked. Unlock it and restart the runner.',
        action: { type: 'show-screen', screen: 'runners' },
        byUser: false,
      },
    ]);
    // Failed still, restarting, offline, failed again: the same episode.
    for (const state of ['failed', 'starting', 'offline', 'failed'] as const) {
      step = runnerNotifications([runner('local', state, 'Still broken.')], step.told);
      expect(step.notifications, state).toEqual([]);
    }
    // It worked again; the next failure is a new episode.
    step = runnerNotifications([runner('local', 'online')], step.told);
    expect(step.told.size).toBe(0);
    step = runnerNotifications([failed], step.told);
    expect(step.notifications).toHaveLength(1);
  });

  it('a runner the user acted on (added, registered, set up, restarted) fails as their doing; one failing by itself does not', () => {
    const acted = runnerNotifications([runner('local', 'online'), runner('remote-1', 'failed')], new Set(), new Set(['remote-1']));
    expect(acted.notifications.map((n) => [n.about, n.byUser, n.body])).toEqual([['runner failed: remote-1', true, 'Paddock cannot use this runner now. Open Runners to see what to do.']]);
    expect(runnerNotifications([runner('local', 'failed')], new Set()).notifications.map((n) => n.byUser)).toEqual([false]);
  });

  it('forgets a removed runner', () => {
    const step = runnerNotifications([runner('remote-1', 'failed')], new Set());
    expect(runnerNotifications([], step.told).told.size).toBe(0);
  });
});

describe('a clone that ended', () => {
  it('ready: the repository and what is checked out, opening the environment on click', () => {
    expect(cloneNotification(clone, { state: 'succeeded', result: { kind: 'environment-clone', environment: ready } })).toEqual({
      about: `environment ready: local ${environment.id}`,
      title: 'Environment ready: octo/hello',
      body: 'Branch main is checked out on Local runner. Open it from Paddock.',
      action: { type: 'show-environment', runnerId: 'local', id: environment.id },
      byUser: true,
    });
  });

  it('failed: why, without a user name or password an address in git’s message carried', () => {
    const told = cloneNotification(clone, {
      state: 'failed',
      error: { code: 'unreachable', message: 'Git failed while cloning: unable to access https://x-access-token:CANARY-s3cret@github.com/octo/hello.git/:\n  Could not resolve host' },
    });
    expect(told).toMatchObject({ title: 'Environment failed: octo/hello', action: { type: 'show-environment', runnerId: 'local', id: environment.id }, byUser: true });
    expect(told!.body).toBe('Git failed while cloning: unable to access https://github.com/octo/hello.git/: Could not resolve host');
  });

  it('cancelled, or without an outcome: nothing', () => {
    expect(cloneNotification(clone, { state: 'cancelled' })).toBeNull();
    expect(cloneNotification(clone, null)).toBeNull();
  });
});

describe('the text', () => {
  it('is one line, cut to length, and says dates relative to now', () => {
    expect(notificationText('a\n\n b  c')).toBe('a b c');
    expect(notificationText('x'.repeat(400))).toHaveLength(300);
    expect(notificationText('x'.repeat(400)).endsWith('…')).toBe(true);
    expect(notificationText('see ssh://git:pw@host/x and https://user@host/y')).toBe('see ssh://host/x and https://host/y');
    expect(relativeToNow(new Date(inDays(3)), NOW)).toBe('in 3 days');
    expect(relativeToNow(new Date(NOW.getTime() + 5 * 3600 * 1000 + 60_000), NOW)).toBe('in 5 hours');
    expect(relativeToNow(new Date(NOW.getTime() + 20_000), NOW)).toBe('now');
  });
});

/** A center over a recording desktop. */
function center(options: { focused?: boolean; enabled?: boolean } = {}) {
  const shown: DesktopNotification[] = [];
  const actions: UiAction[] = [];
  const state = { focused: options.focused ?? false, enabled: options.enabled ?? true, windowShown: 0 };
  const model = new NotificationCenter({
    desktop: {
      notify: (n) => void shown.push(n),
      windowFocused: () => state.focused,
      showWindow: () => void state.windowShown++,
    },
    enabled: () => state.enabled,
    requestUi: (action) => void actions.push(action),
    logger: silentLogger,
    now: () => NOW,
  });
  return { model, shown, actions, state };
}

describe('the notifications model', () => {
  it('shows a clone’s end once; a click asks the window to show the environment and brings the window forward', () => {
    const c = center();
    c.model.cloneStarted(clone, cloneJob('running'));
    c.model.jobEvent({ runnerId: 'local', jobId: cloneJob('running').id, event: { type: 'progress', jobId: cloneJob('running').id, seq: 0, progress: { kind: 'environment-clone', phase: 'receiving', percent: 10, done: null, total: null, bytes: null } } as never });
    expect(c.shown).toEqual([]);
    const end = { type: 'end' as const, jobId: cloneJob('running').id, outcome: { state: 'succeeded' as const, result: { kind: 'environment-clone' as const, environment: ready } } };
    c.model.jobEvent({ runnerId: 'local', jobId: end.jobId, event: end });
    // The stream may say it twice (the end, then the state of a watcher that reconnected): once.
    c.model.jobEvent({ runnerId: 'local', jobId: end.jobId, event: { type: 'state', job: cloneJob('succeeded', end.outcome) } });
    expect(c.shown.map((n) => [n.title, typeof n.onClick])).toEqual([['Environment ready: octo/hello', 'function']]);
    c.shown[0]!.onClick!();
    expect(c.actions).toEqual([{ type: 'show-environment', runnerId: 'local', id: environment.id }]);
    expect(c.state.windowShown).toBe(1);
  });

  it('ignores jobs it did not start, and a clone of another runner with the same job id', () => {
    const c = center();
    c.model.cloneStarted(clone, cloneJob('running'));
    c.model.jobEvent({ runnerId: 'remote-1', jobId: cloneJob('running').id, event: { type: 'end', jobId: cloneJob('running').id, outcome: { state: 'failed', error: { code: 'internal', message: 'x' } } } });
    expect(c.shown).toEqual([]);
  });

  it('a clone that already ended when it started is told at once', () => {
    const c = center();
    c.model.cloneStarted(clone, cloneJob('failed', { state: 'failed', error: { code: 'forbidden', message: 'Your account cannot read octo/hello.' } }));
    expect(c.shown.map((n) => [n.title, n.body])).toEqual([['Environment failed: octo/hello', 'Your account cannot read octo/hello.']]);
  });

  it('hides the user’s own outcomes while the window has focus, and counts them as told', () => {
    const c = center({ focused: true });
    c.model.cloneStarted(clone, cloneJob('running'));
    c.model.jobEvent({ runnerId: 'local', jobId: cloneJob('running').id, event: { type: 'end', jobId: cloneJob('running').id, outcome: { state: 'succeeded', result: { kind: 'environment-clone', environment: ready } } } });
    c.model.hostsChanged([host([connection('none')])]);
    c.model.hostsChanged([host([connection('connected', [account(T1)])])]);
    expect(c.shown).toEqual([]);
    // The window loses focus: nothing is replayed.
    c.state.focused = false;
    c.model.hostsChanged([host([connection('connected', [account(T1)])])]);
    expect(c.shown).toEqual([]);
  });

  it('shows what happens by itself whatever the focus: a token nearing its end, a runner failing', () => {
    const c = center({ focused: true });
    c.model.hostsChanged([host([connection('connected', [account(T1, { expiresAt: inDays(6) })])])]);
    c.model.hostsChanged([host([connection('expiring', [account(T1, { state: 'expiring', expiresAt: inDays(6) })])])]);
    c.model.runnersChanged([runner('local', 'failed', 'It stopped.')]);
    expect(c.shown.map((n) => n.title)).toEqual(['GitHub: access expires in 6 days', 'Runner failed: Local runner']);
    c.shown[1]!.onClick!();
    expect(c.actions).toEqual([{ type: 'show-screen', screen: 'runners' }]);
  });

  it('a runner the user restarted that fails is theirs: hidden while the window has focus', () => {
    const c = center({ focused: true });
    c.model.runnersChanged([runner('local', 'online')]);
    c.model.userActedOnRunner('local');
    c.model.runnersChanged([runner('local', 'offline')]);
    c.model.runnersChanged([runner('local', 'starting')]);
    c.model.runnersChanged([runner('local', 'failed', 'It did not start.')]);
    expect(c.shown).toEqual([]);
    // Working again, then failing by itself later: shown.
    c.model.runnersChanged([runner('local', 'online')]);
    c.model.runnersChanged([runner('local', 'failed', 'It stopped.')]);
    expect(c.shown.map((n) => n.body)).toEqual(['It stopped.']);
  });

  it('a remote runner the user restarts is theirs until the restart answered, whatever health answers arrive meanwhile', async () => {
    const c = center({ focused: true });
    c.model.runnersChanged([runner('remote-1', 'online')]);
    let finish!: () => void;
    const restarting = c.model.userActsOnRunner('remote-1', () => new Promise<void>((resolve) => (finish = resolve)));
    // A health answer from before the restart, then the restart's own check: it failed.
    c.model.runnersChanged([runner('remote-1', 'online')]);
    c.model.runnersChanged([runner('remote-1', 'failed', 'Its key does not match.')]);
    finish();
    await restarting;
    expect(c.shown).toEqual([]);
    // Once the restart answered, the mark goes with the next settled state; a later failure is shown.
    c.model.runnersChanged([runner('remote-1', 'online')]);
    c.model.runnersChanged([runner('remote-1', 'failed', 'It stopped.')]);
    expect(c.shown.map((n) => n.body)).toEqual(['It stopped.']);
  });

  it('a runner that appears while the user adds one, and fails at once, is theirs; one that was there at start is not', async () => {
    const c = center({ focused: true });
    c.model.runnersChanged([runner('local', 'starting')]);
    let finish!: () => void;
    const adding = c.model.userAddsRunner(() => new Promise<void>((resolve) => (finish = resolve)));
    c.model.runnersChanged([runner('local', 'starting'), runner('remote-1', 'failed', 'Its key does not match.')]);
    finish();
    await adding;
    expect(c.shown).toEqual([]);
    c.model.runnersChanged([runner('local', 'failed', 'It stopped.'), runner('remote-1', 'failed', 'Its key does not match.')]);
    expect(c.shown.map((n) => n.title)).toEqual(['Runner failed: Local runner']);
  });

  it('shows nothing with notifications off, and does not replay when they are turned on', () => {
    const c = center({ enabled: false });
    c.model.runnersChanged([runner('local', 'failed')]);
    c.model.hostsChanged([host([connection('none')])]);
    c.model.hostsChanged([host([connection('connected', [account(T1)])])]);
    c.state.enabled = true;
    c.model.runnersChanged([runner('local', 'failed')]);
    c.model.hostsChanged([host([connection('connected', [account(T1)])])]);
    expect(c.shown).toEqual([]);
  });

  it('after dispose, neither shows nor acts on a click', () => {
    const c = center();
    c.model.runnersChanged([runner('local', 'failed')]);
    c.model.dispose();
    c.shown[0]!.onClick!();
    c.model.runnersChanged([runner('local', 'online')]);
    c.model.runnersChanged([runner('local', 'failed')]);
    expect(c.actions).toEqual([]);
    expect(c.shown).toHaveLength(1);
  });
});
