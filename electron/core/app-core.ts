import fs from 'node:fs';
import {
  APP_API_VERSION,
  type AppInfo,
  type Environment,
  type EnvironmentRequestSource,
  type Notice,
  type PaddockApi,
  type Preferences,
  type PreferencesPatch,
  type UiAction,
} from '../common/api';
import { deepLinkActionSchema, type DeepLinkAction, type DeepLinkOutcome } from '../common/deep-link';
import { PaddockError } from '../common/errors';
import { localRunnerRef, managedProviderOf } from '../common/policy';
import type { ProviderKind } from '../common/provider-kind';
import { callbackRunnerOf, normalizeHost } from '../common/providers';
import type { LoadedPolicy } from './policy/load';
import type { CredentialStore } from './credentials';
import { ApiEventHub } from './events';
import { folderToOpen } from './environment-open';
import { choiceKey, matchEnvironment } from './environments';
import { HostsModel } from './hosts';
import { EnvironmentRequests } from './intake';
import { UiActionQueue } from './ui-actions';
import { performTrayAction, repositoryUrlIn, TrayModel, type TrayActionResult, type TrayState } from './tray';
import { checkNetworkPreferences, effectiveNetwork, policyDecides, policyNetworkView, runnerNetworkLaunch } from './network-settings';
import { CoreJobs } from './jobs';
import type { Logger } from './logger';
import { noDesktop, processRuntimeVersions, protocolHandlerNote, type DesktopIntegration } from './desktop';
import { buildDiagnosticsZip, diagnosticsFileName, DiagnosticsJobs, readLogTail, statePart, type DiagnosticsLogs } from './diagnostics';
import { NotificationCenter } from './notifications';
import { OAuthFlows } from './oauth';
import { RunnerRegistry, type RunnerRegistryOptions } from './runners/registry';
import type { AppStore } from './store/store';

export interface CoreOptions {
  store: AppStore;
  appInfo: Omit<AppInfo, 'apiVersion'>;
  logger: Logger;
  /** The main process's keychain entries (remote runners' credentials). */
  credentials: CredentialStore;
  /** The local runner, when this app runs one; null in unit tests of other parts. */
  localRunner: RunnerRegistryOptions['local'];
  heartbeatMs?: number;
  workstationName?: string;
  /** The admin policy, loaded at start (electron/core/policy/load.ts); none when absent. */
  policy?: LoadedPolicy;
  /** The system browser, notifications and the paddock:// hand-off (Electron's, or the web host's stand-ins); none in tests of other parts. */
  desktop?: DesktopIntegration;
  /**
   * The app's log files (main.log, runner.log) and their folder: About shows
   * the folder, "Collect diagnostics" puts their last 5 MB in its zip. None:
   * this app keeps no log files (tests of other parts).
   */
  logs?: DiagnosticsLogs;
}

/**
 * What only the main process may call: not part of `PaddockApi`, so neither
 * IPC nor the web bridge can reach it (their dispatcher knows only the
 * contract's methods). Issues 9–11 add the OAuth callback and the URLs that
 * arrive from argv and deep links here.
 */
