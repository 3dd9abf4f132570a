// The Environments intake end to end in the web host with --simulate (issue
// 10, point 1): a GitHub pull-request link dropped on the window, connected by
// OAuth and cloned to Ready; a paste outside any field; paddock://open links
// (and the command line's `open <url>`) that always ask first, one confirmed,
// one declined; and a host no runner has access to. Provider entries are
// saved through the app API; everything the user does goes through the page.
import type { Page } from '@playwright/test';
import { deepLinkFor } from '../../electron/common/deep-link';
import { sealClientSecret } from '../../electron/common/provider-config';
import { SIMULATED_OAUTH, SIMULATED_TOKENS } from '../helpers/provider-simulators';
import type { WebHost } from '../web-host/server';
import { expect, expectAccessibleInBothSchemes, screenshot, test } from './fixtures';

const GITHUB = 'https://github.com';
const GITHUB_PR = `${GITHUB}/octo/hello/pull/8`;
const GHES = 'https://ghe.example.test';
const GHES_PR = `${GHES}/octo/hello/pull/7`;

test.use({ localRunner: true, simulate: true });

async function localRunner(host: WebHost) {
  let runner: { runnerUid: string; publicKey: string } | null = null;
  await expect
    .poll(
      async () => {
        const [local] = await host.core.listRunners();
        if (local?.health.state === 'online' && local.runnerUid && local.publicKey) runner = { runnerUid: local.runnerUid, publicKey: local.publicKey };
        return runner !== null;
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  return runner!;
}

async function saveGitHub(host: WebHost) {
  const { runnerUid, publicKey } = await localRunner(host);
  const { clientId, clientSecret: secret } = SIMULATED_OAUTH.github;
  const saved = await host.core.saveProvider({
    runnerId: 'local',
    previousHost: null,
    confirmWarnings: true,
    provider: {
      kind: 'github',
      host: GITHUB,
      organizations: [],
      collections: [],
      oauth: {
        enabled: true,
        clientId,
        tenant: null,
        clientSecret: { action: 'replace', sealed: sealClientSecret({ runnerId: runnerUid, kind: 'github', host: GITHUB, clientId, tenant: null, secret }, publicKey) },
      },
      pat: { enabled: true },
    },
  });
  expect(saved.saved).toBe(true);
}

async function saveGhes(host: WebHost) {
  await localRunner(host);
  const saved = await host.core.saveProvider({
    runnerId: 'local',
    previousHost: null,
    confirmWarnings: true,
    provider: { kind: 'github', host: GHES, organizations: [], collections: [], oauth: { enabled: false, clientId: null, tenant: null, clientSecret: { action: 'none' } }, pat: { enabled: true } },
  });
  expect(saved.saved).toBe(true);
}

/** Fires a drag of `data` over the window as a browser does: dragenter, dragover, and (unless `drop` is false) drop. */
async function drag(app: Page, data: Record<string, string>, { drop = true } = {}) {
  return app.evaluate(
    ({ data, drop }) => {
      const transfer = new DataTransfer();
      for (const [type, value] of Object.entries(data)) transfer.setData(type, value);
      const fire = (type: string) => {
        const event = new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true });
        document.querySelector('main')!.dispatchEvent(event);
        return event.defaultPrevented;
      };
      const prevented = [fire('dragenter'), fire('dragover')];
      if (drop) prevented.push(fire('drop'));
      return prevented;
    },
    { data, drop },
  );
}

async function connectGhesInDialog(app: Page) {
  const dialog = app.getByRole('dialog', { name: 'Connect GitHub' });
  await dialog.getByLabel('Personal access token').fill(SIMULATED_TOKENS.githubEnterpriseServer);
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(dialog.getByRole('status')).toContainText('now connected', { timeout: 20_000 });
  await dialog.getByRole('button', { name: 'Close' }).click();
}

