// Environments end to end in the web host with --simulate (issue 10 point 7),
// the flows beyond environments.spec.ts: an Azure DevOps `?version=GB…` URL
// naming a branch with slashes, connected by token; Cancel during a clone the
// simulated git server slows down (nothing of git left running, no folder),
// then Retry; a token revoked at the provider, Reconnect with a new one, and
// the clone retried by itself. Provider entries are saved through the app
// API; everything the user does goes through the page; axe on every state.
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import type { Environment } from '../../electron/common/api';
import type { ProviderInput } from '../../electron/common/provider-config';
import { SAMPLE } from '../fakes/git-repos';
import { SIMULATED_TENANT, SIMULATED_TOKENS } from '../helpers/provider-simulators';
import { listProcesses } from '../integration/support/procs';
import type { WebHost } from '../web-host/server';
import { expect, expectAccessibleInBothSchemes, screenshot, test } from './fixtures';

const ADO = 'https://dev.azure.com';
const GHES = 'https://ghe.example.test';

test.use({ localRunner: true, simulate: true });

async function save(host: WebHost, provider: ProviderInput) {
  await expect.poll(async () => (await host.core.listRunners())[0]?.health.state, { timeout: 30_000 }).toBe('online');
  const saved = await host.core.saveProvider({ runnerId: 'local', previousHost: null, confirmWarnings: true, provider });
  expect(saved.saved).toBe(true);
}

const noOAuth = { enabled: false, clientId: null, tenant: null, clientSecret: { action: 'none' } } as const;
const saveGhes = (host: WebHost) => save(host, { kind: 'github', host: GHES, organizations: [], collections: [], oauth: noOAuth, pat: { enabled: true } });

/** Environments → paste the URL → Create environment: the confirmation panel. */
async function startCreating(app: Page, url: string): Promise<Locator> {
  await app.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Environments' }).click();
  await app.getByLabel('Repository URL').fill(url);
  await app.getByRole('button', { name: 'Create environment' }).click();
  return app.getByRole('group', { name: 'What will be created' });
}

/** Enters a token in the open connect dialog, waits until connected, and closes it. */
async function connectWithToken(dialog: Locator, token: string) {
  await dialog.getByLabel('Personal access token').fill(token);
  await dialog.getByRole('button', { name: /^(Connect|Reconnect)$/ }).click();
  await expect(dialog.getByRole('status')).toContainText('now connected', { timeout: 20_000 });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
}

const environmentItem = (app: Page, repository: string) => app.getByRole('list', { name: 'Environments' }).getByRole('listitem').filter({ hasText: repository });

/** The one environment the runner lists, as the app reads it. */
async function onlyEnvironment(host: WebHost): Promise<Environment> {
  const { environments } = await host.core.listEnvironments();
  expect(environments).toHaveLength(1);
  return environments[0]!;
}

/**
 * git processes (git, git-remote-http(s), its credential helper) whose
 * working folder, arguments or environment name the web host's data
 * folder, i.e. the runner's clones; a process that ended while read (a
 * zombie has no argv left) is not running and not counted.
 */
function gitProcessesUnder(dataDir: string): string[] {
  const found: string[] = [];
  for (const { pid, comm } of listProcesses()) {
    let cmdline: string;
    let environ: string;
    let cwd: string;
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1');
      environ = fs.readFileSync(`/proc/${pid}/environ`, 'latin1');
      cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      continue;
    }
    if (cmdline === '') continue;
    const isGit = comm.startsWith('git') || cmdline.includes('credential-helper');
    if (isGit && (cwd.startsWith(dataDir) || cmdline.includes(dataDir) || environ.includes(dataDir))) found.push(`${pid} ${comm} ${cmdline.replaceAll('\0', ' ').trim()}`);
  }
  return found;
}

test('an Azure DevOps URL naming a branch with slashes becomes a ready environment on that branch, connected by token', async ({ app, host }) => {
  test.setTimeout(120_000);
  const branch = 'feature/login/form';
  expect(SAMPLE.branches).toContain(branch);
  await save(host, {
    kind: 'azure-devops',
    host: ADO,
    organizations: [{ name: 'contoso', tenant: SIMULATED_TENANT, tenantOrigin: 'entered' }],
    collections: [],
    oauth: noOAuth,
    pat: { enabled: true },
  });

  const panel = await startCreating(app, `${ADO}/contoso/Fabrikam/_git/hello?version=GB${branch}`);
  await expect(panel).toContainText('hello');
  await expect(panel).toContainText(branch);
  await screenshot(app, 'environments-ado-confirm');
  await panel.getByRole('button', { name: 'Create' }).click();

  const dialog = app.getByRole('dialog', { name: 'Connect Azure DevOps' });
  await connectWithToken(dialog, SIMULATED_TOKENS.azureDevOps);

  const environment = await onlyEnvironment(host);
  const item = environmentItem(app, environment.repository);
  await expect(item.locator('.badge')).toHaveText('Ready', { timeout: 60_000 });
  await expect(item).toContainText(branch);
  await expect(item).toContainText('Folder:');
  // The working copy is on the branch itself (not a detached commit, not a branch named after part of it).
  const ready = await onlyEnvironment(host);
  expect(ready.state).toBe('ready');
  expect(fs.readFileSync(path.join(ready.path, '.git', 'HEAD'), 'utf8').trim()).toBe(`ref: refs/heads/${branch}`);
  expect(fs.existsSync(path.join(ready.path, SAMPLE.featureFile))).toBe(true);
  await expectAccessibleInBothSchemes(app);
  await screenshot(app, 'environments-ado-ready');
});

