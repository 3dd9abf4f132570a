// Authorization end to end in the web host with --simulate (issue 9 point 10):
// each flow walked in the browser as a user does — Accounts → Connect → the
// connect dialog → the provider's consent page in a new tab → back to
// Paddock (the paddock:// hand-off, played with host.openDeepLink, or the
// loopback listener) → connected. Also a refresh that fails into
// reconnect-needed and the reconnect, an organization's refusal that offers
// a personal access token instead, Cancel, and an attempt that expires.
// Provider entries are saved through the app API (the admin UI has its own
// specs); everything the user does goes through the page.
import type { Page } from '@playwright/test';
import { sealClientSecret, type ProviderInput } from '../../electron/common/provider-config';
import { SIMULATED_OAUTH, SIMULATED_TENANT, SIMULATED_TOKENS, SIMULATED_USER } from '../helpers/provider-simulators';
import type { WebHost } from '../web-host/server';
import { expect, expectAccessibleInBothSchemes, screenshot, test } from './fixtures';

const ADO = 'https://dev.azure.com';
const GITHUB = 'https://github.com';
const GITLAB_SELF_MANAGED = 'https://gitlab.example.test';

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

async function save(host: WebHost, provider: ProviderInput) {
  const saved = await host.core.saveProvider({ runnerId: 'local', previousHost: null, confirmWarnings: true, provider });
  expect(saved.saved).toBe(true);
}

/** Azure DevOps with contoso and fabrikam (both in the simulated tenant), OAuth as a public client (PKCE) and PATs. */
async function saveAzureDevOps(host: WebHost) {
  await localRunner(host);
  await save(host, {
    kind: 'azure-devops',
    host: ADO,
    organizations: ['contoso', 'fabrikam'].map((name) => ({ name, tenant: SIMULATED_TENANT, tenantOrigin: 'entered' as const })),
    collections: [],
    oauth: { enabled: true, clientId: SIMULATED_OAUTH.azureDevOps.clientId, tenant: SIMULATED_TENANT, clientSecret: { action: 'none' } },
    pat: { enabled: true },
  });
}

async function saveGitHub(host: WebHost) {
  const { runnerUid, publicKey } = await localRunner(host);
  const { clientId, clientSecret: secret } = SIMULATED_OAUTH.github;
  await save(host, {
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
  });
}

async function openAccounts(app: Page) {
  await app.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
  await expect(app.getByRole('heading', { level: 1, name: 'Accounts' })).toBeVisible();
}

