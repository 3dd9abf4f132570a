import { useId, useState, type RefObject } from 'react';
import type { PaddockApi, Preferences, Theme } from '../../../electron/common/api';
import { LoadError, Screen } from '../components/Screen';
import { errorMessage, useApiValue, type Loadable } from '../hooks';
import { AboutSection } from './settings/AboutSection';
import { GeneralSection } from './settings/GeneralSection';
import { NetworkSection } from './settings/NetworkSection';
import { ToolsSection } from './settings/ToolsSection';

const themeOptions: { value: Theme; label: string; hint: string }[] = [
  { value: 'system', label: 'Match the system', hint: 'Light or dark, as your operating system is set.' },
  { value: 'light', label: 'Light', hint: 'Always light.' },
  { value: 'dark', label: 'Dark', hint: 'Always dark.' },
];

export function SettingsScreen({
  api,
  headingRef,
  preferences,
}: {
  api: PaddockApi;
  headingRef: RefObject<HTMLHeadingElement | null>;
  preferences: Loadable<Preferences>;
}) {
  const desktopSettings = useApiValue(() => api.getDesktopSettings());
  const desktop = desktopSettings.state === 'ready' ? desktopSettings.value : null;
  const [saveError, setSaveError] = useState<string>();
  // The choice shows at once; the saved preference (and its event) follows.
  const [pendingTheme, setPendingTheme] = useState<Theme>();
  const groupId = useId();

  const chooseTheme = (theme: Theme) => {
    setSaveError(undefined);
    setPendingTheme(theme);
    api.updatePreferences({ theme }).then(
      () => setPendingTheme(undefined),
      (error: unknown) => {
        setPendingTheme(undefined);
        setSaveError(`Could not save the theme: ${errorMessage(error)}`);
      },
    );
  };

  return (
    <Screen title="Settings" headingRef={headingRef}>
      <section className="panel" aria-labelledby={`${groupId}-appearance`}>
        <h2 id={`${groupId}-appearance`}>Appearance</h2>
        {preferences.state === 'loading' && <p aria-busy="true">Loading preferences…</p>}
        {preferences.state === 'failed' && <LoadError message={preferences.message} />}
        {preferences.state === 'ready' && (
          <fieldset className="choices">
            <legend>Theme</legend>
            {themeOptions.map((option) => (
              <label key={option.value} className="choice">
                <input
                  type="radio"
                  name={`${groupId}-theme`}
                  value={option.value}
                  checked={(pendingTheme ?? preferences.value.theme) === option.value}
                  onChange={() => chooseTheme(option.value)}
                  aria-describedby={`${groupId}-${option.value}-hint`}
                />
                <span>
                  <span className="choice-label">{option.label}</span>
                  <span className="choice-hint" id={`${groupId}-${option.value}-hint`}>
                    {option.hint}
                  </span>
                </span>
              </label>
            ))}
          </fieldset>
        )}
        {saveError && <LoadError message={saveError} />}
      </section>
      {desktopSettings.state === 'failed' && <LoadError message={desktopSettings.message} />}
      {preferences.state === 'ready' && (
        <>
          <GeneralSection api={api} preferences={preferences.value} desktop={desktop} />
          <ToolsSection api={api} preferences={preferences.value} desktop={desktop} />
          <NetworkSection api={api} preferences={preferences.value} desktop={desktop} />
        </>
      )}
      <AboutSection api={api} />
    </Screen>
  );
}
