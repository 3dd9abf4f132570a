// The tray end to end in the web host with --simulate (issue 11, point 2):
// the web host's simulated tray page (/tray) shows the menu the Electron
// tray shows — built by the same function from the same core — and
// performs the chosen item with the core's performer. "Log in…" opens the
// connect dialog in the window; "New environment from clipboard" leads to
// the window's confirmation; a throttled clone shows with its progress and
// Cancel stops it; a recent environment's Open folder reaches the desktop,
// and Show in Paddock focuses it in the window.
import type { BrowserContext, Page } from '@playwright/test';
import { sealPat } from '../../electron/common/pat';
import { SIMULATED_TOKENS } from '../helpers/provider-simulators';
import type { WebHost } from '../web-host/server';
import { expect, expectAccessible, expectAccessibleInBothSchemes, screenshot, test } from './fixtures';

const GHES = 'https://ghe.example.test';
const GHES_URL = `${GHES}/octo/hello/tree/main`;
const GHES_PR = `${GHES}/octo/hello/pull/7`;

test.use({ localRunner: true, simulate: true });

async function saveGhes(host: WebHost) {
  await expect.poll(async () => (await host.core.listRunners())[0]?.health.state, { timeout: 30_000 }).toBe('online');
  const saved = await host.core.saveProvider({
    runnerId: 'local',
    previousHost: null,
    confirmWarnings: true,
    provider: { kind: 'github', host: GHES, organizations: [], collections: [], oauth: { enabled: false, clientId: null, tenant: null, clientSecret: { action: 'none' } }, pat: { enabled: true } },
  });
  expect(saved.saved).toBe(true);
}

async function connectGhes(host: WebHost) {
  const known = await host.core.getRunner({ id: 'local' });
  await host.core.connectWithPat({
    runnerId: 'local',
    host: GHES,
    organization: null,
    sealed: sealPat({ runnerId: known.runnerUid!, host: GHES, organization: null }, SIMULATED_TOKENS.githubEnterpriseServer, known.publicKey!),
  });
}

/** CSP violations and uncaught errors of the tray pages, checked after each test. */
const trayErrors: string[] = [];
const trayPages: Page[] = [];
test.afterEach(async () => {
  // Closed before the web host stops, so that their polling does not outlive it.
  for (const tray of trayPages.splice(0)) await tray.close();
  expect(trayErrors.splice(0)).toEqual([]);
});

/** The simulated tray in a tab of its own, next to the app's window. */
async function openTray(context: BrowserContext, host: WebHost): Promise<Page> {
  const tray = await context.newPage();
  trayPages.push(tray);
  tray.on('pageerror', (error) => trayErrors.push(error.message));
  tray.on('console', (message) => {
    if (message.type() === 'error') trayErrors.push(message.text());
  });
  await tray.goto(`${host.url}tray`);
  await expect(tray.getByRole('heading', { level: 1, name: 'Simulated tray' })).toBeVisible();
  await expect(tray.getByRole('list', { name: 'Tray menu' })).toBeVisible();
  return tray;
}

const menu = (tray: Page) => tray.getByRole('list', { name: 'Tray menu' });

test('Log in… in the tray opens the connect dialog in the window for that host', async ({ app, host, context }) => {
  test.setTimeout(90_000);
  await saveGhes(host);
  const tray = await openTray(context, host);
  const account = menu(tray).getByRole('list', { name: 'GitHub (ghe.example.test): not connected' });
  await expect(account).toBeVisible({ timeout: 20_000 });
  await expect(account.getByRole('button', { name: 'Not connected' })).toBeDisabled();
  await expectAccessible(tray);
  await screenshot(tray, 'tray-menu-not-connected');
  await account.getByRole('button', { name: 'Log in…' }).click();
  await expect(tray.getByRole('status')).toHaveText('Done: it goes on in Paddock’s window.');
  expect(host.tray.windowShown).toBe(1);
  // What showing the window is in Electron.
  await app.bringToFront();

  const dialog = app.getByRole('dialog', { name: 'Connect GitHub' });
  await expect(dialog).toBeVisible();
  await expect(app.getByRole('heading', { level: 1, name: 'Accounts' })).toBeVisible();
  // Focus is inside the dialog, on its first field.
  await expect.poll(() => app.evaluate(() => document.activeElement?.closest('dialog')?.getAttribute('open') !== null && document.activeElement?.closest('dialog') !== null)).toBe(true);
  await expectAccessibleInBothSchemes(app);
  await screenshot(app, 'tray-login-dialog');
  await dialog.getByLabel('Personal access token').fill(SIMULATED_TOKENS.githubEnterpriseServer);
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(dialog.getByRole('status')).toContainText('now connected', { timeout: 20_000 });
  await dialog.getByRole('button', { name: 'Close' }).click();

  // The tray follows: connected, with the account and Log out.
  const connected = menu(tray).getByRole('list', { name: 'GitHub (ghe.example.test): connected' });
  await expect(connected).toBeVisible({ timeout: 20_000 });
  await expect(connected.getByRole('button', { name: /^Connected as / })).toBeDisabled();
  await connected.getByRole('button', { name: 'Log out' }).click();
  await expect(menu(tray).getByRole('list', { name: 'GitHub (ghe.example.test): not connected' })).toBeVisible({ timeout: 20_000 });
  await expect.poll(async () => (await host.core.listTokens({ id: 'local' })).length).toBe(0);
});

