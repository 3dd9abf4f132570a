import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, expectAccessibleInBothSchemes, test } from './fixtures';

// Repository access (issue 4, point 10): an admin configures the local
// runner's providers through the UI, against the real core and a real local
// runner: Azure DevOps through Entra (OAuth + PAT, the client secret sealed in
// the page), GitHub Enterprise Server with its own host, Azure DevOps Server
// under /tfs; validation in three groups; edit, disable PAT, remove.

const canary = 'canary-Secret-7f3c9a1e-must-not-leak';
const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const clientId = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

/** Every file under a directory, read as text. */
function filesUnder(dir: string): { file: string; text: string }[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).flatMap((entry) => {
    if (!entry.isFile()) return [];
    const file = path.join(entry.parentPath, entry.name);
    return [{ file, text: fs.readFileSync(file).toString('latin1') }];
  });
}

/** The three groups of the runner's validation, inside `scope` (the outcome on the page). */
async function expectCheckGroups(scope: Locator) {
  for (const name of ['Host', 'OAuth', 'Personal Access Token']) {
    await expect(scope.getByRole('region', { name, exact: true })).toBeVisible();
  }
}

/** What the runner found about one part of the dialog, under that part. */
const findings = (dialog: Locator, part: 'Host' | 'OAuth' | 'Personal Access Token') => dialog.getByRole('list', { name: `What the runner found: ${part}` });

/**
 * Save; when the runner reports warnings (its network checks cannot reach
 * the test hosts), the dialog shows them under the parts they are about,
 * says so in its footer, and "Save anyway" saves past them. Either way the
 * page then shows what was checked.
 */
async function saveWithConfirmation(page: Page, dialog: Locator, save: Locator = dialog.getByRole('button', { name: 'Save', exact: true })) {
  await save.click();
  const saveAnyway = dialog.getByRole('button', { name: 'Save anyway' });
  await expect.poll(async () => !(await dialog.isVisible()) || (await saveAnyway.isVisible())).toBe(true);
  if (await saveAnyway.isVisible()) {
    await expect(dialog.locator('footer')).toContainText(/Not saved yet: the runner found \d+ warnings?, under /);
    await expect(dialog).not.toContainText('fix the errors');
    await saveAnyway.click();
  }
  await expect(dialog).toBeHidden();
  const outcome = page.getByRole('region', { name: /^(Added|Saved) / });
  await expect(outcome.getByRole('heading', { level: 2 })).toBeFocused();
  await expectCheckGroups(outcome);
  return outcome;
}

test.use({ localRunner: true });

