// @vitest-environment happy-dom
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRef } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { Environment, MethodInput, PaddockApi } from '../../../../electron/common/api';
import { PaddockError } from '../../../../electron/common/errors';
import { EnvironmentsScreen } from '../../../../renderer/src/screens/EnvironmentsScreen';
import { remoteFolder, remoteSshLink, shellQuote, sshCommand, sshServer } from '../../../../renderer/src/screens/environments/remote';
import { expectNoAxeViolations } from './axe';
// Its cleanup after each test.
import './dom';
import { eventHub, fakeApi, localRunner, remoteRunner, runnerKeys } from './fixtures';

const keys = runnerKeys();
const local = localRunner(keys.publicKey);
const server = remoteRunner('user', keys.publicKey);

const environment = (overrides: Partial<Environment> = {}): Environment => ({
  id: 'e_0123456789abcdef',
  url: 'https://ghe.example.test/octo/hello/pull/7',
  kind: 'github',
  host: 'https://ghe.example.test',
  organization: null,
  repository: 'octo/hello',
  cloneUrl: 'https://ghe.example.test/octo/hello.git',
  ref: { type: 'pull', number: 7 },
  resolved: { type: 'pull', name: null, number: 7, commit: '0123456789abcdef0123456789abcdef01234567' },
  subPath: null,
  depth: 'full',
  tokenId: null,
  path: '/home/alice/Paddock/hello',
  state: 'ready',
  jobId: null,
  error: null,
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
  runnerId: 'local',
  runnerName: 'Local runner',
  ...overrides,
});

function setup(environments: Environment[], methods: Partial<PaddockApi> = {}) {
  const hub = eventHub();
  const api = fakeApi({
    listEnvironments: async () => ({ environments, unavailable: [] }),
    listRunners: async () => [local, server],
    onRunnersChanged: hub.onRunnersChanged,
    onJobEvent: hub.onJobEvent,
    desktopEditor: async () => ({ name: 'Visual Studio Code' }),
    listEnvironmentRequests: async () => [],
    onEnvironmentRequestsChanged: () => () => {},
    ...methods,
  });
  render(<EnvironmentsScreen api={api} headingRef={createRef()} />);
  return { user: userEvent.setup(), hub };
}

