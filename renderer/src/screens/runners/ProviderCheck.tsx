import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { PaddockApi } from '../../../../electron/common/api';
import type { ProviderCheckState, ProviderValidation } from '../../../../electron/common/provider-config';
import type { JobView } from '../../../../electron/common/runner-api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { errorView, type ErrorView } from '../../errors';
import { exactTime, relativeTime } from '../../format';
import { useNow } from '../../hooks';
import { useJob, type JobWatch } from '../../jobs';
import { LastCheck, ValidationGroups } from './provider-checks';

/** The checks so far, in their groups; once the check succeeded, its result (which has them all). */
export function checksOf(watch: JobWatch): ProviderValidation {
  const outcome = watch.outcome;
  if (outcome?.state === 'succeeded' && outcome.result.kind === 'provider-check') return outcome.result.validation;
  const validation: ProviderValidation = { host: [], oauth: [], pat: [] };
  for (const { progress } of watch.progress) {
    if (progress.kind === 'provider-check') validation[progress.group].push(progress.check);
  }
  return validation;
}

/** "All checks passed.", "Found 1 warning.", "Found 2 errors and 1 warning." */
export function checkCounts(validation: ProviderValidation): string {
  const all = [...validation.host, ...validation.oauth, ...validation.pat];
  const errors = all.filter((c) => c.level === 'error').length;
  const warnings = all.filter((c) => c.level === 'warning').length;
  if (errors === 0 && warnings === 0) return all.length === 0 ? 'Nothing to report.' : 'All checks passed.';
  const parts = [errors ? `${errors} ${errors === 1 ? 'error' : 'errors'}` : null, warnings ? `${warnings} ${warnings === 1 ? 'warning' : 'warnings'}` : null];
  return `Found ${parts.filter(Boolean).join(' and ')}.`;
}

/**
 * "Check again" for one repository-access entry: a provider-check job on
 * the runner (any workstation may start one, admin or user), its checks as
 * they arrive, Cancel while it runs, and how it ended. `actions` are the
 * entry's other buttons (Edit, Remove), in the same row.
 */
export function ProviderCheck({
  api,
  runnerId,
  host,
  label,
  idPrefix,
  actions,
  lastCheck,
  onEnded,
}: {
  api: PaddockApi;
  runnerId: string;
  host: string;
  /** Names the entry for screen readers ("GitHub https://github.com"). */
  label: string;
  idPrefix: string;
  actions?: ReactNode;
  /** What the entry's last check came to (kept by the runner), shown until a check runs here: undefined shows nothing. */
  lastCheck?: ProviderCheckState | null;
  /** The check ended (succeeded, failed or cancelled): the runner has kept its outcome on the entry. */
  onEnded?: () => void;
}) {
  const [started, setStarted] = useState(false);
  const [starting, setStarting] = useState(false);
  const [job, setJob] = useState<JobView | null>(null);
  const [startError, setStartError] = useState<ErrorView | null>(null);
  const [cancelRequested, setCancelRequested] = useState(false);
  const [cancelError, setCancelError] = useState<ErrorView | null>(null);
  const watch = useJob(api, runnerId, job?.id ?? null, job);
  const checkButton = useRef<HTMLButtonElement>(null);
  /** Whether the Cancel button has focus: once it goes (the check ended), focus moves to "Check again", not to the page. */
  const cancelFocused = useRef(false);
  const live = useRef(true);
  const jobRunning = watch !== null && (watch.state === null || watch.state === 'running');
  const running = starting || jobRunning;
  const cancelling = cancelRequested && jobRunning;

  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  // Once per job, when it ends.
  const endedJob = watch?.outcome ? job?.id ?? null : null;
  const onEndedRef = useRef(onEnded);
  useEffect(() => {
    onEndedRef.current = onEnded;
  });
  useEffect(() => {
    if (endedJob !== null) onEndedRef.current?.();
  }, [endedJob]);

  useEffect(() => {
    if (!jobRunning && cancelFocused.current) {
      cancelFocused.current = false;
      checkButton.current?.focus();
    }
  }, [jobRunning]);

  const start = () => {
    if (running) return;
    setStarted(true);
    setStarting(true);
    setStartError(null);
    setCancelError(null);
    setCancelRequested(false);
    setJob(null);
    api.startJob({ runnerId, job: { kind: 'provider-check', host } }).then(
      (view) => {
        if (!live.current) return;
        setStarting(false);
        setJob(view);
      },
      (error: unknown) => {
        if (!live.current) return;
        setStarting(false);
        setStartError(errorView(error));
      },
    );
  };

  const cancel = () => {
    if (!job || !jobRunning || cancelRequested) return;
    setCancelRequested(true);
    setCancelError(null);
    // The job's end event says "cancelled"; the answer only says that the runner has stopped.
    api.cancelJob({ runnerId, jobId: job.id }).then(
      () => {},
      (error: unknown) => {
        if (!live.current) return;
        setCancelRequested(false);
        setCancelError(errorView(error));
      },
    );
  };

  return (
    <>
      {lastCheck !== undefined && !started && <LastCheck check={lastCheck} />}
      <div className="actions">
        <button type="button" ref={checkButton} onClick={start} aria-disabled={running || undefined}>
          {running ? 'Checking…' : 'Check again'}
          <span className="visually-hidden"> {label}</span>
        </button>
        {jobRunning && (
          <button
            type="button"
            onClick={cancel}
            onFocus={() => (cancelFocused.current = true)}
            onBlur={() => (cancelFocused.current = false)}
            aria-disabled={cancelling || undefined}
          >
            {cancelling ? 'Cancelling…' : 'Cancel'}
            <span className="visually-hidden"> the check of {label}</span>
          </button>
        )}
        {actions}
      </div>
      <CheckResult
        started={started}
        watch={watch}
        cancelling={cancelling}
        startError={startError}
        cancelError={cancelError}
        label={label}
        idPrefix={idPrefix}
      />
    </>
  );
}