test('New environment from clipboard leads to the confirmation in the window', async ({ app, host, context }) => {
  test.setTimeout(60_000);
  await saveGhes(host);
  const tray = await openTray(context, host);
  const item = menu(tray).getByRole('button', { name: 'New environment from clipboard' });
  await expect(item).toBeDisabled();
  // Text that is not a repository link leaves it off.
  await tray.getByLabel('Simulated clipboard').fill('lunch at noon');
  await tray.getByRole('button', { name: 'Copy' }).click();
  await expect(tray.getByRole('status')).toHaveText('The simulated clipboard holds this text now.');
  await expect(item).toBeDisabled();
  await tray.getByLabel('Simulated clipboard').fill(GHES_PR);
  await tray.getByRole('button', { name: 'Copy' }).click();
  await expect(item).toBeEnabled();
  // The label never shows the address.
  await expect(menu(tray)).not.toContainText('octo/hello');
  await item.click();
  await app.bringToFront();

  await expect(app.getByRole('heading', { level: 1, name: 'Environments' })).toBeVisible();
  const panel = app.getByRole('group', { name: 'What will be created' });
  await expect(panel).toContainText('The tray menu’s New environment from clipboard asked to create an environment from this address');
  await expect(panel).toContainText('pull request 7');
  await expect(panel).toContainText('Nothing is created unless you choose Create environment.');
  expect((await host.core.listEnvironments()).environments).toEqual([]);
  await expectAccessibleInBothSchemes(app);
  await screenshot(app, 'tray-clipboard-confirmation');
});

test('a clone under way shows in the tray with its progress, and Cancel stops it', async ({ app, host, context }) => {
  test.setTimeout(120_000);
  await saveGhes(host);
  await connectGhes(host);
  const tray = await openTray(context, host);
  const gitServer = host.simulators!.git.server;
  gitServer.setThrottle(500);
  try {
    await host.core.createEnvironment({ runnerId: 'local', url: GHES_URL, tokenId: null, depth: 'full', remember: false });
    const running = menu(tray).getByRole('list', { name: /^Cloning octo\/hello/ });
    await expect(running).toBeVisible({ timeout: 30_000 });
    await expect(menu(tray).getByRole('button', { name: 'Running', exact: true })).toBeDisabled();
    await expect(menu(tray).getByRole('list', { name: /^Cloning octo\/hello: \d+%$/ })).toBeVisible({ timeout: 30_000 });
    await expect(tray.locator('#tray-title')).toHaveText(/^Paddock: Cloning octo\/hello/);
    await expectAccessible(tray);
    await screenshot(tray, 'tray-menu-cloning');
    await running.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(async () => (await host.core.listEnvironments()).environments[0]?.state, { timeout: 30_000 }).toBe('cancelled');
    await expect(menu(tray).getByRole('button', { name: 'Running', exact: true })).toHaveCount(0, { timeout: 20_000 });
    await expect(menu(tray).getByRole('list', { name: 'octo/hello, main (cancelled)' })).toBeVisible();
  } finally {
    gitServer.setThrottle(null);
  }
  await app.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Environments' }).click();
  await expect(app.getByRole('list', { name: 'Environments' }).getByRole('listitem').filter({ hasText: 'octo/hello' }).locator('.badge')).toHaveText('Cancelled');
});

test('a recent environment opens its folder from the tray, and Show in Paddock focuses it in the window', async ({ app, host, context }) => {
  test.setTimeout(120_000);
  await saveGhes(host);
  await connectGhes(host);
  await host.core.createEnvironment({ runnerId: 'local', url: GHES_URL, tokenId: null, depth: 'full', remember: false });
  await expect.poll(async () => (await host.core.listEnvironments()).environments[0]?.state, { timeout: 60_000 }).toBe('ready');
  const [environment] = (await host.core.listEnvironments()).environments;
  const tray = await openTray(context, host);
  const recent = menu(tray).getByRole('list', { name: 'octo/hello, main' });
  await expect(recent).toBeVisible({ timeout: 20_000 });
  await expect(tray.locator('#tray-title')).toHaveText('Paddock: Paddock is running');
  await screenshot(tray, 'tray-menu-recent');
  expect(host.opened).toEqual([]);
  await recent.getByRole('button', { name: 'Open folder' }).click();
  await expect(tray.getByRole('status')).toHaveText('Done.');
  expect(host.opened).toEqual([{ target: 'folder', path: environment!.path }]);
  await recent.getByRole('button', { name: 'Open in editor' }).click();
  await expect.poll(() => host.opened.length).toBe(2);
  expect(host.opened[1]).toMatchObject({ target: 'editor', path: environment!.path });

  await recent.getByRole('button', { name: 'Show in Paddock' }).click();
  await app.bringToFront();
  await expect(app.getByRole('heading', { level: 1, name: 'Environments' })).toBeVisible();
  const item = app.getByRole('list', { name: 'Environments' }).getByRole('listitem').filter({ hasText: 'octo/hello' });
  await expect(item).toBeFocused();
  await expectAccessibleInBothSchemes(app);
  await screenshot(app, 'tray-show-environment');
});

test('the tray page refuses requests without its token', async ({ host }) => {
  const response = await fetch(`${host.url}__paddock/tray`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: host.url.replace(/\/$/, '') },
    body: JSON.stringify({ type: 'perform', platform: 'linux', action: { type: 'quit' } }),
  });
  expect(response.status).toBe(403);
  expect(host.tray.quitRequested).toBe(0);
});
