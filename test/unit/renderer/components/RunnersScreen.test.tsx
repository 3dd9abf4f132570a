// @vitest-environment happy-dom
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRef } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { PaddockApi, Runner } from '../../../../electron/common/api';
import { RunnersScreen } from '../../../../renderer/src/screens/RunnersScreen';
import { RunnerSettingsScreen } from '../../../../renderer/src/screens/runners/RunnerSettingsScreen';
import { expectNoAxeViolations } from './axe';
// Its cleanup after each test.
import './dom';
import { eventHub, fakeApi, localRunner, remoteRunner } from './fixtures';

// The runner list (one card per runner: state, repository access, last seen,
// one link that opens it) and a starting runner, shown as starting, never as an error.

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

function starting(runner: Runner, message: string | null = null): Runner {
  return { ...runner, health: { ...runner.health, state: 'starting', message } };
}

function showList(runners: Runner[], providers: Partial<Record<string, number>> = {}) {
  const hub = eventHub();
  const listProviders = vi.fn<PaddockApi['listProviders']>(async ({ id }) => Array.from({ length: providers[id] ?? 0 }, () => ({}) as never));
  const api = fakeApi({ listRunners: async () => runners, onRunnersChanged: hub.onRunnersChanged, listProviders });
  const { container } = render(<RunnersScreen api={api} headingRef={createRef()} navigate={vi.fn()} />);
  return { container, hub, listProviders };
}

const card = (name: string) => screen.getByRole('heading', { level: 2, name }).closest('li')!;

/** Nothing in `element` reads as an error: no alert, no error or failed styling. */
function expectNoError(element: Element) {
  expect(within(element as HTMLElement).queryAllByRole('alert')).toEqual([]);
  expect(element.querySelectorAll('.error, .field-error, .badge-failed, .runner-message-failed, .error-notice')).toHaveLength(0);
  expect(element.textContent).not.toMatch(/Failed|not running|Could not/);
}

describe('RunnersScreen', () => {
  it('shows each runner as one card with its state, its repository access and when it was last seen, and one link that opens it', async () => {
    const local = { ...localRunner('key'), health: { ...localRunner('key').health, lastSeen: minutesAgo(3) } };
    const remote = { ...remoteRunner('admin'), health: { ...remoteRunner('admin').health, state: 'offline' as const, message: 'Cannot reach the runner.', lastSeen: minutesAgo(60 * 26) } };
    const { container, listProviders } = showList([local, remote], { local: 2 });
    const localCard = await waitFor(() => card('Local runner'));
    await waitFor(() => expect(within(localCard).getByText('2 providers')).toBeTruthy());
    expect(localCard.querySelector('.badge')!.textContent).toBe('●Status: Online');
    expect(within(localCard).getByText('This workstation')).toBeTruthy();
    expect(within(localCard).getByText('3 minutes ago').tagName).toBe('TIME');
    // The card's one interactive element: the link with the runner's name, to its settings.
    const links = within(localCard).getAllByRole('link');
    expect(links.map((link) => [link.textContent, link.getAttribute('href')])).toEqual([['Local runner', '#/runners/local']]);
    expect(within(localCard).queryAllByRole('button')).toEqual([]);
    expect(localCard.querySelectorAll('a a, a button, button a')).toHaveLength(0);

    // A runner that does not answer: its count is not known (it is not asked), its state and why are said, and still one link.
    const remoteCard = card('Build server');
    expect(remoteCard.querySelector('.badge')!.textContent).toBe('○Status: Offline');
    expect(within(remoteCard).getByText('Repository access').nextElementSibling?.textContent).toBe('Shown once the runner answers');
    expect(within(remoteCard).getByText('1 day ago')).toBeTruthy();
    expect(within(remoteCard).getByText('Cannot reach the runner.')).toBeTruthy();
    expect(within(remoteCard).getAllByRole('link')).toHaveLength(1);
    expect(within(remoteCard).queryAllByRole('button')).toEqual([]);
    expect(listProviders.mock.calls.map(([input]) => input.id)).toEqual(['local']);
    await expectNoAxeViolations(container);
  });

  it('says "No providers" for a runner without repository access, and reads the count again when a runner comes online', async () => {
    const remote = { ...remoteRunner('admin'), health: { ...remoteRunner('admin').health, state: 'offline' as const } };
    const { hub, listProviders } = showList([remote], { 'remote-1': 0 });
    await waitFor(() => card('Build server'));
    expect(listProviders).not.toHaveBeenCalled();
    hub.emitRunners([{ ...remote, health: { ...remote.health, state: 'online' } }]);
    await waitFor(() => expect(within(card('Build server')).getByText('No providers')).toBeTruthy());
    expect(listProviders).toHaveBeenCalledTimes(1);
  });

  it('shows a starting runner as “Starting…” with a spinner, as a status and never as an error', async () => {
    const { container } = showList([starting(localRunner(null))]);
    const localCard = await waitFor(() => card('Local runner'));
    const status = within(localCard).getByRole('status');
    expect(status.textContent).toBe('Status: Starting…');
    expect(status.className).toContain('badge-starting');
    expect(status.querySelector('.spinner')?.getAttribute('aria-hidden')).toBe('true');
    expectNoError(localCard);
    await expectNoAxeViolations(container);
  });

  it('shows what a runner that restarts after stopping says, as starting, not as a failure', async () => {
    showList([starting(localRunner('key'), 'The local runner stopped unexpectedly (exit code 1); restarting in 1 s.')]);
    const localCard = await waitFor(() => card('Local runner'));
    const message = within(localCard).getByText(/restarting in 1 s/);
    expect(message.className).toBe('runner-message runner-message-starting');
    expect(within(localCard).getByRole('status').textContent).toBe('Status: Starting…');
    expect(within(localCard).queryAllByRole('alert')).toEqual([]);
  });
});