/**
 * What the latest check says: a status line (polite: "Checking…", "All
 * checks passed.", "Cancelled."), when it ended (outside the status, which
 * would otherwise speak each time "just now" becomes "1 minute ago"), and
 * the checks in their three groups, in a polite live region so that each
 * check is said as it arrives. The status line is on the page from the
 * start, empty, so that screen readers hear its first words.
 */
function CheckResult({
  started,
  watch,
  cancelling,
  startError,
  cancelError,
  label,
  idPrefix,
}: {
  started: boolean;
  watch: JobWatch | null;
  cancelling: boolean;
  startError: ErrorView | null;
  cancelError: ErrorView | null;
  label: string;
  idPrefix: string;
}) {
  const now = useNow();
  const ended = watch?.outcome ?? null;
  const validation = watch ? checksOf(watch) : null;
  const endedAt = ended && watch?.endedAt ? watch.endedAt : null;
  /** Cancelled or failed: a group without checks was not checked, rather than found fine. */
  const stopped = ended !== null && ended.state !== 'succeeded';
  const checked = validation ? validation.host.length + validation.oauth.length + validation.pat.length : 0;

  let summary = '';
  if (started) {
    if (startError) summary = 'The check could not start.';
    else if (!watch || !ended) summary = cancelling ? 'Cancelling the check…' : `Checking ${label}…`;
    else if (ended.state === 'cancelled') summary = 'Cancelled.';
    else if (ended.state === 'failed') summary = 'The check could not finish.';
    else summary = validation ? checkCounts(validation) : 'Nothing to report.';
  }

  return (
    <div className="provider-check">
      <p className="check-summary">
        <span role="status">{summary}</span>
        {endedAt && (
          <span className="muted">
            {' '}
            {ended?.state === 'cancelled' ? 'Stopped' : 'Checked'}{' '}
            <time dateTime={endedAt} title={exactTime(new Date(endedAt))}>
              {relativeTime(new Date(endedAt), now)}
            </time>
            .
          </span>
        )}
      </p>
      {startError && <ErrorNotice error={startError} />}
      {cancelError && <ErrorNotice error={cancelError} />}
      {ended?.state === 'failed' && <ErrorNotice error={errorView(ended.error)} />}
      {validation && (!stopped || checked > 0) && (
        <div aria-live="polite" className="check-live">
          <ValidationGroups
            validation={validation}
            idPrefix={idPrefix}
            empty={!ended ? 'Not checked yet.' : stopped ? 'Not checked.' : 'Nothing to report.'}
          />
        </div>
      )}
    </div>
  );
}
