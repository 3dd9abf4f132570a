import fs from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { sealClientSecret } from '../../electron/common/provider-config';
import { expect, expectAccessibleInBothSchemes, screenshot, test } from './fixtures';

// Settings → About and "Collect diagnostics" (issue 11 point 6) in simulate mode: About shows the
// versions and the local runner's version; a user connects the simulated GitHub Enterprise Server with
// its personal access token on Accounts; Collect diagnostics saves a zip (the web host writes it into its
// data folder and records the path), which the test opens: the expected files, and nowhere the token.
// Cancelling the save says nothing was saved.

test.use({ localRunner: true, simulate: true });

test('About shows the versions, and Collect diagnostics saves a zip without the token used', async ({ app, host }) => {
  test.setTimeout(120_000);
  const ghes = host.simulators!.simulation.providers.find((p) => p.name === 'GitHub Enterprise Server')!;
  const field = (label: string) => ghes.fields.find((f) => f.label === label)!.value;
  const token = ghes.personalAccessToken;

  // An admin's entry for the simulated GitHub Enterprise Server (walked through the page in accounts.spec.ts).
  await expect.poll(async () => (await host.core.listRunners())[0]?.health.state, { timeout: 30_000 }).toBe('online');
  const [runner] = await host.core.listRunners();
  const hostUrl = field('Host');
  const saved = await host.core.saveProvider({
    runnerId: 'local',
    previousHost: null,
    confirmWarnings: true,
    provider: {
      kind: 'github',
      host: hostUrl,
      organizations: [],
      collections: [],
      oauth: {
        enabled: true,
        clientId: field('Client ID'),
        tenant: null,
        clientSecret: {
          action: 'replace',
          sealed: sealClientSecret({ runnerId: runner!.runnerUid!, kind: 'github', host: hostUrl, clientId: field('Client ID'), tenant: null, secret: field('Client Secret') }, runner!.publicKey!),
        },
      },
      pat: { enabled: true },
    },
  });
  expect(saved.saved).toBe(true);

  // The user connects with the simulated token on Accounts.
  await app.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
  const entry = app.getByRole('region', { name: `GitHub ${hostUrl} on Local runner` });
  await entry.getByRole('button', { name: `Connect to ${hostUrl}` }).click();
  const dialog = app.getByRole('dialog', { name: 'Connect GitHub' });
  await dialog.getByRole('button', { name: 'Provide a personal access token' }).click();
  await dialog.getByLabel('Personal access token').fill(token);
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(dialog.getByRole('status')).toHaveText(`GitHub is now connected as ${ghes.account}.`, { timeout: 20_000 });
  await dialog.getByRole('button', { name: 'Close' }).click();

  // About: the app's and the runner's versions, the paddock:// handler, the paths.
  await app.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  const about = app.getByRole('region', { name: 'About' });
  const version = (JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  await expect(about.locator('dt', { hasText: /^Version$/ }).locator('+ dd')).toHaveText(version);
  await expect(about.locator('dt', { hasText: /^Node\.js$/ }).locator('+ dd')).toHaveText(/^\d+\.\d+\.\d+$/);
  const localRunner = about.getByRole('list', { name: 'Runners' }).getByRole('listitem').filter({ hasText: 'Local runner' });
  await expect(localRunner).toContainText('Online');
  await expect(localRunner).toContainText(`Version ${version}`);
  await expect(about).toContainText('paddock:// links do not reach Paddock here');
  await expect(about).toContainText(host.store.path);
  await expect(about.getByRole('button', { name: 'Copy the logs folder’s path' })).toBeVisible();

  for (const [width, height] of [
    [1280, 800],
    [800, 600],
  ] as const) {
    await app.setViewportSize({ width, height });
    await about.scrollIntoViewIfNeeded();
    await screenshot(app, `about-${width}x${height}`);
  }
  await app.setViewportSize({ width: 1280, height: 800 });
  await expectAccessibleInBothSchemes(app);

  // Collect diagnostics: the zip in the web host's data folder, shown on the page.
  await about.getByRole('button', { name: 'Collect diagnostics' }).click();
  const status = about.locator('.about-collect-status');
  await expect(status).toContainText('Diagnostics saved to', { timeout: 30_000 });
  expect(host.diagnosticsSaved).toHaveLength(1);
  const zipPath = host.diagnosticsSaved[0]!;
  await expect(status.locator('code')).toHaveText(zipPath);
  await expect(about.getByRole('button', { name: 'Collect diagnostics' })).toBeFocused();
  await expectAccessibleInBothSchemes(app);
  await screenshot(app, 'about-diagnostics-saved');

  const files = Object.fromEntries(Object.entries(unzipSync(new Uint8Array(fs.readFileSync(zipPath)))).map(([name, bytes]) => [name, strFromU8(bytes)]));
  expect(Object.keys(files)).toEqual([
    'README.txt',
    'app.json',
    'settings.json',
    'state/runners.json',
    'state/hosts.json',
    'state/jobs.json',
    'state/environments.json',
    'state/notices.json',
    'logs/main.log',
    'logs/runner.log',
  ]);
  // The connection is there (the check below can fail: the account is found), its token nowhere, nor the entry's client secret.
  expect(files['state/hosts.json']).toContain(ghes.account);
  for (const [name, text] of Object.entries(files)) {
    expect(text.includes(token), `${name} holds the token`).toBe(false);
    expect(text.includes(field('Client Secret')), `${name} holds the client secret`).toBe(false);
  }

  // The save dialog closed without a file: nothing saved, and the page says so.
  host.cancelNextDiagnosticsSave();
  await about.getByRole('button', { name: 'Collect diagnostics' }).click();
  await expect(status).toContainText('Diagnostics not saved: no file was chosen.');
  expect(host.diagnosticsSaved).toHaveLength(1);
  await screenshot(app, 'about-diagnostics-not-saved');
});
