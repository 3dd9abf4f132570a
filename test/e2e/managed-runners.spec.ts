import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { silentLogger } from '../../electron/core/logger';
import { startRemoteRunner, type RemoteRunnerHandle } from '../helpers/remote-runner';
import { startWebHost, type WebHost } from '../web-host/server';
import { expect, expectAccessibleInBothSchemes, screenshot, test } from './fixtures';

// Managed runners (S7): a runner on a server that the admin policy provisions,
// through the web host with a policy file, against a real runner in remote
// mode. The shared fixture builds its host without a policy, so these tests
// start their own.

/** axe on the page as it is, in light and in dark. */
/** A web host whose admin policy is `policy` (written to a file), and a page on it that must log no errors. */
async function openWithPolicy(page: Page, policy: unknown): Promise<{ host: WebHost; errors: string[] }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-e2e-policy-'));
  const policyFile = path.join(dataDir, 'policy.json');
  fs.writeFileSync(policyFile, JSON.stringify(policy, null, 2));
  const host = await startWebHost({ dataDir, logger: silentLogger, localRunner: false, heartbeatMs: 500, policyFile });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(host.url);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  return { host, errors };
}

/** Uses up a registration token as another workstation would (the runner's own TLS certificate is self-signed). */
async function useToken(remote: RemoteRunnerHandle, token: string) {
  const body = JSON.stringify({ token, name: 'another-workstation' });
  const status = await new Promise<number>((resolve, reject) => {
    const request = https.request(
      `${remote.url}/v1/registration`,
      { method: 'POST', rejectUnauthorized: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
  expect(status).toBe(201);
}

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });

test.describe('a managed runner on a server', () => {
  let remote: RemoteRunnerHandle;
  let host: WebHost | undefined;
  test.beforeEach(async () => {
    remote = await startRemoteRunner();
  });
  test.afterEach(async () => {
    await host?.close();
    host = undefined;
    await remote.stop();
  });

  test('is listed as managed and needing registration, cannot be renamed or removed, and goes online once registered', async ({ page }) => {
    const { runnerId: runnerUid } = JSON.parse(fs.readFileSync(path.join(remote.dataDir, 'runner.json'), 'utf8')) as { runnerId: string };
    const opened = await openWithPolicy(page, {
      version: 1,
      runners: [{ id: 'build', name: 'Build server', url: remote.url, spki: remote.spki, publicKey: remote.publicKey, runnerUid }],
      providers: [],
    });
    host = opened.host;

    // The list: "Managed" (with why), "Needs registration" and the way to register.
    const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Build server' }) });
    await expect(item.getByText('Managed', { exact: false })).toBeVisible();
    await expect(item.locator('.badge-managed')).toHaveAttribute('title', 'Set up by your admin’s policy');
    await expect(item.getByText('Needs registration')).toBeVisible();
    await expect(item.getByText(/registration token/)).toBeVisible();
    await expect(item.getByRole('button', { name: /Check now/ })).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'Notices' })).toHaveCount(0);
    await expectAccessibleInBothSchemes(page);

    await screenshot(page, 'runners-list-managed');
    // The card's one link, its name, opens the runner, where it is registered.
    await expect(item.getByRole('link')).toHaveCount(1);
    await item.getByRole('link', { name: 'Build server' }).click();
    await expect(heading(page, 'Build server')).toBeFocused();

    // Settings: no Rename, no Remove; why, said once.
    await expect(page.getByRole('button', { name: /Rename/ })).toHaveCount(0);
    await expect(page.getByRole('button', { name: /Remove/ })).toHaveCount(0);
    await expect(page.getByText(/cannot be renamed or removed here/)).toHaveCount(1);
    await expect(page.getByText(/policy pins the runner’s key/)).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Register this workstation' })).toBeVisible();
    await expectAccessibleInBothSchemes(page);

    // Errors next to the field, focus on it.
    const token = page.getByRole('textbox', { name: 'Registration token' });
    await expect(token).toHaveAccessibleDescription(/starts with prt1_/);
    const register = page.getByRole('button', { name: 'Register', exact: true });
    await register.click();
    await expect(token).toBeFocused();
    await expect(token).toHaveAttribute('aria-invalid', 'true');
    await expect(token).toHaveAccessibleDescription(/Paste the registration token\./);

    // A token another workstation already used: said so, and who to ask.
    const used = await remote.createToken();
    await useToken(remote, used);
    await token.fill(used);
    await register.click();
    await expect(token).toHaveAccessibleDescription(/already used.*Ask your admin/);
    await expect(token).toBeFocused();
    await expect(page.getByText(/already used/)).toBeVisible();
    await expectAccessibleInBothSchemes(page);

    // A fresh token: registered, announced, online; the form goes away.
    await token.fill(await remote.createToken());
    await register.click();
    await expect(page.getByRole('status').filter({ hasText: 'This workstation is registered with Build server.' })).toBeAttached();
    await expect(page.getByText('Online').first()).toBeVisible({ timeout: 10_000 });
    await expect(page.getByRole('heading', { name: 'Status' })).toBeFocused();
    await expect(page.getByRole('heading', { name: 'Register this workstation' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: /Remove/ })).toHaveCount(0);
    await expectAccessibleInBothSchemes(page);

    // The list follows (onRunnersChanged): online, still managed, nothing to register.
    await page.getByRole('link', { name: 'Runners' }).first().click();
    await expect(item.getByText('Online')).toBeVisible();
    await expect(item.locator('.badge-managed')).toBeVisible();
    await expect(item.getByText('Needs registration')).toHaveCount(0);
    await expect(item.getByText(/registration token/)).toHaveCount(0);
    await expectAccessibleInBothSchemes(page);

    expect(opened.errors).toEqual([]);
  });
});

test('a policy with an invalid runner entry: a notice names its JSON path, the entry is ignored', async ({ page }) => {
  const { host, errors } = await openWithPolicy(page, {
    version: 1,
    runners: [
      {
        id: 'build',
        name: 'Build server',
        url: 'http://runner.example.com:8443',
        spki: 'sha256/BiOhglMXW34xZLpPDPkrTDB5JesaFxypZQQbMBZ0WIA=',
        publicKey: '+xGWqCjUD4yQtfIze4DZQAsl7dgaGIqsLvwowfXOB3U=',
        runnerUid: 'r_78337c77-1690-4f7c-8687-a8e0a77b1c51',
      },
    ],
    providers: [],
  });
  try {
    const notices = page.getByRole('region', { name: 'Notices' });
    await expect(notices.getByRole('alert')).toContainText('runners[0].url');
    await expect(page.getByRole('heading', { name: 'No runners yet' })).toBeVisible();
    await expectAccessibleInBothSchemes(page);
    expect(errors).toEqual([]);
  } finally {
    await host.close();
  }
});
