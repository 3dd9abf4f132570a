// @vitest-environment happy-dom
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import type { SaveProviderResult } from '../../../../electron/common/api';
import { PaddockError } from '../../../../electron/common/errors';
import type { ProviderInput, ProviderView } from '../../../../electron/common/provider-config';
import { providerKinds, type ProviderKind } from '../../../../electron/common/provider-kind';
import { catalogueEntry } from '../../../../electron/common/providers';
import { ProviderDialog } from '../../../../renderer/src/screens/runners/ProviderDialog';
import { heldNavigation } from '../../../../renderer/src/leave-guard';
import { expectNoAxeViolations } from './axe';
import { descriptionOf, pressEscapeIn } from './dom';
import { lintUiString } from '../../lint/ui-strings';
import { fakeApi, localRunner, runnerKeys } from './fixtures';

// The provider dialog's rules through the page, with the app API faked: what
// test/unit/renderer/provider-form.test.ts checks as pure functions, here as
// a person meets them (fields, errors next to them, focus, what is sent).

const canary = 'canary-Secret-9a4f2c71-must-not-leak';
const keys = runnerKeys();
const runner = localRunner(keys.publicKey);
const runnerId = runner.runnerUid ?? '';

/** The runner could not reach the provider from here: only warnings, so "Save anyway" goes through. */
const warned: SaveProviderResult = {
  saved: false,
  needsConfirmation: true,
  provider: null,
  validation: { host: [{ level: 'warning', code: 'unreachable', message: 'The runner could not reach https://dev.azure.com.' }], oauth: [], pat: [] },
  deletedTokens: 0,
};

function setup(
  saveProvider = vi.fn(async (_input: { provider: ProviderInput }) => warned),
  options: { initialKind?: ProviderKind; view?: ProviderView; oauth?: boolean } = { initialKind: 'azure-devops', oauth: true },
) {
  const user = userEvent.setup();
  const api = fakeApi({ saveProvider, discoverTenant: vi.fn(async () => ({ tenant: null, message: 'Not found.' })) });
  const onClose = vi.fn();
  const onSaved = vi.fn();
  render(
    <ProviderDialog
      api={api}
      runner={runner}
      view={options.view ?? null}
      {...(options.initialKind ? { initialKind: options.initialKind } : {})}
      onClose={onClose}
      onSaved={onSaved}
    />,
  );
  const dialog = screen.getByRole('dialog', { name: options.view ? `Edit ${catalogueEntry(options.view.kind).displayName}` : 'Add a new provider' });
  if (options.oauth) fireEvent.click(within(dialog).getByRole('switch', { name: 'Enable OAuth' }));
  const sent = (call: number) => {
    const input = saveProvider.mock.calls[call]?.[0];
    if (!input) throw new Error(`saveProvider was called ${saveProvider.mock.calls.length} times.`);
    return input.provider;
  };
  const textbox = (name: string) => within(dialog).getByRole('textbox', { name }) as HTMLInputElement;
  const secret = () => within(dialog).getByLabelText('Client Secret') as HTMLInputElement;
  const save = () => user.click(within(dialog).getByRole('button', { name: 'Save' }));
  return { user, dialog, saveProvider, sent, textbox, secret, save, onClose, onSaved };
}

function expectNotInPage(text: string) {
  expect(document.body.innerHTML).not.toContain(text);
  for (const input of document.querySelectorAll('input')) expect(input.value).not.toContain(text);
}

