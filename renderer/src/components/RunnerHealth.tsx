import type { RunnerState } from '../../../electron/common/api';
import { exactTime, relativeTime, runnerStateLabels } from '../format';

// A shape as well as a colour and the word, so the state never rests on colour.
const stateGlyphs: Record<Exclude<RunnerState, 'starting'>, string> = {
  online: '●',
  degraded: '▲',
  offline: '○',
  failed: '✕',
  unregistered: '◇',
};

/**
 * The state in words with its glyph. A runner that is starting (the app just
 * opened, a restart) shows a spinner, which stands still for reduced motion,
 * and is a status that screen readers keep the user informed of.
 */
export function StateBadge({ state }: { state: RunnerState }) {
  return (
    <span className={`badge badge-${state}`} {...(state === 'starting' ? { role: 'status' } : {})}>
      {state === 'starting' ? <span className="spinner" aria-hidden="true" /> : <span className="badge-glyph" aria-hidden="true">{stateGlyphs[state]}</span>}
      <span className="visually-hidden">Status: </span>
      {runnerStateLabels[state]}
    </span>
  );
}

/** "2 minutes ago", with the exact time in its title (and beside it, withExact); "Never" for a time there is not (a runner that has not answered yet). */
export function TimeAgo({ at, now, withExact = false }: { at: string | null; now: Date; withExact?: boolean }) {
  if (!at) return <>Never</>;
  const date = new Date(at);
  const exact = exactTime(date);
  return (
    <>
      <time dateTime={at} title={exact}>
        {relativeTime(date, now)}
      </time>
      {withExact && <span className="muted"> ({exact})</span>}
    </>
  );
}
