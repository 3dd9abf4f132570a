import { useCallback, useEffect, useId, useState } from 'react';
import type { AppInfo, CollectDiagnosticsResult, Diagnostics, PaddockApi } from '../../../../electron/common/api';
import { CopyButton } from '../../components/CopyButton';
import { StateBadge, TimeAgo } from '../../components/RunnerHealth';
import { LoadError } from '../../components/Screen';
import { errorMessage, useApiValue, useNow, type Loadable } from '../../hooks';

// Settings → About: what runs (versions, the runners' versions), whether
// paddock:// links reach Paddock, where its files are, and "Collect
// diagnostics" (a zip for a support request; docs/desktop.md).

const platformNames: Record<string, string> = { darwin: 'macOS', win32: 'Windows', linux: 'Linux' };

/** getDiagnostics, again whenever a runner's state changes (its version arrives with its first answer). */
function useDiagnostics(api: PaddockApi): Loadable<Diagnostics> {
  const [value, setValue] = useState<Loadable<Diagnostics>>({ state: 'loading' });
  const load = useCallback(() => {
    api.getDiagnostics().then(
      (diagnostics) => setValue({ state: 'ready', value: diagnostics }),
      (error: unknown) => setValue((previous) => (previous.state === 'ready' ? previous : { state: 'failed', message: errorMessage(error) })),
    );
  }, [api]);
  useEffect(() => {
    load();
    return api.onRunnersChanged(() => load());
  }, [api, load]);
  return value;
}

type Collecting = { state: 'idle' } | { state: 'busy' } | { state: 'done'; result: CollectDiagnosticsResult } | { state: 'failed'; message: string };

export function AboutSection({ api }: { api: PaddockApi }) {
  const id = useId();
  const info = useApiValue(() => api.getAppInfo());
  const diagnostics = useDiagnostics(api);
  const now = useNow();
  const [collecting, setCollecting] = useState<Collecting>({ state: 'idle' });

  const collect = () => {
    if (collecting.state === 'busy') return;
    setCollecting({ state: 'busy' });
    api.collectDiagnostics().then(
      (result) => setCollecting({ state: 'done', result }),
      (error: unknown) => setCollecting({ state: 'failed', message: errorMessage(error) }),
    );
  };

  const failed = info.state === 'failed' ? info.message : diagnostics.state === 'failed' ? diagnostics.message : null;
  return (
    <section className="panel about" aria-labelledby={`${id}-about`}>
      <h2 id={`${id}-about`}>About</h2>
      {(info.state === 'loading' || diagnostics.state === 'loading') && !failed && <p aria-busy="true">Loading…</p>}
      {failed && <LoadError message={failed} />}
      {info.state === 'ready' && diagnostics.state === 'ready' && (
        <>
          <Versions info={info.value} diagnostics={diagnostics.value} />

          <h3 id={`${id}-runners`}>Runners</h3>
          {diagnostics.value.runners.length === 0 ? (
            <p className="muted">No runners yet.</p>
          ) : (
            <ul className="about-runners" aria-labelledby={`${id}-runners`}>
              {diagnostics.value.runners.map((runner) => (
                <li key={runner.id}>
                  <span className="about-runner-name">{runner.name}</span>
                  <span className="muted">{runner.kind === 'local' ? 'On this computer' : 'On a server'}</span>
                  <StateBadge state={runner.state} />
                  <span>{runner.version ? `Version ${runner.version}` : 'Version shown once it answers'}</span>
                  {runner.state !== 'online' && runner.lastSeen && (
                    <span className="muted">
                      Last answered <TimeAgo at={runner.lastSeen} now={now} />
                    </span>
                  )}
                </li>
              ))}
            </ul>
          )}

          <h3>Sign-in links</h3>
          <ProtocolHandler diagnostics={diagnostics.value} />
          {diagnostics.value.tray !== 'unknown' && (
            <>
              <h3>Tray icon</h3>
              {diagnostics.value.tray === 'shown' ? (
                <p>Paddock’s icon shows in the system tray: closing the window keeps Paddock running there.</p>
              ) : (
                <p>
                  This desktop shows no tray icons, so closing the window quits Paddock. On GNOME, the AppIndicator and KStatusNotifierItem Support extension adds
                  them.
                </p>
              )}
            </>
          )}

          <h3>Files and folders</h3>
          <dl className="facts about-paths">
            <PathRow label="Settings file" path={diagnostics.value.paths.settingsFile} what="the settings file’s path" />
            <PathRow label="Logs folder" path={diagnostics.value.paths.logsFolder} what="the logs folder’s path" />
            <PathRow label="Local runner data" path={diagnostics.value.paths.localRunnerData} what="the local runner data folder’s path" />
          </dl>

          <h3 id={`${id}-diagnostics`}>Diagnostics</h3>
          <p id={`${id}-diagnostics-hint`}>
            Collect diagnostics makes a zip file to send with a support request: Paddock’s recent logs, its settings, and the state of its runners, accounts, jobs
            and environments. It never holds tokens, passwords or client secrets. It does hold folder paths and repository addresses, so look inside before you send
            it.
          </p>
          {diagnostics.value.canCollect ? (
            <div className="actions">
              <button
                type="button"
                onClick={collect}
                aria-disabled={collecting.state === 'busy' || undefined}
                aria-describedby={`${id}-diagnostics-hint`}
              >
                {collecting.state === 'busy' ? 'Collecting diagnostics…' : 'Collect diagnostics'}
              </button>
            </div>
          ) : (
            <p className="muted">Paddock cannot save files here.</p>
          )}
          <div role="status" className="about-collect-status">
            {collecting.state === 'busy' && <p aria-busy="true">Collecting diagnostics…</p>}
            {collecting.state === 'done' && collecting.result.saved && (
              <p>
                Diagnostics saved to <code>{collecting.result.path}</code>
                {info.value.shell === 'electron' ? ', shown in your file manager.' : '.'}{' '}
                <CopyButton text={collecting.result.path} what="the diagnostics file’s path" />
              </p>
            )}
            {collecting.state === 'done' && !collecting.result.saved && <p>Diagnostics not saved: no file was chosen. Collect them again to choose one.</p>}
          </div>
          {collecting.state === 'failed' && <LoadError message={collecting.message} />}
        </>
      )}
    </section>
  );
}

