import type { Locator, Page } from '@playwright/test';
import { expect, expectAccessibleInBothSchemes, screenshot, test } from './fixtures';

// The provider dialog as an admin meets it on small and large windows
// (issue 12): it fits the window with Save and Cancel always in view, the
// runner's findings sit under the parts they are about, long values (a
// self-hosted host with a very long URL, failed checks naming it) stay
// inside their cards, a host that cannot be reached is saved once the admin
// accepts the warning, and the entry then says its last check failed.

test.use({ localRunner: true });

const sizes = [
  { width: 800, height: 600 },
  { width: 1280, height: 800 },
] as const;

/** A GitLab server of one's own behind a very long address: nothing answers at it (the name does not resolve). */
const longHost = `https://gitlab.${'a-rather-long-subdomain-name-for-this-server.'.repeat(3)}example.invalid/gitlab/${'relative-root-segment/'.repeat(4)}end`;

/**
 * Elements whose box leaves the dialog, or the card they are in (a check,
 * the guidance, a field, the header and footer): none may. The body scrolls
 * vertically, so only the horizontal edges are compared there; the dialog
 * itself must fit the window.
 */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const dialog = document.querySelector<HTMLDialogElement>('dialog.provider-dialog[open]');
    if (!dialog) return ['no open provider dialog'];
    const problems: string[] = [];
    const box = dialog.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight + 0.5 || box.left < 0 || box.right > window.innerWidth + 0.5) {
      problems.push(`the dialog (${Math.round(box.width)}×${Math.round(box.height)}) does not fit the window ${window.innerWidth}×${window.innerHeight}`);
    }
    const body = dialog.querySelector<HTMLElement>('.dialog-body');
    if (body && body.scrollWidth > body.clientWidth + 1) problems.push(`the body scrolls sideways (${body.scrollWidth} > ${body.clientWidth})`);
    const cards = '.check, .guidance, .field, .inline-warning, .callback-list li, .scope-list li, .dialog-header, .dialog-footer, .section-checks';
    const name = (element: Element) => `${element.tagName.toLowerCase()}${element.className && typeof element.className === 'string' ? `.${element.className.split(' ').join('.')}` : ''} “${(element.textContent ?? '').trim().slice(0, 60)}”`;
    for (const element of dialog.querySelectorAll('*')) {
      const rect = element.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      if (element.closest('.visually-hidden')) continue;
      if (rect.left < box.left - 0.5 || rect.right > box.right + 0.5) problems.push(`${name(element)} leaves the dialog`);
      const card = element.parentElement?.closest(cards);
      if (card) {
        const outer = card.getBoundingClientRect();
        if (rect.left < outer.left - 0.5 || rect.right > outer.right + 0.5) problems.push(`${name(element)} leaves its card ${name(card)}`);
      }
    }
    return problems;
  });
}

/** Save and Cancel are in the window, whatever the body's length. */
async function expectFooterInView(page: Page, dialog: Locator) {
  for (const name of ['Save', 'Cancel']) {
    const button = dialog.getByRole('button', { name, exact: true });
    await expect(button).toBeInViewport({ ratio: 1 });
  }
  expect(await page.evaluate(() => document.querySelector('dialog.provider-dialog .dialog-footer')?.getBoundingClientRect().bottom ?? Infinity)).toBeLessThanOrEqual(
    page.viewportSize()?.height ?? 0,
  );
}

