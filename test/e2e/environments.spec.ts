// Environments end to end in the web host with --simulate (issue 10): a
// GitHub Enterprise Server entry with personal access tokens only, saved
// through the app API; everything the user does goes through the page —
// paste the banner's repository URL, Create, connect in the dialog, follow
// the clone to Ready, a `git push` from a terminal in its folder (through
// the runner's helper, no prompt), then Delete after the confirmation.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SIMULATED_TOKENS } from '../helpers/provider-simulators';
import { expect, expectAccessibleInBothSchemes, screenshot, test } from './fixtures';

const GHES = 'https://ghe.example.test';
const URL = `${GHES}/octo/hello/pull/7`;

test.use({ localRunner: true, simulate: true });

/** git as a terminal starts it: no askpass, prompts off, a home without git config (asynchronous: the git server runs in the web host). */
function gitIn(cwd: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-e2e-home-'));
  const env = { PATH: process.env.PATH ?? '', HOME: home, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C', GIT_AUTHOR_NAME: 'Sam', GIT_AUTHOR_EMAIL: 'sam@example.test', GIT_COMMITTER_NAME: 'Sam', GIT_COMMITTER_EMAIL: 'sam@example.test' };
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

test('create an environment from a GHES pull request URL, connecting first, push from its folder, then delete it', async ({ app, host }) => {
  test.setTimeout(120_000);
  await expect.poll(async () => (await host.core.listRunners())[0]?.health.state, { timeout: 30_000 }).toBe('online');
  const saved = await host.core.saveProvider({
    runnerId: 'local',
    previousHost: null,
    confirmWarnings: true,
    provider: { kind: 'github', host: GHES, organizations: [], collections: [], oauth: { enabled: false, clientId: null, tenant: null, clientSecret: { action: 'none' } }, pat: { enabled: true } },
  });
  expect(saved.saved).toBe(true);

  await app.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Environments' }).click();
  await app.getByLabel('Repository URL').fill(URL);
  await app.getByRole('button', { name: 'Create environment' }).click();
  const panel = app.getByRole('group', { name: 'What will be created' });
  await expect(panel).toContainText('octo/hello');
  await expect(panel).toContainText('pull request 7');
  await expectAccessibleInBothSchemes(app);
  await screenshot(app, 'environments-confirm');

  await panel.getByRole('button', { name: 'Create' }).click();
  const dialog = app.getByRole('dialog', { name: 'Connect GitHub' });
  await dialog.getByLabel('Personal access token').fill(SIMULATED_TOKENS.githubEnterpriseServer);
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(dialog.getByRole('status')).toContainText('now connected', { timeout: 20_000 });
  await screenshot(app, 'environments-connected');
  await dialog.getByRole('button', { name: 'Close' }).click();

  const list = app.getByRole('list', { name: 'Environments' });
  const item = list.getByRole('listitem').filter({ hasText: 'octo/hello' });
  await expect(item).toBeVisible({ timeout: 20_000 });
  await screenshot(app, 'environments-creating');
  await expect(item.locator('.badge')).toHaveText('Ready', { timeout: 60_000 });
  await expect(item).toContainText('Folder:');
  await expectAccessibleInBothSchemes(app);
  await screenshot(app, 'environments-ready');

  // A commit pushed from a terminal in the folder goes through the runner's helper.
  const folder = (await item.locator('code').first().textContent())!.trim();
  fs.writeFileSync(path.join(folder, 'from-terminal.txt'), 'pushed from a terminal\n');
  expect((await gitIn(folder, ['add', 'from-terminal.txt'])).code).toBe(0);
  expect((await gitIn(folder, ['commit', '-q', '-m', 'From a terminal'])).code).toBe(0);
  const pushed = await gitIn(folder, ['push', 'origin', 'HEAD:refs/heads/from-terminal']);
  expect(pushed.code, pushed.stderr).toBe(0);

  await item.getByRole('button', { name: 'Delete octo/hello' }).click();
  const confirm = app.getByRole('dialog', { name: 'Delete the environment octo/hello?' });
  await expect(confirm).toContainText('Nothing uncommitted or unpushed.');
  await screenshot(app, 'environments-delete');
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(app.getByRole('heading', { name: 'No environments yet' })).toBeVisible({ timeout: 20_000 });
});
