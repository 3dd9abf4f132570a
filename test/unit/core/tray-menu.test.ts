import { describe, expect, it } from 'vitest';
import type { TrayState } from '../../../electron/core/tray';
import { trayMenu, trayTitle, type TrayMenuItem } from '../../../electron/core/tray-menu';

const jobId = 'j_0123456789abcdefgh';
const envId = 'e_0123456789abcdef';

function state(overrides: Partial<TrayState> = {}): TrayState {
  return { overall: 'ok', runners: [{ id: 'local', name: 'Local runner', state: 'online' }], connections: [], jobs: [], environments: [], failedEnvironments: 0, ...overrides };
}

const github = (over: Partial<TrayState['connections'][number]> = {}): TrayState['connections'][number] => ({
  runnerId: 'local',
  runnerName: 'Local runner',
  host: 'https://github.com',
  kind: 'github',
  organization: null,
  state: 'connected',
  account: 'octocat',
  accounts: 1,
  canConnect: true,
  ...over,
});

/** The menu as text: one line per item, submenus indented, disabled rows in [brackets], separators as ---. */
function outline(items: TrayMenuItem[], indent = ''): string[] {
  return items.flatMap((item) => {
    if (item.type === 'separator') return [`${indent}---`];
    const line = `${indent}${item.enabled ? item.label : `[${item.label}]`}`;
    return item.type === 'submenu' ? [`${line} ▸`, ...outline(item.submenu, `${indent}  `)] : [line];
  });
}

/** The item with this label, anywhere in the menu. */
function find(items: TrayMenuItem[], label: string): TrayMenuItem | undefined {
  for (const item of items) {
    if (item.type === 'separator') continue;
    if (item.label === label) return item;
    if (item.type === 'submenu') {
      const inner = find(item.submenu, label);
      if (inner) return inner;
    }
  }
  return undefined;
}

const linux = { platform: 'linux' as const, clipboardUrl: null };