describe('ProviderDialog', () => {
  it('seals the client secret in the page, asks for it again when the Client ID changes, and never drops the sealed box', async () => {
    const { user, dialog, saveProvider, sent, textbox, secret, save } = setup();
    await user.type(textbox('Organization 1'), 'contoso');
    await user.type(textbox('Client ID'), 'app-1');
    await user.type(secret(), canary);
    await save();

    expect(saveProvider).toHaveBeenCalledTimes(1);
    const change = sent(0).oauth.clientSecret;
    expect(change.action).toBe('replace');
    if (change.action !== 'replace') return;
    const binding = { runnerId, kind: 'azure-devops' as const, host: 'https://dev.azure.com', clientId: 'app-1', tenant: 'organizations' };
    const opened = keys.open(change.sealed, binding);
    expect(opened.ok && opened.envelope.secret).toBe(canary);
    expect(secret().value).toBe('');
    expectNotInPage(canary);
    expect(within(dialog).getByRole('button', { name: 'Save anyway' })).toBeTruthy();

    // Another Client ID: the box no longer fits. Saving asks for the secret instead of sending none.
    await user.clear(textbox('Client ID'));
    await user.type(textbox('Client ID'), 'app-2');
    expect(descriptionOf(secret())).toContain('changed since the secret was sealed: enter it again');
    await save();
    expect(saveProvider).toHaveBeenCalledTimes(1);
    expect(document.activeElement).toBe(secret());
    expect(descriptionOf(secret())).toContain('Enter the Client Secret again: it was sealed for other values.');

    // Back to the values it was sealed for: the same box goes, sealed once.
    await user.clear(textbox('Client ID'));
    await user.type(textbox('Client ID'), 'app-1');
    await save();
    expect(saveProvider).toHaveBeenCalledTimes(2);
    expect(sent(1).oauth.clientSecret).toEqual(change);

    // A new secret for the new Client ID is sealed for it.
    await user.clear(textbox('Client ID'));
    await user.type(textbox('Client ID'), 'app-2');
    await user.type(secret(), `${canary}-2`);
    await save();
    const second = sent(2).oauth.clientSecret;
    if (second.action !== 'replace') throw new Error(`sent ${second.action}`);
    expect(keys.open(second.sealed, { ...binding, clientId: 'app-2' })).toMatchObject({ ok: true, envelope: { secret: `${canary}-2` } });
    expect(keys.open(second.sealed, binding).ok).toBe(false);
    expectNotInPage(canary);
  });

  it('asks for a secret the provider requires, next to its field, before anything is sent', async () => {
    const { user, dialog, saveProvider, textbox, secret, save } = setup();
    await user.selectOptions(within(dialog).getByLabelText('Provider'), 'github');
    await user.type(textbox('Client ID'), 'app-1');
    await save();
    expect(saveProvider).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(secret());
    expect(secret().getAttribute('aria-invalid')).toBe('true');
    expect(descriptionOf(secret())).toContain('GitHub needs the client secret of the OAuth app.');
  });

  it('needs OAuth, a PAT or both; with OAuth off it sends no OAuth settings', async () => {
    const { user, dialog, saveProvider, sent, textbox, save } = setup();
    await user.type(textbox('Organization 1'), 'contoso');
    const oauth = within(dialog).getByRole('switch', { name: 'Enable OAuth' });
    const pat = within(dialog).getByRole('switch', { name: 'Enable Personal Access Token' });
    expect(within(dialog).getByText(/Users create a personal access token/i)).toBeTruthy();

    await user.click(oauth);
    expect(within(dialog).queryByRole('textbox', { name: 'Client ID' })).toBeNull();
    expect(within(dialog).queryByLabelText('Client Secret')).toBeNull();
    await user.click(pat);
    expect(within(dialog).queryByText(/Users create a personal access token/i)).toBeNull();
    const needed = within(dialog).getByText(/Enable OAuth, a Personal Access Token, or both/);
    await save();
    expect(saveProvider).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(needed);

    await user.click(pat);
    await save();
    expect(sent(0).oauth).toEqual({ enabled: false, clientId: null, tenant: null, clientSecret: { action: 'none' } });
    expect(sent(0).pat).toEqual({ enabled: true });
  });

  it('shows the API’s issues next to their fields, counting rows as sent, and the rest above the buttons', async () => {
    const saveProvider = vi.fn(async (_input: { provider: ProviderInput }): Promise<SaveProviderResult> => {
      throw new PaddockError('invalid-input', 'Invalid argument to saveProvider.', [
        // The second row sent: the empty row between is not sent.
        { path: 'provider.organizations.1.name', message: 'This organization name is refused.' },
        { path: 'provider.pat', message: 'Something no field shows.' },
      ]);
    });
    const { user, dialog, textbox, save } = setup(saveProvider);
    await user.click(within(dialog).getByRole('switch', { name: 'Enable OAuth' }));
    await user.type(textbox('Organization 1'), 'contoso');
    await user.click(within(dialog).getByRole('button', { name: 'Add an organization' }));
    await user.click(within(dialog).getByRole('button', { name: 'Add an organization' }));
    expect(document.activeElement).toBe(textbox('Organization 3'));
    await user.keyboard('fabrikam');
    await save();

    expect(saveProvider).toHaveBeenCalledTimes(1);
    expect(saveProvider.mock.calls[0]?.[0].provider.organizations.map((o) => o.name)).toEqual(['contoso', 'fabrikam']);
    expect(document.activeElement).toBe(textbox('Organization 3'));
    expect(descriptionOf(textbox('Organization 3'))).toContain('This organization name is refused.');
    expect(textbox('Organization 1').getAttribute('aria-invalid')).toBeNull();
    expect(within(dialog).getByRole('alert').textContent).toBe('Invalid argument to saveProvider.');

    // Changing the form retires the API's verdict on it.
    await user.type(textbox('Organization 3'), 'x');
    expect(textbox('Organization 3').getAttribute('aria-invalid')).toBeNull();
  });

  it('checks each organization on its own and removes one from the keyboard', async () => {
    const { user, dialog, saveProvider, textbox, save } = setup();
    await user.click(within(dialog).getByRole('switch', { name: 'Enable OAuth' }));
    await user.type(textbox('Organization 1'), 'contoso');
    await user.click(within(dialog).getByRole('button', { name: 'Add an organization' }));
    await user.keyboard('Contoso');
    await save();
    expect(saveProvider).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(textbox('Organization 2'));
    expect(descriptionOf(textbox('Organization 2'))).toContain('The organization Contoso is listed twice.');
    expect(textbox('Organization 1').getAttribute('aria-invalid')).toBeNull();

    within(dialog).getByRole('button', { name: 'Remove organization 2' }).focus();
    await user.keyboard('{Enter}');
    expect(within(dialog).queryByRole('textbox', { name: 'Organization 2' })).toBeNull();
    expect(document.activeElement).toBe(textbox('Organization 1'));
    await save();
    expect(saveProvider).toHaveBeenCalledTimes(1);
  });
});

