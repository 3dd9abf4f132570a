// @vitest-environment happy-dom
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { DesktopSettings, PaddockApi, Preferences, PreferencesPatch } from '../../../../electron/common/api';
import { PaddockError } from '../../../../electron/common/errors';
import { defaultPreferences } from '../../../../electron/core/store/schema';
import { GeneralSection } from '../../../../renderer/src/screens/settings/GeneralSection';
import { NetworkSection } from '../../../../renderer/src/screens/settings/NetworkSection';
import { ToolsSection } from '../../../../renderer/src/screens/settings/ToolsSection';
import { expectNoAxeViolations } from './axe';
import './dom';
import { fakeApi } from './fixtures';

const desktop = (overrides: Partial<DesktopSettings> = {}): DesktopSettings => ({
  editors: [
    { id: 'vscode', name: 'Visual Studio Code', installed: true },
    { id: 'cursor', name: 'Cursor', installed: false },
    { id: 'system', name: "The system's default app for folders", installed: true },
  ],
  terminals: [{ id: 'xterm', name: 'xterm', installed: true }],
  automaticEditor: 'Visual Studio Code',
  automaticTerminal: 'xterm',
  trayAvailable: true,
  startAtLogin: { supported: true, enabled: false },
  networkPolicy: null,
  ...overrides,
});

/** The text of what an element's aria-describedby names. */
const description = (element: HTMLElement) =>
  (element.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');

/** An API whose updatePreferences records each patch, and answers with `refuse` when given. */
function api(refuse?: PaddockError) {
  const patches: PreferencesPatch[] = [];
  let current: Preferences = defaultPreferences;
  const methods: Partial<PaddockApi> = {
    updatePreferences: async (patch) => {
      patches.push(patch);
      if (refuse) throw refuse;
      current = { ...current, ...patch };
      return current;
    },
  };
  return { api: fakeApi(methods), patches };
}

describe('Settings › General', () => {
  it('says closing the window quits where no tray can show, and disables the tray choice', async () => {
    const { container } = render(<GeneralSection api={api().api} preferences={defaultPreferences} desktop={desktop({ trayAvailable: false })} />);
    const tray = screen.getByRole('checkbox', { name: 'Keep running in the tray when the window is closed' });
    expect((tray as HTMLInputElement).disabled).toBe(true);
    expect((tray as HTMLInputElement).checked).toBe(false);
    expect(description(tray)).toMatch(/This desktop shows no tray icons, so closing the window quits Paddock/);
    await expectNoAxeViolations(container);
  });

  it('shows the OS’s refusal under the checkbox and leaves it off', async () => {
    const refused = new PaddockError('internal', 'Your computer did not let Paddock start at login: no.', [{ path: 'startAtLogin', message: 'Your computer did not let Paddock start at login: no.' }]);
    const fake = api(refused);
    render(<GeneralSection api={fake.api} preferences={defaultPreferences} desktop={desktop()} />);
    const login = screen.getByRole('checkbox', { name: 'Start Paddock when you log in' });
    await userEvent.click(login);
    expect((await screen.findByRole('alert')).textContent).toContain('Your computer did not let Paddock start at login: no.');
    expect((login as HTMLInputElement).checked).toBe(false);
    expect(description(login)).toMatch(/did not let Paddock/);
    expect(fake.patches).toEqual([{ startAtLogin: true }]);
  });
});

describe('Settings › Editor and terminal', () => {
  it('offers the installed ones and names a chosen one that is gone', async () => {
    const fake = api();
    render(<ToolsSection api={fake.api} preferences={{ ...defaultPreferences, editor: 'cursor' }} desktop={desktop()} />);
    const editor = screen.getByRole('combobox', { name: 'Code editor' });
    expect(within(editor).getAllByRole('option').map((o) => o.textContent)).toEqual([
      'Automatic (Visual Studio Code)',
      'Visual Studio Code',
      "The system's default app for folders",
      'Cursor (not installed)',
    ]);
    expect(description(editor)).toMatch(/Cursor is not installed on this computer any more, so Paddock opens Visual Studio Code instead/);
    await userEvent.selectOptions(editor, 'system');
    expect(fake.patches).toEqual([{ editor: 'system' }]);
    expect((await screen.findByRole('status')).textContent).toContain("Environments now open in The system's default app for folders.");
  });
});

describe('Settings › Network', () => {
  it('shows a refused field’s error under it and keeps what was typed', async () => {
    const refused = new PaddockError('invalid-input', 'The network settings were not saved: bad.', [{ path: 'network.proxy', message: 'The proxy must start with http:// or https://, not ftp://.' }]);
    const fake = api(refused);
    render(<NetworkSection api={fake.api} preferences={defaultPreferences} desktop={desktop()} />);
    const proxy = screen.getByRole('textbox', { name: 'Proxy' });
    await userEvent.type(proxy, 'ftp://p:21{Enter}');
    expect(fake.patches).toEqual([{ network: { proxy: 'ftp://p:21', noProxy: null, caFile: null } }]);
    expect((await screen.findByRole('alert')).textContent).toContain('The proxy must start with http:// or https://, not ftp://.');
    expect(proxy.getAttribute('aria-invalid')).toBe('true');
    expect((proxy as HTMLInputElement).value).toBe('ftp://p:21');
  });

  it('shows what the policy sets read-only, with its source, and only the other fields to edit', () => {
    render(
      <NetworkSection
        api={api().api}
        preferences={defaultPreferences}
        desktop={desktop({ networkPolicy: { source: '/etc/paddock/policy.json', proxy: 'http://proxy.corp:8080', noProxy: null, caFile: null } })}
      />,
    );
    expect(screen.getByText(/Your admin’s policy \(\/etc\/paddock\/policy.json\) sets these/)).toBeTruthy();
    expect(screen.getByText('http://proxy.corp:8080')).toBeTruthy();
    expect(screen.queryByRole('textbox', { name: 'Proxy' })).toBeNull();
    expect(screen.getByRole('textbox', { name: 'Certificate authorities (CA file)' })).toBeTruthy();
  });
});
