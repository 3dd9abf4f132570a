import type { Page } from '@playwright/test';
import { serverCommands } from '../../renderer/src/runner-commands';
import { runnerCli, startRemoteRunner, type RemoteRunnerHandle } from '../helpers/remote-runner';
import { expect, expectAccessible, expectAccessibleInBothSchemes, screenshot, test } from './fixtures';

// Runners UI (issue 3, point 7): the list, "Add a runner on a server", runner
// settings and removal, against the real core, a real local runner and a real
// runner in remote mode started here.

/** axe on the page as it is, in light and in dark. */
async function workstationsOn(remote: RemoteRunnerHandle): Promise<{ clientId: string; name: string }[]> {
  const { stdout } = await runnerCli(['status', '--data-dir', remote.dataDir, '--json']);
  return (JSON.parse(stdout) as { workstations: { clientId: string; name: string }[] }).workstations;
}

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });

const sizes = [
  { width: 800, height: 600 },
  { width: 1280, height: 800 },
] as const;

/** Nothing wider than the window: the page does not scroll sideways, and no box in the content reaches past it. */
async function expectNoHorizontalOverflow(page: Page) {
  const overflow = await page.evaluate(() => {
    const root = document.documentElement;
    const content = document.querySelector('main')!.getBoundingClientRect();
    const outside = [...document.querySelectorAll('main *')]
      .filter((element) => {
        const box = element.getBoundingClientRect();
        // Visually hidden text is a clipped 1 px box.
        return box.width > 1 && box.right > content.right + 1;
      })
      .map((element) => `${element.tagName.toLowerCase()}.${element.className}: ${element.textContent?.slice(0, 40)}`);
    return { scrolls: root.scrollWidth > root.clientWidth, outside };
  });
  expect(overflow).toEqual({ scrolls: false, outside: [] });
}

/** At 800×600 and 1280×800: no horizontal overflow, and screenshots in light and dark (SCREENSHOTS=dir). */
async function atBothSizes(page: Page, name: string) {
  const before = page.viewportSize();
  for (const size of sizes) {
    await page.setViewportSize(size);
    await expectNoHorizontalOverflow(page);
    await screenshot(page, `${name}-${size.width}x${size.height}`);
  }
  if (before) await page.setViewportSize(before);
}

