import { useEffect, useRef, useState } from 'react';
import type { PaddockApi, Theme } from '../../electron/common/api';
import { Notices } from './components/Notices';
import { useApiValue } from './hooks';
import { screenFromHash, screens, type ScreenId } from './routes';
import { EnvironmentsScreen } from './screens/EnvironmentsScreen';
import { RunnersScreen } from './screens/RunnersScreen';
import { SettingsScreen } from './screens/SettingsScreen';

function applyTheme(theme: Theme): void {
  // 'system' leaves the choice to prefers-color-scheme in styles.css.
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

export function App({ api }: { api: PaddockApi }) {
  const [screen, setScreen] = useState<ScreenId>(() => screenFromHash(window.location.hash));
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);
  const preferences = useApiValue(() => api.getPreferences(), (listener) => api.onPreferencesChanged(listener));

  useEffect(() => {
    if (preferences.state === 'ready') applyTheme(preferences.value.theme);
  }, [preferences]);

  useEffect(() => {
    const onHashChange = () => setScreen(screenFromHash(window.location.hash));
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  useEffect(() => {
    const label = screens.find((s) => s.id === screen)?.label ?? 'Paddock';
    document.title = `${label} — Paddock`;
    // Move focus to the new screen's heading so keyboard and screen reader users land on it.
    if (firstRender.current) firstRender.current = false;
    else headingRef.current?.focus();
  }, [screen]);

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
              <a href={`#/${item.id}`} aria-current={item.id === screen ? 'page' : undefined}>
                {item.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="content" className="content">
        <Notices api={api} />
        {screen === 'runners' && <RunnersScreen api={api} headingRef={headingRef} />}
        {screen === 'environments' && <EnvironmentsScreen api={api} headingRef={headingRef} />}
        {screen === 'settings' && <SettingsScreen api={api} headingRef={headingRef} preferences={preferences} />}
      </main>
    </div>
  );
}
