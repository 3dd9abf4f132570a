// @vitest-environment happy-dom
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRef } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { HostAccess, HostAccount, HostConnection, MethodInput, PaddockApi } from '../../../../electron/common/api';
import type { JobView, TokenView } from '../../../../electron/common/runner-api';
import { AccountsScreen } from '../../../../renderer/src/screens/AccountsScreen';
import { expectNoAxeViolations } from './axe';
import { deferred } from './dom';
import { eventHub, fakeApi, jobView, localRunner, runnerKeys } from './fixtures';

const keys = runnerKeys();
const runner = localRunner(keys.publicKey);
const day = 24 * 3600 * 1000;
/** A little past `days` whole days from now, so the page's floor gives `days` whichever way it is. */
const inDays = (days: number) => new Date(Date.now() + days * day + Math.sign(days) * 3600 * 1000).toISOString();

const ghes: HostAccess = {
  host: 'https://ghe.example.test',
  kind: 'github',
  runnerId: 'local',
  runnerName: 'Local runner',
  methods: { oauth: false, pat: true },
  managed: false,
  connections: [{ organization: null, state: 'none', source: null, account: null, expiresAt: null, tokenId: null, accounts: [] }],
};

const one = (tokenId: `t_${string}`, c: Omit<HostConnection, 'accounts' | 'tokenId'>, renews = false): HostConnection => ({
  ...c,
  tokenId: tokenId as HostConnection['tokenId'],
  accounts:
    c.state === 'none' || !c.source
      ? []
      : [{ tokenId: tokenId as HostAccount['tokenId'], account: c.account, source: c.source, state: c.state, expiresAt: c.expiresAt, renews, inUse: true }],
});

const azure: HostAccess = {
  ...ghes,
  host: 'https://dev.azure.com',
  kind: 'azure-devops',
  methods: { oauth: true, pat: true },
  connections: [
    one('t_00000000000000c1', { organization: 'contoso', state: 'connected', source: 'oauth', account: 'alice@contoso.com', expiresAt: inDays(60) }),
    one('t_00000000000000f1', { organization: 'fabrikam', state: 'expiring', source: 'pat', account: 'alice@fabrikam.com', expiresAt: inDays(5) }),
    one('t_00000000000000d1', { organization: 'northwind', state: 'reconnect-needed', source: 'pat', account: 'alice', expiresAt: inDays(-2) }),
  ],
};

/** github.com with two accounts, the first in use. */
const twoAccounts: HostAccess = {
  ...ghes,
  host: 'https://github.com',
  methods: { oauth: true, pat: true },
  connections: [
    {
      organization: null,
      state: 'connected',
      source: 'oauth',
      account: 'octocat',
      expiresAt: null,
      tokenId: 't_00000000000000a1',
      accounts: [
        { tokenId: 't_00000000000000a1', account: 'octocat', source: 'oauth', state: 'connected', expiresAt: null, renews: false, inUse: true },
        { tokenId: 't_00000000000000a2', account: 'monalisa', source: 'pat', state: 'connected', expiresAt: inDays(20), renews: false, inUse: false },
      ],
    },
  ],
};