/** The dialog's sentences as a person reads them: code (scopes, URLs) counts as one word, "X". */
function dialogSentences(dialog: HTMLElement): string[] {
  const copy = dialog.cloneNode(true) as HTMLElement;
  for (const code of copy.querySelectorAll('code')) code.textContent = 'X';
  return [...copy.querySelectorAll('p, li, h2, h3, label, legend, .field-hint')].map((element) => (element.textContent ?? '').replace(/\s+/g, ' ').trim());
}

describe('ProviderDialog words (issue 12 point 5)', () => {
  it.each(providerKinds)('%s: every sentence keeps the UI-strings rules, and no doubt reaches the admin', async (kind) => {
    const { user, dialog } = setup();
    await user.selectOptions(within(dialog).getByLabelText('Provider'), kind);
    const oauth = within(dialog).getByRole('switch', { name: 'Enable OAuth' }) as HTMLInputElement;
    if (!oauth.disabled && !oauth.checked) await user.click(oauth);
    const pat = within(dialog).getByRole('switch', { name: 'Enable Personal Access Token' }) as HTMLInputElement;
    if (!pat.checked) await user.click(pat);

    const sentences = dialogSentences(dialog);
    expect(sentences.length).toBeGreaterThan(5);
    expect(sentences.flatMap((text) => lintUiString(text).map((violation) => `${violation.rule}: ${text}`))).toEqual([]);
    expect(dialog.textContent).not.toMatch(/confirm|not known|\bspec\b|X-OAuth|X-GitHub|X-VSS/i);
  });

  it('keeps the provider’s token names mid-sentence', async () => {
    const { user, dialog } = setup();
    const pat = () => within(dialog).getByRole('switch', { name: 'Enable Personal Access Token' }) as HTMLInputElement;
    await user.selectOptions(within(dialog).getByLabelText('Provider'), 'bitbucket-cloud');
    if (!pat().checked) await user.click(pat());
    expect(dialog.textContent).toContain('Users create an API token on Bitbucket Cloud');
    await user.selectOptions(within(dialog).getByLabelText('Provider'), 'bitbucket-dc');
    expect(dialog.textContent).toContain('Users create an HTTP access token on Bitbucket Data Center');
    await user.selectOptions(within(dialog).getByLabelText('Provider'), 'gitlab');
    expect(dialog.textContent).toContain('Users create a personal access token on GitLab');
  });

  it('says a deadline relative to today: past, today, ahead', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    onTestFinished(() => void vi.useRealTimers());
    const { user, dialog } = setup();
    const pat = () => within(dialog).getByRole('switch', { name: 'Enable Personal Access Token' }) as HTMLInputElement;
    await user.selectOptions(within(dialog).getByLabelText('Provider'), 'bitbucket-cloud');
    if (!pat().checked) await user.click(pat());
    const note = () => within(dialog).getByText(/^App passwords/).textContent;

    vi.setSystemTime(new Date(2026, 11, 4, 12));
    // Re-render: switching the method off and on again draws the notes anew.
    await user.click(pat());
    await user.click(pat());
    expect(note()).toMatch(/^App passwords stopped working on .*2026\. Use API tokens with scopes\.$/);

    vi.setSystemTime(new Date(2026, 5, 9, 8));
    await user.click(pat());
    await user.click(pat());
    expect(note()).toBe('App passwords stop working today. Use API tokens with scopes.');

    vi.setSystemTime(new Date(2026, 5, 4, 8));
    await user.click(pat());
    await user.click(pat());
    expect(note()).toMatch(/^App passwords stop working on .*2026, in 5 days\. Use API tokens with scopes\.$/);
  });
});

