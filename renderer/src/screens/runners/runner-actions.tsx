import { useId, useState } from 'react';
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

/** What Restart (the local runner) or Check now (a runner on a server) does, said next to the button. */
export function restartExplanation(runner: Pick<Runner, 'kind'>): string {
  return runner.kind === 'local'
    ? 'Stops the local runner and starts it again, for example once the OS keychain is unlocked. Work under way on it is cancelled: checks, sign-ins and repository clones.'
    : 'Asks the runner for its status now. Paddock also asks it every few seconds by itself.';
}

/**
 * "Restart" for the local runner (for example once the keychain is
 * unlocked), "Check now" for a runner on a server, with what it does next to
 * it (and as the button's description).
 */
export function RestartButton({ api, runner }: { api: PaddockApi; runner: Runner }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const explanationId = useId();
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
    <div className="restart">
      <button type="button" onClick={restart} aria-disabled={busy || undefined} aria-describedby={explanationId}>
        {busy ? (runner.kind === 'local' ? 'Restarting…' : 'Checking…') : label}
      </button>
      <span className="field-hint restart-explanation" id={explanationId}>
        {restartExplanation(runner)}
      </span>
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </div>
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
