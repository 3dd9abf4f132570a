import { useEffect, useState } from 'react';
import type { PaddockApi } from '../../../../electron/common/api';
import type { ClonePhase, EnvironmentCloneProgress, JobOutcome, JobView } from '../../../../electron/common/runner-api';
import { errorView } from '../../errors';
import { useJob } from '../../jobs';

/** Bytes in words: "512 B", "12.3 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** What git counts in each of its phases (Paddock's own steps and unknown lines count nothing). */
const counted: Partial<Record<ClonePhase, true>> = { enumerating: true, counting: true, compressing: true, receiving: true, 'resolving-deltas': true, 'updating-files': true, filtering: true };

/** The clone's line: "Receiving objects 45% (120 of 356) · 12.3 MB at 2.1 MB/s", "Counting objects: 356". */
export function progressLine(progress: EnvironmentCloneProgress): string {
  // The server's phases come as "remote: Counting objects": the phase in words, without git's prefix.
  let line = progress.phase === 'other' ? progress.title : progress.title.replace(/^remote:\s*/, '');
  if (progress.percent !== null) line += ` ${Math.round(progress.percent)}%`;
  if (counted[progress.phase] && progress.processed !== null) {
    line += progress.percent !== null && progress.total !== null ? ` (${progress.processed} of ${progress.total})` : `: ${progress.processed}`;
  }
  if (progress.bytes !== null) {
    line += ` · ${formatBytes(progress.bytes)}`;
    if (progress.throughput !== null) line += ` at ${formatBytes(progress.throughput)}/s`;
  }
  return line;
}

/** Follows an environment's clone: a progress bar, its phase in words, Cancel; reports the job's end. */
export function CloneProgress({
  api,
  runnerId,
  jobId,
  initial,
  label,
  onEnd,
}: {
  api: PaddockApi;
  runnerId: string;
  jobId: string;
  initial?: JobView | null;
  /** What is being cloned, for the progress bar's name. */
  label: string;
  onEnd: (outcome: JobOutcome) => void;
}) {
  const watch = useJob(api, runnerId, jobId, initial);
  const [cancelling, setCancelling] = useState(false);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const outcome = watch?.outcome ?? null;
  useEffect(() => {
    if (outcome) onEnd(outcome);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [outcome]);

  const latest = [...(watch?.progress ?? [])].reverse().find((p) => p.progress.kind === 'environment-clone')?.progress as EnvironmentCloneProgress | undefined;
  const percent = latest ? Math.round(latest.overall * 100) : 0;
  return (
    <div className="clone-progress">
      <div role="progressbar" aria-label={`Cloning ${label}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-valuetext={`${percent}%`} className="progress">
        <div className="progress-bar" style={{ width: `${percent}%` }} />
      </div>
      <p className="item-meta" aria-live="polite">
        {latest ? progressLine(latest) : 'Starting the clone…'}
      </p>
      <button
        type="button"
        disabled={cancelling}
        onClick={() => {
          setCancelling(true);
          setCancelError(null);
          api.cancelJob({ runnerId, jobId }).then(
            () => {},
            (error: unknown) => {
              setCancelling(false);
              setCancelError(`The clone was not cancelled: ${errorView(error).message}`);
            },
          );
        }}
      >
        {cancelling ? 'Cancelling…' : 'Cancel'}
      </button>
      {cancelError && <p className="field-error">{cancelError}</p>}
    </div>
  );
}
