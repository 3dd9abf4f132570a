import type { Locator, Page } from '@playwright/test';
import type { ProviderInput } from '../../electron/common/provider-config';
import { runnerCall, startRemoteRunner, type RemoteRunnerHandle } from '../helpers/remote-runner';
import { expect, expectAccessibleInBothSchemes, screenshot, test } from './fixtures';

// Issue 8 through the web host, against a real core and real runners:
// a runner failure's code reaches the page, which offers what the code says
// (Try again); "Check again" on an entry runs a provider-check job whose
// checks arrive live, and Cancel stops one against a stuck provider; a
// workstation registered as a user sees repository access read-only.

/** A PAT-only GitHub Enterprise Server entry: nothing to seal. */
const gheEntry = (host: string): ProviderInput => ({
  kind: 'github',
  host,
  organizations: [],
  collections: [],
  oauth: { enabled: false, clientId: null, tenant: null, clientSecret: { action: 'none' } },
  pat: { enabled: true },
});

const providerItem = (page: Page, name: string): Locator =>
  page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name }) });

test.describe('a runner that is down', () => {
  // No heartbeat during the test: only the page's own "Try again" can bring the list back.
  test.use({ heartbeatMs: 600_000 });
  let remote: RemoteRunnerHandle;
  let again: RemoteRunnerHandle | null = null;
  test.beforeEach(async () => {
    remote = await startRemoteRunner();
  });
  test.afterEach(async () => {
    await remote.stop();
    await again?.stop();
  });

  test('the runner’s code reaches the page: its message and Try again, which loads the list once the runner is back', async ({ app, host }) => {
    test.setTimeout(60_000);
    const token = await remote.createToken('1h', 'admin');
    const probe = await host.core.probeRemoteRunner({ url: remote.url, token });
    const added = await host.core.addRemoteRunner({ url: remote.url, token, name: 'Build server', spki: probe.spki });
    expect(added.role).toBe('admin');
    await remote.stop();

    await app.goto(new URL(`#/runners/${added.id}/access`, host.url).href);
    await expect(app.getByRole('heading', { level: 1, name: 'Configure repository access' })).toBeVisible();
    const notice = app.locator('.error-notice');
    await expect(notice.getByRole('alert')).toHaveText(/^Could not read this runner’s repository access: Build server cannot be reached: /);
    // The code the core kept from the failed call, and what the page made of it.
    await expect(notice).toHaveAttribute('data-error-code', 'runner-unavailable');
    const tryAgain = notice.getByRole('button', { name: 'Try again' });
    await expect(tryAgain).toBeVisible();
    await expect(app.getByRole('button', { name: 'Add a new provider' })).toHaveCount(0);
    await expectAccessibleInBothSchemes(app);
    await screenshot(app, 'runner-down');

    // Back on the same address with the same keys; the page does not notice by itself.
    again = await startRemoteRunner({ dataDir: remote.dataDir, listen: new URL(remote.url).host });
    expect(again.spki).toBe(remote.spki);
    await app.waitForTimeout(1000);
    await expect(tryAgain).toBeVisible();

    await tryAgain.focus();
    await app.keyboard.press('Enter');
    await expect(app.getByRole('heading', { name: 'No providers yet' })).toBeVisible();
    await expect(app.getByRole('heading', { level: 1 })).toBeFocused();
    await expect(notice).toHaveCount(0);
    await expect(app.getByRole('button', { name: 'Add a new provider' })).toBeVisible();
    await expectAccessibleInBothSchemes(app);
  });
});

test.describe('Check again on the local runner', () => {
  test.use({ localRunner: true, withTestProvider: true });

  test('shows the checks as they arrive and the result; Cancel stops a check against a stuck provider', async ({ app, host, testProvider }) => {
    test.setTimeout(90_000);
    const provider = testProvider!;
    await expect.poll(async () => (await host.core.getRunner({ id: 'local' })).health.state, { timeout: 20_000 }).toBe('online');
    const saved = await host.core.saveProvider({ runnerId: 'local', provider: gheEntry(provider.host), previousHost: null, confirmWarnings: false });
    expect(saved.saved).toBe(true);

    await app.goto(new URL('#/runners/local/access', host.url).href);
    const label = `GitHub ${provider.host}`;
    const item = providerItem(app, label);
    const checkAgain = item.getByRole('button', { name: `Check again ${label}` });
    await expect(checkAgain).toBeVisible({ timeout: 20_000 });
    const status = item.getByRole('status');
    await expect(status).toHaveText('');

    const requestsBefore = provider.simulator.requests.length;
    await checkAgain.click();
    await expect(status).toHaveText('All checks passed.');
    // Checked against the provider again, just now, in the three groups.
    expect(provider.simulator.requests.length).toBeGreaterThan(requestsBefore);
    await expect(item).toContainText('Checked just now.');
    await expect(item.getByRole('region', { name: 'Host', exact: true }).locator('.check-ok').first()).toBeVisible();
    await expect(item.getByRole('region', { name: 'OAuth', exact: true })).toBeVisible();
    await expect(item.getByRole('region', { name: 'Personal Access Token', exact: true })).toBeVisible();
    await expect(item.locator('.check-warning, .check-error')).toHaveCount(0);
    await expect(item.getByRole('button', { name: /^Cancel/ })).toHaveCount(0);
    await expectAccessibleInBothSchemes(app);
    await screenshot(app, 'check-passed');

    // The provider is stuck: the check waits for it, and says so, until cancelled. From the keyboard.
    provider.simulator.fail({ type: 'hang' });
    const heldBefore = provider.simulator.held();
    await checkAgain.focus();
    await app.keyboard.press('Enter');
    await expect(status).toHaveText(`Checking ${label}…`);
    // The same button, busy while the check runs.
    await expect(item.getByRole('button', { name: `Checking… ${label}` })).toHaveAttribute('aria-disabled', 'true');
    await expect.poll(() => provider.simulator.held(), { timeout: 20_000 }).toBeGreaterThan(heldBefore);
    await expect(item.getByRole('region', { name: 'Host', exact: true })).toContainText('Not checked yet.');
    const cancel = item.getByRole('button', { name: `Cancel the check of ${label}` });
    await expectAccessibleInBothSchemes(app);
    await screenshot(app, 'check-running');
    await app.keyboard.press('Tab');
    await expect(cancel).toBeFocused();
    await app.keyboard.press('Enter');

    await expect(status).toHaveText('Cancelled.');
    await expect(item).toContainText('Stopped just now.');
    await expect(cancel).toHaveCount(0);
    await expect(checkAgain).toBeFocused();
    // The runner closed the request it had open to the stuck provider.
    expect(provider.simulator.held()).toBe(heldBefore);
    await expectAccessibleInBothSchemes(app);
    await screenshot(app, 'check-cancelled');
    provider.simulator.fail(null);
  });
});

