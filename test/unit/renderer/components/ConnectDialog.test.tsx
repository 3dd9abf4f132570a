// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { HostAccess, MethodInput, OAuthAttempt, PaddockApi } from '../../../../electron/common/api';
import { PaddockError, type PaddockErrorData } from '../../../../electron/common/errors';
import { providerKinds } from '../../../../electron/common/provider-kind';
import { catalogueEntry, tokenNameInSentence } from '../../../../electron/common/providers';
import type { JobEvent, JobView, TokenView } from '../../../../electron/common/runner-api';
import { ConnectDialog, remaining } from '../../../../renderer/src/screens/accounts/ConnectDialog';
import { lintUiString } from '../../lint/ui-strings';
import { expectNoAxeViolations } from './axe';
import { deferred, descriptionOf, pressEscapeIn } from './dom';
import { eventHub, fakeApi, jobView, localRunner, runnerKeys } from './fixtures';

// The Connect dialog (issue 9 points 3, 4, 6, 7): OAuth followed through
// its job's events as the app API delivers them (faked here, sent by the
// test), Cancel and Escape ending the attempt on the runner, policy errors
// with the setting and the other way, the pasted-address fallback.

const keys = runnerKeys();
const runner = localRunner(keys.publicKey);
const jobId = 'j_oauth0123456789abcdef';

const azure: HostAccess = {
  host: 'https://dev.azure.com',
  kind: 'azure-devops',
  runnerId: 'local',
  runnerName: 'Local runner',
  methods: { oauth: true, pat: true },
  managed: false,
  connections: [
    { organization: 'contoso', state: 'none', source: null, account: null, expiresAt: null, tokenId: null, accounts: [] },
    { organization: 'fabrikam', state: 'none', source: null, account: null, expiresAt: null, tokenId: null, accounts: [] },
  ],
};

const github: HostAccess = {
  ...azure,
  host: 'https://github.com',
  kind: 'github',
  methods: { oauth: true, pat: false },
  connections: [
    {
      organization: null,
      state: 'connected',
      source: 'oauth',
      account: 'octocat',
      expiresAt: null,
      tokenId: 't_00000000000000a1',
      accounts: [{ tokenId: 't_00000000000000a1', account: 'octocat', source: 'oauth', state: 'connected', expiresAt: null, renews: false, inUse: true }],
    },
  ],
};

const token = (overrides: Partial<TokenView> = {}): TokenView => ({
  id: 't_00000000000000b2',
  inUse: true,
  host: azure.host,
  organization: 'contoso',
  method: 'oauth',
  account: 'alice@contoso.com',
  obtainedAt: new Date().toISOString(),
  expiresAt: new Date(Date.now() + 3600_000).toISOString(),
  scopes: ['vso.code_write'],
  state: 'connected',
  ...overrides,
});

const attemptFor = (access: HostAccess, job: JobView = jobView(jobId, { kind: 'oauth-connect' })): OAuthAttempt => ({
  runnerId: access.runnerId,
  job,
  authorizeUrl: 'https://login.microsoftonline.com/tenant/oauth2/v2.0/authorize?client_id=x&state=abc',
  // Past 4 whole minutes, so that the countdown reads "in 4 minutes" however long the test takes to get there.
  expiresAt: new Date(Date.now() + 4 * 60_000 + 50_000).toISOString(),
  callback: 'custom-scheme',
  redirectUri: 'paddock://oauth/callback',
});

