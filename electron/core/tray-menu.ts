import type { ConnectionState, RunnerState } from '../common/api';
import { hostWords, type TrayAction, type TrayConnection, type TrayEnvironment, type TrayJob, type TrayState } from './tray';

// The tray menu as a pure function of the tray state (./tray.ts): built as
// a whole on every change, since Linux shows a changed item only when the
// whole menu is set again (GIT-AND-DESKTOP §5.1), and as plain values, so
// that the Electron tray and the web host's simulated tray show the same
// items. Status lines are disabled rows (as Rancher Desktop's); nothing
// needs a right-click, a double-click, a tooltip or a drop.

export type TrayMenuItem =
  | { type: 'separator' }
  | { type: 'normal'; label: string; enabled: boolean; action: TrayAction | null }
  | { type: 'submenu'; label: string; enabled: boolean; submenu: TrayMenuItem[] };

export interface TrayMenuOptions {
  platform: NodeJS.Platform;
  /** The repository URL the clipboard holds (./tray.ts repositoryUrlIn), or null. Never shown: it may carry more than it should. */
  clipboardUrl: string | null;
}

/** The longest name a label shows before it is cut with "…". */
const MAX_NAME = 60;

const runnerWords: Record<RunnerState, string> = {
  starting: 'starting',
  online: 'online',
  degraded: 'partly working',
  offline: 'not reachable',
  failed: 'failed',
  unregistered: 'needs registration',
};

const connectionWords: Record<ConnectionState, string> = {
  connected: 'connected',
  expiring: 'expires soon',
  'reconnect-needed': 'needs reconnecting',
  none: 'not connected',
};

function short(text: string): string {
  return text.length > MAX_NAME ? `${text.slice(0, MAX_NAME - 1)}…` : text;
}

const row = (label: string): TrayMenuItem => ({ type: 'normal', label, enabled: false, action: null });
const item = (label: string, action: TrayAction, enabled = true): TrayMenuItem => ({ type: 'normal', label, enabled, action: enabled ? action : null });
const separator: TrayMenuItem = { type: 'separator' };

/** Where a connection is: the provider and host, the organization, and the runner when another runner has the same one. */
function connectionName(connection: TrayConnection, all: readonly TrayConnection[]): string {
  const base = connection.organization ? `${hostWords(connection.kind, connection.host)}, ${connection.organization}` : hostWords(connection.kind, connection.host);
  const twins = all.filter((c) => c.host === connection.host && c.organization === connection.organization);
  return short(twins.length > 1 ? `${base} on ${connection.runnerName}` : base);
}

function jobLabel(job: TrayJob): string {
  if (job.kind === 'oauth-connect') return job.subject ? `Signing in to ${short(job.subject)}…` : 'Signing in…';
  const what = job.subject ? short(job.subject) : 'a repository';
  return job.percent === null ? `Cloning ${what}…` : `Cloning ${what}: ${job.percent}%`;
}

/** The first line of the menu: what the icon means, in words. */
function statusLine(state: TrayState): string {
  const reasons = [
    ...state.runners.filter((r) => r.state === 'failed').map((r) => `${short(r.name)} failed`),
    ...state.connections.filter((c) => c.state === 'reconnect-needed').map((c) => `${connectionName(c, state.connections)} needs reconnecting`),
    ...(state.failedEnvironments === 1 ? ['An environment could not be cloned'] : state.failedEnvironments > 1 ? [`${state.failedEnvironments} environments could not be cloned`] : []),
  ];
  if (reasons.length === 1) return reasons[0]!;
  if (reasons.length > 1) return `${reasons.length} things need your attention`;
  if (state.jobs.length === 1) return jobLabel(state.jobs[0]!);
  if (state.jobs.length > 1) return `${state.jobs.length} tasks running`;
  return 'Paddock is running';
}

function connectionItem(connection: TrayConnection, all: readonly TrayConnection[]): TrayMenuItem {
  const where = { runnerId: connection.runnerId, host: connection.host, organization: connection.organization };
  const name = connectionName(connection, all);
  const as = connection.account ? `Connected as ${short(connection.account)}` : 'Connected';
  const submenu: TrayMenuItem[] = [];
  const logOut = item(connection.accounts > 1 ? `Log out of all ${connection.accounts} accounts` : 'Log out', { type: 'log-out', ...where });
  switch (connection.state) {
    case 'connected':
      submenu.push(row(as), separator, logOut);
      break;
    case 'expiring':
      submenu.push(row(`${as}, expires soon`), separator);
      if (connection.canConnect) submenu.push(item('Reconnect…', { type: 'connect', ...where }));
      submenu.push(logOut);
      break;
    case 'reconnect-needed':
      submenu.push(row('Needs reconnecting'), separator);
      if (connection.canConnect) submenu.push(item('Reconnect…', { type: 'connect', ...where }));
      submenu.push(logOut);
      break;
    case 'none':
      submenu.push(row('Not connected'), separator);
      submenu.push(connection.canConnect ? item('Log in…', { type: 'connect', ...where }) : row('There is no way to log in here yet'));
      break;
  }
  return { type: 'submenu', label: `${name}: ${connectionWords[connection.state]}`, enabled: true, submenu };
}