function Versions({ info, diagnostics }: { info: AppInfo; diagnostics: Diagnostics }) {
  const { app, runtime } = diagnostics;
  return (
    <dl className="facts">
      <dt>Version</dt>
      <dd>{info.version}</dd>
      <dt>App API version</dt>
      <dd>{info.apiVersion}</dd>
      <dt>Running as</dt>
      <dd>{info.shell === 'electron' ? 'Desktop app' : 'Web host (development and tests)'}</dd>
      <dt>Platform</dt>
      <dd>
        {platformNames[app.platform] ?? app.platform} ({app.arch})
      </dd>
      {runtime.electron && (
        <>
          <dt>Electron</dt>
          <dd>{runtime.electron}</dd>
        </>
      )}
      {runtime.chrome && (
        <>
          <dt>Chromium</dt>
          <dd>{runtime.chrome}</dd>
        </>
      )}
      <dt>Node.js</dt>
      <dd>{runtime.node}</dd>
    </dl>
  );
}

function ProtocolHandler({ diagnostics }: { diagnostics: Diagnostics }) {
  const { protocolHandler, app } = diagnostics;
  return (
    <>
      {protocolHandler.isDefault ? (
        <p>paddock:// links open Paddock: when you sign in, your browser hands the answer straight back to it.</p>
      ) : app.shell === 'web' ? (
        <p>
          paddock:// links do not reach Paddock here: a browser tab cannot receive them. Signing in uses this computer’s own address where the provider allows
          it, and otherwise the address you paste.
        </p>
      ) : (
        <>
          <p>
            paddock:// links do not reach Paddock on this computer. Signing in still works: where the provider allows it, your browser hands the answer to
            Paddock on this computer’s own address; otherwise Paddock asks you to paste the address your browser ends at.
          </p>
          <p className="muted">To have paddock:// links open Paddock, quit Paddock and start it from where it is installed. If they still do not, install it again.</p>
        </>
      )}
      {protocolHandler.note && <p className="muted">{protocolHandler.note}</p>}
    </>
  );
}

function PathRow({ label, path, what }: { label: string; path: string | null; what: string }) {
  if (path === null) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd className="about-path">
        <code>{path}</code> <CopyButton text={path} what={what} />
      </dd>
    </>
  );
}