test.describe('a runner this workstation uses as a user', () => {
  test.use({ withTestProvider: true });
  let remote: RemoteRunnerHandle;
  test.afterEach(async () => {
    await remote?.stop();
  });

  test('shows its repository access read-only, says who changes it, and lets the user check an entry and cancel the check', async ({ app, host, testProvider }) => {
    test.setTimeout(60_000);
    const provider = testProvider!;
    remote = await startRemoteRunner({ extraArgs: ['--ca-file', provider.caFile], env: provider.env });
    // An admin's workstation adds an entry; this one registers with a user token.
    const adminToken = await remote.createToken('1h', 'admin');
    const admin = await runnerCall(remote, null, 'POST', '/v1/registration', { token: adminToken, name: 'Admin workstation' });
    expect(admin.status).toBe(201);
    const put = await runnerCall(remote, String(admin.body.apiToken), 'PUT', '/v1/providers', { provider: gheEntry(provider.host), previousHost: null, confirmWarnings: false });
    expect(put.body).toMatchObject({ saved: true });
    const token = await remote.createToken('1h', 'user');
    const probe = await host.core.probeRemoteRunner({ url: remote.url, token });
    const added = await host.core.addRemoteRunner({ url: remote.url, token, name: 'Build server', spki: probe.spki });
    expect(added.role).toBe('user');

    // Its settings say so, and lead to see the access rather than to configure it.
    await app.goto(new URL(`#/runners/${added.id}`, host.url).href);
    await expect(app.getByRole('heading', { level: 1, name: 'Build server' })).toBeVisible();
    const details = app.getByRole('region', { name: 'Details' });
    await expect(details).toContainText('User: it uses the runner; the runner’s admins change its repository access.');
    const access = app.getByRole('region', { name: 'Repository access' });
    await expect(access).toContainText('The runner’s admins change them; this workstation can see and check them.');
    await expect(access.getByRole('link', { name: 'Configure repository access' })).toHaveCount(0);
    await expectAccessibleInBothSchemes(app);
    await screenshot(app, 'user-settings');
    await access.getByRole('link', { name: 'See repository access' }).click();

    await expect(app.getByRole('heading', { level: 1, name: 'Repository access', exact: true })).toBeFocused();
    const label = `GitHub ${provider.host}`;
    const item = providerItem(app, label);
    await expect(item).toBeVisible();
    await expect(app.getByText('This workstation uses Build server as a user: you can see and check its repository access, and the runner’s admins change it.')).toHaveCount(1);
    await expect(app.getByRole('button', { name: /^(Add a new provider|Edit|Remove)/ })).toHaveCount(0);
    await expectAccessibleInBothSchemes(app);
    await screenshot(app, 'user-access');

    // A user may check an entry, and cancel the check: the runner runs checks for any workstation.
    // (Against a stuck provider, so that the check is still running when the page watches it.)
    provider.simulator.fail({ type: 'hang' });
    const status = item.getByRole('status');
    await item.getByRole('button', { name: `Check again ${label}` }).click();
    await expect(status).toHaveText(`Checking ${label}…`);
    await expect.poll(() => provider.simulator.held(), { timeout: 20_000 }).toBeGreaterThan(0);
    await item.getByRole('button', { name: `Cancel the check of ${label}` }).click();
    await expect(status).toHaveText('Cancelled.');
    await expect(item.getByRole('button', { name: `Check again ${label}` })).toBeFocused();
    await expectAccessibleInBothSchemes(app);
    await screenshot(app, 'user-cancelled');
    provider.simulator.fail(null);
  });
});
