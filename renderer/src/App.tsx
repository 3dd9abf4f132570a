import { useCallback, useEffect, useRef, useState } from 'react';
import type { PaddockApi, Theme } from '../../electron/common/api';
import { NavIcon } from './components/NavIcon';
import { Notices } from './components/Notices';
import { SimulationBanner } from './components/SimulationBanner';
import { useApiValue } from './hooks';
import { guardUnload, heldNavigation, noteHistoryEntry } from './leave-guard';
import { hashOf, routeFromHash, screens, type Route } from './routes';
import { AccountsScreen, type ConnectRequest } from './screens/AccountsScreen';
import { EnvironmentsScreen, type EnvironmentFocus } from './screens/EnvironmentsScreen';
import { useRequestArrivals } from './screens/environments/requests';
import { WindowIntake, type Arrival } from './screens/environments/WindowIntake';
import { AddRemoteRunnerScreen } from './screens/runners/AddRemoteRunnerScreen';
import { RepositoryAccessScreen } from './screens/runners/RepositoryAccessScreen';
import { RunnerSettingsScreen } from './screens/runners/RunnerSettingsScreen';
import { RunnersScreen } from './screens/RunnersScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { useUiActions } from './ui-actions';

function applyTheme(theme: Theme): void {
  // 'system' leaves the choice to prefers-color-scheme in styles.css.
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

/** Goes to a route; `message` is said (and shown) on arrival, for example "Runner removed." */
export type Navigate = (route: Route, message?: string) => void;

export function App({ api }: { api: PaddockApi }) {
  const [route, setRoute] = useState<Route>(() => routeFromHash(window.location.hash));
  // A message that belongs to one page: shown there, gone once the user moves on.
  const [flash, setFlash] = useState<{ message: string; hash: string } | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);
  const preferences = useApiValue(() => api.getPreferences(), (listener) => api.onPreferencesChanged(listener));
  const appInfo = useApiValue(() => api.getAppInfo());
  const simulation = appInfo.state === 'ready' ? appInfo.value.simulation : null;
  const routeKey = hashOf(route);

  useEffect(() => {
    if (preferences.state === 'ready') applyTheme(preferences.value.theme);
  }, [preferences]);

  useEffect(() => {
    const onHashChange = (event: HashChangeEvent) => {
      // A form with unsaved input asks first ("Discard changes?"), and goes on itself.
      if (heldNavigation(event.oldURL, event.newURL)) return;
      noteHistoryEntry();
      const next = routeFromHash(window.location.hash);
      setRoute(next);
      setFlash((current) => (current && current.hash === hashOf(next) ? current : null));
    };
    noteHistoryEntry();
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  // Closing or reloading the window with unsaved input asks first too.
  useEffect(() => guardUnload(), []);

  useEffect(() => {
    // Move focus to the new page's heading so keyboard and screen reader users land on it.
    if (firstRender.current) firstRender.current = false;
    else headingRef.current?.focus();
  }, [routeKey]);

  const navigate = useCallback<Navigate>((next, message) => {
    const hash = hashOf(next);
    setFlash(message ? { message, hash } : null);
    if (window.location.hash === hash) setRoute(routeFromHash(hash));
    else window.location.hash = hash;
  }, []);

  // A URL pasted outside a field, dropped on the window, or sent by a link or the command line: the Environments screen takes it.
  const [arrival, setArrival] = useState<Arrival | null>(null);
  const toEnvironments = useCallback(() => navigate({ screen: 'environments' }), [navigate]);
  const onArrival = useCallback(
    (next: Arrival) => {
      setArrival(next);
      toEnvironments();
    },
    [toEnvironments],
  );
  const takeArrival = useCallback(() => setArrival(null), []);
  useRequestArrivals(api, toEnvironments);

  // What the tray or a notification asked the window to show; `nonce` makes the same request twice count twice.
  const [connectRequest, setConnectRequest] = useState<ConnectRequest | null>(null);
  const [environmentRequest, setEnvironmentRequest] = useState<EnvironmentFocus | null>(null);
  const nonce = useRef(0);
  useUiActions(api, (action) => {
    nonce.current += 1;
    switch (action.type) {
      case 'show-screen':
        navigate(action.screen === 'runners' ? { screen: 'runners', page: 'list' } : { screen: action.screen });
        break;
      case 'connect':
        setConnectRequest({ runnerId: action.runnerId, host: action.host, organization: action.organization, nonce: nonce.current });
        navigate({ screen: 'accounts' });
        break;
      case 'show-environment':
        setEnvironmentRequest({ runnerId: action.runnerId, id: action.id, nonce: nonce.current });
        navigate({ screen: 'environments' });
        break;
    }
  });
  const takeConnectRequest = useCallback(() => setConnectRequest(null), []);
  const takeEnvironmentRequest = useCallback(() => setEnvironmentRequest(null), []);

  const flashMessage = flash && flash.hash === routeKey ? flash.message : null;

  return (
    <div className="shell">
      <a className="skip-link" href="#content" onClick={(event) => { event.preventDefault(); headingRef.current?.focus(); }}>
        Skip to content
      </a>
      <nav className="sidebar" aria-label="Main">
        <p className="brand" aria-hidden="true">Paddock</p>
        <ul>
          {screens.map((item) => (
            <li key={item.id}>
              <a href={`#/${item.id}`} aria-current={item.id === route.screen ? 'page' : undefined} title={item.label}>
                <NavIcon screen={item.id} />
                <span className="nav-label">{item.label}</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="content" className="content">
        {simulation && <SimulationBanner simulation={simulation} />}
        <Notices api={api} />
        {/* Always present, so that a message put in it is announced. */}
        <div role="status" className="flash-region">
          {flashMessage && <p className="flash">{flashMessage}</p>}
        </div>
        {route.screen === 'runners' && route.page === 'list' && <RunnersScreen api={api} headingRef={headingRef} navigate={navigate} />}
        {route.screen === 'runners' && route.page === 'add' && <AddRemoteRunnerScreen api={api} headingRef={headingRef} navigate={navigate} />}
        {route.screen === 'runners' && route.page === 'settings' && (
          <RunnerSettingsScreen key={route.runnerId} api={api} headingRef={headingRef} navigate={navigate} runnerId={route.runnerId} />
        )}
        {route.screen === 'runners' && route.page === 'access' && (
          <RepositoryAccessScreen key={route.runnerId} api={api} headingRef={headingRef} runnerId={route.runnerId} />
        )}
        {route.screen === 'environments' && (
          <EnvironmentsScreen
            api={api}
            headingRef={headingRef}
            arrival={arrival}
            onArrivalTaken={takeArrival}
            focusRequest={environmentRequest}
            onFocusRequestTaken={takeEnvironmentRequest}
          />
        )}
        {route.screen === 'accounts' && (
          <AccountsScreen api={api} headingRef={headingRef} connectRequest={connectRequest} onConnectRequestTaken={takeConnectRequest} />
        )}
        {route.screen === 'settings' && <SettingsScreen api={api} headingRef={headingRef} preferences={preferences} />}
      </main>
      <WindowIntake onArrival={onArrival} />
    </div>
  );
}
