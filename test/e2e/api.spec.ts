import { expect, test } from './fixtures';
import { defaultPreferences } from '../../electron/core/store/schema';

test('window.paddock rejects an invalid argument at arrival with a typed error', async ({ app, host }) => {
  const error = await app.evaluate(async () => {
    try {
      await (window.paddock.updatePreferences as (input: unknown) => Promise<unknown>)({ theme: 'purple' });
      return null;
    } catch (e) {
      const { code, message, issues } = e as { code: string; message: string; issues: unknown };
      return { code, message, issues };
    }
  });
  expect(error).toMatchObject({ code: 'invalid-input', issues: [{ path: 'theme' }] });
  expect(error?.message).toContain('theme');
  expect(host.store.get('preferences')).toEqual(defaultPreferences);
});

test('window.paddock cannot be replaced by page script', async ({ app }) => {
  const replaced = await app.evaluate(() => {
    try {
      (window as unknown as { paddock: unknown }).paddock = {};
    } catch {
      // strict-mode assignment to a read-only property
    }
    return typeof window.paddock.getPreferences;
  });
  expect(replaced).toBe('function');
});

test.describe('with an unreadable settings file', () => {
  test.use({ seedFiles: { 'paddock.json': '{"preferences": {"theme": ' } });

  test('moves it aside, says so, and lets the user dismiss the notice', async ({ app, host }) => {
    const notice = app.getByRole('alert').filter({ hasText: 'could not read its settings file' });
    await expect(notice).toBeVisible();
    await expect(notice).toContainText(host.dataDir);
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await expect(notice).toHaveCount(0);
  });
});