function setup(hosts: HostAccess[], methods: Partial<PaddockApi> = {}) {
  const hub = eventHub();
  const listeners = new Set<(hosts: HostAccess[]) => void>();
  const api = fakeApi({
    listHosts: async () => hosts,
    onHostsChanged: (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    listRunners: async () => [runner],
    onRunnersChanged: hub.onRunnersChanged,
    onJobEvent: hub.onJobEvent,
    getJob: vi.fn(() => deferred<JobView>().promise),
    ...methods,
  });
  render(<AccountsScreen api={api} headingRef={createRef()} />);
  const emitHosts = (next: HostAccess[]) =>
    act(() => {
      for (const listener of [...listeners]) listener(next);
    });
  return { user: userEvent.setup(), emitHosts, hub };
}

const section = (name: string) => screen.getByRole('region', { name });

const buttonsIn = (element: HTMLElement) => within(element).getAllByRole('button').map((b) => b.textContent);

const tokenView = (overrides: Partial<TokenView> = {}): TokenView => ({
  id: 't_00000000000000a1',
  inUse: true,
  host: ghes.host,
  organization: null,
  method: 'pat',
  account: 'octocat',
  obtainedAt: new Date().toISOString(),
  expiresAt: inDays(30),
  scopes: ['repo', 'workflow'],
  state: 'connected',
  ...overrides,
});

describe('AccountsScreen', () => {
  it('says what to do when no runner has repository access yet', async () => {
    setup([]);
    await screen.findByRole('heading', { name: 'No hosts yet' });
    expect(screen.getByText(/An admin first adds repository access to a runner/)).toBeTruthy();
  });

  it('shows each organization’s state in words, account, source and expiry, with the actions that fit', async () => {
    setup([azure, ghes]);
    await screen.findByRole('region', { name: 'Azure DevOps https://dev.azure.com on Local runner' });
    const ado = section('Azure DevOps https://dev.azure.com on Local runner');
    const items = within(ado).getAllByRole('listitem').filter((item) => item.classList.contains('connection'));
    expect(items.map((item) => within(item).getAllByRole('heading')[0]!.textContent)).toEqual(['contoso', 'fabrikam', 'northwind']);

    const [contoso, fabrikam, northwind] = items as [HTMLElement, HTMLElement, HTMLElement];
    expect(contoso.textContent).toContain('Connected');
    expect(contoso.textContent).toContain('alice@contoso.com');
    expect(contoso.textContent).toContain('OAuth');
    expect(contoso.textContent).toContain('in 2 months');
    // A connected OAuth token: no Replace, no reminder.
    expect(buttonsIn(contoso)).toEqual([
      'Check contoso (https://dev.azure.com)',
      'Log out of contoso (https://dev.azure.com)',
      'Add another account for contoso (https://dev.azure.com)',
    ]);
    expect(contoso.textContent).not.toContain('This token expires');

    // A personal access token within 7 days of its expiry: the reminder and Replace token.
    expect(fabrikam.textContent).toContain('Expires in 5 days');
    expect(fabrikam.textContent).toContain('Personal access token');
    expect(fabrikam.textContent).toContain('This token expires in 5 days.');
    expect(within(fabrikam).getByRole('button', { name: 'Replace token for fabrikam (https://dev.azure.com)' })).toBeTruthy();

    expect(northwind.textContent).toContain('Needs reconnecting');
    expect(northwind.textContent).toContain('Expired2 days ago');
    expect(northwind.textContent).not.toContain('This token expires');
    expect(within(northwind).getByRole('button', { name: 'Reconnect northwind (https://dev.azure.com)' })).toBeTruthy();

    const github = section('GitHub https://ghe.example.test on Local runner');
    expect(github.textContent).toContain('Not connected');
    expect(buttonsIn(github)).toEqual(['Connect to https://ghe.example.test']);
    await expectNoAxeViolations(document.body);
  });

  it('Connect opens the connect dialog for the host, and shows the connection once the hosts model reports it', async () => {
    const connectWithPat = vi.fn(async (_input: MethodInput<'connectWithPat'>) => tokenView());
    const { user, emitHosts } = setup([ghes], { connectWithPat });
    await user.click(await screen.findByRole('button', { name: 'Connect to https://ghe.example.test' }));
    // This entry allows personal access tokens only: the dialog opens on the token form.
    const dialog = screen.getByRole('dialog', { name: 'Connect GitHub' });
    await user.type(within(dialog).getByLabelText('Personal access token'), 'ghp_simulated');
    await user.click(within(dialog).getByRole('button', { name: 'Connect' }));
    expect(connectWithPat).toHaveBeenCalledWith(expect.objectContaining({ runnerId: 'local', host: ghes.host, organization: null }));
    emitHosts([
      {
        ...ghes,
        connections: [one('t_00000000000000a1', { organization: null, state: 'connected', source: 'pat', account: 'octocat', expiresAt: inDays(30) })],
      },
    ]);
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    // The button that opened the dialog has gone with the connection: focus lands on the heading, not on nothing.
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1, name: 'Accounts' }));

    const github = section('GitHub https://ghe.example.test on Local runner');
    expect(github.textContent).toContain('Connected');
    expect(github.textContent).toContain('octocat');
    expect(screen.getAllByRole('status').map((s) => s.textContent)).toContain('GitHub is now connected as octocat.');
  });

  it('Reconnect opens the connect dialog for that organization; Replace token opens the token dialog', async () => {
    const { user } = setup([azure]);
    await user.click(await screen.findByRole('button', { name: 'Reconnect northwind (https://dev.azure.com)' }));
    const dialog = screen.getByRole('dialog', { name: 'Reconnect Azure DevOps' });
    expect(dialog.textContent).toContain('Organization: northwind');
    expect(within(dialog).getByRole('button', { name: 'Reconnect' })).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Replace token for fabrikam (https://dev.azure.com)' }));
    const replace = screen.getByRole('dialog', { name: 'Replace the personal access token' });
    expect(replace.textContent).toContain('fabrikam');
  });

  it('lists several accounts, marks the one used for new environments, and switches to another', async () => {
    const useToken = vi.fn(async (_input: MethodInput<'useToken'>) => []);
    const { user, emitHosts } = setup([twoAccounts], { useToken });
    const github = await screen.findByRole('region', { name: 'GitHub https://github.com on Local runner' });
    const accounts = within(within(github).getByRole('list', { name: 'Accounts for https://github.com' })).getAllByRole('listitem');
    expect(accounts).toHaveLength(2);
    const [octocat, monalisa] = accounts as [HTMLElement, HTMLElement];
    expect(octocat.textContent).toContain('octocat');
    expect(octocat.textContent).toContain('Used for new environments');
    expect(within(octocat).queryByRole('button', { name: /Use this account/ })).toBeNull();
    expect(monalisa.textContent).toContain('Personal access token');
    expect(monalisa.textContent).not.toContain('Used for new environments');

    await user.click(within(monalisa).getByRole('button', { name: 'Use this account monalisa on https://github.com' }));
    expect(useToken).toHaveBeenCalledWith({ runnerId: 'local', id: 't_00000000000000a2' });
    expect(screen.getAllByRole('status').map((s) => s.textContent)).toContain('monalisa is now used for new environments on https://github.com.');

    const [first, second] = twoAccounts.connections[0]!.accounts as [HostAccount, HostAccount];
    emitHosts([
      {
        ...twoAccounts,
        connections: [{ ...twoAccounts.connections[0]!, tokenId: second.tokenId, accounts: [{ ...second, inUse: true }, { ...first, inUse: false }] }],
      },
    ]);
    const after = within(section('GitHub https://github.com on Local runner')).getAllByRole('listitem').filter((li) => li.classList.contains('account'));
    expect(after[0]!.textContent).toContain('monalisa');
    expect(after[0]!.textContent).toContain('Used for new environments');
    expect(within(after[1]!).getByRole('button', { name: 'Use this account octocat on https://github.com' })).toBeTruthy();
    await expectNoAxeViolations(document.body);
  });

  it('Check runs a token check on the runner and says how it ended', async () => {
    const checkId = 'j_tokencheck0123456789';
    const startJob = vi.fn(async (_input: MethodInput<'startJob'>) => jobView(checkId, { kind: 'token-check' }));
    const { user, hub } = setup([twoAccounts], { startJob });
    await user.click(await screen.findByRole('button', { name: 'Check monalisa on https://github.com' }));
    expect(startJob).toHaveBeenCalledWith({ runnerId: 'local', job: { kind: 'token-check', id: 't_00000000000000a2' } });
    expect(screen.getByRole('button', { name: 'Checking… monalisa on https://github.com' }).getAttribute('aria-disabled')).toBe('true');
    hub.emitJob({
      runnerId: 'local',
      jobId: checkId,
      event: {
        type: 'end',
        jobId: checkId,
        outcome: { state: 'succeeded', result: { kind: 'token-check', refreshed: false, token: tokenView({ id: 't_00000000000000a2', account: 'monalisa', host: 'https://github.com' }) } },
      },
    });
    expect(screen.getAllByRole('status').map((s) => s.textContent)).toContain('Your token for monalisa on https://github.com works.');
    expect(screen.getByText('Your token for monalisa on https://github.com works.').classList.contains('flash-problem')).toBe(false);
    expect(screen.getByRole('button', { name: 'Check monalisa on https://github.com' })).toBeTruthy();

    // A refused token says so.
    await user.click(screen.getByRole('button', { name: 'Check octocat on https://github.com' }));
    hub.emitJob({
      runnerId: 'local',
      jobId: checkId,
      event: { type: 'end', jobId: checkId, outcome: { state: 'failed', error: { code: 'reconnect-needed', message: 'GitHub refused the token of octocat.' } } },
    });
    expect(screen.getAllByRole('status').map((s) => s.textContent)).toContain('GitHub refused the token of octocat.');
    // Shown as a problem to act on, not as a success.
    expect(screen.getByText('GitHub refused the token of octocat.').classList.contains('flash-problem')).toBe(true);
  });

  it('an OAuth connection the runner renews says so instead of its access’s short expiry', async () => {
    const renewing: HostAccess = {
      ...azure,
      connections: [one('t_00000000000000c1', { organization: 'contoso', state: 'connected', source: 'oauth', account: 'alice@contoso.com', expiresAt: new Date(Date.now() + 3600_000).toISOString() }, true)],
    };
    setup([renewing]);
    await screen.findByRole('region', { name: 'Azure DevOps https://dev.azure.com on Local runner' });
    const contoso = section('Azure DevOps https://dev.azure.com on Local runner');
    expect(contoso.textContent).toContain('ExpiresNever while you stay connected: renewed automatically');
    expect(contoso.textContent).not.toContain('in 1 hour');
  });

  it('logs out one account after confirming, by its id', async () => {
    const logOut = vi.fn(async (_input: MethodInput<'logOut'>) => ({ deleted: 1 }));
    const { user } = setup([twoAccounts], { logOut });
    await user.click(await screen.findByRole('button', { name: 'Log out monalisa on https://github.com' }));
    const dialog = screen.getByRole('dialog', { name: 'Log out monalisa from https://github.com?' });
    await user.click(within(dialog).getByRole('button', { name: 'Log out' }));
    expect(logOut).toHaveBeenCalledWith({ runnerId: 'local', host: 'https://github.com', organization: null, id: 't_00000000000000a2' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(screen.getAllByRole('status').map((s) => s.textContent)).toContain('Logged out monalisa from https://github.com.');
  });

  it('logs out after confirming, for that organization only', async () => {
    const logOut = vi.fn(async (_input: MethodInput<'logOut'>) => ({ deleted: 1 }));
    const { user, emitHosts } = setup([azure], { logOut });
    await user.click(await screen.findByRole('button', { name: 'Log out of fabrikam (https://dev.azure.com)' }));
    const dialog = screen.getByRole('dialog', { name: 'Log out alice@fabrikam.com from fabrikam (https://dev.azure.com)?' });
    // Cancel first: nothing is deleted.
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(logOut).not.toHaveBeenCalled();

    await user.click(screen.getByRole('button', { name: 'Log out of fabrikam (https://dev.azure.com)' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Log out' }));
    expect(logOut).toHaveBeenCalledWith({ runnerId: 'local', host: azure.host, organization: 'fabrikam', id: 't_00000000000000f1' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1, name: 'Accounts' }));
    expect(screen.getAllByRole('status').map((s) => s.textContent)).toContain('Logged out alice@fabrikam.com from fabrikam (https://dev.azure.com).');

    emitHosts([
      {
        ...azure,
        connections: azure.connections.map((c) =>
          c.organization === 'fabrikam' ? { ...c, state: 'none', source: null, account: null, expiresAt: null, tokenId: null, accounts: [] } : c,
        ),
      },
    ]);
    const fabrikam = within(section('Azure DevOps https://dev.azure.com on Local runner')).getAllByRole('listitem').filter((li) => li.classList.contains('connection'))[1]!;
    expect(fabrikam.textContent).toContain('Not connected');
    expect(within(fabrikam).getByRole('button', { name: 'Connect to fabrikam (https://dev.azure.com)' })).toBeTruthy();
  });
});