describe('ProviderDialog: defaults', () => {
  it('opens on the first provider of the list with Personal Access Tokens on and OAuth off; OAuth reveals its fields', async () => {
    const { user, dialog } = setup(undefined, {});
    expect((within(dialog).getByLabelText('Provider') as HTMLSelectElement).value).toBe('github');
    expect((within(dialog).getByRole('switch', { name: 'Enable Personal Access Token' }) as HTMLInputElement).checked).toBe(true);
    const oauth = within(dialog).getByRole('switch', { name: 'Enable OAuth' }) as HTMLInputElement;
    expect(oauth.checked).toBe(false);
    expect(within(dialog).queryByRole('textbox', { name: 'Client ID' })).toBeNull();
    expect(within(dialog).queryByLabelText('Client Secret')).toBeNull();
    await expectNoAxeViolations(dialog);

    await user.click(oauth);
    expect(within(dialog).getByRole('textbox', { name: 'Client ID' })).toBeTruthy();
    expect(within(dialog).getByLabelText('Client Secret')).toBeTruthy();
    // A new entry shows the guidance open: callback URL and scopes.
    const guidance = within(dialog).getByText(/Setting up the OAuth app: callback URL and scopes/).closest('details');
    expect(guidance?.open).toBe(true);
    await expectNoAxeViolations(dialog);
  });

  it('opens on the provider the screen suggests', () => {
    const { dialog } = setup(undefined, { initialKind: 'gitlab' });
    expect((within(dialog).getByLabelText('Provider') as HTMLSelectElement).value).toBe('gitlab');
    expect((within(dialog).getByRole('textbox', { name: 'Host' }) as HTMLInputElement).value).toBe('https://gitlab.com');
  });

  it('folds the long guidance away once the entry has been saved, and shows its last check', () => {
    const view: ProviderView = {
      kind: 'github',
      host: 'https://github.com',
      organizations: [],
      collections: [],
      oauth: { enabled: true, clientId: 'app-1', tenant: null, secretSet: true },
      pat: { enabled: true },
      managed: false,
      updatedAt: '2025-01-01T00:00:00.000Z',
      lastCheck: null,
    };
    const { dialog } = setup(undefined, { view });
    for (const summary of within(dialog).getAllByText(/^(Setting up|What users create)/)) expect(summary.closest('details')?.open).toBe(false);
    expect(within(dialog).getByText('Not checked yet.')).toBeTruthy();
  });
});