function setup(access: HostAccess, organization: string | null, methods: Partial<PaddockApi> = {}) {
  const hub = eventHub();
  const connectOAuth = vi.fn(async (_input: MethodInput<'connectOAuth'>) => attemptFor(access));
  const cancelJob = vi.fn(async (_input: MethodInput<'cancelJob'>) => jobView(jobId, { kind: 'oauth-connect', state: 'cancelled' }));
  const completeOAuth = vi.fn(async (_input: MethodInput<'completeOAuth'>) => ({ matched: false }));
  const api = fakeApi({
    onJobEvent: hub.onJobEvent,
    // The catch-up answer never comes: the events alone drive the dialog.
    getJob: vi.fn(() => deferred<JobView>().promise),
    listRunners: async () => [runner],
    onRunnersChanged: hub.onRunnersChanged,
    connectOAuth,
    cancelJob,
    completeOAuth,
    ...methods,
  });
  const onClose = vi.fn();
  const onConnected = vi.fn();
  const view = render(<ConnectDialog api={api} access={access} organization={organization} runner={runner} onClose={onClose} onConnected={onConnected} />);
  const dialog = screen.getByRole('dialog') as HTMLDialogElement;
  const send = (event: JobEvent) => {
    if (event.type !== 'ping') hub.emitJob({ runnerId: access.runnerId, jobId, event });
  };
  const step = (s: 'exchanging' | 'checking', seq: number) => send({ type: 'progress', jobId, seq, progress: { kind: 'oauth-connect', step: s } });
  const fail = (error: PaddockErrorData) => send({ type: 'end', jobId, outcome: { state: 'failed', error } });
  const status = () => within(dialog).getAllByRole('status')[0]!.textContent;
  return { user: userEvent.setup(), hub, dialog, view, send, step, fail, status, connectOAuth, cancelJob, completeOAuth, onClose, onConnected };
}

const currentStep = (dialog: HTMLElement) => dialog.querySelector('[aria-current="step"]')?.textContent;

