// @vitest-environment happy-dom
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRef } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { HostAccess, MethodInput, PaddockApi } from '../../../../electron/common/api';
import type { TokenView } from '../../../../electron/common/runner-api';
import { AccountsScreen } from '../../../../renderer/src/screens/AccountsScreen';
import './dom';
import { eventHub, fakeApi, localRunner, runnerKeys } from './fixtures';

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

const azure: HostAccess = {
  ...ghes,
  host: 'https://dev.azure.com',
  kind: 'azure-devops',
  methods: { oauth: true, pat: true },
  connections: [
    { organization: 'contoso', state: 'connected', source: 'oauth', account: 'alice@contoso.com', expiresAt: inDays(60), tokenId: null, accounts: [] },
    { organization: 'fabrikam', state: 'expiring', source: 'pat', account: 'alice@fabrikam.com', expiresAt: inDays(5), tokenId: null, accounts: [] },
    { organization: 'northwind', state: 'reconnect-needed', source: 'pat', account: 'alice', expiresAt: inDays(-2), tokenId: null, accounts: [] },
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
    ...methods,
  });
  render(<AccountsScreen api={api} headingRef={createRef()} />);
  const emitHosts = (next: HostAccess[]) =>
    act(() => {
      for (const listener of [...listeners]) listener(next);
    });
  return { user: userEvent.setup(), emitHosts };
}

const section = (name: string) => screen.getByRole('region', { name });

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
    const items = within(ado).getAllByRole('listitem');
    expect(items.map((item) => within(item).getByRole('heading').textContent)).toEqual(['contoso', 'fabrikam', 'northwind']);

    const [contoso, fabrikam, northwind] = items as [HTMLElement, HTMLElement, HTMLElement];
    expect(contoso.textContent).toContain('Connected');
    expect(contoso.textContent).toContain('alice@contoso.com');
    expect(contoso.textContent).toContain('OAuth');
    expect(contoso.textContent).toContain('in 2 months');
    // A connected OAuth token: only Log out (no Replace, no button that would do nothing).
    expect(within(contoso).getAllByRole('button').map((b) => b.textContent)).toEqual(['Log out of contoso (https://dev.azure.com)']);

    expect(fabrikam.textContent).toContain('Expires in 5 days');
    expect(fabrikam.textContent).toContain('Personal access token');
    expect(within(fabrikam).getByRole('button', { name: 'Replace token for fabrikam (https://dev.azure.com)' })).toBeTruthy();

    expect(northwind.textContent).toContain('Needs reconnecting');
    expect(northwind.textContent).toContain('Expired2 days ago');
    expect(within(northwind).getByRole('button', { name: 'Replace token for northwind (https://dev.azure.com)' })).toBeTruthy();

    const github = section('GitHub https://ghe.example.test on Local runner');
    expect(github.textContent).toContain('Not connected');
    expect(within(github).getAllByRole('button').map((b) => b.textContent)).toEqual(['Provide a token for https://ghe.example.test']);
  });

  it('opens the token dialog for the host, and shows the connection once the hosts model reports it', async () => {
    const connected: TokenView = {
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
    };
    const connectWithPat = vi.fn(async (_input: MethodInput<'connectWithPat'>) => connected);
    const { user, emitHosts } = setup([ghes], { connectWithPat });
    await user.click(await screen.findByRole('button', { name: 'Provide a token for https://ghe.example.test' }));
    const dialog = screen.getByRole('dialog', { name: 'Provide a personal access token' });
    await user.type(within(dialog).getByLabelText('Personal access token'), 'ghp_simulated');
    await user.click(within(dialog).getByRole('button', { name: 'Connect' }));
    expect(connectWithPat).toHaveBeenCalledWith(expect.objectContaining({ runnerId: 'local', host: ghes.host, organization: null }));
    emitHosts([{ ...ghes, connections: [{ organization: null, state: 'connected', source: 'pat', account: 'octocat', expiresAt: connected.expiresAt, tokenId: null, accounts: [] }] }]);
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    // The button that opened the dialog has gone with the connection: focus lands on the heading, not on nothing.
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1, name: 'Accounts' }));

    const github = section('GitHub https://ghe.example.test on Local runner');
    expect(github.textContent).toContain('Connected');
    expect(github.textContent).toContain('octocat');
    expect(screen.getAllByRole('status').map((s) => s.textContent)).toContain('GitHub is now connected as octocat.');
  });

  it('logs out after confirming, for that organization only', async () => {
    const logOut = vi.fn(async (_input: MethodInput<'logOut'>) => ({ deleted: 1 }));
    const { user, emitHosts } = setup([azure], { logOut });
    await user.click(await screen.findByRole('button', { name: 'Log out of fabrikam (https://dev.azure.com)' }));
    const dialog = screen.getByRole('dialog', { name: 'Log out of fabrikam (https://dev.azure.com)?' });
    // Cancel first: nothing is deleted.
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(logOut).not.toHaveBeenCalled();

    await user.click(screen.getByRole('button', { name: 'Log out of fabrikam (https://dev.azure.com)' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Log out' }));
    expect(logOut).toHaveBeenCalledWith({ runnerId: 'local', host: azure.host, organization: 'fabrikam' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1, name: 'Accounts' }));
    expect(screen.getAllByRole('status').map((s) => s.textContent)).toContain('Logged out of fabrikam (https://dev.azure.com).');

    emitHosts([{ ...azure, connections: azure.connections.map((c) => (c.organization === 'fabrikam' ? { ...c, state: 'none', source: null, account: null, expiresAt: null, tokenId: null, accounts: [] } : c)) }]);
    const fabrikam = within(section('Azure DevOps https://dev.azure.com on Local runner')).getAllByRole('listitem')[1]!;
    expect(fabrikam.textContent).toContain('Not connected');
    expect(within(fabrikam).getByRole('button', { name: 'Provide a token for fabrikam (https://dev.azure.com)' })).toBeTruthy();
  });
});