test('a GitHub pull request link dropped on the window: connect by OAuth, clone with progress, ready, open its folder', async ({ app, host }) => {
  test.setTimeout(120_000);
  await saveGitHub(host);
  // On another screen: the drop brings Environments forward.
  await expect(app.getByRole('heading', { level: 1, name: 'Runners' })).toBeVisible();

  expect(await drag(app, { 'text/uri-list': `# dragged from a browser\r\n${GITHUB_PR}`, 'text/plain': GITHUB_PR }, { drop: false })).toEqual([true, true]);
  const target = app.getByRole('status').filter({ hasText: 'Drop a repository link to create an environment' });
  await expect(target).toBeVisible();
  await expectAccessibleInBothSchemes(app);
  await screenshot(app, 'intake-drop-target');
  const before = app.url();
  expect(await drag(app, { 'text/uri-list': GITHUB_PR, 'text/plain': GITHUB_PR })).toEqual([true, true, true]);
  await expect(target).toBeHidden();
  expect(app.url().split('#')[0]).toBe(before.split('#')[0]);

  await expect(app.getByRole('heading', { level: 1, name: 'Environments' })).toBeVisible();
  await expect(app.getByLabel('Repository URL')).toHaveValue(GITHUB_PR);
  const panel = app.getByRole('group', { name: 'What will be created' });
  await expect(panel).toContainText('octo/hello');
  await expect(panel).toContainText('pull request 8');
  await expect(panel.getByRole('heading', { name: 'What will be created' })).toBeFocused();
  // A slow git server, so that the clone's progress can be seen before it ends.
  const gitServer = host.simulators!.git.server;
  gitServer.setThrottle(500);
  await panel.getByRole('button', { name: 'Create' }).click();

  const dialog = app.getByRole('dialog', { name: 'Connect GitHub' });
  await expect(dialog).toBeVisible();
  await screenshot(app, 'intake-drop-connect');
  const opened = app.waitForEvent('popup');
  await dialog.getByRole('button', { name: 'Connect', exact: true }).click();
  const tab = await opened;
  await tab.waitForLoadState();
  await tab.getByRole('button', { name: 'Authorize' }).click();
  await expect(tab.getByText('You can close this tab and return to Paddock.')).toBeVisible();
  await tab.close();
  await expect(dialog.getByRole('status')).toContainText('GitHub is now connected', { timeout: 20_000 });
  await dialog.getByRole('button', { name: 'Close' }).click();

  const item = app.getByRole('list', { name: 'Environments' }).getByRole('listitem').filter({ hasText: 'octo/hello' });
  await expect(item).toBeVisible({ timeout: 20_000 });
  await expect(item.getByRole('progressbar', { name: 'Cloning octo/hello' })).toBeVisible({ timeout: 20_000 });
  await expect(item.locator('.clone-progress')).toContainText(/objects/i, { timeout: 30_000 });
  gitServer.setThrottle(null);
  await expect(item.locator('.badge')).toHaveText('Ready', { timeout: 60_000 });
  await expect(item).toContainText('pull request 8');
  await screenshot(app, 'intake-drop-ready');

  // Ready on the local runner: its folder opens from the list.
  const [environment] = (await host.core.listEnvironments()).environments;
  expect(host.opened).toEqual([]);
  await item.getByRole('button', { name: 'Open folder: octo/hello' }).click();
  await expect(item.getByRole('status').filter({ hasText: 'Opened the folder of octo/hello.' })).toBeVisible();
  expect(host.opened).toEqual([{ target: 'folder', path: environment!.path }]);
  await expectAccessibleInBothSchemes(app);
});

test('Ctrl+V outside any field starts the flow', async ({ app, host, context }) => {
  test.setTimeout(60_000);
  await saveGhes(host);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await app.evaluate((text) => navigator.clipboard.writeText(text), GHES_PR);
  await app.getByRole('heading', { level: 1, name: 'Runners' }).focus();
  await app.keyboard.press('Control+V');
  await expect(app.getByRole('heading', { level: 1, name: 'Environments' })).toBeVisible();
  await expect(app.getByLabel('Repository URL')).toHaveValue(GHES_PR);
  await expect(app.getByRole('group', { name: 'What will be created' })).toContainText('pull request 7');
});

test('a paste outside any field starts the flow; one in a field pastes as usual', async ({ app, host }) => {
  test.setTimeout(60_000);
  await saveGhes(host);
  const paste = (selector: string, text: string) =>
    app.evaluate(
      ({ selector, text }) => {
        const transfer = new DataTransfer();
        transfer.setData('text/plain', text);
        const event = new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true });
        document.querySelector(selector)!.dispatchEvent(event);
        return event.defaultPrevented;
      },
      { selector, text },
    );
  expect(await paste('main', GHES_PR)).toBe(true);
  await expect(app.getByRole('heading', { level: 1, name: 'Environments' })).toBeVisible();
  await expect(app.getByLabel('Repository URL')).toHaveValue(GHES_PR);
  const panel = app.getByRole('group', { name: 'What will be created' });
  await expect(panel).toContainText('pull request 7');
  await expect(panel.getByRole('heading', { name: 'What will be created' })).toBeFocused();
  // In the field, the browser's own paste: the window does not take it.
  await app.getByLabel('Repository URL').focus();
  expect(await paste('input', `${GHES}/octo/other`)).toBe(false);
  await expect(panel).toContainText('pull request 7');
});