test('the provider dialog fits small and large windows; long results stay in their cards; an unreachable host is saved with a warning', async ({ app, host }) => {
  test.setTimeout(180_000);
  await app.setViewportSize(sizes[0]);
  await app.goto(new URL('#/runners/local/access', host.url).href);
  await expect(app.getByRole('heading', { name: 'No providers yet' })).toBeVisible({ timeout: 20_000 });

  await app.getByRole('button', { name: 'Add a new provider' }).click();
  const dialog = app.getByRole('dialog', { name: 'Add a new provider' });
  // The first provider of the list, Personal Access Tokens on, OAuth off.
  await expect(dialog.getByLabel('Provider')).toHaveValue('github');
  await expect(dialog.getByRole('switch', { name: 'Enable Personal Access Token' })).toBeChecked();
  await expect(dialog.getByRole('switch', { name: 'Enable OAuth' })).not.toBeChecked();
  await expectFooterInView(app, dialog);
  expect(await overflowing(app)).toEqual([]);
  await screenshot(app, 'provider-dialog-new-800x600');

  await dialog.getByLabel('Provider').selectOption({ label: 'GitLab' });
  const hostField = dialog.getByRole('textbox', { name: 'Host', exact: true });
  // Nonsense is refused under the field as it is typed, without a "Saved as" preview.
  await hostField.fill('not a host');
  await expect(hostField).toHaveAttribute('aria-invalid', 'true');
  await expect(hostField).toHaveAccessibleDescription(/is not a host or URL/);
  await expect(dialog.getByText('Saved as')).toHaveCount(0);
  await hostField.fill(longHost);
  await expect(hostField).not.toHaveAttribute('aria-invalid', 'true');
  await dialog.getByRole('switch', { name: 'Enable OAuth' }).check();
  await dialog.getByRole('textbox', { name: 'Client ID', exact: true }).fill(`client-${'0123456789abcdef'.repeat(5)}`);

  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  const saveAnyway = dialog.getByRole('button', { name: 'Save anyway' });
  await expect(saveAnyway).toBeVisible({ timeout: 60_000 });
  // The host that cannot be reached is a warning under Host; the footer says what stands in the way, never "fix the errors".
  const hostFindings = dialog.getByRole('list', { name: 'What the runner found: Host' });
  await expect(hostFindings).toContainText('cannot be reached');
  await expect(dialog.locator('footer')).toContainText(/Not saved yet: the runner found \d+ warnings?, under Host/);
  await expect(dialog).not.toContainText('fix the errors');

  for (const size of sizes) {
    await app.setViewportSize(size);
    await expectFooterInView(app, dialog);
    for (const colorScheme of ['light', 'dark'] as const) {
      await app.emulateMedia({ colorScheme });
      expect(await overflowing(app), `${size.width}×${size.height} ${colorScheme}`).toEqual([]);
    }
    await app.emulateMedia({ colorScheme: null });
    await screenshot(app, `provider-dialog-warnings-${size.width}x${size.height}`);
    // Scrolled to the findings under Host: still inside, footer still in view.
    await hostFindings.scrollIntoViewIfNeeded();
    await expectFooterInView(app, dialog);
    await screenshot(app, `provider-dialog-warnings-scrolled-${size.width}x${size.height}`);
  }
  await expectAccessibleInBothSchemes(app);

  // Saved with what is known: the entry says its last check failed, with Check again.
  await app.setViewportSize(sizes[0]);
  await saveAnyway.click();
  await expect(dialog).toBeHidden({ timeout: 60_000 });
  const entry = app.getByRole('listitem').filter({ has: app.getByRole('heading', { name: /^GitLab / }) });
  await expect(entry).toContainText('Last check failed:');
  await expect(entry.getByRole('button', { name: /^Check again/ })).toBeVisible();
  for (const size of sizes) {
    await app.setViewportSize(size);
    const spill = await app.evaluate(() =>
      [...document.querySelectorAll('.provider-item, .outcome')].flatMap((card) => {
        const outer = card.getBoundingClientRect();
        return [...card.querySelectorAll('*')]
          .filter((element) => {
            const rect = element.getBoundingClientRect();
            return rect.width > 0 && !element.closest('.visually-hidden') && (rect.left < outer.left - 0.5 || rect.right > outer.right + 0.5);
          })
          .map((element) => `${element.tagName.toLowerCase()} “${(element.textContent ?? '').trim().slice(0, 60)}” leaves its card`);
      }),
    );
    expect(spill, `${size.width}×${size.height}`).toEqual([]);
    await screenshot(app, `repository-access-last-check-${size.width}x${size.height}`);
  }
  await expectAccessibleInBothSchemes(app);

  // Editing it: the guidance is folded away; unchanged, Save goes through without asking again.
  await app.getByRole('button', { name: /^Edit GitLab / }).click();
  const edit = app.getByRole('dialog', { name: 'Edit GitLab' });
  await expect(edit.getByText(/^Setting up the OAuth application: callback URL and scopes/)).toBeVisible();
  await expect(edit.locator('details.guidance').first()).not.toHaveAttribute('open', '');
  await expect(edit).toContainText('Last check failed:');
  await app.setViewportSize(sizes[0]);
  expect(await overflowing(app)).toEqual([]);
  await screenshot(app, 'provider-dialog-edit-800x600');
  await edit.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(edit).toBeHidden({ timeout: 60_000 });
  await expect(app.getByRole('heading', { name: /^Saved GitLab / })).toBeFocused();

  // The runner's settings show the entry's last check too, with Check again.
  await app.goto(new URL('#/runners/local', host.url).href);
  const states = app.getByRole('list', { name: 'Providers and their last check' });
  await expect(states).toContainText('Last check failed:', { timeout: 20_000 });
  await expect(states.getByRole('button', { name: /^Check again GitLab / })).toBeVisible();
  await screenshot(app, 'runner-settings-last-check-800x600');
});

