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

test('at 800×600 the navigation shows icons only, keeps its links’ names, and nothing scrolls sideways', async ({ app }) => {
  await app.setViewportSize({ width: 800, height: 600 });
  const nav = app.getByRole('navigation', { name: 'Main' });
  for (const screen of screens) {
    const link = nav.getByRole('link', { name: screen.name });
    await expect(link.locator('svg.nav-icon')).toBeVisible();
    // The words are there for screen readers (and the title on hover), not on screen.
    expect(await link.locator('.nav-label').evaluate((label) => label.getBoundingClientRect().width)).toBeLessThanOrEqual(1);
    await expect(link).toHaveAttribute('title', screen.name);
    await link.click();
    await expect(app.getByRole('heading', { level: 1 })).toHaveText(screen.name);
    expect(await app.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
  }
  expect(await nav.evaluate((element) => element.getBoundingClientRect().width)).toBeLessThan(80);
  // The navigation runs the window's full height.
  expect(await nav.evaluate((element) => element.getBoundingClientRect().height >= window.innerHeight)).toBe(true);
  await expectAccessible(app);

  // Wide again: the words are back.
  await app.setViewportSize({ width: 1280, height: 800 });
  expect(await nav.getByRole('link', { name: 'Runners' }).locator('.nav-label').evaluate((label) => label.getBoundingClientRect().width)).toBeGreaterThan(20);
});
