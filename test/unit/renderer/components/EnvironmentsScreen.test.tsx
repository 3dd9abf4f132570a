// @vitest-environment happy-dom
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRef } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { Environment, EnvironmentCandidate, EnvironmentMatch, HostAccess, MethodInput, PaddockApi } from '../../../../electron/common/api';
import type { JobView, TokenView } from '../../../../electron/common/runner-api';
import { EnvironmentsScreen } from '../../../../renderer/src/screens/EnvironmentsScreen';
import { formatBytes, progressLine } from '../../../../renderer/src/screens/environments/CloneProgress';
import { changesSentence } from '../../../../renderer/src/screens/environments/EnvironmentActions';
import { expectNoAxeViolations } from './axe';
import { deferred, whenEnabled } from './dom';
import { eventHub, fakeApi, jobView, localRunner, runnerKeys } from './fixtures';

const keys = runnerKeys();
const runner = localRunner(keys.publicKey);
const jobId = 'j_clone0123456789abcd';
const url = 'https://ghe.example.test/octo/hello/pull/7';

const candidate = (overrides: Partial<EnvironmentCandidate> = {}): EnvironmentCandidate => ({
  runnerId: 'local',
  runnerName: 'Local runner',
  host: 'https://ghe.example.test',
  organization: null,
  connection: 'connected',
  methods: { oauth: false, pat: true },
  ...overrides,
});

const matched = (candidates: EnvironmentCandidate[], remembered: string | null = null): EnvironmentMatch => ({
  ok: true,
  context: {
    ok: true,
    provider: 'github',
    host: 'https://ghe.example.test',
    owner: 'octo',
    project: null,
    repo: 'hello',
    ref: { type: 'pull', number: 7 },
    path: null,
    refAmbiguous: false,
    cloneUrl: 'https://ghe.example.test/octo/hello.git',
  } as Extract<EnvironmentMatch, { ok: true }>['context'],
  candidates,
  remembered,
  missing: null,
});

const environment = (overrides: Partial<Environment> = {}): Environment => ({
  id: 'e_0123456789abcdef',
  url,
  kind: 'github',
  host: 'https://ghe.example.test',
  organization: null,
  repository: 'octo/hello',
  cloneUrl: 'https://ghe.example.test/octo/hello.git',
  ref: { type: 'pull', number: 7 },
  resolved: null,
  subPath: null,
  depth: 'full',
  tokenId: null,
  path: '/home/alice/paddock/octo-hello',
  state: 'creating',
  jobId,
  error: null,
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
  runnerId: 'local',
  runnerName: 'Local runner',
  ...overrides,
});

const cloneJob = (): JobView => jobView(jobId, { kind: 'environment-clone' });

function setup(methods: Partial<PaddockApi> = {}) {
  const hub = eventHub();
  const api = fakeApi({
    listEnvironments: async () => ({ environments: [], unavailable: [] }),
    listRunners: async () => [runner],
    onRunnersChanged: hub.onRunnersChanged,
    onJobEvent: hub.onJobEvent,
    desktopEditor: async () => ({ name: 'Visual Studio Code' }),
    getJob: vi.fn(() => deferred<JobView>().promise),
    listEnvironmentRequests: async () => [],
    onEnvironmentRequestsChanged: () => () => {},
    ...methods,
  });
  render(<EnvironmentsScreen api={api} headingRef={createRef()} />);
  return { user: userEvent.setup(), hub };
}

async function submit(user: ReturnType<typeof userEvent.setup>, text = url) {
  await user.type(screen.getByLabelText('Repository URL'), text);
  await user.click(screen.getByRole('button', { name: 'Create environment' }));
}

/** The token the runner answers a pasted personal access token with, for GitHub Enterprise Server. */
const connectedToken = (id: string): TokenView => ({
  id,
  inUse: true,
  host: 'https://ghe.example.test',
  organization: null,
  method: 'pat',
  account: 'octocat',
  obtainedAt: new Date().toISOString(),
  expiresAt: null,
  scopes: ['repo'],
  state: 'connected',
});

