import { expect, expectAccessibleInBothSchemes, screenshot, test } from './fixtures';

// Settings → Accounts and the connect dialog's personal access token form
// (issue 9), in simulate mode: an admin saves the simulated GitHub Enterprise
// Server from the banner's values, a user provides its simulated token on
// Accounts (a wrong one is refused first), sees the account connected, and
// logs out. OAuth is walked in authorization.spec.ts.

test.use({ localRunner: true, simulate: true });

test('provides the simulated token on Accounts, is refused a wrong one, sees the account connected and logs out', async ({ app }) => {
  test.setTimeout(120_000);

  // Nothing to connect to before an admin adds repository access.
  await app.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
  await expect(app.getByRole('heading', { name: 'No hosts yet' })).toBeVisible();
  await screenshot(app, 'accounts-empty');

  // The banner's values for the simulated GitHub Enterprise Server.
  const banner = app.getByRole('region', { name: 'Simulated providers' });
  await banner.getByRole('button', { name: 'Show what to enter' }).click();
  const ghes = banner.locator('details').filter({ has: app.locator('.simulation-name', { hasText: /^GitHub Enterprise Server$/ }) });
  await ghes.locator('summary').click();
  const value = async (label: string) =>
    (await ghes.locator('div').filter({ has: app.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('code').textContent()) ?? '';
  const host = await value('Host');
  const account = await value('Account');
  const token = await value('Personal access token');
  expect([host, account, token]).not.toContain('');

  await banner.getByRole('link', { name: 'repository access for the Local runner' }).click();
  await expect(app.getByRole('heading', { name: 'No providers yet' })).toBeVisible({ timeout: 20_000 });
  await app.getByRole('button', { name: 'Add a new provider' }).click();
  const providerDialog = app.getByRole('dialog', { name: 'Add a new provider' });
  await providerDialog.getByLabel('Provider').selectOption({ label: 'GitHub' });
  await providerDialog.getByRole('textbox', { name: 'Host', exact: true }).fill(host);
  await providerDialog.getByRole('switch', { name: 'Enable OAuth' }).check();
  await providerDialog.getByRole('textbox', { name: 'Client ID', exact: true }).fill(await value('Client ID'));
  await providerDialog.getByLabel('Client Secret', { exact: true }).fill(await value('Client Secret'));
  await providerDialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(providerDialog).toBeHidden();
  await expect(app.getByRole('heading', { name: `GitHub ${host}` })).toBeVisible();

  // Accounts: the host, not connected, with the one thing to do.
  await app.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
  const entry = app.getByRole('region', { name: `GitHub ${host} on Local runner` });
  await expect(entry).toContainText('Not connected');
  await expectAccessibleInBothSchemes(app);
  await screenshot(app, 'accounts-not-connected');

  await entry.getByRole('button', { name: `Connect to ${host}` }).click();
  const dialog = app.getByRole('dialog', { name: 'Connect GitHub' });
  // OAuth is set up too: the dialog offers it first, and a token as the other way.
  await dialog.getByRole('button', { name: 'Provide a personal access token' }).click();
  await expect(dialog.getByRole('link', { name: /new-token page/ })).toHaveAttribute('href', new RegExp(`^${host}/settings/tokens/new\\?description=`));
  await expect(dialog).toContainText('30 days');
  await expectAccessibleInBothSchemes(app);
  await screenshot(app, 'pat-dialog');

  // A wrong token: refused next to the field, nothing kept, the field empty.
  const field = dialog.getByLabel('Personal access token');
  await field.fill('ghp_not_the_simulated_token');
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(dialog.locator('.field-error')).toBeVisible({ timeout: 20_000 });
  await expect(field).toHaveValue('');
  await expect(dialog).not.toContainText('is now connected');
  await expectAccessibleInBothSchemes(app);
  await screenshot(app, 'pat-dialog-refused');

  // The simulated token: connected as the simulated account.
  await field.fill(token);
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(dialog.getByRole('status')).toHaveText(`GitHub is now connected as ${account}.`, { timeout: 20_000 });
  // Gone from the dialog and the screen (the banner, which lists it to try, aside).
  await expect(app.locator('input')).toHaveCount(0);
  expect(await app.locator('.screen').innerHTML()).not.toContain(token);
  await expectAccessibleInBothSchemes(app);
  await screenshot(app, 'pat-dialog-connected');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();

  await expect(entry).toContainText('Connected');
  await expect(entry).toContainText(account);
  await expect(entry).toContainText('Personal access token');
  await expectAccessibleInBothSchemes(app);
  await screenshot(app, 'accounts-connected');

  // Log out, confirmed: back to Not connected.
  await entry.getByRole('button', { name: `Log out of ${host}` }).click();
  const confirm = app.getByRole('dialog', { name: `Log out ${account} from ${host}?` });
  await expectAccessibleInBothSchemes(app);
  await confirm.getByRole('button', { name: 'Log out' }).click();
  await expect(confirm).toBeHidden();
  await expect(app.getByText(`Logged out ${account} from ${host}.`)).toBeVisible();
  await expect(entry).toContainText('Not connected');
  await expect(entry.getByRole('button', { name: `Connect to ${host}` })).toBeVisible();
});

test('Azure DevOps: the token is for the one organization of the entry, and connects for it', async ({ app }) => {
  test.setTimeout(120_000);
  const banner = app.getByRole('region', { name: 'Simulated providers' });
  await banner.getByRole('button', { name: 'Show what to enter' }).click();
  const azure = banner.locator('details').filter({ has: app.locator('.simulation-name', { hasText: /^Azure DevOps$/ }) });
  await azure.locator('summary').click();
  const value = async (label: string) =>
    (await azure.locator('div').filter({ has: app.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('code').textContent()) ?? '';
  const organization = await value('Organization');
  const account = await value('Account');
  const token = await value('Personal access token');
  expect([organization, account, token]).not.toContain('');

  // Repository access with personal access tokens only (OAuth comes later in the issue).
  await banner.getByRole('link', { name: 'repository access for the Local runner' }).click();
  await expect(app.getByRole('heading', { name: 'No providers yet' })).toBeVisible({ timeout: 20_000 });
  await app.getByRole('button', { name: 'Add a new provider' }).click();
  const providerDialog = app.getByRole('dialog', { name: 'Add a new provider' });
  await providerDialog.getByLabel('Provider').selectOption({ label: 'Azure DevOps' });
  await providerDialog.getByRole('textbox', { name: 'Organization 1', exact: true }).fill(organization);
  await providerDialog.getByRole('textbox', { name: 'Tenant of organization 1', exact: true }).fill(await value('Tenant of the organization'));
  await providerDialog.getByRole('switch', { name: 'Enable OAuth' }).uncheck();
  await providerDialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(providerDialog).toBeHidden({ timeout: 20_000 });

  await app.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
  const entry = app.getByRole('region', { name: 'Azure DevOps https://dev.azure.com on Local runner' });
  await expect(entry.getByRole('heading', { name: organization })).toBeVisible();
  await expect(entry).toContainText('Not connected');
  await entry.getByRole('button', { name: `Connect to ${organization} (https://dev.azure.com)` }).click();

  // Without OAuth the dialog opens on the token form.
  const dialog = app.getByRole('dialog', { name: 'Connect Azure DevOps' });
  await expect(dialog.getByRole('link', { name: /new-token page/ })).toHaveAttribute('href', new RegExp(`^https://dev\\.azure\\.com/${organization}/`));
  await expect(dialog).toContainText('Choose this one organization, not “All accessible organizations”.');
  await expect(dialog.getByRole('button', { name: 'Copy the organization' })).toBeVisible();
  await expectAccessibleInBothSchemes(app);
  await screenshot(app, 'pat-dialog-azure-devops');

  await dialog.getByLabel('Personal access token').fill(token);
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(dialog.getByRole('status')).toHaveText(`Azure DevOps is now connected as ${account} for ${organization}.`, { timeout: 20_000 });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(entry).toContainText('Connected');
  await expect(entry).toContainText(account);
  await expect(app.getByText(`Azure DevOps is now connected as ${account} for ${organization}.`)).toBeVisible();
  await expectAccessibleInBothSchemes(app);
  await screenshot(app, 'accounts-azure-devops-connected');
});
