import { afterEach, describe, expect, it } from 'vitest';
import type { UiAction } from '../../../electron/common/api';
import type { ProviderView } from '../../../electron/common/provider-config';
import type { TokenView } from '../../../electron/common/runner-api';
import { noDesktop, type DesktopIntegration, type DesktopNotification } from '../../../electron/core/desktop';
import { createTestCore } from '../../helpers/core';
import { fakeLocalRunner, type FakeLocalRunner } from '../../helpers/fake-local-runner';

// The notifications through a real core: its own events (the hosts model, the
// runner list) decide; the local runner is a stand-in that answers what the
// test sets.

const github: ProviderView = {
  kind: 'github',
  host: 'https://github.com',
  organizations: [],
  collections: [],
  oauth: { enabled: false, clientId: null, tenant: null, secretSet: false },
  pat: { enabled: true },
  managed: false,
  updatedAt: '2026-12-01T00:00:00.000Z',
};
const inDays = (days: number) => new Date(Date.now() + days * 24 * 3600 * 1000 + 60_000).toISOString();
const token = (id: string, state: TokenView['state'], expiresAt: string | null): TokenView => ({
  id,
  host: 'https://github.com',
  organization: null,
  method: 'pat',
  account: 'sam',
  obtainedAt: '2026-12-01T00:00:00.000Z',
  expiresAt,
  scopes: ['repo'],
  state,
  inUse: true,
});

const until = async (what: string, check: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`Timed out waiting for ${what}`);
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function start(runner: FakeLocalRunner, focused = { value: false }) {
  const shown: DesktopNotification[] = [];
  const desktop: DesktopIntegration = { ...noDesktop, notify: (n) => void shown.push(n), windowFocused: () => focused.value };
  const test = createTestCore({ localRunner: { dataDir: '/nonexistent/fake-runner', launch: runner.launch }, desktop, heartbeatMs: 200 });
  cleanups.push(async () => {
    await test.core.dispose();
    await runner.close();
  });
  return { ...test, shown, focused };
}

describe('core notifications: a token entering “expiring”', () => {
  it('is shown once for a token already expiring at start, with the connect dialog on click, and not again on the next refreshes', async () => {
    const runner = fakeLocalRunner();
    runner.providers = [github];
    runner.tokens = [token('t_00000000000000a1', 'expiring', inDays(3))];
    const { core, shown } = start(runner);
    await until('the notification', () => shown.length > 0);
    expect(shown.map((n) => [n.title, n.body])).toEqual([
      ['GitHub: access expires in 3 days', 'The personal access token for sam expires in 3 days. Replace it to keep cloning and pushing without interruption.'],
    ]);
    await core.main.refreshHosts();
    await core.main.refreshHosts();
    expect(shown).toHaveLength(1);

    shown[0]!.onClick!();
    const actions: UiAction[] = await core.takeUiActions();
    expect(actions).toEqual([{ type: 'connect', runnerId: 'local', host: 'https://github.com', organization: null }]);
  });

  it('is shown when a connected token passes into “expiring” with time, even while the window has focus; not at all with notifications off', async () => {
    const runner = fakeLocalRunner();
    runner.providers = [github];
    const expiry = inDays(3);
    runner.tokens = [token('t_00000000000000a2', 'connected', expiry), token('t_00000000000000a3', 'connected', inDays(4))];
    const { core, shown, focused } = start(runner, { value: true });
    await until('the hosts model', async () => (await core.listHosts()).length === 1);
    expect(shown).toEqual([]);
    runner.tokens = [token('t_00000000000000a2', 'expiring', expiry), token('t_00000000000000a3', 'connected', inDays(4))];
    await core.main.refreshHosts();
    expect(shown.map((n) => n.title)).toEqual(['GitHub: access expires in 3 days']);

    await core.updatePreferences({ notifications: false });
    focused.value = false;
    runner.tokens = [token('t_00000000000000a2', 'expiring', expiry), token('t_00000000000000a3', 'expiring', inDays(4))];
    await core.main.refreshHosts();
    expect(shown).toHaveLength(1);
  });
});

describe('core notifications: a runner entering failed', () => {
  it('is shown once per failure episode; a restart that fails again while the user looks at the window is theirs to see', async () => {
    const runner = fakeLocalRunner();
    runner.fail = 'Paddock cannot reach the OS keychain. Unlock it, then restart the runner.';
    const focused = { value: false };
    const { core, shown } = start(runner, focused);
    await until('the notification', () => shown.length > 0);
    expect(shown.map((n) => [n.title, n.body])).toEqual([['Runner failed: Local runner', 'Paddock cannot reach the OS keychain. Unlock it, then restart the runner.']]);
    shown[0]!.onClick!();
    expect(await core.takeUiActions()).toEqual([{ type: 'show-screen', screen: 'runners' }]);

    // Restarted, and failing again: the same episode, nothing more.
    await core.restartRunner({ id: 'local' });
    await until('the runner failed again', async () => (await core.getRunner({ id: 'local' })).health.state === 'failed');
    expect(shown).toHaveLength(1);

    // It works again: the episode is over.
    runner.fail = null;
    await core.restartRunner({ id: 'local' });
    await until('the runner online', async () => (await core.getRunner({ id: 'local' })).health.state === 'online');

    // The user restarts it in the focused window and it fails: they see it there.
    runner.fail = 'The keychain is locked again.';
    focused.value = true;
    await core.restartRunner({ id: 'local' });
    await until('the runner failed', async () => (await core.getRunner({ id: 'local' })).health.state === 'failed');
    expect(shown).toHaveLength(1);
  });
});