function environmentItem(environment: TrayEnvironment): TrayMenuItem {
  const which = { runnerId: environment.runnerId, id: environment.id };
  const submenu: TrayMenuItem[] = [];
  if (environment.state === 'ready' && environment.local) {
    submenu.push(item('Open folder', { type: 'open-environment', ...which, target: 'folder' }));
    submenu.push(item('Open in editor', { type: 'open-environment', ...which, target: 'editor' }));
  } else if (environment.state === 'ready') {
    submenu.push(row(`On ${short(environment.runnerName)}`));
  } else {
    submenu.push(row(environment.state === 'creating' ? 'Being cloned' : environment.state === 'failed' ? 'Could not be cloned' : 'Clone cancelled'));
  }
  submenu.push(item('Show in Paddock', { type: 'show-environment', ...which }));
  const state = environment.state === 'ready' ? '' : environment.state === 'creating' ? ' (cloning)' : environment.state === 'failed' ? ' (failed)' : ' (cancelled)';
  return { type: 'submenu', label: `${short(environment.repository)}, ${short(environment.ref)}${state}`, enabled: true, submenu };
}

/** Windows reads "&" as a keyboard accelerator's mark; "&&" shows one. */
function escaped(items: TrayMenuItem[], platform: NodeJS.Platform): TrayMenuItem[] {
  if (platform !== 'win32') return items;
  return items.map((entry) => {
    if (entry.type === 'separator') return entry;
    const label = entry.label.replaceAll('&', '&&');
    return entry.type === 'submenu' ? { ...entry, label, submenu: escaped(entry.submenu, platform) } : { ...entry, label };
  });
}

/**
 * The whole tray menu: the state in words; runners; every host and
 * organization with its connection (Log in…, Reconnect…, Log out); running
 * clones and sign-ins (Cancel); the five most recent environments (Open
 * folder, Open in editor, Show in Paddock); New environment from
 * clipboard; Open Paddock; Quit.
 *
 * On macOS a top-level item cannot be disabled (Electron ignores `enabled`
 * there), so without a URL on the clipboard the item opens the
 * Environments screen instead ("New environment…").
 */
export function trayMenu(state: TrayState, { platform, clipboardUrl }: TrayMenuOptions): TrayMenuItem[] {
  const menu: TrayMenuItem[] = [row(statusLine(state)), separator];

  menu.push(row('Runners'));
  if (state.runners.length === 0) menu.push(row('No runners yet'));
  for (const runner of state.runners) {
    menu.push(runner.state === 'failed' || runner.state === 'unregistered'
      ? item(`${short(runner.name)}: ${runnerWords[runner.state]}`, { type: 'show-screen', screen: 'runners' })
      : row(`${short(runner.name)}: ${runnerWords[runner.state]}`));
  }

  menu.push(separator, row('Accounts'));
  if (state.connections.length === 0) menu.push(row('No hosts to connect to yet'));
  for (const connection of state.connections) menu.push(connectionItem(connection, state.connections));

  if (state.jobs.length > 0) {
    menu.push(separator, row('Running'));
    for (const job of state.jobs) {
      menu.push({ type: 'submenu', label: jobLabel(job), enabled: true, submenu: [item('Cancel', { type: 'cancel-job', runnerId: job.runnerId, jobId: job.jobId })] });
    }
  }

  menu.push(separator, row('Recent environments'));
  if (state.environments.length === 0) menu.push(row('No environments yet'));
  for (const environment of state.environments) menu.push(environmentItem(environment));

  menu.push(separator);
  if (clipboardUrl !== null) menu.push(item('New environment from clipboard', { type: 'new-environment-from-clipboard' }));
  else if (platform === 'darwin') menu.push(item('New environment…', { type: 'show-screen', screen: 'environments' }));
  else menu.push(item('New environment from clipboard', { type: 'new-environment-from-clipboard' }, false));
  menu.push(item('Open Paddock', { type: 'open-window' }), separator, item('Quit Paddock', { type: 'quit' }));
  return escaped(menu, platform);
}

/** The words for the icon's state (the tooltip and the accessible name; never the only place they show). */
export function trayTitle(state: TrayState): string {
  return `Paddock: ${statusLine(state)}`;
}