describe('trayMenu', () => {
  it('with nothing set up: the status, the runner, and what can be done', () => {
    expect(outline(trayMenu(state(), linux))).toEqual([
      '[Paddock is running]',
      '---',
      '[Runners]',
      '[Local runner: online]',
      '---',
      '[Accounts]',
      '[No hosts to connect to yet]',
      '---',
      '[Recent environments]',
      '[No environments yet]',
      '---',
      '[New environment from clipboard]',
      'Open Paddock',
      '---',
      'Quit Paddock',
    ]);
  });

  it('per host and organization: Connected as …, Reconnect…, Log in… and Log out, each with its action', () => {
    const menu = trayMenu(
      state({
        overall: 'attention',
        connections: [
          github(),
          github({ host: 'https://ghe.example.test', state: 'reconnect-needed', account: 'mona' }),
          github({ host: 'https://dev.azure.com', kind: 'azure-devops', organization: 'contoso', state: 'none', account: null, accounts: 0 }),
          github({ host: 'https://gitlab.example.test', kind: 'gitlab', state: 'none', account: null, accounts: 0, canConnect: false }),
          github({ host: 'https://bitbucket.org', kind: 'bitbucket-cloud', state: 'expiring', account: 'ada', accounts: 2 }),
        ],
      }),
      linux,
    );
    expect(outline(menu).slice(0, 26)).toEqual([
      '[GitHub (ghe.example.test) needs reconnecting]',
      '---',
      '[Runners]',
      '[Local runner: online]',
      '---',
      '[Accounts]',
      'GitHub (github.com): connected ▸',
      '  [Connected as octocat]',
      '  ---',
      '  Log out',
      'GitHub (ghe.example.test): needs reconnecting ▸',
      '  [Needs reconnecting]',
      '  ---',
      '  Reconnect…',
      '  Log out',
      'Azure DevOps (dev.azure.com), contoso: not connected ▸',
      '  [Not connected]',
      '  ---',
      '  Log in…',
      'GitLab (gitlab.example.test): not connected ▸',
      '  [Not connected]',
      '  ---',
      '  [There is no way to log in here yet]',
      'Bitbucket Cloud (bitbucket.org): expires soon ▸',
      '  [Connected as ada, expires soon]',
      '  ---',
    ]);
    expect(find(menu, 'Log in…')).toMatchObject({ action: { type: 'connect', runnerId: 'local', host: 'https://dev.azure.com', organization: 'contoso' } });
    expect(find(menu, 'Reconnect…')).toMatchObject({ action: { type: 'connect', host: 'https://ghe.example.test' } });
    expect(find(menu, 'Log out of all 2 accounts')).toMatchObject({ action: { type: 'log-out', host: 'https://bitbucket.org', organization: null } });
    expect(find(menu, 'There is no way to log in here yet')).toMatchObject({ enabled: false, action: null });
  });

  it('names the runner when two runners have the same host', () => {
    const menu = trayMenu(state({ connections: [github(), github({ runnerId: 'remote-1', runnerName: 'Build server', state: 'none', account: null, accounts: 0 })] }), linux);
    expect(outline(menu).filter((line) => line.endsWith('▸'))).toEqual([
      'GitHub (github.com) on Local runner: connected ▸',
      'GitHub (github.com) on Build server: not connected ▸',
    ]);
  });

  it('running clones and sign-ins with their progress and Cancel', () => {
    const menu = trayMenu(
      state({
        overall: 'busy',
        jobs: [
          { runnerId: 'local', jobId, kind: 'environment-clone', subject: 'octo/hello', percent: 42 },
          { runnerId: 'local', jobId: 'j_signinsigninsignin0', kind: 'oauth-connect', subject: 'GitHub (github.com)', percent: null },
        ],
      }),
      linux,
    );
    const lines = outline(menu);
    expect(lines[0]).toBe('[2 tasks running]');
    expect(lines.slice(lines.indexOf('[Running]'), lines.indexOf('[Running]') + 5)).toEqual([
      '[Running]',
      'Cloning octo/hello: 42% ▸',
      '  Cancel',
      'Signing in to GitHub (github.com)… ▸',
      '  Cancel',
    ]);
    expect(find(menu, 'Cloning octo/hello: 42%')).toMatchObject({ submenu: [{ action: { type: 'cancel-job', runnerId: 'local', jobId } }] });
    expect(outline(trayMenu(state({ jobs: [{ runnerId: 'local', jobId, kind: 'environment-clone', subject: null, percent: null }] }), linux))[0]).toBe('[Cloning a repository…]');
  });

  it('recent environments: Open folder and Open in editor only for a ready one on this computer', () => {
    const environments: TrayState['environments'] = [
      { runnerId: 'local', runnerName: 'Local runner', id: envId, repository: 'octo/hello', ref: 'pull request 8', state: 'ready', local: true, updatedAt: '2026-01-02T00:00:00.000Z' },
      { runnerId: 'remote-1', runnerName: 'Build server', id: 'e_remoteremoteremote', repository: 'octo/server', ref: 'main', state: 'ready', local: false, updatedAt: '2026-01-01T00:00:00.000Z' },
      { runnerId: 'local', runnerName: 'Local runner', id: 'e_failedfailedfailed', repository: 'octo/broken', ref: 'main', state: 'failed', local: true, updatedAt: '2026-01-01T00:00:00.000Z' },
    ];
    const menu = trayMenu(state({ environments, failedEnvironments: 1, overall: 'attention' }), linux);
    const lines = outline(menu);
    expect(lines[0]).toBe('[An environment could not be cloned]');
    expect(lines.slice(lines.indexOf('[Recent environments]') + 1, lines.indexOf('[Recent environments]') + 12)).toEqual([
      'octo/hello, pull request 8 ▸',
      '  Open folder',
      '  Open in editor',
      '  Show in Paddock',
      'octo/server, main ▸',
      '  [On Build server]',
      '  Show in Paddock',
      'octo/broken, main (failed) ▸',
      '  [Could not be cloned]',
      '  Show in Paddock',
      '---',
    ]);
    expect(find(menu, 'Open folder')).toMatchObject({ action: { type: 'open-environment', runnerId: 'local', id: envId, target: 'folder' } });
    expect(find(menu, 'Open in editor')).toMatchObject({ action: { type: 'open-environment', target: 'editor' } });
  });

  it('New environment from clipboard is enabled only with a repository URL, whose text it never shows', () => {
    const url = 'https://github.com/octo/hello/pull/8?token=CANARY-secret';
    const menu = trayMenu(state(), { platform: 'linux', clipboardUrl: url });
    expect(find(menu, 'New environment from clipboard')).toEqual({ type: 'normal', label: 'New environment from clipboard', enabled: true, action: { type: 'new-environment-from-clipboard' } });
    expect(JSON.stringify(menu)).not.toContain('CANARY');
    expect(find(trayMenu(state(), linux), 'New environment from clipboard')).toMatchObject({ enabled: false, action: null });
  });

  it('on macOS, where a top-level item cannot be disabled, opens the Environments screen without a URL', () => {
    const menu = trayMenu(state(), { platform: 'darwin', clipboardUrl: null });
    expect(find(menu, 'New environment from clipboard')).toBeUndefined();
    expect(find(menu, 'New environment…')).toMatchObject({ enabled: true, action: { type: 'show-screen', screen: 'environments' } });
  });

  it('a failed runner says so at the top and leads to Runners', () => {
    const menu = trayMenu(state({ overall: 'attention', runners: [{ id: 'local', name: 'Local runner', state: 'failed' }] }), linux);
    expect(outline(menu)[0]).toBe('[Local runner failed]');
    expect(find(menu, 'Local runner: failed')).toMatchObject({ enabled: true, action: { type: 'show-screen', screen: 'runners' } });
    expect(trayTitle(state({ runners: [{ id: 'local', name: 'Local runner', state: 'failed' }] }))).toBe('Paddock: Local runner failed');
  });

  it('says how many things need the user when there are several', () => {
    const menu = trayMenu(state({ overall: 'attention', runners: [{ id: 'local', name: 'Local runner', state: 'failed' }], failedEnvironments: 3 }), linux);
    expect(outline(menu)[0]).toBe('[2 things need your attention]');
  });

  it('cuts long names, and doubles & on Windows so that it shows', () => {
    const long = 'a'.repeat(100);
    const menu = trayMenu(state({ runners: [{ id: 'r', name: `R&D ${long}`, state: 'online' }] }), { platform: 'win32', clipboardUrl: null });
    const line = outline(menu)[3]!;
    expect(line.startsWith('[R&&D aaa')).toBe(true);
    expect(line).toContain('…: online');
    expect(outline(trayMenu(state({ runners: [{ id: 'r', name: 'R&D', state: 'online' }] }), linux))[3]).toBe('[R&D: online]');
  });

  it('carries only values: every action survives JSON as it is', () => {
    const menu = trayMenu(state({ connections: [github()], jobs: [{ runnerId: 'local', jobId, kind: 'environment-clone', subject: 'x/y', percent: 1 }] }), linux);
    expect(JSON.parse(JSON.stringify(menu))).toEqual(menu);
  });
});
