import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { defaultPreferences } from '../../electron/core/store/schema';
import { expect, test } from './fixtures';

const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

test('follows the operating system between light and dark', async ({ app }) => {
  await app.emulateMedia({ colorScheme: 'light' });
  expect(await background(app)).toBe('rgb(255, 255, 255)');
  await app.emulateMedia({ colorScheme: 'dark' });
  expect(await background(app)).toBe('rgb(22, 24, 29)');
});

test('a theme chosen in Settings overrides the OS and is kept in the store', async ({ app, host }) => {
  await app.emulateMedia({ colorScheme: 'light' });
  await app.getByRole('link', { name: 'Settings' }).click();
  await app.getByRole('radio', { name: /^Dark/ }).check();
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await background(app)).toBe('rgb(22, 24, 29)');

  const stored = JSON.parse(fs.readFileSync(path.join(host.dataDir, 'paddock.json'), 'utf8'));
  expect(stored.preferences).toEqual({ ...defaultPreferences, theme: 'dark' });

  await app.reload();
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
  await app.getByRole('link', { name: 'Settings' }).click();
  await expect(app.getByRole('radio', { name: /^Dark/ })).toBeChecked();
  await app.getByRole('radio', { name: /Match the system/ }).check();
  await expect(app.locator('html')).not.toHaveAttribute('data-theme', /.*/);
});

test('shows the app version and API version', async ({ app }) => {
  await app.getByRole('link', { name: 'Settings' }).click();
  await expect(app.getByText('App API version')).toBeVisible();
  await expect(app.getByText('Web host (development and tests)')).toBeVisible();
});