test.describe('with a runner on a server', () => {
  let remote: RemoteRunnerHandle;
  test.beforeEach(async () => {
    remote = await startRemoteRunner();
  });
  test.afterEach(async () => {
    await remote.stop();
  });

  test('adds it with a registration token, shows the same fingerprint and sees it online', async ({ app, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);

    // Empty list → "Add a runner on a server".
    await expect(app.getByRole('heading', { name: 'No runners yet' })).toBeVisible();
    await app.getByRole('link', { name: 'Add a runner on a server' }).click();
    await expect(heading(app, 'Add a runner on a server')).toBeFocused();
    await expect(app).toHaveTitle('Add a runner on a server — Paddock');
    await expect(app.getByRole('link', { name: 'Runners' }).first()).toHaveAttribute('aria-current', 'page');

    // Step 1, the commands for the server (and axe on it): its own test at the end.
    await expect(app.getByRole('heading', { name: 'Step 1: On the server' })).toBeVisible();

    // Step 2: errors from the API next to their fields, focus on the first.
    const url = app.getByRole('textbox', { name: 'Runner URL' });
    const token = app.getByRole('textbox', { name: 'Registration token' });
    await app.getByRole('button', { name: 'Check runner' }).click();
    await expect(url).toBeFocused();
    await expect(url).toHaveAttribute('aria-invalid', 'true');
    await expect(url).toHaveAccessibleDescription(/Enter the runner’s URL\./);
    await expect(token).toHaveAccessibleDescription(/Paste the registration token\./);
    await expectAccessible(app);

    await url.fill(remote.url);
    await token.fill('prt1_not-a-token');
    await app.getByRole('button', { name: 'Check runner' }).click();
    await expect(token).toBeFocused();
    await expect(token).toHaveAccessibleDescription(/That is not a registration token/);
    await expect(url).not.toHaveAttribute('aria-invalid');

    // Step 3: the fingerprint the runner printed, grouped for reading, exact when copied.
    await token.fill(await remote.createToken());
    await app.getByRole('button', { name: 'Check runner' }).click();
    await expect(app.getByRole('heading', { name: 'Step 3: Compare the fingerprint' })).toBeFocused();
    const fingerprint = app.getByRole('figure', { name: 'Fingerprint (SPKI SHA-256)' }).locator('code');
    expect(await fingerprint.textContent()).toBe(remote.spki);
    expect(remote.output()).toContain(remote.spki);
    await expect(app.getByRole('textbox', { name: 'Name' })).toHaveValue('127.0.0.1');
    // Paste to compare: the line the runner printed says match, another fingerprint no match.
    const compare = app.getByRole('textbox', { name: 'Paste the runner’s fingerprint to compare' });
    await compare.fill('sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
    await expect(app.getByRole('status').filter({ hasText: 'No match: do not add this runner.' })).toBeVisible();
    // The line it prints for people (not its JSON log line).
    const printed = remote.output().split('\n').find((line) => line.includes(remote.spki) && !line.startsWith('{'))!;
    expect(printed).toMatch(/fingerprint/i);
    await compare.fill(printed);
    await expect(app.getByRole('status').filter({ hasText: 'Match: it is the fingerprint of the runner Paddock reached.' })).toBeVisible();
    await expect(compare).toHaveAccessibleDescription(/Match: it is the fingerprint/);
    await expectAccessibleInBothSchemes(app);
    await atBothSizes(app, 'add-runner-step-3');

    // Back keeps what was typed; then add it under a name.
    await app.getByRole('button', { name: 'Back' }).click();
    await expect(app.getByRole('heading', { name: 'Step 2: Connect to it' })).toBeFocused();
    await expect(url).toHaveValue(remote.url);
    await app.getByRole('button', { name: 'Check runner' }).click();
    // Step 3 moves the focus to its heading once it has rendered: typing before that would go to the heading.
    await expect(app.getByRole('heading', { name: 'Step 3: Compare the fingerprint' })).toBeFocused();
    await app.getByRole('textbox', { name: 'Name' }).fill('Build server');
    await app.getByRole('button', { name: 'Add runner' }).click();

    // Step 4 (R4): on to repository access, to see it: the token made this workstation a user of the runner.
    await expect(heading(app, /^Repository access$/)).toBeFocused();
    await expect(app.getByRole('status').filter({ hasText: 'Build server was added.' })).toBeVisible();
    await expect(app.getByRole('main').getByRole('link', { name: 'Accounts', exact: true })).toHaveAttribute('href', '#/accounts');
    await expectAccessibleInBothSchemes(app);
    expect((await workstationsOn(remote)).map((w) => w.clientId)).toHaveLength(1);

    // Settings (the back link, the only way there from here): online, the pinned fingerprint and public key are the runner's.
    await expect(app.getByRole('link', { name: 'Go to the runner’s settings' })).toHaveCount(0);
    await app.getByRole('main').getByRole('link', { name: 'Build server' }).click();
    await expect(heading(app, 'Build server')).toBeFocused();
    await expect(app.getByText('Status: Online')).toBeVisible();
    const details = app.getByRole('region', { name: 'Details' });
    expect(await details.locator('code.fingerprint').textContent()).toBe(remote.spki);
    expect(await details.locator('code.key').textContent()).toBe(remote.publicKey);
    await details.getByRole('button', { name: 'Copy the public key' }).click();
    await expect(details.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
    expect(await app.evaluate(() => navigator.clipboard.readText())).toBe(remote.publicKey);
    await expectAccessibleInBothSchemes(app);

    // The list shows it online too, with its URL.
    await app.getByRole('link', { name: 'Runners', exact: true }).first().click();
    const item = app.getByRole('listitem').filter({ has: app.getByRole('heading', { name: 'Build server' }) });
    await expect(item.getByText('Status: Online')).toBeVisible();
    await expect(item.getByText(remote.url, { exact: true })).toBeVisible();
    await expect(item.locator('time')).toHaveAttribute('title', /\d/);
    // Its repository access (a user of it sees the entries too: none yet), and one link for the whole card.
    await expect(item.getByRole('definition').filter({ hasText: 'No providers' })).toBeVisible();
    await expect(item.getByRole('link')).toHaveCount(1);
    await expect(item.getByRole('button')).toHaveCount(0);
    await expectAccessibleInBothSchemes(app);
    await atBothSizes(app, 'runners-list');
    // A click anywhere on the card opens it.
    const facts = (await item.locator('.runner-facts').boundingBox())!;
    await app.mouse.click(facts.x + facts.width / 2, facts.y + facts.height / 2);
    await expect(heading(app, 'Build server')).toBeFocused();
    await atBothSizes(app, 'runner-settings-remote');
  });

  test('renames it, with the API’s validation next to the field, and removes it through the dialog', async ({ app, host }) => {
    const token = await remote.createToken();
    const probe = await host.core.probeRemoteRunner({ url: remote.url, token });
    const added = await host.core.addRemoteRunner({ url: remote.url, token, name: 'Build server', spki: probe.spki });
    expect((await workstationsOn(remote)).length).toBe(1);
    await app.getByRole('link', { name: 'Build server' }).click();
    await expect(heading(app, 'Build server')).toBeFocused();
    await expect(app).toHaveURL(new RegExp(`#/runners/${added.id}$`));

    // Rename: the API's validation shows next to the field.
    await app.getByRole('button', { name: 'Rename Build server' }).click();
    const name = app.getByRole('textbox', { name: 'Name' });
    await expect(name).toBeFocused();
    await name.fill('   ');
    await app.getByRole('button', { name: 'Save name' }).click();
    await expect(name).toHaveAttribute('aria-invalid', 'true');
    await expect(name).toHaveAccessibleDescription(/Give the runner a name\./);
    await expectAccessible(app);
    await name.fill('CI runner');
    await name.press('Enter');
    await expect(heading(app, 'CI runner')).toBeVisible();
    await expect(app.getByRole('button', { name: 'Rename CI runner' })).toBeFocused();
    await expect(app.getByRole('status').filter({ hasText: 'Renamed to CI runner.' })).toBeVisible();
    expect((await host.core.listRunners()).map((r) => r.name)).toEqual(['CI runner']);

    // Remove through the dialog: Escape cancels and focus comes back.
    const removeButton = app.getByRole('button', { name: 'Remove runner…' });
    await removeButton.click();
    const dialog = app.getByRole('dialog', { name: 'Remove CI runner?' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toHaveAccessibleDescription(/The runner’s stored tokens and keys for this workstation will be deleted\./);
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await expectAccessibleInBothSchemes(app);
    await app.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(removeButton).toBeFocused();
    expect(await host.core.listRunners()).toHaveLength(1);

    await removeButton.click();
    await dialog.getByRole('button', { name: 'Remove runner' }).click();
    await expect(heading(app, 'Runners')).toBeFocused();
    await expect(app.getByRole('status').filter({ hasText: 'CI runner was removed, with the tokens and keys it stored for this workstation.' })).toBeVisible();
    await expect(app.getByRole('heading', { name: 'No runners yet' })).toBeVisible();
    await expectAccessible(app);
    // And then they are: the app forgot it, and the runner deleted this workstation.
    expect(await host.core.listRunners()).toEqual([]);
    expect(await workstationsOn(remote)).toEqual([]);
  });

  test('a used registration token is refused next to its field', async ({ app, host }) => {
    const used = await remote.createToken();
    const probe = await host.core.probeRemoteRunner({ url: remote.url, token: used });
    await host.core.addRemoteRunner({ url: remote.url, token: used, name: 'First', spki: probe.spki });
    await host.core.removeRunner({ id: (await host.core.listRunners())[0]!.id });

    await app.goto(new URL("#/runners/add", host.url).href);
    await app.getByRole('textbox', { name: 'Runner URL' }).fill(remote.url);
    const token = app.getByRole('textbox', { name: 'Registration token' });
    await token.fill(used);
    await app.getByRole('button', { name: 'Check runner' }).click();
    await expect(token).toBeFocused();
    await expect(token).toHaveAttribute('aria-invalid', 'true');
    await expect(token).toHaveAccessibleDescription(/used/i);
    await expectAccessible(app);
  });

  test('an offline runner shows why, and can still be removed from Paddock', async ({ app, host }) => {
    const token = await remote.createToken();
    const probe = await host.core.probeRemoteRunner({ url: remote.url, token });
    const added = await host.core.addRemoteRunner({ url: remote.url, token, name: 'Build server', spki: probe.spki });
    await expect(app.getByRole('listitem').getByText('Status: Online')).toBeVisible();
    await remote.stop();

    // Live: the list turns Offline by itself, says why and offers "Check now".
    const item = app.getByRole('listitem').filter({ hasText: 'Build server' });
    // Within a heartbeat (1 s here) and, if one was on its way when the runner stopped, its deadline (5 s).
    await expect(item.getByText('Status: Offline')).toBeVisible({ timeout: 15_000 });
    await expect(item.getByText(/Cannot reach the runner/)).toBeVisible();
    // No red failure for a runner that is only out of reach; "Check now" is in its settings, the card's one link leads there.
    await expect(item.locator('.badge-failed, .runner-message-failed')).toHaveCount(0);
    await expect(item.getByRole('button')).toHaveCount(0);
    await expectAccessibleInBothSchemes(app);

    await app.goto(new URL(`#/runners/${added.id}`, host.url).href);
    await expect(heading(app, 'Build server')).toBeVisible();
    await expect(app.getByText('Status: Offline')).toBeVisible();
    await expect(app.getByRole('button', { name: 'Check now' })).toHaveAccessibleDescription('Asks the runner for its status now. Paddock also asks it every few seconds by itself.');
    await app.getByRole('button', { name: 'Check now' }).click();
    await expect(app.getByText('Status: Offline')).toBeVisible();

    await app.getByRole('button', { name: 'Remove runner…' }).click();
    const dialog = app.getByRole('dialog', { name: 'Remove Build server?' });
    await dialog.getByRole('button', { name: 'Remove runner' }).click();
    await expect(dialog.getByRole('alert')).toContainText('could not delete what it stores for this workstation');
    await expectAccessible(app);
    await dialog.getByRole('button', { name: 'Remove from Paddock anyway' }).click();
    await expect(app.getByRole('status').filter({ hasText: 'what it keeps for this workstation is still on the server' })).toBeVisible();
    await expect(app.getByRole('heading', { name: 'No runners yet' })).toBeVisible();
    expect(await host.core.listRunners()).toEqual([]);
  });
});

test.describe('with the local runner', () => {
  test.use({ localRunner: true });

  test('lists it online with its state in words, and opens its settings', async ({ app, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const item = app.getByRole('listitem').filter({ has: app.getByRole('heading', { name: 'Local runner' }) });
    await expect(item.getByText('Status: Online')).toBeVisible({ timeout: 15_000 });
    await expect(item.getByText('This workstation')).toBeVisible();
    await expect(item.getByRole('definition').last()).toHaveText(/^\d+\.\d+\.\d+/);
    await expect(item.getByRole('definition').first()).toHaveText('No providers');
    await expect(item.locator('time')).toHaveText(/just now|seconds? ago/);
    await expectAccessibleInBothSchemes(app);

    await item.getByRole('link', { name: 'Local runner' }).click();
    await expect(heading(app, 'Local runner')).toBeFocused();
    await expect(app).toHaveURL(/#\/runners\/local$/);
    await expect(app.getByText('Local runner on this workstation')).toBeVisible();
    await expect(app.getByRole('button', { name: 'Restart' })).toHaveAccessibleDescription(/^Stops the local runner and starts it again.*Work under way on it is cancelled/);
    const key = app.getByRole('region', { name: 'Details' }).locator('code.key');
    await expect(key).toHaveText(/^[A-Za-z0-9+/]{43}=$/);
    await atBothSizes(app, 'runner-settings-local');
    await app.getByRole('button', { name: 'Copy the public key' }).click();
    expect(await app.evaluate(() => navigator.clipboard.readText())).toBe(await key.textContent());
    await expectAccessibleInBothSchemes(app);

    await app.getByRole('link', { name: 'Configure repository access' }).click();
    await expect(heading(app, 'Configure repository access')).toBeFocused();
    // One way back to the settings: the back link with the runner's name.
    await expect(app.getByRole('link', { name: 'Go to the runner’s settings' })).toHaveCount(0);
    await app.getByRole('main').getByRole('link', { name: 'Local runner' }).click();
    await expect(heading(app, 'Local runner')).toBeFocused();
  });

  test('Restart shows the runner starting with a spinner, then online, and never offline or failed in between', async ({ app }) => {
    await app.getByRole('link', { name: 'Local runner' }).click();
    const status = app.getByRole('region', { name: 'Status' });
    await expect(status.getByText('Status: Online')).toBeVisible({ timeout: 15_000 });
    // Every state the badge shows from the click on.
    await app.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seenStates: string[] }).seenStates = seen;
      const region = document.querySelector('[aria-labelledby="runner-health"]')!;
      new MutationObserver(() => {
        const badge = region.querySelector('.badge')?.className ?? '';
        if (seen.at(-1) !== badge) seen.push(badge);
      }).observe(region, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await app.getByRole('button', { name: 'Restart' }).click();
    await expect(status.getByRole('status').filter({ hasText: 'Status: Starting…' })).toBeVisible();
    // To look at, at once (the runner is soon online again): the status panel alone.
    if (process.env.SCREENSHOTS) await status.screenshot({ path: `${process.env.SCREENSHOTS}/runner-status-starting.png` });
    await expect(status.locator('.badge-starting .spinner')).toBeAttached();
    await expectAccessible(app);
    await expect(status.getByText('Status: Online')).toBeVisible({ timeout: 15_000 });
    const seen = await app.evaluate(() => (window as unknown as { seenStates: string[] }).seenStates);
    expect(seen).toContain('badge badge-starting');
    expect(seen.filter((badge) => badge !== 'badge badge-starting' && badge !== 'badge badge-online')).toEqual([]);
    await expect(status.locator('.error, [role="alert"]')).toHaveCount(0);
  });

  test('removing it deletes its keys; setting it up again leads on to repository access', async ({ app, host }) => {
    test.setTimeout(30_000);
    await app.getByRole('link', { name: 'Local runner' }).click();
    await expect(app.getByText('Status: Online')).toBeVisible({ timeout: 15_000 });
    const oldKey = (await host.core.getRunner({ id: 'local' })).publicKey;
    expect(oldKey).toBeTruthy();

    await app.getByRole('button', { name: 'Remove runner…' }).click();
    const dialog = app.getByRole('dialog', { name: 'Remove Local runner?' });
    await expect(dialog).toContainText('The runner’s stored tokens and keys for this workstation will be deleted.');
    await expect(dialog).toContainText('deletes its key pair, its data key and every token it keeps');
    await dialog.getByRole('button', { name: 'Remove runner' }).click();
    await expect(app.getByRole('heading', { name: 'No runners yet' })).toBeVisible();
    await expectAccessibleInBothSchemes(app);

    await app.getByRole('button', { name: 'Set up a local runner' }).click();
    await expect(heading(app, 'Configure repository access')).toBeFocused();
    await expect(app).toHaveURL(/#\/runners\/local\/access$/);
    await expect(app.getByRole('status').filter({ hasText: 'Local runner is set up on this workstation.' })).toBeVisible();
    // While it starts, its repository access waits for it: no error, then the empty list.
    await expect(app.getByRole('heading', { name: 'No providers yet' })).toBeVisible({ timeout: 15_000 });
    await expect(app.getByText(/is not running|Could not read/)).toHaveCount(0);
    await app.getByRole('main').getByRole('link', { name: 'Local runner' }).click();
    await expect(app.getByText('Status: Online')).toBeVisible({ timeout: 15_000 });
    // New keys: the old ones were deleted with it.
    await expect.poll(async () => (await host.core.getRunner({ id: 'local' })).publicKey).toMatch(/=$/);
    expect((await host.core.getRunner({ id: 'local' })).publicKey).not.toBe(oldKey);
  });
});

test('unknown runner pages say so and lead back', async ({ app, host }) => {
  await app.goto(new URL("#/runners/remote-gone", host.url).href);
  await expect(heading(app, 'Runner not found')).toBeVisible();
  await expect(app.getByRole('link', { name: 'Runners' }).first()).toHaveAttribute('aria-current', 'page');
  await expectAccessible(app);
  await app.getByRole('main').getByRole('link', { name: 'Runners' }).click();
  await expect(heading(app, 'Runners')).toBeFocused();
});

test('“Add a runner on a server” gives the package’s systemd commands or the container’s, with the server’s name in them', async ({ app, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await app.getByRole('link', { name: 'Add a runner on a server' }).click();
  await expect(heading(app, 'Add a runner on a server')).toBeFocused();
  // Step 1: the server's name goes into the commands (the package under systemd, or the image), each with a Copy button that says "Copied".
  await app.getByRole('textbox', { name: 'Server name' }).fill('build.example.com');
  const systemd = serverCommands('systemd', 'build.example.com');
  for (const command of [systemd.install, ...systemd.start, systemd.fingerprint, systemd.registration]) await expect(app.getByText(command, { exact: true })).toBeVisible();
  await app.getByRole('button', { name: 'Copy the command that gives the service this server’s URL' }).click();
  await expect(app.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
  expect(await app.evaluate(() => navigator.clipboard.readText())).toBe(systemd.start[1]);
  await expect(app.getByRole('textbox', { name: 'Runner URL' })).toHaveValue('https://build.example.com:8443');
  await screenshot(app, 'add-runner-on-a-server-systemd');
  await app.getByRole('radio', { name: /In a container/ }).check();
  const container = serverCommands('container', 'build.example.com');
  await expect(app.getByText(container.start[0]!, { exact: true })).toBeVisible();
  await app.getByRole('button', { name: 'Copy the command that creates a registration token' }).click();
  expect(await app.evaluate(() => navigator.clipboard.readText())).toBe(container.registration);
  await expect(app.getByText(/checkout/)).toHaveCount(0);
  await screenshot(app, 'add-runner-on-a-server-container');
  await expectAccessibleInBothSchemes(app);
  await atBothSizes(app, 'add-runner-step-1');
});

test('the starting spinner turns, and stands still for reduced motion', async ({ app }) => {
  await expect(heading(app, 'Runners')).toBeVisible();
  // The badge of a starting runner, as StateBadge draws it.
  await app.evaluate(() =>
    document.querySelector('main')!.insertAdjacentHTML('beforeend', '<span class="badge badge-starting" role="status"><span class="spinner" aria-hidden="true"></span>Starting…</span>'),
  );
  const spinner = app.locator('main .badge-starting .spinner');
  const animation = () => spinner.evaluate((element) => getComputedStyle(element).animationName);
  await app.emulateMedia({ reducedMotion: 'no-preference' });
  expect(await animation()).toBe('spin');
  await app.emulateMedia({ reducedMotion: 'reduce' });
  expect(await animation()).toBe('none');
  await expectAccessible(app);
});