describe('EnvironmentsScreen: opening a local environment', () => {
  it('offers Open folder, Open in the editor by its name and Open terminal, and asks the core by id only', async () => {
    const openEnvironment = vi.fn(async (_input: MethodInput<'openEnvironment'>) => ({ ok: true as const }));
    const { user } = setup([environment()], { openEnvironment });
    await user.click(await screen.findByRole('button', { name: 'Open folder: octo/hello' }));
    expect(await screen.findByText('Opened the folder of octo/hello.')).toBeTruthy();
    await user.click(await screen.findByRole('button', { name: 'Open in Visual Studio Code: octo/hello' }));
    expect(await screen.findByText('Opened octo/hello in Visual Studio Code.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Open terminal: octo/hello' }));
    expect(await screen.findByText('Opened a terminal in octo/hello.')).toBeTruthy();
    // The renderer names the environment, never a path.
    expect(openEnvironment.mock.calls.map(([input]) => input)).toEqual([
      { runnerId: 'local', id: 'e_0123456789abcdef', target: 'folder' },
      { runnerId: 'local', id: 'e_0123456789abcdef', target: 'editor' },
      { runnerId: 'local', id: 'e_0123456789abcdef', target: 'terminal' },
    ]);
    expect(screen.queryByText(/ssh/)).toBeNull();
    await expectNoAxeViolations(document.body);
  });

  it('says which sub-folder opens when the URL named one', async () => {
    setup([environment({ subPath: 'docs/guide' })]);
    const folder = await screen.findByText('/home/alice/Paddock/hello');
    expect(folder.closest('p')!.textContent).toContain('opens at docs/guide');
  });

  it('without an editor, says the default app opens it', async () => {
    setup([environment()], { desktopEditor: async () => null });
    expect(await screen.findByRole('button', { name: 'Open with default app: octo/hello' })).toBeTruthy();
  });

  it('shows why an opening failed, as a sentence with what to do', async () => {
    const message = 'The folder /home/alice/Paddock/hello of octo/hello is not there any more: it was moved or deleted outside Paddock. Delete this environment and create it again from its URL.';
    const openEnvironment = vi.fn(async () => {
      throw new PaddockError('not-found', message).toData();
    });
    const { user } = setup([environment()], { openEnvironment });
    await user.click(await screen.findByRole('button', { name: 'Open terminal: octo/hello' }));
    expect(await screen.findByText(`Not opened: ${message}`)).toBeTruthy();
    await expectNoAxeViolations(document.body);
  });

  it('offers no opening for an environment that is not ready', async () => {
    setup([environment({ state: 'failed', error: { code: 'not-found', message: 'The repository is gone.' } }), environment({ id: 'e_1123456789abcdef', state: 'cancelled' })]);
    expect(await screen.findByText('The repository is gone.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Open/ })).toBeNull();
  });
});

describe('EnvironmentsScreen: an environment on a server runner', () => {
  it('shows its folder on the server, the ssh command and the VS Code Remote-SSH link, each to copy, and nothing to open here', async () => {
    const { user } = setup([environment({ runnerId: 'remote-1', runnerName: 'Build server', path: '/srv/paddock/environments/alice-laptop/hello', subPath: 'docs' })]);
    const facts = await screen.findByText('Folder on Build server');
    const list = facts.closest('dl')!;
    expect(within(list).getByText('/srv/paddock/environments/alice-laptop/hello')).toBeTruthy();
    const ssh = `ssh -t runner.example.test 'cd /srv/paddock/environments/alice-laptop/hello/docs && exec "$SHELL" -l'`;
    const link = 'vscode://vscode-remote/ssh-remote+runner.example.test/srv/paddock/environments/alice-laptop/hello/docs';
    expect(within(list).getByText(ssh)).toBeTruthy();
    // A POSIX shell's command (cmd.exe would run what follows `&&` here): the label says where to paste it.
    expect(within(list).getByText(ssh).closest('dd')?.previousElementSibling?.textContent).toBe('Terminal (ssh, in bash or zsh)');
    expect(within(list).getByText(link)).toBeTruthy();
    // user-event's clipboard stands in for the system's.
    await user.click(within(list).getByRole('button', { name: 'Copy the ssh command for octo/hello' }));
    expect(await navigator.clipboard.readText()).toBe(ssh);
    await user.click(within(list).getByRole('button', { name: 'Copy the VS Code Remote-SSH link for octo/hello' }));
    expect(await navigator.clipboard.readText()).toBe(link);
    await user.click(within(list).getByRole('button', { name: 'Copy the folder of octo/hello on Build server' }));
    expect(await navigator.clipboard.readText()).toBe('/srv/paddock/environments/alice-laptop/hello');
    expect(screen.queryByRole('button', { name: /^Open/ })).toBeNull();
    await waitFor(() => expect(screen.getAllByText('Copied').length).toBeGreaterThan(0));
    await expectNoAxeViolations(document.body);
  });
});

describe('remote access values', () => {
  it('takes the server’s name from the runner’s address', () => {
    expect(sshServer('https://runner.example.test:8443')).toBe('runner.example.test');
    expect(sshServer('https://[2001:db8::1]:8443/')).toBe('2001:db8::1');
    expect(sshServer(null)).toBeNull();
    expect(sshServer('not a url')).toBeNull();
  });

  it('quotes the folder for the server’s shell and the command for the user’s', () => {
    expect(shellQuote('/srv/a-b_c.d')).toBe('/srv/a-b_c.d');
    expect(shellQuote("it's here")).toBe(`'it'\\''s here'`);
    const command = sshCommand('runner.example.test', "/srv/env/it's $(rm -rf ~) & more");
    expect(command).toBe(`ssh -t runner.example.test 'cd '\\''/srv/env/it'\\''\\'\\'''\\''s $(rm -rf ~) & more'\\'' && exec "$SHELL" -l'`);
  });

  it('encodes the folder in the Remote-SSH link', () => {
    expect(remoteSshLink('runner.example.test', '/srv/my env/#1')).toBe('vscode://vscode-remote/ssh-remote+runner.example.test/srv/my%20env/%231');
    expect(remoteFolder('/srv/env/', 'docs/guide')).toBe('/srv/env/docs/guide');
    expect(remoteFolder('/srv/env', null)).toBe('/srv/env');
  });
});
