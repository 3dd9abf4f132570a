// @vitest-environment happy-dom
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import type { HostAccess, MethodInput } from '../../../../electron/common/api';
import { PaddockError } from '../../../../electron/common/errors';
import { providerKinds, type ProviderKind } from '../../../../electron/common/provider-kind';
import { catalogueEntry, shortTokenName, tokenNameInSentence } from '../../../../electron/common/providers';
import type { TokenView } from '../../../../electron/common/runner-api';
import { PatDialog } from '../../../../renderer/src/screens/accounts/PatDialog';
import { lintUiString } from '../../lint/ui-strings';
import { deferred, descriptionOf } from './dom';
import { fakeApi, localRunner, runnerKeys } from './fixtures';

const canary = 'canary-PAT-3b9d51e0-must-not-leak';
const keys = runnerKeys();
const runner = localRunner(keys.publicKey);
const runnerUid = runner.runnerUid ?? '';

const ghes: HostAccess = {
  host: 'https://ghe.example.test',
  kind: 'github',
  runnerId: 'local',
  runnerName: 'Local runner',
  methods: { oauth: false, pat: true },
  managed: false,
  connections: [{ organization: null, state: 'none', source: null, account: null, expiresAt: null, tokenId: null, accounts: [] }],
};

const azure: HostAccess = {
  ...ghes,
  host: 'https://dev.azure.com',
  kind: 'azure-devops',
  connections: [{ organization: 'contoso', state: 'none', source: null, account: null, expiresAt: null, tokenId: null, accounts: [] }],
};

const token = (overrides: Partial<TokenView> = {}): TokenView => ({
  id: 't_00000000000000a1',
  inUse: true,
  host: ghes.host,
  organization: null,
  method: 'pat',
  account: 'octocat',
  obtainedAt: '2026-12-02T07:00:00.000Z',
  expiresAt: '2027-01-01T07:00:00.000Z',
  scopes: ['repo', 'workflow'],
  state: 'connected',
  ...overrides,
});

type ConnectInput = MethodInput<'connectWithPat'>;

function setup(access: HostAccess, organization: string | null, connectWithPat = vi.fn(async (_input: ConnectInput) => token())) {
  const user = userEvent.setup();
  const onClose = vi.fn();
  render(<PatDialog api={fakeApi({ connectWithPat })} access={access} organization={organization} runner={runner} onClose={onClose} />);
  const dialog = screen.getByRole('dialog', { name: 'Provide a personal access token' });
  const field = () => within(dialog).getByLabelText('Personal access token') as HTMLInputElement;
  const connect = () => user.click(within(dialog).getByRole('button', { name: /^Connect$|^Checking/ }));
  return { user, dialog, field, connect, connectWithPat, onClose };
}

function expectNotInPage(text: string) {
  expect(document.body.innerHTML).not.toContain(text);
  for (const input of document.querySelectorAll('input')) expect(input.value).not.toContain(text);
}

