// @vitest-environment happy-dom
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRef } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { PaddockApi, Runner } from '../../../../electron/common/api';
import { PaddockError } from '../../../../electron/common/errors';
import type { ProviderView } from '../../../../electron/common/provider-config';
import { RepositoryAccessScreen } from '../../../../renderer/src/screens/runners/RepositoryAccessScreen';
import { deferred } from './dom';
import { eventHub, fakeApi, jobView, localRunner, remoteRunner } from './fixtures';

// The repository access screen by role (issue 8 point 3) and acting on error
// codes (point 4): a user sees the entries read-only and is told who changes
// them; a refusal of a change turns the page read-only once the runner says
// so; a runner that is down shows its message and a "Try again" that reloads.

const github: ProviderView = {
  kind: 'github',
  host: 'https://github.com',
  organizations: [],
  collections: [],
  oauth: { enabled: false, clientId: null, tenant: null, secretSet: false },
  pat: { enabled: true },
  managed: false,
  updatedAt: '2025-01-01T00:00:00.000Z',
};
const managed: ProviderView = { ...github, host: 'https://ghe.example.test', managed: true };
const readOnlySentence = /This workstation uses Build server as a user: you can see and check its repository access, and the runner’s admins change it\./;

function setup(runner: Runner, methods: Partial<PaddockApi> = {}) {
  const hub = eventHub();
  const listProviders = vi.fn(async () => [github, managed]);
  const api = fakeApi({ listRunners: async () => [runner], onRunnersChanged: hub.onRunnersChanged, onJobEvent: hub.onJobEvent, listProviders, ...methods });
  const headingRef = createRef<HTMLHeadingElement>();
  const view = render(<RepositoryAccessScreen api={api} headingRef={headingRef} runnerId={runner.id} />);
  return { hub, listProviders, view, user: userEvent.setup() };
}

const changeButtons = () => screen.queryAllByRole('button', { name: /^(Add a new provider|Edit|Remove)/ });