/** Presses the dialog's Connect (or Reconnect): the consent page opens in a new tab of the same browser. */
async function connectInTab(app: Page, dialog: ReturnType<Page['getByRole']>, label = 'Connect') {
  const opened = app.waitForEvent('popup');
  await dialog.getByRole('button', { name: label, exact: true }).click();
  const tab = await opened;
  await tab.waitForLoadState();
  // The simulator's plain-http twin (the tab needs no CA), or, where the provider refuses at once, the loopback listener's page.
  expect(tab.url()).toMatch(/^http:\/\/(127\.0\.0\.1|localhost):\d+\//);
  return tab;
}

/** Authorize on the consent page; the provider answers 302 to paddock://…, which the OS would hand to the app: the test hands it over. */
async function authorizeThroughScheme(host: WebHost, tab: Page) {
  const redirect = tab.waitForResponse((response) => response.status() === 302 && response.request().method() === 'POST');
  await tab.getByRole('button', { name: 'Authorize' }).click();
  const location = (await redirect).headers()['location'] ?? '';
  expect(location.startsWith('paddock://oauth/callback?')).toBe(true);
  expect(await host.openDeepLink(location)).toEqual({ status: 'handed', outcome: { handled: true } });
  await tab.close();
}

test.describe('through the paddock:// hand-off', () => {
  test.use({ customSchemeHandled: true });

  test('Azure DevOps by OAuth for contoso; a refused refresh needs reconnecting, and Reconnect connects again', async ({ app, host }) => {
    test.setTimeout(120_000);
    await saveAzureDevOps(host);
    await openAccounts(app);
    const entry = app.getByRole('region', { name: `Azure DevOps ${ADO} on Local runner` });
    await expect(entry.getByRole('button', { name: `Connect to contoso (${ADO})` })).toBeVisible({ timeout: 20_000 });
    await entry.getByRole('button', { name: `Connect to contoso (${ADO})` }).click();

    // Intro: provider, host, organization, runner, and what is asked for and why.
    const dialog = app.getByRole('dialog', { name: 'Connect Azure DevOps' });
    await expect(dialog.locator('.connect-target')).toHaveText(`Host: ${ADO} · Organization: contoso · Runner: Local runner`);
    const scopes = dialog.locator('.connect-scopes strong');
    await expect(scopes).toHaveText(['Code (read and write)', 'Stay connected', 'Who you are'], { useInnerText: true });
    await expect(dialog.getByRole('button', { name: 'Provide a personal access token' })).toBeVisible();
    await expectAccessibleInBothSchemes(app);
    await screenshot(app, 'connect-intro-azure-devops');

    const tab = await connectInTab(app, dialog);
    expect(new URL(tab.url()).pathname).toBe(`/${SIMULATED_TENANT}/oauth2/v2.0/authorize`);
    const query = new URL(tab.url()).searchParams;
    expect(query.get('redirect_uri')).toBe('paddock://oauth/callback');
    expect(query.get('code_challenge_method')).toBe('S256');
    // Waiting: the steps, the countdown and the ways back.
    await expect(dialog.getByRole('status')).toContainText('A browser window opened at Azure DevOps.');
    await expect(dialog.locator('.connect-step[aria-current="step"]')).toHaveText('Waiting for you to allow access in the browser');
    await expect(dialog).toContainText('This attempt expires in');
    await expectAccessibleInBothSchemes(app);
    await screenshot(app, 'connect-waiting-azure-devops');

    const notified = host.notifications.length;
    await authorizeThroughScheme(host, tab);
    const connected = `Azure DevOps is now connected as ${SIMULATED_USER.email} for contoso.`;
    await expect(dialog.getByRole('status')).toHaveText(connected, { timeout: 20_000 });
    await expect.poll(() => host.notifications.slice(notified)).toEqual([{ title: 'Azure DevOps (contoso) is now connected', body: `Signed in as ${SIMULATED_USER.email}. You can now create environments from its repositories.`, clickable: true }]);
    await expectAccessibleInBothSchemes(app);
    await screenshot(app, 'connect-connected-azure-devops');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();

    const contoso = entry.locator('.connection').filter({ has: app.getByRole('heading', { name: 'contoso' }) });
    await expect(contoso).toContainText('Connected');
    await expect(contoso).toContainText(SIMULATED_USER.email);
    await expect(contoso.locator('.facts')).toContainText('Connected withOAuth');
    await expectAccessibleInBothSchemes(app);
    await screenshot(app, 'accounts-azure-devops-oauth');

    // An hour and more later the access token has expired and Entra refuses the refresh token.
    const { entra } = host.simulators!.oauth;
    entra.failOAuth('refresh-expired');
    entra.advance(2 * 60 * 60 * 1000);
    await contoso.getByRole('button', { name: `Check contoso (${ADO})` }).click();
    await expect(contoso).toContainText('Needs reconnecting', { timeout: 20_000 });
    const reconnect = contoso.getByRole('button', { name: `Reconnect contoso (${ADO})` });
    await expect(reconnect).toBeVisible();
    await expectAccessibleInBothSchemes(app);
    await screenshot(app, 'accounts-reconnect-needed');

    entra.failOAuth(null);
    await reconnect.click();
    const again = app.getByRole('dialog', { name: 'Reconnect Azure DevOps' });
    await expectAccessibleInBothSchemes(app);
    await authorizeThroughScheme(host, await connectInTab(app, again, 'Reconnect'));
    await expect(again.getByRole('status')).toHaveText(connected, { timeout: 20_000 });
    await again.getByRole('button', { name: 'Close' }).click();
    await expect(contoso).toContainText('Connected');
    await expect(contoso).not.toContainText('Needs reconnecting');
    // And the new token works.
    await contoso.getByRole('button', { name: `Check contoso (${ADO})` }).click();
    await expect(app.locator('.screen > [role="status"]')).toHaveText(`Your token for contoso (${ADO}) works.`, { timeout: 20_000 });
  });
});

test.describe('through the loopback listener', () => {
  test('GitHub by OAuth: Cancel during the wait ends the attempt on the runner; Start again and Authorize connect', async ({ app, host }) => {
    test.setTimeout(90_000);
    await saveGitHub(host);
    await openAccounts(app);
    const entry = app.getByRole('region', { name: `GitHub ${GITHUB} on Local runner` });
    await entry.getByRole('button', { name: `Connect to ${GITHUB}` }).click();
    const dialog = app.getByRole('dialog', { name: 'Connect GitHub' });
    await expectAccessibleInBothSchemes(app);

    // Cancel while waiting: said at once, and the attempt's job is cancelled on the runner.
    const jobs = new Set<string>();
    host.core.onJobEvent((event) => jobs.add((event as { jobId: string }).jobId));
    const first = await connectInTab(app, dialog);
    await expect(dialog.getByRole('status')).toContainText('A browser window opened at GitHub.');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog.getByRole('status')).toHaveText('Cancelled. Nothing was connected.');
    expect(jobs.size).toBe(1);
    const [attemptJob] = [...jobs];
    await expect.poll(async () => (await host.core.getJob({ runnerId: 'local', jobId: attemptJob! })).state).toBe('cancelled');
    await expectAccessibleInBothSchemes(app);
    await screenshot(app, 'connect-cancelled');
    await first.close();

    const tab = await connectInTab(app, dialog, 'Start again');
    expect(tab.url()).toMatch(/\/login\/oauth\/authorize\?/);
    const redirectUri = new URL(tab.url()).searchParams.get('redirect_uri') ?? '';
    expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);
    await tab.getByRole('button', { name: 'Authorize' }).click();
    await expect(tab.getByText('You can close this tab and return to Paddock.')).toBeVisible();
    expect(tab.url().startsWith(`${redirectUri}?`)).toBe(true);
    await expect(dialog.getByRole('status')).toHaveText('GitHub is now connected as sam.', { timeout: 20_000 });
    await expect.poll(() => host.notifications.at(-1)).toEqual({ title: 'GitHub is now connected', body: 'Signed in as sam. You can now create environments from its repositories.', clickable: true });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(entry).toContainText('Connected');
    await expect(entry.locator('.facts')).toContainText('Connected withOAuth');
  });

  test('Azure DevOps: refusals name the setting and offer a personal access token, which connects; fabrikam by token', async ({ app, host }) => {
    test.setTimeout(120_000);
    await saveAzureDevOps(host);
    await openAccounts(app);
    const entry = app.getByRole('region', { name: `Azure DevOps ${ADO} on Local runner` });
    await entry.getByRole('button', { name: `Connect to contoso (${ADO})` }).click();
    const dialog = app.getByRole('dialog', { name: 'Connect Azure DevOps' });
    const sims = host.simulators!.oauth;

    // The tenant requires admin consent: Entra sends the error to the loopback listener.
    sims.entra.failOAuth('consent-required');
    const refused = await connectInTab(app, dialog);
    await expect(refused.getByRole('heading', { name: 'Azure DevOps did not give access' })).toBeVisible();
    await expect(refused.getByText('Return to Paddock to see why and what to do.')).toBeVisible();
    await refused.close();
    const alert = dialog.getByRole('alert');
    await expect(alert).toContainText('requires an administrator to consent', { timeout: 20_000 });
    await expect(dialog.locator('.error-setting')).toContainText('Admin consent for the app registration');
    await expect(dialog.getByRole('button', { name: 'Provide a personal access token instead' })).toBeVisible();
    await expectAccessibleInBothSchemes(app);
    await screenshot(app, 'connect-failed-consent');

    // The organization's OAuth policy: signed in, but the API refuses (TF400813); the setting is linked.
    sims.entra.failOAuth(null);
    sims.azureDevOps.failOAuthPolicy(true);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await entry.getByRole('button', { name: `Connect to contoso (${ADO})` }).click();
    const tab = await connectInTab(app, dialog);
    await tab.getByRole('button', { name: 'Authorize' }).click();
    await expect(tab.getByText('You can close this tab and return to Paddock.')).toBeVisible();
    await tab.close();
    await expect(dialog.getByRole('alert')).toContainText('TF400813', { timeout: 20_000 });
    await expect(dialog.getByRole('link', { name: /Open this setting/ })).toHaveAttribute('href', 'https://dev.azure.com/contoso/_settings/organizationPolicy');
    await expectAccessibleInBothSchemes(app);
    await screenshot(app, 'connect-failed-oauth-policy');

    await dialog.getByRole('button', { name: 'Provide a personal access token instead' }).click();
    await dialog.getByLabel('Personal access token').fill(SIMULATED_TOKENS.azureDevOps);
    await dialog.getByRole('button', { name: 'Connect' }).click();
    await expect(dialog.getByRole('status')).toHaveText(`Azure DevOps is now connected as ${SIMULATED_USER.email} for contoso.`, { timeout: 20_000 });
    await dialog.getByRole('button', { name: 'Close' }).click();
    const contoso = entry.locator('.connection').filter({ has: app.getByRole('heading', { name: 'contoso' }) });
    await expect(contoso.locator('.facts')).toContainText('Connected withPersonal access token');

    // fabrikam by token from the dialog's intro; contoso's token is for contoso alone.
    const fabrikam = entry.locator('.connection').filter({ has: app.getByRole('heading', { name: 'fabrikam' }) });
    await expect(fabrikam).toContainText('Not connected');
    await fabrikam.getByRole('button', { name: `Connect to fabrikam (${ADO})` }).click();
    await expect(dialog.locator('.connect-target')).toContainText('Organization: fabrikam');
    await dialog.getByRole('button', { name: 'Provide a personal access token' }).click();
    await expect(dialog.getByRole('link', { name: /new-token page/ })).toHaveAttribute('href', /^https:\/\/dev\.azure\.com\/fabrikam\//);
    await expect(dialog).toContainText('Choose this one organization, not “All accessible organizations”.');
    await expectAccessibleInBothSchemes(app);
    await screenshot(app, 'connect-pat-fabrikam');
    await dialog.getByLabel('Personal access token').fill(SIMULATED_TOKENS.azureDevOps);
    await dialog.getByRole('button', { name: 'Connect' }).click();
    await expect(dialog.getByRole('status')).toHaveText(`Azure DevOps is now connected as ${SIMULATED_USER.email} for fabrikam.`, { timeout: 20_000 });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(fabrikam).toContainText('Connected');
    await expect(fabrikam.locator('.facts')).toContainText('Connected withPersonal access token');
    await expectAccessibleInBothSchemes(app);
    await screenshot(app, 'accounts-azure-devops-both');
  });

  test('self-managed GitLab by personal access token: the link fills in name and scopes', async ({ app, host }) => {
    test.setTimeout(90_000);
    await localRunner(host);
    await save(host, { kind: 'gitlab', host: GITLAB_SELF_MANAGED, organizations: [], collections: [], oauth: { enabled: false, clientId: null, tenant: null, clientSecret: { action: 'none' } }, pat: { enabled: true } });
    await openAccounts(app);
    const entry = app.getByRole('region', { name: `GitLab ${GITLAB_SELF_MANAGED} on Local runner` });
    await entry.getByRole('button', { name: `Connect to ${GITLAB_SELF_MANAGED}` }).click();
    const dialog = app.getByRole('dialog', { name: 'Connect GitLab' });
    const link = dialog.getByRole('link', { name: /new-token page/ });
    const href = new URL((await link.getAttribute('href')) ?? '');
    expect(`${href.origin}${href.pathname}`).toBe(`${GITLAB_SELF_MANAGED}/-/user_settings/personal_access_tokens`);
    expect(href.searchParams.get('name')).not.toBeNull();
    expect(href.searchParams.get('scopes')).not.toBeNull();
    await expect(dialog).toContainText('it fills in the name and scopes');
    await expectAccessibleInBothSchemes(app);
    await screenshot(app, 'connect-pat-gitlab-self-managed');
    await dialog.getByLabel('Personal access token').fill(SIMULATED_TOKENS.gitlabSelfManaged);
    await dialog.getByRole('button', { name: 'Connect' }).click();
    await expect(dialog.getByRole('status')).toHaveText(`GitLab is now connected as ${SIMULATED_USER.username}.`, { timeout: 20_000 });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(entry).toContainText('Connected');
  });
});

test.describe('an attempt the browser does not finish', () => {
  test.use({ runnerEnv: { PADDOCK_DEV_OAUTH_ATTEMPT_MS: '3000' } });

  test('expires: the dialog says the browser did not come back in time and offers Start again', async ({ app, host }) => {
    test.setTimeout(90_000);
    await saveGitHub(host);
    await openAccounts(app);
    await app.getByRole('button', { name: `Connect to ${GITHUB}` }).click();
    const dialog = app.getByRole('dialog', { name: 'Connect GitHub' });
    const tab = await connectInTab(app, dialog);
    await expect(dialog.getByRole('alert')).toContainText('The browser did not come back from GitHub within 1 minute', { timeout: 20_000 });
    await expect(dialog.getByRole('button', { name: 'Start again' })).toBeVisible();
    await expectAccessibleInBothSchemes(app);
    await screenshot(app, 'connect-expired');
    // Authorize afterwards leads nowhere: nothing is connected.
    await tab.getByRole('button', { name: 'Authorize' }).click();
    await tab.close();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(app.getByRole('region', { name: `GitHub ${GITHUB} on Local runner` })).toContainText('Not connected');
  });
});