describe('PatDialog', () => {
  it('links to the pre-filled new-token page and lists name, scopes with reasons and the validity to copy', () => {
    const { dialog } = setup(ghes, null);
    const link = within(dialog).getByRole('link', { name: /new-token page/ }) as HTMLAnchorElement;
    const url = new URL(link.href);
    expect(url.origin + url.pathname).toBe('https://ghe.example.test/settings/tokens/new');
    expect(url.searchParams.get('description')).toBe('Paddock (Local runner)');
    expect(url.searchParams.get('scopes')?.split(',')).toContain('repo');
    expect(within(dialog).getByRole('button', { name: 'Copy the name' })).toBeTruthy();
    expect(within(dialog).getByRole('button', { name: 'Copy the scope repo' })).toBeTruthy();
    expect(within(dialog).getByRole('button', { name: 'Copy the number of days' })).toBeTruthy();
    expect(dialog.textContent).toContain('30 days');
    expect(dialog.textContent).not.toContain('All accessible organizations');
  });

  it('pre-fills the name and scopes on a self-managed GitLab’s new-token page', () => {
    const gitlab: HostAccess = { ...ghes, host: 'https://gitlab.example.test', kind: 'gitlab' };
    const { dialog } = setup(gitlab, null);
    const url = new URL((within(dialog).getByRole('link', { name: /new-token page/ }) as HTMLAnchorElement).href);
    expect(url.origin + url.pathname).toBe('https://gitlab.example.test/-/user_settings/personal_access_tokens');
    expect(url.searchParams.get('name')).toBe('Paddock (Local runner)');
    expect(url.searchParams.get('scopes')?.split(',')).toEqual(['write_repository', 'read_user']);
    expect(dialog.textContent).toContain('it fills in the name and scopes');
    // The validity is never in the URL: it is among what the user picks, with Copy.
    expect(url.searchParams.has('expires_at')).toBe(false);
    expect(within(dialog).getByRole('button', { name: 'Copy the number of days' })).toBeTruthy();
  });

  it('for Azure DevOps names the one organization to choose, not all of them', () => {
    // Only the clock's date is fixed: the retired global tokens are said relative to it.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(2026, 11, 4, 12));
    onTestFinished(() => void vi.useRealTimers());
    const { dialog } = setup(azure, 'contoso');
    const link = within(dialog).getByRole('link', { name: /new-token page/ }) as HTMLAnchorElement;
    expect(link.href.startsWith('https://dev.azure.com/contoso/')).toBe(true);
    expect(within(dialog).getByRole('button', { name: 'Copy the organization' })).toBeTruthy();
    expect(dialog.textContent).toContain('Choose this one organization, not “All accessible organizations”.');
    // Azure DevOps has no pre-fill: every value is there to copy.
    expect(dialog.textContent).not.toContain('it fills in the name and scopes');
    expect(within(dialog).getByRole('button', { name: 'Copy the scope vso.code_write' })).toBeTruthy();
    expect(dialog.textContent).toMatch(/Global tokens stopped working on [^.]*2026\. Create the token for one organization, not for all accessible organizations\./);
  });

  it('says where to create the token when the catalogue has no page to link to', () => {
    const server: HostAccess = { ...ghes, host: 'https://tfs.example.test/tfs', kind: 'azure-devops-server' };
    const { dialog } = setup(server, null);
    expect(within(dialog).queryByRole('link')).toBeNull();
    expect(dialog.textContent).toContain('On https://tfs.example.test/tfs, open your user settings, then Personal access tokens, and create a new token.');
    expect(within(dialog).getByRole('button', { name: 'Copy the name' })).toBeTruthy();
  });

  it('seals the pasted token for this runner, host and organization; the plaintext is gone from the page once sent', async () => {
    const connectWithPat = vi.fn(async (_input: ConnectInput) => token({ host: azure.host, organization: 'contoso', account: 'alice@contoso.com' }));
    const { user, dialog, field, connect, onClose } = setup(azure, 'contoso', connectWithPat);
    await user.type(field(), canary);
    await connect();

    expect(connectWithPat).toHaveBeenCalledTimes(1);
    const sent = connectWithPat.mock.calls[0]![0];
    expect(sent).toMatchObject({ runnerId: 'local', host: azure.host, organization: 'contoso' });
    expect(sent.sealed).not.toContain(canary);
    expect(keys.openPat(sent.sealed, { runnerId: runnerUid, host: azure.host, organization: 'contoso' })).toEqual({ ok: true, token: canary });
    // Bound: it does not open for another organization or host.
    expect(keys.openPat(sent.sealed, { runnerId: runnerUid, host: azure.host, organization: 'fabrikam' }).ok).toBe(false);
    expectNotInPage(canary);
    expect(within(dialog).getByRole('status').textContent).toBe('Azure DevOps is now connected as alice@contoso.com for contoso.');

    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(onClose).toHaveBeenCalledWith(expect.objectContaining({ account: 'alice@contoso.com' }));
  });

  it('asks for a token before sending anything', async () => {
    const { field, connect, connectWithPat } = setup(ghes, null);
    await connect();
    expect(connectWithPat).not.toHaveBeenCalled();
    expect(descriptionOf(field())).toContain('Paste the token from the provider’s page first.');
  });

  it('shows a refused token or a missing scope next to the field, and asks for the token again', async () => {
    const message = 'The token has no workflow scope, which Paddock needs to push changes to workflow files. Create one with it.';
    const connectWithPat = vi.fn(async (_input: ConnectInput): Promise<TokenView> => {
      throw new PaddockError('invalid-input', message, [{ path: 'token', message }]);
    });
    const { user, dialog, field, connect } = setup(ghes, null, connectWithPat);
    await user.type(field(), canary);
    await connect();
    expect(descriptionOf(field())).toContain(message);
    expect(field().value).toBe('');
    expectNotInPage(canary);
    expect(dialog.textContent).not.toContain('is now connected');

    // The box was not kept: Connect asks for the token again instead of sending the refused one.
    await connect();
    expect(connectWithPat).toHaveBeenCalledTimes(1);
    expect(descriptionOf(field())).toContain('Paste the token');
  });

  it('shows a policy block with the setting that refuses and where it is changed', async () => {
    const connectWithPat = vi.fn(async (_input: ConnectInput): Promise<TokenView> => {
      throw new PaddockError('policy-blocked', 'The organization contoso does not accept this personal access token.', undefined, {
        setting: 'Restrict personal access token creation',
        settingUrl: 'https://dev.azure.com/contoso/_settings/organizationPolicy',
        providerCode: 'DisablePatCreationPolicyViolation',
      });
    });
    const { user, dialog, field, connect } = setup(azure, 'contoso', connectWithPat);
    await user.type(field(), canary);
    await connect();
    expect(within(dialog).getByRole('alert').textContent).toContain('does not accept this personal access token');
    expect(dialog.textContent).toContain('Where to change it: Restrict personal access token creation');
    expect((within(dialog).getByRole('link', { name: /Open this setting/ }) as HTMLAnchorElement).href).toBe(
      'https://dev.azure.com/contoso/_settings/organizationPolicy',
    );
    expectNotInPage(canary);
  });

  it('says Checking while the runner asks the provider, and Escape does not close it then', async () => {
    const answer = deferred<TokenView>();
    const connectWithPat = vi.fn((_input: ConnectInput) => answer.promise);
    const { user, dialog, field, connect } = setup(ghes, null, connectWithPat);
    await user.type(field(), canary);
    await connect();
    expect(within(dialog).getByRole('button', { name: 'Checking the token…' })).toBeTruthy();
    const cancel = new Event('cancel', { cancelable: true });
    dialog.dispatchEvent(cancel);
    expect(cancel.defaultPrevented).toBe(true);
    answer.reject(new PaddockError('timeout', 'https://ghe.example.test did not answer in time.'));
    expect(await within(dialog).findByRole('alert')).toBeTruthy();
    expect(within(dialog).getByRole('alert').textContent).toBe('https://ghe.example.test did not answer in time.');
  });
});