export interface MainSurface {
  /** Asks every runner again for its repository access and this user's tokens (the window came back to the front, the network changed). */
  refreshHosts(): Promise<void>;
  /** Stops timers, job watchers and child processes; the core is unusable afterwards. */
  dispose(): Promise<void>;
  /**
   * Acts on a paddock:// link the main process received and parsed
   * (electron/core/deep-links.ts). An OAuth callback goes to the runner of
   * the attempt its state belongs to; one whose state is no attempt in
   * progress is ignored with a log line, never ending another attempt. An
   * `open` link waits as an environment request (`from` says whether it was
   * a link or the command line's `open <url>`) until the user confirms or
   * declines it in the window: nothing is created here.
   */
  handleDeepLink(action: DeepLinkAction, from?: EnvironmentRequestSource): Promise<DeepLinkOutcome>;
  /**
   * Asks the window to show something (the user clicked a tray item or a
   * notification): kept until the window takes it with `takeUiActions`, so
   * it also reaches a window that is still loading. Showing the window
   * itself is the main process's part.
   */
  requestUi(action: UiAction): void;
  /** What the tray shows now (./tray.ts): runners, connections, running clones and sign-ins, recent environments, the overall state. */
  trayState(): TrayState;
  /** Called with the whole tray state whenever it changed; the tray rebuilds its menu and icon from it. */
  onTrayStateChanged(listener: (state: TrayState) => void): () => void;
  /**
   * Performs a tray item's action (./tray-menu.ts), checked again against
   * the current state; `clipboardText` is read when the user chose "New
   * environment from clipboard". Says whether the shell shows the window
   * (the action goes on there) or quits.
   */
  performTrayAction(action: unknown, context?: { clipboardText?: string | null }): Promise<TrayActionResult>;
  /** Text dropped on the tray icon (macOS): a repository URL waits as an environment request; false when the text holds none. */
  environmentFromTrayDrop(text: string): boolean;
}

/** The core: the app's management logic, the one implementation of `PaddockApi`, and the main process's own surface. */
export interface PaddockCore extends PaddockApi {
  readonly main: MainSurface;
  /** The same as `main.dispose` (kept for the hosts and tests that stop the core). */
  dispose(): Promise<void>;
}

/**
 * How often the hosts model is asked again when nothing else changed: a token
 * becomes "expiring" with time alone, and the runner's background refresh
 * (every minute) may find one refused.
 */
const HOSTS_REFRESH_MS = 60 * 1000;

/** Diagnostics' paddock:// line: whether links come to Paddock, and how it registers (a desktop that cannot say leaves the note out). */
function protocolHandlerDiagnostics(desk: DesktopIntegration): { isDefault: boolean; note: string | null } {
  try {
    const state = desk.protocolHandler?.();
    if (state) return { isDefault: state.isDefault, note: protocolHandlerNote(state) };
  } catch {
    // The OS could not be asked: the core's own answer below.
  }
  return { isDefault: desk.customSchemeHandled(), note: null };
}