describe('RunnerSettingsScreen: Restart and a starting runner', () => {
  function showSettings(runner: Runner, restartRunner: PaddockApi['restartRunner'] = async () => runner) {
    const hub = eventHub();
    const api = fakeApi({ listRunners: async () => [runner], onRunnersChanged: hub.onRunnersChanged, restartRunner, listProviders: async () => [] });
    const { container } = render(<RunnerSettingsScreen api={api} headingRef={createRef()} navigate={vi.fn()} runnerId={runner.id} />);
    return { container, hub, user: userEvent.setup() };
  }

  it('says next to Restart what it does, as the button’s description', async () => {
    const { container } = showSettings(localRunner('key'));
    const restart = await screen.findByRole('button', { name: 'Restart' });
    const description = document.getElementById(restart.getAttribute('aria-describedby')!)!;
    expect(description.textContent).toBe(
      'Stops the local runner and starts it again, for example once the OS keychain is unlocked. Work under way on it is cancelled: checks, sign-ins and repository clones.',
    );
    expect(restart.parentElement!.contains(description)).toBe(true);
    await expectNoAxeViolations(container);
  });

  it('says what “Check now” does for a runner on a server', async () => {
    showSettings(remoteRunner('admin'));
    const check = await screen.findByRole('button', { name: 'Check now' });
    expect(document.getElementById(check.getAttribute('aria-describedby')!)!.textContent).toBe('Asks the runner for its status now. Paddock also asks it every few seconds by itself.');
  });

  it('shows the runner starting while it restarts, then online, without an error in between', async () => {
    const runner = localRunner('key');
    let finish!: (runner: Runner) => void;
    const { hub, user } = showSettings(runner, () => new Promise((resolve) => (finish = resolve)));
    await user.click(await screen.findByRole('button', { name: 'Restart' }));
    expect(screen.getByRole('button', { name: 'Restarting…' })).toBeTruthy();
    hub.emitRunners([starting(runner)]);
    const status = screen.getByRole('region', { name: 'Status' });
    expect(within(status).getAllByRole('status').map((s) => s.textContent)).toContain('Status: Starting…');
    expectNoError(status);
    finish(runner);
    hub.emitRunners([runner]);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Restart' })).toBeTruthy());
    expect(within(status).getByText('Online')).toBeTruthy();
    expectNoError(status);
  });

  it('shows the public key in groups that wrap between them, and exactly as it is', async () => {
    const key = 'AAAAbbbbCCCCddddEEEEffffGGGGhhhhIIIIjjjjKKK=';
    showSettings(localRunner(key));
    const code = (await screen.findByRole('region', { name: 'Details' })).querySelector('code.key')!;
    expect(code.textContent).toBe(key);
    expect([...code.children].map((group) => group.textContent)).toEqual(['AAAAbbbb', 'CCCCdddd', 'EEEEffff', 'GGGGhhhh', 'IIIIjjjj', 'KKK=']);
  });
});