describe('PatDialog words (issue 12 point 5)', () => {
  const accessFor = (kind: ProviderKind): { access: HostAccess; organization: string | null } => {
    const host = catalogueEntry(kind).host.default ?? `https://${kind}.example.test`;
    const organization = kind === 'azure-devops' ? 'contoso' : null;
    return {
      access: { ...ghes, kind, host, connections: [{ ...ghes.connections[0]!, organization }] },
      organization,
    };
  };

  it.each(providerKinds)('%s: the provider’s token name, and every sentence keeps the UI-strings rules', (kind) => {
    const { access, organization } = accessFor(kind);
    const name = catalogueEntry(kind).pat.name;
    render(<PatDialog api={fakeApi({})} access={access} organization={organization} runner={runner} onClose={vi.fn()} />);
    const dialog = screen.getByRole('dialog', { name: `Provide ${tokenNameInSentence(name, { article: true, short: true })}` });
    expect(within(dialog).getByLabelText(shortTokenName(name))).toBeTruthy();
    const copy = dialog.cloneNode(true) as HTMLElement;
    for (const code of copy.querySelectorAll('code')) code.textContent = 'X';
    const sentences = [...copy.querySelectorAll('p, li, h2, h3, label, dt, dd')].map((element) => (element.textContent ?? '').replace(/\s+/g, ' ').trim());
    expect(sentences.flatMap((text) => lintUiString(text).map((violation) => `${violation.rule}: ${text}`))).toEqual([]);
  });

  it('names Bitbucket’s own tokens: an API token on Bitbucket Cloud', () => {
    const { access } = accessFor('bitbucket-cloud');
    render(<PatDialog api={fakeApi({})} access={access} organization={null} runner={runner} onClose={vi.fn()} />);
    const dialog = screen.getByRole('dialog', { name: 'Provide an API token' });
    expect(within(dialog).getByLabelText('API token')).toBeTruthy();
  });
});
