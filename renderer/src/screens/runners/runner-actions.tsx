import { useState } from 'react';
import type { PaddockApi, Runner, RunnerState } from '../../../../electron/common/api';
import type { Navigate } from '../../App';
import { runnerStateLabels } from '../../format';
import { errorMessage, type Loadable } from '../../hooks';

/** "Set up a local runner": creates and starts it, then continues to its repository access (R4). */
export function SetUpLocalRunnerButton({ api, navigate, className }: { api: PaddockApi; navigate: Navigate; className?: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const setUp = () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    api.setUpLocalRunner().then(
      (runner) => navigate({ screen: 'runners', page: 'access', runnerId: runner.id }, `${runner.name} is set up on this workstation.`),
      (e: unknown) => {
        setBusy(false);
        setError(`Could not set up a local runner: ${errorMessage(e)}`);
      },
    );
  };
  return (
    <>
      <button type="button" className={className} onClick={setUp} aria-disabled={busy || undefined}>
        {busy ? 'Setting up…' : 'Set up a local runner'}
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

/**
 * "Restart" for the local runner (for example once the keychain is
 * unlocked), "Check now" for a runner on a server. `named` adds the runner's
 * name to the button's accessible name, for lists with several.
 */
export function RestartButton({ api, runner, named = false }: { api: PaddockApi; runner: Runner; named?: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const label = runner.kind === 'local' ? 'Restart' : 'Check now';
  const restart = () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    api.restartRunner({ id: runner.id }).then(
      () => setBusy(false),
      (e: unknown) => {
        setBusy(false);
        setError(errorMessage(e));
      },
    );
  };
  return (
    <span className="restart">
      <button type="button" onClick={restart} aria-disabled={busy || undefined}>
        {busy ? (runner.kind === 'local' ? 'Restarting…' : 'Checking…') : label}
        {named && <span className="visually-hidden"> {runner.name}</span>}
      </button>
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}

/**
 * A sentence for screen readers when a runner's state changes while the
 * page is open ("Local runner is now Online."); empty at first load.
 */
export function useStateAnnouncement(runners: Loadable<Runner[]>): string {
  const [seen, setSeen] = useState<Record<string, RunnerState> | null>(null);
  const [announcement, setAnnouncement] = useState('');
  if (runners.state === 'ready') {
    const current = Object.fromEntries(runners.value.map((r) => [r.id, r.health.state]));
    const changed = !seen || Object.keys(current).length !== Object.keys(seen).length || runners.value.some((r) => seen[r.id] !== r.health.state);
    if (changed) {
      // Adjusting state while rendering, as React documents for "storing information from previous renders".
      if (seen) {
        const sentences = runners.value
          .filter((r) => seen[r.id] !== undefined && seen[r.id] !== r.health.state)
          .map((r) => `${r.name} is now ${runnerStateLabels[r.health.state]}.`);
        if (sentences.length > 0) setAnnouncement(sentences.join(' '));
      }
      setSeen(current);
    }
  }
  return announcement;
}
