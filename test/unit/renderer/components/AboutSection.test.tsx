// @vitest-environment happy-dom
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { AppInfo, CollectDiagnosticsResult, Diagnostics } from '../../../../electron/common/api';
import { PaddockError } from '../../../../electron/common/errors';
import { AboutSection } from '../../../../renderer/src/screens/settings/AboutSection';
import { expectNoAxeViolations } from './axe';
import { deferred } from './dom';
import { eventHub, fakeApi, localRunner } from './fixtures';

// Settings → About: versions, runners' versions, the paddock:// handler in the user's words, paths, and Collect diagnostics.

const info: AppInfo = { name: 'Paddock', version: '0.1.0', apiVersion: 1, shell: 'electron', platform: 'linux', simulation: null };

function diagnostics(overrides: Partial<Diagnostics> = {}): Diagnostics {
  return {
    app: { name: 'Paddock', version: '0.1.0', shell: 'electron', platform: 'linux', arch: 'x64' },
    runtime: { electron: '40.1.0', chrome: '142.0.7444.52', node: '24.11.0' },
    runners: [
      { id: 'local', name: 'Local runner', kind: 'local', state: 'online', version: '0.1.0', apiVersion: 1, lastSeen: new Date().toISOString() },
      { id: 'remote-1', name: 'Build server', kind: 'remote', state: 'offline', version: null, apiVersion: null, lastSeen: new Date(Date.now() - 3 * 3600_000).toISOString() },
    ],
    protocolHandler: { isDefault: true, note: null },
    tray: 'unknown',
    paths: { settingsFile: '/home/sam/.config/Paddock/paddock.json', logsFolder: '/home/sam/.config/Paddock/logs', localRunnerData: '/home/sam/.config/Paddock/runner' },
    canCollect: true,
    ...overrides,
  };
}

function show(value: Diagnostics, collect: () => Promise<CollectDiagnosticsResult> = async () => ({ saved: false })) {
  const hub = eventHub();
  let calls = 0;
  const api = fakeApi({
    getAppInfo: async () => ({ ...info, shell: value.app.shell }),
    getDiagnostics: async () => {
      calls++;
      return value;
    },
    collectDiagnostics: collect,
    onRunnersChanged: hub.onRunnersChanged,
  });
  const view = render(<AboutSection api={api} />);
  return { view, hub, calls: () => calls };
}

describe('AboutSection', () => {
  it('shows the versions, each runner with its state and version, and the paths with Copy buttons', async () => {
    const { view } = show(diagnostics());
    const about = await screen.findByRole('region', { name: 'About' });
    await within(about).findByText('Local runner');
    expect(about.textContent).toContain('Electron40.1.0');
    expect(about.textContent).toContain('Chromium142.0.7444.52');
    expect(about.textContent).toContain('Node.js24.11.0');
    expect(about.textContent).toContain('Linux (x64)');
    const runners = within(about).getAllByRole('listitem');
    expect(runners[0]!.textContent).toMatch(/Local runner.*On this computer.*Online.*Version 0\.1\.0/);
    expect(runners[1]!.textContent).toMatch(/Build server.*On a server.*Offline.*Version shown once it answers.*Last answered 3 hours ago/);
    expect(about.textContent).toContain('paddock:// links open Paddock');
    for (const name of ['settings file’s path', 'logs folder’s path', 'local runner data folder’s path']) {
      expect(within(about).getByRole('button', { name: `Copy the ${name}` })).toBeTruthy();
    }
    expect(about.textContent).toContain('/home/sam/.config/Paddock/paddock.json');
    await expectNoAxeViolations(view.container);
  });

  it('says what paddock:// links not reaching Paddock means and what to do, and names the tray when it is known', async () => {
    show(diagnostics({ protocolHandler: { isDefault: false, note: 'Another program opens them: Foo.' }, tray: 'none' }));
    const about = await screen.findByRole('region', { name: 'About' });
    await within(about).findByText('Local runner');
    expect(about.textContent).toContain('paddock:// links do not reach Paddock on this computer');
    expect(about.textContent).toContain('paste the address your browser ends at');
    expect(about.textContent).toContain('start it from where it is installed');
    expect(about.textContent).toContain('Another program opens them: Foo.');
    expect(about.textContent).toContain('closing the window quits Paddock');
  });

  it('loads again when a runner changes (its version arrives with its first answer)', async () => {
    const { hub, calls } = show(diagnostics());
    await screen.findByText('Local runner');
    const before = calls();
    hub.emitRunners([localRunner(null)]);
    await new Promise((r) => setTimeout(r, 0));
    expect(calls()).toBe(before + 1);
  });

  it('collects diagnostics: busy while it runs, then where the zip was saved, with Copy', async () => {
    const pending = deferred<CollectDiagnosticsResult>();
    let asked = 0;
    const { view } = show(diagnostics(), () => {
      asked++;
      return pending.promise;
    });
    const button = await screen.findByRole('button', { name: 'Collect diagnostics' });
    await userEvent.click(button);
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(button.textContent).toBe('Collecting diagnostics…');
    const status = view.container.querySelector('.about-collect-status')!;
    expect(status.getAttribute('role')).toBe('status');
    expect(status.textContent).toContain('Collecting diagnostics…');
    // A second press while it runs asks nothing more.
    await userEvent.click(button);
    expect(asked).toBe(1);
    pending.resolve({ saved: true, path: '/home/sam/Downloads/paddock-diagnostics-2026-12-03.zip', bytes: 1234, entries: ['README.txt'] });
    expect(await screen.findByText('/home/sam/Downloads/paddock-diagnostics-2026-12-03.zip')).toBeTruthy();
    expect(status.textContent).toContain('Diagnostics saved to /home/sam/Downloads/paddock-diagnostics-2026-12-03.zip, shown in your file manager.');
    expect(screen.getByRole('button', { name: 'Copy the diagnostics file’s path' })).toBeTruthy();
    expect(button.getAttribute('aria-disabled')).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  it('says plainly when nothing was saved, and when collecting failed', async () => {
    let answer: () => Promise<CollectDiagnosticsResult> = async () => ({ saved: false });
    show(diagnostics(), () => answer());
    const button = await screen.findByRole('button', { name: 'Collect diagnostics' });
    await userEvent.click(button);
    expect(await screen.findByText(/Diagnostics not saved: no file was chosen/)).toBeTruthy();
    answer = () => Promise.reject(new PaddockError('internal', 'Paddock could not save the diagnostics to /x.zip: EACCES. Choose another folder.').toData());
    await userEvent.click(button);
    expect((await screen.findByRole('alert')).textContent).toContain('EACCES. Choose another folder.');
    expect(screen.queryByText(/Diagnostics not saved/)).toBeNull();
  });

  it('offers no button where Paddock cannot save files', async () => {
    show(diagnostics({ canCollect: false }));
    await screen.findByText('Local runner');
    expect(screen.queryByRole('button', { name: 'Collect diagnostics' })).toBeNull();
    expect(screen.getByText('Paddock cannot save files here.')).toBeTruthy();
  });
});