test('closing a changed dialog asks “Discard changes?”: Escape, Cancel, the close button', async ({ app, host }) => {
  await app.setViewportSize(sizes[0]);
  await app.goto(new URL('#/runners/local/access', host.url).href);
  await expect(app.getByRole('heading', { name: 'No providers yet' })).toBeVisible({ timeout: 20_000 });
  const add = app.getByRole('button', { name: 'Add a new provider' });
  await add.click();
  const dialog = app.getByRole('dialog', { name: 'Add a new provider' });
  // Unchanged: Escape closes at once.
  await app.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(add).toBeFocused();

  await add.click();
  await dialog.getByRole('textbox', { name: 'Host', exact: true }).fill('ghe.example.test');
  await dialog.getByRole('switch', { name: 'Enable OAuth' }).check();
  await dialog.getByRole('textbox', { name: 'Client ID', exact: true }).fill('app-1');
  await dialog.getByLabel('Client Secret', { exact: true }).fill('typed-secret-value');
  const discard = app.getByRole('dialog', { name: 'Discard changes?' });
  for (const close of [
    () => app.keyboard.press('Escape'),
    () => dialog.getByRole('button', { name: 'Cancel' }).click(),
    () => dialog.getByRole('button', { name: 'Close' }).click(),
  ]) {
    await close();
    await expect(discard).toBeVisible();
    await expect(discard).toContainText('The Client Secret you entered is cleared too.');
    await expect(discard.getByRole('button', { name: 'Keep editing' })).toBeFocused();
    await discard.getByRole('button', { name: 'Keep editing' }).click();
    await expect(discard).toBeHidden();
    await expect(dialog.getByRole('textbox', { name: 'Client ID', exact: true })).toHaveValue('app-1');
  }
  await app.keyboard.press('Escape');
  await expect(discard).toBeVisible();
  await screenshot(app, 'provider-dialog-discard-800x600');
  await expectAccessibleInBothSchemes(app);
  await discard.getByRole('button', { name: 'Discard changes' }).click();
  await expect(dialog).toBeHidden();
  expect(await app.content()).not.toContain('typed-secret-value');

  // Navigating away (the Back key) asks too, and goes on once discarded.
  await add.click();
  await dialog.getByRole('textbox', { name: 'Host', exact: true }).fill('ghe2.example.test');
  await app.evaluate(() => {
    window.location.hash = '#/settings';
  });
  await expect(discard).toBeVisible();
  await expect(app).toHaveURL(/#\/runners\/local\/access$/);
  await discard.getByRole('button', { name: 'Discard changes' }).click();
  await expect(app).toHaveURL(/#\/settings$/);
  await expect(app.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();

  // Closing or reloading the window with unsaved input asks first (the
  // browser's own question here; a native box in Electron). Staying keeps
  // what was typed; with nothing changed the page reloads without asking.
  await app.goto(new URL('#/runners/local/access', host.url).href);
  await add.click();
  await dialog.getByRole('textbox', { name: 'Host', exact: true }).fill('ghe3.example.test');
  const asked: string[] = [];
  app.once('dialog', (question) => {
    asked.push(question.type());
    void question.dismiss();
  });
  await app.reload({ timeout: 3_000 }).catch(() => undefined);
  expect(asked).toEqual(['beforeunload']);
  await expect(dialog.getByRole('textbox', { name: 'Host', exact: true })).toHaveValue('ghe3.example.test');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await discard.getByRole('button', { name: 'Discard changes' }).click();
  await expect(dialog).toBeHidden();
  app.on('dialog', (question) => asked.push(question.type()));
  await app.reload();
  await expect(app.getByRole('button', { name: 'Add a new provider' })).toBeVisible({ timeout: 20_000 });
  expect(asked).toEqual(['beforeunload']);
});

test('a navigation held by “Discard changes?” leaves the history as it was: Keep editing stays, Discard goes on, Back then leads where it did', async ({ app, host }) => {
  await app.goto(new URL('#/runners', host.url).href);
  await expect(app.getByRole('heading', { level: 1, name: 'Runners' })).toBeVisible({ timeout: 20_000 });
  await app.evaluate(() => {
    window.location.hash = '#/runners/local/access';
  });
  const add = app.getByRole('button', { name: 'Add a new provider' });
  await add.click();
  const dialog = app.getByRole('dialog', { name: 'Add a new provider' });
  await dialog.getByRole('textbox', { name: 'Host', exact: true }).fill('ghe4.example.test');
  const discard = app.getByRole('dialog', { name: 'Discard changes?' });

  // Back (a move over an existing entry), kept: the page stays, its address too.
  await app.evaluate(() => window.history.back());
  await expect(discard).toBeVisible();
  await discard.getByRole('button', { name: 'Keep editing' }).click();
  await expect(app).toHaveURL(/#\/runners\/local\/access$/);
  await expect(dialog.getByRole('textbox', { name: 'Host', exact: true })).toHaveValue('ghe4.example.test');

  // A new entry (the tray asking for another screen), discarded: on to Settings; Back then leads to the access page, and Back again to Runners.
  await app.evaluate(() => {
    window.location.hash = '#/settings';
  });
  await expect(discard).toBeVisible();
  await discard.getByRole('button', { name: 'Discard changes' }).click();
  await expect(app.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await app.goBack();
  await expect(app).toHaveURL(/#\/runners\/local\/access$/);
  await app.goBack();
  await expect(app).toHaveURL(/#\/runners$/);
  await expect(app.getByRole('heading', { level: 1, name: 'Runners' })).toBeVisible();
});
