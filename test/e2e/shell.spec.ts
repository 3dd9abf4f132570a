import { expect, expectAccessible, test } from './fixtures';

const screens = [
  { name: 'Runners', empty: 'No runners yet' },
  { name: 'Environments', empty: 'No environments yet' },
  { name: 'Accounts', empty: 'No hosts yet' },
  { name: 'Settings', empty: null },
] as const;

test('opens on Runners with a real empty state', async ({ app }) => {
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Runners');
  await expect(app.getByRole('heading', { name: 'No runners yet' })).toBeVisible();
  await expect(app.getByRole('link', { name: 'Runners' })).toHaveAttribute('aria-current', 'page');
  await expect(app).toHaveTitle('Runners — Paddock');
});

test('navigates between screens with the mouse, and back with history', async ({ app }) => {
  for (const screen of screens) {
    await app.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: screen.name }).click();
    await expect(app.getByRole('heading', { level: 1 })).toHaveText(screen.name);
    if (screen.empty) await expect(app.getByRole('heading', { name: screen.empty })).toBeVisible();
  }
  await app.goBack();
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Accounts');
});

test('is fully usable from the keyboard', async ({ app }) => {
  // First Tab: the skip link; it moves focus to the screen heading.
  await app.keyboard.press('Tab');
  await expect(app.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(app.getByRole('heading', { level: 1 })).toBeFocused();

  await app.reload();
  await app.keyboard.press('Tab'); // skip link
  await app.keyboard.press('Tab'); // Runners
  await app.keyboard.press('Tab'); // Environments
  await expect(app.getByRole('link', { name: 'Environments' })).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(app.getByRole('heading', { level: 1, name: 'Environments' })).toBeFocused();

  await app.keyboard.press('Shift+Tab'); // back from the heading into the navigation's last link
  await expect(app.getByRole('link', { name: 'Settings' })).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(app.getByRole('heading', { level: 1, name: 'Settings' })).toBeFocused();

  // Theme radios: Tab into the group, arrows move and select.
  await app.keyboard.press('Tab');
  await expect(app.getByRole('radio', { name: /Match the system/ })).toBeFocused();
  await app.keyboard.press('ArrowDown');
  await expect(app.getByRole('radio', { name: /^Light/ })).toBeChecked();
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'light');
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`every screen passes the accessibility check (${colorScheme})`, async ({ app }) => {
    await app.emulateMedia({ colorScheme });
    for (const screen of screens) {
      await app.getByRole('link', { name: screen.name }).click();
      await expect(app.getByRole('heading', { level: 1 })).toHaveText(screen.name);
      await expectAccessible(app);
    }
  });
}
