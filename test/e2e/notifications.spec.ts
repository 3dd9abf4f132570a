// System notifications end to end in the web host with --simulate (issue 11
// point 3). The web host's stand-in desktop records what the app shows,
// plays the user's click on one, and says whether the window has focus (the
// core hides the user's own outcomes while it has). What the user does goes
// through the page; the click's UI action is read from the core, as the
// window would take it on loading.
import type { Page } from '@playwright/test';
import { sealPat } from '../../electron/common/pat';
import { sealClientSecret } from '../../electron/common/provider-config';
import { SIMULATED_TOKENS } from '../helpers/provider-simulators';
import type { WebHost } from '../web-host/server';
import { expect, test } from './fixtures';

const GHES = 'https://ghe.example.test';
const URL = `${GHES}/octo/hello/tree/main`;

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
  await expect.poll(async () => (await host.core.listHosts()).some((h) => h.host === GHES), { timeout: 20_000 }).toBe(true);
}

/** Connects GitHub Enterprise Server with the simulated token, as the connect dialog does (sealed for the runner). */
async function connectGhes(host: WebHost) {
  const local = await host.core.getRunner({ id: 'local' });
  await host.core.connectWithPat({
    runnerId: 'local',
    host: GHES,
    organization: null,
    sealed: sealPat({ runnerId: local.runnerUid!, host: GHES, organization: null }, SIMULATED_TOKENS.githubEnterpriseServer, local.publicKey!),
  });
}

/** Environments → the URL → Create environment → Create: the list item it then shows. */
async function createEnvironment(app: Page) {
  await app.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Environments' }).click();
  await app.getByLabel('Repository URL').fill(URL);
  await app.getByRole('button', { name: 'Create environment' }).click();
  const panel = app.getByRole('group', { name: 'What will be created' });
  await expect(panel).toContainText('octo/hello');
  await panel.getByRole('button', { name: 'Create' }).click();
  return app.getByRole('list', { name: 'Environments' }).getByRole('listitem').filter({ hasText: 'octo/hello' });
}

test('an environment cloned while the window is in the background: “Environment ready” once; its click asks the window to show it', async ({ app, host }) => {
  test.setTimeout(120_000);
  await saveGhes(host);
  // The user connects in the window and looks at it: no notification for that.
  host.setWindowFocused(true);
  await connectGhes(host);
  await expect.poll(async () => (await host.core.listHosts()).find((h) => h.host === GHES)?.connections[0]?.state).toBe('connected');
  expect(host.notifications).toEqual([]);
  // Then they start the clone and switch to another program.
  host.setWindowFocused(false);
  const item = await createEnvironment(app);
  await expect(item.locator('.badge')).toHaveText('Ready', { timeout: 60_000 });
  await expect.poll(() => host.notifications.length, { timeout: 10_000 }).toBe(1);
  expect(host.notifications).toEqual([{ title: 'Environment ready: octo/hello', body: 'Branch main is checked out on Local runner. Open it from Paddock.', clickable: true }]);
  // More events (the hosts asked again, the page reloaded): still once.
  await host.core.main.refreshHosts();
  await app.reload();
  await expect(app.getByRole('heading', { level: 1 })).toBeVisible();
  expect(host.notifications).toHaveLength(1);

  // The window is closed (the app stays in the tray); the user clicks the notification.
  const [environment] = (await host.core.listEnvironments()).environments;
  await app.goto('about:blank');
  host.clickNotification(0);
  expect(host.windowShown).toBe(1);
  // What the window takes once it has loaded.
  expect(await host.core.takeUiActions()).toEqual([{ type: 'show-environment', runnerId: 'local', id: environment!.id }]);
});

test('a host connected through the consent tab while the window is in the background: “GitHub is now connected” once', async ({ app, host, context }) => {
  await expect.poll(async () => (await host.core.listRunners())[0]?.health.state, { timeout: 30_000 }).toBe('online');
  const local = (await host.core.listRunners())[0]!;
  const github = (await host.core.getAppInfo()).simulation!.providers.find((p) => p.kind === 'github' && p.fields.some((f) => f.value === 'https://github.com'))!;
  const field = (label: string) => github.fields.find((f) => f.label === label)!.value;
  const saved = await host.core.saveProvider({
    runnerId: 'local',
    previousHost: null,
    confirmWarnings: true,
    provider: {
      kind: 'github',
      host: 'https://github.com',
      organizations: [],
      collections: [],
      oauth: {
        enabled: true,
        clientId: field('Client ID'),
        tenant: null,
        clientSecret: {
          action: 'replace',
          sealed: sealClientSecret(
            { runnerId: local.runnerUid!, kind: 'github', host: 'https://github.com', clientId: field('Client ID'), tenant: null, secret: field('Client Secret') },
            local.publicKey!,
          ),
        },
      },
      pat: { enabled: true },
    },
  });
  expect(saved.saved).toBe(true);
  await expect.poll(async () => (await host.core.listHosts()).find((h) => h.host === 'https://github.com')?.connections[0]?.state, { timeout: 20_000 }).toBe('none');

  const tabOpened = context.waitForEvent('page');
  await app.evaluate(() => window.paddock.connectOAuth({ runnerId: 'local', host: 'https://github.com', organization: null }));
  const tab = await tabOpened;
  await tab.waitForLoadState();
  // The user is in the browser's tab, not in Paddock's window.
  host.setWindowFocused(false);
  await tab.getByRole('button', { name: 'Authorize' }).click();
  await expect(tab.getByText('You can close this tab and return to Paddock.')).toBeVisible();

  await expect.poll(() => host.notifications.length, { timeout: 20_000 }).toBe(1);
  expect(host.notifications).toEqual([{ title: 'GitHub is now connected', body: 'Signed in as sam. You can now create environments from its repositories.', clickable: true }]);
  await host.core.main.refreshHosts();
  expect(host.notifications).toHaveLength(1);
  host.clickNotification(0);
  expect(await host.core.takeUiActions()).toEqual([{ type: 'show-screen', screen: 'accounts' }]);
});

test('with notifications off in the preferences, nothing is shown', async ({ app, host }) => {
  test.setTimeout(120_000);
  await host.core.updatePreferences({ notifications: false });
  await saveGhes(host);
  // In the background the whole time: the connection and the clone would each have been shown.
  host.setWindowFocused(false);
  await connectGhes(host);
  await expect.poll(async () => (await host.core.listHosts()).find((h) => h.host === GHES)?.connections[0]?.state).toBe('connected');
  const item = await createEnvironment(app);
  await expect(item.locator('.badge')).toHaveText('Ready', { timeout: 60_000 });
  await host.core.main.refreshHosts();
  expect(host.notifications).toEqual([]);
});