describe('ProviderDialog: the host as it is typed', () => {
  it('says at once, under the field, what is wrong with the host, with the runner’s rules; http:// for a server of one’s own only warns', async () => {
    const { user, dialog, textbox, saveProvider } = setup(undefined, {});
    const host = textbox('Host');
    await user.clear(host);
    await user.type(host, 'not a host');
    expect(host.getAttribute('aria-invalid')).toBe('true');
    expect(descriptionOf(host)).toContain('is not a host or URL');
    expect(within(dialog).queryByText(/Saved as/)).toBeNull();

    await user.clear(host);
    await user.type(host, 'git..example.com');
    expect(descriptionOf(host)).toContain('git..example.com is not a host name');

    await user.clear(host);
    await user.type(host, 'http://git.example.com');
    expect(host.getAttribute('aria-invalid')).toBeNull();
    expect(within(dialog).getByText(/cross the network unencrypted/)).toBeTruthy();

    await user.clear(host);
    await user.type(host, 'http://github.com');
    expect(descriptionOf(host)).toContain('GitHub needs https://');

    await user.clear(host);
    await user.type(host, 'Git.Example.com/');
    expect(host.getAttribute('aria-invalid')).toBeNull();
    expect(within(dialog).getByText(/Saved as/).textContent).toBe('Saved as https://git.example.com');
    // An empty host is only asked for once Save is pressed.
    await user.clear(host);
    expect(host.getAttribute('aria-invalid')).toBeNull();
    expect(saveProvider).not.toHaveBeenCalled();
  });
});