describe('ConnectDialog', () => {
  it('names the provider, host and organization, both ways in, and the scopes with why, in the seed’s words for Azure DevOps', async () => {
    const { dialog } = setup(azure, 'contoso');
    expect(dialog.getAttribute('aria-labelledby')).toBeTruthy();
    expect(screen.getByRole('dialog', { name: 'Connect Azure DevOps' })).toBe(dialog);
    expect(dialog.textContent).toContain('https://dev.azure.com');
    expect(dialog.textContent).toContain('Organization: contoso');
    expect(dialog.textContent).toContain(
      'The Code (read and write) scope is required so that the context URL can be parsed, your environment can clone the repository and changes can be pushed.',
    );
    // The resource GUID of the scope is not the user's business.
    expect(dialog.textContent).not.toContain('499b84ac');
    expect(dialog.textContent).toContain('Stay connected');
    expect(dialog.textContent).not.toContain('offline_access');
    expect(within(dialog).getByRole('button', { name: 'Connect' })).toBeTruthy();
    expect(within(dialog).getByRole('button', { name: 'Provide a personal access token' })).toBeTruthy();
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Connect' }));
    await expectNoAxeViolations(dialog);
  });

  it('lets the user choose the organization when the host has several and none was given', async () => {
    const { user, dialog, connectOAuth } = setup(azure, null);
    const select = within(dialog).getByLabelText('Organization') as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).toEqual(['contoso', 'fabrikam']);
    await user.selectOptions(select, 'fabrikam');
    await user.click(within(dialog).getByRole('button', { name: 'Connect' }));
    expect(connectOAuth).toHaveBeenCalledWith({ runnerId: 'local', host: azure.host, organization: 'fabrikam' });
  });

  it('follows the attempt from the browser through exchanging and checking to “is now connected as”', async () => {
    const { user, dialog, step, send, status, connectOAuth, onConnected, onClose } = setup(azure, 'contoso');
    await user.click(within(dialog).getByRole('button', { name: 'Connect' }));
    expect(connectOAuth).toHaveBeenCalledWith({ runnerId: 'local', host: azure.host, organization: 'contoso' });
    expect(status()).toContain('A browser window opened at Azure DevOps. Sign in and allow access; Paddock continues here.');
    expect(currentStep(dialog)).toBe('Waiting for you to allow access in the browser');
    expect(dialog.textContent).toContain('This attempt expires in 4 minutes.');
    const again = within(dialog).getByRole('link', { name: /Open Azure DevOps’s page again/ }) as HTMLAnchorElement;
    expect(again.href).toContain('https://login.microsoftonline.com/');
    expect(within(dialog).getByRole('button', { name: 'Copy the address of Azure DevOps’s page' })).toBeTruthy();
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    await expectNoAxeViolations(dialog);

    step('exchanging', 1);
    expect(currentStep(dialog)).toBe('Getting the token from Azure DevOps');
    step('checking', 2);
    expect(currentStep(dialog)).toBe('Checking the token');
    expect(dialog.textContent).toContain('Getting the token from Azure DevOps (done)');

    send({ type: 'end', jobId, outcome: { state: 'succeeded', result: { kind: 'oauth-connect', token: token() } } });
    expect(status()).toBe('Azure DevOps is now connected as alice@contoso.com for contoso.');
    expect(onConnected).toHaveBeenCalledWith(expect.objectContaining({ account: 'alice@contoso.com' }));
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(onClose).toHaveBeenCalledWith(expect.objectContaining({ id: 't_00000000000000b2' }));
  });

  it('says a new account is now the one in use when another account for the host exists', async () => {
    const { user, dialog, send, status } = setup(github, null);
    await user.click(within(dialog).getByRole('button', { name: 'Connect' }));
    send({
      type: 'end',
      jobId,
      outcome: { state: 'succeeded', result: { kind: 'oauth-connect', token: token({ host: github.host, organization: null, account: 'monalisa', expiresAt: null }) } },
    });
    expect(status()).toBe('GitHub is now connected as monalisa. It is now the account used for new environments on https://github.com.');
  });

  it('Cancel ends the attempt on the runner and says so', async () => {
    const { user, dialog, status, cancelJob, onClose } = setup(azure, 'contoso');
    await user.click(within(dialog).getByRole('button', { name: 'Connect' }));
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(cancelJob).toHaveBeenCalledWith({ runnerId: 'local', jobId });
    expect(status()).toBe('Cancelled. Nothing was connected.');
    expect(within(dialog).getByRole('button', { name: 'Start again' })).toBeTruthy();
    // Still open: the user reads what happened, then closes.
    expect(dialog.open).toBe(true);
    expect(onClose).not.toHaveBeenCalled();
  });

  it('Escape while waiting cancels the attempt rather than leaving it running', async () => {
    const { user, dialog, status, cancelJob } = setup(azure, 'contoso');
    await user.click(within(dialog).getByRole('button', { name: 'Connect' }));
    pressEscapeIn(dialog);
    expect(cancelJob).toHaveBeenCalledTimes(1);
    expect(dialog.open).toBe(true);
    expect(status()).toBe('Cancelled. Nothing was connected.');
  });

  it('an attempt still waiting when the dialog goes away is cancelled on the runner', async () => {
    const { user, dialog, view, cancelJob } = setup(azure, 'contoso');
    await user.click(within(dialog).getByRole('button', { name: 'Connect' }));
    view.unmount();
    expect(cancelJob).toHaveBeenCalledWith({ runnerId: 'local', jobId });
  });

  it('a policy block names the setting, links to it and offers a personal access token in the same dialog', async () => {
    const { user, dialog, fail } = setup(azure, 'contoso');
    await user.click(within(dialog).getByRole('button', { name: 'Connect' }));
    fail({
      code: 'policy-blocked',
      message: 'The organization contoso does not allow third-party applications to connect through OAuth.',
      detail: {
        setting: 'Organization Settings → Security → Policies → Third-party application access via OAuth',
        settingUrl: 'https://dev.azure.com/contoso/_settings/organizationPolicy',
        providerCode: 'TF400813',
      },
    });
    expect(within(dialog).getByRole('alert').textContent).toBe('The organization contoso does not allow third-party applications to connect through OAuth.');
    expect(dialog.textContent).toContain('Where to change it: Organization Settings → Security → Policies → Third-party application access via OAuth');
    expect((within(dialog).getByRole('link', { name: /Open this setting/ }) as HTMLAnchorElement).href).toBe(
      'https://dev.azure.com/contoso/_settings/organizationPolicy',
    );
    // Starting again would be refused the same way.
    expect(within(dialog).queryByRole('button', { name: 'Start again' })).toBeNull();
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Provide a personal access token instead' }));
    await expectNoAxeViolations(dialog);

    await user.click(within(dialog).getByRole('button', { name: 'Provide a personal access token instead' }));
    expect(within(dialog).getByLabelText('Personal access token')).toBeTruthy();
    expect(dialog.textContent).toContain('Choose this one organization, not “All accessible organizations”.');
  });

  it('offers no token instead when the entry allows OAuth only', async () => {
    const { user, dialog, fail } = setup(github, null);
    await user.click(within(dialog).getByRole('button', { name: 'Connect' }));
    fail({ code: 'policy-blocked', message: 'The organization acme restricts OAuth apps.', detail: { setting: 'Third-party application access policy' } });
    expect(within(dialog).queryByRole('button', { name: /personal access token/ })).toBeNull();
    expect(within(dialog).getByRole('button', { name: 'Close' })).toBeTruthy();
  });

  it('after the 5-minute timeout offers Start again, which starts a new attempt', async () => {
    const { user, dialog, fail, connectOAuth } = setup(github, null);
    await user.click(within(dialog).getByRole('button', { name: 'Connect' }));
    fail({ code: 'timeout', message: 'Nobody allowed access within 5 minutes, so the attempt ended.' });
    expect(within(dialog).getByRole('alert').textContent).toBe('Nobody allowed access within 5 minutes, so the attempt ended.');
    const again = within(dialog).getByRole('button', { name: 'Start again' });
    expect(document.activeElement).toBe(again);
    await user.click(again);
    expect(connectOAuth).toHaveBeenCalledTimes(2);
  });

  it('after a refusal that is not a setting, Start again comes first and a token second', async () => {
    const { user, dialog, fail } = setup(azure, 'contoso');
    await user.click(within(dialog).getByRole('button', { name: 'Connect' }));
    fail({ code: 'timeout', message: 'The browser did not come back from Azure DevOps within 5 minutes.' });
    const again = within(dialog).getByRole('button', { name: 'Start again' });
    expect(document.activeElement).toBe(again);
    expect(again.className).toContain('button-primary');
    expect(within(dialog).getByRole('button', { name: 'Provide a personal access token instead' }).className).not.toContain('button-primary');
  });

  it('shows why the attempt could not start', async () => {
    const connectOAuth = vi.fn(async (): Promise<OAuthAttempt> => {
      throw new PaddockError('runner-unavailable', 'The local runner is not running.');
    });
    const { user, dialog } = setup(github, null, { connectOAuth });
    await user.click(within(dialog).getByRole('button', { name: 'Connect' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('The local runner is not running.');
  });

  it('offers the paste at once when the browser cannot come back by itself (Paddock is not the paddock:// handler)', async () => {
    const closed = setup(github, null);
    await closed.user.click(within(closed.dialog).getByRole('button', { name: 'Connect' }));
    const details = (await within(closed.dialog).findByText('Paste the address you were sent to')).closest('details')!;
    expect(details.open).toBe(false);
    cleanup();

    const connectOAuth = vi.fn(async (): Promise<OAuthAttempt> => ({ ...attemptFor(github), pasteNeeded: true }));
    const open = setup(github, null, { connectOAuth });
    await open.user.click(within(open.dialog).getByRole('button', { name: 'Connect' }));
    const opened = (await within(open.dialog).findByText('Paste the address you were sent to')).closest('details')!;
    expect(opened.open).toBe(true);
    expect(within(open.dialog).getByLabelText('Address from the browser')).toBeDefined();
  });

  it('takes the pasted address back to the attempt, and says clearly when it does not belong to it', async () => {
    const { user, dialog, completeOAuth, step } = setup(azure, 'contoso');
    await user.click(within(dialog).getByRole('button', { name: 'Connect' }));
    await user.click(within(dialog).getByText('Paste the address you were sent to'));
    const field = within(dialog).getByLabelText('Address from the browser') as HTMLInputElement;

    await user.click(within(dialog).getByRole('button', { name: 'Continue' }));
    expect(completeOAuth).not.toHaveBeenCalled();
    expect(descriptionOf(field)).toContain('Paste the whole address');

    await user.type(field, 'paddock://oauth/callback?code=other&state=unknown');
    await user.click(within(dialog).getByRole('button', { name: 'Continue' }));
    expect(completeOAuth).toHaveBeenCalledWith({ url: 'paddock://oauth/callback?code=other&state=unknown' });
    expect(descriptionOf(field)).toContain('This address is not the one for this connection.');
    expect(field.getAttribute('aria-invalid')).toBe('true');

    completeOAuth.mockResolvedValueOnce({ matched: true });
    await user.clear(field);
    await user.type(field, 'paddock://oauth/callback?code=mine&state=ours');
    await user.click(within(dialog).getByRole('button', { name: 'Continue' }));
    expect(field.getAttribute('aria-invalid')).toBeNull();
    step('exchanging', 1);
    expect(currentStep(dialog)).toBe('Getting the token from Azure DevOps');
  });

  it('opens on the token form when the entry allows personal access tokens only', async () => {
    const patOnly: HostAccess = { ...azure, methods: { oauth: false, pat: true } };
    const connectWithPat = vi.fn(async () => token({ method: 'pat' }));
    const { user, dialog, onConnected } = setup(patOnly, 'contoso', { connectWithPat });
    expect(within(dialog).queryByRole('button', { name: 'Connect' })).toBeTruthy();
    await user.type(within(dialog).getByLabelText('Personal access token'), 'pat-value');
    await user.click(within(dialog).getByRole('button', { name: 'Connect' }));
    expect(connectWithPat).toHaveBeenCalledWith(expect.objectContaining({ host: azure.host, organization: 'contoso' }));
    expect(within(dialog).getAllByRole('status')[0]!.textContent).toBe('Azure DevOps is now connected as alice@contoso.com for contoso.');
    expect(onConnected).toHaveBeenCalled();
  });
});

describe('remaining', () => {
  const now = new Date('2026-12-02T12:00:00Z');
  it('says minutes, then seconds in the last minute', () => {
    expect(remaining(new Date('2026-12-02T12:04:30Z'), now)).toBe('in 4 minutes');
    expect(remaining(new Date('2026-12-02T12:00:40Z'), now)).toBe('in 40 seconds');
    expect(remaining(new Date('2026-12-02T12:00:01Z'), now)).toBe('in 1 second');
    expect(remaining(new Date('2026-12-02T11:59:00Z'), now)).toBe('now');
  });
});

describe('ConnectDialog words (issue 12 point 5)', () => {
  it.each(providerKinds.filter((kind) => catalogueEntry(kind).oauth.supported))('%s: offers the provider’s own token, and every sentence keeps the UI-strings rules', (kind) => {
    const host = catalogueEntry(kind).host.default ?? `https://${kind}.example.test`;
    const organization = kind === 'azure-devops' ? 'contoso' : null;
    const access: HostAccess = { ...azure, kind, host, connections: [{ ...azure.connections[0]!, organization }] };
    const { dialog } = setup(access, organization);
    const offer = `Provide ${tokenNameInSentence(catalogueEntry(kind).pat.name, { article: true, short: true })}`;
    expect(within(dialog).getByRole('button', { name: offer })).toBeTruthy();
    expect(dialog.textContent).toContain(`Or ${offer.charAt(0).toLowerCase()}${offer.slice(1)} instead.`);
    const copy = dialog.cloneNode(true) as HTMLElement;
    // Code and the scopes' names (in bold before their reasons: "repo", "account") count as one word.
    for (const code of copy.querySelectorAll('code, .connect-scopes strong')) code.textContent = 'X';
    const sentences = [...copy.querySelectorAll('p, li, h2, h3, label, dt, dd')].map((element) => (element.textContent ?? '').replace(/\s+/g, ' ').trim());
    expect(sentences.flatMap((text) => lintUiString(text).map((violation) => `${violation.rule}: ${text}`))).toEqual([]);
  });
});
