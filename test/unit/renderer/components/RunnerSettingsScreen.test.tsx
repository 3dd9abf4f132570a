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
  const api = fakeApi({ listRunners: async () => [runner], onRunnersChanged: hub.onRunnersChanged });
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