test('an admin adds, edits and removes providers on the local runner; the client secret never leaves the page unsealed', async ({ app, host, context }) => {
  test.setTimeout(120_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await app.goto(new URL('#/runners/local/access', host.url).href);
  await expect(app.getByRole('heading', { level: 1, name: 'Configure repository access' })).toBeVisible();
  await expect(app.getByRole('heading', { name: 'No providers yet' })).toBeVisible({ timeout: 20_000 });
  await expectAccessibleInBothSchemes(app);

  // From the keyboard: Enter opens the dialog on its first field, Escape closes it and focus goes back.
  const add = app.getByRole('button', { name: 'Add a new provider' });
  await add.focus();
  await app.keyboard.press('Enter');
  await expect(app.getByRole('dialog', { name: 'Add a new provider' }).getByLabel('Provider')).toBeFocused();
  await app.keyboard.press('Escape');
  await expect(app.getByRole('dialog')).toHaveCount(0);
  await expect(add).toBeFocused();

  // Azure DevOps, through Entra: OAuth and PAT, one organization with its tenant.
  await app.getByRole('button', { name: 'Add a new provider' }).click();
  let dialog = app.getByRole('dialog', { name: 'Add a new provider' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Provider').selectOption({ label: 'Azure DevOps' });
  const hostField = dialog.getByRole('textbox', { name: 'Host', exact: true });
  await expect(hostField).toHaveValue('https://dev.azure.com');
  await expect(hostField).toHaveAttribute('readonly', '');
  await dialog.getByRole('textbox', { name: 'Organization 1', exact: true }).fill('contoso');
  // Tenant discovery goes through the runner; whatever it answers, the admin can enter the tenant.
  await dialog.getByRole('button', { name: 'Find tenant of organization 1' }).click();
  await expect(dialog.getByRole('status').filter({ hasText: /tenant|Found/i })).toBeVisible();
  await expect(dialog.getByRole('status').filter({ hasText: 'Looking up' })).toHaveCount(0);
  await dialog.getByRole('textbox', { name: 'Tenant of organization 1', exact: true }).fill(tenant);

  const oauth = dialog.getByRole('switch', { name: 'Enable OAuth' });
  const pat = dialog.getByRole('switch', { name: 'Enable Personal Access Token' });
  // A new entry starts with Personal Access Tokens only; OAuth reveals its fields.
  await expect(oauth).not.toBeChecked();
  await expect(pat).toBeChecked();
  await expect(dialog.getByRole('textbox', { name: 'Client ID', exact: true })).toHaveCount(0);
  // Both off: the dialog says at once that one is needed.
  await oauth.uncheck();
  await pat.uncheck();
  await expect(dialog.getByText('Enable OAuth, a Personal Access Token, or both')).toBeVisible();
  await oauth.check();
  await pat.check();

  // The callback to register for the local runner, first and copyable; scopes with reasons; docs.
  const callbacks = dialog.locator('.callback-list code');
  await expect(callbacks.first()).toHaveText('paddock://oauth/callback');
  await dialog.getByRole('button', { name: 'Copy the callback URL paddock://oauth/callback' }).click();
  expect(await app.evaluate(() => navigator.clipboard.readText())).toBe('paddock://oauth/callback');
  await expect(dialog.getByText('499b84ac-1321-427f-aa17-267ca6975798/vso.code_write', { exact: true })).toBeVisible();
  await expect(dialog.getByText('offline_access', { exact: true })).toBeVisible();
  await expect(dialog.getByRole('link', { name: /Microsoft Entra OAuth apps/ })).toHaveAttribute('target', '_blank');

  await dialog.getByRole('textbox', { name: 'Client ID', exact: true }).fill(clientId);
  await dialog.getByRole('textbox', { name: 'Tenant', exact: true }).fill(tenant);
  await dialog.getByLabel('Client Secret', { exact: true }).fill(canary);
  await expectAccessibleInBothSchemes(app);

  let outcome = await saveWithConfirmation(app, dialog);
  await expect(outcome).toContainText('Added Azure DevOps (https://dev.azure.com).');
  const azure = app.getByRole('listitem').filter({ has: app.getByRole('heading', { name: 'Azure DevOps https://dev.azure.com' }) });
  await expect(azure).toContainText(`contoso (tenant ${tenant})`);
  await expect(azure).toContainText('Client Secret: set');
  await expect(azure.getByText('Personal Access Token').locator('..')).toContainText('On');

  // The secret is nowhere in plaintext: not in the app's store, not in any file of the data directory (the runner's included), not in the page.
  expect(fs.readFileSync(path.join(host.dataDir, 'paddock.json'), 'utf8')).not.toContain(canary);
  for (const { file, text } of filesUnder(host.dataDir)) expect(text.includes(canary), file).toBe(false);
  expect(await app.content()).not.toContain(canary);
  expect(await app.evaluate(() => [...document.querySelectorAll('input')].map((input) => input.value).join('\n'))).not.toContain(canary);

  // A second entry for the same host is refused with the runner's message.
  await app.getByRole('button', { name: 'Add a new provider' }).click();
  dialog = app.getByRole('dialog', { name: 'Add a new provider' });
  // The dialog suggests the first provider the runner has no entry for yet.
  await expect(dialog.getByLabel('Provider')).toHaveValue('github');
  await dialog.getByLabel('Provider').selectOption({ label: 'Azure DevOps' });
  await dialog.getByRole('textbox', { name: 'Organization 1', exact: true }).fill('fabrikam');
  await dialog.getByRole('switch', { name: 'Enable OAuth' }).uncheck();
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(findings(dialog, 'Host')).toContainText('This runner already has an entry for https://dev.azure.com. Edit that one instead.');
  await expect(dialog.locator('footer')).toContainText('Not saved: fix what is marked under Host.');
  await expect(dialog.getByRole('button', { name: 'Save anyway' })).toHaveCount(0);
  // What was typed is not lost without asking.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  const discard = app.getByRole('dialog', { name: 'Discard changes?' });
  await expect(discard.getByRole('button', { name: 'Keep editing' })).toBeFocused();
  await app.keyboard.press('Escape');
  await expect(discard).toBeHidden();
  await expect(dialog.getByRole('textbox', { name: 'Organization 1', exact: true })).toHaveValue('fabrikam');
  await app.keyboard.press('Escape');
  await discard.getByRole('button', { name: 'Discard changes' }).click();
  await expect(dialog).toBeHidden();
  await expect(app.getByRole('button', { name: 'Add a new provider' })).toBeFocused();

  // GitHub Enterprise Server on its own host, PAT only.
  await app.getByRole('button', { name: 'Add a new provider' }).click();
  dialog = app.getByRole('dialog', { name: 'Add a new provider' });
  await dialog.getByLabel('Provider').selectOption({ label: 'GitHub' });
  await expect(hostField).toHaveValue('https://github.com');
  await hostField.fill('GHE.example.test/');
  await expect(dialog.getByText('Saved as')).toContainText('https://ghe.example.test');
  await dialog.getByRole('switch', { name: 'Enable OAuth' }).uncheck();
  outcome = await saveWithConfirmation(app, dialog);
  await expect(outcome).toContainText('Added GitHub (https://ghe.example.test).');
  const github = app.getByRole('listitem').filter({ has: app.getByRole('heading', { name: 'GitHub https://ghe.example.test' }) });
  await expect(github.getByText('OAuth').locator('..')).toContainText('Off');

  // Azure DevOps Server under /tfs, with a collection: PAT only; http would be warned about.
  await app.getByRole('button', { name: 'Add a new provider' }).click();
  dialog = app.getByRole('dialog', { name: 'Add a new provider' });
  await dialog.getByLabel('Provider').selectOption({ label: 'Azure DevOps Server' });
  await expect(dialog.getByRole('switch', { name: 'Enable OAuth' })).toBeDisabled();
  await expect(dialog.getByText('OAuth 2.0 is available only for Azure DevOps Services')).toBeVisible();
  await hostField.fill('http://tfs.example.test/tfs');
  await expect(dialog.getByText(/personal access tokens and code cross the network unencrypted/)).toBeVisible();
  await hostField.fill('https://tfs.example.test/tfs');
  await expect(dialog.getByText(/cross the network unencrypted/)).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  const collection = dialog.getByRole('textbox', { name: 'Collection 1', exact: true });
  await expect(collection).toBeFocused();
  await expect(collection).toHaveAccessibleDescription(/Enter the collection’s name/);
  await collection.fill('DefaultCollection');
  await expectAccessibleInBothSchemes(app);
  outcome = await saveWithConfirmation(app, dialog);
  await expect(outcome).toContainText('Added Azure DevOps Server (https://tfs.example.test/tfs).');
  await expect(app.getByRole('listitem').filter({ has: app.getByRole('heading', { name: 'Azure DevOps Server https://tfs.example.test/tfs' }) })).toContainText(
    'DefaultCollection',
  );
  await expectAccessibleInBothSchemes(app);

  // Edit Azure DevOps: the secret shows as set, never its value; a new Client ID asks for it again, and the runner refuses without it.
  await app.getByRole('button', { name: 'Edit Azure DevOps https://dev.azure.com' }).click();
  dialog = app.getByRole('dialog', { name: 'Edit Azure DevOps' });
  await expect(dialog.getByText('set — replace')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Replace the client secret' })).toBeVisible();
  const clientIdField = dialog.getByRole('textbox', { name: 'Client ID', exact: true });
  await expect(clientIdField).toHaveValue(clientId);
  await clientIdField.fill('11111111-2222-4333-8444-555555555555');
  const secretField = dialog.getByLabel('Client Secret', { exact: true });
  await expect(secretField).toHaveAccessibleDescription(/Client ID changed: enter the Client Secret again/);
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  // A new OAuth app also means users' OAuth tokens go: said first.
  await expect(dialog.getByRole('heading', { name: 'Users’ tokens will be deleted' })).toBeFocused();
  await expect(dialog).toContainText('the tokens users obtained with OAuth for https://dev.azure.com will be deleted');
  await dialog.getByRole('button', { name: 'Delete tokens and save' }).click();
  await expect(dialog.locator('footer')).toContainText('Not saved: fix what is marked under OAuth.');
  await expect(secretField).toHaveAccessibleDescription(/enter the Client Secret again/);
  await expectAccessibleInBothSchemes(app);
  await clientIdField.fill(clientId);
  await expect(dialog.getByText('set — replace')).toBeVisible();

  // Disable PAT on it: the confirmation first, then how many tokens went.
  await dialog.getByRole('switch', { name: 'Enable Personal Access Token' }).uncheck();
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog.getByRole('heading', { name: 'Users’ tokens will be deleted' })).toBeFocused();
  await expect(dialog).toContainText('Personal Access Tokens are turned off, the tokens users obtained with a Personal Access Token for https://dev.azure.com will be deleted');
  outcome = await saveWithConfirmation(app, dialog, dialog.getByRole('button', { name: 'Delete tokens and save' }));
  await expect(outcome).toContainText('Saved Azure DevOps (https://dev.azure.com). No user tokens were deleted.');
  await expect(azure.getByText('Personal Access Token').locator('..')).toContainText('Off');
  await expect(azure).toContainText('Client Secret: set');

  // Remove GitHub Enterprise Server: the dialog says first that users' tokens go.
  await app.getByRole('button', { name: 'Remove GitHub https://ghe.example.test' }).click();
  const remove = app.getByRole('dialog', { name: 'Remove GitHub (https://ghe.example.test)?' });
  await expect(remove).toContainText('The tokens users obtained with a Personal Access Token for https://ghe.example.test will be deleted from this runner.');
  await expect(remove.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await expectAccessibleInBothSchemes(app);
  await remove.getByRole('button', { name: 'Remove provider' }).click();
  await expect(remove).toBeHidden();
  await expect(app.getByRole('heading', { name: 'Removed GitHub (https://ghe.example.test). No user tokens were deleted.' })).toBeFocused();
  await expect(app.getByRole('heading', { name: 'GitHub https://ghe.example.test' })).toHaveCount(0);
  expect((await host.core.listProviders({ id: 'local' })).map((p) => p.host).sort()).toEqual(['https://dev.azure.com', 'https://tfs.example.test/tfs']);

  // Still nowhere in plaintext after the edits.
  for (const { file, text } of filesUnder(host.dataDir)) expect(text.includes(canary), file).toBe(false);
  expect(await app.content()).not.toContain(canary);
});
