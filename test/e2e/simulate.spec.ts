import { SIMULATED_TOKENS } from '../helpers/provider-simulators';
import { expect, expectAccessibleInBothSchemes, test } from './fixtures';

// `npm run dev:web -- --simulate` (issue 8, point 7): the page says it works
// with simulated providers and lists what to enter; a person who follows it
// (entering the values the banner shows) saves repository access that
// validates, against the simulators only.

test.use({ localRunner: true, simulate: true });

test('the page says it works with simulated providers, and what it lists saves repository access that validates', async ({ app, context }) => {
  test.setTimeout(90_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);

  // A region with a heading, collapsed until asked: it says what this is, not yet the values.
  const banner = app.getByRole('region', { name: 'Simulated providers' });
  await expect(banner).toContainText('simulated providers running on this computer');
  const toggle = banner.getByRole('button', { name: 'Show what to enter' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(banner.getByRole('list')).toBeHidden();
  await expectAccessibleInBothSchemes(app);

  await toggle.click();
  await expect(banner.getByRole('button', { name: 'Hide what to enter' })).toHaveAttribute('aria-expanded', 'true');
  const names = ['GitHub', 'GitHub Enterprise Server', 'GitLab', 'GitLab self-managed', 'Bitbucket Cloud', 'Bitbucket Data Center', 'Azure DevOps', 'Azure DevOps Server'];
  await expect(banner.locator('.simulation-name')).toHaveText(names);
  // Each provider is one line until opened.
  const github = banner.locator('details').filter({ has: app.locator('.simulation-name', { hasText: /^GitHub$/ }) });
  await expect(github.locator('summary')).toHaveText('GitHub https://github.com');
  await expect(github.getByRole('button', { name: 'Copy the personal access token for GitHub' })).toBeHidden();
  await github.locator('summary').click();
  await github.getByRole('button', { name: 'Copy the personal access token for GitHub' }).click();
  expect(await app.evaluate(() => navigator.clipboard.readText())).toBe(SIMULATED_TOKENS.github);
  await expectAccessibleInBothSchemes(app);

  // Follow it: the values as the banner shows them, then repository access for the local runner, GitHub with those values.
  const value = (label: string) => github.locator('div').filter({ has: app.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('code').textContent();
  const clientId = (await value('Client ID'))!;
  const clientSecret = (await value('Client Secret'))!;
  expect([clientId, clientSecret]).not.toContain('');
  await banner.getByRole('link', { name: 'repository access for the Local runner' }).click();
  await expect(app.getByRole('heading', { level: 1, name: 'Configure repository access' })).toBeVisible();
  await expect(app.getByRole('heading', { name: 'No providers yet' })).toBeVisible({ timeout: 20_000 });
  await app.getByRole('button', { name: 'Add a new provider' }).click();
  const dialog = app.getByRole('dialog', { name: 'Add a new provider' });
  await dialog.getByLabel('Provider').selectOption({ label: 'GitHub' });
  await expect(dialog.getByRole('textbox', { name: 'Host', exact: true })).toHaveValue((await value('Host'))!);
  await dialog.getByRole('switch', { name: 'Enable OAuth' }).check();
  await dialog.getByRole('textbox', { name: 'Client ID', exact: true }).fill(clientId);
  await dialog.getByLabel('Client Secret', { exact: true }).fill(clientSecret);
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();

  // Saved at once: no warning to confirm, every check passed against the simulated GitHub.
  await expect(dialog).toBeHidden();
  const outcome = app.getByRole('region', { name: /^Added / });
  await expect(outcome).toContainText('Added GitHub (https://github.com).');
  await expect(outcome.locator('.check-ok').first()).toBeVisible();
  await expect(outcome.locator('.check-warning, .check-error')).toHaveCount(0);
  await expect(outcome.getByRole('region', { name: 'Host', exact: true })).toContainText('GitHub at https://github.com answered GET /meta as GitHub does');
  await expect(app.getByRole('heading', { name: 'GitHub https://github.com' })).toBeVisible();
  await expect(banner).toBeVisible();
  await expectAccessibleInBothSchemes(app);
});