test('Cancel during a slow clone stops git and removes the folder; Retry then clones it', async ({ app, host }) => {
  test.setTimeout(120_000);
  await saveGhes(host);
  const gitServer = host.simulators!.git.server;
  // A few hundred bytes a second: git's first progress lines come within a second or two, the sample repository's
  // pack (about 4 KB) would take several more.
  gitServer.setThrottle(500);

  const panel = await startCreating(app, `${GHES}/octo/hello`);
  await panel.getByRole('button', { name: 'Create' }).click();
  await connectWithToken(app.getByRole('dialog', { name: 'Connect GitHub' }), SIMULATED_TOKENS.githubEnterpriseServer);

  const item = environmentItem(app, 'octo/hello');
  await expect(item).toContainText('Creating', { timeout: 20_000 });
  await expect(item.getByRole('progressbar', { name: 'Cloning octo/hello' })).toBeVisible();
  // git's own progress, not only "Starting the clone…".
  await expect(item.locator('.clone-progress')).toContainText(/objects/i, { timeout: 30_000 });
  // Slower still (answers in flight too), so that the clone is still running whatever time the checks below take.
  gitServer.setThrottle(20);
  const creating = await onlyEnvironment(host);
  expect(creating.state).toBe('creating');
  expect(fs.existsSync(creating.path)).toBe(true);
  expect(gitProcessesUnder(host.dataDir)).not.toEqual([]);
  await expectAccessibleInBothSchemes(app);
  await screenshot(app, 'environments-creating-progress');

  await item.getByRole('button', { name: 'Cancel' }).click();
  await expect(item).toContainText('Cancelled', { timeout: 20_000 });
  await expect(item.getByRole('button', { name: 'Retry octo/hello' })).toBeVisible();
  await expect(item.getByRole('progressbar')).toHaveCount(0);
  expect(fs.existsSync(creating.path)).toBe(false);
  // Nothing of git is left: git, git-remote-http(s) and the credential helper all ended with the clone.
  expect(gitProcessesUnder(host.dataDir)).toEqual([]);
  expect((await onlyEnvironment(host)).state).toBe('cancelled');
  await expectAccessibleInBothSchemes(app);
  await screenshot(app, 'environments-cancelled');

  gitServer.setThrottle(null);
  await item.getByRole('button', { name: 'Retry octo/hello' }).click();
  await expect(item.locator('.badge')).toHaveText('Ready', { timeout: 60_000 });
  await expect(item).toContainText('Folder:');
  expect(fs.existsSync(path.join(creating.path, '.git'))).toBe(true);
  await expectAccessibleInBothSchemes(app);
  await screenshot(app, 'environments-retried-ready');
});

test('a token revoked at the provider fails the clone with Reconnect; reconnecting with a new token clones it by itself', async ({ app, host }) => {
  test.setTimeout(120_000);
  await saveGhes(host);
  const simulators = host.simulators!;

  // Connected first (from the Environments screen, as a first clone does), then the token is revoked on the server.
  const first = await startCreating(app, `${GHES}/octo/hello`);
  await first.getByRole('button', { name: 'Create' }).click();
  await connectWithToken(app.getByRole('dialog', { name: 'Connect GitHub' }), SIMULATED_TOKENS.githubEnterpriseServer);
  await expect(environmentItem(app, 'octo/hello').locator('.badge')).toHaveText('Ready', { timeout: 60_000 });
  await environmentItem(app, 'octo/hello').getByRole('button', { name: 'Delete octo/hello' }).click();
  await app.getByRole('dialog', { name: 'Delete the environment octo/hello?' }).getByRole('button', { name: 'Delete' }).click();
  await expect(app.getByRole('heading', { name: 'No environments yet' })).toBeVisible({ timeout: 20_000 });

  simulators.tokens.revoke(GHES, SIMULATED_TOKENS.githubEnterpriseServer);
  const panel = await startCreating(app, `${GHES}/octo/hello`);
  await panel.getByRole('button', { name: 'Create' }).click();
  // Still connected as far as Paddock knew: no dialog, the clone starts and the server refuses the token.
  const item = environmentItem(app, 'octo/hello');
  await expect(item).toContainText('Failed', { timeout: 60_000 });
  await expect(item).toContainText('refused your token');
  await expect(item).toContainText('Reconnect to try again.');
  const reconnect = item.getByRole('button', { name: `Reconnect to ${GHES} for octo/hello` });
  await expect(reconnect).toBeVisible();
  const failed = await onlyEnvironment(host);
  expect(failed.error?.code).toBe('reconnect-needed');
  expect(fs.existsSync(failed.path)).toBe(false);
  await expectAccessibleInBothSchemes(app);
  await screenshot(app, 'environments-reconnect-needed');

  // A new token made at the provider; the revoked one stays refused.
  const renewed = 'ghp_simulated_ghes_token_renewed';
  simulators.tokens.issue(GHES, renewed);
  await reconnect.click();
  const dialog = app.getByRole('dialog', { name: /GitHub$/ });
  await expect(dialog).toBeVisible();
  await expectAccessibleInBothSchemes(app);
  await screenshot(app, 'environments-reconnect-dialog');
  await connectWithToken(dialog, renewed);

  // Reconnect retries by itself: no Retry pressed.
  await expect(item.locator('.badge')).toHaveText('Ready', { timeout: 60_000 });
  await expect(item).not.toContainText('refused your token');
  expect((await onlyEnvironment(host)).state).toBe('ready');
  await expectAccessibleInBothSchemes(app);
  await screenshot(app, 'environments-reconnected-ready');
});