describe('ProviderDialog: what the runner found, where it belongs', () => {
  it('shows a warning under the part it is about, a summary in the footer, and never “fix the errors” when nothing is wrong', async () => {
    const saveProvider = vi.fn(async (_input: { provider: ProviderInput }): Promise<SaveProviderResult> => ({
      ...warned,
      validation: {
        host: [{ level: 'warning' as const, code: 'host-refused', message: 'GitHub at https://github.example.test cannot be reached from this runner: connection refused.' }],
        oauth: [],
        pat: [{ level: 'ok' as const, code: 'pat-token-check', message: 'Users’ tokens will be checked with GET /api/v3/user.' }],
      },
    }));
    const { user, dialog, textbox, save } = setup(saveProvider, {});
    await user.clear(textbox('Host'));
    await user.type(textbox('Host'), 'github.example.test');
    await save();
    const hostChecks = within(dialog).getByRole('list', { name: 'What the runner found: Host' });
    expect(hostChecks.textContent).toContain('cannot be reached');
    expect(within(dialog).getByRole('list', { name: 'What the runner found: Personal Access Token' }).textContent).toContain('GET /api/v3/user');
    // Under Host, before the ways to connect.
    const methods = within(dialog).getByRole('group', { name: 'How users connect' });
    expect(hostChecks.compareDocumentPosition(methods) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    const footer = dialog.querySelector('footer');
    expect(footer?.textContent).toContain('Not saved yet: the runner found 1 warning, under Host.');
    expect(dialog.textContent).not.toMatch(/fix the errors|fix what is marked/);
    expect(document.activeElement?.textContent).toContain('Not saved yet');
    const anyway = within(dialog).getByRole('button', { name: 'Save anyway' });
    expect(descriptionOf(anyway)).toContain('Save anyway to keep the entry as it is');
    await user.click(anyway);
    expect(saveProvider).toHaveBeenLastCalledWith(expect.objectContaining({ confirmWarnings: true, warningsSeen: ['host-refused'] }));
  });
});

describe('ProviderDialog: no lost input', () => {
  it('closes at once when nothing changed', async () => {
    const { user, dialog, onClose } = setup(undefined, {});
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog', { name: 'Discard changes?' })).toBeNull();
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('asks “Discard changes?” for Cancel, the close button and Escape; Keep editing keeps the input', async () => {
    const { user, dialog, textbox, onClose } = setup(undefined, {});
    await user.clear(textbox('Host'));
    await user.type(textbox('Host'), 'github.example.test');

    for (const close of [
      () => user.click(within(dialog).getByRole('button', { name: 'Cancel' })),
      () => user.click(within(dialog).getByRole('button', { name: 'Close' })),
      async () => pressEscapeIn(dialog as HTMLDialogElement),
    ]) {
      await close();
      const ask = screen.getByRole('dialog', { name: 'Discard changes?' });
      expect(ask.textContent).toContain('What you entered for this provider is not saved.');
      await expectNoAxeViolations(ask);
      await user.click(within(ask).getByRole('button', { name: 'Keep editing' }));
      expect(screen.queryByRole('dialog', { name: 'Discard changes?' })).toBeNull();
      expect(onClose).not.toHaveBeenCalled();
      expect(textbox('Host').value).toBe('github.example.test');
    }

    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Discard changes?' })).getByRole('button', { name: 'Discard changes' }));
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('says a typed Client Secret goes too, and keeps nothing of it once discarded', async () => {
    const { user, dialog, secret, onClose } = setup(undefined, { initialKind: 'github' });
    await user.click(within(dialog).getByRole('switch', { name: 'Enable OAuth' }));
    await user.type(secret(), canary);
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    const ask = screen.getByRole('dialog', { name: 'Discard changes?' });
    expect(ask.textContent).toContain('The Client Secret you entered is cleared too.');
    await user.click(within(ask).getByRole('button', { name: 'Discard changes' }));
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('holds navigation away while changed, and goes on once discarded', async () => {
    const { user, textbox, onClose } = setup(undefined, {});
    const here = `${window.location.origin}/#/runners/local/access`;
    const there = `${window.location.origin}/#/settings`;
    expect(heldNavigation(here, there)).toBe(false);
    await user.type(textbox('Host'), 'x');
    window.location.hash = '#/runners/local/access';
    // A link pushed the new address, as the router's hashchange sees it.
    window.location.hash = '#/settings';
    let held = false;
    act(() => {
      held = heldNavigation(here, there);
    });
    expect(held).toBe(true);
    // The history goes back to the page's address while the admin decides (no entry added).
    await waitFor(() => expect(window.location.hash).toBe('#/runners/local/access'));
    const ask = screen.getByRole('dialog', { name: 'Discard changes?' });
    await user.click(within(ask).getByRole('button', { name: 'Discard changes' }));
    expect(onClose).toHaveBeenCalledTimes(1);
    expect(window.location.hash).toBe('#/settings');
  });
});

describe('ProviderDialog: focus', () => {
  it('starts on the first field, not on the close button', () => {
    setup(undefined, {});
    expect(document.activeElement).toBe(screen.getByLabelText('Provider'));
  });
});
