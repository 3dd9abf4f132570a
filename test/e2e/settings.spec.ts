import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import type { Page } from '@playwright/test';
import { silentLogger } from '../../electron/core/logger';
import { startWebHost, type WebHost } from '../web-host/server';
import { expect, expectAccessibleInBothSchemes, screenshot, test } from './fixtures';

// Settings (issue 11, point 5): start at login, the tray, notifications, the
// editor and terminal, and the local runner's network, through the web host's
// stand-in desktop. Each change is saved at once and is still there after a reload.

const openSettings = async (page: Page) => {
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'General' })).toBeVisible();
};
const section = (page: Page, name: string) => page.getByRole('region', { name });
const stored = (host: WebHost) => JSON.parse(fs.readFileSync(path.join(host.dataDir, 'paddock.json'), 'utf8')).preferences;

/** Screenshots at the two window sizes Settings must work at, in light and dark. */
async function screenshots(page: Page, name: string) {
  for (const size of [
    { width: 1280, height: 800 },
    { width: 800, height: 600 },
  ]) {
    await page.setViewportSize(size);
    await screenshot(page, `${name}-${size.width}x${size.height}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

test('each desktop setting is saved as it changes and stays after a reload', async ({ app, host }) => {
  await openSettings(app);
  const general = section(app, 'General');
  const login = general.getByRole('checkbox', { name: 'Start Paddock when you log in' });
  const tray = general.getByRole('checkbox', { name: 'Keep running in the tray when the window is closed' });
  const notifications = general.getByRole('checkbox', { name: 'Show notifications' });
  // A new user's: off, on, on.
  await expect(login).not.toBeChecked();
  await expect(tray).toBeChecked();
  await expect(notifications).toBeChecked();
  await expect(tray).toHaveAccessibleDescription(/Closing the window leaves Paddock running in the tray/);

  await login.check();
  await expect(general.getByRole('status')).toHaveText('Paddock now starts when you log in.');
  expect(host.startsAtLogin).toBe(true);
  await tray.uncheck();
  await expect(general.getByRole('status')).toHaveText('Closing the window now quits Paddock.');
  await expect(tray).toHaveAccessibleDescription(/^Closing the window quits Paddock/);
  await notifications.uncheck();
  await expect(general.getByRole('status')).toHaveText('Notifications are off.');

  const tools = section(app, 'Editor and terminal');
  const editor = tools.getByRole('combobox', { name: 'Code editor' });
  const terminal = tools.getByRole('combobox', { name: 'Terminal' });
  await expect(editor).toHaveValue('auto');
  // Only what this computer has is offered (the stand-in has no Cursor and no Konsole).
  expect(await editor.locator('option').allTextContents()).toEqual(['Automatic (Visual Studio Code)', 'Visual Studio Code', 'VSCodium', "The system's default app for folders"]);
  expect(await terminal.locator('option').allTextContents()).toEqual(['Automatic (GNOME Terminal)', 'GNOME Terminal', 'xterm']);
  await editor.selectOption('vscodium');
  await expect(tools.getByRole('status')).toHaveText('Environments now open in VSCodium.');
  await terminal.selectOption('xterm');
  await expect(tools.getByRole('status')).toHaveText('Terminals now open with xterm.');

  expect(stored(host)).toMatchObject({ startAtLogin: true, keepInTray: false, notifications: false, editor: 'vscodium', terminal: 'xterm' });
  await app.reload();
  await openSettings(app);
  await expect(login).toBeChecked();
  await expect(tray).not.toBeChecked();
  await expect(notifications).not.toBeChecked();
  await expect(editor).toHaveValue('vscodium');
  await expect(terminal).toHaveValue('xterm');

  await login.uncheck();
  await expect(general.getByRole('status')).toHaveText('Paddock no longer starts when you log in.');
  expect(host.startsAtLogin).toBe(false);
  await expectAccessibleInBothSchemes(app);
  await screenshots(app, 'settings');
});

test('an editor chosen before it was uninstalled is named, with what opens instead', async ({ app, host }) => {
  host.store.set('preferences', { ...host.store.get('preferences'), editor: 'cursor' });
  await app.reload();
  await openSettings(app);
  const editor = section(app, 'Editor and terminal').getByRole('combobox', { name: 'Code editor' });
  await expect(editor).toHaveValue('cursor');
  await expect(editor.locator('option:checked')).toHaveText('Cursor (not installed)');
  await expect(editor).toHaveAccessibleDescription(/Cursor is not installed on this computer any more, so Paddock opens Visual Studio Code instead/);
  await editor.selectOption('auto');
  await expect(editor.locator('option', { hasText: 'not installed' })).toHaveCount(0);
  await expectAccessibleInBothSchemes(app);
});

test('the network settings: a wrong proxy is refused under its field and nothing is saved; good ones stay after a reload', async ({ app, host }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-e2e-ca-'));
  const caFile = path.join(dir, 'company-ca.pem');
  fs.writeFileSync(caFile, `${tls.rootCertificates[0]}\n`);
  await openSettings(app);
  const network = section(app, 'Network');
  const proxy = network.getByRole('textbox', { name: 'Proxy', exact: true });
  const noProxy = network.getByRole('textbox', { name: 'Hosts without the proxy' });
  const ca = network.getByRole('textbox', { name: 'Certificate authorities (CA file)' });

  await proxy.fill('ftp://proxy.example.com:21');
  await proxy.press('Enter');
  await expect(network.getByRole('alert')).toHaveText(/The proxy must start with http:\/\/ or https:\/\/, not ftp:\/\//);
  await expect(proxy).toHaveAttribute('aria-invalid', 'true');
  await expect(proxy).toHaveAccessibleDescription(/not ftp:\/\//);
  await expect(proxy).toHaveValue('ftp://proxy.example.com:21');
  expect(stored(host).network).toEqual({ proxy: null, noProxy: null, caFile: null });

  // A user name and password are refused, and not kept anywhere.
  await proxy.fill('http://alice:canary-Pr0xy-pw@proxy.example.com:3128');
  await proxy.blur();
  await expect(network.getByRole('alert')).toHaveText(/Leave the user name and password out of the proxy address/);
  expect(fs.readFileSync(path.join(host.dataDir, 'paddock.json'), 'utf8')).not.toContain('canary-Pr0xy-pw');

  await proxy.fill('http://proxy.example.com:3128');
  await proxy.blur();
  await expect(network.getByRole('status')).toHaveText('Proxy saved. The local runner restarts to use it.');
  await expect(proxy).not.toHaveAttribute('aria-invalid');
  await noProxy.fill('localhost, .corp.example');
  await noProxy.blur();
  await expect(network.getByRole('status')).toHaveText('Hosts without the proxy saved. The local runner restarts to use it.');
  await expect(noProxy).toHaveValue('localhost,.corp.example');

  await ca.fill(path.join(dir, 'missing.pem'));
  await ca.blur();
  await expect(network.getByRole('alert')).toHaveText(`✕ There is no file at ${path.join(dir, 'missing.pem')}.`);
  await ca.fill(caFile);
  await ca.blur();
  await expect(network.getByRole('status')).toHaveText('Certificate authorities (CA file) saved. The local runner restarts to use it.');

  expect(stored(host).network).toEqual({ proxy: 'http://proxy.example.com:3128', noProxy: 'localhost,.corp.example', caFile });
  await app.reload();
  await openSettings(app);
  await expect(proxy).toHaveValue('http://proxy.example.com:3128');
  await expect(noProxy).toHaveValue('localhost,.corp.example');
  await expect(ca).toHaveValue(caFile);

  // Emptying a field removes it.
  await proxy.fill('');
  await proxy.blur();
  await expect(network.getByRole('status')).toHaveText('Proxy removed. The local runner restarts to use it.');
  expect(stored(host).network.proxy).toBeNull();
  await expectAccessibleInBothSchemes(app);
  fs.rmSync(dir, { recursive: true, force: true });
});

test.describe('with an admin policy that sets a proxy', () => {
  let host: WebHost | undefined;
  test.afterEach(async () => {
    await host?.close();
    host = undefined;
  });

  test('its proxy shows read-only with its source and without its password; the rest stays editable; a refused start at login stays off', async ({ page }) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-e2e-settings-policy-'));
    const policyFile = path.join(dataDir, 'policy.json');
    fs.writeFileSync(policyFile, JSON.stringify({ version: 1, network: { proxy: 'http://corp:canary-Policy-pw@proxy.corp.example:8080', noProxy: '.corp.example' } }));
    host = await startWebHost({ dataDir, logger: silentLogger, localRunner: false, policyFile, refuseStartAtLogin: true });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(host.url);
    await openSettings(page);

    const network = section(page, 'Network');
    await expect(network.getByText(`Your admin’s policy (${policyFile}) sets these; they cannot be changed here.`)).toBeVisible();
    await expect(network.locator('.badge-managed')).toBeVisible();
    await expect(network.getByText('http://proxy.corp.example:8080', { exact: true })).toBeVisible();
    await expect(network.getByText('.corp.example', { exact: true })).toBeVisible();
    await expect(network.getByRole('textbox', { name: 'Proxy', exact: true })).toHaveCount(0);
    await expect(network.getByRole('textbox', { name: 'Hosts without the proxy' })).toHaveCount(0);
    await expect(network.getByRole('textbox', { name: 'Certificate authorities (CA file)' })).toBeVisible();
    expect(await page.content()).not.toContain('canary-Policy-pw');

    // The OS refuses: the box goes back to off, with why under it.
    const login = section(page, 'General').getByRole('checkbox', { name: 'Start Paddock when you log in' });
    await login.click();
    await expect(section(page, 'General').getByRole('alert')).toHaveText(/Your computer did not let Paddock start at login/);
    await expect(login).not.toBeChecked();
    expect(host.store.get('preferences').startAtLogin).toBe(false);

    await expectAccessibleInBothSchemes(page);
    await screenshots(page, 'settings-policy');
    expect(errors).toEqual([]);
  });
});