export function createCore({ store, appInfo, logger, credentials, localRunner, heartbeatMs, workstationName, policy, desktop, logs }: CoreOptions): PaddockCore {
  const events = new ApiEventHub();
  let notices: Notice[] = store.recovery ? [store.recovery] : [];
  const addNotices = (added: Notice[]) => {
    const ids = new Set(added.map((n) => n.id));
    notices = [...notices.filter((n) => !ids.has(n.id)), ...added];
    events.emit('noticesChanged', notices);
  };
  // The admin policy: its problems are shown; its local-runner entries are managed (S7).
  notices.push(
    ...(policy?.problems ?? []).map(
      (problem): Notice => ({
        id: `policy:${problem.path}`,
        level: 'warning',
        message: `Admin policy (${policy!.path}), ${problem.path}: ${problem.message} This part of the policy is ignored; the rest applies.`.slice(0, 2000),
      }),
    ),
  );
  const policyProvidersFor = (ref: string) => (policy?.providers ?? []).filter((p) => p.runner === ref);
  /** Core refuses changes to managed entries too, not only the runner (S7). */
  const refuseManaged = (runnerId: string, kind: ProviderKind | null, hosts: (string | null)[]) => {
    const ref = runners.policyRef(runnerId);
    if (ref === null) return;
    const managedHosts = new Set(policyProvidersFor(ref).map((p) => p.host));
    for (const host of hosts) {
      if (host === null) continue;
      const normalized = kind ? normalizeHost(kind, host) : null;
      const key = normalized?.ok ? normalized.baseUrl : host;
      if (managedHosts.has(key)) {
        throw new PaddockError('forbidden', `${key} is managed by the admin policy (${policy?.path}); it cannot be changed or removed here.`);
      }
    }
  };
  const applyPolicy = async (runnerId: string, ref: string) => {
    try {
      const result = await runners.route(runnerId, 'applyPolicy', {
        body: { providers: policyProvidersFor(ref).map(managedProviderOf) },
      });
      if (result.problems.length) {
        addNotices(
          result.problems.map((problem) => ({
            id: `policy-apply:${problem.host}`,
            level: 'warning' as const,
            message: `Admin policy entry for ${problem.host} was not applied: ${problem.message}`.slice(0, 2000),
          })),
        );
      }
    } catch (error) {
      logger.warn('admin policy could not be applied to a runner', { runnerId, error: error instanceof Error ? error.message : String(error) });
    }
  };
  // The local runner's network (D4): the admin policy's where it sets one, else the user's (Settings), read at
  // each start. The CA file and no-proxy list go as flags; the proxy URL, which the policy's may give with a user
  // name and password, goes with the token over the process channel instead (./network-settings.ts).
  const currentNetwork = () => effectiveNetwork(store.get('preferences').network, policy?.network);
  const withNetwork = (config: NonNullable<typeof localRunner>) => ({
    ...config,
    network: () => runnerNetworkLaunch(currentNetwork()),
  });
  const runners = new RunnerRegistry({
    store,
    credentials,
    logger,
    local: localRunner ? withNetwork(localRunner) : localRunner,
    ...(heartbeatMs ? { heartbeatMs } : {}),
    ...(workstationName ? { workstationName } : {}),
    onChange: (list) => {
      events.emit('runnersChanged', list);
      // A runner that came online (or went away) changes which hosts can be reached.
      const reachable = new Set(list.filter((r) => r.health.state === 'online' || r.health.state === 'degraded').map((r) => r.id));
      for (const id of reachable) if (!askedHosts.has(id)) void hosts.refresh(id);
      for (const id of askedHosts) if (!list.some((r) => r.id === id)) hosts.forget(id);
      askedHosts.clear();
      for (const id of reachable) askedHosts.add(id);
    },
    onLocalReady: () => {
      void applyPolicy('local', localRunnerRef).then(() => hosts.refresh('local'));
    },
    policyRunners: policy?.runners ?? [],
  });
  /** The runners the hosts model last asked (online or degraded). */
  const askedHosts = new Set<string>();
  const hosts = new HostsModel({
    runners: () => runners.list().filter((r) => r.health.state === 'online' || r.health.state === 'degraded'),
    listProviders: async (id) => (await runners.route(id, 'listProviders')).providers,
    listTokens: async (id) => (await runners.route(id, 'listTokens')).tokens,
    onChange: (list) => events.emit('hostsChanged', list),
    logger,
  });
  const jobs = new CoreJobs({
    call: (id, request, schema) => runners.call(id, request, schema),
    stream: (id, request, schema, onLine) => runners.stream(id, request, schema, onLine),
    emit: (event) => events.emit('jobEvent', event),
    logger,
  });
  const oauth = new OAuthFlows({
    runner: (id) => runners.get(id),
    listProviders: async (id) => (await runners.route(id, 'listProviders')).providers,
    startJob: (id, start) => jobs.start(id, start),
    getJob: (id, jobId) => jobs.get(id, jobId),
    cancelJob: (id, jobId) => jobs.cancel(id, jobId),
    onJobEvent: (listener) => events.on('jobEvent', listener),
    postCallback: (id, body) => runners.route(id, 'oauthCallback', { body }),
    refreshHosts: (id) => hosts.refresh(id),
    desktop: desktop ?? noDesktop,
    // A remote runner's own https callback only when it offers one (its admin's certificate).
    callbackRunner: callbackRunnerOf,
    logger,
  });
  const requests = new EnvironmentRequests({ onChange: (list) => events.emit('environmentRequestsChanged', list) });
  const uiActions = new UiActionQueue((count) => events.emit('uiActionsWaiting', { count }));
  const hostsTimer = setInterval(() => void hosts.refresh(), HOSTS_REFRESH_MS);
  // A job's end may have changed this user's tokens (a token check refreshes one, or finds it refused): show it.
  const unwatchJobEnds = events.on('jobEvent', ({ runnerId, event }) => {
    if (event.type === 'end') void hosts.refresh(runnerId);
  });
  hostsTimer.unref();
  // The jobs this app followed, for the diagnostics (kind, state, how each ended).
  const diagnosticsJobs = new DiagnosticsJobs();
  const unwatchDiagnosticsJobs = events.on('jobEvent', (event) => diagnosticsJobs.record(event));
  // System notifications (./notifications.ts): decided here from the core's own events, shown by the desktop.
  const notifications = new NotificationCenter({
    desktop: desktop ?? noDesktop,
    enabled: () => store.get('preferences').notifications,
    requestUi: (action) => uiActions.push(action),
    logger,
  });
  const unwatchForNotifications = [
    events.on('hostsChanged', (list) => notifications.hostsChanged(list)),
    events.on('runnersChanged', (list) => notifications.runnersChanged(list)),
    events.on('jobEvent', (event) => notifications.jobEvent(event)),
  ];

  // The tray's view (./tray.ts): from the core's own events, and the environment list asked again when it may have changed.
  const tray = new TrayModel({
    runners: () => runners.list(),
    hosts: () => hosts.list(),
    listEnvironments: async () => (await core.listEnvironments()).environments,
    logger,
  });
  let reachableRunners = '';
  const unwatchTray = [
    events.on('runnersChanged', (list) => {
      tray.update();
      const reachable = list.filter((r) => r.health.state === 'online' || r.health.state === 'degraded').map((r) => r.id).sort().join(' ');
      if (reachable !== reachableRunners) {
        reachableRunners = reachable;
        void tray.refreshEnvironments();
      }
    }),
    events.on('hostsChanged', () => tray.update()),
    events.on('jobEvent', (event) => tray.jobEvent(event)),
  ];
  const trayTimer = setInterval(() => void tray.refreshEnvironments(), HOSTS_REFRESH_MS);
  trayTimer.unref();
  runners.start();

  /** About's facts (getDiagnostics); the diagnostics zip's app.json has the same. */
  const diagnostics = () => {
    const desk = desktop ?? noDesktop;
    return {
      app: { name: appInfo.name, version: appInfo.version, shell: appInfo.shell, platform: appInfo.platform, arch: process.arch },
      runtime: desk.runtimeVersions?.() ?? processRuntimeVersions(),
      runners: runners.list().map((r) => ({
        id: r.id,
        name: r.name,
        kind: r.kind,
        state: r.health.state,
        version: r.health.version,
        apiVersion: r.health.apiVersion,
        lastSeen: r.health.lastSeen,
      })),
      // How this installation registers as the handler, where the desktop knows it.
      protocolHandler: protocolHandlerDiagnostics(desk),
      tray: desk.trayState?.() ?? ('unknown' as const),
      paths: { settingsFile: store.path, logsFolder: logs?.folder ?? null, localRunnerData: localRunner?.dataDir ?? null },
      canCollect: desk.saveDiagnostics !== undefined,
    };
  };

  /** The settings file as it is on disk: its content, or why it is left out (never its raw text when it is not JSON). */
  const settingsFile = async (): Promise<{ ok: true; value: unknown } | { ok: false; reason: string }> => {
    try {
      return { ok: true, value: JSON.parse(await fs.promises.readFile(store.path, 'utf8')) as unknown };
    } catch (error) {
      return { ok: false, reason: error instanceof SyntaxError ? 'it is not valid JSON.' : `it could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).` };
    }
  };

  /** The folder to open for a local environment, as its runner says it is (./environment-open.ts). */
  const localEnvironmentFolder = async (runnerId: string, id: string): Promise<string> => {
    const runner = runners.get(runnerId);
    const environment = runner.kind === 'local' ? (await runners.route(runnerId, 'listEnvironments')).environments.find((e) => e.id === id) : undefined;
    return folderToOpen(runner, environment, (folder) =>
      fs.promises.stat(folder).then(
        (stat) => stat.isDirectory(),
        () => false,
      ),
    );
  };

  const dispose = async () => {
    clearInterval(hostsTimer);
    clearInterval(trayTimer);
    for (const unwatch of unwatchTray) unwatch();
    tray.dispose();
    unwatchJobEnds();
    unwatchDiagnosticsJobs();
    for (const unwatch of unwatchForNotifications) unwatch();
    notifications.dispose();
    await oauth.dispose();
    jobs.dispose();
    await runners.dispose();
  };

  const core: PaddockCore = {
    getAppInfo: async () => ({ ...appInfo, apiVersion: APP_API_VERSION }),

    getPreferences: async () => store.get('preferences'),

    updatePreferences: async (patch: PreferencesPatch) => {
      const current = store.get('preferences');
      const preferences: Preferences = { ...current, ...patch };
      const desk = desktop ?? noDesktop;
      if (patch.network) {
        const decided = policyDecides(policy?.network);
        for (const field of decided) {
          if ((patch.network[field] ?? null) !== current.network[field]) {
            throw new PaddockError('forbidden', `This is set by the admin policy (${policy?.path}), so it cannot be changed here.`, [
              { path: `network.${field}`, message: `Set by the admin policy (${policy?.path}).` },
            ]);
          }
        }
        preferences.network = checkNetworkPreferences(patch.network);
      }
      for (const field of ['editor', 'terminal'] as const) {
        const choice = patch[field];
        if (choice === undefined || choice === 'auto' || choice === current[field] || !desk.tools) continue;
        const tools = await desk.tools();
        if (!(field === 'editor' ? tools.editors : tools.terminals).some((tool) => tool.id === choice)) {
          const what = field === 'editor' ? 'editor' : 'terminal';
          throw new PaddockError('invalid-input', `Paddock does not know the ${what} “${choice}” on this computer. Choose one of the list.`, [{ path: field, message: `Choose a ${what} from the list.` }]);
        }
      }
      if (patch.startAtLogin !== undefined && patch.startAtLogin !== current.startAtLogin) {
        // The OS first: the preference says "on" only once the OS agreed.
        try {
          if (!desk.setStartAtLogin) throw new Error('Paddock cannot start at login here.');
          await desk.setStartAtLogin(patch.startAtLogin);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          logger.warn('start at login not changed', { enabled: patch.startAtLogin, error: message });
          throw new PaddockError('internal', message, [{ path: 'startAtLogin', message }]);
        }
      }
      store.set('preferences', preferences);
      events.emit('preferencesChanged', preferences);
      const before = effectiveNetwork(current.network, policy?.network);
      const after = currentNetwork();
      if (JSON.stringify(before) !== JSON.stringify(after) && runners.list().some((r) => r.kind === 'local')) {
        // The runner reads its network at start: it starts again with the new one.
        logger.info('local runner restarting for new network settings');
        void runners.restart('local').catch((error: unknown) => logger.warn('local runner did not restart', { error: error instanceof Error ? error.message : String(error) }));
      }
      return preferences;
    },

    listRunners: async () => runners.list(),
    getRunner: async ({ id }) => runners.get(id),
    probeRemoteRunner: (input) => runners.probeRemote(input),
    addRemoteRunner: (input) => notifications.userAddsRunner(() => runners.addRemote(input)),
    renameRunner: async ({ id, name }) => runners.rename(id, name),
    registerManagedRunner: ({ id, token }) => notifications.userActsOnRunner(id, () => runners.registerManaged(id, token)),
    removeRunner: async ({ id, force }) => {
      const left = await runners.remove(id, force ?? false);
      jobs.dispose(id);
      return left;
    },
    restartRunner: ({ id }) => notifications.userActsOnRunner(id, () => runners.restart(id)),
    setUpLocalRunner: () => notifications.userActsOnRunner('local', () => runners.setUpLocal()),
    listProviders: async ({ id }) => (await runners.route(id, 'listProviders')).providers,
    saveProvider: async ({ runnerId, ...body }) => {
      refuseManaged(runnerId, body.provider.kind, [body.provider.host, body.previousHost]);
      const result = await runners.route(runnerId, 'saveProvider', { body });
      // Awaited: once the save answers, the hosts model (environments, the tray, Accounts) knows the entry.
      if (result.saved) await hosts.refresh(runnerId);
      return result;
    },
    discoverTenant: ({ runnerId, organization }) => runners.route(runnerId, 'discoverTenant', { body: { organization } }),
    deleteProvider: async ({ runnerId, host }) => {
      refuseManaged(runnerId, null, [host]);
      const { deletedTokens } = await runners.route(runnerId, 'deleteProvider', { body: { host } });
      const { providers } = await runners.route(runnerId, 'listProviders');
      await hosts.refresh(runnerId);
      return { deletedTokens, providers };
    },

    listHosts: async () => hosts.list(),
    connectWithPat: async ({ runnerId, ...body }) => {
      const token = await runners.route(runnerId, 'connectPat', { body });
      await hosts.refresh(runnerId);
      return token;
    },
    logOut: async ({ runnerId, host, organization, id }) => {
      const result = await runners.route(runnerId, 'deleteTokens', {
        body: { host, ...(organization === undefined ? {} : { organization }), ...(id === undefined ? {} : { id }) },
      });
      await hosts.refresh(runnerId);
      return result;
    },
    listTokens: async ({ id }) => (await runners.route(id, 'listTokens')).tokens,
    useToken: async ({ runnerId, id }) => {
      const { tokens } = await runners.route(runnerId, 'useToken', { body: { id } });
      await hosts.refresh(runnerId);
      return tokens;
    },
    connectOAuth: async (input) => {
      const attempt = await oauth.connect(input);
      const access = hosts.list().find((a) => a.runnerId === input.runnerId && a.host === input.host);
      if (access) tray.noteSignIn(attempt.runnerId, attempt.job.id, access.kind, access.host, input.organization);
      return attempt;
    },
    completeOAuth: ({ url }) => oauth.complete(url),
    startJob: ({ runnerId, job }) => jobs.start(runnerId, job),
    getJob: ({ runnerId, jobId }) => jobs.get(runnerId, jobId),
    cancelJob: async ({ runnerId, jobId }) => {
      const job = await jobs.cancel(runnerId, jobId);
      // An OAuth attempt's listener closes now, not when the event stream gets round to saying so.
      oauth.observe(runnerId, job);
      return job;
    },

    listEnvironments: async () => {
      const list = runners.list();
      const environments: Environment[] = [];
      const unavailable: { runnerId: string; runnerName: string; message: string }[] = [];
      await Promise.all(
        list.map(async (runner) => {
          const away = (message: string) => unavailable.push({ runnerId: runner.id, runnerName: runner.name, message });
          if (runner.health.state !== 'online' && runner.health.state !== 'degraded') {
            return away(`${runner.name} is not reachable now, so its environments are not listed. They are kept on it.`);
          }
          try {
            for (const e of (await runners.route(runner.id, 'listEnvironments')).environments) environments.push({ ...e, runnerId: runner.id, runnerName: runner.name });
          } catch (error) {
            away(`${runner.name} could not list its environments: ${error instanceof Error ? error.message : 'no answer'}`);
          }
        }),
      );
      environments.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      return { environments, unavailable };
    },
    matchEnvironment: async ({ url }) => matchEnvironment(url, hosts.list(), store.get('runnerForHost')),
    createEnvironment: async ({ runnerId, url, tokenId, depth, remember }) => {
      const runner = runners.get(runnerId);
      const { environment, job } = await runners.route(runnerId, 'createEnvironment', { body: { url, tokenId, depth } });
      notifications.cloneStarted({ runnerId, runnerName: runner.name, environment }, job);
      jobs.follow(runnerId, job);
      void tray.refreshEnvironments();
      if (remember) store.set('runnerForHost', { ...store.get('runnerForHost'), [choiceKey(environment.host, environment.organization)]: runnerId });
      return { environment: { ...environment, runnerId, runnerName: runner.name }, job };
    },
    retryEnvironment: async ({ runnerId, id }) => {
      const runner = runners.get(runnerId);
      const { environment, job } = await runners.route(runnerId, 'retryEnvironment', { params: { id } });
      notifications.cloneStarted({ runnerId, runnerName: runner.name, environment }, job);
      jobs.follow(runnerId, job);
      void tray.refreshEnvironments();
      return { environment: { ...environment, runnerId, runnerName: runner.name }, job };
    },
    environmentChanges: async ({ runnerId, id }) => runners.route(runnerId, 'environmentChanges', { params: { id } }),
    deleteEnvironment: async ({ runnerId, id }) => {
      const result = await runners.route(runnerId, 'deleteEnvironment', { params: { id } });
      void tray.refreshEnvironments();
      return result;
    },
    openEnvironment: async ({ runnerId, id, target }) => {
      const folder = await localEnvironmentFolder(runnerId, id);
      const desk = desktop ?? noDesktop;
      const { editor, terminal } = store.get('preferences');
      const opened =
        target === 'folder' ? await desk.openFolder(folder) : target === 'editor' ? await desk.openInEditor(folder, editor) : await desk.openTerminal(folder, terminal);
      // The ids only: a folder name can say more about the user than the log needs.
      logger.info('environment opened', { runnerId, id, target });
      if (opened && opened.missing) {
        const what = target === 'editor' ? 'editor' : 'terminal';
        return { ok: true as const, note: `${opened.missing} is not installed any more, so it opened in ${opened.opened}. Choose another ${what} in Settings.`.slice(0, 500) };
      }
      return { ok: true as const };
    },
    desktopEditor: async () => {
      const editor = await (desktop ?? noDesktop).editor(store.get('preferences').editor);
      return editor ? { name: editor.name } : null;
    },
    getDesktopSettings: async () => {
      const desk = desktop ?? noDesktop;
      const tools = desk.tools ? await desk.tools() : { editors: [], terminals: [], automaticEditor: null, automaticTerminal: null };
      const osState = desk.startAtLogin ? await desk.startAtLogin().catch(() => null) : null;
      return {
        ...tools,
        trayAvailable: desk.trayAvailable ? desk.trayAvailable() : null,
        startAtLogin: { supported: desk.setStartAtLogin !== undefined && desk !== noDesktop, enabled: osState },
        networkPolicy: policy ? policyNetworkView(policy.network, policy.path) : null,
      };
    },

    listEnvironmentRequests: async () => requests.list(),
    resolveEnvironmentRequest: async ({ id }) => {
      requests.resolve(id);
      return requests.list();
    },

    takeUiActions: async () => uiActions.take(),

    getDiagnostics: async () => diagnostics(),

    collectDiagnostics: async () => {
      const desk = desktop ?? noDesktop;
      if (!desk.saveDiagnostics) throw new PaddockError('internal', 'Paddock cannot save files here: it runs without a desktop.');
      const createdAt = new Date();
      const [settings, hostList, environments, logTails] = await Promise.all([
        settingsFile(),
        statePart(async () => hosts.list()),
        statePart(() => core.listEnvironments()),
        Promise.all(
          (logs?.files ?? []).map(async (file) => ({
            name: file.name,
            tail: await readLogTail(file.path).catch((error: unknown) => ({
              text: `The log could not be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}\n`,
              truncated: false,
            })),
          })),
        ),
      ]);
      const zip = buildDiagnosticsZip({
        createdAt,
        app: { ...diagnostics(), apiVersion: APP_API_VERSION, simulation: appInfo.simulation ? 'simulated providers (web host)' : null },
        settings,
        states: {
          runners: runners.list(),
          hosts: hostList,
          jobs: diagnosticsJobs.list(),
          environments,
          notices,
        },
        logs: logTails,
      });
      const answer = await desk.saveDiagnostics({ suggestedName: diagnosticsFileName(createdAt), data: zip.data });
      logger.info('diagnostics collected', { saved: answer.saved, bytes: zip.data.byteLength, entries: zip.entries.length });
      return answer.saved ? { saved: true as const, path: answer.path, bytes: zip.data.byteLength, entries: zip.entries } : { saved: false as const };
    },

    listNotices: async () => notices,

    dismissNotice: async ({ id }) => {
      if (!notices.some((notice) => notice.id === id)) {
        throw new PaddockError('not-found', 'That notice was already dismissed.');
      }
      notices = notices.filter((notice) => notice.id !== id);
      events.emit('noticesChanged', notices);
      return notices;
    },

    onPreferencesChanged: (listener) => events.on('preferencesChanged', listener),
    onRunnersChanged: (listener) => events.on('runnersChanged', listener),
    onNoticesChanged: (listener) => events.on('noticesChanged', listener),
    onEnvironmentRequestsChanged: (listener) => events.on('environmentRequestsChanged', listener),
    onHostsChanged: (listener) => events.on('hostsChanged', listener),
    onJobEvent: (listener) => events.on('jobEvent', listener),
    onUiActionsWaiting: (listener) => events.on('uiActionsWaiting', listener),

    main: {
      refreshHosts: async () => {
        await hosts.refresh();
      },
      dispose,
      requestUi: (action) => uiActions.push(action),
      trayState: () => tray.state(),
      onTrayStateChanged: (listener) => tray.onChange(listener),
      performTrayAction: (action, context) =>
        performTrayAction(
          action,
          tray.state(),
          {
            logOut: (input) => core.logOut(input),
            cancelJob: (input) => core.cancelJob(input),
            openEnvironment: (input) => core.openEnvironment(input),
            requestUi: (ui) => uiActions.push(ui),
            requestEnvironment: (url) => {
              requests.add(url, 'tray');
              // The address is not logged, only its length.
              logger.info('environment request waiting for confirmation', { source: 'tray', length: url.length });
            },
          },
          context,
        ),
      environmentFromTrayDrop: (text) => {
        const url = repositoryUrlIn(text, tray.state());
        if (url === null) return false;
        requests.add(url, 'tray drop');
        logger.info('environment request waiting for confirmation', { source: 'tray drop', length: url.length });
        return true;
      },
      handleDeepLink: async (action, from) => {
        // It crossed from the main process's event handlers: check it again rather than trust its type.
        const parsed = deepLinkActionSchema.safeParse(action);
        if (!parsed.success) {
          logger.warn('deep link ignored', { reason: 'invalid-action' });
          return { handled: false, reason: 'invalid-action' };
        }
        if (parsed.data.type === 'open') {
          // It waits for the user's confirmation in the window (issue 10); the address is not logged, only its length.
          const source = from ?? 'link';
          requests.add(parsed.data.url, source);
          logger.info('environment request waiting for confirmation', { source, length: parsed.data.url.length });
          return { handled: true };
        }
        // Unknown states are logged there, without their values.
        const { matched } = await oauth.deliver(parsed.data, 'deep-link');
        return matched ? { handled: true } : { handled: false, reason: 'unknown-state' };
      },
    },
    dispose,
  };
  return core;
}