describe('EnvironmentsScreen: create and follow', () => {
  it('puts a URL the parser cannot read under the field, and focuses it', async () => {
    const { user } = setup({ matchEnvironment: async (): Promise<EnvironmentMatch> => ({ ok: false, error: { code: 'invalid-url', message: 'This is not a repository address.' } }) });
    await screen.findByRole('heading', { name: 'No environments yet' });
    await submit(user, 'hello');
    const field = screen.getByLabelText('Repository URL');
    await waitFor(() => expect(field.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById(field.getAttribute('aria-describedby')!)!.textContent).toBe('This is not a repository address.');
    expect(document.activeElement).toBe(field);
    await expectNoAxeViolations(document.body);
  });

  it('says which setting is missing when no runner has access', async () => {
    const missing = 'No runner has repository access to https://ghe.example.test. Ask your admin to add it in Repository access.';
    const { user } = setup({ matchEnvironment: async () => ({ ...matched([]), missing }) });
    await submit(user);
    const field = screen.getByLabelText('Repository URL');
    await waitFor(() => expect(document.getElementById(field.getAttribute('aria-describedby')!)!.textContent).toBe(missing));
  });

  it('names what will be created, offers the runners with the remembered one chosen, and creates with the choices', async () => {
    const createEnvironment = vi.fn(async (_input: MethodInput<'createEnvironment'>) => ({ environment: environment(), job: cloneJob() }));
    const { user } = setup({
      matchEnvironment: async () => matched([candidate(), candidate({ runnerId: 'build', runnerName: 'Build server' })], 'build'),
      createEnvironment,
    });
    await submit(user);
    const panel = await screen.findByRole('group', { name: 'What will be created' });
    expect(panel.textContent).toContain('octo/hello');
    expect(panel.textContent).toContain('pull request 7');
    expect((within(panel).getByRole('radio', { name: 'Build server' }) as HTMLInputElement).checked).toBe(true);
    // A remembered choice: not asked to remember again.
    expect((within(panel).getByRole('checkbox', { name: 'Remember this runner for https://ghe.example.test' }) as HTMLInputElement).checked).toBe(false);
    expect((within(panel).getByRole('radio', { name: /Full/ }) as HTMLInputElement).checked).toBe(true);
    await expectNoAxeViolations(document.body);
    await user.click(within(panel).getByRole('radio', { name: 'Local runner' }));
    await user.click(within(panel).getByRole('checkbox', { name: /Remember this runner/ }));
    await user.click(within(panel).getByRole('radio', { name: /Shallow/ }));
    await user.click(await whenEnabled(within(panel).getByRole('button', { name: 'Create' })));
    expect(createEnvironment).toHaveBeenCalledWith({ runnerId: 'local', url, tokenId: null, depth: 'shallow', remember: true });
  });

  it('connects first when the runner has no account for the host, then creates by itself; Cancel creates nothing', async () => {
    const access: HostAccess = {
      host: 'https://ghe.example.test',
      kind: 'github',
      runnerId: 'local',
      runnerName: 'Local runner',
      methods: { oauth: false, pat: true },
      managed: false,
      connections: [{ organization: null, state: 'none', source: null, account: null, expiresAt: null, tokenId: null, accounts: [] }],
    };
    const createEnvironment = vi.fn(async (_input: MethodInput<'createEnvironment'>) => ({ environment: environment(), job: cloneJob() }));
    const connectWithPat = vi.fn(async (_input: MethodInput<'connectWithPat'>) => connectedToken('t_00000000000000a1'));
    const { user } = setup({
      matchEnvironment: async () => matched([candidate({ connection: 'none' })]),
      listHosts: async () => [access],
      onHostsChanged: () => () => {},
      connectWithPat,
      createEnvironment,
    });
    await submit(user);
    await user.click(await whenEnabled(within(await screen.findByRole('group', { name: 'What will be created' })).getByRole('button', { name: 'Create' })));
    const dialog = await screen.findByRole('dialog', { name: 'Connect GitHub' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(createEnvironment).not.toHaveBeenCalled();
    expect(screen.getByRole('status').textContent).toContain('Nothing was created');

    // Create again, connect this time: the environment is created without another click.
    await user.click(await whenEnabled(within(screen.getByRole('group', { name: 'What will be created' })).getByRole('button', { name: 'Create' })));
    const again = await screen.findByRole('dialog', { name: 'Connect GitHub' });
    await user.type(within(again).getByLabelText('Personal access token'), 'ghp_simulated');
    await user.click(within(again).getByRole('button', { name: 'Connect' }));
    expect(connectWithPat).toHaveBeenCalledWith(expect.objectContaining({ runnerId: 'local', host: 'https://ghe.example.test', organization: null }));
    await user.click(await within(again).findByRole('button', { name: 'Close' }));
    await waitFor(() => expect(createEnvironment).toHaveBeenCalledWith({ runnerId: 'local', url, tokenId: null, depth: 'full', remember: false }));
    expect(await screen.findByRole('progressbar', { name: 'Cloning octo/hello' })).toBeTruthy();
  });

  it('follows the clone with a progress bar and its phase in words; Cancel cancels the job; its end reloads the list', async () => {
    const cancelJob = vi.fn(async (_input: MethodInput<'cancelJob'>) => cloneJob());
    let listed: Environment[] = [];
    const listEnvironments = vi.fn(async () => ({ environments: listed, unavailable: [] }));
    const { user, hub } = setup({
      listEnvironments,
      matchEnvironment: async () => matched([candidate()]),
      createEnvironment: async () => ({ environment: environment(), job: cloneJob() }),
      cancelJob,
    });
    await submit(user);
    await user.click(await whenEnabled(within(await screen.findByRole('group', { name: 'What will be created' })).getByRole('button', { name: 'Create' })));
    const bar = await screen.findByRole('progressbar', { name: 'Cloning octo/hello' });
    expect(bar.getAttribute('aria-valuenow')).toBe('0');
    hub.emitJob({
      runnerId: 'local',
      jobId,
      event: {
        type: 'progress',
        jobId,
        seq: 1,
        progress: {
          kind: 'environment-clone',
          environmentId: 'e_0123456789abcdef',
          phase: 'receiving',
          title: 'Receiving objects',
          percent: 45,
          processed: 450,
          total: 1000,
          bytes: 12.3 * 1024 * 1024,
          throughput: 2.1 * 1024 * 1024,
          overall: 0.4,
        },
      },
    } as never);
    expect(bar.getAttribute('aria-valuenow')).toBe('40');
    expect(screen.getByText('Receiving objects 45% (450 of 1000) · 12.3 MB at 2.1 MB/s')).toBeTruthy();
    await expectNoAxeViolations(document.body);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(cancelJob).toHaveBeenCalledWith({ runnerId: 'local', jobId });
    listed = [environment({ state: 'cancelled' })];
    const before = listEnvironments.mock.calls.length;
    hub.emitJob({ runnerId: 'local', jobId, event: { type: 'end', jobId, outcome: { state: 'cancelled' } } } as never);
    await waitFor(() => expect(listEnvironments.mock.calls.length).toBe(before + 1));
    await screen.findByText('Cancelled');
    expect(screen.getByText('The clone was cancelled and its folder removed. Retry clones it again.')).toBeTruthy();
    expect(screen.getByRole('button', { name: /^Retry / })).toBeTruthy();
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('formats bytes and the progress line', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048)).toBe('2.0 KB');
    expect(formatBytes(12.3 * 1024 * 1024)).toBe('12.3 MB');
    expect(
      progressLine({ kind: 'environment-clone', environmentId: 'e_0123456789abcdef', phase: 'counting', title: 'remote: Counting objects', percent: null, processed: 3, total: null, bytes: null, throughput: null, overall: 0.1 }),
    ).toBe('Counting objects: 3');
    expect(
      progressLine({ kind: 'environment-clone', environmentId: 'e_0123456789abcdef', phase: 'compressing', title: 'remote: Compressing objects', percent: 50, processed: 10, total: 20, bytes: null, throughput: null, overall: 0.2 }),
    ).toBe('Compressing objects 50% (10 of 20)');
    expect(
      progressLine({ kind: 'environment-clone', environmentId: 'e_0123456789abcdef', phase: 'receiving', title: 'Receiving objects', percent: 45.4, processed: 120, total: 356, bytes: 12.3 * 1024 * 1024, throughput: 2.1 * 1024 * 1024, overall: 0.5 }),
    ).toBe('Receiving objects 45% (120 of 356) · 12.3 MB at 2.1 MB/s');
    // A line git printed that is no known phase is shown as it is.
    expect(
      progressLine({ kind: 'environment-clone', environmentId: 'e_0123456789abcdef', phase: 'other', title: 'remote: Preparing the repository', percent: null, processed: null, total: null, bytes: null, throughput: null, overall: 0.3 }),
    ).toBe('remote: Preparing the repository');
  });

  it('a ready environment shows its folder; Delete counts what is lost first and says so', async () => {
    const environmentChanges = vi.fn(async (_input: MethodInput<'environmentChanges'>) => ({ uncommitted: 3, unpushed: 1, stashes: 0 }));
    const deleteEnvironment = vi.fn(async (_input: MethodInput<'deleteEnvironment'>) => ({ ok: true as const }));
    let listed = [environment({ state: 'ready', jobId: null })];
    const { user } = setup({ listEnvironments: async () => ({ environments: listed, unavailable: [] }), environmentChanges, deleteEnvironment });
    expect(await screen.findByText('/home/alice/paddock/octo-hello')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Retry octo/hello' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Delete octo/hello' }));
    expect(environmentChanges).toHaveBeenCalledWith({ runnerId: 'local', id: 'e_0123456789abcdef' });
    const dialog = await screen.findByRole('dialog', { name: 'Delete the environment octo/hello?' });
    expect(dialog.textContent).toContain('3 uncommitted changes and 1 unpushed commit will be lost.');
    await expectNoAxeViolations(document.body);
    listed = [];
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(deleteEnvironment).toHaveBeenCalledWith({ runnerId: 'local', id: 'e_0123456789abcdef' });
    await screen.findByRole('heading', { name: 'No environments yet' });
  });

  it('a failed environment shows why, offers Reconnect for a refused token, and Retry follows the new clone', async () => {
    const retryEnvironment = vi.fn(async (_input: MethodInput<'retryEnvironment'>) => ({ environment: environment(), job: cloneJob() }));
    const failed = environment({ state: 'failed', error: { code: 'reconnect-needed', message: 'GitHub refused your token for https://ghe.example.test.' } });
    const { user } = setup({ listEnvironments: async () => ({ environments: [failed], unavailable: [] }), retryEnvironment });
    expect(await screen.findByText('GitHub refused your token for https://ghe.example.test.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Reconnect to https://ghe.example.test for octo/hello' })).toBeTruthy();
    await expectNoAxeViolations(document.body);
    await user.click(screen.getByRole('button', { name: 'Retry octo/hello' }));
    expect(retryEnvironment).toHaveBeenCalledWith({ runnerId: 'local', id: 'e_0123456789abcdef' });
    expect(await screen.findByRole('progressbar', { name: 'Cloning octo/hello' })).toBeTruthy();
    expect(screen.getByText('Creating')).toBeTruthy();
  });

  it('Reconnect on a failed environment connects again and retries by itself', async () => {
    const retryEnvironment = vi.fn(async (_input: MethodInput<'retryEnvironment'>) => ({ environment: environment(), job: cloneJob() }));
    const failed = environment({ state: 'failed', error: { code: 'reconnect-needed', message: 'GitHub refused your token for https://ghe.example.test.' } });
    const access: HostAccess = {
      host: 'https://ghe.example.test',
      kind: 'github',
      runnerId: 'local',
      runnerName: 'Local runner',
      methods: { oauth: false, pat: true },
      managed: false,
      connections: [{ organization: null, state: 'reconnect-needed', source: 'pat', account: 'octocat', expiresAt: null, tokenId: 't_00000000000000a1', accounts: [] }],
    };
    const connectWithPat = vi.fn(async (_input: MethodInput<'connectWithPat'>) => connectedToken('t_00000000000000a2'));
    const { user } = setup({
      listEnvironments: async () => ({ environments: [failed], unavailable: [] }),
      retryEnvironment,
      listHosts: async () => [access],
      onHostsChanged: () => () => {},
      connectWithPat,
    });
    await user.click(await screen.findByRole('button', { name: 'Reconnect to https://ghe.example.test for octo/hello' }));
    const dialog = await screen.findByRole('dialog', { name: /GitHub/ });
    await user.type(within(dialog).getByLabelText('Personal access token'), 'ghp_simulated');
    await user.click(within(dialog).getByRole('button', { name: 'Connect' }));
    await user.click(await within(dialog).findByRole('button', { name: 'Close' }));
    await waitFor(() => expect(retryEnvironment).toHaveBeenCalledWith({ runnerId: 'local', id: 'e_0123456789abcdef' }));
    expect(await screen.findByRole('progressbar', { name: 'Cloning octo/hello' })).toBeTruthy();
  });

  it('says what deleting loses in words', () => {
    expect(changesSentence({ uncommitted: 0, unpushed: 0, stashes: 0 })).toBe('Nothing uncommitted or unpushed.');
    expect(changesSentence({ uncommitted: 1, unpushed: 2, stashes: 1 })).toBe('1 uncommitted change, 2 unpushed commits and 1 stash will be lost.');
  });
});
