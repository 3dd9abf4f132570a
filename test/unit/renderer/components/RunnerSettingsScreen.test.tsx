// @vitest-environment happy-dom
import { render, screen, within } from '@testing-library/react';
import { createRef } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { Runner } from '../../../../electron/common/api';
import { RunnerSettingsScreen } from '../../../../renderer/src/screens/runners/RunnerSettingsScreen';
// Its cleanup after each test.
import './dom';
import { eventHub, fakeApi, localRunner, remoteRunner } from './fixtures';

// Runner settings say this workstation's role, and lead a user to repository access to see it, an admin to configure it.

function show(runner: Runner) {
  const hub = eventHub();
  const api = fakeApi({ listRunners: async () => [runner], onRunnersChanged: hub.onRunnersChanged, listProviders: async () => [] });
  render(<RunnerSettingsScreen api={api} headingRef={createRef()} navigate={vi.fn()} runnerId={runner.id} />);
}

const roleFact = () => {
  const term = screen.getByText('This workstation’s role');
  return term.nextElementSibling?.textContent;
};

describe('RunnerSettingsScreen', () => {
  it('tells a user who changes the repository access, and links to see it', async () => {
    show(remoteRunner('user'));
    const access = await screen.findByRole('region', { name: 'Repository access' });
    expect(access.textContent).toContain('The runner’s admins change them; this workstation can see and check them.');
    expect(within(access).getByRole('link', { name: 'See repository access' }).getAttribute('href')).toBe('#/runners/remote-1/access');
    expect(roleFact()).toBe('User: it uses the runner; the runner’s admins change its repository access.');
  });

  it('links an admin to configure it', async () => {
    show(remoteRunner('admin'));
    const access = await screen.findByRole('region', { name: 'Repository access' });
    expect(within(access).getByRole('link', { name: 'Configure repository access' })).toBeTruthy();
    expect(access.textContent).not.toContain('admins change them');
    expect(roleFact()).toBe('Admin: it can change the runner’s repository access.');
  });

  it('says the role is not known before the runner answered', async () => {
    show(remoteRunner(null));
    await screen.findByRole('region', { name: 'Repository access' });
    expect(roleFact()).toBe('Shown once the runner answers.');
  });

  it('calls this workstation the local runner’s admin', async () => {
    show(localRunner(null));
    await screen.findByRole('region', { name: 'Repository access' });
    expect(roleFact()).toBe('Admin: it is this workstation’s own runner.');
  });
});

describe('RunnerSettingsScreen: the entries’ last check', () => {
  it('shows each entry with “Not checked yet” or “Last check failed: …”, and Check again', async () => {
    const hub = eventHub();
    const runner = localRunner(null);
    const base = { organizations: [], collections: [], oauth: { enabled: false, clientId: null, tenant: null, secretSet: false }, pat: { enabled: true }, managed: false, updatedAt: '2025-01-01T00:00:00.000Z' };
    const api = fakeApi({
      listRunners: async () => [runner],
      onRunnersChanged: hub.onRunnersChanged,
      listProviders: async () => [
        { ...base, kind: 'github' as const, host: 'https://github.com' },
        {
          ...base,
          kind: 'gitlab' as const,
          host: 'https://gitlab.example.test',
          lastCheck: { at: new Date().toISOString(), outcome: 'failed' as const, message: 'GitLab at https://gitlab.example.test cannot be reached from this runner.', errors: 1, warnings: 0 },
        },
      ],
    });
    render(<RunnerSettingsScreen api={api} headingRef={createRef()} navigate={vi.fn()} runnerId={runner.id} />);
    const list = await screen.findByRole('list', { name: 'Providers and their last check' });
    const [github, gitlab] = within(list).getAllByRole('listitem');
    expect(github?.textContent).toContain('Not checked yet.');
    expect(gitlab?.textContent).toContain('Last check failed: GitLab at https://gitlab.example.test cannot be reached from this runner.');
    expect(within(gitlab as HTMLElement).getByRole('button', { name: 'Check again GitLab https://gitlab.example.test' })).toBeTruthy();
  });
});