test('paddock://open links and `open <url>` ask first: URL, host and runner; one confirmed to Ready, one declined creates nothing', async ({ app, host }) => {
  test.setTimeout(120_000);
  await saveGhes(host);
  await expect(app.getByRole('heading', { level: 1, name: 'Runners' })).toBeVisible();
  expect(await host.openDeepLink(deepLinkFor({ type: 'open', url: GHES_PR }))).toEqual({ status: 'handed', outcome: { handled: true } });

  await expect(app.getByRole('heading', { level: 1, name: 'Environments' })).toBeVisible();
  const panel = app.getByRole('group', { name: 'What will be created' });
  await expect(panel).toContainText('A Paddock link asked to create an environment from this address');
  await expect(panel.locator('dl')).toContainText(GHES_PR);
  await expect(panel.locator('dl')).toContainText('Hostghe.example.test');
  await expect(panel.locator('dl')).toContainText('RunnerLocal runner');
  await expect(panel.getByRole('heading', { name: 'What will be created' })).toBeFocused();
  expect((await host.core.listEnvironments()).environments).toEqual([]);
  await expectAccessibleInBothSchemes(app);
  await screenshot(app, 'intake-link-confirm');

  await panel.getByRole('button', { name: 'Create environment' }).click();
  await connectGhesInDialog(app);
  const item = app.getByRole('list', { name: 'Environments' }).getByRole('listitem').filter({ hasText: 'octo/hello' });
  await expect(item.locator('.badge')).toHaveText('Ready', { timeout: 60_000 });
  await expect.poll(() => host.core.listEnvironmentRequests()).toEqual([]);

  // The command line's `open <url>`, declined: nothing is created, and it is gone after a reload.
  const other = `${GHES}/octo/hello/tree/main`;
  expect(await host.openDeepLinkArgv(['paddock', 'open', other])).toEqual({ status: 'handed', outcome: { handled: true } });
  await expect(panel).toContainText('The command line asked to create an environment from this address');
  // Not lost when the window loads again before it is answered.
  await app.reload();
  await expect(panel).toContainText('The command line asked to create an environment from this address');
  await expect(panel.locator('dl')).toContainText(other);
  await panel.getByRole('button', { name: 'Not now' }).click();
  await expect(panel).toBeHidden();
  await expect(app.getByText('Nothing was created from the link.')).toBeVisible();
  await expect(app.getByLabel('Repository URL')).toBeFocused();
  expect((await host.core.listEnvironments()).environments).toHaveLength(1);
  await expect.poll(() => host.core.listEnvironmentRequests()).toEqual([]);
  await app.reload();
  await expect(app.getByRole('heading', { level: 1, name: 'Environments' })).toBeVisible();
  await expect(item.locator('.badge')).toHaveText('Ready');
  await expect(app.getByRole('list', { name: 'Environments' }).getByRole('listitem')).toHaveCount(1);
  await expect(panel).toBeHidden();
});

test('a link that arrives while the user confirms their own URL waits; a pasted URL with invisible characters is refused in words', async ({ app, host }) => {
  test.setTimeout(60_000);
  await saveGhes(host);
  const paste = (text: string) =>
    app.evaluate((text) => {
      const transfer = new DataTransfer();
      transfer.setData('text/plain', text);
      document.querySelector('main')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
    }, text);
  await paste(GHES_PR);
  const panel = app.getByRole('group', { name: 'What will be created' });
  await expect(panel).toContainText('pull request 7');
  const attacker = `${GHES}/evil/repo`;
  expect(await host.openDeepLink(deepLinkFor({ type: 'open', url: attacker }))).toEqual({ status: 'handed', outcome: { handled: true } });
  await expect(app.getByText('Another link is waiting: shown once you have created or cleared this one.')).toBeVisible();
  await expect(panel).toContainText('Repository octo/hello');
  await expect(panel).not.toContainText('evil');
  await expect(app.getByLabel('Repository URL')).toHaveValue(GHES_PR);
  await expectAccessibleInBothSchemes(app);
  await screenshot(app, 'intake-link-waits');
  // Cleared: the link is shown, on its own, and asks first.
  await app.getByLabel('Repository URL').fill('');
  await expect(panel).toContainText('A Paddock link asked to create an environment from this address');
  await expect(panel.locator('dl')).toContainText(attacker);
  await panel.getByRole('button', { name: 'Not now' }).click();
  await expect.poll(() => host.core.listEnvironmentRequests()).toEqual([]);

  // Not now put focus in the field, where a paste is the browser's own: paste outside it.
  await app.getByRole('heading', { level: 1, name: 'Environments' }).focus();
  await paste(`${GHES}/octo/\u202eolleh/pull/7`);
  await expect(app.getByRole('alert')).toHaveText(
    'This address has invisible or direction-changing characters, so it may not be what it shows. Copy it again from where it came from, or type it.',
  );
  await expect(panel).toBeHidden();
  expect((await host.core.listEnvironments()).environments).toEqual([]);
});

test('a link to a host no runner has access to says which admin setting is missing', async ({ app, host }) => {
  test.setTimeout(60_000);
  await saveGhes(host);
  const url = 'https://gitlab.com/group/subgroup/hello/-/merge_requests/7';
  expect(await host.openDeepLink(deepLinkFor({ type: 'open', url }))).toEqual({ status: 'handed', outcome: { handled: true } });
  const alert = app.getByRole('alert');
  await expect(alert).toContainText('gitlab.com');
  await expect(alert).toContainText('Repository access');
  await expect(app.getByLabel('Repository URL')).toHaveValue(url);
  await expect.poll(() => host.core.listEnvironmentRequests()).toEqual([]);
  await expectAccessibleInBothSchemes(app);
  await screenshot(app, 'intake-missing-access');
});