describe('RepositoryAccessScreen', () => {
  it('shows a user-role runner’s entries read-only, says once who changes them, and still offers Check again', async () => {
    setup(remoteRunner('user'));
    const list = await screen.findByRole('list', { name: 'Providers' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Repository access');
    expect(screen.getAllByText(readOnlySentence)).toHaveLength(1);
    expect(changeButtons()).toEqual([]);
    // Not even the disabled ones of a managed entry, nor its "cannot be changed here" per entry.
    expect(screen.queryByText(/cannot be changed or removed here/)).toBeNull();
    expect(screen.getByRole('button', { name: 'Check again GitHub https://github.com' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Check again GitHub https://ghe.example.test' })).toBeTruthy();
  });

  it('says who adds providers when a user-role runner has none', async () => {
    setup(remoteRunner('user'), { listProviders: async () => [] });
    await screen.findByRole('heading', { name: 'No providers yet' });
    expect(screen.getByText('The runner’s admins have not added any source-control providers to it yet.')).toBeTruthy();
    expect(changeButtons()).toEqual([]);
  });

  it('gives an admin Add, Edit and Remove (disabled for a managed entry)', async () => {
    setup(remoteRunner('admin'));
    await screen.findByRole('list', { name: 'Providers' });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Configure repository access');
    expect(screen.queryByText(readOnlySentence)).toBeNull();
    expect(screen.getByRole('button', { name: 'Add a new provider' })).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Edit GitHub https://github.com' }) as HTMLButtonElement).disabled).toBe(false);
    expect((screen.getByRole('button', { name: 'Edit GitHub https://ghe.example.test' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('keeps the change buttons away until the runner has said the role, then shows them', async () => {
    const { hub } = setup(remoteRunner(null));
    await screen.findByRole('list', { name: 'Providers' });
    expect(changeButtons()).toEqual([]);
    expect(screen.queryByText(readOnlySentence)).toBeNull();
    hub.emitRunners([remoteRunner('admin')]);
    expect(screen.getByRole('button', { name: 'Add a new provider' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Remove GitHub https://github.com' })).toBeTruthy();
  });

  it('after a refused change asks the runner again, and turns read-only with the refusal when it says “user”', async () => {
    const refusal = new PaddockError('forbidden', 'Only workstations registered as admins of this runner can do this.');
    const hub = { current: null as ReturnType<typeof eventHub> | null };
    const restartRunner = vi.fn(async () => {
      hub.current?.emitRunners([remoteRunner('user')]);
      return remoteRunner('user');
    });
    const deleteProvider = vi.fn(async () => Promise.reject(refusal.toData()));
    const { hub: events, user } = setup(remoteRunner('admin'), { deleteProvider, restartRunner });
    hub.current = events;
    await user.click(await screen.findByRole('button', { name: 'Remove GitHub https://github.com' }));
    const dialog = screen.getByRole('dialog', { name: 'Remove GitHub (https://github.com)?' });
    await user.click(within(dialog).getByRole('button', { name: 'Remove provider' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(deleteProvider).toHaveBeenCalledTimes(1);
    expect(restartRunner).toHaveBeenCalledWith({ id: 'remote-1' });
    expect(screen.getByRole('alert').textContent).toBe(refusal.message);
    const note = screen.getByText(readOnlySentence);
    await waitFor(() => expect(document.activeElement).toBe(note));
    expect(changeButtons()).toEqual([]);
  });

  it('turns read-only the same way when a save is refused', async () => {
    const hub = { current: null as ReturnType<typeof eventHub> | null };
    const saveProvider = vi.fn(async () => Promise.reject(new PaddockError('forbidden', 'Only admins can do this.').toData()));
    const restartRunner = vi.fn(async () => {
      hub.current?.emitRunners([remoteRunner('user')]);
      return remoteRunner('user');
    });
    const { hub: events, user } = setup(remoteRunner('admin'), { saveProvider, restartRunner });
    hub.current = events;
    await user.click(await screen.findByRole('button', { name: 'Edit GitHub https://github.com' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Edit GitHub' })).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(saveProvider).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('alert').textContent).toBe('Only admins can do this.');
    expect(screen.getByText(readOnlySentence)).toBeTruthy();
    expect(changeButtons()).toEqual([]);
  });

  it('keeps an admin’s buttons when the runner still says “admin” after a refusal (a managed entry refused it), the message in the dialog', async () => {
    const refusal = new PaddockError('forbidden', 'https://github.com is managed by the admin policy; it cannot be removed here.');
    const restartRunner = vi.fn(async () => remoteRunner('admin'));
    const { user } = setup(remoteRunner('admin'), { deleteProvider: async () => Promise.reject(refusal.toData()), restartRunner });
    await user.click(await screen.findByRole('button', { name: 'Remove GitHub https://github.com' }));
    const dialog = screen.getByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Remove provider' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe(refusal.message);
    expect(restartRunner).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('button', { name: 'Add a new provider' })).toBeTruthy();
  });

  it('does not restart the local runner to learn a role it always has', async () => {
    const restartRunner = vi.fn(async () => localRunner(null));
    const { user } = setup(localRunner(null), {
      deleteProvider: async () => Promise.reject(new PaddockError('forbidden', 'Managed.').toData()),
      restartRunner,
    });
    await user.click(await screen.findByRole('button', { name: 'Remove GitHub https://github.com' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Remove provider' }));
    await within(screen.getByRole('dialog')).findByRole('alert');
    expect(restartRunner).not.toHaveBeenCalled();
  });

  it('reloads the list when a removal finds it out of date', async () => {
    const listProviders = vi.fn(async () => [github]);
    const { user } = setup(remoteRunner('admin'), {
      listProviders,
      deleteProvider: async () => Promise.reject(new PaddockError('not-found', 'https://github.com has no entry on this runner.').toData()),
    });
    await user.click(await screen.findByRole('button', { name: 'Remove GitHub https://github.com' }));
    expect(listProviders).toHaveBeenCalledTimes(1);
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Remove provider' }));
    await within(screen.getByRole('dialog')).findByRole('alert');
    expect(listProviders).toHaveBeenCalledTimes(2);
  });

  it('shows a runner that is down with its message and a Try again that loads the list, then focuses the heading', async () => {
    const down = new PaddockError('runner-unavailable', 'Build server cannot be reached: connect ECONNREFUSED 127.0.0.1:8443', undefined, { runnerId: 'remote-1' });
    const second = deferred<ProviderView[]>();
    const listProviders = vi.fn().mockRejectedValueOnce(down.toData()).mockReturnValueOnce(second.promise);
    const { user } = setup(remoteRunner('admin'), { listProviders });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(`Could not read this runner’s repository access: ${down.message}`);
    const again = screen.getByRole('button', { name: 'Try again' });
    await user.click(again);
    expect(listProviders).toHaveBeenCalledTimes(2);
    expect(again.textContent).toBe('Trying again…');
    expect(again.getAttribute('aria-disabled')).toBe('true');
    // Pressed again while it works: no second call.
    await user.click(again);
    expect(listProviders).toHaveBeenCalledTimes(2);
    second.resolve([github]);
    await screen.findByRole('list', { name: 'Providers' });
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1 })));
  });

  it('offers Try again by the code, not the words: an internal error that says “try again” gets none', async () => {
    setup(remoteRunner('admin'), { listProviders: async () => Promise.reject({ code: 'internal', message: 'The runner is not answering; try again.' }) });
    await screen.findByRole('alert');
    expect(screen.queryByRole('button', { name: /Try again|Reload/ })).toBeNull();
  });

  it('offers Reload when the runner says the list changed meanwhile', async () => {
    const listProviders = vi.fn().mockRejectedValueOnce({ code: 'conflict', message: 'It changed.' }).mockResolvedValueOnce([github]);
    const { user } = setup(remoteRunner('admin'), { listProviders });
    await user.click(await screen.findByRole('button', { name: 'Reload' }));
    await screen.findByRole('list', { name: 'Providers' });
  });
});

describe('RepositoryAccessScreen: each entry’s last check', () => {
  const failed = {
    ...github,
    host: 'https://gitlab.example.test',
    kind: 'gitlab' as const,
    lastCheck: { at: new Date().toISOString(), outcome: 'failed' as const, message: 'GitLab at https://gitlab.example.test cannot be reached from this runner.', errors: 1, warnings: 0 },
  };

  it('says “Not checked yet” or “Last check failed: …” on the entry, and reads the list again once Check again ends', async () => {
    const jobId = 'j_check0123456789abcdef';
    const startJob = vi.fn(async () => jobView(jobId));
    const listProviders = vi.fn(async () => [github, failed]);
    const { hub, user } = setup(localRunner(null), { listProviders, startJob, getJob: vi.fn(() => new Promise<never>(() => {})) });
    const list = await screen.findByRole('list', { name: 'Providers' });
    const [first, second] = within(list).getAllByRole('listitem').filter((item) => item.parentElement === list);
    expect(first?.textContent).toContain('Not checked yet.');
    expect(second?.textContent).toContain('Last check failed: GitLab at https://gitlab.example.test cannot be reached from this runner.');
    const loads = listProviders.mock.calls.length;

    await user.click(screen.getByRole('button', { name: 'Check again GitLab https://gitlab.example.test' }));
    // The live check takes the line's place.
    expect(second?.textContent).not.toContain('Last check failed');
    hub.emitJob({
      runnerId: 'local',
      jobId,
      event: { type: 'end', jobId, outcome: { state: 'succeeded', result: { kind: 'provider-check', validation: { host: [], oauth: [], pat: [] } } } },
    });
    await waitFor(() => expect(listProviders.mock.calls.length).toBe(loads + 1));
  });

  it('opens “Add a new provider” on the kind the entries suggest', async () => {
    const { user } = setup(localRunner(null), { listProviders: vi.fn(async () => [github, failed]) });
    await user.click(await screen.findByRole('button', { name: 'Add a new provider' }));
    // The latest self-hosted entry is GitLab's: another GitLab server is the likely next one.
    const dialog = screen.getByRole('dialog', { name: 'Add a new provider' });
    expect((within(dialog).getByLabelText('Provider') as HTMLSelectElement).value).toBe('gitlab');
  });
});
