import { useId, useState } from 'react';
import type { DesktopSettings, PaddockApi, Preferences } from '../../../../electron/common/api';
import { CheckField, SaveStatus, usePreferenceSaver } from './saving';

type Toggle = 'startAtLogin' | 'keepInTray' | 'notifications';
const toggles: readonly Toggle[] = ['startAtLogin', 'keepInTray', 'notifications'];

/** What closing the window does, as this desktop allows it. */
function trayHint(trayAvailable: boolean | null, keepInTray: boolean): string {
  if (trayAvailable === false) return 'This desktop shows no tray icons, so closing the window quits Paddock: it is never left running out of reach.';
  const on = 'Closing the window leaves Paddock running in the tray, so links, sign-ins and clones carry on. Choose Quit in the tray menu to stop it.';
  const off = 'Closing the window quits Paddock.';
  const unknown = trayAvailable === null ? ' On a desktop that shows no tray icons (GNOME without an extension), closing the window always quits Paddock.' : '';
  return `${keepInTray ? on : `${off} Turn this on to keep it running in the tray instead.`}${unknown}`;
}

/** Start at login, the tray, notifications. */
export function GeneralSection({ api, preferences, desktop }: { api: PaddockApi; preferences: Preferences; desktop: DesktopSettings | null }) {
  const headingId = useId();
  const { state, errors, save } = usePreferenceSaver(api, toggles);
  // The choice shows at once; the saved preference (and its event) follows, or the error puts it back.
  const [pending, setPending] = useState<Partial<Record<Toggle, boolean>>>({});
  // What the OS said when the screen opened is out of date once start at login was changed here.
  const [loginChanged, setLoginChanged] = useState(false);
  const value = (key: Toggle) => pending[key] ?? preferences[key];
  const sentences: Record<Toggle, (on: boolean) => string> = {
    startAtLogin: (on) => (on ? 'Paddock now starts when you log in.' : 'Paddock no longer starts when you log in.'),
    keepInTray: (on) => (on ? 'Closing the window now keeps Paddock in the tray.' : 'Closing the window now quits Paddock.'),
    notifications: (on) => (on ? 'Notifications are on.' : 'Notifications are off.'),
  };
  const change = (key: Toggle, on: boolean) => {
    if (key === 'startAtLogin') setLoginChanged(true);
    setPending((p) => ({ ...p, [key]: on }));
    void save({ [key]: on }, sentences[key](on)).then(() => setPending((p) => ({ ...p, [key]: undefined })));
  };
  const login = desktop?.startAtLogin;
  const trayAvailable = desktop?.trayAvailable ?? null;
  const outOfStep = login && !loginChanged && login.enabled !== null && login.enabled !== preferences.startAtLogin;

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>General</h2>
      <CheckField
        label="Start Paddock when you log in"
        checked={value('startAtLogin')}
        disabled={login?.supported === false}
        onChange={(on) => change('startAtLogin', on)}
        error={errors.fields.startAtLogin}
        hint={
          login?.supported === false
            ? 'This computer does not let Paddock start at login from here.'
            : trayAvailable === false
              ? 'Paddock starts and opens its window when you log in to this computer.'
              : 'Paddock starts in the background when you log in to this computer, without opening its window, so links and sign-ins reach it at once.'
        }
      />
      {outOfStep && (
        <p className="setting-note">
          {login.enabled
            ? 'Your computer’s settings start Paddock at login, though this is off here.'
            : 'Your computer’s settings no longer start Paddock at login (it was changed outside Paddock). Turn this off and on again to set it up again.'}
        </p>
      )}
      <CheckField
        label="Keep running in the tray when the window is closed"
        checked={trayAvailable === false ? false : value('keepInTray')}
        disabled={trayAvailable === false}
        onChange={(on) => change('keepInTray', on)}
        error={errors.fields.keepInTray}
        hint={trayHint(trayAvailable, value('keepInTray'))}
      />
      <CheckField
        label="Show notifications"
        checked={value('notifications')}
        onChange={(on) => change('notifications', on)}
        error={errors.fields.notifications}
        hint="When a host is connected, an environment is ready or has failed, a token expires soon or a runner fails. Nothing is shown for what you just did in this window."
      />
      <SaveStatus state={state} general={errors.general} />
    </section>
  );
}
